// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/api/EngineApi.h"

#include "engine/api/WorkflowsApi.h"

#include <cstdio>
#include <exception>

namespace flowdeck::api {

EngineApi::EngineApi(EngineContext context) : m_context(context)
{
    workflows::addRoutes(m_routes);
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
        try {
            auto result = route.handler(m_context, request);
            if (!result)
                return errorResponse(result.error());
            return std::move(*result);
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
