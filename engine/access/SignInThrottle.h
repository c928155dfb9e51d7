// SPDX-License-Identifier: GPL-3.0-or-later
// Slows password guessing: after a few failed sign-ins for one account, or from one address,
// each further attempt must wait twice as long as the one before (up to a ceiling). The
// throttle only says how long; the caller waits or refuses, so no thread sleeps in here.
// Counters are in memory: a restart forgets them, which only ever makes sign-in easier for
// the legitimate user who restarted the server.
#pragma once

#include "engine/store/Records.h"

#include <map>
#include <mutex>
#include <string>

namespace flowdeck::access {

class SignInThrottle
{
public:
    struct Policy
    {
        int freeFailures = 3;                      ///< failures allowed before any delay
        store::Millis baseDelayMs = 1000;          ///< the first delay; doubled per failure
        store::Millis maxDelayMs = 5 * 60'000;     ///< the ceiling
        store::Millis forgetAfterMs = 30 * 60'000; ///< a quiet key starts over
        std::size_t maxKeys = 10'000;              ///< beyond this, quiet keys are dropped first
    };

    SignInThrottle() : SignInThrottle(Policy{}) {}
    explicit SignInThrottle(Policy policy) : m_policy(policy) {}

    /// Milliseconds the caller must wait before the next attempt for this account (compared
    /// without regard to case) from this address; 0 when it may try now.
    store::Millis waitFor(const std::string &account, const std::string &address,
                          store::Millis now);
    /// Counts a failure against both the account and the address; returns the wait that now
    /// applies to the next attempt.
    store::Millis recordFailure(const std::string &account, const std::string &address,
                                store::Millis now);
    /// A successful sign-in clears the account's count. The address keeps its count (it
    /// decays with time) so signing in to one's own account cannot reset guessing at others.
    void recordSuccess(const std::string &account);

private:
    struct Entry
    {
        int failures = 0;
        store::Millis lastFailure = 0;
    };
    store::Millis delayAfter(int failures) const;
    store::Millis waitForLocked(const std::string &key, store::Millis now);
    void prune(store::Millis now);

    Policy m_policy;
    std::mutex m_mutex;
    std::map<std::string, Entry> m_entries; ///< "user:<name>" and "addr:<address>"
};

} // namespace flowdeck::access
