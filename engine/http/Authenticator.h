// SPDX-License-Identifier: GPL-3.0-or-later
// Who is calling, from the credentials of one request, in the forms Itential's clients use:
// HTTP Basic on any route, `Authorization: Bearer <token>`, `?token=<token>`, and the
// session cookie POST /login sets. Tokens are checked by the AccountService's TokenService.
#pragma once

#include "engine/api/AuthApi.h"
#include "engine/model/Error.h"
#include "engine/model/Principal.h"

#include <chrono>
#include <optional>
#include <string>
#include <unordered_map>

namespace flowdeck::access {
class AccountService;
}

namespace flowdeck::http {

struct Credentials
{
    std::string authorization;        ///< the Authorization header, if any
    std::string cookies;              ///< the Cookie header, if any
    std::optional<std::string> token; ///< the ?token= query parameter
    std::string address;              ///< the caller's address (sign-in throttling)
};

struct Authentication
{
    std::optional<model::Principal> principal;
    /// The token that authenticated the caller (POST /logout revokes it).
    std::optional<std::string> token;
    /// Why credentials that were given did not authenticate; the caller is then anonymous,
    /// and a route that needs a principal answers with this instead of "sign in first".
    std::optional<Error> failure;
};

class Authenticator
{
public:
    /// Without accounts (a tool that serves nothing) every caller is anonymous.
    explicit Authenticator(access::AccountService *accounts) : m_accounts(accounts) {}

    /// The principal of the first credentials present, in the order Authorization header,
    /// ?token=, cookie. A disabled account is refused like a wrong password.
    Authentication authenticate(const Credentials &credentials);

    /// The password authenticate() would have to hash for these credentials: Basic ones not
    /// verified in the last minute. For checking it ahead, off the server's thread.
    std::optional<api::auth::PasswordClaim> passwordClaim(const Credentials &credentials) const;

    /// The value of one cookie in a Cookie header.
    static std::optional<std::string> cookie(const std::string &header, const std::string &name);

private:
    Authentication basic(const std::string &encoded, const std::string &address);
    Authentication bearer(const std::string &token);

    access::AccountService *m_accounts;
    /// Basic sends the password with every request; checking it with argon2 each time would
    /// cost tens of milliseconds per request, so a verified pair is remembered (by its hash,
    /// never in clear) for a minute. Disabling the account still takes effect at once, since
    /// the principal is looked up every time.
    struct Verified
    {
        std::string userId;
        std::chrono::steady_clock::time_point until;
    };
    std::unordered_map<std::string, Verified> m_basicCache;
};

} // namespace flowdeck::http
