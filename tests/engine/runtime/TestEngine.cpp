// SPDX-License-Identifier: GPL-3.0-or-later
// The engine end to end on a real SQLite file: the demo workflows run to their documented
// ends, and every rule of transitions, joins, loops, child jobs, mocks, retries and operator
// operations, each with its refusals. Every test also rebuilds its jobs from their event logs
// and compares them with what the store holds.
#include "engine/runtime/Engine.h"
#include "engine/runtime/JobDocument.h"
#include "engine/store/SqliteStore.h"
#include "tests/support/JsonAsserts.h"
#include "tests/support/TestPaths.h"

#include <QDir>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

#include <climits>

using namespace flowdeck;
using namespace flowdeck::runtime;
using nlohmann::json;

namespace {

json demo(const QString &file)
{
    const QByteArray text =
        test::readFile(test::sourcePath(QStringLiteral("resources/demo/") + file));
    return json::parse(text.begin(), text.end(), nullptr, false);
}

json edge(const char *state, const char *type = "standard")
{
    return {{"state", state}, {"type", type}};
}

json wfTask(const char *method, json incoming = json::object(), json outgoing = json::object(),
            json extra = json::object())
{
    json t = {{"name", method},
              {"summary", method},
              {"app", "WorkFlowEngine"},
              {"type", "automatic"},
              {"variables",
               {{"incoming", std::move(incoming)},
                {"outgoing", std::move(outgoing)},
                {"error", ""},
                {"decorators", json::array()}}}};
    for (auto it = extra.begin(); it != extra.end(); ++it)
        t[it.key()] = it.value();
    return t;
}

json workflow(const std::string &name, json tasks, json transitions, json extra = json::object())
{
    tasks["workflow_start"] = {{"name", "workflow_start"}, {"groups", json::array()}};
    tasks["workflow_end"] = {{"name", "workflow_end"}, {"groups", json::array()}};
    json doc = {{"name", name},
                {"type", "automation"},
                {"tasks", std::move(tasks)},
                {"transitions", std::move(transitions)}};
    for (auto it = extra.begin(); it != extra.end(); ++it)
        doc[it.key()] = it.value();
    return doc;
}

json stub(const char *type = "success", const char *response = "ok")
{
    return wfTask("stub", {{"type", type}, {"delay", ""}, {"response", response}});
}

} // namespace

class TestEngine : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<store::SqliteStore> m_store;
    std::unique_ptr<Engine> m_engine;
    Millis m_now = 1'700'000'000'000;
    int m_dbCount = 0;

    void save(const json &doc)
    {
        auto wf = model::Workflow::fromJson(doc);
        QVERIFY(wf.ok());
        auto r = m_store->saveWorkflow(*wf, std::string("tester"), true);
        QVERIFY2(r.ok(), r.ok() ? "" : r.error().message.c_str());
    }

    json start(const std::string &name, json variables = json::object(), json mocks = json())
    {
        StartJobOptions o;
        o.workflow = name;
        o.variables = std::move(variables);
        o.mocks = std::move(mocks);
        o.actor = "alice";
        auto r = m_engine->startJob(o);
        if (!r.ok())
            qWarning("start failed: %s", r.error().message.c_str());
        return r.ok() ? *r : json();
    }

    json job(const std::string &id) { return *m_engine->jobDocument(id); }

    const model::Principal m_bob{"b0b000000000000000000000", "bob", {}, {}, true};

    /// Claims the task's current run as bob, then finishes it: an operator's two steps.
    Result<json> finish(const std::string &id, const std::string &key, const std::string &state,
                        const json &variables)
    {
        auto doc = m_engine->jobDocument(id);
        if (doc && doc->contains("tasks") && (*doc)["tasks"].contains(key) &&
            !(*doc)["tasks"][key]["iterations"].empty())
            (void)m_engine->claimTask((*doc)["tasks"][key]["iterations"].back(), m_bob);
        return m_engine->finishManualTask(id, key, state, variables, m_bob);
    }
    std::string status(const json &doc) { return doc.value("status", std::string()); }

    void newEngine()
    {
        m_engine = std::make_unique<Engine>(*m_store, [this] { return m_now; });
    }

    /// Moves the clock and runs timers until nothing is due, at most `ms` ahead.
    void elapse(Millis ms)
    {
        const Millis until = m_now + ms;
        while (auto due = m_engine->nextTimerDue()) {
            if (*due > until)
                break;
            m_now = std::max(m_now, *due);
            m_engine->runDueTimers();
        }
        m_now = until;
    }

    /// Every job in the store, rebuilt from its event log alone, equals the stored document.
    void verifyLogsRebuildJobs()
    {
        store::JobQuery q;
        q.limit = 1000;
        auto jobs = m_store->listJobs(q);
        QVERIFY(jobs.ok());
        GraphCache graphs;
        for (const auto &record : jobs->items) {
            auto events = m_store->jobEvents(record.id, 0, INT_MAX);
            std::vector<JobEventRecord> log;
            for (auto &e : *events)
                log.push_back({e.kind, e.at, e.actor, e.data});
            auto rebuilt = replay(log, graphs);
            QVERIFY2(rebuilt.ok(), rebuilt.ok() ? "" : rebuilt.error().message.c_str());
            QCOMPARE_JSON(jobDocument(*rebuilt), record.document);
        }
    }

