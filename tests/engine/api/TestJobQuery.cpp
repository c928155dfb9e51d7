// SPDX-License-Identifier: GPL-3.0-or-later
// The §2a search syntax: each operator parsed and run against a store of hand-made jobs, each
// bad input refused naming what is wrong, SQL metacharacters in values matched literally,
// GBAC counted in SQL, projections, and the schema migration that serves it.
#include "engine/api/JobQueryParser.h"
#include "engine/store/Migrations.h"
#include "engine/store/SqliteStore.h"
#include "tests/support/JsonAsserts.h"

#include <QTest>

#include <algorithm>

using namespace flowdeck;
using namespace flowdeck::api;
using nlohmann::json;

namespace {

using Query = std::multimap<std::string, std::string>;

ApiRequest request(Query q)
{
    ApiRequest r;
    r.query = std::move(q);
    return r;
}

SearchSchema jobsSchema()
{
    return {store::jobSearchFields(), {"workflow"}};
}

store::JobRecord job(const std::string &id, const std::string &name, const std::string &status,
                     store::Millis created, json groups = json::array(),
                     json watchers = json::array())
{
    store::JobRecord r;
    r.id = id;
    r.name = name;
    r.status = status;
    r.description = "job " + name;
    r.rootJobId = id;
    r.createdAt = created;
    r.updatedAt = created;
    r.document = {{"_id", id},
                  {"name", name},
                  {"status", status},
                  {"type", "automation"},
                  {"groups", std::move(groups)},
                  {"watchers", std::move(watchers)},
                  {"metrics", {{"start_time", created}}}};
    return r;
}

const std::string G1 = "aaaaaaaaaaaaaaaaaaaaaaa1";
const std::string G2 = "aaaaaaaaaaaaaaaaaaaaaaa2";

} // namespace

class TestJobQuery : public QObject
{
    Q_OBJECT
    std::unique_ptr<store::SqliteStore> m_store;

    /// The ids the store lists for these query parameters, in order.
    std::vector<std::string> ids(Query q, std::optional<std::vector<std::string>> visibleTo = {})
    {
        auto parsed = parseSearchQuery(request(std::move(q)), jobsSchema());
        if (!parsed)
            return {"parse error: " + parsed.error().message};
        store::JobQuery jq;
        jq.filter = parsed->filter;
        jq.sortField = parsed->sortField;
        jq.descending = parsed->descending;
        jq.skip = parsed->skip;
        jq.limit = parsed->limit;
        jq.visibleTo = std::move(visibleTo);
        auto page = m_store->listJobs(jq);
        if (!page)
            return {"store error: " + page.error().message};
        std::vector<std::string> out;
        for (const auto &r : page->items)
            out.push_back(r.id);
        if (page->total != std::int64_t(out.size()) && jq.skip == 0 && jq.limit >= 25)
            out.push_back("total mismatch");
        return out;
    }

    Error refusal(Query q)
    {
        auto parsed = parseSearchQuery(request(std::move(q)), jobsSchema());
        if (parsed)
            return Error::internal("accepted");
        return parsed.error();
    }

private Q_SLOTS:
    void init()
    {
        m_store = std::move(*store::SqliteStore::open(":memory:"));
        QVERIFY(m_store->saveJobs({
            job("000000000000000000000001", "Backup", "complete", 1000, json::array({G1})),
            job("000000000000000000000002", "Backup nightly", "error", 2000, json::array({G2}),
                json::array({"alice"})),
            job("000000000000000000000003", "Deploy 100%_done", "running", 3000),
            job("000000000000000000000004", "x' OR '1'='1", "paused", 4000,
                json::array({json{{"_id", G1}}})),
        }));
    }

    void defaultsSortByNameAscending()
    {
        auto parsed = parseSearchQuery(request({}), jobsSchema());
        QVERIFY(parsed.ok());
        QCOMPARE(parsed->limit, 25);
        QCOMPARE(parsed->skip, 0);
        QCOMPARE(QString::fromStdString(parsed->sortField), QStringLiteral("name"));
        QCOMPARE(ids({}), (std::vector<std::string>{
                              "000000000000000000000001", "000000000000000000000002",
                              "000000000000000000000003", "000000000000000000000004"}));
    }

