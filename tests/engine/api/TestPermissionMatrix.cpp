// SPDX-License-Identifier: GPL-3.0-or-later
// Every job, task and workflow operation against each kind of caller: an admin, an operator
// in the job's group, an operator outside it, a viewer in the group, and a disabled user.
// Permissions decide 403; GBAC hides what one may not see as 404 (bulk answers carry that
// 404 per id, with 207); a disabled account has no principal and gets 401.
#include "tests/engine/api/OpsManagerFixture.h"

#include <QTest>

#include <functional>

using namespace flowdeck;
using namespace flowdeck::api;
using nlohmann::json;

namespace {

using Fixture = test::OpsManagerFixture;

/// What a row acts on, prepared before the call.
struct Scene
{
    std::string job;       ///< a running Review job in the NOC group
    std::string iteration; ///< its manual task's run
    std::string failed;    ///< an errored Fails job in the NOC group
};

struct Operation
{
    std::function<void(Fixture &, Scene &, const std::optional<Principal> &)> prepare;
    std::function<ApiRequest(Fixture &, const Scene &)> request;
};

ApiRequest req(Method m, std::string path, json body = nullptr)
{
    ApiRequest r;
    r.method = m;
    r.path = std::move(path);
    r.body = std::move(body);
    return r;
}

const std::string J = "/operations-manager/jobs/";
const std::string T = "/operations-manager/tasks/";

void nothing(Fixture &, Scene &, const std::optional<Principal> &)
{}

std::map<std::string, Operation> operations()
{
    auto cancelFirst = [](Fixture &f, Scene &s, const std::optional<Principal> &) {
        (void)f.engine->cancelJob(s.job, "admin");
    };
    auto pauseFirst = [](Fixture &f, Scene &s, const std::optional<Principal> &) {
        (void)f.engine->pauseJob(s.job, "admin");
    };
    auto claimByCaller = [](Fixture &f, Scene &s, const std::optional<Principal> &who) {
        if (who)
            (void)f.engine->claimTask(s.iteration, *who);
    };
    auto claimByCarol = [](Fixture &f, Scene &s, const std::optional<Principal> &) {
        (void)f.engine->claimTask(s.iteration, f.carol);
    };
    auto ids = [](const Scene &s) { return json{{"jobIds", {s.job}}}; };
    return {
        {"getJobs",
         {nothing,
          [](Fixture &, const Scene &) { return req(Method::Get, J.substr(0, J.size() - 1)); }}},
        {"getJob",
         {nothing, [](Fixture &, const Scene &s) { return req(Method::Get, J + s.job); }}},
        {"startJob",
         {nothing,
          [](Fixture &f, const Scene &) {
              return req(Method::Post, J + "start",
                         {{"workflow", "Review"},
                          {"options", {{"variables", {{"ticket", "x"}}}, {"groups", {f.noc}}}}});
          }}},
        {"pauseJobs",
         {nothing,
          [ids](Fixture &, const Scene &s) { return req(Method::Post, J + "pause", ids(s)); }}},
        {"resumeJobs",
         {pauseFirst,
          [ids](Fixture &, const Scene &s) { return req(Method::Post, J + "resume", ids(s)); }}},
        {"cancelJobs",
         {nothing,
          [ids](Fixture &, const Scene &s) { return req(Method::Post, J + "cancel", ids(s)); }}},
        {"continueJobFrom",
         {nothing,
          [](Fixture &, const Scene &s) {
              return req(Method::Post, J + s.failed + "/continue", {{"fromTask", "b2"}});
          }}},
        {"revertJob",
         {nothing,
          [](Fixture &, const Scene &s) {
              return req(Method::Post, J + s.job + "/revert",
                         {{"fromTask", "a1"}, {"toTask", "workflow_start"}});
          }}},
        {"deleteJob",
         {cancelFirst, [](Fixture &, const Scene &s) { return req(Method::Delete, J + s.job); }}},
        {"deleteJobs",
         {cancelFirst,
          [ids](Fixture &, const Scene &s) { return req(Method::Post, J + "delete", ids(s)); }}},
        {"bulkDeleteJobs",
         {cancelFirst,
          [ids](Fixture &, const Scene &s) {
              return req(Method::Post, J + "bulk-delete", ids(s));
          }}},
        {"addJobGroup",
         {nothing,
          [](Fixture &f, const Scene &s) {
              return req(Method::Post, J + s.job + "/groups", {{"groupId", f.field}});
          }}},
        {"replaceJobGroups",
         {nothing,
          [](Fixture &f, const Scene &s) {
              return req(Method::Put, J + s.job + "/groups", {{"groups", {f.noc, f.field}}});
          }}},
        {"deleteJobGroup",
         {nothing,
          [](Fixture &f, const Scene &s) {
              return req(Method::Delete, J + s.job + "/groups/" + f.noc);
          }}},
        {"deleteJobGroups",
         {nothing,
          [](Fixture &, const Scene &s) { return req(Method::Delete, J + s.job + "/groups"); }}},
        {"watchJob",
         {nothing,
          [](Fixture &, const Scene &s) { return req(Method::Post, J + s.job + "/watch"); }}},
        {"unwatchJob",
         {nothing,
          [](Fixture &, const Scene &s) { return req(Method::Post, J + s.job + "/unwatch"); }}},
        {"watchJobs",
         {nothing,
          [ids](Fixture &, const Scene &s) { return req(Method::Post, J + "watch", ids(s)); }}},
        {"unwatchJobs",
         {nothing,
          [ids](Fixture &, const Scene &s) { return req(Method::Post, J + "unwatch", ids(s)); }}},
        {"addWatchersToJob",
         {nothing,
          [](Fixture &f, const Scene &s) {
              return req(Method::Post, J + s.job + "/add-watchers",
                         {{"userIds", {f.carolUser.id}}});
          }}},
        {"getTasks",
         {nothing,
          [](Fixture &, const Scene &) { return req(Method::Get, T.substr(0, T.size() - 1)); }}},
        {"getTask",
         {nothing, [](Fixture &, const Scene &s) { return req(Method::Get, T + s.iteration); }}},
        {"claimTask",
         {nothing,
          [](Fixture &, const Scene &s) { return req(Method::Post, T + s.iteration + "/claim"); }}},
        {"assignTask",
         {nothing,
          [](Fixture &f, const Scene &s) {
              return req(Method::Post, T + s.iteration + "/assign", {{"userId", f.aliceUser.id}});
          }}},
        {"releaseTask",
         {claimByCaller,
          [](Fixture &, const Scene &s) {
              return req(Method::Post, T + s.iteration + "/release");
          }}},
        {"releaseOthersTask",
         {claimByCarol,
          [](Fixture &, const Scene &s) {
              return req(Method::Post, T + s.iteration + "/release");
          }}},
        {"getManualTaskController",
         {nothing,
          [](Fixture &, const Scene &s) {
              return req(Method::Get, J + s.job + "/tasks/a1/manual-controller");
          }}},
        {"finishManualTask",
         {claimByCaller,
          [](Fixture &, const Scene &s) {
              return req(
                  Method::Post, J + s.job + "/tasks/a1/finish",
                  {{"taskData", {{"finish_state", "success"}, {"variables", json::object()}}}});
          }}},
        {"retryTask",
         {nothing,
          [](Fixture &, const Scene &s) {
              return req(Method::Post, J + s.failed + "/tasks/e1/retry");
          }}},
        {"getWorkflows",
         {nothing, [](Fixture &,
                      const Scene &) { return req(Method::Get, "/automation-studio/workflows"); }}},
        {"getWorkflow",
         {nothing,
          [](Fixture &, const Scene &) {
              return req(Method::Get, "/automation-studio/workflows/detailed/Review");
          }}},
        {"createWorkflow",
         {nothing,
          [](Fixture &, const Scene &) {
              json wf = test::reviewWorkflow();
              wf["name"] = "Review copy";
              return req(Method::Post, "/automation-studio/automations", {{"automation", wf}});
          }}},
        {"exportWorkflow",
         {nothing,
          [](Fixture &, const Scene &) {
              return req(Method::Post, "/workflow_builder/export",
                         {{"options", {{"name", "Review"}}}});
          }}},
        {"deleteWorkflow",
         {nothing,
          [](Fixture &, const Scene &) {
              return req(Method::Delete, "/workflow_builder/workflows/delete/Fails");
          }}},
        {"createServiceAccount",
         {nothing,
          [](Fixture &, const Scene &) {
              return req(Method::Post, "/authorization/service-accounts",
                         {{"username", "ci-bot"}, {"secret", "s3cret"}, {"roles", {"operator"}}});
          }}},
        {"createApiToken",
         {nothing,
          [](Fixture &, const Scene &) {
              return req(Method::Post, "/authorization/tokens", {{"username", "carol"}});
          }}},
        {"listApiTokens",
         {nothing,
          [](Fixture &, const Scene &) { return req(Method::Get, "/authorization/tokens"); }}},
        {"revokeApiToken",
         {[](Fixture &f, Scene &s, const std::optional<Principal> &) {
              auto issued = f.accounts->tokens().issue(f.carolUser.id, 60'000, "api", "x");
              s.job = issued ? issued->record.id : std::string();
          },
          [](Fixture &, const Scene &s) {
              return req(Method::Delete, "/authorization/tokens/" + s.job);
          }}},
    };
}

} // namespace

class TestPermissionMatrix : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void matrix_data()
    {
        QTest::addColumn<QString>("operation");
        QTest::addColumn<QString>("caller");
        QTest::addColumn<int>("expected");
        // admin, operator in the NOC (the job's group), operator outside it, NOC viewer.
        struct Row
        {
            const char *op;
            int admin, inside, outside, viewer;
        };
        const Row rows[] = {
            {"getJobs", 200, 200, 200, 200},
            {"getJob", 200, 200, 404, 200},
            {"startJob", 200, 200, 200, 403},
            {"pauseJobs", 200, 200, 207, 403},
            {"resumeJobs", 200, 200, 207, 403},
            {"cancelJobs", 200, 200, 207, 403},
            {"continueJobFrom", 200, 200, 404, 403},
            {"revertJob", 409, 409, 404, 403}, // a running job cannot be reverted
            {"deleteJob", 200, 403, 403, 403},
            {"deleteJobs", 200, 403, 403, 403},
            {"bulkDeleteJobs", 200, 403, 403, 403},
            {"addJobGroup", 200, 403, 403, 403},
            {"replaceJobGroups", 200, 403, 403, 403},
            {"deleteJobGroup", 200, 403, 403, 403},
            {"deleteJobGroups", 200, 403, 403, 403},
            {"watchJob", 200, 200, 404, 403},
            {"unwatchJob", 200, 200, 404, 403},
            {"watchJobs", 200, 200, 207, 403},
            {"unwatchJobs", 200, 200, 207, 403},
            {"addWatchersToJob", 200, 403, 403, 403},
            {"getTasks", 200, 200, 200, 200},
            {"getTask", 200, 200, 404, 200},
            {"claimTask", 200, 200, 404, 403},
            {"assignTask", 200, 403, 403, 403},
            {"releaseTask", 200, 200, 404, 403},
            {"releaseOthersTask", 200, 403, 404, 403}, // only its owner, or with assignTask
            {"getManualTaskController", 200, 200, 404, 200},
            {"finishManualTask", 200, 200, 404, 403},
            {"retryTask", 200, 200, 404, 403},
            {"getWorkflows", 200, 200, 200, 200},
            {"getWorkflow", 200, 200, 200, 200},
            {"createWorkflow", 200, 403, 403, 403},
            {"exportWorkflow", 200, 200, 200, 403},
            {"deleteWorkflow", 200, 403, 403, 403},
            // Lasting access for machines: administrators only, reading included.
            {"createServiceAccount", 200, 403, 403, 403},
            {"createApiToken", 200, 403, 403, 403},
            {"listApiTokens", 200, 403, 403, 403},
            {"revokeApiToken", 200, 403, 403, 403},
        };
        for (const auto &row : rows) {
            const std::pair<const char *, int> callers[] = {{"admin", row.admin},
                                                            {"operator-in-group", row.inside},
                                                            {"operator-outside", row.outside},
                                                            {"viewer", row.viewer},
                                                            {"disabled", 401}};
            for (const auto &[who, status] : callers)
                QTest::addRow("%s/%s", row.op, who)
                    << QString::fromUtf8(row.op) << QString::fromUtf8(who) << status;
        }
    }

