// SPDX-License-Identifier: GPL-3.0-or-later
// Schedule triggers fire on the engine's clock: created through the API as an operator would,
// ticked with a manual clock. Each instant starts one job, once; missed instants follow the
// trigger's policy and are recorded; a restart in the window between the job's commit and the
// next-run update starts nothing twice; the API previews fire times and names bad fields.
#include "engine/access/AccountService.h"
#include "engine/api/EngineApi.h"
#include "engine/runtime/Engine.h"
#include "engine/scheduler/Scheduler.h"
#include "engine/store/SqliteStore.h"
#include "tests/support/SingleTaskWorkflow.h"

#include <QDateTime>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>

#include <memory>
#include <set>

using namespace flowdeck;
using nlohmann::json;

namespace {

json stampWorkflow()
{
    return test::singleTaskWorkflow(
        "Nightly Backup", test::engineTask("newVariable", {{"name", "ran"}, {"value", true}}));
}

} // namespace

class TestScheduler : public QObject
{
    Q_OBJECT
    QTemporaryDir m_dir;
    std::string m_path;
    int m_count = 0;
    std::int64_t m_now = 0;
    std::unique_ptr<store::SqliteStore> m_store;
    std::unique_ptr<api::WorkflowCatalog> m_catalog;
    std::unique_ptr<runtime::Engine> m_engine;
    std::unique_ptr<access::AccountService> m_accounts;
    std::unique_ptr<api::EngineApi> m_api;
    std::unique_ptr<scheduler::Scheduler> m_scheduler;
    api::Principal m_admin;
    std::string m_automation;

    api::ApiResponse call(api::Method m, const std::string &path, json body = nullptr,
                          std::multimap<std::string, std::string> query = {})
    {
        api::ApiRequest r;
        r.method = m;
        r.path = path;
        r.body = std::move(body);
        r.query = std::move(query);
        r.principal = m_admin;
        return m_api->dispatch(std::move(r));
    }

    /// Creates a schedule trigger with `fields` on the automation (the fixture's by default);
    /// its id.
    std::string schedule(json fields, std::string automation = {})
    {
        if (automation.empty())
            automation = m_automation;
        fields["name"] = "nightly " + std::to_string(++m_count);
        fields["type"] = "schedule";
        fields["actionType"] = "automations";
        fields["actionId"] = automation;
        auto r = call(api::Method::Post, "/operations-manager/triggers", fields);
        if (r.status != 200)
            qWarning("create: %s", r.json.dump().c_str());
        return r.json["data"].value("_id", std::string());
    }

    std::int64_t jobCount()
    {
        store::JobQuery q;
        q.limit = 1;
        return m_store->listJobs(q)->total;
    }

