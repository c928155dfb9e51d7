// SPDX-License-Identifier: GPL-3.0-or-later
// The Operations Manager answer envelope: {message, data, metadata}. Lists add paging
// metadata {skip, limit, total, nextPageSkip, previousPageSkip, currentPageSize, hints}.
// Automation Studio routes keep their own shapes ({items, total}); everything under
// /operations-manager/ answers through these helpers.
#pragma once

#include "engine/api/ApiTypes.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>

namespace flowdeck::api {

/// Where a list page sits in its result set.
struct ListPage
{
    std::int64_t skip = 0;
    std::int64_t limit = 25;
    std::int64_t total = 0;
};

/// {message, data, metadata: {}} with status 200.
ApiResponse envelope(std::string message, nlohmann::json data);

/// The list metadata for a page holding `currentPageSize` items: nextPageSkip is null on the
/// last page, previousPageSkip null on the first; hints is an array of strings (e.g. that a
/// limit was clamped).
nlohmann::json listMetadata(const ListPage &page, std::int64_t currentPageSize,
                            nlohmann::json hints = nlohmann::json::array());

/// {message, data: items, metadata: listMetadata(page, items.size(), hints)} with status 200.
ApiResponse listEnvelope(std::string message, nlohmann::json items, const ListPage &page,
                         nlohmann::json hints = nlohmann::json::array());

} // namespace flowdeck::api
