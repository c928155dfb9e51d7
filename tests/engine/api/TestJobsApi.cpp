// SPDX-License-Identifier: GPL-3.0-or-later
// The Operations Manager job routes through EngineApi::dispatch with a real engine: each
// route's answer and its refusals, GBAC ("not found" for what one may not see, lists
// included), bulk answers per id, deletion of job trees and watcher notifications.
#include "tests/engine/api/OpsManagerFixture.h"
#include "tests/support/JsonAsserts.h"

#include <QTest>

using namespace flowdeck;
using namespace flowdeck::api;
using nlohmann::json;

namespace {
const std::string kJobs = "/operations-manager/jobs";

std::string text(const json &j)
{
    return j.is_string() ? j.get<std::string>() : j.dump();
}
} // namespace

class TestJobsApi : public QObject
{
    Q_OBJECT
    std::unique_ptr<test::OpsManagerFixture> f;

private Q_SLOTS:
    void init() { f = std::make_unique<test::OpsManagerFixture>(); }

    void startAnswersTheJobInTheEnvelope()
    {
        auto r = f->call(Method::Post, kJobs + "/start", f->alice,
                         {{"workflow", "Review"},
                          {"options",
                           {{"description", "from the API"},
                            {"variables", {{"ticket", "CHG7"}}},
                            {"groups", {f->noc}}}}});
        QCOMPARE(r.status, 200);
        QCOMPARE(text(r.json["message"]), QStringLiteral("job started").toStdString());
        QVERIFY(r.json["metadata"].is_object());
        const json &job = r.json["data"];
        QCOMPARE_JSON(job["status"], "running");
        QCOMPARE_JSON(job["description"], "from the API");
        QCOMPARE_JSON(job["variables"]["ticket"], "CHG7");
        QCOMPARE_JSON(job["groups"], json::array({f->noc}));
        QCOMPARE_JSON(job["created_by"], "alice");
    }

    void startRefusesBadBodies()
    {
        auto noWorkflow = f->call(Method::Post, kJobs + "/start", f->alice, {{"options", {}}});
        QCOMPARE(noWorkflow.status, 400);
        QCOMPARE_JSON(noWorkflow.json["details"]["pointer"], "/workflow");

        auto unknown = f->call(Method::Post, kJobs + "/start", f->alice, {{"workflow", "Nope"}});
        QCOMPARE(unknown.status, 404);

        auto badVars =
            f->call(Method::Post, kJobs + "/start", f->alice,
                    {{"workflow", "Review"}, {"options", {{"variables", json::object()}}}});
        QCOMPARE(badVars.status, 400);
        QVERIFY2(badVars.json.dump().find("ticket") != std::string::npos,
                 badVars.json.dump().c_str());

        auto badGroup = f->call(
            Method::Post, kJobs + "/start", f->alice,
            {{"workflow", "Review"},
             {"options",
              {{"variables", {{"ticket", "x"}}}, {"groups", {"ffffffffffffffffffffffff"}}}}});
        QCOMPARE(badGroup.status, 400);
        QCOMPARE_JSON(badGroup.json["details"]["pointer"], "/options/groups/0");

        auto notObject = f->call(Method::Post, kJobs + "/start", f->alice,
                                 {{"workflow", "Review"}, {"options", {{"variables", "x"}}}});
        QCOMPARE(notObject.status, 400);
        QCOMPARE_JSON(notObject.json["details"]["pointer"], "/options/variables");
    }

