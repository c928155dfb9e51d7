// SPDX-License-Identifier: GPL-3.0-or-later
// Adapter instances over the API: list, get (with the methods' schemas), create, update, delete
// (admin only), and GET /health/adapters in Itential's shape with each instance's last health
// check. Secrets are masked in every answer.
#pragma once

#include "engine/api/EngineApi.h"

#include <vector>

namespace flowdeck::api::adapterinstances {

void addRoutes(std::vector<Route> &routes);

} // namespace flowdeck::api::adapterinstances
