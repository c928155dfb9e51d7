// SPDX-License-Identifier: GPL-3.0-or-later
// POST /operations-manager/automations/save: an automation and its triggers saved together,
// all or nothing. The window's automation editor saves through it: a new automation with its
// triggers, or an edited one with triggers added, changed and removed, in one store
// transaction. Each part runs through the same route handler (and permission) the REST
// routes use — POST/PATCH /automations, POST/PATCH/DELETE /triggers — so it is validated
// exactly as they validate it; when any part is refused nothing is written and the answer
// lists every problem with a JSON pointer into this request's body
// ("/automation/runPolicy/max_concurrency", "/triggers/1/cron").
#pragma once

#include "engine/api/EngineApi.h"

#include <vector>

namespace flowdeck::api::automationsave {

void addRoutes(std::vector<Route> &routes);

} // namespace flowdeck::api::automationsave
