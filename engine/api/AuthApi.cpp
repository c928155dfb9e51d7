// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/api/AuthApi.h"

#include "engine/access/AccountService.h"
#include "engine/access/Roles.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QSysInfo>
#include <QThread>

#include <chrono>

namespace flowdeck::api::auth {
namespace {

using nlohmann::json;

const auto kStarted = std::chrono::steady_clock::now();

double uptimeSeconds()
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - kStarted).count();
}

/// A string member of a JSON object, or Invalid naming its pointer.
Result<std::string> stringAt(const json &object, const std::string &key, const std::string &base)
{
    const auto it = object.find(key);
    if (it == object.end() || !it->is_string())
        return Error::invalid(base + "/" + key + " must be a string",
                              {{"pointer", base + "/" + key}});
    return it->get<std::string>();
}

std::string sessionCookie(const std::string &token, long long maxAgeSeconds)
{
    // HttpOnly: scripts in a page cannot read it; SameSite=Strict: other sites cannot make a
    // browser send it. The transport adds Secure when it serves TLS.
    return std::string(kSessionCookie) + "=" + token +
           "; Path=/; Max-Age=" + std::to_string(maxAgeSeconds) + "; HttpOnly; SameSite=Strict";
}

/// The username and password of a POST /login body, or Invalid naming the pointer at fault.
Result<PasswordClaim> loginClaim(const ApiRequest &req)
{
    if (!req.body.is_object())
        return Error::invalid("the body must be {\"user\": {\"username\", \"password\"}} or "
                              "{\"username\", \"password\"}",
                              {{"pointer", ""}});
    const bool nested = req.body.contains("user");
    const json &credentials = nested ? req.body["user"] : req.body;
    const std::string base = nested ? "/user" : "";
    if (!credentials.is_object())
        return Error::invalid("/user must be an object with username and password",
                              {{"pointer", "/user"}});
    auto username = stringAt(credentials, "username", base);
    if (!username)
        return username.error();
    auto password = stringAt(credentials, "password", base);
    if (!password)
        return password.error();
    return PasswordClaim{std::move(*username), std::move(*password)};
}

/// The account and secret of a POST /oauth/token form (the client id is the account's
/// username or id), or Invalid naming the field at fault.
Result<PasswordClaim> clientClaim(EngineContext &ctx, const ApiRequest &req)
{
    const json &form = req.body.is_object() ? req.body : json::object();
    if (form.value("grant_type", "") != "client_credentials")
        return Error::invalid("grant_type must be \"client_credentials\"",
                              {{"field", "grant_type"}});
    auto clientId = stringAt(form, "client_id", "");
    if (!clientId)
        return Error::invalid("client_id is missing", {{"field", "client_id"}});
    auto secret = stringAt(form, "client_secret", "");
    if (!secret)
        return Error::invalid("client_secret is missing", {{"field", "client_secret"}});
    std::string username = *clientId;
    if (auto byId = ctx.store.userById(*clientId); byId)
        username = byId->username;
    return PasswordClaim{std::move(username), std::move(*secret)};
}

Result<ApiResponse> login(EngineContext &ctx, const ApiRequest &req)
{
    auto accounts = ctx.requireAccounts();
    if (!accounts)
        return accounts.error();
    auto claim = loginClaim(req);
    if (!claim)
        return claim.error();
    auto signedIn = (*accounts)->signIn(claim->username, claim->password, req.remoteAddress);
    if (!signedIn)
        return errorResponse(signedIn.error());
    ApiResponse response;
    response.rawBody = signedIn->token;
    response.contentType = "text/plain; charset=utf-8";
    const long long now = QDateTime::currentMSecsSinceEpoch();
    response.headers["Set-Cookie"] =
        sessionCookie(signedIn->token, std::max(0LL, (signedIn->expiresAt - now) / 1000));
    return response;
}

