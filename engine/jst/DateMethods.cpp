// SPDX-License-Identifier: GPL-3.0-or-later
// Date library over QDateTime. The platform's Node.js runs in UTC in every deployment we
// target, so "local" getters and date-time strings without an offset are UTC (docs/jst.md,
// "Dates"); results therefore do not depend on the host's time zone.
#include "engine/jst/JstMethods.h"

#include <QDateTime>
#include <QTimeZone>

#include <cmath>
#include <limits>

namespace flowdeck::jst {

namespace {

using nlohmann::json;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double timeClip(double ms)
{
    if (!std::isfinite(ms) || std::fabs(ms) > 8.64e15)
        return kNaN;
    return std::trunc(ms) + 0.0;
}

// Date.parse: ISO 8601 as ECMAScript defines it (date-only forms are UTC; so are date-times
// without an offset, the zone being UTC), then RFC 2822 as Node.js also accepts.
double parseDate(const std::string &text)
{
    const QString s = QString::fromStdString(text).trimmed();
    QDateTime t = QDateTime::fromString(s, Qt::ISODateWithMs);
    if (!t.isValid()) {
        // Qt reads RFC 2822 offsets as +hhmm only; Node also takes the zone names GMT and UTC.
        QString rfc = s;
        if (rfc.endsWith(QStringLiteral(" GMT")) || rfc.endsWith(QStringLiteral(" UTC")))
            rfc = rfc.left(rfc.size() - 4) + QStringLiteral(" +0000");
        t = QDateTime::fromString(rfc, Qt::RFC2822Date);
    }
    if (!t.isValid())
        return kNaN;
    if (t.timeSpec() == Qt::LocalTime)
        t.setTimeZone(QTimeZone::utc());
    return static_cast<double>(t.toMSecsSinceEpoch());
}

// MakeDate from components, overflowing as JavaScript does (month 12 is January next year).
double fromComponents(MethodContext &ctx)
{
    double parts[7] = {kNaN, 0, 1, 0, 0, 0, 0};
    for (std::size_t i = 0; i < 7; ++i) {
        if (i < ctx.args.size() && !(i > 1 && ctx.arg(i).isUndefined()))
            parts[i] = toNumber(ctx.arg(i));
        if (!std::isfinite(parts[i]))
            return kNaN;
        parts[i] = std::trunc(parts[i]);
    }
    if (parts[0] >= 0 && parts[0] <= 99)
        parts[0] += 1900;
    const double ym = parts[0] + std::floor(parts[1] / 12);
    const double mn =
        std::fmod(parts[1], 12) + (parts[1] < 0 && std::fmod(parts[1], 12) != 0 ? 12 : 0);
    if (std::fabs(ym) > 400000)
        return kNaN;
    const QDate first(static_cast<int>(ym), static_cast<int>(mn) + 1, 1);
    const double days = static_cast<double>(QDate(1970, 1, 1).daysTo(first)) + parts[2] - 1;
    return timeClip(days * 86400000.0 + parts[3] * 3600000.0 + parts[4] * 60000.0 +
                    parts[5] * 1000.0 + parts[6]);
}

double now()
{
    return static_cast<double>(QDateTime::currentMSecsSinceEpoch());
}

// new Date(): #0 now, #2 from one value (a Date, milliseconds or a date string), #3 from
// components (year, monthIndex, day, hours, minutes, seconds, ms).
Result<Value> newDate(MethodContext &ctx)
{
    switch (ctx.node.polymorphIndex) {
    case 0:
        return Value::ofDate(now());
    case 3:
        return Value::ofDate(fromComponents(ctx));
    default:
        break;
    }
    const Value &v = ctx.arg(0);
    if (v.isDate())
        return Value::ofDate(*v.date);
    if (v.isString())
        return Value::ofDate(parseDate(v.str()));
    return Value::ofDate(timeClip(toNumber(v)));
}

Result<Value> dateNow(MethodContext &)
{
    return Value(jsNumber(now()));
}

Result<Value> dateParse(MethodContext &ctx)
{
    return Value(jsNumber(parseDate(toString(ctx.arg(0)))));
}

Result<double> thisDate(MethodContext &ctx)
{
    if (!ctx.arg(0).isDate())
        return ctx.fail("this is not a Date object (got " + tasks::jsTypeName(ctx.arg(0).js) + ")");
    return *ctx.arg(0).date;
}

Result<Value> getTime(MethodContext &ctx)
{
    auto ms = thisDate(ctx);
    if (!ms)
        return ms.error();
    return Value(jsNumber(*ms));
}

Result<Value> toISOString(MethodContext &ctx)
{
    auto ms = thisDate(ctx);
    if (!ms)
        return ms.error();
    const std::string iso = dateToIso(*ms);
    if (iso.empty())
        return ctx.fail("Invalid time value");
    return Value(json(iso));
}

Result<Value> toDateString(MethodContext &ctx)
{
    auto ms = thisDate(ctx);
    if (!ms)
        return ms.error();
    const std::string s = dateToString(*ms);
    return Value(json(s == "Invalid Date" ? s : s.substr(0, 15)));
}

template <int Field>
Result<Value> getField(MethodContext &ctx)
{
    auto ms = thisDate(ctx);
    if (!ms)
        return ms.error();
    if (dateToIso(*ms).empty())
        return Value(jsNumber(kNaN));
    const QDateTime t = QDateTime::fromMSecsSinceEpoch(static_cast<qint64>(*ms), QTimeZone::utc());
    switch (Field) {
    case 0:
        return Value(json(t.date().day()));
    case 1:
        return Value(json(t.date().month() - 1));
    case 2:
        return Value(json(t.date().year()));
    case 3:
        return Value(json(t.date().dayOfWeek() % 7));
    case 4:
        return Value(json(t.time().hour()));
    case 5:
        return Value(json(t.time().minute()));
    default:
        return Value(json(t.time().second()));
    }
}

} // namespace

void registerDateMethods(MethodTable &table)
{
    table["Date.new Date"] = newDate;
    table["Date.now"] = dateNow;
    table["Date.parse"] = dateParse;
    table["Date.getTime"] = getTime;
    table["Date.toISOString"] = toISOString;
    table["Date.toDateString"] = toDateString;
    table["Date.getDate"] = getField<0>;
    table["Date.getMonth"] = getField<1>;
    table["Date.getFullYear"] = getField<2>;
    table["Date.getDay"] = getField<3>;
    table["Date.getHours"] = getField<4>;
    table["Date.getMinutes"] = getField<5>;
    table["Date.getSeconds"] = getField<6>;
}

} // namespace flowdeck::jst
