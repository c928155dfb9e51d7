// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/store/SqliteDb.h"

#include "engine/store/PrivateFile.h"
#include "engine/store/WalCheckpointer.h"

#include <sqlite3.h>
#include <sys/stat.h>

#include <string>
#include <unordered_map>

namespace flowdeck::store {

Error sqliteError(sqlite3 *db, int rc, std::string_view what)
{
    std::string message(what);
    message += ": ";
    message += db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    // Marked as SQLite's words: they name tables and columns, so answers to clients replace
    // them (api::errorBody) and only the server's log keeps them.
    const nlohmann::json details = {{"sqlite", rc}};
    switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_FULL:
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
        return {ErrorCode::Unavailable, std::move(message), details};
    case SQLITE_CONSTRAINT:
        return {ErrorCode::Conflict, std::move(message), details};
    default:
        return {ErrorCode::Internal, std::move(message), details};
    }
}

// ---- Statement --------------------------------------------------------------------------

// ---- StatementCache ---------------------------------------------------------------------

/// The compiled statements of one connection, by their text. A statement is lent to one
/// Statement at a time; asked for while lent (a nested use of the same text), a fresh one is
/// compiled for the occasion. Texts past the bound (listings build theirs from filters) are
/// compiled and finalised each time, as before the cache.
class StatementCache
{
public:
    static constexpr std::size_t kMaxStatements = 256;

    ~StatementCache()
    {
        for (auto &[sql, entry] : m_entries)
            sqlite3_finalize(entry.stmt);
    }

    struct Entry
    {
        sqlite3_stmt *stmt = nullptr;
        bool lent = false;
    };

    /// The entry for `sql` when it can be lent now (compiling it on first use), else null.
    Entry *lend(sqlite3 *db, std::string_view sql, int &rc)
    {
        rc = SQLITE_OK;
        auto it = m_entries.find(sql);
        if (it == m_entries.end()) {
            if (m_entries.size() >= kMaxStatements)
                return nullptr;
            sqlite3_stmt *stmt = nullptr;
            rc = sqlite3_prepare_v3(db, sql.data(), int(sql.size()), SQLITE_PREPARE_PERSISTENT,
                                    &stmt, nullptr);
            if (rc != SQLITE_OK)
                return nullptr;
            it = m_entries.emplace(std::string(sql), Entry{stmt, false}).first;
        }
        if (it->second.lent)
            return nullptr;
        it->second.lent = true;
        return &it->second;
    }

private:
    struct Hash
    {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const noexcept
        {
            return std::hash<std::string_view>{}(s);
        }
    };
    std::unordered_map<std::string, Entry, Hash, std::equal_to<>> m_entries;
};

// ---- Statement --------------------------------------------------------------------------

Statement::Statement(Statement &&other) noexcept
    : m_stmt(other.m_stmt), m_db(other.m_db), m_lent(other.m_lent)
{
    other.m_stmt = nullptr;
    other.m_lent = nullptr;
}

Statement &Statement::operator=(Statement &&other) noexcept
{
    if (this != &other) {
        release();
        m_stmt = other.m_stmt;
        m_db = other.m_db;
        m_lent = other.m_lent;
        other.m_stmt = nullptr;
        other.m_lent = nullptr;
    }
    return *this;
}

Statement::~Statement()
{
    release();
}

void Statement::release()
{
    if (m_lent) {
        // Back to the cache, reset: a statement left stepping would hold its read open.
        sqlite3_reset(m_stmt);
        sqlite3_clear_bindings(m_stmt);
        *m_lent = false;
    } else {
        sqlite3_finalize(m_stmt);
    }
    m_stmt = nullptr;
    m_lent = nullptr;
}

Statement &Statement::bind(int index, std::int64_t value)
{
    sqlite3_bind_int64(m_stmt, index, value);
    return *this;
}

Statement &Statement::bind(int index, double value)
{
    sqlite3_bind_double(m_stmt, index, value);
    return *this;
}

