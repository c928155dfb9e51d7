// SPDX-License-Identifier: GPL-3.0-or-later
#include "tests/support/JsonAsserts.h"
#include "tests/support/TestPaths.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using flowdeck::test::sourcePath;
using nlohmann::json;

namespace {

struct Run
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

Run runFlowdeck(const QStringList &args, const QByteArray &input = {})
{
    QProcess p;
    p.start(QStringLiteral(FLOWDECK_BINARY), args);
    if (!p.waitForStarted())
        return {};
    if (!input.isEmpty())
        p.write(input);
    p.closeWriteChannel();
    p.waitForFinished(60000);
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput(),
            p.readAllStandardError()};
}

QStringList jsonFiles(const QString &folder)
{
    QStringList out;
    const QDir dir(sourcePath(folder));
    for (const auto &name : dir.entryList({QStringLiteral("*.json")}, QDir::Files, QDir::Name))
        if (name != QStringLiteral("expected.json"))
            out << dir.filePath(name);
    return out;
}

QByteArray readFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

json parse(const QByteArray &text)
{
    return json::parse(text.begin(), text.end(), nullptr, false);
}

} // namespace

class TestCli : public QObject
{
    Q_OBJECT
    QTemporaryDir m_dir;

    QString db(const char *name) { return m_dir.filePath(QString::fromUtf8(name)); }

private Q_SLOTS:
    void validateAcceptsTheDemoWorkflows()
    {
        const QStringList demos = jsonFiles(QStringLiteral("resources/demo"));
        QVERIFY(demos.size() >= 5);
        const Run r = runFlowdeck(QStringList{QStringLiteral("validate")} + demos);
        QVERIFY2(r.exitCode == 0, QByteArray(r.out + r.err).constData());
        // Warnings may be printed as JSON lines; none may be an error.
        for (const auto &line : r.out.split('\n')) {
            if (line.isEmpty())
                continue;
            const json issue = parse(line);
            QVERIFY2(issue.is_object(), line.constData());
            QCOMPARE(QString::fromStdString(issue["severity"].get<std::string>()),
                     QStringLiteral("warning"));
        }
    }

