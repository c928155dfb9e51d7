// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/api/AutomationsApi.h"

#include "engine/api/DocumentSupport.h"

#include "engine/automations/WebhookSettings.h"

#include "engine/api/ApiEnvelope.h"
#include "engine/api/FieldPairQuery.h"
#include "engine/api/TriggerValidator.h"
#include "engine/api/TriggersApi.h"
#include "engine/model/Ids.h"
#include "engine/scheduler/RunPolicy.h"
#include "engine/validate/ValidationIssue.h"

#include <chrono>
#include <ctime>
#include <set>

namespace flowdeck::api::automations {
namespace {

using nlohmann::json;
using validate::ValidationIssue;

const std::set<std::string> kClientFields = {"name",        "description", "componentType",
                                             "componentId", "gbac",        "runPolicy"};
// Set by the server; an exported document carries them and import keeps _id and created.
const std::set<std::string> kServerFields = {
    "_id", "created", "createdBy", "lastUpdated", "lastUpdatedBy", "componentName", "triggers"};

const FieldPairQuery kQuery({"_id", "name", "description", "componentType", "componentId",
                             "componentName", "createdBy", "lastUpdatedBy", "created",
                             "lastUpdated"},
                            false);

enum class Mode {
    Create, ///< a new automation from a client: the server's fields are refused
    Update, ///< a stored document merged with a PATCH body (checked for server fields apart)
    Import, ///< an exported document: server fields kept, componentName finds a workflow
};

ValidationIssue issue(const std::string &pointer, const std::string &keyword,
                      const std::string &message)
{
    return documents::issueAt("automation", pointer, keyword, message);
}

void checkGroups(const json &gbac, const char *key, std::vector<ValidationIssue> &issues)
{
    const std::string base = std::string("/gbac/") + key;
    if (!gbac.contains(key))
        return;
    if (!gbac[key].is_array()) {
        issues.push_back(
            issue(base, "type", "gbac." + std::string(key) + " must be an array of group ids"));
        return;
    }
    for (std::size_t i = 0; i < gbac[key].size(); ++i) {
        const auto &g = gbac[key][i];
        if (!g.is_string() || !ids::isObjectId(g.get<std::string>()))
            issues.push_back(issue(base + "/" + std::to_string(i), "format",
                                   "a group id must be a 24-hex-character ObjectId"));
    }
}

/// The stored workflow an export's componentName names: Itential writes the workflow's name,
/// or "@<id>: <name>" when it exports from a store where names need not be unique. The id
/// wins when this store has it; else the name. NotFound when neither matches.
Result<store::WorkflowRecord> workflowNamed(EngineContext &ctx, const std::string &componentName)
{
    std::string name = componentName;
    if (name.size() > 26 && name[0] == '@' && name.compare(25, 2, ": ") == 0 &&
        ids::isObjectId(name.substr(1, 24))) {
        auto byId = ctx.store.workflowById(name.substr(1, 24));
        if (byId || byId.error().code != ErrorCode::NotFound)
            return byId;
        name = name.substr(27);
    }
    return ctx.store.workflowByName(name);
}

/// The automation document with its defaults and componentName, or Invalid naming every
/// problem with a pointer. An import whose workflow cannot be found is kept without one; what
/// it looked for goes to `warnings`.
Result<json> normalize(EngineContext &ctx, json doc, Mode mode,
                       std::vector<std::string> *warnings = nullptr)
{
    if (!doc.is_object())
        return Error::invalid("an automation must be a JSON object");
    std::vector<ValidationIssue> issues;
    for (const auto &[key, value] : doc.items()) {
        if (kClientFields.count(key) || flowdeck::automations::isWebhookField(key))
            continue;
        if (kServerFields.count(key)) {
            if (mode == Mode::Create)
                issues.push_back(issue(validate::appendPointer("", key), "readOnly",
                                       "\"" + key + "\" is set by the server"));
            continue;
        }
        issues.push_back(issue(validate::appendPointer("", key), "additionalProperties",
                               "\"" + key + "\" is not a field of an automation"));
    }
    if (!doc.contains("name"))
        issues.push_back(issue("/name", "required", "\"name\" is required"));
    else if (!doc["name"].is_string() || doc["name"].get<std::string>().empty())
        issues.push_back(issue("/name", "type", "name must be a non-empty string"));
    else if (doc["name"].get<std::string>().size() > 256)
        issues.push_back(issue("/name", "maxLength", "name is longer than 256 characters"));
    if (doc.contains("description") && !doc["description"].is_string() &&
        !doc["description"].is_null())
        issues.push_back(issue("/description", "type", "description must be a string"));
    if (doc.contains("componentType") && doc["componentType"] != "workflows")
        issues.push_back(issue("/componentType", "enum",
                               "componentType must be \"workflows\": Flowdeck automations run "
                               "workflows"));
    if (doc.contains("_id") &&
        (!doc["_id"].is_string() || !ids::isObjectId(doc["_id"].get<std::string>())))
        issues.push_back(issue("/_id", "format", "_id must be a 24-hex-character ObjectId"));
    if (doc.contains("gbac")) {
        if (!doc["gbac"].is_object())
            issues.push_back(issue("/gbac", "type", "gbac must be {read: [ids], write: [ids]}"));
        else {
            for (const auto &[key, value] : doc["gbac"].items())
                if (key != "read" && key != "write")
                    issues.push_back(issue(validate::appendPointer("/gbac", key),
                                           "additionalProperties", "gbac has only read and write"));
            checkGroups(doc["gbac"], "read", issues);
            checkGroups(doc["gbac"], "write", issues);
        }
    }

    if (doc.contains("runPolicy"))
        for (auto &problem : scheduler::RunPolicy::problems(doc["runPolicy"]))
            issues.push_back(std::move(problem));
    flowdeck::automations::checkWebhook(doc, issues);

    json componentName = nullptr;
    if (doc.contains("componentId") && !doc["componentId"].is_null()) {
        if (!doc["componentId"].is_string() ||
            !ids::isObjectId(doc["componentId"].get<std::string>())) {
            issues.push_back(issue("/componentId", "format",
                                   "componentId must be a workflow's _id (24 hex characters)"));
        } else {
            const auto id = doc["componentId"].get<std::string>();
            auto workflow = ctx.store.workflowById(id);
            // Moving an export between servers: the workflow came over by name, with a new id.
            if (!workflow && mode == Mode::Import && doc.value("componentName", json()).is_string())
                workflow = workflowNamed(ctx, doc["componentName"].get<std::string>());
            if (workflow) {
                doc["componentId"] = workflow->id;
                componentName = workflow->name;
            } else if (workflow.error().code == ErrorCode::NotFound) {
                issues.push_back(issue("/componentId", "exists", "no workflow has _id " + id));
            } else {
                return workflow.error();
            }
        }
    } else if (mode == Mode::Import && doc.value("componentName", json()).is_string() &&
               !doc["componentName"].get<std::string>().empty()) {
        // Itential exports an automation's workflow by name alone (componentId null) when the
        // workflow is exported separately: find it here by that name.
        const std::string wanted = doc["componentName"].get<std::string>();
        auto workflow = workflowNamed(ctx, wanted);
        if (workflow) {
            doc["componentId"] = workflow->id;
            componentName = workflow->name;
        } else if (workflow.error().code != ErrorCode::NotFound) {
            return workflow.error();
        } else if (warnings) {
            warnings->push_back("no workflow in this store matches its componentName \"" + wanted +
                                "\": it was imported without one and cannot run until it has "
                                "one (import the workflow, then set it)");
        }
    }
    if (!issues.empty())
        return documents::invalidDocument("the automation", issues);

    doc.erase("triggers");
    if (!doc.contains("description") || doc["description"].is_null())
        doc["description"] = "";
    doc["componentType"] = "workflows";
    if (!doc.contains("componentId"))
        doc["componentId"] = nullptr;
    doc["componentName"] = componentName;
    if (!doc.contains("gbac"))
        doc["gbac"] = json::object();
    for (const char *key : {"read", "write"})
        if (!doc["gbac"].contains(key))
            doc["gbac"][key] = json::array();
    return doc;
}

Result<void> refuseServerFields(const json &body)
{
    std::vector<std::string> present;
    for (const auto &field : kServerFields)
        if (body.contains(field))
            present.push_back(field);
    return documents::refuseServerFields(present, "automation", "the update");
}

Result<std::string> pathId(const ApiRequest &req, const char *param)
{
    return documents::objectIdParam(req, param, "automation");
}

/// The automation whose id is the path's :id, through `access` (readable or writable).
Result<store::AutomationRecord>
inPath(EngineContext &ctx, const ApiRequest &req,
       Result<store::AutomationRecord> (*access)(EngineContext &, const ApiRequest &,
                                                 const std::string &))
{
    auto id = pathId(req, "id");
    if (!id)
        return id.error();
    return access(ctx, req, *id);
}

// ---- routes ----

Result<ApiResponse> create(EngineContext &ctx, const ApiRequest &req)
{
    auto doc = normalize(ctx, req.body, Mode::Create);
    if (!doc)
        return doc.error();
    if (auto sealed = flowdeck::automations::sealWebhook(*doc, json(), ctx.secrets); !sealed)
        return sealed.error();
    const std::string when = timestamp();
    (*doc)["_id"] = ids::newObjectId();
    (*doc)["created"] = (*doc)["lastUpdated"] = when;
    (*doc)["createdBy"] = (*doc)["lastUpdatedBy"] = actorName(req);
    auto saved = ctx.store.insertAutomation(*doc);
    if (!saved)
        return saved.error();
    return envelope("Successfully created automation", saved->document);
}

Result<ApiResponse> list(EngineContext &ctx, const ApiRequest &req)
{
    auto q = kQuery.parse(req.query);
    if (!q)
        return q.error();
    q->readableBy = readableBy(req);
    auto page = ctx.store.listAutomations(*q);
    if (!page)
        return page.error();
    json items = json::array();
    for (const auto &record : page->items)
        items.push_back(record.document);
    return listEnvelope("Successfully retrieved automations", std::move(items),
                        ListPage{q->skip, q->limit, page->total});
}

Result<ApiResponse> get(EngineContext &ctx, const ApiRequest &req)
{
    auto record = inPath(ctx, req, readable);
    if (!record)
        return record.error();
    return envelope("Successfully retrieved automation", record->document);
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
    auto record = writable(ctx, req, *id);
    if (!record)
        return record.error();
    json merged = record->document;
    for (const auto &[key, value] : req.body.items())
        merged[key] = value;
    auto doc = normalize(ctx, merged, Mode::Update);
    if (!doc)
        return doc.error();
    if (auto sealed = flowdeck::automations::sealWebhook(*doc, record->document, ctx.secrets);
        !sealed)
        return sealed.error();
    (*doc)["lastUpdated"] = timestamp();
    (*doc)["lastUpdatedBy"] = actorName(req);
    auto saved = ctx.store.updateAutomation(*doc);
    if (!saved)
        return saved.error();
    return envelope("Successfully updated automation", saved->document);
}

Result<ApiResponse> remove(EngineContext &ctx, const ApiRequest &req)
{
    auto record = inPath(ctx, req, writable);
    if (!record)
        return record.error();
    auto attached = ctx.store.triggersOfAutomation(record->id);
    if (!attached)
        return attached.error();
    if (auto r = ctx.store.deleteAutomation(record->id); !r)
        return r.error();
    return envelope("Successfully deleted automation \"" + record->name + "\" and its " +
                        std::to_string(attached->size()) + " trigger(s)",
                    {{"_id", record->id}, {"deletedTriggers", attached->size()}});
}

/// "<name> (clone)", then "(clone 2)", … until no automation has it.
Result<std::string> freeCloneName(EngineContext &ctx, const std::string &name)
{
    for (int n = 1; n < 1000; ++n) {
        std::string candidate = name + (n == 1 ? " (clone)" : " (clone " + std::to_string(n) + ")");
        auto taken = ctx.store.automationByName(candidate);
        if (!taken && taken.error().code == ErrorCode::NotFound)
            return candidate;
        if (!taken)
            return taken.error();
    }
    return Error::conflict("no free name for a clone of \"" + name + "\"");
}

Result<ApiResponse> clone(EngineContext &ctx, const ApiRequest &req)
{
    if (!req.body.is_object())
        return Error::invalid("the body must be {\"id\": <automation id>, \"name\"?: <new name>}");
    for (const auto &[key, value] : req.body.items())
        if (key != "id" && key != "_id" && key != "name")
            return Error::invalid("\"" + key + "\" is not a field of a clone request",
                                  {{"instancePath", validate::appendPointer("", key)}});
    const json idValue = req.body.contains("id") ? req.body["id"] : req.body.value("_id", json());
    if (!idValue.is_string() || !ids::isObjectId(idValue.get<std::string>()))
        return Error::invalid("id must be the _id of the automation to clone",
                              {{"instancePath", "/id"}});
    auto source = readable(ctx, req, idValue.get<std::string>());
    if (!source)
        return source.error();
    std::string name;
    if (req.body.contains("name")) {
        if (!req.body["name"].is_string() || req.body["name"].get<std::string>().empty())
            return Error::invalid("name must be a non-empty string", {{"instancePath", "/name"}});
        name = req.body["name"].get<std::string>();
    } else {
        auto free = freeCloneName(ctx, source->name);
        if (!free)
            return free.error();
        name = *free;
    }
    auto triggers = ctx.store.triggersOfAutomation(source->id);
    if (!triggers)
        return triggers.error();

    json doc = source->document;
    const std::string when = timestamp();
    doc["_id"] = ids::newObjectId();
    doc["name"] = name;
    doc["created"] = doc["lastUpdated"] = when;
    doc["createdBy"] = doc["lastUpdatedBy"] = actorName(req);
    std::optional<store::AutomationRecord> saved;
    auto r = ctx.store.transaction([&]() -> Result<void> {
        auto a = ctx.store.insertAutomation(doc);
        if (!a)
            return a.error();
        saved = std::move(*a);
        for (const auto &t : *triggers) {
            json copy = t.document;
            copy["_id"] = ids::newObjectId();
            copy["actionId"] = saved->id;
            copy["created"] = copy["lastUpdated"] = when;
            copy["createdBy"] = copy["lastUpdatedBy"] = actorName(req);
            // routeName must stay unique among enabled endpoint triggers (reference §1c #35).
            if (t.type == "endpoint")
                copy["enabled"] = false;
            auto inserted =
                ctx.store.insertTrigger(copy, TriggerValidator::nextRunAt(copy, nowMillis()));
            if (!inserted)
                return inserted.error();
        }
        return {};
    });
    if (!r)
        return r.error();
    return envelope("Successfully cloned automation", saved->document);
}

Result<ApiResponse> exportOne(EngineContext &ctx, const ApiRequest &req)
{
    auto record = inPath(ctx, req, readable);
    if (!record)
        return record.error();
    auto attached = ctx.store.triggersOfAutomation(record->id);
    if (!attached)
        return attached.error();
    json doc = record->document;
    doc["triggers"] = json::array();
    for (const auto &t : *attached)
        doc["triggers"].push_back(triggers::present(t));
    return envelope("Successfully exported automation", std::move(doc));
}

} // namespace

bool isAutomationExport(const json &document)
{
    return document.is_object() && !document.contains("tasks") &&
           (document.contains("componentType") || document.contains("componentId") ||
            document.contains("componentName"));
}

Result<ImportedAutomation> importExport(EngineContext &ctx, const ApiRequest &req,
                                        const json &exported)
{
    ImportedAutomation out;
    auto doc = normalize(ctx, exported, Mode::Import, &out.warnings);
    if (!doc)
        return doc.error();
    // An export shows the webhook secret masked: the imported automation has none until set.
    if (auto sealed = flowdeck::automations::sealWebhook(*doc, json(), ctx.secrets); !sealed)
        return sealed.error();
    const json attached = exported.value("triggers", json::array());
    if (!attached.is_array())
        return Error::invalid("triggers must be an array", {{"instancePath", "/triggers"}});
    const std::string when = timestamp();
    if (!doc->contains("_id"))
        (*doc)["_id"] = ids::newObjectId();
    if (!(*doc).value("created", json()).is_string())
        (*doc)["created"] = when;
    if (!(*doc).value("createdBy", json()).is_string())
        (*doc)["createdBy"] = actorName(req);
    (*doc)["lastUpdated"] = when;
    (*doc)["lastUpdatedBy"] = actorName(req);
    json &answer = out.document;
    auto r = ctx.store.transaction([&]() -> Result<void> {
        auto saved = ctx.store.insertAutomation(*doc);
        if (!saved)
            return saved.error();
        answer = saved->document;
        answer["triggers"] = json::array();
        for (std::size_t i = 0; i < attached.size(); ++i) {
            json t = attached[i];
            if (t.is_object())
                t["actionId"] = saved->id;
            auto inserted = triggers::insert(ctx, req, t, true);
            if (!inserted) {
                Error e = inserted.error();
                e.message = "triggers[" + std::to_string(i) + "]: " + e.message;
                return e;
            }
            answer["triggers"].push_back(triggers::present(*inserted));
        }
        return {};
    });
    if (!r)
        return r.error();
    return out;
}

namespace {

Result<ApiResponse> importMany(EngineContext &ctx, const ApiRequest &req)
{
    if (!req.body.is_object() || !req.body.contains("automations") ||
        !req.body["automations"].is_array())
        return Error::invalid("the body must be {\"automations\": [<exported automation>, ...]}");
    json results = json::array();
    int imported = 0;
    const auto &docs = req.body["automations"];
    for (const auto &exported : docs) {
        // Each automation with its triggers is all or nothing; the others go on.
        auto one = importExport(ctx, req, exported);
        if (one) {
            ++imported;
            json entry = {{"success", true}, {"data", std::move(one->document)}};
            if (!one->warnings.empty())
                entry["warnings"] = one->warnings;
            results.push_back(std::move(entry));
        } else {
            results.push_back({{"success", false}, {"data", errorBody(one.error())}});
        }
    }
    return envelope("Imported " + std::to_string(imported) + " of " + std::to_string(docs.size()) +
                        " automations",
                    std::move(results));
}

Result<ApiResponse> validateOne(EngineContext &ctx, const ApiRequest &req)
{
    const auto &identifier = req.params.at("automationIdentifier");
    Result<store::AutomationRecord> record = ids::isObjectId(identifier)
                                                 ? ctx.store.automationById(identifier)
                                                 : ctx.store.automationByName(identifier);
    if (!record)
        return record.error();
    if (auto visible = readable(ctx, req, record->id); !visible)
        return visible.error();
    json errors = json::array();
    json warnings = json::array();
    auto message = [](const std::string &text) { return json{{"message", text}}; };
    const json &doc = record->document;
    if (!doc["componentId"].is_string())
        errors.push_back(message("the automation has no workflow (componentId): it cannot run"));
    else if (auto wf = ctx.store.workflowById(doc["componentId"].get<std::string>()); !wf)
        errors.push_back(
            message("its workflow " + doc["componentId"].get<std::string>() + " does not exist"));
    for (const char *key : {"read", "write"})
        for (const auto &group : doc["gbac"].value(key, json::array()))
            if (group.is_string() && !ctx.store.groupById(group.get<std::string>()))
                warnings.push_back(message("gbac." + std::string(key) + " names group " +
                                           group.get<std::string>() + ", which does not exist"));
    auto attached = ctx.store.triggersOfAutomation(record->id);
    if (!attached)
        return attached.error();
    int enabled = 0;
    for (const auto &t : *attached) {
        if (t.enabled)
            ++enabled;
        for (const auto &issue : TriggerValidator::check(t.document))
            errors.push_back(
                message("trigger \"" + t.name + "\" " + issue.instancePath + ": " + issue.message));
    }
    if (enabled == 0)
        warnings.push_back(message(attached->empty()
                                       ? "the automation has no triggers"
                                       : "none of the automation's triggers is enabled"));
    return envelope("Validated automation \"" + record->name + "\"",
                    {{"errors", std::move(errors)}, {"warnings", std::move(warnings)}});
}

} // namespace

Result<store::AutomationRecord> readable(EngineContext &ctx, const ApiRequest &req,
                                         const std::string &id)
{
    if (!ids::isObjectId(id))
        return Error::invalid("an automation id must be 24 hex characters, not \"" + id + "\"");
    auto record = ctx.store.automationById(id);
    if (!record)
        return record.error();
    const json read = record->document.value("gbac", json::object()).value("read", json::array());
    if (req.principal ? !req.principal->allowedBy(read) : !read.empty())
        return Error::notFound("no automation with id " + id);
    return record;
}

Result<store::AutomationRecord> writable(EngineContext &ctx, const ApiRequest &req,
                                         const std::string &id)
{
    auto record = readable(ctx, req, id);
    if (!record)
        return record;
    const json write = record->document.value("gbac", json::object()).value("write", json::array());
    if (req.principal ? !req.principal->allowedBy(write) : !write.empty())
        return Error::forbidden("you may see automation \"" + record->name +
                                "\" but not change it: you are in none of its gbac.write groups");
    return record;
}

std::optional<std::vector<std::string>> readableBy(const ApiRequest &req)
{
    if (!req.principal)
        return std::vector<std::string>{};
    if (req.principal->admin)
        return std::nullopt;
    return std::vector<std::string>(req.principal->groups.begin(), req.principal->groups.end());
}

std::string actorName(const ApiRequest &req)
{
    return req.principal ? req.principal->username : "system";
}

store::Millis nowMillis()
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::string timestamp()
{
    return isoTime(nowMillis());
}

std::string isoTime(store::Millis ms)
{
    const std::time_t seconds = ms / 1000;
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &utc);
    char out[40];
    std::snprintf(out, sizeof out, "%s.%03dZ", buf, int(ms % 1000));
    return out;
}

