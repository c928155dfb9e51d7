// SPDX-License-Identifier: GPL-3.0-or-later
// The Automation Studio and workflow-builder routes that Itential's CLI and SDK use to
// manage workflow documents.
#pragma once

#include "engine/api/EngineApi.h"

#include <vector>

namespace flowdeck::api::workflows {

/// Appends this resource's routes to the table.
void addRoutes(std::vector<Route> &routes);

} // namespace flowdeck::api::workflows
