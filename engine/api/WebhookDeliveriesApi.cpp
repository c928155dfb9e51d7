// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/api/WebhookDeliveriesApi.h"

#include "engine/api/ApiEnvelope.h"
#include "engine/api/AutomationsApi.h"
#include "engine/api/QueryNumber.h"
#include "engine/model/Ids.h"

namespace flowdeck::api::webhooks {

using nlohmann::json;

namespace {

json optionalTime(const std::optional<store::Millis> &ms)
{
    return ms ? json(automations::isoTime(*ms)) : json();
}

Result<ApiResponse> list(EngineContext &ctx, const ApiRequest &req)
{
    const std::string &id = req.params.at("id");
    if (!ids::isObjectId(id))
        return Error::invalid("the automation id in the path must be 24 hex characters, not \"" +
                                  id + "\"",
                              {{"parameter", "id"}});
    auto limit = queryNumber(req, "limit", 50, 1, 500);
    if (!limit)
        return limit.error();
    const std::string status = req.queryValue("status").value_or("");
    if (!status.empty() && status != "pending" && status != "delivered" && status != "failed")
        return Error::invalid("status must be pending, delivered or failed, not \"" + status + "\"",
                              {{"parameter", "status"}});
    auto automation = automations::readable(ctx, req, id);
    if (!automation)
        return automation.error();
    auto deliveries = ctx.store.webhookDeliveries(id, status, int(*limit));
    if (!deliveries)
        return deliveries.error();
    json items = json::array();
    for (const auto &d : *deliveries)
        items.push_back(deliveryDocument(d));
    const auto size = std::int64_t(items.size());
    return listEnvelope("Successfully retrieved webhook deliveries", std::move(items),
                        ListPage{0, *limit, size});
}

} // namespace

json deliveryDocument(const store::WebhookDeliveryRecord &d)
{
    return {{"_id", d.id},
            {"automationId", d.automationId},
            {"jobId", d.jobId},
            {"jobStatus", d.summary.value("job", json::object()).value("status", json())},
            {"status", d.status},
            {"attempts", d.attempts},
            {"url", d.url},
            {"responseStatus", d.responseStatus ? json(*d.responseStatus) : json()},
            {"lastError", d.lastError.empty() ? json() : json(d.lastError)},
            {"nextAttemptAt", optionalTime(d.nextAttemptAt)},
            {"created", automations::isoTime(d.createdAt)},
            {"lastUpdated", automations::isoTime(d.updatedAt)}};
}

void addRoutes(std::vector<Route> &routes)
{
    routes.push_back({Method::Get, RoutePattern("/operations-manager/automations/:id/deliveries"),
                      "getAutomation", list,
                      "The automation's completion webhook deliveries, newest first; status "
                      "(pending, delivered, failed), limit (1–500, default 50)"});
}

} // namespace flowdeck::api::webhooks
