// SPDX-License-Identifier: GPL-3.0-or-later
// Accounts: validation, sign-in and its slowdown, principals, the local account and the first
// administrator. Each argon2id hash costs ~50-100 ms, so few tests set passwords.
#include "engine/access/AccountService.h"
#include "engine/store/SqliteStore.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

using namespace flowdeck;
using namespace flowdeck::access;
using store::Millis;

namespace {

struct Fixture
{
    Millis now = 5'000'000;
    std::unique_ptr<store::SqliteStore> db = std::move(*store::SqliteStore::open(":memory:"));
    AccountService accounts{*db, options()};

    AccountService::Options options()
    {
        AccountService::Options o;
        o.clock = [this] { return now; };
        o.sessionTtlMs = 3'600'000;
        o.throttle.freeFailures = 1;
        o.throttle.baseDelayMs = 100;
        o.throttle.maxDelayMs = 10'000;
        return o;
    }
};

NewUser newUser(const std::string &name, std::vector<std::string> roles = {"operator"})
{
    NewUser u;
    u.username = name;
    u.displayName = "Display " + name;
    u.email = name + "@example.com";
    u.roles = std::move(roles);
    return u;
}

void expectInvalidNaming(const Result<store::UserRecord> &r, const std::string &value)
{
    QVERIFY(!r.ok());
    QCOMPARE(r.error().code, ErrorCode::Invalid);
    QVERIFY2(r.error().message.find(value) != std::string::npos, r.error().message.c_str());
}

std::string readAll(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return f.readAll().toStdString();
}

} // namespace

