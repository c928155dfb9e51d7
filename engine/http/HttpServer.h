// SPDX-License-Identifier: GPL-3.0-or-later
// The REST API over HTTP: QHttpServer's request parsing on Flowdeck's own listening socket
// (LimitedTcpServer: body, idle and connection limits; TLS), every request authenticated and
// dispatched through the same EngineApi the window uses, every answer JSON — including 404,
// 405 and the refusals of the limits. Also serves GET /openapi.json and the /events/stream
// WebSocket (GET /events is an engine/api route). Lives on the engine's thread: requests run
// there, one at a time — except the password checks of sign-ins, which run on workers
// (SignInVerifier) while the requests that carry them wait, in order, per connection.
#pragma once

#include "engine/api/EngineApi.h"
#include "engine/http/Authenticator.h"
#include "engine/http/EventStream.h"
#include "engine/http/RequestLimits.h"
#include "engine/http/SignInVerifier.h"

#include <QAbstractHttpServer>
#include <QHostAddress>

#include <QHash>
#include <QPointer>

#include <deque>
#include <memory>
#include <vector>

namespace flowdeck::http {

class LimitedTcpServer;

class HttpServer : public QAbstractHttpServer
{
    Q_OBJECT
public:
    explicit HttpServer(api::EngineApi &api, RequestLimits limits = {}, QObject *parent = nullptr);
    ~HttpServer() override;

    /// Serve TLS from PEM files. Invalid naming the file that cannot be read or parsed.
    /// Call before start().
    Result<void> useTls(const QString &certificatePath, const QString &keyPath);

    /// Starts listening; port 0 picks a free one. Returns the port, or Unavailable with the
    /// reason (address in use, permission).
    Result<quint16> start(const QHostAddress &address, quint16 port);
    /// Stops accepting connections; those open finish what they are doing.
    void stopListening();

    bool isTls() const;
    int openConnections() const;
    EventStream &events() { return *m_events; }
    SignInVerifier &signIns() { return *m_verifier; }
    LimitedTcpServer &tcpServer() { return *m_tcp; }

    /// "ADDR:PORT" → address and port, for --listen. Invalid naming what is wrong.
    static Result<std::pair<QHostAddress, quint16>> parseListen(const QString &text);

protected:
    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *socket) override;
    void missingHandler(const QHttpServerRequest &request, QTcpSocket *socket) override;

private:
    /// A request read and converted, waiting for its answer.
    struct Pending
    {
        std::optional<api::ApiRequest> request; ///< unset when `refusal` is the answer
        api::ApiResponse refusal;
        Credentials credentials;
        bool close = false;
        bool checked = false;    ///< its passwords were sent to be checked (or needed none)
        std::string ifNoneMatch; ///< a GET's If-None-Match, for makeConditional
    };
    Pending prepare(const QHttpServerRequest &request);
    api::ApiResponse answer(Pending &pending);
    /// Answers the connection's waiting requests in order, stopping at one whose passwords
    /// are being checked; called again when they are.
    void drain(QTcpSocket *socket);
    void write(QTcpSocket *socket, const api::ApiResponse &response, bool close);
    api::EngineApi &m_api;
    Authenticator m_authenticator;
    LimitedTcpServer *m_tcp; ///< owned by QObject parenthood
    SignInVerifier *m_verifier;
    EventStream *m_events;
    QHash<QTcpSocket *, std::deque<Pending>> m_waiting;
};

} // namespace flowdeck::http
