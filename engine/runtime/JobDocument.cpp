// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/runtime/JobDocument.h"

#include <QUuid>

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

/// Seed 003's `uuid`: derived from the job's id (a name-based UUID) rather than drawn at random,
/// so a job rebuilt from its event log answers the same one without storing it.
std::string jobUuid(const std::string &jobId)
{
    static const QUuid kNamespace(QStringLiteral("{6f1c7f8e-2b0d-4c1e-9a53-7d0f3e1b2c44}"));
    return QUuid::createUuidV5(kNamespace, QByteArray::fromStdString(jobId))
        .toString(QUuid::WithoutBraces)
        .toStdString();
}

/// The job's tags: the workflow's tag names (exports carry strings; anything else is left out).
json tagsOf(const json &wf)
{
    json tags = json::array();
    const json &declared = wf.value("tags", json::array());
    if (declared.is_array())
        for (const auto &tag : declared)
            if (tag.is_string())
                tags.push_back(tag);
    return tags;
}

/// `childJobs` of a childJob task: every child its current run started, in element order.
json childJobs(const TaskRuntime &rt)
{
    json list = json::array();
    if (!rt.loop.is_object())
        return list;
    const std::string workflow =
        rt.incoming.is_object() ? rt.incoming.value("workflow", std::string()) : std::string();
    const json &children = rt.loop.value("children", json::array());
    for (std::size_t i = 0; i < children.size(); ++i)
        if (children[i].contains("job"))
            list.push_back({{"_id", children[i]["job"]}, {"name", workflow}, {"iteration", i}});
    return list;
}

/// The workflow's outputSchema values: the job variables it names, once the job is complete.
json outputValues(const JobState &job, const json &wf)
{
    json out = json::object();
    if (job.status != JobStatus::Complete)
        return out;
    const json &schema = wf.value("outputSchema", json::object());
    const json &properties =
        schema.is_object() ? schema.value("properties", json::object()) : json::object();
    if (!properties.is_object())
        return out;
    for (auto it = properties.begin(); it != properties.end(); ++it)
        if (job.variables.contains(it.key()))
            out[it.key()] = job.variables[it.key()];
    return out;
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
        if (g.method(t) == "childJob")
            task["childJobs"] = childJobs(rt);
        if (t == g.end()) {
            // Which tasks led here: the sources of the transitions into the end that fired.
            json endTasks = json::array();
            for (int e : g.joinInputs(t))
                if (job.edges[std::size_t(e)] == EdgeMark::Fired)
                    endTasks.push_back(g.key(g.edges()[std::size_t(e)].from));
            task["endTasks"] = std::move(endTasks);
        }
        tasks[g.key(t)] = std::move(task);
    }

    json doc = {{"_id", job.id},
                {"uuid", jobUuid(job.id)},
                {"name", job.name},
                {"description", job.description},
                {"type", job.type},
                {"status", jobStatusName(job.status)},
                {"tasks", std::move(tasks)},
                {"transitions", wf.value("transitions", json::object())},
                {"variables", job.variables},
                {"error", job.errors},
                {"warnings", job.warnings},
                // A start whose variables do not fit the inputSchema is refused, never kept, so
                // a stored job has no validation errors to show.
                {"validationErrors", json::array()},
                {"tags", tagsOf(wf)},
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
    // A job started with mocked task results is a rehearsal, wherever it is listed.
    if (isTestRun(job))
        doc["testRun"] = true;
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
    if (!job.run.is_null())
        doc["run"] = job.run;
    doc["output"] = outputValues(job, wf);
    doc["outputData"] = doc["output"];
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

bool isTestRun(const JobState &job)
{
    return job.mocks.is_object() && !job.mocks.empty();
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
    if (isTestRun(job))
        doc["job"]["testRun"] = true;
    if (current) {
        doc["status"] = taskStatusName(rt.status);
        doc["incoming"] = rt.incoming;
        if (!rt.finishState.empty() && rt.status != TaskStatus::Running) {
            doc["outgoing"] = rt.outgoing;
            doc["finish_state"] = rt.finishState;
        }
        if (!rt.error.empty())
            doc["error"] = rt.error;
        if (!rt.call.is_null())
            doc["call"] = rt.call; // an adapter task's request, response and attempts
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
