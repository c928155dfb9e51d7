// SPDX-License-Identifier: GPL-3.0-or-later
// Requests and answers of Itential adapter package methods, as adapter-utils builds and reads
// them, so a system sees the same request from Flowdeck as from the package on Itential:
//  - the path: the action's entitypath with {base_path} and {version} from the properties,
//    {pathv1}… from the method's path variables (encoded unless encode_pathvars is false; an
//    unfilled one is removed with its slash), {query} from the query object translated through
//    the action's request schema (encoded unless encode_queryvars is false);
//  - the body: translated through the request schema, sent as JSON, URLENCODE, PLAIN or XML
//    (the action's requestDatatype), only when the verb is not GET (or sendGetBody) and there
//    is something to send (or sendEmpty);
//  - the headers: the call's own, then the action's, then request.global_request.addlHeaders,
//    with Content-Type and Accept from the datatypes unless given;
//  - the answer: "success" for actions called without returnData; else parsed by the
//    responseDatatype (JSON, URLENCODE, XML2JSON; PLAIN and XML stay text), unwrapped by the
//    response object's key, and translated through the response schema.
// The binding (in a method of the definition, see ItentialPackage.h):
//   {"entity", "action", "returnData", "required": [inputs], "pathVars": [inputs],
//    "query": [[key, input]…], "body": {"input"} | {"object": [[key, input]…]} | null,
//    "headers": same | null, "actionDefinition": <the action with its schemas and mocks>}
//   or {"generic": true, "noBasePath": bool, "actions": <the .generic entity's actions, if any>}.
#pragma once

#include "engine/adapters/AdapterOutcome.h"
#include "engine/adapters/AdapterRequest.h"

#include <QByteArray>

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

namespace flowdeck::adapters {

/// True for a method bound to a package action (or a generic request).
bool isPackageMethod(const nlohmann::json &method);

/// The request for a package method; or the error object (AD.300 for a missing required
/// input, AD.312 when the schema refuses the data) before anything is sent.
std::optional<AdapterOutcome> buildPackageRequest(const nlohmann::json &properties,
                                                  const nlohmann::json &method,
                                                  const nlohmann::json &input,
                                                  const std::string &origin, AdapterRequest &out);

/// The result of a 2xx answer to a package method's request.
AdapterOutcome packageAnswer(const nlohmann::json &method, const nlohmann::json &input,
                             const AdapterRequest &request, int status,
                             const nlohmann::json &headers, const QByteArray &body,
                             nlohmann::json metrics, const std::string &origin);

/// In stub mode ("stub": true in the properties): the answer from the action's mock data file
/// that matches the request as adapter-utils matches them (a path variable or query value
/// named by a response object's type, then WITHBODY, WITHPATHVn, WITHQUERY, then default);
/// no request is sent. An action with no mock data answers an error saying so.
AdapterOutcome stubAnswer(const nlohmann::json &method, const nlohmann::json &input,
                          const AdapterRequest &request, const std::string &origin);

} // namespace flowdeck::adapters
