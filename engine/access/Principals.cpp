// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/access/Principals.h"

#include "engine/access/Roles.h"

#include <algorithm>

namespace flowdeck::access {

model::Principal principalOf(const store::UserRecord &user)
{
    model::Principal p;
    p.userId = user.id;
    p.username = user.username;
    p.groups.insert(user.groups.begin(), user.groups.end());
    p.permissions = permissionsForRoles(user.roles);
    p.admin = std::any_of(user.roles.begin(), user.roles.end(),
                          [](const std::string &r) { return isAdminRole(r); });
    return p;
}

Error unauthorized(std::string message, nlohmann::json details)
{
    return {ErrorCode::Unauthorized, std::move(message), std::move(details)};
}

} // namespace flowdeck::access
