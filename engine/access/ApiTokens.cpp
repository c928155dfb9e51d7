// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/access/ApiTokens.h"

#include <map>

namespace flowdeck::access {

using nlohmann::json;

namespace {

json optionalTime(const std::optional<store::Millis> &t)
{
    return t ? json(*t) : json(nullptr);
}

} // namespace

Result<TokenService::Issued> ApiTokens::create(const std::string &username, std::optional<int> days,
                                               const std::string &label)
{
    const int lifetime = days.value_or(kDefaultDays);
    if (lifetime < 1 || lifetime > kMaxDays)
        return Error::invalid("an API token lasts 1 to " + std::to_string(kMaxDays) +
                                  " days, not " + std::to_string(lifetime),
                              {{"field", "days"}});
    auto user = m_store.userByUsername(username);
    if (!user)
        return user.error().code == ErrorCode::NotFound
                   ? Error::notFound("no account named \"" + username + "\"")
                   : user.error();
    if (user->disabled)
        return Error::invalid("the account \"" + user->username +
                                  "\" is disabled: a token for it would not work",
                              {{"field", "username"}});
    return m_tokens.issue(user->id, store::Millis(lifetime) * 24 * 3600 * 1000, "api", label);
}

Result<json> ApiTokens::list(const std::string &username)
{
    std::string userId;
    if (!username.empty()) {
        auto user = m_store.userByUsername(username);
        if (!user)
            return user.error().code == ErrorCode::NotFound
                       ? Error::notFound("no account named \"" + username + "\"")
                       : user.error();
        userId = user->id;
    }
    auto tokens = m_store.listTokens("api", userId);
    if (!tokens)
        return tokens.error();
    std::map<std::string, std::string> names;
    json out = json::array();
    for (const auto &token : *tokens) {
        auto name = names.find(token.userId);
        if (name == names.end()) {
            auto user = m_store.userById(token.userId);
            name = names.emplace(token.userId, user ? user->username : token.userId).first;
        }
        out.push_back(summary(token, name->second));
    }
    return out;
}

Result<json> ApiTokens::revoke(const std::string &tokenId)
{
    auto token = m_store.tokenById(tokenId);
    if (!token || token->kind != "api")
        return token || token.error().code == ErrorCode::NotFound
                   ? Error::notFound("no API token with id " + tokenId)
                   : token.error();
    if (auto r = m_tokens.revokeById(tokenId); !r)
        return r.error();
    auto revoked = m_store.tokenById(tokenId);
    if (!revoked)
        return revoked.error();
    auto user = m_store.userById(revoked->userId);
    return summary(*revoked, user ? user->username : revoked->userId);
}

json ApiTokens::summary(const store::TokenRecord &token, const std::string &username) const
{
    return {{"_id", token.id},
            {"username", username},
            {"label", token.label},
            {"created", token.createdAt},
            {"expires", token.expiresAt},
            {"lastUsed", optionalTime(token.lastUsedAt)},
            {"revoked", optionalTime(token.revokedAt)}};
}

} // namespace flowdeck::access
