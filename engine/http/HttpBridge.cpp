// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/http/HttpBridge.h"

#include "engine/http/QueryString.h"
#include "engine/model/JsonParse.h"

#include <QCryptographicHash>
#include <QHttpServerRequest>
#include <QUrl>

#include <algorithm>
#include <set>

namespace flowdeck::http {
namespace {

using nlohmann::json;

const char *reasonPhrase(int status)
{
    switch (status) {
    case 100:
        return "Continue";
    case 200:
        return "OK";
    case 201:
        return "Created";
    case 204:
        return "No Content";
    case 304:
        return "Not Modified";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 409:
        return "Conflict";
    case 413:
        return "Payload Too Large";
    case 415:
        return "Unsupported Media Type";
    case 429:
        return "Too Many Requests";
    case 431:
        return "Request Header Fields Too Large";
    case 500:
        return "Internal Server Error";
    case 503:
        return "Service Unavailable";
    default:
        return status < 300 ? "OK" : status < 500 ? "Bad Request" : "Internal Server Error";
    }
}

std::optional<api::Method> apiMethod(QHttpServerRequest::Method m)
{
    switch (m) {
    case QHttpServerRequest::Method::Get:
        return api::Method::Get;
    case QHttpServerRequest::Method::Post:
        return api::Method::Post;
    case QHttpServerRequest::Method::Put:
        return api::Method::Put;
    case QHttpServerRequest::Method::Patch:
        return api::Method::Patch;
    case QHttpServerRequest::Method::Delete:
        return api::Method::Delete;
    default:
        return std::nullopt;
    }
}

/// "Application/JSON; charset=utf-8" → "application/json".
std::string mediaType(const QByteArray &header)
{
    QByteArray type = header;
    if (const qsizetype semi = type.indexOf(';'); semi >= 0)
        type.truncate(semi);
    return type.trimmed().toLower().toStdString();
}

bool isJsonType(const std::string &type)
{
    return type == "application/json" ||
           (type.size() > 5 && type.compare(type.size() - 5, 5, "+json") == 0);
}

const std::set<std::string> kFormPaths{"/oauth/token"};

} // namespace

Result<json> parseJsonBody(const QByteArray &body)
{
    auto parsed = parseJson(std::string_view(body.constData(), std::size_t(body.size())));
    if (parsed)
        return parsed;
    const JsonParseProblem p = jsonParseProblem(parsed.error());
    return Error::invalid("the body is not valid JSON: " + p.reason + " at line " +
                              std::to_string(p.line) + ", column " + std::to_string(p.column),
                          {{"line", p.line}, {"column", p.column}, {"pointer", ""}});
}

api::ApiResponse errorAnswer(int status, const std::string &error, const std::string &message)
{
    return {status, {{"message", message}, {"error", error}}};
}

Converted toApiRequest(const QHttpServerRequest &request)
{
    Converted out;
    const auto method = apiMethod(request.method());
    const QUrl url = request.url();
    const std::string path = url.path(QUrl::FullyEncoded).toStdString();
    if (!method) {
        out.refusal = errorAnswer(405, "method_not_allowed",
                                  "the method is not allowed on " + path +
                                      "; the API uses GET, POST, PUT, PATCH and DELETE");
        return out;
    }
    api::ApiRequest req;
    req.method = *method;
    req.path = path;
    req.remoteAddress = request.remoteAddress().toString().toStdString();
    auto query = parseQuery(url.query(QUrl::FullyEncoded).toUtf8());
    if (!query) {
        out.refusal = api::errorResponse(query.error());
        return out;
    }
    req.query = std::move(*query);

    const QByteArray body = request.body();
    const std::string type = mediaType(request.value("content-type"));
    req.contentType = type;
    if (const QByteArray key = request.value("idempotency-key"); !key.isNull())
        req.idempotencyKey = key.toStdString();
    if (!body.isEmpty()) {
        if (type == kFormType && kFormPaths.count(path)) {
            auto fields = parseQuery(body);
            if (!fields) {
                out.refusal = api::errorResponse(fields.error());
                return out;
            }
            req.body = json::object();
            for (const auto &[k, v] : *fields)
                req.body[k] = v;
        } else if (type.empty() || isJsonType(type) || kFormPaths.count(path)) {
            // No Content-Type is read as JSON, as most clients mean it. A JSON body on a form
            // route is left for the route to refuse (415) by its content type.
            auto parsed = parseJsonBody(body);
            if (!parsed) {
                out.refusal = api::errorResponse(parsed.error());
                return out;
            }
            req.body = std::move(*parsed);
        } else {
            out.refusal = errorAnswer(415, "unsupported_media_type",
                                      "the body must be JSON (Content-Type: application/json), "
                                      "not \"" +
                                          type + "\"");
            return out;
        }
    }
    out.request = std::move(req);
    return out;
}

void makeConditional(api::ApiResponse &response, const std::string &ifNoneMatch)
{
    if (response.status != 200)
        return;
    if (!response.rawBody)
        response.rawBody =
            response.json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    const QByteArray digest = QCryptographicHash::hash(QByteArrayView(*response.rawBody),
                                                       QCryptographicHash::Blake2b_160);
    const std::string tag =
        '"' +
        digest.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals)
            .toStdString() +
        '"';
    response.headers["ETag"] = tag;
    // If-None-Match compares weakly (RFC 9110 13.1.2): W/"x" matches "x".
    bool matched = false;
    std::size_t from = 0;
    while (!matched && from <= ifNoneMatch.size()) {
        std::size_t comma = ifNoneMatch.find(',', from);
        if (comma == std::string::npos)
            comma = ifNoneMatch.size();
        std::string candidate = ifNoneMatch.substr(from, comma - from);
        const auto first = candidate.find_first_not_of(" \t");
        const auto last = candidate.find_last_not_of(" \t");
        candidate = first == std::string::npos ? "" : candidate.substr(first, last - first + 1);
        if (candidate.starts_with("W/"))
            candidate.erase(0, 2);
        matched = candidate == "*" || candidate == tag;
        from = comma + 1;
    }
    if (matched) {
        response.status = 304;
        response.rawBody = std::string();
    }
}

