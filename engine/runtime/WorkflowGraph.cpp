// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/runtime/WorkflowGraph.h"

#include <algorithm>
#include <functional>

namespace flowdeck::runtime {

std::optional<EdgeState> edgeStateFromName(const std::string &name)
{
    if (name == "success")
        return EdgeState::Success;
    if (name == "failure")
        return EdgeState::Failure;
    if (name == "error")
        return EdgeState::Error;
    if (name == "loop")
        return EdgeState::Loop;
    return std::nullopt;
}

const char *edgeStateName(EdgeState s)
{
    switch (s) {
    case EdgeState::Success:
        return "success";
    case EdgeState::Failure:
        return "failure";
    case EdgeState::Error:
        return "error";
    case EdgeState::Loop:
        return "loop";
    }
    return "success";
}

Result<std::shared_ptr<const WorkflowGraph>> WorkflowGraph::build(const model::Workflow &workflow)
{
    std::shared_ptr<WorkflowGraph> g(new WorkflowGraph());
    g->m_workflow = workflow;
    g->m_keys = workflow.taskKeys();
    g->m_start = g->indexOf(model::kWorkflowStart);
    g->m_end = g->indexOf(model::kWorkflowEnd);
    if (g->m_start < 0 || g->m_end < 0)
        return Error::invalid("workflow \"" + workflow.name() +
                              "\" needs both workflow_start and workflow_end tasks");
    for (const auto &key : g->m_keys)
        g->m_taskDocs.push_back(&g->m_workflow.tasks()[key]);
    const auto &handler = workflow.document().value("errorHandler", nlohmann::json());
    if (handler.is_string()) {
        g->m_handler = g->indexOf(handler.get<std::string>());
    } else if (handler.is_object() && handler.contains("name") &&
               !workflow.hasTask("error_handler")) {
        g->m_handlerDoc = handler;
        g->m_keys.push_back("error_handler");
        g->m_taskDocs.push_back(&g->m_handlerDoc);
        g->m_handler = int(g->m_keys.size()) - 1;
    }
    g->m_out.resize(g->m_keys.size());
    g->m_joinIn.resize(g->m_keys.size());
    for (const auto &e : workflow.edges()) {
        auto state = edgeStateFromName(e.state);
        if (!state)
            continue; // the validator refuses these; a stored document is trusted otherwise
        Edge edge;
        edge.from = g->indexOf(e.from);
        edge.to = g->indexOf(e.to);
        edge.state = *state;
        edge.declaredRevert = e.type == "revert";
        edge.backward = edge.declaredRevert;
        g->m_out[std::size_t(edge.from)].push_back(int(g->m_edges.size()));
        g->m_edges.push_back(edge);
    }
    g->markBackwardEdges();
    for (std::size_t i = 0; i < g->m_edges.size(); ++i)
        if (!g->m_edges[i].backward)
            g->m_joinIn[std::size_t(g->m_edges[i].to)].push_back(int(i));

    std::vector<char> seen(g->m_keys.size(), 0);
    std::vector<int> stack{g->m_start};
    while (!stack.empty()) {
        const int t = stack.back();
        stack.pop_back();
        if (seen[std::size_t(t)])
            continue;
        seen[std::size_t(t)] = 1;
        ++g->m_reachable;
        for (int e : g->m_out[std::size_t(t)])
            stack.push_back(g->m_edges[std::size_t(e)].to);
    }
    return std::shared_ptr<const WorkflowGraph>(std::move(g));
}

void WorkflowGraph::markBackwardEdges()
{
    // A standard transition that points back into its own path would make its target wait
    // for itself. Itential runs such a cycle as a loop, so it is treated like a revert.
    enum Mark : char { White, Grey, Black };
    std::vector<char> mark(m_keys.size(), White);
    std::function<void(int)> visit = [&](int t) {
        mark[std::size_t(t)] = Grey;
        for (int e : m_out[std::size_t(t)]) {
            auto &edge = m_edges[std::size_t(e)];
            if (edge.backward)
                continue;
            if (mark[std::size_t(edge.to)] == Grey)
                edge.backward = true;
            else if (mark[std::size_t(edge.to)] == White)
                visit(edge.to);
        }
        mark[std::size_t(t)] = Black;
    };
    visit(m_start);
    for (int t = 0; t < taskCount(); ++t)
        if (mark[std::size_t(t)] == White)
            visit(t);
}

int WorkflowGraph::indexOf(const std::string &key) const
{
    auto it = std::find(m_keys.begin(), m_keys.end(), key);
    return it == m_keys.end() ? -1 : int(it - m_keys.begin());
}

const nlohmann::json &WorkflowGraph::task(int index) const
{
    return *m_taskDocs[std::size_t(index)];
}

std::vector<int> WorkflowGraph::region(int task) const
{
    std::vector<char> seen(m_keys.size(), 0);
    std::vector<int> stack{task};
    std::vector<int> out;
    while (!stack.empty()) {
        const int t = stack.back();
        stack.pop_back();
        if (seen[std::size_t(t)])
            continue;
        seen[std::size_t(t)] = 1;
        out.push_back(t);
        for (int e : m_out[std::size_t(t)])
            if (!m_edges[std::size_t(e)].backward)
                stack.push_back(m_edges[std::size_t(e)].to);
    }
    std::sort(out.begin(), out.end());
    return out;
}

std::vector<int> WorkflowGraph::loopBody(int forEachTask) const
{
    std::vector<int> out;
    for (int e : m_out[std::size_t(forEachTask)]) {
        const auto &edge = m_edges[std::size_t(e)];
        if (edge.state != EdgeState::Loop)
            continue;
        for (int t : region(edge.to))
            if (t != forEachTask && std::find(out.begin(), out.end(), t) == out.end())
                out.push_back(t);
    }
    std::sort(out.begin(), out.end());
    return out;
}

std::string WorkflowGraph::method(int t) const
{
    const auto &doc = task(t);
    return doc.is_object() && doc.contains("name") && doc["name"].is_string()
               ? doc["name"].get<std::string>()
               : std::string();
}

std::string WorkflowGraph::label(int t) const
{
    auto summaryOf = [this](int i) {
        const auto &doc = task(i);
        return doc.is_object() && doc.contains("summary") && doc["summary"].is_string()
                   ? doc["summary"].get<std::string>()
                   : std::string();
    };
    const std::string summary = summaryOf(t);
    if (summary.empty()) {
        const std::string m = method(t);
        return "task " + key(t) + (m.empty() ? std::string() : " (" + m + ")");
    }
    bool shared = false;
    for (int i = 0; i < taskCount() && !shared; ++i)
        shared = i != t && summaryOf(i) == summary;
    return "task \"" + summary + "\"" + (shared ? " (" + key(t) + ")" : std::string());
}

std::string WorkflowGraph::app(int t) const
{
    const auto &doc = task(t);
    return doc.is_object() && doc.contains("app") && doc["app"].is_string()
               ? doc["app"].get<std::string>()
               : std::string();
}

bool WorkflowGraph::isManual(int t) const
{
    const auto &doc = task(t);
    return doc.is_object() && doc.value("type", std::string()) == "manual";
}

} // namespace flowdeck::runtime
