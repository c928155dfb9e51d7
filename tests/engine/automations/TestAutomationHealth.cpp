// SPDX-License-Identifier: GPL-3.0-or-later
// Health per automation: the figures from a known list of runs, and the route over jobs that
// real triggers started (the link of automation_runs), with the next run of a schedule.
#include "AutomationsFixture.h"
#include "tests/support/JsonAsserts.h"

#include "engine/automations/AutomationHealth.h"

#include <QTest>

using namespace flowdeck;
using namespace flowdeck::test;
using api::Method;
using store::AutomationJobRecord;

namespace {

constexpr store::Millis kDay = 86'400'000;

AutomationJobRecord runOf(const std::string &status, store::Millis start, store::Millis length)
{
    AutomationJobRecord r;
    r.jobId = "job-" + std::to_string(start);
    r.status = status;
    r.createdAt = start;
    r.startTime = start;
    if (status != "running")
        r.endTime = start + length;
    return r;
}

} // namespace

class TestAutomationHealth : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void percentileIsTheNearestRank()
    {
        const std::vector<store::Millis> ten{1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        QCOMPARE(automations::percentile(ten, 50), store::Millis(5));
        QCOMPARE(automations::percentile(ten, 95), store::Millis(10));
        QCOMPARE(automations::percentile(ten, 10), store::Millis(1));
        QCOMPARE(automations::percentile({42}, 95), store::Millis(42));
    }

    void figuresFromRuns()
    {
        const store::Millis now = 100 * kDay + 12 * 3'600'000;
        // Newest first: two errors since the last complete, a canceled one between them.
        std::vector<AutomationJobRecord> runs{
            runOf("error", now - 1000, 400),         runOf("canceled", now - 2000, 100),
            runOf("error", now - 3000, 300),         runOf("complete", now - kDay, 2000),
            runOf("complete", now - 2 * kDay, 1000), runOf("running", now - 500, 0)};
        std::rotate(runs.begin(), runs.end() - 1, runs.end()); // the running one is newest
        const auto h = automations::automationHealth(runs, now, 7, now + 60'000);
        QCOMPARE_JSON(h["runs"], 6);
        QCOMPARE_JSON(h["finished"], 5);
        QCOMPARE_JSON(h["successRate"], 0.4);
        QCOMPARE_JSON(h["consecutiveFailures"], 2);
        // round(100 × 0.4 × 0.8²) = 26
        QCOMPARE_JSON(h["score"], 26);
        QCOMPARE_JSON(h["state"], "failing");
        // Durations of the five that ended: 100 300 400 1000 2000.
        QCOMPARE_JSON(h["p50DurationMs"], 400);
        QCOMPARE_JSON(h["p95DurationMs"], 2000);
        QCOMPARE_JSON(h["lastRun"]["status"], "running");
        QVERIFY(h["nextRunAt"].is_string());
        QCOMPARE(h["series"]["days"].size(), std::size_t(7));
        const json today = h["series"]["days"].back();
        QCOMPARE_JSON(today["error"], 2);
        QCOMPARE_JSON(today["canceled"], 1);
        QCOMPARE_JSON(today["running"], 1);
        QCOMPARE_JSON(h["series"]["days"][5]["complete"], 1);
        // Oldest first, one point per run that has both times.
        QCOMPARE(h["series"]["durations"].size(), std::size_t(5));
        QVERIFY(h["series"]["durations"][0]["at"] < h["series"]["durations"][4]["at"]);
    }

    void noFinishedRunHasNoScore()
    {
        const auto h = automations::automationHealth({}, 10 * kDay, 30, std::nullopt);
        QVERIFY(h["score"].is_null());
        QVERIFY(h["successRate"].is_null());
        QVERIFY(h["p95DurationMs"].is_null());
        QCOMPARE_JSON(h["state"], "unknown");
        QVERIFY(h["lastRun"].is_null());
        QVERIFY(h["nextRunAt"].is_null());
    }

    void healthRouteReadsTheJobsTriggersStarted()
    {
        AutomationsFixture f;
        auto [good, goodTrigger] = f.automation("backup", "Backup");
        auto [bad, badTrigger] = f.automation("flaky", "Fails");
        for (int i = 0; i < 3; ++i) {
            f.run(goodTrigger);
            f.clock += 1000;
        }
        f.run(badTrigger);
        f.run(badTrigger);
        // A schedule of the good one: its next run is the automation's.
        auto schedule = f.call(Method::Post, "/operations-manager/triggers",
                               {{"name", "hourly"},
                                {"type", "schedule"},
                                {"actionId", good},
                                {"cron", "0 * * * *"},
                                {"timezone", "Europe/Berlin"}});
        QCOMPARE(schedule.status, 200);

        auto h = f.call(Method::Get, "/operations-manager/automations/" + good + "/health");
        QCOMPARE(h.status, 200);
        QCOMPARE_JSON(h.json["data"]["runs"], 3);
        QCOMPARE_JSON(h.json["data"]["successRate"], 1.0);
        QCOMPARE_JSON(h.json["data"]["score"], 100);
        QCOMPARE_JSON(h.json["data"]["state"], "healthy");
        QCOMPARE_JSON(h.json["data"]["byStatus"]["complete"], 3);
        QVERIFY(h.json["data"]["nextRunAt"].is_string());
        QCOMPARE(h.json["data"]["series"]["days"].size(), std::size_t(30));

        auto b = f.call(Method::Get, "/operations-manager/automations/" + bad + "/health", nullptr,
                        {{"days", "7"}});
        QCOMPARE(b.status, 200);
        QCOMPARE_JSON(b.json["data"]["runs"], 2);
        QCOMPARE_JSON(b.json["data"]["consecutiveFailures"], 2);
        QCOMPARE_JSON(b.json["data"]["score"], 0);
        QCOMPARE_JSON(b.json["data"]["lastRun"]["status"], "error");
        QVERIFY(b.json["data"]["nextRunAt"].is_null());

        // The window is the engine's clock's: 40 days later the runs are out of it.
        f.clock += 40 * kDay;
        auto later = f.call(Method::Get, "/operations-manager/automations/" + good + "/health");
        QCOMPARE_JSON(later.json["data"]["runs"], 0);
        QCOMPARE(f.call(Method::Get, "/operations-manager/automations/" + good + "/health", nullptr,
                        {{"days", "0"}})
                     .status,
                 400);
        QCOMPARE(
            f.call(Method::Get, "/operations-manager/automations/0123456789abcdef01234567/health")
                .status,
            404);
    }
};

QTEST_GUILESS_MAIN(TestAutomationHealth)
#include "TestAutomationHealth.moc"
