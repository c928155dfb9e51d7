// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/HeadlessMode.h"

#include "app/AppPaths.h"
#include "app/EngineHost.h"
#include "app/ServeOptions.h"
#include "engine/runtime/Engine.h"

#include <QCoreApplication>
#include <QSocketNotifier>

#include <csignal>
#include <cstdio>
#include <sys/socket.h>
#include <unistd.h>

namespace flowdeck::app {
namespace {

int g_signalPipe[2] = {-1, -1};

// A signal handler may only do async-signal-safe work: it writes one byte, and the event
// loop (through a QSocketNotifier) does the rest.
void onSignal(int signo)
{
    const char byte = char(signo);
    [[maybe_unused]] auto n = ::write(g_signalPipe[0], &byte, 1);
}

} // namespace

int runHeadless(const Invocation &inv)
{
    auto host = EngineHost::open(inv.storePath);
    if (!host) {
        std::fprintf(stderr, "flowdeck: %s\n", host.error().message.c_str());
        return 2;
    }
    // A store runs in one engine: a second serve (or a window) on it would run every job twice.
    if (auto claimed = (*host)->claimStore(); !claimed) {
        std::fprintf(stderr, "flowdeck: %s\n", claimed.error().message.c_str());
        return 2;
    }
    // Everyone who reaches a served engine signs in, so a new store needs a first account:
    // `admin`, with a random password written beside the store for the owner alone to read.
    // An in-memory store is gone when the process stops; it gets no file to leave behind.
    if (auto admin = (*host)->createFirstAdmin(); !admin) {
        std::fprintf(stderr, "flowdeck: %s\n", admin.error().message.c_str());
        return 2;
    }
    // Jobs that were running when the last process stopped continue: delays resume with
    // their remaining time, manual tasks keep waiting.
    auto recovered = (*host)->startEngine();
    if (!recovered) {
        std::fprintf(stderr, "flowdeck: recovery failed: %s\n", recovered.error().message.c_str());
        return 2;
    }
    // The REST API, on the engine's (this) thread: requests run between engine steps.
    auto server =
        startApiServer((*host)->api(), inv,
                       inv.listen.isEmpty() ? QString::fromLatin1(kDefaultListen) : inv.listen);
    if (!server) {
        std::fprintf(stderr, "flowdeck: %s\n", server.error().message.c_str());
        return 2;
    }
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, g_signalPipe) != 0) {
        std::perror("flowdeck: socketpair");
        return 2;
    }
    QSocketNotifier notifier(g_signalPipe[1], QSocketNotifier::Read);
    QObject::connect(&notifier, &QSocketNotifier::activated, qApp, [] {
        char byte = 0;
        [[maybe_unused]] auto n = ::read(g_signalPipe[1], &byte, 1);
        std::fprintf(stderr, "flowdeck: %s received, stopping\n",
                     byte == SIGTERM ? "SIGTERM" : "SIGINT");
        QCoreApplication::quit();
    });
    struct sigaction action = {};
    action.sa_handler = onSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    sigaction(SIGINT, &action, nullptr);
    sigaction(SIGTERM, &action, nullptr);

    std::fprintf(stderr,
                 "flowdeck %s: engine running headless on %s (%d running jobs recovered)\n"
                 "flowdeck: stop with Ctrl+C or SIGTERM\n",
                 FLOWDECK_VERSION, qPrintable(inv.storePath), *recovered);
    const int code = QCoreApplication::exec();
    // Requests run to their end inside one event, so none is in hand here: stop accepting,
    // then close the connections with the server.
    (*server)->stopListening();
    server->reset();
    // Everything acknowledged was committed when it was acknowledged; closing the store
    // checkpoints the WAL so the file is compact for the next start.
    std::fprintf(stderr, "flowdeck: stopped\n");
    return code;
}

} // namespace flowdeck::app
