// SPDX-License-Identifier: GPL-3.0-or-later
// A real engine, account service and ":memory:" store behind EngineApi, with the people the
// Operations Manager route tests act as: an admin, operators inside and outside the NOC group,
// a viewer in the NOC group and a disabled operator. Shared by the jobs, tasks and
// permission-matrix tests.
#pragma once

#include "engine/access/AccountService.h"
#include "engine/api/EngineApi.h"
#include "engine/runtime/Engine.h"
#include "engine/store/SqliteStore.h"

#include <QtGlobal>

#include <memory>
#include <optional>
#include <string>

namespace flowdeck::test {

using nlohmann::json;

inline json opsEdge(const char *state)
{
    return {{"state", state}, {"type", "standard"}};
}

/// start → merge-free review: a1 (manual ViewData, success/failure buttons) → b2 → end.
inline json reviewWorkflow()
{
    return {{"name", "Review"},
            {"type", "automation"},
            {"inputSchema",
             {{"type", "object"},
              {"required", {"ticket"}},
              {"properties", {{"ticket", {{"type", "string"}, {"minLength", 1}}}}}}},
            {"tasks",
             {{"workflow_start", {{"name", "workflow_start"}}},
              {"workflow_end", {{"name", "workflow_end"}}},
              {"a1",
               {{"name", "ViewData"},
                {"summary", "Review the change"},
                {"app", "WorkFlowEngine"},
                {"type", "manual"},
                {"view", "/workflow_engine/task/ViewData"},
                {"groups", json::array()},
                {"variables",
                 {{"incoming",
                   {{"header", "Review"},
                    {"message", "Check the ticket"},
                    {"body", "$var.job.ticket"},
                    {"variables", json::object()},
                    {"btn_success", "Approve"},
                    {"btn_failure", "Reject"}}},
                  {"outgoing", {{"comment", nullptr}}}}}}},
              {"b2",
               {{"name", "newVariable"},
                {"app", "WorkFlowEngine"},
                {"type", "operation"},
                {"variables", {{"incoming", {{"name", "done"}, {"value", true}}}}}}}}},
            {"transitions",
             {{"workflow_start", {{"a1", opsEdge("success")}}},
              {"a1", {{"b2", opsEdge("success")}, {"workflow_end", opsEdge("failure")}}},
              {"b2", {{"workflow_end", opsEdge("success")}}}}}};
}

/// start → e1 (a stub that errors, no error transition: the job stops in error) → b2 → end.
inline json failingWorkflow()
{
    return {{"name", "Fails"},
            {"type", "automation"},
            {"tasks",
             {{"workflow_start", {{"name", "workflow_start"}}},
              {"workflow_end", {{"name", "workflow_end"}}},
              {"e1",
               {{"name", "stub"},
                {"app", "WorkFlowEngine"},
                {"type", "automatic"},
                {"variables",
                 {{"incoming", {{"type", "error"}, {"delay", ""}, {"response", "boom"}}},
                  {"outgoing", {{"response", nullptr}}}}}}},
              {"b2",
               {{"name", "newVariable"},
                {"app", "WorkFlowEngine"},
                {"type", "operation"},
                {"variables", {{"incoming", {{"name", "done"}, {"value", true}}}}}}}}},
            {"transitions",
             {{"workflow_start", {{"e1", opsEdge("success")}}},
              {"e1", {{"b2", opsEdge("success")}}},
              {"b2", {{"workflow_end", opsEdge("success")}}}}}};
}

struct OpsManagerFixture
{
    std::unique_ptr<store::SqliteStore> store;
    std::unique_ptr<api::WorkflowCatalog> catalog;
    std::unique_ptr<runtime::Engine> engine;
    std::unique_ptr<access::AccountService> accounts;
    std::unique_ptr<api::EngineApi> api;

    std::string noc, field; ///< group ids
    store::UserRecord adminUser, aliceUser, bobUser, vicUser, danUser, carolUser;
    api::Principal admin, alice, bob, vic, carol; ///< dan is disabled: no principal

    static std::string check(const char *what, const Error &e)
    {
        qFatal("%s: %s", what, e.message.c_str());
        return {};
    }

    store::UserRecord user(const std::string &name, const std::string &role,
                           std::vector<std::string> groups)
    {
        access::NewUser u;
        u.username = name;
        u.roles = {role};
        u.groups = std::move(groups);
        auto r = accounts->createUser(u);
        if (!r)
            check("createUser", r.error());
        return *r;
    }

    api::Principal principal(const store::UserRecord &u)
    {
        auto p = accounts->principalFor(u.id);
        if (!p)
            check("principalFor", p.error());
        return *p;
    }

    OpsManagerFixture()
    {
        store = std::move(*store::SqliteStore::open(":memory:"));
        catalog = std::make_unique<api::WorkflowCatalog>(*store);
        engine = std::make_unique<runtime::Engine>(*store);
        accounts = std::make_unique<access::AccountService>(*store);
        api = std::make_unique<api::EngineApi>(
            api::EngineContext{*store, *catalog, engine.get(), accounts.get()});
        for (const json &wf : {reviewWorkflow(), failingWorkflow()})
            if (auto r = store->saveWorkflow(*model::Workflow::fromJson(wf), std::nullopt, true);
                !r)
                check("saveWorkflow", r.error());
        auto g1 = accounts->createGroup("noc", "network operations");
        auto g2 = accounts->createGroup("field", "field engineers");
        if (!g1 || !g2)
            check("createGroup", (!g1 ? g1 : g2).error());
        noc = g1->id;
        field = g2->id;
        adminUser = user("admin", "admin", {});
        aliceUser = user("alice", "operator", {noc});
        carolUser = user("carol", "operator", {noc});
        bobUser = user("bob", "operator", {field});
        vicUser = user("vic", "viewer", {noc});
        danUser = user("dan", "operator", {noc});
        if (auto r = accounts->disable(danUser.id); !r)
            check("disable", r.error());
        admin = principal(adminUser);
        alice = principal(aliceUser);
        carol = principal(carolUser);
        bob = principal(bobUser);
        vic = principal(vicUser);
    }

    api::ApiResponse call(api::Method m, const std::string &path,
                          const std::optional<api::Principal> &who, json body = nullptr,
                          std::multimap<std::string, std::string> query = {})
    {
        api::ApiRequest r;
        r.method = m;
        r.path = path;
        r.body = std::move(body);
        r.query = std::move(query);
        r.principal = who;
        return api->dispatch(std::move(r));
    }

    /// Starts a job of `workflow` restricted to `groups`; answers its document.
    json startJob(const std::string &workflow = "Review",
                  json groups = json::array({std::string()}))
    {
        if (groups == json::array({std::string()}))
            groups = json::array({noc});
        runtime::StartJobOptions o;
        o.workflow = workflow;
        o.variables = {{"ticket", "CHG1"}};
        o.groups = std::move(groups);
        o.actor = "admin";
        auto job = engine->startJob(o);
        if (!job)
            check("startJob", job.error());
        return *job;
    }

    static std::string idOf(const json &job) { return job["_id"].get<std::string>(); }
    static std::string reviewIteration(const json &job)
    {
        return job["tasks"]["a1"]["iterations"][0].get<std::string>();
    }
};

} // namespace flowdeck::test
