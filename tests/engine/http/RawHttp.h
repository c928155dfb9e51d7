// SPDX-License-Identifier: GPL-3.0-or-later
// Raw HTTP over a QTcpSocket for the transport's tests: bytes no well-behaved client would
// send, connections from chosen loopback addresses (127.0.0.2, 127.0.0.3, … are all this
// machine on Linux), and the answer read back as status, head and body.
#pragma once

#include <QHostAddress>
#include <QTcpSocket>
#include <QTest>

#include <optional>

namespace flowdeck::test {

struct Raw
{
    int status = 0;
    QByteArray head;
    QByteArray body;
};

/// The first whole answer in `bytes` (status line, headers, body by Content-Length).
inline std::optional<Raw> parseRaw(const QByteArray &bytes)
{
    const qsizetype end = bytes.indexOf("\r\n\r\n");
    if (end < 0)
        return std::nullopt;
    Raw raw;
    raw.head = bytes.left(end);
    raw.status = raw.head.mid(9, 3).toInt();
    qsizetype length = 0;
    for (const QByteArray &line : raw.head.split('\n'))
        if (line.toLower().startsWith("content-length:"))
            length = line.mid(15).trimmed().toLongLong();
    if (bytes.size() < end + 4 + length)
        return std::nullopt;
    raw.body = bytes.mid(end + 4, length);
    return raw;
}

/// Connects to 127.0.0.1:port from `from`; false when it did not connect in 5 s.
inline bool connectFrom(QTcpSocket &socket, quint16 port,
                        const QHostAddress &from = QHostAddress::LocalHost)
{
    if (from != QHostAddress(QHostAddress::LocalHost) && !socket.bind(from, 0))
        return false;
    socket.connectToHost(QHostAddress::LocalHost, port);
    return QTest::qWaitFor([&] { return socket.state() == QAbstractSocket::ConnectedState; }, 5000);
}

/// Sends raw bytes and collects what comes back until a whole answer or the close.
inline std::optional<Raw> exchange(QTcpSocket &socket, const QByteArray &bytes,
                                   int timeoutMs = 10'000)
{
    QByteArray received;
    auto conn = QObject::connect(&socket, &QIODevice::readyRead, &socket,
                                 [&] { received += socket.readAll(); });
    socket.write(bytes);
    (void)QTest::qWaitFor(
        [&] { return parseRaw(received) || socket.state() == QAbstractSocket::UnconnectedState; },
        timeoutMs);
    received += socket.readAll();
    QObject::disconnect(conn);
    return parseRaw(received);
}

} // namespace flowdeck::test
