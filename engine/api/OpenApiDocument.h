// SPDX-License-Identifier: GPL-3.0-or-later
// GET /openapi.json: an OpenAPI 3 document generated from the route table at request time,
// so it cannot drift from the routes the server actually has.
#pragma once

#include "engine/api/EngineApi.h"

#include <nlohmann/json.hpp>

#include <vector>

namespace flowdeck::api {

/// One operation per route: path (":id" becomes "{id}"), path parameters, a JSON request
/// body for POST, PUT and PATCH, the answers every route can give, the permission it needs
/// (as x-permission, and `security: []` for the public ones) and its summary.
nlohmann::json openApiDocument(const std::vector<Route> &routes);

/// "/jobs/:jobId/tasks/:taskId" → "/jobs/{jobId}/tasks/{taskId}".
std::string openApiPath(const std::string &pattern);

} // namespace flowdeck::api
