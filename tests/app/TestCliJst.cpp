// SPDX-License-Identifier: GPL-3.0-or-later
// JST documents on the command line, driven as an operator would: the real flowdeck binary
// validates, imports, exports and runs them (`transform`), and `run` takes the example workflow
// of examples/jst through its two JSTs into its ViewData task with mocked adapter results.
#include "tests/support/JsonAsserts.h"
#include "tests/support/TestPaths.h"

#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <set>

using flowdeck::test::sourcePath;
using nlohmann::json;

namespace {

struct Run
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

Run runFlowdeck(const QStringList &args)
{
    QProcess p;
    p.start(QStringLiteral(FLOWDECK_BINARY), args);
    if (!p.waitForStarted())
        return {};
    p.closeWriteChannel();
    p.waitForFinished(60000);
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput(),
            p.readAllStandardError()};
}

json parse(const QByteArray &text)
{
    return json::parse(text.begin(), text.end(), nullptr, false);
}

QString example(const char *file)
{
    return sourcePath(QStringLiteral("examples/jst/") + QString::fromUtf8(file));
}

json exampleJson(const char *file)
{
    return parse(flowdeck::test::readFile(example(file)));
}

const QString kRecords = QStringLiteral("netbox-interfaces-to-records.jst.json");
const QString kView = QStringLiteral("interfaces-review-view.jst.json");
const QString kWorkflow = QStringLiteral("review-device-interfaces.workflow.json");

QStringList examples(std::initializer_list<QString> files)
{
    QStringList out;
    for (const auto &f : files)
        out << sourcePath(QStringLiteral("examples/jst/") + f);
    return out;
}

} // namespace

class TestCliJst : public QObject
{
    Q_OBJECT
    QTemporaryDir m_dir;

    QString db(const char *name) { return m_dir.filePath(QString::fromUtf8(name)); }

    QString write(const char *name, const json &doc)
    {
        const QString path = m_dir.filePath(QString::fromUtf8(name));
        QFile f(path);
        if (f.open(QIODevice::WriteOnly))
            f.write(QByteArray::fromStdString(doc.dump(2)));
        return path;
    }

private Q_SLOTS:
    void validateRecognisesAJst()
    {
        const Run good = runFlowdeck(QStringList{QStringLiteral("validate")} +
                                     examples({kRecords, kView, kWorkflow}));
        QVERIFY2(good.exitCode == 0, QByteArray(good.out + good.err).constData());

        json bad = exampleJson("netbox-interfaces-to-records.jst.json");
        bad["steps"][0]["method"] = "leftShift";
        bad["functions"][0]["steps"][0]["to"]["ptr"] = "name";
        const QString file = write("bad.jst.json", bad);
        const Run r = runFlowdeck({QStringLiteral("validate"), file});
        QCOMPARE(r.exitCode, 1);
        QVERIFY(r.err.contains("invalid"));
        std::set<std::string> pointers;
        for (const auto &line : r.out.split('\n')) {
            const json issue = parse(line);
            if (!issue.is_object())
                continue;
            QCOMPARE_JSON(issue["file"], file.toStdString());
            pointers.insert(issue["instancePath"].get<std::string>());
        }
        QVERIFY2(pointers.count("/steps/0/method"), r.out.constData());
        QVERIFY2(pointers.count("/functions/0/steps/0/to/ptr"), r.out.constData());
    }

