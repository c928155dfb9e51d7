// SPDX-License-Identifier: GPL-3.0-or-later
// libsodium must be initialised once before use; every access class calls this first.
#pragma once

#include "engine/model/Error.h"

namespace flowdeck::access {

/// Initialises libsodium once per process (thread-safe). Internal when the system cannot
/// provide randomness, which leaves no safe way to make passwords or tokens.
Result<void> initSodium();

} // namespace flowdeck::access
