// SPDX-License-Identifier: GPL-3.0-or-later
// Number and Math libraries: JavaScript numbers are doubles; results that are integral are
// stored as JSON integers so that 2 + 1 prints "3" (jsNumber()).
#include "engine/jst/JstMethods.h"

#include <QRandomGenerator>

#include <cctype>
#include <cmath>
#include <limits>

namespace flowdeck::jst {

namespace {

using nlohmann::json;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

Value number(double d)
{
    return Value(jsNumber(d));
}

bool isJsSpace(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

Result<Value> newNumber(MethodContext &ctx)
{
    return number(ctx.args.empty() ? 0.0 : toNumber(ctx.arg(0)));
}

// parseFloat: the longest prefix of the trimmed string that is a decimal literal.
Result<Value> parseFloat(MethodContext &ctx)
{
    const std::string s = toString(ctx.arg(0));
    std::size_t i = 0;
    while (i < s.size() && isJsSpace(static_cast<unsigned char>(s[i])))
        ++i;
    std::size_t j = i;
    if (j < s.size() && (s[j] == '+' || s[j] == '-'))
        ++j;
    if (s.compare(j, 8, "Infinity") == 0)
        return number(s[i] == '-' ? -INFINITY : INFINITY);
    std::size_t digits = 0;
    while (j < s.size() && std::isdigit(static_cast<unsigned char>(s[j])))
        ++j, ++digits;
    if (j < s.size() && s[j] == '.') {
        ++j;
        while (j < s.size() && std::isdigit(static_cast<unsigned char>(s[j])))
            ++j, ++digits;
    }
    if (digits == 0)
        return number(kNaN);
    if (j < s.size() && (s[j] == 'e' || s[j] == 'E')) {
        std::size_t k = j + 1;
        if (k < s.size() && (s[k] == '+' || s[k] == '-'))
            ++k;
        if (k < s.size() && std::isdigit(static_cast<unsigned char>(s[k]))) {
            while (k < s.size() && std::isdigit(static_cast<unsigned char>(s[k])))
                ++k;
            j = k;
        }
    }
    return number(std::strtod(s.substr(i, j - i).c_str(), nullptr));
}

// parseInt(string, radix): radix 0/undefined → 10, or 16 after a 0x prefix.
Result<Value> parseInt(MethodContext &ctx)
{
    const std::string s = toString(ctx.arg(0));
    std::size_t i = 0;
    while (i < s.size() && isJsSpace(static_cast<unsigned char>(s[i])))
        ++i;
    double sign = 1;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) {
        sign = s[i] == '-' ? -1 : 1;
        ++i;
    }
    double r = ctx.arg(1).isUndefined() ? 0 : tasks::jsToIntegerOrInfinity(toNumber(ctx.arg(1)));
    r = static_cast<double>(static_cast<std::int32_t>(static_cast<std::int64_t>(r)));
    bool stripPrefix = true;
    if (r != 0) {
        if (r < 2 || r > 36)
            return number(kNaN);
        stripPrefix = r == 16;
    } else {
        r = 10;
    }
    if (stripPrefix && i + 1 < s.size() && s[i] == '0' && (s[i + 1] == 'x' || s[i + 1] == 'X')) {
        i += 2;
        r = 16;
    }
    double value = 0;
    std::size_t digits = 0;
    for (; i < s.size(); ++i, ++digits) {
        const char c = static_cast<char>(std::tolower(static_cast<unsigned char>(s[i])));
        const int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'z' ? c - 'a' + 10 : 99;
        if (d >= r)
            break;
        value = value * r + d;
    }
    return number(digits == 0 ? kNaN : sign * value);
}

Result<Value> isNaN(MethodContext &ctx)
{
    return Value(json(ctx.arg(0).isNumber() && std::isnan(ctx.arg(0).js->get<double>())));
}

Result<Value> isInteger(MethodContext &ctx)
{
    if (!ctx.arg(0).isNumber())
        return Value(json(false));
    const double d = ctx.arg(0).js->get<double>();
    return Value(json(std::isfinite(d) && std::trunc(d) == d));
}

Result<Value> toString(MethodContext &ctx)
{
    const double d = toNumber(ctx.arg(0));
    if (ctx.arg(1).isUndefined())
        return Value(json(ctx.arg(0).isNumber() ? tasks::jsNumberToString(*ctx.arg(0).js)
                                                : tasks::jsNumberToString(d)));
    const double radix = tasks::jsToIntegerOrInfinity(toNumber(ctx.arg(1)));
    if (radix < 2 || radix > 36)
        return ctx.fail("toString() radix must be between 2 and 36");
    return Value(json(tasks::jsNumberToRadixString(d, static_cast<int>(radix))));
}

// The + operator: ToPrimitive (arrays and objects become their strings), then concatenation
// when either side is a string, numeric addition otherwise.
Result<Value> add(MethodContext &ctx)
{
    const Value &a = ctx.arg(0);
    const Value &b = ctx.arg(1);
    const auto primitiveString = [](const Value &v) {
        return v.isString() || v.regexp || (v.js && (v.js->is_array() || v.js->is_object()));
    };
    if (primitiveString(a) || primitiveString(b))
        return Value(json(toString(a) + toString(b)));
    return number(toNumber(a) + toNumber(b));
}

template <int Op>
Result<Value> arithmetic(MethodContext &ctx)
{
    const double a = toNumber(ctx.arg(0));
    const double b = toNumber(ctx.arg(1));
    switch (Op) {
    case 0:
        return number(a - b);
    case 1:
        return number(a * b);
    case 2:
        return number(a / b);
    default:
        // ** differs from pow() only for 1 ** ±Infinity and 1 ** NaN, which are NaN in JS.
        if (std::fabs(a) == 1 && !std::isfinite(b))
            return number(kNaN);
        return number(std::pow(a, b));
    }
}

template <int Op>
Result<Value> rounding(MethodContext &ctx)
{
    const double a = toNumber(ctx.arg(0));
    if (Op == 0)
        return number(std::floor(a));
    if (Op == 1)
        return number(std::ceil(a));
    // Math.round rounds halves up (toward +Infinity): -2.5 → -2. floor(a + 0.5) would round
    // 0.49999999999999994 up, so compare the fraction instead.
    if (!std::isfinite(a))
        return number(a);
    const double r = std::floor(a);
    return number(a - r >= 0.5 ? r + 1 : r);
}

template <bool Max>
Result<Value> extremum(MethodContext &ctx)
{
    double out = Max ? -INFINITY : INFINITY;
    for (const auto &v : ctx.args) {
        const double d = toNumber(v);
        if (std::isnan(d))
            return number(kNaN);
        if (Max ? (d > out || (d == 0 && out == 0 && !std::signbit(d)))
                : (d < out || (d == 0 && out == 0 && std::signbit(d))))
            out = d;
    }
    return number(out);
}

Result<Value> random(MethodContext &)
{
    return Value(json(QRandomGenerator::global()->generateDouble()));
}

} // namespace

void registerNumberMethods(MethodTable &table)
{
    table["Number.new Number"] = newNumber;
    table["Number.parseFloat"] = parseFloat;
    table["Number.parseInt"] = parseInt;
    table["Number.isNaN"] = isNaN;
    table["Number.isInteger"] = isInteger;
    table["Number.toString"] = toString;
    table["Math.add"] = add;
    table["Math.subtract"] = arithmetic<0>;
    table["Math.multiply"] = arithmetic<1>;
    table["Math.divide"] = arithmetic<2>;
    table["Math.exponentiation"] = arithmetic<3>;
    table["Math.floor"] = rounding<0>;
    table["Math.ceil"] = rounding<1>;
    table["Math.round"] = rounding<2>;
    table["Math.max"] = extremum<true>;
    table["Math.min"] = extremum<false>;
    table["Math.random"] = random;
}

} // namespace flowdeck::jst
