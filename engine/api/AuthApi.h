// SPDX-License-Identifier: GPL-3.0-or-later
// Signing in and out, who am I, and the health routes: the few routes that serve callers
// before (or regardless of) their permissions.
#pragma once

#include "engine/api/EngineApi.h"

#include <optional>
#include <string>
#include <vector>

namespace flowdeck::api::auth {

/// The session cookie POST /login sets and the HTTP transport reads.
inline constexpr const char *kSessionCookie = "flowdeck_session";
/// What GET /health/server answers as "release": Itential's clients choose their routes by it.
inline constexpr const char *kRelease = "2023.2.0";
/// Lifetime of a client-credentials (OAuth) token, as Itential gives it.
inline constexpr int kClientTokenSeconds = 3600;

/// A username and the password a request asks to check.
struct PasswordClaim
{
    std::string username;
    std::string password;
};

/// The password POST /login or POST /oauth/token will check, read the way those routes read
/// it, so a transport can check it ahead, off its thread (AccountService::rememberVerdict);
/// nullopt for any other request, or one its route will refuse before checking.
std::optional<PasswordClaim> passwordClaim(EngineContext &ctx, const ApiRequest &req);

/// Appends this resource's routes to the table. GET /whoami lists the routes of `routes` the
/// caller may call, so the table must outlive the handlers (it is the same EngineApi's).
void addRoutes(std::vector<Route> &routes);

} // namespace flowdeck::api::auth