    void aTestRunTakesMocksAndSaysSoInTheDocumentAndTheList()
    {
        // The manual review mocked: the job runs through without a person.
        auto r = f->call(
            Method::Post, kJobs + "/start", f->alice,
            {{"workflow", "Review"},
             {"options",
              {{"variables", {{"ticket", "CHG8"}}},
               {"mocks",
                {{"a1",
                  {{"finish_state", "success"}, {"outgoing", {{"comment", "rehearsed"}}}}}}}}}});
        QVERIFY2(r.status == 200, r.json.dump().c_str());
        const std::string id = r.json["data"]["_id"];
        QCOMPARE_JSON(r.json["data"]["testRun"], true);
        QCOMPARE_JSON(r.json["data"]["status"], "complete");
        // A job started without mocks says nothing of the kind.
        const json plain = f->startJob();
        QVERIFY(!plain.contains("testRun"));
        auto list = f->call(Method::Get, kJobs, f->alice, nullptr, {{"include", "name,testRun"}});
        QCOMPARE(list.status, 200);
        int marked = 0;
        for (const json &job : list.json["data"])
            marked += job.value("testRun", false) ? 1 : 0;
        QCOMPARE(marked, 1);

        // A mock of another shape is refused, naming where.
        auto badState = f->call(Method::Post, kJobs + "/start", f->alice,
                                {{"workflow", "Review"},
                                 {"options",
                                  {{"variables", {{"ticket", "x"}}},
                                   {"mocks", {{"a1", {{"finish_state", "done"}}}}}}}});
        QCOMPARE(badState.status, 400);
        QVERIFY2(badState.json["message"].get<std::string>().find("/mocks/a1/finish_state") !=
                     std::string::npos,
                 badState.json.dump().c_str());
        auto notObject =
            f->call(Method::Post, kJobs + "/start", f->alice,
                    {{"workflow", "Review"},
                     {"options", {{"variables", {{"ticket", "x"}}}, {"mocks", "a1"}}}});
        QCOMPARE(notObject.status, 400);
        QCOMPARE_JSON(notObject.json["details"]["pointer"], "/options/mocks");
    }

    // Clients that create jobs from a workflow's id send its _id where the name would go.
    void startByTheWorkflowsId()
    {
        const std::string wfId = (*f->store->workflowByName("Review")).id;
        auto r =
            f->call(Method::Post, kJobs + "/start", f->alice,
                    {{"workflow", wfId},
                     {"options", {{"variables", {{"ticket", "CHG8"}}}, {"groups", {f->noc}}}}});
        QVERIFY2(r.status == 200, r.json.dump().c_str());
        QCOMPARE_JSON(r.json["data"]["name"], "Review");
        QCOMPARE_JSON(r.json["data"]["workflow"]["_id"], wfId);
        // An id no workflow has is still a 404, as is a name that looks like no id.
        auto unknown = f->call(Method::Post, kJobs + "/start", f->alice,
                               {{"workflow", "0123456789abcdef01234567"}});
        QCOMPARE(unknown.status, 404);
    }

    // Real exports require _id and initiator in the inputSchema: Itential adds both to the job's
    // variables before it validates, and a caller cannot set either.
    void idAndInitiatorAreAddedBeforeTheInputSchemaIsChecked()
    {
        json wf = test::reviewWorkflow();
        wf["name"] = "Review strictly";
        wf["inputSchema"] = {{"type", "object"},
                             {"required", {"_id", "initiator", "ticket"}},
                             {"properties",
                              {{"_id", {{"type", "string"}}},
                               {"initiator", {{"type", "string"}}},
                               {"ticket", {{"type", "string"}}}}},
                             {"additionalProperties", false}};
        QVERIFY(f->store->saveWorkflow(*model::Workflow::fromJson(wf), std::nullopt, true));
        auto r = f->call(
            Method::Post, kJobs + "/start", f->alice,
            {{"workflow", "Review strictly"},
             {"options",
              {{"variables", {{"ticket", "CHG9"}, {"_id", "mine"}, {"initiator", "mallory"}}},
               {"groups", {f->noc}}}}});
        QVERIFY2(r.status == 200, r.json.dump().c_str());
        const json &job = r.json["data"];
        QCOMPARE_JSON(job["variables"]["_id"], job["_id"]);
        QCOMPARE_JSON(job["variables"]["initiator"], "alice");
        // The schema's other rules still apply.
        auto missing =
            f->call(Method::Post, kJobs + "/start", f->alice,
                    {{"workflow", "Review strictly"},
                     {"options", {{"variables", json::object()}, {"groups", {f->noc}}}}});
        QCOMPARE(missing.status, 400);
        QVERIFY2(missing.json.dump().find("ticket") != std::string::npos,
                 missing.json.dump().c_str());
        QVERIFY2(missing.json.dump().find("'_id'") == std::string::npos,
                 missing.json.dump().c_str());
    }

