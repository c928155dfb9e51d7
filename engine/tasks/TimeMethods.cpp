// SPDX-License-Identifier: GPL-3.0-or-later
// getTime and calculateTimeDiff. Itential formats times with moment.js; getTime understands
// moment's common format tokens, and both read times as ISO 8601 or epoch milliseconds. The
// engine clock comes from the context, never the wall clock, so results are reproducible.

#include "engine/tasks/MethodSupport.h"

#include <QDateTime>
#include <QRegularExpression>
#include <QTimeZone>

#include <array>
#include <cmath>

namespace flowdeck::tasks::detail {

using nlohmann::json;

namespace {

QString qs(const std::string &s)
{
    return QString::fromStdString(s);
}

/// "+05:30" for 19800 seconds; "Z" when asked for zero in ISO form.
QString offsetText(int seconds, bool colon)
{
    const QChar sign = seconds < 0 ? QLatin1Char('-') : QLatin1Char('+');
    const int minutes = std::abs(seconds) / 60;
    return sign + QStringLiteral("%1").arg(minutes / 60, 2, 10, QLatin1Char('0')) +
           (colon ? QStringLiteral(":") : QString()) +
           QStringLiteral("%1").arg(minutes % 60, 2, 10, QLatin1Char('0'));
}

/// The UTC offset in seconds that `timezone` names at `instant`.
Result<int> parseTimezone(const JsValue &timezone, const QDateTime &instant)
{
    if (!supplied(timezone))
        return 0;
    if (!timezone->is_string())
        return Error::invalid("getTime: \"timezone\" must be a string, got " +
                              jsTypeName(timezone));
    const QString text = qs(timezone->get<std::string>()).trimmed();
    if (text == QStringLiteral("Z") ||
        text.compare(QStringLiteral("UTC"), Qt::CaseInsensitive) == 0 ||
        text.compare(QStringLiteral("GMT"), Qt::CaseInsensitive) == 0)
        return 0;
    static const QRegularExpression offset(QStringLiteral("^([+-])(\\d{1,2}):?(\\d{2})?$"));
    const auto m = offset.match(text);
    if (m.hasMatch()) {
        const int hours = m.captured(2).toInt();
        const int minutes = m.captured(3).isEmpty() ? 0 : m.captured(3).toInt();
        if (hours > 14 || minutes > 59)
            return Error::invalid("getTime: \"timezone\" offset out of range: \"" +
                                  timezone->get<std::string>() + "\"");
        const int seconds = (hours * 60 + minutes) * 60;
        return m.captured(1) == QStringLiteral("-") ? -seconds : seconds;
    }
    const QTimeZone zone(text.toUtf8());
    if (zone.isValid())
        return zone.offsetFromUtc(instant);
    return Error::invalid("getTime: \"timezone\" must be a UTC offset like \"-04:00\" or a time "
                          "zone name like \"America/New_York\", got \"" +
                          timezone->get<std::string>() + "\"");
}

/// Adds a moment-style duration object ({"hours": 2, "days": -1, …}) to `time`.
Result<QDateTime> addDuration(const JsValue &duration, QDateTime time)
{
    if (!supplied(duration))
        return time;
    if (!duration->is_object())
        return Error::invalid("getTime: \"offsetDuration\" must be an object like {\"hours\": 2}, "
                              "got " +
                              jsTypeName(duration));
    struct Unit
    {
        const char *names[3];
        double ms; ///< 0 for calendar units
    };
    static const std::array<Unit, 8> units = {{
        {{"years", "year", "y"}, 0},
        {{"months", "month", "M"}, 0},
        {{"weeks", "week", "w"}, 7 * 86400000.0},
        {{"days", "day", "d"}, 86400000.0},
        {{"hours", "hour", "h"}, 3600000.0},
        {{"minutes", "minute", "m"}, 60000.0},
        {{"seconds", "second", "s"}, 1000.0},
        {{"milliseconds", "millisecond", "ms"}, 1.0},
    }};
    double ms = 0;
    for (const auto &[key, value] : duration->items()) {
        const Unit *unit = nullptr;
        for (const auto &u : units) {
            if (key == u.names[0] || key == u.names[1] || key == u.names[2])
                unit = &u;
        }
        if (!unit)
            return Error::invalid("getTime: \"offsetDuration\" has an unknown unit \"" + key +
                                  "\" (years, months, weeks, days, hours, minutes, seconds, "
                                  "milliseconds)");
        const double amount = jsToNumber(value);
        if (!value.is_number() && !value.is_string())
            return Error::invalid("getTime: \"offsetDuration." + key + "\" must be a number, got " +
                                  jsTypeName(value));
        if (!std::isfinite(amount))
            return Error::invalid("getTime: \"offsetDuration." + key + "\" must be a number");
        if (unit->ms == 0) {
            if (amount != std::trunc(amount))
                return Error::invalid("getTime: \"offsetDuration." + key +
                                      "\" must be a whole number");
            time = unit->names[0] == std::string_view("years")
                       ? time.addYears(static_cast<int>(amount))
                       : time.addMonths(static_cast<int>(amount));
        } else {
            ms += amount * unit->ms;
        }
    }
    return time.addMSecs(static_cast<qint64>(std::llround(ms)));
}

QString pad(qint64 n, int width)
{
    return QStringLiteral("%1").arg(n, width, 10, QLatin1Char('0'));
}

/// moment.js format tokens: YYYY YY M MM MMM MMMM D DD Do d ddd dddd H HH h hh m mm s ss SSS
/// A a Z ZZ X x, and [literal text].
QString formatMoment(const QString &format, const QDateTime &t)
{
    static const QStringList tokens = {
        QStringLiteral("YYYY"), QStringLiteral("MMMM"), QStringLiteral("dddd"),
        QStringLiteral("MMM"),  QStringLiteral("ddd"),  QStringLiteral("SSS"),
        QStringLiteral("YY"),   QStringLiteral("MM"),   QStringLiteral("DD"),
        QStringLiteral("Do"),   QStringLiteral("HH"),   QStringLiteral("hh"),
        QStringLiteral("mm"),   QStringLiteral("ss"),   QStringLiteral("ZZ"),
        QStringLiteral("M"),    QStringLiteral("D"),    QStringLiteral("d"),
        QStringLiteral("H"),    QStringLiteral("h"),    QStringLiteral("m"),
        QStringLiteral("s"),    QStringLiteral("A"),    QStringLiteral("a"),
        QStringLiteral("Z"),    QStringLiteral("X"),    QStringLiteral("x"),
    };
    static const std::array<const char *, 12> months = {
        "January", "February", "March",     "April",   "May",      "June",
        "July",    "August",   "September", "October", "November", "December"};
    static const std::array<const char *, 7> days = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                                     "Thursday", "Friday", "Saturday"};
    const QDate date = t.date();
    const QTime time = t.time();
    const int hour12 = time.hour() % 12 == 0 ? 12 : time.hour() % 12;
    const int weekday = date.dayOfWeek() % 7; // moment: Sunday = 0
    auto ordinal = [](int n) -> QString {
        const int tens = n % 100;
        const char *suffix = (tens >= 11 && tens <= 13) ? "th"
                             : n % 10 == 1              ? "st"
                             : n % 10 == 2              ? "nd"
                             : n % 10 == 3              ? "rd"
                                                        : "th";
        return QString::number(n) + QString::fromLatin1(suffix);
    };

