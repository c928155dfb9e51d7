// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/api/EventsApi.h"

#include "engine/api/DocumentSupport.h"

#include "engine/api/ApiEnvelope.h"
#include "engine/api/AutomationsApi.h"
#include "engine/api/QueryNumber.h"
#include "engine/store/Store.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <set>

namespace flowdeck::api::events {
namespace {

using nlohmann::json;

// What the engine emits, named as Itential names its events: the Operations Manager app for
// job- and trigger-level news, the workflow engine for task-level news. Each payload mirrors
// an entry of the job event log (engine/runtime/JobEvents.h), so an event trigger's schema
// filter and JST are written against fields that exist.
constexpr const char *kCatalogue = R"json([
 {"source": "@itential/app-operations_manager", "topic": "jobCreated",
  "description": "A job started: by a person, an API client or a trigger.",
  "definition": {"type": "object", "required": ["jobId", "name", "status", "at"],
   "properties": {
    "jobId": {"type": "string", "pattern": "^[0-9a-f]{24}$"},
    "name": {"type": "string", "description": "the workflow's name"},
    "description": {"type": "string"},
    "status": {"type": "string", "const": "running"},
    "parentJobId": {"type": ["string", "null"]},
    "automationId": {"type": ["string", "null"], "description": "the automation that started it"},
    "workflowId": {"type": ["string", "null"]},
    "triggerId": {"type": ["string", "null"], "description": "the trigger that started it"},
    "startedBy": {"type": ["string", "null"]},
    "groups": {"type": "array", "items": {"type": "string"}},
    "at": {"type": "integer", "description": "epoch milliseconds"}}}},
 {"source": "@itential/app-operations_manager", "topic": "jobStatusChanged",
  "description": "A job's status changed (paused, resumed, canceled, complete, error).",
  "definition": {"type": "object", "required": ["jobId", "name", "status", "previousStatus", "at"],
   "properties": {
    "jobId": {"type": "string", "pattern": "^[0-9a-f]{24}$"},
    "name": {"type": "string"},
    "status": {"enum": ["running", "complete", "error", "canceled", "paused", "incomplete"]},
    "previousStatus": {"enum": ["running", "complete", "error", "canceled", "paused", "incomplete"]},
    "message": {"type": ["string", "null"]},
    "automationId": {"type": ["string", "null"], "description": "the automation that started the job"},
    "workflowId": {"type": ["string", "null"]},
    "by": {"type": ["string", "null"]},
    "at": {"type": "integer"}}}},
 {"source": "@itential/app-operations_manager", "topic": "missedJobs",
  "description": "Runs of a schedule trigger were missed while Flowdeck was not running.",
  "definition": {"type": "object", "required": ["triggerId", "automationId", "missed", "processMissedRuns"],
   "properties": {
    "triggerId": {"type": "string", "pattern": "^[0-9a-f]{24}$"},
    "automationId": {"type": "string", "pattern": "^[0-9a-f]{24}$"},
    "name": {"type": "string"},
    "missed": {"type": "array", "items": {"type": "integer"}, "description": "epoch ms of each missed run"},
    "processMissedRuns": {"enum": ["none", "last", "all"]},
    "at": {"type": "integer"}}}},
 {"source": "@itential/app-operations_manager", "topic": "triggerExecuted",
  "description": "A trigger started its automation's job.",
  "definition": {"type": "object", "required": ["triggerId", "automationId", "type", "jobId", "at"],
   "properties": {
    "triggerId": {"type": "string", "pattern": "^[0-9a-f]{24}$"},
    "automationId": {"type": "string", "pattern": "^[0-9a-f]{24}$"},
    "type": {"enum": ["endpoint", "manual", "schedule", "eventSystem"]},
    "jobId": {"type": "string", "pattern": "^[0-9a-f]{24}$"},
    "by": {"type": ["string", "null"]},
    "at": {"type": "integer"}}}},
 {"source": "@itential/app-workflow_engine", "topic": "taskAvailable",
  "description": "A manual task is waiting for someone to claim it.",
  "definition": {"type": "object", "required": ["jobId", "taskId", "iterationId", "at"],
   "properties": {
    "jobId": {"type": "string", "pattern": "^[0-9a-f]{24}$"},
    "taskId": {"type": "string", "pattern": "^[0-9a-f]{1,4}$", "description": "the workflow-local task key"},
    "iterationId": {"type": "string", "format": "uuid"},
    "name": {"type": "string"},
    "summary": {"type": "string"},
    "groups": {"type": "array", "items": {"type": "string"}},
    "at": {"type": "integer"}}}},
 {"source": "@itential/app-workflow_engine", "topic": "taskOwnerChanged",
  "description": "A manual task was claimed, assigned or released.",
  "definition": {"type": "object", "required": ["jobId", "taskId", "iterationId", "owner", "at"],
   "properties": {
    "jobId": {"type": "string", "pattern": "^[0-9a-f]{24}$"},
    "taskId": {"type": "string"},
    "iterationId": {"type": "string", "format": "uuid"},
    "owner": {"type": ["string", "null"], "description": "null when released"},
    "by": {"type": ["string", "null"]},
    "at": {"type": "integer"}}}},
 {"source": "@itential/app-workflow_engine", "topic": "taskFinished",
  "description": "A task finished with a finish state.",
  "definition": {"type": "object", "required": ["jobId", "taskId", "iterationId", "finishState", "at"],
   "properties": {
    "jobId": {"type": "string", "pattern": "^[0-9a-f]{24}$"},
    "taskId": {"type": "string"},
    "iterationId": {"type": "string", "format": "uuid"},
    "finishState": {"enum": ["success", "failure", "error"]},
    "by": {"type": ["string", "null"]},
    "at": {"type": "integer"}}}},
 {"source": "@flowdeck/adapters", "topic": "instanceDown",
  "description": "An adapter instance's health check failed after it was online (or unchecked).",
  "definition": {"type": "object", "required": ["instance", "state", "at"],
   "properties": {
    "instance": {"type": "string", "description": "the adapter instance's name"},
    "state": {"const": "OFFLINE"},
    "error": {"type": ["string", "null"], "description": "what the health check met"},
    "at": {"type": "integer"}}}}
])json";

