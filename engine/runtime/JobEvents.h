// SPDX-License-Identifier: GPL-3.0-or-later
// The job event log: what happened to a job, one event at a time, and the one function that
// applies an event to a JobState. Every change to a running job is an event; the store keeps
// them append-only beside the job's current document.
//
// Kinds and their data (all carry "at", ms since the epoch):
//   jobCreated   {job: {...}, workflow: <document>, workflowVersion}
//   taskStarted  {task, iteration, incoming, user?}
//   taskFinished {task, iteration, finishState, outgoing, variables, error?, retrying?}
//   taskRan      taskStarted and taskFinished at once (methods that answer immediately)
//   tasksReset   {tasks: [keys], reason}          a revert, retry or loop pass runs them again
//   loopPass     {task, index, item}              forEach starts a pass over its body
//   childStarted {task, index, job}               a childJob task started child job `job`
//   childFinished {task, index, status, variables}
//   taskStatus   {task, status}                   paused / canceled / resumed without finishing
//   taskOwner    {task, owner | null, by}         a manual task claimed, assigned or released
//   groupsSet    {groups: [group ids]}             the job's GBAC groups changed
//   watchersSet  {watchers: [usernames]}
//   watchersNotified {reason, users, status, task?} for watchers' inboxes; changes nothing
//   variablesSet {variables: {name: value}}
//   jobStatus    {status, message?}               message is appended to the job's errors
#pragma once

#include "engine/model/Error.h"
#include "engine/runtime/JobState.h"

#include <functional>
#include <map>
#include <string>

namespace flowdeck::runtime {

struct JobEventRecord
{
    std::string kind;
    Millis at = 0;
    std::optional<std::string> actor;
    nlohmann::json data = nlohmann::json::object();
};

/// Compiled workflows by (workflow id, version), so replaying many jobs of one workflow
/// builds its graph once.
class GraphCache
{
public:
    Result<std::shared_ptr<const WorkflowGraph>> get(const std::string &workflowId, int version,
                                                     const nlohmann::json &document);

private:
    std::map<std::pair<std::string, int>, std::shared_ptr<const WorkflowGraph>> m_graphs;
};

/// Applies one event. Fails (Internal) only for an event that does not fit the state — a
/// corrupt log — never for anything a caller can cause.
Result<void> applyEvent(JobState &job, const JobEventRecord &event, GraphCache &graphs);

/// Rebuilds a job from its whole log.
Result<JobState> replay(const std::vector<JobEventRecord> &events, GraphCache &graphs);

} // namespace flowdeck::runtime
