// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/scheduler/RunPolicy.h"

#include <QDateTime>

#include <algorithm>
#include <set>

namespace flowdeck::scheduler {

using nlohmann::json;
using validate::ValidationIssue;

namespace {

const std::set<std::string> kFields = {"max_concurrency",
                                       "concurrency_key",
                                       "max_concurrency_per_key",
                                       "rate_limit_max",
                                       "rate_limit_window_secs",
                                       "rate_limit_per_key",
                                       "timeout_secs",
                                       "version_policy",
                                       "dedup_window_secs",
                                       "execution_window_cron",
                                       "timezone",
                                       "max_attempts",
                                       "retry_strategy",
                                       "retry_delays_secs"};

/// At most a year: a bound that keeps millisecond arithmetic far from overflow.
constexpr std::int64_t kMaxSecs = 366LL * 24 * 3600;
/// The longest wait before a retry.
constexpr std::int64_t kDaySecs = 24LL * 3600;

ValidationIssue problem(const std::string &field, const std::string &keyword,
                        const std::string &message)
{
    return {keyword, "/runPolicy/" + field,    "#/flowdeck/runPolicy/" + field, json::object(),
            message, validate::Severity::Error};
}

void positive(const json &p, const char *field, std::int64_t max, std::vector<ValidationIssue> &out)
{
    if (!p.contains(field))
        return;
    const json &v = p[field];
    if (!v.is_number_integer() || v.get<std::int64_t>() < 1 || v.get<std::int64_t>() > max)
        out.push_back(problem(field, "type",
                              std::string(field) + " must be a whole number from 1 to " +
                                  std::to_string(max)));
}

std::optional<std::int64_t> number(const json &p, const char *field)
{
    if (!p.contains(field) || !p[field].is_number_integer())
        return std::nullopt;
    return p[field].get<std::int64_t>();
}

std::string secs(std::int64_t s)
{
    return std::to_string(s) + " s";
}

} // namespace

std::vector<ValidationIssue> RunPolicy::problems(const json &p)
{
    std::vector<ValidationIssue> out;
    if (p.is_null())
        return out;
    if (!p.is_object()) {
        out.push_back({"type", "/runPolicy", "#/flowdeck/runPolicy", json::object(),
                       "runPolicy must be an object", validate::Severity::Error});
        return out;
    }
    for (const auto &[key, value] : p.items())
        if (!kFields.count(key))
            out.push_back(problem(key, "additionalProperties",
                                  "\"" + key + "\" is not a field of a runPolicy"));
    positive(p, "max_concurrency", 10'000, out);
    positive(p, "max_concurrency_per_key", 10'000, out);
    positive(p, "rate_limit_max", 1'000'000, out);
    positive(p, "rate_limit_window_secs", kMaxSecs, out);
    positive(p, "timeout_secs", kMaxSecs, out);
    positive(p, "dedup_window_secs", kMaxSecs, out);
    const bool hasKey = p.contains("concurrency_key");
    if (hasKey) {
        const json &k = p["concurrency_key"];
        if (!k.is_string() || k.get<std::string>().empty() || k.get<std::string>()[0] != '/')
            out.push_back(problem("concurrency_key", "format",
                                  "concurrency_key must be a JSON pointer into the job's "
                                  "variables, such as \"/device\""));
        else
            try {
                (void)json::json_pointer(k.get<std::string>());
            } catch (const json::exception &) {
                out.push_back(problem("concurrency_key", "format",
                                      "concurrency_key is not a valid JSON pointer (\"~\" must "
                                      "be written ~0 or ~1)"));
            }
    }
    if (p.contains("max_concurrency_per_key") && !hasKey)
        out.push_back(problem("max_concurrency_per_key", "dependentRequired",
                              "max_concurrency_per_key needs concurrency_key: the pointer to "
                              "the variable whose value is the key"));
    if (p.contains("rate_limit_max") != p.contains("rate_limit_window_secs"))
        out.push_back(
            problem(p.contains("rate_limit_max") ? "rate_limit_window_secs" : "rate_limit_max",
                    "dependentRequired",
                    "rate_limit_max and rate_limit_window_secs go together: at most "
                    "rate_limit_max starts per rate_limit_window_secs"));
    if (p.contains("rate_limit_per_key")) {
        if (!p["rate_limit_per_key"].is_boolean())
            out.push_back(
                problem("rate_limit_per_key", "type", "rate_limit_per_key must be true or false"));
        else if (p["rate_limit_per_key"] == true && !hasKey)
            out.push_back(problem("rate_limit_per_key", "dependentRequired",
                                  "rate_limit_per_key needs concurrency_key"));
        else if (!p.contains("rate_limit_max"))
            out.push_back(problem("rate_limit_per_key", "dependentRequired",
                                  "rate_limit_per_key needs rate_limit_max and "
                                  "rate_limit_window_secs"));
    }
    if (p.contains("execution_window_cron")) {
        const json &c = p["execution_window_cron"];
        auto cron = c.is_string() ? CronExpression::parse(c.get<std::string>())
                                  : Result<CronExpression>(Error::invalid("it must be a string"));
        if (!cron)
            out.push_back(problem("execution_window_cron", "format",
                                  "execution_window_cron: " + cron.error().message));
        else if (c.get<std::string>()[0] != '@' &&
                 QString::fromStdString(c.get<std::string>())
                         .split(QLatin1Char(' '), Qt::SkipEmptyParts)
                         .size() != 5)
            out.push_back(problem("execution_window_cron", "format",
                                  "execution_window_cron takes five fields (minute hour "
                                  "day-of-month month day-of-week): the window is open during "
                                  "each minute they match"));
    }
    if (p.contains("timezone")) {
        const json &z = p["timezone"];
        if (!p.contains("execution_window_cron"))
            out.push_back(problem("timezone", "dependentRequired",
                                  "timezone is the zone of execution_window_cron, which is "
                                  "missing"));
        else if (!z.is_string() ||
                 !QTimeZone::isTimeZoneIdAvailable(QByteArray::fromStdString(z.get<std::string>())))
            out.push_back(problem("timezone", "format",
                                  "timezone must be an IANA time zone name such as "
                                  "\"Europe/Berlin\" or \"UTC\""));
    }
    positive(p, "max_attempts", 100, out);
    if (p.contains("retry_strategy") && (!p["retry_strategy"].is_string() ||
                                         !backoff::parse(p["retry_strategy"].get<std::string>())))
        out.push_back(problem("retry_strategy", "enum",
                              "retry_strategy must be \"fixed\", \"exponential\" or "
                              "\"exponential_jitter\""));
    if (p.contains("retry_delays_secs")) {
        const json &d = p["retry_delays_secs"];
        bool ok = d.is_array() && !d.empty() && d.size() <= 100;
        for (std::size_t i = 0; ok && i < d.size(); ++i)
            ok = d[i].is_number_integer() && d[i].get<std::int64_t>() >= 0 &&
                 d[i].get<std::int64_t>() <= kDaySecs;
        if (!ok)
            out.push_back(problem("retry_delays_secs", "type",
                                  "retry_delays_secs must be a list of 1 to 100 whole numbers of "
                                  "seconds, each from 0 to 86400"));
    }
    for (const char *field : {"retry_strategy", "retry_delays_secs"})
        if (p.contains(field) && !p.contains("max_attempts"))
            out.push_back(problem(field, "dependentRequired",
                                  std::string(field) + " needs max_attempts (how many jobs may "
                                                       "run in all, the first included)"));
    if (p.contains("version_policy") && p["version_policy"] != "pin" &&
        p["version_policy"] != "latest")
        out.push_back(problem("version_policy", "enum",
                              "version_policy must be \"pin\" (run the workflow version "
                              "current when the trigger was saved) or \"latest\""));
    return out;
}

RunPolicy RunPolicy::of(const json &automation)
{
    RunPolicy policy;
    if (!automation.is_object() || !automation.contains("runPolicy"))
        return policy;
    const json &p = automation["runPolicy"];
    if (!p.is_object())
        return policy;
    if (auto n = number(p, "max_concurrency"))
        policy.maxConcurrency = int(*n);
    if (p.contains("concurrency_key") && p["concurrency_key"].is_string())
        policy.concurrencyKey = p["concurrency_key"].get<std::string>();
    if (auto n = number(p, "max_concurrency_per_key"); n && !policy.concurrencyKey.empty())
        policy.maxConcurrencyPerKey = int(*n);
    auto max = number(p, "rate_limit_max");
    auto window = number(p, "rate_limit_window_secs");
    if (max && window && *window > 0) {
        policy.rateLimitMax = int(*max);
        policy.rateLimitWindowSecs = *window;
        policy.rateLimitPerKey =
            p.value("rate_limit_per_key", json(false)) == true && !policy.concurrencyKey.empty();
    }
    policy.timeoutSecs = number(p, "timeout_secs");
    policy.pinVersion = p.value("version_policy", json("latest")) == "pin";
    policy.dedupWindowSecs = number(p, "dedup_window_secs").value_or(0);
    policy.maxAttempts = int(number(p, "max_attempts").value_or(1));
    if (const json s = p.value("retry_strategy", json()); s.is_string())
        policy.retryStrategy =
            backoff::parse(s.get<std::string>()).value_or(backoff::Strategy::Fixed);
    if (p.contains("retry_delays_secs") && p["retry_delays_secs"].is_array() &&
        !p["retry_delays_secs"].empty()) {
        policy.retryDelaysSecs.clear();
        for (const auto &d : p["retry_delays_secs"])
            policy.retryDelaysSecs.push_back(std::clamp<std::int64_t>(
                d.is_number_integer() ? d.get<std::int64_t>() : 0, 0, kDaySecs));
    }
    if (p.contains("execution_window_cron") && p["execution_window_cron"].is_string())
        if (auto cron = CronExpression::parse(p["execution_window_cron"].get<std::string>()))
            policy.window = std::move(*cron);
    if (p.contains("timezone") && p["timezone"].is_string())
        if (QTimeZone zone(QByteArray::fromStdString(p["timezone"].get<std::string>()));
            zone.isValid())
            policy.windowZone = zone;
    return policy;
}

store::Millis RunPolicy::lookBackMs() const
{
    return std::max(rateLimitMax ? rateLimitWindowSecs : 0, dedupWindowSecs) * 1000;
}

bool RunPolicy::sameLine(const std::optional<std::string> &a,
                         const std::optional<std::string> &b) const
{
    if (maxConcurrency || (rateLimitMax && !rateLimitPerKey))
        return true;
    return a == b;
}

store::Millis RunPolicy::retryDelayMs(int failedAttempt) const
{
    const int n = std::max(failedAttempt, 1);
    if (retryStrategy == backoff::Strategy::Fixed)
        return retryDelaysSecs[std::min<std::size_t>(std::size_t(n - 1),
                                                     retryDelaysSecs.size() - 1)] *
               1000;
    return backoff::delayMs(retryStrategy, retryDelaysSecs.front() * 1000, n, backoff::random01());
}

bool RunPolicy::inWindow(store::Millis now) const
{
    if (!window)
        return true;
    const store::Millis minute = now - ((now % 60'000) + 60'000) % 60'000;
    const auto first = window->next(minute - 1, windowZone);
    return first && *first >= minute && *first < minute + 60'000;
}

std::optional<std::string> RunPolicy::blocked(const std::vector<store::AutomationRunRecord> &runs,
                                              const std::optional<std::string> &key,
                                              store::Millis now) const
{
    if (!inWindow(now)) {
        const std::string where =
            "outside the window \"" + window->text() + "\" " + windowZone.id().toStdString();
        const auto opens = window->next(now, windowZone);
        if (!opens)
            return where + "; it does not open again";
        const QDateTime at = QDateTime::fromMSecsSinceEpoch(*opens, windowZone);
        return where + "; it opens " +
               at.toString(QStringLiteral("ddd yyyy-MM-dd HH:mm t")).toStdString();
    }
    int running = 0, runningForKey = 0, started = 0;
    const store::Millis since = now - rateLimitWindowSecs * 1000;
    for (const auto &run : runs) {
        const bool sameKey = run.concurrencyKey == key;
        if (run.state == "running") {
            ++running;
            runningForKey += sameKey;
        }
        if (rateLimitMax && run.startedAt && *run.startedAt > since &&
            (!rateLimitPerKey || sameKey))
            ++started;
    }
    const std::string forKey = key ? " for key " + *key : std::string(" without a key");
    if (maxConcurrency && running >= *maxConcurrency)
        return std::to_string(running) + " of " + std::to_string(*maxConcurrency) + " running";
    if (maxConcurrencyPerKey && runningForKey >= *maxConcurrencyPerKey)
        return std::to_string(runningForKey) + " of " + std::to_string(*maxConcurrencyPerKey) +
               " running" + forKey;
    if (rateLimitMax && started >= *rateLimitMax)
        return std::to_string(started) + " of " + std::to_string(*rateLimitMax) +
               " starts in the last " + secs(rateLimitWindowSecs) +
               (rateLimitPerKey ? forKey : std::string()) + " (rate limit)";
    return std::nullopt;
}

std::optional<std::string> RunPolicy::keyOf(const json &variables) const
{
    if (concurrencyKey.empty())
        return std::nullopt;
    try {
        const json::json_pointer pointer(concurrencyKey);
        if (!variables.contains(pointer))
            return std::nullopt;
        const json &value = variables.at(pointer);
        return value.is_string() ? value.get<std::string>() : value.dump();
    } catch (const json::exception &) {
        return std::nullopt;
    }
}

} // namespace flowdeck::scheduler