    QString out;
    qsizetype i = 0;
    while (i < format.size()) {
        if (format.at(i) == QLatin1Char('[')) {
            const qsizetype close = format.indexOf(QLatin1Char(']'), i + 1);
            if (close > i) {
                out += format.mid(i + 1, close - i - 1);
                i = close + 1;
                continue;
            }
        }
        QString token;
        for (const auto &candidate : tokens) {
            if (format.mid(i, candidate.size()) == candidate) {
                token = candidate;
                break;
            }
        }
        if (token.isEmpty()) {
            out += format.at(i++);
            continue;
        }
        i += token.size();
        const QString month = QString::fromLatin1(months.at(date.month() - 1));
        const QString day = QString::fromLatin1(days.at(weekday));
        if (token == QStringLiteral("YYYY"))
            out += pad(date.year(), 4);
        else if (token == QStringLiteral("YY"))
            out += pad(date.year() % 100, 2);
        else if (token == QStringLiteral("MMMM"))
            out += month;
        else if (token == QStringLiteral("MMM"))
            out += month.left(3);
        else if (token == QStringLiteral("MM"))
            out += pad(date.month(), 2);
        else if (token == QStringLiteral("M"))
            out += QString::number(date.month());
        else if (token == QStringLiteral("DD"))
            out += pad(date.day(), 2);
        else if (token == QStringLiteral("Do"))
            out += ordinal(date.day());
        else if (token == QStringLiteral("D"))
            out += QString::number(date.day());
        else if (token == QStringLiteral("dddd"))
            out += day;
        else if (token == QStringLiteral("ddd"))
            out += day.left(3);
        else if (token == QStringLiteral("d"))
            out += QString::number(weekday);
        else if (token == QStringLiteral("HH"))
            out += pad(time.hour(), 2);
        else if (token == QStringLiteral("H"))
            out += QString::number(time.hour());
        else if (token == QStringLiteral("hh"))
            out += pad(hour12, 2);
        else if (token == QStringLiteral("h"))
            out += QString::number(hour12);
        else if (token == QStringLiteral("mm"))
            out += pad(time.minute(), 2);
        else if (token == QStringLiteral("m"))
            out += QString::number(time.minute());
        else if (token == QStringLiteral("ss"))
            out += pad(time.second(), 2);
        else if (token == QStringLiteral("s"))
            out += QString::number(time.second());
        else if (token == QStringLiteral("SSS"))
            out += pad(time.msec(), 3);
        else if (token == QStringLiteral("A"))
            out += time.hour() < 12 ? QStringLiteral("AM") : QStringLiteral("PM");
        else if (token == QStringLiteral("a"))
            out += time.hour() < 12 ? QStringLiteral("am") : QStringLiteral("pm");
        else if (token == QStringLiteral("ZZ"))
            out += offsetText(t.offsetFromUtc(), false);
        else if (token == QStringLiteral("Z"))
            out += offsetText(t.offsetFromUtc(), true);
        else if (token == QStringLiteral("X"))
            out += QString::number(t.toMSecsSinceEpoch() / 1000);
        else if (token == QStringLiteral("x"))
            out += QString::number(t.toMSecsSinceEpoch());
    }
    return out;
}

/// A time as epoch milliseconds: a number, or an ISO 8601 string (no offset = UTC).
Result<qint64> parseTime(const char *name, const JsValue &v)
{
    if (v && v->is_number())
        return static_cast<qint64>(std::llround(v->get<double>()));
    if (v && v->is_string()) {
        const QString text = qs(v->get<std::string>()).trimmed();
        bool isNumber = false;
        const qint64 ms = text.toLongLong(&isNumber);
        if (isNumber)
            return ms;
        QDateTime t = QDateTime::fromString(text, Qt::ISODateWithMs);
        if (t.isValid() && t.timeSpec() == Qt::LocalTime)
            t.setTimeZone(QTimeZone::utc());
        if (t.isValid())
            return t.toMSecsSinceEpoch();
    }
    return Error::invalid(
        std::string("calculateTimeDiff: \"") + name +
        "\" must be an ISO 8601 time or epoch milliseconds, got " +
        (v && v->is_string() ? "\"" + v->get<std::string>() + "\"" : jsTypeName(v)));
}

} // namespace

