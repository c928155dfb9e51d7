// SPDX-License-Identifier: GPL-3.0-or-later
// The connection layer under the store: its cache of compiled statements, and the log
// checkpoints that run beside the writer instead of inside its commits.
#include "engine/store/SqliteDb.h"
#include "engine/store/WalCheckpointer.h"

#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

#include <sqlite3.h>

#include <string>

using namespace flowdeck;
using namespace flowdeck::store;

namespace {

/// Frames in the write-ahead log of `path`, read on a connection of its own: a passive
/// checkpoint with nothing to copy reports the log's length.
int walFrames(const std::string &path)
{
    sqlite3 *db = nullptr;
    sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr);
    // Until it has read the file the connection does not know the file is in WAL mode.
    sqlite3_exec(db, "SELECT count(*) FROM sqlite_master", nullptr, nullptr, nullptr);
    int log = -1;
    int copied = -1;
    const int rc = sqlite3_wal_checkpoint_v2(db, nullptr, SQLITE_CHECKPOINT_PASSIVE, &log, &copied);
    if (rc != SQLITE_OK)
        qWarning("walFrames: %s", sqlite3_errmsg(db));
    sqlite3_close_v2(db);
    return log;
}

/// One commit that writes about `pages` pages (4 KiB each) to the log.
void commitPages(SqliteDb &db, int pages)
{
    auto tx = Transaction::begin(db);
    QVERIFY(tx);
    auto s = db.prepare("INSERT INTO blobs (data) VALUES (zeroblob(?1))");
    QVERIFY(s);
    s->bind(1, std::int64_t(pages) * 4096);
    QVERIFY(s->run());
    QVERIFY(tx->commit());
}

} // namespace

class TestSqliteDb : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    int m_n = 0;

    std::string freshPath()
    {
        return m_dir.filePath(QStringLiteral("db%1.sqlite").arg(++m_n)).toStdString();
    }

    SqliteDb openWithTable(const std::string &path)
    {
        auto db = SqliteDb::open(path);
        if (!db)
            qFatal("open: %s", db.error().message.c_str());
        if (!db->exec("CREATE TABLE blobs (id INTEGER PRIMARY KEY, data BLOB)"))
            qFatal("create table");
        return std::move(*db);
    }

