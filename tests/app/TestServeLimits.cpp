// SPDX-License-Identifier: GPL-3.0-or-later
// `flowdeck serve` under a low open-file limit, as an operator's box might set it: the real
// binary in a child process whose RLIMIT_NOFILE is lowered (soft and hard, so the server
// cannot raise it), flooded with held connections from sixteen loopback addresses. It must
// keep serving the connection it already has and new requests, and never spin on accept().
#include "tests/engine/http/RawHttp.h"

#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <memory>
#include <sys/resource.h>
#include <unistd.h>

namespace {

constexpr rlim_t kOpenFiles = 200;
const QByteArray kHealth = "GET /health/status HTTP/1.1\r\nHost: x\r\n\r\n";

/// CPU time (user + system) the process has used, in seconds; negative when unknown.
double cpuSeconds(qint64 pid)
{
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!stat.open(QIODevice::ReadOnly))
        return -1;
    const QByteArray text = stat.readAll();
    // Fields after the command name, which is in parentheses and may hold spaces.
    const QList<QByteArray> fields = text.mid(text.lastIndexOf(')') + 2).split(' ');
    if (fields.size() < 13)
        return -1;
    // utime and stime are fields 14 and 15 of the whole line: 12 and 13 after the name.
    return double(fields[11].toLongLong() + fields[12].toLongLong()) /
           double(::sysconf(_SC_CLK_TCK));
}

} // namespace

class TestServeLimits : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void heldConnectionsNeverExhaustTheOpenFileLimit()
    {
        QTemporaryDir dir;
        QProcess serve;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.remove(QStringLiteral("DISPLAY"));
        env.remove(QStringLiteral("WAYLAND_DISPLAY"));
        serve.setProcessEnvironment(env);
        serve.setChildProcessModifier([] {
            const rlimit limit{kOpenFiles, kOpenFiles};
            ::setrlimit(RLIMIT_NOFILE, &limit);
        });
        serve.start(QStringLiteral(FLOWDECK_BINARY),
                    {QStringLiteral("serve"), QStringLiteral("--db"),
                     dir.filePath(QStringLiteral("limits.db")), QStringLiteral("--listen"),
                     QStringLiteral("127.0.0.1:0")});
        QVERIFY(serve.waitForStarted());
        QByteArray err;
        const QRegularExpression serving(QStringLiteral("http://127\\.0\\.0\\.1:(\\d+)"));
        QRegularExpressionMatch found;
        QVERIFY2(QTest::qWaitFor(
                     [&] {
                         err += serve.readAllStandardError();
                         found = serving.match(QString::fromUtf8(err));
                         return found.hasMatch() && err.contains("running headless");
                     },
                     10'000),
                 err.constData());
        const quint16 port = quint16(found.captured(1).toUInt());

        // A client that is served and keeps its connection open.
        QTcpSocket kept;
        QVERIFY(flowdeck::test::connectFrom(kept, port));
        QCOMPARE(flowdeck::test::exchange(kept, kHealth)->status, 200);

        // Three times more held connections than the process has descriptors, each with half
        // a request line sent.
        std::vector<std::unique_ptr<QTcpSocket>> flood;
        for (int a = 2; a < 18; ++a)
            for (int i = 0; i < 40; ++i) {
                auto socket = std::make_unique<QTcpSocket>();
                QVERIFY(socket->bind(QHostAddress(QStringLiteral("127.0.0.%1").arg(a)), 0));
                socket->connectToHost(QHostAddress::LocalHost, port);
                QTcpSocket *raw = socket.get();
                connect(raw, &QAbstractSocket::connected, raw, [raw] { raw->write("GET /hea"); });
                flood.push_back(std::move(socket));
            }
        QTest::qWait(2000);

        // Held, not spinning: a server looping on a failing accept() burns a whole core.
        const double before = cpuSeconds(serve.processId());
        QTest::qWait(2000);
        const double used = cpuSeconds(serve.processId()) - before;
        QVERIFY2(before >= 0 && used < 0.5,
                 qPrintable(QStringLiteral("%1 s of CPU in 2 s while holding").arg(used)));

        // The connection it had is still served, and so is a new one.
        QCOMPARE(flowdeck::test::exchange(kept, kHealth)->status, 200);
        QTcpSocket fresh;
        QVERIFY(flowdeck::test::connectFrom(fresh, port));
        auto answer = flowdeck::test::exchange(fresh, kHealth);
        QVERIFY(answer);
        QCOMPARE(answer->status, 200);

        flood.clear();
        QVERIFY(serve.state() == QProcess::Running);
        ::kill(pid_t(serve.processId()), SIGTERM);
        QVERIFY(serve.waitForFinished(10'000));
        QCOMPARE(serve.exitCode(), 0);
        err += serve.readAllStandardError();
        QVERIFY2(!err.contains("Too many open files"), err.constData());
    }
};

QTEST_GUILESS_MAIN(TestServeLimits)
#include "TestServeLimits.moc"
