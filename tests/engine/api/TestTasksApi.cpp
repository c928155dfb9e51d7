// SPDX-License-Identifier: GPL-3.0-or-later
// The Operations Manager task routes through EngineApi::dispatch with a real engine: the
// inbox listing, one task run, claim / assign / release, the manual-task controller, finish
// and retry, each with its refusals.
#include "tests/engine/api/OpsManagerFixture.h"
#include "tests/support/JsonAsserts.h"

#include <QTest>

using namespace flowdeck;
using namespace flowdeck::api;
using nlohmann::json;

namespace {
const std::string kTasks = "/operations-manager/tasks";
const std::string kJobs = "/operations-manager/jobs";
using Query = std::multimap<std::string, std::string>;
const Query kInbox{{"equals[type]", "manual"}, {"equals[status]", "running"}};

bool mentions(const json &body, const std::string &word)
{
    return body.value("message", std::string()).find(word) != std::string::npos;
}
} // namespace

class TestTasksApi : public QObject
{
    Q_OBJECT
    std::unique_ptr<test::OpsManagerFixture> f;

    std::size_t inboxSize(const Principal &who, Query extra = {})
    {
        Query q = kInbox;
        q.insert(extra.begin(), extra.end());
        auto r = f->call(Method::Get, kTasks, who, nullptr, q);
        if (r.status != 200)
            return 999;
        if (r.json["metadata"]["total"] != json(r.json["data"].size()))
            return 998;
        return r.json["data"].size();
    }

private Q_SLOTS:
    void init() { f = std::make_unique<test::OpsManagerFixture>(); }

    void inboxListsRunningManualTasksOneMaySee()
    {
        f->startJob();                        // NOC
        f->startJob("Review", {f->field});    // field engineers
        f->startJob("Review", json::array()); // everyone
        f->startJob("Fails");                 // no manual task
        QCOMPARE(inboxSize(f->admin), std::size_t(3));
        QCOMPARE(inboxSize(f->alice), std::size_t(2));
        QCOMPARE(inboxSize(f->bob), std::size_t(2));

        auto r = f->call(Method::Get, kTasks, f->alice, nullptr, kInbox);
        for (const auto &task : r.json["data"]) {
            QCOMPARE_JSON(task["type"], "manual");
            QCOMPARE_JSON(task["status"], "running");
            QCOMPARE_JSON(task["job"]["task"], "a1");
        }
    }

    void assignedToMeAndAvailableToMe()
    {
        const auto first = f->startJob();
        f->startJob();
        const auto it = test::OpsManagerFixture::reviewIteration(first);
        QCOMPARE(f->call(Method::Post, kTasks + "/" + it + "/claim", f->alice).status, 200);
        QCOMPARE(inboxSize(f->alice, {{"equals[metrics.owner]", "alice"}}), std::size_t(1));
        QCOMPARE(inboxSize(f->alice, {{"exists[metrics.owner]", "false"}}), std::size_t(1));
        QCOMPARE(inboxSize(f->carol, {{"equals[metrics.owner]", "carol"}}), std::size_t(0));
    }

    void listWithDereferenceAndProjection()
    {
        const auto job = f->startJob();
        auto r = f->call(Method::Get, kTasks, f->alice, nullptr,
                         {{"equals[job._id]", test::OpsManagerFixture::idOf(job)},
                          {"dereference", "job"},
                          {"include", "job,status"}});
        QCOMPARE(r.status, 200);
        QVERIFY(r.json["data"].size() >= 1);
        const json &t = r.json["data"][0];
        QCOMPARE_JSON(t["job"]["status"], "running");
        QCOMPARE_JSON(t["job"]["description"], "");
        QVERIFY(!t.contains("incoming"));
        QCOMPARE(f->call(Method::Get, kTasks, f->alice, nullptr, {{"dereference", "owner"}}).status,
                 400);
        QCOMPARE(f->call(Method::Get, kTasks, f->alice, nullptr, {{"sort", "incoming"}}).status,
                 400);
    }

    void getOneRun()
    {
        const auto it = test::OpsManagerFixture::reviewIteration(f->startJob());
        auto r = f->call(Method::Get, kTasks + "/" + it, f->alice);
        QCOMPARE(r.status, 200);
        QCOMPARE_JSON(r.json["data"]["_id"], it);
        QCOMPARE_JSON(r.json["data"]["status"], "running");
        QCOMPARE(f->call(Method::Get, kTasks + "/" + it, f->bob).status, 404);
        QCOMPARE(f->call(Method::Get, kTasks + "/not-a-uuid", f->admin).status, 404);
    }

    void claimThenAnotherClaimConflictsNamingTheOwner()
    {
        const auto it = test::OpsManagerFixture::reviewIteration(f->startJob());
        auto r = f->call(Method::Post, kTasks + "/" + it + "/claim", f->alice);
        QCOMPARE(r.status, 200);
        QCOMPARE_JSON(r.json["data"]["owner"], "alice");
        auto c = f->call(Method::Post, kTasks + "/" + it + "/claim", f->carol);
        QCOMPARE(c.status, 409);
        QVERIFY2(mentions(c.json, "alice"), c.json.dump().c_str());
        QCOMPARE(f->call(Method::Post, kTasks + "/" + it + "/claim", f->bob).status, 404);
    }

