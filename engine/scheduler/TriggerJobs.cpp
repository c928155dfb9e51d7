// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/scheduler/TriggerJobs.h"

#include "engine/runtime/Engine.h"
#include "engine/scheduler/RunGate.h"
#include "engine/store/Store.h"

namespace flowdeck::scheduler {

using nlohmann::json;

json formVariables(const json &trigger, json formData)
{
    const json wrapper = trigger.is_object() ? trigger.value("legacyWrapper", json(true)) : json();
    if (wrapper != false)
        return {{"formData", std::move(formData)}};
    return formData.is_object() ? std::move(formData) : json::object();
}

Result<RunOutcome> startTriggerJob(store::Store &store, runtime::Engine &engine,
                                   const store::AutomationRecord &automation,
                                   const store::TriggerRecord &trigger, json variables,
                                   const TriggerCaller &caller)
{
    RunRequest request;
    request.automation = &automation;
    request.trigger = &trigger;
    // Itential's trigger-started jobs say "Operations Manager" in their description.
    request.description = "Started by Operations Manager " + trigger.type + " trigger \"" +
                          trigger.name + "\" of automation \"" + automation.name + "\"";
    request.variables = std::move(variables);
    request.actor = caller.actor;
    request.principal = caller.principal;
    request.idempotencyKey = caller.idempotencyKey;
    auto outcome = requestRun(store, engine, request);
    if (!outcome || outcome->repeated)
        return outcome;
    // News for event triggers (triggerExecuted); the trigger itself does not fire on it.
    const store::Millis now = engine.clockNow();
    store::SystemEventRecord event;
    event.source = "@itential/app-operations_manager";
    event.topic = "triggerExecuted";
    event.at = now;
    event.payload = {{"triggerId", trigger.id},
                     {"automationId", automation.id},
                     {"type", trigger.type},
                     {"jobId", outcome->job.value("_id", std::string())},
                     {"by", caller.actor.empty() ? json(nullptr) : json(caller.actor)},
                     {"at", now}};
    if (auto r = store.appendSystemEvent(event); !r)
        return r.error();
    return outcome;
}

} // namespace flowdeck::scheduler
