// SPDX-License-Identifier: GPL-3.0-or-later
// Accounts as the engine uses them: creating and changing users and groups with validation,
// signing in with a password, resolving principals, the window's local account and the first
// administrator. The store keeps the rows; this class keeps the rules.
#pragma once

#include "engine/access/PasswordVerdicts.h"
#include "engine/access/SignInThrottle.h"
#include "engine/access/TokenService.h"
#include "engine/model/Principal.h"
#include "engine/store/Store.h"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace flowdeck::access {

struct NewUser
{
    std::string username;
    std::string displayName;
    std::string email;
    std::vector<std::string> roles;
    std::vector<std::string> groups; ///< group ids or names
    std::optional<std::string> password;
    /// "person", or "service": an account for machines, signing in with OAuth client
    /// credentials (its password is the client secret) or with API tokens.
    std::string kind = "person";
};

struct SignedIn
{
    model::Principal principal;
    std::string token; ///< shown once
    store::Millis expiresAt = 0;
};

class AccountService
{
public:
    struct Options
    {
        TokenService::Clock clock;                       ///< defaults to the system clock
        store::Millis sessionTtlMs = 12 * 3600 * 1000LL; ///< a working day and then some
        SignInThrottle::Policy throttle;
    };

    explicit AccountService(store::Store &store) : AccountService(store, Options{}) {}
    AccountService(store::Store &store, Options options);

    /// Invalid (naming the bad value) for a username outside 1–64 of [A-Za-z0-9._@-], an
    /// unknown role, a group that does not exist, an empty password or a malformed email, a
    /// kind other than person or service, or a service account without a password (its client
    /// secret); Conflict when the username is taken (in any case).
    Result<store::UserRecord> createUser(const NewUser &user);
    /// Invalid for an empty password; NotFound for an unknown user. Signs the user out
    /// everywhere, since a password is changed most often because it leaked.
    Result<void> setPassword(const std::string &userId, const std::string &password);
    /// Disabling also revokes every token of the user.
    Result<void> disable(const std::string &userId);
    Result<void> enable(const std::string &userId);
    /// Invalid for an unknown role or an empty list.
    Result<void> setRoles(const std::string &userId, const std::vector<std::string> &roles);

    /// Invalid for an empty or over-long name (1–100 characters, no control characters);
    /// Conflict when the name is taken.
    Result<store::GroupRecord> createGroup(const std::string &name, const std::string &description);
    Result<void> addGroupMember(const std::string &groupId, const std::string &userId);
    Result<void> removeGroupMember(const std::string &groupId, const std::string &userId);

    /// Checks the password and issues a session token. A wrong password, an unknown user, an
    /// account without a password and a disabled account all give the same Unauthorized
    /// message. Repeated failures of an (account, address) pair, or from an address, must
    /// wait (SignInThrottle): the error's details carry {"retryAfterMs": n}, and attempts made
    /// before then are refused unseen. Takes a verdict left by rememberVerdict() when there is
    /// one; otherwise hashes here, on the caller's thread.
    Result<SignedIn> signIn(const std::string &username, const std::string &password,
                            const std::string &address, store::Millis now);
    Result<SignedIn> signIn(const std::string &username, const std::string &password,
                            const std::string &address)
    {
        return signIn(username, password, address, m_clock());
    }

    /// Makes the decoy hash unknown accounts are checked against (one argon2 hash, once per
    /// process), so the first sign-in for an unknown name does not. Thread-safe.
    static void prepareDecoy();

    /// For checking a password ahead of signIn, off this thread: the stored hash signIn will
    /// verify `username`'s password against (a decoy's for an unknown account or one without
    /// a password, so the work and the time are the same), and how long the throttle makes
    /// this pair wait (0: it may try now; otherwise signIn refuses without hashing).
    std::string passwordHashToCheck(const std::string &username);
    store::Millis signInWait(const std::string &username, const std::string &address)
    {
        return m_throttle.waitFor(username, address, m_clock());
    }
    /// Leaves the verdict of a check done ahead (PasswordHasher::verify(hash, password) on a
    /// worker) for the signIn that follows; thread-safe.
    void rememberVerdict(const std::string &hash, const std::string &password, bool verified)
    {
        m_verdicts.remember(hash, password, verified, m_clock());
    }

    /// The principal of an account. NotFound for an unknown user, Unauthorized when disabled.
    Result<model::Principal> principalFor(const std::string &userId);

    /// The window's account, named after the operating-system user: created with the admin
    /// role and no password the first time (access to the store file is the boundary), and
    /// never changed afterwards. Unauthorized when someone has disabled it.
    Result<model::Principal> ensureLocalAccount(const std::string &osUserName);

    /// On a store with no users, creates `admin` with a random 20-character password and
    /// writes the password to `passwordFilePath` (created new, mode 0600). Returns the path,
    /// or nothing when the store already has users. Conflict when the file already exists
    /// (it is left alone, and no account is created); Unavailable when it cannot be written.
    Result<std::optional<std::string>> firstStartAdmin(const std::string &passwordFilePath);

    TokenService &tokens() { return m_tokens; }
    store::Store &store() { return m_store; }

    /// Invalid (naming the value) unless 1–64 characters of [A-Za-z0-9._@-].
    static Result<void> checkUsername(const std::string &username);

private:
    Result<std::vector<std::string>> resolveGroups(const std::vector<std::string> &groups);

    store::Store &m_store;
    Options m_options;
    TokenService::Clock m_clock;
    TokenService m_tokens;
    SignInThrottle m_throttle;
    PasswordVerdicts m_verdicts;
};

} // namespace flowdeck::access
