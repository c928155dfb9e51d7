// SPDX-License-Identifier: GPL-3.0-or-later
// The built-in roles and the permissions they grant. A permission is an Operations Manager
// method name (reference §1, last column), so a route is checked against the same word
// Itential uses: `startJob`, `claimTask`, `finishManualTask`, …
#pragma once

#include "engine/model/Error.h"

#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace flowdeck::access {

/// Every method name a route may require, sorted. The API checks each route's permission
/// against this list, so a misspelt permission cannot silently lock everyone but admin out.
const std::vector<std::string> &allMethodNames();

/// admin, operator, viewer.
const std::vector<std::string> &builtInRoles();

bool isKnownRole(std::string_view role);
bool isAdminRole(std::string_view role);

/// Invalid, naming the first unknown role and the known ones, when any role is not built in.
Result<void> checkRoles(const std::vector<std::string> &roles);

/// The union of what the roles grant. Unknown roles grant nothing (an account stored by a
/// newer Flowdeck keeps working with what this one understands).
std::set<std::string> permissionsForRoles(const std::vector<std::string> &roles);

} // namespace flowdeck::access
