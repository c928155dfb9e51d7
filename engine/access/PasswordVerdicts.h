// SPDX-License-Identifier: GPL-3.0-or-later
// Password checks done ahead of time, off the thread that answers requests: the HTTP server
// runs argon2 on a worker, leaves the verdict here, and the sign-in that follows on the
// server's thread takes it instead of hashing again. A verdict is bound to the exact stored
// hash and password (by a keyed BLAKE2b digest, never the password itself), is taken once,
// and expires within seconds; a sign-in that finds none verifies as before.
#pragma once

#include "engine/store/Records.h"

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace flowdeck::access {

class PasswordVerdicts
{
public:
    PasswordVerdicts();

    void remember(std::string_view hash, std::string_view password, bool verified,
                  store::Millis now);
    /// The verdict for this pair, removed; nullopt when none is waiting or it expired.
    std::optional<bool> take(std::string_view hash, std::string_view password, store::Millis now);

    static constexpr store::Millis kLifetimeMs = 30'000;
    static constexpr std::size_t kMaxWaiting = 4096;

private:
    std::string digest(std::string_view hash, std::string_view password) const;

    struct Verdict
    {
        bool verified = false;
        store::Millis until = 0;
    };
    std::mutex m_mutex;
    std::string m_key; ///< random per process: digests are worthless outside it
    std::map<std::string, Verdict> m_waiting;
};

} // namespace flowdeck::access
