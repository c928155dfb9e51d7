// SPDX-License-Identifier: GPL-3.0-or-later
// evaluation: groups of comparisons combined by all_true_flag at two levels.
//
// Operands follow Itential's type inference: a string operand that is a JSON literal (number,
// true/false, null, array, object) is parsed first, so job variable "5" equals static 5 and
// "true" equals true. The comparison itself is JavaScript's: == is loose equality (undefined
// equals null and nothing else; arrays and objects compare deeply), < > <= >= are JavaScript's
// relational operators (undefined compares false with everything).

#include "engine/model/JsonParse.h"
#include "engine/tasks/JsonQuery.h"
#include "engine/tasks/MethodSupport.h"

#include <algorithm>
#include <array>
#include <vector>

namespace flowdeck::tasks::detail {

using nlohmann::json;

namespace {

constexpr std::array<std::string_view, 8> kOperators = {"==", "!=", "<",        ">",
                                                        "<=", ">=", "contains", "!contains"};

/// A string holding a JSON literal other than a string becomes that value.
JsValue infer(const JsValue &v)
{
    if (!v || !v->is_string())
        return v;
    auto parsed = parseJson(v->get_ref<const std::string &>());
    if (!parsed || parsed->is_string())
        return v;
    return std::move(*parsed);
}

bool contains(const JsValue &haystack, const JsValue &needle)
{
    // A string haystack stays a string unless it holds a JSON array or object: "12345"
    // contains "234" as text, not as the number 12345.
    JsValue container = haystack;
    if (haystack && haystack->is_string()) {
        const JsValue parsed = infer(haystack);
        if (parsed && parsed->is_structured())
            container = parsed;
    }
    if (!container)
        return false;
    if (container->is_string())
        return container->get_ref<const std::string &>().find(jsToString(needle)) !=
               std::string::npos;
    if (container->is_array()) {
        const JsValue wanted = infer(needle);
        for (const auto &element : *container) {
            if (jsLooseEquals(infer(element), wanted))
                return true;
        }
        return false;
    }
    if (container->is_object())
        return needle && container->contains(jsToString(needle));
    return false;
}

bool compare(std::string_view op, const JsValue &left, const JsValue &right)
{
    if (op == "contains")
        return contains(left, right);
    if (op == "!contains")
        return !contains(left, right);
    const JsValue l = infer(left);
    const JsValue r = infer(right);
    if (op == "==")
        return jsLooseEquals(l, r);
    if (op == "!=")
        return !jsLooseEquals(l, r);
    if (op == "<")
        return jsCompare(l, r, JsRelation::Less);
    if (op == ">")
        return jsCompare(l, r, JsRelation::Greater);
    if (op == "<=")
        return jsCompare(l, r, JsRelation::LessOrEqual);
    return jsCompare(l, r, JsRelation::GreaterOrEqual);
}

Result<JsValue> operandValue(const MethodContext &ctx, const json &evaluation,
                             const std::string &where, const char *operandKey, const char *queryKey)
{
    const auto operand = evaluation.find(operandKey);
    if (operand == evaluation.end())
        return Error::invalid("evaluation: \"" + where + "." + operandKey + "\" is missing");
    auto value = resolveOperand(ctx, *operand, "evaluation", where + "." + operandKey);
    if (!value.ok())
        return value.error();
    const auto path = evaluation.find(queryKey);
    if (path == evaluation.end() || path->is_null() || *path == "")
        return value;
    if (!path->is_string())
        return Error::invalid("evaluation: \"" + where + "." + queryKey +
                              "\" must be a string, got " + jsTypeName(*path));
    auto queried = jsonQuery(value.value(), path->get_ref<const std::string &>());
    if (!queried.ok())
        return Error::invalid("evaluation: \"" + where + "." + queryKey +
                              "\": " + queried.error().message);
    return queried.value();
}

Result<bool> evaluateOne(const MethodContext &ctx, const json &evaluation, const std::string &where)
{
    if (!evaluation.is_object())
        return Error::invalid("evaluation: \"" + where + "\" must be an object, got " +
                              jsTypeName(evaluation));
    const auto op = evaluation.find("operator");
    if (op == evaluation.end() || !op->is_string() ||
        std::find(kOperators.begin(), kOperators.end(), op->get<std::string>()) == kOperators.end())
        return Error::invalid("evaluation: \"" + where +
                              ".operator\" must be one of ==, !=, <, "
                              ">, <=, >=, contains, !contains, got " +
                              (op != evaluation.end() && op->is_string()
                                   ? "\"" + op->get<std::string>() + "\""
                                   : jsTypeName(op == evaluation.end() ? JsValue() : *op)));
    auto left = operandValue(ctx, evaluation, where, "operand_1", "query");
    if (!left.ok())
        return left.error();
    auto right = operandValue(ctx, evaluation, where, "operand_2", "rightQuery");
    if (!right.ok())
        return right.error();
    return compare(op->get<std::string>(), left.value(), right.value());
}

/// all_true_flag: true = every entry must pass, false (or absent) = any one suffices.
Result<bool> allTrue(const JsValue &v, const std::string &where)
{
    if (!v)
        return false;
    const auto f = flag(v);
    if (!f)
        return Error::invalid("evaluation: \"" + where + "\" must be a boolean, got " +
                              jsTypeName(v));
    return *f;
}

} // namespace

MethodResult evaluation(const MethodContext &ctx)
{
    const JsValue groups = input(ctx, "evaluation_groups");
    if (!groups || !groups->is_array() || groups->empty())
        return typeError("evaluation", "evaluation_groups", "a non-empty array of groups", groups);
    const auto allGroups = allTrue(input(ctx, "all_true_flag"), "all_true_flag");
    if (!allGroups.ok())
        return MethodResult::error(allGroups.error().message);

    // Every comparison is made, even after the outcome is known, so a broken one is always
    // reported rather than only on some data.
    std::vector<bool> groupResults;
    for (std::size_t g = 0; g < groups->size(); ++g) {
        const json &group = (*groups)[g];
        const std::string where = "evaluation_groups[" + std::to_string(g) + "]";
        if (!group.is_object())
            return MethodResult::error("evaluation: \"" + where + "\" must be an object, got " +
                                       jsTypeName(group));
        const auto evaluations = group.find("evaluations");
        if (evaluations == group.end() || !evaluations->is_array() || evaluations->empty())
            return MethodResult::error(
                "evaluation: \"" + where + ".evaluations\" must be a non-empty array, got " +
                jsTypeName(evaluations == group.end() ? JsValue() : JsValue(*evaluations)));
        const auto flagIt = group.find("all_true_flag");
        const auto allInGroup =
            allTrue(flagIt == group.end() ? JsValue() : JsValue(*flagIt), where + ".all_true_flag");
        if (!allInGroup.ok())
            return MethodResult::error(allInGroup.error().message);

        std::vector<bool> results;
        for (std::size_t e = 0; e < evaluations->size(); ++e) {
            auto r = evaluateOne(ctx, (*evaluations)[e],
                                 where + ".evaluations[" + std::to_string(e) + "]");
            if (!r.ok())
                return MethodResult::error(r.error().message);
            results.push_back(r.value());
        }
        const bool passed =
            allInGroup.value()
                ? std::all_of(results.begin(), results.end(), [](bool b) { return b; })
                : std::any_of(results.begin(), results.end(), [](bool b) { return b; });
        groupResults.push_back(passed);
    }
    const bool passed =
        allGroups.value()
            ? std::all_of(groupResults.begin(), groupResults.end(), [](bool b) { return b; })
            : std::any_of(groupResults.begin(), groupResults.end(), [](bool b) { return b; });
    if (passed)
        return success("return_value", true);
    MethodResult r;
    r.finishState = "failure";
    return r;
}

} // namespace flowdeck::tasks::detail
