// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/tasks/JsValue.h"

#include <QString>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>

namespace flowdeck::tasks {

using nlohmann::json;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

bool isJsWhitespace(std::string_view s, std::size_t i, std::size_t &width)
{
    const auto c = static_cast<unsigned char>(s[i]);
    if (c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r') {
        width = 1;
        return true;
    }
    // U+00A0, U+FEFF, U+2028, U+2029 and the U+2000..U+200A spaces, as UTF-8.
    auto at = [&](std::size_t k) { return k < s.size() ? static_cast<unsigned char>(s[k]) : 0u; };
    if (c == 0xC2 && at(i + 1) == 0xA0) {
        width = 2;
        return true;
    }
    if (c == 0xEF && at(i + 1) == 0xBB && at(i + 2) == 0xBF) {
        width = 3;
        return true;
    }
    if (c == 0xE2 && at(i + 1) == 0x80 &&
        (at(i + 2) <= 0x8A || at(i + 2) == 0xA8 || at(i + 2) == 0xA9 || at(i + 2) == 0xAF)) {
        width = 3;
        return at(i + 2) >= 0x80;
    }
    if (c == 0xE3 && at(i + 1) == 0x80 && at(i + 2) == 0x80) {
        width = 3;
        return true;
    }
    if (c == 0xE1 && at(i + 1) == 0x9A && at(i + 2) == 0x80) {
        width = 3;
        return true;
    }
    return false;
}

std::string_view trimJs(std::string_view s)
{
    std::size_t start = 0;
    std::size_t width = 0;
    while (start < s.size() && isJsWhitespace(s, start, width))
        start += width;
    std::size_t end = s.size();
    while (end > start) {
        // Step back over one UTF-8 character and test it.
        std::size_t k = end - 1;
        while (k > start && (static_cast<unsigned char>(s[k]) & 0xC0) == 0x80)
            --k;
        if (!isJsWhitespace(s, k, width) || k + width != end)
            break;
        end = k;
    }
    return s.substr(start, end - start);
}

double parseRadixDigits(std::string_view digits, int radix)
{
    if (digits.empty())
        return kNaN;
    double value = 0;
    for (char ch : digits) {
        int d = -1;
        if (ch >= '0' && ch <= '9')
            d = ch - '0';
        else if (ch >= 'a' && ch <= 'z')
            d = ch - 'a' + 10;
        else if (ch >= 'A' && ch <= 'Z')
            d = ch - 'A' + 10;
        if (d < 0 || d >= radix)
            return kNaN;
        value = value * radix + d;
    }
    return value;
}

// The digits of a StrUnsignedDecimalLiteral: digits [. digits] | . digits, then an exponent.
bool isDecimalLiteral(std::string_view s)
{
    std::size_t i = 0;
    std::size_t intDigits = 0;
    std::size_t fracDigits = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
        ++i;
        ++intDigits;
    }
    if (i < s.size() && s[i] == '.') {
        ++i;
        while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
            ++i;
            ++fracDigits;
        }
    }
    if (intDigits + fracDigits == 0)
        return false;
    if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
        ++i;
        if (i < s.size() && (s[i] == '+' || s[i] == '-'))
            ++i;
        std::size_t expDigits = 0;
        while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
            ++i;
            ++expDigits;
        }
        if (expDigits == 0)
            return false;
    }
    return i == s.size();
}

std::string jsonQuote(const std::string &s)
{
    std::string out = "\"";
    for (char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        switch (ch) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\b':
            out += "\\b";
            break;
        case '\f':
            out += "\\f";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        default:
            if (c < 0x20) {
                static const char hex[] = "0123456789abcdef";
                out += "\\u00";
                out += hex[c >> 4];
                out += hex[c & 0xF];
            } else {
                out += ch;
            }
        }
    }
    out += '"';
    return out;
}

// ToPrimitive for JSON values: arrays and objects become their String() form.
JsValue toPrimitive(const JsValue &v)
{
    if (v && (v->is_array() || v->is_object()))
        return json(jsToString(v));
    return v;
}