    void assignResolvesTheUser()
    {
        const auto it = test::OpsManagerFixture::reviewIteration(f->startJob());
        auto r = f->call(Method::Post, kTasks + "/" + it + "/assign", f->admin,
                         {{"userId", f->carolUser.id}});
        QCOMPARE(r.status, 200);
        QCOMPARE_JSON(r.json["data"]["owner"], "carol");

        auto unknown = f->call(Method::Post, kTasks + "/" + it + "/assign", f->admin,
                               {{"userId", "ffffffffffffffffffffffff"}});
        QCOMPARE(unknown.status, 400);
        QCOMPARE_JSON(unknown.json["details"]["pointer"], "/userId");
        auto disabled = f->call(Method::Post, kTasks + "/" + it + "/assign", f->admin,
                                {{"userId", f->danUser.id}});
        QCOMPARE(disabled.status, 400);
        QVERIFY2(mentions(disabled.json, "disabled"), disabled.json.dump().c_str());
        QCOMPARE(
            f->call(Method::Post, kTasks + "/" + it + "/assign", f->admin, json::object()).status,
            400);
        // bob's groups do not admit the job: he cannot be given its task.
        auto outsider = f->call(Method::Post, kTasks + "/" + it + "/assign", f->admin,
                                {{"userId", f->bobUser.id}});
        QCOMPARE(outsider.status, 400);
    }

    void releaseReturnsTheTask()
    {
        const auto it = test::OpsManagerFixture::reviewIteration(f->startJob());
        QCOMPARE(f->call(Method::Post, kTasks + "/" + it + "/claim", f->alice).status, 200);
        QVERIFY(f->call(Method::Post, kTasks + "/" + it + "/release", f->carol).status >= 400);
        auto r = f->call(Method::Post, kTasks + "/" + it + "/release", f->alice);
        QCOMPARE(r.status, 200);
        QVERIFY(!r.json["data"].contains("owner"));
        QCOMPARE(inboxSize(f->alice, {{"exists[metrics.owner]", "false"}}), std::size_t(1));
    }

    void controllerFinishAndFinishAgain()
    {
        const auto job = f->startJob();
        const auto id = test::OpsManagerFixture::idOf(job);
        const auto it = test::OpsManagerFixture::reviewIteration(job);
        const auto base = kJobs + "/" + id + "/tasks/a1";
        auto c = f->call(Method::Get, base + "/manual-controller", f->alice);
        QCOMPARE(c.status, 200);
        QVERIFY(c.json["data"].is_object());
        QCOMPARE(f->call(Method::Get, base + "/manual-controller", f->bob).status, 404);
        QCOMPARE(
            f->call(Method::Get, kJobs + "/" + id + "/tasks/zz/manual-controller", f->alice).status,
            404);

        const json body = {
            {"taskData", {{"finish_state", "success"}, {"variables", {{"comment", "ok"}}}}}};
        // Unclaimed: only its owner may finish it.
        QVERIFY(f->call(Method::Post, base + "/finish", f->alice, body).status >= 400);
        QCOMPARE(f->call(Method::Post, kTasks + "/" + it + "/claim", f->alice).status, 200);
        QCOMPARE(f->call(Method::Post, base + "/finish", f->alice, {{"taskData", 1}}).status, 400);
        auto bad = f->call(Method::Post, base + "/finish", f->alice,
                           {{"taskData", {{"finish_state", 1}}}});
        QCOMPARE(bad.status, 400);
        QCOMPARE_JSON(bad.json["details"]["pointer"], "/taskData/finish_state");
        auto badVariables =
            f->call(Method::Post, base + "/finish", f->alice, {{"taskData", {{"variables", "x"}}}});
        QCOMPARE(badVariables.status, 400);
        QCOMPARE_JSON(badVariables.json["details"]["pointer"], "/taskData/variables");
        QCOMPARE(f->call(Method::Post, base + "/finish", f->alice, json::array()).status, 400);

        auto done = f->call(Method::Post, base + "/finish", f->alice, body);
        QCOMPARE(done.status, 200);
        QCOMPARE_JSON(done.json["data"]["status"], "complete");
        auto again = f->call(Method::Post, base + "/finish", f->alice, body);
        QCOMPARE(again.status, 409);
    }

    // Seed 003's own request body: {} finishes with success and no values, as does an empty
    // taskData; Itential's SDK scripts send exactly these.
    void finishWithTheSeedsEmptyBody()
    {
        for (const json &body : {json::object(), json{{"taskData", json::object()}}, json()}) {
            const auto job = f->startJob();
            const auto id = test::OpsManagerFixture::idOf(job);
            const auto it = test::OpsManagerFixture::reviewIteration(job);
            QCOMPARE(f->call(Method::Post, kTasks + "/" + it + "/claim", f->alice).status, 200);
            auto done =
                f->call(Method::Post, kJobs + "/" + id + "/tasks/a1/finish", f->alice, body);
            QVERIFY2(done.status == 200, done.json.dump().c_str());
            QCOMPARE_JSON(done.json["data"]["status"], "complete");
            QCOMPARE_JSON(done.json["data"]["tasks"]["a1"]["finish_state"], "success");
        }
    }

    void retryAFailedTask()
    {
        const auto id = test::OpsManagerFixture::idOf(f->startJob("Fails"));
        const auto base = kJobs + "/" + id + "/tasks/e1/retry";
        QCOMPARE(f->call(Method::Post, base, f->alice, {{"variables", 3}}).status, 400);
        QCOMPARE(f->call(Method::Post, base, f->bob, json::object()).status, 404);
        auto r = f->call(Method::Post, base, f->alice,
                         {{"variables", {{"type", "success"}, {"delay", ""}, {"response", "ok"}}}});
        QCOMPARE(r.status, 200);
        QCOMPARE_JSON(r.json["data"]["status"], "complete");
        QCOMPARE_JSON(r.json["data"]["tasks"]["e1"]["iterations"].size(), 2);
        // A complete task has nothing to retry.
        auto again = f->call(Method::Post, base, f->alice, nullptr);
        QVERIFY2(again.status == 409 || again.status == 400, again.json.dump().c_str());
    }
};

QTEST_GUILESS_MAIN(TestTasksApi)
#include "TestTasksApi.moc"
