// SPDX-License-Identifier: GPL-3.0-or-later
// Operations Manager triggers (reference §1d, §5, #39–49): stored, validated, exported and
// imported here; endpoint and manual triggers start their automation's workflow as the
// caller. Schedule and event triggers are stored and validated; they fire in a later issue.
// A trigger is visible and changeable exactly when its automation is (gbac.read / write).
#pragma once

#include "engine/api/EngineApi.h"

#include <nlohmann/json.hpp>

#include <vector>

namespace flowdeck::api::triggers {

/// Appends this resource's routes to the table.
void addRoutes(std::vector<Route> &routes);

/// The trigger as the API answers it: its document with enabled, lastExecuted (null until it
/// ran) and, for schedules, nextRunAt as of now.
nlohmann::json present(const store::TriggerRecord &record);

/// Checks a trigger document (shape, then that its automation, JST and event exist and the
/// caller may change the automation) and stores it as a new trigger. With `imported`, the
/// document may bring its own _id, created and createdBy; otherwise they are refused (Invalid).
/// Invalid names every problem with a JSON pointer in details; Conflict for a routeName an
/// enabled endpoint trigger uses; Forbidden outside the automation's gbac.write.
Result<store::TriggerRecord> insert(EngineContext &ctx, const ApiRequest &req,
                                    nlohmann::json document, bool imported);

} // namespace flowdeck::api::triggers