Statement &Statement::bind(int index, std::string_view value)
{
    sqlite3_bind_text64(m_stmt, index, value.data(), value.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
    return *this;
}

Statement &Statement::bind(int index, const std::optional<std::string> &value)
{
    return value ? bind(index, std::string_view(*value)) : bindNull(index);
}

Statement &Statement::bindNull(int index)
{
    sqlite3_bind_null(m_stmt, index);
    return *this;
}

Result<bool> Statement::step()
{
    const int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_ROW)
        return true;
    if (rc == SQLITE_DONE)
        return false;
    return sqliteError(m_db, rc, "query failed");
}

Result<void> Statement::run()
{
    auto r = step();
    reset();
    if (!r)
        return r.error();
    return {};
}

void Statement::reset()
{
    sqlite3_reset(m_stmt);
    sqlite3_clear_bindings(m_stmt);
}

bool Statement::isNull(int column) const
{
    return sqlite3_column_type(m_stmt, column) == SQLITE_NULL;
}

std::int64_t Statement::int64(int column) const
{
    return sqlite3_column_int64(m_stmt, column);
}

double Statement::real(int column) const
{
    return sqlite3_column_double(m_stmt, column);
}

std::string Statement::text(int column) const
{
    const auto *p = sqlite3_column_text(m_stmt, column);
    const int n = sqlite3_column_bytes(m_stmt, column);
    return p ? std::string(reinterpret_cast<const char *>(p), std::size_t(n)) : std::string();
}

std::optional<std::string> Statement::optionalText(int column) const
{
    if (isNull(column))
        return std::nullopt;
    return text(column);
}

// ---- SqliteDb ---------------------------------------------------------------------------

Result<SqliteDb> SqliteDb::open(const std::string &path, Mode mode)
{
    const int flags = (mode == Mode::ReadOnly ? SQLITE_OPEN_READONLY
                                              : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) |
                      SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI;
    if (struct stat st{};
        isPlainPath(path) && ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode))
        return Error::invalid(path + " is a folder, not a store file; give a file in it, e.g. " +
                              path + (path.ends_with('/') ? "" : "/") + "flowdeck.db");
    if (mode == Mode::ReadWrite && isPlainPath(path)) {
        // Made 0600 before SQLite sees it: its WAL and -shm files take the database's mode.
        createPrivate(path);
        for (const char *suffix : {"", "-wal", "-shm"})
            keepPrivate(path + suffix);
    }
    sqlite3 *raw = nullptr;
    const int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
    SqliteDb db;
    db.m_db = raw;
    db.m_path = path;
    if (rc != SQLITE_OK)
        return sqliteError(raw, rc, "cannot open database " + path);
    sqlite3_extended_result_codes(raw, 1);
    sqlite3_busy_timeout(raw, 5000);
    // WAL lets readers run beside the single writer; synchronous=FULL makes every commit
    // durable across power loss, and group commit keeps that affordable.
    const char *pragmas = mode == Mode::ReadOnly
                              ? "PRAGMA foreign_keys=ON; PRAGMA query_only=ON;"
                              : "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
                                " PRAGMA foreign_keys=ON;";
    if (auto r = db.exec(pragmas); !r)
        return r.error();
    db.m_statements = std::make_unique<StatementCache>();
    if (mode == Mode::ReadWrite && isPlainPath(path)) {
        // The log is copied back beside the writer, never inside its commits; after a burst
        // it is cut back to 64 MB when it next restarts.
        if (auto r = db.exec("PRAGMA journal_size_limit=67108864"); !r)
            return r.error();
        db.m_checkpointer = WalCheckpointer::attach(raw, path);
    }
    return db;
}

SqliteDb::SqliteDb(SqliteDb &&other) noexcept
    : m_db(other.m_db), m_path(std::move(other.m_path)), m_txDepth(other.m_txDepth),
      m_statements(std::move(other.m_statements)), m_checkpointer(std::move(other.m_checkpointer))
{
    other.m_db = nullptr;
}

