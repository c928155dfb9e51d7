// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/model/Ids.h"
#include "engine/store/SqliteStore.h"
#include "tests/support/JsonAsserts.h"

#include <QTemporaryDir>
#include <QTest>

#include <atomic>
#include <thread>

using namespace flowdeck;
using namespace flowdeck::store;
using nlohmann::json;

namespace {

model::Workflow workflow(const std::string &name, const std::string &description = "first")
{
    json doc = {
        {"name", name},
        {"type", "automation"},
        {"description", description},
        {"tasks",
         {{"workflow_start", {{"name", "workflow_start"}}},
          {"workflow_end", {{"name", "workflow_end"}}}}},
        {"transitions",
         {{"workflow_start", {{"workflow_end", {{"state", "success"}, {"type", "standard"}}}}},
          {"workflow_end", json::object()}}}};
    return *model::Workflow::fromJson(doc);
}

JobRecord job(const std::string &name, const std::string &status, Millis updated)
{
    JobRecord j;
    j.id = ids::newObjectId();
    j.name = name;
    j.status = status;
    j.createdAt = updated - 10;
    j.updatedAt = updated;
    j.document = {{"_id", j.id}, {"name", name}, {"status", status}};
    return j;
}

} // namespace

class TestSqliteStore : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<SqliteStore> m_store;
    Millis m_now = 1'700'000'000'000;

