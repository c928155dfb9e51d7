// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/access/Sodium.h"

#include <sodium.h>

namespace flowdeck::access {

Result<void> initSodium()
{
    // sodium_init is itself safe to call repeatedly and concurrently; a function-local static
    // still saves the call and keeps one answer for the whole process.
    static const int rc = sodium_init();
    if (rc < 0)
        return Error::internal("libsodium could not be initialised (no source of randomness)");
    return {};
}

} // namespace flowdeck::access
