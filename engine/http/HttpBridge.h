// SPDX-License-Identifier: GPL-3.0-or-later
// Between HTTP and the transport-free API: a QHttpServerRequest becomes an ApiRequest
// (method, path, decoded query, parsed body) or a JSON refusal (400, 405, 415); an
// ApiResponse becomes the bytes of an HTTP/1.1 response.
#pragma once

#include "engine/api/ApiTypes.h"

#include <QByteArray>

#include <optional>
#include <string>

QT_BEGIN_NAMESPACE
class QHttpServerRequest;
QT_END_NAMESPACE

namespace flowdeck::http {

/// The media type of a form body; the only route that takes one is POST /oauth/token.
inline constexpr const char *kFormType = "application/x-www-form-urlencoded";

struct Converted
{
    std::optional<api::ApiRequest> request; ///< set when the request could be understood
    api::ApiResponse refusal;               ///< otherwise, the answer to send
};

/// Converts a request. Refuses a method the API has no use for (405), a malformed query
/// escape (400), a body that is not JSON (415; a form only where kFormType is taken), and
/// JSON that does not parse (400, with the line and column of the fault).
Converted toApiRequest(const QHttpServerRequest &request);

/// Parses a JSON body; Invalid with {line, column, pointer: ""} when it does not parse.
Result<nlohmann::json> parseJsonBody(const QByteArray &body);

/// A JSON error answer for statuses the API's Error codes do not cover (405, 413, 415, 431,
/// 503): {message, error}.
api::ApiResponse errorAnswer(int status, const std::string &error, const std::string &message);

/// Makes a GET's 200 answer conditional: it gets an ETag (a hash of its bytes, which become its
/// rawBody), and when `ifNoneMatch` (the request's If-None-Match) names that tag, or is "*", it
/// becomes 304 Not Modified with no body. A client polling a job that has not moved then gets
/// a few headers instead of the document.
void makeConditional(api::ApiResponse &response, const std::string &ifNoneMatch);

/// The whole HTTP/1.1 response: status line, Content-Type, Content-Length, the response's
/// headers (Secure added to cookies on a TLS server), and the body.
QByteArray serialize(const api::ApiResponse &response, bool closeConnection,
                     bool secureCookies = false);

} // namespace flowdeck::http
