// SPDX-License-Identifier: GPL-3.0-or-later
// Boolean, Conditional, Equality, Logical and Relational libraries: JavaScript's operators.
// && || ?? return one of their operands, as in JavaScript, not a boolean.
#include "engine/jst/JstMethods.h"

namespace flowdeck::jst {

namespace {

using nlohmann::json;

Value boolean(bool b)
{
    return Value(json(b));
}

Result<Value> newBoolean(MethodContext &ctx)
{
    return boolean(truthy(ctx.arg(0)));
}

Result<Value> ternary(MethodContext &ctx)
{
    return truthy(ctx.arg(0)) ? ctx.arg(1) : ctx.arg(2);
}

// Conditional.switch: the value in slot 0 against the node's `return` case values with ===,
// as a JavaScript switch compares. The first matching case k is active: the result has the
// port case_k (holding the tested value) and no other, so only case k's context runs.
Result<Value> switchCase(MethodContext &ctx)
{
    json out = json::object();
    for (std::size_t k = 0; k < ctx.node.returns.size(); ++k) {
        if (strictEquals(ctx.arg(0), Value(ctx.node.returns[k]))) {
            out["case_" + std::to_string(k + 1)] = ctx.arg(0).toJson();
            break;
        }
    }
    return Value(std::move(out));
}

template <int Op>
Result<Value> equality(MethodContext &ctx)
{
    const Value &a = ctx.arg(0);
    const Value &b = ctx.arg(1);
    switch (Op) {
    case 0:
        return boolean(looseEquals(a, b));
    case 1:
        return boolean(!looseEquals(a, b));
    case 2:
        return boolean(strictEquals(a, b));
    case 3:
        return boolean(!strictEquals(a, b));
    default:
        // Structural equality: same kind and same members; undefined equals only undefined.
        if (a.isUndefined() || b.isUndefined())
            return boolean(a.isUndefined() && b.isUndefined());
        return boolean(*a.js == *b.js);
    }
}

Result<Value> logicalAnd(MethodContext &ctx)
{
    return truthy(ctx.arg(0)) ? ctx.arg(1) : ctx.arg(0);
}

Result<Value> logicalOr(MethodContext &ctx)
{
    return truthy(ctx.arg(0)) ? ctx.arg(0) : ctx.arg(1);
}

Result<Value> logicalNot(MethodContext &ctx)
{
    return boolean(!truthy(ctx.arg(0)));
}

Result<Value> nullish(MethodContext &ctx)
{
    return ctx.arg(0).isNullish() ? ctx.arg(1) : ctx.arg(0);
}

template <tasks::JsRelation Relation>
Result<Value> relational(MethodContext &ctx)
{
    return boolean(tasks::jsCompare(ctx.arg(0).js, ctx.arg(1).js, Relation));
}

} // namespace

void registerLogicMethods(MethodTable &table)
{
    table["Boolean.new Boolean"] = newBoolean;
    table["Conditional.ternary"] = ternary;
    table["Conditional.switch"] = switchCase;
    table["Equality.equality"] = equality<0>;
    table["Equality.inequality"] = equality<1>;
    table["Equality.identity"] = equality<2>;
    table["Equality.nonidentity"] = equality<3>;
    table["Equality.deepEquals"] = equality<4>;
    table["Logical.and"] = logicalAnd;
    table["Logical.or"] = logicalOr;
    table["Logical.not"] = logicalNot;
    table["Logical.nullish"] = nullish;
    table["Relational.greaterThan"] = relational<tasks::JsRelation::Greater>;
    table["Relational.greaterThanOrEqual"] = relational<tasks::JsRelation::GreaterOrEqual>;
    table["Relational.lessThan"] = relational<tasks::JsRelation::Less>;
    table["Relational.lessThanOrEqual"] = relational<tasks::JsRelation::LessOrEqual>;
}

} // namespace flowdeck::jst
