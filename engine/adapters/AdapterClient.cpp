// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/adapters/AdapterClient.h"

#include "engine/adapters/AwsSignature.h"
#include "engine/adapters/CallExchange.h"
#include "engine/adapters/PackageRequest.h"

#include "engine/model/JsonParse.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QNetworkAccessManager>
#include <QNetworkCookieJar>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QPointer>
#include <QRandomGenerator>
#include <QSslConfiguration>
#include <QTimer>
#include <QUrlQuery>

#include <algorithm>
#include <cmath>

namespace flowdeck::adapters {

using nlohmann::json;

struct AdapterClient::Call
{
    AdapterCallSpec spec;
    Done done;
    std::string origin;
    int attempts = 0; ///< attempts sent (the first included)
    int timeouts = 0;
    int redirects = 0;
    bool reloggedIn = false; ///< one new token per call after invalid_token_error
    bool onWire = false;     ///< holds a throttle slot
    bool canceled = false;
    bool tooLarge = false;
    bool timedOut = false;
    bool tokenRequest = false; ///< the reply in flight is the token request
    QPointer<QNetworkReply> reply;
    QByteArray buffer;
    AdapterRequest sent;                    ///< the request of the attempt in flight
    QElapsedTimer clock;                    ///< since the call started
    qint64 throttleWait = 0;                ///< ms spent waiting for a throttle slot
    std::unique_ptr<CallExchange> exchange; ///< the method's request and answers, redacted

