// SPDX-License-Identifier: GPL-3.0-or-later
// The store's account tables: users with roles and groups, groups with members, tokens.
#include "engine/model/Ids.h"
#include "engine/store/SqliteStore.h"

#include <QTemporaryDir>
#include <QTest>

using namespace flowdeck;
using namespace flowdeck::store;

namespace {

std::unique_ptr<SqliteStore> memoryStore()
{
    SqliteStore::Options options;
    options.clock = [] { return Millis(1'000); };
    return std::move(*SqliteStore::open(":memory:", options));
}

UserRecord user(const std::string &name, std::vector<std::string> roles = {"operator"})
{
    UserRecord u;
    u.username = name;
    u.displayName = name + " display";
    u.email = name + "@example.com";
    u.roles = std::move(roles);
    return u;
}

TokenRecord token(const std::string &hash, const std::string &userId, Millis expires)
{
    TokenRecord t;
    t.id = ids::newObjectId();
    t.tokenHash = hash;
    t.userId = userId;
    t.createdAt = 1'000;
    t.expiresAt = expires;
    return t;
}

} // namespace

class TestAccountStore : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void createsAndReadsAUserWithRolesAndGroups()
    {
        auto store = memoryStore();
        GroupRecord g;
        g.name = "Network";
        g.description = "network operators";
        auto group = store->createGroup(g);
        QVERIFY(group.ok());
        QVERIFY(ids::isObjectId(group->id));

        auto u = user("alice", {"viewer", "operator"});
        u.groups = {group->id};
        u.passwordHash = "$argon2id$stand-in";
        auto created = store->createUser(u);
        QVERIFY2(created.ok(), created.ok() ? "" : created.error().message.c_str());
        QVERIFY(ids::isObjectId(created->id));
        QCOMPARE(created->createdAt, Millis(1'000));

        auto byId = store->userById(created->id);
        QVERIFY(byId.ok());
        QCOMPARE(byId->username, std::string("alice"));
        QCOMPARE(byId->displayName, std::string("alice display"));
        QCOMPARE(byId->email, std::string("alice@example.com"));
        QCOMPARE(byId->passwordHash, std::optional<std::string>("$argon2id$stand-in"));
        QCOMPARE(byId->roles, (std::vector<std::string>{"operator", "viewer"}));
        QCOMPARE(byId->groups, std::vector<std::string>{group->id});
        QCOMPARE(byId->kind, std::string("person"));
        QVERIFY(!byId->disabled);

        auto g2 = store->groupByName("network");
        QVERIFY(g2.ok());
        QCOMPARE(g2->members, std::vector<std::string>{created->id});
        QCOMPARE(g2->description, std::string("network operators"));
    }

    void usernamesAreUniqueRegardlessOfCase()
    {
        auto store = memoryStore();
        QVERIFY(store->createUser(user("Alice")).ok());
        auto again = store->createUser(user("aLICE"));
        QVERIFY(!again.ok());
        QCOMPARE(again.error().code, ErrorCode::Conflict);
        QVERIFY(again.error().message.find("Alice") != std::string::npos);
        auto found = store->userByUsername("ALICE");
        QVERIFY(found.ok());
        QCOMPARE(found->username, std::string("Alice"));
        QCOMPARE(*store->userCount(), std::int64_t(1));

        // The index holds even for a write that skips the check.
        auto bob = store->createUser(user("bob"));
        auto renamed = *bob;
        renamed.username = "ALICE";
        auto clash = store->updateUser(renamed);
        QVERIFY(!clash.ok());
        QCOMPARE(clash.error().code, ErrorCode::Conflict);
    }

    void groupNamesAreUniqueRegardlessOfCase()
    {
        auto store = memoryStore();
        GroupRecord g;
        g.name = "Ops";
        QVERIFY(store->createGroup(g).ok());
        g.name = "OPS";
        auto again = store->createGroup(g);
        QVERIFY(!again.ok());
        QCOMPARE(again.error().code, ErrorCode::Conflict);
    }

    void aUserInAnUnknownGroupIsNotCreated()
    {
        auto store = memoryStore();
        auto u = user("carol");
        u.groups = {"ffffffffffffffffffffffff"};
        auto created = store->createUser(u);
        QVERIFY(!created.ok());
        QCOMPARE(created.error().code, ErrorCode::NotFound);
        QVERIFY(store->userByUsername("carol").error().code == ErrorCode::NotFound);
        QCOMPARE(*store->userCount(), std::int64_t(0));
    }

    void updatesPasswordDisabledRolesAndProfile()
    {
        auto store = memoryStore();
        auto u = *store->createUser(user("dave"));
        QVERIFY(store->setPasswordHash(u.id, std::string("h2")).ok());
        QVERIFY(store->setUserDisabled(u.id, true).ok());
        QVERIFY(store->setUserRoles(u.id, {"admin"}).ok());
        u.displayName = "Dave D.";
        u.email = "dave@example.org";
        QVERIFY(store->updateUser(u).ok());
        auto read = *store->userById(u.id);
        QCOMPARE(read.passwordHash, std::optional<std::string>("h2"));
        QVERIFY(read.disabled);
        QCOMPARE(read.roles, std::vector<std::string>{"admin"});
        QCOMPARE(read.displayName, std::string("Dave D."));
        QCOMPARE(read.email, std::string("dave@example.org"));
        QVERIFY(store->setPasswordHash(u.id, std::nullopt).ok());
        QVERIFY(!store->userById(u.id)->passwordHash);

        const std::string missing = "ffffffffffffffffffffffff";
        QCOMPARE(store->setPasswordHash(missing, std::string("x")).error().code,
                 ErrorCode::NotFound);
        QCOMPARE(store->setUserDisabled(missing, true).error().code, ErrorCode::NotFound);
        QCOMPARE(store->setUserRoles(missing, {"admin"}).error().code, ErrorCode::NotFound);
    }

    void addsAndRemovesMembers()
    {
        auto store = memoryStore();
        auto a = *store->createUser(user("a"));
        auto b = *store->createUser(user("b"));
        GroupRecord g;
        g.name = "team";
        auto group = *store->createGroup(g);
        QVERIFY(store->addGroupMember(group.id, a.id).ok());
        QVERIFY(store->addGroupMember(group.id, b.id).ok());
        QVERIFY(store->addGroupMember(group.id, b.id).ok()); // twice is harmless
        auto members = store->groupById(group.id)->members;
        std::vector<std::string> expected{a.id, b.id};
        std::sort(expected.begin(), expected.end());
        QCOMPARE(members, expected);
        QCOMPARE(store->userById(a.id)->groups, std::vector<std::string>{group.id});

        QVERIFY(store->removeGroupMember(group.id, a.id).ok());
        QVERIFY(store->removeGroupMember(group.id, a.id).ok());
        QCOMPARE(store->groupById(group.id)->members, std::vector<std::string>{b.id});
        QVERIFY(store->userById(a.id)->groups.empty());

        QCOMPARE(store->addGroupMember(group.id, "ffffffffffffffffffffffff").error().code,
                 ErrorCode::NotFound);
        QCOMPARE(store->addGroupMember("ffffffffffffffffffffffff", a.id).error().code,
                 ErrorCode::NotFound);
    }

    void listsUsersAndGroupsByName()
    {
        auto store = memoryStore();
        QVERIFY(store->createUser(user("zed")).ok());
        QVERIFY(store->createUser(user("Amy")).ok());
        QVERIFY(store->createUser(user("bo")).ok());
        auto users = *store->listUsers();
        QCOMPARE(users.size(), std::size_t(3));
        QCOMPARE(users[0].username, std::string("Amy"));
        QCOMPARE(users[1].username, std::string("bo"));
        QCOMPARE(users[2].username, std::string("zed"));
        QCOMPARE(users[0].roles, std::vector<std::string>{"operator"});
        GroupRecord g;
        g.name = "b-team";
        QVERIFY(store->createGroup(g).ok());
        g.name = "A-team";
        QVERIFY(store->createGroup(g).ok());
        auto groups = *store->listGroups();
        QCOMPARE(groups.size(), std::size_t(2));
        QCOMPARE(groups[0].name, std::string("A-team"));
    }

    void savesFindsRevokesAndExpiresTokens()
    {
        auto store = memoryStore();
        auto a = *store->createUser(user("a"));
        auto b = *store->createUser(user("b"));
        QVERIFY(store->saveToken(token("h1", a.id, 5'000)).ok());
        auto t2 = token("h2", a.id, 9'000);
        t2.kind = "client";
        QVERIFY(store->saveToken(t2).ok());
        QVERIFY(store->saveToken(token("h3", b.id, 9'000)).ok());
        QCOMPARE(store->saveToken(token("h1", b.id, 9'000)).error().code, ErrorCode::Conflict);

        auto found = store->tokenByHash("h2");
        QVERIFY(found.ok());
        QCOMPARE(found->userId, a.id);
        QCOMPARE(found->kind, std::string("client"));
        QCOMPARE(found->expiresAt, Millis(9'000));
        QVERIFY(!found->revokedAt);
        QCOMPARE(store->tokenByHash("nope").error().code, ErrorCode::NotFound);

        QVERIFY(store->revokeToken(found->id, 2'000).ok());
        QVERIFY(store->revokeToken(found->id, 3'000).ok()); // the first time stays
        QCOMPARE(*store->tokenByHash("h2")->revokedAt, Millis(2'000));
        QCOMPARE(store->revokeToken("ffffffffffffffffffffffff", 1).error().code,
                 ErrorCode::NotFound);

        QCOMPARE(*store->revokeUserTokens(a.id, 4'000), 1); // h1 only: h2 already revoked
        QCOMPARE(*store->tokenByHash("h1")->revokedAt, Millis(4'000));
        QVERIFY(!store->tokenByHash("h3")->revokedAt);

        QCOMPARE(*store->deleteExpiredTokens(6'000), 1);
        QCOMPARE(store->tokenByHash("h1").error().code, ErrorCode::NotFound);
        QVERIFY(store->tokenByHash("h3").ok());
    }

    void tokensGoWithTheirUser()
    {
        QTemporaryDir dir;
        const auto path = dir.filePath(QStringLiteral("cascade.db")).toStdString();
        auto store = *SqliteStore::open(path);
        auto a = *store->createUser(user("a"));
        QVERIFY(store->saveToken(token("h1", a.id, 5'000)).ok());
        auto db = SqliteDb::open(path);
        QVERIFY(db->exec("DELETE FROM users WHERE id = '" + a.id + "'").ok());
        QCOMPARE(store->tokenByHash("h1").error().code, ErrorCode::NotFound);
    }

    void eachWriteIsAtomic()
    {
        auto store = memoryStore();
        // A failing write inside a caller's transaction takes the others back with it.
        auto r = store->transaction([&]() -> Result<void> {
            if (auto u = store->createUser(user("erin")); !u)
                return u.error();
            return store->createUser(user("ERIN")).error();
        });
        QVERIFY(!r.ok());
        QCOMPARE(*store->userCount(), std::int64_t(0));
    }
};

QTEST_APPLESS_MAIN(TestAccountStore)
#include "TestAccountStore.moc"
