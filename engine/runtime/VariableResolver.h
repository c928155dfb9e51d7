// SPDX-License-Identifier: GPL-3.0-or-later
// Resolves a task's incoming values against the job: whole-string references
// "$var.job.NAME" and "$var.TASKID.NAME" (with an optional "#/json/pointer"), and the
// structured operands {"task": "job"|"static"|TASKID, "variable"|"value": …}. A reference
// to nothing is undefined: its key is left out, never turned into null.
#pragma once

#include "engine/runtime/JobState.h"

#include <nlohmann/json.hpp>

#include <optional>

namespace flowdeck::runtime {

class VariableResolver
{
public:
    explicit VariableResolver(const JobState &job) : m_job(job) {}

    /// A task's incoming object with every top-level reference resolved. Nested values are
    /// literal (Itential resolves only whole top-level values), except one level inside the
    /// values Itential allow-lists for its (app, method): WorkFlowEngine.transformation
    /// `variableMap`, GatewayManager.runService / runServiceStatic `params`, runCode `data`,
    /// AgentSessionManager.runAgent `inputs`.
    nlohmann::json resolveIncoming(const nlohmann::json &incoming, const std::string &app = {},
                                   const std::string &method = {}) const;

    /// One value: a "$var…" string is resolved, anything else returned as it is.
    std::optional<nlohmann::json> resolveValue(const nlohmann::json &value) const;

    /// {"task": T, "variable": V} (or "value": V): job variable V, literal V, or the
    /// outgoing value V of task T.
    std::optional<nlohmann::json> resolveOperand(const nlohmann::json &operand) const;

private:
    std::optional<nlohmann::json> taskOutput(const std::string &task,
                                             const std::string &name) const;
    const JobState &m_job;
};

} // namespace flowdeck::runtime
