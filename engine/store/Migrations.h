// SPDX-License-Identifier: GPL-3.0-or-later
// The schema, as an ordered list of migrations keyed by PRAGMA user_version. A database is
// brought up to date step by step, each step in its own transaction, so a crash mid-upgrade
// leaves the file at the last complete version. Never edit a released step: add one.
#pragma once

#include "engine/model/Error.h"
#include "engine/store/SqliteDb.h"

#include <span>

namespace flowdeck::store {

struct Migration
{
    int version;             ///< user_version after this step
    const char *description; ///< one line, for logs
    const char *sql;
};

/// Every migration, oldest first; versions are 1, 2, 3, … without gaps.
std::span<const Migration> migrations();

/// The version this build writes.
int latestSchemaVersion();

/// The file's schema version (0 for a new, empty file).
Result<int> schemaVersion(SqliteDb &db);

/// Applies the pending migrations up to `target` (default: the latest). Fails with Invalid,
/// changing nothing, when the file was written by a newer Flowdeck.
Result<void> migrate(SqliteDb &db, int target = -1);

} // namespace flowdeck::store
