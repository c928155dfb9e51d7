// SPDX-License-Identifier: GPL-3.0-or-later
// The process's engine parts as the window starts them: a new store gets the demo workflows,
// the engine, and the first-run jobs, one of which waits for an operator.
#include "app/EngineHost.h"
#include "engine/access/AccountService.h"
#include "engine/runtime/Engine.h"
#include "engine/store/Migrations.h"
#include "engine/store/SqliteDb.h"

#include <QTemporaryDir>
#include <QtTest>

#include <map>

using namespace flowdeck;

class TestEngineHost : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void anOlderStoreIsUpgradedWithNotice()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(QStringLiteral("old.db"));
        {
            auto db = store::SqliteDb::open(path.toStdString());
            QVERIFY(db.ok());
            QVERIFY(store::migrate(*db, 7).ok());
        }
        int from = -1;
        int to = -1;
        auto host = app::EngineHost::open(path, [&](int f, int t) {
            from = f;
            to = t;
        });
        QVERIFY(host.ok());
        QCOMPARE(from, 7);
        QCOMPARE(to, store::latestSchemaVersion());
    }

    void firstRunLeavesFinishedJobsAndOneWaitingForAnOperator()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        auto host = app::EngineHost::open(dir.filePath(QStringLiteral("flowdeck.db")));
        QVERIFY(host.ok());
        auto imported = (*host)->importDemoWorkflowsOnFirstRun();
        QVERIFY(imported.ok());
        QCOMPARE(*imported, 6);
        QVERIFY((*host)->engine() == nullptr);
        QVERIFY((*host)->startDemoJobs().error().code == ErrorCode::Unavailable);

        auto recovered = (*host)->startEngine();
        QVERIFY(recovered.ok());
        QCOMPARE(*recovered, 0);
        QVERIFY((*host)->accounts() != nullptr);
        auto started = (*host)->startDemoJobs();
        QVERIFY2(started.ok(), started ? "" : started.error().message.c_str());
        QCOMPARE(*started, 5);

        // Child jobs and their parent settle through the engine's own event loop.
        store::JobQuery roots;
        roots.limit = 100;
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                auto page = (*host)->store().listJobs(roots);
                if (!page)
                    return false;
                for (const auto &job : page->items)
                    if (!(*host)->engine()->isSettled(job.id))
                        return false;
                return true;
            }(),
            10000);

        std::multimap<std::string, std::string> statusByWorkflow;
        auto page = (*host)->store().listJobs(roots);
        QVERIFY(page.ok());
        for (const auto &job : page->items)
            if (!job.parentJobId)
                statusByWorkflow.emplace(job.name, job.status);
        QCOMPARE(statusByWorkflow.size(), std::size_t(5));
        QCOMPARE(statusByWorkflow.find("Change Approval")->second, std::string("running"));
        for (const auto &[name, status] : statusByWorkflow)
            if (name != "Change Approval")
                QCOMPARE(QString::fromStdString(name + ": " + status),
                         QString::fromStdString(name + ": complete"));

        // The waiting job is at its manual task, available to anyone.
        std::string waitingJob;
        for (const auto &job : page->items)
            if (job.name == "Change Approval")
                waitingJob = job.id;
        auto doc = (*host)->engine()->jobDocument(waitingJob);
        QVERIFY(doc.ok());
        QCOMPARE((*doc)["tasks"]["7a23"]["status"].get<std::string>(), std::string("running"));
    }
};

QTEST_GUILESS_MAIN(TestEngineHost)
#include "TestEngineHost.moc"
