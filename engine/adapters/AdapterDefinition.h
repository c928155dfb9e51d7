// SPDX-License-Identifier: GPL-3.0-or-later
// An adapter's definition: the methods tasks call, read from an OpenAPI 3.0/3.1 or Swagger 2.0
// document. Each operation becomes a method named by its operationId (a name derived from the
// verb and path when it has none), with its inputs (path, query and header parameters and a
// "body"), an input schema over them, and the output schema of its 2xx answer.
//
// The normalised definition, as stored and answered by the API:
//   {"source": "openapi 3.0.3" | "swagger 2.0", "title", "version",
//    "methods": [{"name", "summary", "verb": "GET", "path": "/pets/{id}",
//                 "inputs": [{"name", "in": "path|query|header|body", "required", "schema"}],
//                 "inputSchema": {...}, "outputSchema": {...}, "contentType"}]}
#pragma once

#include "engine/model/Error.h"

#include <nlohmann/json.hpp>

#include <string>

namespace flowdeck::adapters {

/// The definition of an OpenAPI or Swagger document; Invalid naming each problem by its JSON
/// pointer in the document (details: [{instancePath, message}]).
Result<nlohmann::json> definitionFromOpenApi(const nlohmann::json &document);

/// The definition of a source: an OpenAPI/Swagger document, or {"itentialPackage": files}
/// (an Itential adapter package's files, see ItentialPackage.h).
Result<nlohmann::json> definitionFrom(const nlohmann::json &source);

/// The method of that name in a normalised definition, or nullptr.
const nlohmann::json *findMethod(const nlohmann::json &definition, const std::string &name);

} // namespace flowdeck::adapters