    void validateRejectsABadDocumentWithItsPointer()
    {
        QTemporaryDir dir;
        const QString bad = dir.filePath(QStringLiteral("bad.json"));
        QFile f(bad);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(R"({"name": "Bad", "type": "automation",
  "tasks": {"workflow_start": {"name": "workflow_start"}, "workflow_end": {"name": "workflow_end"}},
  "transitions": {"workflow_start": {"workflow_end": {"state": "sucess", "type": "standard"}}}})");
        f.close();
        const Run r = runFlowdeck({QStringLiteral("validate"), bad});
        QCOMPARE(r.exitCode, 1);
        bool found = false;
        for (const auto &line : r.out.split('\n')) {
            const json issue = parse(line);
            if (issue.is_object() &&
                issue["instancePath"] == "/transitions/workflow_start/workflow_end/state")
                found = issue["file"] == bad.toStdString();
        }
        QVERIFY2(found, r.out.constData());
        QVERIFY(r.err.contains("invalid"));
    }

    void validateReportsMalformedJsonWithLineAndColumn()
    {
        QTemporaryDir dir;
        const QString bad = dir.filePath(QStringLiteral("broken.json"));
        QFile f(bad);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("{\n  \"name\": \"x\",\n  \"tasks\": {,}\n}\n");
        f.close();
        const Run r = runFlowdeck({QStringLiteral("validate"), bad});
        QCOMPARE(r.exitCode, 1);
        const json issue = parse(r.out.split('\n').first());
        QCOMPARE(QString::fromStdString(issue["keyword"].get<std::string>()),
                 QStringLiteral("parse"));
        QCOMPARE(issue["params"]["line"].get<int>(), 3);
    }

    void validateNeedsAReadableFile()
    {
        const Run r =
            runFlowdeck({QStringLiteral("validate"), QStringLiteral("/no/such/file.json")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY(r.err.contains("/no/such/file.json"));
    }

    void importThenExportRoundTrips_data()
    {
        QTest::addColumn<QString>("file");
        QStringList files = jsonFiles(QStringLiteral("resources/demo")) +
                            jsonFiles(QStringLiteral("tests/data/workflows/valid"));
        for (const auto &file : files)
            QTest::newRow(qPrintable(QFileInfo(file).fileName())) << file;
    }

    void importThenExportRoundTrips()
    {
        QFETCH(QString, file);
        const QString store = db("roundtrip.db");
        const json original = parse(flowdeck::test::readFile(file));
        QVERIFY(original.is_object());
        const Run imported =
            runFlowdeck({QStringLiteral("import"), file, QStringLiteral("--db"), store});
        QVERIFY2(imported.exitCode == 0, imported.err.constData());
        const QString name = QString::fromStdString(original["name"].get<std::string>());
        const Run exported =
            runFlowdeck({QStringLiteral("export"), name, QStringLiteral("--db"), store});
        QVERIFY2(exported.exitCode == 0, exported.err.constData());
        QCOMPARE_JSON(parse(exported.out), original);

        // -o writes the same document to a file.
        const QString out = m_dir.filePath(QStringLiteral("exported.json"));
        const Run toFile = runFlowdeck({QStringLiteral("export"), name, QStringLiteral("--db"),
                                        store, QStringLiteral("-o"), out});
        QCOMPARE(toFile.exitCode, 0);
        QCOMPARE_JSON(parse(flowdeck::test::readFile(out)), original);
    }

    void importIsAllOrNothing()
    {
        const QString store = db("all-or-nothing.db");
        QTemporaryDir dir;
        const QString bad = dir.filePath(QStringLiteral("bad.json"));
        QFile f(bad);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(R"({"name": "Broken", "tasks": {}, "transitions": {}})");
        f.close();
        const QString good = jsonFiles(QStringLiteral("resources/demo")).first();
        const Run r =
            runFlowdeck({QStringLiteral("import"), good, bad, QStringLiteral("--db"), store});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("nothing was imported"), r.err.constData());
        QVERIFY2(r.err.contains("/tasks"), r.err.constData());
        const QString goodName = QString::fromStdString(
            parse(flowdeck::test::readFile(good))["name"].get<std::string>());
        const Run e =
            runFlowdeck({QStringLiteral("export"), goodName, QStringLiteral("--db"), store});
        QCOMPARE(e.exitCode, 1);
        QVERIFY(e.err.contains("no workflow named"));
    }

    void importRefusesAnExistingNameUnlessReplacing()
    {
        const QString store = db("replace.db");
        const QString file = jsonFiles(QStringLiteral("resources/demo")).first();
        QCOMPARE(
            runFlowdeck({QStringLiteral("import"), file, QStringLiteral("--db"), store}).exitCode,
            0);
        const Run again =
            runFlowdeck({QStringLiteral("import"), file, QStringLiteral("--db"), store});
        QCOMPARE(again.exitCode, 1);
        QVERIFY(again.err.contains("already exists"));
        QVERIFY(again.err.contains("--replace"));
        const Run replaced =
            runFlowdeck({QStringLiteral("import"), file, QStringLiteral("--replace"),
                         QStringLiteral("--db"), store});
        QCOMPARE(replaced.exitCode, 0);
        QVERIFY2(replaced.out.contains("version 2"), replaced.out.constData());
    }

    void importTakesAutomationExportsAndTheRestOfABatch()
    {
        const QString store = db("mixed.db");
        QTemporaryDir dir;
        auto write = [&dir](const char *name, const json &document) {
            const QString path = dir.filePath(QString::fromUtf8(name));
            QFile f(path);
            if (f.open(QIODevice::WriteOnly))
                f.write(QByteArray::fromStdString(document.dump(2)));
            return path;
        };
        const QString workflow =
            sourcePath(QStringLiteral("resources/demo/manual-change-approval.json"));
        const QString jst = sourcePath(QStringLiteral("tests/data/jst/alarm-to-ticket.json"));
        // Itential names the workflow of an exported automation by its name when its
        // componentId is null: a name, or "@<id>: <name>".
        const QString byName = write("by-name.json", {{"name", "Approve on demand"},
                                                      {"componentType", "workflows"},
                                                      {"componentId", nullptr},
                                                      {"componentName", "Change Approval"},
                                                      {"triggers", json::array()}});
        const QString byIdAndName = write(
            "by-id-and-name.json", {{"name", "Approve nightly"},
                                    {"componentType", "workflows"},
                                    {"componentId", nullptr},
                                    {"componentName", "@65b7c0de1a2b3c4d5e6f7081: Change Approval"},
                                    {"triggers", json::array()}});
        const QString orphan = write("orphan.json", {{"name", "Orphan"},
                                                     {"componentType", "workflows"},
                                                     {"componentId", nullptr},
                                                     {"componentName", "Never stored here"},
                                                     {"triggers", json::array()}});
        // Two documents of one name, the newer one second; and one that is not valid.
        json older = parse(
            readFile(sourcePath(QStringLiteral("resources/demo/linear-device-health-check.json"))));
        older["last_updated"] = "2025-01-01T00:00:00.000Z";
        older["description"] = "older";
        json newer = older;
        newer["last_updated"] = "2026-01-01T00:00:00.000Z";
        newer["description"] = "newer";
        const QString olderFile = write("health-older.json", older);
        const QString newerFile = write("health-newer.json", newer);
        const QString broken =
            write("broken.json",
                  {{"name", "Broken"}, {"tasks", json::object()}, {"transitions", json::object()}});
        const QStringList files{workflow, jst,       byName,    byIdAndName,
                                orphan,   newerFile, olderFile, broken};

        // All or nothing by default: the broken one stops the batch, and says how to go on.
        const Run refused = runFlowdeck(QStringList{QStringLiteral("import")} + files +
                                        QStringList{QStringLiteral("--db"), store});
        QCOMPARE(refused.exitCode, 1);
        QVERIFY2(refused.err.contains("--partial"), refused.err.constData());
        QVERIFY(!refused.out.contains("imported"));

        // The window's choice, as flags: the rest of the batch, the newest of each name.
        const Run r =
            runFlowdeck(QStringList{QStringLiteral("import"), QStringLiteral("--newest-wins")} +
                        files + QStringList{QStringLiteral("--db"), store});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY2(r.out.contains("imported \"Change Approval\""), r.out.constData());
        QVERIFY2(r.out.contains("imported JST"), r.out.constData());
        QVERIFY2(r.out.contains("imported \"Device Health Check\" (id"), r.out.constData());
        QVERIFY2(r.out.contains(QByteArray(QByteArray("from ") + newerFile.toUtf8())),
                 r.out.constData());
        QVERIFY2(r.out.contains("imported automation \"Approve on demand\""), r.out.constData());
        QVERIFY2(r.out.contains("imported automation \"Approve nightly\""), r.out.constData());
        QVERIFY2(r.out.contains("imported automation \"Orphan\""), r.out.constData());
        // What was left out, and why; the orphan's warning, as the window shows it.
        QVERIFY2(r.out.contains(QByteArray(QByteArray("skipped ") + olderFile.toUtf8())),
                 r.out.constData());
        QVERIFY2(r.out.contains("a newer document named"), r.out.constData());
        QVERIFY2(r.out.contains(QByteArray(QByteArray("skipped ") + broken.toUtf8())),
                 r.out.constData());
        QVERIFY2(r.err.contains("Never stored here"), r.err.constData());
        QVERIFY2(r.err.contains("imported 6 documents, skipped 2"), r.err.constData());
        // The newer document is the one stored.
        const Run e = runFlowdeck({QStringLiteral("export"), QStringLiteral("Device Health Check"),
                                   QStringLiteral("--db"), store});
        QCOMPARE(e.exitCode, 0);
        QCOMPARE_JSON(parse(e.out)["description"], "newer");

        // Again with --partial: every name exists now, so each is skipped, and saying so is
        // not a success.
        const Run again =
            runFlowdeck(QStringList{QStringLiteral("import"), QStringLiteral("--partial"), workflow,
                                    QStringLiteral("--db"), store});
        QCOMPARE(again.exitCode, 1);
        QVERIFY2(again.out.contains("exists already"), again.out.constData());
    }

    void exportOfAnUnknownWorkflowFails()
    {
        const Run r = runFlowdeck({QStringLiteral("export"), QStringLiteral("Nope"),
                                   QStringLiteral("--db"), db("empty.db")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY(r.err.contains("no workflow named \"Nope\""));
        QVERIFY(r.out.isEmpty());
    }

    void badCommandLinesExplainThemselves()
    {
        Run r = runFlowdeck({QStringLiteral("frobnicate")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY(r.err.contains("unknown command \"frobnicate\""));
        QVERIFY(r.err.contains("Usage: flowdeck"));
        r = runFlowdeck({QStringLiteral("validate")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY(r.err.contains("needs at least one FILE"));
        r = runFlowdeck({QStringLiteral("export"), QStringLiteral("a"), QStringLiteral("b")});
        QCOMPARE(r.exitCode, 2);
        r = runFlowdeck({QStringLiteral("import"), QStringLiteral("--bogus"), QStringLiteral("x")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY(r.err.contains("bogus"));
        r = runFlowdeck({QStringLiteral("--help")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.contains("serve"));
        r = runFlowdeck({QStringLiteral("--version")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.startsWith("flowdeck "));
    }

    void aStoreFromTheFutureIsRefused()
    {
        const QString store = db("future.db");
        QVERIFY(runFlowdeck({QStringLiteral("import"),
                             jsonFiles(QStringLiteral("resources/demo")).first(),
                             QStringLiteral("--db"), store})
                    .exitCode == 0);
        // Make its schema version newer than this build knows.
        QFile f(store);
        QVERIFY(f.open(QIODevice::ReadWrite));
        // user_version lives at byte offset 60 of the SQLite header (big-endian).
        f.seek(60);
        f.write(QByteArray::fromHex("000003e7"));
        f.close();
        const Run r = runFlowdeck(
            {QStringLiteral("export"), QStringLiteral("x"), QStringLiteral("--db"), store});
        QCOMPARE(r.exitCode, 2); // an unusable store: the command cannot run
        QVERIFY2(r.err.contains("newer than this Flowdeck"), r.err.constData());
    }

    void runRunsEachDemoToItsEnd_data()
    {
        QTest::addColumn<QString>("workflow");
        QTest::addColumn<QString>("variables");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("variable");
        QTest::addColumn<QString>("expected");
        QTest::newRow("linear") << "Device Health Check"
                                << R"({"device": "core-rtr-01"})" << 0 << "healthCheckStatus"
                                << R"("complete")";
        QTest::newRow("branching")
            << "Config Compliance"
            << R"({"device": "r1", "configSnapshot": "not json"})" << 0 << "complianceStatus"
            << R"("unreadable")";
        QTest::newRow("child job loop")
            << "Site Rollout"
            << R"({"sites": [{"siteCode": "ATL01", "region": "us-east", "vlanId": 110}]})" << 0
            << "sitesProvisioned"
            << "1";
        QTest::newRow("revert loop")
            << "Ping Until Reachable"
            << R"({"device": "e", "maxAttempts": 3, "labReplyOnAttempt": 2})" << 0 << "reachable"
            << "true";
        QTest::newRow("manual approval waits")
            << "Change Approval"
            << R"({"device": "d", "changeTicket": "CHG1", "proposedConfig": "x"})" << 1
            << "changeTicket"
            << R"("CHG1")";
    }

    void runRunsEachDemoToItsEnd()
    {
        QFETCH(QString, workflow);
        QFETCH(QString, variables);
        QFETCH(int, exitCode);
        QFETCH(QString, variable);
        QFETCH(QString, expected);
        const QString store = db("run-demos.db");
        QCOMPARE(runFlowdeck(QStringList{QStringLiteral("import"), QStringLiteral("--replace"),
                                         QStringLiteral("--db"), store} +
                             jsonFiles(QStringLiteral("resources/demo")))
                     .exitCode,
                 0);
        const Run r = runFlowdeck({QStringLiteral("run"), workflow, QStringLiteral("--variables"),
                                   variables, QStringLiteral("--db"), store});
        QVERIFY2(r.exitCode == exitCode, r.err.constData());
        const json job = parse(r.out);
        QVERIFY2(job.is_object(), r.out.constData());
        QCOMPARE_JSON(job["variables"][variable.toStdString()], parse(expected.toUtf8()));
        if (exitCode == 1) {
            QVERIFY2(r.err.contains("waiting for an operator"), r.err.constData());
            QVERIFY(r.err.contains("7a23"));
        }
    }

    void runWithMocksFinishesManualTasksAndAdapters()
    {
        QTemporaryDir dir;
        const QString mocks = dir.filePath(QStringLiteral("mocks.json"));
        QFile f(mocks);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(R"({"7a23": {"finish_state": "failure"}})");
        f.close();
        const QString workflow =
            sourcePath(QStringLiteral("resources/demo/manual-change-approval.json"));
        const Run r = runFlowdeck(
            {QStringLiteral("run"), workflow, QStringLiteral("--variables"),
             QStringLiteral(R"({"device": "d", "changeTicket": "C", "proposedConfig": "x"})"),
             QStringLiteral("--mock"), mocks, QStringLiteral("--db"), db("run-mock.db")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE_JSON(parse(r.out)["variables"]["changeStatus"], "rejected");
    }

    void runRefusesBadInput()
    {
        const QString store = db("run-bad.db");
        const QString file =
            sourcePath(QStringLiteral("resources/demo/childjob-site-provision.json"));
        Run r = runFlowdeck({QStringLiteral("run"), file, QStringLiteral("--variables"),
                             QStringLiteral(R"({"siteCode": 5})"), QStringLiteral("--db"), store});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("/variables/siteCode"), r.err.constData());
        QVERIFY(r.out.isEmpty());
        r = runFlowdeck({QStringLiteral("run"), QStringLiteral("No Such Workflow"),
                         QStringLiteral("--db"), store});
        QCOMPARE(r.exitCode, 1);
        QVERIFY(r.err.contains("no workflow named"));
        r = runFlowdeck({QStringLiteral("run"), file, QStringLiteral("--variables"),
                         QStringLiteral("{oops"), QStringLiteral("--db"), store});
        QCOMPARE(r.exitCode, 2);
        QVERIFY(r.err.contains("--variables is not valid JSON"));
        r = runFlowdeck({QStringLiteral("run"), file, QStringLiteral("--mock"),
                         QStringLiteral("/no/mocks.json"), QStringLiteral("--db"), store});
        QCOMPARE(r.exitCode, 2);
        QVERIFY(r.err.contains("/no/mocks.json"));
    }

    void serveRunsHeadlessAndStopsOnSigterm()
    {
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.remove(QStringLiteral("DISPLAY"));
        env.remove(QStringLiteral("WAYLAND_DISPLAY"));
        env.remove(QStringLiteral("QT_QPA_PLATFORM"));
        p.setProcessEnvironment(env);
        p.start(QStringLiteral(FLOWDECK_BINARY),
                {QStringLiteral("serve"), QStringLiteral("--db"), db("serve.db")});
        QVERIFY(p.waitForStarted());
        QByteArray err; // every poll reads what arrived since the last one
        QTRY_VERIFY_WITH_TIMEOUT((err += p.readAllStandardError()).contains("running headless") ||
                                     p.state() != QProcess::Running,
                                 10000);
        QVERIFY2(p.state() == QProcess::Running, err.constData());
        ::kill(pid_t(p.processId()), SIGTERM);
        QVERIFY(p.waitForFinished(10000));
        QCOMPARE(p.exitStatus(), QProcess::NormalExit);
        QCOMPARE(p.exitCode(), 0);
        QVERIFY(QFile::exists(db("serve.db")));
    }

    void windowWithoutADisplaySaysHowToServe()
    {
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.remove(QStringLiteral("DISPLAY"));
        env.remove(QStringLiteral("WAYLAND_DISPLAY"));
        env.remove(QStringLiteral("QT_QPA_PLATFORM"));
        p.setProcessEnvironment(env);
        p.start(QStringLiteral(FLOWDECK_BINARY), {QStringLiteral("--db"), db("window.db")});
        QVERIFY(p.waitForFinished(10000));
        QCOMPARE(p.exitCode(), 2);
        QVERIFY(p.readAllStandardError().contains("flowdeck serve"));
    }

    // ---- accounts: flowdeck user / flowdeck group ------------------------------------------

    void accountCommandsManageUsersAndGroups()
    {
        const QString store = db("accounts.db");
        const QStringList dbArg{QStringLiteral("--db"), store};
        Run r = runFlowdeck(QStringList{QStringLiteral("group"), QStringLiteral("add"),
                                        QStringLiteral("ops"), QStringLiteral("--description"),
                                        QStringLiteral("Operations")} +
                            dbArg);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY(r.out.contains("created group \"ops\""));

        r = runFlowdeck(QStringList{QStringLiteral("user"), QStringLiteral("add"),
                                    QStringLiteral("alice"), QStringLiteral("--role"),
                                    QStringLiteral("operator"), QStringLiteral("--group"),
                                    QStringLiteral("ops"), QStringLiteral("--display-name"),
                                    QStringLiteral("Alice Smith"), QStringLiteral("--email"),
                                    QStringLiteral("alice@example.com"),
                                    QStringLiteral("--password-stdin")} +
                            dbArg,
                        "first password\n");
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY(r.out.contains("created user \"alice\""));
        QVERIFY(!r.out.contains("first password") && !r.err.contains("first password"));

        r = runFlowdeck(QStringList{QStringLiteral("user"), QStringLiteral("add"),
                                    QStringLiteral("bob"), QStringLiteral("--role"),
                                    QStringLiteral("viewer"), QStringLiteral("--password-stdin")} +
                            dbArg,
                        "bobs password\n");
        QVERIFY2(r.exitCode == 0, r.err.constData());

        // Usernames are unique regardless of case.
        r = runFlowdeck(QStringList{QStringLiteral("user"), QStringLiteral("add"),
                                    QStringLiteral("ALICE"), QStringLiteral("--role"),
                                    QStringLiteral("viewer"), QStringLiteral("--password-stdin")} +
                            dbArg,
                        "x\n");
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("already exists"), r.err.constData());

        r = runFlowdeck(QStringList{QStringLiteral("user"), QStringLiteral("list")} + dbArg);
        QCOMPARE(r.exitCode, 0);
        const QList<QByteArray> lines = r.out.trimmed().split('\n');
        QCOMPARE(lines.size(), 3);
        QVERIFY2(lines[0].simplified() == "USERNAME KIND DISPLAY NAME ROLES GROUPS DISABLED",
                 lines[0].constData());
        QCOMPARE(lines[1].simplified(), QByteArray("alice person Alice Smith operator ops no"));
        QCOMPARE(lines[2].simplified(), QByteArray("bob person - viewer - no"));

        r = runFlowdeck(
            QStringList{QStringLiteral("group"), QStringLiteral("members"), QStringLiteral("ops")} +
            dbArg);
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.out, QByteArray("alice\n"));
        r = runFlowdeck(QStringList{QStringLiteral("group"), QStringLiteral("members"),
                                    QStringLiteral("ops"), QStringLiteral("--add"),
                                    QStringLiteral("bob"), QStringLiteral("--remove"),
                                    QStringLiteral("alice")} +
                        dbArg);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        r = runFlowdeck(
            QStringList{QStringLiteral("group"), QStringLiteral("members"), QStringLiteral("ops")} +
            dbArg);
        QCOMPARE(r.out, QByteArray("bob\n"));
        // An unknown username changes nothing, not even the names before it.
        r = runFlowdeck(QStringList{QStringLiteral("group"), QStringLiteral("members"),
                                    QStringLiteral("ops"), QStringLiteral("--add"),
                                    QStringLiteral("alice"), QStringLiteral("--add"),
                                    QStringLiteral("nobody")} +
                        dbArg);
        QCOMPARE(r.exitCode, 1);
        QVERIFY(r.err.contains("nobody"));
        r = runFlowdeck(
            QStringList{QStringLiteral("group"), QStringLiteral("members"), QStringLiteral("ops")} +
            dbArg);
        QCOMPARE(r.out, QByteArray("bob\n"));

        r = runFlowdeck(
            QStringList{QStringLiteral("user"), QStringLiteral("disable"), QStringLiteral("bob")} +
            dbArg);
        QCOMPARE(r.exitCode, 0);
        r = runFlowdeck(QStringList{QStringLiteral("user"), QStringLiteral("list")} + dbArg);
        QVERIFY2(r.out.contains("viewer    ops     yes"), r.out.constData());
        r = runFlowdeck(
            QStringList{QStringLiteral("user"), QStringLiteral("enable"), QStringLiteral("bob")} +
            dbArg);
        QCOMPARE(r.exitCode, 0);
        r = runFlowdeck(QStringList{QStringLiteral("user"), QStringLiteral("list")} + dbArg);
        QVERIFY2(r.out.contains("viewer    ops     no"), r.out.constData());

        r = runFlowdeck(QStringList{QStringLiteral("user"), QStringLiteral("passwd"),
                                    QStringLiteral("alice"), QStringLiteral("--password-stdin")} +
                            dbArg,
                        "second password\n");
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY(r.out.contains("changed the password of \"alice\""));
    }

    // Accounts that machines use: a service account whose password is its OAuth client
    // secret, and API tokens printed once, listed without the token, and revoked by id.
    void serviceAccountsAndApiTokens()
    {
        const QString store = db("machines.db");
        const QStringList dbArg{QStringLiteral("--db"), store};
        Run r = runFlowdeck(QStringList{QStringLiteral("user"), QStringLiteral("add"),
                                        QStringLiteral("ci-bot"), QStringLiteral("--service"),
                                        QStringLiteral("--role"), QStringLiteral("operator"),
                                        QStringLiteral("--password-stdin")} +
                                dbArg,
                            "client secret\n");
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY2(r.out.contains("created service account \"ci-bot\""), r.out.constData());
        r = runFlowdeck(QStringList{QStringLiteral("user"), QStringLiteral("list")} + dbArg);
        QVERIFY2(r.out.contains("ci-bot") && r.out.contains("service"), r.out.constData());

        r = runFlowdeck(QStringList{QStringLiteral("token"), QStringLiteral("create"),
                                    QStringLiteral("ci-bot"), QStringLiteral("--days"),
                                    QStringLiteral("7"), QStringLiteral("--label"),
                                    QStringLiteral("nightly deploy")} +
                        dbArg);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QByteArray token = r.out.trimmed();
        QVERIFY2(token.size() >= 40 && !token.contains(' '), r.out.constData());
        QVERIFY2(r.err.contains("shown only now"), r.err.constData());

        r = runFlowdeck(
            QStringList{QStringLiteral("token"), QStringLiteral("list"), QStringLiteral("ci-bot")} +
            dbArg);
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(!r.out.contains(token), "the listing never shows the token");
        const QList<QByteArray> lines = r.out.trimmed().split('\n');
        QCOMPARE(lines.size(), 2);
        QVERIFY2(lines[1].contains("nightly deploy") && lines[1].contains("ci-bot"),
                 lines[1].constData());
        const QByteArray id = lines[1].split(' ').first();
        QCOMPARE(id.size(), 24);

        r = runFlowdeck(QStringList{QStringLiteral("token"), QStringLiteral("revoke"),
                                    QString::fromLatin1(id)} +
                        dbArg);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        r = runFlowdeck(QStringList{QStringLiteral("token"), QStringLiteral("list")} + dbArg);
        // The revocation time fills the last column ("-" while it works).
        QVERIFY2(r.out.trimmed().split('\n')[1].trimmed().endsWith('Z'), r.out.constData());

        // Refusals: an unknown account, a service account without its secret, bad days.
        r = runFlowdeck(QStringList{QStringLiteral("token"), QStringLiteral("create"),
                                    QStringLiteral("nobody")} +
                        dbArg);
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("no account named"), r.err.constData());
        r = runFlowdeck(QStringList{QStringLiteral("token"), QStringLiteral("create"),
                                    QStringLiteral("ci-bot"), QStringLiteral("--days"),
                                    QStringLiteral("0")} +
                        dbArg);
        QCOMPARE(r.exitCode, 2);
        r = runFlowdeck(QStringList{QStringLiteral("token"), QStringLiteral("revoke"),
                                    QStringLiteral("0123456789abcdef01234567")} +
                        dbArg);
        QCOMPARE(r.exitCode, 1);
        r = runFlowdeck(QStringList{QStringLiteral("token"), QStringLiteral("list"),
                                    QStringLiteral("--label"), QStringLiteral("x")} +
                        dbArg);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("--label applies to token create only"), r.err.constData());
    }

    void accountCommandsRefuseBadInput()
    {
        const QString store = db("accounts-bad.db");
        const QStringList dbArg{QStringLiteral("--db"), store};
        const QStringList addCarol{QStringLiteral("user"), QStringLiteral("add"),
                                   QStringLiteral("carol"), QStringLiteral("--password-stdin")};

        // Refused by the store's rules: exit 1, the bad value named.
        Run r = runFlowdeck(
            addCarol + QStringList{QStringLiteral("--role"), QStringLiteral("operator")} + dbArg,
            "\n");
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("password") && r.err.contains("empty"), r.err.constData());
        r = runFlowdeck(addCarol + QStringList{QStringLiteral("--role"), QStringLiteral("wizard")} +
                            dbArg,
                        "pw\n");
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("\"wizard\""), r.err.constData());
        r = runFlowdeck(addCarol +
                            QStringList{QStringLiteral("--role"), QStringLiteral("viewer"),
                                        QStringLiteral("--group"), QStringLiteral("nogroup")} +
                            dbArg,
                        "pw\n");
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("\"nogroup\""), r.err.constData());
        r = runFlowdeck(QStringList{QStringLiteral("user"), QStringLiteral("add"),
                                    QStringLiteral("bad name"), QStringLiteral("--role"),
                                    QStringLiteral("viewer"), QStringLiteral("--password-stdin")} +
                            dbArg,
                        "pw\n");
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("\"bad name\""), r.err.constData());
        r = runFlowdeck(QStringList{QStringLiteral("user"), QStringLiteral("disable"),
                                    QStringLiteral("nobody")} +
                        dbArg);
        QCOMPARE(r.exitCode, 1);
        QVERIFY(r.err.contains("nobody"));
        r = runFlowdeck(QStringList{QStringLiteral("group"), QStringLiteral("members"),
                                    QStringLiteral("nogroup")} +
                        dbArg);
        QCOMPARE(r.exitCode, 1);
        QVERIFY(r.err.contains("nogroup"));

        // Wrong command lines: exit 2 with the reason.
        const QList<QPair<QStringList, QByteArray>> bad{
            {addCarol, "--role"},
            {{QStringLiteral("user"), QStringLiteral("add"), QStringLiteral("carol"),
              QStringLiteral("--role"), QStringLiteral("viewer")},
             "--password-stdin"},
            {{QStringLiteral("user")}, "needs an action"},
            {{QStringLiteral("user"), QStringLiteral("frob"), QStringLiteral("x")},
             "unknown user action \"frob\""},
            {{QStringLiteral("user"), QStringLiteral("disable")}, "exactly one NAME"},
            {{QStringLiteral("user"), QStringLiteral("list"), QStringLiteral("--role"),
              QStringLiteral("admin")},
             "--role does not apply to user list"},
            {{QStringLiteral("group"), QStringLiteral("add"), QStringLiteral("g"),
              QStringLiteral("--add"), QStringLiteral("bob")},
             "--add does not apply to group add"},
        };
        for (const auto &[args, message] : bad) {
            r = runFlowdeck(args + dbArg, "pw\n");
            QVERIFY2(r.exitCode == 2, qPrintable(args.join(u' ')));
            QVERIFY2(r.err.contains(message), r.err.constData());
            QVERIFY2(!r.err.contains("QCommandLineParser"), r.err.constData());
        }
        QVERIFY(runFlowdeck(QStringList{QStringLiteral("user"), QStringLiteral("list")} + dbArg)
                    .out.count('\n') == 1); // the header only: nothing was created
    }

    void serveCreatesTheFirstAdminOnce()
    {
        QTemporaryDir dir; // its own folder: the password file goes beside the store
        QString store = dir.filePath(QStringLiteral("first.db"));
        const QString passwordFile = dir.filePath(QStringLiteral("first.db.admin-password.txt"));
        auto serveOnce = [&]() -> QByteArray {
            QProcess p;
            QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
            env.remove(QStringLiteral("DISPLAY"));
            env.remove(QStringLiteral("WAYLAND_DISPLAY"));
            p.setProcessEnvironment(env);
            p.start(QStringLiteral(FLOWDECK_BINARY),
                    {QStringLiteral("serve"), QStringLiteral("--db"), store});
            if (!p.waitForStarted())
                return "did not start";
            QByteArray err;
            QDeadlineTimer deadline(10000);
            while (!err.contains("running headless") && p.state() == QProcess::Running &&
                   !deadline.hasExpired()) {
                p.waitForReadyRead(100);
                err += p.readAllStandardError();
            }
            // processId() is 0 once the child is gone, and kill(0) would signal our own group.
            if (p.state() == QProcess::Running && p.processId() > 0)
                ::kill(pid_t(p.processId()), SIGTERM);
            p.waitForFinished(10000);
            return err + p.readAllStandardError();
        };

        const QByteArray first = serveOnce();
        QVERIFY2(first.contains("created the account \"admin\""), first.constData());
        QVERIFY2(first.contains(passwordFile.toLocal8Bit()), first.constData());
        QCOMPARE(QFile::permissions(passwordFile),
                 QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadUser |
                     QFileDevice::WriteUser);
        QFile f(passwordFile);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray password = f.readAll().trimmed();
        QCOMPARE(password.size(), 20);
        QVERIFY(!first.contains(password)); // said where, never what
        const Run list = runFlowdeck(
            {QStringLiteral("user"), QStringLiteral("list"), QStringLiteral("--db"), store});
        QVERIFY2(list.out.simplified().contains("admin person Administrator admin"),
                 list.out.constData());

        // Only on an empty store: the second start creates nothing and says nothing.
        QVERIFY(QFile::remove(passwordFile));
        const QByteArray second = serveOnce();
        QVERIFY2(second.contains("running headless"), second.constData());
        QVERIFY(!second.contains("created the account"));
        QVERIFY(!QFile::exists(passwordFile));

        // A second store in the same folder has its own file: it starts, and its admin's
        // password does not meet the first store's (which an operator may not have moved yet).
        QFile planted(passwordFile);
        QVERIFY(planted.open(QIODevice::WriteOnly));
        planted.close();
        store = dir.filePath(QStringLiteral("second.db"));
        const QByteArray other = serveOnce();
        QVERIFY2(other.contains("created the account \"admin\""), other.constData());
        QVERIFY(QFile::exists(dir.filePath(QStringLiteral("second.db.admin-password.txt"))));
    }

    // ---- hostile documents and a second process ---------------------------------------

    // Each of these once aborted or crashed validate or import (exit 134 or 139). Now each is
    // refused with exit 1 and a message that says what is wrong, and nothing is stored.
    void hostileDocumentsAreRefusedNotCrashedOn_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QByteArray>("says");
        const json workflow = parse(readFile(
            sourcePath(QStringLiteral("tests/data/workflows/valid/canvas3-backup-device.json"))));
        QVERIFY(workflow.is_object());
        QTest::newRow("number overflow")
            << QByteArray(R"({"name": "x", "a": 1e99999})") << QByteArray("number overflow");
        QTest::newRow("invalid UTF-8")
            << QByteArray("{\"name\":\"caf\xff\"}") << QByteArray("UTF-8");
        std::string tags = std::string(50'000, '[') + std::string(50'000, ']');
        std::string deepTags = workflow.dump();
        deepTags.insert(1, "\"tags\": " + tags + ",");
        QTest::newRow("tags 50,000 deep")
            << QByteArray::fromStdString(deepTags) << QByteArray("nested deeper");
        std::string schema;
        for (int i = 0; i < 60'000; ++i)
            schema += R"({"type":"object","properties":{"a":)";
        schema += "{}";
        for (int i = 0; i < 60'000; ++i)
            schema += "}}";
        std::string deepSchema = workflow.dump();
        deepSchema.insert(1, "\"inputSchema\": " + schema + ",");
        QTest::newRow("inputSchema 60,000 deep")
            << QByteArray::fromStdString(deepSchema) << QByteArray("nested deeper");
        json jst =
            parse(readFile(sourcePath(QStringLiteral("tests/data/jst/inventory-index.json"))));
        QVERIFY(jst.is_object());
        jst["steps"][0]["type"] = 7;
        QTest::newRow("JST step type a number")
            << QByteArray::fromStdString(jst.dump()) << QByteArray("/steps/0/type");
    }

    void hostileDocumentsAreRefusedNotCrashedOn()
    {
        QFETCH(QByteArray, text);
        QFETCH(QByteArray, says);
        const QString file = db("hostile.json");
        QFile out(file);
        QVERIFY(out.open(QIODevice::WriteOnly | QIODevice::Truncate));
        out.write(text);
        out.close();
        const QString store = db("hostile.db");
        for (const char *command : {"validate", "import"}) {
            const Run r =
                runFlowdeck({QString::fromUtf8(command), file, QStringLiteral("--db"), store});
            // validate reports on standard output (JSON lines), import on standard error.
            const QByteArray said = r.out + r.err;
            const QByteArray context = QByteArray(command) + QByteArray(" exit ") +
                                       QByteArray::number(r.exitCode) + QByteArray(": ") + said;
            QVERIFY2(r.exitCode == 1, context.constData());
            QVERIFY2(said.contains(says), context.constData());
        }
    }

    // A store runs in one engine. The second serve says who holds it and exits 2; once the
    // holder is killed (-9), the lock is gone with it and the next serve starts.
    void aSecondServeOnOneStoreIsRefused()
    {
        QTemporaryDir dir; // its own folder: the first admin's password file goes beside it
        const QString store = dir.filePath(QStringLiteral("held.db"));
        auto start = [&](QProcess &p, const char *port) {
            QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
            env.remove(QStringLiteral("DISPLAY"));
            env.remove(QStringLiteral("WAYLAND_DISPLAY"));
            p.setProcessEnvironment(env);
            p.start(QStringLiteral(FLOWDECK_BINARY),
                    {QStringLiteral("serve"), QStringLiteral("--db"), store,
                     QStringLiteral("--listen"),
                     QStringLiteral("127.0.0.1:") + QString::fromUtf8(port)});
            p.waitForStarted();
        };
        auto waitServing = [](QProcess &p) {
            QByteArray err;
            QDeadlineTimer deadline(15000);
            while (!err.contains("running headless") && p.state() == QProcess::Running &&
                   !deadline.hasExpired()) {
                p.waitForReadyRead(100);
                err += p.readAllStandardError();
            }
            return err;
        };
        QProcess first;
        start(first, "0");
        const QByteArray firstSaid = waitServing(first);
        QVERIFY2(first.state() == QProcess::Running, firstSaid.constData());

        QProcess second;
        start(second, "0");
        QVERIFY(second.waitForFinished(15000));
        const QByteArray refusal = second.readAllStandardError();
        QCOMPARE(second.exitCode(), 2);
        const QByteArray holder =
            QByteArray("is in use by Flowdeck process ") + QByteArray::number(first.processId());
        QVERIFY2(refusal.contains(holder), refusal.constData());

        ::kill(pid_t(first.processId()), SIGKILL);
        QVERIFY(first.waitForFinished(10000));
        QProcess third;
        start(third, "0");
        const QByteArray thirdSaid = waitServing(third);
        QVERIFY2(third.state() == QProcess::Running, thirdSaid.constData());
        ::kill(pid_t(third.processId()), SIGTERM);
        QVERIFY(third.waitForFinished(10000));
        QCOMPARE(third.exitCode(), 0);

        // Every file of the store is its owner's alone, whatever the umask.
        const auto ownerOnly = QFileDevice::ReadOwner | QFileDevice::WriteOwner |
                               QFileDevice::ReadUser | QFileDevice::WriteUser;
        for (const QString &path : QStringList{store, store + QStringLiteral(".lock")})
            QVERIFY2(QFile::permissions(path) == ownerOnly, qPrintable(path));
    }

    // A store made readable by others (an old Flowdeck, a copy) is closed to them on open,
    // with a notice.
    void anExposedStoreIsMadePrivateOnOpen()
    {
        const QString store = db("exposed.db");
        QVERIFY(
            runFlowdeck({QStringLiteral("import"),
                         sourcePath(QStringLiteral("tests/data/workflows/valid/foreach-loop.json")),
                         QStringLiteral("--db"), store})
                .exitCode == 0);
        QVERIFY(QFile::setPermissions(store, QFileDevice::ReadOwner | QFileDevice::WriteOwner |
                                                 QFileDevice::ReadGroup | QFileDevice::ReadOther));
        const Run r = runFlowdeck(
            {QStringLiteral("user"), QStringLiteral("list"), QStringLiteral("--db"), store});
        QVERIFY2(r.err.contains("was readable by other users"), r.err.constData());
        QCOMPARE(QFile::permissions(store) & (QFileDevice::ReadGroup | QFileDevice::ReadOther),
                 QFileDevice::Permissions());
    }

    /// A folder given as the store is refused in words, and left as it was.
    void aFolderIsNotAStore()
    {
        const QString folder = db("a-folder");
        QVERIFY(QDir().mkpath(folder));
        QVERIFY(QFile::setPermissions(folder, QFileDevice::ReadOwner | QFileDevice::WriteOwner |
                                                  QFileDevice::ExeOwner | QFileDevice::ReadOther |
                                                  QFileDevice::ExeOther));
        const Run r = runFlowdeck(
            {QStringLiteral("user"), QStringLiteral("list"), QStringLiteral("--db"), folder});
        QVERIFY(r.exitCode != 0);
        QVERIFY2(r.err.contains("is a folder, not a store file"), r.err.constData());
        QVERIFY2(!r.err.contains("readable by other users"), r.err.constData());
        QVERIFY(QFile::permissions(folder) & QFileDevice::ReadOther);
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "TestCli.moc"
