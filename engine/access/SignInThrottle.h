// SPDX-License-Identifier: GPL-3.0-or-later
// Slows password guessing without letting an attacker lock a real operator out. Failures are
// counted per (account, address) pair: after a few, each further attempt of that pair must
// wait twice as long as the one before (up to a ceiling). An address that fails across many
// accounts is slowed as a whole. Two ceilings bound distributed guessing: past too many
// failures for one account, or in all, a pair that has already failed gets no free attempts
// left — but a pair that has not failed (the operator at their own desk) is never held back.
// The throttle only says how long; the caller waits or refuses, so no thread sleeps in here.
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
        int freeFailures = 3;                      ///< per pair, before any delay
        store::Millis baseDelayMs = 1000;          ///< the first delay; doubled per failure
        store::Millis maxDelayMs = 5 * 60'000;     ///< the ceiling of one delay
        store::Millis forgetAfterMs = 30 * 60'000; ///< a quiet key starts over
        int addressFreeFailures = 20;              ///< per address, over every account
        int accountCeiling = 100;                  ///< per account, over every address
        int globalCeiling = 1000;                  ///< over everything
        std::size_t maxKeys = 10'000;              ///< beyond this, quiet keys are dropped first
    };

    SignInThrottle() : SignInThrottle(Policy{}) {}
    explicit SignInThrottle(Policy policy) : m_policy(policy) {}

    /// Milliseconds the caller must wait before the next attempt for this account (compared
    /// without regard to case) from this address; 0 when it may try now.
    store::Millis waitFor(const std::string &account, const std::string &address,
                          store::Millis now);
    /// Counts a failure against the pair, the address, the account and the whole; returns the
    /// wait that now applies to the pair's next attempt.
    store::Millis recordFailure(const std::string &account, const std::string &address,
                                store::Millis now);
    /// A successful sign-in clears the pair. The address and the account keep their counts
    /// (they decay with time), so signing in to one's own account cannot reset guessing at
    /// others, and a distributed guesser's tally stands.
    void recordSuccess(const std::string &account, const std::string &address);

private:
    struct Entry
    {
        int failures = 0;
        store::Millis lastFailure = 0;
    };
    store::Millis delayAfter(int failures, int free) const;
    /// The entry of `key` if it is not stale (a stale one is dropped).
    const Entry *live(const std::string &key, store::Millis now);
    store::Millis waitForLocked(const std::string &account, const std::string &address,
                                store::Millis now);
    void prune(store::Millis now);

    Policy m_policy;
    std::mutex m_mutex;
    /// "pair:<account>\n<address>", "addr:<address>", "user:<account>" and "all"
    std::map<std::string, Entry> m_entries;
};

} // namespace flowdeck::access
