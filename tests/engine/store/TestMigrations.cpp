// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/store/Migrations.h"
#include "engine/store/SqliteStore.h"

#include <QTemporaryDir>
#include <QTest>

using namespace flowdeck;
using namespace flowdeck::store;

namespace {

std::string schemaOf(SqliteDb &db)
{
    auto s = db.prepare("SELECT type || ' ' || name || ': ' || coalesce(sql, '') FROM sqlite_master"
                        " ORDER BY type, name");
    std::string out;
    while (*s->step())
        out += s->text(0) + "\n";
    return out;
}

bool tableExists(SqliteDb &db, const char *name)
{
    auto s = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1");
    s->bind(1, name);
    return *s->step();
}

// Puts one row in every table the file has at its current version, as an older Flowdeck
// would have, so the upgrade must carry real data.
void seed(SqliteDb &db)
{
    if (tableExists(db, "workflows")) {
        QVERIFY(db.exec("INSERT INTO workflows VALUES ('aaaaaaaaaaaaaaaaaaaaaaaa', 'Old', 1, "
                        "'{\"name\":\"Old\"}', 1, 'alice', 1, 'alice')")
                    .ok());
        QVERIFY(db.exec("INSERT INTO workflow_versions VALUES ('aaaaaaaaaaaaaaaaaaaaaaaa', 1, "
                        "'{\"name\":\"Old\"}', 1, 'alice')")
                    .ok());
        QVERIFY(db.exec("INSERT INTO users (id, username, created_at, updated_at) VALUES "
                        "('bbbbbbbbbbbbbbbbbbbbbbbb', 'alice', 1, 1)")
                    .ok());
    }
    if (tableExists(db, "tokens")) {
        QVERIFY(db.exec("INSERT INTO tokens (id, token_hash, user_id, kind, created_at, "
                        "expires_at) VALUES ('dddddddddddddddddddddddd', 'abc', "
                        "'bbbbbbbbbbbbbbbbbbbbbbbb', 'session', 1, 2)")
                    .ok());
    }
    if (tableExists(db, "transformations")) {
        QVERIFY(
            db.exec("INSERT INTO transformations VALUES ('eeeeeeeeeeeeeeeeeeeeeeee', 'Old JST', "
                    "1, '{\"name\":\"Old JST\"}', 1, 'alice', 1, 'alice')")
                .ok());
        QVERIFY(db.exec("INSERT INTO transformation_versions VALUES ('eeeeeeeeeeeeeeeeeeeeeeee', "
                        "1, '{\"name\":\"Old JST\"}', 1, 'alice')")
                    .ok());
    }
    if (tableExists(db, "jobs")) {
        QVERIFY(db.exec("INSERT INTO jobs (id, name, status, created_at, updated_at, document) "
                        "VALUES ('cccccccccccccccccccccccc', 'Old', 'running', 1, 1, '{}')")
                    .ok());
    }
}

} // namespace

class TestMigrations : public QObject
{
    Q_OBJECT
    QTemporaryDir m_dir;

private Q_SLOTS:
    void versionsAreContiguous()
    {
        int expected = 1;
        for (const auto &m : migrations())
            QCOMPARE(m.version, expected++);
        QCOMPARE(latestSchemaVersion(), expected - 1);
    }

    void upgradesFromEveryEarlierVersion_data()
    {
        QTest::addColumn<int>("from");
        for (int v = 0; v < latestSchemaVersion(); ++v)
            QTest::newRow(("from v" + std::to_string(v)).c_str()) << v;
    }