bool isNullish(const JsValue &v)
{
    return !v || v->is_null();
}

} // namespace

std::string jsTypeName(const JsValue &v)
{
    if (!v)
        return "undefined";
    switch (v->type()) {
    case json::value_t::null:
        return "null";
    case json::value_t::boolean:
        return "boolean";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
    case json::value_t::number_float:
        return "number";
    case json::value_t::string:
        return "string";
    case json::value_t::array:
        return "array";
    default:
        return "object";
    }
}

std::string jsNumberToString(double d)
{
    if (std::isnan(d))
        return "NaN";
    if (d == 0)
        return "0";
    if (std::isinf(d))
        return d < 0 ? "-Infinity" : "Infinity";
    if (d < 0)
        return "-" + jsNumberToString(-d);

    // Shortest round-trip digits, then ECMA-262 Number::toString's layout rules.
    char buf[64];
    const auto res = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::scientific);
    const std::string sci(buf, res.ptr);
    const auto ePos = sci.find('e');
    std::string digits = sci.substr(0, ePos);
    digits.erase(std::remove(digits.begin(), digits.end(), '.'), digits.end());
    const int k = static_cast<int>(digits.size());
    const int n = std::stoi(sci.substr(ePos + 1)) + 1;

    if (k <= n && n <= 21)
        return digits + std::string(static_cast<std::size_t>(n - k), '0');
    if (0 < n && n <= 21)
        return digits.substr(0, static_cast<std::size_t>(n)) + "." +
               digits.substr(static_cast<std::size_t>(n));
    if (-6 < n && n <= 0)
        return "0." + std::string(static_cast<std::size_t>(-n), '0') + digits;
    const int e = n - 1;
    std::string out = digits.substr(0, 1);
    if (k > 1)
        out += "." + digits.substr(1);
    out += e < 0 ? "e-" : "e+";
    out += std::to_string(std::abs(e));
    return out;
}

std::string jsNumberToString(const json &number)
{
    if (number.is_number_integer() || number.is_number_unsigned())
        return number.dump();
    return jsNumberToString(number.get<double>());
}

std::string jsNumberToRadixString(double value, int radix)
{
    if (radix == 10 || std::isnan(value) || std::isinf(value) || value == 0)
        return jsNumberToString(value);

    // V8's DoubleToRadixCString: digits are generated only up to the input's precision, with
    // round-half-even on the last one, so (0.1).toString(2) matches Node exactly.
    static const char chars[] = "0123456789abcdefghijklmnopqrstuvwxyz";
    constexpr int kBufferSize = 2200;
    char buffer[kBufferSize];
    int integerCursor = kBufferSize / 2;
    int fractionCursor = integerCursor;

    const bool negative = value < 0;
    if (negative)
        value = -value;

    double integer = std::floor(value);
    double fraction = value - integer;
    double delta = 0.5 * (std::nextafter(value, std::numeric_limits<double>::infinity()) - value);
    delta = std::max(std::nextafter(0.0, 1.0), delta);
    if (fraction > delta) {
        buffer[fractionCursor++] = '.';
        do {
            fraction *= radix;
            delta *= radix;
            const int digit = static_cast<int>(fraction);
            buffer[fractionCursor++] = chars[digit];
            fraction -= digit;
            if (fraction > 0.5 || (fraction == 0.5 && (digit & 1))) {
                if (fraction + delta > 1) {
                    // Round up, carrying through digits already written.
                    while (true) {
                        fractionCursor--;
                        if (fractionCursor == kBufferSize / 2) {
                            integer += 1;
                            break;
                        }
                        const char c = buffer[fractionCursor];
                        const int d = c > '9' ? (c - 'a' + 10) : (c - '0');
                        if (d + 1 < radix) {
                            buffer[fractionCursor++] = chars[d + 1];
                            break;
                        }
                    }
                    break;
                }
            }
        } while (fraction > delta);
    }

    // Digits beyond 2^53 are not represented in the double: V8 writes them as zeros.
    while (integer / radix >= 9007199254740992.0) {
        integer /= radix;
        buffer[--integerCursor] = '0';
    }
    do {
        const double remainder = std::fmod(integer, radix);
        buffer[--integerCursor] = chars[static_cast<int>(remainder)];
        integer = (integer - remainder) / radix;
    } while (integer > 0);

    if (negative)
        buffer[--integerCursor] = '-';
    return std::string(buffer + integerCursor, buffer + fractionCursor);
}

