// SPDX-License-Identifier: GPL-3.0-or-later
// A cron expression and its fire times in a time zone. Five fields (minute hour day-of-month
// month day-of-week) or six with leading seconds; `*`, `?`, lists, ranges, steps, month and
// day names, `L` (last day of the month), `5L` (the last Friday), `MON#2` (the second
// Monday) and the nicknames @hourly, @daily, @midnight, @weekly, @monthly, @yearly and
// @annually. Day-of-month and day-of-week both restricted means either matches (as in Vixie
// cron). Daylight saving, in local wall time (docs/automations.md):
// - a wall time that does not exist (the clocks jumped past it) fires once, at the end of the
//   gap;
// - a wall time that happens twice fires once, at its first occurrence, unless the hour field
//   is `*` or a step: such schedules follow the real hours and fire at both.
#pragma once

#include "engine/model/Error.h"

#include <QTimeZone>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace flowdeck::scheduler {

class CronExpression
{
public:
    /// Parses `text`. Invalid names the field and what is wrong with it ("day-of-week: MON#6:
    /// a month has at most 5 of each day"); details carry {"field", "value"}.
    static Result<CronExpression> parse(const std::string &text);

    /// The first fire time strictly after `afterMs` (UTC milliseconds) in `zone`, or nullopt
    /// when none comes within the next eight years (such as "0 0 30 2 *").
    std::optional<std::int64_t> next(std::int64_t afterMs, const QTimeZone &zone) const;

    /// The next `count` fire times after `afterMs`.
    std::vector<std::int64_t> next(std::int64_t afterMs, const QTimeZone &zone, int count) const;

    const std::string &text() const { return m_text; }

private:
    CronExpression() = default;
    bool dayMatches(int year, int month, int day) const;
    std::vector<std::int64_t> instantsOf(std::int64_t wallSeconds, const QTimeZone &zone) const;

    std::string m_text;
    std::uint64_t m_seconds = 0; ///< bit n: second n
    std::uint64_t m_minutes = 0;
    std::uint32_t m_hours = 0;
    std::uint32_t m_days = 0;        ///< bit n: day of month n (1–31)
    std::uint16_t m_months = 0;      ///< bit n: month n (1–12)
    std::uint8_t m_weekdays = 0;     ///< bit n: day n of the week (0 = Sunday)
    std::uint8_t m_lastWeekdays = 0; ///< bit n: the last such day of the month ("5L")
    std::vector<std::pair<int, int>> m_nthWeekdays; ///< (day of week, n) ("MON#2")
    bool m_lastDay = false;                         ///< "L" in day-of-month
    bool m_anyDay = true;                           ///< day-of-month is * or ?
    bool m_anyWeekday = true;                       ///< day-of-week is * or ?
    bool m_everyHour = false; ///< the hour field is * or a step: follow real hours in overlaps
};

} // namespace flowdeck::scheduler