    void listFiltersByGroupsAndCountsOnlyWhatOneSees()
    {
        f->startJob("Review", {f->noc});
        f->startJob("Review", {f->noc});
        f->startJob("Review", {f->field});
        f->startJob("Review", json::array());
        auto count = [&](const Principal &who) {
            auto r = f->call(Method::Get, kJobs, who);
            if (r.status != 200)
                return std::pair<std::int64_t, std::size_t>(-1, 0);
            return std::pair(r.json["metadata"]["total"].get<std::int64_t>(),
                             r.json["data"].size());
        };
        QCOMPARE(count(f->admin), (std::pair<std::int64_t, std::size_t>(4, 4)));
        QCOMPARE(count(f->alice), (std::pair<std::int64_t, std::size_t>(3, 3)));
        QCOMPARE(count(f->bob), (std::pair<std::int64_t, std::size_t>(2, 2)));
    }

    void listPagesWithMetadata()
    {
        for (int i = 0; i < 5; ++i)
            f->startJob();
        auto r = f->call(Method::Get, kJobs, f->admin, nullptr,
                         {{"limit", "2"}, {"skip", "2"}, {"include", "status"}});
        QCOMPARE(r.status, 200);
        const json &m = r.json["metadata"];
        QCOMPARE_JSON(m["total"], 5);
        QCOMPARE_JSON(m["skip"], 2);
        QCOMPARE_JSON(m["limit"], 2);
        QCOMPARE_JSON(m["currentPageSize"], 2);
        QCOMPARE_JSON(m["nextPageSkip"], 4);
        QCOMPARE_JSON(m["previousPageSkip"], 0);
        // include keeps _id and the named fields only.
        QCOMPARE(r.json["data"][0].size(), std::size_t(2));
        QVERIFY(r.json["data"][0].contains("_id"));

        auto last = f->call(Method::Get, kJobs, f->admin, nullptr, {{"skip", "4"}});
        QVERIFY(last.json["metadata"]["nextPageSkip"].is_null());

        auto clamped = f->call(Method::Get, kJobs, f->admin, nullptr, {{"limit", "5000"}});
        QCOMPARE_JSON(clamped.json["metadata"]["limit"], 1000);
        QCOMPARE(clamped.json["metadata"]["hints"].size(), std::size_t(1));
    }

    void listRefusesWhatItDoesNotUnderstand()
    {
        auto r = f->call(Method::Get, kJobs, f->admin, nullptr, {{"equals[colour]", "red"}});
        QCOMPARE(r.status, 400);
        QVERIFY2(r.json["message"].get<std::string>().find("colour") != std::string::npos,
                 r.json.dump().c_str());
        auto p = f->call(Method::Get, kJobs, f->admin, nullptr, {{"colour", "red"}});
        QCOMPARE(p.status, 400);
        QCOMPARE_JSON(p.json["details"]["parameter"], "colour");
    }

    void getOneWithProjectionAndDereference()
    {
        const auto id = test::OpsManagerFixture::idOf(f->startJob());
        auto r = f->call(Method::Get, kJobs + "/" + id, f->alice, nullptr,
                         {{"exclude", "tasks,variables"}, {"dereference", "workflow"}});
        QCOMPARE(r.status, 200);
        QCOMPARE_JSON(r.json["data"]["_id"], id);
        QVERIFY(!r.json["data"].contains("tasks"));
        QVERIFY(r.json["data"].contains("status"));
        QVERIFY(r.json["data"]["workflow"].contains("transitions")); // the stored workflow

        QCOMPARE(f->call(Method::Get, kJobs + "/" + id, f->bob).status, 404);
        QCOMPARE(f->call(Method::Get, kJobs + "/ffffffffffffffffffffffff", f->admin).status, 404);
        QCOMPARE(f->call(Method::Get, kJobs + "/" + id, f->admin, nullptr, {{"limit", "1"}}).status,
                 400);
    }