    void matrix()
    {
        QFETCH(QString, operation);
        QFETCH(QString, caller);
        QFETCH(int, expected);
        Fixture f;
        std::optional<Principal> who;
        if (caller == QLatin1String("admin"))
            who = f.admin;
        else if (caller == QLatin1String("operator-in-group"))
            who = f.alice;
        else if (caller == QLatin1String("operator-outside"))
            who = f.bob;
        else if (caller == QLatin1String("viewer"))
            who = f.vic;
        else {
            // The transport resolves the caller with principalFor; a disabled account has none,
            // so its request arrives without a principal.
            auto resolved = f.accounts->principalFor(f.danUser.id);
            QVERIFY(!resolved);
            QCOMPARE(resolved.error().code, ErrorCode::Unauthorized);
        }
        auto ops = operations();
        const auto it = ops.find(operation.toStdString());
        QVERIFY2(it != ops.end(), qPrintable(operation));
        Scene scene;
        const json job = f.startJob();
        scene.job = Fixture::idOf(job);
        scene.iteration = Fixture::reviewIteration(job);
        scene.failed = Fixture::idOf(f.startJob("Fails"));
        it->second.prepare(f, scene, who);
        ApiRequest request = it->second.request(f, scene);
        request.principal = who;
        const auto response = f.api->dispatch(std::move(request));
        QVERIFY2(response.status == expected,
                 qPrintable(QStringLiteral("got %1, expected %2: %3")
                                .arg(response.status)
                                .arg(expected)
                                .arg(QString::fromStdString(response.json.dump()))));
        if (expected == 207) // what the operator could not see answers 404 inside
            QCOMPARE(response.json["data"]["results"][0]["status"].get<int>(), 404);
    }
};

QTEST_GUILESS_MAIN(TestPermissionMatrix)
#include "TestPermissionMatrix.moc"
