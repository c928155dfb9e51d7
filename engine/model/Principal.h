// SPDX-License-Identifier: GPL-3.0-or-later
// Who is acting, as the engine needs to know it: resolved from a sign-in (engine/access) or
// the window's local account, and passed to every operation that checks permissions or GBAC.
#pragma once

#include <set>
#include <string>

namespace flowdeck::model {

struct Principal
{
    std::string userId;   ///< 24-hex ObjectId of the account
    std::string username; ///< what the job history and task owner fields show
    std::set<std::string> groups;      ///< ids of the groups the account belongs to
    std::set<std::string> permissions; ///< Operations Manager method names granted by its roles
    bool admin = false;                ///< the admin role: every permission and every group

    bool can(const std::string &permission) const
    {
        return admin || permissions.count(permission) > 0;
    }
};

} // namespace flowdeck::model
