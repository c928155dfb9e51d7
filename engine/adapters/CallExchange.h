// SPDX-License-Identifier: GPL-3.0-or-later
// What an adapter call kept for the task panel: the request (method, URL, headers, body), the
// last response (status, headers, body) and every attempt (when, status or error, latency).
// Redacted as it is written, so no secret reaches the task document, the event log or the
// window: the values of the instance's secrets (passwords, tokens, client secrets, a
// requested token) are masked wherever they appear, and so is every header that carries a
// credential (the auth_field headers, Authorization, Cookie…), whatever its format. Bodies are
// capped (kBodyCap bytes kept, the total size noted). Lives on the adapters' I/O thread with
// its call.
#pragma once

#include <QByteArray>
#include <QElapsedTimer>

#include <nlohmann/json.hpp>

#include <set>
#include <string>
#include <vector>

class QNetworkReply;
class QNetworkRequest;

namespace flowdeck::adapters {

class CallExchange
{
public:
    /// Bytes of a body kept in the record.
    static constexpr std::size_t kBodyCap = 16 * 1024;
    /// Attempts kept (the first and the latest ones); a call retries at most 100 times.
    static constexpr std::size_t kMaxAttempts = 20;

    /// `properties` with their secrets opened: what to mask.
    explicit CallExchange(const nlohmann::json &properties);

    /// A value to mask from now on (a token requested during the call).
    void addSecret(const std::string &value);
    /// The request as sent (again, on a retry: the last one is kept); starts an attempt.
    void sent(const QNetworkRequest &request, const QByteArray &verb, const QByteArray &body);
    /// The attempt ended: `error` says why there is no answer (empty when there is one).
    void answered(QNetworkReply *reply, const QByteArray &body, const std::string &error);

    /// {request, response?, attempts}; null before anything was sent.
    nlohmann::json record() const;

    /// `text` with every secret replaced by the mask.
    std::string redact(std::string text) const;
    /// {text, bytes, truncated?}: at most kBodyCap bytes of `body`, redacted.
    nlohmann::json cappedBody(const QByteArray &body) const;

private:
    nlohmann::json headers(const std::vector<std::pair<QByteArray, QByteArray>> &raw) const;

    std::vector<std::string> m_secrets;
    std::set<std::string> m_credentialHeaders; ///< lower case
    nlohmann::json m_request;
    nlohmann::json m_response;
    nlohmann::json m_attempts = nlohmann::json::array();
    qint64 m_attemptStartedAt = 0;
    QElapsedTimer m_attemptClock;
};

} // namespace flowdeck::adapters
