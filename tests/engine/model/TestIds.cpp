// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/model/Ids.h"

#include <QTest>

#include <set>
#include <string>
#include <thread>
#include <vector>

using namespace flowdeck;

class TestIds : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void objectIdShape()
    {
        const auto id = ids::newObjectId();
        QCOMPARE(id.size(), std::size_t(24));
        QVERIFY(ids::isObjectId(id));
    }

    void objectIdsSortByTime()
    {
        const auto early = ids::newObjectId(1'600'000'000u);
        const auto late = ids::newObjectId(1'700'000'000u);
        QVERIFY(early < late);
        QCOMPARE(early.substr(0, 8), std::string("5f5e1000"));
    }

    void objectIdsAreUniqueAcrossThreads()
    {
        std::vector<std::vector<std::string>> made(4);
        std::vector<std::thread> threads;
        for (auto &bucket : made)
            threads.emplace_back([&bucket] {
                for (int i = 0; i < 20000; ++i)
                    bucket.push_back(ids::newObjectId(1'700'000'000u));
            });
        for (auto &t : threads)
            t.join();
        std::set<std::string> all;
        for (const auto &bucket : made)
            all.insert(bucket.begin(), bucket.end());
        QCOMPARE(all.size(), std::size_t(80000));
    }

    void uuidShape()
    {
        std::set<std::string> seen;
        for (int i = 0; i < 1000; ++i) {
            const auto u = ids::newUuid();
            QVERIFY2(ids::isUuid(u), u.c_str());
            QCOMPARE(u[14], '4');
            QVERIFY(u[19] == '8' || u[19] == '9' || u[19] == 'a' || u[19] == 'b');
            seen.insert(u);
        }
        QCOMPARE(seen.size(), std::size_t(1000));
    }

    void rejectsMalformed()
    {
        QVERIFY(!ids::isObjectId("5f5e1000"));
        QVERIFY(!ids::isObjectId("5F5E10000000000000000000"));
        QVERIFY(!ids::isObjectId("../../etc/passwd0000000000"));
        QVERIFY(!ids::isUuid("not-a-uuid"));
        QVERIFY(ids::isTaskKey("a1"));
        QVERIFY(ids::isTaskKey("workflow_start"));
        QVERIFY(!ids::isTaskKey("a1b2c"));
        QVERIFY(!ids::isTaskKey(""));
    }
};

QTEST_APPLESS_MAIN(TestIds)
#include "TestIds.moc"
