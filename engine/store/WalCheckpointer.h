// SPDX-License-Identifier: GPL-3.0-or-later
// Copies a store's write-ahead log back into its database file on a thread of its own.
// SQLite's automatic checkpoint runs inside the commit that crosses its threshold, on the
// committing thread: the engine's commits paid 10–100 ms for it every few hundred commits
// (bench_adapters' slow single-job commits). Here the writer's commit only notes the log's
// size; the copy and its fsync happen beside it, on a connection of this thread's own.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

struct sqlite3;

namespace flowdeck::store {

class WalCheckpointer
{
public:
    struct Limits
    {
        /// The log's size, in pages, that asks for a checkpoint (SQLite's own default).
        int pages = 1000;
        /// Past this size the log is restarted even if that makes the writer wait: with the
        /// writer committing without a pause, passive checkpoints never catch up with it and
        /// the log would grow without bound (a restart needs the log fully copied back).
        int ceilingPages = 16384;
    };

    /// Takes over checkpointing for `writer` (a connection to the file at `path`): SQLite's
    /// automatic checkpoint is replaced by a hook that wakes this object's thread. The thread
    /// starts with the first checkpoint wanted, so a short-lived command never starts it.
    /// Null when the second connection cannot be opened: the writer then keeps SQLite's own.
    static std::unique_ptr<WalCheckpointer> attach(sqlite3 *writer, const std::string &path,
                                                   Limits limits);
    static std::unique_ptr<WalCheckpointer> attach(sqlite3 *writer, const std::string &path)
    {
        return attach(writer, path, Limits{});
    }
    WalCheckpointer(const WalCheckpointer &) = delete;
    WalCheckpointer &operator=(const WalCheckpointer &) = delete;
    /// Finishes the checkpoint under way, closes the thread's connection and joins it. The
    /// writer must still be open; its hook is removed.
    ~WalCheckpointer();

    /// Checkpoints done so far (passive and restarting), for tests and benches.
    std::int64_t checkpoints() const;
    /// Blocks until no checkpoint is wanted or running (tests).
    void waitIdle();

private:
    WalCheckpointer(sqlite3 *writer, sqlite3 *own, Limits limits);
    static int onCommit(void *self, sqlite3 *db, const char *schema, int pages);
    void committed(int pages);
    void run();

    sqlite3 *m_writer;
    sqlite3 *m_db; ///< this object's connection, used on its thread only
    Limits m_limits;

    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    std::condition_variable m_idle;
    int m_pages = 0;       ///< the log's size when a checkpoint was last asked for
    bool m_wanted = false; ///< guarded by m_mutex
    bool m_running = false;
    bool m_stop = false;
    std::int64_t m_done = 0;
    std::thread m_thread;
};

} // namespace flowdeck::store
