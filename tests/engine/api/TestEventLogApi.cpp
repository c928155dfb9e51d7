// SPDX-License-Identifier: GPL-3.0-or-later
// GET /events through EngineApi::dispatch with a real engine: paging the job event log
// forwards (after) and backwards (before, newest), the jobId filter, GBAC leaving out what a
// caller may not see (and still filling the page), and the 400s that name the parameter.
#include "tests/engine/api/OpsManagerFixture.h"
#include "tests/support/JsonAsserts.h"

#include <QTest>

using namespace flowdeck;
using namespace flowdeck::api;
using nlohmann::json;

namespace {
using Query = std::multimap<std::string, std::string>;

std::vector<std::int64_t> seqs(const json &events)
{
    std::vector<std::int64_t> out;
    for (const auto &e : events)
        out.push_back(e["seq"].get<std::int64_t>());
    return out;
}
} // namespace

class TestEventLogApi : public QObject
{
    Q_OBJECT
    std::unique_ptr<test::OpsManagerFixture> f;

    ApiResponse events(const std::optional<Principal> &who, Query query)
    {
        return f->call(Method::Get, "/events", who, nullptr, std::move(query));
    }

    /// Every event `who` sees, walking the log with `limit`-sized pages in one direction.
    std::vector<std::int64_t> walk(const Principal &who, bool newestFirst, int limit)
    {
        std::vector<std::int64_t> out;
        Query q{{"limit", std::to_string(limit)}};
        q.emplace(newestFirst ? "newest" : "after", newestFirst ? "true" : "0");
        for (int guard = 0; guard < 100; ++guard) {
            auto r = events(who, q);
            if (r.status != 200)
                return {-1};
            if (r.json["data"].size() > std::size_t(limit))
                return {-2};
            for (auto s : seqs(r.json["data"]))
                out.push_back(s);
            if (!r.json["metadata"]["more"].get<bool>())
                return out;
            q = {{"limit", std::to_string(limit)},
                 {newestFirst ? "before" : "after",
                  std::to_string(r.json["metadata"]["next"].get<std::int64_t>())}};
        }
        return {-3};
    }

private Q_SLOTS:
    void init() { f = std::make_unique<test::OpsManagerFixture>(); }

    void afterPagesOldestFirst()
    {
        const std::string first = f->idOf(f->startJob());
        const std::string second = f->idOf(f->startJob("Fails"));
        auto all = events(f->admin, {{"after", "0"}, {"limit", "500"}});
        QCOMPARE(all.status, 200);
        const json &data = all.json["data"];
        QVERIFY(data.size() >= 6);
        const auto order = seqs(data);
        QVERIFY(std::is_sorted(order.begin(), order.end()));
        QVERIFY(std::adjacent_find(order.begin(), order.end()) == order.end());
        QCOMPARE_JSON(data[0]["kind"], "jobCreated");
        QCOMPARE_JSON(data[0]["jobId"], first);
        QCOMPARE_JSON(data[0]["jobName"], "Review");
        QCOMPARE_JSON(data[0]["actor"], "admin");
        for (const auto &e : data) {
            for (const char *key : {"seq", "jobId", "jobName", "at", "actor", "kind", "data"})
                QVERIFY2(e.contains(key), key);
            QCOMPARE_JSON(e["jobName"], e["jobId"] == first ? "Review" : "Fails");
        }
        // The manual task is named as people read it (its summary), not by its key.
        bool named = false;
        for (const auto &e : data)
            if (e["kind"] == "taskStarted" && e["data"]["task"] == "a1") {
                QCOMPARE_JSON(e["taskName"], "Review the change");
                named = true;
            }
        QVERIFY(named);
        QCOMPARE_JSON(all.json["metadata"]["after"], 0);
        QCOMPARE_JSON(all.json["metadata"]["limit"], 500);
        QCOMPARE_JSON(all.json["metadata"]["next"], order.back());
        QCOMPARE_JSON(all.json["metadata"]["more"], false);
        QVERIFY(std::any_of(data.begin(), data.end(),
                            [&](const json &e) { return e["jobId"] == second; }));

        // Pages of 2 walk the same log; after=<last seq> has nothing more.
        QCOMPARE(walk(f->admin, false, 2), order);
        auto tail = events(f->admin, {{"after", std::to_string(order.back())}});
        QCOMPARE(tail.status, 200);
        QVERIFY(tail.json["data"].empty());
        QCOMPARE_JSON(tail.json["metadata"]["next"], order.back());
        QCOMPARE_JSON(tail.json["metadata"]["limit"], 100); // the default
        // A cursor in the middle answers only what came later.
        auto later = events(f->admin, {{"after", std::to_string(order[2])}, {"limit", "2"}});
        QCOMPARE(seqs(later.json["data"]), (std::vector<std::int64_t>{order[3], order[4]}));
        QCOMPARE_JSON(later.json["metadata"]["more"], true);
    }

