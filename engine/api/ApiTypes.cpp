// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/api/ApiTypes.h"

#include "engine/model/Ids.h"
#include "engine/model/JsonParse.h"

#include <array>
#include <cstdio>
#include <utility>

namespace flowdeck::api {
namespace {
constexpr std::array<std::pair<Method, const char *>, 5> kMethods{{{Method::Get, "GET"},
                                                                   {Method::Post, "POST"},
                                                                   {Method::Put, "PUT"},
                                                                   {Method::Patch, "PATCH"},
                                                                   {Method::Delete, "DELETE"}}};
} // namespace

const char *methodName(Method m)
{
    for (const auto &[method, name] : kMethods)
        if (method == m)
            return name;
    return "GET";
}

std::optional<Method> methodFromName(const std::string &name)
{
    for (const auto &[method, n] : kMethods)
        if (name == n)
            return method;
    return std::nullopt;
}

std::optional<std::string> ApiRequest::queryValue(const std::string &key) const
{
    auto it = query.find(key);
    if (it == query.end())
        return std::nullopt;
    return it->second;
}

int httpStatus(ErrorCode code)
{
    switch (code) {
    case ErrorCode::Invalid:
        return 400;
    case ErrorCode::Unauthorized:
        return 401;
    case ErrorCode::Forbidden:
        return 403;
    case ErrorCode::NotFound:
        return 404;
    case ErrorCode::Conflict:
        return 409;
    case ErrorCode::Unavailable:
        return 503;
    case ErrorCode::TooManyRequests:
        return 429;
    case ErrorCode::Internal:
        break;
    }
    return 500;
}

nlohmann::json errorBody(const Error &error)
{
    const bool fromSqlite = error.details.is_object() && error.details.contains("sqlite");
    if (error.code == ErrorCode::Internal || fromSqlite) {
        // Internal text (SQLite's words, a broken invariant) stays in the server's log; the
        // client gets what it can act on and a reference that finds the log line.
        const std::string reference = ids::newObjectId().substr(16);
        std::fprintf(stderr, "flowdeck: error %s: %s\n", reference.c_str(),
                     validUtf8(error.message).c_str());
        std::string message;
        switch (error.code) {
        case ErrorCode::Unavailable:
            message = "the store is busy or cannot be written right now; try again shortly";
            break;
        case ErrorCode::Conflict:
            message = "the change conflicts with what the store holds";
            break;
        default:
            message = "something went wrong inside Flowdeck";
            break;
        }
        return {{"message", message + " (reference " + reference + " in the server's log)"},
                {"error", errorCodeName(error.code)},
                {"details", {{"reference", reference}}}};
    }
    nlohmann::json body = {{"message", error.message}, {"error", errorCodeName(error.code)}};
    if (!error.details.is_null())
        body["details"] = error.details;
    return body;
}

ApiResponse errorResponse(const Error &error)
{
    ApiResponse response{httpStatus(error.code), errorBody(error)};
    // A refusal that ends after a wait (throttled sign-ins, a failed password) says when.
    if (error.details.is_object() && error.details.contains("retryAfterMs") &&
        error.details["retryAfterMs"].is_number_integer()) {
        if (const auto waitMs = error.details["retryAfterMs"].get<long long>(); waitMs > 0)
            response.headers["Retry-After"] = std::to_string((waitMs + 999) / 1000);
    }
    return response;
}

} // namespace flowdeck::api
