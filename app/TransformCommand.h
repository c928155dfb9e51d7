// SPDX-License-Identifier: GPL-3.0-or-later
// `flowdeck transform FILE_OR_ID --input JSON|@FILE [--options JSON] [--db PATH]`: runs one JST
// on the given incoming values and prints its outgoing JSON. How a JST is tried out before a
// workflow's transformation task depends on it.
#pragma once

#include "app/CommandLine.h"

namespace flowdeck::app {

/// 0 when it ran (the outgoing values are on standard output); 1 when the JST is invalid, not
/// in the store, or failed (the reason on standard error); 2 when it could not run at all
/// (unreadable file or input, input that is not a JSON object, a store that does not open).
int runTransform(const Invocation &inv);

} // namespace flowdeck::app
