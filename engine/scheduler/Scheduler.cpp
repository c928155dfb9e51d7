// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/scheduler/Scheduler.h"

#include "engine/model/JsonFields.h"
#include "engine/runtime/Engine.h"
#include "engine/scheduler/RunGate.h"
#include "engine/scheduler/Schedule.h"
#include "engine/scheduler/TriggerJobs.h"
#include "engine/store/Store.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <set>
#include <utility>

namespace flowdeck::scheduler {
namespace {

using nlohmann::json;

/// How many due triggers one tick reads at once; a tick loops until none is due.
constexpr int kBatch = 500;
/// A group of triggers handled in one transaction ends at this many triggers or this much
/// time, whichever comes first.
constexpr int kGroupTriggers = 100;
constexpr auto kGroupTime = std::chrono::milliseconds(100);
/// What processMissedRuns "all" starts at most when maxMissedRuns is not given.
constexpr int kDefaultMaxMissed = 10;
/// How many instants of one trigger a tick looks at: after a long downtime the missed ones
/// past it are summed up in the last record instead of a row each.
constexpr int kMaxRecorded = 2000;

} // namespace

Scheduler::Scheduler(store::Store &store, runtime::Engine &engine, QObject *parent)
    : QObject(parent), m_store(store), m_engine(engine), m_events(store, engine), m_timer(this)
{
    m_timer.setSingleShot(true);
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, [this] {
        if (auto r = tick(); !r)
            std::fprintf(stderr, "flowdeck: scheduler: %s\n", r.error().message.c_str());
        arm();
    });
    // A job that ends may free a slot a queued job waits for. The engine emits this inside its
    // commit, so the queue moves on after it returns, never inside it.
    connect(&engine, &runtime::Engine::jobChanged, this, [this](const QString &, const QString &s) {
        if (m_pumpQueued || s == QLatin1String("running") || s == QLatin1String("paused"))
            return;
        m_pumpQueued = true;
        QMetaObject::invokeMethod(
            this,
            [this] {
                (void)pump();
                (void)dispatchEvents();
            },
            Qt::QueuedConnection);
    });
}

Result<int> Scheduler::dispatchEvents()
{
    auto n = m_events.dispatch();
    if (!n)
        std::fprintf(stderr, "flowdeck: event triggers: %s\n", n.error().message.c_str());
    return n;
}

Result<int> Scheduler::pump()
{
    m_pumpQueued = false;
    auto n = pumpRuns(m_store, m_engine);
    if (!n)
        std::fprintf(stderr, "flowdeck: run policy: %s\n", n.error().message.c_str());
    return n;
}

void Scheduler::start()
{
    if (m_engine.manualClock())
        return;
    m_timer.start(0);
}

void Scheduler::arm()
{
    if (m_engine.manualClock())
        return;
    auto soonest = m_store.soonestScheduledRun();
    std::int64_t wait = kPollMs;
    if (soonest && *soonest)
        wait = std::clamp<std::int64_t>(**soonest - m_engine.clockNow(), 0, kPollMs);
    m_timer.start(int(wait));
}

Result<int> Scheduler::tick()
{
    const store::Millis now = m_engine.clockNow();
    // Timeouts, freed slots and queued jobs first: a schedule's start then waits behind them.
    auto pumped = pump();
    int started = pumped ? *pumped : 0;
    // A trigger whose next run does not move (its instants failed to record) must not spin
    // the loop: each is handled once per tick.
    std::set<std::string> seen;
    for (;;) {
        auto due = m_store.dueScheduleTriggers(now, kBatch);
        if (!due)
            return due.error();
        bool progressed = false;
        std::size_t next = 0;
        while (next < due->size()) {
            // A group of triggers is one transaction: one sync to disk for many starts instead
            // of one each, which is what lets 10,000 every-minute triggers keep up. A group is
            // small and short so writers on other threads (the API) wait little for the lock.
            const auto deadline = std::chrono::steady_clock::now() + kGroupTime;
            int handled = 0;
            auto group = m_store.transaction([&]() -> Result<void> {
                for (; next < due->size() && handled < kGroupTriggers &&
                       std::chrono::steady_clock::now() < deadline;
                     ++next) {
                    const auto &trigger = (*due)[next];
                    if (!seen.insert(trigger.id).second)
                        continue;
                    progressed = true;
                    ++handled;
                    auto n = handle(trigger, now);
                    if (!n) {
                        std::fprintf(stderr, "flowdeck: scheduler: trigger \"%s\": %s\n",
                                     trigger.name.c_str(), n.error().message.c_str());
                        continue;
                    }
                    started += *n;
                }
                return {};
            });
            if (!group) {
                // Nothing of the group was kept: its instants are still due and fire next tick.
                m_fired.clear();
                return group.error();
            }
            announceFired();
        }
        if (!progressed || int(due->size()) < kBatch)
            break;
    }
    // Events last: a job the pass above ended or started is news for event triggers.
    if (auto events = dispatchEvents(); events)
        started += *events;
    return started;
}

void Scheduler::announceFired()
{
    // Only once committed: whoever hears it may read the job from another connection.
    auto fired = std::exchange(m_fired, {});
    for (const auto &[trigger, instant, job] : fired)
        Q_EMIT this->fired(trigger, instant, job);
}