    /// Each attempt's limit: the method's own (a package action's timeout), else the
    /// properties' request.attempt_timeout.
    int attemptTimeout() const
    {
        if (sent.attemptTimeoutMs > 0)
            return sent.attemptTimeoutMs;
        const auto request = spec.properties.find("request");
        return request != spec.properties.end() && request->is_object()
                   ? request->value("attempt_timeout", 5000)
                   : 5000;
    }
};

namespace {

const json &section(const json &properties, const char *name)
{
    static const json empty = json::object();
    auto it = properties.find(name);
    return it != properties.end() && it->is_object() ? *it : empty;
}

/// "header.headers.X-Token" (Itential's form) or "X-Token" → the header's name.
QByteArray headerName(const std::string &field)
{
    const std::string prefix = "header.headers.";
    return QByteArray::fromStdString(field.rfind(prefix, 0) == 0 ? field.substr(prefix.size())
                                                                 : field);
}

json headersOf(const QNetworkReply *reply)
{
    json out = json::object();
    for (const auto &[name, value] : reply->rawHeaderPairs())
        out[name.toLower().toStdString()] = value.toStdString();
    return out;
}

/// The body as JSON when it is JSON, else as text (the error's raw_response, capped).
json rawBody(const QByteArray &body)
{
    if (auto parsed = parseJson(std::string_view(body.constData(), std::size_t(body.size()))))
        return std::move(*parsed);
    constexpr qsizetype kCap = 4096;
    return QString::fromUtf8(body.left(kCap)).toStdString() +
           (body.size() > kCap ? std::string("…") : std::string());
}

/// Reads "a.b.c" in a JSON value.
json dotted(const json &value, const std::string &path)
{
    const json *at = &value;
    std::size_t start = 0;
    while (start <= path.size()) {
        const auto dot = path.find('.', start);
        const std::string key = path.substr(start, dot == std::string::npos ? dot : dot - start);
        if (!at->is_object() || !at->contains(key))
            return nullptr;
        at = &(*at)[key];
        if (dot == std::string::npos)
            break;
        start = dot + 1;
    }
    return *at;
}

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

} // namespace

AdapterClient::AdapterClient(QObject *parent)
    : QObject(parent), m_cookies(new QNetworkCookieJar(this))
{}

AdapterClient::~AdapterClient()
{
    for (auto &[raw, call] : m_calls) {
        call->canceled = true;
        if (call->reply)
            call->reply->abort();
    }
}

bool AdapterClient::needsToken(const json &properties) const
{
    const std::string method = section(properties, "authentication").value("auth_method", "");
    return method == "request_token" || method == "client_credentials";
}

void AdapterClient::call(AdapterCallSpec spec, Done done)
{
    auto c = std::make_shared<Call>();
    c->origin = spec.instance + "-" + spec.method.value("name", std::string());
    c->spec = std::move(spec);
    c->done = std::move(done);
    c->clock.start();
    m_calls[c.get()] = c;
    admit(c);
}

void AdapterClient::admit(const std::shared_ptr<Call> &c)
{
    const int limit = section(c->spec.properties, "throttle").value("concurrent_max", 0);
    int &running = m_running[c->spec.instance];
    if (limit > 0 && running >= limit) {
        m_waiting[c->spec.instance].push_back(c);
        return;
    }
    ++running;
    c->onWire = true;
    c->throttleWait = c->clock.elapsed();
    begin(c);
}

void AdapterClient::begin(const std::shared_ptr<Call> &c)
{
    if (c->canceled)
        return;
    if (needsToken(c->spec.properties)) {
        auto token = m_tokens.find(c->spec.instance);
        if (token == m_tokens.end() ||
            (token->second.expiresAt > 0 && token->second.expiresAt <= nowMs())) {
            requestToken(c);
            return;
        }
    }
    send(c);
}

namespace {

/// TLS settings of the instance on `request`; an error sentence when ssl.ca_file is unusable.
std::string configureTls(const json &properties, QNetworkRequest &request)
{
    const json &ssl = section(properties, "ssl");
    const std::string caFile = ssl.value("ca_file", std::string());
    if (caFile.empty())
        return {};
    const auto certificates = QSslCertificate::fromPath(QString::fromStdString(caFile));
    if (certificates.isEmpty())
        return "ssl.ca_file " + caFile + " holds no PEM certificate (or cannot be read)";
    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    tls.addCaCertificates(certificates);
    request.setSslConfiguration(tls);
    return {};
}

} // namespace

void AdapterClient::requestToken(const std::shared_ptr<Call> &c)
{
    const json &props = c->spec.properties;
    const json &auth = section(props, "authentication");
    const std::string path = auth.value("token_URI_path", std::string());
    const QUrl url = path.rfind("http://", 0) == 0 || path.rfind("https://", 0) == 0
                         ? QUrl(QString::fromStdString(path))
                         : instanceUrl(props, path, false);
    QNetworkRequest request(url);
    QByteArray body;
    QByteArray verb = "POST";
    if (auth.value("auth_method", std::string()) == "client_credentials") {
        QUrlQuery form;
        form.addQueryItem(QStringLiteral("grant_type"),
                          QString::fromStdString(auth.value("grant_type", std::string())));
        form.addQueryItem(QStringLiteral("client_id"),
                          QString::fromStdString(auth.value("client_id", std::string())));
        form.addQueryItem(QStringLiteral("client_secret"),
                          QString::fromStdString(auth.value("client_secret", std::string())));
        if (const std::string scope = auth.value("scope", std::string()); !scope.empty())
            form.addQueryItem(QStringLiteral("scope"), QString::fromStdString(scope));
        body = form.toString(QUrl::FullyEncoded).toUtf8();
        request.setHeader(QNetworkRequest::ContentTypeHeader,
                          QByteArrayLiteral("application/x-www-form-urlencoded"));
    } else {
        verb = QByteArray::fromStdString(auth.value("token_URI_method", std::string("POST")));
        const json credentials = {{auth.value("token_user_field", std::string("username")),
                                   auth.value("username", std::string())},
                                  {auth.value("token_password_field", std::string("password")),
                                   auth.value("password", std::string())}};
        body = QByteArray::fromStdString(credentials.dump());
        request.setHeader(QNetworkRequest::ContentTypeHeader,
                          QByteArrayLiteral("application/json"));
    }
    c->tokenRequest = true;
    transmit(c, std::move(request), verb, body);
}

void AdapterClient::send(const std::shared_ptr<Call> &c)
{
    const json &props = c->spec.properties;
    AdapterRequest built;
    if (auto problem = buildRequest(props, c->spec.method, c->spec.input, c->origin, built)) {
        complete(c, std::move(*problem));
        return;
    }
    // Stub mode (Itential packages): the answer comes from the package's mock data, unsent.
    if (isPackageMethod(c->spec.method) && props.value("stub", false)) {
        complete(c, stubAnswer(c->spec.method, c->spec.input, built, c->origin));
        return;
    }
    c->sent = built;
    QNetworkRequest request(built.url);
    for (const auto &[name, value] : built.headers)
        request.setRawHeader(name, value);
    if (!c->spec.idempotencyKey.empty())
        request.setRawHeader("Idempotency-Key", QByteArray::fromStdString(c->spec.idempotencyKey));

    const json &auth = section(props, "authentication");
    const std::string method = auth.value("auth_method", std::string("no_authentication"));
    if (method == "aws_authentication") {
        // Signed last, over the headers the request carries (the Idempotency-Key included).
        AwsCredentials credentials{auth.value("aws_access_key", std::string()),
                                   auth.value("aws_secret_key", std::string()),
                                   auth.value("aws_session_token", std::string()),
                                   props.value("region", std::string("us-east-1")),
                                   props.value("service", std::string("ec2"))};
        QList<QPair<QByteArray, QByteArray>> present;
        for (const QByteArray &name : request.rawHeaderList())
            present.append({name, request.rawHeader(name)});
        for (const auto &[name, value] : awsSignatureHeaders(credentials, built.verb, built.url,
                                                             present, built.body, awsDateNow()))
            request.setRawHeader(name, value);
    } else if (method != "no_authentication") {
        std::string token;
        std::string defaultFormat = "{token}";
        if (method == "basic user_password")
            defaultFormat = "Basic {b64}{username}:{password}{/b64}";
        else if (method == "static_token")
            token = auth.value("token", std::string());
        else if (auto t = m_tokens.find(c->spec.instance); t != m_tokens.end())
            token = t->second.value;
        if (!c->exchange)
            c->exchange = std::make_unique<CallExchange>(props);
        c->exchange->addSecret(token);
        if (method == "client_credentials")
            defaultFormat = "Bearer {token}";
        // auth_field and auth_field_format are a string each, or parallel arrays.
        const json fields = auth.value("auth_field", json("header.headers.Authorization"));
        const json formats = auth.value("auth_field_format", json(""));
        const std::size_t n = fields.is_array() ? fields.size() : 1;
        for (std::size_t i = 0; i < n; ++i) {
            const json field = fields.is_array() ? fields[i] : fields;
            const json format =
                formats.is_array() ? (i < formats.size() ? formats[i] : json("")) : formats;
            std::string f = format.is_string() ? format.get<std::string>() : std::string();
            if (f.empty())
                f = defaultFormat;
            request.setRawHeader(headerName(field.is_string() ? field.get<std::string>()
                                                              : std::string("Authorization")),
                                 formatCredential(f, token, auth.value("username", std::string()),
                                                  auth.value("password", std::string())));
        }
    }
    c->tokenRequest = false;
    if (!c->exchange)
        c->exchange = std::make_unique<CallExchange>(props);
    transmit(c, std::move(request), built.verb, built.body);
}

int AdapterClient::poolSize(const json &properties)
{
    const int limit = section(properties, "throttle").value("concurrent_max", 0);
    if (limit <= 0)
        return kDefaultManagers;
    return std::clamp((limit + kConnectionsPerManager - 1) / kConnectionsPerManager, 1,
                      kMaxManagers);
}

QNetworkAccessManager *AdapterClient::managerFor(const std::string &instance,
                                                 const json &properties)
{
    // A manager opens at most 6 connections to one host (Qt's HTTP/1.1 limit) and queues the
    // rest, so an instance that may have N calls out at once gets ceil(N / 6) managers and
    // its calls take them in turn. They share one cookie jar: a session cookie set on one
    // connection is sent on every other.
    const json &proxy = section(properties, "proxy");
    const bool proxied = proxy.value("enabled", false);
    Pool &pool = m_pools[instance + '\n' + (proxied ? proxy.dump() : std::string())];
    const int size = poolSize(properties);
    while (int(pool.managers.size()) < size) {
        auto *nam = new QNetworkAccessManager(this);
        nam->setRedirectPolicy(QNetworkRequest::NoLessSafeRedirectPolicy);
        nam->setCookieJar(m_cookies);
        m_cookies->setParent(this); // shared: setCookieJar() took it over
        if (proxied)
            nam->setProxy(
                QNetworkProxy(proxy.value("protocol", std::string("http")) == "socks5"
                                  ? QNetworkProxy::Socks5Proxy
                                  : QNetworkProxy::HttpProxy,
                              QString::fromStdString(proxy.value("host", std::string())),
                              quint16(proxy.value("port", 0)),
                              QString::fromStdString(proxy.value("username", std::string())),
                              QString::fromStdString(proxy.value("password", std::string()))));
        pool.managers.push_back(nam);
    }
    // A pool that shrank (concurrent_max lowered) keeps its managers but uses the first ones.
    return pool.managers[std::size_t(pool.next++ % size)];
}

void AdapterClient::transmit(const std::shared_ptr<Call> &c, QNetworkRequest request,
                             const QByteArray &verb, const QByteArray &body)
{
    const json &props = c->spec.properties;
    const json &req = section(props, "request");
    if (const std::string problem = configureTls(props, request); !problem.empty()) {
        complete(c, AdapterOutcome::failure("AD.501", c->origin, problem,
                                            "Fix ssl.ca_file in the instance's properties"));
        return;
    }
    // A package method's Accept follows its response datatype (and may be signed already).
    if (!request.hasRawHeader("Accept"))
        request.setRawHeader("Accept", "application/json");
    const int redirects = req.value("number_redirects", 0);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                         redirects > 0 ? QNetworkRequest::NoLessSafeRedirectPolicy
                                       : QNetworkRequest::ManualRedirectPolicy);
    request.setMaximumRedirectsAllowed(redirects);
    request.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);

    // The method's request is recorded as it goes out, with every header (not the token's).
    if (!c->tokenRequest && c->exchange)
        c->exchange->sent(request, verb, body);
    ++c->attempts;
    c->buffer.clear();
    c->tooLarge = c->timedOut = false;
    QNetworkReply *reply =
        managerFor(c->spec.instance, props)->sendCustomRequest(request, verb, body);
    c->reply = reply;
    const qint64 limit = req.value("response_limit", qint64(10 * 1024 * 1024));
    // Qt's own buffer stays small: the answer is read as it arrives and counted here.
    reply->setReadBufferSize(64 * 1024);
    std::weak_ptr<Call> weak = c;
    auto overLimit = [reply, weak, limit] {
        auto call = weak.lock();
        if (!call || call->tooLarge)
            return;
        call->tooLarge = true;
        reply->abort();
        Q_UNUSED(limit);
    };
    connect(reply, &QNetworkReply::metaDataChanged, this, [reply, limit, overLimit] {
        const QVariant length = reply->header(QNetworkRequest::ContentLengthHeader);
        if (length.isValid() && length.toLongLong() > limit)
            overLimit();
    });
    connect(reply, &QNetworkReply::readyRead, this, [reply, weak, limit, overLimit] {
        auto call = weak.lock();
        if (!call || call->tooLarge)
            return;
        call->buffer += reply->readAll();
        if (call->buffer.size() > limit)
            overLimit();
    });
    connect(reply, &QNetworkReply::redirected, this, [weak](const QUrl &) {
        if (auto call = weak.lock())
            ++call->redirects;
    });
    if (section(props, "ssl").value("accept_invalid_cert", false))
        connect(reply, &QNetworkReply::sslErrors, reply,
                [reply](const QList<QSslError> &) { reply->ignoreSslErrors(); });
    auto *timer = new QTimer(reply);
    timer->setSingleShot(true);
    connect(timer, &QTimer::timeout, this, [reply, weak] {
        auto call = weak.lock();
        if (!call)
            return;
        call->timedOut = true;
        ++call->timeouts;
        reply->abort();
    });
    timer->start(c->attemptTimeout());
    connect(reply, &QNetworkReply::finished, this, [this, reply, weak] {
        reply->deleteLater();
        auto call = weak.lock();
        if (!call || call->canceled || call->reply != reply)
            return;
        if (!call->tooLarge)
            call->buffer += reply->readAll();
        call->reply = nullptr;
        if (!call->tokenRequest && call->exchange) {
            const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
            std::string error;
            if (call->tooLarge)
                error = "the answer passed request.response_limit";
            else if (call->timedOut)
                error = "no answer within request.attempt_timeout";
            else if (status == 0)
                error = reply->errorString().toStdString();
            call->exchange->answered(reply, call->buffer, error);
        }
        if (call->tokenRequest)
            tokenAnswered(call, reply);
        else
            finishAttempt(call, reply);
    });
}