    void bulkPauseResumeCancelAnswerPerId()
    {
        const auto a = test::OpsManagerFixture::idOf(f->startJob());
        const auto hidden = test::OpsManagerFixture::idOf(f->startJob("Review", {f->field}));
        auto paused = f->call(Method::Post, kJobs + "/pause", f->alice, {{"jobIds", {a}}});
        QCOMPARE(paused.status, 200);
        QCOMPARE_JSON(paused.json["data"]["results"][0]["data"]["status"], "paused");

        auto mixed = f->call(Method::Post, kJobs + "/resume", f->alice,
                             {{"jobIds", {a, hidden, "ffffffffffffffffffffffff"}}});
        QCOMPARE(mixed.status, 207);
        const json &results = mixed.json["data"]["results"];
        QCOMPARE_JSON(results[0]["ok"], true);
        QCOMPARE_JSON(results[0]["data"]["status"], "running");
        QCOMPARE_JSON(results[1]["status"], 404); // hidden by GBAC looks missing
        QCOMPARE_JSON(results[2]["status"], 404);
        QCOMPARE_JSON(mixed.json["data"]["succeeded"], 1);
        QCOMPARE_JSON(mixed.json["data"]["failed"], 2);

        auto again = f->call(Method::Post, kJobs + "/resume", f->alice, {{"jobIds", {a}}});
        QCOMPARE(again.status, 207);
        QCOMPARE_JSON(again.json["data"]["results"][0]["status"], 409);

        auto canceled = f->call(Method::Post, kJobs + "/cancel", f->alice, {{"jobIds", {a}}});
        QCOMPARE(canceled.status, 200);
        QCOMPARE_JSON(canceled.json["data"]["results"][0]["data"]["status"], "canceled");

        QCOMPARE(
            f->call(Method::Post, kJobs + "/pause", f->alice, {{"jobIds", json::array()}}).status,
            400);
        auto badId = f->call(Method::Post, kJobs + "/pause", f->alice, {{"jobIds", {a, 7}}});
        QCOMPARE(badId.status, 400);
        QCOMPARE_JSON(badId.json["details"]["pointer"], "/jobIds/1");
    }

    void continueAnErroredJob()
    {
        const auto id = test::OpsManagerFixture::idOf(f->startJob("Fails"));
        QCOMPARE_JSON((*f->engine->jobDocument(id))["status"], "error");
        QCOMPARE(
            f->call(Method::Post, kJobs + "/" + id + "/continue", f->alice, json::object()).status,
            400);
        QCOMPARE(f->call(Method::Post, kJobs + "/" + id + "/continue", f->bob, {{"fromTask", "b2"}})
                     .status,
                 404);
        auto r =
            f->call(Method::Post, kJobs + "/" + id + "/continue", f->alice, {{"fromTask", "b2"}});
        QCOMPARE(r.status, 200);
        QCOMPARE_JSON(r.json["data"]["status"], "complete");
    }

    void revertRefusesARunningJob()
    {
        const auto id = test::OpsManagerFixture::idOf(f->startJob());
        QCOMPARE(f->call(Method::Post, kJobs + "/" + id + "/revert", f->alice, {{"fromTask", "a1"}})
                     .status,
                 400);
        auto r = f->call(Method::Post, kJobs + "/" + id + "/revert", f->alice,
                         {{"fromTask", "a1"}, {"toTask", "workflow_start"}});
        QCOMPARE(r.status, 409);
    }

