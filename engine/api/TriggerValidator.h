// SPDX-License-Identifier: GPL-3.0-or-later
// The four trigger shapes of Operations Manager (reference §5): endpoint, manual, schedule and
// eventSystem. Checks a document's fields and types, fills the defaults Itential assumes, and
// computes when a schedule runs next. Pure: whether actionId, jst or an event exist is the
// API's question (TriggersApi), since it needs the store.
#pragma once

#include "engine/store/Records.h"
#include "engine/validate/ValidationIssue.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <vector>

namespace flowdeck::api {

class TriggerValidator
{
public:
    /// Every problem with `trigger`, each with a JSON pointer into it. The server's own fields
    /// (_id, created, lastExecuted, …) are accepted, so exported documents validate; callers
    /// refuse them in create and update bodies with serverFields().
    static std::vector<validate::ValidationIssue> check(const nlohmann::json &trigger);

    /// The document with the defaults filled in: enabled true, actionType "automations",
    /// description "", verb "POST", schema / jst null, legacyWrapper (true for manual and
    /// schedule triggers, false for event triggers), processMissedRuns "none", and a schedule's
    /// repeatInterval from repeatUnit × repeatFrequency. Call after check() found no error.
    static nlohmann::json withDefaults(nlohmann::json trigger);

    /// The server's fields present in `body` (creating or updating a trigger may not set them).
    static std::vector<std::string> serverFields(const nlohmann::json &body);

    /// When an enabled schedule trigger fires next, as of `now`: firstRunAt while it is ahead,
    /// then the next firstRunAt + k × repeatInterval at or after now; nullopt for other types,
    /// disabled triggers and one-time schedules whose time has passed.
    static std::optional<store::Millis> nextRunAt(const nlohmann::json &trigger, store::Millis now);

    /// Milliseconds per repeatUnit ("minute", "hour", "day", "week"); 0 for anything else.
    static store::Millis unitMillis(const std::string &unit);
};

} // namespace flowdeck::api
