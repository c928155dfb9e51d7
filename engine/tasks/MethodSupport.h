// SPDX-License-Identifier: GPL-3.0-or-later
// Shared by the built-in method families: reading incoming values and phrasing the errors, so
// every method reports a wrong input the same way ("arrayLength: \"arr\" must be an array,
// got string"). Internal to engine/tasks.
#pragma once

#include "engine/model/Error.h"
#include "engine/tasks/BuiltinMethod.h"
#include "engine/tasks/JsValue.h"

#include <cmath>
#include <limits>

#include <string>
#include <string_view>

namespace flowdeck::tasks::detail {

/// The incoming value `name`, nullopt when absent (undefined).
inline JsValue input(const MethodContext &ctx, std::string_view name)
{
    if (!ctx.incoming.is_object())
        return std::nullopt;
    const auto it = ctx.incoming.find(name);
    if (it == ctx.incoming.end())
        return std::nullopt;
    return *it;
}

/// An optional parameter counts as supplied unless absent or "" (the canvas writes "").
inline bool supplied(const JsValue &v)
{
    return v && !(v->is_string() && v->get_ref<const std::string &>().empty());
}

inline MethodResult typeError(std::string_view method, std::string_view name,
                              std::string_view expected, const JsValue &got)
{
    return MethodResult::error(std::string(method) + ": \"" + std::string(name) + "\" must be " +
                               std::string(expected) + ", got " + jsTypeName(got));
}

inline MethodResult inputError(std::string_view method, std::string_view name,
                               std::string_view problem)
{
    return MethodResult::error(std::string(method) + ": \"" + std::string(name) + "\" " +
                               std::string(problem));
}

inline MethodResult success(std::string_view outgoing, nlohmann::json value)
{
    MethodResult r;
    r.outgoing[std::string(outgoing)] = std::move(value);
    return r;
}

/// A boolean flag as the canvas writes it: true/false, or the strings "true"/"false".
inline std::optional<bool> flag(const JsValue &v)
{
    if (v && v->is_boolean())
        return v->get<bool>();
    if (v && v->is_string()) {
        if (*v == "true")
            return true;
        if (*v == "false")
            return false;
    }
    return std::nullopt;
}

/// A structured operand {"task": "job"|"static"|TASKID, "variable": V} resolved through the
/// runtime; `where` names it in the error ("data_to_merge[2].value").
inline Result<JsValue> resolveOperand(const MethodContext &ctx, const nlohmann::json &operand,
                                      std::string_view method, std::string_view where)
{
    if (!operand.is_object() || !operand.contains("task") || !operand["task"].is_string())
        return Error::invalid(std::string(method) + ": \"" + std::string(where) +
                              "\" must be an operand {\"task\": …, \"variable\": …}, got " +
                              jsTypeName(operand));
    if (ctx.resolveOperand)
        return ctx.resolveOperand(operand);
    // Without a runtime only static operands can be answered.
    if (operand["task"] == "static") {
        const auto it = operand.find("variable");
        return it == operand.end() ? JsValue() : JsValue(*it);
    }
    return Error::internal(std::string(method) + ": no operand resolver for \"" +
                           std::string(where) + "\"");
}

/// An integer argument as JavaScript's ToIntegerOrInfinity reads it, from a number or a numeric
/// string; anything else (or a string that is not a number) is an error.
inline Result<double> integerArgument(std::string_view method, std::string_view name,
                                      const JsValue &v)
{
    double d = std::numeric_limits<double>::quiet_NaN();
    if (v && v->is_number())
        d = v->get<double>();
    else if (v && v->is_string())
        d = jsStringToNumber(v->get_ref<const std::string &>());
    if (std::isnan(d))
        return Error::invalid(
            std::string(method) + ": \"" + std::string(name) + "\" must be a number, got " +
            (v && v->is_string() ? "\"" + v->get<std::string>() + "\"" : jsTypeName(v)));
    return jsToIntegerOrInfinity(d);
}

// Data and control methods (DataMethods.cpp).
MethodResult stub(const MethodContext &ctx);
MethodResult newVariable(const MethodContext &ctx);
MethodResult query(const MethodContext &ctx);
MethodResult merge(const MethodContext &ctx);
MethodResult deepmerge(const MethodContext &ctx);
MethodResult makeData(const MethodContext &ctx);
MethodResult push(const MethodContext &ctx);
MethodResult setObjectKey(const MethodContext &ctx);
MethodResult modify(const MethodContext &ctx);
MethodResult parse(const MethodContext &ctx);
// EvaluationMethod.cpp
MethodResult evaluation(const MethodContext &ctx);
// ArrayMethods.cpp
MethodResult arrayPush(const MethodContext &ctx);
MethodResult arrayLength(const MethodContext &ctx);
MethodResult arrayIncludes(const MethodContext &ctx);
MethodResult arrayIndexOf(const MethodContext &ctx);
MethodResult join(const MethodContext &ctx);
MethodResult isArray(const MethodContext &ctx);
// StringMethods.cpp
MethodResult stringLength(const MethodContext &ctx);
MethodResult split(const MethodContext &ctx);
MethodResult substring(const MethodContext &ctx);
MethodResult stringConcat(const MethodContext &ctx);
MethodResult numberToString(const MethodContext &ctx);
// TimeMethods.cpp
MethodResult getTime(const MethodContext &ctx);
MethodResult calculateTimeDiff(const MethodContext &ctx);

} // namespace flowdeck::tasks::detail