class TestAccountService : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void createUserValidatesEachField()
    {
        Fixture f;
        expectInvalidNaming(f.accounts.createUser(newUser("bad name")), "bad name");
        expectInvalidNaming(f.accounts.createUser(newUser("semi;colon")), "semi;colon");
        expectInvalidNaming(f.accounts.createUser(newUser("")), "1 to 64");
        expectInvalidNaming(f.accounts.createUser(newUser(std::string(65, 'a'))), "1 to 64");
        QVERIFY(f.accounts.createUser(newUser(std::string(64, 'a'))).ok());
        auto punctuated = newUser("first.last_2@corp-x");
        punctuated.email = "first.last@corp-x.example";
        QVERIFY(f.accounts.createUser(punctuated).ok());
        expectInvalidNaming(f.accounts.createUser(newUser("u1", {"operator", "root"})), "root");
        expectInvalidNaming(f.accounts.createUser(newUser("u2", {})), "at least one role");
        auto badGroup = newUser("u3");
        badGroup.groups = {"no-such-group"};
        expectInvalidNaming(f.accounts.createUser(badGroup), "no-such-group");
        auto badEmail = newUser("u4");
        badEmail.email = "not-an-email";
        expectInvalidNaming(f.accounts.createUser(badEmail), "not-an-email");
        auto emptyPassword = newUser("u5");
        emptyPassword.password = "";
        expectInvalidNaming(f.accounts.createUser(emptyPassword), "password");
        QCOMPARE(*f.db->userCount(), std::int64_t(2));

        QVERIFY(f.accounts.createUser(newUser("Alice")).ok());
        auto dup = f.accounts.createUser(newUser("alice"));
        QVERIFY(!dup.ok());
        QCOMPARE(dup.error().code, ErrorCode::Conflict);
        QVERIFY(dup.error().message.find("Alice") != std::string::npos);
    }

    void groupsAreNamedByNameOrId()
    {
        Fixture f;
        auto ops = f.accounts.createGroup("Ops", "operations");
        auto net = f.accounts.createGroup("net", "");
        QVERIFY(ops.ok() && net.ok());
        auto u = newUser("alice");
        u.groups = {"ops", net->id};
        auto created = f.accounts.createUser(u);
        QVERIFY2(created.ok(), created.ok() ? "" : created.error().message.c_str());
        std::vector<std::string> expected{ops->id, net->id};
        std::sort(expected.begin(), expected.end());
        QCOMPARE(created->groups, expected);

        QCOMPARE(f.accounts.createGroup("OPS", "").error().code, ErrorCode::Conflict);
        QCOMPARE(f.accounts.createGroup("", "").error().code, ErrorCode::Invalid);
        QCOMPARE(f.accounts.createGroup("   ", "").error().code, ErrorCode::Invalid);
        QCOMPARE(f.accounts.createGroup("tab\there", "").error().code, ErrorCode::Invalid);
    }

    void principalsCarryGroupsPermissionsAndAdmin()
    {
        Fixture f;
        auto ops = *f.accounts.createGroup("ops", "");
        auto op = newUser("op");
        op.groups = {"ops"};
        const auto opId = f.accounts.createUser(op)->id;
        const auto adminId = f.accounts.createUser(newUser("boss", {"admin"}))->id;
        auto p = f.accounts.principalFor(opId);
        QVERIFY(p.ok());
        QCOMPARE(p->groups, std::set<std::string>{ops.id});
        QVERIFY(!p->admin);
        QVERIFY(p->can("startJob"));
        QVERIFY(!p->can("assignTask"));
        QVERIFY(f.accounts.principalFor(adminId)->admin);
        QVERIFY(f.accounts.principalFor(adminId)->can("assignTask"));

        QVERIFY(f.accounts.disable(opId).ok());
        QCOMPARE(f.accounts.principalFor(opId).error().code, ErrorCode::Unauthorized);
        QVERIFY(f.accounts.enable(opId).ok());
        QVERIFY(f.accounts.principalFor(opId).ok());
        QCOMPARE(f.accounts.principalFor("ffffffffffffffffffffffff").error().code,
                 ErrorCode::NotFound);

        QVERIFY(f.accounts.setRoles(opId, {"admin"}).ok());
        QVERIFY(f.accounts.principalFor(opId)->admin);
        QCOMPARE(f.accounts.setRoles(opId, {"wizard"}).error().code, ErrorCode::Invalid);
        QCOMPARE(f.accounts.setRoles(opId, {}).error().code, ErrorCode::Invalid);
    }

    void signInIssuesATokenAndRefusesAlikeOtherwise()
    {
        Fixture f;
        auto u = newUser("alice");
        u.password = "s3cret-enough";
        const auto id = f.accounts.createUser(u)->id;
        QVERIFY(f.db->userById(id)->passwordHash->rfind("$argon2id$", 0) == 0);

        auto ok = f.accounts.signIn("ALICE", "s3cret-enough", "10.0.0.1");
        QVERIFY2(ok.ok(), ok.ok() ? "" : ok.error().message.c_str());
        QCOMPARE(ok->principal.userId, id);
        QCOMPARE(ok->expiresAt, f.now + 3'600'000);
        QCOMPARE(f.accounts.tokens().authenticate(ok->token)->userId, id);

        // A wrong password, an unknown user, a disabled account: one message, from different
        // addresses so the slowdown does not interfere.
        auto wrong = f.accounts.signIn("alice", "guess", "10.0.0.2");
        auto unknown = f.accounts.signIn("mallory", "guess", "10.0.0.3");
        QVERIFY(f.accounts.disable(id).ok());
        auto disabled = f.accounts.signIn("alice", "s3cret-enough", "10.0.0.4");
        for (const auto *r : {&wrong, &unknown, &disabled}) {
            QVERIFY(!r->ok());
            QCOMPARE(r->error().code, ErrorCode::Unauthorized);
            QCOMPARE(r->error().message, wrong.error().message);
        }
        // Disabling signed the account out everywhere.
        QVERIFY(!f.accounts.tokens().authenticate(ok->token).ok());

        // The local account has no password: no password signs in to it.
        QVERIFY(f.accounts.ensureLocalAccount("localuser").ok());
        QCOMPARE(f.accounts.signIn("localuser", "", "10.0.0.5").error().message,
                 wrong.error().message);
    }

    void failedSignInsSlowDownAndSuccessResets()
    {
        Fixture f;
        auto u = newUser("bob");
        u.password = "right";
        QVERIFY(f.accounts.createUser(u).ok());
        const std::string addr = "192.0.2.1";

        auto first = f.accounts.signIn("bob", "wrong", addr);
        QCOMPARE(first.error().details["retryAfterMs"].get<Millis>(), Millis(0));
        auto second = f.accounts.signIn("bob", "wrong", addr);
        QCOMPARE(second.error().details["retryAfterMs"].get<Millis>(), Millis(100));
        // Too soon: refused before the password is even looked at, even a right one.
        f.now += 50;
        auto early = f.accounts.signIn("bob", "right", addr);
        QCOMPARE(early.error().code, ErrorCode::TooManyRequests);
        QCOMPARE(early.error().details["retryAfterMs"].get<Millis>(), Millis(50));
        f.now += 50;
        auto third = f.accounts.signIn("bob", "wrong", addr);
        QCOMPARE(third.error().details["retryAfterMs"].get<Millis>(), Millis(200));
        // The same account from another address is not held back by this one's guessing.
        QVERIFY(f.accounts.signIn("bob", "right", "192.0.2.99").ok());
        // A new mistake from a fresh address is free.
        auto after = f.accounts.signIn("bob", "wrong", "192.0.2.50");
        QCOMPARE(after.error().details["retryAfterMs"].get<Millis>(), Millis(0));
        // The guessing pair still waits, and success from the pair clears it.
        QVERIFY(
            f.accounts.signIn("bob", "right", addr).error().details["retryAfterMs"].get<Millis>() >
            0);
        f.now += 200;
        QVERIFY(f.accounts.signIn("bob", "right", addr).ok());
        auto fresh = f.accounts.signIn("bob", "wrong", addr);
        QCOMPARE(fresh.error().details["retryAfterMs"].get<Millis>(), Millis(0));
    }

    void setPasswordSignsOutEverywhere()
    {
        Fixture f;
        const auto id = f.accounts.createUser(newUser("carol"))->id;
        auto token = f.accounts.tokens().issue(id, 60'000);
        QCOMPARE(f.accounts.setPassword(id, "").error().code, ErrorCode::Invalid);
        QVERIFY(f.accounts.tokens().authenticate(token->token).ok());
        QVERIFY(f.accounts.setPassword(id, "new password").ok());
        QVERIFY(!f.accounts.tokens().authenticate(token->token).ok());
        QCOMPARE(f.accounts.setPassword("ffffffffffffffffffffffff", "x").error().code,
                 ErrorCode::NotFound);
    }

    void localAccountIsAnAdminCreatedOnce()
    {
        Fixture f;
        auto first = f.accounts.ensureLocalAccount("jdoe");
        QVERIFY(first.ok());
        QVERIFY(first->admin);
        QCOMPARE(first->username, std::string("jdoe"));
        auto stored = *f.db->userByUsername("jdoe");
        QVERIFY(!stored.passwordHash);
        QCOMPARE(stored.roles, std::vector<std::string>{"admin"});
        auto second = f.accounts.ensureLocalAccount("jdoe");
        QCOMPARE(second->userId, first->userId);
        QCOMPARE(*f.db->userCount(), std::int64_t(1));
        QVERIFY(f.accounts.disable(first->userId).ok());
        QCOMPARE(f.accounts.ensureLocalAccount("jdoe").error().code, ErrorCode::Unauthorized);
    }

    void firstStartAdminWritesAPrivatePasswordFile()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("admin-password.txt"));
        Fixture f;
        auto made = f.accounts.firstStartAdmin(path.toStdString());
        QVERIFY2(made.ok(), made.ok() ? "" : made.error().message.c_str());
        QCOMPARE(made->value_or(""), path.toStdString());

        struct stat st = {};
        QCOMPARE(::stat(path.toLocal8Bit().constData(), &st), 0);
        QCOMPARE(int(st.st_mode & 0777), 0600);
        const std::string content = readAll(path);
        QCOMPARE(content.size(), std::size_t(21));
        QCOMPARE(content.back(), '\n');
        const std::string password = content.substr(0, 20);

        auto admin = f.db->userByUsername("admin");
        QVERIFY(admin.ok());
        QCOMPARE(admin->roles, std::vector<std::string>{"admin"});
        QVERIFY(admin->passwordHash->find(password) == std::string::npos);
        auto signedIn = f.accounts.signIn("admin", password, "127.0.0.1");
        QVERIFY(signedIn.ok());
        QVERIFY(signedIn->principal.admin);

        // Only on an empty store: a second start does nothing and leaves the file alone.
        QFile::remove(path);
        auto again = f.accounts.firstStartAdmin(path.toStdString());
        QVERIFY(again.ok());
        QVERIFY(!again->has_value());
        QVERIFY(!QFile::exists(path));
        QCOMPARE(*f.db->userCount(), std::int64_t(1));
    }

    void firstStartAdminRefusesAnExistingFile()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("admin-password.txt"));
        {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("planted\n");
        }
        Fixture f;
        auto made = f.accounts.firstStartAdmin(path.toStdString());
        QVERIFY(!made.ok());
        QCOMPARE(made.error().code, ErrorCode::Conflict);
        QVERIFY(made.error().message.find(path.toStdString()) != std::string::npos);
        QCOMPARE(readAll(path), std::string("planted\n"));
        QCOMPARE(*f.db->userCount(), std::int64_t(0));

        // A folder that cannot be written to: Unavailable, and still no account.
        auto nowhere = f.accounts.firstStartAdmin("/nonexistent-folder/admin-password.txt");
        QCOMPARE(nowhere.error().code, ErrorCode::Unavailable);
        QCOMPARE(*f.db->userCount(), std::int64_t(0));
    }
};

QTEST_APPLESS_MAIN(TestAccountService)
#include "TestAccountService.moc"
