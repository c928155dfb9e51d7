// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/runtime/JobState.h"

#include <array>
#include <utility>

namespace flowdeck::runtime {
namespace {

constexpr std::array<std::pair<JobStatus, const char *>, 6> kJobStatuses{{
    {JobStatus::Running, "running"},
    {JobStatus::Complete, "complete"},
    {JobStatus::Error, "error"},
    {JobStatus::Canceled, "canceled"},
    {JobStatus::Paused, "paused"},
    {JobStatus::Incomplete, "incomplete"},
}};

constexpr std::array<std::pair<TaskStatus, const char *>, 8> kTaskStatuses{{
    {TaskStatus::Incomplete, "incomplete"},
    {TaskStatus::Scheduled, "scheduled"},
    {TaskStatus::Running, "running"},
    {TaskStatus::Complete, "complete"},
    {TaskStatus::Error, "error"},
    {TaskStatus::Failure, "failure"},
    {TaskStatus::Canceled, "canceled"},
    {TaskStatus::Paused, "paused"},
}};

template <typename E, std::size_t N>
const char *nameOf(const std::array<std::pair<E, const char *>, N> &table, E value)
{
    for (const auto &[v, name] : table)
        if (v == value)
            return name;
    return table[0].second;
}

template <typename E, std::size_t N>
std::optional<E> valueOf(const std::array<std::pair<E, const char *>, N> &table,
                         const std::string &name)
{
    for (const auto &[v, n] : table)
        if (name == n)
            return v;
    return std::nullopt;
}

} // namespace

const char *jobStatusName(JobStatus s)
{
    return nameOf(kJobStatuses, s);
}
std::optional<JobStatus> jobStatusFromName(const std::string &n)
{
    return valueOf(kJobStatuses, n);
}
const char *taskStatusName(TaskStatus s)
{
    return nameOf(kTaskStatuses, s);
}
std::optional<TaskStatus> taskStatusFromName(const std::string &n)
{
    return valueOf(kTaskStatuses, n);
}

TaskStatus statusForFinishState(const std::string &finishState)
{
    if (finishState == "success")
        return TaskStatus::Complete;
    if (finishState == "failure")
        return TaskStatus::Failure;
    return TaskStatus::Error;
}

double JobState::progress() const
{
    if (!graph || graph->reachableCount() == 0)
        return 0;
    int finished = 0;
    for (const auto &t : tasks)
        finished += !t.finishState.empty() && t.status != TaskStatus::Running &&
                    t.status != TaskStatus::Incomplete;
    const double p = double(finished) / double(graph->reachableCount());
    return p > 1 ? 1 : p;
}

} // namespace flowdeck::runtime
