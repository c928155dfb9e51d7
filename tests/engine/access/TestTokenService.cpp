// SPDX-License-Identifier: GPL-3.0-or-later
// Sign-in tokens against a real (in-memory) store, with a clock the test moves by hand.
#include "engine/access/TokenService.h"
#include "engine/store/SqliteStore.h"

#include <QTest>

#include <set>

using namespace flowdeck;
using namespace flowdeck::access;
using store::Millis;

namespace {

struct Fixture
{
    Millis now = 1'000'000;
    std::unique_ptr<store::SqliteStore> db = std::move(*store::SqliteStore::open(":memory:"));
    TokenService tokens{*db, [this] { return now; }};

    std::string addUser(const std::string &name, std::vector<std::string> roles,
                        std::vector<std::string> groups = {})
    {
        store::UserRecord u;
        u.username = name;
        u.roles = std::move(roles);
        u.groups = std::move(groups);
        return db->createUser(u)->id;
    }
};

bool isUrlSafeBase64(const std::string &s)
{
    return std::all_of(s.begin(), s.end(),
                       [](unsigned char c) { return std::isalnum(c) || c == '-' || c == '_'; });
}

} // namespace

class TestTokenService : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void issuesARandomTokenStoredOnlyAsItsHash()
    {
        Fixture f;
        const auto id = f.addUser("alice", {"operator"});
        auto a = f.tokens.issue(id, 60'000);
        auto b = f.tokens.issue(id, 60'000);
        QVERIFY(a.ok() && b.ok());
        QCOMPARE(a->token.size(), std::size_t(43)); // 32 bytes, base64 without padding
        QVERIFY2(isUrlSafeBase64(a->token), a->token.c_str());
        QVERIFY(a->token != b->token);
        QCOMPARE(a->record.expiresAt, f.now + 60'000);
        QCOMPARE(a->record.kind, std::string("session"));
        QCOMPARE(a->record.tokenHash, TokenService::hashToken(a->token));
        QCOMPARE(a->record.tokenHash.size(), std::size_t(64));
        QVERIFY(a->record.tokenHash.find(a->token) == std::string::npos);
        auto stored = f.db->tokenByHash(a->record.tokenHash);
        QVERIFY(stored.ok());
        QCOMPARE(stored->userId, id);
    }

    void authenticatesToThePrincipal()
    {
        Fixture f;
        store::GroupRecord g;
        g.name = "ops";
        const auto group = f.db->createGroup(g)->id;
        const auto id = f.addUser("alice", {"operator"}, {group});
        auto t = f.tokens.issue(id, 60'000);
        auto p = f.tokens.authenticate(t->token);
        QVERIFY2(p.ok(), p.ok() ? "" : p.error().message.c_str());
        QCOMPARE(p->userId, id);
        QCOMPARE(p->username, std::string("alice"));
        QCOMPARE(p->groups, std::set<std::string>{group});
        QVERIFY(!p->admin);
        QVERIFY(p->can("claimTask"));
        QVERIFY(!p->can("assignTask"));

        const auto admin = f.addUser("root", {"admin"});
        auto ta = f.tokens.issue(admin, 60'000);
        QVERIFY(f.tokens.authenticate(ta->token)->admin);
    }

    void refusesUnknownAndEmptyTokens()
    {
        Fixture f;
        for (const char *bad : {"", "not-a-token", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}) {
            auto p = f.tokens.authenticate(bad);
            QVERIFY(!p.ok());
            QCOMPARE(p.error().code, ErrorCode::Unauthorized);
        }
    }

    void expiresAtItsTime()
    {
        Fixture f;
        const auto id = f.addUser("alice", {"viewer"});
        auto t = f.tokens.issue(id, 60'000);
        f.now += 59'999;
        QVERIFY(f.tokens.authenticate(t->token).ok());
        f.now += 1;
        auto p = f.tokens.authenticate(t->token);
        QVERIFY(!p.ok());
        QCOMPARE(p.error().code, ErrorCode::Unauthorized);
        QVERIFY2(p.error().message.find("expired") != std::string::npos, p.error().message.c_str());
        // The explicit-time form agrees.
        QVERIFY(f.tokens.authenticate(t->token, f.now - 2).ok());

        QCOMPARE(*f.tokens.deleteExpired(), 0); // expired exactly now, not before now
        f.now += 1;
        QCOMPARE(*f.tokens.deleteExpired(), 1);
        QVERIFY(f.tokens.authenticate(t->token).error().message.find("not valid") !=
                std::string::npos);
    }

    void revokesOneToken()
    {
        Fixture f;
        const auto id = f.addUser("alice", {"viewer"});
        auto a = f.tokens.issue(id, 60'000);
        auto b = f.tokens.issue(id, 60'000);
        QVERIFY(f.tokens.revoke(a->token).ok());
        auto p = f.tokens.authenticate(a->token);
        QCOMPARE(p.error().code, ErrorCode::Unauthorized);
        QVERIFY(p.error().message.find("revoked") != std::string::npos);
        QVERIFY(f.tokens.authenticate(b->token).ok());
        QCOMPARE(f.tokens.revoke("unknown").error().code, ErrorCode::NotFound);
    }

    void revokesEveryTokenOfAUser()
    {
        Fixture f;
        const auto alice = f.addUser("alice", {"viewer"});
        const auto bob = f.addUser("bob", {"viewer"});
        auto a1 = f.tokens.issue(alice, 60'000);
        auto a2 = f.tokens.issue(alice, 60'000, "client");
        auto b1 = f.tokens.issue(bob, 60'000);
        QCOMPARE(*f.tokens.revokeAll(alice), 2);
        QVERIFY(!f.tokens.authenticate(a1->token).ok());
        QVERIFY(!f.tokens.authenticate(a2->token).ok());
        QVERIFY(f.tokens.authenticate(b1->token).ok());
    }

    void aDisabledUsersTokensStopWorking()
    {
        Fixture f;
        const auto id = f.addUser("alice", {"operator"});
        auto t = f.tokens.issue(id, 60'000);
        QVERIFY(f.db->setUserDisabled(id, true).ok());
        auto p = f.tokens.authenticate(t->token);
        QCOMPARE(p.error().code, ErrorCode::Unauthorized);
        QVERIFY(p.error().message.find("disabled") != std::string::npos);
        QVERIFY(f.db->setUserDisabled(id, false).ok());
        QVERIFY(f.tokens.authenticate(t->token).ok());
    }

    void refusesBadIssueArguments()
    {
        Fixture f;
        const auto id = f.addUser("alice", {"viewer"});
        QCOMPARE(f.tokens.issue(id, 0).error().code, ErrorCode::Invalid);
        QCOMPARE(f.tokens.issue(id, 1'000, "forever").error().code, ErrorCode::Invalid);
        // An unknown user: the foreign key refuses it.
        QVERIFY(!f.tokens.issue("ffffffffffffffffffffffff", 1'000).ok());
    }
};

QTEST_APPLESS_MAIN(TestTokenService)
#include "TestTokenService.moc"
