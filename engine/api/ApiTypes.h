// SPDX-License-Identifier: GPL-3.0-or-later
// A request and its answer, free of any transport: the HTTP server and the window's
// LocalClient build an ApiRequest and get an ApiResponse from the same functions.
#pragma once

#include "engine/model/Error.h"
#include "engine/model/Principal.h"

#include <nlohmann/json.hpp>

#include <map>
#include <optional>
#include <string>

namespace flowdeck::api {

enum class Method { Get, Post, Put, Patch, Delete };

const char *methodName(Method m);
std::optional<Method> methodFromName(const std::string &name);

/// Who is calling, resolved by the transport (HTTP sign-in, or the window's local account):
/// the same principal every engine operation checks permissions and GBAC against.
using Principal = model::Principal;

struct ApiRequest
{
    Method method = Method::Get;
    std::string path; ///< without the query string, e.g. "/automation-studio/workflows"
    std::map<std::string, std::string> params;     ///< filled by the router from the pattern
    std::multimap<std::string, std::string> query; ///< decoded query parameters
    nlohmann::json body;                           ///< null when there is none
    std::optional<Principal> principal;
    /// Set by the HTTP transport: the caller's address (sign-in throttling), the token the
    /// caller authenticated with (POST /logout revokes it) and the body's media type
    /// (POST /oauth/token takes a form, not JSON).
    std::string remoteAddress;
    std::optional<std::string> token;
    std::string contentType;
    /// The Idempotency-Key header as sent (starting a job twice with one key answers the first
    /// job; see idempotencyKey() in engine/api/IdempotencyKey.h for the checked value).
    std::optional<std::string> idempotencyKey;

    /// The caller of a route that names a permission: dispatch has already refused such a
    /// request without a principal.
    const Principal &caller() const { return *principal; }

    /// The first value of a query parameter.
    std::optional<std::string> queryValue(const std::string &key) const;
};

struct ApiResponse
{
    ApiResponse() = default;
    ApiResponse(int s, nlohmann::json body = nullptr) : status(s), json(std::move(body)) {}

    int status = 200;
    nlohmann::json json;
    /// Extra response headers (e.g. Set-Cookie, Retry-After), added by routes that need them.
    std::map<std::string, std::string> headers;
    /// When set, sent as it is instead of `json` (e.g. the bare token of POST /login).
    std::optional<std::string> rawBody;
    std::string contentType = "application/json";

    bool ok() const { return status >= 200 && status < 300; }
};

/// The HTTP status for an error code: the one table that decides it.
int httpStatus(ErrorCode code);

/// {message, error: code name, details?}: how every error reads, alone or inside a bulk answer.
nlohmann::json errorBody(const Error &error);

/// errorBody(error) with the status of httpStatus(code).
ApiResponse errorResponse(const Error &error);

} // namespace flowdeck::api