Result<ApiResponse> logout(EngineContext &ctx, const ApiRequest &req)
{
    if (!req.principal)
        return Error::unauthorized("sign in first");
    auto accounts = ctx.requireAccounts();
    if (!accounts)
        return accounts.error();
    // Basic authentication has no token to revoke: signing out is then only forgetting the
    // cookie, which is harmless to ask for.
    if (req.token)
        if (auto r = (*accounts)->tokens().revoke(*req.token);
            !r && r.error().code != ErrorCode::NotFound)
            return r.error();
    ApiResponse response{200, {{"message", "signed out"}}};
    response.headers["Set-Cookie"] = sessionCookie("", 0);
    return response;
}

/// OAuth 2 client credentials (RFC 6749 §4.4) for service accounts: the client id is the
/// account's username (or id), the secret its password.
Result<ApiResponse> oauthToken(EngineContext &ctx, const ApiRequest &req)
{
    auto accounts = ctx.requireAccounts();
    if (!accounts)
        return accounts.error();
    if (req.contentType != "application/x-www-form-urlencoded")
        return ApiResponse{
            415,
            {{"message", "POST /oauth/token takes a form (application/x-www-form-urlencoded): "
                         "grant_type=client_credentials&client_id=…&client_secret=…"},
             {"error", "unsupported_media_type"}}};
    auto claim = clientClaim(ctx, req);
    if (!claim)
        return claim.error();
    // signIn checks the secret with the same throttle as people, so guessing a client secret
    // is as slow as guessing a password; its session token is swapped for a client token.
    auto signedIn = (*accounts)->signIn(claim->username, claim->password, req.remoteAddress);
    if (!signedIn)
        return errorResponse(signedIn.error());
    (void)(*accounts)->tokens().revoke(signedIn->token);
    auto user = ctx.store.userById(signedIn->principal.userId);
    if (!user)
        return user.error();
    if (user->kind != "service")
        return Error::unauthorized("\"" + user->username +
                                   "\" is not a service account; people sign in with POST /login");
    auto issued = (*accounts)->tokens().issue(user->id, kClientTokenSeconds * 1000LL, "client");
    if (!issued)
        return issued.error();
    return ApiResponse{200,
                       {{"access_token", issued->token},
                        {"token_type", "bearer"},
                        {"expires_in", kClientTokenSeconds}}};
}

Result<ApiResponse> whoami(EngineContext &ctx, const ApiRequest &req,
                           const std::vector<Route> &table)
{
    if (!req.principal)
        return Error::unauthorized("sign in first");
    const auto &who = *req.principal;
    json groups = json::array();
    for (const auto &id : who.groups) {
        auto group = ctx.store.groupById(id);
        groups.push_back(group ? json{{"_id", id}, {"name", group->name}} : json{{"_id", id}});
    }
    json roles = json::array();
    if (auto user = ctx.store.userById(who.userId); user)
        roles = user->roles;
    json methods = json::array();
    for (const auto &name : access::allMethodNames())
        if (who.can(name))
            methods.push_back(name);
    json routes = json::array();
    for (const auto &route : table)
        if (route.permission.empty() || who.can(route.permission))
            routes.push_back(std::string(methodName(route.method)) + " " + route.pattern.pattern());
    return ApiResponse{200,
                       {{"_id", who.userId},
                        {"username", who.username},
                        {"admin", who.admin},
                        {"groups", std::move(groups)},
                        {"roles", std::move(roles)},
                        {"methods", {{"OperationsManager", std::move(methods)}}},
                        {"routes", std::move(routes)}}};
}

Result<ApiResponse> healthStatus(EngineContext &ctx, const ApiRequest &)
{
    const bool engine = ctx.engine != nullptr;
    return ApiResponse{
        200, json::array({{{"service", "database"}, {"status", "running"}},
                          {{"service", "engine"}, {"status", engine ? "running" : "stopped"}}})};
}

