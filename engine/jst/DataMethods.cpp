// SPDX-License-Identifier: GPL-3.0-or-later
// JSON, RegExp, Set, Null and WorkFlowEngine libraries.
#include "engine/jst/JstMethods.h"

#include "engine/model/JsonParse.h"
#include "engine/tasks/JsonQuery.h"

#include <cmath>

namespace flowdeck::jst {

namespace {

using nlohmann::json;

Result<Value> parse(MethodContext &ctx)
{
    const std::string text = toString(ctx.arg(0));
    auto parsed = parseJson(text);
    if (!parsed)
        return ctx.fail("Unexpected token in JSON: " +
                        validUtf8(text.size() > 40 ? text.substr(0, 40) + "…" : text));
    return Value(std::move(*parsed));
}

// JSON.stringify with JavaScript's number formatting, an optional key allow-list (an array
// replacer) and indentation (a number of spaces up to 10, or a string up to 10 characters).
void stringify(const json &v, const json *allow, const std::string &indent, const std::string &at,
               std::string &out)
{
    if (!v.is_object() && !v.is_array()) {
        out += tasks::jsJsonStringify(v);
        return;
    }
    const bool object = v.is_object();
    std::vector<std::pair<std::string, const json *>> members;
    if (object) {
        for (const auto &[k, e] : v.items()) {
            if (allow && std::find(allow->begin(), allow->end(), json(k)) == allow->end())
                continue;
            members.emplace_back(k, &e);
        }
    } else {
        for (const auto &e : v)
            members.emplace_back(std::string(), &e);
    }
    out += object ? '{' : '[';
    const std::string inner = at + indent;
    for (std::size_t i = 0; i < members.size(); ++i) {
        if (i > 0)
            out += ',';
        if (!indent.empty())
            out += "\n" + inner;
        if (object) {
            out += json(members[i].first).dump() + ":";
            if (!indent.empty())
                out += ' ';
        }
        stringify(*members[i].second, allow, indent, inner, out);
    }
    if (!indent.empty() && !members.empty())
        out += "\n" + at;
    out += object ? '}' : ']';
}

Result<Value> stringifyMethod(MethodContext &ctx)
{
    const Value &v = ctx.arg(0);
    if (v.isUndefined())
        return Value();
    const json *allow = ctx.arg(1).isArray() ? &*ctx.arg(1).js : nullptr;
    if (!ctx.arg(1).isNullish() && !allow)
        return ctx.fail("a replacer must be an array of keys");
    std::string indent;
    if (ctx.arg(2).isNumber())
        indent.assign(static_cast<std::size_t>(std::clamp(
                          tasks::jsToIntegerOrInfinity(toNumber(ctx.arg(2))), 0.0, 10.0)),
                      ' ');
    else if (ctx.arg(2).isString())
        indent = ctx.arg(2).str().substr(0, 10);
    std::string out;
    stringify(*v.js, allow, indent, "", out);
    return Value(json(std::move(out)));
}

Result<Value> typeOf(MethodContext &ctx)
{
    return Value(json(jst::typeOf(ctx.arg(0))));
}

Result<Value> newRegExp(MethodContext &ctx)
{
    const Value &pattern = ctx.arg(0);
    std::string source;
    std::string flags;
    if (pattern.regexp) {
        source = pattern.regexp->source();
        flags = pattern.regexp->flags();
    } else if (!pattern.isUndefined()) {
        source = toString(pattern);
    }
    if (!ctx.arg(1).isUndefined())
        flags = toString(ctx.arg(1));
    if (source.empty())
        source = "(?:)";
    auto re = RegExp::compile(source, flags);
    if (!re)
        return ctx.fail(re.error().message);
    return Value::ofRegExp(std::move(*re));
}

Result<std::shared_ptr<const RegExp>> regexpArg(MethodContext &ctx)
{
    if (ctx.arg(0).regexp)
        return ctx.arg(0).regexp;
    auto re = RegExp::compile(ctx.arg(0).isUndefined() ? "(?:)" : toString(ctx.arg(0)), "");
    if (!re)
        return ctx.fail(re.error().message);
    return re;
}

// test / exec are stateless: each call starts at 0 (a node has no lastIndex to carry).
template <bool Exec>
Result<Value> run(MethodContext &ctx)
{
    auto re = regexpArg(ctx);
    if (!re)
        return re.error();
    const std::string s = toString(ctx.arg(1));
    auto m = (*re)->exec(s, 0);
    if (!m)
        return ctx.fail(m.error().message);
    if (!Exec)
        return Value(json(m->has_value()));
    if (!*m)
        return Value(json(nullptr));
    json out = json::array();
    for (const auto &g : **m)
        out.push_back(g ? json(s.substr(g->first, g->second - g->first)) : json(nullptr));
    return Value(std::move(out));
}

// new Set(iterable): a Set's use in the documents is de-duplication before Array.from, so it is
// represented by the array of its distinct values (SameValueZero), in insertion order.
Result<Value> newSet(MethodContext &ctx)
{
    const Value &v = ctx.arg(0);
    json out = json::array();
    if (v.isNullish())
        return Value(std::move(out));
    json items;
    if (v.isArray()) {
        items = *v.js;
    } else if (v.isString()) {
        items = json::array();
        for (std::size_t i = 0; i < static_cast<std::size_t>(member(v, "length").js->get<int>());
             ++i)
            items.push_back(*member(v, std::to_string(i)).js);
    } else {
        return ctx.fail(tasks::jsTypeName(v.js) + " is not iterable");
    }
    for (auto &e : items) {
        bool seen = false;
        for (const auto &o : out)
            seen = seen || tasks::jsSameValueZero(o, e);
        if (!seen)
            out.push_back(std::move(e));
    }
    return Value(std::move(out));
}

Result<Value> newNull(MethodContext &)
{
    return Value(json(nullptr));
}

// WorkFlowEngine.query(passOnNull, query, obj): the workflow engine's query task inline, with
// the same json-query dialect. Nothing found (or null) is an error unless passOnNull is true,
// in which case the null or undefined is passed on, as the task does.
Result<Value> query(MethodContext &ctx)
{
    if (!ctx.arg(1).isString())
        return ctx.fail("the query must be a string, not " + tasks::jsTypeName(ctx.arg(1).js));
    auto found = tasks::jsonQuery(ctx.arg(2).js, ctx.arg(1).str());
    if (!found)
        return ctx.fail(found.error().message);
    if (*found && !(*found)->is_null())
        return Value(std::move(*found));
    if (truthy(ctx.arg(0)))
        return Value(std::move(*found));
    return ctx.fail("query \"" + ctx.arg(1).str() + "\" found nothing");
}

} // namespace

void registerDataMethods(MethodTable &table)
{
    table["JSON.parse"] = parse;
    table["JSON.stringify"] = stringifyMethod;
    table["JSON.type of"] = typeOf;
    table["RegExp.new RegExp"] = newRegExp;
    table["RegExp.test"] = run<false>;
    table["RegExp.exec"] = run<true>;
    table["Set.new Set"] = newSet;
    table["Null.new Null"] = newNull;
    table["WorkFlowEngine.query"] = query;
}

} // namespace flowdeck::jst
