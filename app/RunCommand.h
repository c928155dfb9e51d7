// SPDX-License-Identifier: GPL-3.0-or-later
// `flowdeck run FILE_OR_NAME`: runs one job to its end (or to the first manual task nobody
// mocked) and prints the final job document. How operators test a workflow, with mocked
// results for the adapters, before it touches a device.
#pragma once

#include "app/CommandLine.h"

namespace flowdeck::app {

/// 0 when the job completed, 1 when it ended otherwise or waits for an operator, 2 when it
/// could not start. Needs a QCoreApplication (delays run on the event loop).
int runJob(const Invocation &inv);

} // namespace flowdeck::app
