// SPDX-License-Identifier: GPL-3.0-or-later
// The route table and its dispatcher. A route is data: method, path pattern, the permission
// it needs, its handler and a one-line summary; the HTTP server, the window's LocalClient and
// the generated OpenAPI document all read the same table.
#pragma once

#include "engine/api/ApiTypes.h"
#include "engine/api/RoutePattern.h"
#include "engine/api/WorkflowCatalog.h"
#include "engine/runtime/SecretValues.h"
#include "engine/store/Store.h"

#include <functional>
#include <string>
#include <vector>

namespace flowdeck::runtime {
class Engine;
}
namespace flowdeck::access {
class AccountService;
}
namespace flowdeck::adapters {
class AdapterCatalog;
class AdapterRunner;
} // namespace flowdeck::adapters

namespace flowdeck::api {

/// What handlers work with. Owned by whoever hosts the engine; outlives the EngineApi.
/// Handlers run on the engine's thread (dispatch is called there), so they may call the
/// engine directly. `engine` and `accounts` are absent for tools that only read and write
/// documents (flowdeck import/export); routes that need them answer 503 then.
struct EngineContext
{
    store::Store &store;
    WorkflowCatalog &catalog;
    runtime::Engine *engine = nullptr;
    access::AccountService *accounts = nullptr;
    adapters::AdapterCatalog *adapters = nullptr; ///< the adapter instances (routes: 503 without)
    adapters::AdapterRunner *adapterRunner = nullptr; ///< their calls and health checks
    /// Seals automations' webhook secrets (the store's SecretBox); empty: they are refused.
    runtime::SecretCodec secrets{};

    /// The engine, or Unavailable naming what is missing.
    Result<runtime::Engine *> requireEngine() const;
    Result<access::AccountService *> requireAccounts() const;
    Result<adapters::AdapterCatalog *> requireAdapters() const;
};

using Handler = std::function<Result<ApiResponse>(EngineContext &, const ApiRequest &)>;

struct Route
{
    Method method;
    RoutePattern pattern;
    /// The Operations Manager method name the caller's roles must grant, e.g. "getWorkflows";
    /// empty for the few routes anyone may call (health, sign-in).
    std::string permission;
    Handler handler;
    std::string summary;
};

class EngineApi
{
public:
    explicit EngineApi(EngineContext context);
    EngineApi(const EngineApi &) = delete; ///< a route (/openapi.json) holds `this`
    EngineApi &operator=(const EngineApi &) = delete;

    /// Matches the route, checks the caller, runs its handler and turns any Error into its
    /// JSON answer. Never throws: a handler's unexpected exception is a 500 with no internals
    /// in the body. An unknown path is 404; a known path with another method is 405; a route
    /// that needs a permission answers 401 without a principal and 403 when the principal's
    /// roles do not grant it. Call it on the engine's thread.
    ApiResponse dispatch(ApiRequest request);

    const std::vector<Route> &routes() const { return m_routes; }
    EngineContext &context() { return m_context; }

private:
    EngineContext m_context;
    std::vector<Route> m_routes;
};

} // namespace flowdeck::api