MethodResult getTime(const MethodContext &ctx)
{
    const QDateTime now = QDateTime::fromMSecsSinceEpoch(ctx.nowMs, QTimeZone::utc());
    const auto offset = parseTimezone(input(ctx, "timezone"), now);
    if (!offset.ok())
        return MethodResult::error(offset.error().message);
    auto shifted = addDuration(input(ctx, "offsetDuration"), now.toOffsetFromUtc(offset.value()));
    if (!shifted.ok())
        return MethodResult::error(shifted.error().message);
    const QDateTime &t = shifted.value();

    const JsValue format = input(ctx, "format");
    if (supplied(format) && !format->is_string())
        return typeError("getTime", "format", "a string", format);
    if (!supplied(format)) {
        // ISO 8601 with milliseconds; in UTC exactly JavaScript's toISOString().
        const QString iso =
            t.toString(QStringLiteral("yyyy-MM-dd'T'HH:mm:ss.zzz")) +
            (t.offsetFromUtc() == 0 ? QStringLiteral("Z") : offsetText(t.offsetFromUtc(), true));
        return success("time", iso.toStdString());
    }
    return success("time", formatMoment(qs(format->get<std::string>()), t).toStdString());
}

MethodResult calculateTimeDiff(const MethodContext &ctx)
{
    const auto first = parseTime("firstTime", input(ctx, "firstTime"));
    if (!first.ok())
        return MethodResult::error(first.error().message);
    const auto second = parseTime("secondTime", input(ctx, "secondTime"));
    if (!second.ok())
        return MethodResult::error(second.error().message);
    // Milliseconds from firstTime to secondTime: positive when secondTime is later.
    return success("timeDiff", second.value() - first.value());
}

} // namespace flowdeck::tasks::detail
