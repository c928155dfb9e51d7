// SPDX-License-Identifier: GPL-3.0-or-later
// The Operations Manager task routes (reference §1b rows 22–29): search task runs, read one,
// claim, assign, release, the manual-task controller, finish and retry. A task the caller's
// groups do not admit (its job's or its own) is "not found".
#pragma once

#include "engine/api/EngineApi.h"

#include <vector>

namespace flowdeck::api::tasks {

/// Appends this resource's routes to the table.
void addRoutes(std::vector<Route> &routes);

} // namespace flowdeck::api::tasks