    void beforeAndNewestPageNewestFirst()
    {
        f->startJob();
        f->startJob("Fails");
        const auto order = walk(f->admin, false, 500);
        QVERIFY(order.size() >= 6);
        std::vector<std::int64_t> reversed(order.rbegin(), order.rend());

        auto newest = events(f->admin, {{"newest", "true"}, {"limit", "3"}});
        QCOMPARE(newest.status, 200);
        QCOMPARE(seqs(newest.json["data"]),
                 (std::vector<std::int64_t>{reversed[0], reversed[1], reversed[2]}));
        QCOMPARE_JSON(newest.json["metadata"]["latest"], order.back());
        QCOMPARE_JSON(newest.json["metadata"]["next"], reversed[2]);
        QCOMPARE_JSON(newest.json["metadata"]["before"], nullptr);
        QCOMPARE_JSON(newest.json["metadata"]["more"], true);

        auto before = events(f->admin, {{"before", std::to_string(reversed[2])}, {"limit", "2"}});
        QCOMPARE(before.status, 200);
        QCOMPARE(seqs(before.json["data"]), (std::vector<std::int64_t>{reversed[3], reversed[4]}));
        QCOMPARE_JSON(before.json["metadata"]["before"], reversed[2]);
        QVERIFY(!before.json["metadata"].contains("latest"));

        QCOMPARE(walk(f->admin, true, 4), reversed);
        // Before the first event there is nothing.
        auto none = events(f->admin, {{"before", std::to_string(order.front())}});
        QVERIFY(none.json["data"].empty());
        QCOMPARE_JSON(none.json["metadata"]["more"], false);

        // A new event after the newest page is what after=latest answers.
        QVERIFY(f->engine->pauseJob(f->idOf(f->startJob()), "alice").ok());
        auto since = events(f->admin, {{"after", std::to_string(order.back())}});
        const json &fresh = since.json["data"];
        QVERIFY(!fresh.empty());
        QCOMPARE_JSON(fresh[0]["kind"], "jobCreated");
        QCOMPARE_JSON(fresh.back()["kind"], "jobStatus");
        QCOMPARE_JSON(fresh.back()["actor"], "alice");
        QCOMPARE_JSON(fresh.back()["data"]["status"], "paused");
    }

    void jobIdNarrowsToOneJob()
    {
        const std::string a = f->idOf(f->startJob());
        const std::string b = f->idOf(f->startJob("Fails"));
        const std::string c = f->idOf(f->startJob());
        for (const auto &[key, value] :
             std::vector<std::pair<std::string, std::string>>{{"after", "0"}, {"newest", "true"}}) {
            auto r = events(f->admin, {{key, value}, {"jobId", b}});
            QCOMPARE(r.status, 200);
            QVERIFY(!r.json["data"].empty());
            for (const auto &e : r.json["data"])
                QCOMPARE_JSON(e["jobId"], b);
        }
        auto oneOfA = events(f->admin, {{"newest", "true"}, {"jobId", a}, {"limit", "1"}});
        QCOMPARE(oneOfA.json["data"].size(), std::size_t(1));
        QCOMPARE_JSON(oneOfA.json["data"][0]["jobId"], a);
        QCOMPARE_JSON(oneOfA.json["metadata"]["more"], true);
        // An unknown job is not found, as on every job route.
        auto missing = events(f->admin, {{"jobId", "0123456789abcdef01234567"}});
        QCOMPARE(missing.status, 404);
        Q_UNUSED(c);
    }

