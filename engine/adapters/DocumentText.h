// SPDX-License-Identifier: GPL-3.0-or-later
// Definitions arrive as JSON or YAML text (OpenAPI documents are written in both).
#pragma once

#include "engine/model/Error.h"

#include <nlohmann/json.hpp>

#include <string_view>

namespace flowdeck::adapters {

/// The document in `text`: JSON when it starts with '{' or '[', else YAML (1.2 core schema:
/// plain true/false/null and numbers are typed, quoted scalars stay strings). Invalid with
/// the line and column of the first syntax error.
Result<nlohmann::json> parseDocumentText(std::string_view text);

} // namespace flowdeck::adapters
