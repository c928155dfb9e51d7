// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/access/Gbac.h"

#include <algorithm>

namespace flowdeck::access {

bool visible(const model::Principal &principal, const std::vector<std::string> &groups)
{
    if (principal.admin || groups.empty())
        return true;
    return std::any_of(groups.begin(), groups.end(),
                       [&](const std::string &g) { return principal.groups.count(g) > 0; });
}

} // namespace flowdeck::access
