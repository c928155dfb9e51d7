// SPDX-License-Identifier: GPL-3.0-or-later
// What a job document (engine/runtime/JobDocument.cpp, Itential's job shape) says about each
// task, in the canvas's terms: its TaskState, how often it ran, its owner, its finish state and
// error. Reading never fails: missing or malformed fields read as "not reached".
#pragma once

#include "ui/canvas/TaskState.h"

#include <QString>

#include <nlohmann/json.hpp>

#include <string>
#include <unordered_map>

namespace flowdeck::ui::canvas {

struct TaskRun
{
    TaskState state = TaskState::NotReached;
    int iterations = 0;
    QString owner;
    std::string finishState; ///< of the last finished run; empty before any
    QString error;           ///< the task's last error message, if the job recorded one
    bool reached() const { return state != TaskState::NotReached || iterations > 0; }
};

class JobSnapshot
{
public:
    static JobSnapshot fromJson(const nlohmann::json &job);

    const std::string &status() const { return m_status; }
    bool isError() const { return m_status == "error"; }
    /// The task's run; a default (not reached) one for keys the job does not know.
    const TaskRun &task(const std::string &key) const;
    /// The job-level error messages, oldest first ("Job has no available transitions…").
    const std::vector<QString> &jobErrors() const { return m_jobErrors; }

private:
    std::string m_status;
    std::unordered_map<std::string, TaskRun> m_tasks;
    std::vector<QString> m_jobErrors;
};

/// The TaskState for a task document's status (and type, for manual tasks).
TaskState taskStateFor(const std::string &status, bool manual, bool owned);

} // namespace flowdeck::ui::canvas
