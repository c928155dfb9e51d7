// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/http/LimitedTcpServer.h"

#include "engine/http/HttpBridge.h"
#include "engine/http/RequestScanner.h"

#include <QPointer>
#include <QSslSocket>
#include <QTimer>

#include <algorithm>
#include <chrono>

#include <sys/socket.h>

namespace flowdeck::http {

namespace {
/// How long a refused connection's remaining upload is read and dropped before closing.
constexpr int kLingerMs = 2000;
/// After accept() failed (out of file descriptors), how long to stop accepting before trying
/// again: the listening socket stays readable, and retrying at once would spin a core.
constexpr int kAcceptPauseMs = 250;
constexpr int kListenBacklog = 1024;

qint64 nowMs()
{
    using namespace std::chrono;
    return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

} // namespace

/// Lives as a child of its socket, so it goes when the socket goes, however that happens:
/// QHttpServer deletes sockets on disconnect, and QWebSocketServer takes over upgraded ones
/// after cutting every connection to their signals. Its destructor returns the connection to
/// the counts (unless it was evicted, which returned it at once).
class ConnectionGuard : public QObject
{
public:
    ConnectionGuard(LimitedTcpServer *server, QTcpSocket *socket, QString address)
        : QObject(socket), m_server(server), m_socket(socket), m_address(std::move(address)),
          m_scanner(server->limits().maxBodyBytes, server->limits().maxHeaderBytes),
          m_limits(server->limits()), m_requestStart(nowMs()), m_waitingSince(m_requestStart)
    {
        m_deadline.setSingleShot(true);
        connect(&m_deadline, &QTimer::timeout, this, [this] { onDeadline(); });
        // Connected before QHttpServer connects its own reader, so every byte is scanned
        // before it is parsed and buffered.
        connect(socket, &QIODevice::readyRead, this, [this] { onReadyRead(); });
        // An answer going out to a client that reads it slowly is activity; a client that
        // stopped reading is closed by the idle limit.
        connect(socket, &QIODevice::bytesWritten, this, [this] {
            if (!m_fresh && m_scanner.phase() == RequestScanner::Phase::Idle)
                m_deadline.start(m_limits.idleTimeoutMs);
        });
        // A new connection must send its first request within the header deadline.
        m_deadline.start(m_limits.headerTimeoutMs);
    }

    ~ConnectionGuard() override
    {
        if (m_server && !m_released)
            m_server->released(this);
    }

    const QString &address() const { return m_address; }
    /// How readily the connection gives way to a new one, lowest first: connections that have
    /// never completed a request (a trickle, a silent socket) before keep-alive connections
    /// that have, and among each the one waiting on its client longest. nullopt for one that
    /// never gives way (a WebSocket, or one already on its way out).
    std::optional<std::pair<int, qint64>> evictionRank() const
    {
        if (m_upgraded || m_released || m_refused)
            return std::nullopt;
        return std::pair{m_fresh ? 0 : 1, m_waitingSince};
    }

    /// Closes the connection to make room for a new one; the counts are returned now.
    void evict()
    {
        m_released = true;
        m_deadline.stop();
        m_socket->abort();
    }
    void markReleased() { m_released = true; }

private:
    void onReadyRead()
    {
        const qint64 available = m_socket->isOpen() ? m_socket->bytesAvailable() : 0;
        if (available <= 0)
            return;
        // QHttpServer reads inside a transaction, so what is available now is exactly what
        // arrived since it last read.
        const QByteArray fresh = m_socket->peek(available);
        const auto before = m_scanner.phase();
        const auto completedBefore = m_scanner.requestsCompleted();
        const auto verdict = m_scanner.feed(fresh.constData(), fresh.size());
        switch (verdict) {
        case RequestScanner::Verdict::Continue:
            if (m_scanner.takeContinue())
                m_socket->write("HTTP/1.1 100 Continue\r\n\r\n");
            rearm(before, completedBefore);
            return;
        case RequestScanner::Verdict::Upgrade:
            // A WebSocket is quiet between events by design; it is no longer ours to time.
            m_upgraded = true;
            m_deadline.stop();
            disconnect(m_socket, nullptr, this, nullptr);
            return;
        case RequestScanner::Verdict::BodyTooLarge:
            refuseHere(413, "payload_too_large",
                       "the request body is larger than the limit of " +
                           std::to_string(m_limits.maxBodyBytes) + " bytes");
            return;
        case RequestScanner::Verdict::HeadersTooLarge:
            refuseHere(431, "headers_too_large",
                       "the request line and headers are larger than the limit of " +
                           std::to_string(m_limits.maxHeaderBytes) + " bytes");
            return;
        case RequestScanner::Verdict::Malformed:
            refuseHere(400, "bad_request", m_scanner.problem());
            return;
        case RequestScanner::Verdict::MethodNotAllowed:
            refuseHere(405, "method_not_allowed", m_scanner.problem());
            return;
        }
    }

