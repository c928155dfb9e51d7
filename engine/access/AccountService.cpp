// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/access/AccountService.h"

#include "engine/access/PasswordHasher.h"
#include "engine/access/Principals.h"
#include "engine/access/Roles.h"
#include "engine/model/Ids.h"

#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace flowdeck::access {
namespace {

constexpr const char *kSignInRefused = "the username or password is wrong, or the account is "
                                       "disabled";
constexpr int kAdminPasswordLength = 20;

store::Millis systemNow()
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

bool hasControlCharacter(const std::string &s)
{
    for (unsigned char c : s)
        if (c < 0x20 || c == 0x7f)
            return true;
    return false;
}

Result<void> checkEmail(const std::string &email)
{
    if (email.empty())
        return {};
    const auto at = email.find('@');
    if (email.size() > 254 || at == std::string::npos || at == 0 || at + 1 == email.size() ||
        email.find('@', at + 1) != std::string::npos || hasControlCharacter(email) ||
        email.find(' ') != std::string::npos)
        return Error::invalid("\"" + email + "\" is not an email address", {{"email", email}});
    return {};
}

Result<void> checkPassword(const std::string &password)
{
    if (password.empty())
        return Error::invalid("the password is empty");
    return {};
}

// A fixed hash to verify against when the username is unknown or has no password, so the
// answer takes as long as for a real account and its timing does not tell which it was.
const std::string &decoyHash()
{
    static const std::string hash = [] {
        auto h = PasswordHasher::hash("flowdeck decoy password");
        return h ? *h : std::string();
    }();
    return hash;
}

// Writes all of `text` to `fd`, retrying short writes and interruptions.
bool writeAll(int fd, const std::string &text)
{
    std::size_t done = 0;
    while (done < text.size()) {
        const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        done += std::size_t(n);
    }
    return true;
}

} // namespace

AccountService::AccountService(store::Store &store, Options options)
    : m_store(store), m_options(std::move(options)),
      m_clock(m_options.clock ? m_options.clock : TokenService::Clock(systemNow)),
      m_tokens(store, m_clock), m_throttle(m_options.throttle)
{}

Result<void> AccountService::checkUsername(const std::string &username)
{
    if (username.empty() || username.size() > 64)
        return Error::invalid("a username has 1 to 64 characters; \"" + username + "\" has " +
                                  std::to_string(username.size()),
                              {{"username", username}});
    for (unsigned char c : username) {
        if (!std::isalnum(c) && c != '.' && c != '_' && c != '@' && c != '-')
            return Error::invalid("the username \"" + username +
                                      "\" may only use letters, digits and . _ @ -",
                                  {{"username", username}});
    }
    return {};
}

Result<std::vector<std::string>>
AccountService::resolveGroups(const std::vector<std::string> &groups)
{
    std::vector<std::string> ids;
    for (const auto &g : groups) {
        auto found = ids::isObjectId(g) ? m_store.groupById(g) : m_store.groupByName(g);
        if (!found && found.error().code == ErrorCode::NotFound && ids::isObjectId(g))
            found = m_store.groupByName(g);
        if (!found) {
            if (found.error().code == ErrorCode::NotFound)
                return Error::invalid("there is no group \"" + g + "\"", {{"group", g}});
            return found.error();
        }
        ids.push_back(found->id);
    }
    return ids;
}