    std::vector<store::TriggerFireRecord> fires(const std::string &trigger)
    {
        auto f = m_store->triggerFires(trigger, 10'000);
        return f ? *f : std::vector<store::TriggerFireRecord>{};
    }

    int outcomes(const std::string &trigger, const char *outcome)
    {
        int n = 0;
        for (const auto &f : fires(trigger))
            n += f.outcome == outcome;
        return n;
    }

    /// Moves the clock minute by minute up to `ms` ahead, ticking after each step.
    int runFor(std::int64_t ms, std::int64_t step = 60'000)
    {
        int started = 0;
        for (std::int64_t until = m_now + ms; m_now < until;) {
            m_now = std::min(until, m_now + step);
            auto n = m_scheduler->tick();
            if (!n)
                qWarning("tick: %s", n.error().message.c_str());
            started += n ? *n : 0;
        }
        return started;
    }

private Q_SLOTS:
    void init()
    {
        // The API reads the system clock for nextRunAt; the engine's clock starts there.
        m_now = QDateTime::currentMSecsSinceEpoch();
        m_path = m_dir.filePath(QStringLiteral("scheduler-%1.db").arg(++m_count)).toStdString();
        auto opened = store::SqliteStore::open(m_path);
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
        auto wf = m_store->saveWorkflow(*model::Workflow::fromJson(stampWorkflow()),
                                        std::string("ada"), true);
        QVERIFY(wf.ok());
        auto a =
            call(api::Method::Post, "/operations-manager/automations",
                 {{"name", "Nightly"}, {"componentType", "workflows"}, {"componentId", wf->id}});
        QVERIFY2(a.status == 200, a.json.dump().c_str());
        m_automation = a.json["data"]["_id"];
    }

    void cleanup()
    {
        m_scheduler.reset();
        m_api.reset();
        m_accounts.reset();
        m_engine.reset();
        m_catalog.reset();
        m_store.reset();
    }

    void eachCronInstantStartsOneJobOnce()
    {
        const std::string id = schedule({{"cron", "*/5 * * * *"}, {"timezone", "Europe/Berlin"}});
        QVERIFY(!id.empty());
        QSignalSpy fired(m_scheduler.get(), &scheduler::Scheduler::fired);
        const int started = runFor(30 * 60'000);
        QCOMPARE(started, 6);
        QCOMPARE(fired.count(), 6);
        QCOMPARE(jobCount(), std::int64_t(6));
        std::set<std::int64_t> instants;
        for (const auto &f : fires(id)) {
            QCOMPARE(QString::fromStdString(f.outcome), QStringLiteral("started"));
            QVERIFY(f.jobId.has_value());
            QCOMPARE(f.scheduledAt % (5 * 60'000), std::int64_t(0));
            instants.insert(f.scheduledAt);
            auto job = m_store->job(*f.jobId);
            QVERIFY(job.ok());
            QVERIFY(job->document.value("description", std::string())
                        .find("schedule trigger \"nightly") != std::string::npos);
        }
        QCOMPARE(instants.size(), std::size_t(6));
        // Ticking again at the same moment starts nothing.
        QCOMPARE(*m_scheduler->tick(), 0);
        QCOMPARE(jobCount(), std::int64_t(6));
        // The trigger says when it ran and when it runs next.
        auto trigger = m_store->triggerById(id);
        QVERIFY(trigger->lastExecuted.value_or(0) > m_now - 5 * 60'000);
        QVERIFY(*trigger->nextRunAt > m_now && *trigger->nextRunAt <= m_now + 5 * 60'000);
    }

    // A busy minute: its triggers are handled in groups, a transaction each. A job is announced
    // only once committed (another connection reads it then), and a trigger whose job cannot
    // start is recorded as failed without undoing the others of its group.
    void aBusyMinuteCommitsInGroupsAndAnnouncesOnlyCommittedJobs()
    {
        json strict = stampWorkflow();
        strict["name"] = "Bench Strict";
        strict["inputSchema"] = {{"type", "object"}, {"required", {"ticket"}}};
        auto wf =
            m_store->saveWorkflow(*model::Workflow::fromJson(strict), std::string("ada"), true);
        QVERIFY(wf.ok());
        auto a =
            call(api::Method::Post, "/operations-manager/automations",
                 {{"name", "Strict"}, {"componentType", "workflows"}, {"componentId", wf->id}});
        QVERIFY2(a.status == 200, a.json.dump().c_str());
        const int kTriggers = 240; // more than one group
        std::vector<std::string> ids;
        for (int i = 0; i < kTriggers; ++i) {
            ids.push_back(schedule({{"cron", "* * * * *"}}));
            if (i == kTriggers / 2)
                ids.push_back(schedule({{"cron", "* * * * *"}}, a.json["data"]["_id"]));
        }
        const std::string refused = ids[std::size_t(kTriggers / 2) + 1];

        auto reader = store::SqliteStore::open(m_path);
        QVERIFY(reader.ok());
        int announced = 0;
        int readable = 0;
        connect(m_scheduler.get(), &scheduler::Scheduler::fired, this,
                [&](const QString &, qint64, const QString &job) {
                    ++announced;
                    readable += (*reader)->job(job.toStdString()).ok();
                });
        QCOMPARE(runFor(60'000), kTriggers);
        QCOMPARE(announced, kTriggers);
        QCOMPARE(readable, kTriggers);
        QCOMPARE(jobCount(), std::int64_t(kTriggers));
        for (const auto &id : ids)
            QCOMPARE(outcomes(id, id == refused ? "failed" : "started"), 1);
        QVERIFY(fires(refused).front().message.find("ticket") != std::string::npos);
    }

    // Killed after the job's commit and before the next run moved: the restarted scheduler
    // sees the instant again and finds it handled.
    void aHandledInstantNeverStartsTwice()
    {
        const std::string id = schedule({{"cron", "* * * * *"}});
        QCOMPARE(runFor(3 * 60'000), 3);
        const auto handled = fires(id);
        QCOMPARE(handled.size(), std::size_t(3));
        QVERIFY(m_store->setTriggerNextRun(id, handled.back().scheduledAt).ok()); // the oldest
        m_scheduler = std::make_unique<scheduler::Scheduler>(*m_store, *m_engine);
        QCOMPARE(*m_scheduler->tick(), 0);
        QCOMPARE(jobCount(), std::int64_t(3));
        QCOMPARE(fires(id).size(), std::size_t(3));
    }

    void missedRunsFollowThePolicy_data()
    {
        QTest::addColumn<QString>("policy");
        QTest::addColumn<int>("started");
        QTest::addColumn<int>("skipped");
        // An hour down with a run every 5 minutes: 12 instants missed.
        QTest::newRow("none skips them") << "none" << 0 << 12;
        QTest::newRow("last starts the newest") << "last" << 1 << 11;
        QTest::newRow("all starts up to maxMissedRuns") << "all" << 5 << 7;
    }

    void missedRunsFollowThePolicy()
    {
        QFETCH(QString, policy);
        QFETCH(int, started);
        QFETCH(int, skipped);
        json fields = {{"cron", "*/5 * * * *"}, {"processMissedRuns", policy.toStdString()}};
        if (policy == QStringLiteral("all"))
            fields["maxMissedRuns"] = 5;
        const std::string id = schedule(fields);
        QVERIFY(!id.empty());
        // Flowdeck is down for about an hour: nothing ticks from the first instant until two
        // minutes past the twelfth, so all twelve were missed (none is on time), then one tick.
        const std::int64_t first = *m_store->triggerById(id)->nextRunAt;
        m_now = first + 57 * 60'000;
        QCOMPARE(*m_scheduler->tick(), started);
        QCOMPARE(outcomes(id, "started"), started);
        QCOMPARE(outcomes(id, "skipped"), skipped);
        for (const auto &f : fires(id))
            if (f.outcome == "skipped")
                QVERIFY2(f.message.find("missed") != std::string::npos, f.message.c_str());
        // Its next run is ahead of now, and nothing more fires until then.
        auto trigger = m_store->triggerById(id);
        QVERIFY(*trigger->nextRunAt > m_now);
        QVERIFY(*trigger->nextRunAt - m_now <= 5 * 60'000);
        QCOMPARE(*m_scheduler->tick(), 0);
    }

    void intervalSchedulesFireFromFirstRunAt()
    {
        const std::int64_t first = (m_now / 60'000 + 2) * 60'000;
        const std::string id =
            schedule({{"firstRunAt", first}, {"repeatUnit", "minute"}, {"repeatFrequency", 10}});
        QCOMPARE(runFor(25 * 60'000), 3); // first, +10, +20 minutes
        std::set<std::int64_t> instants;
        for (const auto &f : fires(id))
            instants.insert(f.scheduledAt);
        QCOMPARE(instants, (std::set<std::int64_t>{first, first + 600'000, first + 1'200'000}));
    }

    void disabledTriggersDoNotFire()
    {
        const std::string id = schedule({{"cron", "* * * * *"}, {"enabled", false}});
        QCOMPARE(runFor(5 * 60'000), 0);
        QVERIFY(fires(id).empty());
    }

    void previewAndScheduleAnswerFireTimes()
    {
        auto r = call(api::Method::Post, "/operations-manager/triggers/schedule/preview",
                      {{"cron", "0 9 * * MON-FRI"}, {"timezone", "Europe/Berlin"}, {"count", 5}});
        QVERIFY2(r.status == 200, r.json.dump().c_str());
        QCOMPARE(r.json["data"]["upcoming"].size(), std::size_t(5));
        for (const auto &t : r.json["data"]["upcomingIso"]) {
            const auto local = QDateTime::fromString(QString::fromStdString(t.get<std::string>()),
                                                     Qt::ISODateWithMs)
                                   .toTimeZone(QTimeZone("Europe/Berlin"));
            QCOMPARE(local.time().hour(), 9);
            QVERIFY(local.date().dayOfWeek() <= 5);
        }
        auto bad = call(api::Method::Post, "/operations-manager/triggers/schedule/preview",
                        {{"cron", "0 25 * * *"}});
        QCOMPARE(bad.status, 400);
        QVERIFY2(bad.json["message"].get<std::string>().find("hour") != std::string::npos,
                 bad.json.dump().c_str());
        QCOMPARE(bad.json["details"][0]["instancePath"].get<std::string>(), std::string("/cron"));
        auto zone = call(api::Method::Post, "/operations-manager/triggers/schedule/preview",
                         {{"cron", "0 9 * * *"}, {"timezone", "Mars/Olympus"}});
        QCOMPARE(zone.status, 400);
        QCOMPARE(zone.json["details"][0]["instancePath"].get<std::string>(),
                 std::string("/timezone"));
        auto mixed = call(api::Method::Post, "/operations-manager/triggers",
                          {{"name", "mixed"},
                           {"type", "schedule"},
                           {"actionId", m_automation},
                           {"cron", "0 9 * * *"},
                           {"repeatUnit", "day"},
                           {"repeatFrequency", 1}});
        QCOMPARE(mixed.status, 400);

        const std::string id = schedule({{"cron", "0 9 * * *"}, {"timezone", "America/New_York"}});
        runFor(0);
        auto s = call(api::Method::Get, "/operations-manager/triggers/" + id + "/schedule", nullptr,
                      {{"count", "3"}});
        QVERIFY2(s.status == 200, s.json.dump().c_str());
        QCOMPARE(s.json["data"]["upcoming"].size(), std::size_t(3));
        QCOMPARE(s.json["data"]["timezone"].get<std::string>(), std::string("America/New_York"));
    }
};

QTEST_GUILESS_MAIN(TestScheduler)
#include "TestScheduler.moc"
