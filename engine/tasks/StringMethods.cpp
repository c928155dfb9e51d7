// SPDX-License-Identifier: GPL-3.0-or-later
// stringLength, split, substring, stringConcat, numberToString. JavaScript strings are UTF-16,
// so lengths and indexes are counted in UTF-16 code units through QString.

#include "engine/tasks/MethodSupport.h"

#include <QString>

#include <algorithm>
#include <cmath>

namespace flowdeck::tasks::detail {

using nlohmann::json;

namespace {

QString qs(const std::string &s)
{
    return QString::fromStdString(s);
}

/// ToUint32, for split's limit.
std::uint32_t toUint32(double d)
{
    if (!std::isfinite(d))
        return 0;
    const double m = std::fmod(std::trunc(d), 4294967296.0);
    return static_cast<std::uint32_t>(m < 0 ? m + 4294967296.0 : m);
}

/// A String.prototype.substring index: ToIntegerOrInfinity of a number, string, null or
/// boolean (NaN → 0), clamped to [0, length].
Result<qsizetype> substringIndex(const char *name, const JsValue &v, qsizetype length)
{
    if (v && v->is_structured())
        return Error::invalid(std::string("substring: \"") + name + "\" must be a number, got " +
                              jsTypeName(v));
    const double d = jsToIntegerOrInfinity(jsToNumber(v));
    return static_cast<qsizetype>(std::clamp(d, 0.0, static_cast<double>(length)));
}

} // namespace

MethodResult stringLength(const MethodContext &ctx)
{
    const JsValue str = input(ctx, "str");
    if (!str || !str->is_string())
        return typeError("stringLength", "str", "a string", str);
    return success("length", jsStringLength(str->get<std::string>()));
}

MethodResult split(const MethodContext &ctx)
{
    const JsValue str = input(ctx, "str");
    if (!str || !str->is_string())
        return typeError("split", "str", "a string", str);
    std::uint32_t limit = 4294967295U;
    const JsValue limitInput = input(ctx, "limit");
    if (supplied(limitInput)) {
        if (!limitInput->is_number() && !limitInput->is_string())
            return typeError("split", "limit", "a number", limitInput);
        limit = toUint32(jsToNumber(limitInput));
    }
    json parts = json::array();
    if (limit == 0)
        return success("splitArray", parts);
    const JsValue separatorInput = input(ctx, "separator");
    if (!separatorInput) {
        parts.push_back(*str);
        return success("splitArray", parts);
    }
    const QString s = qs(str->get<std::string>());
    const QString separator = qs(jsToString(separatorInput));
    if (separator.isEmpty()) {
        for (qsizetype i = 0; i < s.size() && parts.size() < limit; ++i)
            parts.push_back(QString(s.at(i)).toStdString());
        return success("splitArray", parts);
    }
    qsizetype p = 0;
    for (qsizetype q = s.indexOf(separator, p); q >= 0; q = s.indexOf(separator, p)) {
        parts.push_back(s.mid(p, q - p).toStdString());
        if (parts.size() == limit)
            return success("splitArray", parts);
        p = q + separator.size();
    }
    parts.push_back(s.mid(p).toStdString());
    return success("splitArray", parts);
}

MethodResult substring(const MethodContext &ctx)
{
    const JsValue str = input(ctx, "str");
    if (!str || !str->is_string())
        return typeError("substring", "str", "a string", str);
    const QString s = qs(str->get<std::string>());
    auto start = substringIndex("indexStart", input(ctx, "indexStart"), s.size());
    if (!start.ok())
        return MethodResult::error(start.error().message);
    const JsValue endInput = input(ctx, "indexEnd");
    auto end = supplied(endInput) ? substringIndex("indexEnd", endInput, s.size())
                                  : Result<qsizetype>(s.size());
    if (!end.ok())
        return MethodResult::error(end.error().message);
    const qsizetype from = std::min(start.value(), end.value());
    const qsizetype to = std::max(start.value(), end.value());
    return success("substring", s.mid(from, to - from).toStdString());
}

MethodResult stringConcat(const MethodContext &ctx)
{
    const JsValue str = input(ctx, "str");
    if (!str || !str->is_string())
        return typeError("stringConcat", "str", "a string", str);
    std::string out = str->get<std::string>();
    const JsValue more = input(ctx, "stringN");
    // An array is spread, as str.concat(...stringN); an absent stringN appends nothing.
    if (more && more->is_array()) {
        for (const auto &element : *more)
            out += jsToString(element);
    } else if (more) {
        out += jsToString(more);
    }
    return success("combinedStrings", out);
}

MethodResult numberToString(const MethodContext &ctx)
{
    const JsValue num = input(ctx, "num");
    if (!num || !num->is_number())
        return typeError("numberToString", "num", "a number", num);
    int radix = 10;
    const JsValue radixInput = input(ctx, "radix");
    if (supplied(radixInput)) {
        auto r = integerArgument("numberToString", "radix", radixInput);
        if (!r.ok())
            return MethodResult::error(r.error().message);
        if (r.value() < 2 || r.value() > 36)
            return inputError("numberToString", "radix",
                              "must be between 2 and 36, got " + jsNumberToString(r.value()));
        radix = static_cast<int>(r.value());
    }
    if (radix == 10)
        return success("numToString", jsNumberToString(*num));
    return success("numToString", jsNumberToRadixString(num->get<double>(), radix));
}

} // namespace flowdeck::tasks::detail