std::optional<AdapterOutcome> AdapterClient::transportFailure(const std::shared_ptr<Call> &c,
                                                              QNetworkReply *reply, bool &retryable)
{
    const json &req = section(c->spec.properties, "request");
    retryable = false;
    if (c->tooLarge)
        return AdapterOutcome::failure(
            "AD.502", c->origin,
            "The answer is larger than " + std::to_string(req.value("response_limit", 0)) +
                " bytes (request.response_limit); it was refused",
            "Ask for less (a filter or a page), or raise request.response_limit",
            "Response Too Large");
    if (c->timedOut) {
        retryable = true;
        return AdapterOutcome::failure(
            "AD.504", c->origin,
            "No answer within " + std::to_string(c->attemptTimeout()) +
                (c->sent.attemptTimeoutMs > 0 ? " ms (the action's timeout)"
                                              : " ms (request.attempt_timeout)"),
            "Check that the system is up, or raise request.attempt_timeout", "Request Timeout");
    }
    const auto error = reply->error();
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (error == QNetworkReply::TooManyRedirectsError ||
        error == QNetworkReply::InsecureRedirectError)
        return AdapterOutcome::failure(
            "AD.503", c->origin,
            "Redirected more than " + std::to_string(req.value("number_redirects", 0)) +
                " times (request.number_redirects), or to a less safe address: " +
                reply->errorString().toStdString(),
            "Check the instance's host and base_path, or raise request.number_redirects",
            "Too Many Redirects");
    if (error == QNetworkReply::SslHandshakeFailedError)
        return AdapterOutcome::failure(
            "AD.501", c->origin, "TLS failed: " + reply->errorString().toStdString(),
            "Give the system's CA in ssl.ca_file, or set ssl.accept_invalid_cert for a "
            "self-signed test system",
            "TLS Failure");
    if (status == 0) {
        retryable = error != QNetworkReply::OperationCanceledError;
        return AdapterOutcome::failure(
            "AD.501", c->origin,
            "Could not reach " + reply->url().toString(QUrl::RemoveQuery).toStdString() + ": " +
                reply->errorString().toStdString(),
            "Check the instance's host, port and protocol, and that the system is up",
            "Connection Failure");
    }
    return std::nullopt;
}

