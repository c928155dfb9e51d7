// SPDX-License-Identifier: GPL-3.0-or-later
// A real engine on a manual clock over a store file in a temporary folder, its API with the
// store's SecretBox, an admin, and an automation of a one-task workflow (or one that errors)
// with a manual trigger: what the webhook, health and runs tests share.
#pragma once

#include "app/StoreSecrets.h"
#include "engine/api/EngineApi.h"
#include "engine/runtime/Engine.h"
#include "engine/store/SqliteStore.h"
#include "tests/support/SingleTaskWorkflow.h"

#include <QTemporaryDir>
#include <QtGlobal>

#include <memory>

namespace flowdeck::test {

using nlohmann::json;

inline json oneTaskWorkflow(const std::string &name, bool fails)
{
    json task = fails
                    ? json{{"name", "stub"},
                           {"app", "WorkFlowEngine"},
                           {"type", "automatic"},
                           {"variables",
                            {{"incoming", {{"type", "error"}, {"delay", ""}, {"response", "boom"}}},
                             {"outgoing", {{"response", nullptr}}}}}}
                    : json{{"name", "newVariable"},
                           {"app", "WorkFlowEngine"},
                           {"type", "operation"},
                           {"variables", {{"incoming", {{"name", "done"}, {"value", true}}}}}};
    return singleTaskWorkflow(name, std::move(task), "t1");
}

struct AutomationsFixture
{
    QTemporaryDir dir;
    std::string storePath;
    qint64 clock = 1'790'000'000'000; // 2026-09-21, a Monday
    std::unique_ptr<store::SqliteStore> store;
    std::unique_ptr<api::WorkflowCatalog> catalog;
    std::unique_ptr<runtime::Engine> engine;
    std::unique_ptr<api::EngineApi> api;
    runtime::SecretCodec secrets;
    api::Principal admin;

    static void check(const char *what, const Error &e)
    {
        qFatal("%s: %s", what, e.message.c_str());
    }

    AutomationsFixture() : storePath(dir.filePath(QStringLiteral("flowdeck.db")).toStdString())
    {
        open();
        for (const json &wf : {oneTaskWorkflow("Backup", false), oneTaskWorkflow("Fails", true)})
            if (auto r = store->saveWorkflow(*model::Workflow::fromJson(wf), std::nullopt, true);
                !r)
                check("saveWorkflow", r.error());
        admin.userId = "0123456789abcdef01234567";
        admin.username = "admin";
        admin.admin = true;
    }

    /// (Re)opens the store, engine and API, as a restarted Flowdeck does.
    void open()
    {
        api.reset();
        engine.reset();
        catalog.reset();
        store.reset();
        auto opened = store::SqliteStore::open(storePath);
        if (!opened)
            check("open", opened.error());
        store = std::move(*opened);
        auto codec = app::storeSecrets(storePath);
        if (!codec)
            check("storeSecrets", codec.error());
        secrets = *codec;
        catalog = std::make_unique<api::WorkflowCatalog>(*store);
        engine = std::make_unique<runtime::Engine>(*store, [this] { return clock; });
        engine->setSecrets(secrets);
        api::EngineContext ctx{*store, *catalog, engine.get()};
        ctx.secrets = secrets;
        api = std::make_unique<api::EngineApi>(ctx);
    }

    api::ApiResponse call(api::Method m, const std::string &path, json body = nullptr,
                          std::multimap<std::string, std::string> query = {})
    {
        api::ApiRequest r;
        r.method = m;
        r.path = path;
        r.body = std::move(body);
        r.query = std::move(query);
        r.principal = admin;
        return api->dispatch(std::move(r));
    }

    /// An automation of `workflow` (with `extra` fields) and its manual trigger's id.
    std::pair<std::string, std::string> automation(const std::string &name,
                                                   const std::string &workflow, json extra = {})
    {
        auto wf = store->workflowByName(workflow);
        if (!wf)
            check("workflowByName", wf.error());
        json body = {{"name", name}, {"componentId", wf->id}};
        if (extra.is_object())
            body.update(extra);
        auto a = call(api::Method::Post, "/operations-manager/automations", body);
        if (a.status != 200)
            qFatal("create automation: %s", a.json.dump().c_str());
        const std::string id = a.json["data"]["_id"].get<std::string>();
        auto t = call(api::Method::Post, "/operations-manager/triggers",
                      {{"name", name + " by hand"}, {"type", "manual"}, {"actionId", id}});
        if (t.status != 200)
            qFatal("create trigger: %s", t.json.dump().c_str());
        return {id, t.json["data"]["_id"].get<std::string>()};
    }

    /// Runs the manual trigger; answers the job document.
    json run(const std::string &trigger)
    {
        auto r = call(api::Method::Post, "/operations-manager/triggers/manual/" + trigger + "/run",
                      {{"formData", json::object()}});
        if (r.status != 200)
            qFatal("run: %s", r.json.dump().c_str());
        return r.json["data"];
    }
};

} // namespace flowdeck::test
