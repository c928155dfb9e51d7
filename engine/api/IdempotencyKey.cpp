// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/api/IdempotencyKey.h"

#include <algorithm>

namespace flowdeck::api {

Result<std::optional<std::string>> idempotencyKey(const ApiRequest &req)
{
    if (!req.idempotencyKey)
        return std::optional<std::string>();
    const std::string &key = *req.idempotencyKey;
    const bool printable =
        std::all_of(key.begin(), key.end(), [](char c) { return c >= 0x20 && c <= 0x7e; });
    if (key.empty() || key.size() > 255 || !printable)
        return Error::invalid("the Idempotency-Key header must be 1 to 255 printable ASCII "
                              "characters (a UUID is a good key)",
                              {{"header", "Idempotency-Key"}});
    return std::optional<std::string>(key);
}

} // namespace flowdeck::api
