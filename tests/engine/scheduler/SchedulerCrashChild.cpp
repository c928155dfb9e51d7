// SPDX-License-Identifier: GPL-3.0-or-later
// Child process of TestSchedulerCrash: opens the store as the app does (recover, then the
// scheduler on the engine), on a fast clock shared by every child of one test, and ticks until
// that clock reaches UNTIL; prints "done fired=N" then. The parent kills it with SIGKILL at
// random moments, or it kills itself inside a fire's transaction, and starts it again.
//
// Usage: scheduler_crash_child DB CLOCK0 EPOCH0 SPEED UNTIL [lock] [selfkill=K]
//   The fast clock reads CLOCK0 + (wall clock - EPOCH0) * SPEED (milliseconds), so children
//   started at different moments agree on which instant is due.
//   lock        take the store's lock first, as the app does (EngineHost::claimStore); exit 3
//               with the lock's message when another process holds it.
//   selfkill=K  SIGKILL itself when the engine reports its K-th job: the engine has written
//               that job (a savepoint) but the scheduler's transaction, which also records the
//               instant, has not committed. Prints "dying JOBID" first.
#include "engine/runtime/Engine.h"
#include "engine/scheduler/Scheduler.h"
#include "engine/store/SqliteStore.h"
#include "engine/store/StoreLock.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QTimer>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <string>

using namespace flowdeck;

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    if (argc < 6) {
        std::fprintf(stderr, "usage: scheduler_crash_child DB CLOCK0 EPOCH0 SPEED UNTIL [lock] "
                             "[selfkill=K]\n");
        return 2;
    }
    const std::string db = argv[1];
    const qint64 clock0 = std::atoll(argv[2]);
    const qint64 epoch0 = std::atoll(argv[3]);
    const qint64 speed = std::atoll(argv[4]);
    const qint64 until = std::atoll(argv[5]);
    bool lock = false;
    int selfKill = 0;
    for (int i = 6; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "lock")
            lock = true;
        else if (a.rfind("selfkill=", 0) == 0)
            selfKill = std::atoi(a.c_str() + 9);
    }

    store::StoreLock held;
    if (lock) {
        auto acquired = store::StoreLock::acquire(db);
        if (!acquired) {
            std::fprintf(stderr, "%s\n", acquired.error().message.c_str());
            return 3;
        }
        held = std::move(*acquired);
    }
    auto opened = store::SqliteStore::open(db);
    if (!opened) {
        std::fprintf(stderr, "open: %s\n", opened.error().message.c_str());
        return 1;
    }
    auto &store = **opened;
    const auto clock = [=] {
        return clock0 + (QDateTime::currentMSecsSinceEpoch() - epoch0) * speed;
    };
    runtime::Engine engine(store, clock);
    if (auto r = engine.recover(); !r) {
        std::fprintf(stderr, "recover: %s\n", r.error().message.c_str());
        return 1;
    }
    scheduler::Scheduler scheduler(store, engine);
    int fired = 0;
    QObject::connect(&scheduler, &scheduler::Scheduler::fired, [&] { ++fired; });
    int jobs = 0;
    QObject::connect(&engine, &runtime::Engine::jobChanged,
                     [&](const QString &jobId, const QString &) {
                         if (selfKill <= 0 || ++jobs < selfKill)
                             return;
                         std::printf("dying %s\n", qPrintable(jobId));
                         std::fflush(stdout);
                         std::raise(SIGKILL);
                     });
    std::printf("ticking\n");
    std::fflush(stdout);
    // The engine's clock is not the real one, so the scheduler arms no timer: tick often.
    QTimer timer;
    QObject::connect(&timer, &QTimer::timeout, [&] {
        const qint64 now = clock();
        if (auto r = scheduler.tick(); !r)
            std::fprintf(stderr, "tick: %s\n", r.error().message.c_str());
        if (now >= until) {
            std::printf("done fired=%d\n", fired);
            std::fflush(stdout);
            QCoreApplication::quit();
        }
    });
    timer.start(5);
    return QCoreApplication::exec();
}
