// SPDX-License-Identifier: GPL-3.0-or-later
// Sign-in tokens: 32 random bytes, shown to the caller once as URL-safe base64 and stored
// only as a BLAKE2b hash, so a copy of the store does not let anyone sign in. A token
// expires, can be revoked alone or with every other token of its user, and stops working
// the moment its user is disabled.
#pragma once

#include "engine/model/Principal.h"
#include "engine/store/Store.h"

#include <functional>
#include <string>
#include <string_view>

namespace flowdeck::access {

class TokenService
{
public:
    using Clock = std::function<store::Millis()>;

    struct Issued
    {
        std::string token;         ///< the secret: give it to the caller, then forget it
        store::TokenRecord record; ///< what was stored
    };

    /// `clock` defaults to the system clock (milliseconds since the epoch).
    explicit TokenService(store::Store &store, Clock clock = {});

    /// Issues a token for the user, valid for `ttlMs` from now. Invalid for a kind other than
    /// "session", "client" or "api", a ttl that is not positive, or a label over 100
    /// characters or with control characters; the store's errors otherwise.
    Result<Issued> issue(const std::string &userId, store::Millis ttlMs,
                         const std::string &kind = "session", const std::string &label = {});

    /// The principal the token stands for, at `now`. Unauthorized (with a message saying
    /// which) when the token is unknown, expired or revoked, or its user is disabled or gone.
    Result<model::Principal> authenticate(std::string_view token, store::Millis now);
    Result<model::Principal> authenticate(std::string_view token)
    {
        return authenticate(token, m_clock());
    }

    /// Revokes one token (sign-out). NotFound when the token is unknown.
    Result<void> revoke(std::string_view token);
    /// Revokes a token by its id (an administrator revoking an API token). NotFound when no
    /// token has that id.
    Result<void> revokeById(const std::string &tokenId);

    /// An API token's last use is written at most this often: a busy CI client must not turn
    /// every request into a write.
    static constexpr store::Millis kLastUsedResolutionMs = 60'000;
    /// Revokes every live token of the user; returns how many.
    Result<int> revokeAll(const std::string &userId);
    /// Forgets tokens that expired before now; returns how many.
    Result<int> deleteExpired();

    /// The hex BLAKE2b-256 of a token: the only form of it the store ever sees.
    static std::string hashToken(std::string_view token);

private:
    store::Store &m_store;
    Clock m_clock;
};

} // namespace flowdeck::access
