// SPDX-License-Identifier: GPL-3.0-or-later
// Checks the passwords a request carries (Basic credentials, POST /login, POST /oauth/token)
// on a pool of worker threads, so argon2 — tens of milliseconds and 64 MiB per check — never
// runs on the server's thread and a burst of sign-ins cannot delay anyone else's request.
// The verdicts come back by a queued call, are left with the AccountService, and the request
// is then answered on the server's thread as before: signIn takes the verdict instead of
// hashing. How many checks may wait, in all and per address, is bounded.
#pragma once

#include "engine/api/AuthApi.h"

#include <QHash>
#include <QObject>
#include <QThreadPool>

#include <functional>
#include <string>
#include <vector>

namespace flowdeck::access {
class AccountService;
}

namespace flowdeck::http {

class SignInVerifier : public QObject
{
    Q_OBJECT
public:
    /// Checks waiting or running at once, in all and from one address.
    static constexpr int kMaxInFlight = 256;
    static constexpr int kMaxInFlightPerAddress = 8;

    explicit SignInVerifier(access::AccountService *accounts, QObject *parent = nullptr);
    /// Waits for the checks running now; their answers are dropped.
    ~SignInVerifier() override;

    enum class Outcome {
        Started,   ///< `done` runs on this object's thread once the verdicts are left
        NotNeeded, ///< nothing to hash (no claim, or throttled: signIn refuses those unseen)
        Busy,      ///< too many checks in flight in all (503)
        BusyHere,  ///< too many in flight from this address (429)
    };

    Outcome verify(const std::vector<api::auth::PasswordClaim> &claims, const std::string &address,
                   std::function<void()> done);

    int inFlight() const { return m_inFlight; }

private:
    access::AccountService *m_accounts;
    QThreadPool m_pool;
    int m_inFlight = 0;
    QHash<QString, int> m_perAddress;
};

} // namespace flowdeck::http
