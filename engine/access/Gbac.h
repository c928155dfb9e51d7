// SPDX-License-Identifier: GPL-3.0-or-later
// Group-based access control, as the reference has it at three levels: workflow groups, job
// groups and task groups. The same rule holds at each level, so it lives in one place.
#pragma once

#include "engine/model/Principal.h"

#include <string>
#include <vector>

namespace flowdeck::access {

/// Whether something restricted to `groups` (group ids) is visible to `principal`: an empty
/// list means unrestricted, several mean any of them, and admin sees everything. Callers that
/// answer "no" report NotFound rather than Forbidden, so ids do not leak.
bool visible(const model::Principal &principal, const std::vector<std::string> &groups);

} // namespace flowdeck::access
