// SPDX-License-Identifier: GPL-3.0-or-later
// Operations Manager automations (reference §1c, #30–38): the wrapper that points at a
// workflow and carries triggers. GBAC: a caller outside an automation's gbac.read does not
// see it (404, as for a missing one); one who sees it but is outside gbac.write gets 403 on
// changes. Empty lists mean unrestricted, and admin passes both.
#pragma once

#include "engine/api/EngineApi.h"

#include <optional>
#include <string>
#include <vector>

namespace flowdeck::api::automations {

/// Appends this resource's routes to the table.
void addRoutes(std::vector<Route> &routes);

/// The automation when the caller may see it; NotFound when it is missing or hidden by
/// gbac.read; Invalid when `id` is not an ObjectId.
Result<store::AutomationRecord> readable(EngineContext &ctx, const ApiRequest &req,
                                         const std::string &id);

/// The same, and Forbidden when the caller may see it but is outside gbac.write.
Result<store::AutomationRecord> writable(EngineContext &ctx, const ApiRequest &req,
                                         const std::string &id);

/// The caller's group ids for GBAC in listings; nullopt for admin (everything).
std::optional<std::vector<std::string>> readableBy(const ApiRequest &req);

/// The caller's username for createdBy / lastUpdatedBy; "system" without a principal.
std::string actorName(const ApiRequest &req);

/// Now as ISO-8601 UTC with milliseconds ("2026-11-23T12:00:00.000Z"), as Itential's
/// documents carry created / lastUpdated.
std::string timestamp();

/// Now in milliseconds since the epoch.
store::Millis nowMillis();
/// `ms` since the epoch as Itential writes times: "2026-12-07T03:00:00.000Z".
std::string isoTime(store::Millis ms);

/// Whether a parsed document is an Operations Manager automation (an export of one, with its
/// triggers) rather than a workflow or a JST: no "tasks", and a component field.
bool isAutomationExport(const nlohmann::json &document);

struct ImportedAutomation
{
    nlohmann::json document;           ///< as stored, with its triggers
    std::vector<std::string> warnings; ///< e.g. its componentName matched no workflow
};

/// Stores one exported automation with its triggers, all or nothing: server fields kept, its
/// workflow found by componentId, else by componentName (a name or "@<id>: <name>"). One whose
/// workflow is nowhere is stored without one, with a warning. Invalid names every problem.
Result<ImportedAutomation> importExport(EngineContext &ctx, const ApiRequest &req,
                                        const nlohmann::json &exported);

} // namespace flowdeck::api::automations