    void eachOperator_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("expected"); // last digits of the ids, in name order
        QTest::newRow("equals") << "equals[status]"
                                << "error"
                                << "2";
        QTest::newRow("contains") << "contains[name]"
                                  << "night"
                                  << "2";
        QTest::newRow("contains ignores case") << "contains[name]"
                                               << "BACKUP"
                                               << "12";
        QTest::newRow("starts-with") << "starts-with[name]"
                                     << "Backup"
                                     << "12";
        QTest::newRow("ends-with") << "ends-with[name]"
                                   << "nightly"
                                   << "2";
        QTest::newRow("in") << "in[status]"
                            << "complete,paused"
                            << "14";
        QTest::newRow("not-in") << "not-in[status]"
                                << "complete,paused"
                                << "23";
        QTest::newRow("gt") << "gt[metrics.start_time]"
                            << "2000"
                            << "34";
        QTest::newRow("gte") << "gte[created]"
                             << "2000"
                             << "234";
        QTest::newRow("lt") << "lt[metrics.start_time]"
                            << "2000"
                            << "1";
        QTest::newRow("lte") << "lte[last_updated]"
                             << "2000"
                             << "12";
        QTest::newRow("gt iso date") << "gt[metrics.start_time]"
                                     << "1970-01-01T00:00:02.5Z"
                                     << "34";
        QTest::newRow("exists true") << "exists[metrics.end_time]"
                                     << "true"
                                     << "";
        QTest::newRow("exists false") << "exists[metrics.end_time]"
                                      << "false"
                                      << "1234";
        QTest::newRow("list equals") << "equals[watchers]"
                                     << "alice"
                                     << "2";
        QTest::newRow("list in, group objects")
            << "in[groups]" << QString::fromStdString(G1 + "," + G2) << "124";
        QTest::newRow("list exists") << "exists[groups]"
                                     << "false"
                                     << "3";
        QTest::newRow("percent is literal") << "contains[name]"
                                            << "100%_"
                                            << "3";
        QTest::newRow("underscore is literal") << "contains[name]"
                                               << "p_d"
                                               << "";
        QTest::newRow("quote is literal") << "equals[name]"
                                          << "x' OR '1'='1"
                                          << "4";
        QTest::newRow("injection attempt matches nothing") << "equals[name]"
                                                           << "' OR 1=1; DROP TABLE jobs; --"
                                                           << "";
        QTest::newRow("q with or")
            << "q"
            << R"({"or":[{"equals":{"status":"error"}},{"starts-with":{"name":"Deploy"}}]})"
            << "23";
        QTest::newRow("q with not") << "q"
                                    << R"({"not":{"in":{"status":["complete","error"]}}})"
                                    << "34";
        QTest::newRow("q with and")
            << "q"
            << R"({"and":[{"gte":{"created":1000}},{"lt":{"created":"1970-01-01T00:00:02Z"}}]})"
            << "1";
    }

    void eachOperator()
    {
        QFETCH(QString, key);
        QFETCH(QString, value);
        QFETCH(QString, expected);
        std::string want;
        for (const auto &id : ids({{key.toStdString(), value.toStdString()}}))
            want += id.size() == 24 ? id.substr(23) : "[" + id + "]";
        QCOMPARE(QString::fromStdString(want), expected);
        // The table is intact whatever the values held.
        QCOMPARE(ids({}).size(), std::size_t(4));
    }

    void operatorsCombineWithAnd()
    {
        QCOMPARE(ids({{"starts-with[name]", "Backup"}, {"equals[status]", "complete"}}),
                 std::vector<std::string>{"000000000000000000000001"});
    }

    void sortOrderSkipLimit()
    {
        QCOMPARE(
            ids({{"sort", "metrics.start_time"}, {"order", "-1"}, {"limit", "2"}}),
            (std::vector<std::string>{"000000000000000000000004", "000000000000000000000003"}));
        QCOMPARE(ids({{"sort", "created"}, {"skip", "3"}}),
                 std::vector<std::string>{"000000000000000000000004"});
    }

    void groupsAreFilteredAndCountedInSql()
    {
        QCOMPARE(ids({}, std::vector<std::string>{G1}),
                 (std::vector<std::string>{"000000000000000000000001", "000000000000000000000003",
                                           "000000000000000000000004"}));
        QCOMPARE(ids({}, std::vector<std::string>{}),
                 std::vector<std::string>{"000000000000000000000003"});
        store::JobQuery q;
        q.visibleTo = std::vector<std::string>{G2};
        q.limit = 1;
        auto page = m_store->listJobs(q);
        QVERIFY(page.ok());
        QCOMPARE(int(page->total), 2); // the total counts only what the caller may see
        QCOMPARE(page->items.size(), std::size_t(1));
    }

    void badInputIsRefusedNamingIt_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("named");
        QTest::newRow("unknown field") << "equals[colour]"
                                       << "red"
                                       << "colour";
        QTest::newRow("unknown operator") << "like[name]"
                                          << "x"
                                          << "like[name]";
        QTest::newRow("unknown parameter") << "page"
                                           << "2"
                                           << "page";
        QTest::newRow("empty brackets") << "equals[]"
                                        << "x"
                                        << "equals[]";
        QTest::newRow("number field, text value") << "gt[created]"
                                                  << "yesterday"
                                                  << "created";
        QTest::newRow("text operator on a number") << "contains[created]"
                                                   << "1"
                                                   << "created";
        QTest::newRow("range on a list") << "gt[groups]"
                                         << "a"
                                         << "groups";
        QTest::newRow("exists not boolean") << "exists[name]"
                                            << "maybe"
                                            << "exists[name]";
        QTest::newRow("negative skip") << "skip"
                                       << "-1"
                                       << "skip";
        QTest::newRow("limit not a number") << "limit"
                                            << "ten"
                                            << "limit";
        QTest::newRow("order") << "order"
                               << "up"
                               << "order";
        QTest::newRow("sort unknown") << "sort"
                                      << "colour"
                                      << "colour";
        QTest::newRow("sort on a list") << "sort"
                                        << "groups"
                                        << "groups";
        QTest::newRow("q not json") << "q"
                                    << "{nope"
                                    << "q";
        QTest::newRow("q unknown operator") << "q"
                                            << R"({"regex":{"name":"x"}})"
                                            << "q/regex";
        QTest::newRow("q unknown field in or")
            << "q"
            << R"({"or":[{"equals":{"name":"a"}},{"equals":{"colour":"b"}}]})"
            << "q/or/1/equals/colour";
        QTest::newRow("q in needs array") << "q"
                                          << R"({"in":{"status":"error"}})"
                                          << "q/in/status";
        QTest::newRow("q wrong type") << "q"
                                      << R"({"equals":{"name":5}})"
                                      << "q/equals/name";
        QTest::newRow("include bad path") << "include"
                                          << "name,a..b"
                                          << "a..b";
        QTest::newRow("dereference unknown") << "dereference"
                                             << "owner"
                                             << "owner";
    }

    void badInputIsRefusedNamingIt()
    {
        QFETCH(QString, key);
        QFETCH(QString, value);
        QFETCH(QString, named);
        const Error e = refusal({{key.toStdString(), value.toStdString()}});
        QCOMPARE(e.code, ErrorCode::Invalid);
        QVERIFY2(e.message.find(named.toStdString()) != std::string::npos, e.message.c_str());
    }

    void includeAndExcludeMixOnlyAsExcludeId()
    {
        QCOMPARE(refusal({{"include", "name"}, {"exclude", "status"}}).code, ErrorCode::Invalid);
        auto ok =
            parseSearchQuery(request({{"include", "name"}, {"exclude", "_id"}}), jobsSchema());
        QVERIFY(ok.ok());
        const json doc = {{"_id", "1"}, {"name", "n"}, {"metrics", {{"a", 1}, {"b", 2}}}};
        QCOMPARE_JSON(project(doc, ok->projection), json({{"name", "n"}}));
        Projection nested;
        nested.include = {"metrics.b", "missing.field"};
        QCOMPARE_JSON(project(doc, nested), json({{"_id", "1"}, {"metrics", {{"b", 2}}}}));
        Projection drop;
        drop.exclude = {"metrics.a", "name"};
        QCOMPARE_JSON(project(doc, drop), json({{"_id", "1"}, {"metrics", {{"b", 2}}}}));
    }

    void limitIsClampedWithAHint()
    {
        auto parsed = parseSearchQuery(request({{"limit", "100000"}}), jobsSchema());
        QVERIFY(parsed.ok());
        QCOMPARE(parsed->limit, kMaxListLimit);
        QCOMPARE(parsed->hints.size(), std::size_t(1));
    }

    void timesParse()
    {
        QCOMPARE(parseTimeValue("1970-01-01T00:00:01Z").value_or(-1), std::int64_t(1000));
        QCOMPARE(parseTimeValue("1970-01-01T00:00:01").value_or(-1), std::int64_t(1000));
        QCOMPARE(parseTimeValue("1970-01-01T01:00:01+01:00").value_or(-1), std::int64_t(1000));
        QCOMPARE(parseTimeValue("1234").value_or(-1), std::int64_t(1234));
        QVERIFY(!parseTimeValue("soon"));
    }

    void taskListingUsesItsOwnFields()
    {
        store::TaskQuery q;
        q.filter.children.push_back(
            {store::FilterExpr::Kind::Leaf, "colour", store::FilterOp::Equals, {json("x")}, {}});
        auto page = m_store->listTaskIterations(q);
        QVERIFY(!page);
        QCOMPARE(page.error().code, ErrorCode::Invalid);
        store::TaskQuery inbox;
        inbox.filter.children.push_back(
            {store::FilterExpr::Kind::Leaf, "type", store::FilterOp::Equals, {json("manual")}, {}});
        QVERIFY(m_store->listTaskIterations(inbox).ok());
    }

    void migrationAddsTheGroupsColumnAndInboxIndex()
    {
        auto db = store::SqliteDb::open(":memory:");
        QVERIFY(db.ok());
        QVERIFY(store::migrate(*db, 6).ok());
        QVERIFY(db->exec("INSERT INTO jobs (id, name, status, created_at, updated_at, document) "
                         "VALUES ('j1', 'n', 'running', 1, 1, '{\"groups\":[\"g\"]}')")
                    .ok());
        QVERIFY(store::migrate(*db).ok());
        QCOMPARE(int(*store::schemaVersion(*db)), store::latestSchemaVersion());
        QVERIFY(store::latestSchemaVersion() >= 7);
        auto groups =
            db->queryInt("SELECT json_array_length(gbac_groups) FROM jobs WHERE id = 'j1'");
        QVERIFY(groups.ok());
        QCOMPARE(int(*groups), 1);
        auto index =
            db->queryInt("SELECT count(*) FROM sqlite_master WHERE name = 'task_iterations_inbox'");
        QCOMPARE(int(*index), 1);
    }
};

QTEST_GUILESS_MAIN(TestJobQuery)
#include "TestJobQuery.moc"
