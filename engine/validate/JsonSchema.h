// SPDX-License-Identifier: GPL-3.0-or-later
// JSON Schema (draft-07) as workflows use it for inputSchema / outputSchema: checking that a
// schema is well formed, and validating instances (job variables) against it. Debian packages
// no C++ validator, so this is ours; it implements the draft-07 validation vocabulary.
#pragma once

#include "engine/model/Error.h"
#include "engine/validate/ValidationIssue.h"

#include <nlohmann/json.hpp>

#include <memory>
#include <string>
#include <vector>

namespace flowdeck::validate {

class JsonSchema
{
public:
    /// Every problem that makes `schema` not a well-formed draft-07 schema (wrong keyword
    /// types, unknown type names, bad regular expressions, unresolvable local $ref, …).
    /// Each issue's instancePath is basePointer + the pointer inside the schema, so a workflow
    /// validator can pass "/inputSchema" and point into the workflow document.
    static std::vector<ValidationIssue> check(const nlohmann::json &schema,
                                              const std::string &basePointer = "");

    /// A schema ready to validate instances; Error::invalid with details = the issues of
    /// check() (as JSON) when the schema is malformed.
    static Result<JsonSchema> compile(const nlohmann::json &schema);

    /// Every violation of the schema by `instance` (empty when it conforms). instancePath
    /// points into the instance, schemaPath into the schema ("#/properties/device/type").
    std::vector<ValidationIssue> validate(const nlohmann::json &instance) const;

    const nlohmann::json &schema() const;

    JsonSchema(const JsonSchema &) = default;
    JsonSchema &operator=(const JsonSchema &) = default;
    JsonSchema(JsonSchema &&) noexcept = default;
    JsonSchema &operator=(JsonSchema &&) noexcept = default;
    ~JsonSchema();

private:
    JsonSchema() = default;
    struct Compiled;
    std::shared_ptr<const Compiled> m_compiled; // immutable once built; shared by copies
};

} // namespace flowdeck::validate
