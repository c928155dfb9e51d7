// SPDX-License-Identifier: GPL-3.0-or-later
// The route table and its dispatcher. A route is data: method, path pattern, the permission
// it needs, its handler and a one-line summary; the HTTP server, the window's LocalClient and
// the generated OpenAPI document all read the same table.
#pragma once

#include "engine/api/ApiTypes.h"
#include "engine/api/RoutePattern.h"
#include "engine/api/WorkflowCatalog.h"
#include "engine/store/Store.h"

#include <functional>
#include <string>
#include <vector>

namespace flowdeck::api {

/// What handlers work with. Owned by whoever hosts the engine; outlives the EngineApi.
struct EngineContext
{
    store::Store &store;
    WorkflowCatalog &catalog;
};

using Handler = std::function<Result<ApiResponse>(EngineContext &, const ApiRequest &)>;

struct Route
{
    Method method;
    RoutePattern pattern;
    std::string permission; ///< the Operations Manager method name, e.g. "getWorkflows"
    Handler handler;
    std::string summary;
};

class EngineApi
{
public:
    explicit EngineApi(EngineContext context);

    /// Matches the route, runs its handler and turns any Error into its JSON answer. Never
    /// throws: a handler's unexpected exception is a 500 with no internals in the body.
    /// An unknown path is 404; a known path with another method is 405.
    ApiResponse dispatch(ApiRequest request);

    const std::vector<Route> &routes() const { return m_routes; }

private:
    EngineContext m_context;
    std::vector<Route> m_routes;
};

} // namespace flowdeck::api
