// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/http/SignInVerifier.h"

#include "engine/access/AccountService.h"
#include "engine/access/PasswordHasher.h"

#include <QPointer>
#include <QThread>

#include <algorithm>
#include <memory>

namespace flowdeck::http {

SignInVerifier::SignInVerifier(access::AccountService *accounts, QObject *parent)
    : QObject(parent), m_accounts(accounts)
{
    // Each check is CPU-bound and holds 64 MiB while it runs: one per core, leaving a core to
    // the server's thread so its other requests never queue behind them.
    m_pool.setMaxThreadCount(std::max(1, QThread::idealThreadCount() - 1));
    // The decoy hash an unknown account is checked against is made once, with argon2: here,
    // not on the server's thread at the first unknown name.
    m_pool.start([] { access::AccountService::prepareDecoy(); });
}

SignInVerifier::~SignInVerifier()
{
    m_pool.clear();
    m_pool.waitForDone();
}

SignInVerifier::Outcome SignInVerifier::verify(const std::vector<api::auth::PasswordClaim> &claims,
                                               const std::string &address,
                                               std::function<void()> done)
{
    if (!m_accounts)
        return Outcome::NotNeeded;
    struct Check
    {
        std::string hash;
        std::string password;
        bool verified = false;
    };
    auto checks = std::make_shared<std::vector<Check>>();
    for (const auto &claim : claims)
        if (m_accounts->signInWait(claim.username, address) == 0)
            checks->push_back({m_accounts->passwordHashToCheck(claim.username), claim.password});
    if (checks->empty())
        return Outcome::NotNeeded;
    const QString where = QString::fromStdString(address);
    if (m_inFlight >= kMaxInFlight)
        return Outcome::Busy;
    if (m_perAddress.value(where) >= kMaxInFlightPerAddress)
        return Outcome::BusyHere;
    ++m_inFlight;
    ++m_perAddress[where];
    QPointer<SignInVerifier> self(this);
    m_pool.start([self, checks, where, done = std::move(done)]() mutable {
        for (auto &check : *checks)
            check.verified = access::PasswordHasher::verify(check.hash, check.password);
        // Back on the server's thread; dropped if the verifier went meanwhile.
        QMetaObject::invokeMethod(
            self.data(),
            [self, checks, where, done = std::move(done)] {
                if (!self)
                    return;
                --self->m_inFlight;
                if (--self->m_perAddress[where] <= 0)
                    self->m_perAddress.remove(where);
                for (const auto &check : *checks)
                    self->m_accounts->rememberVerdict(check.hash, check.password, check.verified);
                done();
            },
            Qt::QueuedConnection);
    });
    return Outcome::Started;
}

} // namespace flowdeck::http
