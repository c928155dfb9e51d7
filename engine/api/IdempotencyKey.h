// SPDX-License-Identifier: GPL-3.0-or-later
// The Idempotency-Key header of job starts (POST /operations-manager/jobs/start and the trigger
// run routes): a client that is not sure its start arrived sends it again with the same key and
// gets the first job back, not a second one.
#pragma once

#include "engine/api/ApiTypes.h"

#include <optional>
#include <string>

namespace flowdeck::api {

/// The response header that tells a client its answer is the first job's, not a new one.
inline constexpr const char *kIdempotentReplayed = "Idempotent-Replayed";

/// The request's key: nullopt without the header; Invalid naming the header unless it is 1 to
/// 255 printable ASCII characters.
Result<std::optional<std::string>> idempotencyKey(const ApiRequest &req);

} // namespace flowdeck::api
