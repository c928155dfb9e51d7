// SPDX-License-Identifier: GPL-3.0-or-later
// The Operations Manager job routes (reference §1a rows 1–21): start, search, read, pause,
// resume, cancel, continue, revert, delete, groups, watchers and large data. Jobs the caller's
// groups do not admit are "not found" on every route, lists included.
#pragma once

#include "engine/api/EngineApi.h"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace flowdeck::api::jobs {

/// Appends this resource's routes to the table.
void addRoutes(std::vector<Route> &routes);

/// The job's document when `who` may see it; NotFound (never Forbidden) otherwise, so a
/// hidden job cannot be told apart from a missing one.
Result<nlohmann::json> visibleJob(EngineContext &ctx, const Principal &who,
                                  const std::string &jobId);

/// The caller's group ids for a store GBAC filter; nullopt (everything) for an admin.
std::optional<std::vector<std::string>> visibleTo(const Principal &who);

} // namespace flowdeck::api::jobs
