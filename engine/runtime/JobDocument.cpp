// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/runtime/JobDocument.h"

namespace flowdeck::runtime {

using nlohmann::json;

namespace {

json optionalString(const std::optional<std::string> &s)
{
    return s ? json(*s) : json(nullptr);
}

json taskMetrics(const TaskRuntime &rt)
{
    json m = json::object();
    if (rt.startTime)
        m["start_time"] = rt.startTime;
    if (rt.endTime) {
        m["end_time"] = rt.endTime;
        m["run_time"] = rt.endTime - rt.startTime;
    }
    if (!rt.finishState.empty())
        m["finish_state"] = rt.finishState;
    m["user"] = optionalString(rt.user);
    if (rt.owner)
        m["owner"] = *rt.owner;
    return m;
}

} // namespace

json jobDocument(const JobState &job)
{
    const auto &g = *job.graph;
    const json &wf = g.workflow().document();
    json tasks = json::object();
    for (int t = 0; t < g.taskCount(); ++t) {
        const auto &rt = job.tasks[std::size_t(t)];
        json task = g.task(t);
        task["status"] = taskStatusName(rt.status);
        task["taskId"] = g.key(t);
        task["metrics"] = taskMetrics(rt);
        task["iterations"] = rt.iterations;
        if (rt.owner)
            task["owner"] = *rt.owner;
        if (!rt.finishState.empty())
            task["finish_state"] = rt.finishState;
        json byState = {
            {"success", json::array()}, {"failure", json::array()}, {"error", json::array()}};
        json previous = {
            {"incomplete", json::array()}, {"complete", json::array()}, {"error", json::array()}};
        for (int e : g.outgoing(t)) {
            const auto &edge = g.edges()[std::size_t(e)];
            byState[edgeStateName(edge.state)].push_back(
                {{"task", g.key(edge.to)}, {"type", edge.declaredRevert ? "revert" : "standard"}});
        }
        for (int e : g.joinInputs(t)) {
            const int from = g.edges()[std::size_t(e)].from;
            const auto &src = job.tasks[std::size_t(from)];
            const char *bucket =
                src.status == TaskStatus::Complete ? "complete"
                : src.status == TaskStatus::Error || src.status == TaskStatus::Failure
                    ? "error"
                    : "incomplete";
            previous[bucket].push_back(g.key(from));
        }
        task["transitions"] = std::move(byState);
        task["previous"] = std::move(previous);
        if (rt.loop.is_object())
            task["loop"] = rt.loop;
        tasks[g.key(t)] = std::move(task);
    }

    json doc = {{"_id", job.id},
                {"name", job.name},
                {"description", job.description},
                {"type", job.type},
                {"status", jobStatusName(job.status)},
                {"tasks", std::move(tasks)},
                {"transitions", wf.value("transitions", json::object())},
                {"variables", job.variables},
                {"error", job.errors},
                {"warnings", job.warnings},
                {"ancestors", job.ancestors},
                {"parent", job.parent},
                {"groups", job.groups},
                {"watchers", job.watchers},
                {"decorators", wf.value("decorators", json::array())},
                {"errorHandler", wf.value("errorHandler", json())},
                {"created", job.created},
                {"created_by", optionalString(job.createdBy)},
                {"last_updated", job.lastUpdated},
                {"last_updated_by", optionalString(job.lastUpdatedBy)}};
    json metrics = {{"start_time", job.startTime},
                    {"progress", job.progress()},
                    {"user", optionalString(job.createdBy)},
                    {"owner", optionalString(job.createdBy)}};
    if (job.endTime)
        metrics["end_time"] = job.endTime;
    doc["metrics"] = std::move(metrics);
    for (const char *key :
         {"inputSchema", "outputSchema", "canvasVersion", "font_size", "preAutomationTime", "sla"})
        if (wf.contains(key))
            doc[key] = wf[key];
    doc["workflow"] = {{"_id", job.workflowId}, {"name", job.name}};
    return doc;
}

store::JobRecord jobRecord(const JobState &job)
{
    store::JobRecord r;
    r.id = job.id;
    r.name = job.name;
    if (!job.workflowId.empty())
        r.workflowId = job.workflowId;
    r.description = job.description;
    r.status = jobStatusName(job.status);
    if (job.parent.is_object() && job.parent.contains("job"))
        r.parentJobId = job.parent["job"].get<std::string>();
    if (!job.ancestors.empty() && job.ancestors[0].is_string())
        r.rootJobId = job.ancestors[0].get<std::string>();
    r.progress = job.progress();
    r.createdAt = job.created;
    r.createdBy = job.createdBy;
    r.updatedAt = job.lastUpdated;
    r.updatedBy = job.lastUpdatedBy;
    r.document = jobDocument(job);
    return r;
}

json iterationDocument(const JobState &job, int t, const std::string &iterationId)
{
    const auto &g = *job.graph;
    const auto &rt = job.tasks[std::size_t(t)];
    const json &task = g.task(t);
    const bool current = !rt.iterations.empty() && rt.iterations.back() == iterationId;
    json doc = {{"_id", iterationId},
                {"job", {{"_id", job.id}, {"task", g.key(t)}, {"name", job.name}}},
                {"name", g.method(t)},
                {"app", g.app(t)},
                {"type", task.value("type", std::string("automatic"))},
                {"summary", task.value("summary", std::string())},
                {"groups", task.value("groups", json::array())}};
    if (current) {
        doc["status"] = taskStatusName(rt.status);
        doc["incoming"] = rt.incoming;
        if (!rt.finishState.empty() && rt.status != TaskStatus::Running) {
            doc["outgoing"] = rt.outgoing;
            doc["finish_state"] = rt.finishState;
        }
        if (!rt.error.empty())
            doc["error"] = rt.error;
        doc["metrics"] = taskMetrics(rt);
        if (rt.owner)
            doc["owner"] = *rt.owner;
    }
    for (std::size_t i = 0; i < rt.iterations.size(); ++i)
        if (rt.iterations[i] == iterationId)
            doc["iteration"] = i;
    return doc;
}

} // namespace flowdeck::runtime
