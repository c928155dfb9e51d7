// SPDX-License-Identifier: GPL-3.0-or-later
// The manual-task lifecycle: claim, assign, release and finish with their refusals, GBAC on
// jobs and tasks ("not found", never "forbidden", for what one may not see), the form a task
// asks for, the history of who did what, and watchers.
#include "engine/runtime/Engine.h"
#include "engine/store/SqliteStore.h"
#include "tests/support/JsonAsserts.h"

#include <QTest>

#include <climits>

using namespace flowdeck;
using namespace flowdeck::runtime;
using nlohmann::json;

namespace {

const std::string kNoc = "aaaaaaaaaaaaaaaaaaaaaaa1";   // group: network operations
const std::string kField = "aaaaaaaaaaaaaaaaaaaaaaa2"; // group: field engineers

model::Principal person(const std::string &name, std::set<std::string> groups,
                        std::set<std::string> permissions = {"claimTask", "finishManualTask"},
                        bool admin = false)
{
    return {"b0b0000000000000000000" + name.substr(0, 2), name, std::move(groups),
            std::move(permissions), admin};
}

json edge(const char *state)
{
    return {{"state", state}, {"type", "standard"}};
}

/// start → review (manual, NOC only) → record → end; review declares two fields.
json approvalWorkflow(json taskGroups = json::array({kNoc}))
{
    return {{"name", "Review"},
            {"type", "automation"},
            {"inputSchema",
             {{"type", "object"},
              {"properties",
               {{"ticket", {{"type", "string"}}}, {"approvedVlan", {{"type", "integer"}}}}}}},
            {"tasks",
             {{"workflow_start", {{"name", "workflow_start"}}},
              {"workflow_end", {{"name", "workflow_end"}}},
              {"a1",
               {{"name", "ViewData"},
                {"summary", "Review the change"},
                {"app", "WorkFlowEngine"},
                {"type", "manual"},
                {"view", "/workflow_engine/task/ViewData"},
                {"groups", taskGroups},
                {"variables",
                 {{"incoming",
                   {{"header", "Review $var"},
                    {"message", "Check the ticket"},
                    {"body", "$var.job.ticket"},
                    {"variables", {{"site", "ATL01"}}},
                    {"btn_success", "Approve"},
                    {"btn_failure", "Reject"}}},
                  {"outgoing", {{"vlan", "$var.job.approvedVlan"}, {"comment", nullptr}}}}}}},
              {"b2",
               {{"name", "newVariable"},
                {"app", "WorkFlowEngine"},
                {"type", "operation"},
                {"variables", {{"incoming", {{"name", "done"}, {"value", true}}}}}}}}},
            {"transitions",
             {{"workflow_start", {{"a1", edge("success")}}},
              {"a1", {{"b2", edge("success")}, {"workflow_end", edge("failure")}}},
              {"b2", {{"workflow_end", edge("success")}}}}}};
}

} // namespace

class TestManualTasks : public QObject
{
    Q_OBJECT

    std::unique_ptr<store::SqliteStore> m_store;
    std::unique_ptr<Engine> m_engine;
    const model::Principal m_alice = person("alice", {kNoc});
    const model::Principal m_carol = person("carol", {kNoc});
    const model::Principal m_dave = person("dave", {kField});
    const model::Principal m_lead = person("lead", {kNoc}, {"claimTask", "assignTask"});
    const model::Principal m_admin = person("admin", {}, {}, true);

    /// Starts a job in the NOC's group; answers {jobId, iteration of a1}.
    std::pair<std::string, std::string> startReview(json jobGroups = json::array({kNoc}))
    {
        StartJobOptions o;
        o.workflow = "Review";
        o.variables = {{"ticket", "CHG1"}};
        o.groups = std::move(jobGroups);
        o.actor = "alice";
        auto job = m_engine->startJob(o);
        if (!job)
            qFatal("start: %s", job.error().message.c_str());
        return {(*job)["_id"], (*job)["tasks"]["a1"]["iterations"][0]};
    }

private Q_SLOTS:
    void init()
    {
        m_store = std::move(*store::SqliteStore::open(":memory:"));
        m_engine = std::make_unique<Engine>(*m_store);
        QVERIFY(m_store->saveWorkflow(*model::Workflow::fromJson(approvalWorkflow()), std::nullopt,
                                      true));
    }

