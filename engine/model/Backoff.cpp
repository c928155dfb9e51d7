// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/model/Backoff.h"

#include <algorithm>
#include <random>

namespace flowdeck::backoff {

std::optional<Strategy> parse(const std::string &name)
{
    if (name == "fixed")
        return Strategy::Fixed;
    if (name == "exponential")
        return Strategy::Exponential;
    if (name == "exponential_jitter")
        return Strategy::ExponentialJitter;
    return std::nullopt;
}

const char *name(Strategy strategy)
{
    switch (strategy) {
    case Strategy::Exponential:
        return "exponential";
    case Strategy::ExponentialJitter:
        return "exponential_jitter";
    case Strategy::Fixed:
        break;
    }
    return "fixed";
}

std::int64_t delayMs(Strategy strategy, std::int64_t firstMs, int retry, double random01)
{
    const std::int64_t first = std::clamp<std::int64_t>(firstMs, 0, kMaxDelayMs);
    if (strategy == Strategy::Fixed)
        return first;
    // Doubling per retry; 2^27 ms already passes a day, so the shift stops at 30.
    const int doublings = std::clamp(retry - 1, 0, 30);
    const std::int64_t full = std::min<std::int64_t>(first << doublings, kMaxDelayMs);
    if (strategy == Strategy::Exponential)
        return full;
    const double r = std::clamp(random01, 0.0, 1.0);
    return std::min<std::int64_t>(full, full / 2 + std::int64_t(double(full - full / 2) * r));
}

double random01()
{
    thread_local std::mt19937_64 generator{std::random_device{}()};
    return std::uniform_real_distribution<double>(0.0, 1.0)(generator);
}

} // namespace flowdeck::backoff
