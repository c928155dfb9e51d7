// SPDX-License-Identifier: GPL-3.0-or-later
// bench_signin: how long GET /health/server takes while a burst of failed sign-ins is being
// checked (argon2id, on SignInVerifier's workers), and how long the burst takes. The sign-ins
// come from many loopback addresses (127.0.0.2, …), each its own connection, all sent at once;
// a keep-alive client asks for /health/server every 10 ms until every sign-in is answered.
// Prints figures; asserts nothing.
//
//   bench_signin [--attempts N] [--addresses A]
#include "engine/access/AccountService.h"
#include "engine/api/EngineApi.h"
#include "engine/http/HttpServer.h"
#include "engine/runtime/Engine.h"
#include "engine/store/SqliteStore.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTcpSocket>
#include <QThread>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <memory>

using namespace flowdeck;

namespace {

int argument(const QStringList &args, const QString &name, int fallback)
{
    const auto at = args.indexOf(name);
    return at >= 0 && at + 1 < args.size() ? args[at + 1].toInt() : fallback;
}

double percentile(std::vector<double> values, double p)
{
    if (values.empty())
        return 0;
    std::sort(values.begin(), values.end());
    return values[std::min(values.size() - 1, std::size_t(p * double(values.size())))];
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    const int attempts = argument(args, QStringLiteral("--attempts"), 120);
    const int addresses = std::clamp(argument(args, QStringLiteral("--addresses"), 40), 1, 250);

    auto store = std::move(*store::SqliteStore::open(":memory:"));
    api::WorkflowCatalog catalog(*store);
    runtime::Engine engine(*store);
    access::AccountService accounts(*store);
    access::NewUser operatorUser;
    operatorUser.username = "olga";
    operatorUser.roles = {"operator"};
    operatorUser.password = "correct horse battery";
    if (!accounts.createUser(operatorUser)) {
        std::fprintf(stderr, "bench_signin: cannot create the account\n");
        return 1;
    }
    api::EngineApi api(api::EngineContext{*store, catalog, &engine, &accounts});
    http::HttpServer server(api);
    auto port = server.start(QHostAddress::LocalHost, 0);
    if (!port) {
        std::fprintf(stderr, "bench_signin: %s\n", port.error().message.c_str());
        return 1;
    }

    // The burst: wrong passwords, a few per address, all sent before any is answered.
    const QByteArray body = R"({"username":"olga","password":"wrong"})";
    const QByteArray login = "POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: "
                             "application/json\r\nContent-Length: " +
                             QByteArray::number(body.size()) + "\r\n\r\n" + body;
    std::vector<std::unique_ptr<QTcpSocket>> guesses;
    int answered = 0;
    QElapsedTimer burst;
    burst.start();
    for (int i = 0; i < attempts; ++i) {
        auto socket = std::make_unique<QTcpSocket>();
        socket->bind(QHostAddress(QStringLiteral("127.0.0.%1").arg(2 + i % addresses)), 0);
        socket->connectToHost(QHostAddress::LocalHost, *port);
        QTcpSocket *raw = socket.get();
        QObject::connect(raw, &QAbstractSocket::connected, raw,
                         [raw, &login] { raw->write(login); });
        QObject::connect(raw, &QIODevice::readyRead, raw, [raw, &answered] {
            if (raw->readAll().startsWith("HTTP/1.1 "))
                ++answered;
        });
        guesses.push_back(std::move(socket));
    }
    double burstMs = 0;

    // Meanwhile: /health/server on one keep-alive connection, one request at a time.
    QTcpSocket health;
    health.connectToHost(QHostAddress::LocalHost, *port);
    health.waitForConnected(5000);
    std::vector<double> latencies;
    QElapsedTimer sent;
    bool waiting = false;
    int maxInFlight = 0;
    QTimer ask;
    QObject::connect(&ask, &QTimer::timeout, &health, [&] {
        maxInFlight = std::max(maxInFlight, server.signIns().inFlight());
        if (waiting)
            return;
        waiting = true;
        sent.start();
        health.write("GET /health/server HTTP/1.1\r\nHost: x\r\n\r\n");
    });
    QObject::connect(&health, &QIODevice::readyRead, &health, [&] {
        health.readAll();
        latencies.push_back(double(sent.nsecsElapsed()) / 1e6);
        waiting = false;
    });
    ask.start(10);
    QTimer done;
    QObject::connect(&done, &QTimer::timeout, &app, [&] {
        if (answered < attempts && burst.elapsed() < 120'000)
            return;
        burstMs = double(burst.elapsed());
        app.quit();
    });
    done.start(5);
    app.exec();

    std::printf("bench_signin: %d failed sign-ins from %d addresses, %d cores\n", attempts,
                addresses, QThread::idealThreadCount());
    std::printf("  all answered in           %8.0f ms (%d of %d; at most %d checks in flight)\n",
                burstMs, answered, attempts, maxInFlight);
    std::printf("  GET /health/server meanwhile: %zu requests, p50 %.2f ms, p99 %.2f ms, "
                "max %.2f ms\n",
                latencies.size(), percentile(latencies, 0.5), percentile(latencies, 0.99),
                latencies.empty() ? 0.0 : *std::max_element(latencies.begin(), latencies.end()));
    return answered == attempts ? 0 : 1;
}
