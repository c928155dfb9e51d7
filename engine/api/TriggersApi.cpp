// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/api/TriggersApi.h"

#include "engine/api/ApiEnvelope.h"
#include "engine/api/AutomationsApi.h"
#include "engine/api/DocumentSupport.h"
#include "engine/api/EventsApi.h"
#include "engine/api/FieldPairQuery.h"
#include "engine/api/IdempotencyKey.h"
#include "engine/api/QueryNumber.h"
#include "engine/api/TriggerValidator.h"
#include "engine/jst/JstEvaluator.h"
#include "engine/model/Ids.h"
#include "engine/model/JsonFields.h"
#include "engine/runtime/Engine.h"
#include "engine/scheduler/Schedule.h"
#include "engine/scheduler/TriggerJobs.h"
#include "engine/validate/JsonSchema.h"

#include <optional>

namespace flowdeck::api::triggers {
namespace {

using nlohmann::json;
using validate::ValidationIssue;

const FieldPairQuery kQuery({"_id", "name", "description", "type", "actionType", "actionId",
                             "routeName", "verb", "source", "topic", "formId", "createdBy",
                             "lastUpdatedBy", "created", "lastUpdated", "lastExecuted",
                             "nextRunAt"},
                            true);

/// Records the version of the automation's workflow as the trigger is saved: a runPolicy with
/// version_policy "pin" runs that version (a version of another store means nothing here, so
/// imports are stamped again).
Result<void> stampWorkflowVersion(EngineContext &ctx, json &trigger)
{
    trigger.erase("workflowVersion");
    auto automation = ctx.store.automationById(fields::textAt(trigger, "actionId"));
    if (!automation)
        return automation.error().code == ErrorCode::NotFound ? Result<void>()
                                                              : Result<void>(automation.error());
    const json component = fields::member(automation->document, "componentId");
    if (!component.is_string())
        return {};
    auto workflow = ctx.store.workflowById(component.get<std::string>());
    if (!workflow)
        return workflow.error().code == ErrorCode::NotFound ? Result<void>()
                                                            : Result<void>(workflow.error());
    trigger["workflowVersion"] = {{"workflowId", workflow->id}, {"version", workflow->version}};
    return {};
}

Error invalidAt(const std::string &pointer, const std::string &keyword, const std::string &message)
{
    return documents::invalidDocument("the trigger",
                                      {documents::issueAt("trigger", pointer, keyword, message)});
}

bool isErrorIssue(const ValidationIssue &i)
{
    return i.severity == validate::Severity::Error;
}

/// The document's shape, then what it names: its automation (which the caller must be allowed
/// to change), its JST and its event.
Result<json> checked(EngineContext &ctx, const ApiRequest &req, json doc)
{
    auto issues = TriggerValidator::check(doc);
    std::erase_if(issues, [](const ValidationIssue &i) { return !isErrorIssue(i); });
    if (!issues.empty())
        return documents::invalidDocument("the trigger", issues);
    doc = TriggerValidator::withDefaults(std::move(doc));
    const std::string actionId = doc["actionId"].get<std::string>();
    if (auto automation = automations::writable(ctx, req, actionId); !automation) {
        if (automation.error().code == ErrorCode::NotFound)
            return invalidAt("/actionId", "exists", "no automation has _id " + actionId);
        return automation.error();
    }
    if (doc.value("jst", json()).is_string()) {
        const auto jst = doc["jst"].get<std::string>();
        if (auto found = ctx.store.transformationById(jst); !found) {
            if (found.error().code == ErrorCode::NotFound)
                return invalidAt("/jst", "exists", "no JST (transformation) has _id " + jst);
            return found.error();
        }
    }
    // Flowdeck's own sources have a fixed catalogue; another system's events are whatever it
    // posts (POST /operations-manager/events/:source/:topic).
    if (doc["type"] == "eventSystem" &&
        events::isFlowdeckSource(doc["source"].get<std::string>()) &&
        !events::find(doc["source"].get<std::string>(), doc["topic"].get<std::string>()))
        return invalidAt("/topic", "exists",
                         "Flowdeck emits no event \"" + doc["topic"].get<std::string>() +
                             "\" from \"" + doc["source"].get<std::string>() +
                             "\" (GET /operations-manager/events lists them)");
    return doc;
}

Result<std::string> pathId(const ApiRequest &req, const char *param)
{
    return documents::objectIdParam(req, param, "trigger");
}

/// The trigger when the caller may see its automation; NotFound otherwise.
Result<store::TriggerRecord> visibleTrigger(EngineContext &ctx, const ApiRequest &req,
                                            const std::string &id)
{
    auto record = ctx.store.triggerById(id);
    if (!record)
        return record.error();
    if (auto a = automations::readable(ctx, req, record->automationId); !a) {
        if (a.error().code == ErrorCode::NotFound)
            return Error::notFound("no trigger with id " + id);
        return a.error();
    }
    return record;
}

/// The trigger whose id is the path's :id, when the caller may see it.
Result<store::TriggerRecord> triggerInPath(EngineContext &ctx, const ApiRequest &req)
{
    auto id = pathId(req, "id");
    if (!id)
        return id.error();
    return visibleTrigger(ctx, req, *id);
}

Result<void> refuseServerFields(const json &body)
{
    return documents::refuseServerFields(TriggerValidator::serverFields(body), "trigger",
                                         "the trigger");
}

// ---- routes ----

Result<ApiResponse> create(EngineContext &ctx, const ApiRequest &req)
{
    if (!req.body.is_object())
        return Error::invalid("the body must be a trigger object");
    auto saved = insert(ctx, req, req.body, false);
    if (!saved)
        return saved.error();
    return envelope("Successfully created trigger", present(*saved));
}

Result<ApiResponse> list(EngineContext &ctx, const ApiRequest &req)
{
    auto q = kQuery.parse(req.query);
    if (!q)
        return q.error();
    q->readableBy = automations::readableBy(req);
    auto page = ctx.store.listTriggers(*q);
    if (!page)
        return page.error();
    json items = json::array();
    for (const auto &record : page->items)
        items.push_back(present(record));
    return listEnvelope("Successfully retrieved triggers", std::move(items),
                        ListPage{q->skip, q->limit, page->total});
}

Result<ApiResponse> get(EngineContext &ctx, const ApiRequest &req)
{
    auto record = triggerInPath(ctx, req);
    if (!record)
        return record.error();
    return envelope("Successfully retrieved trigger", present(*record));
}

Result<ApiResponse> update(EngineContext &ctx, const ApiRequest &req)
{
    auto id = pathId(req, "id");
    if (!id)
        return id.error();
    if (!req.body.is_object() || req.body.empty())
        return Error::invalid("the body must be an object with the fields to change");
    if (auto r = refuseServerFields(req.body); !r)
        return r.error();
    auto record = visibleTrigger(ctx, req, *id);
    if (!record)
        return record.error();
    if (req.body.contains("type") && req.body["type"] != record->type)
        return invalidAt("/type", "const",
                         "a trigger's type cannot change; create a new trigger instead");
    // Changing a trigger needs write access to the automation it belongs to now, too.
    if (auto a = automations::writable(ctx, req, record->automationId); !a)
        return a.error();
    // JSON merge patch: null removes a field, so a schedule can move from an interval to
    // cron (repeatUnit with cron is refused, even as null).
    json merged = record->document;
    for (const auto &[key, value] : req.body.items()) {
        if (value.is_null())
            merged.erase(key);
        else
            merged[key] = value;
    }
    auto doc = checked(ctx, req, std::move(merged));
    if (!doc)
        return doc.error();
    (*doc)["lastUpdated"] = automations::timestamp();
    (*doc)["lastUpdatedBy"] = automations::actorName(req);
    if (auto r = stampWorkflowVersion(ctx, *doc); !r)
        return r.error();
    auto saved =
        ctx.store.updateTrigger(*doc, TriggerValidator::nextRunAt(*doc, automations::nowMillis()));
    if (!saved)
        return saved.error();
    return envelope("Successfully updated trigger", present(*saved));
}

Result<ApiResponse> remove(EngineContext &ctx, const ApiRequest &req)
{
    auto record = triggerInPath(ctx, req);
    if (!record)
        return record.error();
    if (auto a = automations::writable(ctx, req, record->automationId); !a)
        return a.error();
    if (auto r = ctx.store.deleteTrigger(record->id); !r)
        return r.error();
    return envelope("Successfully deleted trigger \"" + record->name + "\"", {{"_id", record->id}});
}

Result<ApiResponse> exportOne(EngineContext &ctx, const ApiRequest &req)
{
    auto record = triggerInPath(ctx, req);
    if (!record)
        return record.error();
    return envelope("Successfully exported trigger", present(*record));
}

Result<ApiResponse> removeByAction(EngineContext &ctx, const ApiRequest &req)
{
    const auto &id = req.params.at("id");
    auto automation = automations::writable(ctx, req, id);
    if (!automation)
        return automation.error();
    auto deleted = ctx.store.deleteTriggersOfAutomation(id);
    if (!deleted)
        return deleted.error();
    return envelope("Deleted " + std::to_string(*deleted) + " trigger(s) of automation \"" +
                        automation->name + "\"",
                    {{"deleted", *deleted}});
}

Result<ApiResponse> importMany(EngineContext &ctx, const ApiRequest &req)
{
    if (!req.body.is_object() || !req.body.contains("triggers") || !req.body["triggers"].is_array())
        return Error::invalid("the body must be {\"triggers\": [<trigger document>, ...]}");
    json results = json::array();
    int imported = 0;
    const auto &docs = req.body["triggers"];
    for (const auto &doc : docs) {
        auto one = insert(ctx, req, doc, true);
        if (one) {
            ++imported;
            results.push_back({{"success", true}, {"data", present(*one)}});
        } else {
            results.push_back({{"success", false}, {"data", errorBody(one.error())}});
        }
    }
    return envelope("Imported " + std::to_string(imported) + " of " + std::to_string(docs.size()) +
                        " triggers",
                    std::move(results));
}

Result<ApiResponse> validateOne(EngineContext &ctx, const ApiRequest &req)
{
    auto id = pathId(req, "triggerId");
    if (!id)
        return id.error();
    auto record = visibleTrigger(ctx, req, *id);
    if (!record)
        return record.error();
    json errors = json::array();
    json warnings = json::array();
    auto message = [](const std::string &text) { return json{{"message", text}}; };
    const json &doc = record->document;
    for (const auto &issue : TriggerValidator::check(doc))
        (isErrorIssue(issue) ? errors : warnings)
            .push_back(message(issue.instancePath + ": " + issue.message));
    auto automation = ctx.store.automationById(record->automationId);
    if (!automation)
        return automation.error();
    const json component = automation->document["componentId"];
    if (!component.is_string())
        errors.push_back(message("its automation \"" + automation->name +
                                 "\" has no workflow (componentId): running it fails"));
    else if (!ctx.store.workflowById(component.get<std::string>()))
        errors.push_back(message("its automation's workflow " + component.get<std::string>() +
                                 " does not exist"));
    if (doc.value("jst", json()).is_string() &&
        !ctx.store.transformationById(doc["jst"].get<std::string>()))
        errors.push_back(message("its JST " + doc["jst"].get<std::string>() + " does not exist"));
    if (record->type == "eventSystem" && doc.value("source", json()).is_string() &&
        doc.value("topic", json()).is_string() &&
        events::isFlowdeckSource(doc["source"].get<std::string>()) &&
        !events::find(doc["source"].get<std::string>(), doc["topic"].get<std::string>()))
        errors.push_back(message("Flowdeck emits no such event: it would never fire"));
    if (!record->enabled)
        warnings.push_back(message("the trigger is disabled: it does not run"));
    if (record->type == "schedule" && record->enabled &&
        !TriggerValidator::nextRunAt(doc, automations::nowMillis()))
        warnings.push_back(
            message("firstRunAt has passed and the schedule does not repeat: it will not run"));
    if (record->type == "endpoint" && doc.value("schema", json()).is_null())
        warnings.push_back(message("no schema: any body starts a job; a schema refuses bad "
                                   "input before a job starts"));
    return envelope("Validated trigger \"" + record->name + "\"",
                    {{"errors", std::move(errors)}, {"warnings", std::move(warnings)}});
}

/// Starts the trigger's automation's workflow as the caller and records the run.
Result<ApiResponse> start(EngineContext &ctx, const ApiRequest &req,
                          const store::TriggerRecord &trigger, json variables)
{
    auto automation = automations::readable(ctx, req, trigger.automationId);
    if (!automation)
        return automation.error();
    auto engine = ctx.requireEngine();
    if (!engine)
        return engine.error();
    auto key = idempotencyKey(req);
    if (!key)
        return key.error();
    // One transaction: the job and the trigger's last run are written together, with one sync
    // to disk, or neither is.
    std::optional<Result<scheduler::RunOutcome>> job;
    auto done = ctx.store.transaction([&]() -> Result<void> {
        job.emplace(scheduler::startTriggerJob(ctx.store, **engine, *automation, trigger,
                                               std::move(variables),
                                               {automations::actorName(req), req.principal, *key}));
        if (!*job)
            return (*job).error();
        if ((*job)->repeated)
            return {};
        const auto now = automations::nowMillis();
        return ctx.store.markTriggerExecuted(trigger.id, now,
                                             TriggerValidator::nextRunAt(trigger.document, now));
    });
    if (job && !*job)
        return (*job).error();
    if (!done)
        return done.error();
    if ((*job)->repeated) {
        // The first start's answer again: the trigger did not run a second time.
        ApiResponse again =
            envelope("Job already started with this Idempotency-Key", std::move((*job)->job));
        again.headers[kIdempotentReplayed] = "true";
        return again;
    }
    return envelope((*job)->queued ? "Job queued by the automation's runPolicy"
                                   : "Successfully started job",
                    std::move((*job)->job));
}

Result<ApiResponse> runEndpoint(EngineContext &ctx, const ApiRequest &req)
{
    const auto &routeName = req.params.at("routeName");
    auto trigger = ctx.store.enabledEndpointTrigger(routeName);
    if (!trigger)
        return trigger.error();
    if (auto visible = automations::readable(ctx, req, trigger->automationId); !visible) {
        if (visible.error().code == ErrorCode::NotFound)
            return Error::notFound("no enabled endpoint trigger has routeName \"" + routeName +
                                   "\"");
        return visible.error();
    }
    const json body = req.body.is_null() ? json::object() : req.body;
    const json &schema = trigger->document.value("schema", json());
    if (!schema.is_null()) {
        auto compiled = validate::JsonSchema::compile(schema);
        if (!compiled)
            return Error::conflict("trigger \"" + trigger->name +
                                   "\" has a schema that is not valid; fix the trigger");
        auto violations = compiled->validate(body);
        if (!violations.empty()) {
            json details = json::array();
            std::string message =
                "the body does not match the schema of trigger \"" + trigger->name + "\": ";
            for (std::size_t i = 0; i < violations.size(); ++i) {
                details.push_back(violations[i].toJson());
                message += (i ? "; " : "") +
                           (violations[i].instancePath.empty() ? std::string("/")
                                                               : violations[i].instancePath) +
                           " " + violations[i].message;
            }
            return Error::invalid(message, std::move(details));
        }
    }
    json variables = body;
    if (trigger->document.value("jst", json()).is_string()) {
        auto stored = ctx.store.transformationById(trigger->document["jst"].get<std::string>());
        if (!stored)
            return Error::conflict("the JST of trigger \"" + trigger->name + "\" no longer exists");
        auto document = jst::JstDocument::parse(stored->document);
        if (!document)
            return Error::conflict("the JST of trigger \"" + trigger->name + "\" is not valid");
        auto out = jst::run(*document, body);
        if (!out)
            return out.error();
        variables = std::move(*out);
    }
    if (!variables.is_object())
        return Error::invalid("the body must be a JSON object: its fields become the job's "
                              "variables");
    return start(ctx, req, *trigger, std::move(variables));
}

/// The trigger the path's :id names, visible to the caller and of `type`; Invalid saying what
/// only that type does (`what`) for another type.
Result<store::TriggerRecord> triggerOfType(EngineContext &ctx, const ApiRequest &req,
                                           const std::string &type, const std::string &what)
{
    auto trigger = triggerInPath(ctx, req);
    if (!trigger)
        return trigger.error();
    if (trigger->type != type)
        return Error::invalid("trigger \"" + trigger->name + "\" is a " + trigger->type +
                              " trigger; only " + type + " triggers " + what);
    return trigger;
}

Result<ApiResponse> runManual(EngineContext &ctx, const ApiRequest &req)
{
    auto trigger = triggerOfType(ctx, req, "manual", "run here");
    if (!trigger)
        return trigger.error();
    if (!trigger->enabled)
        return Error::conflict("trigger \"" + trigger->name + "\" is disabled");
    if (!req.body.is_null() && !req.body.is_object())
        return Error::invalid("the body must be {\"formData\": {…}}");
    if (req.body.is_object())
        for (const auto &[key, value] : req.body.items())
            if (key != "formData")
                return Error::invalid("\"" + key +
                                          "\" is not a field of a manual run; send "
                                          "{\"formData\": {…}}",
                                      {{"instancePath", validate::appendPointer("", key)}});
    json formData = trigger->document.value("formData", json::object());
    if (!formData.is_object())
        formData = json::object();
    if (req.body.is_object() && req.body.contains("formData")) {
        if (!req.body["formData"].is_object())
            return Error::invalid("formData must be an object", {{"instancePath", "/formData"}});
        // The trigger's own formData holds the form's defaults; what the caller sends wins.
        formData.update(req.body["formData"]);
    }
    // legacyWrapper (reference §1d #49): one variable formData, or a variable per field.
    return start(ctx, req, *trigger,
                 scheduler::formVariables(trigger->document, std::move(formData)));
}

/// How many upcoming fire times a schedule answer lists by default, and at most.
constexpr std::int64_t kDefaultUpcoming = 10;
constexpr std::int64_t kMaxUpcoming = 100;

json isoTimes(const std::vector<std::int64_t> &times)
{
    json out = json::array();
    for (const auto t : times)
        out.push_back(automations::isoTime(t));
    return out;
}

/// GET /operations-manager/triggers/:id/schedule?count=N: when a schedule trigger fires next,
/// and what became of its recent instants (started, skipped, failed).
Result<ApiResponse> schedule(EngineContext &ctx, const ApiRequest &req)
{
    auto trigger = triggerOfType(ctx, req, "schedule", "have fire times");
    if (!trigger)
        return trigger.error();
    auto count = queryNumber(req, "count", kDefaultUpcoming, 1, kMaxUpcoming);
    if (!count)
        return count.error();
    auto parsed = scheduler::Schedule::fromTrigger(trigger->document);
    if (!parsed)
        return parsed.error();
    const auto now = automations::nowMillis();
    const auto upcoming =
        trigger->enabled ? parsed->upcoming(now - 1, int(*count)) : std::vector<std::int64_t>();
    auto fires = ctx.store.triggerFires(trigger->id, 20);
    if (!fires)
        return fires.error();
    json recent = json::array();
    for (const auto &f : *fires)
        recent.push_back({{"scheduledAt", f.scheduledAt},
                          {"outcome", f.outcome},
                          {"jobId", f.jobId ? json(*f.jobId) : json(nullptr)},
                          {"message", f.message},
                          {"handledAt", f.handledAt}});
    return envelope("The schedule of trigger \"" + trigger->name + "\"",
                    {{"nextRunAt", upcoming.empty() ? json(nullptr) : json(upcoming.front())},
                     {"upcoming", upcoming},
                     {"upcomingIso", isoTimes(upcoming)},
                     {"cron", trigger->document.value("cron", json())},
                     {"timezone", trigger->document.value("timezone", json())},
                     {"recent", std::move(recent)}});
}

/// GET /operations-manager/triggers/:id/events: what became of the recent events an event
/// trigger matched (started, with the job, or failed, with why), newest first.
Result<ApiResponse> eventFires(EngineContext &ctx, const ApiRequest &req)
{
    auto trigger = triggerOfType(ctx, req, "eventSystem", "have events");
    if (!trigger)
        return trigger.error();
    auto count = queryNumber(req, "count", 20, 1, 1000);
    if (!count)
        return count.error();
    auto fires = ctx.store.eventTriggerFires(trigger->id, int(*count));
    if (!fires)
        return fires.error();
    json recent = json::array();
    for (const auto &f : *fires)
        recent.push_back({{"event", f.event},
                          {"outcome", f.outcome},
                          {"jobId", f.jobId ? json(*f.jobId) : json(nullptr)},
                          {"message", f.message},
                          {"handledAt", f.handledAt}});
    return envelope("The recent events of trigger \"" + trigger->name + "\"",
                    {{"source", trigger->document.value("source", json())},
                     {"topic", trigger->document.value("topic", json())},
                     {"recent", std::move(recent)}});
}

/// POST /operations-manager/triggers/schedule/preview {cron, timezone, firstRunAt,
/// repeatUnit, repeatFrequency, repeatInterval, count}: what a schedule means before it is
/// saved. Every problem is a 400 naming its field.
Result<ApiResponse> preview(EngineContext &, const ApiRequest &req)
{
    if (!req.body.is_object())
        return Error::invalid("the body must be a schedule: {cron, timezone} or {firstRunAt, "
                              "repeatUnit, repeatFrequency}, with an optional count");
    json body = req.body;
    std::int64_t count = kDefaultUpcoming;
    if (body.contains("count")) {
        if (!body["count"].is_number_integer() || body["count"].get<std::int64_t>() < 1 ||
            body["count"].get<std::int64_t>() > kMaxUpcoming)
            return Error::invalid("count must be a whole number from 1 to " +
                                      std::to_string(kMaxUpcoming),
                                  {{"instancePath", "/count"}});
        count = body["count"].get<std::int64_t>();
        body.erase("count");
    }
    json trigger = body;
    trigger["name"] = "preview";
    trigger["type"] = "schedule";
    trigger["actionId"] = "000000000000000000000000";
    json issues = json::array();
    for (const auto &issue : TriggerValidator::check(trigger))
        if (issue.severity == validate::Severity::Error)
            issues.push_back(issue.toJson());
    if (!issues.empty()) {
        const std::string first = issues[0]["instancePath"].get<std::string>() + ": " +
                                  issues[0]["message"].get<std::string>();
        return Error::invalid(first, std::move(issues));
    }
    auto parsed = scheduler::Schedule::fromTrigger(TriggerValidator::withDefaults(trigger));
    if (!parsed)
        return parsed.error();
    const auto upcoming = parsed->upcoming(automations::nowMillis() - 1, int(count));
    return envelope("The next " + std::to_string(upcoming.size()) + " fire times",
                    {{"upcoming", upcoming}, {"upcomingIso", isoTimes(upcoming)}});
}

} // namespace

json present(const store::TriggerRecord &record)
{
    json doc = record.document;
    doc["_id"] = record.id;
    doc["enabled"] = record.enabled;
    doc["lastExecuted"] = record.lastExecuted ? json(*record.lastExecuted) : json(nullptr);
    if (record.type == "schedule") {
        auto next = TriggerValidator::nextRunAt(doc, automations::nowMillis());
        doc["nextRunAt"] = next ? json(*next) : json(nullptr);
    }
    return doc;
}

Result<store::TriggerRecord> insert(EngineContext &ctx, const ApiRequest &req, json document,
                                    bool imported)
{
    if (!document.is_object())
        return Error::invalid("a trigger must be a JSON object");
    if (!imported) {
        if (auto r = refuseServerFields(document); !r)
            return r.error();
    }
    if (document.contains("_id") &&
        (!document["_id"].is_string() || !ids::isObjectId(document["_id"].get<std::string>())))
        return invalidAt("/_id", "format", "_id must be a 24-hex-character ObjectId");
    // Runs and schedules are the server's record, not the document's.
    document.erase("lastExecuted");
    document.erase("nextRunAt");
    auto doc = checked(ctx, req, std::move(document));
    if (!doc)
        return doc.error();
    const std::string when = automations::timestamp();
    if (!doc->contains("_id"))
        (*doc)["_id"] = ids::newObjectId();
    if (!doc->value("created", json()).is_string())
        (*doc)["created"] = when;
    if (!doc->value("createdBy", json()).is_string())
        (*doc)["createdBy"] = automations::actorName(req);
    (*doc)["lastUpdated"] = when;
    (*doc)["lastUpdatedBy"] = automations::actorName(req);
    if (auto r = stampWorkflowVersion(ctx, *doc); !r)
        return r.error();
    return ctx.store.insertTrigger(*doc,
                                   TriggerValidator::nextRunAt(*doc, automations::nowMillis()));
}

void addRoutes(std::vector<Route> &routes)
{
    // Before /triggers/:triggerId/validate, so a trigger routed "validate" still runs.
    routes.push_back({Method::Post,
                      RoutePattern("/operations-manager/triggers/endpoint/:routeName"),
                      "runEndpointTriggerWithPost", runEndpoint,
                      "Run the enabled endpoint trigger with this routeName; the body (checked "
                      "against its schema) becomes the job's variables"});
    routes.push_back({Method::Post, RoutePattern("/operations-manager/triggers/manual/:id/run"),
                      "runManualTrigger", runManual,
                      "Run a manual trigger as the caller with {formData}"});
    routes.push_back({Method::Post, RoutePattern("/operations-manager/triggers"), "createTrigger",
                      create, "Create an endpoint, manual, schedule or eventSystem trigger"});
    routes.push_back({Method::Get, RoutePattern("/operations-manager/triggers"), "getTriggers",
                      list,
                      "List triggers; limit, skip, sort, order, enabled, equals/contains/"
                      "startsWith with equalsField/containsField/startsWithField"});
    routes.push_back({Method::Put, RoutePattern("/operations-manager/triggers"), "importTriggers",
                      importMany, "Import {triggers: [document…]}; per-item {success, data}"});
    routes.push_back({Method::Delete, RoutePattern("/operations-manager/triggers/action/:id"),
                      "deleteTriggersByActionId", removeByAction,
                      "Delete every trigger of an automation"});
    routes.push_back({Method::Get, RoutePattern("/operations-manager/triggers/:id"), "getTrigger",
                      get, "Get one trigger with lastExecuted and, for schedules, nextRunAt"});
    routes.push_back({Method::Patch, RoutePattern("/operations-manager/triggers/:id"),
                      "updateTrigger", update, "Change a trigger (e.g. {enabled: false})"});
    routes.push_back({Method::Delete, RoutePattern("/operations-manager/triggers/:id"),
                      "deleteTrigger", remove, "Delete a trigger"});
    routes.push_back({Method::Post, RoutePattern("/operations-manager/triggers/schedule/preview"),
                      "getTriggers", preview,
                      "The next fire times of a schedule before it is saved: {cron, timezone} "
                      "or {firstRunAt, repeatUnit, repeatFrequency}, and count"});
    routes.push_back({Method::Get, RoutePattern("/operations-manager/triggers/:id/events"),
                      "getTrigger", eventFires,
                      "What became of the recent events an event trigger matched"});
    routes.push_back({Method::Get, RoutePattern("/operations-manager/triggers/:id/schedule"),
                      "getTrigger", schedule,
                      "A schedule trigger's next fire times (count, default 10) and what became "
                      "of its recent instants"});
    routes.push_back({Method::Get, RoutePattern("/operations-manager/triggers/:id/export"),
                      "exportTrigger", exportOne, "Export a trigger document"});
    routes.push_back({Method::Post,
                      RoutePattern("/operations-manager/triggers/:triggerId/validate"),
                      "validateTrigger", validateOne,
                      "Check a trigger: {errors: [{message}], warnings: [{message}]}"});
}

} // namespace flowdeck::api::triggers
