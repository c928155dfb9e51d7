// SPDX-License-Identifier: GPL-3.0-or-later
// Array library. Methods that mutate in JavaScript (push, pop, shift, splice, fill, reverse,
// sort, setIndex) return a changed copy here and leave their input alone; push returns the
// array, pop/shift/splice expose both halves on their /return/<port>s (docs/jst.md).
#include "engine/jst/JstMethods.h"

#include <QString>

#include <algorithm>
#include <cmath>

namespace flowdeck::jst {

namespace {

using nlohmann::json;

Result<const json *> arrayArg(MethodContext &ctx, const std::string &what)
{
    const Value &arr = ctx.arg(0);
    if (arr.isNullish())
        return ctx.fail("Cannot read properties of " + tasks::jsTypeName(arr.js) + " (reading '" +
                        what + "')");
    if (!arr.isArray())
        return ctx.fail("the first argument is " + tasks::jsTypeName(arr.js) + ", not an array (." +
                        what + " is not a function)");
    return &*arr.js;
}

Result<std::string> callbackArg(MethodContext &ctx)
{
    const Value &fn = ctx.arg(1);
    if (!fn.isString())
        return ctx.fail(toString(fn) + " is not a function (the second argument must name one)");
    return fn.str();
}

Result<Value> newArray(MethodContext &ctx)
{
    json out = json::array();
    if (ctx.node.polymorphIndex == 1) {
        // Array(length): JSON has no holes, so the empty slots are nulls.
        const Value &length = ctx.arg(0);
        const double n = toNumber(length);
        if (!length.isNumber() && !length.isUndefined())
            return Value(json::array({length.toJson()}));
        if (!(n >= 0) || std::trunc(n) != n || n > 4294967295.0)
            return ctx.fail("Invalid array length");
        for (std::size_t i = 0; i < static_cast<std::size_t>(n); ++i)
            out.push_back(nullptr);
        return Value(std::move(out));
    }
    for (const auto &v : ctx.args)
        out.push_back(v.toJson());
    return Value(std::move(out));
}

Result<Value> getIndex(MethodContext &ctx)
{
    const std::string key = toString(ctx.arg(1));
    if (ctx.arg(0).isNullish())
        return ctx.fail("Cannot read properties of " + tasks::jsTypeName(ctx.arg(0).js) +
                        " (reading '" + key + "')");
    return member(ctx.arg(0), key);
}

Result<Value> setIndex(MethodContext &ctx)
{
    auto arr = arrayArg(ctx, "setIndex");
    if (!arr)
        return arr.error();
    json out = **arr;
    const double i = toNumber(ctx.arg(1));
    if (!(i >= 0) || std::trunc(i) != i)
        return Value(std::move(out)); // a non-index key is not an element
    writeAt(out, {std::to_string(static_cast<std::size_t>(i))}, 0, ctx.arg(2).toJson());
    return Value(std::move(out));
}

std::vector<const Value *> callbackArgs(std::initializer_list<const Value *> fixed,
                                        MethodContext &ctx, std::size_t extrasFrom)
{
    std::vector<const Value *> args(fixed);
    for (std::size_t i = extrasFrom; i < ctx.args.size(); ++i)
        args.push_back(&ctx.args[i]);
    return args;
}

// map, filter, find, flatMap: callback(element, index, array, extras = args[2..]).
template <int Kind>
Result<Value> iterate(MethodContext &ctx)
{
    static const char *const kNames[] = {"map", "filter", "find", "flatMap"};
    auto arr = arrayArg(ctx, kNames[Kind]);
    if (!arr)
        return arr.error();
    auto fn = callbackArg(ctx);
    if (!fn)
        return fn.error();
    const json &items = **arr;
    const Value &whole = ctx.arg(0);
    json out = json::array();
    for (std::size_t i = 0; i < items.size(); ++i) {
        const Value element(items[i]);
        const Value index{json(i)};
        auto r = ctx.host.callback(*fn, callbackArgs({&element, &index, &whole}, ctx, 2));
        if (!r)
            return r.error();
        if (Kind == 0) {
            out.push_back(r->toJson());
        } else if (Kind == 1) {
            if (truthy(*r))
                out.push_back(items[i]);
        } else if (Kind == 2) {
            if (truthy(*r))
                return element;
        } else if (r->isArray()) {
            for (const auto &e : *r->js)
                out.push_back(e);
        } else {
            out.push_back(r->toJson());
        }
    }
    if (Kind == 2)
        return Value();
    return Value(std::move(out));
}

// reduce / reduceRight: callback(accumulator, currentValue, index, array, extras = args[3..]).
// An unset initial-value slot means "no initial value", as leaving the argument out does.
template <bool Right>
Result<Value> reduce(MethodContext &ctx)
{
    auto arr = arrayArg(ctx, Right ? "reduceRight" : "reduce");
    if (!arr)
        return arr.error();
    auto fn = callbackArg(ctx);
    if (!fn)
        return fn.error();
    const json &items = **arr;
    const Value &whole = ctx.arg(0);
    const std::size_t n = items.size();
    std::size_t k = 0;
    Value acc = ctx.arg(2);
    if (acc.isUndefined()) {
        if (n == 0)
            return ctx.fail("Reduce of empty array with no initial value");
        acc = Value(items[Right ? n - 1 : 0]);
        k = 1;
    }
    for (; k < n; ++k) {
        const std::size_t i = Right ? n - 1 - k : k;
        const Value current(items[i]);
        const Value index{json(i)};
        auto r = ctx.host.callback(*fn, callbackArgs({&acc, &current, &index, &whole}, ctx, 3));
        if (!r)
            return r.error();
        acc = std::move(*r);
    }
    return acc;
}

Result<Value> length(MethodContext &ctx)
{
    if (ctx.arg(0).isNullish())
        return ctx.fail("Cannot read properties of " + tasks::jsTypeName(ctx.arg(0).js) +
                        " (reading 'length')");
    return member(ctx.arg(0), "length");
}

Result<Value> join(MethodContext &ctx)
{
    auto arr = arrayArg(ctx, "join");
    if (!arr)
        return arr.error();
    const std::string sep = ctx.arg(1).isUndefined() ? "," : toString(ctx.arg(1));
    std::string out;
    for (std::size_t i = 0; i < (*arr)->size(); ++i) {
        if (i > 0)
            out += sep;
        const json &e = (**arr)[i];
        if (!e.is_null())
            out += tasks::jsToString(e);
    }
    return Value(json(std::move(out)));
}

Result<Value> push(MethodContext &ctx)
{
    auto arr = arrayArg(ctx, "push");
    if (!arr)
        return arr.error();
    json out = **arr;
    for (std::size_t i = 1; i < ctx.args.size(); ++i)
        out.push_back(ctx.args[i].toJson());
    return Value(std::move(out));
}

// pop / shift: {value, array}; an empty array gives value undefined (the key is absent).
template <bool Front>
Result<Value> remove(MethodContext &ctx)
{
    auto arr = arrayArg(ctx, Front ? "shift" : "pop");
    if (!arr)
        return arr.error();
    json rest = **arr;
    json out = json::object();
    if (!rest.empty()) {
        if (Front) {
            out["value"] = rest.front();
            rest.erase(rest.begin());
        } else {
            out["value"] = rest.back();
            rest.erase(rest.end() - 1);
        }
    }
    out["array"] = std::move(rest);
    return Value(std::move(out));
}

Result<Value> splice(MethodContext &ctx)
{
    auto arr = arrayArg(ctx, "splice");
    if (!arr)
        return arr.error();
    const json &items = **arr;
    const std::size_t start = relativeIndex(ctx.arg(1), items.size(), 0);
    std::size_t count = items.size() - start;
    if (ctx.args.size() > 2 && !ctx.arg(2).isUndefined()) {
        const double c = tasks::jsToIntegerOrInfinity(toNumber(ctx.arg(2)));
        count = static_cast<std::size_t>(std::clamp(c, 0.0, static_cast<double>(count)));
    }
    json array = json::array();
    json spliced = json::array();
    for (std::size_t i = 0; i < start; ++i)
        array.push_back(items[i]);
    for (std::size_t i = start; i < start + count; ++i)
        spliced.push_back(items[i]);
    for (std::size_t i = 3; i < ctx.args.size(); ++i)
        array.push_back(ctx.args[i].toJson());
    for (std::size_t i = start + count; i < items.size(); ++i)
        array.push_back(items[i]);
    return Value(json{{"array", std::move(array)}, {"spliced", std::move(spliced)}});
}

Result<Value> concat(MethodContext &ctx)
{
    json out = json::array();
    for (std::size_t i = 0; i < ctx.args.size(); ++i) {
        const Value &v = ctx.args[i];
        if (v.isArray()) {
            for (const auto &e : *v.js)
                out.push_back(e);
        } else {
            out.push_back(v.toJson());
        }
    }
    return Value(std::move(out));
}

Result<Value> isArray(MethodContext &ctx)
{
    return Value(json(ctx.arg(0).isArray()));
}

Result<Value> includes(MethodContext &ctx)
{
    auto arr = arrayArg(ctx, "includes");
    if (!arr)
        return arr.error();
    for (std::size_t i = relativeIndex(ctx.arg(2), (*arr)->size(), 0); i < (*arr)->size(); ++i)
        if (tasks::jsSameValueZero((**arr)[i], ctx.arg(1).js))
            return Value(json(true));
    return Value(json(false));
}

Result<Value> indexOf(MethodContext &ctx)
{
    auto arr = arrayArg(ctx, "indexOf");
    if (!arr)
        return arr.error();
    for (std::size_t i = relativeIndex(ctx.arg(2), (*arr)->size(), 0); i < (*arr)->size(); ++i)
        if (tasks::jsStrictEquals((**arr)[i], ctx.arg(1).js))
            return Value(json(static_cast<std::int64_t>(i)));
    return Value(json(-1));
}

Result<Value> fill(MethodContext &ctx)
{
    auto arr = arrayArg(ctx, "fill");
    if (!arr)
        return arr.error();
    json out = **arr;
    const std::size_t start = relativeIndex(ctx.arg(2), out.size(), 0);
    const std::size_t end = relativeIndex(ctx.arg(3), out.size(), out.size());
    for (std::size_t i = start; i < end; ++i)
        out[i] = ctx.arg(1).toJson();
    return Value(std::move(out));
}

Result<Value> reverse(MethodContext &ctx)
{
    auto arr = arrayArg(ctx, "reverse");
    if (!arr)
        return arr.error();
    json out = **arr;
    std::reverse(out.begin(), out.end());
    return Value(std::move(out));
}

// Default sort: undefined last (JSON has none in arrays), others by String(x) in UTF-16 order.
// A compare function is a custom function id called with (a, b), as JavaScript calls it.
Result<Value> sort(MethodContext &ctx)
{
    auto arr = arrayArg(ctx, "sort");
    if (!arr)
        return arr.error();
    json out = **arr;
    if (ctx.arg(1).isUndefined()) {
        std::vector<std::pair<QString, json>> keyed;
        for (auto &e : out)
            keyed.emplace_back(QString::fromStdString(tasks::jsToString(e)), std::move(e));
        std::stable_sort(keyed.begin(), keyed.end(), [](const auto &a, const auto &b) {
            return QString::compare(a.first, b.first, Qt::CaseSensitive) < 0;
        });
        out = json::array();
        for (auto &[k, e] : keyed)
            out.push_back(std::move(e));
        return Value(std::move(out));
    }
    auto fn = callbackArg(ctx);
    if (!fn)
        return fn.error();
    std::optional<Error> failure;
    std::vector<json> items(out.begin(), out.end());
    std::stable_sort(items.begin(), items.end(), [&](const json &a, const json &b) {
        if (failure)
            return false;
        const Value va(a);
        const Value vb(b);
        auto r = ctx.host.callback(*fn, {&va, &vb});
        if (!r) {
            failure = r.error();
            return false;
        }
        return toNumber(*r) < 0;
    });
    if (failure)
        return *failure;
    return Value(json(items));
}

Result<Value> slice(MethodContext &ctx)
{
    auto arr = arrayArg(ctx, "slice");
    if (!arr)
        return arr.error();
    const std::size_t start = relativeIndex(ctx.arg(1), (*arr)->size(), 0);
    const std::size_t end = relativeIndex(ctx.arg(2), (*arr)->size(), (*arr)->size());
    json out = json::array();
    for (std::size_t i = start; i < end; ++i)
        out.push_back((**arr)[i]);
    return Value(std::move(out));
}

// Array.from: arrays (and Sets, which are arrays of distinct values here) copy; strings split
// into characters; anything else without elements gives [].
Result<Value> from(MethodContext &ctx)
{
    const Value &v = ctx.arg(0);
    if (v.isNullish())
        return ctx.fail(tasks::jsTypeName(v.js) + " is not iterable");
    if (v.isArray())
        return v;
    json out = json::array();
    if (v.isString()) {
        const QString s = QString::fromStdString(v.str());
        for (qsizetype i = 0; i < s.size(); ++i) {
            const qsizetype n = s.at(i).isHighSurrogate() && i + 1 < s.size() ? 2 : 1;
            out.push_back(s.mid(i, n).toStdString());
            i += n - 1;
        }
    }
    return Value(std::move(out));
}

} // namespace

void registerArrayMethods(MethodTable &table)
{
    table["Array.new Array"] = newArray;
    table["Array.getIndex"] = getIndex;
    table["Array.setIndex"] = setIndex;
    table["Array.map"] = iterate<0>;
    table["Array.filter"] = iterate<1>;
    table["Array.find"] = iterate<2>;
    table["Array.flatMap"] = iterate<3>;
    table["Array.reduce"] = reduce<false>;
    table["Array.reduceRight"] = reduce<true>;
    table["Array.length"] = length;
    table["Array.join"] = join;
    table["Array.push"] = push;
    table["Array.pop"] = remove<false>;
    table["Array.shift"] = remove<true>;
    table["Array.splice"] = splice;
    table["Array.concat"] = concat;
    table["Array.isArray"] = isArray;
    table["Array.includes"] = includes;
    table["Array.indexOf"] = indexOf;
    table["Array.fill"] = fill;
    table["Array.reverse"] = reverse;
    table["Array.sort"] = sort;
    table["Array.slice"] = slice;
    table["Array.from"] = from;
}

} // namespace flowdeck::jst
