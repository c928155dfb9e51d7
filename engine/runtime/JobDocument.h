// SPDX-License-Identifier: GPL-3.0-or-later
// The job and task-iteration documents as the Operations Manager API answers them (seed
// 000's shape), made from a JobState. The store keeps these beside the event log so reads
// never need the engine.
#pragma once

#include "engine/runtime/JobState.h"
#include "engine/store/Records.h"

namespace flowdeck::runtime {

/// Whether the job was started with mocked task results (a test run): every document that
/// names the job says so, so a rehearsal is never taken for the real thing.
bool isTestRun(const JobState &job);

/// The full job document: the workflow's tasks with their runtime fields, variables, errors,
/// metrics and the rest.
nlohmann::json jobDocument(const JobState &job);

/// The row the store keeps for a job.
store::JobRecord jobRecord(const JobState &job);

/// The document of one run of a task (its iteration): incoming, outgoing, finish state,
/// metrics, and the job and task it belongs to.
nlohmann::json iterationDocument(const JobState &job, int task, const std::string &iterationId);

} // namespace flowdeck::runtime
