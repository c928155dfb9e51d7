// SPDX-License-Identifier: GPL-3.0-or-later
// A store has one engine. Two processes running jobs from one file would run every task twice
// and never see each other's pauses, so the process that runs the engine holds an exclusive
// lock on `<store>.lock` for as long as it lives. The lock is flock(2): the kernel drops it when
// the holder exits in any way, kill -9 included, so a dead holder never locks a store for good.
// The file also says who holds it (pid, host, since), for the message the next process shows.
#pragma once

#include "engine/model/Error.h"

#include <string>

namespace flowdeck::store {

class StoreLock
{
public:
    struct Holder
    {
        long pid = 0;
        std::string host;
        std::string since; ///< ISO 8601, UTC
    };

    /// Takes the lock of the store at `storePath`. Conflict, naming the holder ("… is in use
    /// by Flowdeck process 4242 on ops-1 since 2026-12-07T03:00:00Z"), when another process
    /// (or another lock in this one) holds it; Unavailable when the lock file cannot be made.
    /// In-memory stores need no lock: an empty StoreLock is returned.
    static Result<StoreLock> acquire(const std::string &storePath);

    /// The path of the lock file of the store at `storePath`.
    static std::string lockPath(const std::string &storePath);

    /// Who holds the lock of the store at `storePath` now, if anyone does.
    static Result<Holder> holder(const std::string &storePath);

    StoreLock() = default;
    StoreLock(StoreLock &&other) noexcept;
    StoreLock &operator=(StoreLock &&other) noexcept;
    StoreLock(const StoreLock &) = delete;
    StoreLock &operator=(const StoreLock &) = delete;
    ~StoreLock();

    bool held() const { return m_fd >= 0; }

private:
    explicit StoreLock(int fd) : m_fd(fd) {}
    int m_fd = -1;
};

} // namespace flowdeck::store