bool AdapterClient::endedByTransport(const std::shared_ptr<Call> &c, QNetworkReply *reply)
{
    bool retryable = false;
    auto failure = transportFailure(c, reply, retryable);
    if (!failure)
        return false;
    if (retryable)
        retryOrFail(c, std::move(*failure));
    else
        complete(c, std::move(*failure));
    return true;
}

void AdapterClient::tokenAnswered(const std::shared_ptr<Call> &c, QNetworkReply *reply)
{
    if (endedByTransport(c, reply))
        return;
    const json &auth = section(c->spec.properties, "authentication");
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const bool oauth = auth.value("auth_method", std::string()) == "client_credentials";
    const std::string where = reply->url().toString(QUrl::RemoveQuery).toStdString();
    if (status < 200 || status >= 300) {
        complete(c, AdapterOutcome::failure(
                        "AD.506", c->origin,
                        "The token request to " + where + " was refused with status " +
                            std::to_string(status),
                        oauth ? "Check client_id, client_secret and token_URI_path"
                              : "Check the username, password and token_URI_path",
                        status, json{{"status", status}, {"response", rawBody(c->buffer)}}));
        return;
    }
    const auto answer =
        parseJson(std::string_view(c->buffer.constData(), std::size_t(c->buffer.size())));
    const std::string field = oauth ? std::string("access_token")
                                    : auth.value("token_result_field", std::string("token"));
    const json token = answer ? dotted(*answer, field) : json();
    if (!token.is_string() || token.get_ref<const std::string &>().empty()) {
        complete(c, AdapterOutcome::failure(
                        "AD.506", c->origin,
                        "The token answer from " + where + " has no \"" + field + "\"",
                        "Set authentication.token_result_field to where the answer carries "
                        "the token",
                        status));
        return;
    }
    Token t{token.get<std::string>(), 0};
    const qint64 timeout = auth.value("token_timeout", qint64(0));
    if (timeout > 0)
        t.expiresAt = nowMs() + timeout;
    else if (oauth && answer->contains("expires_in") && (*answer)["expires_in"].is_number())
        // A little early, so that a token is never sent in its last moments.
        t.expiresAt =
            nowMs() + std::max<qint64>(1000, (*answer)["expires_in"].get<qint64>() * 1000 - 5000);
    m_tokens[c->spec.instance] = std::move(t);
    --c->attempts; // the token request is not an attempt of the call itself
    send(c);
}

