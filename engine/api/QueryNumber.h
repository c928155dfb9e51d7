// SPDX-License-Identifier: GPL-3.0-or-later
// A whole-number query parameter (limit, skip, cursors): absent gives the fallback; anything
// but digits in range is a 400 naming the parameter, so `limit=ten` or `skip=-1` is never
// read as 0. A listing's limit and skip go through pageParams.
#pragma once

#include "engine/api/ApiTypes.h"

#include <cstdint>
#include <string>

namespace flowdeck::api {

Result<std::int64_t> queryNumber(const ApiRequest &req, const std::string &key,
                                 std::int64_t fallback, std::int64_t min, std::int64_t max);

/// A listing's page: `limit` from minLimit to maxLimit (fallbackLimit when absent) and `skip`
/// from 0 to a billion (0 when absent).
struct PageParams
{
    std::int64_t limit = 0;
    std::int64_t skip = 0;
};
Result<PageParams> pageParams(const ApiRequest &req, std::int64_t fallbackLimit,
                              std::int64_t minLimit, std::int64_t maxLimit);

} // namespace flowdeck::api
