// SPDX-License-Identifier: GPL-3.0-or-later
// `flowdeck adapter add|list|show|set|remove|test|call`: adapter instances from the shell.
//   add NAME --app APP --openapi FILE [--properties JSON|@FILE]
//   list; show NAME (secrets masked); set NAME [--app] [--openapi] [--properties] (merged);
//   remove NAME; test NAME (the health check); call NAME METHOD [--input JSON|@FILE]
#pragma once

#include "app/CommandLine.h"

namespace flowdeck::app {

/// 0 when it worked (call: the result object on standard output; test: online); 1 when the
/// input was refused, the instance is unknown, the call failed (the error object on standard
/// output) or the system is offline; 2 when it could not run (store, files).
int runAdapter(const Invocation &inv);

} // namespace flowdeck::app
