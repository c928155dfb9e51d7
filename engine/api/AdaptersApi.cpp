// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/api/AdaptersApi.h"

#include "engine/adapters/AdapterCatalog.h"
#include "engine/adapters/AdapterProperties.h"
#include "engine/adapters/AdapterRunner.h"
#include "engine/adapters/DocumentText.h"

namespace flowdeck::api::adapterinstances {
namespace {

using nlohmann::json;

std::optional<std::string> actorOf(const ApiRequest &req)
{
    return req.principal ? std::optional(req.principal->username) : std::nullopt;
}

/// What a body defines the instance's methods with: "openapi" (the document, or its JSON/YAML
/// text) or "itential" (an Itential adapter package as {relative path: content}).
Result<std::optional<json>> openApiOf(const json &body)
{
    auto it = body.find("openapi");
    const auto package = body.find("itential");
    if (package != body.end() && !package->is_null()) {
        if (it != body.end() && !it->is_null())
            return Error::invalid("give \"openapi\" or \"itential\", not both");
        if (!package->is_object())
            return Error::invalid("/itential must be the package's files as {\"pronghorn.json\": "
                                  "{…}, \"adapter.js\": \"…\", \"entities/…\": …}");
        return std::optional<json>(json{{"itentialPackage", *package}});
    }
    if (it == body.end() || it->is_null())
        return std::optional<json>();
    if (it->is_object())
        return std::optional<json>(*it);
    if (it->is_string()) {
        auto doc = adapters::parseDocumentText(it->get<std::string>());
        if (!doc)
            return Error::invalid("/openapi: " + doc.error().message);
        return std::optional<json>(std::move(*doc));
    }
    return Error::invalid("/openapi must be the OpenAPI document (an object, or its JSON or YAML "
                          "text)");
}

Result<std::optional<std::string>> stringField(const json &body, const char *name)
{
    auto it = body.find(name);
    if (it == body.end() || it->is_null())
        return std::optional<std::string>();
    if (!it->is_string())
        return Error::invalid(std::string("/") + name + " must be a string");
    return std::optional<std::string>(it->get<std::string>());
}

Result<ApiResponse> list(EngineContext &ctx, const ApiRequest &)
{
    auto catalog = ctx.requireAdapters();
    if (!catalog)
        return catalog.error();
    auto all = (*catalog)->list();
    if (!all)
        return all.error();
    const auto total = all->size();
    return ApiResponse{200, {{"results", std::move(*all)}, {"total", total}}};
}

Result<ApiResponse> getOne(EngineContext &ctx, const ApiRequest &req)
{
    auto catalog = ctx.requireAdapters();
    if (!catalog)
        return catalog.error();
    auto one = (*catalog)->get(req.params.at("name"), true);
    if (!one)
        return one.error();
    return ApiResponse{200, std::move(*one)};
}

Result<ApiResponse> methods(EngineContext &ctx, const ApiRequest &req)
{
    auto catalog = ctx.requireAdapters();
    if (!catalog)
        return catalog.error();
    auto one = (*catalog)->get(req.params.at("name"), true);
    if (!one)
        return one.error();
    return ApiResponse{200, std::move((*one)["methods"])};
}

Result<ApiResponse> create(EngineContext &ctx, const ApiRequest &req)
{
    auto catalog = ctx.requireAdapters();
    if (!catalog)
        return catalog.error();
    if (!req.body.is_object())
        return Error::invalid("the body must be {name, app, openapi, properties}");
    auto name = stringField(req.body, "name");
    auto app = stringField(req.body, "app");
    auto openapi = openApiOf(req.body);
    if (!name)
        return name.error();
    if (!app)
        return app.error();
    if (!openapi)
        return openapi.error();
    const bool package = req.body.contains("itential");
    if (!*name || (!*app && !package) || !*openapi)
        return Error::invalid("a new adapter instance needs \"name\", \"app\" and \"openapi\" "
                              "(or \"name\" and an Itential package in \"itential\")");
    const json properties = req.body.value("properties", json::object());
    auto created = (*catalog)->create(**name, app->value_or(std::string()), **openapi, properties,
                                      actorOf(req));
    if (!created)
        return created.error();
    return ApiResponse{201, std::move(*created)};
}

Result<ApiResponse> update(EngineContext &ctx, const ApiRequest &req)
{
    auto catalog = ctx.requireAdapters();
    if (!catalog)
        return catalog.error();
    if (!req.body.is_object())
        return Error::invalid("the body must be {app?, openapi?, properties?}");
    auto app = stringField(req.body, "app");
    auto openapi = openApiOf(req.body);
    if (!app)
        return app.error();
    if (!openapi)
        return openapi.error();
    std::optional<json> properties;
    if (auto p = req.body.find("properties"); p != req.body.end() && !p->is_null())
        properties = *p;
    auto updated =
        (*catalog)->update(req.params.at("name"), *app, *openapi, properties, false, actorOf(req));
    if (!updated)
        return updated.error();
    if (ctx.adapterRunner && (app || openapi || properties))
        ctx.adapterRunner->forgetHealth(req.params.at("name"));
    return ApiResponse{200, std::move(*updated)};
}

Result<ApiResponse> remove(EngineContext &ctx, const ApiRequest &req)
{
    auto catalog = ctx.requireAdapters();
    if (!catalog)
        return catalog.error();
    const std::string &name = req.params.at("name");
    if (auto r = (*catalog)->remove(name); !r)
        return r.error();
    if (ctx.adapterRunner)
        ctx.adapterRunner->forgetHealth(name);
    return ApiResponse{200, {{"message", "deleted adapter instance \"" + name + "\""}}};
}

/// Starts the instance's health check and answers at once (202): the engine thread never
/// waits on the network. GET /health/adapters says `"checking": true` until it ends, then
/// the state, latency and error it found.
Result<ApiResponse> test(EngineContext &ctx, const ApiRequest &req)
{
    auto catalog = ctx.requireAdapters();
    if (!catalog)
        return catalog.error();
    if (!ctx.adapterRunner)
        return Error::unavailable("adapter calls are not running in this Flowdeck");
    const std::string &name = req.params.at("name");
    if (auto found = (*catalog)->byName(name); !found)
        return found.error();
    ctx.adapterRunner->testInBackground(name);
    return ApiResponse{202,
                       {{"message", "checking the connection of adapter instance \"" + name + "\""},
                        {"checking", true}}};
}

/// What the named workflow's adapter tasks need and whether this store has it
/// (AdapterCatalog::needs): what the start-job dialog and the workflow detail show.
Result<ApiResponse> needs(EngineContext &ctx, const ApiRequest &req)
{
    auto workflow = ctx.store.workflowByName(req.params.at("name"));
    if (!workflow)
        return workflow.error();
    auto all = adapters::AdapterCatalog::needs(ctx.store, workflow->document);
    if (!all)
        return all.error();
    return ApiResponse{200, std::move(*all)};
}

/// The JSON Schema the properties are validated with: what the window's form is built from.
Result<ApiResponse> schema(EngineContext &, const ApiRequest &)
{
    return ApiResponse{200, adapters::propertiesSchema()};
}

/// "@scope/adapter-x" for an Itential package, "openapi:<app>" for an OpenAPI definition.
std::string packageIdOf(const json &instance)
{
    const std::string source = instance["definition"].value("source", std::string());
    if (source.rfind("itential ", 0) == 0)
        return source.substr(9);
    return "openapi:" + instance.value("app", std::string());
}

/// Itential's health entry per adapter, with the connection Flowdeck last saw.
Result<ApiResponse> health(EngineContext &ctx, const ApiRequest &)
{
    if (!ctx.adapters)
        return ApiResponse{200, json::array()};
    auto all = ctx.adapters->list();
    if (!all)
        return all.error();
    const json seen = ctx.adapterRunner ? ctx.adapterRunner->health() : json::object();
    json out = json::array();
    for (const auto &a : *all) {
        const std::string name = a.value("name", std::string());
        json connection = seen.value(name, json{{"state", "UNKNOWN"}});
        out.push_back({{"id", name},
                       {"package_id", packageIdOf(a)},
                       {"version", a["definition"].value("version", std::string())},
                       {"type", "Adapter"},
                       {"app", a.value("app", std::string())},
                       {"description", a["definition"].value("title", std::string())},
                       {"state", ctx.adapterRunner ? "RUNNING" : "STOPPED"},
                       {"connection", std::move(connection)}});
    }
    return ApiResponse{200, std::move(out)};
}

} // namespace

void addRoutes(std::vector<Route> &routes)
{
    routes.push_back({Method::Get, RoutePattern("/adapters"), "getAdapters", list,
                      "List adapter instances ({results, total}); secrets masked"});
    routes.push_back({Method::Get, RoutePattern("/adapters/schema/properties"), "getAdapters",
                      schema, "The JSON Schema of adapter instance properties"});
    routes.push_back({Method::Get, RoutePattern("/adapters/needs/:name"), "getWorkflows", needs,
                      "What the named workflow's adapter tasks need: per task its app, the "
                      "instances of that app, and the problem a run would meet"});
    routes.push_back({Method::Get, RoutePattern("/adapters/:name"), "getAdapters", getOne,
                      "One adapter instance with its methods and their schemas"});
    routes.push_back({Method::Get, RoutePattern("/adapters/:name/methods"), "getAdapters", methods,
                      "The methods of an instance: inputs, input and output schemas"});
    routes.push_back({Method::Post, RoutePattern("/adapters"), "createAdapter", create,
                      "Create an instance from {name, app, openapi (document or its text), "
                      "properties}; 400 with pointed errors"});
    routes.push_back({Method::Put, RoutePattern("/adapters/:name"), "updateAdapter", update,
                      "Change an instance's app, definition or properties (a secret sent as "
                      "\"********\" keeps its stored value)"});
    routes.push_back({Method::Delete, RoutePattern("/adapters/:name"), "deleteAdapter", remove,
                      "Delete an adapter instance"});
    routes.push_back({Method::Post, RoutePattern("/adapters/:name/test"), "updateAdapter", test,
                      "Start the instance's health check (202); GET /health/adapters shows "
                      "its outcome"});
    routes.push_back({Method::Get, RoutePattern("/health/adapters"), "", health,
                      "The adapter instances and their connection as last checked"});
}

} // namespace flowdeck::api::adapterinstances