    void importExportAndTransform()
    {
        const QString store = db("jst.db");
        const Run imported = runFlowdeck(QStringList{QStringLiteral("import")} +
                                         examples({kWorkflow, kRecords, kView}) +
                                         QStringList{QStringLiteral("--db"), store});
        QVERIFY2(imported.exitCode == 0, imported.err.constData());
        QVERIFY2(imported.out.contains("imported JST \"NetBox interfaces to records\" (id "
                                       "65e1c0ffee0000000000b001, version 1)"),
                 imported.out.constData());
        QVERIFY2(imported.out.contains("imported \"Review device interfaces\""),
                 imported.out.constData());
        // The JSTs came in the same batch: the workflow names no missing JST (its NetBox
        // adapter instance is another matter, and import says so).
        QVERIFY2(!imported.err.contains("runs the JST"), imported.err.constData());
        QVERIFY2(imported.err.contains("adapter instance \"netbox\""), imported.err.constData());

        // export finds a JST by name (no workflow has it) and, with --transformation, by _id.
        const Run byName =
            runFlowdeck({QStringLiteral("export"), QStringLiteral("Interfaces review view"),
                         QStringLiteral("--db"), store});
        QVERIFY2(byName.exitCode == 0, byName.err.constData());
        QCOMPARE_JSON(parse(byName.out), exampleJson("interfaces-review-view.jst.json"));
        const Run byId = runFlowdeck({QStringLiteral("export"), QStringLiteral("--transformation"),
                                      QStringLiteral("65e1c0ffee0000000000b001"),
                                      QStringLiteral("--db"), store});
        QVERIFY2(byId.exitCode == 0, byId.err.constData());
        QCOMPARE_JSON(parse(byId.out), exampleJson("netbox-interfaces-to-records.jst.json"));
        const Run notAJst = runFlowdeck(
            {QStringLiteral("export"), QStringLiteral("--transformation"),
             QStringLiteral("Review device interfaces"), QStringLiteral("--db"), store});
        QCOMPARE(notAJst.exitCode, 1);
        QVERIFY(notAJst.err.contains("no JST"));

        // transform: a stored JST by _id, then a file, with the example's mocked adapter answer.
        const json mocks = exampleJson("review-device-interfaces.mocks.json");
        const json input = {{"adapterResult", mocks["a1"]["outgoing"]["result"]}};
        const json expected = exampleJson("review-device-interfaces.expected.json");
        const Run stored = runFlowdeck(
            {QStringLiteral("transform"), QStringLiteral("65e1c0ffee0000000000b001"),
             QStringLiteral("--input"), QString::fromStdString(input.dump()),
             QStringLiteral("--options"), QStringLiteral(R"({"revertToDefaultValue": true})"),
             QStringLiteral("--db"), store});
        QVERIFY2(stored.exitCode == 0, stored.err.constData());
        const json records = parse(stored.out);
        QCOMPARE_JSON(records["interfaces"], expected["interfaces"]);
        QCOMPARE_JSON(records["downCount"], 1);

        const QString inputFile =
            write("view-input.json", {{"deviceName", "edge-rtr-07"},
                                      {"interfaces", records["interfaces"]},
                                      {"downInterfaces", records["downInterfaces"]},
                                      {"downCount", records["downCount"]}});
        const Run fromFile =
            runFlowdeck({QStringLiteral("transform"), example("interfaces-review-view.jst.json"),
                         QStringLiteral("--input"), QStringLiteral("@") + inputFile});
        QVERIFY2(fromFile.exitCode == 0, fromFile.err.constData());
        QCOMPARE_JSON(parse(fromFile.out), json({{"header", expected["reviewHeader"]},
                                                 {"body", expected["reviewBody"]}}));
    }

    void runMapsTheAdapterAnswerThroughBothJstsIntoTheViewData()
    {
        const QString store = db("demo.db");
        QCOMPARE(runFlowdeck(QStringList{QStringLiteral("import")} + examples({kRecords, kView}) +
                             QStringList{QStringLiteral("--db"), store})
                     .exitCode,
                 0);
        const Run r =
            runFlowdeck({QStringLiteral("run"), example("review-device-interfaces.workflow.json"),
                         QStringLiteral("--variables"),
                         QStringLiteral("@") + example("review-device-interfaces.variables.json"),
                         QStringLiteral("--mock"), example("review-device-interfaces.mocks.json"),
                         QStringLiteral("--db"), store});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const json job = parse(r.out);
        QCOMPARE_JSON(job["status"], "complete");
        const json expected = exampleJson("review-device-interfaces.expected.json");
        for (const auto &[name, value] : expected.items())
            QCOMPARE_JSON(job["variables"][name], value);
        // Without the ViewData mocked, the job waits there with the view built.
        const json mocks = exampleJson("review-device-interfaces.mocks.json");
        const QString adapterOnly = write("adapter-only.json", {{"a1", mocks["a1"]}});
        const Run waiting = runFlowdeck(
            {QStringLiteral("run"), QStringLiteral("Review device interfaces"),
             QStringLiteral("--variables"), QStringLiteral(R"({"deviceName": "edge-rtr-07"})"),
             QStringLiteral("--mock"), adapterOnly, QStringLiteral("--db"), store});
        QCOMPARE(waiting.exitCode, 1);
        QVERIFY2(waiting.err.contains("c1 (Review interfaces)"), waiting.err.constData());
        QCOMPARE_JSON(parse(waiting.out)["variables"]["reviewBody"], expected["reviewBody"]);
    }