Result<int> Scheduler::handle(const store::TriggerRecord &trigger, store::Millis now)
{
    auto schedule = Schedule::fromTrigger(trigger.document);
    if (!schedule || !trigger.nextRunAt) {
        // Stored before it was checked, or damaged since: it cannot say when to fire.
        (void)m_store.setTriggerNextRun(trigger.id, std::nullopt);
        return schedule ? Result<int>(0) : Result<int>(schedule.error());
    }
    // Every instant from the stored next run up to now, at most a bounded number.
    const json policyField = fields::member(trigger.document, "processMissedRuns");
    const std::string policy = policyField.is_string() ? policyField.get<std::string>() : "none";
    const json maxField = fields::member(trigger.document, "maxMissedRuns");
    const int maxMissed = maxField.is_number_integer()
                              ? int(std::clamp<std::int64_t>(maxField.get<std::int64_t>(), 1, 1000))
                              : kDefaultMaxMissed;
    std::vector<store::Millis> due{*trigger.nextRunAt};
    bool more = false; // missed instants past kMaxRecorded, not listed one by one
    for (;;) {
        const auto next = schedule->nextAfter(due.back());
        if (!next || *next > now)
            break;
        if (int(due.size()) >= kMaxRecorded) {
            more = true;
            break;
        }
        due.push_back(*next);
    }
    std::vector<store::Millis> onTime, missed;
    for (const auto instant : due)
        (now - instant <= kOnTimeMs ? onTime : missed).push_back(instant);

    std::vector<store::Millis> toFire = onTime;
    std::vector<std::pair<store::Millis, std::string>> toSkip;
    if (policy == "all") {
        const std::size_t keep = std::min<std::size_t>(missed.size(), std::size_t(maxMissed));
        toFire.insert(toFire.begin(), missed.end() - std::ptrdiff_t(keep), missed.end());
        for (std::size_t i = 0; i + keep < missed.size(); ++i)
            toSkip.emplace_back(missed[i], "missed; more than maxMissedRuns (" +
                                               std::to_string(maxMissed) + ") were missed");
    } else if (policy == "last" && onTime.empty() && !missed.empty()) {
        toFire.push_back(missed.back());
        for (std::size_t i = 0; i + 1 < missed.size(); ++i)
            toSkip.emplace_back(missed[i], "missed; processMissedRuns is last, and a later run "
                                           "was started instead");
    } else {
        for (const auto instant : missed)
            toSkip.emplace_back(instant, "missed while Flowdeck was not running; "
                                         "processMissedRuns is " +
                                             policy);
    }
    std::sort(toFire.begin(), toFire.end());
    if (more && !toSkip.empty())
        toSkip.back().second += "; later instants up to now were missed too and are not listed";

    auto automation = m_store.automationById(trigger.automationId);
    int started = 0;
    for (const auto &[instant, why] : toSkip)
        skip(trigger, instant, now, why);
    if (!missed.empty()) {
        // News for event triggers (missedJobs), whatever the policy made of them.
        store::SystemEventRecord event;
        event.source = "@itential/app-operations_manager";
        event.topic = "missedJobs";
        event.at = now;
        event.payload = {{"triggerId", trigger.id},     {"automationId", trigger.automationId},
                         {"name", trigger.name},        {"missed", missed},
                         {"processMissedRuns", policy}, {"at", now}};
        if (auto r = m_store.appendSystemEvent(event); !r)
            std::fprintf(stderr, "flowdeck: scheduler: trigger \"%s\": %s\n", trigger.name.c_str(),
                         r.error().message.c_str());
    }
    for (const auto instant : toFire) {
        if (!automation) {
            skip(trigger, instant, now,
                 "its automation cannot be read: " + automation.error().message);
            continue;
        }
        auto fired = fire(trigger, *automation, instant, now);
        if (fired && *fired)
            ++started;
    }
    // The next run strictly after both now and the last instant looked at.
    const auto next = schedule->nextAfter(std::max(now, due.back()));
    if (started > 0) {
        if (auto marked = m_store.markTriggerExecuted(trigger.id, now, next); !marked)
            return marked.error();
        return started;
    }
    if (auto moved = m_store.setTriggerNextRun(trigger.id, next); !moved)
        return moved.error();
    return started;
}

Result<bool> Scheduler::fire(const store::TriggerRecord &trigger,
                             const store::AutomationRecord &automation, store::Millis instant,
                             store::Millis now)
{
    std::string jobId;
    std::string failure;
    // One transaction: the instant's row and the job it starts are committed together.
    auto done = m_store.transaction([&]() -> Result<void> {
        auto already = m_store.triggerFired(trigger.id, instant);
        if (!already)
            return already.error();
        if (*already)
            return {};
        json formData = fields::member(trigger.document, "formData");
        if (!formData.is_object())
            formData = json::object();
        auto job = startTriggerJob(m_store, m_engine, automation, trigger,
                                   formVariables(trigger.document, std::move(formData)),
                                   {"Operations Manager", std::nullopt, std::nullopt});
        if (!job) {
            failure = job.error().message;
            return job.error();
        }
        jobId = fields::textAt(job->job, "_id");
        store::TriggerFireRecord record{trigger.id, instant, "started", jobId, {}, now};
        return m_store.recordTriggerFire(record);
    });
    if (!done) {
        if (!failure.empty())
            skip(trigger, instant, now, "the job could not start: " + failure);
        return done.error();
    }
    if (jobId.empty())
        return false;
    m_fired.push_back({QString::fromStdString(trigger.id), instant, QString::fromStdString(jobId)});
    return true;
}

void Scheduler::skip(const store::TriggerRecord &trigger, store::Millis instant, store::Millis now,
                     const std::string &why)
{
    const std::string outcome = why.starts_with("the job could not start") ? "failed" : "skipped";
    store::TriggerFireRecord record{trigger.id, instant, outcome, std::nullopt, why, now};
    // Recorded once: an instant handled before (a crash after its commit) keeps its row.
    if (auto r = m_store.recordTriggerFire(record); !r && r.error().code != ErrorCode::Conflict)
        std::fprintf(stderr, "flowdeck: scheduler: trigger \"%s\": %s\n", trigger.name.c_str(),
                     r.error().message.c_str());
}

} // namespace flowdeck::scheduler
