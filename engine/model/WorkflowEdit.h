// SPDX-License-Identifier: GPL-3.0-or-later
// Changes to a workflow document as the canvas editor makes them, each one undoable. An edit
// is a named list of changes at JSON pointers, each with the value before and after (absent
// when the member did not exist or no longer does), so applying and reverting are exact: an
// undo gives the document back byte for byte, and an edit costs what it touches, not a copy
// of a 2,000-task document. The builders read the document, refuse what would break it with
// the reason in words, and never change it themselves. No Qt: the undo stack (ui/editor) and
// tests drive it alike.
#pragma once

#include "engine/model/Error.h"
#include "engine/model/GridPosition.h"

#include <nlohmann/json.hpp>

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace flowdeck::model {

struct DocumentChange
{
    nlohmann::json::json_pointer at;
    std::optional<nlohmann::json> before; ///< absent: the member did not exist
    std::optional<nlohmann::json> after;  ///< absent: the member is removed
};

struct WorkflowEdit
{
    std::string name; ///< what the Edit menu says: "Move 3 tasks", "Connect …"
    std::vector<DocumentChange> changes;
    bool empty() const { return changes.empty(); }
};

/// A new workflow named `name`: Start and End three cells apart on a canvas 3 document, no
/// transitions, an input schema with no properties.
nlohmann::json emptyWorkflow(const std::string &name);

/// Applies an edit built for `doc` (in order) / takes it back (in reverse order).
void applyEdit(nlohmann::json &doc, const WorkflowEdit &edit);
void revertEdit(nlohmann::json &doc, const WorkflowEdit &edit);

enum class TransitionState { Success, Failure, Error };
const char *transitionStateName(TransitionState state);

/// Moves tasks to grid cells, snapped to whole cells, in every position form each task has
/// (GridPosition). Tasks already there are left out; an empty edit when nothing moves.
Result<WorkflowEdit> moveTasks(const nlohmann::json &doc,
                               const std::map<std::string, GridPoint> &to);

/// Adds `task` (a task document without a key) at `cell` under a new key (four hex digits,
/// like Itential's, unused in the document); returns the edit and the key. Its position is
/// written in the form the document's other tasks use (canvas 3 pixels, 1.5 fractions, grid
/// cells), so a saved document keeps its canvas version.
Result<std::pair<WorkflowEdit, std::string>> addTask(const nlohmann::json &doc, nlohmann::json task,
                                                     GridPoint cell);

/// `wanted` when no task stands on that cell, else the first free cell below it.
GridPoint freeCellNear(const nlohmann::json &doc, GridPoint wanted);

/// The tasks an edit does nothing but move (every change is to a position member of a task:
/// nodeLocation, gridCoordinate, x, y), or nullopt when it changes anything else.
std::optional<std::vector<std::string>> movedTasksOnly(const WorkflowEdit &edit);

/// One edit that makes `first`, then `second` (built for the document `first` leaves).
WorkflowEdit chainEdits(WorkflowEdit first, const WorkflowEdit &second, std::string name);

/// Deletes tasks and every transition into and out of them. workflow_start and workflow_end
/// cannot be deleted.
Result<WorkflowEdit> removeTasks(const nlohmann::json &doc, const std::vector<std::string> &keys);

/// Joins `from` to `to` on `state`. Refused with the reason: an unknown task, a task to
/// itself, out of workflow_end or into workflow_start, and a second transition between the
/// same two tasks (the document holds one per pair: change its state instead). Several
/// transitions out of a task on the same state are allowed: they run in parallel.
Result<WorkflowEdit> connectTasks(const nlohmann::json &doc, const std::string &from,
                                  const std::string &to, TransitionState state,
                                  bool revert = false);

Result<WorkflowEdit> disconnectTasks(const nlohmann::json &doc, const std::string &from,
                                     const std::string &to);

Result<WorkflowEdit> setTransitionState(const nlohmann::json &doc, const std::string &from,
                                        const std::string &to, TransitionState state);

/// Sets (or, with no value, removes) the member at `inTask` (a pointer inside the task, e.g.
/// /variables/incoming/obj) of task `key`, making the objects on the way that are missing.
/// An empty edit when the value is already that. Start and End carry no values.
Result<WorkflowEdit> setTaskValue(const nlohmann::json &doc, const std::string &key,
                                  const nlohmann::json::json_pointer &inTask,
                                  std::optional<nlohmann::json> value, std::string name);

/// Copies of `keys` (new keys, moved by `offset` cells) with the transitions among them.
Result<std::pair<WorkflowEdit, std::vector<std::string>>>
duplicateTasks(const nlohmann::json &doc, const std::vector<std::string> &keys, GridPoint offset);

/// The summary an editor shows for a task: its summary, else its name, else its key.
std::string taskLabel(const nlohmann::json &doc, const std::string &key);

} // namespace flowdeck::model