Result<store::UserRecord> AccountService::createUser(const NewUser &user)
{
    if (auto r = checkUsername(user.username); !r)
        return r.error();
    if (user.kind != "person" && user.kind != "service")
        return Error::invalid("an account is a \"person\" or a \"service\", not \"" + user.kind +
                              "\"");
    if (user.kind == "service" && !user.password)
        return Error::invalid("the service account \"" + user.username +
                              "\" needs a password: it is the client secret of POST /oauth/token");
    if (user.roles.empty())
        return Error::invalid("the user \"" + user.username + "\" needs at least one role");
    if (auto r = checkRoles(user.roles); !r)
        return r.error();
    if (auto r = checkEmail(user.email); !r)
        return r.error();
    if (user.displayName.size() > 200 || hasControlCharacter(user.displayName))
        return Error::invalid("the display name must be at most 200 printable characters");
    auto groupIds = resolveGroups(user.groups);
    if (!groupIds)
        return groupIds.error();

    store::UserRecord record;
    record.username = user.username;
    record.displayName = user.displayName;
    record.email = user.email;
    record.roles = user.roles;
    record.kind = user.kind;
    record.groups = std::move(*groupIds);
    record.createdAt = record.updatedAt = m_clock();
    if (user.password) {
        if (auto r = checkPassword(*user.password); !r)
            return r.error();
        // Refuse a taken name before spending a hash on it.
        if (auto existing = m_store.userByUsername(user.username); existing)
            return Error::conflict("a user named \"" + existing->username + "\" already exists");
        auto hash = PasswordHasher::hash(*user.password);
        if (!hash)
            return hash.error();
        record.passwordHash = std::move(*hash);
    }
    return m_store.createUser(record);
}

Result<void> AccountService::setPassword(const std::string &userId, const std::string &password)
{
    if (auto r = checkPassword(password); !r)
        return r;
    if (auto user = m_store.userById(userId); !user)
        return user.error();
    auto hash = PasswordHasher::hash(password);
    if (!hash)
        return hash.error();
    return m_store.transaction([&]() -> Result<void> {
        if (auto r = m_store.setPasswordHash(userId, *hash); !r)
            return r;
        if (auto r = m_store.revokeUserTokens(userId, m_clock()); !r)
            return r.error();
        return {};
    });
}

Result<void> AccountService::disable(const std::string &userId)
{
    return m_store.transaction([&]() -> Result<void> {
        if (auto r = m_store.setUserDisabled(userId, true); !r)
            return r;
        if (auto r = m_store.revokeUserTokens(userId, m_clock()); !r)
            return r.error();
        return {};
    });
}

Result<void> AccountService::enable(const std::string &userId)
{
    return m_store.setUserDisabled(userId, false);
}

Result<void> AccountService::setRoles(const std::string &userId,
                                      const std::vector<std::string> &roles)
{
    if (roles.empty())
        return Error::invalid("a user needs at least one role");
    if (auto r = checkRoles(roles); !r)
        return r;
    return m_store.setUserRoles(userId, roles);
}

Result<store::GroupRecord> AccountService::createGroup(const std::string &name,
                                                       const std::string &description)
{
    if (name.empty() || name.size() > 100 || hasControlCharacter(name) ||
        name.find_first_not_of(' ') == std::string::npos)
        return Error::invalid("a group name has 1 to 100 printable characters, not \"" + name +
                                  "\"",
                              {{"group", name}});
    store::GroupRecord group;
    group.name = name;
    group.description = description;
    group.createdAt = group.updatedAt = m_clock();
    return m_store.createGroup(group);
}

Result<void> AccountService::addGroupMember(const std::string &groupId, const std::string &userId)
{
    return m_store.addGroupMember(groupId, userId);
}

Result<void> AccountService::removeGroupMember(const std::string &groupId,
                                               const std::string &userId)
{
    return m_store.removeGroupMember(groupId, userId);
}

