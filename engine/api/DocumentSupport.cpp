// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/api/DocumentSupport.h"

#include "engine/model/Ids.h"

namespace flowdeck::api::documents {

using nlohmann::json;
using validate::ValidationIssue;

Error invalidDocument(const std::string &what, const std::vector<ValidationIssue> &issues)
{
    json details = json::array();
    for (const auto &i : issues)
        details.push_back(i.toJson());
    const auto &first = issues.front();
    std::string message =
        what + " is not valid: " + (first.instancePath.empty() ? "" : first.instancePath + ": ") +
        first.message;
    if (issues.size() > 1)
        message += " (and " + std::to_string(issues.size() - 1) + " more)";
    return Error::invalid(message, std::move(details));
}

ValidationIssue issueAt(const std::string &kind, const std::string &pointer,
                        const std::string &keyword, const std::string &message)
{
    return {keyword,        pointer, "#/flowdeck/" + kind + "/" + keyword,
            json::object(), message, validate::Severity::Error};
}

Result<std::string> objectIdParam(const ApiRequest &req, const char *param, const std::string &what)
{
    const auto &id = req.params.at(param);
    if (!ids::isObjectId(id))
        return Error::invalid("the " + what + " id in the path must be 24 hex characters, not \"" +
                                  id + "\"",
                              {{"parameter", param}});
    return id;
}

Result<void> refuseServerFields(const std::vector<std::string> &present, const std::string &kind,
                                const std::string &what)
{
    std::vector<ValidationIssue> issues;
    for (const auto &field : present)
        issues.push_back(issueAt(kind, validate::appendPointer("", field), "readOnly",
                                 "\"" + field + "\" is set by the server"));
    if (!issues.empty())
        return invalidDocument(what, issues);
    return {};
}

Result<void> onlyKnownQuery(const ApiRequest &req, const std::set<std::string> &known)
{
    for (const auto &[key, value] : req.query)
        if (!known.count(key))
            return Error::invalid("unknown query parameter \"" + key + "\"",
                                  {{"parameter", key}, {"allowed", known}});
    return {};
}

} // namespace flowdeck::api::documents
