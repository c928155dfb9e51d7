// SPDX-License-Identifier: GPL-3.0-or-later
// Identifiers as Itential uses them: 24-hex ObjectIds for documents (workflows, automations,
// jobs, triggers, users, groups) and UUIDv4 for task iterations. Thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace flowdeck::ids {

/// A new ObjectId: 4 bytes of seconds since the epoch, 5 random bytes fixed per process and a
/// 3-byte counter, as 24 lowercase hex characters. Ids made later sort later (to the second).
std::string newObjectId();

/// The same, for a given time (seconds since the epoch); used by tests and bulk loaders.
std::string newObjectId(std::uint32_t epochSeconds);

/// A new random UUID (version 4) in canonical lowercase 8-4-4-4-12 form.
std::string newUuid();

bool isObjectId(std::string_view s);
bool isUuid(std::string_view s);

/// Workflow-local task keys: 1–4 hex characters, or the reserved workflow_start / workflow_end.
bool isTaskKey(std::string_view s);

} // namespace flowdeck::ids
