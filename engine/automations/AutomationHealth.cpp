// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/automations/AutomationHealth.h"

#include <QDateTime>

#include <algorithm>
#include <cmath>
#include <map>

namespace flowdeck::automations {

using nlohmann::json;

namespace {

constexpr store::Millis kDayMs = 86'400'000;

json isoTime(const std::optional<store::Millis> &ms)
{
    if (!ms)
        return nullptr;
    return QDateTime::fromMSecsSinceEpoch(*ms, Qt::UTC).toString(Qt::ISODateWithMs).toStdString();
}

bool finished(const std::string &status)
{
    return status == "complete" || status == "error" || status == "canceled";
}

} // namespace

store::Millis percentile(const std::vector<store::Millis> &sorted, double p)
{
    // Nearest rank: the smallest value with at least p% of the values at or below it.
    const auto n = sorted.size();
    auto rank = std::size_t(std::ceil(p / 100.0 * double(n)));
    rank = std::clamp<std::size_t>(rank, 1, n);
    return sorted[rank - 1];
}

json automationHealth(const std::vector<store::AutomationJobRecord> &runs, store::Millis now,
                      int days, std::optional<store::Millis> nextRun)
{
    std::map<std::string, int> byStatus;
    int ended = 0;
    int succeeded = 0;
    std::vector<store::Millis> durations;
    json durationSeries = json::array();
    // Runs per UTC day, oldest first, every day of the window present (zeros included) so a
    // chart's axis is the window, not just the days that had runs.
    const store::Millis firstDay = (now / kDayMs - (days - 1)) * kDayMs;
    std::vector<std::map<std::string, int>> perDay(static_cast<std::size_t>(days));
    for (const auto &run : runs) {
        ++byStatus[run.status];
        if (finished(run.status)) {
            ++ended;
            if (run.status == "complete")
                ++succeeded;
        }
        if (run.startTime && run.endTime) {
            const store::Millis d = std::max<store::Millis>(0, *run.endTime - *run.startTime);
            durations.push_back(d);
            durationSeries.push_back({{"jobId", run.jobId},
                                      {"at", *run.startTime},
                                      {"durationMs", d},
                                      {"status", run.status}});
        }
        const store::Millis day = (run.createdAt - firstDay) / kDayMs;
        if (run.createdAt >= firstDay && day >= 0 && day < days)
            ++perDay[std::size_t(day)][finished(run.status) ? run.status : std::string("running")];
    }
    std::reverse(durationSeries.begin(), durationSeries.end());
    std::sort(durations.begin(), durations.end());

    // Consecutive failures: errors since the last complete run. A canceled run is an
    // operator's decision, not a failure: it neither counts nor breaks the streak.
    int consecutive = 0;
    for (const auto &run : runs) {
        if (run.status == "complete")
            break;
        if (run.status == "error")
            ++consecutive;
    }
    json successRate = nullptr;
    json score = nullptr;
    std::string state = "unknown";
    if (ended > 0) {
        const double rate = double(succeeded) / double(ended);
        successRate = std::round(rate * 10000.0) / 10000.0;
        const int s = int(std::lround(100.0 * rate * std::pow(0.8, consecutive)));
        score = s;
        state = s >= 90 ? "healthy" : s >= 60 ? "degraded" : "failing";
    }
    json days_ = json::array();
    for (int i = 0; i < days; ++i) {
        const auto &counts = perDay[std::size_t(i)];
        auto count = [&](const char *k) {
            auto it = counts.find(k);
            return it == counts.end() ? 0 : it->second;
        };
        days_.push_back(
            json{{"day", isoTime(firstDay + i * kDayMs).get<std::string>().substr(0, 10)},
                 {"complete", count("complete")},
                 {"error", count("error")},
                 {"canceled", count("canceled")},
                 {"running", count("running")}});
    }
    json last = nullptr;
    if (!runs.empty()) {
        const auto &r = runs.front();
        last = {{"jobId", r.jobId},
                {"status", r.status},
                {"startedAt", isoTime(r.startTime ? r.startTime : std::optional(r.createdAt))},
                {"endedAt", isoTime(r.endTime)}};
    }
    json statusCounts = json::object();
    for (const auto &[status, n] : byStatus)
        statusCounts[status] = n;
    return {{"windowDays", days},
            {"since", isoTime(now - store::Millis(days) * kDayMs)},
            {"runs", int(runs.size())},
            {"truncated", int(runs.size()) >= kHealthMaxRuns},
            {"byStatus", statusCounts},
            {"finished", ended},
            {"successRate", successRate},
            {"p50DurationMs", durations.empty() ? json() : json(percentile(durations, 50))},
            {"p95DurationMs", durations.empty() ? json() : json(percentile(durations, 95))},
            {"consecutiveFailures", consecutive},
            {"lastRun", last},
            {"nextRunAt", isoTime(nextRun)},
            {"score", score},
            {"state", state},
            {"series", {{"days", days_}, {"durations", durationSeries}}}};
}

} // namespace flowdeck::automations
