// SPDX-License-Identifier: GPL-3.0-or-later
// The transport against hostile clients, over real sockets on 127.0.0.1 (and 127.0.0.2…,
// other loopback addresses, to be many clients): request lines no parser should hang up on,
// trickling connections from one address and from sixteen, oversized WebSocket messages,
// and a burst of failed sign-ins while others are served. The server runs on this thread,
// so every wait spins the event loop.
#include "engine/access/AccountService.h"
#include "engine/api/EngineApi.h"
#include "engine/http/HttpServer.h"
#include "engine/http/LimitedTcpServer.h"
#include "engine/http/OpenFileLimit.h"
#include "engine/runtime/Engine.h"
#include "engine/store/SqliteStore.h"
#include "tests/engine/http/RawHttp.h"
#include "tests/engine/http/ServerStack.h"

#include <QDeadlineTimer>
#include <QFile>
#include <QSignalSpy>
#include <QTimer>
#include <QWebSocket>

#include <memory>
#include <unistd.h>

using namespace flowdeck;
using nlohmann::json;

namespace {

const char *kPassword = "correct horse battery";
const QByteArray kHealth = "GET /health/status HTTP/1.1\r\nHost: x\r\n\r\n";

QHostAddress loopback(int last)
{
    return QHostAddress(QStringLiteral("127.0.0.%1").arg(last));
}

QByteArray postLogin(const std::string &user, const std::string &password)
{
    const QByteArray body =
        QByteArray::fromStdString(json{{"username", user}, {"password", password}}.dump());
    return "POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
           "Content-Length: " +
           QByteArray::number(body.size()) + "\r\n\r\n" + body;
}

/// Resident memory of this process, in bytes.
qint64 residentBytes()
{
    QFile statm(QStringLiteral("/proc/self/statm"));
    if (!statm.open(QIODevice::ReadOnly))
        return 0;
    const QList<QByteArray> fields = statm.readAll().split(' ');
    return fields.size() > 1 ? fields[1].toLongLong() * ::sysconf(_SC_PAGESIZE) : 0;
}

} // namespace

class TestHttpHardening : public QObject
{
    Q_OBJECT
    test::ServerStack m_stack;

    void startServer(http::RequestLimits limits) { QVERIFY(m_stack.serve(limits)); }

    /// One request on a new connection from `from`; nullopt when no answer came.
    std::optional<test::Raw> request(const QByteArray &bytes, int from = 1)
    {
        QTcpSocket socket;
        if (!test::connectFrom(socket, m_stack.port, loopback(from)))
            return std::nullopt;
        return test::exchange(socket, bytes);
    }

    static void expectJsonError(const std::optional<test::Raw> &raw, int status, const char *what)
    {
        QVERIFY2(raw, what);
        QVERIFY2(raw->status == status, qPrintable(QStringLiteral("%1: %2 %3")
                                                       .arg(QString::fromUtf8(what))
                                                       .arg(raw->status)
                                                       .arg(QString::fromUtf8(raw->body))));
        QVERIFY2(raw->head.toLower().contains("content-type: application/json"), what);
        const json body = json::parse(raw->body.begin(), raw->body.end(), nullptr, false);
        QVERIFY2(body.is_object() && body["message"].is_string(), what);
    }

    /// Connections that have sent part of a request line and add one byte every 200 ms.
    struct Tricklers
    {
        std::vector<std::unique_ptr<QTcpSocket>> sockets;
        QTimer timer;
        Tricklers()
        {
            timer.setInterval(200);
            QObject::connect(&timer, &QTimer::timeout, &timer, [this] {
                for (auto &s : sockets)
                    if (s->state() == QAbstractSocket::ConnectedState)
                        s->write("a");
            });
            timer.start();
        }
        bool open(quint16 port, const QHostAddress &from, int count)
        {
            for (int i = 0; i < count; ++i) {
                // Trickled on only once its request line has gone out.
                auto socket = std::make_unique<QTcpSocket>();
                if (!test::connectFrom(*socket, port, from))
                    return false;
                socket->write("GET /health/status HTTP/1.1\r\nX-Slow: ");
                sockets.push_back(std::move(socket));
            }
            return true;
        }
    };

private Q_SLOTS:
    void initTestCase()
    {
        // Many sockets at both ends of each connection live in this one process.
        http::raiseOpenFileLimit();
    }

