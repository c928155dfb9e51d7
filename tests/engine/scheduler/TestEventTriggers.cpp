// SPDX-License-Identifier: GPL-3.0-or-later
// Event triggers over real HTTP on 127.0.0.1: an event posted to Flowdeck that passes a
// trigger's schema starts one job with the trigger's JST result as variables, one that does
// not pass starts nothing; a job of one automation ending starts another's; a manual task
// waiting and an adapter instance going down fire their triggers; a (trigger, event) starts
// one job even when the cursor is lost (a crash before it moved); the catalogue lists what is
// emitted and posted, and posting to Flowdeck's own source is refused. The engine runs on a
// manual clock and the scheduler's tick is driven by the test.
#include "engine/scheduler/EventTriggers.h"
#include "engine/scheduler/Scheduler.h"
#include "tests/engine/http/ServerStack.h"
#include "tests/support/SingleTaskWorkflow.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>

using namespace flowdeck;
using nlohmann::json;

/// Compares JSON values and prints the one found when they differ.
#define JSON_EQ(found, expected)                                                                   \
    QVERIFY2((found) == (expected), ("found " + (found).dump()).c_str())

namespace {

const char *kPassword = "correct horse battery";

struct Reply
{
    int status = 0;
    json body;
    json data() const { return body.value("data", json()); }
};

/// workflow_start → `task` → workflow_end.
json oneTaskWorkflow(const char *name, json task)
{
    return test::singleTaskWorkflow(name, std::move(task));
}

json quickTask()
{
    return {{"name", "newVariable"},
            {"app", "WorkFlowEngine"},
            {"type", "automatic"},
            {"variables",
             {{"incoming", {{"name", "done"}, {"value", true}}}, {"outgoing", json::object()}}}};
}

json manualTask()
{
    return {{"name", "ViewData"},
            {"app", "WorkFlowEngine"},
            {"type", "manual"},
            {"summary", "Approve the change"},
            {"groups", json::array()},
            {"variables",
             {{"incoming", {{"header", "h"}, {"message", "m"}, {"body", "b"}}},
              {"outgoing", json::object()}}}};
}

/// A JST that passes the event's `site` on as the job variable `location`.
json siteToLocation()
{
    return {{"_id", "65e1c0ffee0000000000e0aa"},
            {"name", "site to location"},
            {"incoming", {{{"$id", "site"}, {"type", "string"}}}},
            {"outgoing", {{{"$id", "location"}, {"type", "string"}}}},
            {"functions", json::array()},
            {"steps",
             {{{"id", 1},
               {"type", "assign"},
               {"from", {{"location", "incoming"}, {"name", "site"}, {"ptr", ""}}},
               {"to", {{"location", "outgoing"}, {"name", "location"}, {"ptr", ""}}}}}}};
}

} // namespace

class TestEventTriggers : public QObject
{
    Q_OBJECT
    QTemporaryDir m_dir;
    int m_count = 0;
    test::ServerStack m_stack;
    std::unique_ptr<scheduler::Scheduler> m_scheduler;
    QNetworkAccessManager m_nam;
    std::int64_t m_now = 1'800'000'000'000;
    std::string m_quick;

