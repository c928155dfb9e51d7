// SPDX-License-Identifier: GPL-3.0-or-later
// Small pieces the SQLite store's files share. Private to engine/store.
#pragma once

#include "engine/model/Error.h"
#include "engine/store/Records.h"
#include "engine/store/SqliteDb.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

namespace flowdeck::store {

inline Result<nlohmann::json> parseDocument(const std::string &text)
{
    nlohmann::json doc = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (doc.is_discarded())
        return Error::internal("a stored document is not valid JSON");
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

// Row readers shared by SqliteStore.cpp and SqliteStoreJobs.cpp: the column lists a SELECT
// names and the readers of such a row.
extern const char *const kJobColumns;
Result<JobRecord> readJob(Statement &s);
extern const char *const kIterationColumns;
TaskIterationRecord readIteration(Statement &s, Result<nlohmann::json> &&doc);

} // namespace flowdeck::store
