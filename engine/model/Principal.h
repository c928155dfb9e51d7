// SPDX-License-Identifier: GPL-3.0-or-later
// Who is acting, as the engine needs to know it: resolved from a sign-in (engine/access) or
// the window's local account, and passed to every operation that checks permissions or GBAC.
#pragma once

#include <nlohmann/json.hpp>

#include <set>
#include <string>

namespace flowdeck::model {

struct Principal
{
    std::string userId;                ///< 24-hex ObjectId of the account
    std::string username;              ///< what the job history and task owner fields show
    std::set<std::string> groups;      ///< ids of the groups the account belongs to
    std::set<std::string> permissions; ///< Operations Manager method names granted by its roles
    bool admin = false;                ///< the admin role: every permission and every group

    bool can(const std::string &permission) const
    {
        return admin || permissions.count(permission) > 0;
    }

    /// GBAC: whether a thing restricted to `groups` (ids, or group objects with an "_id", as
    /// Itential documents carry them) is open to this principal. An empty or absent list means
    /// unrestricted; several groups mean any of them; admin sees everything.
    bool allowedBy(const nlohmann::json &restrictedTo) const
    {
        if (admin || !restrictedTo.is_array() || restrictedTo.empty())
            return true;
        for (const auto &g : restrictedTo) {
            const nlohmann::json id = g.is_object() ? g.value("_id", nlohmann::json()) : g;
            if (id.is_string() && groups.count(id.get<std::string>()))
                return true;
        }
        return false;
    }
};

} // namespace flowdeck::model
