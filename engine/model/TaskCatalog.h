// SPDX-License-Identifier: GPL-3.0-or-later
// What a task can be, and the task document each kind starts as. The WorkFlowEngine methods
// are described here once (their summaries, incoming and outgoing values, defaults), in the
// shape Itential's GET /workflow_builder/tasks/list gives its palette; adapter methods, JSTs
// and workflows become entries of the same shape from their own documents. The editor's
// palette, the task list route and the validator read the same table. No Qt.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace flowdeck::model {

/// Every WorkFlowEngine method a workflow may name, as a tasks/list entry:
/// {name, canvasName, summary, description, app: "WorkFlowEngine", location: "Application",
///  type: automatic|operation|manual, displayName, deprecated, view (manual tasks),
///  variables: {incoming: {NAME: {type, description, required, value}},
///              outgoing: {NAME: {type, description}}}}.
/// `value` is what a new task starts with. Sorted by name.
const nlohmann::json &workflowEngineTasks();

/// The entry of that method name (the task's "name", never its canvasName), or nullptr.
const nlohmann::json *findWorkflowEngineTask(std::string_view name);

/// A tasks/list entry for one method of an adapter instance (`method` as the instance's
/// definition holds it: {name, summary, inputs[{name, in, required, schema}], ...}): location
/// Adapter, app the instance's app, and adapter_id naming the instance among the incoming
/// values; its outgoing value is `result`.
nlohmann::json adapterTaskEntry(const nlohmann::json &method, const std::string &instance,
                                const std::string &app);

/// A transformation task entry for a stored JST ({_id, name, incoming[], outgoing[]}): tr_id
/// set, variableMap keyed by its incoming $ids, one outgoing value per outgoing $id.
nlohmann::json transformationTaskEntry(const nlohmann::json &jst);

/// A childJob task entry for a stored workflow ({name, inputSchema}): workflow set, one
/// variables entry per property of its input schema.
nlohmann::json childJobTaskEntry(const nlohmann::json &workflow);

/// The task document an entry places on the canvas (without key or position): name,
/// canvasName, summary, description, app, type, location, locationType, displayName, actor,
/// groups, variables {incoming (each value's starting value), outgoing (each ""), error,
/// decorators}, and view for a manual task.
nlohmann::json taskFromEntry(const nlohmann::json &entry);

/// The incoming values `entry` says are required and `task` leaves unset: absent, or null or
/// "" where the value is not text (an empty text is a value: query's "" is the whole object).
/// Sorted by name.
std::vector<std::string> unsetRequiredValues(const nlohmann::json &task,
                                             const nlohmann::json &entry);

} // namespace flowdeck::model
