// SPDX-License-Identifier: GPL-3.0-or-later
// Small pieces the SQLite store's files share. Private to engine/store.
#pragma once

#include "engine/model/Error.h"

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

} // namespace flowdeck::store
