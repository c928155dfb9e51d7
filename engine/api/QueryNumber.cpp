// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/api/QueryNumber.h"

#include <charconv>

namespace flowdeck::api {

Result<std::int64_t> queryNumber(const ApiRequest &req, const std::string &key,
                                 std::int64_t fallback, std::int64_t min, std::int64_t max)
{
    const auto value = req.queryValue(key);
    if (!value)
        return fallback;
    std::int64_t parsed = 0;
    const char *first = value->data();
    const char *last = first + value->size();
    const auto [end, ec] = std::from_chars(first, last, parsed);
    if (value->empty() || ec != std::errc() || end != last || parsed < min || parsed > max)
        return Error::invalid("query parameter \"" + key + "\" must be a whole number from " +
                                  std::to_string(min) + " to " + std::to_string(max) + ", not \"" +
                                  *value + "\"",
                              {{"parameter", key}});
    return parsed;
}

Result<PageParams> pageParams(const ApiRequest &req, std::int64_t fallbackLimit,
                              std::int64_t minLimit, std::int64_t maxLimit)
{
    auto limit = queryNumber(req, "limit", fallbackLimit, minLimit, maxLimit);
    if (!limit)
        return limit.error();
    auto skip = queryNumber(req, "skip", 0, 0, 1'000'000'000);
    if (!skip)
        return skip.error();
    return PageParams{*limit, *skip};
}

} // namespace flowdeck::api
