// SPDX-License-Identifier: GPL-3.0-or-later
// What the routes over stored documents (automations, triggers, workflows, transformations)
// share: the one way a document's problems become a 400, the ids in their paths, the fields only
// the server writes, and the query parameters a listing accepts.
#pragma once

#include "engine/api/ApiTypes.h"
#include "engine/validate/ValidationIssue.h"

#include <set>
#include <string>
#include <vector>

namespace flowdeck::api::documents {

/// Invalid: "<what> is not valid: <pointer>: <first problem> (and N more)", every issue in the
/// details. `issues` must not be empty.
Error invalidDocument(const std::string &what,
                      const std::vector<validate::ValidationIssue> &issues);

/// An error-level issue of a `kind` of document ("automation", "trigger") at `pointer`; its
/// schema path is #/flowdeck/<kind>/<keyword>.
validate::ValidationIssue issueAt(const std::string &kind, const std::string &pointer,
                                  const std::string &keyword, const std::string &message);

/// The path parameter `param` when it is an ObjectId (24 hex characters); Invalid naming the
/// parameter and `what` ("automation") otherwise.
Result<std::string> objectIdParam(const ApiRequest &req, const char *param,
                                  const std::string &what);

/// Invalid (readOnly at each field) when the body sets any of `present`, the server's fields it
/// carries; `what` names the document in the message.
Result<void> refuseServerFields(const std::vector<std::string> &present, const std::string &kind,
                                const std::string &what);

/// Invalid naming the first query parameter not in `known` (with the allowed ones): a filter
/// the server does not understand is refused, never silently ignored.
Result<void> onlyKnownQuery(const ApiRequest &req, const std::set<std::string> &known);

} // namespace flowdeck::api::documents