SqliteDb &SqliteDb::operator=(SqliteDb &&other) noexcept
{
    if (this != &other) {
        close();
        m_db = other.m_db;
        m_path = std::move(other.m_path);
        m_txDepth = other.m_txDepth;
        m_statements = std::move(other.m_statements);
        m_checkpointer = std::move(other.m_checkpointer);
        other.m_db = nullptr;
    }
    return *this;
}

SqliteDb::~SqliteDb()
{
    close();
}

void SqliteDb::close()
{
    // The checkpoint thread's connection goes first, so the writer's close is the last one
    // and SQLite copies the log back and removes it, as it did before.
    m_checkpointer.reset();
    m_statements.reset();
    if (m_db)
        sqlite3_close_v2(m_db);
    m_db = nullptr;
}

Result<void> SqliteDb::exec(std::string_view sql)
{
    const std::string owned(sql);
    char *err = nullptr;
    const int rc = sqlite3_exec(m_db, owned.c_str(), nullptr, nullptr, &err);
    if (rc != SQLITE_OK) {
        sqlite3_free(err);
        return sqliteError(m_db, rc, "statement failed");
    }
    return {};
}

Result<Statement> SqliteDb::prepare(std::string_view sql)
{
    if (m_statements) {
        int rc = SQLITE_OK;
        if (auto *entry = m_statements->lend(m_db, sql, rc))
            return Statement(entry->stmt, m_db, &entry->lent);
        if (rc != SQLITE_OK)
            return sqliteError(m_db, rc, "cannot prepare statement");
    }
    sqlite3_stmt *stmt = nullptr;
    const int rc = sqlite3_prepare_v3(m_db, sql.data(), int(sql.size()), 0, &stmt, nullptr);
    if (rc != SQLITE_OK)
        return sqliteError(m_db, rc, "cannot prepare statement");
    return Statement(stmt, m_db);
}

Result<void> SqliteDb::run(std::string_view sql)
{
    auto stmt = prepare(sql);
    if (!stmt)
        return stmt.error();
    return stmt->run();
}

Result<std::int64_t> SqliteDb::queryInt(std::string_view sql)
{
    auto stmt = prepare(sql);
    if (!stmt)
        return stmt.error();
    auto row = stmt->step();
    if (!row)
        return row.error();
    if (!*row)
        return Error::internal("query returned no row: " + std::string(sql));
    return stmt->int64(0);
}

std::int64_t SqliteDb::changes() const
{
    return sqlite3_changes64(m_db);
}

// ---- Transaction ------------------------------------------------------------------------

Result<Transaction> Transaction::begin(SqliteDb &db)
{
    int &depth = db.m_txDepth;
    // IMMEDIATE takes the write lock up front, so a transaction never fails half-way with
    // SQLITE_BUSY on its first write.
    auto r =
        depth == 0 ? db.run("BEGIN IMMEDIATE") : db.run("SAVEPOINT fd_" + std::to_string(depth));
    if (!r)
        return r.error();
    ++depth;
    return Transaction(&db, depth);
}

Transaction::Transaction(Transaction &&other) noexcept
    : m_db(other.m_db), m_depth(other.m_depth), m_done(other.m_done)
{
    other.m_done = true;
}

Transaction::~Transaction()
{
    if (!m_done)
        rollback();
}

Result<void> Transaction::commit()
{
    if (m_done)
        return Error::internal("transaction already finished");
    const int level = m_depth - 1;
    auto r = level == 0 ? m_db->run("COMMIT") : m_db->run("RELEASE fd_" + std::to_string(level));
    if (!r) {
        rollback();
        return r.error();
    }
    m_done = true;
    --m_db->m_txDepth;
    return {};
}

void Transaction::rollback()
{
    const int level = m_depth - 1;
    if (level == 0) {
        (void)m_db->exec("ROLLBACK");
    } else {
        const auto name = "fd_" + std::to_string(level);
        (void)m_db->exec("ROLLBACK TO " + name + "; RELEASE " + name);
    }
    m_done = true;
    --m_db->m_txDepth;
}

} // namespace flowdeck::store
