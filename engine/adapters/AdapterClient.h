// SPDX-License-Identifier: GPL-3.0-or-later
// Sends adapter calls over HTTP. It lives on an I/O thread with its QNetworkAccessManager and
// never blocks: each call is a small state machine driven by the reply's signals and timers.
// Per call: authentication (basic, static token, requested token with one re-login on
// invalid_token_error, OAuth 2 client credentials), the attempt timeout, retries with
// exponential backoff and jitter on connection errors, timeouts and the limit_retry_error
// statuses, the redirect limit, the response size limit (the answer is counted as it arrives
// and the call aborted past the limit), TLS (custom CA, or accepting an invalid certificate
// when told to), and at most throttle.concurrent_max calls at once per instance, spread over
// enough managers that they are all on the wire at once (poolSize()).
#pragma once

#include "engine/adapters/AdapterOutcome.h"
#include "engine/adapters/AdapterRequest.h"

#include <QObject>

#include <nlohmann/json.hpp>

#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

class QNetworkAccessManager;
class QNetworkCookieJar;
class QNetworkReply;
class QNetworkRequest;

namespace flowdeck::adapters {

struct AdapterCallSpec
{
    std::string instance;       ///< the instance's name (token cache, throttle, origin)
    nlohmann::json properties;  ///< normalised, with secrets opened
    nlohmann::json method;      ///< a method of the definition
    nlohmann::json input;       ///< the task's incoming values
    std::string idempotencyKey; ///< sent as Idempotency-Key; empty: not sent
    std::string tag;            ///< what cancel() names; empty: not cancelable
};

class AdapterClient : public QObject
{
    Q_OBJECT
public:
    using Done = std::function<void(AdapterOutcome)>;

    explicit AdapterClient(QObject *parent = nullptr);
    ~AdapterClient() override;

    /// Starts the call (on this object's thread); `done` runs on it once, unless canceled.
    void call(AdapterCallSpec spec, Done done);
    /// Abandons the call with that tag: its reply is aborted and `done` is not called.
    void cancel(const std::string &tag);
    /// Forgets requested tokens of the instance (its properties changed).
    void forgetTokens(const std::string &instance);

    /// Calls started and not yet done (waiting for a throttle slot included).
    int pending() const { return int(m_calls.size()); }

    /// Connections one QNetworkAccessManager opens to a host (Qt's fixed HTTP/1.1 limit).
    static constexpr int kConnectionsPerManager = 6;
    /// Managers of an instance without throttle.concurrent_max (24 connections), and at most.
    static constexpr int kDefaultManagers = 4;
    static constexpr int kMaxManagers = 64;
    /// How many managers the instance's calls share: ceil(concurrent_max / 6), or the default.
    static int poolSize(const nlohmann::json &properties);

private:
    struct Call;
    struct Token
    {
        std::string value;
        qint64 expiresAt = 0; ///< ms since the epoch; 0: until refused
    };
    void admit(const std::shared_ptr<Call> &call);
    void begin(const std::shared_ptr<Call> &call);
    void requestToken(const std::shared_ptr<Call> &call);
    void send(const std::shared_ptr<Call> &call);
    /// Puts one request on the wire with the call's timeout, size limit, redirect limit and
    /// TLS settings; its end goes to tokenAnswered() or finishAttempt().
    void transmit(const std::shared_ptr<Call> &call, QNetworkRequest request,
                  const QByteArray &verb, const QByteArray &body);
    /// A failure of the transport itself (size, timeout, TLS, connection), if any.
    std::optional<AdapterOutcome> transportFailure(const std::shared_ptr<Call> &call,
                                                   QNetworkReply *reply, bool &retryable);
    /// Retries or ends the call when the transport failed; false when there was an answer.
    bool endedByTransport(const std::shared_ptr<Call> &call, QNetworkReply *reply);
    void tokenAnswered(const std::shared_ptr<Call> &call, QNetworkReply *reply);
    void finishAttempt(const std::shared_ptr<Call> &call, QNetworkReply *reply);
    void retryOrFail(const std::shared_ptr<Call> &call, AdapterOutcome failure);
    void complete(const std::shared_ptr<Call> &call, AdapterOutcome outcome);
    bool needsToken(const nlohmann::json &properties) const;

    /// The manager for the instance's next request, taken in turn from its pool. Redirects are
    /// followed per request, up to request.number_redirects.
    QNetworkAccessManager *managerFor(const std::string &instance,
                                      const nlohmann::json &properties);

    /// Managers of one instance (and proxy settings), used in turn.
    struct Pool
    {
        std::vector<QNetworkAccessManager *> managers; ///< children of the client
        std::size_t next = 0;
    };
    QNetworkCookieJar *m_cookies;        ///< shared by every manager
    std::map<std::string, Pool> m_pools; ///< by instance and proxy settings
    std::map<Call *, std::shared_ptr<Call>> m_calls;
    std::map<std::string, Token> m_tokens; ///< by instance name
    std::map<std::string, int> m_running;  ///< calls on the wire, by instance
    std::map<std::string, std::deque<std::shared_ptr<Call>>> m_waiting; ///< throttled
};

} // namespace flowdeck::adapters
