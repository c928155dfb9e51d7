// SPDX-License-Identifier: GPL-3.0-or-later
// The listening socket QHttpServer is bound to. Each accepted connection is watched before
// QHttpServer reads from it: bodies over the limit are refused from their Content-Length (or
// as chunks arrive) without being buffered, idle connections are closed, connections are
// capped per address and in all, and TLS is negotiated here when configured.
#pragma once

#include "engine/http/RequestLimits.h"

#include <QHash>
#include <QSslConfiguration>
#include <QTcpServer>

#include <optional>
#include <string>

namespace flowdeck::http {

class LimitedTcpServer : public QTcpServer
{
    Q_OBJECT
public:
    explicit LimitedTcpServer(RequestLimits limits, QObject *parent = nullptr);

    /// Serve TLS with this configuration (certificate and key set) on every new connection.
    void setTls(const QSslConfiguration &configuration) { m_tls = configuration; }
    bool tls() const { return m_tls.has_value(); }

    const RequestLimits &limits() const { return m_limits; }
    /// Connections open now (HTTP and WebSocket).
    int openConnections() const { return m_total; }

    /// Writes a JSON error answer and closes the connection gracefully: the write side is shut
    /// first and what the client still sends is read and dropped for a moment, so it sees the
    /// answer instead of a reset.
    static void refuse(QTcpSocket *socket, int status, const std::string &error,
                       const std::string &message);

Q_SIGNALS:
    /// A connection was refused or closed by a limit; for logs and tests.
    void limitApplied(const QString &what);

protected:
    void incomingConnection(qintptr handle) override;

private:
    friend class ConnectionGuard;
    void watch(QTcpSocket *socket);
    void released(const QString &address);

    RequestLimits m_limits;
    std::optional<QSslConfiguration> m_tls;
    QHash<QString, int> m_perAddress;
    int m_total = 0;
};

} // namespace flowdeck::http
