// SPDX-License-Identifier: GPL-3.0-or-later
// Runs from elsewhere (seed 001, Marquez's run lifecycle) over real HTTP on 127.0.0.1: create,
// start, complete, fail, abort with `at`, illegal moves answered 409 with the current state,
// the run shape, the job's runs, who may do what, and the external job in the jobs list.
#include "engine/access/AccountService.h"
#include "engine/automations/ExternalRun.h"
#include "tests/engine/http/ServerStack.h"
#include "tests/support/JsonAsserts.h"

#include <QEventLoop>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTemporaryDir>
#include <QTest>

using namespace flowdeck;
using nlohmann::json;
using namespace Qt::StringLiterals;

namespace {

constexpr const char *kPassword = "a long test password 1";

struct Reply
{
    int status = 0;
    json body;
};

} // namespace

class TestExternalRuns : public QObject
{
    Q_OBJECT
    QTemporaryDir m_dir;
    test::ServerStack m_stack;
    QNetworkAccessManager m_nam;

    Reply call(const QByteArray &method, const QString &path, const std::string &user,
               const json &body = nullptr)
    {
        QNetworkRequest request(
            QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(m_stack.port).arg(path)));
        if (!user.empty())
            request.setRawHeader("Authorization",
                                 "Basic " +
                                     QByteArray::fromStdString(user + ":" + kPassword).toBase64());
        QByteArray payload;
        if (!body.is_null()) {
            payload = QByteArray::fromStdString(body.dump());
            request.setRawHeader("Content-Type", "application/json");
        }
        QNetworkReply *reply = m_nam.sendCustomRequest(request, method, payload);
        QEventLoop loop;
        connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
        if (!reply->isFinished())
            loop.exec();
        Reply out;
        out.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        const QByteArray text = reply->readAll();
        out.body = json::parse(text.begin(), text.end(), nullptr, false);
        reply->deleteLater();
        return out;
    }

    static QString runPath(const json &run, const char *move = nullptr)
    {
        QString p = QStringLiteral("/api/v1/jobs/runs/") +
                    QString::fromStdString(run["id"].get<std::string>());
        if (move)
            p += u'/' + QString::fromLatin1(move);
        return p;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_stack.open(m_dir.filePath(QStringLiteral("runs.db")).toStdString()));
        for (const auto &[name, role] : {std::pair{"olga", "operator"}, {"victor", "viewer"}}) {
            access::NewUser u;
            u.username = name;
            u.roles = {role};
            u.password = kPassword;
            QVERIFY(m_stack.accounts->createUser(u).ok());
        }
    }

    void lifecycleWithTimesAndTheExternalJob()
    {
        const QString runs = QStringLiteral("/api/v1/namespaces/ci/jobs/nightly.etl/runs");
        auto created =
            call("POST", runs, "olga", {{"args", {{"email", "me@example.com"}, {"retries", "1"}}}});
        QCOMPARE(created.status, 201);
        const json run = created.body;
        QCOMPARE_JSON(run["state"], "NEW");
        QVERIFY(run["id"].get<std::string>().size() == 36);
        QCOMPARE_JSON(run["args"]["email"], "me@example.com");
        for (const char *key : {"createdAt", "updatedAt"})
            QVERIFY(run[key].is_string());
        for (const char *key : {"startedAt", "endedAt", "durationMs", "nominalStartTime"})
            QVERIFY2(run.contains(key) && run[key].is_null(), key);
        QCOMPARE_JSON(run["facets"], json::object());

        // Completing a run that never started: 409 with the state it is in.
        auto early = call("POST", runPath(run, "complete"), "olga");
        QCOMPARE(early.status, 409);
        QCOMPARE_JSON(early.body["state"], "NEW");

        auto started = call("POST", runPath(run, "start") + u"?at=2026-12-07T10:00:00Z"_s, "olga");
        QCOMPARE(started.status, 200);
        QCOMPARE_JSON(started.body["state"], "RUNNING");
        QCOMPARE_JSON(started.body["startedAt"], "2026-12-07T10:00:00.000Z");
        QCOMPARE(call("POST", runPath(run, "start"), "olga").status, 409);
        // An end before the start is refused, naming `at`.
        auto before =
            call("POST", runPath(run, "complete") + u"?at=2026-12-07T09:00:00Z"_s, "olga");
        QCOMPARE(before.status, 400);

        auto done = call(
            "POST", runPath(run, "complete") + u"?at=2026-12-07T10:00:05.250%2B00:00"_s, "olga");
        QCOMPARE(done.status, 200);
        QCOMPARE_JSON(done.body["state"], "COMPLETED");
        QCOMPARE_JSON(done.body["durationMs"], 5250);
        QCOMPARE_JSON(done.body["endedAt"], "2026-12-07T10:00:05.250Z");
        auto again = call("POST", runPath(run, "start"), "olga");
        QCOMPARE(again.status, 409);
        QCOMPARE_JSON(again.body["state"], "COMPLETED");
        QCOMPARE_JSON(call("GET", runPath(run), "victor").body, done.body);

        // The jobs list shows it as an external job, its status and duration mapped.
        auto jobs = call("GET", QStringLiteral("/operations-manager/jobs?equals[name]=nightly.etl"),
                         "olga");
        QCOMPARE(jobs.status, 200);
        QCOMPARE(jobs.body["data"].size(), std::size_t(1));
        const json job = jobs.body["data"][0];
        QCOMPARE_JSON(job["status"], "complete");
        QCOMPARE_JSON(job["external"]["runId"], run["id"]);
        QCOMPARE_JSON(job["external"]["namespace"], "ci");
        QCOMPARE_JSON(job["metrics"]["end_time"].get<qint64>() -
                          job["metrics"]["start_time"].get<qint64>(),
                      5250);
        QCOMPARE_JSON(job["tasks"], json::object());

        // A second run fails before it starts; an abort of an ended run is refused.
        auto second = call("POST", runs, "olga", json::object());
        QCOMPARE(second.status, 201);
        auto failed = call("POST", runPath(second.body, "fail"), "olga");
        QCOMPARE(failed.status, 200);
        QCOMPARE_JSON(failed.body["state"], "FAILED");
        QVERIFY(failed.body["durationMs"].is_null());
        QCOMPARE(call("POST", runPath(second.body, "abort"), "olga").status, 409);

        auto listed = call("GET", runs, "victor");
        QCOMPARE(listed.status, 200);
        QCOMPARE_JSON(listed.body["totalCount"], 2);
        QCOMPARE_JSON(listed.body["runs"][0]["id"], second.body["id"]); // newest first
        auto errors =
            call("GET", QStringLiteral("/operations-manager/jobs?equals[status]=error"), "olga");
        QCOMPARE_JSON(errors.body["data"][0]["external"]["state"], "FAILED");
    }

    void abortARunningRun()
    {
        auto run = call("POST", QStringLiteral("/api/v1/namespaces/ci/jobs/deploy/runs"), "olga",
                        json::object());
        QCOMPARE(call("POST", runPath(run.body, "start"), "olga").status, 200);
        auto aborted = call("POST", runPath(run.body, "abort"), "olga");
        QCOMPARE_JSON(aborted.body["state"], "ABORTED");
        QVERIFY(aborted.body["durationMs"].is_number());
    }

    void whoMayDoWhatAndBadInput()
    {
        const QString runs = QStringLiteral("/api/v1/namespaces/ci/jobs/x/runs");
        QCOMPARE(call("POST", runs, "").status, 401);
        QCOMPARE(call("POST", runs, "victor", json::object()).status, 403); // startJob
        QCOMPARE(call("GET", runs, "victor").status, 200);                  // getJob
        auto unknown = call("POST", runs, "olga", {{"state", "RUNNING"}});
        QCOMPARE(unknown.status, 400);
        QVERIFY2(unknown.body.dump().find("/state") != std::string::npos,
                 unknown.body.dump().c_str());
        QCOMPARE(call("POST", runs, "olga", {{"args", "no"}}).status, 400);
        QCOMPARE(call("POST", runs, "olga", {{"id", "not-a-uuid"}}).status, 400);
        const std::string fixed = "870492da-ecfb-4be0-91b9-9a89ddd3db90";
        QCOMPARE(call("POST", runs, "olga", {{"id", fixed}}).status, 201);
        QCOMPARE(call("POST", runs, "olga", {{"id", fixed}}).status, 409); // taken
        QCOMPARE(call("POST",
                      QStringLiteral("/api/v1/jobs/runs/") + QString::fromStdString(fixed) +
                          QStringLiteral("/start?at=yesterday"),
                      "olga")
                     .status,
                 400);
        QCOMPARE(call("GET", QStringLiteral("/api/v1/jobs/runs/nope"), "olga").status, 404);
        QCOMPARE(call("POST", QStringLiteral("/api/v1/jobs/runs/nope/start"), "olga").status, 404);
    }

    void movesAreAStateMachine()
    {
        using automations::RunMove;
        QCOMPARE(*automations::nextRunState("NEW", RunMove::Start), std::string("RUNNING"));
        QVERIFY(!automations::nextRunState("NEW", RunMove::Complete));
        QCOMPARE(*automations::nextRunState("NEW", RunMove::Abort), std::string("ABORTED"));
        QCOMPARE(*automations::nextRunState("RUNNING", RunMove::Fail), std::string("FAILED"));
        for (const char *ended : {"COMPLETED", "FAILED", "ABORTED"})
            for (auto m : {RunMove::Start, RunMove::Complete, RunMove::Fail, RunMove::Abort})
                QCOMPARE(automations::nextRunState(ended, m).error().code, ErrorCode::Conflict);
        QCOMPARE(automations::jobStatusOfRun("FAILED"), std::string("error"));
        QCOMPARE(automations::jobStatusOfRun("NEW"), std::string("incomplete"));
        QCOMPARE(*automations::parseIsoTime("2019-05-09T15:17:32.690346"),
                 store::Millis(1557415052690));
        QVERIFY(!automations::parseIsoTime("tomorrow"));
    }

    void cleanupTestCase() { m_stack.close(); }
};

QTEST_GUILESS_MAIN(TestExternalRuns)
#include "TestExternalRuns.moc"
