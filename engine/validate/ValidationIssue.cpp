// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/validate/ValidationIssue.h"

namespace flowdeck::validate {

nlohmann::json ValidationIssue::toJson() const
{
    return {{"keyword", keyword},
            {"instancePath", instancePath},
            {"schemaPath", schemaPath},
            {"params", params},
            {"message", message},
            {"severity", severity == Severity::Error ? "error" : "warning"}};
}

bool isValid(const std::vector<ValidationIssue> &issues)
{
    for (const auto &issue : issues)
        if (issue.severity == Severity::Error)
            return false;
    return true;
}

std::string escapePointerToken(const std::string &token)
{
    std::string out;
    out.reserve(token.size());
    for (char c : token) {
        if (c == '~')
            out += "~0";
        else if (c == '/')
            out += "~1";
        else
            out += c;
    }
    return out;
}

std::string appendPointer(const std::string &parent, const std::string &token)
{
    return parent + "/" + escapePointerToken(token);
}

} // namespace flowdeck::validate
