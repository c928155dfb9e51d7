// SPDX-License-Identifier: GPL-3.0-or-later
// Runs of jobs that run outside Flowdeck (cron scripts, CI pipelines), recorded through
// Marquez's run lifecycle (seed 001): NEW, then RUNNING, then COMPLETED, FAILED or ABORTED.
// Each run is shown in the jobs table as an external job, its state mapped to a job status.
#pragma once

#include "engine/model/Error.h"
#include "engine/store/Records.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

namespace flowdeck::automations {

enum class RunMove { Start, Complete, Fail, Abort };

/// "start", "complete", "fail", "abort"; nullopt for anything else.
std::optional<RunMove> runMoveNamed(const std::string &name);

/// The state `move` leads to from `state`: NEW → RUNNING (start); RUNNING → COMPLETED
/// (complete); NEW or RUNNING → FAILED (fail) or ABORTED (abort). Conflict naming the current
/// state for any other move (completing a run that never started, starting an ended one).
Result<std::string> nextRunState(const std::string &state, RunMove move);

/// The job status a run state is shown as: NEW incomplete, RUNNING running, COMPLETED
/// complete, FAILED error, ABORTED canceled.
std::string jobStatusOfRun(const std::string &state);

/// A new run (state NEW) of `jobName` in `ns`, from the create body {id?, args?, facets?,
/// nominalStartTime?, nominalEndTime?}; Invalid naming the field (a JSON pointer) otherwise.
Result<store::ExternalRunRecord> newExternalRun(const std::string &ns, const std::string &jobName,
                                                const nlohmann::json &body, store::Millis now,
                                                const std::string &jobId);

/// Applies `move` at `at` (ISO 8601 from the `at` parameter, or now). Conflict as
/// nextRunState; Invalid when an end is before the start.
Result<void> moveExternalRun(store::ExternalRunRecord &run, RunMove move, store::Millis at,
                             store::Millis now);

/// The run's external job row: status mapped, start and end times, no tasks (no canvas),
/// and `external: {kind, namespace, job, runId, state}` for the window's own icon.
store::JobRecord externalJob(const store::ExternalRunRecord &run, const std::string &actor);

/// An ISO 8601 date-time ("2019-05-09T19:49:24.201Z"; no offset means UTC) as epoch ms.
std::optional<store::Millis> parseIsoTime(const std::string &text);

} // namespace flowdeck::automations
