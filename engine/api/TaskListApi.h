// SPDX-License-Identifier: GPL-3.0-or-later
// What a task can be, as Itential's Workflow Builder lists it for its palette:
// GET /workflow_builder/tasks/list (every WorkFlowEngine method, and every method of every
// adapter instance, once per instance with adapter_id set) and
// GET /workflow_builder/getTaskDetails/:app/:task (one of them). The editor's palette reads
// the same list, so a remote window offers the server's adapters.
#pragma once

#include "engine/api/EngineApi.h"

#include <vector>

namespace flowdeck::api::tasklist {

/// Appends this resource's routes to the table.
void addRoutes(std::vector<Route> &routes);

} // namespace flowdeck::api::tasklist
