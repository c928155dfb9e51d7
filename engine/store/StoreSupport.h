// SPDX-License-Identifier: GPL-3.0-or-later
// Small pieces the SQLite store's files share. Private to engine/store.
#pragma once

#include "engine/model/Error.h"
#include "engine/model/JsonParse.h"
#include "engine/store/Records.h"
#include "engine/store/SqliteDb.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

namespace flowdeck::store {

/// Stored documents wrap values that were bounded to kMaxJsonDepth when they came in (a job
/// document holds its variables a few levels down), so reading them back allows more.
inline constexpr int kMaxStoredJsonDepth = 4 * kMaxJsonDepth;

inline Result<nlohmann::json> parseDocument(const std::string &text)
{
    auto doc = parseJson(text, kMaxStoredJsonDepth);
    if (!doc)
        return Error::internal("a stored document is not valid JSON: " + doc.error().message);
    return doc;
}

/// A lookup that must find its row: the row, or NotFound with `message`.
template <typename T>
Result<T> required(Result<std::optional<T>> found, const std::string &message)
{
    if (!found)
        return found.error();
    if (!*found)
        return Error::notFound(message);
    return std::move(**found);
}

/// A trigger's "handled once" tables (trigger_fires by scheduled_at, event_trigger_fires by
/// event) share one shape: (trigger_id, key, outcome, job_id, message, handled_at), unique on
/// the first two. Whether the row of `triggerId` and `key` exists.
template <typename Key>
Result<bool> fireRecorded(SqliteDb &db, const std::string &table, const std::string &keyColumn,
                          const std::string &triggerId, const Key &key)
{
    auto s =
        db.prepare("SELECT 1 FROM " + table + " WHERE trigger_id = ?1 AND " + keyColumn + " = ?2");
    if (!s)
        return s.error();
    s->bind(1, triggerId).bind(2, key);
    auto row = s->step();
    if (!row)
        return row.error();
    return *row;
}

/// Records `fire` (a TriggerFireRecord or EventTriggerFireRecord) under `key`; Conflict saying
/// `already` when that row exists.
template <typename Fire, typename Key>
Result<void> insertFire(SqliteDb &db, const std::string &table, const std::string &keyColumn,
                        const Fire &fire, const Key &key, const std::string &already)
{
    auto s = db.prepare("INSERT INTO " + table + " (trigger_id, " + keyColumn +
                        ", outcome, job_id, message, handled_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    if (!s)
        return s.error();
    s->bind(1, fire.triggerId).bind(2, key).bind(3, fire.outcome).bind(4, fire.jobId);
    s->bind(5, fire.message).bind(6, fire.handledAt);
    if (auto r = s->run(); !r)
        return r.error().code == ErrorCode::Conflict ? Error::conflict(already) : r;
    return {};
}

/// Runs `sql` (a DELETE or UPDATE) with ?1 bound to `value`; NotFound with `notFound` when it
/// changed no row. Every store file's deletes by id or by name go through it.
inline Result<void> changeOne(SqliteDb &db, const std::string &sql, const std::string &value,
                              const std::string &notFound)
{
    auto s = db.prepare(sql);
    if (!s)
        return s.error();
    s->bind(1, value);
    if (auto r = s->run(); !r)
        return r;
    if (db.changes() == 0)
        return Error::notFound(notFound);
    return {};
}

/// The row `sql` finds with ?1 bound to `value`, read by `read` (Statement& -> Result<T>);
/// nullopt when there is none. Every store file's lookups by id or by name go through it.
template <typename T, typename Read>
Result<std::optional<T>> findOne(SqliteDb &db, const std::string &sql, const std::string &value,
                                 Read read)
{
    auto s = db.prepare(sql);
    if (!s)
        return s.error();
    s->bind(1, value);
    auto row = s->step();
    if (!row)
        return row.error();
    if (!*row)
        return std::optional<T>();
    auto r = read(*s);
    if (!r)
        return r.error();
    return std::optional<T>(std::move(*r));
}

/// The columns of a versioned document's row (workflows, transformations), in the order
/// readVersioned() reads them.
inline constexpr const char *kVersionedColumns =
    "id, name, version, document, created_at, created_by, updated_at, updated_by";

/// A WorkflowRecord or TransformationRecord from a row selected by kVersionedColumns.
template <typename Record>
Result<Record> readVersioned(Statement &s)
{
    Record r;
    r.id = s.text(0);
    r.name = s.text(1);
    r.version = int(s.int64(2));
    auto doc = parseDocument(s.text(3));
    if (!doc)
        return doc.error();
    r.document = std::move(*doc);
    r.createdAt = s.int64(4);
    r.createdBy = s.optionalText(5);
    r.updatedAt = s.int64(6);
    r.updatedBy = s.optionalText(7);
    return r;
}

// Row readers shared by SqliteStore.cpp and SqliteStoreJobs.cpp: the column lists a SELECT
// names and the readers of such a row.
extern const char *const kJobColumns;
Result<JobRecord> readJob(Statement &s);
extern const char *const kIterationColumns;
TaskIterationRecord readIteration(Statement &s, Result<nlohmann::json> &&doc);

} // namespace flowdeck::store