void AdapterClient::finishAttempt(const std::shared_ptr<Call> &c, QNetworkReply *reply)
{
    if (endedByTransport(c, reply))
        return;
    const json &props = c->spec.properties;
    const json &auth = section(props, "authentication");
    const json &req = section(props, "request");
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const json headers = headersOf(reply);
    const json raw = {{"status", status}, {"headers", headers}, {"response", rawBody(c->buffer)}};

    if (needsToken(props) && status == auth.value("invalid_token_error", 401) && !c->reloggedIn) {
        // The token expired or was revoked: one new login, then the call once more.
        c->reloggedIn = true;
        m_tokens.erase(c->spec.instance);
        --c->attempts;
        requestToken(c);
        return;
    }
    const json retryCodes = req.value("limit_retry_error", json(0));
    const bool retryStatus =
        retryCodes.is_array()
            ? std::find(retryCodes.begin(), retryCodes.end(), json(status)) != retryCodes.end()
            : retryCodes.is_number_integer() && retryCodes.get<int>() == status;
    if (retryStatus) {
        retryOrFail(
            c, AdapterOutcome::failure(
                   "AD.500", c->origin, "Error " + std::to_string(status) + " received on request",
                   "The system asked to come back later (request.limit_retry_error)", status, raw));
        return;
    }
    if (status >= 300 && status < 400) {
        complete(c, AdapterOutcome::failure(
                        "AD.503", c->origin,
                        "Redirected (" + std::to_string(status) + ") to " +
                            headers.value("location", std::string("an unnamed address")) +
                            ", and request.number_redirects is " +
                            std::to_string(req.value("number_redirects", 0)),
                        "Fix the instance's host or base_path, or allow redirects in "
                        "request.number_redirects",
                        status, raw));
        return;
    }
    if (status >= 400) {
        const bool auth401 = status == 401 || status == 403;
        complete(c, AdapterOutcome::failure(
                        "AD.500", c->origin,
                        "Error " + std::to_string(status) + " received on request" +
                            (auth401 ? std::string(": the system refused the credentials")
                                     : std::string()),
                        auth401 ? "Check the authentication properties of the instance"
                                : "Verify the request's inputs against the system's API",
                        status, raw));
        return;
    }
    json callMetrics = {{"code", status},
                        {"retries", c->attempts - 1},
                        {"timeouts", c->timeouts},
                        {"redirects", c->redirects},
                        {"throttle_wait_time", c->throttleWait},
                        {"capabilityTime", c->clock.elapsed()}};
    if (isPackageMethod(c->spec.method)) {
        complete(c, packageAnswer(c->spec.method, c->spec.input, c->sent, status, headers,
                                  c->buffer, std::move(callMetrics), c->origin));
        return;
    }
    // 2xx: the parsed body; an empty one is "success", as Itential's adapters answer.
    json response;
    if (c->buffer.trimmed().isEmpty()) {
        response = "success";
    } else {
        auto parsed =
            parseJson(std::string_view(c->buffer.constData(), std::size_t(c->buffer.size())));
        if (parsed) {
            response = std::move(*parsed);
        } else {
            const std::string type = headers.value("content-type", std::string());
            const json schema = c->spec.method.value("outputSchema", json::object());
            if (type.rfind("text/", 0) == 0 || schema.value("type", json()) == "string") {
                response = QString::fromUtf8(c->buffer).toStdString();
            } else {
                complete(c, AdapterOutcome::failure(
                                "AD.505", c->origin,
                                "The answer (status " + std::to_string(status) + ", " +
                                    (type.empty() ? std::string("no content type") : type) +
                                    ") is not JSON",
                                "Check that the method's path reaches the system's API, not a "
                                "web page",
                                status, raw));
                return;
            }
        }
    }
    complete(c, AdapterOutcome::success(std::move(response), headers, std::move(callMetrics)));
}

