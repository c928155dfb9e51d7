// SPDX-License-Identifier: GPL-3.0-or-later
// The command-line tools. Each returns the process exit code: 0 success, 1 the documents or
// the store said no (invalid, not found, conflict), 2 the command could not run at all.
#pragma once

#include "app/CommandLine.h"

namespace flowdeck::app {

int runValidate(const Invocation &inv);
int runImport(const Invocation &inv);
int runExport(const Invocation &inv);

} // namespace flowdeck::app
