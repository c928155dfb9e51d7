// SPDX-License-Identifier: GPL-3.0-or-later
// What operators do to jobs: finish a manual task, pause, resume, cancel, retry a task,
// continue from a task, revert. Each checks its preconditions before it changes anything,
// so a refusal leaves the job exactly as it was.
#include "engine/runtime/Engine.h"

#include "engine/runtime/JobDocument.h"

#include <algorithm>

namespace flowdeck::runtime {

using nlohmann::json;

namespace {

Error conflict(const JobState &job, const std::string &action)
{
    return Error::conflict("cannot " + action + " job " + job.id + ": it is " +
                           jobStatusName(job.status));
}

/// The tasks to run again from `task`: what follows it, and the error handler if it ran.
nlohmann::json resetKeys(const JobState &job, int task)
{
    json keys = json::array();
    for (int r : job.graph->region(task))
        keys.push_back(job.graph->key(r));
    const int h = job.graph->errorHandler();
    if (h >= 0 && job.tasks[std::size_t(h)].status != TaskStatus::Incomplete &&
        std::find(keys.begin(), keys.end(), json(job.graph->key(h))) == keys.end())
        keys.push_back(job.graph->key(h));
    return keys;
}

Result<int> requireTask(const JobState &job, const std::string &key)
{
    const int t = job.taskIndex(key);
    if (t < 0)
        return Error::notFound("job " + job.id + " has no task \"" + key + "\"");
    return t;
}

} // namespace

Result<json> Engine::onJob(const std::string &jobId,
                           const std::function<Result<void>(JobState &)> &change)
{
    return write<json>([&]() -> Result<json> {
        auto job = activeJob(jobId);
        if (!job)
            return job.error();
        if (auto r = change(**job); !r)
            return r.error();
        return runtime::jobDocument(**job);
    });
}

Result<json> Engine::pauseJob(const std::string &jobId, const std::optional<std::string> &actor)
{
    return onJob(jobId, [&](JobState &j) -> Result<void> {
        if (j.status != JobStatus::Running && j.status != JobStatus::Error)
            return conflict(j, "pause");
        record(j, "jobStatus", {{"status", "paused"}}, actor);
        return {};
    });
}

Result<json> Engine::resumeJob(const std::string &jobId, const std::optional<std::string> &actor)
{
    return onJob(jobId, [&](JobState &j) -> Result<void> {
        if (j.status != JobStatus::Paused)
            return conflict(j, "resume");
        record(j, "jobStatus", {{"status", "running"}}, actor);
        resumeTimers(j); // retries that came due while paused
        advance(j);
        return {};
    });
}

void Engine::cancelTree(JobState &job, const std::optional<std::string> &actor,
                        const std::string &reason)
{
    if (job.isFinished())
        return;
    const auto &g = *job.graph;
    for (int t = 0; t < g.taskCount(); ++t) {
        auto &rt = job.tasks[std::size_t(t)];
        if (rt.status != TaskStatus::Running && rt.status != TaskStatus::Scheduled)
            continue;
        if (rt.loop.is_object())
            for (const auto &child : rt.loop.value("children", json::array()))
                if (child.value("status", std::string()) == "running")
                    if (auto c = loadJob(child.value("job", std::string())); c)
                        cancelTree(**c, actor);
        record(job, "taskStatus", {{"task", g.key(t)}, {"status", "canceled"}}, actor);
        markIteration(job, t);
    }
    json status = {{"status", "canceled"}};
    if (!reason.empty())
        status["message"] = reason;
    record(job, "jobStatus", std::move(status), actor);
}

Result<json> Engine::cancelJob(const std::string &jobId, const std::optional<std::string> &actor)
{
    return cancelJobWithReason(jobId, actor, {});
}

Result<json> Engine::cancelJobWithReason(const std::string &jobId,
                                         const std::optional<std::string> &actor,
                                         const std::string &reason)
{
    return onJob(jobId, [&](JobState &j) -> Result<void> {
        if (j.isFinished())
            return conflict(j, "cancel");
        cancelTree(j, actor, reason);
        if (j.parent.is_object())
            childSettled(j);
        return {};
    });
}

Result<json> Engine::retryTask(const std::string &jobId, const std::string &taskKey,
                               const json &incoming, const std::optional<std::string> &actor)
{
    return onJob(jobId, [&](JobState &j) -> Result<void> {
        auto t = requireTask(j, taskKey);
        if (!t)
            return t.error();
        if (j.isFinished())
            return conflict(j, "retry a task of");
        const auto status = j.tasks[std::size_t(*t)].status;
        if (status != TaskStatus::Error && status != TaskStatus::Failure)
            return Error::conflict(j.graph->label(*t) + " of job " + jobId +
                                   " did not fail (it is " + taskStatusName(status) +
                                   "); only a task in error or failure can be retried");
        if (!incoming.is_null() && !incoming.is_object())
            return Error::invalid("the retry's variables must be a JSON object");
        json keys = resetKeys(j, *t);
        record(j, "tasksReset", {{"tasks", std::move(keys)}, {"reason", "retry"}}, actor);
        if (j.status != JobStatus::Running)
            record(j, "jobStatus", {{"status", "running"}}, actor);
        runTask(j, *t, incoming.is_object() ? &incoming : nullptr);
        advance(j);
        return {};
    });
}

Result<json> Engine::continueJob(const std::string &jobId, const std::string &fromTask,
                                 const std::optional<std::string> &actor)
{
    return onJob(jobId, [&](JobState &j) -> Result<void> {
        auto t = requireTask(j, fromTask);
        if (!t)
            return t.error();
        if (j.status != JobStatus::Error && j.status != JobStatus::Paused)
            return conflict(j, "continue");
        if (*t == j.graph->start())
            return Error::invalid("a job cannot continue from workflow_start; start a new job");
        if (j.tasks[std::size_t(*t)].status == TaskStatus::Running)
            return Error::conflict(j.graph->label(*t) + " of job " + jobId + " is running");
        json keys = resetKeys(j, *t);
        record(j, "tasksReset", {{"tasks", std::move(keys)}, {"reason", "continue"}}, actor);
        record(j, "jobStatus", {{"status", "running"}}, actor);
        runTask(j, *t);
        advance(j);
        return {};
    });
}

Result<json> Engine::revertJob(const std::string &jobId, const std::string &fromTask,
                               const std::string &toTask, const std::optional<std::string> &actor)
{
    return onJob(jobId, [&](JobState &j) -> Result<void> {
        auto from = requireTask(j, fromTask);
        if (!from)
            return from.error();
        auto to = requireTask(j, toTask);
        if (!to)
            return to.error();
        if (j.status != JobStatus::Paused)
            return conflict(j, "revert (pause it first)");
        const auto fromStatus = j.tasks[std::size_t(*from)].status;
        if (fromStatus != TaskStatus::Error && fromStatus != TaskStatus::Failure)
            return Error::conflict("revert starts from a task in error; " + j.graph->label(*from) +
                                   " is " + taskStatusName(fromStatus));
        const auto toStatus = j.tasks[std::size_t(*to)].status;
        if (*to != j.graph->start() && toStatus != TaskStatus::Complete)
            return Error::conflict("revert goes back to a completed task; " + j.graph->label(*to) +
                                   " is " + taskStatusName(toStatus));
        const auto region = j.graph->region(*to);
        if (std::find(region.begin(), region.end(), *from) == region.end())
            return Error::invalid(j.graph->label(*to) + " does not come before " +
                                  j.graph->label(*from));
        json keys = resetKeys(j, *to);
        record(j, "tasksReset", {{"tasks", std::move(keys)}, {"reason", "revert"}}, actor);
        record(j, "jobStatus", {{"status", "running"}}, actor);
        runTask(j, *to);
        advance(j);
        return {};
    });
}

} // namespace flowdeck::runtime
