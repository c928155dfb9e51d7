// SPDX-License-Identifier: GPL-3.0-or-later
// An automation's health (docs/automations.md, "Health"):
// GET /operations-manager/automations/:id/health?days=N.
#pragma once

#include "engine/api/EngineApi.h"

namespace flowdeck::api::health {

/// Appends this resource's routes to the table.
void addRoutes(std::vector<Route> &routes);

} // namespace flowdeck::api::health
