// SPDX-License-Identifier: GPL-3.0-or-later
// Kills a writing child with SIGKILL at random moments, 50 times over one file, and checks
// that every write the child reported as committed is there and the file is sound.
#include "engine/store/SqliteStore.h"

#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

#include <set>

using namespace flowdeck::store;

class TestStoreCrash : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void committedWritesSurviveSigkill()
    {
        QTemporaryDir dir;
        const QString db = dir.filePath(QStringLiteral("crash.db"));
        std::set<std::string> reported;
        int killedMidWrite = 0;

        for (int round = 0; round < 50; ++round) {
            QProcess child;
            child.start(QStringLiteral(STORE_CRASH_CHILD),
                        {db, QStringLiteral("round-%1").arg(round)});
            QVERIFY2(child.waitForStarted(), qPrintable(child.errorString()));
            // Wait for the first commit, then let it run a random while before the kill.
            QVERIFY2(child.waitForReadyRead(10000), child.readAllStandardError().constData());
            QTest::qWait(int(QRandomGenerator::global()->bounded(1, 60)));
            child.kill(); // SIGKILL
            QVERIFY(child.waitForFinished(10000));
            QCOMPARE(child.exitStatus(), QProcess::CrashExit);

            const QList<QByteArray> lines = child.readAllStandardOutput().split('\n');
            // A last line without its newline was cut by the kill: that batch was committed
            // but its report was not complete, so it is not counted as reported.
            for (int i = 0; i + 1 < lines.size(); ++i)
                reported.insert(lines[i].toStdString());
            if (!lines.last().isEmpty())
                ++killedMidWrite;

            // Reopening runs recovery (WAL replay) and the migrations, as a restart would.
            auto store = SqliteStore::open(db.toStdString());
            QVERIFY2(store.ok(), store.ok() ? "" : store.error().message.c_str());
            store->reset();
            auto reader = SqliteDb::open(db.toStdString(), SqliteDb::Mode::ReadOnly);
            QVERIFY(reader.ok());
            std::set<std::string> present;
            auto ids = reader->prepare("SELECT id FROM jobs");
            while (*ids->step())
                present.insert(ids->text(0));
            for (const auto &id : reported)
                QVERIFY2(present.count(id), ("lost committed job " + id).c_str());
            // Each job was written with its event in one transaction: none lacks its event.
            QCOMPARE(*reader->queryInt("SELECT count(*) FROM jobs WHERE id NOT IN "
                                       "(SELECT job_id FROM job_events)"),
                     std::int64_t(0));
        }
        auto check = SqliteDb::open(db.toStdString());
        auto integrity = check->prepare("PRAGMA integrity_check");
        QVERIFY(*integrity->step());
        QCOMPARE(integrity->text(0), std::string("ok"));
        QVERIFY(reported.size() > 50);
        qInfo("%zu committed jobs checked over 50 kills (%d cut mid-report)", reported.size(),
              killedMidWrite);
    }
};

QTEST_GUILESS_MAIN(TestStoreCrash)
#include "TestStoreCrash.moc"
