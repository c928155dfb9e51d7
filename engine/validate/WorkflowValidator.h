// SPDX-License-Identifier: GPL-3.0-or-later
// The one validator of workflow documents: `flowdeck validate`, import, and the API all call
// it. It reports every problem it finds, never stopping at the first, each with a JSON
// pointer into the document. Real Itential exports must pass: it rejects only what would
// break a job, and warns about what merely looks wrong.
#pragma once

#include "engine/validate/ValidationIssue.h"

#include <nlohmann/json.hpp>

#include <string_view>
#include <vector>

namespace flowdeck::validate {

/// Validates a parsed workflow document.
std::vector<ValidationIssue> validateWorkflow(const nlohmann::json &document);

/// Parses then validates. Malformed JSON gives one issue with keyword "parse", the line and
/// column in params {line, column, offset} and in the message.
std::vector<ValidationIssue> validateWorkflowText(std::string_view text);

} // namespace flowdeck::validate
