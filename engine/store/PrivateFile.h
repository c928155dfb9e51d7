// SPDX-License-Identifier: GPL-3.0-or-later
// The store holds password hashes, token rows and sealed secrets: its files (the database, its
// WAL and shared-memory files, the lock and the key) are for their owner alone, whatever the
// umask. SQLite gives the WAL and -shm files the mode of the database file, so making the
// database 0600 before SQLite opens it covers those it creates later.
#pragma once

#include <string>

namespace flowdeck::store {

/// Whether `path` names a file on disk (not ":memory:", not a "file:" URI).
bool isPlainPath(const std::string &path);

/// Creates `path` empty with mode 0600 if it does not exist. Returns false (errno set) when it
/// can be neither found nor created.
bool createPrivate(const std::string &path);

/// Removes group and other permissions from `path` if it exists and has any, saying so on
/// standard error ("was readable by other users …; now 0600"), since an operator should know
/// the file was exposed. Returns true when it changed the mode.
bool keepPrivate(const std::string &path);

/// fsync()s the directory holding `path`, so a file just created or renamed there survives a
/// power loss. Best effort: errors are ignored.
void syncDirectoryOf(const std::string &path);

} // namespace flowdeck::store
