// SPDX-License-Identifier: GPL-3.0-or-later
// A workflow: the Itential document of tasks and transitions (its JSON says
// "type": "automation"). Flowdeck keeps the document as it came, every key included, so an
// export equals the import; the accessors below read it without copying.
#pragma once

#include "engine/model/Error.h"
#include "engine/model/GridPosition.h"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace flowdeck::model {

inline constexpr const char *kWorkflowStart = "workflow_start";
inline constexpr const char *kWorkflowEnd = "workflow_end";

/// One edge of transitions[from][to]. Stale entries ({} pointing at a task that is gone) are
/// not edges; they stay in the document for export but are never followed.
struct TransitionEdge
{
    std::string from;
    std::string to;
    std::string state; ///< success | failure | error | loop
    std::string type;  ///< standard | revert
};

class Workflow
{
public:
    Workflow() = default;

    /// Wraps a document that passed validation (or is trusted, e.g. read back from the store).
    /// Fails only when the document is not a JSON object with a non-empty string name.
    static Result<Workflow> fromJson(nlohmann::json document);

    const std::string &name() const { return m_name; }
    const nlohmann::json &document() const { return m_doc; }
    nlohmann::json &document() { return m_doc; }

    /// The task map (an empty object when the document has none).
    const nlohmann::json &tasks() const;
    bool hasTask(const std::string &key) const;
    std::vector<std::string> taskKeys() const;

    /// Every live transition: both ends exist in tasks and the value carries a state.
    std::vector<TransitionEdge> edges() const;

    const nlohmann::json &inputSchema() const;
    std::vector<std::string> groups() const;

    /// The grid cell of a task (see GridPosition.h), or nullopt when the task has no position.
    std::optional<GridPoint> taskPosition(const std::string &key) const;

private:
    nlohmann::json m_doc = nlohmann::json::object();
    std::string m_name;
};

} // namespace flowdeck::model
