// SPDX-License-Identifier: GPL-3.0-or-later
// What one value may cost a job. Every job change is written with the job's document, its
// creation event carries its variables and each task run its values, so one 8 MiB variable once
// grew a store by 100 MB and every read of the event log with it. Job variables given at start
// and the values a task produces are bounded here; refused values are named, never truncated.
#pragma once

#include "engine/model/Error.h"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <string>

namespace flowdeck::runtime {

/// The largest a job's variables at start, or a task's outgoing values, may be (compact JSON).
inline constexpr std::size_t kMaxValueBytes = 1024 * 1024;

/// Invalid when `value` nests deeper than kMaxJsonDepth or is larger than kMaxValueBytes; the
/// message names `what` ("the job's variables") and both the size and the limit.
Result<void> checkValueLimits(const nlohmann::json &value, const std::string &what);

} // namespace flowdeck::runtime
