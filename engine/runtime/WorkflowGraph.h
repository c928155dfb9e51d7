// SPDX-License-Identifier: GPL-3.0-or-later
// A workflow compiled for running: tasks by index, edges by source and target, and which
// edges loop back. Built once per workflow version and shared by every job that runs it.
#pragma once

#include "engine/model/Error.h"
#include "engine/model/Workflow.h"

#include <memory>
#include <string>
#include <vector>

namespace flowdeck::runtime {

enum class EdgeState { Success, Failure, Error, Loop };

/// "success" → Success …; nullopt for anything else.
std::optional<EdgeState> edgeStateFromName(const std::string &name);
const char *edgeStateName(EdgeState s);

struct Edge
{
    int from = 0;
    int to = 0;
    EdgeState state = EdgeState::Success;
    /// Runs its target again rather than feeding a join: "type": "revert", or a standard
    /// transition that closes a cycle (it points back to a task that leads to its source).
    bool backward = false;
    bool declaredRevert = false; ///< the document said "type": "revert"
};

class WorkflowGraph
{
public:
    /// Fails (Invalid) when the document lacks workflow_start or workflow_end.
    static Result<std::shared_ptr<const WorkflowGraph>> build(const model::Workflow &workflow);

    const model::Workflow &workflow() const { return m_workflow; }
    int taskCount() const { return int(m_keys.size()); }
    const std::string &key(int task) const { return m_keys[std::size_t(task)]; }
    /// The index of a task key, or -1.
    int indexOf(const std::string &key) const;
    const nlohmann::json &task(int index) const;
    int start() const { return m_start; }
    int end() const { return m_end; }
    /// The task that runs when the job would end in error (the document's "errorHandler":
    /// a task object, kept as key "error_handler", or the key of one of its tasks); -1 if none.
    int errorHandler() const { return m_handler; }

    const std::vector<Edge> &edges() const { return m_edges; }
    /// Edge indices leaving a task, in document order.
    const std::vector<int> &outgoing(int task) const { return m_out[std::size_t(task)]; }
    /// Forward (non-backward) edge indices entering a task: what a join waits for.
    const std::vector<int> &joinInputs(int task) const { return m_joinIn[std::size_t(task)]; }

    /// The task and everything reachable from it along forward edges (for a revert, which
    /// runs that region again). Sorted.
    std::vector<int> region(int task) const;
    /// The body of a forEach task: the tasks reachable from its loop edges. Sorted.
    std::vector<int> loopBody(int forEachTask) const;

    /// Tasks reachable from workflow_start (the denominator of a job's progress).
    int reachableCount() const { return m_reachable; }

    /// The task's method ("name") and app, and whether it waits for a person.
    std::string method(int task) const;
    std::string app(int task) const;
    bool isManual(int task) const;
    /// The task as an operator's message names it: `task "<summary>"`, with its key in
    /// parentheses only when another task has the same summary; `task <key> (<method>)` when
    /// it has no summary. Operators read summaries; keys are for the API and mocks.
    std::string label(int task) const;

private:
    WorkflowGraph() = default;
    void markBackwardEdges();

    model::Workflow m_workflow;
    std::vector<std::string> m_keys;
    std::vector<const nlohmann::json *> m_taskDocs; ///< into m_workflow, or m_handlerDoc
    nlohmann::json m_handlerDoc;
    std::vector<Edge> m_edges;
    std::vector<std::vector<int>> m_out;
    std::vector<std::vector<int>> m_joinIn;
    int m_start = -1;
    int m_end = -1;
    int m_reachable = 0;
    int m_handler = -1;
};

} // namespace flowdeck::runtime
