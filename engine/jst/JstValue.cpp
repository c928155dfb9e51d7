// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/jst/JstValue.h"

#include <QDateTime>
#include <QString>
#include <QTimeZone>

#include <cmath>
#include <cstdlib>

namespace flowdeck::jst {

using nlohmann::json;

Value Value::ofRegExp(std::shared_ptr<const RegExp> re)
{
    Value v(json::object());
    v.regexp = std::move(re);
    return v;
}

Value Value::ofDate(double ms)
{
    const std::string iso = dateToIso(ms);
    Value v(iso.empty() ? json(nullptr) : json(iso));
    v.date = ms;
    return v;
}

std::string dateToIso(double ms)
{
    // ±8.64e15 ms is the range of a JavaScript Date.
    if (!std::isfinite(ms) || std::fabs(ms) > 8.64e15)
        return {};
    const QDateTime t = QDateTime::fromMSecsSinceEpoch(static_cast<qint64>(ms), QTimeZone::utc());
    return t.toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss.zzzZ")).toStdString();
}

std::string dateToString(double ms)
{
    if (dateToIso(ms).empty())
        return "Invalid Date";
    const QDateTime t = QDateTime::fromMSecsSinceEpoch(static_cast<qint64>(ms), QTimeZone::utc());
    // English names whatever the system locale, as V8 prints them.
    static const char *const kDays[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    static const char *const kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    const QDate d = t.date();
    return std::string(kDays[d.dayOfWeek() - 1]) + " " + kMonths[d.month() - 1] + " " +
           QString::asprintf("%02d %04d ", d.day(), d.year()).toStdString() +
           t.time().toString(QStringLiteral("HH:mm:ss")).toStdString() +
           " GMT+0000 (Coordinated Universal Time)";
}

json jsNumber(double d)
{
    constexpr double kMaxSafe = 9007199254740992.0; // 2^53
    if (std::isfinite(d) && std::trunc(d) == d && std::fabs(d) <= kMaxSafe &&
        !(d == 0 && std::signbit(d)))
        return json(static_cast<std::int64_t>(d));
    return json(d);
}

double toNumber(const Value &v)
{
    if (v.date)
        return *v.date;
    return tasks::jsToNumber(v.js);
}

std::string toString(const Value &v)
{
    if (v.regexp)
        return "/" + v.regexp->source() + "/" + v.regexp->flags();
    if (v.date)
        return dateToString(*v.date);
    return tasks::jsToString(v.js);
}

bool truthy(const Value &v)
{
    return v.regexp || v.date || tasks::jsTruthy(v.js);
}

bool looseEquals(const Value &a, const Value &b)
{
    if (a.regexp || b.regexp)
        return a.regexp == b.regexp;
    if (a.date && b.date)
        return *a.date == *b.date; // by value: JSON has no identity to compare
    if (a.date || b.date) {
        // A Date against a primitive compares its string form (ToPrimitive hint "default").
        const Value &d = a.date ? a : b;
        const Value &o = a.date ? b : a;
        return !o.isUndefined() && !o.isObject() && !o.isArray() &&
               tasks::jsLooseEquals(json(dateToString(*d.date)), o.js);
    }
    return tasks::jsLooseEquals(a.js, b.js);
}

bool strictEquals(const Value &a, const Value &b)
{
    if (a.regexp || b.regexp)
        return a.regexp == b.regexp;
    if (a.date || b.date)
        return a.date && b.date && *a.date == *b.date;
    return tasks::jsStrictEquals(a.js, b.js);
}

std::string typeOf(const Value &v)
{
    if (!v.js)
        return "undefined";
    if (v.date || v.regexp)
        return "object";
    if (v.js->is_boolean())
        return "boolean";
    if (v.js->is_number())
        return "number";
    if (v.js->is_string())
        return "string";
    return "object";
}

namespace {

std::optional<std::size_t> arrayIndex(const std::string &key)
{
    if (key.empty() || key.size() > 15 || (key.size() > 1 && key[0] == '0'))
        return std::nullopt;
    for (const char c : key)
        if (c < '0' || c > '9')
            return std::nullopt;
    return static_cast<std::size_t>(std::strtoull(key.c_str(), nullptr, 10));
}

} // namespace

Value member(const Value &v, const std::string &key)
{
    if (!v.js || v.regexp || v.date)
        return {};
    const json &j = *v.js;
    if (j.is_object()) {
        const auto it = j.find(key);
        return it == j.end() ? Value() : Value(*it);
    }
    if (j.is_array()) {
        if (key == "length")
            return Value(json(j.size()));
        const auto index = arrayIndex(key);
        return index && *index < j.size() ? Value(j[*index]) : Value();
    }
    if (j.is_string()) {
        const QString s = QString::fromStdString(j.get<std::string>());
        if (key == "length")
            return Value(json(s.size()));
        const auto index = arrayIndex(key);
        if (index && *index < static_cast<std::size_t>(s.size()))
            return Value(json(QString(s.at(static_cast<qsizetype>(*index))).toStdString()));
    }
    return {};
}

Value valueAt(const Value &v, const std::vector<std::string> &tokens, std::size_t from)
{
    if (from >= tokens.size())
        return v;
    // Walk without copying: only the value found is copied (a callback reading one field of a
    // large element must not copy the element).
    if (!v.js || v.regexp || v.date)
        return {};
    const json *at = &*v.js;
    for (std::size_t i = from; i < tokens.size(); ++i) {
        // JSON pointers address members and elements only (a string's "length" is not data).
        if (at->is_object()) {
            const auto it = at->find(tokens[i]);
            if (it == at->end())
                return {};
            at = &*it;
        } else if (at->is_array()) {
            const auto index = arrayIndex(tokens[i]);
            if (!index || *index >= at->size())
                return {};
            at = &(*at)[*index];
        } else {
            return {};
        }
    }
    return Value(*at);
}

void writeAt(json &target, const std::vector<std::string> &tokens, std::size_t from, json value)
{
    json *at = &target;
    for (std::size_t i = from; i < tokens.size(); ++i) {
        const std::string &token = tokens[i];
        if (at->is_array()) {
            const auto index = arrayIndex(token);
            if (token == "-" || index) {
                const std::size_t n = token == "-" ? at->size() : *index;
                while (at->size() <= n)
                    at->push_back(nullptr);
                at = &(*at)[n];
                continue;
            }
            *at = json::object();
        } else if (!at->is_object()) {
            *at = json::object();
        }
        at = &(*at)[token];
    }
    *at = std::move(value);
}

} // namespace flowdeck::jst
