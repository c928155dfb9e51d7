// SPDX-License-Identifier: GPL-3.0-or-later
// The pure parts of access: password hashing, roles and permissions, GBAC, the sign-in
// throttle.
#include "engine/access/Gbac.h"
#include "engine/access/PasswordHasher.h"
#include "engine/access/Roles.h"
#include "engine/access/SignInThrottle.h"

#include <QTest>

#include <sodium.h>

#include <algorithm>

using namespace flowdeck;
using namespace flowdeck::access;

namespace {

// Reference §1, the RBAC column of every table: the API issue checks routes against these.
const std::vector<std::string> kReferenceMethods{"startJob",
                                                 "getJobs",
                                                 "getJob",
                                                 "pauseJobs",
                                                 "resumeJobs",
                                                 "cancelJobs",
                                                 "continueJobFrom",
                                                 "revertJob",
                                                 "deleteJob",
                                                 "deleteJobs",
                                                 "addJobGroup",
                                                 "replaceJobGroups",
                                                 "deleteJobGroup",
                                                 "deleteJobGroups",
                                                 "watchJob",
                                                 "unwatchJob",
                                                 "watchJobs",
                                                 "unwatchJobs",
                                                 "addWatchersToJob",
                                                 "getTasks",
                                                 "getTask",
                                                 "claimTask",
                                                 "assignTask",
                                                 "releaseTask",
                                                 "getManualTaskController",
                                                 "finishManualTask",
                                                 "retryTask",
                                                 "createAutomation",
                                                 "getAutomations",
                                                 "getAutomation",
                                                 "updateAutomation",
                                                 "deleteAutomation",
                                                 "cloneAutomation",
                                                 "exportAutomation",
                                                 "importAutomations",
                                                 "createTrigger",
                                                 "getTriggers",
                                                 "getTrigger",
                                                 "updateTrigger",
                                                 "deleteTrigger",
                                                 "exportTrigger",
                                                 "deleteTriggersByActionId",
                                                 "importTriggers",
                                                 "runEndpointTriggerWithPost",
                                                 "runManualTrigger",
                                                 "getEvents",
                                                 "getEventDefinition"};

const std::vector<std::string> kAdminOnly{"assignTask",
                                          "addJobGroup",
                                          "replaceJobGroups",
                                          "deleteJobGroup",
                                          "deleteJobGroups",
                                          "addWatchersToJob",
                                          "deleteJob",
                                          "deleteJobs",
                                          "bulkDeleteJobs",
                                          "createWorkflow",
                                          "updateWorkflow",
                                          "deleteWorkflow",
                                          "importWorkflows",
                                          "createAutomation",
                                          "updateAutomation",
                                          "deleteAutomation",
                                          "importAutomations",
                                          "cloneAutomation",
                                          "createTrigger",
                                          "updateTrigger",
                                          "deleteTrigger",
                                          "importTriggers",
                                          "deleteTriggersByActionId",
                                          "createServiceAccount",
                                          "listApiTokens",
                                          "createApiToken",
                                          "revokeApiToken"};

model::Principal principal(std::set<std::string> groups, bool admin = false)
{
    model::Principal p;
    p.userId = "aaaaaaaaaaaaaaaaaaaaaaaa";
    p.username = "someone";
    p.groups = std::move(groups);
    p.admin = admin;
    return p;
}

} // namespace