    // A Pre-Built's next release ships the same JST name under a new _id, and its workflow
    // names the new _id. --replace gives the name to the new _id, keeps the old JST for what
    // still runs it, and the new workflow runs; the hint never names a flag already given.
    void importReplaceAcrossIds()
    {
        const QString store = db("releases.db");
        QCOMPARE(runFlowdeck(QStringList{QStringLiteral("import")} +
                             examples({kWorkflow, kRecords, kView}) +
                             QStringList{QStringLiteral("--db"), store})
                     .exitCode,
                 0);
        json records = exampleJson("netbox-interfaces-to-records.jst.json");
        records["_id"] = "65e1c0ffee0000000000b0a1";
        json workflow = exampleJson("review-device-interfaces.workflow.json");
        for (auto &[key, task] : workflow["tasks"].items())
            if (task.value("name", std::string()) == "transformation" &&
                task["variables"]["incoming"]["tr_id"] == "65e1c0ffee0000000000b001")
                task["variables"]["incoming"]["tr_id"] = "65e1c0ffee0000000000b0a1";
        const QString nextJst = write("records-next.jst.json", records);
        const QString nextWorkflow = write("review-next.workflow.json", workflow);

        const Run refused = runFlowdeck(
            {QStringLiteral("import"), nextJst, nextWorkflow, QStringLiteral("--db"), store});
        QCOMPARE(refused.exitCode, 1);
        QVERIFY2(refused.err.contains("65e1c0ffee0000000000b001") &&
                     refused.err.contains("--replace"),
                 refused.err.constData());

        const Run replaced =
            runFlowdeck({QStringLiteral("import"), nextJst, nextWorkflow, QStringLiteral("--db"),
                         store, QStringLiteral("--replace")});
        QVERIFY2(replaced.exitCode == 0, replaced.err.constData());
        QVERIFY2(!replaced.err.contains("--replace"), replaced.err.constData());
        QVERIFY2(
            replaced.out.contains("\"NetBox interfaces to records (65e1c0ffee0000000000b001)\""),
            replaced.out.constData());
        const Run byName =
            runFlowdeck({QStringLiteral("export"), QStringLiteral("NetBox interfaces to records"),
                         QStringLiteral("--db"), store});
        QCOMPARE_JSON(parse(byName.out)["_id"], "65e1c0ffee0000000000b0a1");
        const Run old = runFlowdeck({QStringLiteral("export"), QStringLiteral("--transformation"),
                                     QStringLiteral("65e1c0ffee0000000000b001"),
                                     QStringLiteral("--db"), store});
        QVERIFY2(old.exitCode == 0, old.err.constData());

        const Run r =
            runFlowdeck({QStringLiteral("run"), QStringLiteral("Review device interfaces"),
                         QStringLiteral("--variables"),
                         QStringLiteral("@") + example("review-device-interfaces.variables.json"),
                         QStringLiteral("--mock"), example("review-device-interfaces.mocks.json"),
                         QStringLiteral("--db"), store});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE_JSON(parse(r.out)["status"], "complete");
    }

    void importWarnsOfAnUnknownTrIdAndRunErrors()
    {
        const QString store = db("no-jst.db");
        const Run imported = runFlowdeck({QStringLiteral("import"),
                                          example("review-device-interfaces.workflow.json"),
                                          QStringLiteral("--db"), store});
        QVERIFY2(imported.exitCode == 0, imported.err.constData());
        QVERIFY2(imported.err.contains("warning: /tasks/b1/variables/incoming/tr_id"),
                 imported.err.constData());
        QVERIFY(imported.err.contains("65e1c0ffee0000000000b001"));
        QVERIFY(imported.err.contains("/tasks/b2/variables/incoming/tr_id"));

        const Run run =
            runFlowdeck({QStringLiteral("run"), QStringLiteral("Review device interfaces"),
                         QStringLiteral("--variables"), QStringLiteral(R"({"deviceName": "x"})"),
                         QStringLiteral("--mock"), example("review-device-interfaces.mocks.json"),
                         QStringLiteral("--db"), store});
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains("65e1c0ffee0000000000b001") &&
                     run.err.contains("not in the store"),
                 run.err.constData());
    }

    void aBadJstImportsNothing()
    {
        const QString store = db("bad.db");
        json bad = exampleJson("interfaces-review-view.jst.json");
        bad["steps"][1]["from"]["name"] = "noSuchVariable";
        const QString file = write("bad-view.jst.json", bad);
        const Run r =
            runFlowdeck({QStringLiteral("import"), example("netbox-interfaces-to-records.jst.json"),
                         file, QStringLiteral("--db"), store});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("nothing was imported"), r.err.constData());
        QVERIFY2(r.err.contains("/steps/1/from/name"), r.err.constData());
        const Run e =
            runFlowdeck({QStringLiteral("export"), QStringLiteral("NetBox interfaces to records"),
                         QStringLiteral("--db"), store});
        QCOMPARE(e.exitCode, 1);
    }

    void transformRefusesBadInput()
    {
        const QString store = db("transform-bad.db");
        const QString file = example("interfaces-review-view.jst.json");
        Run r = runFlowdeck({QStringLiteral("transform"), file, QStringLiteral("--input"),
                             QStringLiteral("{not json")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY(r.err.contains("--input"));
        r = runFlowdeck(
            {QStringLiteral("transform"), file, QStringLiteral("--input"), QStringLiteral("[1]")});
        QCOMPARE(r.exitCode, 2);
        r = runFlowdeck({QStringLiteral("transform"), QStringLiteral("No such JST"),
                         QStringLiteral("--db"), store});
        QCOMPARE(r.exitCode, 1);
        QVERIFY(r.err.contains("No such JST"));
        // validateIncoming names each violation.
        r = runFlowdeck({QStringLiteral("transform"), file, QStringLiteral("--input"),
                         QStringLiteral(R"({"deviceName": 7, "downCount": "one"})"),
                         QStringLiteral("--options"),
                         QStringLiteral(R"({"validateIncoming": true})")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("/deviceName") && r.err.contains("/downCount"), r.err.constData());
        QVERIFY(r.out.isEmpty());
        r = runFlowdeck({QStringLiteral("transform")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY(r.err.contains("transform needs exactly one JST"));
    }
};

QTEST_APPLESS_MAIN(TestCliJst)
#include "TestCliJst.moc"
