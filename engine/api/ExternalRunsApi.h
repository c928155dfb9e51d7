// SPDX-License-Identifier: GPL-3.0-or-later
// Runs of jobs that run outside Flowdeck, in Marquez's run lifecycle (seed 001; docs/
// automations.md, "Runs from elsewhere"): create, start, complete, fail, abort, get, list.
// Each run is also an external job in the jobs table.
#pragma once

#include "engine/api/EngineApi.h"

namespace flowdeck::api::externalruns {

/// Appends this resource's routes to the table.
void addRoutes(std::vector<Route> &routes);

} // namespace flowdeck::api::externalruns
