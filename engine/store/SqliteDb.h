// SPDX-License-Identifier: GPL-3.0-or-later
// A small RAII layer over the sqlite3 C API: a connection, prepared statements and
// transactions (savepoints when nested). Every failure comes back as an Error; SQLite's own
// words go into the message for logs, never into an API answer (engine/api maps codes).
#pragma once

#include "engine/model/Error.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

struct sqlite3;
struct sqlite3_stmt;

namespace flowdeck::store {

class Statement
{
public:
    Statement() = default;
    Statement(const Statement &) = delete;
    Statement &operator=(const Statement &) = delete;
    Statement(Statement &&other) noexcept;
    Statement &operator=(Statement &&other) noexcept;
    ~Statement();

    // Parameters are 1-based, as in SQLite. Binding copies the value (SQLITE_TRANSIENT).
    Statement &bind(int index, std::int64_t value);
    Statement &bind(int index, int value) { return bind(index, std::int64_t(value)); }
    Statement &bind(int index, double value);
    Statement &bind(int index, std::string_view value);
    Statement &bind(int index, const char *value) { return bind(index, std::string_view(value)); }
    Statement &bind(int index, const std::string &value)
    {
        return bind(index, std::string_view(value));
    }
    Statement &bind(int index, const std::optional<std::string> &value);
    Statement &bindNull(int index);

    /// Advances: true when a row is available, false when done, an Error on failure.
    Result<bool> step();
    /// Runs a statement that returns no rows to completion.
    Result<void> run();
    /// Makes the statement ready to run again with new bindings.
    void reset();

    bool isNull(int column) const;
    std::int64_t int64(int column) const;
    double real(int column) const;
    std::string text(int column) const;
    std::optional<std::string> optionalText(int column) const;

private:
    friend class SqliteDb;
    Statement(sqlite3_stmt *stmt, sqlite3 *db, bool *lent = nullptr)
        : m_stmt(stmt), m_db(db), m_lent(lent)
    {}
    void release();
    sqlite3_stmt *m_stmt = nullptr;
    sqlite3 *m_db = nullptr;
    bool *m_lent = nullptr; ///< set when the statement is its connection's cached one
};

class StatementCache;
class WalCheckpointer;

class SqliteDb
{
public:
    enum class Mode { ReadWrite, ReadOnly };

    /// Opens (creating when ReadWrite) the database file and applies Flowdeck's connection
    /// settings: WAL, foreign keys, a busy timeout, synchronous=FULL for the writer.
    static Result<SqliteDb> open(const std::string &path, Mode mode = Mode::ReadWrite);

    SqliteDb() = default;
    SqliteDb(const SqliteDb &) = delete;
    SqliteDb &operator=(const SqliteDb &) = delete;
    SqliteDb(SqliteDb &&other) noexcept;
    SqliteDb &operator=(SqliteDb &&other) noexcept;
    ~SqliteDb();

    /// Runs one or more statements, parsed each time (schema, PRAGMAs).
    Result<void> exec(std::string_view sql);
    /// A statement ready to bind. The connection keeps the compiled statement of each text it
    /// is given (up to a bound) and lends it out again: parsing was ~7 % of a job commit.
    /// A Statement never outlives its connection.
    Result<Statement> prepare(std::string_view sql);
    /// Runs a single statement that returns no rows, through prepare()'s cache.
    Result<void> run(std::string_view sql);
    /// The first column of the first row of a query, as an integer (for PRAGMAs and counts).
    Result<std::int64_t> queryInt(std::string_view sql);

    std::int64_t changes() const;
    bool isOpen() const { return m_db != nullptr; }
    const std::string &path() const { return m_path; }
    sqlite3 *handle() const { return m_db; }

private:
    friend class Transaction;
    void close();
    sqlite3 *m_db = nullptr;
    std::string m_path;
    int m_txDepth = 0; ///< open transactions on this connection (savepoints when > 1)
    std::unique_ptr<StatementCache> m_statements;
    std::unique_ptr<WalCheckpointer> m_checkpointer; ///< a file store's writer only
};

/// Steps through every row of `s`, calling `row(s)` for each. `row` returns void, or a
/// Result whose error stops the walk and is returned (as is SQLite's own).
template <typename F>
Result<void> forEachRow(Statement &s, F &&row)
{
    while (true) {
        auto more = s.step();
        if (!more)
            return more.error();
        if (!*more)
            return {};
        if constexpr (std::is_void_v<std::invoke_result_t<F, Statement &>>) {
            row(s);
        } else {
            if (auto r = row(s); !r)
                return r.error();
        }
    }
}

/// Every row of `s` read into a vector by `read(s)`, which returns Result<T>; the first error
/// (SQLite's or `read`'s) is returned instead.
template <typename T, typename F>
Result<std::vector<T>> collectRows(Statement &s, F &&read)
{
    std::vector<T> out;
    auto walked = forEachRow(s, [&](Statement &row) -> Result<void> {
        auto item = read(row);
        if (!item)
            return item.error();
        out.push_back(std::move(*item));
        return {};
    });
    if (!walked)
        return walked.error();
    return out;
}

/// Turns the last error on a connection into an Error: busy / full / I/O are Unavailable,
/// constraint violations are Conflict, anything else Internal.
Error sqliteError(sqlite3 *db, int rc, std::string_view what);

/// A transaction that rolls back unless committed. Nested use on one connection becomes a
/// savepoint, so a store call made inside the engine's group commit joins the outer
/// transaction instead of committing on its own.
class Transaction
{
public:
    static Result<Transaction> begin(SqliteDb &db);
    Transaction(const Transaction &) = delete;
    Transaction &operator=(const Transaction &) = delete;
    Transaction(Transaction &&other) noexcept;
    Transaction &operator=(Transaction &&) = delete;
    ~Transaction();

    Result<void> commit();

private:
    Transaction(SqliteDb *db, int depth) : m_db(db), m_depth(depth) {}
    void rollback();
    SqliteDb *m_db = nullptr;
    int m_depth = 0;
    bool m_done = false;
};

} // namespace flowdeck::store