class TestAccess : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void hashesAndVerifiesWithArgon2id()
    {
        auto h = PasswordHasher::hash("correct horse battery staple");
        QVERIFY(h.ok());
        QVERIFY2(h->rfind("$argon2id$", 0) == 0, h->c_str());
        QVERIFY(h->find("correct horse") == std::string::npos);
        QVERIFY(PasswordHasher::verify(*h, "correct horse battery staple"));
        QVERIFY(!PasswordHasher::verify(*h, "correct horse battery stapler"));
        QVERIFY(!PasswordHasher::verify(*h, ""));
        QVERIFY(!PasswordHasher::needsRehash(*h));
        // Salted: the same password never hashes the same twice.
        auto again = PasswordHasher::hash("correct horse battery staple");
        QVERIFY(*again != *h);
    }

    void malformedHashesNeverVerify()
    {
        QVERIFY(!PasswordHasher::verify("", "x"));
        QVERIFY(!PasswordHasher::verify("not a hash", "x"));
        QVERIFY(!PasswordHasher::verify(std::string(500, 'a'), "x"));
        QVERIFY(PasswordHasher::needsRehash("not a hash"));
        QVERIFY(PasswordHasher::needsRehash(""));
    }

    void weakerParametersNeedARehash()
    {
        QVERIFY(sodium_init() >= 0);
        char weak[crypto_pwhash_STRBYTES];
        QCOMPARE(crypto_pwhash_str_alg(weak, "pw", 2, crypto_pwhash_OPSLIMIT_MIN,
                                       crypto_pwhash_MEMLIMIT_MIN, crypto_pwhash_ALG_ARGON2ID13),
                 0);
        QVERIFY(PasswordHasher::verify(weak, "pw"));
        QVERIFY(PasswordHasher::needsRehash(weak));
    }

    void randomPasswordsAreLongAndUnambiguous()
    {
        auto a = PasswordHasher::randomPassword(20);
        auto b = PasswordHasher::randomPassword(20);
        QCOMPARE(a->size(), std::size_t(20));
        QVERIFY(*a != *b);
        for (char c : *a + *b) {
            QVERIFY(std::isalnum(static_cast<unsigned char>(c)));
            QVERIFY(std::string("0O1lI").find(c) == std::string::npos);
        }
    }

    void everyReferenceMethodIsKnown()
    {
        const auto &all = allMethodNames();
        QVERIFY(std::is_sorted(all.begin(), all.end()));
        QVERIFY(std::adjacent_find(all.begin(), all.end()) == all.end());
        for (const auto &m : kReferenceMethods)
            QVERIFY2(std::binary_search(all.begin(), all.end(), m), m.c_str());
        for (const auto &m : kAdminOnly)
            QVERIFY2(std::binary_search(all.begin(), all.end(), m), m.c_str());
        // The routes engine/api already serves.
        for (const char *m : {"getWorkflows", "createWorkflow", "importWorkflows", "exportWorkflow",
                              "deleteWorkflow"})
            QVERIFY2(std::binary_search(all.begin(), all.end(), std::string(m)), m);
    }

    void adminHasEveryPermission()
    {
        const auto p = permissionsForRoles({"admin"});
        const auto &all = allMethodNames();
        QCOMPARE(p, std::set<std::string>(all.begin(), all.end()));
    }

    void operatorRunsJobsAndWorksTasks()
    {
        const auto p = permissionsForRoles({"operator"});
        for (const char *m : {"getJobs",     "getJob",           "startJob",
                              "pauseJobs",   "resumeJobs",       "cancelJobs",
                              "retryTask",   "continueJobFrom",  "revertJob",
                              "getTasks",    "getTask",          "claimTask",
                              "releaseTask", "finishManualTask", "getManualTaskController",
                              "watchJob",    "unwatchJob",       "watchJobs",
                              "unwatchJobs", "getWorkflows",     "getAutomations",
                              "getTriggers", "runManualTrigger", "getEvents"})
            QVERIFY2(p.count(m), m);
        for (const auto &m : kAdminOnly)
            QVERIFY2(!p.count(m), m.c_str());
    }

    void viewerOnlyReads()
    {
        const auto p = permissionsForRoles({"viewer"});
        QVERIFY(!p.empty());
        for (const auto &m : allMethodNames()) {
            const bool read = m.rfind("get", 0) == 0 || m.rfind("search", 0) == 0;
            QVERIFY2(p.count(m) == (read ? 1u : 0u), m.c_str());
        }
        QVERIFY(!p.count("startJob"));
        QVERIFY(!p.count("claimTask"));
    }

    void rolesCombineAndUnknownOnesGrantNothing()
    {
        QCOMPARE(permissionsForRoles({"viewer", "operator"}), permissionsForRoles({"operator"}));
        QVERIFY(permissionsForRoles({"superuser"}).empty());
        QVERIFY(permissionsForRoles({}).empty());
    }

    void unknownRolesAreRefusedByName()
    {
        QVERIFY(checkRoles({"admin", "operator", "viewer"}).ok());
        auto r = checkRoles({"operator", "root"});
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, ErrorCode::Invalid);
        QVERIFY(r.error().message.find("\"root\"") != std::string::npos);
        QVERIFY(!isKnownRole("Admin")); // role names are exact
    }

    void gbacVisibility_data()
    {
        QTest::addColumn<QStringList>("mine");
        QTest::addColumn<bool>("admin");
        QTest::addColumn<QStringList>("restrictedTo");
        QTest::addColumn<bool>("visible");
        const QString a = QStringLiteral("a1a1a1a1a1a1a1a1a1a1a1a1");
        const QString b = QStringLiteral("b2b2b2b2b2b2b2b2b2b2b2b2");
        const QString c = QStringLiteral("c3c3c3c3c3c3c3c3c3c3c3c3");
        QTest::newRow("unrestricted, no groups") << QStringList{} << false << QStringList{} << true;
        QTest::newRow("unrestricted, some groups")
            << QStringList{a} << false << QStringList{} << true;
        QTest::newRow("member of the one group")
            << QStringList{a} << false << QStringList{a} << true;
        QTest::newRow("member of another group")
            << QStringList{b} << false << QStringList{a} << false;
        QTest::newRow("no groups, restricted") << QStringList{} << false << QStringList{a} << false;
        QTest::newRow("any of several") << QStringList{c} << false << QStringList{a, b, c} << true;
        QTest::newRow("none of several") << QStringList{c} << false << QStringList{a, b} << false;
        QTest::newRow("admin outside every group")
            << QStringList{} << true << QStringList{a} << true;
    }

    void gbacVisibility()
    {
        QFETCH(QStringList, mine);
        QFETCH(bool, admin);
        QFETCH(QStringList, restrictedTo);
        QFETCH(bool, visible);
        std::set<std::string> groups;
        for (const auto &g : mine)
            groups.insert(g.toStdString());
        std::vector<std::string> restriction;
        for (const auto &g : restrictedTo)
            restriction.push_back(g.toStdString());
        QCOMPARE(access::visible(principal(groups, admin), restriction), visible);
    }

    void throttleDelaysGrowPerPairAndResetOnSuccess()
    {
        SignInThrottle::Policy policy;
        policy.freeFailures = 2;
        policy.addressFreeFailures = 6;
        policy.baseDelayMs = 100;
        policy.maxDelayMs = 1'000;
        policy.forgetAfterMs = 60'000;
        SignInThrottle t(policy);
        QCOMPARE(t.waitFor("alice", "10.0.0.1", 0), 0);
        QCOMPARE(t.recordFailure("alice", "10.0.0.1", 0), 0);
        QCOMPARE(t.recordFailure("alice", "10.0.0.1", 0), 0);
        QCOMPARE(t.recordFailure("alice", "10.0.0.1", 0), 100);
        QCOMPARE(t.waitFor("ALICE", "10.0.0.1", 40), 60); // the pair, the account in any case
        // Neither the account from elsewhere nor the address for another account waits.
        QCOMPARE(t.waitFor("alice", "10.0.0.9", 40), 0);
        QCOMPARE(t.waitFor("bob", "10.0.0.1", 40), 0);
        QCOMPARE(t.recordFailure("alice", "10.0.0.1", 100), 200);
        QCOMPARE(t.recordFailure("alice", "10.0.0.1", 300), 400);
        QCOMPARE(t.recordFailure("alice", "10.0.0.1", 700), 800);
        // The seventh failure from the address: now it waits for any account.
        QCOMPARE(t.recordFailure("alice", "10.0.0.1", 1'500), 1'000); // the ceiling
        QCOMPARE(t.waitFor("bob", "10.0.0.1", 1'500), 100);
        QCOMPARE(t.waitFor("alice", "10.0.0.2", 1'500), 0);

        t.recordSuccess("Alice", "10.0.0.1");
        // The pair is cleared, the address's tally stands: one's own sign-in does not clear
        // guessing at others.
        QCOMPARE(t.waitFor("alice", "10.0.0.1", 1'550), 50);
        QCOMPARE(t.waitFor("carol", "10.0.0.1", 1'550), 50);
        // A quiet key starts over.
        QCOMPARE(t.waitFor("carol", "10.0.0.1", 1'500 + 60'000), 0);
    }

    void throttleCeilingsHoldBackOnlyPairsThatFailed()
    {
        SignInThrottle::Policy policy;
        policy.freeFailures = 3;
        policy.baseDelayMs = 100;
        policy.accountCeiling = 5;
        policy.globalCeiling = 12;
        SignInThrottle t(policy);
        // A guesser spread over addresses stays under every pair's free failures...
        for (int i = 0; i < 5; ++i)
            QCOMPARE(t.recordFailure("alice", "10.0.1." + std::to_string(i), 0), 0);
        // ...until the account's ceiling: past it each pair that failed has no free attempt
        // left,
        QCOMPARE(t.recordFailure("alice", "10.0.1.5", 0), 100);
        QCOMPARE(t.waitFor("alice", "10.0.1.0", 10), 90);
        // while the operator at an address that has not failed is let in,
        QCOMPARE(t.waitFor("alice", "10.0.2.1", 10), 0);
        // and other accounts keep their free attempts.
        QCOMPARE(t.recordFailure("bob", "10.0.3.1", 10), 0);
        // Past the global ceiling, every pair that failed waits from its first failure.
        for (int i = 0; i < 6; ++i)
            t.recordFailure("user" + std::to_string(i), "10.0.4." + std::to_string(i), 20);
        QCOMPARE(t.waitFor("bob", "10.0.3.1", 20), 90);
        QCOMPARE(t.waitFor("bob", "10.0.3.2", 20), 0);
    }

    void throttleMemoryIsBounded()
    {
        SignInThrottle::Policy policy;
        policy.maxKeys = 100;
        SignInThrottle t(policy);
        for (int i = 0; i < 1'000; ++i)
            t.recordFailure("user" + std::to_string(i), "addr" + std::to_string(i), i);
        // The newest keys are kept.
        for (int i = 0; i < 3; ++i)
            t.recordFailure("user999", "addr999", 1'000);
        QVERIFY(t.waitFor("user999", "addr999", 1'000) > 0);
    }
};

QTEST_APPLESS_MAIN(TestAccess)
#include "TestAccess.moc"
