// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/api/SecretMask.h"

#include "engine/access/SecretBox.h"

namespace flowdeck::api {

void maskSealed(nlohmann::json &value)
{
    if (value.is_string()) {
        if (access::SecretBox::isSealed(value.get_ref<const std::string &>()))
            value = access::SecretBox::kMask;
        return;
    }
    if (value.is_object() || value.is_array())
        for (auto &child : value)
            maskSealed(child);
}

} // namespace flowdeck::api