Result<ApiResponse> healthSystem(EngineContext &, const ApiRequest &req)
{
    // The host name, kernel and processors help an attacker more than a load balancer.
    if (!req.principal)
        return Error::unauthorized("sign in first: GET /health/system describes the machine; "
                                   "GET /health/status answers anonymous liveness checks");
    return ApiResponse{200,
                       {{"arch", QSysInfo::currentCpuArchitecture().toStdString()},
                        {"os", QSysInfo::prettyProductName().toStdString()},
                        {"kernel", QSysInfo::kernelVersion().toStdString()},
                        {"hostname", QSysInfo::machineHostName().toStdString()},
                        {"cpus", QThread::idealThreadCount()}}};
}

Result<ApiResponse> healthServer(EngineContext &, const ApiRequest &req)
{
    // Anonymous callers (load balancers, and Itential clients choosing their routes by
    // "release" before they sign in) get only what they need; the version, pid and uptime
    // are for signed-in callers.
    json body = {{"release", kRelease}, {"product", "Flowdeck"}, {"status", "running"}};
    if (req.principal) {
        body["version"] = FLOWDECK_VERSION;
        body["pid"] = QCoreApplication::applicationPid();
        body["uptime"] = uptimeSeconds();
    }
    return ApiResponse{200, std::move(body)};
}

Result<ApiResponse> healthApplications(EngineContext &ctx, const ApiRequest &req)
{
    json apps = json::array({{{"id", "OperationsManager"},
                              {"package_id", "@itential/app-operations_manager"},
                              {"state", ctx.engine ? "RUNNING" : "STOPPED"}},
                             {{"id", "WorkFlowEngine"},
                              {"package_id", "@itential/app-workflow_engine"},
                              {"state", ctx.engine ? "RUNNING" : "STOPPED"}}});
    // The exact version tells an attacker which fixes are missing: signed-in callers only.
    if (req.principal)
        for (auto &app : apps)
            app["version"] = FLOWDECK_VERSION;
    return ApiResponse{200, std::move(apps)};
}

} // namespace

std::optional<PasswordClaim> passwordClaim(EngineContext &ctx, const ApiRequest &req)
{
    if (req.method != Method::Post)
        return std::nullopt;
    if (req.path == "/login")
        if (auto claim = loginClaim(req); claim)
            return std::move(*claim);
    if (req.path == "/oauth/token" && req.contentType == "application/x-www-form-urlencoded")
        if (auto claim = clientClaim(ctx, req); claim)
            return std::move(*claim);
    return std::nullopt;
}

void addRoutes(std::vector<Route> &routes)
{
    routes.push_back({Method::Post, RoutePattern("/login"), "", login,
                      "Sign in with {user: {username, password}} or {username, password}; "
                      "answers the token and sets a session cookie"});
    routes.push_back({Method::Post, RoutePattern("/logout"), "", logout,
                      "Sign out: revokes the token used and clears the cookie"});
    routes.push_back({Method::Post, RoutePattern("/oauth/token"), "", oauthToken,
                      "OAuth 2 client credentials (form-encoded) for service accounts"});
    const std::vector<Route> *table = &routes;
    routes.push_back(
        {Method::Get, RoutePattern("/whoami"), "",
         [table](EngineContext &ctx, const ApiRequest &req) { return whoami(ctx, req, *table); },
         "The caller: groups, roles, permitted methods and routes"});
    routes.push_back({Method::Get, RoutePattern("/health/status"), "", healthStatus,
                      "Whether the services are running"});
    routes.push_back({Method::Get, RoutePattern("/health/system"), "", healthSystem,
                      "The machine: architecture, operating system, kernel, host name, processors "
                      "(signed-in callers only)"});
    routes.push_back(
        {Method::Get, RoutePattern("/health/server"), "", healthServer,
         "The server: release (2023.2.0, what clients choose routes by) and status for "
         "anyone; version, pid and uptime for signed-in callers"});
    routes.push_back({Method::Get, RoutePattern("/health/applications"), "", healthApplications,
                      "The applications and their state"});
}

} // namespace flowdeck::api::auth
