// SPDX-License-Identifier: GPL-3.0-or-later
// String library. Positions and lengths are UTF-16 code units, as in JavaScript, so the
// methods work on QString; regular expressions are RegExp (PCRE2 over UTF-8), whose byte
// offsets are converted back to code units.
#include "engine/jst/JstMethods.h"

#include <QString>
#include <QStringList>

#include <cmath>

namespace flowdeck::jst {

namespace {

using nlohmann::json;

Value text(const QString &s)
{
    return Value(json(s.toStdString()));
}

qsizetype utf16Length(const std::string &s, std::size_t bytes)
{
    return QString::fromUtf8(s.data(), static_cast<qsizetype>(bytes)).size();
}

// The receiver: a string, or a TypeError as calling the method on anything else would give.
Result<QString> receiver(MethodContext &ctx, const char *method)
{
    const Value &v = ctx.arg(0);
    if (v.isNullish())
        return ctx.fail("Cannot read properties of " + tasks::jsTypeName(v.js) + " (reading '" +
                        method + "')");
    if (!v.isString())
        return ctx.fail("the first argument is " + tasks::jsTypeName(v.js) + ", not a string");
    return QString::fromStdString(v.str());
}

// A search position argument: ToIntegerOrInfinity clamped to [0, length].
qsizetype position(const Value &v, qsizetype length, qsizetype fallback)
{
    if (v.isUndefined())
        return fallback;
    const double n = tasks::jsToIntegerOrInfinity(toNumber(v));
    return static_cast<qsizetype>(std::clamp(n, 0.0, static_cast<double>(length)));
}

Result<Value> templateLiteral(MethodContext &ctx)
{
    const std::string &tpl = ctx.node.templateText;
    const auto names = templatePlaceholders(tpl);
    std::string out;
    std::size_t pos = 0;
    while (true) {
        const auto open = tpl.find("${", pos);
        const auto close = open == std::string::npos ? open : tpl.find('}', open + 2);
        if (close == std::string::npos) {
            out += tpl.substr(pos);
            break;
        }
        out += tpl.substr(pos, open - pos);
        const std::string name = tpl.substr(open + 2, close - open - 2);
        const auto slot = std::find(names.begin(), names.end(), name) - names.begin();
        out += toString(ctx.arg(static_cast<std::size_t>(slot)));
        pos = close + 1;
    }
    return Value(json(std::move(out)));
}

Result<Value> newString(MethodContext &ctx)
{
    return Value(json(ctx.args.empty() ? std::string() : toString(ctx.arg(0))));
}

Result<std::shared_ptr<const RegExp>> regexpOf(const Value &v)
{
    if (v.regexp)
        return v.regexp;
    return RegExp::compile(v.isUndefined() ? std::string("(?:)") : toString(v), "");
}

// String.prototype.split with a RegExp separator: the spec's SplitMatcher loop, capture groups
// included in the output.
Result<Value> splitRegExp(const std::string &s, const RegExp &re, std::size_t limit)
{
    json out = json::array();
    if (limit == 0)
        return Value(std::move(out));
    if (s.empty()) {
        auto m = re.exec(s, 0);
        if (!m)
            return m.error();
        if (!*m)
            out.push_back(s);
        return Value(std::move(out));
    }
    std::size_t p = 0;
    std::size_t q = 0;
    while (q < s.size()) {
        auto m = re.exec(s, q);
        if (!m)
            return m.error();
        if (!*m)
            break;
        const auto [start, end] = *(**m)[0];
        if (start >= s.size())
            break;
        if (end == p) {
            // An empty match where the remainder starts: move on one character.
            q = start + 1;
            while (q < s.size() && (static_cast<unsigned char>(s[q]) & 0xC0) == 0x80)
                ++q;
            continue;
        }
        out.push_back(s.substr(p, start - p));
        if (out.size() == limit)
            return Value(std::move(out));
        for (std::size_t g = 1; g < (*m)->size(); ++g) {
            const auto &group = (**m)[g];
            out.push_back(group ? json(s.substr(group->first, group->second - group->first))
                                : json(nullptr));
            if (out.size() == limit)
                return Value(std::move(out));
        }
        p = end;
        q = p;
    }
    out.push_back(s.substr(std::min(p, s.size())));
    return Value(std::move(out));
}

Result<Value> split(MethodContext &ctx)
{
    auto str = receiver(ctx, "split");
    if (!str)
        return str.error();
    const std::size_t limit =
        ctx.arg(2).isUndefined()
            ? 4294967295u
            : static_cast<std::size_t>(static_cast<std::uint32_t>(
                  static_cast<std::int64_t>(tasks::jsToIntegerOrInfinity(toNumber(ctx.arg(2))))));
    const Value &sep = ctx.arg(1);
    if (sep.regexp)
        return splitRegExp(ctx.arg(0).str(), *sep.regexp, limit);
    json out = json::array();
    if (limit == 0)
        return Value(std::move(out));
    if (sep.isUndefined()) {
        out.push_back(ctx.arg(0).str());
        return Value(std::move(out));
    }
    const QString separator = QString::fromStdString(toString(sep));
    if (separator.isEmpty()) {
        for (qsizetype i = 0; i < str->size() && out.size() < limit; ++i)
            out.push_back(QString(str->at(i)).toStdString());
        return Value(std::move(out));
    }
    for (const auto &part : str->split(separator)) {
        if (out.size() == limit)
            break;
        out.push_back(part.toStdString());
    }
    return Value(std::move(out));
}

Result<Value> concat(MethodContext &ctx)
{
    if (ctx.arg(0).isNullish())
        return ctx.fail("String.prototype.concat called on null or undefined");
    std::string out;
    for (const auto &v : ctx.args)
        out += toString(v);
    return Value(json(std::move(out)));
}

Result<Value> length(MethodContext &ctx)
{
    auto str = receiver(ctx, "length");
    if (!str)
        return str.error();
    return Value(json(str->size()));
}

template <int Kind>
Result<Value> transform(MethodContext &ctx)
{
    static const char *const kNames[] = {"toLowerCase", "toUpperCase", "trim"};
    auto str = receiver(ctx, kNames[Kind]);
    if (!str)
        return str.error();
    if (Kind == 0)
        return text(str->toLower());
    if (Kind == 1)
        return text(str->toUpper());
    qsizetype b = 0;
    qsizetype e = str->size();
    auto space = [](QChar c) { return c.isSpace() || c == QChar(0xFEFF); };
    while (b < e && space(str->at(b)))
        ++b;
    while (e > b && space(str->at(e - 1)))
        --e;
    return text(str->mid(b, e - b));
}

Result<Value> substring(MethodContext &ctx)
{
    auto str = receiver(ctx, "substring");
    if (!str)
        return str.error();
    qsizetype a = position(ctx.arg(1), str->size(), 0);
    qsizetype b = position(ctx.arg(2), str->size(), str->size());
    if (a > b)
        std::swap(a, b);
    return text(str->mid(a, b - a));
}

template <int Kind>
Result<Value> search(MethodContext &ctx)
{
    static const char *const kNames[] = {"indexOf", "lastIndexOf", "includes"};
    auto str = receiver(ctx, kNames[Kind]);
    if (!str)
        return str.error();
    if (Kind == 2 && ctx.arg(1).regexp)
        return ctx.fail("First argument to String.prototype.includes must not be a regular "
                        "expression");
    const QString needle = QString::fromStdString(toString(ctx.arg(1)));
    if (Kind == 1) {
        const double p = toNumber(ctx.arg(2));
        const qsizetype from =
            std::isnan(p) ? str->size()
                          : static_cast<qsizetype>(std::clamp(tasks::jsToIntegerOrInfinity(p), 0.0,
                                                              static_cast<double>(str->size())));
        return Value(json(str->lastIndexOf(needle, from)));
    }
    const qsizetype at = str->indexOf(needle, position(ctx.arg(2), str->size(), 0));
    if (Kind == 2)
        return Value(json(at >= 0));
    return Value(json(at));
}

// GetSubstitution: $$, $&, $`, $', $n, $nn, $<name>.
std::string substitute(const std::string &s, const RegExp::Groups &groups,
                       const std::vector<std::string> &names, const std::string &repl)
{
    std::string out;
    const auto group = [&](std::size_t g) {
        return g < groups.size() && groups[g]
                   ? s.substr(groups[g]->first, groups[g]->second - groups[g]->first)
                   : std::string();
    };
    for (std::size_t i = 0; i < repl.size(); ++i) {
        const char c = repl[i];
        const char n = i + 1 < repl.size() ? repl[i + 1] : '\0';
        if (c != '$' || n == '\0') {
            out += c;
        } else if (n == '$') {
            out += '$';
            ++i;
        } else if (n == '&') {
            out += group(0);
            ++i;
        } else if (n == '`') {
            out += s.substr(0, groups[0]->first);
            ++i;
        } else if (n == '\'') {
            out += s.substr(groups[0]->second);
            ++i;
        } else if (n >= '0' && n <= '9') {
            const char n2 = i + 2 < repl.size() ? repl[i + 2] : '\0';
            const std::size_t two =
                n2 >= '0' && n2 <= '9' ? std::size_t((n - '0') * 10 + n2 - '0') : 0;
            if (two >= 1 && two < groups.size()) {
                out += group(two);
                i += 2;
            } else if (n != '0' && std::size_t(n - '0') < groups.size()) {
                out += group(std::size_t(n - '0'));
                ++i;
            } else {
                out += c;
            }
        } else if (n == '<' && repl.find('>', i) != std::string::npos) {
            const auto close = repl.find('>', i);
            const std::string name = repl.substr(i + 2, close - i - 2);
            const auto it = std::find(names.begin(), names.end(), name);
            if (it != names.end() && !name.empty())
                out += group(static_cast<std::size_t>(it - names.begin()));
            i = close;
        } else {
            out += c;
        }
    }
    return out;
}

Result<Value> replace(MethodContext &ctx)
{
    auto str = receiver(ctx, "replace");
    if (!str)
        return str.error();
    const std::string s = ctx.arg(0).str();
    const std::string repl = toString(ctx.arg(2));
    if (!ctx.arg(1).regexp) {
        const std::string needle = toString(ctx.arg(1));
        const auto at = s.find(needle);
        if (at == std::string::npos)
            return ctx.arg(0);
        const RegExp::Groups groups{std::make_pair(at, at + needle.size())};
        return Value(json(s.substr(0, at) + substitute(s, groups, {""}, repl) +
                          s.substr(at + needle.size())));
    }
    const RegExp &re = *ctx.arg(1).regexp;
    std::string out;
    std::size_t pos = 0;
    std::size_t from = 0;
    while (from <= s.size()) {
        auto m = re.exec(s, from);
        if (!m)
            return m.error();
        if (!*m)
            break;
        const auto [start, end] = *(**m)[0];
        out += s.substr(pos, start - pos) + substitute(s, **m, re.groupNames(), repl);
        pos = end;
        if (!re.global())
            break;
        from = end == start ? end + 1 : end;
        while (from < s.size() && (static_cast<unsigned char>(s[from]) & 0xC0) == 0x80)
            ++from;
    }
    out += s.substr(std::min(pos, s.size()));
    return Value(json(std::move(out)));
}

Result<Value> charAt(MethodContext &ctx)
{
    auto str = receiver(ctx, "charAt");
    if (!str)
        return str.error();
    const double i = tasks::jsToIntegerOrInfinity(toNumber(ctx.arg(1)));
    if (i < 0 || i >= static_cast<double>(str->size()))
        return Value(json(""));
    return text(QString(str->at(static_cast<qsizetype>(i))));
}

Result<Value> searchRegExp(MethodContext &ctx)
{
    auto str = receiver(ctx, "search");
    if (!str)
        return str.error();
    auto re = regexpOf(ctx.arg(1));
    if (!re)
        return ctx.fail(re.error().message);
    auto m = (*re)->exec(ctx.arg(0).str(), 0);
    if (!m)
        return m.error();
    if (!*m)
        return Value(json(-1));
    return Value(json(utf16Length(ctx.arg(0).str(), (**m)[0]->first)));
}

// match: without g, the groups of the first match (JSON drops the index/input properties);
// with g, every whole match; null when nothing matches.
Result<Value> match(MethodContext &ctx)
{
    auto str = receiver(ctx, "match");
    if (!str)
        return str.error();
    auto re = regexpOf(ctx.arg(1));
    if (!re)
        return ctx.fail(re.error().message);
    const std::string s = ctx.arg(0).str();
    json out = json::array();
    std::size_t from = 0;
    while (from <= s.size()) {
        auto m = (*re)->exec(s, from);
        if (!m)
            return m.error();
        if (!*m)
            break;
        const auto [start, end] = *(**m)[0];
        if (!(*re)->global()) {
            for (const auto &g : **m)
                out.push_back(g ? json(s.substr(g->first, g->second - g->first)) : json(nullptr));
            return Value(std::move(out));
        }
        out.push_back(s.substr(start, end - start));
        from = end == start ? end + 1 : end;
    }
    return out.empty() ? Value(json(nullptr)) : Value(std::move(out));
}

} // namespace

void registerStringMethods(MethodTable &table)
{
    table["String.templateLiteral"] = templateLiteral;
    table["String.new String"] = newString;
    table["String.split"] = split;
    table["String.concat"] = concat;
    table["String.length"] = length;
    table["String.toLowerCase"] = transform<0>;
    table["String.toUpperCase"] = transform<1>;
    table["String.trim"] = transform<2>;
    table["String.substring"] = substring;
    table["String.indexOf"] = search<0>;
    table["String.lastIndexOf"] = search<1>;
    table["String.includes"] = search<2>;
    table["String.replace"] = replace;
    table["String.charAt"] = charAt;
    table["String.search"] = searchRegExp;
    table["String.match"] = match;
}

} // namespace flowdeck::jst
