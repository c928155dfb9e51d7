// SPDX-License-Identifier: GPL-3.0-or-later
// The window: the embedded engine behind a LocalClient, and the main window on top.
#pragma once

#include "app/CommandLine.h"

namespace flowdeck::app {

/// True when a window can be shown: a display, or a Qt platform chosen explicitly.
bool canShowWindow();

/// Opens the store (importing the demo workflows on first run) and runs the window; needs a
/// QApplication. Returns the exit code.
int runWindow(const Invocation &inv);

} // namespace flowdeck::app