    void init()
    {
        http::RequestLimits limits;
        limits.headerTimeoutMs = 1000;
        QVERIFY(m_stack.open(":memory:", {}, limits));
        for (const auto &[name, role] : {std::pair{"alice", "admin"}, {"victor", "viewer"}}) {
            access::NewUser u;
            u.username = name;
            u.roles = {role};
            u.password = kPassword;
            QVERIFY(m_stack.accounts->createUser(u).ok());
        }
    }

    void cleanup() { m_stack.close(); }

    // ---- requests QHttpServer's parser would hang up on -----------------------------------

    void malformedRequestsAreAnswered_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<int>("status");
        QTest::newRow("HTTP/0.9") << QByteArray("GET /health/status\r\n") << 400;
        QTest::newRow("HTTP/0.9, bare LF") << QByteArray("GET /\n") << 400;
        QTest::newRow("method only") << QByteArray("GET\r\n\r\n") << 400;
        QTest::newRow("two spaces") << QByteArray("GET  / HTTP/1.1\r\n\r\n") << 400;
        QTest::newRow("words after the version")
            << QByteArray("GET / HTTP/1.1 please\r\n\r\n") << 400;
        QTest::newRow("lower-case version") << QByteArray("GET / http/1.1\r\n\r\n") << 400;
        QTest::newRow("control character in the target")
            << QByteArray("GET /a\x01 HTTP/1.1\r\n\r\n") << 400;
        QTest::newRow("not a token") << QByteArray("G(T / HTTP/1.1\r\n\r\n") << 400;
        QTest::newRow("TLS hello on the plain port")
            << QByteArray("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", 11) << 400;
        QTest::newRow("header without a colon")
            << QByteArray("GET / HTTP/1.1\r\nHost x\r\n\r\n") << 400;
        QTest::newRow("space before the colon")
            << QByteArray("GET / HTTP/1.1\r\nHost : x\r\n\r\n") << 400;
        QTest::newRow("folded header")
            << QByteArray("GET / HTTP/1.1\r\nX-A: 1\r\n  continued\r\n\r\n") << 400;
        QTest::newRow("NUL in a header value")
            << QByteArray("GET / HTTP/1.1\r\nX-A: a\0b\r\n\r\n", 31) << 400;
        QTest::newRow("HTTP/2.0 as text") << QByteArray("GET / HTTP/2.0\r\n\r\n") << 400;
        QTest::newRow("HTTP/3.7") << QByteArray("GET / HTTP/3.7\r\n\r\n") << 400;
        QTest::newRow("unknown method") << QByteArray("BREW /pot HTTP/1.1\r\n\r\n") << 405;
        QTest::newRow("CONNECT") << QByteArray("CONNECT a:443 HTTP/1.1\r\n\r\n") << 405;
    }

    void malformedRequestsAreAnswered()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(int, status);
        expectJsonError(request(bytes), status, QTest::currentDataTag());
        // Leading empty lines are allowed before a request line (RFC 9112 §2.2).
        auto ok = request("\r\n\r\n" + kHealth);
        QVERIFY(ok);
        QCOMPARE(ok->status, 200);
    }

    // ---- slow clients -----------------------------------------------------------------------

    void headersMustArriveByTheDeadline()
    {
        QTcpSocket socket;
        QVERIFY(test::connectFrom(socket, m_stack.port));
        QByteArray received;
        connect(&socket, &QIODevice::readyRead, this, [&] { received += socket.readAll(); });
        socket.write("GET /health/status HTTP/1.1\r\nX-Slow: ");
        // One byte every 100 ms: each would have restarted an idle timer; the deadline holds.
        QTimer trickle;
        connect(&trickle, &QTimer::timeout, this, [&] { socket.write("a"); });
        trickle.start(100);
        QVERIFY(QTest::qWaitFor([&] { return test::parseRaw(received).has_value(); }, 10'000));
        const auto raw = test::parseRaw(received);
        expectJsonError(raw, 408, "headers trickled past the deadline");
        QVERIFY(raw->body.contains("did not arrive within"));
    }

    void bodiesMustKeepAMinimumRate()
    {
        QTcpSocket socket;
        QVERIFY(test::connectFrom(socket, m_stack.port));
        QByteArray received;
        connect(&socket, &QIODevice::readyRead, this, [&] { received += socket.readAll(); });
        socket.write("POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                     "Content-Length: 60000\r\n\r\n");
        // 50 bytes/s against a minimum of 1024 once the 1 s grace is over.
        QTimer trickle;
        connect(&trickle, &QTimer::timeout, this, [&] { socket.write("          "); });
        trickle.start(200);
        QVERIFY(QTest::qWaitFor([&] { return test::parseRaw(received).has_value(); }, 10'000));
        const auto raw = test::parseRaw(received);
        expectJsonError(raw, 408, "a body below the minimum rate");
        QVERIFY(raw->body.contains("bytes/s"));
    }

    void tricklersDoNotLockOutTheirAddressOrOthers()
    {
        // A header deadline long enough that no trickle is cut while the test runs: the point
        // is that they do not lock anyone out even before it.
        http::RequestLimits limits;
        limits.headerTimeoutMs = 600'000;
        startServer(limits);
        // 64 trickling connections fill 127.0.0.2's share (the default cap per address).
        Tricklers tricklers;
        QVERIFY(tricklers.open(m_stack.port, loopback(2), 64));
        QTRY_COMPARE_WITH_TIMEOUT(m_stack.server->openConnections(), 64, 5000);
        // A fresh request from that same address is served at once, not refused: the
        // longest-waiting trickle makes room. Others are not affected at all.
        auto same = request(kHealth, 2);
        QVERIFY(same);
        QCOMPARE(same->status, 200);
        auto other = request(kHealth, 1);
        QVERIFY(other);
        QCOMPARE(other->status, 200);
        QVERIFY(m_stack.server->openConnections() <= 64);
    }

    void sixteenAddressesCannotLockEveryoneOut()
    {
        http::RequestLimits limits;
        // Long enough that no trickle is cut while a loaded machine opens 1,024 of them.
        limits.headerTimeoutMs = 600'000;
        startServer(limits);
        // 16 addresses x 64 trickling connections: every per-address share and the whole
        // server's cap are full.
        const int perAddress = m_stack.server->tcpServer().limits().maxConnectionsPerAddress;
        const int total = m_stack.server->tcpServer().maxConnections();
        if (http::openFileLimit() < 2 * 16 * perAddress + 256)
            QSKIP("the open-file limit is too low to hold 2 x 1024 sockets in one process");
        QCOMPARE(total, 16 * perAddress);
        QStringList applied;
        connect(&m_stack.server->tcpServer(), &http::LimitedTcpServer::limitApplied, this,
                [&](const QString &what) { applied << what; });
        Tricklers tricklers;
        for (int a = 2; a < 18; ++a)
            QVERIFY(tricklers.open(m_stack.port, loopback(a), perAddress));
        QTRY_VERIFY2_WITH_TIMEOUT(m_stack.server->openConnections() == total,
                                  qPrintable(QStringLiteral("%1 open; limits applied: %2")
                                                 .arg(m_stack.server->openConnections())
                                                 .arg(applied.join(u' '))),
                                  10'000);
        // A new address and one of the sixteen are both served.
        for (int from : {1, 18, 5}) {
            auto fresh = request(kHealth, from);
            QVERIFY(fresh);
            QCOMPARE(fresh->status, 200);
        }
        QVERIFY(m_stack.server->openConnections() <= total);
    }

    void connectionsThatCannotGiveWayAreRefused()
    {
        // WebSocket streams never give way; with the address's share full of them, a new
        // connection gets 503 and the streams stay.
        http::RequestLimits limits;
        limits.maxConnectionsPerAddress = 3;
        startServer(limits);
        auto signedIn = m_stack.accounts->signIn("victor", kPassword, "test");
        QVERIFY(signedIn.ok());
        std::vector<std::unique_ptr<QWebSocket>> streams;
        QSignalSpy ready(&m_stack.server->events(), &http::EventStream::clientReady);
        for (int i = 0; i < 3; ++i) {
            streams.push_back(std::make_unique<QWebSocket>());
            streams.back()->open(QUrl(QStringLiteral("ws://127.0.0.1:%1/events/stream?token=%2")
                                          .arg(m_stack.port)
                                          .arg(QString::fromStdString(signedIn->token))));
            QVERIFY(ready.count() > i || ready.wait(5000));
        }
        expectJsonError(request(kHealth), 503, "a full share of streams");
        QCOMPARE(m_stack.server->events().clientCount(), 3);
        QCOMPARE(request(kHealth, 2)->status, 200);
    }

    // ---- WebSocket ---------------------------------------------------------------------------

    void oversizedWebSocketMessagesCloseTheStream()
    {
        auto signedIn = m_stack.accounts->signIn("victor", kPassword, "test");
        QVERIFY(signedIn.ok());
        QWebSocket ws;
        QSignalSpy ready(&m_stack.server->events(), &http::EventStream::clientReady);
        QSignalSpy closed(&ws, &QWebSocket::disconnected);
        ws.open(QUrl(QStringLiteral("ws://127.0.0.1:%1/events/stream?token=%2")
                         .arg(m_stack.port)
                         .arg(QString::fromStdString(signedIn->token))));
        QVERIFY(ready.wait(5000));
        QTRY_COMPARE_WITH_TIMEOUT(ws.state(), QAbstractSocket::ConnectedState, 5000);
        // A message within the cap is taken (and ignored); one byte more closes the stream.
        ws.sendBinaryMessage(QByteArray(http::EventStream::kMaxIncomingBytes, 'x'));
        QTest::qWait(100);
        QCOMPARE(ws.state(), QAbstractSocket::ConnectedState);
        ws.sendBinaryMessage(QByteArray(http::EventStream::kMaxIncomingBytes + 1, 'x'));
        QVERIFY(closed.wait(10'000));
        QCOMPARE(ws.closeCode(), QWebSocketProtocol::CloseCodeTooMuchData);
        QTRY_COMPARE_WITH_TIMEOUT(m_stack.server->events().clientCount(), 0, 5000);
    }

    void aHugeWebSocketFrameIsNotBuffered()
    {
        auto signedIn = m_stack.accounts->signIn("victor", kPassword, "test");
        QVERIFY(signedIn.ok());
        QTcpSocket socket;
        QVERIFY(test::connectFrom(socket, m_stack.port));
        QByteArray received;
        connect(&socket, &QIODevice::readyRead, this, [&] { received += socket.readAll(); });
        socket.write("GET /events/stream?token=" + QByteArray::fromStdString(signedIn->token) +
                     " HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                     "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                     "Sec-WebSocket-Version: 13\r\n\r\n");
        QVERIFY(QTest::qWaitFor([&] { return received.contains("\r\n\r\n"); }, 5000));
        QVERIFY2(received.startsWith("HTTP/1.1 101"), received.constData());
        received.clear();
        const qint64 before = residentBytes();
        // A masked binary frame announcing 200 MB, then as much of it as the server takes.
        QByteArray header("\x82\xff", 2);
        const quint64 length = 200ull * 1000 * 1000;
        for (int shift = 56; shift >= 0; shift -= 8)
            header += char((length >> shift) & 0xff);
        header += QByteArray("\x01\x02\x03\x04", 4);
        socket.write(header);
        const QByteArray chunk(1 << 20, 'x');
        // Keep at most one chunk queued here, so this side's own buffer stays small.
        QDeadlineTimer deadline(10'000);
        while (socket.state() == QAbstractSocket::ConnectedState && received.size() < 4 &&
               !deadline.hasExpired()) {
            if (socket.bytesToWrite() < chunk.size())
                socket.write(chunk);
            socket.waitForBytesWritten(20);
            QCoreApplication::processEvents();
        }
        // The server's close frame: 1009, message too big.
        QVERIFY(QTest::qWaitFor([&] { return received.size() >= 4; }, 5000));
        QCOMPARE(quint8(received[0]), quint8(0x88));
        QCOMPARE((quint8(received[2]) << 8) | quint8(received[3]), 1009);
        QVERIFY2(
            residentBytes() - before < 48LL * 1024 * 1024,
            qPrintable(
                QStringLiteral("grew by %1 MiB").arg((residentBytes() - before) / (1024 * 1024))));
        QCOMPARE(request(kHealth)->status, 200);
    }

    // ---- sign-in -----------------------------------------------------------------------------

    void signInsAreCheckedOffTheServerThread()
    {
        // 24 wrong passwords from 8 addresses at once: argon2 runs on workers meanwhile.
        std::vector<std::unique_ptr<QTcpSocket>> guesses;
        std::vector<QByteArray> answers(24);
        for (int i = 0; i < 24; ++i) {
            guesses.push_back(std::make_unique<QTcpSocket>());
            QVERIFY(test::connectFrom(*guesses.back(), m_stack.port, loopback(2 + i % 8)));
            QTcpSocket *s = guesses.back().get();
            connect(s, &QIODevice::readyRead, this,
                    [s, &answers, i] { answers[i] += s->readAll(); });
            s->write(postLogin(i % 2 ? "victor" : "nobody", "wrong"));
        }
        QVERIFY(QTest::qWaitFor([&] { return m_stack.server->signIns().inFlight() > 0; }, 5000));
        // Served while the checks are still running: nothing waits on them.
        auto health = request(kHealth);
        QVERIFY(health);
        QCOMPARE(health->status, 200);
        QVERIFY2(m_stack.server->signIns().inFlight() > 0, "the sign-ins finished first");
        QVERIFY(QTest::qWaitFor(
            [&] {
                return std::all_of(answers.begin(), answers.end(), [](const QByteArray &a) {
                    return test::parseRaw(a).has_value();
                });
            },
            30'000));
        for (const auto &a : answers)
            QCOMPARE(test::parseRaw(a)->status, 401);
        // And the right password still works from an address that did not guess.
        QCOMPARE(request(postLogin("victor", kPassword), 20)->status, 200);
    }

    void pipelinedRequestsAreAnsweredInOrderAroundASignIn()
    {
        QTcpSocket socket;
        QVERIFY(test::connectFrom(socket, m_stack.port));
        QByteArray received;
        connect(&socket, &QIODevice::readyRead, this, [&] { received += socket.readAll(); });
        socket.write(postLogin("victor", "wrong") + kHealth + postLogin("alice", kPassword) +
                     kHealth);
        QVERIFY(QTest::qWaitFor([&] { return received.count("HTTP/1.1 ") >= 4; }, 20'000));
        QList<int> statuses;
        for (qsizetype at = received.indexOf("HTTP/1.1 "); at >= 0;
             at = received.indexOf("HTTP/1.1 ", at + 1))
            statuses << received.mid(at + 9, 3).toInt();
        QCOMPARE(statuses, (QList<int>{401, 200, 200, 200}));
    }

    void wrongPasswordsLockOutOnlyTheirPair()
    {
        for (int i = 0; i < 4; ++i)
            request(postLogin("alice", "guess"), 2);
        // The guesser's pair now waits, even with the right password...
        expectJsonError(request(postLogin("alice", kPassword), 2), 429, "the guessing pair");
        // ...the operator at another address is let in at once...
        QCOMPARE(request(postLogin("alice", kPassword), 3)->status, 200);
        // ...and the guesser can still use its own account.
        QCOMPARE(request(postLogin("victor", kPassword), 2)->status, 200);
    }
};

QTEST_GUILESS_MAIN(TestHttpHardening)
#include "TestHttpHardening.moc"