/// What a posted event's payload is: any object, the poster's own shape.
constexpr const char *kPostedDefinition = R"json({"type": "object",
 "description": "posted to Flowdeck by another system; its shape is the poster's"})json";

/// The longest source or topic a post may name.
constexpr std::size_t kMaxNameLength = 200;

bool containsNoCase(const std::string &haystack, const std::string &needle)
{
    auto it = std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end(),
                          [](char a, char b) { return std::tolower(a) == std::tolower(b); });
    return it != haystack.end();
}

Result<ApiResponse> search(EngineContext &ctx, const ApiRequest &req)
{
    const std::set<std::string> known = {"source", "topic", "limit", "skip"};
    if (auto r = documents::onlyKnownQuery(req, known); !r)
        return r.error();
    auto paging = pageParams(req, 25, 0, 1000);
    if (!paging)
        return paging.error();
    const std::string source = req.queryValue("source").value_or("");
    const std::string topic = req.queryValue("topic").value_or("");
    json matches = json::array();
    for (const auto &event : catalogue())
        if (containsNoCase(event["source"].get<std::string>(), source) &&
            containsNoCase(event["topic"].get<std::string>(), topic))
            matches.push_back({{"source", event["source"]},
                               {"topic", event["topic"]},
                               {"description", event["description"]}});
    // And what other systems have posted: something emits those too.
    auto posted = ctx.store.postedEventTopics();
    if (!posted)
        return posted.error();
    for (const auto &[s, t] : *posted)
        if (containsNoCase(s, source) && containsNoCase(t, topic))
            matches.push_back({{"source", s},
                               {"topic", t},
                               {"description", "posted to Flowdeck by another system"}});
    const auto total = static_cast<std::int64_t>(matches.size());
    json page = json::array();
    for (std::int64_t i = paging->skip; i < total && i < std::int64_t(paging->skip) + paging->limit;
         ++i)
        page.push_back(matches[std::size_t(i)]);
    return listEnvelope("Successfully retrieved events", std::move(page),
                        ListPage{paging->skip, paging->limit, total});
}

Result<ApiResponse> answerDefinition(EngineContext &ctx, const std::string &source,
                                     const std::string &topic)
{
    json definition;
    if (const json *event = find(source, topic)) {
        definition = (*event)["definition"];
    } else if (!isFlowdeckSource(source)) {
        auto posted = ctx.store.postedEventTopics();
        if (!posted)
            return posted.error();
        if (std::find(posted->begin(), posted->end(), std::pair{source, topic}) != posted->end())
            definition = json::parse(kPostedDefinition);
    }
    if (definition.is_null())
        return Error::notFound("Flowdeck emits no event \"" + topic + "\" from \"" + source + "\"");
    // The reference's example answers the bare object, not the {message, data} envelope.
    ApiResponse response;
    response.json = {{"source", source}, {"topic", topic}, {"definition", std::move(definition)}};
    return response;
}

