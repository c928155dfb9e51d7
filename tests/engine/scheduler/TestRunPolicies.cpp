// SPDX-License-Identifier: GPL-3.0-or-later
// An automation's runPolicy on the engine's manual clock, driven through the API as an
// operator's endpoint trigger would be: a burst against max_concurrency_per_key never runs more
// than the limit per key and every job completes; a start the policy refuses is a real queued
// job with its reason, durable across a restart; rate limits, timeouts and version pinning; bad
// policies are 400s naming the field.
#include "engine/access/AccountService.h"
#include "engine/api/EngineApi.h"
#include "engine/runtime/Engine.h"
#include "engine/scheduler/RunPolicy.h"
#include "engine/scheduler/Scheduler.h"
#include "engine/store/SqliteStore.h"
#include "tests/support/SingleTaskWorkflow.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>

#include <map>
#include <memory>
#include <set>

using namespace flowdeck;
using nlohmann::json;

/// Compares JSON values and prints the one found when they differ.
#define JSON_EQ(found, expected)                                                                   \
    QVERIFY2((found) == (expected), ("found " + (found).dump()).c_str())

namespace {

/// workflow_start → a delay of `seconds` → workflow_end: a job that runs until the clock moves.
json delayWorkflow(const char *name, double seconds)
{
    return test::singleTaskWorkflow(name, test::engineTask("delay", {{"time", seconds}}), "d1");
}

} // namespace

class TestRunPolicies : public QObject
{
    Q_OBJECT
    QTemporaryDir m_dir;
    QString m_path;
    int m_count = 0;
    std::int64_t m_now = 0;
    std::unique_ptr<store::SqliteStore> m_store;
    std::unique_ptr<api::WorkflowCatalog> m_catalog;
    std::unique_ptr<runtime::Engine> m_engine;
    std::unique_ptr<access::AccountService> m_accounts;
    std::unique_ptr<api::EngineApi> m_api;
    std::unique_ptr<scheduler::Scheduler> m_scheduler;
    api::Principal m_admin;
    std::string m_workflow;

    api::ApiResponse call(api::Method m, const std::string &path, json body = nullptr)
    {
        api::ApiRequest r;
        r.method = m;
        r.path = path;
        r.body = std::move(body);
        r.principal = m_admin;
        return m_api->dispatch(std::move(r));
    }

    void open()
    {
        auto opened = store::SqliteStore::open(m_path.toStdString());
        QVERIFY(opened.ok());
        m_store = std::move(*opened);
        m_catalog = std::make_unique<api::WorkflowCatalog>(*m_store);
        m_engine = std::make_unique<runtime::Engine>(*m_store, [this] { return m_now; });
        m_accounts = std::make_unique<access::AccountService>(*m_store);
        m_api = std::make_unique<api::EngineApi>(
            api::EngineContext{*m_store, *m_catalog, m_engine.get(), m_accounts.get()});
        m_scheduler = std::make_unique<scheduler::Scheduler>(*m_store, *m_engine);
        auto admin = m_accounts->ensureLocalAccount("ada");
        QVERIFY(admin.ok());
        m_admin = *admin;
    }

    void close()
    {
        m_scheduler.reset();
        m_api.reset();
        m_accounts.reset();
        m_engine.reset();
        m_catalog.reset();
        m_store.reset();
    }

    /// An automation of the delay workflow (or `workflow`) with `policy` and an endpoint
    /// trigger `route`.
    std::string automation(const std::string &route, json policy, std::string workflow = {})
    {
        auto a = call(api::Method::Post, "/operations-manager/automations",
                      {{"name", "Port turn-up " + route},
                       {"componentId", workflow.empty() ? m_workflow : workflow},
                       {"runPolicy", std::move(policy)}});
        if (a.status != 200)
            qWarning("automation: %s", a.json.dump().c_str());
        const std::string id = a.json["data"].value("_id", std::string());
        auto t = call(api::Method::Post, "/operations-manager/triggers",
                      {{"name", route},
                       {"type", "endpoint"},
                       {"actionType", "automations"},
                       {"actionId", id},
                       {"routeName", route}});
        if (t.status != 200)
            qWarning("trigger: %s", t.json.dump().c_str());
        return id;
    }

    json fire(const std::string &route, json body)
    {
        auto r = call(api::Method::Post, "/operations-manager/triggers/endpoint/" + route,
                      std::move(body));
        if (r.status != 200)
            qWarning("fire: %s", r.json.dump().c_str());
        return r.json.value("data", json());
    }

