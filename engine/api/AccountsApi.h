// SPDX-License-Identifier: GPL-3.0-or-later
// GET /authorization/accounts (the Itential authorization app's path): the people a task can
// be assigned to, with their groups and roles, for pickers such as the inbox's Assign. Never
// carries password hashes, tokens or email addresses.
#pragma once

#include "engine/api/EngineApi.h"

#include <vector>

namespace flowdeck::api::accounts {

inline constexpr int kDefaultLimit = 100;
inline constexpr int kMaxLimit = 1000;

/// Appends this resource's routes to the table.
void addRoutes(std::vector<Route> &routes);

} // namespace flowdeck::api::accounts
