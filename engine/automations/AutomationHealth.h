// SPDX-License-Identifier: GPL-3.0-or-later
// How an automation is doing, from its newest jobs (at most kMaxRuns within the window):
// success rate, p50/p95 duration, consecutive failures, last and next run, a 0–100 score, and
// the series the window charts (runs per day by status, duration of each run).
#pragma once

#include "engine/store/Records.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <vector>

namespace flowdeck::automations {

/// The newest runs health reads, whatever the window.
inline constexpr int kHealthMaxRuns = 500;
inline constexpr int kHealthDefaultDays = 30;

/// `runs` newest first (store::Store::automationJobs); `nextRun` the soonest next run of the
/// automation's enabled schedule triggers. Score: round(100 × successRate × 0.8^consecutive
/// failures), null without a finished run (docs/automations.md, "Health").
nlohmann::json automationHealth(const std::vector<store::AutomationJobRecord> &runs,
                                store::Millis now, int days, std::optional<store::Millis> nextRun);

/// The nearest-rank percentile `p` (0–100) of `sorted` (ascending, not empty).
store::Millis percentile(const std::vector<store::Millis> &sorted, double p);

} // namespace flowdeck::automations
