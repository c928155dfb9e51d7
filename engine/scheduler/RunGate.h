// SPDX-License-Identifier: GPL-3.0-or-later
// Every start through an automation — a manual or endpoint trigger, a schedule, an event —
// passes its runPolicy here. A start the policy admits runs at once; one it does not becomes
// a queued job: a real job row (status "queued", the reason in words) beside its
// automation_runs row, both written in one transaction, so a queued job survives a crash and
// starts, under its own id, when pump() admits it (first in, first out per automation and key).
#pragma once

#include "engine/model/Error.h"
#include "engine/model/Principal.h"
#include "engine/store/Records.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

namespace flowdeck::store {
class Store;
}
namespace flowdeck::runtime {
class Engine;
}

namespace flowdeck::scheduler {

/// One start asked of an automation.
struct RunRequest
{
    const store::AutomationRecord *automation = nullptr;
    const store::TriggerRecord *trigger = nullptr; ///< the trigger that fires, if any
    nlohmann::json variables = nlohmann::json::object();
    std::string description;
    std::string actor;
    std::optional<model::Principal> principal; ///< whose GBAC applies; none for the system
    /// With runPolicy.dedup_window_secs: a start with a key seen within the window answers the
    /// job of the first one instead of starting another.
    std::optional<std::string> idempotencyKey;
};

/// What became of a start: the job document (running, or queued with its statusReason).
struct RunOutcome
{
    nlohmann::json job;
    bool queued = false;
    bool repeated = false; ///< the Idempotency-Key was seen in the window: `job` is the first
};

/// Starts or queues the job `request` asks for. Conflict when the automation has no workflow
/// or it was deleted; the engine's errors (inputSchema, GBAC) for a start admitted at once.
Result<RunOutcome> requestRun(store::Store &store, runtime::Engine &engine,
                              const RunRequest &request);

/// Cancels a queued job before it starts: it leaves the queue and keeps its row, canceled,
/// with who did it. Conflict when the job is not queued; NotFound when it has no run.
Result<nlohmann::json> cancelQueued(store::Store &store, const std::string &jobId,
                                    const std::string &actor, store::Millis now);

/// Moves every automation's runs on at the engine's clock: cancels jobs past timeout_secs,
/// frees the slots of jobs that ended, and starts the queued jobs the policies now admit.
/// Answers how many queued jobs it started. The scheduler calls it on each tick and when a
/// job ends.
Result<int> pumpRuns(store::Store &store, runtime::Engine &engine);

} // namespace flowdeck::scheduler