    /// Moves the clock, lets due delays finish, and lets the queue move on as the engine's
    /// event loop and the scheduler's tick would.
    void advance(std::int64_t ms)
    {
        m_now += ms;
        m_engine->runDueTimers();
        QCoreApplication::processEvents();
        auto n = m_scheduler->tick();
        if (!n)
            qWarning("tick: %s", n.error().message.c_str());
    }

    std::vector<store::JobRecord> jobs(const char *status)
    {
        store::JobQuery q;
        q.limit = 1000;
        q.status = status;
        auto page = m_store->listJobs(q);
        return page ? page->items : std::vector<store::JobRecord>{};
    }

    std::string status(const std::string &jobId)
    {
        auto job = m_store->job(jobId);
        return job ? job->status : "missing";
    }

private Q_SLOTS:
    void init()
    {
        m_now = 1'800'000'000'000;
        m_path = m_dir.filePath(QStringLiteral("policies-%1.db").arg(++m_count));
        open();
        auto wf = m_store->saveWorkflow(*model::Workflow::fromJson(delayWorkflow("Turn-up", 10)),
                                        std::string("ada"), true);
        QVERIFY(wf.ok());
        m_workflow = wf->id;
    }

    void cleanup() { close(); }

    void badPoliciesNameTheirField_data()
    {
        QTest::addColumn<QByteArray>("policy");
        QTest::addColumn<QString>("pointer");
        QTest::newRow("not a number")
            << QByteArray(R"({"max_concurrency": "3"})") << "/runPolicy/max_concurrency";
        QTest::newRow("zero") << QByteArray(R"({"timeout_secs": 0})") << "/runPolicy/timeout_secs";
        QTest::newRow("per key without key") << QByteArray(R"({"max_concurrency_per_key": 2})")
                                             << "/runPolicy/max_concurrency_per_key";
        QTest::newRow("key not a pointer")
            << QByteArray(R"({"concurrency_key": "device"})") << "/runPolicy/concurrency_key";
        QTest::newRow("rate without window")
            << QByteArray(R"({"rate_limit_max": 5})") << "/runPolicy/rate_limit_window_secs";
        QTest::newRow("unknown version policy")
            << QByteArray(R"({"version_policy": "newest"})") << "/runPolicy/version_policy";
        QTest::newRow("window not a cron")
            << QByteArray(R"({"execution_window_cron": "* 25 * * *"})")
            << "/runPolicy/execution_window_cron";
        QTest::newRow("window with seconds")
            << QByteArray(R"({"execution_window_cron": "0 * 22 * * *"})")
            << "/runPolicy/execution_window_cron";
        QTest::newRow("zone without window")
            << QByteArray(R"({"timezone": "Europe/Berlin"})") << "/runPolicy/timezone";
        QTest::newRow("unknown zone")
            << QByteArray(R"({"execution_window_cron": "* 22 * * *", "timezone": "Mars/Olympus"})")
            << "/runPolicy/timezone";
        QTest::newRow("unknown strategy")
            << QByteArray(R"({"max_attempts": 3, "retry_strategy": "linear"})")
            << "/runPolicy/retry_strategy";
        QTest::newRow("negative delay")
            << QByteArray(R"({"max_attempts": 3, "retry_delays_secs": [-1]})")
            << "/runPolicy/retry_delays_secs";
        QTest::newRow("delays without attempts")
            << QByteArray(R"({"retry_delays_secs": [5]})") << "/runPolicy/retry_delays_secs";
        QTest::newRow("unknown field")
            << QByteArray(R"({"max_concurency": 2})") << "/runPolicy/max_concurency";
    }

    void badPoliciesNameTheirField()
    {
        QFETCH(QByteArray, policy);
        QFETCH(QString, pointer);
        auto r = call(api::Method::Post, "/operations-manager/automations",
                      {{"name", "bad"},
                       {"componentId", m_workflow},
                       {"runPolicy", json::parse(policy.toStdString())}});
        QCOMPARE(r.status, 400);
        const std::string named = "\"instancePath\":\"" + pointer.toStdString() + "\"";
        QVERIFY2(r.json.dump().find(named) != std::string::npos, r.json.dump().c_str());
        // And on PATCH: the stored automation is left as it was.
        const std::string id = automation("ok", {{"max_concurrency", 1}});
        auto p = call(api::Method::Patch, "/operations-manager/automations/" + id,
                      {{"runPolicy", json::parse(policy.toStdString())}});
        QCOMPARE(p.status, 400);
        JSON_EQ(m_store->automationById(id)->document["runPolicy"]["max_concurrency"], json(1));
    }

