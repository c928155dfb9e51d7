// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/api/AutomationHealthApi.h"

#include "engine/api/ApiEnvelope.h"
#include "engine/api/AutomationsApi.h"
#include "engine/api/QueryNumber.h"
#include "engine/automations/AutomationHealth.h"
#include "engine/model/Ids.h"
#include "engine/runtime/Engine.h"

namespace flowdeck::api::health {

using nlohmann::json;

namespace {

Result<ApiResponse> get(EngineContext &ctx, const ApiRequest &req)
{
    const std::string &id = req.params.at("id");
    if (!ids::isObjectId(id))
        return Error::invalid("the automation id in the path must be 24 hex characters, not \"" +
                                  id + "\"",
                              {{"parameter", "id"}});
    auto days = queryNumber(req, "days", flowdeck::automations::kHealthDefaultDays, 1, 365);
    if (!days)
        return days.error();
    auto automation = automations::readable(ctx, req, id);
    if (!automation)
        return automation.error();
    // The engine's clock when there is one: tests move it, and "the last 30 days" is its.
    const store::Millis now = ctx.engine ? ctx.engine->clockNow() : automations::nowMillis();
    auto runs = ctx.store.automationJobs(id, now - *days * 86'400'000,
                                         flowdeck::automations::kHealthMaxRuns);
    if (!runs)
        return runs.error();
    auto triggers = ctx.store.triggersOfAutomation(id);
    if (!triggers)
        return triggers.error();
    // The next run as the scheduler keeps it: the soonest of the enabled schedules.
    std::optional<store::Millis> next;
    for (const auto &t : *triggers)
        if (t.enabled && t.type == "schedule" && t.nextRunAt && (!next || *t.nextRunAt < *next))
            next = t.nextRunAt;
    json data = flowdeck::automations::automationHealth(*runs, now, int(*days), next);
    data["automationId"] = id;
    return envelope("Successfully retrieved automation health", std::move(data));
}

} // namespace

void addRoutes(std::vector<Route> &routes)
{
    routes.push_back({Method::Get, RoutePattern("/operations-manager/automations/:id/health"),
                      "getAutomation", get,
                      "The automation's health over the last `days` (1–365, default 30; at most "
                      "500 runs): success rate, p50/p95 duration, consecutive failures, last and "
                      "next run, score, and the series the charts draw"});
}

} // namespace flowdeck::api::health