    void claimThenFinish()
    {
        auto [job, it] = startReview();
        auto claimed = m_engine->claimTask(it, m_alice);
        QVERIFY2(claimed.ok(), claimed.ok() ? "" : claimed.error().message.c_str());
        QCOMPARE_JSON((*claimed)["owner"], "alice");
        auto done = m_engine->finishManualTask(job, "a1", "success",
                                               {{"vlan", 120}, {"comment", "ok"}}, m_alice);
        QVERIFY2(done.ok(), done.ok() ? "" : done.error().message.c_str());
        QCOMPARE_JSON((*done)["status"], "complete");
        QCOMPARE_JSON((*done)["variables"]["approvedVlan"], 120);
        QCOMPARE_JSON((*done)["tasks"]["a1"]["metrics"]["user"], "alice");
    }

    void onlyOneOfManyClaimersWins()
    {
        auto [job, it] = startReview();
        int won = 0;
        std::string firstOwner;
        for (int i = 0; i < 50; ++i) {
            const auto who = person("op" + std::to_string(i) + "xx", {kNoc});
            auto r = m_engine->claimTask(it, who);
            if (r.ok()) {
                ++won;
                firstOwner = who.username;
            } else {
                QCOMPARE(r.error().code, ErrorCode::Conflict);
                QVERIFY2(r.error().message.find("claimed by " + firstOwner) != std::string::npos,
                         r.error().message.c_str());
            }
        }
        QCOMPARE(won, 1);
        // The owner claiming again is harmless.
        QVERIFY(m_engine->claimTask(it, person(firstOwner, {kNoc})).ok());
    }

    void refusalsAreDistinctAndChangeNothing()
    {
        auto [job, it] = startReview();
        auto unclaimed = m_engine->finishManualTask(job, "a1", "success", {}, m_alice);
        QCOMPARE(unclaimed.error().code, ErrorCode::Conflict);
        QVERIFY(unclaimed.error().message.find("claim") != std::string::npos);
        QVERIFY(m_engine->claimTask(it, m_alice).ok());
        auto notMine = m_engine->finishManualTask(job, "a1", "success", {}, m_carol);
        QCOMPARE(notMine.error().code, ErrorCode::Forbidden);
        QVERIFY(notMine.error().message.find("alice") != std::string::npos);
        auto badField = m_engine->finishManualTask(job, "a1", "success", {{"vlna", 1}}, m_alice);
        QCOMPARE(badField.error().code, ErrorCode::Invalid);
        QCOMPARE_JSON(badField.error().details[0]["instancePath"], "/variables/vlna");
        auto badType = m_engine->finishManualTask(job, "a1", "success", {{"vlan", "120"}}, m_alice);
        QCOMPARE(badType.error().code, ErrorCode::Invalid);
        QVERIFY(badType.error().message.find("integer") != std::string::npos);
        QCOMPARE_JSON((*m_engine->jobDocument(job))["tasks"]["a1"]["status"], "running");

        QVERIFY(m_engine->finishManualTask(job, "a1", "failure", {}, m_alice).ok());
        auto twice = m_engine->finishManualTask(job, "a1", "failure", {}, m_alice);
        QCOMPARE(twice.error().code, ErrorCode::Conflict);
        auto claimFinished = m_engine->claimTask(it, m_carol);
        QCOMPARE(claimFinished.error().code, ErrorCode::Conflict);
        QVERIFY(claimFinished.error().message.find("failure") != std::string::npos ||
                claimFinished.error().message.find("complete") != std::string::npos);
    }

    void noClaimingInAPausedOrCanceledJob()
    {
        auto [job, it] = startReview();
        QVERIFY(m_engine->pauseJob(job, std::nullopt).ok());
        auto paused = m_engine->claimTask(it, m_alice);
        QCOMPARE(paused.error().code, ErrorCode::Conflict);
        QVERIFY(paused.error().message.find("paused") != std::string::npos);
        QVERIFY(m_engine->cancelJob(job, std::nullopt).ok());
        auto canceled = m_engine->claimTask(it, m_alice);
        QCOMPARE(canceled.error().code, ErrorCode::Conflict);
        QVERIFY(canceled.error().message.find("canceled") != std::string::npos);
    }

