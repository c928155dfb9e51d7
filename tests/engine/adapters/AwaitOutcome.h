// SPDX-License-Identifier: GPL-3.0-or-later
// Waits (spinning the event loop, at most 30 s) for an adapter outcome that arrives on the
// adapters' I/O thread: how the adapter tests make one call or one health check at a time.
#pragma once

#include "engine/adapters/AdapterOutcome.h"

#include <QEventLoop>
#include <QTimer>

#include <functional>

namespace flowdeck::test {

/// Runs `start` with a completion and answers what it was given.
inline adapters::AdapterOutcome
awaitOutcome(const std::function<void(std::function<void(adapters::AdapterOutcome)>)> &start)
{
    QEventLoop loop;
    adapters::AdapterOutcome outcome;
    bool done = false;
    start([&](adapters::AdapterOutcome o) {
        QMetaObject::invokeMethod(&loop, [&, o = std::move(o)]() mutable {
            outcome = std::move(o);
            done = true;
            loop.quit();
        });
    });
    QTimer::singleShot(30000, &loop, &QEventLoop::quit);
    if (!done)
        loop.exec();
    if (!done)
        qWarning("the adapter outcome did not come within 30 s");
    return outcome;
}

} // namespace flowdeck::test
