// SPDX-License-Identifier: GPL-3.0-or-later
// Tasks that complete later: the engine's side of an adapter call. The engine (runtime) sends
// calls through this interface; engine/adapters implements it. Neither depends on the other.
#pragma once

#include "engine/tasks/BuiltinMethod.h"

#include <nlohmann/json.hpp>

#include <string>

namespace flowdeck::tasks {

/// One call of a task that completes later (an adapter request). The engine sends it only
/// after the task's start is committed, and sends it again on recovery when the process died
/// with it in flight: at least once, each time with the same idempotency key.
struct TaskCall
{
    std::string jobId;
    std::string taskKey;
    std::string iteration; ///< the run's UUID: how the result finds its task
    int run = 1;           ///< which run of the task in this job (1 for the first)
    int issue = 1;         ///< 1 when first sent, 2… when sent again after a restart or resume
    std::string app;
    std::string method;
    nlohmann::json incoming;
    /// Stable across re-issues of the same run: job id, task key and run number.
    std::string idempotencyKey() const { return jobId + ":" + taskKey + ":" + std::to_string(run); }
};

/// Runs the tasks that complete later. dispatch() and cancel() are called on the engine thread
/// and must not block; the result comes back through Engine::completeCall() from any thread.
class AsyncTasks
{
public:
    virtual ~AsyncTasks() = default;
    /// True for the tasks it runs (by app and method), checked before the built-in methods.
    virtual bool handles(const std::string &app, const std::string &method) const = 0;
    virtual void dispatch(TaskCall call) = 0;
    /// The job was canceled or paused, or the task ended another way: abandon the call (the
    /// engine ignores a result that still arrives).
    virtual void cancel(const std::string &iteration) = 0;
};

} // namespace flowdeck::tasks