    /// Sets the deadline for what the connection waits for now. More bytes of the same
    /// headers do not move it; a body's moves on only as fast as the minimum rate.
    void rearm(RequestScanner::Phase before, std::int64_t completedBefore)
    {
        using Phase = RequestScanner::Phase;
        const qint64 now = nowMs();
        const bool completed = m_scanner.requestsCompleted() != completedBefore;
        if (completed)
            m_fresh = false;
        switch (m_scanner.phase()) {
        case Phase::Idle:
            // Only a finished request starts the idle time again: bare line ends between
            // requests are ignored by the parser and must not keep a connection either.
            if (completed) {
                m_waitingSince = now;
                m_deadline.start(m_limits.idleTimeoutMs);
            }
            return;
        case Phase::Headers:
            // A new connection's deadline runs from when it opened.
            if ((before != Phase::Headers || completed) && !m_fresh)
                m_requestStart = now;
            if (before != Phase::Headers || completed)
                m_waitingSince = now;
            startAt(m_requestStart + m_limits.headerTimeoutMs);
            return;
        case Phase::Body:
            if (before != Phase::Body || completed) {
                m_bodyStart = now;
                m_waitingSince = now;
            }
            startAt(m_bodyStart + m_limits.headerTimeoutMs +
                    m_scanner.bodyReceived() * 1000 / std::max(1, m_limits.minBodyBytesPerSecond));
            return;
        }
    }

    void startAt(qint64 when)
    {
        m_deadline.start(int(std::clamp<qint64>(when - nowMs(), 0, 1 << 30)));
    }

    void onDeadline()
    {
        switch (m_scanner.phase()) {
        case RequestScanner::Phase::Idle:
            if (m_server)
                Q_EMIT m_server->limitApplied(m_fresh ? QStringLiteral("header_deadline")
                                                      : QStringLiteral("idle"));
            // A client that stopped reading would keep a graceful close waiting forever.
            if (m_socket->bytesToWrite() > 0)
                m_socket->abort();
            else
                m_socket->disconnectFromHost();
            return;
        case RequestScanner::Phase::Headers:
            refuseHere(408, "request_timeout",
                       "the request line and headers did not arrive within " +
                           std::to_string(m_limits.headerTimeoutMs / 1000.0).substr(0, 4) + " s");
            return;
        case RequestScanner::Phase::Body:
            refuseHere(408, "request_timeout",
                       "the request body arrived slower than " +
                           std::to_string(m_limits.minBodyBytesPerSecond) + " bytes/s");
            return;
        }
    }

    void refuseHere(int status, const std::string &error, const std::string &message)
    {
        m_deadline.stop();
        m_refused = true;
        if (!m_server) {
            m_socket->abort();
            return;
        }
        Q_EMIT m_server->limitApplied(QString::fromStdString(error));
        // Nobody else may read this request: QHttpServer's reader is cut off before it runs
        // in this same emission.
        disconnect(m_socket, &QIODevice::readyRead, nullptr, nullptr);
        m_server->refuse(m_socket, status, error, message);
    }