    void deleteOnlyFinishedRootJobsWithEverythingTheyHold()
    {
        const auto id = test::OpsManagerFixture::idOf(f->startJob());
        auto running = f->call(Method::Delete, kJobs + "/" + id, f->admin);
        QCOMPARE(running.status, 409);
        QVERIFY(running.json["message"].get<std::string>().find("running") != std::string::npos);
        QVERIFY(f->engine->cancelJob(id, "admin").ok());
        QVERIFY(!f->store->jobEvents(id, 0, 100)->empty());

        auto r = f->call(Method::Delete, kJobs + "/" + id, f->admin);
        QCOMPARE(r.status, 200);
        QCOMPARE_JSON(r.json["data"][0]["jobsDeleted"], 1);
        QVERIFY(r.json["data"][0]["tasksDeleted"].get<int>() >= 1);
        QVERIFY(r.json["data"][0]["jobHistoryDeleted"].get<int>() >= 1);
        QCOMPARE(f->call(Method::Get, kJobs + "/" + id, f->admin).status, 404);
        QVERIFY(f->store->jobEvents(id, 0, 100)->empty());
        QVERIFY(f->store->taskIterations(id)->empty());
        QCOMPARE(f->call(Method::Delete, kJobs + "/" + id, f->admin).status, 404);
    }

    void deleteManyAndBulkDelete()
    {
        const auto done = test::OpsManagerFixture::idOf(f->startJob());
        const auto live = test::OpsManagerFixture::idOf(f->startJob());
        QVERIFY(f->engine->cancelJob(done, "admin").ok());
        auto r = f->call(Method::Post, kJobs + "/delete", f->admin, {{"jobIds", {done, live}}});
        QCOMPARE(r.status, 207);
        QCOMPARE_JSON(r.json["data"]["results"][0]["ok"], true);
        QCOMPARE_JSON(r.json["data"]["results"][1]["status"], 409);

        const auto other = test::OpsManagerFixture::idOf(f->startJob());
        QVERIFY(f->engine->cancelJob(other, "admin").ok());
        auto b =
            f->call(Method::Post, kJobs + "/bulk-delete", f->admin, {{"jobIds", {other, live}}});
        QCOMPARE(b.status, 200); // ineligible ids are skipped, as Itential does
        QCOMPARE_JSON(b.json["data"]["jobsDeleted"], 1);
        QVERIFY(b.json["data"]["tasksDeleted"].get<int>() >= 1);
        QCOMPARE_JSON(b.json["data"]["results"][1]["status"], 409);
        QCOMPARE(f->call(Method::Get, kJobs + "/" + live, f->admin).status, 200);
    }

    void groupsRoutes()
    {
        const auto id = test::OpsManagerFixture::idOf(f->startJob());
        const auto path = kJobs + "/" + id + "/groups";
        QCOMPARE(f->call(Method::Get, kJobs + "/" + id, f->bob).status, 404);

        auto added = f->call(Method::Post, path, f->admin, {{"groupId", f->field}});
        QCOMPARE(added.status, 200);
        QCOMPARE_JSON(added.json["data"]["groups"], json::array({f->noc, f->field}));
        QCOMPARE(f->call(Method::Get, kJobs + "/" + id, f->bob).status, 200);

        auto unknown =
            f->call(Method::Post, path, f->admin, {{"groupId", "ffffffffffffffffffffffff"}});
        QCOMPARE(unknown.status, 400);
        QCOMPARE_JSON(unknown.json["details"]["pointer"], "/groupId");

        auto replaced = f->call(Method::Put, path, f->admin, {{"groups", {f->field}}});
        QCOMPARE(replaced.status, 200);
        QCOMPARE_JSON(replaced.json["data"]["groups"], json::array({f->field}));
        QCOMPARE(f->call(Method::Get, kJobs + "/" + id, f->alice).status, 404);

        QCOMPARE(f->call(Method::Delete, path + "/" + f->noc, f->admin).status, 404);
        auto removed = f->call(Method::Delete, path + "/" + f->field, f->admin);
        QCOMPARE(removed.status, 200);
        QCOMPARE_JSON(removed.json["data"]["groups"], json::array());

        QVERIFY(f->call(Method::Put, path, f->admin, {{"groups", {f->noc}}}).ok());
        auto cleared = f->call(Method::Delete, path, f->admin);
        QCOMPARE(cleared.status, 200);
        QVERIFY(cleared.json["data"].is_null());
        QCOMPARE_JSON((*f->engine->jobDocument(id))["groups"], json::array());
    }

