// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/runtime/JobEvents.h"

namespace flowdeck::runtime {
namespace {

using nlohmann::json;

std::string str(const json &data, const char *key)
{
    auto it = data.find(key);
    return it != data.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::optional<std::string> optStr(const json &data, const char *key)
{
    auto it = data.find(key);
    if (it == data.end() || !it->is_string())
        return std::nullopt;
    return it->get<std::string>();
}

Result<int> taskOf(const JobState &job, const json &data)
{
    const int t = job.graph ? job.taskIndex(str(data, "task")) : -1;
    if (t < 0)
        return Error::internal("event names an unknown task \"" + str(data, "task") + "\"");
    return t;
}

/// Tasks that can no longer be reached in this pass: every transition into them is dead.
/// Their own transitions die with them, which may starve the next tasks in turn.
void propagateDead(JobState &job, std::vector<int> worklist)
{
    const auto &g = *job.graph;
    while (!worklist.empty()) {
        const int t = worklist.back();
        worklist.pop_back();
        auto &rt = job.tasks[std::size_t(t)];
        if (t == g.start() || rt.dead || rt.status != TaskStatus::Incomplete)
            continue;
        const auto &inputs = g.joinInputs(t);
        if (inputs.empty())
            continue;
        bool allDead = true;
        for (int e : inputs)
            allDead = allDead && job.edges[std::size_t(e)] == EdgeMark::Dead;
        if (!allDead)
            continue;
        rt.dead = true;
        for (int e : g.outgoing(t)) {
            if (g.edges()[std::size_t(e)].backward)
                continue;
            job.edges[std::size_t(e)] = EdgeMark::Dead;
            worklist.push_back(g.edges()[std::size_t(e)].to);
        }
    }
}

void startTask(JobState &job, int t, const json &data, Millis at)
{
    auto &rt = job.tasks[std::size_t(t)];
    rt.status = TaskStatus::Running;
    rt.iterations.push_back(str(data, "iteration"));
    rt.startTime = at;
    rt.endTime = 0;
    rt.incoming = data.value("incoming", json::object());
    rt.user = optStr(data, "user");
    rt.error.clear();
    rt.calls = 0;
    rt.call = nullptr;
}

void finishTask(JobState &job, int t, const json &data, Millis at)
{
    auto &rt = job.tasks[std::size_t(t)];
    rt.finishState = str(data, "finishState");
    rt.status = statusForFinishState(rt.finishState);
    rt.endTime = at;
    rt.outgoing = data.value("outgoing", json::object());
    rt.call = data.value("call", json());
    if (auto worker = optStr(data, "user"))
        rt.user = worker; // an operator who finished a manual task
    // An automatic retry records the failed run but waits to run again instead of
    // following a transition.
    const bool retrying = data.value("retrying", false);
    rt.retryAt = 0;
    if (retrying) {
        rt.status = TaskStatus::Scheduled;
        ++rt.retries;
        // The wait was drawn when the task failed (jitter is random): recovery keeps it.
        if (const json wait = data.value("retryDelayMs", json()); wait.is_number_integer())
            rt.retryAt = at + wait.get<Millis>();
    }
    if (auto vars = data.find("variables"); vars != data.end() && vars->is_object())
        for (auto it = vars->begin(); it != vars->end(); ++it)
            job.variables[it.key()] = it.value();
    if (auto err = data.find("error"); err != data.end() && !err->is_null()) {
        rt.error = err->is_string() ? err->get<std::string>() : err->dump();
        job.errors.push_back({{"task", job.graph->key(t)}, {"message", *err}, {"timestamp", at}});
    }
    if (retrying)
        return;
    const auto &g = *job.graph;
    std::vector<int> targets;
    for (int e : g.outgoing(t)) {
        const auto &edge = g.edges()[std::size_t(e)];
        if (edge.backward)
            continue;
        const bool taken = rt.finishState == edgeStateName(edge.state);
        job.edges[std::size_t(e)] = taken ? EdgeMark::Fired : EdgeMark::Dead;
        if (!taken)
            targets.push_back(edge.to);
    }
    propagateDead(job, std::move(targets));
}

void resetTasks(JobState &job, const std::vector<int> &tasks)
{
    const auto &g = *job.graph;
    for (int t : tasks) {
        auto &rt = job.tasks[std::size_t(t)];
        rt.status = TaskStatus::Incomplete;
        rt.finishState.clear();
        rt.dead = false;
        rt.owner.reset();
        rt.loop = nullptr;
        rt.retries = 0;
        for (int e : g.outgoing(t))
            job.edges[std::size_t(e)] = EdgeMark::Pending;
    }
}

Result<void> applyCreated(JobState &job, const JobEventRecord &event, GraphCache &graphs)
{
    const json &j = event.data.value("job", json::object());
    job.id = str(j, "_id");
    job.name = str(j, "name");
    job.description = str(j, "description");
    job.workflowId = str(j, "workflowId");
    job.type = j.value("type", std::string("automation"));
    job.variables = j.value("variables", json::object());
    job.groups = j.value("groups", json::array());
    job.watchers = j.value("watchers", json::array());
    job.ancestors = j.value("ancestors", json::array());
    job.parent = j.value("parent", json());
    job.mocks = j.value("mocks", json());
    job.run = j.value("run", json());
    job.createdBy = optStr(j, "created_by");
    job.lastUpdatedBy = job.createdBy;
    job.created = job.lastUpdated = job.startTime = event.at;
    auto graph = graphs.get(job.workflowId, event.data.value("workflowVersion", 0),
                            event.data.value("workflow", json::object()));
    if (!graph)
        return graph.error();
    job.graph = *graph;
    job.tasks.assign(std::size_t(job.graph->taskCount()), TaskRuntime{});
    job.edges.assign(job.graph->edges().size(), EdgeMark::Pending);
    job.status = JobStatus::Running;
    return {};
}

} // namespace

Result<std::shared_ptr<const WorkflowGraph>> GraphCache::get(const std::string &workflowId,
                                                             int version, const json &document)
{
    const auto key = std::make_pair(workflowId, version);
    if (!workflowId.empty() && version > 0) {
        if (auto it = m_graphs.find(key); it != m_graphs.end())
            return it->second;
    }
    auto workflow = model::Workflow::fromJson(document);
    if (!workflow)
        return workflow.error();
    auto graph = WorkflowGraph::build(*workflow);
    if (!graph)
        return graph.error();
    if (!workflowId.empty() && version > 0)
        m_graphs[key] = *graph;
    return *graph;
}

Result<void> applyEvent(JobState &job, const JobEventRecord &event, GraphCache &graphs)
{
    const auto &d = event.data;
    const auto &kind = event.kind;
    if (kind == "jobCreated") {
        if (auto r = applyCreated(job, event, graphs); !r)
            return r;
    } else if (!job.graph) {
        return Error::internal("event \"" + kind + "\" before jobCreated");
    } else if (kind == "taskStarted" || kind == "taskFinished" || kind == "taskRan") {
        auto t = taskOf(job, d);
        if (!t)
            return t.error();
        if (kind != "taskFinished")
            startTask(job, *t, d, event.at);
        if (kind != "taskStarted")
            finishTask(job, *t, d, event.at);
    } else if (kind == "tasksReset") {
        std::vector<int> tasks;
        for (const auto &k : d.value("tasks", json::array())) {
            const int t = k.is_string() ? job.taskIndex(k.get<std::string>()) : -1;
            if (t < 0)
                return Error::internal("tasksReset names an unknown task");
            tasks.push_back(t);
        }
        resetTasks(job, tasks);
    } else if (kind == "loopPass") {
        auto t = taskOf(job, d);
        if (!t)
            return t.error();
        auto &rt = job.tasks[std::size_t(*t)];
        resetTasks(job, job.graph->loopBody(*t));
        rt.loop["index"] = d.value("index", 0);
        rt.outgoing["current_item"] = d.value("item", json());
        for (int e : job.graph->outgoing(*t))
            if (job.graph->edges()[std::size_t(e)].state == EdgeState::Loop)
                job.edges[std::size_t(e)] = EdgeMark::Fired;
    } else if (kind == "childStarted" || kind == "childFinished") {
        auto t = taskOf(job, d);
        if (!t)
            return t.error();
        auto &loop = job.tasks[std::size_t(*t)].loop;
        if (!loop.is_object())
            loop = {{"children", json::array()}};
        auto &children = loop["children"];
        const auto index = std::size_t(d.value("index", 0));
        while (children.size() <= index)
            children.push_back(json::object());
        auto &child = children[index];
        if (kind == "childStarted") {
            child = {{"job", str(d, "job")}, {"status", "running"}};
        } else {
            child["status"] = str(d, "status");
            child["variables"] = d.value("variables", json::object());
        }
    } else if (kind == "callIssued") {
        // An asynchronous call (an adapter request) went out for the task's current run; the
        // count bounds how often recovery may send it again.
        auto t = taskOf(job, d);
        if (!t)
            return t.error();
        job.tasks[std::size_t(*t)].calls = d.value("issue", 1);
    } else if (kind == "taskStatus") {
        auto t = taskOf(job, d);
        if (!t)
            return t.error();
        auto status = taskStatusFromName(str(d, "status"));
        if (!status)
            return Error::internal("taskStatus with an unknown status");
        auto &rt = job.tasks[std::size_t(*t)];
        rt.status = *status;
        if (*status == TaskStatus::Canceled)
            rt.endTime = event.at;
    } else if (kind == "taskOwner") {
        auto t = taskOf(job, d);
        if (!t)
            return t.error();
        job.tasks[std::size_t(*t)].owner = optStr(d, "owner");
    } else if (kind == "groupsSet") {
        job.groups = d.value("groups", json::array());
    } else if (kind == "watchersSet") {
        job.watchers = d.value("watchers", json::array());
    } else if (kind == "watchersNotified") {
        // A record for the watchers' inboxes; the job itself does not change.
    } else if (kind == "variablesSet") {
        const json vars = d.value("variables", json::object());
        for (auto it = vars.begin(); it != vars.end(); ++it)
            job.variables[it.key()] = it.value();
    } else if (kind == "jobStatus") {
        auto status = jobStatusFromName(str(d, "status"));
        if (!status)
            return Error::internal("jobStatus with an unknown status");
        job.status = *status;
        if (job.isFinished())
            job.endTime = event.at;
        if (auto m = d.find("message"); m != d.end() && !m->is_null())
            job.errors.push_back({{"task", "job"}, {"message", *m}, {"timestamp", event.at}});
    } else {
        return Error::internal("unknown job event \"" + kind + "\"");
    }
    job.lastUpdated = event.at;
    if (event.actor)
        job.lastUpdatedBy = event.actor;
    ++job.eventCount;
    return {};
}

Result<JobState> replay(const std::vector<JobEventRecord> &events, GraphCache &graphs)
{
    JobState job;
    for (const auto &e : events)
        if (auto r = applyEvent(job, e, graphs); !r)
            return r.error();
    return job;
}

} // namespace flowdeck::runtime
