// SPDX-License-Identifier: GPL-3.0-or-later
// An automation's runPolicy (Strait's field names): how many of its jobs may run at once, in
// all and per key, how many may start per window, and how long one may run. Every start
// through the automation passes it (RunGate); what it does not admit now waits, queued.
#pragma once

#include "engine/model/Backoff.h"
#include "engine/scheduler/CronExpression.h"
#include "engine/store/Records.h"
#include "engine/validate/ValidationIssue.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace flowdeck::scheduler {

struct RunPolicy
{
    std::optional<int> maxConcurrency;
    /// A JSON pointer into the job's variables; jobs whose value there is the same share
    /// max_concurrency_per_key (and the rate limit with rate_limit_per_key). Empty: no key.
    std::string concurrencyKey;
    std::optional<int> maxConcurrencyPerKey;
    std::optional<int> rateLimitMax;
    std::int64_t rateLimitWindowSecs = 0;
    bool rateLimitPerKey = false;
    std::optional<std::int64_t> timeoutSecs;
    /// version_policy "pin": a trigger's jobs run the workflow version current when the
    /// trigger was saved; "latest" (the default) runs the current one.
    bool pinVersion = false;
    /// A start with an Idempotency-Key seen within this many seconds answers the first job.
    std::int64_t dedupWindowSecs = 0;
    /// execution_window_cron in `windowZone`: jobs start only during a minute it matches.
    std::optional<CronExpression> window;
    QTimeZone windowZone = QTimeZone::utc();

    /// Retries: a job ending in error starts again, as a new job linked to the first, until
    /// max_attempts jobs ran; retryDelayMs says how long after the failure.
    int maxAttempts = 1;
    backoff::Strategy retryStrategy = backoff::Strategy::Fixed;
    std::vector<std::int64_t> retryDelaysSecs{60};
    /// The wait before the attempt after `failedAttempt` (1 for the first job): fixed takes the
    /// failedAttempt-th delay (the last repeating); exponential doubles the first delay per
    /// attempt, at most a day; exponential_jitter picks uniformly between half of that and all
    /// (engine/model/Backoff).
    store::Millis retryDelayMs(int failedAttempt) const;

    /// Whether `now` falls in the execution window: the minute holding it matches the
    /// expression, in its zone (always, without a window).
    bool inWindow(store::Millis now) const;

    /// Every problem of a `runPolicy` value, each at "/runPolicy/<field>".
    static std::vector<validate::ValidationIssue> problems(const nlohmann::json &policy);
    /// The policy of an automation document (its "runPolicy"; none when absent). A stored
    /// document passed problems() when it was saved; a field that does not read is left out.
    static RunPolicy of(const nlohmann::json &automation);

    /// How far back the starts the policy looks (the rate and dedup windows), in ms.
    store::Millis lookBackMs() const;
    /// Whether jobs a and b wait in one line: they do when a limit covers the whole automation,
    /// else only when they share a key.
    bool sameLine(const std::optional<std::string> &a, const std::optional<std::string> &b) const;
    /// Why a job with `key` may not start at `now` given the automation's open and recent
    /// runs, in words an operator reads in the jobs table; nullopt when it may.
    std::optional<std::string> blocked(const std::vector<store::AutomationRunRecord> &runs,
                                       const std::optional<std::string> &key,
                                       store::Millis now) const;
    /// The value at concurrency_key in `variables` as a key: a string as it is, anything else
    /// as its JSON text; nullopt without a key or a value there.
    std::optional<std::string> keyOf(const nlohmann::json &variables) const;
};

} // namespace flowdeck::scheduler