std::string jsToString(const JsValue &v)
{
    if (!v)
        return "undefined";
    switch (v->type()) {
    case json::value_t::null:
        return "null";
    case json::value_t::boolean:
        return v->get<bool>() ? "true" : "false";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
    case json::value_t::number_float:
        return jsNumberToString(*v);
    case json::value_t::string:
        return v->get<std::string>();
    case json::value_t::array: {
        std::string out;
        bool first = true;
        for (const auto &element : *v) {
            if (!first)
                out += ',';
            first = false;
            if (!element.is_null())
                out += jsToString(element);
        }
        return out;
    }
    default:
        return "[object Object]";
    }
}

std::string jsJsonStringify(const json &v)
{
    switch (v.type()) {
    case json::value_t::string:
        return jsonQuote(v.get<std::string>());
    case json::value_t::number_float: {
        const double d = v.get<double>();
        return std::isfinite(d) ? jsNumberToString(d) : "null";
    }
    case json::value_t::array: {
        std::string out = "[";
        bool first = true;
        for (const auto &element : v) {
            if (!first)
                out += ',';
            first = false;
            out += jsJsonStringify(element);
        }
        return out + "]";
    }
    case json::value_t::object: {
        std::string out = "{";
        bool first = true;
        for (const auto &[key, element] : v.items()) {
            if (!first)
                out += ',';
            first = false;
            out += jsonQuote(key) + ":" + jsJsonStringify(element);
        }
        return out + "}";
    }
    case json::value_t::discarded:
        return "null";
    default:
        return v.dump();
    }
}

double jsStringToNumber(std::string_view raw)
{
    const std::string_view s = trimJs(raw);
    if (s.empty())
        return 0;
    if (s.size() > 2 && s[0] == '0') {
        const char p = s[1];
        if (p == 'x' || p == 'X')
            return parseRadixDigits(s.substr(2), 16);
        if (p == 'o' || p == 'O')
            return parseRadixDigits(s.substr(2), 8);
        if (p == 'b' || p == 'B')
            return parseRadixDigits(s.substr(2), 2);
    }
    std::string_view body = s;
    double sign = 1;
    if (body[0] == '+' || body[0] == '-') {
        sign = body[0] == '-' ? -1 : 1;
        body.remove_prefix(1);
    }
    if (body == "Infinity")
        return sign * std::numeric_limits<double>::infinity();
    if (!isDecimalLiteral(body))
        return kNaN;
    double d = 0;
    const auto res = std::from_chars(body.data(), body.data() + body.size(), d);
    if (res.ec == std::errc::result_out_of_range) {
        // from_chars refuses overflow and underflow; JavaScript saturates.
        const bool tiny = body.find_first_of("123456789") == std::string_view::npos ||
                          body.find("e-") != std::string_view::npos ||
                          body.find("E-") != std::string_view::npos;
        return sign * (tiny ? 0.0 : std::numeric_limits<double>::infinity());
    }
    return sign * d;
}

double jsToNumber(const JsValue &v)
{
    if (!v)
        return kNaN;
    switch (v->type()) {
    case json::value_t::null:
        return 0;
    case json::value_t::boolean:
        return v->get<bool>() ? 1 : 0;
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
    case json::value_t::number_float:
        return v->get<double>();
    case json::value_t::string:
        return jsStringToNumber(v->get_ref<const std::string &>());
    case json::value_t::array:
        return jsStringToNumber(jsToString(v));
    default:
        return kNaN;
    }
}

