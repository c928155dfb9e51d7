// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/store/SqliteDb.h"

#include "engine/store/PrivateFile.h"

#include <sqlite3.h>
#include <sys/stat.h>

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

Statement::Statement(Statement &&other) noexcept : m_stmt(other.m_stmt), m_db(other.m_db)
{
    other.m_stmt = nullptr;
}

Statement &Statement::operator=(Statement &&other) noexcept
{
    if (this != &other) {
        sqlite3_finalize(m_stmt);
        m_stmt = other.m_stmt;
        m_db = other.m_db;
        other.m_stmt = nullptr;
    }
    return *this;
}

Statement::~Statement()
{
    sqlite3_finalize(m_stmt);
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
    return db;
}

SqliteDb::SqliteDb(SqliteDb &&other) noexcept
    : m_db(other.m_db), m_path(std::move(other.m_path)), m_txDepth(other.m_txDepth)
{
    other.m_db = nullptr;
}

SqliteDb &SqliteDb::operator=(SqliteDb &&other) noexcept
{
    if (this != &other) {
        if (m_db)
            sqlite3_close_v2(m_db);
        m_db = other.m_db;
        m_path = std::move(other.m_path);
        m_txDepth = other.m_txDepth;
        other.m_db = nullptr;
    }
    return *this;
}

SqliteDb::~SqliteDb()
{
    if (m_db)
        sqlite3_close_v2(m_db);
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
    sqlite3_stmt *stmt = nullptr;
    const int rc = sqlite3_prepare_v3(m_db, sql.data(), int(sql.size()), SQLITE_PREPARE_PERSISTENT,
                                      &stmt, nullptr);
    if (rc != SQLITE_OK)
        return sqliteError(m_db, rc, "cannot prepare statement");
    return Statement(stmt, m_db);
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
        depth == 0 ? db.exec("BEGIN IMMEDIATE") : db.exec("SAVEPOINT fd_" + std::to_string(depth));
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
    auto r = level == 0 ? m_db->exec("COMMIT") : m_db->exec("RELEASE fd_" + std::to_string(level));
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
