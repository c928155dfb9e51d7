// SPDX-License-Identifier: GPL-3.0-or-later
// A JSON object given on the command line (--variables, --mock, --input, --options): inline
// text, or @FILE for a file's contents.
#pragma once

#include "engine/model/Error.h"

#include <QString>

#include <nlohmann/json.hpp>

namespace flowdeck::app {

/// The JSON `value` holds (the text, or @FILE for a file's); Invalid naming `what` and where
/// the text is wrong.
Result<nlohmann::json> jsonArgument(const QString &value, const char *what);

/// The object `value` holds; an empty value is {}. Invalid, naming `what` ("--variables") and
/// where the text is wrong, when the file cannot be read, the text is not JSON (or nests
/// deeper than kMaxJsonDepth) or the value is not an object.
Result<nlohmann::json> jsonObjectArgument(const QString &value, const char *what);

} // namespace flowdeck::app
