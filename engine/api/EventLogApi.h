// SPDX-License-Identifier: GPL-3.0-or-later
// GET /events: the job event log (engine/runtime/JobEvents.h) paged by its `seq` cursor, in
// either direction. Oldest first after a cursor is how a remote console catches up after a
// reconnect (the /events/stream WebSocket carries the same messages live); newest first before
// a cursor is how the window's Events page reads history. Events of jobs the caller's groups
// do not admit are left out, as everywhere else.
#pragma once

#include "engine/api/EngineApi.h"

#include <vector>

namespace flowdeck::api::eventlog {

/// The largest page a caller may ask for, and the default.
inline constexpr int kMaxLimit = 500;
inline constexpr int kDefaultLimit = 100;

/// Appends this resource's routes to the table.
void addRoutes(std::vector<Route> &routes);

} // namespace flowdeck::api::eventlog