void addRoutes(std::vector<Route> &routes)
{
    routes.push_back({Method::Post, RoutePattern("/operations-manager/automations"),
                      "createAutomation", create,
                      "Create an automation {name, componentType: workflows, componentId}"});
    routes.push_back({Method::Get, RoutePattern("/operations-manager/automations"),
                      "getAutomations", list,
                      "List automations; limit, skip, sort, order, equals/contains/startsWith "
                      "with equalsField/containsField/startsWithField"});
    routes.push_back({Method::Put, RoutePattern("/operations-manager/automations"),
                      "importAutomations", importMany,
                      "Import {automations: [exported automation…]}; per-item {success, data}"});
    routes.push_back({Method::Post, RoutePattern("/operations-manager/automations/clone"),
                      "cloneAutomation", clone,
                      "Clone {id, name?} with its triggers; endpoint triggers come disabled"});
    routes.push_back({Method::Get, RoutePattern("/operations-manager/automations/:id"),
                      "getAutomation", get, "Get one automation"});
    routes.push_back({Method::Patch, RoutePattern("/operations-manager/automations/:id"),
                      "updateAutomation", update, "Change an automation's fields"});
    routes.push_back({Method::Delete, RoutePattern("/operations-manager/automations/:id"),
                      "deleteAutomation", remove, "Delete an automation and its triggers"});
    routes.push_back({Method::Get, RoutePattern("/operations-manager/automations/:id/export"),
                      "exportAutomation", exportOne, "Export an automation with its triggers[]"});
    routes.push_back(
        {Method::Post,
         RoutePattern("/operations-manager/automations/:automationIdentifier/validate"),
         "validateAutomation", validateOne,
         "Check an automation (by id or name): {errors: [{message}], warnings: [{message}]}"});
}

} // namespace flowdeck::api::automations
