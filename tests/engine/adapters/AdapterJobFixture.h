// SPDX-License-Identifier: GPL-3.0-or-later
// What the adapter job tests and their crash child share: the pet store's workflow (an adapter
// task whose result a JST transforms) and the instance pointing at the test server.
#pragma once

#include "engine/adapters/AdapterCatalog.h"
#include "engine/adapters/AdapterRunner.h"
#include "engine/adapters/DocumentText.h"
#include "engine/runtime/Engine.h"
#include "engine/runtime/TransformationTask.h"
#include "engine/store/SqliteStore.h"
#include "tests/support/TestPaths.h"

#include <nlohmann/json.hpp>

namespace flowdeck::test {

inline constexpr const char *kPetNameJstId = "65e1c0ffee0000000000ad01";

/// The JST: {petResult: adapter result} → petName = petResult.response.name.
inline nlohmann::json petNameJst()
{
    using nlohmann::json;
    return {
        {"_id", kPetNameJstId},
        {"name", "pet name"},
        {"incoming", {{{"$id", "petResult"}, {"type", "object"}}}},
        {"outgoing", {{{"$id", "petName"}, {"type", "string"}}}},
        {"functions", json::array()},
        {"steps",
         {{{"id", 1},
           {"type", "assign"},
           {"from", {{"location", "incoming"}, {"name", "petResult"}, {"ptr", "/response/name"}}},
           {"to", {{"location", "outgoing"}, {"name", "petName"}, {"ptr", ""}}}}}}};
}

/// start → a1 (Petstore `method` with `incoming`) → t1 (the JST on a1's result, its petName
/// promoted to the job variable "petName") → end. a1's error ends the job in error.
inline nlohmann::json petWorkflow(const std::string &name, const std::string &method,
                                  nlohmann::json incoming)
{
    using nlohmann::json;
    auto task = [](const char *app, const std::string &taskName, json in, json out) {
        return json{{"name", taskName},
                    {"summary", taskName},
                    {"app", app},
                    {"type", "automatic"},
                    {"variables",
                     {{"incoming", std::move(in)},
                      {"outgoing", std::move(out)},
                      {"error", ""},
                      {"decorators", json::array()}}}};
    };
    const json edge = {{"state", "success"}, {"type", "standard"}};
    return {{"name", name},
            {"type", "automation"},
            {"tasks",
             {{"workflow_start", {{"name", "workflow_start"}, {"groups", json::array()}}},
              {"workflow_end", {{"name", "workflow_end"}, {"groups", json::array()}}},
              {"a1", task("Petstore", method, std::move(incoming), {{"result", ""}})},
              {"t1", task("WorkFlowEngine", "transformation",
                          {{"tr_id", kPetNameJstId},
                           {"variableMap", {{"petResult", "$var.a1.result"}}},
                           {"options", {{"extractOutput", false}}}},
                          {{"petName", "$var.job.petName"}})}}},
            {"transitions",
             {{"workflow_start", {{"a1", edge}}},
              {"a1", {{"t1", edge}}},
              {"t1", {{"workflow_end", edge}}},
              {"workflow_end", json::object()}}}};
}

/// The pet store on the test server at `port` behind its static-token gate (/static/…,
/// X-Api-Key: key-123): an instance whose secret shows up in the request.
inline nlohmann::json staticTokenPetstore(int port)
{
    return {{"host", "127.0.0.1"},
            {"port", port},
            {"protocol", "http"},
            {"base_path", "/static"},
            {"authentication",
             {{"auth_method", "static_token"},
              {"token", "key-123"},
              {"auth_field", "header.headers.X-Api-Key"}}}};
}

/// The pet store's OpenAPI document (tests/data/adapters/petstore.yaml).
inline nlohmann::json petstoreOpenApi()
{
    const QByteArray text =
        readFile(sourcePath(QStringLiteral("tests/data/adapters/petstore.yaml")));
    auto doc = adapters::parseDocumentText(text.toStdString());
    return doc ? *doc : nlohmann::json();
}

/// An engine on a store file with JSTs and adapters wired as the application wires them.
struct AdapterEngine
{
    std::unique_ptr<store::SqliteStore> store;
    std::unique_ptr<adapters::AdapterCatalog> catalog;
    std::unique_ptr<runtime::Engine> engine;
    std::unique_ptr<adapters::AdapterRunner> runner; ///< last: stops before the engine goes

    /// Empty members when the store or its key cannot be opened.
    explicit AdapterEngine(const std::string &path)
    {
        auto s = store::SqliteStore::open(path);
        auto box = access::SecretBox::forStore(path);
        if (!s || !box)
            return;
        store = std::move(*s);
        catalog = std::make_unique<adapters::AdapterCatalog>(*store, std::move(*box));
        engine = std::make_unique<runtime::Engine>(*store);
        runtime::installTransformationTask(*engine, *store);
        runner = std::make_unique<adapters::AdapterRunner>(
            *catalog, [e = engine.get()](const tasks::TaskCall &c, tasks::MethodResult r) {
                e->completeCall(c, std::move(r));
            });
        engine->setAsyncTasks(runner.get());
    }
    ~AdapterEngine()
    {
        runner.reset();
        engine.reset();
    }
};

} // namespace flowdeck::test
