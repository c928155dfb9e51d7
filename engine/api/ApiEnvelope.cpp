// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/api/ApiEnvelope.h"

#include <algorithm>

namespace flowdeck::api {

using nlohmann::json;

ApiResponse envelope(std::string message, json data)
{
    ApiResponse r;
    r.status = 200;
    r.json = {
        {"message", std::move(message)}, {"data", std::move(data)}, {"metadata", json::object()}};
    return r;
}

json listMetadata(const ListPage &page, std::int64_t currentPageSize, json hints)
{
    const std::int64_t end = page.skip + currentPageSize;
    json next = nullptr;
    // With limit 0 nothing is ever returned, so there is no next page to point at.
    if (page.limit > 0 && end < page.total)
        next = end;
    json previous = nullptr;
    if (page.skip > 0)
        previous = std::max<std::int64_t>(0, page.skip - page.limit);
    if (!hints.is_array())
        hints = json::array();
    return {{"skip", page.skip},
            {"limit", page.limit},
            {"total", page.total},
            {"nextPageSkip", next},
            {"previousPageSkip", previous},
            {"currentPageSize", currentPageSize},
            {"hints", std::move(hints)}};
}

ApiResponse listEnvelope(std::string message, json items, const ListPage &page, json hints)
{
    const auto size = static_cast<std::int64_t>(items.is_array() ? items.size() : 0);
    ApiResponse r;
    r.status = 200;
    r.json = {{"message", std::move(message)},
              {"data", std::move(items)},
              {"metadata", listMetadata(page, size, std::move(hints))}};
    return r;
}

} // namespace flowdeck::api
