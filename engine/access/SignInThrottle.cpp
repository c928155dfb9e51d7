// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/access/SignInThrottle.h"

#include <algorithm>
#include <cctype>
#include <vector>

namespace flowdeck::access {
namespace {

std::string accountKey(const std::string &account)
{
    std::string key = "user:";
    for (unsigned char c : account)
        key += char(std::tolower(c));
    return key;
}

std::string addressKey(const std::string &address)
{
    return "addr:" + address;
}

} // namespace

store::Millis SignInThrottle::delayAfter(int failures) const
{
    const int over = failures - m_policy.freeFailures;
    if (over <= 0)
        return 0;
    store::Millis delay = m_policy.baseDelayMs;
    for (int i = 1; i < over && delay < m_policy.maxDelayMs; ++i)
        delay *= 2;
    return std::min(delay, m_policy.maxDelayMs);
}

store::Millis SignInThrottle::waitForLocked(const std::string &key, store::Millis now)
{
    auto it = m_entries.find(key);
    if (it == m_entries.end())
        return 0;
    if (now - it->second.lastFailure >= m_policy.forgetAfterMs) {
        m_entries.erase(it);
        return 0;
    }
    const store::Millis until = it->second.lastFailure + delayAfter(it->second.failures);
    return std::max<store::Millis>(0, until - now);
}

store::Millis SignInThrottle::waitFor(const std::string &account, const std::string &address,
                                      store::Millis now)
{
    std::lock_guard lock(m_mutex);
    return std::max(waitForLocked(accountKey(account), now),
                    waitForLocked(addressKey(address), now));
}

store::Millis SignInThrottle::recordFailure(const std::string &account, const std::string &address,
                                            store::Millis now)
{
    std::lock_guard lock(m_mutex);
    if (m_entries.size() >= m_policy.maxKeys)
        prune(now);
    store::Millis wait = 0;
    for (const auto &key : {accountKey(account), addressKey(address)}) {
        auto &e = m_entries[key];
        if (e.failures > 0 && now - e.lastFailure >= m_policy.forgetAfterMs)
            e = Entry{};
        e.failures += 1;
        e.lastFailure = now;
        wait = std::max(wait, delayAfter(e.failures));
    }
    return wait;
}

void SignInThrottle::recordSuccess(const std::string &account)
{
    std::lock_guard lock(m_mutex);
    m_entries.erase(accountKey(account));
}

void SignInThrottle::prune(store::Millis now)
{
    // Forget quiet keys first; if a flood of fresh keys remains, drop the oldest half so the
    // map cannot grow without bound (at worst an attacker loses their own delays).
    std::erase_if(m_entries, [&](const auto &kv) {
        return now - kv.second.lastFailure >= m_policy.forgetAfterMs;
    });
    if (m_entries.size() < m_policy.maxKeys)
        return;
    std::vector<store::Millis> times;
    times.reserve(m_entries.size());
    for (const auto &kv : m_entries)
        times.push_back(kv.second.lastFailure);
    auto mid = times.begin() + std::ptrdiff_t(times.size() / 2);
    std::nth_element(times.begin(), mid, times.end());
    const store::Millis cutoff = *mid;
    std::erase_if(m_entries, [&](const auto &kv) { return kv.second.lastFailure <= cutoff; });
}

} // namespace flowdeck::access
