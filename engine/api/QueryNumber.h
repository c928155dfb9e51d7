// SPDX-License-Identifier: GPL-3.0-or-later
// A whole-number query parameter (limit, skip, cursors): absent gives the fallback; anything
// but digits in range is a 400 naming the parameter, so `limit=ten` or `skip=-1` is never
// read as 0.
#pragma once

#include "engine/api/ApiTypes.h"

#include <cstdint>
#include <string>

namespace flowdeck::api {

Result<std::int64_t> queryNumber(const ApiRequest &req, const std::string &key,
                                 std::int64_t fallback, std::int64_t min, std::int64_t max);

} // namespace flowdeck::api
