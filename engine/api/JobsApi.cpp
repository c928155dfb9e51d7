// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/api/JobsApi.h"

#include "engine/api/ApiEnvelope.h"
#include "engine/api/IdempotencyKey.h"
#include "engine/api/JobQueryParser.h"
#include "engine/runtime/Engine.h"
#include "engine/scheduler/RunGate.h"

#include <algorithm>
#include <functional>
#include <map>

namespace flowdeck::api::jobs {
namespace {

using nlohmann::json;

/// How long an Idempotency-Key of POST /jobs/start answers its first job: a start names a
/// workflow, not an automation, so no runPolicy.dedup_window_secs applies; a day covers any
/// client's retries.
constexpr store::Millis kStartKeyWindowMs = 24LL * 3600 * 1000;

SearchSchema jobSchema()
{
    return {store::jobSearchFields(), {"workflow"}};
}

Result<std::string> requiredString(const json &body, const std::string &key)
{
    if (!body.is_object() || !body.contains(key))
        return Error::invalid("the body needs \"" + key + "\"", {{"pointer", "/" + key}});
    if (!body[key].is_string() || body[key].get<std::string>().empty())
        return Error::invalid("/" + key + " must be a non-empty string", {{"pointer", "/" + key}});
    return body[key].get<std::string>();
}

/// A non-empty array of strings at /key, without repeats (the first of each is kept).
Result<std::vector<std::string>> stringList(const json &body, const std::string &key,
                                            bool allowEmpty = false)
{
    if (!body.is_object() || !body.contains(key) || !body[key].is_array())
        return Error::invalid("the body must be {\"" + key + "\": [<id>, …]}",
                              {{"pointer", "/" + key}});
    const json &items = body[key];
    if (items.empty() && !allowEmpty)
        return Error::invalid("/" + key + " is empty", {{"pointer", "/" + key}});
    std::vector<std::string> out;
    for (std::size_t i = 0; i < items.size(); ++i) {
        const std::string pointer = "/" + key + "/" + std::to_string(i);
        if (!items[i].is_string() || items[i].get<std::string>().empty())
            return Error::invalid(pointer + " must be a non-empty string", {{"pointer", pointer}});
        auto s = items[i].get<std::string>();
        if (std::find(out.begin(), out.end(), s) == out.end())
            out.push_back(std::move(s));
    }
    return out;
}

/// Each listed group id must name a group: a typo should not silently lock a job away.
Result<void> groupsExist(EngineContext &ctx, const std::vector<std::string> &groups,
                         const std::string &pointerPrefix)
{
    for (std::size_t i = 0; i < groups.size(); ++i) {
        auto g = ctx.store.groupById(groups[i]);
        if (g)
            continue;
        const std::string pointer =
            pointerPrefix.empty() ? std::string("/groupId") : pointerPrefix + std::to_string(i);
        if (g.error().code == ErrorCode::NotFound)
            return Error::invalid(pointer + ": no group with id \"" + groups[i] + "\"",
                                  {{"pointer", pointer}});
        return g.error();
    }
    return {};
}

/// One entry of a bulk answer.
json resultEntry(const std::string &jobId, const Result<json> &outcome)
{
    if (outcome)
        return {{"jobId", jobId}, {"ok", true}, {"status", 200}, {"data", *outcome}};
    return {{"jobId", jobId},
            {"ok", false},
            {"status", httpStatus(outcome.error().code)},
            {"error", errorCodeName(outcome.error().code)},
            {"message", outcome.error().message}};
}

/// Runs `op` for every id of {jobIds: […]} and answers each one's outcome: 200 when all
/// succeeded, 207 (Multi-Status) when any failed; the body is the same either way.
Result<ApiResponse> bulk(const ApiRequest &req, const std::string &verb,
                         const std::function<Result<json>(const std::string &)> &op)
{
    auto ids = stringList(req.body, "jobIds");
    if (!ids)
        return ids.error();
    json results = json::array();
    int succeeded = 0;
    for (const auto &id : *ids) {
        auto outcome = op(id);
        if (outcome)
            ++succeeded;
        results.push_back(resultEntry(id, outcome));
    }
    const int failed = int(ids->size()) - succeeded;
    auto response = envelope(
        verb + " " + std::to_string(succeeded) + " of " + std::to_string(ids->size()) + " jobs",
        {{"results", std::move(results)}, {"succeeded", succeeded}, {"failed", failed}});
    if (failed > 0)
        response.status = 207;
    return response;
}

/// What a bulk answer shows of a changed job: enough to see its new state.
json jobSummary(const json &doc)
{
    return {{"_id", doc.value("_id", json())}, {"status", doc.value("status", json())}};
}

/// Replaces doc.workflow with the stored workflow document (dereference=workflow).
void dereferenceWorkflow(EngineContext &ctx, json &doc, std::map<std::string, json> &cache)
{
    const json id = doc.contains("workflow") && doc["workflow"].is_object()
                        ? doc["workflow"].value("_id", json())
                        : json();
    if (!id.is_string())
        return;
    const auto key = id.get<std::string>();
    auto it = cache.find(key);
    if (it == cache.end()) {
        auto record = ctx.store.workflowById(key);
        json expanded = doc["workflow"];
        if (record) {
            expanded = record->document;
            expanded["_id"] = record->id;
            expanded["version"] = record->version;
        }
        it = cache.emplace(key, std::move(expanded)).first;
    }
    doc["workflow"] = it->second;
}

json present(EngineContext &ctx, json doc, const Projection &projection,
             std::map<std::string, json> &cache)
{
    if (std::find(projection.dereference.begin(), projection.dereference.end(), "workflow") !=
        projection.dereference.end())
        dereferenceWorkflow(ctx, doc, cache);
    return project(doc, projection);
}

// ---- routes -------------------------------------------------------------------------------

Result<ApiResponse> start(EngineContext &ctx, const ApiRequest &req)
{
    auto engine = ctx.requireEngine();
    if (!engine)
        return engine.error();
    auto workflow = requiredString(req.body, "workflow");
    if (!workflow)
        return workflow.error();
    runtime::StartJobOptions options;
    options.workflow = *workflow;
    const json opts = req.body.value("options", json::object());
    if (!opts.is_object())
        return Error::invalid("/options must be an object", {{"pointer", "/options"}});
    for (const char *key : {"type", "description"}) {
        if (!opts.contains(key))
            continue;
        if (!opts[key].is_string())
            return Error::invalid(std::string("/options/") + key + " must be a string",
                                  {{"pointer", std::string("/options/") + key}});
    }
    options.type = opts.value("type", std::string("automation"));
    options.description = opts.value("description", std::string());
    if (opts.contains("variables")) {
        if (!opts["variables"].is_object())
            return Error::invalid("/options/variables must be an object",
                                  {{"pointer", "/options/variables"}});
        options.variables = opts["variables"];
    }
    if (opts.contains("groups")) {
        const json &groups = opts["groups"];
        if (!groups.is_array())
            return Error::invalid("/options/groups must be an array of group ids",
                                  {{"pointer", "/options/groups"}});
        std::vector<std::string> ids;
        for (std::size_t i = 0; i < groups.size(); ++i) {
            if (!groups[i].is_string())
                return Error::invalid("/options/groups/" + std::to_string(i) +
                                          " must be a group id",
                                      {{"pointer", "/options/groups/" + std::to_string(i)}});
            ids.push_back(groups[i].get<std::string>());
        }
        if (auto r = groupsExist(ctx, ids, "/options/groups/"); !r)
            return r.error();
        options.groups = ids;
    }
    // A test run: results for some tasks (adapters, manual tasks) given instead of running
    // them, in the form `flowdeck run --mock` takes; the engine checks their shape.
    if (opts.contains("mocks")) {
        if (!opts["mocks"].is_object())
            return Error::invalid("/options/mocks must be an object of task ids",
                                  {{"pointer", "/options/mocks"}});
        options.mocks = opts["mocks"];
    }
    options.principal = req.caller();
    options.actor = req.caller().username;
    auto key = idempotencyKey(req);
    if (!key)
        return key.error();
    if (!*key) {
        auto doc = (*engine)->startJob(options);
        if (!doc)
            return doc.error();
        return envelope("job started", std::move(*doc));
    }
    // A key is the caller's own: another caller's identical key starts their own job.
    const std::string &scope = req.caller().userId;
    const store::Millis now = (*engine)->clockNow();
    auto seen = ctx.store.startKeyJob(scope, **key, now - kStartKeyWindowMs);
    if (!seen)
        return seen.error();
    if (*seen)
        if (auto first = (*engine)->jobDocument(**seen); first) {
            ApiResponse again =
                envelope("job already started with this Idempotency-Key", std::move(*first));
            again.headers[kIdempotentReplayed] = "true";
            return again;
        }
    json doc;
    auto started = ctx.store.transaction([&]() -> Result<void> {
        auto job = (*engine)->startJob(options);
        if (!job)
            return job.error();
        doc = std::move(*job);
        return ctx.store.recordStartKey(scope, **key, doc.value("_id", std::string()), now);
    });
    if (!started)
        return started.error();
    return envelope("job started", std::move(doc));
}

Result<ApiResponse> list(EngineContext &ctx, const ApiRequest &req)
{
    auto search = parseSearchQuery(req, jobSchema());
    if (!search)
        return search.error();
    store::JobQuery q;
    q.filter = search->filter;
    q.sortField = search->sortField;
    q.descending = search->descending;
    q.skip = search->skip;
    q.limit = search->limit;
    q.visibleTo = visibleTo(req.caller());
    auto page = ctx.store.listJobs(q);
    if (!page)
        return page.error();
    json items = json::array();
    std::map<std::string, json> cache;
    for (auto &record : page->items)
        items.push_back(present(ctx, std::move(record.document), search->projection, cache));
    return listEnvelope("jobs found", std::move(items), {search->skip, search->limit, page->total},
                        search->hints);
}

Result<ApiResponse> getOne(EngineContext &ctx, const ApiRequest &req)
{
    auto projection = parseProjection(req, jobSchema());
    if (!projection)
        return projection.error();
    auto doc = visibleJob(ctx, req.caller(), req.params.at("id"));
    if (!doc)
        return doc.error();
    std::map<std::string, json> cache;
    return envelope("job found", present(ctx, std::move(*doc), *projection, cache));
}

/// A bulk operator action (pause, resume, cancel) on every visible job.
Handler operatorAction(const std::string &verb,
                       Result<json> (runtime::Engine::*action)(const std::string &,
                                                               const std::optional<std::string> &))
{
    return [verb, action](EngineContext &ctx, const ApiRequest &req) -> Result<ApiResponse> {
        auto engine = ctx.requireEngine();
        if (!engine)
            return engine.error();
        return bulk(req, verb, [&](const std::string &id) -> Result<json> {
            auto seen = visibleJob(ctx, req.caller(), id);
            if (!seen)
                return seen.error();
            // A queued job is not in the engine yet: its automation's run policy holds it.
            if (seen->value("status", std::string()) == "queued") {
                if (verb != "canceled")
                    return Error::conflict("job " + id +
                                           " is queued and has not started; it can only be "
                                           "canceled");
                auto canceled = scheduler::cancelQueued(ctx.store, id, req.caller().username,
                                                        (*engine)->clockNow());
                if (!canceled)
                    return canceled.error();
                return jobSummary(*canceled);
            }
            auto doc = ((*engine)->*action)(id, req.caller().username);
            if (!doc)
                return doc.error();
            return jobSummary(*doc);
        });
    };
}

Result<ApiResponse> continueFrom(EngineContext &ctx, const ApiRequest &req)
{
    auto engine = ctx.requireEngine();
    if (!engine)
        return engine.error();
    auto from = requiredString(req.body, "fromTask");
    if (!from)
        return from.error();
    const auto &id = req.params.at("jobId");
    if (auto seen = visibleJob(ctx, req.caller(), id); !seen)
        return seen.error();
    auto doc = (*engine)->continueJob(id, *from, req.caller().username);
    if (!doc)
        return doc.error();
    return envelope("job continued from task " + *from, std::move(*doc));
}

Result<ApiResponse> revert(EngineContext &ctx, const ApiRequest &req)
{
    auto engine = ctx.requireEngine();
    if (!engine)
        return engine.error();
    auto from = requiredString(req.body, "fromTask");
    if (!from)
        return from.error();
    auto to = requiredString(req.body, "toTask");
    if (!to)
        return to.error();
    const auto &id = req.params.at("jobId");
    if (auto seen = visibleJob(ctx, req.caller(), id); !seen)
        return seen.error();
    auto doc = (*engine)->revertJob(id, *from, *to, req.caller().username);
    if (!doc)
        return doc.error();
    return envelope("job reverted from task " + *from + " to " + *to, std::move(*doc));
}

/// Deletes a root job in complete or canceled, with its descendants, iterations and history.
Result<json> deleteRoot(EngineContext &ctx, const Principal &who, const std::string &id)
{
    auto doc = visibleJob(ctx, who, id);
    if (!doc)
        return doc.error();
    const json parent = doc->value("parent", json());
    const json ancestors = doc->value("ancestors", json::array());
    const bool root =
        (parent.is_null() || parent.empty()) && (ancestors.empty() || ancestors[0] == json(id));
    if (!root) {
        const json rootId = ancestors.empty() ? json() : ancestors[0];
        return Error::conflict("job " + id + " is a child job" +
                               (rootId.is_string() ? " of " + rootId.get<std::string>() : "") +
                               "; delete its root job instead");
    }
    const std::string status = doc->value("status", std::string());
    if (status != "complete" && status != "canceled")
        return Error::conflict("job " + id + " is " + status +
                               "; only complete or canceled jobs can be deleted");
    auto deleted = ctx.store.deleteJobTree(id);
    if (!deleted)
        return deleted.error();
    return json{{"_id", id},
                {"jobsDeleted", deleted->jobs},
                {"tasksDeleted", deleted->taskIterations},
                {"jobHistoryDeleted", deleted->events}};
}

Result<ApiResponse> deleteOne(EngineContext &ctx, const ApiRequest &req)
{
    const auto &id = req.params.at("jobId");
    auto deleted = deleteRoot(ctx, req.caller(), id);
    if (!deleted)
        return deleted.error();
    return envelope("deleted job " + id, json::array({*deleted}));
}

Result<ApiResponse> deleteMany(EngineContext &ctx, const ApiRequest &req)
{
    return bulk(req, "deleted",
                [&](const std::string &id) { return deleteRoot(ctx, req.caller(), id); });
}

/// Itential's bulk-delete: ineligible ids are skipped, and the answer is counts (with each
/// id's outcome beside them, so a skip can be explained).
Result<ApiResponse> bulkDelete(EngineContext &ctx, const ApiRequest &req)
{
    auto ids = stringList(req.body, "jobIds");
    if (!ids)
        return ids.error();
    std::int64_t jobs = 0, tasks = 0, history = 0;
    json results = json::array();
    for (const auto &id : *ids) {
        auto outcome = deleteRoot(ctx, req.caller(), id);
        if (outcome) {
            jobs += (*outcome)["jobsDeleted"].get<std::int64_t>();
            tasks += (*outcome)["tasksDeleted"].get<std::int64_t>();
            history += (*outcome)["jobHistoryDeleted"].get<std::int64_t>();
        }
        results.push_back(resultEntry(id, outcome));
    }
    return envelope("deleted " + std::to_string(jobs) + " jobs",
                    {{"jobsDeleted", jobs},
                     {"tasksDeleted", tasks},
                     {"jobHistoryDeleted", history},
                     // Flowdeck keeps every value inline: there is no separate job data.
                     {"jobDataDeleted", 0},
                     {"jobDataLargeFilesDeleted", 0},
                     {"results", std::move(results)}});
}

Result<ApiResponse> changeGroups(EngineContext &ctx, const ApiRequest &req,
                                 runtime::GroupChange change, std::vector<std::string> groups,
                                 const std::string &message)
{
    auto engine = ctx.requireEngine();
    if (!engine)
        return engine.error();
    auto doc = (*engine)->changeJobGroups(req.params.at("jobId"), change, groups, req.caller());
    if (!doc)
        return doc.error();
    return envelope(message, std::move(*doc));
}

Result<ApiResponse> addGroup(EngineContext &ctx, const ApiRequest &req)
{
    auto group = requiredString(req.body, "groupId");
    if (!group)
        return group.error();
    if (auto seen = visibleJob(ctx, req.caller(), req.params.at("jobId")); !seen)
        return seen.error();
    if (auto r = groupsExist(ctx, {*group}, ""); !r)
        return r.error();
    return changeGroups(ctx, req, runtime::GroupChange::Add, {*group}, "group added to job");
}

Result<ApiResponse> replaceGroups(EngineContext &ctx, const ApiRequest &req)
{
    auto groups = stringList(req.body, "groups", /*allowEmpty=*/true);
    if (!groups)
        return groups.error();
    if (auto seen = visibleJob(ctx, req.caller(), req.params.at("jobId")); !seen)
        return seen.error();
    if (auto r = groupsExist(ctx, *groups, "/groups/"); !r)
        return r.error();
    return changeGroups(ctx, req, runtime::GroupChange::Replace, *groups, "job groups replaced");
}

Result<ApiResponse> removeGroup(EngineContext &ctx, const ApiRequest &req)
{
    return changeGroups(ctx, req, runtime::GroupChange::Remove, {req.params.at("groupId")},
                        "group removed from job");
}

Result<ApiResponse> clearGroups(EngineContext &ctx, const ApiRequest &req)
{
    auto r = changeGroups(ctx, req, runtime::GroupChange::Clear, {}, "job groups removed");
    if (!r)
        return r;
    return envelope("job groups removed", nullptr);
}

Result<json> watch(EngineContext &ctx, const Principal &who, const std::string &id, bool on)
{
    auto engine = ctx.requireEngine();
    if (!engine)
        return engine.error();
    if (auto seen = visibleJob(ctx, who, id); !seen)
        return seen.error();
    const std::vector<std::string> me{who.username};
    auto doc =
        on ? (*engine)->setWatchers(id, who, me, {}) : (*engine)->setWatchers(id, who, {}, me);
    if (!doc)
        return doc.error();
    return json{{"_id", id}, {"watchers", doc->value("watchers", json::array())}};
}

Handler watchOne(bool on)
{
    return [on](EngineContext &ctx, const ApiRequest &req) -> Result<ApiResponse> {
        auto r = watch(ctx, req.caller(), req.params.at("jobId"), on);
        if (!r)
            return r.error();
        return envelope(on ? "you are watching the job" : "you no longer watch the job",
                        std::move(*r));
    };
}

Handler watchMany(bool on)
{
    return [on](EngineContext &ctx, const ApiRequest &req) -> Result<ApiResponse> {
        return bulk(req, on ? "watching" : "no longer watching",
                    [&](const std::string &id) { return watch(ctx, req.caller(), id, on); });
    };
}

Result<ApiResponse> addWatchers(EngineContext &ctx, const ApiRequest &req)
{
    auto engine = ctx.requireEngine();
    if (!engine)
        return engine.error();
    auto userIds = stringList(req.body, "userIds");
    if (!userIds)
        return userIds.error();
    const auto &id = req.params.at("jobId");
    if (auto seen = visibleJob(ctx, req.caller(), id); !seen)
        return seen.error();
    // Watchers are kept by username, as the job history and task owners show people.
    std::vector<std::string> usernames;
    for (std::size_t i = 0; i < userIds->size(); ++i) {
        auto user = ctx.store.userById((*userIds)[i]);
        if (!user) {
            const std::string pointer = "/userIds/" + std::to_string(i);
            if (user.error().code == ErrorCode::NotFound)
                return Error::invalid(pointer + ": no user with id \"" + (*userIds)[i] + "\"",
                                      {{"pointer", pointer}});
            return user.error();
        }
        usernames.push_back(user->username);
    }
    auto doc = (*engine)->setWatchers(id, req.caller(), usernames, {});
    if (!doc)
        return doc.error();
    return envelope("watchers added",
                    {{"_id", id}, {"watchers", doc->value("watchers", json::array())}});
}

} // namespace

std::optional<std::vector<std::string>> visibleTo(const Principal &who)
{
    if (who.admin)
        return std::nullopt;
    return std::vector<std::string>(who.groups.begin(), who.groups.end());
}

Result<json> visibleJob(EngineContext &ctx, const Principal &who, const std::string &jobId)
{
    auto engine = ctx.requireEngine();
    if (!engine)
        return engine.error();
    auto doc = (*engine)->jobDocument(jobId);
    if (!doc) {
        if (doc.error().code == ErrorCode::NotFound)
            return Error::notFound("no job with id " + jobId);
        return doc.error();
    }
    if (!who.allowedBy(doc->value("groups", json::array())))
        return Error::notFound("no job with id " + jobId);
    return doc;
}

void addRoutes(std::vector<Route> &routes)
{
    const std::string base = "/operations-manager/jobs";
    auto add = [&](Method m, const std::string &path, const char *permission, Handler h,
                   const char *summary) {
        routes.push_back({m, RoutePattern(path), permission, std::move(h), summary});
    };
    add(Method::Post, base + "/start", "startJob", start,
        "Start a job from {workflow, options: {type, description, variables, groups}}");
    add(Method::Get, base, "getJobs", list,
        "Search jobs (equals[f], in[f], gt[f]…, q, include, exclude, sort, order, skip, limit)");
    add(Method::Post, base + "/pause", "pauseJobs",
        operatorAction("paused", &runtime::Engine::pauseJob),
        "Pause jobs {jobIds}; per-id results");
    add(Method::Post, base + "/resume", "resumeJobs",
        operatorAction("resumed", &runtime::Engine::resumeJob),
        "Resume jobs {jobIds}; per-id results");
    add(Method::Post, base + "/cancel", "cancelJobs",
        operatorAction("canceled", &runtime::Engine::cancelJob),
        "Cancel jobs {jobIds} and their child jobs; per-id results");
    add(Method::Post, base + "/delete", "deleteJobs", deleteMany,
        "Delete complete or canceled root jobs {jobIds}; per-id results");
    add(Method::Post, base + "/bulk-delete", "bulkDeleteJobs", bulkDelete,
        "Delete complete or canceled root jobs {jobIds}, skipping others; counts");
    add(Method::Post, base + "/watch", "watchJobs", watchMany(true),
        "Watch jobs {jobIds}; per-id results");
    add(Method::Post, base + "/unwatch", "unwatchJobs", watchMany(false),
        "Stop watching jobs {jobIds}; per-id results");
    add(Method::Get, base + "/:id", "getJob", getOne, "Get a job (include, exclude, dereference)");
    add(Method::Delete, base + "/:jobId", "deleteJob", deleteOne,
        "Delete a complete or canceled root job with its children, tasks and history");
    add(Method::Post, base + "/:jobId/continue", "continueJobFrom", continueFrom,
        "Continue a job from {fromTask}");
    add(Method::Post, base + "/:jobId/revert", "revertJob", revert,
        "Revert a paused job {fromTask, toTask}");
    add(Method::Post, base + "/:jobId/groups", "addJobGroup", addGroup, "Add {groupId} to a job");
    add(Method::Put, base + "/:jobId/groups", "replaceJobGroups", replaceGroups,
        "Replace a job's groups with {groups}");
    add(Method::Delete, base + "/:jobId/groups/:groupId", "deleteJobGroup", removeGroup,
        "Remove one group from a job");
    add(Method::Delete, base + "/:jobId/groups", "deleteJobGroups", clearGroups,
        "Remove every group from a job");
    add(Method::Post, base + "/:jobId/watch", "watchJob", watchOne(true), "Watch a job");
    add(Method::Post, base + "/:jobId/unwatch", "unwatchJob", watchOne(false),
        "Stop watching a job");
    add(Method::Post, base + "/:jobId/add-watchers", "addWatchersToJob", addWatchers,
        "Add {userIds} as watchers of a job");
}

} // namespace flowdeck::api::jobs