private Q_SLOTS:
    void aStatementComesBackWithoutItsBindings()
    {
        auto db = SqliteDb::open(":memory:");
        QVERIFY(db);
        {
            auto s = db->prepare("SELECT ?1");
            QVERIFY(s);
            s->bind(1, std::int64_t(5));
            QCOMPARE(s->step().value(), true);
            QCOMPARE(s->int64(0), std::int64_t(5));
        } // returned half-read: it must come back reset, its binding gone
        auto again = db->prepare("SELECT ?1");
        QVERIFY(again);
        QCOMPARE(again->step().value(), true);
        QVERIFY(again->isNull(0));
    }

    void theSameTextTwiceAtOnceGivesTwoStatements()
    {
        auto db = SqliteDb::open(":memory:");
        QVERIFY(db);
        QVERIFY(db->exec("CREATE TABLE t (n INTEGER); INSERT INTO t VALUES (1), (2), (3);"));
        // A walk over the rows that, per row, runs the same query again (a nested read).
        auto outer = db->prepare("SELECT n FROM t ORDER BY n");
        QVERIFY(outer);
        std::int64_t sum = 0;
        while (outer->step().value()) {
            auto inner = db->prepare("SELECT n FROM t ORDER BY n");
            QVERIFY(inner);
            while (inner->step().value())
                sum += inner->int64(0) * outer->int64(0);
        }
        QCOMPARE(sum, std::int64_t(6 * 6));
    }

    void textsPastTheCacheStillRun()
    {
        auto db = SqliteDb::open(":memory:");
        QVERIFY(db);
        for (int i = 0; i < 600; ++i) {
            auto n = db->queryInt("SELECT " + std::to_string(i));
            QVERIFY(n);
            QCOMPARE(*n, std::int64_t(i));
        }
        // An error in a text the cache has never seen is SQLite's, not a crash.
        auto bad = db->prepare("SELECT FROM nowhere");
        QVERIFY(!bad);
    }

    void aFailedCommitLeavesTheConnectionUsable()
    {
        auto db = SqliteDb::open(":memory:");
        QVERIFY(db);
        QVERIFY(db->exec("CREATE TABLE u (k TEXT UNIQUE)"));
        for (int round = 0; round < 3; ++round) {
            auto tx = Transaction::begin(*db);
            QVERIFY(tx);
            QVERIFY(db->run("INSERT INTO u VALUES ('a')"));
            QVERIFY(!db->run("INSERT INTO u VALUES ('a')")); // refused, the statement reset
            // rolled back by the transaction's end, every round
        }
        QCOMPARE(db->queryInt("SELECT count(*) FROM u").value(), std::int64_t(0));
    }

    void checkpointsRunBesideTheWriter()
    {
        const std::string path = freshPath();
        SqliteDb db = openWithTable(path);
        const qint64 before = QFileInfo(QString::fromStdString(path)).size();
        auto checkpointer = WalCheckpointer::attach(db.handle(), path, {8, 1 << 30});
        QVERIFY(checkpointer);
        for (int i = 0; i < 12; ++i)
            commitPages(db, 4);
        checkpointer->waitIdle();
        QVERIFY(checkpointer->checkpoints() > 0);
        // The pages reached the database file while the writer stayed open: the copy ran.
        QVERIFY2(QFileInfo(QString::fromStdString(path)).size() >= before + 40 * 4096,
                 qPrintable(QString::number(QFileInfo(QString::fromStdString(path)).size())));
    }

    void aCaughtUpLogStartsOver()
    {
        // The writer no longer checkpoints, so the log restarts only when the checkpoint
        // thread has copied all of it: then it must, or the log grows without end.
        const std::string path = freshPath();
        SqliteDb db = openWithTable(path);
        auto checkpointer = WalCheckpointer::attach(db.handle(), path, {8, 1 << 30});
        QVERIFY(checkpointer);
        // Each commit is a checkpoint's worth, so the last one asks for one after it.
        for (int i = 0; i < 30; ++i)
            commitPages(db, 8);
        checkpointer->waitIdle();
        commitPages(db, 1);
        // Restarted: the next commit wrote the log from its start, not after 240 pages.
        const int frames = walFrames(path);
        QVERIFY2(frames >= 1 && frames < 8, qPrintable(QString::number(frames)));
    }

    void aSmallStoreNeverStartsTheThread()
    {
        const std::string path = freshPath();
        {
            SqliteDb db = openWithTable(path);
            auto checkpointer = WalCheckpointer::attach(db.handle(), path);
            QVERIFY(checkpointer);
            commitPages(db, 2);
            checkpointer->waitIdle();
            QCOMPARE(checkpointer->checkpoints(), std::int64_t(0));
        }
        // Closed: the log was copied back and removed, as SQLite does on the last close.
        QVERIFY(!QFileInfo::exists(QString::fromStdString(path + "-wal")));
    }

    void theStoreWriterHasItsOwnCheckpointer()
    {
        // SqliteDb::open gives a file's writer the checkpointer: SQLite's own automatic
        // checkpoint is off on it (the pragma reads 0 once another hook holds the log), and
        // once the log passes 1,000 pages the database file grows while the writer stays open.
        const std::string path = freshPath();
        SqliteDb db = openWithTable(path);
        QCOMPARE(db.queryInt("PRAGMA wal_autocheckpoint").value(), std::int64_t(0));
        auto memory = SqliteDb::open(":memory:");
        QVERIFY(memory);
        QCOMPARE(memory->queryInt("PRAGMA wal_autocheckpoint").value(), std::int64_t(1000));
        const qint64 before = QFileInfo(QString::fromStdString(path)).size();
        for (int i = 0; i < 40; ++i)
            commitPages(db, 32);
        QTRY_VERIFY_WITH_TIMEOUT(
            QFileInfo(QString::fromStdString(path)).size() > before + 900 * 4096, 20000);
    }
};

QTEST_GUILESS_MAIN(TestSqliteDb)
#include "TestSqliteDb.moc"
