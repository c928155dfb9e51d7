// SPDX-License-Identifier: GPL-3.0-or-later
// Turning a stored account into the Principal every engine operation checks.
#pragma once

#include "engine/model/Error.h"
#include "engine/model/Principal.h"
#include "engine/store/Records.h"

namespace flowdeck::access {

/// The principal of an account: its group ids, the permissions of its roles, admin when it
/// has the admin role. Does not look at `disabled`; callers that authenticate refuse first.
model::Principal principalOf(const store::UserRecord &user);

/// Error{Unauthorized} with `message`; Error.h has no shorthand for it.
Error unauthorized(std::string message, nlohmann::json details = {});

} // namespace flowdeck::access
