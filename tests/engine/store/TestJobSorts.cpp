// SPDX-License-Identifier: GPL-3.0-or-later
// The jobs table's sorts through listJobs (schema 8): every column's field orders the jobs,
// ties break the same way on every page, missing values go where docs/api.md says (a job still
// going by its time so far, first when longest first; everything else first ascending), names sort
// ignoring case, and the case-insensitive name prefix still matches only what it should.
#include "engine/model/Ids.h"
#include "engine/store/SqliteStore.h"

#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <functional>

using namespace flowdeck;
using namespace flowdeck::store;
using namespace Qt::StringLiterals;
using nlohmann::json;

namespace {

/// A job named `name` whose document carries `metrics` and `groups` (null: no such key).
JobRecord job(const std::string &name, json metrics, json groups,
              std::optional<std::string> createdBy, double progress, Millis updated,
              const std::string &status = "complete")
{
    JobRecord j;
    j.id = ids::newObjectId();
    j.name = name;
    j.status = status;
    j.progress = progress;
    j.createdAt = 1;
    j.createdBy = std::move(createdBy);
    j.updatedAt = updated;
    j.document = {{"_id", j.id}, {"name", name}, {"status", status}};
    if (!metrics.is_null())
        j.document["metrics"] = std::move(metrics);
    if (!groups.is_null())
        j.document["groups"] = std::move(groups);
    return j;
}

FilterExpr leaf(const char *field, FilterOp op, json value)
{
    FilterExpr e;
    e.kind = FilterExpr::Kind::Leaf;
    e.field = field;
    e.op = op;
    e.values = {std::move(value)};
    return e;
}

} // namespace

class TestJobSorts : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<SqliteStore> m_store;

    /// The names of every job in the order `field` sorts them, read `pageSize` at a time, so
    /// a tie split across two pages shows up as a repeat or a gap.
    QStringList order(const char *field, bool descending, int pageSize = 100,
                      FilterExpr filter = {})
    {
        QStringList out;
        for (int skip = 0;; skip += pageSize) {
            JobQuery q;
            q.sortField = field;
            q.descending = descending;
            q.skip = skip;
            q.limit = pageSize;
            q.filter = filter;
            auto page = m_store->listJobs(q);
            if (!page) {
                QTest::qFail(page.error().message.c_str(), __FILE__, __LINE__);
                return {};
            }
            for (const auto &j : page->items)
                out.append(QString::fromStdString(j.name));
            if (int(page->items.size()) < pageSize)
                return out;
        }
    }

