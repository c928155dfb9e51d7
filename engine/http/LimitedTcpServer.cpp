// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/http/LimitedTcpServer.h"

#include "engine/http/HttpBridge.h"
#include "engine/http/RequestScanner.h"

#include <QPointer>
#include <QSslSocket>
#include <QTimer>

#include <sys/socket.h>

namespace flowdeck::http {

namespace {
/// How long a refused connection's remaining upload is read and dropped before closing.
constexpr int kLingerMs = 2000;
} // namespace

/// Lives as a child of its socket, so it goes when the socket goes, however that happens:
/// QHttpServer deletes sockets on disconnect, and QWebSocketServer takes over upgraded ones
/// after cutting every connection to their signals. Its destructor returns the connection to
/// the counts.
class ConnectionGuard : public QObject
{
public:
    ConnectionGuard(LimitedTcpServer *server, QTcpSocket *socket, QString address)
        : QObject(socket), m_server(server), m_socket(socket), m_address(std::move(address)),
          m_scanner(server->limits().maxBodyBytes, server->limits().maxHeaderBytes)
    {
        m_idle.setSingleShot(true);
        m_idle.setInterval(server->limits().idleTimeoutMs);
        connect(&m_idle, &QTimer::timeout, this, [this] {
            if (m_server)
                Q_EMIT m_server->limitApplied(QStringLiteral("idle"));
            // A client that stopped reading would keep a graceful close waiting forever.
            if (m_socket->bytesToWrite() > 0)
                m_socket->abort();
            else
                m_socket->disconnectFromHost();
        });
        // Connected before QHttpServer connects its own reader, so every byte is scanned
        // before it is parsed and buffered.
        connect(socket, &QIODevice::readyRead, this, [this] { onReadyRead(); });
        connect(socket, &QIODevice::bytesWritten, this, [this] { m_idle.start(); });
        m_idle.start();
    }

    ~ConnectionGuard() override
    {
        if (m_server)
            m_server->released(m_address);
    }

private:
    void onReadyRead()
    {
        m_idle.start();
        const qint64 available = m_socket->isOpen() ? m_socket->bytesAvailable() : 0;
        if (available <= 0)
            return;
        // QHttpServer reads inside a transaction, so what is available now is exactly what
        // arrived since it last read.
        const QByteArray fresh = m_socket->peek(available);
        const auto verdict = m_scanner.feed(fresh.constData(), fresh.size());
        switch (verdict) {
        case RequestScanner::Verdict::Continue:
            if (m_scanner.takeContinue())
                m_socket->write("HTTP/1.1 100 Continue\r\n\r\n");
            return;
        case RequestScanner::Verdict::Upgrade:
            // A WebSocket is quiet between events by design; it is no longer ours to time.
            m_idle.stop();
            disconnect(m_socket, nullptr, this, nullptr);
            return;
        case RequestScanner::Verdict::BodyTooLarge:
            refuseHere(413, "payload_too_large",
                       "the request body is larger than the limit of " +
                           std::to_string(m_server ? m_server->limits().maxBodyBytes : 0) +
                           " bytes");
            return;
        case RequestScanner::Verdict::HeadersTooLarge:
            refuseHere(431, "headers_too_large", "the request headers are too large");
            return;
        case RequestScanner::Verdict::Malformed:
            refuseHere(400, "bad_request",
                       "the request framing is malformed (Content-Length or chunk size)");
            return;
        }
    }

    void refuseHere(int status, const std::string &error, const std::string &message)
    {
        m_idle.stop();
        if (m_server)
            Q_EMIT m_server->limitApplied(QString::fromStdString(error));
        // Nobody else may read this request: QHttpServer's reader is cut off before it runs
        // in this same emission.
        disconnect(m_socket, &QIODevice::readyRead, nullptr, nullptr);
        LimitedTcpServer::refuse(m_socket, status, error, message);
    }

    QPointer<LimitedTcpServer> m_server;
    QTcpSocket *m_socket;
    QString m_address;
    RequestScanner m_scanner;
    QTimer m_idle;
};

LimitedTcpServer::LimitedTcpServer(RequestLimits limits, QObject *parent)
    : QTcpServer(parent), m_limits(limits)
{}

void LimitedTcpServer::refuse(QTcpSocket *socket, int status, const std::string &error,
                              const std::string &message)
{
    socket->write(serialize(errorAnswer(status, error, message), true));
    connect(socket, &QIODevice::readyRead, socket,
            [socket] { socket->skip(socket->bytesAvailable()); });
    connect(socket, &QAbstractSocket::disconnected, socket, &QObject::deleteLater);
    auto *linger = new QTimer(socket);
    linger->setSingleShot(true);
    connect(linger, &QTimer::timeout, socket, [socket] { socket->abort(); });
    linger->start(kLingerMs);
    const bool plain = qobject_cast<QSslSocket *>(socket) == nullptr;
    auto shutWrite = [socket, plain] {
        if (socket->bytesToWrite() > 0)
            return;
        if (plain)
            ::shutdown(int(socket->socketDescriptor()), SHUT_WR);
        else
            socket->disconnectFromHost();
    };
    connect(socket, &QIODevice::bytesWritten, socket, shutWrite);
    socket->flush();
    shutWrite();
}

void LimitedTcpServer::incomingConnection(qintptr handle)
{
    QTcpSocket *socket = nullptr;
    QSslSocket *ssl = nullptr;
    if (m_tls) {
        ssl = new QSslSocket(this);
        socket = ssl;
    } else {
        socket = new QTcpSocket(this);
    }
    if (!socket->setSocketDescriptor(handle)) {
        delete socket;
        return;
    }
    const QString address = socket->peerAddress().toString();
    if (m_total >= m_limits.maxConnections ||
        m_perAddress.value(address) >= m_limits.maxConnectionsPerAddress) {
        Q_EMIT limitApplied(QStringLiteral("connections"));
        if (ssl) {
            // No TLS session yet: nothing can be said that the client could read.
            socket->abort();
            socket->deleteLater();
            return;
        }
        refuse(socket, 503, "too_many_connections",
               m_total >= m_limits.maxConnections
                   ? "the server has too many open connections; try again later"
                   : "too many open connections from your address; close some first");
        return;
    }
    ++m_total;
    ++m_perAddress[address];
    new ConnectionGuard(this, socket, address);
    connect(socket, &QAbstractSocket::disconnected, socket, &QObject::deleteLater);
    if (ssl) {
        ssl->setSslConfiguration(*m_tls);
        // QHttpServer sees the connection only once it is encrypted.
        connect(ssl, &QSslSocket::encrypted, this, [this, ssl] { addPendingConnection(ssl); });
        connect(ssl, &QSslSocket::sslErrors, ssl, [ssl] { ssl->abort(); });
        ssl->startServerEncryption();
    } else {
        addPendingConnection(socket);
    }
}

void LimitedTcpServer::released(const QString &address)
{
    --m_total;
    if (auto it = m_perAddress.find(address); it != m_perAddress.end() && --it.value() <= 0)
        m_perAddress.erase(it);
}

} // namespace flowdeck::http
