// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/http/HttpServer.h"

#include "engine/http/HttpBridge.h"
#include "engine/http/LimitedTcpServer.h"
#include "engine/http/OpenFileLimit.h"

#include <QFile>
#include <QHttpServerRequest>
#include <QSslCertificate>
#include <QSslKey>
#include <QTcpSocket>
#include <QWebSocket>

#include <cstdio>

namespace flowdeck::http {
namespace {

using nlohmann::json;

bool wantsClose(const QHttpServerRequest &request)
{
    // QHttpServer 6.4 ignores "Connection: close"; honouring it lets simple clients read to
    // the end of the stream.
    return request.value("connection").trimmed().toLower() == "close";
}

} // namespace

HttpServer::HttpServer(api::EngineApi &api, RequestLimits limits, QObject *parent)
    : QAbstractHttpServer(parent), m_api(api), m_authenticator(api.context().accounts),
      m_tcp(new LimitedTcpServer(limits, openFileLimit(), this)),
      m_verifier(new SignInVerifier(api.context().accounts, this)),
      m_events(new EventStream(api.context().store, m_authenticator, m_verifier, this))
{
    m_events->attach(api.context().engine);
    // Connected before any socket can upgrade: QHttpServer hands upgrades to its WebSocket
    // server only when someone listens.
    connect(this, &QAbstractHttpServer::newWebSocketConnection, this, [this] {
        while (hasPendingWebSocketConnections())
            m_events->accept(nextPendingWebSocketConnection());
    });
}

HttpServer::~HttpServer() = default;

Result<void> HttpServer::useTls(const QString &certificatePath, const QString &keyPath)
{
    QFile certFile(certificatePath);
    if (!certFile.open(QIODevice::ReadOnly))
        return Error::invalid("cannot read the TLS certificate " + certificatePath.toStdString() +
                              ": " + certFile.errorString().toStdString());
    const auto chain = QSslCertificate::fromDevice(&certFile, QSsl::Pem);
    if (chain.isEmpty())
        return Error::invalid("no PEM certificate in " + certificatePath.toStdString());
    QFile keyFile(keyPath);
    if (!keyFile.open(QIODevice::ReadOnly))
        return Error::invalid("cannot read the TLS key " + keyPath.toStdString() + ": " +
                              keyFile.errorString().toStdString());
    const QByteArray keyPem = keyFile.readAll();
    QSslKey key(keyPem, QSsl::Rsa, QSsl::Pem);
    if (key.isNull())
        key = QSslKey(keyPem, QSsl::Ec, QSsl::Pem);
    if (key.isNull())
        return Error::invalid("no unencrypted RSA or EC PEM private key in " +
                              keyPath.toStdString());
    QSslConfiguration config = QSslConfiguration::defaultConfiguration();
    config.setLocalCertificateChain(chain);
    config.setPrivateKey(key);
    config.setPeerVerifyMode(QSslSocket::VerifyNone);
    m_tcp->setTls(config);
    return {};
}

Result<quint16> HttpServer::start(const QHostAddress &address, quint16 port)
{
    if (!m_tcp->listen(address, port))
        return Error::unavailable("cannot listen on " + address.toString().toStdString() + ":" +
                                  std::to_string(port) + ": " + m_tcp->errorString().toStdString());
    bind(m_tcp);
    return m_tcp->serverPort();
}

void HttpServer::stopListening()
{
    m_tcp->close();
}

bool HttpServer::isTls() const
{
    return m_tcp->tls();
}

int HttpServer::openConnections() const
{
    return m_tcp->openConnections();
}

Result<std::pair<QHostAddress, quint16>> HttpServer::parseListen(const QString &text)
{
    const qsizetype colon = text.lastIndexOf(u':');
    if (colon <= 0)
        return Error::invalid("--listen takes ADDRESS:PORT (e.g. 127.0.0.1:3000), not \"" +
                              text.toStdString() + "\"");
    QString host = text.left(colon);
    if (host.startsWith(u'[') && host.endsWith(u']'))
        host = host.mid(1, host.size() - 2);
    bool ok = false;
    const uint port = text.mid(colon + 1).toUInt(&ok);
    if (!ok || port > 65535)
        return Error::invalid("the port in --listen must be 0–65535, not \"" +
                              text.mid(colon + 1).toStdString() + "\"");
    QHostAddress address;
    if (host == QLatin1String("localhost"))
        address = QHostAddress(QHostAddress::LocalHost);
    else if (!address.setAddress(host))
        return Error::invalid("the address in --listen must be an IP address, not \"" +
                              host.toStdString() + "\"");
    return std::pair{address, quint16(port)};
}

HttpServer::Pending HttpServer::prepare(const QHttpServerRequest &request)
{
    Pending pending;
    pending.close = wantsClose(request);
    Converted converted = toApiRequest(request);
    if (!converted.request) {
        pending.refusal = std::move(converted.refusal);
        pending.checked = true;
        return pending;
    }
    pending.request = std::move(converted.request);
    api::ApiRequest &req = *pending.request;
    Credentials &credentials = pending.credentials;
    credentials.authorization = request.value("authorization").toStdString();
    credentials.cookies = request.value("cookie").toStdString();
    if (auto it = req.query.find("token"); it != req.query.end()) {
        credentials.token = it->second;
        // A credential, not a filter: the routes never see it.
        req.query.erase("token");
    }
    credentials.address = req.remoteAddress;
    if (req.method == api::Method::Get)
        pending.ifNoneMatch = request.value("if-none-match").toStdString();
    return pending;
}

api::ApiResponse HttpServer::answer(Pending &pending)
{
    if (!pending.request)
        return std::move(pending.refusal);
    api::ApiRequest &req = *pending.request;
    Authentication auth = m_authenticator.authenticate(pending.credentials);
    req.principal = std::move(auth.principal);
    req.token = std::move(auth.token);

    api::ApiResponse response = m_api.dispatch(req);
    // Credentials were given but did not work: say why instead of "sign in first".
    if (response.status == 401 && auth.failure)
        response = api::errorResponse(*auth.failure);
    if (response.status == 401)
        response.headers["WWW-Authenticate"] = "Basic realm=\"flowdeck\", Bearer";
    if (req.method == api::Method::Get)
        makeConditional(response, pending.ifNoneMatch);
    return response;
}

bool HttpServer::handleRequest(const QHttpServerRequest &request, QTcpSocket *socket)
{
    // QHttpServer 6.4 asks before upgrading a connection to a WebSocket: true lets it hand
    // the socket to its QWebSocketServer (EventStream authenticates it there); false makes
    // it answer through missingHandler.
    if (request.value("upgrade").toLower() == "websocket")
        return request.url().path() == QLatin1String("/events/stream");
    auto found = m_waiting.find(socket);
    if (found == m_waiting.end()) {
        found = m_waiting.insert(socket, {});
        connect(socket, &QObject::destroyed, this, [this, socket] { m_waiting.remove(socket); });
    }
    found->push_back(prepare(request));
    // A pipelined request behind one whose password is being checked waits its turn.
    if (found->size() == 1)
        drain(socket);
    return true;
}

void HttpServer::drain(QTcpSocket *socket)
{
    for (;;) {
        auto it = m_waiting.find(socket);
        if (it == m_waiting.end() || it->empty())
            return;
        Pending &head = it->front();
        if (!head.checked) {
            head.checked = true;
            std::vector<api::auth::PasswordClaim> claims;
            if (auto basic = m_authenticator.passwordClaim(head.credentials))
                claims.push_back(std::move(*basic));
            if (auto posted = api::auth::passwordClaim(m_api.context(), *head.request))
                claims.push_back(std::move(*posted));
            QPointer<QTcpSocket> alive(socket);
            const auto outcome =
                m_verifier->verify(claims, head.request->remoteAddress, [this, alive] {
                    if (alive)
                        drain(alive.data());
                });
            switch (outcome) {
            case SignInVerifier::Outcome::Started:
                return;
            case SignInVerifier::Outcome::NotNeeded:
                break;
            case SignInVerifier::Outcome::Busy:
            case SignInVerifier::Outcome::BusyHere: {
                // Too many from this address is the client's doing (429); too many in all is
                // the server's (503).
                const bool here = outcome == SignInVerifier::Outcome::BusyHere;
                head.request.reset();
                head.refusal = errorAnswer(
                    here ? 429 : 503, here ? "too_many_requests" : "unavailable",
                    std::string("too many sign-ins ") + (here ? "from your address " : "") +
                        "are being checked; try again in a second");
                head.refusal.headers["Retry-After"] = "1";
                break;
            }
            }
        }
        Pending pending = std::move(head);
        it->pop_front();
        api::ApiResponse response;
        try {
            response = answer(pending);
        } catch (const std::exception &e) {
            // dispatch() catches the handlers' exceptions; this is for the transport's own.
            std::fprintf(stderr, "flowdeck: http: %s\n", e.what());
            response = errorAnswer(500, "internal", "internal error");
        }
        write(socket, response, pending.close);
    }
}

void HttpServer::write(QTcpSocket *socket, const api::ApiResponse &response, bool close)
{
    // The socket may have gone while the request ran (a client that hung up): QHttpServer
    // hands us the socket of a parsed request, and writing to a closed one only fails.
    if (socket->state() != QAbstractSocket::ConnectedState)
        return;
    socket->write(serialize(response, close, isTls()));
    if (close)
        socket->disconnectFromHost();
}

void HttpServer::missingHandler(const QHttpServerRequest &request, QTcpSocket *socket)
{
    // Only WebSocket upgrades of another path come here: every other request is answered
    // by handleRequest.
    socket->write(serialize(errorAnswer(404, "not_found",
                                        "no WebSocket at " + request.url().path().toStdString() +
                                            "; the event stream is at /events/stream"),
                            true, isTls()));
}

} // namespace flowdeck::http
