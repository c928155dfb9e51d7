// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/runtime/WorkflowGraph.h"

#include <QTest>

using namespace flowdeck;
using namespace flowdeck::runtime;
using nlohmann::json;

namespace {

std::shared_ptr<const WorkflowGraph> graph(const json &transitions)
{
    json tasks = json::object();
    for (auto it = transitions.begin(); it != transitions.end(); ++it) {
        tasks[it.key()] = {{"name", "stub"}};
        for (auto to = it->begin(); to != it->end(); ++to)
            tasks[to.key()] = {{"name", "stub"}};
    }
    tasks["workflow_start"] = {{"name", "workflow_start"}};
    tasks["workflow_end"] = {{"name", "workflow_end"}};
    auto wf =
        model::Workflow::fromJson({{"name", "g"}, {"tasks", tasks}, {"transitions", transitions}});
    return *WorkflowGraph::build(*wf);
}

json edge(const char *state, const char *type = "standard")
{
    return {{"state", state}, {"type", type}};
}

} // namespace

class TestWorkflowGraph : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void needsStartAndEnd()
    {
        auto wf =
            model::Workflow::fromJson({{"name", "x"}, {"tasks", {{"a1", {{"name", "stub"}}}}}});
        auto g = WorkflowGraph::build(*wf);
        QVERIFY(!g.ok());
        QCOMPARE(g.error().code, ErrorCode::Invalid);
    }

    void joinInputsExcludeReverts()
    {
        auto g =
            graph({{"workflow_start", {{"a1", edge("success")}}},
                   {"a1", {{"b2", edge("success")}}},
                   {"b2", {{"a1", edge("failure", "revert")}, {"workflow_end", edge("success")}}}});
        const int a1 = g->indexOf("a1");
        QCOMPARE(g->joinInputs(a1).size(), std::size_t(1));
        QCOMPARE(g->reachableCount(), 4);
    }

    void aStandardCycleIsTreatedAsALoopBack()
    {
        auto g = graph({{"workflow_start", {{"a1", edge("success")}}},
                        {"a1", {{"b2", edge("success")}}},
                        {"b2", {{"a1", edge("failure")}, {"workflow_end", edge("success")}}}});
        const int a1 = g->indexOf("a1");
        QCOMPARE(g->joinInputs(a1).size(), std::size_t(1));
        int backward = 0;
        for (const auto &e : g->edges())
            backward += e.backward;
        QCOMPARE(backward, 1);
    }

    void regionFollowsForwardEdges()
    {
        auto g =
            graph({{"workflow_start", {{"a1", edge("success")}}},
                   {"a1", {{"b2", edge("success")}, {"c3", edge("error")}}},
                   {"b2", {{"workflow_end", edge("success")}, {"a1", edge("failure", "revert")}}},
                   {"c3", {{"workflow_end", edge("success")}}}});
        const auto region = g->region(g->indexOf("b2"));
        QCOMPARE(region.size(), std::size_t(2)); // b2 and workflow_end, not a1 through the revert
    }

    void staleTransitionsAreIgnored()
    {
        auto wf = model::Workflow::fromJson(
            {{"name", "s"},
             {"tasks",
              {{"workflow_start", {{"name", "workflow_start"}}},
               {"workflow_end", {{"name", "workflow_end"}}}}},
             {"transitions",
              {{"workflow_start", {{"workflow_end", edge("success")}, {"dead", json::object()}}},
               {"gone", {{"workflow_end", edge("success")}}}}}});
        auto g = WorkflowGraph::build(*wf);
        QVERIFY(g.ok());
        QCOMPARE((*g)->edges().size(), std::size_t(1));
    }

    void tasksAreNamedByTheirSummary()
    {
        auto wf = model::Workflow::fromJson(
            {{"name", "n"},
             {"tasks",
              {{"workflow_start", {{"name", "workflow_start"}}},
               {"workflow_end", {{"name", "workflow_end"}}},
               {"bb2d", {{"name", "getDevice"}, {"summary", "Look up the device"}}},
               {"c1", {{"name", "stub"}, {"summary", "Wait"}}},
               {"c2", {{"name", "stub"}, {"summary", "Wait"}}},
               {"d4", {{"name", "query"}}}}},
             {"transitions", {{"workflow_start", {{"bb2d", edge("success")}}}}}});
        auto g = WorkflowGraph::build(*wf);
        QVERIFY(g.ok());
        const WorkflowGraph &graph = **g;
        QCOMPARE(graph.label(graph.indexOf("bb2d")), std::string("task \"Look up the device\""));
        // Two tasks with one summary: the key tells them apart.
        QCOMPARE(graph.label(graph.indexOf("c1")), std::string("task \"Wait\" (c1)"));
        QCOMPARE(graph.label(graph.indexOf("c2")), std::string("task \"Wait\" (c2)"));
        // No summary: the key, with the method to say what it is.
        QCOMPARE(graph.label(graph.indexOf("d4")), std::string("task d4 (query)"));
    }
};

QTEST_APPLESS_MAIN(TestWorkflowGraph)
#include "TestWorkflowGraph.moc"