private Q_SLOTS:
    /// Every test three ways: a page found by walking the sort's index, one found by collecting
    /// the few matches first and sorting them (what a rare filter term gets), and both.
    void initTestCase_data()
    {
        QTest::addColumn<qint64>("fewMatches");
        QTest::newRow("walk") << qint64(0);
        QTest::newRow("find first") << qint64(5000);
        // Lists of at most three rows found first, larger ones walked: the boundary in each.
        QTest::newRow("find first up to 3") << qint64(3);
    }

    void init()
    {
        QFETCH_GLOBAL(qint64, fewMatches);
        QVERIFY(m_dir.isValid());
        const auto path = m_dir.filePath(QString::fromUtf8(QTest::currentTestFunction()) +
                                         QString::number(fewMatches) + QStringLiteral(".db"));
        SqliteStore::Options options;
        options.fewMatches = fewMatches;
        auto opened = SqliteStore::open(path.toStdString(), options);
        QVERIFY2(opened.ok(), opened.ok() ? "" : opened.error().message.c_str());
        m_store = std::move(*opened);
        // Inserted in this order: the rowid breaks the remaining ties.
        const std::vector<JobRecord> jobs{
            job("j1", {{"start_time", 100}, {"end_time", 160}}, {"g2"}, "carol", 0.5, 10),
            job("j2", {{"start_time", 200}, {"end_time", 230}}, {"g1", "g3"}, "alice", 1.0, 20),
            job("j3", {{"start_time", 300}}, json::array(), "bob", 0.2, 30, "running"),
            // Ties j2 on run time (30) and j1 on progress; an imported document's group.
            job("j4", {{"start_time", 150}, {"end_time", 180}}, {{{"_id", "g1"}, {"name", "NOC"}}},
                std::nullopt, 0.5, 40),
            job("j5", {{"start_time", 250}, {"end_time", nullptr}}, nullptr, "alice", 0.9, 50,
                "paused"),
            // No metrics at all, and a start time that is not a number: neither has a run time.
            job("j6", nullptr, {"g2"}, "dave", 0.0, 60),
            job("j7", {{"start_time", "2021-11-18T23:59:59"}, {"end_time", 500}}, {"g1"}, "erin",
                0.7, 70),
        };
        QVERIFY(m_store->insertJobs(jobs).ok());
    }

    void cleanup() { m_store.reset(); }

    void theTablesSortFieldsAreSortable()
    {
        for (const char *name : {"name", "status", "metrics.progress", "metrics.start_time",
                                 "metrics.run_time", "metrics.user", "groups.0"}) {
            const auto &fields = jobSearchFields();
            const auto it = std::find_if(fields.begin(), fields.end(), [&](const SearchField &f) {
                return std::string(f.name) == name;
            });
            QVERIFY2(it != fields.end(), name);
            QVERIFY2(it->sortable, name);
        }
    }

    void durationSortsJobsStillGoingByTheirTimeSoFar()
    {
        // One more job still going, the one that has run longest (it started first).
        QVERIFY(
            m_store->insertJobs({job("j8", {{"start_time", 50}}, {"g1"}, "bob", 0.1, 80, "error")})
                .ok());
        // Shortest first: the jobs that ended (j2 and j4 both ran 30: the rowid orders them),
        // then those still going by their time so far (j3 started last), then the jobs whose
        // duration cannot be known (no metrics, a start that is not a number), last.
        const QStringList ascending{u"j2"_s, u"j4"_s, u"j1"_s, u"j3"_s,
                                    u"j5"_s, u"j8"_s, u"j6"_s, u"j7"_s};
        // Longest first: the jobs still going on top, the one running longest first, then the
        // jobs that ended, longest first; the unknown ones still last.
        const QStringList descending{u"j8"_s, u"j5"_s, u"j3"_s, u"j1"_s,
                                     u"j4"_s, u"j2"_s, u"j7"_s, u"j6"_s};
        QCOMPARE(order("metrics.run_time", false), ascending);
        QCOMPARE(order("metrics.run_time", true), descending);
        // Page by page, the same order: no tie or part is split differently across pages.
        for (int pageSize : {1, 2, 3}) {
            QCOMPARE(order("metrics.run_time", false, pageSize), ascending);
            QCOMPARE(order("metrics.run_time", true, pageSize), descending);
        }
        // The total counts every part.
        JobQuery q;
        q.sortField = "metrics.run_time";
        q.descending = true;
        q.skip = 4;
        q.limit = 2;
        auto page = m_store->listJobs(q);
        QVERIFY(page.ok());
        QCOMPARE(page->total, std::int64_t(8));
        QCOMPARE(page->items.size(), std::size_t(2));
        QCOMPARE(page->items[0].name, std::string("j4"));
        // Filters narrow every part: only the jobs of group g1.
        FilterExpr g1;
        g1.children = {leaf("groups.0", FilterOp::Equals, "g1")};
        QCOMPARE(order("metrics.run_time", true, 2, g1),
                 QStringList({u"j8"_s, u"j4"_s, u"j2"_s, u"j7"_s}));
        // The field filters as a number too.
        FilterExpr longer;
        longer.children = {leaf("metrics.run_time", FilterOp::Gte, 30)};
        QCOMPARE(order("metrics.run_time", false, 100, longer),
                 QStringList({u"j2"_s, u"j4"_s, u"j1"_s}));
    }

    void groupsSortByTheFirstGroup()
    {
        // No groups (empty, or no key) first ascending; "g1" from a string or an {_id} object.
        const QStringList ascending{u"j3"_s, u"j5"_s, u"j2"_s, u"j4"_s, u"j7"_s, u"j1"_s, u"j6"_s};
        QCOMPARE(order("groups.0", false), ascending);
        QStringList descending = ascending;
        std::reverse(descending.begin(), descending.end());
        QCOMPARE(order("groups.0", true), descending);
        QCOMPARE(order("groups.0", true, 2), descending);
    }

    void startedStartedByAndProgressSort()
    {
        // A start time that is not a number sorts after the numbers (SQLite orders text after
        // numbers); no start time at all first.
        QCOMPARE(order("metrics.start_time", false),
                 QStringList({u"j6"_s, u"j1"_s, u"j4"_s, u"j2"_s, u"j5"_s, u"j3"_s, u"j7"_s}));
        QCOMPARE(order("metrics.user", false),
                 QStringList({u"j4"_s, u"j2"_s, u"j5"_s, u"j3"_s, u"j1"_s, u"j6"_s, u"j7"_s}));
        QCOMPARE(order("metrics.progress", true, 3),
                 QStringList({u"j2"_s, u"j5"_s, u"j7"_s, u"j4"_s, u"j1"_s, u"j3"_s, u"j6"_s}));
    }

    void namesSortIgnoringCaseAndStatusTiesOnTheLastUpdate()
    {
        // Binary order would put "J1" before every "j"; ignoring case it ties with "j1", and
        // the description, then the rowid, decide, here and across pages.
        JobRecord described = job("J1", nullptr, nullptr, "x", 0, 1);
        described.description = "a change"; // after the empty descriptions of the others
        QVERIFY(m_store
                    ->insertJobs({described, job("J1", nullptr, nullptr, "x", 0, 90),
                                  job("j0", nullptr, nullptr, "x", 0, 5)})
                    .ok());
        const QStringList ascending{u"j0"_s, u"j1"_s, u"J1"_s, u"J1"_s, u"j2"_s,
                                    u"j3"_s, u"j4"_s, u"j5"_s, u"j6"_s, u"j7"_s};
        QCOMPARE(order("name", false), ascending);
        QCOMPARE(order("name", false, 2), ascending);
        JobQuery byName;
        byName.sortField = "name";
        byName.descending = false;
        byName.skip = 3;
        byName.limit = 1;
        QCOMPARE(m_store->listJobs(byName)->items.at(0).description, std::string("a change"));
        QStringList descending = ascending;
        std::reverse(descending.begin(), descending.end());
        QCOMPARE(order("workflow.name", true, 4), descending);

        JobQuery q;
        q.sortField = "status";
        q.descending = true;
        q.limit = 100;
        auto page = m_store->listJobs(q);
        QVERIFY(page.ok());
        std::vector<std::pair<std::string, Millis>> got;
        for (const auto &j : page->items)
            got.emplace_back(j.status, j.updatedAt);
        auto expected = got;
        std::sort(expected.begin(), expected.end(), std::greater<>());
        QVERIFY(got == expected);
        QCOMPARE(got.front().first, std::string("running"));
    }

    void aNamePrefixIgnoresCaseAndMatchesOnlyItself()
    {
        QVERIFY(m_store
                    ->insertJobs({job("Back Up Router", nullptr, nullptr, "x", 0, 1, "error"),
                                  job("back up vlan", nullptr, nullptr, "x", 0, 2, "error"),
                                  job("Back Upgrade", nullptr, nullptr, "x", 0, 3, "complete"),
                                  job("50%_off", nullptr, nullptr, "x", 0, 4, "error"),
                                  job("500 off", nullptr, nullptr, "x", 0, 5, "error")})
                    .ok());
        JobQuery q;
        q.filter.children = {leaf("status", FilterOp::Equals, "error"),
                             leaf("name", FilterOp::StartsWith, "BACK UP")};
        q.sortField = "name";
        q.descending = false;
        auto page = m_store->listJobs(q);
        QVERIFY(page.ok());
        QCOMPARE(page->total, std::int64_t(2));
        QCOMPARE(page->items.size(), std::size_t(2));
        QCOMPARE(page->items[0].name, std::string("Back Up Router"));
        QCOMPARE(page->items[1].name, std::string("back up vlan"));
        q.descending = true;
        page = m_store->listJobs(q);
        QCOMPARE(page->items[0].name, std::string("back up vlan"));

        // Without the status, the "Back Upgrade" job matches too.
        q.filter.children = {leaf("name", FilterOp::StartsWith, "back up")};
        QCOMPARE(m_store->listJobs(q)->total, std::int64_t(3));
        // LIKE's wildcards in the value match only themselves.
        q.filter.children = {leaf("name", FilterOp::StartsWith, "50%_")};
        page = m_store->listJobs(q);
        QCOMPARE(page->total, std::int64_t(1));
        QCOMPARE(page->items[0].name, std::string("50%_off"));
    }

    void aPagePastTheMatchesIsEmptyWithItsTotal()
    {
        JobQuery q;
        q.filter.children = {leaf("status", FilterOp::Equals, "complete")};
        q.sortField = "name";
        q.skip = 5;
        auto page = m_store->listJobs(q);
        QVERIFY(page.ok());
        QCOMPARE(page->total, std::int64_t(5)); // j1, j2, j4, j6, j7
        QVERIFY(page->items.empty());
        q.filter.children = {leaf("name", FilterOp::Contains, "CHG0031877")};
        q.skip = 0;
        page = m_store->listJobs(q);
        QVERIFY(page.ok());
        QCOMPARE(page->total, std::int64_t(0));
        QVERIFY(page->items.empty());
    }
};

QTEST_MAIN(TestJobSorts)
#include "TestJobSorts.moc"
