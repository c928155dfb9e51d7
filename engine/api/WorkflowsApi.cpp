// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/api/WorkflowsApi.h"

#include "engine/api/AutomationsApi.h"
#include "engine/api/BatchImport.h"
#include "engine/api/DocumentSupport.h"
#include "engine/api/QueryNumber.h"
#include "engine/api/TransformationCatalog.h"

#include <charconv>
#include <set>

namespace flowdeck::api::workflows {
namespace {

using nlohmann::json;

/// The document as the API shows it: the stored document plus its store id.
json withId(const store::WorkflowRecord &record)
{
    json doc = record.document;
    doc["_id"] = record.id;
    return doc;
}

Result<ApiResponse> list(EngineContext &ctx, const ApiRequest &req)
{
    if (auto r =
            documents::onlyKnownQuery(req, {"limit", "skip", "equals[name]", "contains[name]"});
        !r)
        return r.error();
    auto paging = pageParams(req, 25, 0, 1000);
    if (!paging)
        return paging.error();
    store::WorkflowQuery q;
    q.name = req.queryValue("equals[name]");
    q.nameContains = req.queryValue("contains[name]");
    q.limit = paging->limit;
    q.skip = paging->skip;
    auto page = ctx.store.listWorkflows(q);
    if (!page)
        return page.error();
    json items = json::array();
    for (const auto &record : page->items)
        items.push_back(withId(record));
    return ApiResponse{200, {{"items", std::move(items)}, {"total", page->total}}};
}

Result<ApiResponse> detailed(EngineContext &ctx, const ApiRequest &req)
{
    auto record = ctx.store.workflowByName(req.params.at("name"));
    if (!record)
        return record.error();
    return ApiResponse{200, withId(*record)};
}

Result<ApiResponse> create(EngineContext &ctx, const ApiRequest &req)
{
    if (!req.body.is_object() || !req.body.contains("automation"))
        return Error::invalid("the body must be {\"automation\": <workflow document>}");
    auto imported = ctx.catalog.import(
        {{"automation", req.body["automation"], {}}},
        req.principal ? std::optional(req.principal->username) : std::nullopt, OnExisting::Refuse);
    if (!imported)
        return imported.error();
    const auto &record = imported->front().record;
    return ApiResponse{200,
                       {{"created", withId(record)},
                        {"edit", "/automation-studio/#/edit?automation_id=" + record.id},
                        {"warnings", issuesToJson(imported->front().warnings)}}};
}

/// A boolean body option, or Invalid naming it.
Result<bool> flag(const json &body, const char *key)
{
    if (!body.contains(key))
        return false;
    if (!body[key].is_boolean())
        return Error::invalid(std::string("\"") + key + "\" must be true or false",
                              {{"instancePath", std::string("/") + key}});
    return body[key].get<bool>();
}

Result<ApiResponse> importMany(EngineContext &ctx, const ApiRequest &req)
{
    if (!req.body.is_object() || !req.body.contains("automations") ||
        !req.body["automations"].is_array())
        return Error::invalid("the body must be {\"automations\": [<document>, ...]}");
    BatchImportOptions options;
    auto replace = flag(req.body, "overwrite");
    auto partial = flag(req.body, "partial");
    if (!replace)
        return replace.error();
    if (!partial)
        return partial.error();
    options.onExisting = *replace ? OnExisting::NewVersion : OnExisting::Refuse;
    options.partial = *partial;
    if (req.body.contains("duplicates")) {
        if (req.body["duplicates"] != "newest" && req.body["duplicates"] != "refuse")
            return Error::invalid("\"duplicates\" must be \"newest\" or \"refuse\"",
                                  {{"instancePath", "/duplicates"}});
        options.newestWins = req.body["duplicates"] == "newest";
    }
    std::vector<ImportItem> items;
    const auto &docs = req.body["automations"];
    for (std::size_t i = 0; i < docs.size(); ++i)
        items.push_back({"/automations/" + std::to_string(i), docs[i], {}});
    auto mixed = importMixed(ctx, req, std::move(items), options);
    if (!mixed)
        return mixed.error();
    const BatchImport *imported = &mixed->batch;
    json out = json::array();
    for (const auto &item : imported->stored.workflows)
        out.push_back({{"_id", item.record.id},
                       {"source", item.source},
                       {"name", item.record.name},
                       {"version", item.record.version},
                       {"replaced", item.replaced},
                       {"warnings", issuesToJson(item.warnings)}});
    json jsts = json::array();
    for (const auto &item : imported->stored.transformations) {
        json entry = {{"_id", item.record.id},
                      {"source", item.source},
                      {"name", item.record.name},
                      {"version", item.record.version},
                      {"replaced", item.replaced}};
        // A name taken over from a JST of another _id (the CLI's rule): the old one is kept,
        // renamed, and the answer says which.
        if (!item.displacedId.empty())
            entry["displaced"] = {{"_id", item.displacedId}, {"name", item.displaced}};
        jsts.push_back(std::move(entry));
    }
    json skipped = json::array();
    for (const auto &item : imported->skipped)
        skipped.push_back({{"source", item.source},
                           {"name", item.name},
                           {"reason", item.reason},
                           {"issues", item.issues}});
    json automationResults = json::array();
    for (const auto &one : mixed->automations)
        automationResults.push_back({{"_id", one.id.empty() ? json() : json(one.id)},
                                     {"source", one.source},
                                     {"name", one.name},
                                     {"warnings", one.warnings}});
    return ApiResponse{200,
                       {{"imported", std::move(out)},
                        {"transformations", std::move(jsts)},
                        {"automations", std::move(automationResults)},
                        {"skipped", std::move(skipped)}}};
}

Result<ApiResponse> exportOne(EngineContext &ctx, const ApiRequest &req)
{
    const json options = req.body.is_object() ? req.body.value("options", json()) : json();
    if (!options.is_object())
        return Error::invalid("the body must be {\"options\": {\"name\": …}} or "
                              "{\"options\": {\"_id\": …}}");
    if (options.contains("name") && options["name"].is_string()) {
        auto doc = ctx.catalog.exportByName(options["name"].get<std::string>());
        if (!doc)
            return doc.error();
        return ApiResponse{200, std::move(*doc)};
    }
    if (options.contains("_id") && options["_id"].is_string()) {
        auto doc = ctx.catalog.exportById(options["_id"].get<std::string>());
        if (!doc)
            return doc.error();
        return ApiResponse{200, std::move(*doc)};
    }
    return Error::invalid("options needs a string \"name\" or \"_id\"");
}

Result<ApiResponse> remove(EngineContext &ctx, const ApiRequest &req)
{
    const auto &name = req.params.at("name");
    if (auto r = ctx.store.deleteWorkflow(name); !r)
        return r.error();
    return ApiResponse{200, {{"message", "deleted workflow \"" + name + "\""}}};
}

} // namespace

void addRoutes(std::vector<Route> &routes)
{
    routes.push_back({Method::Get, RoutePattern("/automation-studio/workflows"), "getWorkflows",
                      list, "List workflows ({items, total}); limit, skip, equals[name]"});
    routes.push_back({Method::Get, RoutePattern("/automation-studio/workflows/detailed/:name"),
                      "getWorkflows", detailed, "Get one workflow document by name"});
    routes.push_back({Method::Post, RoutePattern("/automation-studio/automations"),
                      "createWorkflow", create,
                      "Create a workflow from {automation: document}; answers {created, edit}"});
    routes.push_back({Method::Post, RoutePattern("/automation-studio/automations/import"),
                      "importWorkflows", importMany,
                      "Import workflows, JSTs and Operations Manager automation exports from "
                      "{automations: [document…], overwrite?, partial?, duplicates?: newest}: "
                      "workflows and JSTs all or none unless partial; answers imported, "
                      "transformations, automations and skipped (each with its source)"});
    routes.push_back({Method::Post, RoutePattern("/workflow_builder/export"), "exportWorkflow",
                      exportOne, "Export a workflow document by {options: {name | _id}}"});
    routes.push_back({Method::Delete, RoutePattern("/workflow_builder/workflows/delete/:name"),
                      "deleteWorkflow", remove, "Delete a workflow and its history"});
}

} // namespace flowdeck::api::workflows
