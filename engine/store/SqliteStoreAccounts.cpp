// SPDX-License-Identifier: GPL-3.0-or-later
// The store's accounts: users, their roles and groups, and sign-in tokens (hashes only).
#include "engine/model/Ids.h"
#include "engine/store/SqliteStore.h"
#include "engine/store/StoreSupport.h"

namespace flowdeck::store {

using nlohmann::json;

namespace {

constexpr const char *kUserColumns =
    "id, username, display_name, email, password_hash, disabled, kind, created_at, updated_at";

UserRecord readUser(Statement &s)
{
    UserRecord u;
    u.id = s.text(0);
    u.username = s.text(1);
    u.displayName = s.optionalText(2).value_or("");
    u.email = s.optionalText(3).value_or("");
    u.passwordHash = s.optionalText(4);
    u.disabled = s.int64(5) != 0;
    u.kind = s.text(6);
    u.createdAt = s.int64(7);
    u.updatedAt = s.int64(8);
    return u;
}

Result<std::vector<std::string>> column(SqliteDb &db, const char *sql, const std::string &key)
{
    auto s = db.prepare(sql);
    if (!s)
        return s.error();
    s->bind(1, key);
    std::vector<std::string> out;
    if (auto r = forEachRow(*s, [&](Statement &row) { out.push_back(row.text(0)); }); !r)
        return r.error();
    return out;
}

// Roles and group ids live in their own tables; a record carries them sorted.
Result<void> completeUser(SqliteDb &db, UserRecord &u)
{
    auto roles = column(db, "SELECT role FROM user_roles WHERE user_id = ?1 ORDER BY role", u.id);
    if (!roles)
        return roles.error();
    auto groups =
        column(db, "SELECT group_id FROM group_members WHERE user_id = ?1 ORDER BY group_id", u.id);
    if (!groups)
        return groups.error();
    u.roles = std::move(*roles);
    u.groups = std::move(*groups);
    return {};
}

Result<std::optional<UserRecord>> findUser(SqliteDb &db, const char *where,
                                           const std::string &value)
{
    return findOne<UserRecord>(db,
                               std::string("SELECT ") + kUserColumns + " FROM users WHERE " + where,
                               value, [&db](Statement &s) -> Result<UserRecord> {
                                   UserRecord u = readUser(s);
                                   if (auto r = completeUser(db, u); !r)
                                       return r.error();
                                   return u;
                               });
}

Result<std::optional<GroupRecord>> findGroup(SqliteDb &db, const char *where,
                                             const std::string &value)
{
    return findOne<GroupRecord>(
        db,
        std::string("SELECT id, name, description, created_at, updated_at FROM groups WHERE ") +
            where,
        value, [&db](Statement &s) -> Result<GroupRecord> {
            GroupRecord g;
            g.id = s.text(0);
            g.name = s.text(1);
            g.description = s.optionalText(2).value_or("");
            g.createdAt = s.int64(3);
            g.updatedAt = s.int64(4);
            auto members = column(
                db, "SELECT user_id FROM group_members WHERE group_id = ?1 ORDER BY user_id", g.id);
            if (!members)
                return members.error();
            g.members = std::move(*members);
            return g;
        });
}

Result<void> requireUser(SqliteDb &db, const std::string &userId)
{
    auto s = db.prepare("SELECT 1 FROM users WHERE id = ?1");
    if (!s)
        return s.error();
    s->bind(1, userId);
    auto row = s->step();
    if (!row)
        return row.error();
    if (!*row)
        return Error::notFound("no user with id " + userId);
    return {};
}

Result<void> requireGroup(SqliteDb &db, const std::string &groupId)
{
    auto s = db.prepare("SELECT 1 FROM groups WHERE id = ?1");
    if (!s)
        return s.error();
    s->bind(1, groupId);
    auto row = s->step();
    if (!row)
        return row.error();
    if (!*row)
        return Error::notFound("no group with id " + groupId);
    return {};
}

Result<void> writeRoles(SqliteDb &db, const std::string &userId,
                        const std::vector<std::string> &roles)
{
    auto del = db.prepare("DELETE FROM user_roles WHERE user_id = ?1");
    if (!del)
        return del.error();
    del->bind(1, userId);
    if (auto r = del->run(); !r)
        return r;
    auto ins = db.prepare("INSERT OR IGNORE INTO user_roles (user_id, role) VALUES (?1, ?2)");
    if (!ins)
        return ins.error();
    for (const auto &role : roles) {
        ins->reset();
        ins->bind(1, userId).bind(2, role);
        if (auto r = ins->run(); !r)
            return r;
    }
    return {};
}

Result<void> touchUser(SqliteDb &db, const std::string &userId, Millis t)
{
    auto s = db.prepare("UPDATE users SET updated_at = ?2 WHERE id = ?1");
    if (!s)
        return s.error();
    s->bind(1, userId).bind(2, t);
    if (auto r = s->run(); !r)
        return r;
    if (db.changes() == 0)
        return Error::notFound("no user with id " + userId);
    return {};
}

TokenRecord readToken(Statement &s)
{
    TokenRecord t;
    t.id = s.text(0);
    t.tokenHash = s.text(1);
    t.userId = s.text(2);
    t.kind = s.text(3);
    t.createdAt = s.int64(4);
    t.expiresAt = s.int64(5);
    if (!s.isNull(6))
        t.revokedAt = s.int64(6);
    t.label = s.text(7);
    if (!s.isNull(8))
        t.lastUsedAt = s.int64(8);
    return t;
}

constexpr const char *kTokenColumns = "SELECT id, token_hash, user_id, kind, created_at, "
                                      "expires_at, revoked_at, label, last_used_at FROM tokens ";

/// The token whose `column` (id or token_hash, both unique) is `value`; NotFound saying
/// `notFound` otherwise.
Result<TokenRecord> readOneToken(SqliteDb &db, const char *column, const std::string &value,
                                 const std::string &notFound)
{
    auto s = db.prepare(std::string(kTokenColumns) + "WHERE " + column + " = ?1");
    if (!s)
        return s.error();
    s->bind(1, value);
    auto row = s->step();
    if (!row)
        return row.error();
    if (!*row)
        return Error::notFound(notFound);
    return readToken(*s);
}

} // namespace

Result<UserRecord> SqliteStore::createUser(const UserRecord &user)
{
    UserRecord saved = user;
    auto r = withWriter([&](SqliteDb &db) -> Result<void> {
        auto existing = findUser(db, "username = ?1 COLLATE NOCASE", user.username);
        if (!existing)
            return existing.error();
        if (*existing)
            return Error::conflict("a user named \"" + (*existing)->username + "\" already exists");
        if (saved.id.empty())
            saved.id = ids::newObjectId();
        if (saved.createdAt == 0)
            saved.createdAt = now();
        if (saved.updatedAt == 0)
            saved.updatedAt = saved.createdAt;
        auto s = db.prepare(std::string("INSERT INTO users (") + kUserColumns +
                            ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
        if (!s)
            return s.error();
        s->bind(1, saved.id)
            .bind(2, saved.username)
            .bind(3, saved.displayName)
            .bind(4, saved.email)
            .bind(5, saved.passwordHash)
            .bind(6, saved.disabled ? 1 : 0)
            .bind(7, saved.kind)
            .bind(8, saved.createdAt)
            .bind(9, saved.updatedAt);
        if (auto w = s->run(); !w)
            return w;
        if (auto w = writeRoles(db, saved.id, saved.roles); !w)
            return w;
        auto member =
            db.prepare("INSERT OR IGNORE INTO group_members (group_id, user_id) VALUES (?1, ?2)");
        if (!member)
            return member.error();
        for (const auto &groupId : saved.groups) {
            if (auto g = requireGroup(db, groupId); !g)
                return g;
            member->reset();
            member->bind(1, groupId).bind(2, saved.id);
            if (auto w = member->run(); !w)
                return w;
        }
        return completeUser(db, saved);
    });
    if (!r)
        return r.error();
    return saved;
}

Result<void> SqliteStore::updateUser(const UserRecord &user)
{
    return withWriter([&](SqliteDb &db) -> Result<void> {
        auto clash = findUser(db, "username = ?1 COLLATE NOCASE", user.username);
        if (!clash)
            return clash.error();
        if (*clash && (*clash)->id != user.id)
            return Error::conflict("a user named \"" + (*clash)->username + "\" already exists");
        auto s = db.prepare("UPDATE users SET username = ?2, display_name = ?3, email = ?4, "
                            "kind = ?5, updated_at = ?6 WHERE id = ?1");
        if (!s)
            return s.error();
        s->bind(1, user.id)
            .bind(2, user.username)
            .bind(3, user.displayName)
            .bind(4, user.email)
            .bind(5, user.kind)
            .bind(6, now());
        if (auto w = s->run(); !w)
            return w;
        if (db.changes() == 0)
            return Error::notFound("no user with id " + user.id);
        return {};
    });
}

Result<void> SqliteStore::setPasswordHash(const std::string &userId,
                                          const std::optional<std::string> &hash)
{
    return withWriter([&](SqliteDb &db) -> Result<void> {
        auto s = db.prepare("UPDATE users SET password_hash = ?2, updated_at = ?3 WHERE id = ?1");
        if (!s)
            return s.error();
        s->bind(1, userId).bind(2, hash).bind(3, now());
        if (auto w = s->run(); !w)
            return w;
        if (db.changes() == 0)
            return Error::notFound("no user with id " + userId);
        return {};
    });
}

Result<void> SqliteStore::setUserDisabled(const std::string &userId, bool disabled)
{
    return withWriter([&](SqliteDb &db) -> Result<void> {
        auto s = db.prepare("UPDATE users SET disabled = ?2, updated_at = ?3 WHERE id = ?1");
        if (!s)
            return s.error();
        s->bind(1, userId).bind(2, disabled ? 1 : 0).bind(3, now());
        if (auto w = s->run(); !w)
            return w;
        if (db.changes() == 0)
            return Error::notFound("no user with id " + userId);
        return {};
    });
}

Result<void> SqliteStore::setUserRoles(const std::string &userId,
                                       const std::vector<std::string> &roles)
{
    return withWriter([&](SqliteDb &db) -> Result<void> {
        if (auto r = touchUser(db, userId, now()); !r)
            return r;
        return writeRoles(db, userId, roles);
    });
}

Result<GroupRecord> SqliteStore::createGroup(const GroupRecord &group)
{
    GroupRecord saved = group;
    auto r = withWriter([&](SqliteDb &db) -> Result<void> {
        auto existing = findGroup(db, "name = ?1 COLLATE NOCASE", group.name);
        if (!existing)
            return existing.error();
        if (*existing)
            return Error::conflict("a group named \"" + (*existing)->name + "\" already exists");
        if (saved.id.empty())
            saved.id = ids::newObjectId();
        if (saved.createdAt == 0)
            saved.createdAt = now();
        if (saved.updatedAt == 0)
            saved.updatedAt = saved.createdAt;
        auto s = db.prepare("INSERT INTO groups (id, name, description, created_at, updated_at) "
                            "VALUES (?1, ?2, ?3, ?4, ?5)");
        if (!s)
            return s.error();
        s->bind(1, saved.id)
            .bind(2, saved.name)
            .bind(3, saved.description)
            .bind(4, saved.createdAt)
            .bind(5, saved.updatedAt);
        if (auto w = s->run(); !w)
            return w;
        auto member =
            db.prepare("INSERT OR IGNORE INTO group_members (group_id, user_id) VALUES (?1, ?2)");
        if (!member)
            return member.error();
        for (const auto &userId : saved.members) {
            if (auto u = requireUser(db, userId); !u)
                return u;
            member->reset();
            member->bind(1, saved.id).bind(2, userId);
            if (auto w = member->run(); !w)
                return w;
        }
        std::sort(saved.members.begin(), saved.members.end());
        saved.members.erase(std::unique(saved.members.begin(), saved.members.end()),
                            saved.members.end());
        return {};
    });
    if (!r)
        return r.error();
    return saved;
}

Result<void> SqliteStore::addGroupMember(const std::string &groupId, const std::string &userId)
{
    return withWriter([&](SqliteDb &db) -> Result<void> {
        if (auto g = requireGroup(db, groupId); !g)
            return g;
        if (auto u = requireUser(db, userId); !u)
            return u;
        auto s =
            db.prepare("INSERT OR IGNORE INTO group_members (group_id, user_id) VALUES (?1, ?2)");
        if (!s)
            return s.error();
        s->bind(1, groupId).bind(2, userId);
        return s->run();
    });
}

Result<void> SqliteStore::removeGroupMember(const std::string &groupId, const std::string &userId)
{
    return withWriter([&](SqliteDb &db) -> Result<void> {
        if (auto g = requireGroup(db, groupId); !g)
            return g;
        if (auto u = requireUser(db, userId); !u)
            return u;
        auto s = db.prepare("DELETE FROM group_members WHERE group_id = ?1 AND user_id = ?2");
        if (!s)
            return s.error();
        s->bind(1, groupId).bind(2, userId);
        return s->run();
    });
}

Result<void> SqliteStore::saveToken(const TokenRecord &token)
{
    return withWriter([&](SqliteDb &db) -> Result<void> {
        auto s =
            db.prepare("INSERT INTO tokens (id, token_hash, user_id, kind, created_at, "
                       "expires_at, revoked_at, label) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
        if (!s)
            return s.error();
        s->bind(1, token.id.empty() ? ids::newObjectId() : token.id)
            .bind(2, token.tokenHash)
            .bind(3, token.userId)
            .bind(4, token.kind)
            .bind(5, token.createdAt)
            .bind(6, token.expiresAt);
        if (token.revokedAt)
            s->bind(7, *token.revokedAt);
        else
            s->bindNull(7);
        s->bind(8, token.label);
        return s->run();
    });
}

Result<void> SqliteStore::revokeToken(const std::string &tokenId, Millis at)
{
    return withWriter([&](SqliteDb &db) -> Result<void> {
        auto s =
            db.prepare("UPDATE tokens SET revoked_at = coalesce(revoked_at, ?2) WHERE id = ?1");
        if (!s)
            return s.error();
        s->bind(1, tokenId).bind(2, at);
        if (auto w = s->run(); !w)
            return w;
        if (db.changes() == 0)
            return Error::notFound("no token with id " + tokenId);
        return {};
    });
}

Result<int> SqliteStore::revokeUserTokens(const std::string &userId, Millis at)
{
    int count = 0;
    auto r = withWriter([&](SqliteDb &db) -> Result<void> {
        auto s = db.prepare(
            "UPDATE tokens SET revoked_at = ?2 WHERE user_id = ?1 AND revoked_at IS NULL");
        if (!s)
            return s.error();
        s->bind(1, userId).bind(2, at);
        if (auto w = s->run(); !w)
            return w;
        count = int(db.changes());
        return {};
    });
    if (!r)
        return r.error();
    return count;
}

Result<int> SqliteStore::deleteExpiredTokens(Millis now)
{
    int count = 0;
    auto r = withWriter([&](SqliteDb &db) -> Result<void> {
        auto s = db.prepare("DELETE FROM tokens WHERE expires_at < ?1");
        if (!s)
            return s.error();
        s->bind(1, now);
        if (auto w = s->run(); !w)
            return w;
        count = int(db.changes());
        return {};
    });
    if (!r)
        return r.error();
    return count;
}

Result<UserRecord> SqliteStore::userById(const std::string &id)
{
    return withReader<UserRecord>([&](SqliteDb &db) -> Result<UserRecord> {
        return required(findUser(db, "id = ?1", id), "no user with id " + id);
    });
}

Result<UserRecord> SqliteStore::userByUsername(const std::string &username)
{
    return withReader<UserRecord>([&](SqliteDb &db) -> Result<UserRecord> {
        return required(findUser(db, "username = ?1 COLLATE NOCASE", username),
                        "no user named \"" + username + "\"");
    });
}

Result<std::vector<UserRecord>> SqliteStore::listUsers()
{
    using Users = std::vector<UserRecord>;
    return withReader<Users>([&](SqliteDb &db) -> Result<Users> {
        auto s = db.prepare(std::string("SELECT ") + kUserColumns +
                            " FROM users ORDER BY username COLLATE NOCASE");
        if (!s)
            return s.error();
        Users out;
        if (auto r = forEachRow(*s, [&](Statement &row) { out.push_back(readUser(row)); }); !r)
            return r.error();
        for (auto &u : out)
            if (auto r = completeUser(db, u); !r)
                return r.error();
        return out;
    });
}

Result<std::int64_t> SqliteStore::userCount()
{
    return withReader<std::int64_t>([&](SqliteDb &db) -> Result<std::int64_t> {
        return db.queryInt("SELECT count(*) FROM users");
    });
}

Result<GroupRecord> SqliteStore::groupById(const std::string &id)
{
    return withReader<GroupRecord>([&](SqliteDb &db) -> Result<GroupRecord> {
        return required(findGroup(db, "id = ?1", id), "no group with id " + id);
    });
}

Result<GroupRecord> SqliteStore::groupByName(const std::string &name)
{
    return withReader<GroupRecord>([&](SqliteDb &db) -> Result<GroupRecord> {
        return required(findGroup(db, "name = ?1 COLLATE NOCASE", name),
                        "no group named \"" + name + "\"");
    });
}

Result<std::vector<GroupRecord>> SqliteStore::listGroups()
{
    using Groups = std::vector<GroupRecord>;
    return withReader<Groups>([&](SqliteDb &db) -> Result<Groups> {
        auto ids = db.prepare("SELECT id FROM groups ORDER BY name COLLATE NOCASE");
        if (!ids)
            return ids.error();
        std::vector<std::string> groupIds;
        if (auto r = forEachRow(*ids, [&](Statement &row) { groupIds.push_back(row.text(0)); }); !r)
            return r.error();
        Groups out;
        for (const auto &id : groupIds) {
            auto g = findGroup(db, "id = ?1", id);
            if (!g)
                return g.error();
            if (*g)
                out.push_back(std::move(**g));
        }
        return out;
    });
}

Result<TokenRecord> SqliteStore::tokenByHash(const std::string &tokenHash)
{
    return withReader<TokenRecord>(
        [&](SqliteDb &db) { return readOneToken(db, "token_hash", tokenHash, "no such token"); });
}

Result<TokenRecord> SqliteStore::tokenById(const std::string &id)
{
    return withReader<TokenRecord>(
        [&](SqliteDb &db) { return readOneToken(db, "id", id, "no token with id " + id); });
}

Result<std::vector<TokenRecord>> SqliteStore::listTokens(const std::string &kind,
                                                         const std::string &userId)
{
    return withReader<std::vector<TokenRecord>>(
        [&](SqliteDb &db) -> Result<std::vector<TokenRecord>> {
            auto s = db.prepare(std::string(kTokenColumns) +
                                "WHERE kind = ?1 AND (?2 = '' OR user_id = ?2) "
                                "ORDER BY created_at DESC, id DESC");
            if (!s)
                return s.error();
            s->bind(1, kind).bind(2, userId);
            std::vector<TokenRecord> out;
            while (true) {
                auto row = s->step();
                if (!row)
                    return row.error();
                if (!*row)
                    break;
                out.push_back(readToken(*s));
            }
            return out;
        });
}

Result<void> SqliteStore::setTokenLastUsed(const std::string &tokenId, Millis at)
{
    return withWriter([&](SqliteDb &db) -> Result<void> {
        auto s = db.prepare("UPDATE tokens SET last_used_at = ?2 WHERE id = ?1");
        if (!s)
            return s.error();
        s->bind(1, tokenId).bind(2, at);
        if (auto w = s->run(); !w)
            return w;
        if (db.changes() == 0)
            return Error::notFound("no token with id " + tokenId);
        return {};
    });
}

} // namespace flowdeck::store
