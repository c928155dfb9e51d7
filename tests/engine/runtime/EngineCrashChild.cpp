// SPDX-License-Identifier: GPL-3.0-or-later
// Child process of TestEngineCrash: recovers the store, starts whichever of the N jobs do not
// exist yet, and runs until all of them are complete; prints "done" then. The parent kills it
// with SIGKILL at random moments and starts it again. Usage: engine_crash_child DB N [MODE]
// MODE "delays" runs N jobs of a workflow that only waits on a delay, printing "started" once
// they all wait; MODE "resume" starts nothing and only finishes what it recovers.
#include "engine/runtime/Engine.h"
#include "engine/store/SqliteStore.h"

#include <QCoreApplication>
#include <QTimer>

#include <cstdio>
#include <set>

using namespace flowdeck;
using nlohmann::json;

namespace {

json edge(const char *state, const char *type = "standard")
{
    return {{"state", state}, {"type", type}};
}

json task(const char *method, json incoming, json outgoing = json::object())
{
    return {{"name", method},
            {"app", "WorkFlowEngine"},
            {"type", "automatic"},
            {"variables", {{"incoming", std::move(incoming)}, {"outgoing", std::move(outgoing)}}}};
}

json terminal(const char *name)
{
    return {{"name", name}};
}

// A parent with a revert loop of eight passes over a delay, then a child job that waits too.
json mixWorkflow()
{
    return {
        {"name", "Crash Mix"},
        {"type", "automation"},
        {"inputSchema",
         {{"type", "object"}, {"required", {"n"}}, {"properties", {{"n", {{"type", "integer"}}}}}}},
        {"tasks",
         {{"workflow_start", terminal("workflow_start")},
          {"workflow_end", terminal("workflow_end")},
          {"a1", task("newVariable", {{"name", "passes"}, {"value", json::array()}})},
          {"b2", task("delay", {{"time", 0.5}})},
          {"c3", task("push", {{"job_variable", "passes"}, {"item_to_push", "$var.job.n"}})},
          {"d4", task("arrayLength", {{"arr", "$var.job.passes"}}, {{"length", "$var.job.count"}})},
          {"e5", task("evaluation", {{"all_true_flag", true},
                                     {"evaluation_groups",
                                      {{{"all_true_flag", true},
                                        {"evaluations",
                                         {{{"operand_1", {{"task", "job"}, {"variable", "count"}}},
                                           {"operator", ">="},
                                           {"operand_2", {{"task", "static"}, {"variable", 8}}},
                                           {"query", ""}}}}}}}})},
          {"f6", task("childJob",
                      {{"task", ""},
                       {"workflow", "Crash Child"},
                       {"variables", {{"n", {{"task", "job"}, {"value", "n"}}}}},
                       {"data_array", ""},
                       {"transformation", ""},
                       {"loopType", ""}},
                      {{"job_details", "$var.job.child"}})},
          {"g7", task("stub", {{"type", "success"}, {"delay", ""}, {"response", "done"}},
                      {{"response", "$var.job.result"}})}}},
        {"transitions",
         {{"workflow_start", {{"a1", edge("success")}}},
          {"a1", {{"b2", edge("success")}}},
          {"b2", {{"c3", edge("success")}}},
          {"c3", {{"d4", edge("success")}}},
          {"d4", {{"e5", edge("success")}}},
          {"e5", {{"f6", edge("success")}, {"b2", edge("failure", "revert")}}},
          {"f6", {{"g7", edge("success")}}},
          {"g7", {{"workflow_end", edge("success")}}},
          {"workflow_end", json::object()}}}};
}

json childWorkflow()
{
    return {{"name", "Crash Child"},
            {"type", "automation"},
            {"tasks",
             {{"workflow_start", terminal("workflow_start")},
              {"workflow_end", terminal("workflow_end")},
              {"h1", task("delay", {{"time", 0.1}})},
              {"i2", task("newVariable", {{"name", "childDone"}, {"value", true}})}}},
            {"transitions",
             {{"workflow_start", {{"h1", edge("success")}}},
              {"h1", {{"i2", edge("success")}}},
              {"i2", {{"workflow_end", edge("success")}}},
              {"workflow_end", json::object()}}}};
}

// Every job waits on one delay: after a restart, recovery has nothing to write, so only the
// re-armed timers can finish them.
json delayWorkflow()
{
    return {{"name", "Crash Delay"},
            {"type", "automation"},
            {"tasks",
             {{"workflow_start", terminal("workflow_start")},
              {"workflow_end", terminal("workflow_end")},
              {"d1", task("delay", {{"time", 1.5}})},
              {"n2", task("newVariable", {{"name", "waited"}, {"value", true}})}}},
            {"transitions",
             {{"workflow_start", {{"d1", edge("success")}}},
              {"d1", {{"n2", edge("success")}}},
              {"n2", {{"workflow_end", edge("success")}}},
              {"workflow_end", json::object()}}}};
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    if (argc != 3 && argc != 4) {
        std::fprintf(stderr, "usage: engine_crash_child DB N [delays|resume]\n");
        return 2;
    }
    const int total = std::atoi(argv[2]);
    const std::string mode = argc == 4 ? argv[3] : "";
    const std::string workflow = mode.empty() ? "Crash Mix" : "Crash Delay";
    auto opened = store::SqliteStore::open(argv[1]);
    if (!opened) {
        std::fprintf(stderr, "open: %s\n", opened.error().message.c_str());
        return 1;
    }
    auto &store = **opened;
    for (const json &doc : {mixWorkflow(), childWorkflow(), delayWorkflow()})
        if (!store.workflowByName(doc["name"]))
            (void)store.saveWorkflow(*model::Workflow::fromJson(doc), std::nullopt, false);

    runtime::Engine engine(store);
    if (auto r = engine.recover(); !r) {
        std::fprintf(stderr, "recover: %s\n", r.error().message.c_str());
        return 1;
    }
    // Which of the N jobs exist already: each carries its number in the variable n.
    std::set<int> existing;
    store::JobQuery q;
    q.name = workflow;
    q.limit = 100000;
    auto jobs = store.listJobs(q); // held: iterating a temporary's member would dangle
    if (!jobs) {
        std::fprintf(stderr, "list: %s\n", jobs.error().message.c_str());
        return 1;
    }
    for (const auto &job : jobs->items)
        existing.insert(job.document["variables"]["n"].get<int>());
    for (int n = 0; n < total && mode != "resume"; ++n) {
        if (existing.count(n))
            continue;
        runtime::StartJobOptions o;
        o.workflow = workflow;
        o.variables = {{"n", n}};
        if (auto r = engine.startJob(o); !r) {
            std::fprintf(stderr, "start %d: %s\n", n, r.error().message.c_str());
            return 1;
        }
    }
    if (mode == "delays") {
        std::printf("started\n");
        std::fflush(stdout);
    }
    QTimer check;
    QObject::connect(&check, &QTimer::timeout, [&] {
        store::JobQuery done;
        done.name = workflow;
        done.status = "complete";
        if (!engine.nextTimerDue() && store.listJobs(done)->total == total) {
            std::printf("done\n");
            std::fflush(stdout);
            QCoreApplication::quit();
        }
    });
    check.start(50);
    return QCoreApplication::exec();
}
