// SPDX-License-Identifier: GPL-3.0-or-later
// GET /authorization/accounts through EngineApi::dispatch: who is listed and how, that no
// secret ever leaves (password hashes, tokens), disabled accounts flagged and filtered, the
// filters and paging, and the permission (every built-in role reads it; no role, no list).
#include "tests/engine/api/OpsManagerFixture.h"
#include "tests/support/JsonAsserts.h"

#include <QTest>

using namespace flowdeck;
using namespace flowdeck::api;
using nlohmann::json;

namespace {
using Query = std::multimap<std::string, std::string>;
const std::string kAccounts = "/authorization/accounts";

/// "admin,alice,…": readable when a comparison fails.
QString usernames(const json &accounts)
{
    QStringList out;
    for (const auto &a : accounts)
        out << QString::fromStdString(a["username"].get<std::string>());
    return out.join(u',');
}
} // namespace

class TestAccountsApi : public QObject
{
    Q_OBJECT
    std::unique_ptr<test::OpsManagerFixture> f;

    ApiResponse accounts(const std::optional<Principal> &who, Query query = {})
    {
        return f->call(Method::Get, kAccounts, who, nullptr, std::move(query));
    }

private Q_SLOTS:
    void init() { f = std::make_unique<test::OpsManagerFixture>(); }

    void listsEveryAccountByUsername()
    {
        auto r = accounts(f->admin);
        QCOMPARE(r.status, 200);
        QCOMPARE(usernames(r.json["data"]), QStringLiteral("admin,alice,bob,carol,dan,vic"));
        QCOMPARE_JSON(r.json["metadata"]["total"], 6);
        const json &alice = r.json["data"][1];
        QCOMPARE_JSON(alice["_id"], f->aliceUser.id);
        QCOMPARE_JSON(alice["roles"], json::array({"operator"}));
        QCOMPARE_JSON(alice["groups"], json::array({{{"_id", f->noc}, {"name", "noc"}}}));
        QCOMPARE_JSON(alice["disabled"], false);
        QVERIFY(alice.contains("displayName"));
    }

    void neverCarriesSecrets()
    {
        QVERIFY(f->accounts->setPassword(f->aliceUser.id, "correct horse battery").ok());
        auto signedIn = f->accounts->signIn("alice", "correct horse battery", "127.0.0.1");
        QVERIFY(signedIn.ok());
        const auto stored = f->store->userById(f->aliceUser.id);
        QVERIFY(stored.ok() && stored->passwordHash && !stored->passwordHash->empty());

        auto r = accounts(f->admin);
        QCOMPARE(r.status, 200);
        const std::string text = r.json.dump();
        QVERIFY(text.find(*stored->passwordHash) == std::string::npos);
        QVERIFY(text.find("argon2") == std::string::npos);
        QVERIFY(text.find(signedIn->token) == std::string::npos);
        for (const auto &account : r.json["data"]) {
            QCOMPARE(account.size(), std::size_t(7)); // _id, username, displayName, groups,
                                                      // roles, kind, disabled: nothing else
            QCOMPARE_JSON(account["kind"], "person");
            for (const char *secret : {"password", "passwordHash", "hash", "token", "email"})
                QVERIFY2(!account.contains(secret), secret);
        }
    }

    void disabledAccountsAreFlaggedAndCanBeLeftOut()
    {
        auto all = accounts(f->admin);
        for (const auto &a : all.json["data"])
            QCOMPARE_JSON(a["disabled"], a["username"] == "dan");
        auto active = accounts(f->admin, {{"equals[disabled]", "false"}});
        QCOMPARE(usernames(active.json["data"]), QStringLiteral("admin,alice,bob,carol,vic"));
        auto disabled = accounts(f->admin, {{"equals[disabled]", "true"}});
        QCOMPARE(usernames(disabled.json["data"]), QStringLiteral("dan"));
    }

    void filtersAndPages()
    {
        QCOMPARE(usernames(accounts(f->admin, {{"contains[username]", "AR"}}).json["data"]),
                 QStringLiteral("carol"));
        auto page = accounts(f->admin, {{"skip", "2"}, {"limit", "2"}});
        QCOMPARE(usernames(page.json["data"]), QStringLiteral("bob,carol"));
        QCOMPARE_JSON(page.json["metadata"]["total"], 6);
        QCOMPARE_JSON(page.json["metadata"]["nextPageSkip"], 4);
        for (const auto &[key, value] :
             std::vector<std::pair<std::string, std::string>>{{"foo", "1"},
                                                              {"limit", "0"},
                                                              {"limit", "x"},
                                                              {"skip", "-1"},
                                                              {"equals[disabled]", "maybe"},
                                                              {"contains[password]", "a"}}) {
            auto r = accounts(f->admin, {{key, value}});
            QVERIFY2(r.status == 400, key.c_str());
            QCOMPARE_JSON(r.json["details"]["parameter"], key);
        }
    }

    void everyRoleReadsItButNoRoleDoesNot()
    {
        // Operators pick whom to hand a task to; viewers see owners already (Roles.cpp).
        QCOMPARE(accounts(f->alice).status, 200);
        QCOMPARE(accounts(f->vic).status, 200);
        QCOMPARE(accounts(std::nullopt).status, 401);
        Principal nobody; // an account whose roles grant nothing
        nobody.userId = f->aliceUser.id;
        nobody.username = "alice";
        auto refused = accounts(nobody);
        QCOMPARE(refused.status, 403);
        QVERIFY(refused.json["message"].get<std::string>().find("getAccounts") !=
                std::string::npos);
    }
};

QTEST_GUILESS_MAIN(TestAccountsApi)
#include "TestAccountsApi.moc"
