// SPDX-License-Identifier: GPL-3.0-or-later
// arrayPush, arrayLength, arrayIncludes, arrayIndexOf, join, isArray: Array.prototype methods
// applied to JSON arrays with JavaScript's argument handling.

#include "engine/tasks/MethodSupport.h"

#include <algorithm>

namespace flowdeck::tasks::detail {

using nlohmann::json;

namespace {

/// The first index a search starts at: fromIndex as Array.prototype.includes reads it.
Result<std::size_t> searchStart(std::string_view method, const MethodContext &ctx,
                                std::size_t length)
{
    const JsValue from = input(ctx, "fromIndex");
    if (!supplied(from))
        return std::size_t{0};
    auto n = integerArgument(method, "fromIndex", from);
    if (!n.ok())
        return n.error();
    double k = n.value();
    if (k < 0)
        k = std::max(0.0, static_cast<double>(length) + k);
    return static_cast<std::size_t>(std::min(k, static_cast<double>(length)));
}

template <typename Equal>
MethodResult search(std::string_view method, const MethodContext &ctx, Equal equal,
                    const char *outgoing, bool wantIndex)
{
    const JsValue arr = input(ctx, "arr");
    if (!arr || !arr->is_array())
        return typeError(method, "arr", "an array", arr);
    auto start = searchStart(method, ctx, arr->size());
    if (!start.ok())
        return MethodResult::error(start.error().message);
    const JsValue wanted = input(ctx, "searchElement");
    for (std::size_t i = start.value(); i < arr->size(); ++i) {
        if (equal((*arr)[i], wanted))
            return wantIndex ? success(outgoing, static_cast<std::int64_t>(i))
                             : success(outgoing, true);
    }
    return wantIndex ? success(outgoing, -1) : success(outgoing, false);
}

} // namespace

MethodResult arrayPush(const MethodContext &ctx)
{
    JsValue arr = input(ctx, "arr");
    if (!arr || !arr->is_array())
        return typeError("arrayPush", "arr", "an array", arr);
    // elementN is one element, as arr.push(elementN) takes it; an array is pushed whole.
    arr->push_back(input(ctx, "elementN").value_or(nullptr));
    return success("pushedArray", std::move(*arr));
}

MethodResult arrayLength(const MethodContext &ctx)
{
    const JsValue arr = input(ctx, "arr");
    if (!arr || !arr->is_array())
        return typeError("arrayLength", "arr", "an array", arr);
    return success("length", arr->size());
}

MethodResult arrayIncludes(const MethodContext &ctx)
{
    return search(
        "arrayIncludes", ctx,
        [](const json &element, const JsValue &wanted) { return jsSameValueZero(element, wanted); },
        "result", false);
}

MethodResult arrayIndexOf(const MethodContext &ctx)
{
    return search(
        "arrayIndexOf", ctx,
        [](const json &element, const JsValue &wanted) { return jsStrictEquals(element, wanted); },
        "index", true);
}

MethodResult join(const MethodContext &ctx)
{
    const JsValue arr = input(ctx, "arr");
    if (!arr || !arr->is_array())
        return typeError("join", "arr", "an array", arr);
    // Array.prototype.join: an absent separator is ","; "" joins with nothing, as in JavaScript.
    const JsValue separatorInput = input(ctx, "separator");
    const std::string separator = separatorInput ? jsToString(separatorInput) : ",";
    std::string out;
    for (std::size_t i = 0; i < arr->size(); ++i) {
        if (i > 0)
            out += separator;
        if (!(*arr)[i].is_null())
            out += jsToString((*arr)[i]);
    }
    return success("joinedElements", out);
}

MethodResult isArray(const MethodContext &ctx)
{
    JsValue value = input(ctx, "value");
    if (!value)
        value = input(ctx, "arr");
    return success("result", value && value->is_array());
}

} // namespace flowdeck::tasks::detail
