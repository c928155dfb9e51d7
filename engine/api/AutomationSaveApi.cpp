// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/api/AutomationSaveApi.h"

#include "engine/api/ApiEnvelope.h"
#include "engine/api/AutomationsApi.h"
#include "engine/api/TriggersApi.h"

#include <QUrl>

namespace flowdeck::api::automationsave {
namespace {

using nlohmann::json;

/// The automation and trigger routes, as the REST dispatcher has them: each part of a save is
/// handled by the very handler its own route runs.
const std::vector<Route> &partRoutes()
{
    static const std::vector<Route> routes = [] {
        std::vector<Route> r;
        automations::addRoutes(r);
        triggers::addRoutes(r);
        return r;
    }();
    return routes;
}

/// One part: the route's permission, then its handler (as EngineApi::dispatch, without the
/// 404/405 answers a fixed path never needs).
Result<json> callPart(EngineContext &ctx, const ApiRequest &outer, Method method,
                      const std::string &path, json body)
{
    ApiRequest req;
    req.method = method;
    req.path = path;
    req.body = std::move(body);
    req.principal = outer.principal;
    req.remoteAddress = outer.remoteAddress;
    for (const auto &route : partRoutes()) {
        if (route.method != method)
            continue;
        auto params = route.pattern.match(path);
        if (!params)
            continue;
        req.params = std::move(*params);
        if (!route.permission.empty() && !req.principal->can(route.permission))
            return Error::forbidden("your roles do not grant " + route.permission);
        try {
            auto answer = route.handler(ctx, req);
            if (!answer)
                return answer.error();
            return answer->json.is_object() ? answer->json.value("data", json()) : json();
        } catch (const json::exception &) {
            return Error::invalid("the request body has the wrong shape");
        }
    }
    return Error::internal("no route " + path);
}

std::string encoded(const std::string &id)
{
    return QUrl::toPercentEncoding(QString::fromStdString(id)).toStdString();
}

/// Collects the parts' problems, each at its pointer in the save's body.
struct Problems
{
    json details = json::array();
    ErrorCode code = ErrorCode::Invalid;

