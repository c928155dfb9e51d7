// SPDX-License-Identifier: GPL-3.0-or-later
// `flowdeck serve`: the engine with no window, for servers. Stops cleanly on SIGINT/SIGTERM.
#pragma once

#include "app/CommandLine.h"

namespace flowdeck::app {

/// Runs until SIGINT or SIGTERM; needs a QCoreApplication. Returns the exit code.
int runHeadless(const Invocation &inv);

} // namespace flowdeck::app
