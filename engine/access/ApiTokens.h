// SPDX-License-Identifier: GPL-3.0-or-later
// API tokens: long-lived bearer tokens that machines (CI/CD clients, Itential's SDKs) use in
// place of a password. An administrator creates one for an account, sees it once, and later
// sees only its label, dates and last use; revoking it stops it at once. `flowdeck token`, the
// /authorization/tokens routes and the window's Accounts dialog all go through here.
#pragma once

#include "engine/access/TokenService.h"
#include "engine/store/Store.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

namespace flowdeck::access {

class ApiTokens
{
public:
    static constexpr int kDefaultDays = 90;
    static constexpr int kMaxDays = 3650;

    ApiTokens(store::Store &store, TokenService &tokens) : m_store(store), m_tokens(tokens) {}

    /// A new token for the account named `username` (any case), valid `days` days
    /// (kDefaultDays when absent). NotFound for an unknown account; Invalid for a disabled one,
    /// days outside 1..kMaxDays or a bad label. The answer's `token` is the only copy.
    Result<TokenService::Issued> create(const std::string &username, std::optional<int> days,
                                        const std::string &label);

    /// The API tokens of one account (or of every account when `username` is empty), newest
    /// first, as summary() shows them. NotFound for an unknown account.
    Result<nlohmann::json> list(const std::string &username);

    /// Revokes the API token with that id; NotFound when there is none (a session's id is not
    /// an API token's, so this never signs a person out).
    Result<nlohmann::json> revoke(const std::string &tokenId);

    /// {_id, username, label, created, expires, lastUsed, revoked}, times in milliseconds since
    /// the epoch as everywhere in the API (null when absent). Never the token nor its hash.
    nlohmann::json summary(const store::TokenRecord &token, const std::string &username) const;

private:
    store::Store &m_store;
    TokenService &m_tokens;
};

} // namespace flowdeck::access