    Reply send(const char *verb, const std::string &path, const json &body = nullptr)
    {
        QNetworkRequest request(QUrl(QStringLiteral("http://127.0.0.1:%1%2")
                                         .arg(m_stack.port)
                                         .arg(QString::fromStdString(path))));
        request.setRawHeader("Content-Type", "application/json");
        request.setRawHeader("Authorization",
                             "Basic " + QByteArray(QByteArray("alice:") + kPassword).toBase64());
        QNetworkReply *reply = m_nam.sendCustomRequest(
            request, verb, body.is_null() ? QByteArray() : QByteArray::fromStdString(body.dump()));
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

    std::string workflow(const json &doc)
    {
        auto wf = m_stack.store->saveWorkflow(*model::Workflow::fromJson(doc), std::string("alice"),
                                              true);
        return wf ? wf->id : std::string();
    }

    std::string automation(const std::string &name, const std::string &workflowId)
    {
        auto a = send("POST", "/operations-manager/automations",
                      {{"name", name}, {"componentId", workflowId}});
        if (a.status != 200)
            qWarning("automation: %s", a.body.dump().c_str());
        return a.data().value("_id", "");
    }

    std::string trigger(json doc)
    {
        doc["type"] = "eventSystem";
        auto t = send("POST", "/operations-manager/triggers", doc);
        if (t.status != 200)
            qWarning("trigger: %s", t.body.dump().c_str());
        return t.data().value("_id", "");
    }

    /// The jobs `automationId` started (its run's automationId), oldest first.
    std::vector<store::JobRecord> jobsOf(const std::string &automationId)
    {
        store::JobQuery q;
        q.limit = 1000;
        auto page = m_stack.store->listJobs(q);
        std::vector<store::JobRecord> out;
        for (auto &job : page->items)
            if (job.document.value("run", json::object()).value("automationId", "") == automationId)
                out.push_back(std::move(job));
        std::sort(out.begin(), out.end(),
                  [](const auto &a, const auto &b) { return a.createdAt < b.createdAt; });
        return out;
    }

    void tick()
    {
        m_stack.engine->runDueTimers();
        QCoreApplication::processEvents();
        auto n = m_scheduler->tick();
        QVERIFY2(n.ok(), n.ok() ? "" : n.error().message.c_str());
    }

private Q_SLOTS:
    void init()
    {
        const std::string path =
            m_dir.filePath(QStringLiteral("events-%1.db").arg(++m_count)).toStdString();
        QVERIFY(m_stack.open(path));
        m_stack.server.reset();
        m_stack.api.reset();
        m_stack.engine =
            std::make_unique<runtime::Engine>(*m_stack.store, [this] { return m_now; });
        m_stack.api = std::make_unique<api::EngineApi>(api::EngineContext{
            *m_stack.store, *m_stack.catalog, m_stack.engine.get(), m_stack.accounts.get()});
        QVERIFY(m_stack.serve({}));
        m_scheduler = std::make_unique<scheduler::Scheduler>(*m_stack.store, *m_stack.engine);
        access::NewUser u;
        u.username = "alice";
        u.roles = {"admin"};
        u.password = kPassword;
        QVERIFY(m_stack.accounts->createUser(u).ok());
        m_quick = workflow(oneTaskWorkflow("Quick", quickTask()));
        QVERIFY(!m_quick.empty());
    }

    void cleanup()
    {
        m_scheduler.reset();
        m_stack.close();
    }

    void aPostedEventStartsOneJobWithTheJstResult()
    {
        QVERIFY(
            m_stack.store->saveTransformation(siteToLocation(), std::string("alice"), true).ok());
        const std::string a = automation("Onboard device", m_quick);
        const std::string t = trigger({{"name", "new device in ams"},
                                       {"actionType", "automations"},
                                       {"actionId", a},
                                       {"source", "@acme/netbox"},
                                       {"topic", "deviceAdded"},
                                       {"schema",
                                        {{"type", "object"},
                                         {"required", {"site"}},
                                         {"properties", {{"site", {{"const", "ams"}}}}}}},
                                       {"jst", "65e1c0ffee0000000000e0aa"}});
        QVERIFY(!t.empty());
        auto posted = send("POST", "/operations-manager/events/%40acme%2Fnetbox/deviceAdded",
                           {{"site", "ams"}, {"device", "sw-1"}});
        QCOMPARE(posted.status, 200);
        QVERIFY(posted.data()["seq"].is_number_integer());
        // The scoped form without escaping the slash reaches the same source.
        auto other = send("POST", "/operations-manager/events/@acme/netbox/deviceAdded",
                          {{"site", "fra"}, {"device", "sw-2"}});
        QCOMPARE(other.status, 200);
        tick();
        auto jobs = jobsOf(a);
        QCOMPARE(jobs.size(), std::size_t(1)); // fra does not pass the schema
        const json &vars = jobs[0].document["variables"];
        JSON_EQ(vars["location"], json("ams")); // the JST's result, not the payload
        QVERIFY2(!vars.contains("site") && !vars.contains("device"), vars.dump().c_str());
        JSON_EQ(jobs[0].document["run"]["triggerId"], json(t));
        tick();
        QCOMPARE(jobsOf(a).size(), std::size_t(1)); // an event starts at most one job
        auto fires = send("GET", "/operations-manager/triggers/" + t + "/events");
        QCOMPARE(fires.status, 200);
        QCOMPARE(fires.data()["recent"].size(), std::size_t(1));
        JSON_EQ(fires.data()["recent"][0]["outcome"], json("started"));
        JSON_EQ(fires.data()["recent"][0]["jobId"], json(jobs[0].id));
        auto trig = send("GET", "/operations-manager/triggers/" + t);
        QVERIFY(trig.data()["lastExecuted"].is_number_integer());
    }

    void anEventIsHandledOnceEvenWhenTheCursorIsLost()
    {
        const std::string a = automation("Once", m_quick);
        trigger({{"name", "any ping"},
                 {"actionType", "automations"},
                 {"actionId", a},
                 {"source", "@acme/monitor"},
                 {"topic", "ping"}});
        QCOMPARE(
            send("POST", "/operations-manager/events/@acme/monitor/ping", json::object()).status,
            200);
        tick();
        QCOMPARE(jobsOf(a).size(), std::size_t(1));
        // A crash after the job's commit and before the cursor moved: it reads the event again.
        QVERIFY(m_stack.store->setSetting(scheduler::EventTriggers::kSystemCursorKey, "0").ok());
        QVERIFY(m_stack.store->setSetting(scheduler::EventTriggers::kJobCursorKey, "0").ok());
        tick();
        QCOMPARE(jobsOf(a).size(), std::size_t(1));
        // A new event still fires.
        QCOMPARE(
            send("POST", "/operations-manager/events/@acme/monitor/ping", json::object()).status,
            200);
        tick();
        QCOMPARE(jobsOf(a).size(), std::size_t(2));
    }

    void aJobEndingStartsAnotherAutomationsJob()
    {
        const std::string first = automation("Backup", m_quick);
        QCOMPARE(send("POST", "/operations-manager/triggers",
                      {{"name", "backup"},
                       {"type", "endpoint"},
                       {"actionType", "automations"},
                       {"actionId", first},
                       {"routeName", "backup"}})
                     .status,
                 200);
        const std::string then = automation("Verify backup", m_quick);
        trigger(
            {{"name", "after backup"},
             {"actionType", "automations"},
             {"actionId", then},
             {"source", "@itential/app-operations_manager"},
             {"topic", "jobStatusChanged"},
             {"schema",
              {{"type", "object"},
               {"required", {"automationId", "status"}},
               {"properties",
                {{"automationId", {{"const", first}}}, {"status", {{"const", "complete"}}}}}}}});
        auto run = send("POST", "/operations-manager/triggers/endpoint/backup", json::object());
        QCOMPARE(run.status, 200);
        const std::string backupJob = run.data()["_id"];
        tick();
        auto verify = jobsOf(then);
        QCOMPARE(verify.size(), std::size_t(1));
        const json &vars = verify[0].document["variables"];
        JSON_EQ(vars["jobId"], json(backupJob));
        JSON_EQ(vars["status"], json("complete"));
        JSON_EQ(vars["previousStatus"], json("running"));
        JSON_EQ(vars["automationId"], json(first));
        // The verify job's own end does not match (another automation): nothing more starts.
        tick();
        tick();
        QCOMPARE(jobsOf(then).size(), std::size_t(1));
    }

    void aTriggerDoesNotFireOnItsOwnJob()
    {
        const std::string a = automation("Loop", m_quick);
        trigger({{"name", "on any job end"},
                 {"actionType", "automations"},
                 {"actionId", a},
                 {"source", "@itential/app-operations_manager"},
                 {"topic", "jobStatusChanged"}});
        auto started = send("POST", "/operations-manager/jobs/start",
                            {{"workflow", "Quick"}, {"options", json::object()}});
        QCOMPARE(started.status, 200);
        tick();
        QCOMPARE(jobsOf(a).size(), std::size_t(1)); // the ad-hoc job's end started one
        for (int i = 0; i < 3; ++i)
            tick();
        QCOMPARE(jobsOf(a).size(), std::size_t(1)); // whose own end does not start another
    }

    void aWaitingManualTaskFiresTaskAvailable()
    {
        workflow(oneTaskWorkflow("Approve", manualTask()));
        const std::string a = automation("Page the approver", m_quick);
        trigger({{"name", "approval waiting"},
                 {"actionType", "automations"},
                 {"actionId", a},
                 {"source", "@itential/app-workflow_engine"},
                 {"topic", "taskAvailable"},
                 {"legacyWrapper", true}});
        auto started = send("POST", "/operations-manager/jobs/start",
                            {{"workflow", "Approve"}, {"options", json::object()}});
        QCOMPARE(started.status, 200);
        tick();
        auto jobs = jobsOf(a);
        QCOMPARE(jobs.size(), std::size_t(1));
        const json &event = jobs[0].document["variables"]["event"]; // legacyWrapper
        JSON_EQ(event["jobId"], started.data()["_id"]);
        JSON_EQ(event["taskId"], json("a1"));
        JSON_EQ(event["summary"], json("Approve the change"));
    }

    void anAdapterGoingDownFiresInstanceDown()
    {
        const std::string a = automation("Open an incident", m_quick);
        trigger({{"name", "adapter down"},
                 {"actionType", "automations"},
                 {"actionId", a},
                 {"source", "@flowdeck/adapters"},
                 {"topic", "instanceDown"}});
        QVERIFY(scheduler::EventTriggers::adapterWentDown(
                    *m_stack.store, "netbox-lab",
                    {{"state", "OFFLINE"}, {"error", "connection refused"}}, m_now)
                    .ok());
        tick();
        auto jobs = jobsOf(a);
        QCOMPARE(jobs.size(), std::size_t(1));
        JSON_EQ(jobs[0].document["variables"]["instance"], json("netbox-lab"));
        JSON_EQ(jobs[0].document["variables"]["error"], json("connection refused"));
    }

    void theCatalogueListsWhatIsEmittedAndPosted()
    {
        auto before = send("GET", "/operations-manager/events?limit=100");
        QCOMPARE(before.status, 200);
        bool adapters = false, posted = false;
        for (const auto &e : before.data())
            adapters = adapters || e["topic"] == "instanceDown";
        QVERIFY(adapters);
        QCOMPARE(
            send("POST", "/operations-manager/events/@acme/ci/pipelineFailed", {{"pipeline", 7}})
                .status,
            200);
        auto after = send("GET", "/operations-manager/events?source=acme");
        for (const auto &e : after.data())
            posted = posted || (e["source"] == "@acme/ci" && e["topic"] == "pipelineFailed");
        QVERIFY(posted);
        auto def = send("GET", "/operations-manager/events/@acme/ci/pipelineFailed");
        QCOMPARE(def.status, 200);
        // Flowdeck's own events are emitted, not posted; a payload is an object.
        auto own = send("POST",
                        "/operations-manager/events/@itential/app-operations_manager/"
                        "jobCreated",
                        json::object());
        QCOMPARE(own.status, 400);
        QVERIFY2(own.body.dump().find("/source") != std::string::npos, own.body.dump().c_str());
        auto notObject = send("POST", "/operations-manager/events/@acme/ci/x", json::array());
        QCOMPARE(notObject.status, 400);
        // A trigger on an unknown topic of Flowdeck's own source is refused at /topic.
        auto bad = send("POST", "/operations-manager/triggers",
                        {{"name", "bad"},
                         {"type", "eventSystem"},
                         {"actionType", "automations"},
                         {"actionId", automation("X", m_quick)},
                         {"source", "@itential/app-operations_manager"},
                         {"topic", "jobExploded"}});
        QCOMPARE(bad.status, 400);
        QVERIFY2(bad.body.dump().find("/topic") != std::string::npos, bad.body.dump().c_str());
    }
};

QTEST_GUILESS_MAIN(TestEventTriggers)
#include "TestEventTriggers.moc"
