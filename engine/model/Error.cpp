// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/model/Error.h"

namespace flowdeck {

const char *errorCodeName(ErrorCode code)
{
    switch (code) {
    case ErrorCode::Invalid:
        return "invalid";
    case ErrorCode::NotFound:
        return "not_found";
    case ErrorCode::Conflict:
        return "conflict";
    case ErrorCode::Forbidden:
        return "forbidden";
    case ErrorCode::Unauthorized:
        return "unauthorized";
    case ErrorCode::Unavailable:
        return "unavailable";
    case ErrorCode::TooManyRequests:
        return "too_many_requests";
    case ErrorCode::Internal:
        return "internal";
    }
    return "internal";
}

} // namespace flowdeck
