// SPDX-License-Identifier: GPL-3.0-or-later
// Static checks of a JST document, each problem a ValidationIssue whose instancePath points
// into the document ("/steps/4/to/name", "/functions/0/steps/2/method"). keyword names the
// rule; schemaPath is "#/jst/<rule>":
//   structure  a key has the wrong JSON type, or a required key is missing
//   duplicate  two steps share an id, two schemas a $id; two functions sharing an id is a
//              warning (Itential accepts it; the first declared is the one that runs)
//   type       a step type outside assign/method/declaration/template/function/context
//   method     a method outside the catalogue (the evaluator would fail on it)
//   function   a function node or a callback argument naming a function that does not exist
//   link       an assign reading or writing a node or variable that does not exist
//   pointer    a ptr that is not a JSON pointer
//   port       a ptr that is not a port of its node (/return…, /args/<i>/value, /context)
//   context    a context that is not "#" or "#/<switch id>[<case>]", or names no switch
//   cycle      nodes that depend on each other; reported once per cycle at its first step
//   schema     an incoming/outgoing schema that is not well-formed JSON Schema
#pragma once

#include "engine/validate/ValidationIssue.h"

#include <nlohmann/json.hpp>

#include <vector>

namespace flowdeck::jst {

using validate::ValidationIssue;

class JstValidator
{
public:
    /// Every problem in `document`; empty when it is a valid JST.
    static std::vector<ValidationIssue> validate(const nlohmann::json &document);
};

/// JstValidator::validate.
std::vector<ValidationIssue> validate(const nlohmann::json &document);

} // namespace flowdeck::jst
