// SPDX-License-Identifier: GPL-3.0-or-later
// Tasks that complete later (adapter calls): the engine records the task as running, sends
// the call after the commit that made it durable, and applies the result when it comes back
// as an event on the engine thread. The engine thread never waits on the call.
#include "engine/runtime/Engine.h"

#include <QMetaObject>

namespace flowdeck::runtime {

using nlohmann::json;

void Engine::issueCall(JobState &job, int t)
{
    const auto &g = *job.graph;
    const auto &rt = job.tasks[std::size_t(t)];
    TaskCall call;
    call.jobId = job.id;
    call.taskKey = g.key(t);
    call.iteration = rt.iterations.back();
    call.run = int(rt.iterations.size());
    call.issue = rt.calls + 1;
    call.app = g.app(t);
    call.method = g.method(t);
    call.incoming = rt.incoming;
    // The send is in the log before it happens, so recovery knows how often it went out.
    record(job, "callIssued",
           {{"task", call.taskKey}, {"iteration", call.iteration}, {"issue", call.issue}});
    m_burst.calls.push_back(std::move(call));
}

void Engine::completeCall(const TaskCall &call, tasks::MethodResult result)
{
    bool queue = false;
    {
        const std::lock_guard lock(m_resultsMutex);
        m_results.push_back({call, std::move(result)});
        queue = !m_drainQueued;
        m_drainQueued = true;
    }
    if (queue)
        QMetaObject::invokeMethod(this, &Engine::drainCallResults, Qt::QueuedConnection);
}

void Engine::drainCallResults()
{
    // At most a slice of the results per turn of the event loop, committed together: with
    // hundreds arriving, one commit of all of them held the loop for half a second, and every
    // other job's start, timer and request waited behind it (bench_adapters' start lateness).
    // The rest go back in front and the next slice waits on a zero timer, not a posted event:
    // measured, the timer lets the other work that came in meanwhile (starts, timers,
    // requests) go first more often (bench_adapters: the other jobs' p50 latency 15.9 → 11.8
    // ms, p99 210 → 151 ms).
    std::vector<CallResult> results;
    {
        const std::lock_guard lock(m_resultsMutex);
        if (m_results.size() <= kResultsPerTurn) {
            results.swap(m_results);
            m_drainQueued = false;
        } else {
            const auto cut = m_results.begin() + std::ptrdiff_t(kResultsPerTurn);
            results.assign(std::make_move_iterator(m_results.begin()),
                           std::make_move_iterator(cut));
            m_results.erase(m_results.begin(), cut);
            m_drainTimer.start();
        }
    }
    (void)write<bool>([&]() -> Result<bool> {
        for (auto &[call, result] : results) {
            if (m_inflight.erase(call.iteration) == 0)
                continue; // canceled, or answered already
            auto found = m_jobs.find(call.jobId);
            if (found == m_jobs.end())
                continue;
            JobState &job = *found->second;
            const int t = job.taskIndex(call.taskKey);
            if (t < 0)
                continue;
            const auto &rt = job.tasks[std::size_t(t)];
            if (rt.status != TaskStatus::Running || rt.iterations.empty() ||
                rt.iterations.back() != call.iteration)
                continue; // the run moved on since
            finishTask(job, t, call.iteration, result.finishState, std::move(result.outgoing),
                       std::move(result.jobVariableWrites), result.errorMessage, nullptr,
                       std::nullopt, std::move(result.call));
            m_pendingAdvance.insert(job.id);
        }
        return true;
    });
}

void Engine::cancelStoppedCalls(const JobState &job)
{
    if (m_inflight.empty() || !m_async)
        return;
    for (const auto &rt : job.tasks) {
        if (rt.iterations.empty())
            continue;
        const bool stopped = job.status != JobStatus::Running || rt.status != TaskStatus::Running;
        if (!stopped)
            continue;
        if (auto it = m_inflight.find(rt.iterations.back()); it != m_inflight.end()) {
            m_async->cancel(it->first);
            m_inflight.erase(it);
        }
    }
}

} // namespace flowdeck::runtime