private Q_SLOTS:
    void init()
    {
        QVERIFY(m_dir.isValid());
        const auto path =
            m_dir.filePath(QString::fromUtf8(QTest::currentTestFunction()) + QStringLiteral(".db"));
        SqliteStore::Options options;
        options.clock = [this] { return m_now; };
        auto opened = SqliteStore::open(path.toStdString(), options);
        QVERIFY2(opened.ok(), opened.ok() ? "" : opened.error().message.c_str());
        m_store = std::move(*opened);
    }

    void cleanup() { m_store.reset(); }

    void walAndForeignKeysAreOn()
    {
        auto db = SqliteDb::open(m_store->path());
        QVERIFY(db.ok());
        auto mode = db->prepare("PRAGMA journal_mode");
        QVERIFY(mode.ok());
        QVERIFY(*mode->step());
        QCOMPARE(mode->text(0), std::string("wal"));
        QCOMPARE(*db->queryInt("PRAGMA foreign_keys"), std::int64_t(1));
    }

    void savesAndReadsAWorkflow()
    {
        auto saved = m_store->saveWorkflow(workflow("Backup"), std::string("alice"), false);
        QVERIFY(saved.ok());
        QVERIFY(ids::isObjectId(saved->id));
        QCOMPARE(saved->version, 1);
        auto byName = m_store->workflowByName("Backup");
        QVERIFY(byName.ok());
        QCOMPARE(byName->id, saved->id);
        QCOMPARE_JSON(byName->document, workflow("Backup").document());
        QCOMPARE(*byName->createdBy, std::string("alice"));
        auto byId = m_store->workflowById(saved->id);
        QVERIFY(byId.ok());
        QCOMPARE(byId->name, std::string("Backup"));
    }

    void refusesADuplicateUnlessReplacing()
    {
        QVERIFY(m_store->saveWorkflow(workflow("Backup"), std::nullopt, false).ok());
        auto again = m_store->saveWorkflow(workflow("Backup", "second"), std::nullopt, false);
        QVERIFY(!again.ok());
        QCOMPARE(again.error().code, ErrorCode::Conflict);
        QCOMPARE_JSON(m_store->workflowByName("Backup")->document["description"], json("first"));
    }

    void replacingKeepsTheHistory()
    {
        auto first = m_store->saveWorkflow(workflow("Backup"), std::string("alice"), false);
        m_now += 1000;
        auto second = m_store->saveWorkflow(workflow("Backup", "second"), std::string("bob"), true);
        QVERIFY(second.ok());
        QCOMPARE(second->id, first->id);
        QCOMPARE(second->version, 2);
        QCOMPARE(*second->createdBy, std::string("alice"));
        QCOMPARE(*second->updatedBy, std::string("bob"));
        auto versions = m_store->workflowVersions(first->id);
        QVERIFY(versions.ok());
        QCOMPARE(versions->size(), std::size_t(2));
        QCOMPARE(versions->at(0).version, 2);
        QCOMPARE_JSON(versions->at(1).document["description"], json("first"));
    }

    void deletesAWorkflowAndItsHistory()
    {
        auto saved = m_store->saveWorkflow(workflow("Backup"), std::nullopt, false);
        QVERIFY(m_store->deleteWorkflow("Backup").ok());
        QCOMPARE(m_store->workflowByName("Backup").error().code, ErrorCode::NotFound);
        QVERIFY(m_store->workflowVersions(saved->id)->empty());
        QCOMPARE(m_store->deleteWorkflow("Backup").error().code, ErrorCode::NotFound);
    }

    void listsWorkflowsByNameWithPaging()
    {
        for (auto name : {"delta", "Alpha", "charlie", "bravo"})
            QVERIFY(m_store->saveWorkflow(workflow(name), std::nullopt, false).ok());
        auto page = m_store->listWorkflows({std::nullopt, std::nullopt, 1, 2});
        QVERIFY(page.ok());
        QCOMPARE(page->total, std::int64_t(4));
        QCOMPARE(page->items.size(), std::size_t(2));
        QCOMPARE(page->items[0].name, std::string("bravo"));
        QCOMPARE(page->items[1].name, std::string("charlie"));
        auto filtered = m_store->listWorkflows({std::nullopt, std::string("ALP"), 0, 50});
        QCOMPARE(filtered->total, std::int64_t(1));
        QCOMPARE(filtered->items[0].name, std::string("Alpha"));
    }

    void insertsAndListsJobs()
    {
        std::vector<JobRecord> jobs;
        for (int i = 0; i < 30; ++i)
            jobs.push_back(
                job(i % 2 ? "Backup" : "Health", i % 3 ? "running" : "complete", m_now + i));
        QVERIFY(m_store->insertJobs(jobs).ok());

        JobQuery q;
        q.status = "running";
        q.limit = 5;
        auto page = m_store->listJobs(q);
        QVERIFY(page.ok());
        QCOMPARE(page->total, std::int64_t(20));
        QCOMPARE(page->items.size(), std::size_t(5));
        QCOMPARE(page->items[0].updatedAt, m_now + 29);
        for (const auto &j : page->items)
            QCOMPARE(j.status, std::string("running"));

        q.name = "Backup";
        q.descending = false;
        auto both = m_store->listJobs(q);
        QCOMPARE(both->total, std::int64_t(10));
        QVERIFY(both->items[0].updatedAt < both->items[1].updatedAt);

        auto one = m_store->job(jobs[7].id);
        QVERIFY(one.ok());
        QCOMPARE_JSON(one->document, jobs[7].document);
    }

    void aFailedBatchInsertsNothing()
    {
        auto a = job("Backup", "running", m_now);
        auto b = job("Backup", "no-such-status", m_now);
        auto r = m_store->insertJobs({a, b});
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, ErrorCode::Conflict);
        QCOMPARE(m_store->job(a.id).error().code, ErrorCode::NotFound);
    }

    void updatesAJob()
    {
        auto j = job("Backup", "running", m_now);
        QVERIFY(m_store->insertJobs({j}).ok());
        j.status = "complete";
        j.progress = 1;
        QVERIFY(m_store->updateJob(j).ok());
        QCOMPARE(m_store->job(j.id)->status, std::string("complete"));
        auto missing = job("Backup", "running", m_now);
        QCOMPARE(m_store->updateJob(missing).error().code, ErrorCode::NotFound);
    }

    void eventLogIsAppendOnly()
    {
        auto j = job("Backup", "running", m_now);
        QVERIFY(m_store->insertJobs({j}).ok());
        auto first = m_store->appendJobEvent({0, j.id, 0, std::string("alice"), "started", {}});
        auto second =
            m_store->appendJobEvent({0, j.id, 0, std::nullopt, "taskFinished", {{"task", "a1"}}});
        QVERIFY(first.ok() && second.ok());
        QVERIFY(*second > *first);
        auto events = m_store->jobEvents(j.id, 0, 100);
        QCOMPARE(events->size(), std::size_t(2));
        QCOMPARE_JSON(events->at(1).data["task"], json("a1"));
        QCOMPARE(m_store->jobEvents(j.id, *first, 100)->size(), std::size_t(1));

        auto db = SqliteDb::open(m_store->path());
        auto rewrite = db->exec("UPDATE job_events SET kind = 'forged'");
        QVERIFY(!rewrite.ok());
        QVERIFY(rewrite.error().message.find("append-only") != std::string::npos);
    }

    void eventsNeedAnExistingJob()
    {
        auto r = m_store->appendJobEvent({0, ids::newObjectId(), 0, std::nullopt, "started", {}});
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, ErrorCode::Conflict);
    }

    void transactionIsAllOrNothing()
    {
        auto r = m_store->transaction([&]() -> Result<void> {
            if (auto s = m_store->saveWorkflow(workflow("One"), std::nullopt, false); !s)
                return s.error();
            // Reads inside the transaction see its own writes.
            if (!m_store->workflowByName("One").ok())
                return Error::internal("own write not visible");
            return Error::invalid("caller changed its mind");
        });
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, ErrorCode::Invalid);
        QCOMPARE(m_store->workflowByName("One").error().code, ErrorCode::NotFound);
    }

    void readersDoNotWaitForTheWriter()
    {
        QVERIFY(m_store->saveWorkflow(workflow("Existing"), std::nullopt, false).ok());
        std::atomic<bool> inside{false};
        std::atomic<bool> release{false};
        std::thread writer([&] {
            (void)m_store->transaction([&]() -> Result<void> {
                (void)m_store->saveWorkflow(workflow("Pending"), std::nullopt, false);
                inside = true;
                while (!release)
                    std::this_thread::yield();
                return {};
            });
        });
        while (!inside)
            std::this_thread::yield();
        // The writer holds its transaction open: a reader still answers, from the last commit.
        auto existing = m_store->workflowByName("Existing");
        auto pending = m_store->workflowByName("Pending");
        release = true;
        writer.join();
        QVERIFY(existing.ok());
        QCOMPARE(pending.error().code, ErrorCode::NotFound);
        QVERIFY(m_store->workflowByName("Pending").ok());
    }

    void settings()
    {
        QVERIFY(!m_store->setting("demo.imported")->has_value());
        QVERIFY(m_store->setSetting("demo.imported", "1").ok());
        QVERIFY(m_store->setSetting("demo.imported", "2").ok());
        QCOMPARE(**m_store->setting("demo.imported"), std::string("2"));
    }

    void reportsAnUnopenableFile()
    {
        auto r = SqliteStore::open("/nonexistent-dir/x/flowdeck.db");
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, ErrorCode::Unavailable);
        QVERIFY(r.error().message.find("/nonexistent-dir/x/flowdeck.db") != std::string::npos);
    }

    void inMemoryStoreWorks()
    {
        auto r = SqliteStore::open(":memory:");
        QVERIFY(r.ok());
        QVERIFY((*r)->saveWorkflow(workflow("Mem"), std::nullopt, false).ok());
        QVERIFY((*r)->workflowByName("Mem").ok());
    }
};

QTEST_APPLESS_MAIN(TestSqliteStore)
#include "TestSqliteStore.moc"
