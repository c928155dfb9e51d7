// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/canvas/JobSnapshot.h"

namespace flowdeck::ui::canvas {

using nlohmann::json;

namespace {

std::string stringAt(const json &object, const char *key)
{
    const auto it = object.find(key);
    return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

QString messageOf(const json &message)
{
    if (message.is_string())
        return QString::fromStdString(message.get<std::string>());
    // Adapters report {IAPerror: {displayString}} or arbitrary objects.
    if (message.is_object()) {
        if (const auto it = message.find("IAPerror"); it != message.end() && it->is_object())
            if (const std::string text = stringAt(*it, "displayString"); !text.empty())
                return QString::fromStdString(text);
        if (const std::string text = stringAt(message, "message"); !text.empty())
            return QString::fromStdString(text);
        return QString::fromStdString(message.dump());
    }
    return {};
}

} // namespace

TaskState taskStateFor(const std::string &status, bool manual, bool owned)
{
    if (status == "running")
        return manual ? (owned ? TaskState::Claimed : TaskState::WaitingForOperator)
                      : TaskState::Running;
    if (status == "complete")
        return TaskState::Complete;
    if (status == "error")
        return TaskState::Error;
    if (status == "failure" || status == "failed")
        return TaskState::Failure;
    if (status == "canceled" || status == "cancelled")
        return TaskState::Canceled;
    if (status == "scheduled")
        return TaskState::Scheduled;
    if (status == "paused")
        return TaskState::Paused;
    return TaskState::NotReached;
}

JobSnapshot JobSnapshot::fromJson(const json &job)
{
    JobSnapshot out;
    if (!job.is_object())
        return out;
    out.m_status = stringAt(job, "status");
    const auto tasks = job.find("tasks");
    if (tasks != job.end() && tasks->is_object()) {
        out.m_tasks.reserve(tasks->size());
        for (const auto &[key, task] : tasks->items()) {
            if (!task.is_object())
                continue;
            TaskRun run;
            // The owner sits on the task, or in its metrics (Itential's iteration shape).
            std::string owner = stringAt(task, "owner");
            if (owner.empty())
                if (const auto m = task.find("metrics"); m != task.end() && m->is_object())
                    owner = stringAt(*m, "owner");
            run.owner = QString::fromStdString(owner);
            run.state = taskStateFor(stringAt(task, "status"), stringAt(task, "type") == "manual",
                                     !owner.empty());
            if (const auto it = task.find("iterations"); it != task.end() && it->is_array())
                run.iterations = int(it->size());
            run.finishState = stringAt(task, "finish_state");
            if (run.finishState.empty())
                if (const auto m = task.find("metrics"); m != task.end() && m->is_object())
                    run.finishState = stringAt(*m, "finish_state");
            if (run.finishState.empty() && run.state == TaskState::Complete &&
                (key == "workflow_start" || key == "workflow_end"))
                run.finishState = "success"; // the terminals never record one
            out.m_tasks.emplace(key, std::move(run));
        }
    }
    if (const auto errors = job.find("error"); errors != job.end() && errors->is_array())
        for (const json &error : *errors) {
            if (!error.is_object())
                continue;
            const QString message = messageOf(error.value("message", json()));
            const std::string task = stringAt(error, "task");
            if (const auto it = out.m_tasks.find(task); it != out.m_tasks.end())
                it->second.error = message;
            else
                out.m_jobErrors.push_back(message);
        }
    return out;
}

const TaskRun &JobSnapshot::task(const std::string &key) const
{
    static const TaskRun kNone;
    const auto it = m_tasks.find(key);
    return it != m_tasks.end() ? it->second : kNone;
}

} // namespace flowdeck::ui::canvas
