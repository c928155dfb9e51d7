// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/scheduler/CronExpression.h"

#include <QDate>
#include <QDateTime>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <map>
#include <sstream>

namespace flowdeck::scheduler {
namespace {

struct Field
{
    const char *name;
    int min;
    int max;
};

constexpr Field kSecond{"second", 0, 59};
constexpr Field kMinute{"minute", 0, 59};
constexpr Field kHour{"hour", 0, 23};
constexpr Field kDay{"day-of-month", 1, 31};
constexpr Field kMonth{"month", 1, 12};
constexpr Field kWeekday{"day-of-week", 0, 7};

constexpr std::array<const char *, 12> kMonthNames{"JAN", "FEB", "MAR", "APR", "MAY", "JUN",
                                                   "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};
constexpr std::array<const char *, 7> kDayNames{"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"};

/// How far either side of a fire time a daylight-saving transition can move wall time.
constexpr std::int64_t kShiftSeconds = 3 * 3600;

Error bad(const Field &field, const std::string &value, const std::string &why)
{
    return Error::invalid(std::string(field.name) + ": \"" + value + "\" " + why,
                          {{"field", field.name}, {"value", value}});
}

std::string upper(std::string text)
{
    for (char &c : text)
        c = char(std::toupper(static_cast<unsigned char>(c)));
    return text;
}

/// One value of a field: a number, or a month or day name.
Result<int> value(const Field &field, const std::string &token)
{
    const std::string name = upper(token);
    if (&field == &kMonth)
        for (std::size_t i = 0; i < kMonthNames.size(); ++i)
            if (name == kMonthNames[i])
                return int(i) + 1;
    if (&field == &kWeekday)
        for (std::size_t i = 0; i < kDayNames.size(); ++i)
            if (name == kDayNames[i])
                return int(i);
    int number = 0;
    const auto [end, ec] = std::from_chars(token.data(), token.data() + token.size(), number);
    if (token.empty() || ec != std::errc() || end != token.data() + token.size())
        return bad(field, token,
                   "is not a number" + std::string(&field == &kMonth ? " or a month name (JAN…DEC)"
                                                   : &field == &kWeekday
                                                       ? " or a day name (SUN…SAT)"
                                                       : ""));
    if (number < field.min || number > field.max)
        return bad(field, token,
                   "is out of range " + std::to_string(field.min) + "–" +
                       std::to_string(field.max));
    return number;
}

std::vector<std::string> split(const std::string &text, char by)
{
    std::vector<std::string> out;
    std::string part;
    std::istringstream in(text);
    while (std::getline(in, part, by))
        out.push_back(part);
    if (!text.empty() && text.back() == by)
        out.emplace_back();
    return out;
}

/// Sets the bits of one item of a list: "*", "a", "a-b", with an optional "/step".
Result<void> item(const Field &field, const std::string &text, std::uint64_t &bits)
{
    std::string range = text;
    int step = 1;
    if (const auto slash = text.find('/'); slash != std::string::npos) {
        range = text.substr(0, slash);
        const std::string s = text.substr(slash + 1);
        const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), step);
        if (s.empty() || ec != std::errc() || end != s.data() + s.size() || step < 1 ||
            step > field.max)
            return bad(field, text,
                       "has a step that is not a whole number from 1 to " +
                           std::to_string(field.max));
    }
    int from = field.min;
    int to = field.max;
    if (range == "*" || range == "?") {
        if (&field == &kWeekday)
            to = 6; // 7 is Sunday again
    } else if (const auto dash = range.find('-'); dash != std::string::npos) {
        auto a = value(field, range.substr(0, dash));
        if (!a)
            return a.error();
        auto b = value(field, range.substr(dash + 1));
        if (!b)
            return b.error();
        from = *a;
        to = *b;
        if (from > to)
            return bad(field, text, "runs backwards; write the smaller value first");
    } else {
        auto a = value(field, range);
        if (!a)
            return a.error();
        from = *a;
        to = text.find('/') != std::string::npos ? field.max : *a;
    }
    for (int v = from; v <= to; v += step)
        bits |= std::uint64_t(1) << (&field == &kWeekday && v == 7 ? 0 : v);
    return {};
}

Result<std::uint64_t> bitsOf(const Field &field, const std::string &text)
{
    std::uint64_t bits = 0;
    for (const auto &part : split(text, ',')) {
        if (part.empty())
            return bad(field, text, "has an empty item in its list");
        if (auto r = item(field, part, bits); !r)
            return r.error();
    }
    return bits;
}

int daysInMonth(int year, int month)
{
    return QDate(year, month, 1).daysInMonth();
}

std::int64_t floorDiv(std::int64_t a, std::int64_t b)
{
    return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

int offsetAt(const QTimeZone &zone, std::int64_t secs)
{
    return zone.offsetFromUtc(QDateTime::fromSecsSinceEpoch(secs, Qt::UTC));
}

/// Whether a transition of `zone` lies within kShiftSeconds of the instant `secs`.
bool transitionNear(const QTimeZone &zone, std::int64_t secs)
{
    if (!zone.hasTransitions())
        return false;
    const auto next =
        zone.nextTransition(QDateTime::fromSecsSinceEpoch(secs - kShiftSeconds - 1, Qt::UTC));
    return next.atUtc.isValid() && next.atUtc.toSecsSinceEpoch() <= secs + kShiftSeconds;
}

} // namespace

Result<CronExpression> CronExpression::parse(const std::string &input)
{
    static const std::map<std::string, std::string> kNicknames = {
        {"@yearly", "0 0 1 1 *"}, {"@annually", "0 0 1 1 *"}, {"@monthly", "0 0 1 * *"},
        {"@weekly", "0 0 * * 0"}, {"@daily", "0 0 * * *"},    {"@midnight", "0 0 * * *"},
        {"@hourly", "0 * * * *"}};
    std::string text = input;
    text.erase(0, text.find_first_not_of(" \t"));
    text.erase(text.find_last_not_of(" \t") + 1);
    if (text.starts_with('@')) {
        const auto it = kNicknames.find(text);
        if (it == kNicknames.end())
            return Error::invalid("\"" + input +
                                      "\" is not a cron nickname (@hourly, @daily, "
                                      "@midnight, @weekly, @monthly, @yearly, @annually)",
                                  {{"field", "expression"}, {"value", input}});
        text = it->second;
    }
    std::vector<std::string> fields;
    std::istringstream words(text);
    for (std::string w; words >> w;)
        fields.push_back(w);
    if (fields.size() != 5 && fields.size() != 6)
        return Error::invalid("a cron expression has 5 fields (minute hour day-of-month month "
                              "day-of-week) or 6 with leading seconds, not " +
                                  std::to_string(fields.size()),
                              {{"field", "expression"}, {"value", input}});
    if (fields.size() == 5)
        fields.insert(fields.begin(), "0");

    CronExpression cron;
    cron.m_text = input;
    auto seconds = bitsOf(kSecond, fields[0]);
    if (!seconds)
        return seconds.error();
    auto minutes = bitsOf(kMinute, fields[1]);
    if (!minutes)
        return minutes.error();
    auto hours = bitsOf(kHour, fields[2]);
    if (!hours)
        return hours.error();
    auto months = bitsOf(kMonth, fields[4]);
    if (!months)
        return months.error();
    cron.m_seconds = *seconds;
    cron.m_minutes = *minutes;
    cron.m_hours = std::uint32_t(*hours);
    cron.m_months = std::uint16_t(*months);
    cron.m_everyHour = fields[2].starts_with('*');

    // Day of month: numbers, ranges and steps, and L for the last day.
    cron.m_anyDay = fields[3] == "*" || fields[3] == "?";
    std::uint64_t days = 0;
    for (const auto &part : split(fields[3], ',')) {
        if (upper(part) == "L") {
            cron.m_lastDay = true;
            continue;
        }
        if (part.empty())
            return bad(kDay, fields[3], "has an empty item in its list");
        if (auto r = item(kDay, part, days); !r)
            return r.error();
    }
    cron.m_days = std::uint32_t(days);

    // Day of week: also "5L" (the last Friday) and "MON#2" (the second Monday).
    cron.m_anyWeekday = fields[5] == "*" || fields[5] == "?";
    std::uint64_t weekdays = 0;
    for (const auto &part : split(fields[5], ',')) {
        if (part.empty())
            return bad(kWeekday, fields[5], "has an empty item in its list");
        const std::string up = upper(part);
        if (up.size() > 1 && up.back() == 'L') {
            auto d = value(kWeekday, part.substr(0, part.size() - 1));
            if (!d)
                return d.error();
            cron.m_lastWeekdays |= std::uint8_t(1u << (*d % 7));
        } else if (const auto hash = part.find('#'); hash != std::string::npos) {
            auto d = value(kWeekday, part.substr(0, hash));
            if (!d)
                return d.error();
            const std::string n = part.substr(hash + 1);
            if (n.size() != 1 || n[0] < '1' || n[0] > '5')
                return bad(kWeekday, part,
                           "must say which one, #1 to #5: a month has at most 5 "
                           "of each day");
            cron.m_nthWeekdays.emplace_back(*d % 7, n[0] - '0');
        } else if (auto r = item(kWeekday, part, weekdays); !r) {
            return r.error();
        }
    }
    cron.m_weekdays = std::uint8_t(weekdays);
    return cron;
}

bool CronExpression::dayMatches(int year, int month, int day) const
{
    if (m_anyDay && m_anyWeekday)
        return true;
    const int last = daysInMonth(year, month);
    const bool byDay = (m_days >> day & 1u) || (m_lastDay && day == last);
    const int weekday = QDate(year, month, day).dayOfWeek() % 7; // Qt: Monday 1 … Sunday 7
    bool byWeekday =
        (m_weekdays >> weekday & 1u) || ((m_lastWeekdays >> weekday & 1u) && day + 7 > last);
    for (const auto &[d, n] : m_nthWeekdays)
        byWeekday = byWeekday || (d == weekday && (day - 1) / 7 + 1 == n);
    if (m_anyDay)
        return byWeekday;
    if (m_anyWeekday)
        return byDay;
    // Both restricted: either matches, as in Vixie cron ("the 1st and every Monday").
    return byDay || byWeekday;
}

std::vector<std::int64_t> CronExpression::instantsOf(std::int64_t wall, const QTimeZone &zone) const
{
    // The instants t with t + offset(t) = wall: one, two in an overlap, none in a gap.
    const int before = offsetAt(zone, wall - 86'400);
    const int after = offsetAt(zone, wall + 86'400);
    std::vector<std::int64_t> out;
    for (const int offset : {before, after}) {
        const std::int64_t t = wall - offset;
        if (offsetAt(zone, t) == offset && std::find(out.begin(), out.end(), t) == out.end())
            out.push_back(t);
    }
    std::sort(out.begin(), out.end());
    if (out.empty()) {
        // Skipped by a jump forward: the end of the gap, when the clocks are set.
        const auto transition = zone.nextTransition(
            QDateTime::fromSecsSinceEpoch(wall - std::max(before, after) - 1, Qt::UTC));
        if (transition.atUtc.isValid())
            out.push_back(transition.atUtc.toSecsSinceEpoch());
    } else if (out.size() > 1 && !m_everyHour) {
        out.resize(1); // happens twice: the first only, unless the schedule follows real hours
    }
    return out;
}

std::optional<std::int64_t> CronExpression::next(std::int64_t afterMs, const QTimeZone &zone) const
{
    const std::int64_t first = floorDiv(afterMs, 1000) + 1; // the first whole second after
    const std::int64_t startWall =
        first + offsetAt(zone, first) - (transitionNear(zone, first) ? kShiftSeconds : 0);
    std::optional<std::int64_t> best;
    std::int64_t bestWall = 0;
    bool settled = false; // best cannot be beaten by a later wall time
    const QDate epoch(1970, 1, 1);
    std::int64_t dayIndex = floorDiv(startWall, 86'400);
    const std::int64_t lastDay = dayIndex + 8 * 366;
    while (dayIndex <= lastDay && !settled) {
        const QDate date = epoch.addDays(dayIndex);
        if (!(m_months >> date.month() & 1u)) {
            dayIndex += date.daysInMonth() - date.day() + 1; // the first of the next month
            continue;
        }
        if (!dayMatches(date.year(), date.month(), date.day())) {
            ++dayIndex;
            continue;
        }
        const std::int64_t dayWall = dayIndex * 86'400;
        for (int h = 0; h < 24 && !settled; ++h) {
            if (!(m_hours >> h & 1u) || dayWall + h * 3600 + 3599 < startWall)
                continue;
            for (int m = 0; m < 60 && !settled; ++m) {
                if (!(m_minutes >> m & 1u) || dayWall + h * 3600 + m * 60 + 59 < startWall)
                    continue;
                for (int s = 0; s < 60; ++s) {
                    if (!(m_seconds >> s & 1u))
                        continue;
                    const std::int64_t wall = dayWall + h * 3600 + m * 60 + s;
                    if (wall < startWall)
                        continue;
                    if (best && wall > bestWall + kShiftSeconds) {
                        settled = true;
                        break;
                    }
                    for (const std::int64_t t : instantsOf(wall, zone))
                        if (t >= first && (!best || t < *best)) {
                            best = t;
                            bestWall = wall;
                            // Far from any transition, wall time and instants keep order.
                            settled = !transitionNear(zone, t);
                        }
                    if (settled)
                        break;
                }
            }
        }
        ++dayIndex;
    }
    if (!best)
        return std::nullopt;
    return *best * 1000;
}

std::vector<std::int64_t> CronExpression::next(std::int64_t afterMs, const QTimeZone &zone,
                                               int count) const
{
    std::vector<std::int64_t> out;
    for (int i = 0; i < count; ++i) {
        const auto t = next(out.empty() ? afterMs : out.back(), zone);
        if (!t)
            break;
        out.push_back(*t);
    }
    return out;
}

} // namespace flowdeck::scheduler
