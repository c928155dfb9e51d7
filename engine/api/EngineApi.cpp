// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/api/EngineApi.h"

#include "engine/api/AccountsApi.h"
#include "engine/api/AdaptersApi.h"
#include "engine/api/AuthApi.h"
#include "engine/api/AutomationHealthApi.h"
#include "engine/api/AutomationSaveApi.h"
#include "engine/api/AutomationsApi.h"
#include "engine/api/EventLogApi.h"
#include "engine/api/EventsApi.h"
#include "engine/api/ExternalRunsApi.h"
#include "engine/api/JobsApi.h"
#include "engine/api/OpenApiDocument.h"
#include "engine/api/SecretMask.h"
#include "engine/api/TaskListApi.h"
#include "engine/api/TasksApi.h"
#include "engine/api/TransformationsApi.h"
#include "engine/api/TriggersApi.h"
#include "engine/api/WebhookDeliveriesApi.h"
#include "engine/api/WorkflowsApi.h"

#include <cstdio>
#include <exception>

namespace flowdeck::api {

EngineApi::EngineApi(EngineContext context) : m_context(context)
{
    workflows::addRoutes(m_routes);
    automations::addRoutes(m_routes);
    automationsave::addRoutes(m_routes);
    webhooks::addRoutes(m_routes);
    health::addRoutes(m_routes);
    externalruns::addRoutes(m_routes);
    triggers::addRoutes(m_routes);
    events::addRoutes(m_routes);
    eventlog::addRoutes(m_routes);
    transformations::addRoutes(m_routes);
    tasklist::addRoutes(m_routes);
    adapterinstances::addRoutes(m_routes);
    jobs::addRoutes(m_routes);
    tasks::addRoutes(m_routes);
    auth::addRoutes(m_routes);
    accounts::addRoutes(m_routes);
    // Last, so the document it serves lists every route above and itself. The handler reads
    // the table of this object, which is never copied or moved.
    m_routes.push_back({Method::Get, RoutePattern("/openapi.json"), "",
                        [this](EngineContext &, const ApiRequest &) -> Result<ApiResponse> {
                            return ApiResponse{200, openApiDocument(m_routes)};
                        },
                        "This document: every route, generated from the route table"});
}

Result<runtime::Engine *> EngineContext::requireEngine() const
{
    if (!engine)
        return Error::unavailable("the engine is not running in this process");
    return engine;
}

Result<adapters::AdapterCatalog *> EngineContext::requireAdapters() const
{
    if (!adapters)
        return Error::unavailable("adapter instances are not available in this process");
    return adapters;
}

Result<access::AccountService *> EngineContext::requireAccounts() const
{
    if (!accounts)
        return Error::unavailable("accounts are not available in this process");
    return accounts;
}

ApiResponse EngineApi::dispatch(ApiRequest request)
{
    bool pathKnown = false;
    for (const auto &route : m_routes) {
        auto params = route.pattern.match(request.path);
        if (!params)
            continue;
        pathKnown = true;
        if (route.method != request.method)
            continue;
        request.params = std::move(*params);
        if (!route.permission.empty()) {
            if (!request.principal)
                return errorResponse(Error::unauthorized("sign in first"));
            if (!request.principal->can(route.permission))
                return errorResponse(
                    Error::forbidden("your roles do not grant " + route.permission));
        }
        try {
            auto result = route.handler(m_context, request);
            if (!result)
                return errorResponse(result.error());
            ApiResponse response = std::move(*result);
            maskSealed(response.json); // values under encryption decorators never leave
            return response;
        } catch (const nlohmann::json::exception &e) {
            // A body of the wrong shape that a handler read without checking: the caller's
            // mistake, reported without internals.
            return errorResponse(Error::invalid("the request body has the wrong shape"));
        } catch (const std::exception &e) {
            std::fprintf(stderr, "flowdeck: %s %s failed: %s\n", methodName(request.method),
                         request.path.c_str(), e.what());
            return errorResponse(Error::internal("internal error"));
        }
    }
    if (pathKnown)
        return {405,
                {{"message",
                  std::string(methodName(request.method)) + " is not allowed on " + request.path},
                 {"error", "method_not_allowed"}}};
    return errorResponse(Error::notFound("no route " + request.path));
}

} // namespace flowdeck::api