    void upgradesFromEveryEarlierVersion()
    {
        QFETCH(int, from);
        const auto path = m_dir.filePath(QStringLiteral("from-%1.db").arg(from)).toStdString();
        {
            auto db = SqliteDb::open(path);
            QVERIFY(db.ok());
            QVERIFY(migrate(*db, from).ok());
            QCOMPARE(*schemaVersion(*db), from);
            seed(*db);
        }
        auto store = SqliteStore::open(path);
        QVERIFY2(store.ok(), store.ok() ? "" : store.error().message.c_str());
        store->reset();

        auto db = SqliteDb::open(path);
        QCOMPARE(*schemaVersion(*db), latestSchemaVersion());
        auto check = db->prepare("PRAGMA integrity_check");
        QVERIFY(*check->step());
        QCOMPARE(check->text(0), std::string("ok"));
        auto fk = db->prepare("PRAGMA foreign_key_check");
        QVERIFY(!*fk->step());
        if (from >= 1) {
            QCOMPARE(*db->queryInt("SELECT count(*) FROM workflows WHERE name = 'Old'"),
                     std::int64_t(1));
            QCOMPARE(*db->queryInt("SELECT count(*) FROM users"), std::int64_t(1));
        }
        if (from >= 2)
            QCOMPARE(*db->queryInt("SELECT count(*) FROM jobs"), std::int64_t(1));

        // The upgraded schema is exactly the schema of a new file.
        const auto fresh = m_dir.filePath(QStringLiteral("fresh-%1.db").arg(from)).toStdString();
        QVERIFY(SqliteStore::open(fresh).ok());
        auto freshDb = SqliteDb::open(fresh);
        QCOMPARE(schemaOf(*db), schemaOf(*freshDb));
    }

    void anUpgradeIsAnnouncedANewFileIsNot()
    {
        std::vector<std::pair<int, int>> told;
        SqliteStore::Options options;
        options.onUpgrade = [&](int from, int to) { told.emplace_back(from, to); };
        const auto path = m_dir.filePath(QStringLiteral("announced.db")).toStdString();
        {
            auto db = SqliteDb::open(path);
            QVERIFY(db.ok());
            QVERIFY(migrate(*db, 7).ok());
        }
        QVERIFY(SqliteStore::open(path, options).ok());
        QCOMPARE(told.size(), std::size_t(1));
        QCOMPARE(told.front().first, 7);
        QCOMPARE(told.front().second, latestSchemaVersion());
        // Up to date now, and a new file has nothing to upgrade: neither is announced.
        QVERIFY(SqliteStore::open(path, options).ok());
        const auto fresh = m_dir.filePath(QStringLiteral("unannounced.db")).toStdString();
        QVERIFY(SqliteStore::open(fresh, options).ok());
        QCOMPARE(told.size(), std::size_t(1));
    }

    void reopeningIsANoOp()
    {
        const auto path = m_dir.filePath(QStringLiteral("twice.db")).toStdString();
        QVERIFY(SqliteStore::open(path).ok());
        auto again = SqliteStore::open(path);
        QVERIFY(again.ok());
    }

    void refusesAFileFromANewerFlowdeck()
    {
        const auto path = m_dir.filePath(QStringLiteral("newer.db")).toStdString();
        {
            auto db = SqliteDb::open(path);
            QVERIFY(db->exec("CREATE TABLE future (x); PRAGMA user_version = 999").ok());
        }
        auto store = SqliteStore::open(path);
        QVERIFY(!store.ok());
        QCOMPARE(store.error().code, ErrorCode::Invalid);
        QVERIFY(store.error().message.find("999") != std::string::npos);
        auto db = SqliteDb::open(path);
        QCOMPARE(*schemaVersion(*db), 999);
        QVERIFY(!tableExists(*db, "workflows"));
    }

