// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/store/WalCheckpointer.h"

#include <sqlite3.h>

#include <cstdio>

namespace flowdeck::store {

std::unique_ptr<WalCheckpointer> WalCheckpointer::attach(sqlite3 *writer, const std::string &path,
                                                         Limits limits)
{
    // A connection of its own: a connection serves one thread at a time (NOMUTEX), and a
    // checkpoint on the writer's would hold the writer while it runs.
    sqlite3 *own = nullptr;
    if (sqlite3_open_v2(path.c_str(), &own, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr) !=
            SQLITE_OK ||
        sqlite3_exec(own, "PRAGMA synchronous=FULL", nullptr, nullptr, nullptr) != SQLITE_OK) {
        sqlite3_close_v2(own);
        return nullptr;
    }
    sqlite3_busy_timeout(own, 5000);
    return std::unique_ptr<WalCheckpointer>(new WalCheckpointer(writer, own, limits));
}

WalCheckpointer::WalCheckpointer(sqlite3 *writer, sqlite3 *own, Limits limits)
    : m_writer(writer), m_db(own), m_limits(limits)
{
    sqlite3_wal_hook(m_writer, &WalCheckpointer::onCommit, this);
}

WalCheckpointer::~WalCheckpointer()
{
    {
        const std::lock_guard lock(m_mutex);
        m_stop = true;
    }
    m_wake.notify_all();
    if (m_thread.joinable())
        m_thread.join();
    sqlite3_wal_hook(m_writer, nullptr, nullptr);
    sqlite3_close_v2(m_db);
}

std::int64_t WalCheckpointer::checkpoints() const
{
    const std::lock_guard lock(m_mutex);
    return m_done;
}

void WalCheckpointer::waitIdle()
{
    std::unique_lock lock(m_mutex);
    m_idle.wait(lock, [&] { return (!m_wanted && !m_running) || m_stop; });
}

int WalCheckpointer::onCommit(void *self, sqlite3 *, const char *, int pages)
{
    static_cast<WalCheckpointer *>(self)->committed(pages);
    return SQLITE_OK;
}

void WalCheckpointer::committed(int pages)
{
    {
        const std::lock_guard lock(m_mutex);
        // `pages` is the log's whole length. Once a checkpoint left part of it uncopied (the
        // writer went on meanwhile), ask again only after another `pages` worth of commits,
        // not at every commit; a shorter log than before means the writer restarted it.
        const bool restarted = pages < m_pages;
        const bool grown = pages - m_pages >= m_limits.pages;
        if (pages < m_limits.pages || m_wanted || (!restarted && !grown))
            return;
        m_wanted = true;
        m_pages = pages;
        if (!m_thread.joinable())
            m_thread = std::thread([this] { run(); });
    }
    m_wake.notify_one();
}

void WalCheckpointer::run()
{
    std::unique_lock lock(m_mutex);
    while (true) {
        m_wake.wait(lock, [&] { return m_wanted || m_stop; });
        if (m_stop)
            break;
        m_wanted = false;
        m_running = true;
        const int ceiling = m_limits.ceilingPages;
        lock.unlock();
        int log = 0;
        int copied = 0;
        int rc = sqlite3_wal_checkpoint_v2(m_db, nullptr, SQLITE_CHECKPOINT_PASSIVE, &log, &copied);
        // RESTART waits (busy timeout) for the writer's commit in progress, copies what is
        // left and makes the next commit write the log from its start.
        if (rc == SQLITE_OK && log >= ceiling)
            rc = sqlite3_wal_checkpoint_v2(m_db, nullptr, SQLITE_CHECKPOINT_RESTART, &log, &copied);
        if (rc != SQLITE_OK && rc != SQLITE_BUSY && rc != SQLITE_LOCKED)
            std::fprintf(stderr, "flowdeck: store: a checkpoint failed: %s\n",
                         sqlite3_errmsg(m_db));
        lock.lock();
        m_running = false;
        ++m_done;
        m_idle.notify_all();
    }
    lock.unlock();
    m_idle.notify_all();
}

} // namespace flowdeck::store
