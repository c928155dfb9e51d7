// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/access/TokenService.h"

#include "engine/access/Principals.h"
#include "engine/access/Sodium.h"
#include "engine/model/Ids.h"

#include <sodium.h>

#include <algorithm>
#include <chrono>

namespace flowdeck::access {
namespace {

constexpr std::size_t kTokenBytes = 32;

store::Millis systemNow()
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

} // namespace

TokenService::TokenService(store::Store &store, Clock clock)
    : m_store(store), m_clock(clock ? std::move(clock) : Clock(systemNow))
{}

std::string TokenService::hashToken(std::string_view token)
{
    [[maybe_unused]] auto ready = initSodium();
    // Tokens are 256 random bits, so a fast unsalted hash is enough: there is nothing to guess
    // that a slow hash would protect, and lookups by hash stay one index probe.
    unsigned char digest[crypto_generichash_BYTES];
    crypto_generichash(digest, sizeof digest, reinterpret_cast<const unsigned char *>(token.data()),
                       token.size(), nullptr, 0);
    char hex[sizeof digest * 2 + 1];
    sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
    return std::string(hex);
}

Result<TokenService::Issued> TokenService::issue(const std::string &userId, store::Millis ttlMs,
                                                 const std::string &kind, const std::string &label)
{
    if (kind != "session" && kind != "client" && kind != "api")
        return Error::invalid("a token's kind is \"session\", \"client\" or \"api\", not \"" +
                              kind + "\"");
    if (ttlMs <= 0)
        return Error::invalid("a token's lifetime must be positive");
    if (label.size() > 100 || std::any_of(label.begin(), label.end(),
                                          [](unsigned char c) { return c < 0x20 || c == 0x7f; }))
        return Error::invalid("a token's label must be at most 100 printable characters");
    if (auto r = initSodium(); !r)
        return r.error();
    unsigned char raw[kTokenBytes];
    randombytes_buf(raw, sizeof raw);
    char text[sodium_base64_ENCODED_LEN(kTokenBytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
    sodium_bin2base64(text, sizeof text, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(raw, sizeof raw);

    Issued issued;
    issued.token = text;
    const store::Millis now = m_clock();
    issued.record.id = ids::newObjectId();
    issued.record.tokenHash = hashToken(issued.token);
    issued.record.userId = userId;
    issued.record.kind = kind;
    issued.record.label = label;
    issued.record.createdAt = now;
    issued.record.expiresAt = now + ttlMs;
    if (auto r = m_store.saveToken(issued.record); !r)
        return r.error();
    return issued;
}

Result<model::Principal> TokenService::authenticate(std::string_view token, store::Millis now)
{
    if (token.empty())
        return unauthorized("no token was given; sign in first");
    auto record = m_store.tokenByHash(hashToken(token));
    if (!record) {
        if (record.error().code == ErrorCode::NotFound)
            return unauthorized("the token is not valid; sign in again");
        return record.error();
    }
    if (record->revokedAt)
        return unauthorized("the token was revoked; sign in again");
    if (now >= record->expiresAt)
        return unauthorized("the token has expired; sign in again");
    auto user = m_store.userById(record->userId);
    if (!user) {
        if (user.error().code == ErrorCode::NotFound)
            return unauthorized("the token's account no longer exists");
        return user.error();
    }
    if (user->disabled)
        return unauthorized("the account \"" + user->username + "\" is disabled");
    if (record->kind == "api" &&
        (!record->lastUsedAt || now - *record->lastUsedAt >= kLastUsedResolutionMs))
        (void)m_store.setTokenLastUsed(record->id, now); // bookkeeping: never refuses a request
    return principalOf(*user);
}

Result<void> TokenService::revoke(std::string_view token)
{
    auto record = m_store.tokenByHash(hashToken(token));
    if (!record)
        return record.error();
    return m_store.revokeToken(record->id, m_clock());
}

Result<void> TokenService::revokeById(const std::string &tokenId)
{
    return m_store.revokeToken(tokenId, m_clock());
}

Result<int> TokenService::revokeAll(const std::string &userId)
{
    return m_store.revokeUserTokens(userId, m_clock());
}

Result<int> TokenService::deleteExpired()
{
    return m_store.deleteExpiredTokens(m_clock());
}

} // namespace flowdeck::access
