// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/http/Authenticator.h"

#include "engine/access/AccountService.h"
#include "engine/access/TokenService.h"
#include "engine/api/AuthApi.h"

#include <QByteArray>

namespace flowdeck::http {
namespace {

constexpr auto kBasicCacheTime = std::chrono::seconds(60);
constexpr std::size_t kBasicCacheMax = 10'000;

bool startsWithNoCase(const std::string &text, const std::string &prefix)
{
    if (text.size() < prefix.size())
        return false;
    for (std::size_t i = 0; i < prefix.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(text[i])) != prefix[i])
            return false;
    return true;
}

std::string trimmed(const std::string &s)
{
    const auto b = s.find_first_not_of(" \t");
    if (b == std::string::npos)
        return {};
    return s.substr(b, s.find_last_not_of(" \t") - b + 1);
}

/// The user and password of Basic credentials, or nullopt when they are not base64 of
/// "user:password".
std::optional<api::auth::PasswordClaim> decodeBasic(const std::string &encoded)
{
    const auto decoded = QByteArray::fromBase64Encoding(QByteArray::fromStdString(encoded),
                                                        QByteArray::AbortOnBase64DecodingErrors);
    const qsizetype colon = decoded ? decoded.decoded.indexOf(':') : -1;
    if (colon < 0)
        return std::nullopt;
    return api::auth::PasswordClaim{decoded.decoded.left(colon).toStdString(),
                                    decoded.decoded.mid(colon + 1).toStdString()};
}

std::string cacheKey(const api::auth::PasswordClaim &claim)
{
    return access::TokenService::hashToken(claim.username + '\0' + claim.password);
}

} // namespace

std::optional<api::auth::PasswordClaim>
Authenticator::passwordClaim(const Credentials &credentials) const
{
    if (!m_accounts || !startsWithNoCase(credentials.authorization, "basic "))
        return std::nullopt;
    auto claim = decodeBasic(trimmed(credentials.authorization.substr(6)));
    if (!claim)
        return std::nullopt;
    const auto it = m_basicCache.find(cacheKey(*claim));
    if (it != m_basicCache.end() && it->second.until > std::chrono::steady_clock::now())
        return std::nullopt;
    return claim;
}

std::optional<std::string> Authenticator::cookie(const std::string &header, const std::string &name)
{
    std::size_t pos = 0;
    while (pos <= header.size()) {
        std::size_t end = header.find(';', pos);
        if (end == std::string::npos)
            end = header.size();
        const std::string pair = trimmed(header.substr(pos, end - pos));
        const auto eq = pair.find('=');
        if (eq != std::string::npos && pair.substr(0, eq) == name)
            return pair.substr(eq + 1);
        pos = end + 1;
    }
    return std::nullopt;
}

Authentication Authenticator::authenticate(const Credentials &c)
{
    if (!m_accounts)
        return {};
    if (!c.authorization.empty()) {
        if (startsWithNoCase(c.authorization, "basic "))
            return basic(trimmed(c.authorization.substr(6)), c.address);
        if (startsWithNoCase(c.authorization, "bearer "))
            return bearer(trimmed(c.authorization.substr(7)));
        return {std::nullopt, std::nullopt,
                Error::unauthorized("the Authorization header must be Basic or Bearer")};
    }
    if (c.token)
        return bearer(*c.token);
    if (auto session = cookie(c.cookies, api::auth::kSessionCookie); session && !session->empty())
        return bearer(*session);
    return {};
}

Authentication Authenticator::bearer(const std::string &token)
{
    if (token.empty())
        return {std::nullopt, std::nullopt, Error::unauthorized("the token is empty")};
    auto principal = m_accounts->tokens().authenticate(token);
    if (!principal)
        return {std::nullopt, std::nullopt, principal.error()};
    return {std::move(*principal), token, std::nullopt};
}

Authentication Authenticator::basic(const std::string &encoded, const std::string &address)
{
    const auto claim = decodeBasic(encoded);
    if (!claim)
        return {std::nullopt, std::nullopt,
                Error::unauthorized("the Basic credentials must be base64 of user:password")};
    const std::string &username = claim->username;
    const std::string &password = claim->password;
    const std::string key = cacheKey(*claim);
    const auto now = std::chrono::steady_clock::now();
    std::string userId;
    if (auto it = m_basicCache.find(key); it != m_basicCache.end() && it->second.until > now) {
        userId = it->second.userId;
    } else {
        // signIn throttles guessing and checks the password; the session token it issues is
        // not wanted for Basic, so it is revoked at once.
        auto signedIn = m_accounts->signIn(username, password, address);
        if (!signedIn)
            return {std::nullopt, std::nullopt, signedIn.error()};
        (void)m_accounts->tokens().revoke(signedIn->token);
        userId = signedIn->principal.userId;
        if (m_basicCache.size() >= kBasicCacheMax)
            m_basicCache.clear();
        m_basicCache[key] = {userId, now + kBasicCacheTime};
    }
    auto principal = m_accounts->principalFor(userId);
    if (!principal) {
        m_basicCache.erase(key);
        Error error = principal.error();
        if (error.code == ErrorCode::NotFound)
            error = Error::unauthorized("the account \"" + username + "\" no longer exists");
        return {std::nullopt, std::nullopt, std::move(error)};
    }
    return {std::move(*principal), std::nullopt, std::nullopt};
}

} // namespace flowdeck::http
