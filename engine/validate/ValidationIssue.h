// SPDX-License-Identifier: GPL-3.0-or-later
// One problem found in a document, in the shape Itential and Ajv use:
// {keyword, instancePath, schemaPath, params, message}, plus a severity so warnings
// (an unreachable task) travel with errors without failing the document.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace flowdeck::validate {

enum class Severity { Error, Warning };

struct ValidationIssue
{
    std::string keyword;      ///< what rule failed: "type", "required", "transition", "parse", …
    std::string instancePath; ///< JSON pointer into the document ("" is the whole document)
    std::string schemaPath;   ///< where the rule lives: "#/properties/tasks/type", "#/flowdeck/…"
    nlohmann::json params = nlohmann::json::object(); ///< the rule's particulars
    std::string message;                              ///< a sentence an operator can act on
    Severity severity = Severity::Error;

    /// {keyword, instancePath, schemaPath, params, message, severity: "error" | "warning"}
    nlohmann::json toJson() const;
};

/// True when no issue is an error (warnings do not make a document invalid).
bool isValid(const std::vector<ValidationIssue> &issues);

/// A JSON pointer token: "~" → "~0", "/" → "~1" (RFC 6901).
std::string escapePointerToken(const std::string &token);

/// parent + "/" + escaped token.
std::string appendPointer(const std::string &parent, const std::string &token);

} // namespace flowdeck::validate
