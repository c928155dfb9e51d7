// SPDX-License-Identifier: GPL-3.0-or-later
// When a schedule trigger fires. Itential's shape: `firstRunAt` (epoch ms) and, to repeat,
// `repeatInterval` (ms); Flowdeck's: a `cron` expression in a `timezone` (IANA name, UTC when
// left out), from `firstRunAt` on when one is given. A trigger has one or the other.
#pragma once

#include "engine/model/Error.h"
#include "engine/scheduler/CronExpression.h"

#include <QTimeZone>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <vector>

namespace flowdeck::scheduler {

class Schedule
{
public:
    /// The schedule of a schedule trigger document. Invalid, naming the field by its pointer
    /// (/cron, /timezone, /firstRunAt) and why, when it cannot say when to fire.
    static Result<Schedule> fromTrigger(const nlohmann::json &trigger);

    /// The first fire time strictly after `afterMs`; nullopt when it never fires again.
    std::optional<std::int64_t> nextAfter(std::int64_t afterMs) const;

    /// The next `count` fire times strictly after `afterMs`.
    std::vector<std::int64_t> upcoming(std::int64_t afterMs, int count) const;

    bool isCron() const { return m_cron.has_value(); }

private:
    Schedule() = default;
    std::optional<std::int64_t> m_first;    ///< firstRunAt: nothing fires before it
    std::optional<std::int64_t> m_interval; ///< repeatInterval, for the interval shape
    std::optional<CronExpression> m_cron;
    QTimeZone m_zone;
};

} // namespace flowdeck::scheduler
