// SPDX-License-Identifier: GPL-3.0-or-later
// The process's open-file limit (RLIMIT_NOFILE), which bounds how many connections a server
// can hold: every socket is a file descriptor, and at the limit accept() fails.
#pragma once

namespace flowdeck::http {

/// Raises the soft open-file limit to the hard limit (allowed without privileges) and returns
/// the soft limit in force afterwards. Called once when a server starts; Linux starts most
/// processes at 1024 while allowing far more.
long raiseOpenFileLimit();

/// The soft open-file limit in force now.
long openFileLimit();

} // namespace flowdeck::http