    void aBurstNeverRunsMoreThanTheLimitPerKey()
    {
        automation("turnup", {{"concurrency_key", "/device"}, {"max_concurrency_per_key", 2}});
        std::map<std::string, std::string> keyOf; // job id → device
        for (int i = 0; i < 50; ++i) {
            const std::string device = "dist-sw-0" + std::to_string(i % 5);
            const json job = fire("turnup", {{"device", device}});
            QVERIFY(job.contains("_id"));
            keyOf[job["_id"]] = device;
        }
        QCOMPARE(keyOf.size(), std::size_t(50));
        // 2 per key run, the other 40 wait as real jobs saying why.
        QCOMPARE(jobs("running").size(), std::size_t(10));
        const auto queued = jobs("queued");
        QCOMPARE(queued.size(), std::size_t(40));
        const std::string reason = queued.front().document.value("statusReason", std::string());
        QVERIFY2(reason.starts_with("2 of 2 running for key dist-sw-0"), reason.c_str());
        auto api = call(api::Method::Get, "/operations-manager/jobs/" + queued.front().id);
        QCOMPARE(api.status, 200);
        JSON_EQ(api.json["data"]["status"], json("queued"));

        int rounds = 0;
        while (jobs("complete").size() < 50 && rounds < 100) {
            advance(5'000);
            ++rounds;
            std::map<std::string, int> running;
            for (const auto &job : jobs("running"))
                ++running[keyOf[job.id]];
            for (const auto &[device, n] : running)
                QVERIFY2(n <= 2, (device + " runs " + std::to_string(n)).c_str());
        }
        QCOMPARE(jobs("complete").size(), std::size_t(50));
        QVERIFY(jobs("queued").empty());
        // Ten per key, two at a time, ten seconds each: five waves of ten seconds.
        QVERIFY2(rounds <= 11, std::to_string(rounds).c_str());
        // A job that waited says so in its run: the last of a key waited four waves.
        std::int64_t longest = 0;
        for (const auto &job : jobs("complete")) {
            const json &run = job.document["run"];
            JSON_EQ(run["concurrencyKey"], json(keyOf[job.id]));
            longest = std::max<std::int64_t>(longest, run.value("queuedFor", 0));
        }
        QVERIFY2(longest >= 40'000, std::to_string(longest).c_str());
    }

    void aQueuedJobSurvivesARestartAndThenStarts()
    {
        automation("once", {{"max_concurrency", 1}});
        const json first = fire("once", {{"n", 1}});
        const json second = fire("once", {{"n", 2}});
        JSON_EQ(first["status"], json("running"));
        JSON_EQ(second["status"], json("queued"));
        JSON_EQ(second["statusReason"], json("1 of 1 running"));
        // The process goes away while one runs and one waits; what was committed is all there is.
        close();
        open();
        QVERIFY(m_engine->recover().ok());
        QCOMPARE(status(second["_id"]), std::string("queued"));
        advance(1'000);
        QCOMPARE(status(second["_id"]), std::string("queued"));
        advance(10'000); // the first's delay ends; the second starts under its own id
        QCOMPARE(status(first["_id"]), std::string("complete"));
        QCOMPARE(status(second["_id"]), std::string("running"));
        advance(10'000);
        QCOMPARE(status(second["_id"]), std::string("complete"));
        auto doc = m_store->job(second["_id"]);
        JSON_EQ(doc->document["variables"]["n"], json(2));
    }

    void aQueuedJobCanBeCanceledButNotPaused()
    {
        automation("one", {{"max_concurrency", 1}});
        const std::string first = fire("one", json::object())["_id"];
        const std::string second = fire("one", json::object())["_id"];
        auto paused = call(api::Method::Post, "/operations-manager/jobs/pause",
                           {{"jobIds", json::array({second})}});
        QVERIFY2(paused.json.dump().find("can only be canceled") != std::string::npos,
                 paused.json.dump().c_str());
        QCOMPARE(status(second), std::string("queued"));
        auto canceled = call(api::Method::Post, "/operations-manager/jobs/cancel",
                             {{"jobIds", json::array({second})}});
        QCOMPARE(canceled.status, 200);
        QCOMPARE(status(second), std::string("canceled"));
        JSON_EQ(m_store->job(second)->document["statusReason"],
                json("canceled by ada while queued"));
        // Its log says so, with who did it.
        auto events = m_store->jobEvents(second, 0, 100);
        QVERIFY(events.ok() && !events->empty());
        QCOMPARE(events->back().kind, std::string("jobStatus"));
        JSON_EQ(events->back().data["status"], json("canceled"));
        QCOMPARE(events->back().actor.value_or(""), std::string("ada"));
        advance(10'000);
        QCOMPARE(status(first), std::string("complete"));
        QCOMPARE(status(second), std::string("canceled")); // never started
    }

    void aStartOutsideTheWindowWaitsForItToOpen()
    {
        automation("night", {{"execution_window_cron", "* 22-23,0-3 * * MON-FRI"},
                             {"timezone", "Europe/Berlin"}});
        const QTimeZone berlin("Europe/Berlin");
        // Monday 7 December 2026, noon in Berlin.
        m_now = QDateTime(QDate(2026, 12, 7), QTime(12, 0), berlin).toMSecsSinceEpoch();
        const json job = fire("night", json::object());
        JSON_EQ(job["status"], json("queued"));
        JSON_EQ(job["statusReason"], json("outside the window \"* 22-23,0-3 * * MON-FRI\" "
                                          "Europe/Berlin; it opens Mon 2026-12-07 22:00 CET"));
        const std::string id = job["_id"];
        advance(9 * 3600'000 + 59 * 60'000); // 21:59
        QCOMPARE(status(id), std::string("queued"));
        advance(60'000); // 22:00: the window's first minute
        QCOMPARE(status(id), std::string("running"));
        // Saturday 01:00 is outside: the day-of-week field holds for every minute.
        m_now = QDateTime(QDate(2026, 12, 12), QTime(1, 0), berlin).toMSecsSinceEpoch();
        const std::string saturday = fire("night", json::object())["_id"];
        QCOMPARE(status(saturday), std::string("queued"));
        // Tuesday 03:59 is inside: the tick starts Saturday's job, and a new start runs at once.
        m_now = QDateTime(QDate(2026, 12, 15), QTime(3, 59, 10), berlin).toMSecsSinceEpoch();
        advance(0);
        QCOMPARE(status(saturday), std::string("running"));
        JSON_EQ(fire("night", json::object())["status"], json("running"));
    }

    void aJobInErrorIsRetriedAsLinkedAttempts()
    {
        json flaky = delayWorkflow("Flaky", 1);
        flaky["tasks"]["d1"] = {{"name", "stub"},
                                {"app", "WorkFlowEngine"},
                                {"type", "automatic"},
                                {"variables",
                                 {{"incoming", {{"type", "error"}, {"response", "device busy"}}},
                                  {"outgoing", json::object()}}}};
        auto wf =
            m_store->saveWorkflow(*model::Workflow::fromJson(flaky), std::string("ada"), true);
        QVERIFY(wf.ok());
        automation(
            "flaky",
            {{"max_attempts", 3}, {"retry_strategy", "exponential"}, {"retry_delays_secs", {10}}},
            wf->id);
        const std::string first = fire("flaky", {{"device", "sw-9"}})["_id"];
        QCOMPARE(status(first), std::string("error"));
        // The process dies before the scheduler sees the end: the retry is not lost.
        close();
        open();
        QVERIFY(m_engine->recover().ok());
        advance(0); // the end is seen: attempt 2 waits 10 s
        advance(0); // and is seen once: no second attempt 2
        auto queued = jobs("queued");
        QCOMPARE(queued.size(), std::size_t(1));
        const std::string second = queued.front().id;
        const json &run = queued.front().document["run"];
        JSON_EQ(run["attempt"], json(2));
        JSON_EQ(run["firstJobId"], json(first));
        const std::string reason = queued.front().document.value("statusReason", "");
        QVERIFY2(reason.starts_with("attempt 2 of 3: job " + first + " ended in error"),
                 reason.c_str());
        QVERIFY2(reason.find("(exponential backoff)") != std::string::npos, reason.c_str());
        advance(4'000);
        // A restart while it backs off: it keeps its instant.
        close();
        open();
        QVERIFY(m_engine->recover().ok());
        advance(5'000);
        QCOMPARE(status(second), std::string("queued"));
        QCOMPARE(jobs("queued").size(), std::size_t(1));
        advance(1'000);
        QCOMPARE(status(second), std::string("error")); // ran, under its own id, and failed
        auto api = call(api::Method::Get, "/operations-manager/jobs/" + second);
        JSON_EQ(api.json["data"]["run"]["attempt"], json(2));
        JSON_EQ(api.json["data"]["run"]["firstJobId"], json(first));
        JSON_EQ(api.json["data"]["variables"]["device"], json("sw-9"));
        advance(0); // attempt 3 waits twice as long
        const std::string third = jobs("queued").front().id;
        advance(19'000);
        QCOMPARE(status(third), std::string("queued"));
        advance(1'000);
        QCOMPARE(status(third), std::string("error"));
        advance(60'000); // no fourth: max_attempts counts every job, the first included
        QVERIFY(jobs("queued").empty());
        QCOMPARE(jobs("error").size(), std::size_t(3));
        JSON_EQ(m_store->job(third)->document["run"]["attempt"], json(3));
    }

    void retryDelaysFollowTheStrategy()
    {
        auto policyOf = [](json p) { return scheduler::RunPolicy::of({{"runPolicy", p}}); };
        const auto fixed = policyOf({{"max_attempts", 5}, {"retry_delays_secs", {5, 30}}});
        QCOMPARE(fixed.retryDelayMs(1), std::int64_t(5'000));
        QCOMPARE(fixed.retryDelayMs(2), std::int64_t(30'000));
        QCOMPARE(fixed.retryDelayMs(4), std::int64_t(30'000)); // the last repeats
        const auto exp = policyOf(
            {{"max_attempts", 40}, {"retry_strategy", "exponential"}, {"retry_delays_secs", {3}}});
        QCOMPARE(exp.retryDelayMs(1), std::int64_t(3'000));
        QCOMPARE(exp.retryDelayMs(4), std::int64_t(24'000));
        QCOMPARE(exp.retryDelayMs(39), std::int64_t(86'400'000)); // at most a day
        const auto jitter = policyOf({{"max_attempts", 9},
                                      {"retry_strategy", "exponential_jitter"},
                                      {"retry_delays_secs", {8}}});
        std::set<std::int64_t> seen;
        for (int i = 0; i < 200; ++i) {
            const auto d = jitter.retryDelayMs(3); // between half of 32 s and 32 s
            QVERIFY2(d >= 16'000 && d <= 32'000, std::to_string(d).c_str());
            seen.insert(d);
        }
        QVERIFY(seen.size() > 50); // spread, so failed jobs do not retry in step
    }

    void theRateLimitSpacesStarts()
    {
        automation("rate", {{"rate_limit_max", 2}, {"rate_limit_window_secs", 60}});
        std::vector<std::string> ids;
        for (int i = 0; i < 5; ++i)
            ids.push_back(fire("rate", {{"i", i}})["_id"]);
        QCOMPARE(status(ids[1]), std::string("running"));
        QCOMPARE(status(ids[2]), std::string("queued"));
        JSON_EQ(m_store->job(ids[2])->document["statusReason"],
                json("2 of 2 starts in the last 60 s (rate limit)"));
        advance(30'000);
        QCOMPARE(status(ids[2]), std::string("queued"));
        advance(30'000); // the first two started exactly 60 s ago: out of the window
        QCOMPARE(status(ids[2]), std::string("running"));
        QCOMPARE(status(ids[3]), std::string("running"));
        QCOMPARE(status(ids[4]), std::string("queued"));
        advance(60'000);
        QCOMPARE(status(ids[4]), std::string("running"));
    }

    void aJobPastItsTimeoutIsCanceledWithTheReason()
    {
        automation("slow", {{"timeout_secs", 5}});
        const std::string id = fire("slow", json::object())["_id"];
        advance(4'000);
        QCOMPARE(status(id), std::string("running"));
        advance(1'000);
        QCOMPARE(status(id), std::string("canceled"));
        auto doc = m_store->job(id);
        const std::string message = doc->document["error"].back().value("message", std::string());
        QVERIFY2(message.find("timeout_secs (5 s)") != std::string::npos, message.c_str());
        JSON_EQ(doc->document["last_updated_by"], json("Flowdeck run policy"));
    }

    void pinRunsTheVersionSavedWithTheTrigger()
    {
        automation("pinned", {{"version_policy", "pin"}});
        // The workflow changes after the trigger was saved: its delay becomes a minute.
        auto changed = m_store->saveWorkflow(
            *model::Workflow::fromJson(delayWorkflow("Turn-up", 60)), std::string("ada"), true);
        QVERIFY(changed.ok());
        QCOMPARE(changed->version, 2);
        const std::string id = fire("pinned", json::object())["_id"];
        advance(10'000);
        QCOMPARE(status(id), std::string("complete")); // version 1's ten seconds
        // latest runs the new version.
        automation("latest", json::object());
        const std::string late = fire("latest", json::object())["_id"];
        advance(10'000);
        QCOMPARE(status(late), std::string("running"));
    }
};

QTEST_GUILESS_MAIN(TestRunPolicies)
#include "TestRunPolicies.moc"