    void watchersAreToldOfStatusChanges()
    {
        const auto id = test::OpsManagerFixture::idOf(f->startJob());
        auto w = f->call(Method::Post, kJobs + "/" + id + "/watch", f->alice);
        QCOMPARE(w.status, 200);
        QCOMPARE_JSON(w.json["data"]["watchers"], json::array({"alice"}));
        QCOMPARE(f->call(Method::Post, kJobs + "/" + id + "/watch", f->bob).status, 404);

        auto added = f->call(Method::Post, kJobs + "/" + id + "/add-watchers", f->admin,
                             {{"userIds", {f->carolUser.id}}});
        QCOMPARE(added.status, 200);
        QCOMPARE_JSON(added.json["data"]["watchers"], json::array({"alice", "carol"}));
        auto unknownUser = f->call(Method::Post, kJobs + "/" + id + "/add-watchers", f->admin,
                                   {{"userIds", {f->carolUser.id, "ffffffffffffffffffffffff"}}});
        QCOMPARE(unknownUser.status, 400);
        QCOMPARE_JSON(unknownUser.json["details"]["pointer"], "/userIds/1");

        auto un = f->call(Method::Post, kJobs + "/" + id + "/unwatch", f->carol);
        QCOMPARE(un.status, 200);
        QCOMPARE_JSON(un.json["data"]["watchers"], json::array({"alice"}));

        QVERIFY(f->call(Method::Post, kJobs + "/cancel", f->admin, {{"jobIds", {id}}}).ok());
        bool told = false;
        for (const auto &e : *f->store->jobEvents(id, 0, 1000))
            if (e.kind == "watchersNotified" && e.data["status"] == "canceled")
                told = e.data["users"] == json::array({"alice"});
        QVERIFY(told);
    }

    void bulkWatchAndUnwatch()
    {
        const auto a = test::OpsManagerFixture::idOf(f->startJob());
        const auto b = test::OpsManagerFixture::idOf(f->startJob("Review", json::array()));
        auto w = f->call(Method::Post, kJobs + "/watch", f->bob, {{"jobIds", {a, b}}});
        QCOMPARE(w.status, 207);
        QCOMPARE_JSON(w.json["data"]["results"][0]["status"], 404);
        QCOMPARE_JSON(w.json["data"]["results"][1]["data"]["watchers"], json::array({"bob"}));
        auto u = f->call(Method::Post, kJobs + "/unwatch", f->bob, {{"jobIds", {b}}});
        QCOMPARE(u.status, 200);
        QCOMPARE_JSON((*f->engine->jobDocument(b))["watchers"], json::array());
    }

    // Flowdeck keeps every value inline in the job, so it never hands out a large-data id: the
    // route is not served at all rather than answering a fixed 404.
    void noLargeDataRoute()
    {
        for (const auto &route : f->api->routes())
            QVERIFY2(route.pattern.pattern().find("large-data") == std::string::npos,
                     route.pattern.pattern().c_str());
        auto r = f->call(Method::Get, "/operations-manager/large-data/abc", f->alice);
        QCOMPARE(r.status, 404);
        QVERIFY(r.json["message"].get<std::string>().find("no route") != std::string::npos);
    }
};

QTEST_GUILESS_MAIN(TestJobsApi)
#include "TestJobsApi.moc"
