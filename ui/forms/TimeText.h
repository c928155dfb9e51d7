// SPDX-License-Identifier: GPL-3.0-or-later
// How times read in the inbox and the automations page: ages ("4 min") and moments
// ("today 14:05"), from the engine's epoch milliseconds or ISO 8601 strings.
#pragma once

#include <QDateTime>
#include <QString>

#include <nlohmann/json.hpp>

#include <optional>

namespace flowdeck::ui::timetext {

/// The moment a JSON value names: epoch milliseconds or an ISO 8601 string; nothing for
/// null, absent or unreadable values.
std::optional<QDateTime> moment(const nlohmann::json &value);

/// "just now", "4 min", "3 h 20 min", "2 d" between `since` and `now`.
QString age(const QDateTime &since, const QDateTime &now);

/// "today 14:05", "yesterday 09:30", "2026-11-02 17:45" in local time; "in 3 h" is not used,
/// so a schedule reads the same as a history.
QString moment(const QDateTime &when, const QDateTime &now);

} // namespace flowdeck::ui::timetext
