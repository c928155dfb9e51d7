// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/api/OpenApiDocument.h"

#include "engine/api/AuthApi.h"

#include <algorithm>
#include <cctype>

namespace flowdeck::api {
namespace {

using nlohmann::json;

std::string lower(std::string s)
{
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return char(std::tolower(c)); });
    return s;
}

json errorAnswer(const std::string &description)
{
    return {{"description", description},
            {"content",
             {{"application/json", {{"schema", {{"$ref", "#/components/schemas/Error"}}}}}}}};
}

} // namespace

std::string openApiPath(const std::string &pattern)
{
    std::string out;
    for (const auto &segment : splitPath(pattern)) {
        out += '/';
        if (!segment.empty() && segment.front() == ':')
            out += '{' + segment.substr(1) + '}';
        else
            out += segment;
    }
    return out.empty() ? "/" : out;
}

json openApiDocument(const std::vector<Route> &routes)
{
    json paths = json::object();
    for (const Route &entry : routes) {
        const Route *route = &entry;
        const std::string method = lower(api::methodName(route->method));
        json op = {{"summary", route->summary},
                   {"operationId", route->permission.empty()
                                       ? method + openApiPath(route->pattern.pattern())
                                       : route->permission + ":" + method +
                                             openApiPath(route->pattern.pattern())}};
        json parameters = json::array();
        for (const auto &name : route->pattern.parameterNames())
            parameters.push_back({{"name", name},
                                  {"in", "path"},
                                  {"required", true},
                                  {"schema", {{"type", "string"}}}});
        if (!parameters.empty())
            op["parameters"] = std::move(parameters);
        if (route->method == api::Method::Post || route->method == api::Method::Put ||
            route->method == api::Method::Patch)
            op["requestBody"] = {
                {"required", false},
                {"content", {{"application/json", {{"schema", {{"type", "object"}}}}}}}};
        json responses = {{"200",
                           {{"description", "success"},
                            {"content", {{"application/json", {{"schema", json::object()}}}}}}},
                          {"400", errorAnswer("invalid input: every problem, with JSON pointers")},
                          {"404", errorAnswer("no such thing, or hidden from the caller")},
                          {"413", errorAnswer("body over the limit")},
                          {"415", errorAnswer("body is not JSON")}};
        if (route->permission.empty()) {
            op["security"] = json::array();
        } else {
            op["x-permission"] = "OperationsManager." + route->permission;
            responses["401"] = errorAnswer("not signed in");
            responses["403"] = errorAnswer("the caller's roles do not grant " + route->permission);
            responses["409"] = errorAnswer("the thing's state does not allow this");
        }
        op["responses"] = std::move(responses);
        paths[openApiPath(route->pattern.pattern())][method] = std::move(op);
    }
    return {{"openapi", "3.0.3"},
            {"info",
             {{"title", "Flowdeck: Itential Operations Manager API"},
              {"version", FLOWDECK_VERSION},
              {"x-release", api::auth::kRelease}}},
            {"paths", std::move(paths)},
            {"components",
             {{"schemas",
               {{"Error",
                 {{"type", "object"},
                  {"required", {"message", "error"}},
                  {"properties",
                   {{"message", {{"type", "string"}}},
                    {"error", {{"type", "string"}}},
                    {"details", json::object()}}}}}}},
              {"securitySchemes",
               {{"basic", {{"type", "http"}, {"scheme", "basic"}}},
                {"bearer", {{"type", "http"}, {"scheme", "bearer"}}},
                {"queryToken", {{"type", "apiKey"}, {"in", "query"}, {"name", "token"}}},
                {"session",
                 {{"type", "apiKey"}, {"in", "cookie"}, {"name", api::auth::kSessionCookie}}}}}}},
            {"security", json::array({{{"basic", json::array()}},
                                      {{"bearer", json::array()}},
                                      {{"queryToken", json::array()}},
                                      {{"session", json::array()}}})}};
}

} // namespace flowdeck::api