void AdapterClient::retryOrFail(const std::shared_ptr<Call> &c, AdapterOutcome failure)
{
    const json &req = section(c->spec.properties, "request");
    const int retries = req.value("number_retries", 3);
    if (c->attempts > retries) {
        if (c->attempts > 1)
            failure.body["IAPerror"]["displayString"] =
                failure.message() + " (" + std::to_string(c->attempts) + " attempts)";
        complete(c, std::move(failure));
        return;
    }
    // Exponential backoff with jitter: base·2^(n-1), scaled by a random factor in [0.5, 1.5),
    // so that many calls failing together do not come back together.
    const double base = req.value("retry_backoff", 1000);
    const double factor = 0.5 + QRandomGenerator::global()->generateDouble();
    const double delay = std::min(60000.0, base * std::pow(2.0, c->attempts - 1) * factor);
    std::weak_ptr<Call> weak = c;
    QTimer::singleShot(int(delay), this, [this, weak] {
        if (auto call = weak.lock(); call && !call->canceled)
            begin(call);
    });
}

void AdapterClient::complete(const std::shared_ptr<Call> &c, AdapterOutcome outcome)
{
    auto keep = c; // the map holds the last owner
    m_calls.erase(c.get());
    if (c->onWire) {
        c->onWire = false;
        int &running = m_running[c->spec.instance];
        --running;
        auto &queue = m_waiting[c->spec.instance];
        if (!queue.empty()) {
            auto next = queue.front();
            queue.pop_front();
            admit(next);
        }
    }
    if (c->exchange)
        outcome.call = c->exchange->record();
    if (!c->canceled && c->done)
        c->done(std::move(outcome));
}

void AdapterClient::cancel(const std::string &tag)
{
    if (tag.empty())
        return;
    for (auto &[raw, call] : m_calls) {
        if (call->spec.tag != tag)
            continue;
        auto c = call;
        c->canceled = true;
        auto &queue = m_waiting[c->spec.instance];
        queue.erase(std::remove(queue.begin(), queue.end(), c), queue.end());
        if (c->reply)
            c->reply->abort();
        complete(c, AdapterOutcome::failure("AD.900", c->origin, "canceled", ""));
        return;
    }
}

void AdapterClient::forgetTokens(const std::string &instance)
{
    m_tokens.erase(instance);
}

} // namespace flowdeck::adapters
