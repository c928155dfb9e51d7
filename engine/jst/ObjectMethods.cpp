// SPDX-License-Identifier: GPL-3.0-or-later
// Object library. Methods never mutate their inputs: a value fanned out to several consumers
// stays the same for each (docs/jst.md, "Immutability").
#include "engine/jst/JstMethods.h"

#include "engine/model/JsonParse.h"

namespace flowdeck::jst {

namespace {

using nlohmann::json;

Error cannotRead(const MethodContext &ctx, const Value &obj, const std::string &key)
{
    return ctx.fail("Cannot read properties of " + tasks::jsTypeName(obj.js) + " (reading '" + key +
                    "')");
}

Result<Value> getProperty(MethodContext &ctx)
{
    const std::string key = toString(ctx.arg(1));
    if (ctx.arg(0).isNullish())
        return cannotRead(ctx, ctx.arg(0), key);
    return member(ctx.arg(0), key);
}

Result<Value> setProperty(MethodContext &ctx)
{
    const Value &obj = ctx.arg(0);
    const std::string key = toString(ctx.arg(1));
    if (obj.isNullish())
        return ctx.fail("Cannot set properties of " + tasks::jsTypeName(obj.js) + " (setting '" +
                        key + "')");
    if (!obj.isObject() && !obj.isArray())
        return obj; // JavaScript ignores a property set on a primitive
    json out = *obj.js;
    const Value &value = ctx.arg(2);
    if (out.is_array()) {
        writeAt(out, {key}, 0, value.toJson());
    } else if (value.isUndefined()) {
        out.erase(key); // {k: undefined} serialises without k
    } else {
        out[key] = *value.js;
    }
    return Value(std::move(out));
}

Result<Value> newObject(MethodContext &ctx)
{
    const Value &v = ctx.arg(0);
    if (v.isNullish())
        return Value(json::object());
    // The designer stores the literal as text ("{}", "{\"a\":1}"): read it as JSON.
    if (v.isString()) {
        auto parsed = parseJson(v.str());
        if (!parsed)
            return v; // new Object("text") is a String wrapper, which serialises as the text
        return Value(std::move(*parsed));
    }
    return v;
}

Result<Value> requireObject(MethodContext &ctx)
{
    if (ctx.arg(0).isNullish())
        return ctx.fail("Cannot convert undefined or null to object");
    return ctx.arg(0);
}

// Object.keys / values / entries on objects, arrays and strings.
template <int Kind>
Result<Value> ownProperties(MethodContext &ctx)
{
    auto checked = requireObject(ctx);
    if (!checked)
        return checked.error();
    const Value &obj = ctx.arg(0);
    json out = json::array();
    auto add = [&](const std::string &key, const json &value) {
        if (Kind == 0)
            out.push_back(key);
        else if (Kind == 1)
            out.push_back(value);
        else
            out.push_back(json::array({key, value}));
    };
    if (obj.isObject()) {
        for (const auto &[k, v] : obj.js->items())
            add(k, v);
    } else if (obj.isArray()) {
        for (std::size_t i = 0; i < obj.js->size(); ++i)
            add(std::to_string(i), (*obj.js)[i]);
    } else if (obj.isString()) {
        const auto length = member(obj, "length").js->get<std::size_t>();
        for (std::size_t i = 0; i < length; ++i)
            add(std::to_string(i), *member(obj, std::to_string(i)).js);
    }
    return Value(std::move(out));
}

Result<Value> fromEntries(MethodContext &ctx)
{
    const Value &pairs = ctx.arg(0);
    if (!pairs.isArray())
        return ctx.fail(tasks::jsTypeName(pairs.js) + " is not iterable");
    json out = json::object();
    for (const auto &pair : *pairs.js) {
        if (!pair.is_array() && !pair.is_object())
            return ctx.fail("Iterator value " + pair.dump() + " is not an entry object");
        const Value entry(pair);
        const Value value = member(entry, "1");
        if (value.isUndefined())
            out.erase(toString(member(entry, "0")));
        else
            out[toString(member(entry, "0"))] = *value.js;
    }
    return Value(std::move(out));
}

Result<Value> hasOwnProperty(MethodContext &ctx)
{
    auto checked = requireObject(ctx);
    if (!checked)
        return checked.error();
    const Value &obj = ctx.arg(0);
    const std::string key = toString(ctx.arg(1));
    if (obj.isObject())
        return Value(json(obj.js->contains(key)));
    if (key == "length" && (obj.isArray() || obj.isString()))
        return Value(json(true));
    return Value(json(!member(obj, key).isUndefined()));
}

Result<Value> deleteProperty(MethodContext &ctx)
{
    auto checked = requireObject(ctx);
    if (!checked)
        return checked.error();
    if (!ctx.arg(0).isObject())
        return ctx.arg(0);
    json out = *ctx.arg(0).js;
    out.erase(toString(ctx.arg(1)));
    return Value(std::move(out));
}

// obj?.k1?.k2…: undefined as soon as a hop is null or undefined; unset key slots are skipped.
Result<Value> optionalChaining(MethodContext &ctx)
{
    Value current = ctx.arg(0);
    for (std::size_t i = 1; i < ctx.args.size(); ++i) {
        if (ctx.args[i].isUndefined())
            continue;
        if (current.isNullish())
            return Value();
        current = member(current, toString(ctx.args[i]));
    }
    return current;
}

} // namespace

void registerObjectMethods(MethodTable &table)
{
    table["Object.getProperty"] = getProperty;
    table["Object.setProperty"] = setProperty;
    table["Object.new Object"] = newObject;
    table["Object.keys"] = ownProperties<0>;
    table["Object.values"] = ownProperties<1>;
    table["Object.entries"] = ownProperties<2>;
    table["Object.fromEntries"] = fromEntries;
    table["Object.hasOwnProperty"] = hasOwnProperty;
    table["Object.deleteProperty"] = deleteProperty;
    table["Object.optional chaining"] = optionalChaining;
}

} // namespace flowdeck::jst
