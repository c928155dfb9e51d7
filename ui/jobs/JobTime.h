// SPDX-License-Identifier: GPL-3.0-or-later
// Times and durations as the window writes them: timestamps to the minute in tables (the
// second in tooltips), durations in the two largest units that matter. GUI thread.
#pragma once

#include <QString>

namespace flowdeck::ui::jobtime {

/// "2026-11-23 14:02" in local time; empty for 0.
QString timestamp(qint64 msSinceEpoch);
/// "2026-11-23 14:02:11.250" in local time; empty for 0.
QString preciseTimestamp(qint64 msSinceEpoch);
/// "850 ms", "12 s", "3 min 12 s", "2 h 05 min", "3 d 4 h"; empty for a negative span.
QString duration(qint64 ms);

} // namespace flowdeck::ui::jobtime