    QPointer<LimitedTcpServer> m_server;
    QTcpSocket *m_socket;
    QString m_address;
    RequestScanner m_scanner;
    RequestLimits m_limits;
    QTimer m_deadline;
    qint64 m_requestStart;
    qint64 m_bodyStart = 0;
    qint64 m_waitingSince;
    bool m_fresh = true; ///< no request completed yet
    bool m_upgraded = false;
    bool m_refused = false;
    bool m_released = false;
};

LimitedTcpServer::LimitedTcpServer(RequestLimits limits, long openFiles, QObject *parent)
    : QTcpServer(parent), m_limits(limits)
{
    // Connections and lingering refusals share what the reserve leaves of the limit, so
    // accept() never runs out of descriptors on their account.
    const long available = std::max(2L, openFiles - kReservedFds);
    m_maxLingering = int(std::clamp<long>(available / 8, 1, kMaxLingering));
    m_maxConnections =
        int(std::clamp<long>(available - m_maxLingering, 1, std::max(1, limits.maxConnections)));
    connect(this, &QTcpServer::acceptError, this, [this] { onAcceptError(); });
    // A burst of connections waits in the kernel's queue rather than being dropped there
    // (Qt's default is 50).
    setListenBacklogSize(kListenBacklog);
}

LimitedTcpServer::~LimitedTcpServer()
{
    // Sockets are children and go after this object's members: their guards must not call
    // back into a server that is being destroyed.
    for (auto &guards : m_byAddress)
        for (ConnectionGuard *guard : guards)
            guard->markReleased();
}

void LimitedTcpServer::refuse(QTcpSocket *socket, int status, const std::string &error,
                              const std::string &message)
{
    if (m_lingering >= m_maxLingering) {
        // Answering would keep one more descriptor for up to kLingerMs; under a flood of
        // refusals that is how a server runs out of them.
        socket->abort();
        socket->deleteLater();
        return;
    }
    ++m_lingering;
    QPointer<LimitedTcpServer> self(this);
    connect(socket, &QObject::destroyed, this, [self] {
        if (self)
            --self->m_lingering;
    });
    socket->write(serialize(errorAnswer(status, error, message), true));
    connect(socket, &QIODevice::readyRead, socket,
            [socket] { socket->skip(socket->bytesAvailable()); });
    connect(socket, &QAbstractSocket::disconnected, socket, &QObject::deleteLater);
    auto *linger = new QTimer(socket);
    linger->setSingleShot(true);
    connect(linger, &QTimer::timeout, socket, [socket] {
        socket->abort();
        socket->deleteLater();
    });
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

bool LimitedTcpServer::evictFor(const QString &address)
{
    const std::vector<ConnectionGuard *> *pool = nullptr;
    auto canEvict = [](const std::vector<ConnectionGuard *> &guards) {
        return std::any_of(guards.begin(), guards.end(),
                           [](auto *g) { return g->evictionRank().has_value(); });
    };
    if (!address.isEmpty()) {
        pool = &m_byAddress[address];
    } else {
        // The address holding the most pays for a full server, so one address (or a few)
        // flooding it cannot push everyone else out.
        for (const auto &guards : std::as_const(m_byAddress))
            if ((!pool || guards.size() > pool->size()) && canEvict(guards))
                pool = &guards;
        if (!pool)
            return false;
    }
    ConnectionGuard *victim = nullptr;
    std::pair<int, qint64> lowest;
    for (ConnectionGuard *guard : *pool)
        if (auto rank = guard->evictionRank(); rank && (!victim || *rank < lowest)) {
            victim = guard;
            lowest = *rank;
        }
    if (!victim)
        return false;
    Q_EMIT limitApplied(QStringLiteral("evicted"));
    released(victim);
    victim->evict();
    return true;
}

void LimitedTcpServer::onAcceptError()
{
    // Out of file descriptors (or another accept failure): the pending connection stays in
    // the backlog and the socket stays readable, so pause instead of spinning on it.
    Q_EMIT limitApplied(QStringLiteral("accept_paused"));
    pauseAccepting();
    QTimer::singleShot(kAcceptPauseMs, this, [this] { resumeAccepting(); });
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
    bool room = true;
    if (int(m_byAddress.value(address).size()) >= m_limits.maxConnectionsPerAddress)
        room = evictFor(address);
    if (room && m_total >= m_maxConnections)
        room = evictFor(QString());
    if (!room) {
        Q_EMIT limitApplied(QStringLiteral("connections"));
        if (ssl) {
            // No TLS session yet: nothing can be said that the client could read.
            socket->abort();
            socket->deleteLater();
            return;
        }
        refuse(socket, 503, "too_many_connections",
               m_total >= m_maxConnections
                   ? "the server has too many open connections; try again later"
                   : "too many open connections from your address; close some first");
        return;
    }
    ++m_total;
    auto *guard = new ConnectionGuard(this, socket, address);
    m_byAddress[address].push_back(guard);
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

void LimitedTcpServer::released(ConnectionGuard *guard)
{
    guard->markReleased();
    auto it = m_byAddress.find(guard->address());
    if (it == m_byAddress.end())
        return;
    auto &guards = it.value();
    const auto before = guards.size();
    std::erase(guards, guard);
    if (guards.size() != before)
        --m_total;
    if (guards.empty())
        m_byAddress.erase(it);
}

} // namespace flowdeck::http