Result<SignedIn> AccountService::signIn(const std::string &username, const std::string &password,
                                        const std::string &address, store::Millis now)
{
    if (const store::Millis wait = m_throttle.waitFor(username, address, now); wait > 0)
        return Error::tooManyRequests("too many failed sign-ins; try again in " +
                                          std::to_string((wait + 999) / 1000) + " s",
                                      wait);

    auto user = m_store.userByUsername(username);
    if (!user && user.error().code != ErrorCode::NotFound)
        return user.error();
    const bool hasPassword = user.ok() && user->passwordHash.has_value();
    // Without a password the decoy is checked: the same time is spent, the answer is no.
    const std::string &hash = hasPassword ? *user->passwordHash : decoyHash();
    std::optional<bool> verdict = m_verdicts.take(hash, password, now);
    if (!verdict)
        verdict = PasswordHasher::verify(hash, password);
    if (!hasPassword || !*verdict || user->disabled) {
        const store::Millis wait = m_throttle.recordFailure(username, address, now);
        return unauthorized(kSignInRefused, {{"retryAfterMs", wait}});
    }
    m_throttle.recordSuccess(username, address);

    // Parameters chosen by an older Flowdeck are upgraded while the password is at hand.
    if (PasswordHasher::needsRehash(*user->passwordHash)) {
        if (auto rehashed = PasswordHasher::hash(password); rehashed)
            if (auto r = m_store.setPasswordHash(user->id, *rehashed); !r)
                return r.error();
    }
    auto issued = m_tokens.issue(user->id, m_options.sessionTtlMs, "session");
    if (!issued)
        return issued.error();
    return SignedIn{principalOf(*user), std::move(issued->token), issued->record.expiresAt};
}

void AccountService::prepareDecoy()
{
    (void)decoyHash();
}

std::string AccountService::passwordHashToCheck(const std::string &username)
{
    auto user = m_store.userByUsername(username);
    return user.ok() && user->passwordHash ? *user->passwordHash : decoyHash();
}

Result<model::Principal> AccountService::principalFor(const std::string &userId)
{
    auto user = m_store.userById(userId);
    if (!user)
        return user.error();
    if (user->disabled)
        return unauthorized("the account \"" + user->username + "\" is disabled");
    return principalOf(*user);
}

Result<model::Principal> AccountService::ensureLocalAccount(const std::string &osUserName)
{
    auto existing = m_store.userByUsername(osUserName);
    if (existing) {
        if (existing->disabled)
            return unauthorized("the local account \"" + existing->username + "\" is disabled");
        return principalOf(*existing);
    }
    if (existing.error().code != ErrorCode::NotFound)
        return existing.error();
    NewUser local;
    local.username = osUserName;
    local.displayName = osUserName;
    local.roles = {"admin"};
    auto created = createUser(local);
    if (!created)
        return created.error();
    return principalOf(*created);
}

Result<std::optional<std::string>>
AccountService::firstStartAdmin(const std::string &passwordFilePath)
{
    auto count = m_store.userCount();
    if (!count)
        return count.error();
    if (*count > 0)
        return std::optional<std::string>();

    auto password = PasswordHasher::randomPassword(kAdminPasswordLength);
    if (!password)
        return password.error();
    // O_EXCL: never overwrite (or follow a planted symlink to) a file someone else made; the
    // mode is set at creation, so the password is never readable by others, even briefly.
    const int fd = ::open(passwordFilePath.c_str(), O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC,
                          S_IRUSR | S_IWUSR);
    if (fd < 0) {
        if (errno == EEXIST)
            return Error::conflict("the admin password file " + passwordFilePath +
                                   " already exists; move it away and start again");
        return Error::unavailable("cannot create the admin password file " + passwordFilePath +
                                  ": " + std::strerror(errno));
    }
    const bool written =
        ::fchmod(fd, S_IRUSR | S_IWUSR) == 0 && writeAll(fd, *password + "\n") && ::fsync(fd) == 0;
    const int savedErrno = errno;
    ::close(fd);
    if (!written) {
        ::unlink(passwordFilePath.c_str());
        return Error::unavailable("cannot write the admin password file " + passwordFilePath +
                                  ": " + std::strerror(savedErrno));
    }

    NewUser admin;
    admin.username = "admin";
    admin.displayName = "Administrator";
    admin.roles = {"admin"};
    admin.password = *password;
    if (auto created = createUser(admin); !created) {
        ::unlink(passwordFilePath.c_str());
        return created.error();
    }
    return std::optional<std::string>(passwordFilePath);
}

} // namespace flowdeck::access
