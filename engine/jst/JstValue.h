// SPDX-License-Identifier: GPL-3.0-or-later
// The values that flow along a JST graph: JSON, JavaScript's undefined (kept distinct from
// null, because the documents test for it and outputs omit it), and the two non-JSON objects
// the catalogue produces, RegExp and Date. The JavaScript semantics (ToString, ==, truthiness,
// Number.toString) are engine/tasks/JsValue's, shared with the workflow engine's methods.
#pragma once

#include "engine/jst/JstRegExp.h"
#include "engine/tasks/JsValue.h"

#include <nlohmann/json.hpp>

#include <memory>
#include <optional>
#include <string>

namespace flowdeck::jst {

struct Value
{
    tasks::JsValue js;                    ///< std::nullopt is undefined
    std::shared_ptr<const RegExp> regexp; ///< a RegExp object; js is then {} (as JSON.stringify)
    /// A Date object: milliseconds since the epoch (NaN for an invalid date); js is then its
    /// JSON form, the ISO string (null when invalid), which is what an output receives.
    std::optional<double> date;

    Value() = default;
    Value(nlohmann::json j) : js(std::move(j)) {}
    Value(tasks::JsValue j) : js(std::move(j)) {}
    static Value undefined() { return Value(); }
    static Value ofRegExp(std::shared_ptr<const RegExp> re);
    static Value ofDate(double ms);

    bool isUndefined() const { return !js.has_value(); }
    bool isNull() const { return js && js->is_null() && !date; }
    bool isNullish() const { return !js || (js->is_null() && !date); }
    bool isString() const { return js && js->is_string() && !date; }
    bool isNumber() const { return js && js->is_number(); }
    bool isArray() const { return js && js->is_array() && !regexp; }
    bool isDate() const { return date.has_value(); }
    bool isObject() const { return js && js->is_object() && !regexp; }
    const std::string &str() const { return js->get_ref<const std::string &>(); }
    /// The JSON to store: undefined becomes null (as in an array: [undefined] → [null]).
    nlohmann::json toJson() const { return js.value_or(nullptr); }
};

/// A JavaScript number as JSON: integral values within 2^53 as integers (so 3 prints "3"),
/// everything else as a double (NaN and ±Infinity serialise as null, as JSON.stringify does).
nlohmann::json jsNumber(double d);

double toNumber(const Value &v);
std::string toString(const Value &v); ///< String(v); a RegExp gives "/source/flags"
/// Date.prototype.toString in UTC: "Mon Nov 23 2026 10:29:39 GMT+0000 (Coordinated Universal
/// Time)"; "Invalid Date".
std::string dateToString(double ms);
/// toISOString's text; empty for an invalid date.
std::string dateToIso(double ms);
bool truthy(const Value &v);
bool looseEquals(const Value &a, const Value &b);
bool strictEquals(const Value &a, const Value &b);
/// typeof: "undefined", "object" (null, arrays, objects, RegExp), "boolean", "number", "string"
std::string typeOf(const Value &v);

/// v[key] as JavaScript reads it: object members, array elements and "length", string
/// characters (UTF-16 code units) and "length"; undefined otherwise.
Value member(const Value &v, const std::string &key);

/// The value at a JSON pointer's tokens inside v; undefined when any step is missing.
Value valueAt(const Value &v, const std::vector<std::string> &tokens, std::size_t from = 0);

/// Writes value at tokens inside target, creating objects for missing steps and indexing
/// existing arrays ("-" appends). A scalar in the way is replaced by an object.
void writeAt(nlohmann::json &target, const std::vector<std::string> &tokens, std::size_t from,
             nlohmann::json value);

} // namespace flowdeck::jst