    /// `fallback`: where a conflict without a pointer of its own goes (a taken name is at the
    /// name); other problems without one are at the part itself.
    void add(const std::string &prefix, const Error &e, const std::string &fallback)
    {
        if (details.empty())
            code = e.code;
        bool placed = false;
        if (e.details.is_array())
            for (json issue : e.details)
                if (issue.is_object() && issue.value("instancePath", json()).is_string()) {
                    issue["instancePath"] = prefix + issue["instancePath"].get<std::string>();
                    details.push_back(std::move(issue));
                    placed = true;
                }
        if (!placed) {
            // A name or routeName taken (409) is at that field; anything else at the part.
            std::string at = prefix + (e.code == ErrorCode::Conflict ? fallback : "");
            if (e.details.is_object() && e.details.value("instancePath", json()).is_string())
                at = prefix + e.details["instancePath"].get<std::string>();
            details.push_back(
                {{"keyword", errorCodeName(e.code)}, {"instancePath", at}, {"message", e.message}});
        }
    }
    Error error() const
    {
        // The first problem at its pointer, as every validation answer reads.
        const json &head = details.front();
        std::string message = "nothing was saved: " + head.value("instancePath", "") + ": " +
                              head.value("message", "");
        if (details.size() > 1)
            message += " (and " + std::to_string(details.size() - 1) + " more)";
        Error e{code, message, details};
        // Every part answered: what the caller must fix is in the details, whatever the code
        // of the first one; a refused part with its pointer is the caller's input.
        if (code == ErrorCode::Conflict || code == ErrorCode::Invalid)
            e.code = ErrorCode::Invalid;
        return e;
    }
};

Result<ApiResponse> save(EngineContext &ctx, const ApiRequest &req)
{
    const json &body = req.body;
    if (!body.is_object() || !body.value("automation", json()).is_object())
        return Error::invalid("the body must be {automation: {…}, triggers: [{…}], "
                              "deleteTriggers: [ids]}",
                              json::array({{{"instancePath", "/automation"},
                                            {"keyword", "required"},
                                            {"message", "automation must be an object"}}}));
    for (const auto &[key, value] : body.items())
        if (key != "automation" && key != "triggers" && key != "deleteTriggers")
            return Error::invalid("\"" + key + "\" is not a field of a save",
                                  json::array({{{"instancePath", "/" + key},
                                                {"keyword", "additionalProperties"},
                                                {"message", "not a field of a save"}}}));
    const json triggerParts = body.value("triggers", json::array());
    const json deletions = body.value("deleteTriggers", json::array());
    if (!triggerParts.is_array() || !deletions.is_array())
        return Error::invalid("triggers and deleteTriggers must be arrays");

    json automation = body["automation"];
    const bool isNew = !automation.contains("_id");
    std::string id = isNew ? std::string()
                     : automation.value("_id", json("")).is_string()
                         ? automation["_id"].get<std::string>()
                         : std::string();
    if (!isNew && id.empty())
        return Error::invalid("automation._id must be a string",
                              json::array({{{"instancePath", "/automation/_id"},
                                            {"keyword", "type"},
                                            {"message", "_id must be a string"}}}));
    automation.erase("_id");

    Problems problems;
    json saved;
    json savedTriggers = json::array();
    auto r = ctx.store.transaction([&]() -> Result<void> {
        if (isNew) {
            auto created =
                callPart(ctx, req, Method::Post, "/operations-manager/automations", automation);
            if (!created) {
                problems.add("/automation", created.error(), "/name");
                return problems.error(); // the triggers need its _id
            }
            saved = *created;
            id = saved.value("_id", "");
        } else if (!automation.empty()) {
            auto patched = callPart(ctx, req, Method::Patch,
                                    "/operations-manager/automations/" + encoded(id), automation);
            if (!patched)
                problems.add("/automation", patched.error(), "/name");
            else
                saved = *patched;
        }
        // Removals first, so a routeName a removed trigger held may be taken by another.
        for (std::size_t i = 0; i < deletions.size(); ++i) {
            const std::string prefix = "/deleteTriggers/" + std::to_string(i);
            if (!deletions[i].is_string()) {
                problems.add(prefix, Error::invalid("a trigger id must be a string"), "");
                continue;
            }
            auto gone = callPart(
                ctx, req, Method::Delete,
                "/operations-manager/triggers/" + encoded(deletions[i].get<std::string>()), json());
            if (!gone)
                problems.add(prefix, gone.error(), "");
        }
        for (std::size_t i = 0; i < triggerParts.size(); ++i) {
            const std::string prefix = "/triggers/" + std::to_string(i);
            json trigger = triggerParts[i];
            if (!trigger.is_object()) {
                problems.add(prefix, Error::invalid("a trigger must be an object"), "");
                continue;
            }
            Result<json> done = json();
            if (trigger.contains("_id")) {
                const std::string triggerId = trigger.value("_id", json("")).is_string()
                                                  ? trigger["_id"].get<std::string>()
                                                  : std::string();
                trigger.erase("_id");
                if (trigger.empty()) {
                    continue; // unchanged
                }
                done = callPart(ctx, req, Method::Patch,
                                "/operations-manager/triggers/" + encoded(triggerId), trigger);
            } else {
                trigger["actionId"] = id;
                done = callPart(ctx, req, Method::Post, "/operations-manager/triggers", trigger);
            }
            if (!done)
                problems.add(prefix, done.error(), "/routeName");
            else
                savedTriggers.push_back(*done);
        }
        if (!problems.details.empty())
            return problems.error();
        if (saved.is_null()) {
            auto current = callPart(ctx, req, Method::Get,
                                    "/operations-manager/automations/" + encoded(id), json());
            if (!current)
                return current.error();
            saved = *current;
        }
        return {};
    });
    if (!r)
        return r.error();
    return envelope(isNew ? "Successfully created automation \"" + saved.value("name", "") + "\""
                          : "Successfully saved automation \"" + saved.value("name", "") + "\"",
                    {{"automation", saved}, {"triggers", savedTriggers}});
}

} // namespace

void addRoutes(std::vector<Route> &routes)
{
    // Each part checks its own route's permission (createAutomation, updateTrigger, …).
    routes.push_back({Method::Post, RoutePattern("/operations-manager/automations/save"),
                      "getAutomations", save,
                      "Save an automation with its triggers, all or nothing: {automation "
                      "(with _id: changes; without: a new one), triggers: [{_id?: …}], "
                      "deleteTriggers: [ids]}"});
}

} // namespace flowdeck::api::automationsave
