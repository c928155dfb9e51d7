// SPDX-License-Identifier: GPL-3.0-or-later
// The transformation (JST) routes existing Itential clients use: list, get, create, update,
// delete, and POST /transformations/:id, which runs one on the request body.
#pragma once

#include "engine/api/EngineApi.h"

#include <vector>

namespace flowdeck::api::transformations {

/// Appends this resource's routes to the table.
void addRoutes(std::vector<Route> &routes);

} // namespace flowdeck::api::transformations