private Q_SLOTS:
    void init()
    {
        const auto path = m_dir.filePath(QStringLiteral("engine-%1.db").arg(++m_dbCount));
        store::SqliteStore::Options options;
        options.clock = [this] { return m_now; };
        m_store = std::move(*store::SqliteStore::open(path.toStdString(), options));
        newEngine();
        for (const auto &file : QDir(test::sourcePath(QStringLiteral("resources/demo")))
                                    .entryList({QStringLiteral("*.json")}))
            save(demo(file));
    }

    void cleanup()
    {
        verifyLogsRebuildJobs();
        m_engine.reset();
        m_store.reset();
    }

    // ---- the demo workflows run to their documented ends ----

    void linearDemoCompletes()
    {
        const json j = start("Device Health Check", {{"device", "core-rtr-01"}});
        QCOMPARE(QString::fromStdString(status(j)), QStringLiteral("complete"));
        QCOMPARE_JSON(j["variables"]["healthCheckStatus"], "complete");
        QCOMPARE_JSON(j["variables"]["cpuPercent"], 12);
        QCOMPARE_JSON(j["variables"]["healthSnapshot"]["device"], "core-rtr-01");
        QCOMPARE(j["metrics"]["progress"].get<double>(), 1.0);
        QCOMPARE_JSON(j["variables"]["initiator"], "alice");
        // Every task ran once, and each run is an iteration in the store.
        auto iterations = m_store->taskIterations(j["_id"]);
        QCOMPARE(iterations->size(), j["tasks"].size());
        for (const auto &it : *iterations)
            QCOMPARE(QString::fromStdString(it.status), QStringLiteral("complete"));
    }

    void branchingDemoTakesEachPath_data()
    {
        QTest::addColumn<QString>("snapshot");
        QTest::addColumn<QString>("expected");
        QTest::newRow("compliant")
            << R"({"hostname": "core-rtr-01", "ntp": {"servers": ["10.10.0.1", "10.10.0.2"]}, "aaa": {"tacacsEnabled": true}})"
            << "compliant";
        QTest::newRow("non-compliant")
            << R"({"hostname": "branch-rtr-12", "ntp": {"servers": ["192.0.2.50"]}, "aaa": {"tacacsEnabled": true}})"
            << "non-compliant";
        QTest::newRow("unreadable") << "hostname branch-rtr-13\nntp server 10.10.0.1"
                                    << "unreadable";
    }

    void branchingDemoTakesEachPath()
    {
        QFETCH(QString, snapshot);
        QFETCH(QString, expected);
        const json j = start("Config Compliance",
                             {{"device", "r1"}, {"configSnapshot", snapshot.toStdString()}});
        QCOMPARE(QString::fromStdString(status(j)), QStringLiteral("complete"));
        QCOMPARE_JSON(j["variables"]["complianceStatus"], expected.toStdString());
    }

    void manualDemoWaitsThenCompletes_data()
    {
        QTest::addColumn<QString>("finishState");
        QTest::addColumn<QString>("changeStatus");
        QTest::newRow("approve") << "success"
                                 << "applied";
        QTest::newRow("reject") << "failure"
                                << "rejected";
    }

    void manualDemoWaitsThenCompletes()
    {
        QFETCH(QString, finishState);
        QFETCH(QString, changeStatus);
        const json j = start("Change Approval", {{"device", "dist-sw-04"},
                                                 {"changeTicket", "CHG0031877"},
                                                 {"proposedConfig", "interface Gi1/0/12"}});
        const std::string id = j["_id"];
        QCOMPARE(QString::fromStdString(status(j)), QStringLiteral("running"));
        QCOMPARE_JSON(j["tasks"]["7a23"]["status"], "running");
        QVERIFY(m_engine->isSettled(id));
        auto it = m_store->taskIteration(j["tasks"]["7a23"]["iterations"][0]);
        QVERIFY(it.ok());
        QCOMPARE_JSON(it->document["incoming"]["header"], "Approve change CHG0031877");

        auto done = finish(id, "7a23", finishState.toStdString(), json::object());
        QVERIFY2(done.ok(), done.ok() ? "" : done.error().message.c_str());
        QCOMPARE(QString::fromStdString(status(*done)), QStringLiteral("complete"));
        QCOMPARE_JSON((*done)["variables"]["changeStatus"], changeStatus.toStdString());
        QCOMPARE_JSON((*done)["tasks"]["7a23"]["metrics"]["owner"], "bob");
    }

    void childJobLoopDemoRunsEverySite()
    {
        const json sites =
            json::parse(R"([{"siteCode": "ATL01", "region": "us-east", "vlanId": 110},
            {"siteCode": "DFW02", "region": "us-central", "vlanId": 120},
            {"siteCode": "SEA03", "region": "us-west", "vlanId": 130}])");
        const json j = start("Site Rollout", {{"sites", sites}});
        QCOMPARE(QString::fromStdString(status(j)), QStringLiteral("complete"));
        QCOMPARE_JSON(j["variables"]["rolloutStatus"], "complete");
        QCOMPARE_JSON(j["variables"]["sitesProvisioned"], 3);
        const json results = j["variables"]["siteResults"];
        QCOMPARE(results.size(), std::size_t(3));
        for (std::size_t i = 0; i < 3; ++i) {
            QCOMPARE_JSON(results[i]["status"], "complete");
            QCOMPARE_JSON(results[i]["childJobLoopIndex"], i);
            QCOMPARE_JSON(results[i]["provisionStatus"], "provisioned");
        }
        // Seed 003's job fields: the children by element, which task led to the end, the
        // outputSchema's values, a UUID, no tags and no validation errors.
        const json &childJobs = j["tasks"]["a0c1"]["childJobs"];
        QCOMPARE(childJobs.size(), std::size_t(3));
        for (std::size_t i = 0; i < 3; ++i) {
            QCOMPARE_JSON(childJobs[i]["name"], "Provision Site");
            QCOMPARE_JSON(childJobs[i]["iteration"], i);
            QCOMPARE_JSON(childJobs[i]["_id"], j["tasks"]["a0c1"]["loop"]["children"][i]["job"]);
        }
        QCOMPARE_JSON(j["tasks"]["workflow_end"]["endTasks"], json::array({"a0f4"}));
        QCOMPARE_JSON(j["output"]["rolloutStatus"], "complete");
        QCOMPARE_JSON(j["output"]["sitesProvisioned"], 3);
        QCOMPARE_JSON(j["outputData"], j["output"]);
        QVERIFY(!j["output"].contains("sites")); // not in the outputSchema
        QCOMPARE(QUuid::fromString(QString::fromStdString(j.value("uuid", std::string()))).isNull(),
                 false);
        QVERIFY(j["uuid"] != job(childJobs[0]["_id"].get<std::string>())["uuid"]);
        QCOMPARE_JSON(j["tags"], json::array());
        QCOMPARE_JSON(j["validationErrors"], json::array());
        // Children know their parent and root.
        store::JobQuery q;
        q.name = "Provision Site";
        auto children = m_store->listJobs(q);
        QCOMPARE(children->total, std::int64_t(3));
        for (const auto &c : children->items) {
            QCOMPARE(*c.parentJobId, j["_id"].get<std::string>());
            QCOMPARE(*c.rootJobId, j["_id"].get<std::string>());
        }
    }

    void revertLoopDemoEnds_data()
    {
        QTest::addColumn<int>("replyOn");
        QTest::addColumn<bool>("reachable");
        QTest::newRow("reachable on the third try") << 3 << true;
        QTest::newRow("gives up after three") << 99 << false;
    }

    void revertLoopDemoEnds()
    {
        QFETCH(int, replyOn);
        QFETCH(bool, reachable);
        const int maxAttempts = reachable ? 5 : 3;
        const json j = start("Ping Until Reachable", {{"device", "edge-rtr-07"},
                                                      {"maxAttempts", maxAttempts},
                                                      {"labReplyOnAttempt", replyOn}});
        const std::string id = j["_id"];
        QCOMPARE(QString::fromStdString(status(j)), QStringLiteral("running"));
        QVERIFY(!m_engine->isSettled(id)); // waiting on a delay
        elapse(10'000);
        const json done = job(id);
        QCOMPARE(QString::fromStdString(status(done)), QStringLiteral("complete"));
        QCOMPARE_JSON(done["variables"]["reachable"], reachable);
        QCOMPARE_JSON(done["variables"]["attemptCount"], 3);
    }

    // ---- starting ----

    void startRefusesVariablesThatBreakTheInputSchema()
    {
        StartJobOptions o;
        o.workflow = "Provision Site";
        o.variables = {{"siteCode", 5}};
        auto r = m_engine->startJob(o);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, ErrorCode::Invalid);
        QVERIFY(r.error().details.size() >= 2); // wrong type and missing fields: all listed
        bool pointed = false;
        for (const auto &issue : r.error().details)
            pointed = pointed || issue["instancePath"] == "/variables/siteCode";
        QVERIFY2(pointed, r.error().details.dump().c_str());
        QCOMPARE(m_store->listJobs({})->total, std::int64_t(0));
    }

    void startRefusesAnUnknownWorkflow()
    {
        StartJobOptions o;
        o.workflow = "Nope";
        auto r = m_engine->startJob(o);
        QCOMPARE(r.error().code, ErrorCode::NotFound);
        o.workflow = "";
        QCOMPARE(m_engine->startJob(o).error().code, ErrorCode::Invalid);
    }

    // ---- transitions ----

    void noTransitionForTheResultErrorsTheJob()
    {
        json reach = stub("error", "device unreachable");
        reach["summary"] = "Reach the device";
        save(workflow("Stuck", {{"c841", reach}},
                      {{"workflow_start", {{"c841", edge("success")}}},
                       {"c841", {{"workflow_end", edge("success")}}}}));
        const json j = start("Stuck");
        QCOMPARE(QString::fromStdString(status(j)), QStringLiteral("error"));
        const std::string last = j["error"].back()["message"];
        QCOMPARE(QString::fromStdString(last),
                 QStringLiteral("Job has no available transitions. task \"Reach the device\" "
                                "could have led to the "
                                "workflow end task, but did not. These tasks performed in a way "
                                "that the end of the workflow could not be reached."));
        QCOMPARE_JSON(j["error"][0]["task"], "c841");
        QCOMPARE_JSON(j["tasks"]["c841"]["status"], "error");
    }

    void errorTransitionIsFollowed()
    {
        save(workflow("Handled",
                      {{"a1", stub("error", "boom")},
                       {"b2", wfTask("newVariable", {{"name", "handled"}, {"value", true}})}},
                      {{"workflow_start", {{"a1", edge("success")}}},
                       {"a1", {{"workflow_end", edge("success")}, {"b2", edge("error")}}},
                       {"b2", {{"workflow_end", edge("success")}}}}));
        const json j = start("Handled");
        QCOMPARE(QString::fromStdString(status(j)), QStringLiteral("complete"));
        QCOMPARE_JSON(j["variables"]["handled"], true);
        QCOMPARE_JSON(j["error"][0]["task"], "a1");
    }

    void errorHandlerRunsBeforeTheJobErrors()
    {
        json handler = wfTask("newVariable", {{"name", "handled"}, {"value", "$var.job.attempt"}});
        save(workflow("Guarded", {{"a1", wfTask("parse", {{"text", "$var.job.text"}})}},
                      {{"workflow_start", {{"a1", edge("success")}}},
                       {"a1", {{"workflow_end", edge("success")}}}},
                      {{"errorHandler", handler}}));
        const json j = start("Guarded", {{"text", "{"}, {"attempt", 1}});
        const std::string id = j["_id"];
        QCOMPARE(QString::fromStdString(status(j)), QStringLiteral("error"));
        QCOMPARE_JSON(j["tasks"]["error_handler"]["status"], "complete");
        QCOMPARE_JSON(j["variables"]["handled"], 1);
        // The job's own failure is still explained.
        QVERIFY(j["error"].back()["message"].get<std::string>().find(
                    "task \"parse\" could have led") != std::string::npos);
        // A retry that fails again runs the handler again.
        auto retried = m_engine->retryTask(id, "a1", {{"text", "["}}, std::nullopt);
        QVERIFY(retried.ok());
        QCOMPARE((*retried)["tasks"]["error_handler"]["iterations"].size(), std::size_t(2));
        // A successful job never runs it.
        const json ok = start("Guarded", {{"text", "{}"}, {"attempt", 2}});
        QCOMPARE(QString::fromStdString(status(ok)), QStringLiteral("complete"));
        QCOMPARE_JSON(ok["tasks"]["error_handler"]["status"], "incomplete");
    }

    void errorHandlerMayNameATask()
    {
        save(workflow("Routed",
                      {{"a1", stub("error")},
                       {"h1", wfTask("newVariable", {{"name", "cleaned"}, {"value", true}})}},
                      {{"workflow_start", {{"a1", edge("success")}}},
                       {"a1", {{"workflow_end", edge("success")}}}},
                      {{"errorHandler", "h1"}}));
        const json j = start("Routed");
        QCOMPARE(QString::fromStdString(status(j)), QStringLiteral("error"));
        QCOMPARE_JSON(j["variables"]["cleaned"], true);
    }

    void parallelBranchesJoinOnce()
    {
        save(workflow(
            "Fan",
            {{"a1", stub()},
             {"b2", wfTask("newVariable", {{"name", "left"}, {"value", 1}})},
             {"c3", wfTask("newVariable", {{"name", "right"}, {"value", 2}})},
             {"d4",
              wfTask("merge",
                     {{"data_to_merge",
                       {{{"key", "l"}, {"value", {{"task", "job"}, {"variable", "left"}}}},
                        {{"key", "r"}, {"value", {{"task", "job"}, {"variable", "right"}}}}}}},
                     {{"merged_object", "$var.job.both"}})}},
            {{"workflow_start", {{"a1", edge("success")}}},
             {"a1", {{"b2", edge("success")}, {"c3", edge("success")}}},
             {"b2", {{"d4", edge("success")}}},
             {"c3", {{"d4", edge("success")}}},
             {"d4", {{"workflow_end", edge("success")}}}}));
        const json j = start("Fan");
        QCOMPARE(QString::fromStdString(status(j)), QStringLiteral("complete"));
        QCOMPARE(j["tasks"]["d4"]["iterations"].size(), std::size_t(1));
        QCOMPARE_JSON(j["variables"]["both"], (json{{"l", 1}, {"r", 2}}));
    }

    void exclusiveBranchesConverge()
    {
        save(workflow("Either",
                      {{"a1", wfTask("evaluation",
                                     {{"all_true_flag", false},
                                      {"evaluation_groups",
                                       {{{"all_true_flag", true},
                                         {"evaluations",
                                          {{{"operand_1", {{"task", "job"}, {"variable", "x"}}},
                                            {"operator", "=="},
                                            {"operand_2", {{"task", "static"}, {"variable", 1}}},
                                            {"query", ""}}}}}}}})},
                       {"b2", wfTask("newVariable", {{"name", "path"}, {"value", "yes"}})},
                       {"c3", wfTask("newVariable", {{"name", "path"}, {"value", "no"}})}},
                      {{"workflow_start", {{"a1", edge("success")}}},
                       {"a1", {{"b2", edge("success")}, {"c3", edge("failure")}}},
                       {"b2", {{"workflow_end", edge("success")}}},
                       {"c3", {{"workflow_end", edge("success")}}}}));
        QCOMPARE_JSON(start("Either", {{"x", 1}})["variables"]["path"], "yes");
        const json no = start("Either", {{"x", 2}});
        QCOMPARE_JSON(no["variables"]["path"], "no");
        QCOMPARE_JSON(no["tasks"]["b2"]["status"], "incomplete");
        QCOMPARE(QString::fromStdString(status(no)), QStringLiteral("complete"));
    }

    void outgoingAndErrorArePromotedToJobVariables()
    {
        json failing = stub("error", "the reason");
        failing["variables"]["error"] = "$var.job.why";
        save(workflow(
            "Promote",
            {{"a1", wfTask("stub", {{"type", "success"}, {"delay", ""}, {"response", "r1"}},
                           {{"response", "$var.job.fromA"}})},
             {"b2", failing}},
            {{"workflow_start", {{"a1", edge("success")}}},
             {"a1", {{"b2", edge("success")}}},
             {"b2", {{"workflow_end", edge("error")}}}}));
        const json j = start("Promote");
        QCOMPARE_JSON(j["variables"]["fromA"], "r1");
        QCOMPARE_JSON(j["variables"]["why"], "the reason");
        QCOMPARE(QString::fromStdString(status(j)), QStringLiteral("complete"));
    }

    void referencesToOtherTasksResolve()
    {
        save(workflow(
            "Refs",
            {{"a1", wfTask("stub", {{"type", "success"}, {"delay", ""}, {"response", "hello"}})},
             {"b2", wfTask("stringConcat", {{"str", "$var.a1.response"}, {"stringN", " world"}},
                           {{"combinedStrings", "$var.job.greeting"}})}},
            {{"workflow_start", {{"a1", edge("success")}}},
             {"a1", {{"b2", edge("success")}}},
             {"b2", {{"workflow_end", edge("success")}}}}));
        QCOMPARE_JSON(start("Refs")["variables"]["greeting"], "hello world");
    }

    // ---- mocks and adapters ----

    void anAdapterTaskErrorsNamingTheAdapterUnlessMocked()
    {
        json adapter =
            wfTask("runInstances", {{"region", "us-east-1"}}, {{"result", "$var.job.ec2"}});
        adapter["app"] = "Awsec2";
        adapter["location"] = "Adapter";
        save(workflow("Cloud", {{"e1", adapter}},
                      {{"workflow_start", {{"e1", edge("success")}}},
                       {"e1", {{"workflow_end", edge("success")}}}}));
        const json failed = start("Cloud");
        QCOMPARE(QString::fromStdString(status(failed)), QStringLiteral("error"));
        const std::string message = failed["error"][0]["message"];
        QVERIFY2(message.find("Awsec2") != std::string::npos, message.c_str());

        const json mocked = start(
            "Cloud", json::object(),
            {{"e1", {{"finish_state", "success"}, {"outgoing", {{"result", {{"id", "i-1"}}}}}}}});
        QCOMPARE(QString::fromStdString(status(mocked)), QStringLiteral("complete"));
        QCOMPARE_JSON(mocked["variables"]["ec2"], (json{{"id", "i-1"}}));
    }

    // A value a job could not afford to keep (each change writes the job's document, each
    // event carries its values) ends the task in error instead of reaching the store.
    void aTaskValueTooLargeOrTooDeepErrorsTheTask()
    {
        json adapter =
            wfTask("getConfig", {{"device", "dist-sw-04"}}, {{"result", "$var.job.cfg"}});
        adapter["app"] = "Netbox";
        save(workflow("Backup", {{"e1", adapter}},
                      {{"workflow_start", {{"e1", edge("success")}}},
                       {"e1", {{"workflow_end", edge("success")}}}}));
        const json large =
            start("Backup", json::object(),
                  {{"e1", {{"outgoing", {{"result", std::string(1536 * 1024, 'c')}}}}}});
        QCOMPARE(QString::fromStdString(status(large)), QStringLiteral("error"));
        const std::string message = large["error"][0]["message"];
        QVERIFY2(message.find("1.5 MiB; the limit is 1.0 MiB") != std::string::npos,
                 message.c_str());
        QVERIFY(!large["variables"].contains("cfg"));

        json deep = 1;
        for (int i = 0; i < 300; ++i)
            deep = json::array({std::move(deep)});
        const json nested =
            start("Backup", json::object(), {{"e1", {{"outgoing", {{"result", deep}}}}}});
        QCOMPARE(QString::fromStdString(status(nested)), QStringLiteral("error"));
        const std::string why = nested["error"][0]["message"];
        QVERIFY2(why.find("levels deep; the limit is 256") != std::string::npos, why.c_str());

        // Just under the limit is kept.
        const json fits =
            start("Backup", json::object(),
                  {{"e1", {{"outgoing", {{"result", std::string(900 * 1024, 'c')}}}}}});
        QCOMPARE(QString::fromStdString(status(fits)), QStringLiteral("complete"));
    }

    void registeredHandlersRunAdaptersAndTransformations()
    {
        json adapter =
            wfTask("getConfig", {{"device", "$var.job.device"}}, {{"result", "$var.job.config"}});
        adapter["app"] = "NetAdapter";
        json tr = wfTask("transformation",
                         {{"tr_id", "5f0c"}, {"variableMap", {{"x", "$var.job.config"}}}},
                         {{"y", "$var.job.mapped"}});
        save(workflow("Plugged", {{"a1", adapter}, {"b2", tr}},
                      {{"workflow_start", {{"a1", edge("success")}}},
                       {"a1", {{"b2", edge("success")}}},
                       {"b2", {{"workflow_end", edge("success")}}}}));
        m_engine->registerTaskHandler("NetAdapter", "getConfig", [](const tasks::MethodContext &c) {
            tasks::MethodResult r;
            r.outgoing["result"] = "hostname " + c.incoming.value("device", std::string());
            return r;
        });
        m_engine->registerTaskHandler("WorkFlowEngine", "transformation",
                                      [](const tasks::MethodContext &c) {
                                          tasks::MethodResult r;
                                          r.outgoing["y"] = c.incoming["variableMap"]["x"];
                                          return r;
                                      });
        const json j = start("Plugged", {{"device", "r1"}});
        QCOMPARE(QString::fromStdString(status(j)), QStringLiteral("complete"));
        QCOMPARE_JSON(j["variables"]["mapped"], "hostname r1");
    }

    void mocksReachChildJobsAndManualTasks()
    {
        save(workflow("Parent",
                      {{"p1", wfTask("childJob",
                                     {{"task", ""},
                                      {"workflow", "Change Approval"},
                                      {"variables",
                                       {{"device", {{"task", "static"}, {"value", "sw"}}},
                                        {"changeTicket", {{"task", "static"}, {"value", "CHG1"}}},
                                        {"proposedConfig", {{"task", "static"}, {"value", "x"}}}}},
                                      {"data_array", ""},
                                      {"transformation", ""},
                                      {"loopType", ""}},
                                     {{"job_details", "$var.job.child"}}, {{"actor", "job"}})}},
                      {{"workflow_start", {{"p1", edge("success")}}},
                       {"p1", {{"workflow_end", edge("success")}}}}));
        const json j = start("Parent", json::object(), {{"7a23", {{"finish_state", "failure"}}}});
        QCOMPARE(QString::fromStdString(status(j)), QStringLiteral("complete"));
        QCOMPARE_JSON(j["variables"]["child"]["changeStatus"], "rejected");
        QCOMPARE_JSON(j["variables"]["child"]["status"], "complete");
    }

    void aTransformationTaskSaysItIsNotSupportedYet()
    {
        json tr = wfTask("transformation", {{"tr_id", "5f0c"}, {"variableMap", json::object()}});
        save(workflow("Mapping", {{"a1", tr}},
                      {{"workflow_start", {{"a1", edge("success")}}},
                       {"a1", {{"workflow_end", edge("success")}}}}));
        const json j = start("Mapping");
        QCOMPARE(QString::fromStdString(status(j)), QStringLiteral("error"));
        const std::string message = j["error"][0]["message"];
        QVERIFY(message.find("transformation") != std::string::npos);
    }

    // ---- child jobs ----

    void childJobSequentialStopsAtTheFirstFailure()
    {
        save(workflow("Maybe",
                      {{"m1", wfTask("evaluation",
                                     {{"all_true_flag", true},
                                      {"evaluation_groups",
                                       {{{"all_true_flag", true},
                                         {"evaluations",
                                          {{{"operand_1", {{"task", "job"}, {"variable", "ok"}}},
                                            {"operator", "=="},
                                            {"operand_2", {{"task", "static"}, {"variable", true}}},
                                            {"query", ""}}}}}}}})}},
                      {{"workflow_start", {{"m1", edge("success")}}},
                       {"m1", {{"workflow_end", edge("success")}}}}));
        save(workflow("Loop",
                      {{"l1", wfTask("childJob", {{"task", ""},
                                                  {"workflow", "Maybe"},
                                                  {"variables", json::object()},
                                                  {"data_array", "$var.job.items"},
                                                  {"transformation", ""},
                                                  {"loopType", "sequential"}})}},
                      {{"workflow_start", {{"l1", edge("success")}}},
                       {"l1", {{"workflow_end", edge("success")}}}}));
        const json j =
            start("Loop", {{"items", {{{"ok", true}}, {{"ok", false}}, {{"ok", true}}}}});
        QCOMPARE(QString::fromStdString(status(j)), QStringLiteral("error"));
        QCOMPARE(j["tasks"]["l1"]["loop"]["children"].size(),
                 std::size_t(2)); // the third never ran
        store::JobQuery q;
        q.name = "Maybe";
        QCOMPARE(m_store->listJobs(q)->total, std::int64_t(2));
    }

    void childJobThatCannotStartErrorsTheTask()
    {
        save(workflow("BadChild",
                      {{"b1", wfTask("childJob", {{"task", ""},
                                                  {"workflow", "Provision Site"},
                                                  {"variables", json::object()},
                                                  {"data_array", ""},
                                                  {"transformation", ""},
                                                  {"loopType", ""}})}},
                      {{"workflow_start", {{"b1", edge("success")}}},
                       {"b1", {{"workflow_end", edge("success")}}}}));
        const json j = start("BadChild");
        QCOMPARE(QString::fromStdString(status(j)), QStringLiteral("error"));
        const std::string message = j["error"][0]["message"];
        QVERIFY2(message.find("inputSchema") != std::string::npos, message.c_str());
    }

    // ---- forEach ----

    void forEachRunsItsBodyPerElement()
    {
        save(workflow("Each",
                      {{"f1", wfTask("forEach", {{"data_array", "$var.job.devices"}},
                                     {{"current_item", "$var.job.device"}})},
                       {"b1", wfTask("push", {{"job_variable", "seen"},
                                              {"item_to_push", "$var.f1.current_item"}})},
                       {"n1", wfTask("newVariable", {{"name", "seen"}, {"value", json::array()}})},
                       {"z9", wfTask("newVariable", {{"name", "done"}, {"value", true}})}},
                      {{"workflow_start", {{"n1", edge("success")}}},
                       {"n1", {{"f1", edge("success")}}},
                       {"f1", {{"b1", edge("loop")}, {"z9", edge("success")}}},
                       {"z9", {{"workflow_end", edge("success")}}}}));
        const json j = start("Each", {{"devices", {"r1", "r2", "r3"}}});
        QCOMPARE(QString::fromStdString(status(j)), QStringLiteral("complete"));
        QCOMPARE_JSON(j["variables"]["seen"], (json{"r1", "r2", "r3"}));
        QCOMPARE(j["tasks"]["b1"]["iterations"].size(), std::size_t(3));
        QCOMPARE_JSON(j["variables"]["done"], true);
    }

    // ---- operations ----

    void pauseResumeCancel()
    {
        const json j = start("Change Approval",
                             {{"device", "d"}, {"changeTicket", "C"}, {"proposedConfig", "x"}});
        const std::string id = j["_id"];
        QVERIFY(m_engine->pauseJob(id, std::string("bob")).ok());
        QCOMPARE(QString::fromStdString(status(job(id))), QStringLiteral("paused"));
        QCOMPARE(m_engine->pauseJob(id, std::nullopt).error().code, ErrorCode::Conflict);
        auto finishWhilePaused = finish(id, "7a23", "success", {});
        QCOMPARE(finishWhilePaused.error().code, ErrorCode::Conflict);
        QVERIFY(m_engine->resumeJob(id, std::nullopt).ok());
        QCOMPARE(m_engine->resumeJob(id, std::nullopt).error().code, ErrorCode::Conflict);
        auto canceled = m_engine->cancelJob(id, std::string("bob"));
        QVERIFY(canceled.ok());
        QCOMPARE(QString::fromStdString(status(*canceled)), QStringLiteral("canceled"));
        QCOMPARE_JSON((*canceled)["tasks"]["7a23"]["status"], "canceled");
        QCOMPARE(m_engine->cancelJob(id, std::nullopt).error().code, ErrorCode::Conflict);
        QCOMPARE(m_engine->resumeJob(id, std::nullopt).error().code, ErrorCode::Conflict);
    }

    void cancelCascadesToChildJobs()
    {
        save(workflow("Waits",
                      {{"w1", wfTask("childJob", {{"task", ""},
                                                  {"workflow", "Change Approval"},
                                                  {"variables", json::object()},
                                                  {"data_array", "$var.job.items"},
                                                  {"transformation", ""},
                                                  {"loopType", "parallel"}})}},
                      {{"workflow_start", {{"w1", edge("success")}}},
                       {"w1", {{"workflow_end", edge("success")}}}}));
        const json item = {{"device", "d"}, {"changeTicket", "C"}, {"proposedConfig", "x"}};
        const json j = start("Waits", {{"items", {item, item}}});
        QCOMPARE(QString::fromStdString(status(j)), QStringLiteral("running"));
        QVERIFY(m_engine->cancelJob(j["_id"], std::nullopt).ok());
        store::JobQuery q;
        q.name = "Change Approval";
        auto children = m_store->listJobs(q);
        QCOMPARE(children->total, std::int64_t(2));
        for (const auto &child : children->items)
            QCOMPARE(QString::fromStdString(child.status), QStringLiteral("canceled"));
    }

    void finishRefusals()
    {
        const json j = start("Change Approval",
                             {{"device", "d"}, {"changeTicket", "C"}, {"proposedConfig", "x"}});
        const std::string id = j["_id"];
        QCOMPARE(finish(id, "7a01", "success", {}).error().code,
                 ErrorCode::Invalid); // not a manual task
        QCOMPARE(finish(id, "zzzz", "success", {}).error().code, ErrorCode::NotFound);
        QCOMPARE(finish(id, "7a23", "error", {}).error().code, ErrorCode::Invalid);
        QCOMPARE(finish(id, "7a23", "success", json::array()).error().code, ErrorCode::Invalid);
        QCOMPARE(finish("000000000000000000000000", "7a23", "success", {}).error().code,
                 ErrorCode::NotFound);
        QVERIFY(finish(id, "7a23", "success", {}).ok());
        QCOMPARE(finish(id, "7a23", "success", {}).error().code, ErrorCode::Conflict);
    }

    void failureNeedsAFailureButton()
    {
        json view = wfTask("ViewData", {{"header", "h"},
                                        {"message", "m"},
                                        {"body", ""},
                                        {"variables", ""},
                                        {"btn_success", "OK"},
                                        {"btn_failure", ""}});
        view["type"] = "manual";
        save(workflow("OneButton", {{"v1", view}},
                      {{"workflow_start", {{"v1", edge("success")}}},
                       {"v1", {{"workflow_end", edge("success")}}}}));
        const std::string id = start("OneButton")["_id"];
        QCOMPARE(finish(id, "v1", "failure", {}).error().code, ErrorCode::Invalid);
        QVERIFY(finish(id, "v1", "success", {}).ok());
    }

    void retryAFailedTaskWithNewIncoming()
    {
        save(workflow("Retryable",
                      {{"a1", wfTask("parse", {{"text", "$var.job.text"}},
                                     {{"textObject", "$var.job.parsed"}})}},
                      {{"workflow_start", {{"a1", edge("success")}}},
                       {"a1", {{"workflow_end", edge("success")}}}}));
        const json j = start("Retryable", {{"text", "not json"}});
        const std::string id = j["_id"];
        QCOMPARE(QString::fromStdString(status(j)), QStringLiteral("error"));
        QCOMPARE(m_engine->retryTask(id, "workflow_start", {}, std::nullopt).error().code,
                 ErrorCode::Conflict);
        auto retried = m_engine->retryTask(id, "a1", {{"text", R"({"a": 1})"}}, std::string("bob"));
        QVERIFY2(retried.ok(), retried.ok() ? "" : retried.error().message.c_str());
        QCOMPARE(QString::fromStdString(status(*retried)), QStringLiteral("complete"));
        QCOMPARE_JSON((*retried)["variables"]["parsed"], (json{{"a", 1}}));
        QCOMPARE((*retried)["tasks"]["a1"]["iterations"].size(), std::size_t(2));
        QCOMPARE(m_engine->retryTask(id, "a1", {}, std::nullopt).error().code, ErrorCode::Conflict);
    }

    void continueFromATask()
    {
        save(workflow("Skippable",
                      {{"a1", stub("error")},
                       {"b2", wfTask("newVariable", {{"name", "after"}, {"value", 1}})}},
                      {{"workflow_start", {{"a1", edge("success")}}},
                       {"a1", {{"b2", edge("success")}}},
                       {"b2", {{"workflow_end", edge("success")}}}}));
        const std::string id = start("Skippable")["_id"];
        QCOMPARE(QString::fromStdString(status(job(id))), QStringLiteral("error"));
        QCOMPARE(m_engine->continueJob(id, "nope", std::nullopt).error().code, ErrorCode::NotFound);
        auto r = m_engine->continueJob(id, "b2", std::string("bob"));
        QVERIFY(r.ok());
        QCOMPARE(QString::fromStdString(status(*r)), QStringLiteral("complete"));
        QCOMPARE_JSON((*r)["variables"]["after"], 1);
        QCOMPARE(m_engine->continueJob(id, "b2", std::nullopt).error().code, ErrorCode::Conflict);
    }

    void revertAPausedJob()
    {
        save(workflow(
            "Revertable",
            {{"a1", wfTask("newVariable", {{"name", "n"}, {"value", 1}})}, {"b2", stub("error")}},
            {{"workflow_start", {{"a1", edge("success")}}},
             {"a1", {{"b2", edge("success")}}},
             {"b2", {{"workflow_end", edge("success")}}}}));
        const std::string id = start("Revertable")["_id"];
        QCOMPARE(m_engine->revertJob(id, "b2", "a1", std::nullopt).error().code,
                 ErrorCode::Conflict);
        QVERIFY(m_engine->pauseJob(id, std::nullopt).ok());
        QCOMPARE(m_engine->revertJob(id, "a1", "b2", std::nullopt).error().code,
                 ErrorCode::Conflict);
        auto r = m_engine->revertJob(id, "b2", "a1", std::string("bob"));
        QVERIFY2(r.ok(), r.ok() ? "" : r.error().message.c_str());
        QCOMPARE((*r)["tasks"]["a1"]["iterations"].size(), std::size_t(2));
        QCOMPARE(QString::fromStdString(status(*r)), QStringLiteral("error")); // b2 fails again
    }

    void automaticRetryFollowsRetrySettings()
    {
        json flaky = stub("error");
        flaky["retrySettings"] = {
            {"autoRetry", true}, {"limit", 2}, {"delay", 5}, {"state", {"error"}}};
        save(workflow("Flaky", {{"a1", flaky}},
                      {{"workflow_start", {{"a1", edge("success")}}},
                       {"a1", {{"workflow_end", edge("success")}}}}));
        const std::string id = start("Flaky")["_id"];
        QCOMPARE(QString::fromStdString(status(job(id))), QStringLiteral("running"));
        QCOMPARE_JSON(job(id)["tasks"]["a1"]["status"], "scheduled");
        elapse(4'000);
        QCOMPARE(job(id)["tasks"]["a1"]["iterations"].size(), std::size_t(1));
        elapse(20'000);
        const json done = job(id);
        QCOMPARE(done["tasks"]["a1"]["iterations"].size(), std::size_t(3)); // first run + 2 retries
        QCOMPARE(QString::fromStdString(status(done)), QStringLiteral("error"));
    }

    void automaticRetryBacksOffByStrategyAcrossARestart()
    {
        json flaky = stub("error");
        flaky["retrySettings"] = {
            {"autoRetry", true}, {"limit", 3}, {"delay", 5}, {"retry_strategy", "exponential"}};
        save(workflow("Backing off", {{"a1", flaky}},
                      {{"workflow_start", {{"a1", edge("success")}}},
                       {"a1", {{"workflow_end", edge("success")}}}}));
        const std::string id = start("Backing off")["_id"];
        auto runs = [&] { return job(id)["tasks"]["a1"]["iterations"].size(); };
        elapse(4'999);
        QCOMPARE(runs(), std::size_t(1));
        elapse(1); // 5 s after the first failure
        QCOMPARE(runs(), std::size_t(2));
        // The process dies while the second retry waits 10 s: the wait it drew is kept.
        newEngine();
        QVERIFY(m_engine->recover().ok());
        elapse(9'999);
        QCOMPARE(runs(), std::size_t(2));
        elapse(1);
        QCOMPARE(runs(), std::size_t(3));
        elapse(19'999); // the third retry waits 20 s
        QCOMPARE(runs(), std::size_t(3));
        elapse(1);
        QCOMPARE(runs(), std::size_t(4)); // first run + 3 retries, then the error stands
        elapse(600'000);
        QCOMPARE(runs(), std::size_t(4));
        QCOMPARE(QString::fromStdString(status(job(id))), QStringLiteral("error"));
    }

    void jitteredRetryWaitsBetweenHalfAndAllOfTheDelay()
    {
        json flaky = stub("error");
        flaky["retrySettings"] = {{"autoRetry", true},
                                  {"limit", 1},
                                  {"delay", 8},
                                  {"retry_strategy", "exponential_jitter"}};
        save(workflow("Jittered", {{"a1", flaky}},
                      {{"workflow_start", {{"a1", edge("success")}}},
                       {"a1", {{"workflow_end", edge("success")}}}}));
        const std::string id = start("Jittered")["_id"];
        elapse(3'999);
        QCOMPARE(job(id)["tasks"]["a1"]["iterations"].size(), std::size_t(1));
        elapse(4'001);
        QCOMPARE(job(id)["tasks"]["a1"]["iterations"].size(), std::size_t(2));
    }

    // ---- durability ----

    void recoveryResumesDelaysAndManualTasks()
    {
        const std::string ping =
            start("Ping Until Reachable",
                  {{"device", "e"}, {"maxAttempts", 5}, {"labReplyOnAttempt", 2}})["_id"];
        const std::string approval =
            start("Change Approval",
                  {{"device", "d"}, {"changeTicket", "C"}, {"proposedConfig", "x"}})["_id"];
        // The process dies: a new engine on the same file.
        newEngine();
        auto recovered = m_engine->recover();
        QVERIFY(recovered.ok());
        QCOMPARE(*recovered, 2);
        QVERIFY(m_engine->nextTimerDue().has_value());
        elapse(10'000);
        QCOMPARE(QString::fromStdString(status(job(ping))), QStringLiteral("complete"));
        QVERIFY(finish(approval, "7a23", "success", {}).ok());
        QCOMPARE(QString::fromStdString(status(job(approval))), QStringLiteral("complete"));
    }

    void anErroredJobReloadsFromItsLogForRetry()
    {
        save(workflow("Later", {{"a1", wfTask("parse", {{"text", "$var.job.text"}})}},
                      {{"workflow_start", {{"a1", edge("success")}}},
                       {"a1", {{"workflow_end", edge("success")}}}}));
        const std::string id = start("Later", {{"text", "{"}})["_id"];
        newEngine(); // nothing in memory now
        QCOMPARE(m_engine->activeJobCount(), std::size_t(0));
        QVERIFY(m_engine->retryTask(id, "a1", {{"text", "[]"}}, std::nullopt).ok());
        QCOMPARE(QString::fromStdString(status(job(id))), QStringLiteral("complete"));
    }

    void finishedJobsLeaveMemory()
    {
        start("Device Health Check", {{"device", "r"}});
        QCOMPARE(m_engine->activeJobCount(), std::size_t(0));
        start("Change Approval", {{"device", "d"}, {"changeTicket", "C"}, {"proposedConfig", "x"}});
        QCOMPARE(m_engine->activeJobCount(), std::size_t(1));
    }

    void batchCommitsManyJobsTogether()
    {
        std::vector<std::string> ids;
        auto r = m_engine->batch([&]() -> Result<void> {
            for (int i = 0; i < 20; ++i) {
                StartJobOptions o;
                o.workflow = "Device Health Check";
                o.variables = {{"device", "r" + std::to_string(i)}};
                auto j = m_engine->startJob(o);
                if (!j)
                    return j.error();
                ids.push_back((*j)["_id"]);
            }
            return {};
        });
        QVERIFY(r.ok());
        for (const auto &id : ids)
            QCOMPARE(QString::fromStdString(m_store->job(id)->status), QStringLiteral("complete"));
    }
};

QTEST_GUILESS_MAIN(TestEngine)
#include "TestEngine.moc"
