// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/api/TransformationsApi.h"
#include "engine/api/DocumentSupport.h"
#include "engine/api/QueryNumber.h"

#include "engine/api/TransformationCatalog.h"
#include "engine/jst/JstEvaluator.h"

#include <charconv>
#include <set>

namespace flowdeck::api::transformations {
namespace {

using nlohmann::json;

/// A 200 answer. Fields are set by name: ApiResponse grows (headers, raw bodies) and an
/// aggregate initialiser would have to name every new member.
ApiResponse answer(json body)
{
    ApiResponse r;
    r.json = std::move(body);
    return r;
}

std::optional<std::string> actorOf(const ApiRequest &req)
{
    return req.principal ? std::optional(req.principal->username) : std::nullopt;
}

Result<bool> boolParam(const ApiRequest &req, const std::string &key)
{
    auto value = req.queryValue(key);
    if (!value || *value == "false")
        return false;
    if (*value == "true")
        return true;
    return Error::invalid("query parameter \"" + key + "\" must be true or false, not \"" + *value +
                          "\"");
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
    store::TransformationQuery q;
    q.name = req.queryValue("equals[name]");
    q.nameContains = req.queryValue("contains[name]");
    q.limit = paging->limit;
    q.skip = paging->skip;
    auto page = ctx.store.listTransformations(q);
    if (!page)
        return page.error();
    json results = json::array();
    for (auto &record : page->items)
        results.push_back(std::move(record.document));
    return answer({{"results", std::move(results)}, {"total", page->total}});
}

Result<ApiResponse> getOne(EngineContext &ctx, const ApiRequest &req)
{
    auto record = TransformationCatalog(ctx.store).find(req.params.at("id"));
    if (!record)
        return record.error();
    return answer(std::move(record->document));
}

Result<ApiResponse> create(EngineContext &ctx, const ApiRequest &req)
{
    if (!req.body.is_object())
        return Error::invalid("the body must be a JST document");
    auto imported = TransformationCatalog(ctx.store).import({{"body", req.body, {}}}, actorOf(req),
                                                            OnExisting::Refuse);
    if (!imported)
        return imported.error();
    return answer(std::move(imported->front().record.document));
}

Result<ApiResponse> update(EngineContext &ctx, const ApiRequest &req)
{
    if (!req.body.is_object())
        return Error::invalid("the body must be a JST document");
    const std::string &id = req.params.at("id");
    auto existing = ctx.store.transformationById(id);
    if (!existing)
        return existing.error();
    json doc = req.body;
    if (doc.contains("_id") && doc["_id"] != json(id))
        return Error::invalid("the body's \"_id\" (" + doc["_id"].dump() +
                              ") is not the JST being updated (" + id + ")");
    doc["_id"] = id;
    auto imported = TransformationCatalog(ctx.store).import({{"body", std::move(doc), {}}},
                                                            actorOf(req), OnExisting::NewVersion);
    if (!imported)
        return imported.error();
    return answer(std::move(imported->front().record.document));
}

Result<ApiResponse> remove(EngineContext &ctx, const ApiRequest &req)
{
    const std::string &id = req.params.at("id");
    auto existing = ctx.store.transformationById(id);
    if (!existing)
        return existing.error();
    if (auto r = ctx.store.deleteTransformation(id); !r)
        return r.error();
    return answer({{"message", "deleted JST \"" + existing->name + "\""}, {"_id", id}});
}

Result<ApiResponse> runOne(EngineContext &ctx, const ApiRequest &req)
{
    if (auto r = documents::onlyKnownQuery(
            req, {"extractOutput", "validateIncoming", "revertToDefaultValue"});
        !r)
        return r.error();
    const json incoming = req.body.is_null() ? json::object() : req.body;
    if (!incoming.is_object())
        return Error::invalid("the body must be an object of incoming values keyed by the JST's "
                              "incoming $ids");
    jst::JstOptions options;
    for (auto [key, flag] : {std::pair{"extractOutput", &options.extractOutput},
                             std::pair{"validateIncoming", &options.validateIncoming},
                             std::pair{"revertToDefaultValue", &options.revertToDefaultValue}}) {
        auto value = boolParam(req, key);
        if (!value)
            return value.error();
        *flag = *value;
    }
    auto record = TransformationCatalog(ctx.store).find(req.params.at("id"));
    if (!record)
        return record.error();
    auto doc = jst::JstDocument::parse(record->document);
    if (!doc)
        return doc.error();
    auto out = jst::run(*doc, incoming, options);
    if (!out)
        return out.error();
    return answer(std::move(*out));
}

} // namespace

void addRoutes(std::vector<Route> &routes)
{
    routes.push_back({Method::Get, RoutePattern("/transformations"), "getTransformations", list,
                      "List JST documents ({results, total}); limit, skip, equals[name], "
                      "contains[name]"});
    routes.push_back({Method::Get, RoutePattern("/transformations/:id"), "getTransformations",
                      getOne, "Get one JST document by _id (or name)"});
    routes.push_back({Method::Post, RoutePattern("/transformations"), "createTransformation",
                      create, "Create a JST from the body (400 with the validator's issues)"});
    routes.push_back({Method::Put, RoutePattern("/transformations/:id"), "updateTransformation",
                      update, "Replace a JST's document; stored as its next version"});
    routes.push_back({Method::Delete, RoutePattern("/transformations/:id"), "deleteTransformation",
                      remove, "Delete a JST and its history"});
    routes.push_back({Method::Post, RoutePattern("/transformations/:id"), "runTransformation",
                      runOne,
                      "Run a JST on the body (incoming values); answers its outgoing values. "
                      "Options as query flags: extractOutput, validateIncoming, "
                      "revertToDefaultValue"});
}

} // namespace flowdeck::api::transformations