    void refusesAFileThatIsNotADatabase()
    {
        const auto path = m_dir.filePath(QStringLiteral("garbage.db"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QByteArray(4096, 'x'));
        f.close();
        auto store = SqliteStore::open(path.toStdString());
        QVERIFY(!store.ok());
        QVERIFY(!store.error().message.empty());
    }

    // Version 4: existing users become people, names are unique regardless of case, and
    // tokens belong to a user (deleted with it).
    void version4KeepsUsersAndAddsTokens()
    {
        const auto path = m_dir.filePath(QStringLiteral("v4.db")).toStdString();
        {
            auto db = SqliteDb::open(path);
            QVERIFY(migrate(*db, 3).ok());
            seed(*db);
            QVERIFY(migrate(*db, 4).ok());
        }
        auto db = SqliteDb::open(path);
        QCOMPARE(*db->queryInt("SELECT count(*) FROM users WHERE kind = 'person'"),
                 std::int64_t(1));
        QVERIFY(!db->exec("INSERT INTO users (id, username, created_at, updated_at) VALUES "
                          "('eeeeeeeeeeeeeeeeeeeeeeee', 'ALICE', 1, 1)")
                     .ok());
        QVERIFY(db->exec("INSERT INTO tokens (id, token_hash, user_id, kind, created_at, "
                         "expires_at) VALUES ('dddddddddddddddddddddddd', 'abc', "
                         "'bbbbbbbbbbbbbbbbbbbbbbbb', 'session', 1, 2)")
                    .ok());
        QVERIFY(!db->exec("INSERT INTO tokens (id, token_hash, user_id, kind, created_at, "
                          "expires_at) VALUES ('ffffffffffffffffffffffff', 'abc', "
                          "'bbbbbbbbbbbbbbbbbbbbbbbb', 'session', 1, 2)")
                     .ok());
        QVERIFY(db->exec("DELETE FROM users").ok());
        QCOMPARE(*db->queryInt("SELECT count(*) FROM tokens"), std::int64_t(0));
    }

    // Version 9: the tokens table is rebuilt to take API tokens with a label and a last use;
    // the sign-in tokens a v8 file had are all still there, unchanged.
    void version9TakesApiTokensAndKeepsSessions()
    {
        const auto path = m_dir.filePath(QStringLiteral("v9.db")).toStdString();
        {
            auto db = SqliteDb::open(path);
            QVERIFY(migrate(*db, 8).ok());
            seed(*db);
            QVERIFY(!db->exec("INSERT INTO tokens (id, token_hash, user_id, kind, created_at, "
                              "expires_at) VALUES ('fffffffffffffffffffffff1', 'def', "
                              "'bbbbbbbbbbbbbbbbbbbbbbbb', 'api', 1, 2)")
                         .ok());
            QVERIFY(migrate(*db, 9).ok());
        }
        auto db = SqliteDb::open(path);
        QCOMPARE(*db->queryInt("SELECT count(*) FROM tokens WHERE kind = 'session' AND "
                               "token_hash = 'abc' AND expires_at = 2 AND label = ''"),
                 std::int64_t(1));
        QVERIFY(db->exec("INSERT INTO tokens (id, token_hash, user_id, kind, label, created_at, "
                         "expires_at) VALUES ('fffffffffffffffffffffff1', 'def', "
                         "'bbbbbbbbbbbbbbbbbbbbbbbb', 'api', 'CI', 1, 2)")
                    .ok());
        QVERIFY(!db->exec("INSERT INTO tokens (id, token_hash, user_id, kind, created_at, "
                          "expires_at) VALUES ('fffffffffffffffffffffff2', 'def', "
                          "'bbbbbbbbbbbbbbbbbbbbbbbb', 'api', 1, 2)")
                     .ok()); // the hash stays unique
        QVERIFY(db->exec("DELETE FROM users").ok());
        QCOMPARE(*db->queryInt("SELECT count(*) FROM tokens"), std::int64_t(0));
    }

    // Version 5: JST documents beside the workflows; a v4 file keeps all it had, and the new
    // tables take JSTs with unique names regardless of case and a history deleted with them.
    void version5AddsTransformationsAndKeepsData()
    {
        const auto path = m_dir.filePath(QStringLiteral("v5.db")).toStdString();
        {
            auto db = SqliteDb::open(path);
            QVERIFY(migrate(*db, 4).ok());
            seed(*db);
            QVERIFY(!tableExists(*db, "transformations"));
            QVERIFY(migrate(*db, 5).ok());
            QCOMPARE(*schemaVersion(*db), 5);
        }
        auto db = SqliteDb::open(path);
        QCOMPARE(*db->queryInt("SELECT count(*) FROM workflows WHERE name = 'Old'"),
                 std::int64_t(1));
        QCOMPARE(*db->queryInt("SELECT count(*) FROM workflow_versions"), std::int64_t(1));
        QCOMPARE(*db->queryInt("SELECT count(*) FROM users"), std::int64_t(1));
        QCOMPARE(*db->queryInt("SELECT count(*) FROM tokens"), std::int64_t(1));
        QCOMPARE(*db->queryInt("SELECT count(*) FROM jobs"), std::int64_t(1));

        QVERIFY(db->exec("INSERT INTO transformations VALUES ('aaaaaaaaaaaaaaaaaaaaaaaa', "
                         "'Alarm to ticket', 1, '{}', 1, NULL, 1, NULL)")
                    .ok());
        QVERIFY(!db->exec("INSERT INTO transformations VALUES ('bbbbbbbbbbbbbbbbbbbbbbbb', "
                          "'ALARM TO TICKET', 1, '{}', 1, NULL, 1, NULL)")
                     .ok());
        QVERIFY(db->exec("INSERT INTO transformation_versions VALUES "
                         "('aaaaaaaaaaaaaaaaaaaaaaaa', 1, '{}', 1, NULL)")
                    .ok());
        QVERIFY(!db->exec("INSERT INTO transformation_versions VALUES "
                          "('cccccccccccccccccccccccc', 1, '{}', 1, NULL)")
                     .ok()); // no such JST
        QVERIFY(db->exec("DELETE FROM transformations").ok());
        QCOMPARE(*db->queryInt("SELECT count(*) FROM transformation_versions"), std::int64_t(0));
    }

    // Version 6: endpoint triggers' routeName gets a column, filled from the documents a v5
    // file holds, and is unique among enabled endpoint triggers only.
    void version6IndexesEndpointRouteNames()
    {
        const auto path = m_dir.filePath(QStringLiteral("v6.db")).toStdString();
        {
            auto db = SqliteDb::open(path);
            QVERIFY(migrate(*db, 5).ok());
            QVERIFY(db->exec("INSERT INTO automations (id, name, document, created_at, updated_at)"
                             " VALUES ('aaaaaaaaaaaaaaaaaaaaaaa1', 'A', '{}', 1, 1)")
                        .ok());
            QVERIFY(db->exec("INSERT INTO triggers (id, automation_id, name, type, enabled, "
                             "document, created_at, updated_at) VALUES ('bbbbbbbbbbbbbbbbbbbbbbb1',"
                             " 'aaaaaaaaaaaaaaaaaaaaaaa1', 'api', 'endpoint', 1, "
                             "'{\"routeName\":\"provision\"}', 1, 1)")
                        .ok());
            QVERIFY(migrate(*db, 6).ok());
            QCOMPARE(*schemaVersion(*db), 6);
        }
        auto db = SqliteDb::open(path);
        QCOMPARE(*db->queryInt("SELECT count(*) FROM triggers WHERE route_name = 'provision'"),
                 std::int64_t(1));
        const char *second = "INSERT INTO triggers (id, automation_id, name, type, enabled, "
                             "document, created_at, updated_at, route_name) VALUES "
                             "('bbbbbbbbbbbbbbbbbbbbbbb2', 'aaaaaaaaaaaaaaaaaaaaaaa1', 'api 2', "
                             "'endpoint', %1, '{}', 1, 1, 'provision')";
        QVERIFY(!db->exec(QString::fromLatin1(second).arg(1).toStdString()).ok());
        QVERIFY(db->exec(QString::fromLatin1(second).arg(0).toStdString()).ok());
    }
    // Version 12: the jobs table admits 'queued' (its CHECK widened in place) and keeps every
    // job with its events and iterations; other statuses are still refused.
    void version12AdmitsQueuedJobsAndKeepsTheirHistory()
    {
        const auto path = m_dir.filePath(QStringLiteral("v12.db")).toStdString();
        {
            auto db = SqliteDb::open(path);
            QVERIFY(migrate(*db, 11).ok());
            QVERIFY(!db->exec("INSERT INTO jobs (id, name, status, created_at, updated_at, "
                              "document) VALUES ('q1', 'W', 'queued', 1, 1, '{}')")
                         .ok());
            QVERIFY(db->exec("INSERT INTO jobs (id, name, status, created_at, updated_at, "
                             "document) VALUES ('j1', 'W', 'running', 1, 1, '{}')")
                        .ok());
            QVERIFY(db->exec("INSERT INTO job_events (job_id, at, kind, data) VALUES "
                             "('j1', 1, 'jobCreated', '{}')")
                        .ok());
            QVERIFY(migrate(*db, 12).ok());
        }
        auto db = SqliteDb::open(path);
        QCOMPARE(*db->queryInt("SELECT count(*) FROM job_events WHERE job_id = 'j1'"),
                 std::int64_t(1));
        QVERIFY(db->exec("INSERT INTO jobs (id, name, status, created_at, updated_at, document) "
                         "VALUES ('q1', 'W', 'queued', 1, 1, '{}')")
                    .ok());
        QVERIFY(!db->exec("INSERT INTO jobs (id, name, status, created_at, updated_at, document) "
                          "VALUES ('x1', 'W', 'waiting', 1, 1, '{}')")
                     .ok());
        auto check = db->prepare("PRAGMA integrity_check");
        QVERIFY(*check->step());
        QCOMPARE(QString::fromStdString(check->text(0)), QStringLiteral("ok"));
        QVERIFY(tableExists(*db, "automation_runs"));
    }

    // Version 8: the jobs a v7 file holds get the generated sort columns (from their
    // documents) and an index for each of the jobs table's sorts; listJobs sorts by them.
    void version8IndexesEverySortOfTheJobsTable()
    {
        const auto path = m_dir.filePath(QStringLiteral("v8.db")).toStdString();
        {
            auto db = SqliteDb::open(path);
            QVERIFY(migrate(*db, 7).ok());
            const char *insert =
                "INSERT INTO jobs (id, name, status, progress, created_at, created_by, "
                "updated_at, document) VALUES ('%1', '%2', '%3', %4, 1, '%5', 1, '%6')";
            auto add = [&](const char *id, const char *name, const char *status, double progress,
                           const char *by, const char *doc) {
                QVERIFY(
                    db->exec(QString::fromLatin1(insert)
                                 .arg(QLatin1String(id), QLatin1String(name), QLatin1String(status))
                                 .arg(progress)
                                 .arg(QLatin1String(by), QLatin1String(doc))
                                 .toStdString())
                        .ok());
            };
            add("aaaaaaaaaaaaaaaaaaaaaaa1", "Backup", "complete", 1, "alice",
                R"({"metrics": {"start_time": 1000, "end_time": 4000}, "groups": ["g2"]})");
            add("aaaaaaaaaaaaaaaaaaaaaaa2", "backup", "error", 0.5, "bob",
                R"({"metrics": {"start_time": 2000, "end_time": 3000},)"
                R"( "groups": [{"_id": "g1", "name": "NOC"}]})");
            add("aaaaaaaaaaaaaaaaaaaaaaa3", "Health", "running", 0.1, "carol",
                R"({"metrics": {"start_time": 500}, "groups": []})");
            QCOMPARE(*schemaVersion(*db), 7);
        }
        auto store = SqliteStore::open(path);
        QVERIFY2(store.ok(), store.ok() ? "" : store.error().message.c_str());
        store->reset();

        auto db = SqliteDb::open(path);
        QCOMPARE(*schemaVersion(*db), latestSchemaVersion()); // v8 and every later one
        auto check = db->prepare("PRAGMA integrity_check");
        QVERIFY(*check->step());
        QCOMPARE(check->text(0), std::string("ok"));
        // The columns follow the documents that were there before the upgrade.
        auto rows = db->prepare("SELECT id, start_time, end_time, run_time, "
                                "coalesce(first_group, '-') FROM jobs ORDER BY id");
        QVERIFY(rows.ok());
        std::string seen;
        while (*rows->step())
            seen += rows->text(0).substr(23) + ":" + rows->text(1) + "," + rows->text(2) + "," +
                    rows->text(3) + "," + rows->text(4) + " ";
        QCOMPARE(seen, std::string("1:1000,4000,3000,g2 2:2000,3000,1000,g1 3:500,,,- "));
        for (const char *index : {"jobs_by_start_time", "jobs_by_run_time", "jobs_by_first_group",
                                  "jobs_by_created_by", "jobs_by_progress", "jobs_by_name_nocase",
                                  "jobs_by_status_name_nocase", "jobs_by_status_start_time"}) {
            auto s = db->prepare("SELECT count(*) FROM sqlite_master WHERE type = 'index' AND "
                                 "name = ?1");
            s->bind(1, index);
            QVERIFY(*s->step());
            QVERIFY2(s->int64(0) == 1, index);
        }
        // And the store sorts by them: the running job (no run time) last.
        auto reopened = SqliteStore::open(path);
        QVERIFY(reopened.ok());
        JobQuery q;
        q.sortField = "metrics.run_time";
        q.descending = false;
        auto page = (*reopened)->listJobs(q);
        QVERIFY(page.ok());
        QCOMPARE(page->items.size(), std::size_t(3));
        QCOMPARE(page->items[0].id, std::string("aaaaaaaaaaaaaaaaaaaaaaa2"));
        QCOMPARE(page->items[1].id, std::string("aaaaaaaaaaaaaaaaaaaaaaa1"));
        QCOMPARE(page->items[2].id, std::string("aaaaaaaaaaaaaaaaaaaaaaa3"));
    }
};

QTEST_APPLESS_MAIN(TestMigrations)
#include "TestMigrations.moc"
