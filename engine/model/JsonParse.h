// SPDX-License-Identifier: GPL-3.0-or-later
// The one door through which outside JSON enters Flowdeck: HTTP bodies, files on the command
// line and in the window, query parameters, values read back from the store. nlohmann parses
// without recursion, but copying, comparing, dumping and validating a value all recurse, so a
// body nested 100,000 deep would overflow the stack long after it was parsed. The depth is
// bounded here, before any tree is built, and every failure (syntax, a number no double can
// hold, invalid UTF-8) is a Result with a position instead of an exception.
#pragma once

#include "engine/model/Error.h"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <string>
#include <string_view>

namespace flowdeck {

/// Arrays and objects nested deeper than this are refused. Real workflow documents, JSTs and
/// schemas nest a few dozen levels at most; each level costs a few stack frames in every
/// recursive walk (schema validation, JST evaluation), and 256 keeps those far from any stack.
inline constexpr int kMaxJsonDepth = 256;

/// Where and why a text is not acceptable JSON; also carried in Error::details
/// (`{"line", "column", "offset", "reason"}`) so callers can phrase it their own way.
struct JsonParseProblem
{
    std::size_t offset = 0; ///< bytes from the start of the text
    int line = 1;           ///< 1-based
    int column = 1;         ///< 1-based, in bytes
    std::string reason;     ///< valid UTF-8, without nlohmann's "[json.exception…]" prefix
};

/// Parses `text` as one JSON value. On failure: Error::invalid whose message is
/// "malformed JSON at line L, column C: <reason>" and whose details hold the problem.
Result<nlohmann::json> parseJson(std::string_view text, int maxDepth = kMaxJsonDepth);

/// The problem held in the details of an Error from parseJson().
JsonParseProblem jsonParseProblem(const Error &error);

/// `text` with every byte that is not part of a valid UTF-8 sequence replaced by U+FFFD, so it
/// can go into a JSON answer or a log line (nlohmann refuses to dump invalid UTF-8).
std::string validUtf8(std::string_view text);

/// How deep and how large a value is, measured without serialising it.
struct JsonShape
{
    int depth = 0;         ///< nesting of arrays and objects (a scalar is 0)
    std::size_t bytes = 0; ///< about the size of its compact serialisation
};

/// The shape of `value`; iterative, so safe on values of any depth built in memory.
JsonShape jsonShape(const nlohmann::json &value);

} // namespace flowdeck