QByteArray serialize(const api::ApiResponse &response, bool closeConnection, bool secureCookies)
{
    const std::string body =
        response.rawBody
            ? *response.rawBody
            : response.json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    QByteArray out;
    out.reserve(qsizetype(body.size()) + 256);
    out += "HTTP/1.1 " + QByteArray::number(response.status) + ' ' + reasonPhrase(response.status) +
           "\r\n";
    // A 304 has no content, so neither its type nor a length (which would have to be that of
    // the 200 it stands for).
    if (response.status != 304) {
        out += "Content-Type: " + QByteArray::fromStdString(response.contentType) + "\r\n";
        out += "Content-Length: " + QByteArray::number(qsizetype(body.size())) + "\r\n";
    }
    // The API's answers are per caller and change with every job step: a cache may keep one
    // only for its own user and must ask again (with the ETag) before each use.
    out += response.headers.count("ETag") ? "Cache-Control: private, no-cache\r\n"
                                          : "Cache-Control: no-store\r\n";
    for (const auto &[name, value] : response.headers) {
        QByteArray v = QByteArray::fromStdString(value);
        if (secureCookies && name == "Set-Cookie")
            v += "; Secure";
        // Header values come from the API, never from the caller; CR and LF are dropped all
        // the same so no value can split the response.
        v.replace('\r', "").replace('\n', "");
        out += QByteArray::fromStdString(name) + ": " + v + "\r\n";
    }
    if (closeConnection)
        out += "Connection: close\r\n";
    out += "\r\n";
    out.append(body.data(), qsizetype(body.size()));
    return out;
}

} // namespace flowdeck::http
