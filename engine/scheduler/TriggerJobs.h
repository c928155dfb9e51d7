// SPDX-License-Identifier: GPL-3.0-or-later
// Starting the job a trigger asks for, the same way whoever fires it: the API (endpoint and
// manual runs) and the scheduler (schedule triggers).
#pragma once

#include "engine/model/Error.h"
#include "engine/model/Principal.h"
#include "engine/scheduler/RunGate.h"
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

/// The variables a form-carrying trigger (manual, schedule) gives its job: with legacyWrapper
/// (the default) the whole form is one variable `formData`; without, each field is a variable.
nlohmann::json formVariables(const nlohmann::json &trigger, nlohmann::json formData);

/// Who fires a trigger: the actor named on the job, and the principal whose GBAC applies
/// (none for the scheduler, which acts for the trigger's owner).
struct TriggerCaller
{
    std::string actor;
    std::optional<model::Principal> principal;
    std::optional<std::string> idempotencyKey; ///< the Idempotency-Key of an API run
};

/// Starts the workflow of `automation` for `trigger` with `variables`, described as Itential
/// describes trigger-started jobs, through the automation's runPolicy (RunGate): the answer
/// is the job document, running or queued. Conflict when the automation has no workflow or it
/// was deleted; the engine's errors (inputSchema) as they are.
Result<RunOutcome> startTriggerJob(store::Store &store, runtime::Engine &engine,
                                   const store::AutomationRecord &automation,
                                   const store::TriggerRecord &trigger, nlohmann::json variables,
                                   const TriggerCaller &caller);

} // namespace flowdeck::scheduler
