// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/adapters/CallExchange.h"

#include "engine/access/SecretBox.h"
#include "engine/adapters/AdapterProperties.h"

#include <QDateTime>
#include <QNetworkReply>
#include <QNetworkRequest>

#include <algorithm>

namespace flowdeck::adapters {

using nlohmann::json;

namespace {

std::string lower(std::string text)
{
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return char(std::tolower(c)); });
    return text;
}

/// "header.headers.X-Token" (Itential's form) or "X-Token" → "x-token"; empty for a field
/// that is not a header (body.password).
std::string headerOfField(const std::string &field)
{
    const std::string prefix = "header.headers.";
    if (field.rfind(prefix, 0) == 0)
        return lower(field.substr(prefix.size()));
    if (field.find('.') == std::string::npos)
        return lower(field);
    return {};
}

} // namespace

CallExchange::CallExchange(const json &properties)
    : m_credentialHeaders{"authorization", "proxy-authorization", "cookie",
                          "set-cookie",    "x-api-key",           "x-auth-token"}
{
    for (const auto &pointer : secretPointers()) {
        const json::json_pointer p(pointer);
        if (properties.contains(p) && properties[p].is_string())
            addSecret(properties[p].get<std::string>());
    }
    const json auth = properties.value("authentication", json::object());
    const json fields = auth.is_object() ? auth.value("auth_field", json()) : json();
    for (const auto &field : fields.is_array() ? fields : json::array({fields}))
        if (field.is_string())
            if (const std::string header = headerOfField(field.get<std::string>()); !header.empty())
                m_credentialHeaders.insert(header);
}

void CallExchange::addSecret(const std::string &value)
{
    // Very short values would mask ordinary text everywhere and protect nothing.
    if (value.size() >= 3 &&
        std::find(m_secrets.begin(), m_secrets.end(), value) == m_secrets.end())
        m_secrets.push_back(value);
}

std::string CallExchange::redact(std::string text) const
{
    for (const auto &secret : m_secrets) {
        for (std::size_t at = text.find(secret); at != std::string::npos;
             at = text.find(secret, at + std::char_traits<char>::length(access::SecretBox::kMask)))
            text.replace(at, secret.size(), access::SecretBox::kMask);
    }
    return text;
}

json CallExchange::cappedBody(const QByteArray &body) const
{
    const auto kept = std::min<std::size_t>(std::size_t(body.size()), kBodyCap);
    json out = {{"text", redact(std::string(body.constData(), kept))}, {"bytes", body.size()}};
    if (kept < std::size_t(body.size()))
        out["truncated"] = true;
    return out;
}

json CallExchange::headers(const std::vector<std::pair<QByteArray, QByteArray>> &raw) const
{
    json out = json::object();
    for (const auto &[name, value] : raw) {
        const std::string key = name.toStdString();
        out[key] = m_credentialHeaders.count(lower(key)) ? std::string(access::SecretBox::kMask)
                                                         : redact(value.toStdString());
    }
    return out;
}

void CallExchange::sent(const QNetworkRequest &request, const QByteArray &verb,
                        const QByteArray &body)
{
    std::vector<std::pair<QByteArray, QByteArray>> raw;
    for (const QByteArray &name : request.rawHeaderList())
        raw.emplace_back(name, request.rawHeader(name));
    m_request = {{"method", verb.toStdString()},
                 {"url", redact(request.url().toString().toStdString())},
                 {"headers", headers(raw)},
                 {"body", cappedBody(body)}};
    m_attemptStartedAt = QDateTime::currentMSecsSinceEpoch();
    m_attemptClock.start();
}

void CallExchange::answered(QNetworkReply *reply, const QByteArray &body, const std::string &error)
{
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    json attempt = {{"at", m_attemptStartedAt}, {"latency", m_attemptClock.elapsed()}};
    if (!error.empty())
        attempt["error"] = redact(error);
    if (status > 0)
        attempt["status"] = status;
    if (m_attempts.size() >= kMaxAttempts)
        m_attempts.erase(m_attempts.begin() + 1); // keep the first and the latest
    m_attempts.push_back(std::move(attempt));
    if (status > 0) {
        std::vector<std::pair<QByteArray, QByteArray>> raw;
        for (const auto &[name, value] : reply->rawHeaderPairs())
            raw.emplace_back(name, value);
        m_response = {{"status", status}, {"headers", headers(raw)}, {"body", cappedBody(body)}};
    } else {
        m_response = nullptr; // the last attempt got no answer: an older one is not it
    }
}

json CallExchange::record() const
{
    if (m_request.is_null())
        return nullptr;
    json out = {{"request", m_request}, {"attempts", m_attempts}};
    if (!m_response.is_null())
        out["response"] = m_response;
    return out;
}

} // namespace flowdeck::adapters