    void gbacLeavesOutJobsOneMayNotSee()
    {
        const std::string field = f->idOf(f->startJob("Review", json::array({f->field})));
        // The newest events are all of NOC jobs, so bob's page must look past them.
        std::string noc;
        for (int i = 0; i < 5; ++i)
            noc = f->idOf(f->startJob());

        auto bobs = events(f->bob, {{"newest", "true"}, {"limit", "2"}});
        QCOMPARE(bobs.status, 200);
        QCOMPARE(bobs.json["data"].size(), std::size_t(2));
        for (const auto &e : bobs.json["data"])
            QCOMPARE_JSON(e["jobId"], field);
        for (const auto &id : walk(f->bob, false, 3))
            QVERIFY(id > 0);
        auto bobAll = events(f->bob, {{"after", "0"}, {"limit", "500"}});
        for (const auto &e : bobAll.json["data"])
            QCOMPARE_JSON(e["jobId"], field);
        auto aliceAll = events(f->alice, {{"after", "0"}, {"limit", "500"}});
        QVERIFY(!aliceAll.json["data"].empty());
        for (const auto &e : aliceAll.json["data"])
            QVERIFY(e["jobId"] != field);
        auto adminAll = events(f->admin, {{"after", "0"}, {"limit", "500"}});
        QCOMPARE(adminAll.json["data"].size(),
                 bobAll.json["data"].size() + aliceAll.json["data"].size());
        // Naming a hidden job is the same as naming a missing one.
        QCOMPARE(events(f->bob, {{"jobId", noc}}).status, 404);
        QCOMPARE(events(f->alice, {{"jobId", field}}).status, 404);
        QCOMPARE(events(f->admin, {{"jobId", field}}).status, 200);
    }

    // Events carrying large values end a page by bytes before it reaches its count, and the
    // walk still sees every event once.
    void pagesEndByBytesAsWellAsByCount()
    {
        for (int i = 0; i < 6; ++i) {
            runtime::StartJobOptions o;
            o.workflow = "Review";
            o.variables = {{"ticket", "CHG1"}, {"config", std::string(600 * 1024, 'x')}};
            o.groups = json::array({f->noc});
            o.actor = "admin";
            QVERIFY(f->engine->startJob(o).ok());
        }
        auto page = events(f->admin, {{"after", "0"}, {"limit", "500"}});
        QCOMPARE(page.status, 200);
        QVERIFY2(page.json["data"].size() < 6, page.json["metadata"].dump().c_str());
        QVERIFY(!page.json["data"].empty());
        QCOMPARE_JSON(page.json["metadata"]["more"], true);
        QCOMPARE_JSON(page.json["metadata"]["limitBytes"], 1024 * 1024);
        QVERIFY(page.json.dump().size() < 2 * 1024 * 1024);
        // Walking by pages sees the same events as the store holds, each once, in order.
        const auto all = walk(f->admin, false, 500);
        QVERIFY(!all.empty() && all.front() > 0);
        QVERIFY(std::is_sorted(all.begin(), all.end()));
        QVERIFY(std::adjacent_find(all.begin(), all.end()) == all.end());
        auto stored = f->store->jobEvents("", 0, 100000);
        QVERIFY(stored.ok());
        QCOMPARE(all.size(), stored->size());
    }

    void badParametersAre400NamingThem()
    {
        f->startJob();
        const std::vector<std::pair<Query, std::string>> cases{
            {{{"foo", "1"}}, "foo"},
            {{{"after", "x"}}, "after"},
            {{{"after", "-1"}}, "after"},
            {{{"after", "1 OR 1=1"}}, "after"},
            {{{"after", "9223372036854775808"}}, "after"},
            {{{"before", "1.5"}}, "before"},
            {{{"limit", "0"}}, "limit"},
            {{{"limit", "501"}}, "limit"},
            {{{"limit", ""}}, "limit"},
            {{{"newest", "yes"}}, "newest"},
            {{{"newest", "true"}, {"after", "3"}}, "newest"},
            {{{"after", "1"}, {"before", "5"}}, "before"},
            {{{"jobId", ""}}, "jobId"},
        };
        for (const auto &[query, parameter] : cases) {
            auto r = events(f->admin, query);
            QVERIFY2(r.status == 400, parameter.c_str());
            QCOMPARE_JSON(r.json["details"]["parameter"], parameter);
            QVERIFY2(r.json["message"].get<std::string>().find("\"" + parameter + "\"") !=
                         std::string::npos,
                     r.json["message"].get<std::string>().c_str());
        }
    }

    void needsGetJobs()
    {
        QCOMPARE(events(std::nullopt, {}).status, 401);
        Principal nobody;
        nobody.userId = "0123456789abcdef01234567";
        nobody.username = "nobody";
        QCOMPARE(events(nobody, {}).status, 403);
        QCOMPARE(events(f->vic, {}).status, 200); // viewers read history
    }
};

QTEST_GUILESS_MAIN(TestEventLogApi)
#include "TestEventLogApi.moc"
