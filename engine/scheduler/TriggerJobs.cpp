// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/scheduler/TriggerJobs.h"

#include "engine/runtime/Engine.h"
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

Result<json> startTriggerJob(store::Store &store, runtime::Engine &engine,
                             const store::AutomationRecord &automation,
                             const store::TriggerRecord &trigger, json variables,
                             const TriggerCaller &caller)
{
    const json component = automation.document.value("componentId", json());
    if (!component.is_string())
        return Error::conflict("automation \"" + automation.name +
                               "\" has no workflow (componentId) to run");
    auto workflow = store.workflowById(component.get<std::string>());
    if (!workflow) {
        if (workflow.error().code == ErrorCode::NotFound)
            return Error::conflict("the workflow of automation \"" + automation.name +
                                   "\" no longer exists");
        return workflow.error();
    }
    runtime::StartJobOptions options;
    options.workflow = workflow->name;
    // Itential's trigger-started jobs say "Operations Manager" in their description.
    options.description = "Started by Operations Manager " + trigger.type + " trigger \"" +
                          trigger.name + "\" of automation \"" + automation.name + "\"";
    options.variables = std::move(variables);
    options.actor = caller.actor;
    options.principal = caller.principal;
    // The job and its automation's link (webhooks, health) are committed together.
    Result<json> job = Error::internal("the job was not started");
    auto done = store.transaction([&]() -> Result<void> {
        job = engine.startJob(options);
        if (!job)
            return job.error();
        return store.linkAutomationJob(job->value("_id", std::string()), automation.id, trigger.id,
                                       engine.clockNow());
    });
    if (!done)
        return done.error();
    return job;
}

} // namespace flowdeck::scheduler