    void releaseByOwnerOrAssigner()
    {
        auto [job, it] = startReview();
        QCOMPARE(m_engine->releaseTask(it, m_alice).error().code, ErrorCode::Conflict);
        QVERIFY(m_engine->claimTask(it, m_alice).ok());
        QCOMPARE(m_engine->releaseTask(it, m_carol).error().code, ErrorCode::Forbidden);
        auto released = m_engine->releaseTask(it, m_alice);
        QVERIFY(released.ok());
        QCOMPARE_JSON((*released)["owner"], nullptr);
        QVERIFY(m_engine->claimTask(it, m_carol).ok());
        QVERIFY(m_engine->releaseTask(it, m_lead).ok()); // assignTask may release anyone's
    }

    void assignNeedsThePermissionAndAnAllowedAssignee()
    {
        auto [job, it] = startReview();
        QCOMPARE(m_engine->assignTask(it, m_carol, m_alice).error().code, ErrorCode::Forbidden);
        auto outsider = m_engine->assignTask(it, m_dave, m_lead);
        QCOMPARE(outsider.error().code, ErrorCode::Invalid);
        QVERIFY(outsider.error().message.find("dave") != std::string::npos);
        auto assigned = m_engine->assignTask(it, m_carol, m_lead);
        QVERIFY(assigned.ok());
        QCOMPARE_JSON((*assigned)["owner"], "carol");
        QVERIFY(m_engine->finishManualTask(job, "a1", "success", {}, m_carol).ok());
    }

    void hiddenJobsAndTasksAreNotFound()
    {
        auto [job, it] = startReview();
        QCOMPARE(m_engine->claimTask(it, m_dave).error().code, ErrorCode::NotFound);
        QCOMPARE(m_engine->taskIteration(it, m_dave).error().code, ErrorCode::NotFound);
        QCOMPARE(m_engine->manualTaskController(job, "a1", m_dave).error().code,
                 ErrorCode::NotFound);
        QVERIFY(m_engine->taskIteration(it, m_admin).ok());
        QCOMPARE(m_engine->claimTask("not-a-uuid", m_alice).error().code, ErrorCode::NotFound);
        QCOMPARE(m_engine->claimTask("00000000-0000-4000-8000-000000000000", m_alice).error().code,
                 ErrorCode::NotFound);

        // A job open to everyone, with a task only field engineers may work.
        QVERIFY(m_store->saveWorkflow(*model::Workflow::fromJson(approvalWorkflow({kField})),
                                      std::nullopt, true));
        auto [open, openIt] = startReview(json::array());
        QCOMPARE(m_engine->claimTask(openIt, m_alice).error().code, ErrorCode::NotFound);
        QVERIFY(m_engine->claimTask(openIt, m_dave).ok());
    }

    void workflowGroupsDecideWhoMayStart()
    {
        json restricted = approvalWorkflow();
        restricted["name"] = "NOC only";
        restricted["groups"] = json::array({kNoc});
        QVERIFY(m_store->saveWorkflow(*model::Workflow::fromJson(restricted), std::nullopt, true));
        StartJobOptions o;
        o.workflow = "NOC only";
        o.variables = {{"ticket", "T"}};
        o.principal = m_dave;
        auto hidden = m_engine->startJob(o);
        QCOMPARE(hidden.error().code, ErrorCode::NotFound);
        QVERIFY(hidden.error().message.find("no workflow named") != std::string::npos);
        o.principal = m_alice;
        QVERIFY(m_engine->startJob(o).ok());
        o.groups = json::array({"not-a-group"});
        QCOMPARE(m_engine->startJob(o).error().code, ErrorCode::Invalid);
    }

    void jobGroupsChangeAndHideTheJob()
    {
        auto [job, it] = startReview(json::array());
        QVERIFY(m_engine->claimTask(it, m_alice).ok());
        auto added = m_engine->changeJobGroups(job, GroupChange::Add, {kField}, m_admin);
        QCOMPARE_JSON((*added)["groups"], json::array({kField}));
        // alice is not a field engineer: the job is gone from her view.
        QCOMPARE(m_engine->changeJobGroups(job, GroupChange::Add, {kNoc}, m_alice).error().code,
                 ErrorCode::NotFound);
        QCOMPARE(m_engine->finishManualTask(job, "a1", "success", {}, m_alice).error().code,
                 ErrorCode::NotFound);
        auto replaced =
            m_engine->changeJobGroups(job, GroupChange::Replace, {kNoc, kField}, m_admin);
        QCOMPARE((*replaced)["groups"].size(), std::size_t(2));
        QCOMPARE(
            m_engine
                ->changeJobGroups(job, GroupChange::Remove, {"bbbbbbbbbbbbbbbbbbbbbbbb"}, m_admin)
                .error()
                .code,
            ErrorCode::NotFound);
        QVERIFY(m_engine->changeJobGroups(job, GroupChange::Remove, {kField}, m_admin).ok());
        QCOMPARE(m_engine->changeJobGroups(job, GroupChange::Add, {"x"}, m_admin).error().code,
                 ErrorCode::Invalid);
        auto cleared = m_engine->changeJobGroups(job, GroupChange::Clear, {}, m_admin);
        QCOMPARE_JSON((*cleared)["groups"], json::array());
        QVERIFY(m_engine->finishManualTask(job, "a1", "success", {}, m_alice).ok());
    }

