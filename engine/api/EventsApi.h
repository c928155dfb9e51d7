// SPDX-License-Identifier: GPL-3.0-or-later
// The system events Flowdeck emits, which event triggers subscribe to (reference §1e, §6):
// searched by source and topic, each with the JSON schema of its payload.
#pragma once

#include "engine/api/EngineApi.h"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace flowdeck::api::events {

/// Appends this resource's routes to the table.
void addRoutes(std::vector<Route> &routes);

/// Every event as {source, topic, description, definition}, by source then topic.
const nlohmann::json &catalogue();

/// The event's catalogue entry, or nullptr when Flowdeck emits no such event.
const nlohmann::json *find(const std::string &source, const std::string &topic);

/// Whether `source` is Flowdeck's own (under @itential/ or @flowdeck/): events of it cannot be
/// posted, and a trigger on it must name a topic of the catalogue. Any other source is another
/// system's, whose events are posted to POST /operations-manager/events/:source/:topic.
bool isFlowdeckSource(const std::string &source);

} // namespace flowdeck::api::events
