// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/access/SignInThrottle.h"

#include <algorithm>
#include <cctype>
#include <vector>

namespace flowdeck::access {
namespace {

std::string folded(const std::string &account)
{
    std::string out;
    for (unsigned char c : account)
        out += char(std::tolower(c));
    return out;
}

std::string pairKey(const std::string &account, const std::string &address)
{
    return "pair:" + folded(account) + '\n' + address;
}

std::string accountKey(const std::string &account)
{
    return "user:" + folded(account);
}

std::string addressKey(const std::string &address)
{
    return "addr:" + address;
}

const std::string kAllKey = "all";

} // namespace

store::Millis SignInThrottle::delayAfter(int failures, int free) const
{
    const int over = failures - free;
    if (over <= 0)
        return 0;
    store::Millis delay = m_policy.baseDelayMs;
    for (int i = 1; i < over && delay < m_policy.maxDelayMs; ++i)
        delay *= 2;
    return std::min(delay, m_policy.maxDelayMs);
}

const SignInThrottle::Entry *SignInThrottle::live(const std::string &key, store::Millis now)
{
    auto it = m_entries.find(key);
    if (it == m_entries.end())
        return nullptr;
    if (now - it->second.lastFailure >= m_policy.forgetAfterMs) {
        m_entries.erase(it);
        return nullptr;
    }
    return &it->second;
}

store::Millis SignInThrottle::waitForLocked(const std::string &account, const std::string &address,
                                            store::Millis now)
{
    auto remaining = [now](const Entry &e, store::Millis delay) {
        return std::max<store::Millis>(0, e.lastFailure + delay - now);
    };
    store::Millis wait = 0;
    if (const Entry *pair = live(pairKey(account, address), now)) {
        const Entry *user = live(accountKey(account), now);
        const Entry *all = live(kAllKey, now);
        const bool ceiling = (user && user->failures > m_policy.accountCeiling) ||
                             (all && all->failures > m_policy.globalCeiling);
        wait = remaining(*pair, delayAfter(pair->failures, ceiling ? 0 : m_policy.freeFailures));
    }
    if (const Entry *addr = live(addressKey(address), now))
        wait = std::max(wait,
                        remaining(*addr, delayAfter(addr->failures, m_policy.addressFreeFailures)));
    return wait;
}

store::Millis SignInThrottle::waitFor(const std::string &account, const std::string &address,
                                      store::Millis now)
{
    std::lock_guard lock(m_mutex);
    return waitForLocked(account, address, now);
}

store::Millis SignInThrottle::recordFailure(const std::string &account, const std::string &address,
                                            store::Millis now)
{
    std::lock_guard lock(m_mutex);
    if (m_entries.size() >= m_policy.maxKeys)
        prune(now);
    for (const auto &key :
         {pairKey(account, address), addressKey(address), accountKey(account), kAllKey}) {
        auto &e = m_entries[key];
        if (e.failures > 0 && now - e.lastFailure >= m_policy.forgetAfterMs)
            e = Entry{};
        e.failures += 1;
        e.lastFailure = now;
    }
    return waitForLocked(account, address, now);
}

void SignInThrottle::recordSuccess(const std::string &account, const std::string &address)
{
    std::lock_guard lock(m_mutex);
    m_entries.erase(pairKey(account, address));
}

void SignInThrottle::prune(store::Millis now)
{
    // Forget quiet keys first; if a flood of fresh keys remains, drop the oldest half so the
    // map cannot grow without bound (at worst an attacker loses their own delays). The
    // global tally is never dropped: it is what bounds a flood.
    std::erase_if(m_entries, [&](const auto &kv) {
        return kv.first != kAllKey && now - kv.second.lastFailure >= m_policy.forgetAfterMs;
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
    std::erase_if(m_entries, [&](const auto &kv) {
        return kv.first != kAllKey && kv.second.lastFailure <= cutoff;
    });
}

} // namespace flowdeck::access
