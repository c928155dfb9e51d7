// SPDX-License-Identifier: GPL-3.0-or-later
// The requests the automations page sends: automations, the triggers of one, enable/disable,
// and running a manual trigger. These routes use the "field-pair" filter dialect
// (equalsField=actionId&equals=<id>), not the bracket one of jobs and tasks.
#pragma once

#include "engine/api/ApiTypes.h"

#include <QString>
#include <QUrl>

#include <string>
#include <utility>

namespace flowdeck::ui::requests {

/// GET /operations-manager/automations: {data: [automation…], metadata: {total…}}.
inline api::ApiRequest listAutomations(int limit)
{
    api::ApiRequest request;
    request.method = api::Method::Get;
    request.path = "/operations-manager/automations";
    request.query.emplace("limit", std::to_string(limit));
    return request;
}

/// GET /operations-manager/triggers?equalsField=actionId&equals=<automationId>: the triggers
/// that run one automation.
inline api::ApiRequest triggersOf(const QString &automationId, int limit)
{
    api::ApiRequest request;
    request.method = api::Method::Get;
    request.path = "/operations-manager/triggers";
    request.query.emplace("equalsField", "actionId");
    request.query.emplace("equals", automationId.toStdString());
    request.query.emplace("limit", std::to_string(limit));
    return request;
}

/// PATCH /operations-manager/triggers/:id {enabled}: the updated trigger; 409 when enabling
/// an endpoint trigger whose routeName another enabled trigger uses.
inline api::ApiRequest setTriggerEnabled(const QString &triggerId, bool enabled)
{
    api::ApiRequest request;
    request.method = api::Method::Patch;
    request.path =
        "/operations-manager/triggers/" + QUrl::toPercentEncoding(triggerId).toStdString();
    request.body = {{"enabled", enabled}};
    return request;
}

/// POST /operations-manager/triggers/manual/:id/run {formData}: runs the automation as the
/// caller; the started job in `data`. 400 names a form value that does not fit.
inline api::ApiRequest runManualTrigger(const QString &triggerId, nlohmann::json formData)
{
    api::ApiRequest request;
    request.method = api::Method::Post;
    request.path = "/operations-manager/triggers/manual/" +
                   QUrl::toPercentEncoding(triggerId).toStdString() + "/run";
    request.body = {{"formData", std::move(formData)}};
    return request;
}

/// POST /operations-manager/automations {name, description, componentType, componentId}: the
/// new automation in `data`; 400 names what is wrong, 409 when the name is taken.
inline api::ApiRequest createAutomation(const QString &name, const QString &description,
                                        const QString &workflowId)
{
    api::ApiRequest request;
    request.method = api::Method::Post;
    request.path = "/operations-manager/automations";
    request.body = {{"name", name.toStdString()},
                    {"description", description.toStdString()},
                    {"componentType", "workflows"},
                    {"componentId", workflowId.toStdString()}};
    return request;
}

/// GET /operations-manager/automations/:id/health: success rate, durations, score, series.
inline api::ApiRequest automationHealth(const QString &automationId)
{
    api::ApiRequest request;
    request.method = api::Method::Get;
    request.path = "/operations-manager/automations/" +
                   QUrl::toPercentEncoding(automationId).toStdString() + "/health";
    return request;
}

/// GET /operations-manager/automations/:id/deliveries: the webhook's delivery log.
inline api::ApiRequest webhookDeliveries(const QString &automationId, int limit)
{
    api::ApiRequest request;
    request.method = api::Method::Get;
    request.path = "/operations-manager/automations/" +
                   QUrl::toPercentEncoding(automationId).toStdString() + "/deliveries";
    request.query.emplace("limit", std::to_string(limit));
    return request;
}

} // namespace flowdeck::ui::requests
