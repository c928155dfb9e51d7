// SPDX-License-Identifier: GPL-3.0-or-later
// JavaScript value semantics over JSON, for the methods that wrap JavaScript built-ins and for
// the evaluation operators. Itential runs these on Node.js, so an operator's expectations are
// JavaScript's: String(x), ==, <, truthiness, Number.prototype.toString.
//
// A JsValue is a JSON value or undefined (std::nullopt). JSON has no object identity, so where
// JavaScript compares objects and arrays by reference these helpers compare them by value
// (deep equality): the nearest meaningful reading for data that came out of a workflow.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace flowdeck::tasks {

using JsValue = std::optional<nlohmann::json>;

/// "undefined", "null", "boolean", "number", "string", "array" or "object", for messages.
std::string jsTypeName(const JsValue &v);

/// Number.prototype.toString() in radix 10: shortest round-trip digits, "80" not "80.0",
/// exponent form from 1e21 and below 1e-6, "NaN", "Infinity".
std::string jsNumberToString(double d);
/// The same for a JSON number, keeping integers exact.
std::string jsNumberToString(const nlohmann::json &number);
/// Number.prototype.toString(radix), radix 2..36, with V8's digits for fractions.
std::string jsNumberToRadixString(double d, int radix);

/// String(v): "undefined", "null", arrays joined by "," (null/undefined elements as ""),
/// objects as "[object Object]".
std::string jsToString(const JsValue &v);
/// JSON.stringify(v) with JavaScript number formatting; non-finite numbers become null.
std::string jsJsonStringify(const nlohmann::json &v);

/// Number(v): StringToNumber for strings ("" → 0, hex/octal/binary prefixes, Infinity),
/// null → 0, undefined → NaN, arrays through their string form, objects → NaN.
double jsToNumber(const JsValue &v);
double jsStringToNumber(std::string_view s);
/// ToIntegerOrInfinity of a double: NaN → 0, truncation toward zero.
double jsToIntegerOrInfinity(double d);

/// Boolean(v).
bool jsTruthy(const JsValue &v);

/// a == b (IsLooselyEqual); arrays and objects of the same kind compare deeply.
bool jsLooseEquals(const JsValue &a, const JsValue &b);
/// a === b; arrays and objects compare deeply; NaN is not equal to itself.
bool jsStrictEquals(const JsValue &a, const JsValue &b);
/// SameValueZero (Array.prototype.includes): === except NaN equals NaN.
bool jsSameValueZero(const JsValue &a, const JsValue &b);

enum class JsRelation { Less, Greater, LessOrEqual, GreaterOrEqual };
/// a < b, a > b, a <= b, a >= b with JavaScript's abstract relational comparison: two strings
/// compare by UTF-16 code units, anything else numerically, NaN/undefined → false.
bool jsCompare(const JsValue &a, const JsValue &b, JsRelation relation);

/// Length of a UTF-8 string in UTF-16 code units (String.prototype.length).
std::int64_t jsStringLength(const std::string &s);

} // namespace flowdeck::tasks
