// SPDX-License-Identifier: GPL-3.0-or-later
// The wait before a retry, by strategy: one rule for an automation's job retries (runPolicy)
// and a task's automatic retries (retrySettings), so "exponential_jitter" means the same in
// both places.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace flowdeck::backoff {

enum class Strategy { Fixed, Exponential, ExponentialJitter };

/// The longest wait before a retry: a day.
constexpr std::int64_t kMaxDelayMs = 24LL * 3600 * 1000;

/// "fixed", "exponential" or "exponential_jitter"; nullopt for anything else.
std::optional<Strategy> parse(const std::string &name);
const char *name(Strategy strategy);

/// The wait before retry number `retry` (1: after the first failure) from a first wait of
/// `firstMs`: fixed always waits firstMs; exponential doubles it per retry; exponential_jitter
/// takes a point in [½, 1] of the exponential wait (`random01` in [0, 1)), so jobs that failed
/// together do not retry in step. At most kMaxDelayMs.
std::int64_t delayMs(Strategy strategy, std::int64_t firstMs, int retry, double random01);

/// A uniform number in [0, 1) for delayMs.
double random01();

} // namespace flowdeck::backoff
