// SPDX-License-Identifier: GPL-3.0-or-later
// The listening socket QHttpServer is bound to. Each accepted connection is watched before
// QHttpServer reads from it: malformed requests and bodies over the limit are refused with a
// JSON answer before anyone buffers them, headers must arrive by a deadline and bodies at a
// minimum rate, idle connections are closed, connections are capped per address and in all
// (a new one replaces the one waiting longest on its client rather than being refused), the
// open-file limit is never run into, and TLS is negotiated here when configured.
#pragma once

#include "engine/http/RequestLimits.h"

#include <QHash>
#include <QSslConfiguration>
#include <QTcpServer>

#include <optional>
#include <string>
#include <vector>

namespace flowdeck::http {

class ConnectionGuard;

class LimitedTcpServer : public QTcpServer
{
    Q_OBJECT
public:
    /// Refused connections that may stay open at once while their answer drains (fewer when
    /// the open-file limit is low); beyond this, new refusals are cut at once so refusing can
    /// never use up the descriptors.
    static constexpr int kMaxLingering = 64;
    /// File descriptors kept back from connections for the store, logs and Qt's own.
    static constexpr int kReservedFds = 64;

    /// `openFiles` is the process's open-file limit (openFileLimit()); the cap on connections
    /// in all is lowered so that connections, lingering refusals and the reserve fit in it.
    explicit LimitedTcpServer(RequestLimits limits, long openFiles, QObject *parent = nullptr);
    ~LimitedTcpServer() override;

    /// Serve TLS with this configuration (certificate and key set) on every new connection.
    void setTls(const QSslConfiguration &configuration) { m_tls = configuration; }
    bool tls() const { return m_tls.has_value(); }

    const RequestLimits &limits() const { return m_limits; }
    /// The cap on connections in all actually applied (see the constructor).
    int maxConnections() const { return m_maxConnections; }
    /// Connections open now (HTTP and WebSocket).
    int openConnections() const { return m_total; }

    /// Writes a JSON error answer and closes the connection gracefully: the write side is shut
    /// first and what the client still sends is read and dropped for a moment, so it sees the
    /// answer instead of a reset.
    void refuse(QTcpSocket *socket, int status, const std::string &error,
                const std::string &message);

Q_SIGNALS:
    /// A connection was refused or closed by a limit; for logs and tests.
    void limitApplied(const QString &what);

protected:
    void incomingConnection(qintptr handle) override;

private:
    friend class ConnectionGuard;
    void released(ConnectionGuard *guard);
    /// Closes the connection that has waited longest on its client, among those of `address`
    /// or, when empty, those of the address holding the most. False when none waits.
    bool evictFor(const QString &address);
    void onAcceptError();

    RequestLimits m_limits;
    int m_maxConnections = 1;
    int m_maxLingering = 1;
    std::optional<QSslConfiguration> m_tls;
    QHash<QString, std::vector<ConnectionGuard *>> m_byAddress;
    int m_total = 0;
    int m_lingering = 0;
};

} // namespace flowdeck::http
