// SPDX-License-Identifier: GPL-3.0-or-later
// A job while it runs: the compiled workflow, every task's runtime state, the job variables
// and the state of every transition. It changes only through applyEvent() (JobEvents.h), so
// replaying a job's event log rebuilds it exactly — recovery after a crash and the console's
// step-by-step history use that same path.
#pragma once

#include "engine/runtime/WorkflowGraph.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace flowdeck::runtime {

using Millis = std::int64_t;

enum class JobStatus { Running, Complete, Error, Canceled, Paused, Incomplete };
enum class TaskStatus {
    Incomplete,
    Scheduled,
    Running,
    Complete,
    Error,
    Failure,
    Canceled,
    Paused
};
/// A transition, for the job in hand: not yet decided, taken, or never to be taken.
enum class EdgeMark : std::uint8_t { Pending, Fired, Dead };

const char *jobStatusName(JobStatus s);
std::optional<JobStatus> jobStatusFromName(const std::string &name);
const char *taskStatusName(TaskStatus s);
std::optional<TaskStatus> taskStatusFromName(const std::string &name);

/// The status a task ends in for a finish state: success → complete, failure → failure,
/// error → error.
TaskStatus statusForFinishState(const std::string &finishState);

struct TaskRuntime
{
    TaskStatus status = TaskStatus::Incomplete;
    std::vector<std::string> iterations; ///< every run's UUID, oldest first
    std::string finishState;             ///< of the last finished run; "" before any
    Millis startTime = 0;
    Millis endTime = 0;
    std::optional<std::string> user;  ///< who ran it (the job's initiator, or the operator)
    std::optional<std::string> owner; ///< manual tasks: who claimed it
    nlohmann::json incoming;          ///< resolved incoming values of the current / last run
    nlohmann::json outgoing = nlohmann::json::object(); ///< of the last finished run
    std::string error;                                  ///< message of the last error
    bool dead = false;  ///< on no path that can still run in this pass
    int retries = 0;    ///< automatic retries used (retrySettings)
    Millis retryAt = 0; ///< when the scheduled automatic retry runs (0: none, or unknown)
    int calls = 0;      ///< times the current run's call was sent (an adapter call re-issued)
    /// The adapter exchange of the last finished run ({request, response, attempts}, redacted);
    /// null for tasks that do not call out.
    nlohmann::json call;
    /// Loop bookkeeping for forEach / childJob loops: {index, items, results…}.
    nlohmann::json loop;
};

struct JobState
{
    std::string id;
    std::string name; ///< the workflow's name
    std::string description;
    std::string workflowId;
    std::shared_ptr<const WorkflowGraph> graph;
    JobStatus status = JobStatus::Running;
    nlohmann::json variables = nlohmann::json::object();
    std::vector<TaskRuntime> tasks;
    std::vector<EdgeMark> edges;
    nlohmann::json errors = nlohmann::json::array();   ///< [{task, message, timestamp}]
    nlohmann::json warnings = nlohmann::json::array(); ///< [{task, name, message}]
    nlohmann::json groups = nlohmann::json::array();
    nlohmann::json watchers = nlohmann::json::array();
    nlohmann::json ancestors = nlohmann::json::array();
    nlohmann::json parent; ///< null, or {job, task, iteration, element}
    nlohmann::json mocks;  ///< null, or {TASKID: {finish_state, outgoing}}
    nlohmann::json run;    ///< null, or how an automation's run policy started it
    std::string type = "automation";
    std::optional<std::string> createdBy;
    std::optional<std::string> lastUpdatedBy;
    Millis created = 0;
    Millis lastUpdated = 0;
    Millis startTime = 0;
    Millis endTime = 0;
    std::int64_t eventCount = 0; ///< events applied so far

    int taskIndex(const std::string &key) const { return graph->indexOf(key); }
    TaskRuntime &task(const std::string &key) { return tasks[std::size_t(taskIndex(key))]; }
    bool isFinished() const
    {
        return status == JobStatus::Complete || status == JobStatus::Canceled;
    }
    /// Finished tasks over tasks reachable from workflow_start, 0..1.
    double progress() const;
};

} // namespace flowdeck::runtime
