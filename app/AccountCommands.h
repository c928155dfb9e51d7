// SPDX-License-Identifier: GPL-3.0-or-later
// `flowdeck user …`, `flowdeck group …` and `flowdeck token …`: managing accounts from the shell of
// the machine that holds the store (access to the file is the authority). Exit codes as the other
// tools: 0 done, 1 refused (invalid, not found, conflict), 2 could not run.
#pragma once

#include "app/CommandLine.h"

namespace flowdeck::app {

int runUser(const Invocation &inv);
int runGroup(const Invocation &inv);
/// `flowdeck token create USER | list [USER] | revoke ID`: API tokens for machines.
int runToken(const Invocation &inv);

} // namespace flowdeck::app
