// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/api/TasksApi.h"

#include "engine/access/AccountService.h"
#include "engine/api/ApiEnvelope.h"
#include "engine/api/JobQueryParser.h"
#include "engine/api/JobsApi.h"
#include "engine/runtime/Engine.h"

#include <algorithm>
#include <map>

namespace flowdeck::api::tasks {
namespace {

using nlohmann::json;

SearchSchema taskSchema()
{
    return {store::taskSearchFields(), {"job"}};
}

/// Replaces doc.job ({_id, task, name}) with the job's summary (dereference=job).
void dereferenceJob(EngineContext &ctx, json &doc, std::map<std::string, json> &cache)
{
    if (!doc.contains("job") || !doc["job"].is_object())
        return;
    const json id = doc["job"].value("_id", json());
    if (!id.is_string())
        return;
    const auto key = id.get<std::string>();
    auto it = cache.find(key);
    if (it == cache.end()) {
        json summary = json::object();
        if (auto record = ctx.store.job(key)) {
            const json &d = record->document;
            for (const char *field : {"_id", "name", "description", "status", "groups", "watchers",
                                      "created", "last_updated", "metrics"})
                if (d.contains(field))
                    summary[field] = d[field];
        }
        it = cache.emplace(key, std::move(summary)).first;
    }
    json expanded = it->second;
    expanded["task"] = doc["job"].value("task", json());
    doc["job"] = std::move(expanded);
}

json present(EngineContext &ctx, json doc, const Projection &projection,
             std::map<std::string, json> &cache)
{
    if (std::find(projection.dereference.begin(), projection.dereference.end(), "job") !=
        projection.dereference.end())
        dereferenceJob(ctx, doc, cache);
    return project(doc, projection);
}

Result<ApiResponse> list(EngineContext &ctx, const ApiRequest &req)
{
    auto search = parseSearchQuery(req, taskSchema());
    if (!search)
        return search.error();
    store::TaskQuery q;
    q.filter = search->filter;
    q.sortField = search->sortField;
    q.descending = search->descending;
    q.skip = search->skip;
    q.limit = search->limit;
    q.visibleTo = jobs::visibleTo(req.caller());
    auto page = ctx.store.listTaskIterations(q);
    if (!page)
        return page.error();
    json items = json::array();
    std::map<std::string, json> cache;
    for (auto &record : page->items)
        items.push_back(present(ctx, std::move(record.document), search->projection, cache));
    return listEnvelope("tasks found", std::move(items), {search->skip, search->limit, page->total},
                        search->hints);
}

Result<ApiResponse> getOne(EngineContext &ctx, const ApiRequest &req)
{
    auto engine = ctx.requireEngine();
    if (!engine)
        return engine.error();
    auto projection = parseProjection(req, taskSchema());
    if (!projection)
        return projection.error();
    auto doc = (*engine)->taskIteration(req.params.at("id"), req.caller());
    if (!doc)
        return doc.error();
    std::map<std::string, json> cache;
    return envelope("task found", present(ctx, std::move(*doc), *projection, cache));
}

Result<ApiResponse> claim(EngineContext &ctx, const ApiRequest &req)
{
    auto engine = ctx.requireEngine();
    if (!engine)
        return engine.error();
    auto doc = (*engine)->claimTask(req.params.at("taskId"), req.caller());
    if (!doc)
        return doc.error();
    return envelope("task claimed by " + req.caller().username, std::move(*doc));
}

Result<ApiResponse> assign(EngineContext &ctx, const ApiRequest &req)
{
    auto engine = ctx.requireEngine();
    if (!engine)
        return engine.error();
    auto accounts = ctx.requireAccounts();
    if (!accounts)
        return accounts.error();
    if (!req.body.is_object() || !req.body.contains("userId") || !req.body["userId"].is_string())
        return Error::invalid("the body must be {\"userId\": <user id>}", {{"pointer", "/userId"}});
    const auto userId = req.body["userId"].get<std::string>();
    auto assignee = (*accounts)->principalFor(userId);
    if (!assignee) {
        // The assignee is named in the body: whatever is wrong with them is the caller's
        // mistake about the body, not about the caller's own sign-in.
        const auto code = assignee.error().code;
        if (code == ErrorCode::NotFound || code == ErrorCode::Invalid)
            return Error::invalid("/userId: no user with id \"" + userId + "\"",
                                  {{"pointer", "/userId"}});
        if (code == ErrorCode::Unauthorized)
            return Error::invalid("/userId: the user \"" + userId +
                                      "\" is disabled and cannot be given tasks",
                                  {{"pointer", "/userId"}});
        return assignee.error();
    }
    auto doc = (*engine)->assignTask(req.params.at("taskId"), *assignee, req.caller());
    if (!doc)
        return doc.error();
    return envelope("task assigned to " + assignee->username, std::move(*doc));
}

Result<ApiResponse> release(EngineContext &ctx, const ApiRequest &req)
{
    auto engine = ctx.requireEngine();
    if (!engine)
        return engine.error();
    auto doc = (*engine)->releaseTask(req.params.at("taskId"), req.caller());
    if (!doc)
        return doc.error();
    return envelope("task released", std::move(*doc));
}

Result<ApiResponse> controller(EngineContext &ctx, const ApiRequest &req)
{
    auto engine = ctx.requireEngine();
    if (!engine)
        return engine.error();
    auto doc = (*engine)->manualTaskController(req.params.at("jobId"), req.params.at("taskId"),
                                               req.caller());
    if (!doc)
        return doc.error();
    return envelope("manual task controller", std::move(*doc));
}

Result<ApiResponse> finish(EngineContext &ctx, const ApiRequest &req)
{
    auto engine = ctx.requireEngine();
    if (!engine)
        return engine.error();
    // Seed 003 shows the body {}: a missing taskData, finish_state or variables means success
    // with no values. Present but of the wrong type is still the caller's mistake.
    if (!req.body.is_null() && !req.body.is_object())
        return Error::invalid("the body must be an object: {\"taskData\": {\"finish_state\": …, "
                              "\"variables\": {…}}} or {}",
                              {{"pointer", ""}});
    const json taskData =
        req.body.is_object() ? req.body.value("taskData", json::object()) : json::object();
    if (!taskData.is_object())
        return Error::invalid("/taskData must be an object", {{"pointer", "/taskData"}});
    const json finishState = taskData.value("finish_state", json("success"));
    if (!finishState.is_string())
        return Error::invalid("/taskData/finish_state must be \"success\" or \"failure\"",
                              {{"pointer", "/taskData/finish_state"}});
    const json variables = taskData.value("variables", json::object());
    if (!variables.is_object())
        return Error::invalid("/taskData/variables must be an object",
                              {{"pointer", "/taskData/variables"}});
    auto doc = (*engine)->finishManualTask(req.params.at("jobId"), req.params.at("taskId"),
                                           finishState.get<std::string>(), variables, req.caller());
    if (!doc)
        return doc.error();
    return envelope("task finished", std::move(*doc));
}

Result<ApiResponse> retry(EngineContext &ctx, const ApiRequest &req)
{
    auto engine = ctx.requireEngine();
    if (!engine)
        return engine.error();
    json variables = json::object();
    if (req.body.is_object() && req.body.contains("variables")) {
        variables = req.body["variables"];
        if (!variables.is_object())
            return Error::invalid("/variables must be an object", {{"pointer", "/variables"}});
    } else if (!req.body.is_null() && !req.body.is_object()) {
        return Error::invalid("the body must be {\"variables\": {…}} or empty");
    }
    const auto &jobId = req.params.at("jobId");
    const auto &key = req.params.at("taskId");
    // The engine's retry knows no principal: GBAC on the job and the task is checked here.
    auto job = jobs::visibleJob(ctx, req.caller(), jobId);
    if (!job)
        return job.error();
    const json task = (*job)["tasks"].value(key, json());
    if (task.is_object() && !req.caller().allowedBy(task.value("groups", json::array())))
        return Error::notFound("job " + jobId + " has no task \"" + key + "\"");
    auto doc = (*engine)->retryTask(jobId, key, variables, req.caller().username);
    if (!doc)
        return doc.error();
    return envelope("task " + key + " retried", std::move(*doc));
}

} // namespace

void addRoutes(std::vector<Route> &routes)
{
    auto add = [&](Method m, const std::string &path, const char *permission, Handler h,
                   const char *summary) {
        routes.push_back({m, RoutePattern(path), permission, std::move(h), summary});
    };
    const std::string tasks = "/operations-manager/tasks";
    const std::string jobTask = "/operations-manager/jobs/:jobId/tasks/:taskId";
    add(Method::Get, tasks, "getTasks", list,
        "Search task runs (equals[type]=manual&equals[status]=running is the inbox)");
    add(Method::Get, tasks + "/:id", "getTask", getOne, "Get one task run by its iteration id");
    add(Method::Post, tasks + "/:taskId/claim", "claimTask", claim,
        "Claim a manual task run for yourself");
    add(Method::Post, tasks + "/:taskId/assign", "assignTask", assign,
        "Assign a manual task run to {userId}");
    add(Method::Post, tasks + "/:taskId/release", "releaseTask", release,
        "Release a manual task run back to everyone it is available to");
    add(Method::Get, jobTask + "/manual-controller", "getManualTaskController", controller,
        "What a manual task's form shows and collects");
    add(Method::Post, jobTask + "/finish", "finishManualTask", finish,
        "Finish a claimed manual task with {taskData: {finish_state, variables}}");
    add(Method::Post, jobTask + "/retry", "retryTask", retry,
        "Run a failed or errored task again, optionally with {variables}");
}

} // namespace flowdeck::api::tasks