double jsToIntegerOrInfinity(double d)
{
    if (std::isnan(d))
        return 0;
    return std::trunc(d) + 0.0; // + 0.0 turns -0 into 0
}

bool jsTruthy(const JsValue &v)
{
    if (!v)
        return false;
    switch (v->type()) {
    case json::value_t::null:
        return false;
    case json::value_t::boolean:
        return v->get<bool>();
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
    case json::value_t::number_float: {
        const double d = v->get<double>();
        return d != 0 && !std::isnan(d);
    }
    case json::value_t::string:
        return !v->get_ref<const std::string &>().empty();
    default:
        return true;
    }
}

bool jsLooseEquals(const JsValue &a, const JsValue &b)
{
    if (isNullish(a) || isNullish(b))
        return isNullish(a) && isNullish(b);
    const json &x = *a;
    const json &y = *b;
    if (x.is_number() && y.is_number())
        return x.get<double>() == y.get<double>();
    if (x.is_string() && y.is_string())
        return x == y;
    if (x.is_boolean() && y.is_boolean())
        return x == y;
    if ((x.is_array() && y.is_array()) || (x.is_object() && y.is_object()))
        return x == y;
    if (x.is_boolean())
        return jsLooseEquals(json(x.get<bool>() ? 1 : 0), b);
    if (y.is_boolean())
        return jsLooseEquals(a, json(y.get<bool>() ? 1 : 0));
    if (x.is_number() && y.is_string())
        return x.get<double>() == jsStringToNumber(y.get_ref<const std::string &>());
    if (x.is_string() && y.is_number())
        return jsStringToNumber(x.get_ref<const std::string &>()) == y.get<double>();
    if (x.is_structured() && !y.is_structured())
        return jsLooseEquals(toPrimitive(a), b);
    if (!x.is_structured() && y.is_structured())
        return jsLooseEquals(a, toPrimitive(b));
    return false;
}

bool jsStrictEquals(const JsValue &a, const JsValue &b)
{
    if (!a || !b)
        return !a && !b;
    if (a->is_number() && b->is_number())
        return a->get<double>() == b->get<double>();
    if (jsTypeName(a) != jsTypeName(b))
        return false;
    return *a == *b;
}

bool jsSameValueZero(const JsValue &a, const JsValue &b)
{
    if (a && b && a->is_number_float() && b->is_number_float() && std::isnan(a->get<double>()) &&
        std::isnan(b->get<double>()))
        return true;
    return jsStrictEquals(a, b);
}

bool jsCompare(const JsValue &a, const JsValue &b, JsRelation relation)
{
    const JsValue px = toPrimitive(a);
    const JsValue py = toPrimitive(b);
    // Tri-state "x < y": -1 undefined (NaN involved), 0 false, 1 true.
    auto lessThan = [](const JsValue &l, const JsValue &r) -> int {
        if (l && r && l->is_string() && r->is_string()) {
            const QString ls = QString::fromStdString(l->get<std::string>());
            const QString rs = QString::fromStdString(r->get<std::string>());
            return QString::compare(ls, rs, Qt::CaseSensitive) < 0 ? 1 : 0;
        }
        const double ln = jsToNumber(l);
        const double rn = jsToNumber(r);
        if (std::isnan(ln) || std::isnan(rn))
            return -1;
        return ln < rn ? 1 : 0;
    };
    switch (relation) {
    case JsRelation::Less:
        return lessThan(px, py) == 1;
    case JsRelation::Greater:
        return lessThan(py, px) == 1;
    case JsRelation::LessOrEqual:
        return lessThan(py, px) == 0;
    case JsRelation::GreaterOrEqual:
        return lessThan(px, py) == 0;
    }
    return false;
}

std::int64_t jsStringLength(const std::string &s)
{
    return QString::fromStdString(s).size();
}

} // namespace flowdeck::tasks
