// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/scheduler/Schedule.h"

namespace flowdeck::scheduler {

using nlohmann::json;

Result<Schedule> Schedule::fromTrigger(const json &trigger)
{
    if (!trigger.is_object())
        return Error::invalid("a schedule trigger must be a JSON object");
    Schedule s;
    if (const auto first = trigger.find("firstRunAt");
        first != trigger.end() && first->is_number_integer())
        s.m_first = first->get<std::int64_t>();
    const auto cron = trigger.find("cron");
    if (cron != trigger.end() && !cron->is_null()) {
        if (!cron->is_string())
            return Error::invalid("/cron must be a cron expression (a string)",
                                  {{"pointer", "/cron"}});
        auto parsed = CronExpression::parse(cron->get<std::string>());
        if (!parsed)
            return Error::invalid("/cron: " + parsed.error().message,
                                  {{"pointer", "/cron"}, {"field", parsed.error().details}});
        s.m_cron = std::move(*parsed);
        s.m_zone = QTimeZone::utc();
        const auto zone = trigger.find("timezone");
        if (zone != trigger.end() && !zone->is_null()) {
            if (!zone->is_string() || !QTimeZone::isTimeZoneIdAvailable(
                                          QByteArray::fromStdString(zone->get<std::string>())))
                return Error::invalid(
                    "/timezone must be an IANA time zone name such as \"Europe/Berlin\" or "
                    "\"America/New_York\"" +
                        (zone->is_string() ? ", not \"" + zone->get<std::string>() + "\""
                                           : std::string()),
                    {{"pointer", "/timezone"}});
            s.m_zone = QTimeZone(QByteArray::fromStdString(zone->get<std::string>()));
        }
        return s;
    }
    if (!s.m_first)
        return Error::invalid("/firstRunAt is required (epoch milliseconds) unless a cron "
                              "expression says when to fire",
                              {{"pointer", "/firstRunAt"}});
    if (const auto interval = trigger.find("repeatInterval"); interval != trigger.end() &&
                                                              interval->is_number_integer() &&
                                                              interval->get<std::int64_t>() > 0)
        s.m_interval = interval->get<std::int64_t>();
    return s;
}

std::optional<std::int64_t> Schedule::nextAfter(std::int64_t afterMs) const
{
    if (m_first && *m_first > afterMs) {
        // Not started yet: a cron fires at its first instant from firstRunAt on.
        if (!m_cron)
            return m_first;
        return m_cron->next(*m_first - 1, m_zone);
    }
    if (m_cron)
        return m_cron->next(afterMs, m_zone);
    if (!m_first || !m_interval)
        return std::nullopt;
    const std::int64_t step = *m_interval;
    return *m_first + ((afterMs - *m_first) / step + 1) * step;
}

std::vector<std::int64_t> Schedule::upcoming(std::int64_t afterMs, int count) const
{
    std::vector<std::int64_t> out;
    std::int64_t at = afterMs;
    while (int(out.size()) < count) {
        const auto next = nextAfter(at);
        if (!next)
            break;
        out.push_back(*next);
        at = *next;
    }
    return out;
}

} // namespace flowdeck::scheduler