    void controllerDescribesTheForm()
    {
        auto [job, it] = startReview();
        auto c = m_engine->manualTaskController(job, "a1", m_alice);
        QVERIFY(c.ok());
        QCOMPARE_JSON((*c)["header"], "Review $var");
        QCOMPARE_JSON((*c)["body"], "CHG1");
        QCOMPARE_JSON((*c)["show"], (json{{"site", "ATL01"}}));
        QCOMPARE_JSON((*c)["buttons"], (json{{"success", "Approve"}, {"failure", "Reject"}}));
        QCOMPARE((*c)["fields"].size(), std::size_t(2));
        QCOMPARE_JSON(
            (*c)["fields"][1],
            (json{{"name", "vlan"}, {"type", "integer"}, {"promotesTo", "approvedVlan"}}));
        QCOMPARE_JSON((*c)["iteration"], it);
        QCOMPARE_JSON((*c)["TaskController"], "ViewDataController");
        QCOMPARE(m_engine->manualTaskController(job, "b2", m_alice).error().code,
                 ErrorCode::Invalid);
    }

    void historyRecordsWhoDidWhat()
    {
        auto [job, it] = startReview();
        QVERIFY(m_engine->claimTask(it, m_alice).ok());
        QVERIFY(m_engine->releaseTask(it, m_alice).ok());
        QVERIFY(m_engine->assignTask(it, m_carol, m_lead).ok());
        QVERIFY(m_engine->finishManualTask(job, "a1", "success", {}, m_carol).ok());
        std::vector<std::string> seen;
        for (const auto &e : *m_store->jobEvents(job, 0, INT_MAX))
            if (e.kind == "taskOwner")
                seen.push_back(e.data.value("by", std::string()) + ":" + e.actor.value_or("?"));
        QCOMPARE(seen, (std::vector<std::string>{"claim:alice", "release:alice", "assign:lead",
                                                 "finish:carol"}));
    }

    void watchersHearOfStatusAndAvailableTasks()
    {
        auto [job, it] = startReview();
        QVERIFY(m_engine->setWatchers(job, m_alice, {"alice", "dave"}, {}).ok());
        auto doc = m_engine->setWatchers(job, m_alice, {"alice"}, {}); // again: no change
        QCOMPARE_JSON((*doc)["watchers"], (json{"alice", "dave"}));
        m_engine->setPeopleResolver(
            [this](const std::string &u) -> std::optional<model::Principal> {
                if (u == "alice")
                    return m_alice;
                if (u == "dave")
                    return m_dave;
                return std::nullopt;
            });
        QVERIFY(m_engine->claimTask(it, m_alice).ok());
        QVERIFY(m_engine->releaseTask(it, m_alice).ok()); // the task is available again
        QVERIFY(m_engine->claimTask(it, m_alice).ok());
        QVERIFY(m_engine->finishManualTask(job, "a1", "success", {}, m_alice).ok()); // complete
        std::vector<std::string> notes;
        for (const auto &e : *m_store->jobEvents(job, 0, INT_MAX))
            if (e.kind == "watchersNotified")
                notes.push_back(e.data["reason"].get<std::string>() + ":" + e.data["users"].dump());
        // dave may not see the NOC task: told of the job's status only.
        QCOMPARE(notes, (std::vector<std::string>{R"(taskAvailable:["alice"])",
                                                  R"(jobStatus:["alice","dave"])"}));
        QVERIFY(m_engine->setWatchers(job, m_alice, {}, {"dave"}).ok());
        QCOMPARE_JSON((*m_engine->jobDocument(job))["watchers"], json{"alice"});
    }
};

QTEST_GUILESS_MAIN(TestManualTasks)
#include "TestManualTasks.moc"
