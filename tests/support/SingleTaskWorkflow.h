// SPDX-License-Identifier: GPL-3.0-or-later
// workflow_start → one task → workflow_end: the smallest workflow that runs, which the
// scheduler, run-policy, trigger and automation tests (and their crash children) all start.
#pragma once

#include <nlohmann/json.hpp>

#include <string>

namespace flowdeck::test {

/// An automatic WorkFlowEngine task calling `method` with `incoming`.
inline nlohmann::json engineTask(const std::string &method, nlohmann::json incoming,
                                 nlohmann::json outgoing = nlohmann::json::object())
{
    return {{"name", method},
            {"app", "WorkFlowEngine"},
            {"type", "automatic"},
            {"variables", {{"incoming", std::move(incoming)}, {"outgoing", std::move(outgoing)}}}};
}

/// The workflow `name` whose one task, under `key`, is `task`; success edges only.
inline nlohmann::json singleTaskWorkflow(const std::string &name, nlohmann::json task,
                                         const std::string &key = "a1")
{
    const nlohmann::json edge = {{"state", "success"}, {"type", "standard"}};
    return {{"name", name},
            {"type", "automation"},
            {"tasks",
             {{"workflow_start", {{"name", "workflow_start"}}},
              {"workflow_end", {{"name", "workflow_end"}}},
              {key, std::move(task)}}},
            {"transitions",
             {{"workflow_start", {{key, edge}}},
              {key, {{"workflow_end", edge}}},
              {"workflow_end", nlohmann::json::object()}}}};
}

} // namespace flowdeck::test
