// SPDX-License-Identifier: GPL-3.0-or-later
// XML answers as JSON the way Itential's adapters convert them (xml2js with explicitArray off
// and attributes under "_attr"), because workflows and JSTs read that shape: the root element
// is the one key of the result; an element with only text is its text; attributes go under
// "_attr" and text beside them under "_"; repeated children become an array; an empty element
// is ""; whitespace between elements is dropped.
#pragma once

#include "engine/model/Error.h"

#include <nlohmann/json.hpp>

#include <string_view>

namespace flowdeck::adapters {

/// The JSON of an XML document; Invalid naming the line and column of a malformed one.
Result<nlohmann::json> xmlToJson(std::string_view xml);

} // namespace flowdeck::adapters
