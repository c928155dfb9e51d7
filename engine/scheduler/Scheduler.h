// SPDX-License-Identifier: GPL-3.0-or-later
// Fires schedule triggers on the engine's clock, on the engine's thread. Each (trigger,
// scheduled instant) is handled once, ever: its trigger_fires row is written in the same
// transaction as the job it starts, so a crash (kill -9) between the tick and the commit
// leaves neither and the instant fires after the restart, and a crash after it leaves both and
// it does not fire again. The triggers due in a tick are handled in groups, each group one
// transaction, so a busy minute costs a sync to disk per group, not per job. Instants missed while
// Flowdeck was down are handled by the trigger's processMissedRuns: none (skip them), last (start
// the newest one), all (start each, at most maxMissedRuns); every skipped instant is recorded,
// never silently dropped.
#pragma once

#include "engine/model/Error.h"
#include "engine/scheduler/EventTriggers.h"
#include "engine/store/Records.h"

#include <QObject>
#include <QTimer>

#include <vector>

namespace flowdeck::store {
class Store;
}
namespace flowdeck::runtime {
class Engine;
}

namespace flowdeck::scheduler {

class Scheduler : public QObject
{
    Q_OBJECT
public:
    /// An instant is on time when the tick that sees it comes at most this late; older ones
    /// were missed (Flowdeck was not running, or the machine slept).
    static constexpr store::Millis kOnTimeMs = 60'000;
    /// Without a sooner instant the scheduler still looks this often, so a trigger created or
    /// changed through the API is seen within it.
    static constexpr int kPollMs = 1000;

    /// Lives on the engine's thread (give the engine as parent to move with it).
    Scheduler(store::Store &store, runtime::Engine &engine, QObject *parent = nullptr);

    /// Handles every instant due by the engine's clock, then the events after the event
    /// triggers' cursors (EventTriggers); returns how many jobs it started. The timer calls it;
    /// tests with a manual clock call it after moving time.
    Result<int> tick();

    /// Starts the timer (a real clock only): the first tick runs as soon as the event loop does.
    void start();

    /// Moves queued jobs on (RunGate's pumpRuns): timeouts, freed slots, admissions. tick()
    /// does it first; a job's end asks for it. Answers how many queued jobs started.
    Result<int> pump();

    /// Starts the jobs of event triggers whose events came (EventTriggers::dispatch). tick()
    /// does it last; an engine commit asks for it.
    Result<int> dispatchEvents();

Q_SIGNALS:
    /// A schedule trigger started a job for its instant `scheduledAt`.
    void fired(const QString &triggerId, qint64 scheduledAt, const QString &jobId);

private:
    Result<int> handle(const store::TriggerRecord &trigger, store::Millis now);
    Result<bool> fire(const store::TriggerRecord &trigger,
                      const store::AutomationRecord &automation, store::Millis instant,
                      store::Millis now);
    void skip(const store::TriggerRecord &trigger, store::Millis instant, store::Millis now,
              const std::string &why);
    void arm();
    void announceFired();

    store::Store &m_store;
    runtime::Engine &m_engine;
    EventTriggers m_events;
    QTimer m_timer;
    bool m_pumpQueued = false;
    struct Fired
    {
        QString trigger;
        qint64 instant;
        QString job;
    };
    std::vector<Fired> m_fired; ///< started in the open group, announced once it commits
};

} // namespace flowdeck::scheduler
