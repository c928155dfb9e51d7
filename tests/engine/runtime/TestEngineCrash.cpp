// SPDX-License-Identifier: GPL-3.0-or-later
// 200 jobs of a mixed workflow (delays, a revert loop, a child job each) in a child process
// killed with SIGKILL at random moments, 20 times, then run to the end: every job finishes,
// none is lost or started twice, and no completed task ran again.
#include "engine/store/SqliteStore.h"

#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

#include <climits>
#include <map>

using namespace flowdeck;

class TestEngineCrash : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void jobsSurviveRepeatedKills()
    {
        QTemporaryDir dir;
        const QString db = dir.filePath(QStringLiteral("engine-crash.db"));
        const QStringList args{db, QStringLiteral("200")};
        int killedBeforeDone = 0;
        for (int round = 0; round < 20; ++round) {
            QProcess child;
            child.start(QStringLiteral(ENGINE_CRASH_CHILD), args);
            QVERIFY(child.waitForStarted());
            QTest::qWait(int(QRandomGenerator::global()->bounded(30, 250)));
            if (child.state() == QProcess::Running) {
                child.kill();
                ++killedBeforeDone;
            }
            if (child.state() != QProcess::NotRunning)
                QVERIFY(child.waitForFinished(30000));
            QVERIFY2(child.exitStatus() == QProcess::CrashExit || child.exitCode() == 0,
                     child.readAllStandardError().constData());
        }
        QVERIFY2(killedBeforeDone >= 10, "most kills must land while the jobs still run");

        QProcess last;
        last.start(QStringLiteral(ENGINE_CRASH_CHILD), args);
        QVERIFY(last.waitForFinished(120000));
        QVERIFY2(last.exitCode() == 0, last.readAllStandardError().constData());
        QVERIFY(last.readAllStandardOutput().contains("done"));

        auto store = store::SqliteStore::open(db.toStdString());
        QVERIFY(store.ok());
        store::JobQuery q;
        q.limit = 100000;
        q.name = "Crash Mix";
        auto parents = (*store)->listJobs(q);
        QCOMPARE(parents->total, std::int64_t(200));
        std::map<int, int> seen;
        const std::map<std::string, std::size_t> expectedRuns{{"workflow_start", 1},
                                                              {"a1", 1},
                                                              {"b2", 8},
                                                              {"c3", 8},
                                                              {"d4", 8},
                                                              {"e5", 8},
                                                              {"f6", 1},
                                                              {"g7", 1},
                                                              {"workflow_end", 1}};
        for (const auto &job : parents->items) {
            QCOMPARE(QString::fromStdString(job.status), QStringLiteral("complete"));
            ++seen[job.document["variables"]["n"].get<int>()];
            // A task that completed and ran again after a restart would have more runs.
            for (const auto &[key, runs] : expectedRuns)
                QVERIFY2(job.document["tasks"][key]["iterations"].size() == runs,
                         (job.id + " task " + key + " ran " +
                          std::to_string(job.document["tasks"][key]["iterations"].size()) +
                          " times")
                             .c_str());
            QCOMPARE(job.document["variables"]["passes"].size(), std::size_t(8));
            QCOMPARE(job.document["variables"]["child"]["childDone"].get<bool>(), true);
            auto iterations = (*store)->taskIterations(job.id);
            QCOMPARE(iterations->size(), std::size_t(37));
        }
        QCOMPARE(seen.size(), std::size_t(200));
        for (const auto &[n, count] : seen)
            QVERIFY2(count == 1, ("job " + std::to_string(n) + " started twice").c_str());

        q.name = "Crash Child";
        auto children = (*store)->listJobs(q);
        QCOMPARE(children->total, std::int64_t(200));
        for (const auto &child : children->items)
            QCOMPARE(QString::fromStdString(child.status), QStringLiteral("complete"));
        qInfo("200 jobs and 200 child jobs complete after %d kills", killedBeforeDone);
    }

    // Jobs that only wait on a delay when the process dies: recovery writes nothing for them,
    // and with nothing else happening only the timers it re-arms can finish them.
    void delayedJobsFinishAfterKillWithNoOtherActivity()
    {
        QTemporaryDir dir;
        const QString db = dir.filePath(QStringLiteral("engine-delays.db"));
        QProcess first;
        first.start(QStringLiteral(ENGINE_CRASH_CHILD),
                    {db, QStringLiteral("50"), QStringLiteral("delays")});
        QVERIFY(first.waitForStarted());
        QByteArray said;
        while (!said.contains("started") && first.waitForReadyRead(30000))
            said += first.readAllStandardOutput();
        QVERIFY2(said.contains("started"), first.readAllStandardError().constData());
        first.kill();
        QVERIFY(first.waitForFinished(30000));

        {
            auto store = store::SqliteStore::open(db.toStdString());
            QVERIFY(store.ok());
            store::JobQuery running;
            running.name = "Crash Delay";
            running.status = "running";
            QCOMPARE((*store)->listJobs(running)->total, std::int64_t(50));
        }

        QProcess resumed;
        resumed.start(QStringLiteral(ENGINE_CRASH_CHILD),
                      {db, QStringLiteral("50"), QStringLiteral("resume")});
        QVERIFY(resumed.waitForStarted());
        const bool finished = resumed.waitForFinished(30000);
        if (!finished)
            resumed.kill();
        QVERIFY2(finished, "the delayed jobs never finished after the restart");
        QVERIFY2(resumed.exitCode() == 0, resumed.readAllStandardError().constData());
        QVERIFY(resumed.readAllStandardOutput().contains("done"));

        auto store = store::SqliteStore::open(db.toStdString());
        store::JobQuery q;
        q.name = "Crash Delay";
        q.limit = 1000;
        auto jobs = (*store)->listJobs(q);
        QCOMPARE(jobs->total, std::int64_t(50));
        for (const auto &job : jobs->items) {
            QCOMPARE(QString::fromStdString(job.status), QStringLiteral("complete"));
            QCOMPARE(job.document["tasks"]["d1"]["iterations"].size(), std::size_t(1));
            QCOMPARE(job.document["variables"]["waited"].get<bool>(), true);
        }
    }
};

QTEST_GUILESS_MAIN(TestEngineCrash)
#include "TestEngineCrash.moc"