Result<ApiResponse> definition(EngineContext &ctx, const ApiRequest &req)
{
    return answerDefinition(ctx, req.params.at("source"), req.params.at("topic"));
}

/// POST /operations-manager/events/:source/:topic: another system's event, kept in
/// system_events; the event triggers on it start their jobs on the scheduler's next pass.
Result<ApiResponse> answerPost(EngineContext &ctx, const ApiRequest &req, const std::string &source,
                               const std::string &topic)
{
    if (isFlowdeckSource(source))
        return Error::invalid("\"" + source +
                                  "\" is Flowdeck's own source: its events are emitted by "
                                  "Flowdeck, not posted",
                              {{"instancePath", "/source"}});
    for (const auto &[name, value] : {std::pair{"source", &source}, std::pair{"topic", &topic}})
        if (value->empty() || value->size() > kMaxNameLength ||
            std::any_of(value->begin(), value->end(),
                        [](unsigned char c) { return c < 0x20 || c == 0x7f; }))
            return Error::invalid(std::string("the event's ") + name + " must be 1 to " +
                                      std::to_string(kMaxNameLength) +
                                      " characters without control characters",
                                  {{"instancePath", std::string("/") + name}});
    if (!req.body.is_object())
        return Error::invalid("the body must be a JSON object: the event's payload, which event "
                              "triggers filter with their schema and pass to their job",
                              {{"instancePath", ""}});
    store::SystemEventRecord event;
    event.source = source;
    event.topic = topic;
    event.payload = req.body;
    event.at = automations::nowMillis();
    event.postedBy = automations::actorName(req);
    auto seq = ctx.store.appendSystemEvent(event);
    if (!seq)
        return seq.error();
    return envelope("Event received",
                    {{"seq", *seq}, {"source", source}, {"topic", topic}, {"at", event.at}});
}

Result<ApiResponse> post(EngineContext &ctx, const ApiRequest &req)
{
    return answerPost(ctx, req, req.params.at("source"), req.params.at("topic"));
}

Result<ApiResponse> scopedPost(EngineContext &ctx, const ApiRequest &req)
{
    return answerPost(ctx, req, req.params.at("scope") + "/" + req.params.at("package"),
                      req.params.at("topic"));
}

/// A scoped source ("@itential/app-operations_manager") sent without escaping its slash.
Result<ApiResponse> scopedDefinition(EngineContext &ctx, const ApiRequest &req)
{
    return answerDefinition(ctx, req.params.at("scope") + "/" + req.params.at("package"),
                            req.params.at("topic"));
}

} // namespace

const json &catalogue()
{
    static const json events = json::parse(kCatalogue);
    return events;
}

const json *find(const std::string &source, const std::string &topic)
{
    for (const auto &event : catalogue())
        if (event["source"] == source && event["topic"] == topic)
            return &event;
    return nullptr;
}

bool isFlowdeckSource(const std::string &source)
{
    // Flowdeck speaks as Itential's apps and as itself: every source under those scopes is
    // its own (the catalogue), never another system's.
    return source.starts_with("@itential/") || source.starts_with("@flowdeck/");
}

void addRoutes(std::vector<Route> &routes)
{
    routes.push_back({Method::Get, RoutePattern("/operations-manager/events"), "getEvents", search,
                      "Search the system events Flowdeck emits; source, topic, limit, skip"});
    routes.push_back({Method::Get, RoutePattern("/operations-manager/events/:source/:topic"),
                      "getEventDefinition", definition,
                      "The JSON schema of an event's payload (source URL-encoded)"});
    routes.push_back(
        {Method::Get, RoutePattern("/operations-manager/events/:scope/:package/:topic"),
         "getEventDefinition", scopedDefinition,
         "The JSON schema of an event's payload (scoped source, e.g. @itential/app-…)"});
    routes.push_back({Method::Post, RoutePattern("/operations-manager/events/:source/:topic"),
                      "postEvent", post,
                      "Post another system's event; event triggers on it start their jobs"});
    routes.push_back(
        {Method::Post, RoutePattern("/operations-manager/events/:scope/:package/:topic"),
         "postEvent", scopedPost, "Post another system's event (scoped source, e.g. @acme/…)"});
}

} // namespace flowdeck::api::events
