// SPDX-License-Identifier: GPL-3.0-or-later
// The path language of the query task and of evaluation's query/rightQuery: the npm package
// json-query (mmckegg), which Itential uses. Supported:
//   a.b.c  a[0].b  [some-key.with.dots]          keys and indexes ("a.0" works too)
//   a[k=v]  a[*k=v]                              first match / all matches of an array
//   =  !=  ~ (substring, or /regex/flag)  !~  >  <  >=  <=   inside brackets
//   a[k=v&j>1]  a[k=v|k=w]                       boolean combinations, left to right
//   a[k={other.path}]                            a value taken from the root by a sub-query
//   a[*]  a[**]                                  values; values with arrays flattened a level
//   a.b on an array                              plucks b from every element (json-query's
//                                                "deep accessor"), flattening array results
//   a:get(key:with:colons)                       the get helper
//   a.b|c.d                                      first truthy alternative
//   ""                                           the whole value
// A step that finds nothing gives undefined (std::nullopt); a JSON null found in the data is
// returned as null. The json-query rules for `[k=v]`: v is text; the element's field is
// compared with JavaScript's == against that text (so 5 matches "5", and true/false match
// "true"/"false"), which means `[k=null]` does not match a null field — as in Itential.
// Deliberate departures, all for paths json-query would mangle or throw on: '?' is not
// rewritten into a parameter, '|' and '&' inside /regex/ do not split the condition, a
// non-string field never matches '~', and an unknown helper is an error rather than a no-op.
#pragma once

#include "engine/model/Error.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <string_view>

namespace flowdeck::tasks {

/// The value at `path` in `data`, nullopt when undefined; an Error (Invalid) naming the
/// position when the path is malformed or uses an unsupported construct.
Result<std::optional<nlohmann::json>> jsonQuery(const nlohmann::json &data, std::string_view path);
/// Same, with undefined data (an operand that resolved to nothing).
Result<std::optional<nlohmann::json>> jsonQuery(const std::optional<nlohmann::json> &data,
                                                std::string_view path);

/// `data` with the value at `path` replaced by `value`, creating missing objects on the way
/// (and growing arrays, padding with null). Only keys, indexes and first-match filters
/// `[k=v]` can be set through; "" replaces the whole value.
Result<nlohmann::json> jsonQuerySet(nlohmann::json data, std::string_view path,
                                    nlohmann::json value);

} // namespace flowdeck::tasks
