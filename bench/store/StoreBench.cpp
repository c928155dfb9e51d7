// SPDX-License-Identifier: GPL-3.0-or-later
// bench_store: loads a fresh SQLite store with N jobs and prints what an operator will feel:
// the latency of a durable single-job commit, the bulk insert rate, and the latency of the
// console's job listing (a page of 50 filtered by status, newest change first), and the jobs
// table's own requests: a page of 100 sorted by each column it offers, near the top and deep
// in the table, and its filtered lists. It prints figures, never verdicts, so it is not a
// ctest test.
//
//   bench_store [--jobs N] [--db PATH] [--single N] [--batch N] [--json]
//   bench_store --existing PATH [--json]
//
// --existing works on a copy you made of a store loaded earlier (say by an older Flowdeck with
// --db): it times the migration of that file to the current schema, then the table's sorts
// and filters on it, and loads nothing. That is how a migration's cost on a big store is
// measured: load with the old build, migrate with the new one.

#include "engine/model/Ids.h"
#include "engine/model/Workflow.h"
#include "engine/store/Migrations.h"
#include "engine/store/SqliteDb.h"
#include "engine/store/SqliteStore.h"

#include <nlohmann/json.hpp>
#include <sqlite3.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdarg>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <variant>
#include <vector>

namespace {

namespace fs = std::filesystem;
using flowdeck::Result;
using flowdeck::store::FilterExpr;
using flowdeck::store::FilterOp;
using flowdeck::store::JobQuery;
using flowdeck::store::JobRecord;
using flowdeck::store::JobSort;
using flowdeck::store::Millis;
using flowdeck::store::SqliteDb;
using flowdeck::store::SqliteStore;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

// ---- small helpers ----------------------------------------------------------------------

// The bench is a leaf program: a failed store call ends the run, and throwing (caught in
// main) lets the temporary database be removed on the way out.
template <typename T>
T unwrap(Result<T> r, const std::string &what)
{
    if (!r)
        throw std::runtime_error(what + ": " + r.error().message);
    return std::move(r).value();
}

void unwrap(Result<void> r, const std::string &what)
{
    if (!r)
        throw std::runtime_error(what + ": " + r.error().message);
}

double msSince(Clock::time_point start)
{
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

[[gnu::format(printf, 1, 2)]] std::string format(const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    va_list again;
    va_copy(again, args);
    const int n = std::vsnprintf(nullptr, 0, fmt, args);
    va_end(args);
    std::string out(std::size_t(std::max(n, 0)), '\0');
    std::vsnprintf(out.data(), out.size() + 1, fmt, again);
    va_end(again);
    return out;
}

// Progress goes to stderr so that --json leaves stdout holding nothing but the JSON object.
void progress(const std::string &line)
{
    std::fprintf(stderr, "bench_store: %s\n", line.c_str());
    std::fflush(stderr);
}

Millis wallClockMillis()
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

/// Peak resident set size (VmHWM) in KiB, or -1 when /proc is not there.
std::int64_t peakRssKib()
{
    std::ifstream in("/proc/self/status");
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind("VmHWM:", 0) == 0)
            return std::strtoll(line.c_str() + 6, nullptr, 10);
    }
    return -1;
}

std::int64_t fileSize(const fs::path &p)
{
    std::error_code ec;
    const auto n = fs::file_size(p, ec);
    return ec ? 0 : std::int64_t(n);
}

double mib(std::int64_t bytes)
{
    return double(bytes) / (1024.0 * 1024.0);
}

// ---- latency statistics -----------------------------------------------------------------

struct Latency
{
    std::size_t runs = 0;
    double mean = 0, p50 = 0, p95 = 0, p99 = 0, max = 0; ///< milliseconds
};

Latency summarize(std::vector<double> samples)
{
    Latency l;
    if (samples.empty())
        return l;
    std::sort(samples.begin(), samples.end());
    const std::size_t n = samples.size();
    // Nearest rank: p99 of 200 runs is the 198th fastest, an observed value, not a blend.
    auto at = [&](double p) {
        const auto rank = std::size_t(std::ceil(p * double(n)));
        return samples[std::clamp<std::size_t>(rank, 1, n) - 1];
    };
    l.runs = n;
    double sum = 0;
    for (double s : samples)
        sum += s;
    l.mean = sum / double(n);
    l.p50 = at(0.50);
    l.p95 = at(0.95);
    l.p99 = at(0.99);
    l.max = samples.back();
    return l;
}

json toJson(const Latency &l)
{
    return {{"runs", l.runs},  {"mean_ms", l.mean}, {"p50_ms", l.p50},
            {"p95_ms", l.p95}, {"p99_ms", l.p99},   {"max_ms", l.max}};
}

// ---- command line -----------------------------------------------------------------------

struct Options
{
    std::int64_t jobs = 1'000'000;
    std::string db;       ///< empty: a fresh file in a temporary directory, removed afterwards
    std::string existing; ///< a loaded store to migrate and measure; nothing is loaded
    std::int64_t single = 5'000;
    std::int64_t batch = 10'000;
    bool json = false;
};

constexpr const char *kUsage =
    "usage: bench_store [--jobs N (default 1000000)] [--db PATH (default: a fresh file in a\n"
    "                   temporary directory, deleted after)] [--single N (default 5000)]\n"
    "                   [--batch N (default 10000)] [--json]\n"
    "       bench_store --existing PATH (a copy of a loaded store: it is migrated) [--json]\n";

std::optional<std::int64_t> parseCount(std::string_view text)
{
    std::int64_t v = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || end != text.data() + text.size() || v < 0)
        return std::nullopt;
    return v;
}

/// The options, or an error message for the user.
std::variant<Options, std::string> parseArgs(int argc, char **argv)
{
    Options o;
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        if (arg == "--json") {
            o.json = true;
            continue;
        }
        if (arg == "--help" || arg == "-h")
            return std::string();
        if (arg != "--jobs" && arg != "--db" && arg != "--single" && arg != "--batch" &&
            arg != "--existing")
            return "unknown argument " + std::string(arg);
        if (i + 1 >= argc)
            return std::string(arg) + " needs a value";
        const std::string_view value = argv[++i];
        if (arg == "--db" || arg == "--existing") {
            (arg == "--db" ? o.db : o.existing) = value;
            continue;
        }
        const auto n = parseCount(value);
        if (!n)
            return std::string(arg) + " needs a non-negative integer, not " + std::string(value);
        (arg == "--jobs" ? o.jobs : arg == "--single" ? o.single : o.batch) = *n;
    }
    if (o.jobs < 1)
        return std::string("--jobs must be at least 1");
    if (o.batch < 1)
        return std::string("--batch must be at least 1");
    if (o.single > o.jobs)
        return std::string("--single cannot exceed --jobs");
    return o;
}

// ---- realistic jobs ---------------------------------------------------------------------

constexpr std::array kVerbs{"Provision", "Decommission", "Back Up",  "Upgrade", "Audit",
                            "Remediate", "Migrate",      "Validate", "Restart", "Snapshot"};
constexpr std::array kObjects{"Router", "Firewall Policy", "VLAN", "Load Balancer Pool",
                              "DNS Record"};
// A console's mix: most jobs have finished, a tenth failed, a tenth are in flight.
constexpr std::array kStatuses{"complete", "error", "running", "canceled", "paused"};
constexpr std::array kStatusWeights{70.0, 10.0, 10.0, 5.0, 5.0};
constexpr std::array kUsers{"admin@pronghorn", "jdoe",      "asmith",
                            "noc-automation",  "scheduler", "mkumar"};
constexpr std::array kTaskNames{"getDeviceConfig", "runCommand", "evaluation",     "query",
                                "newVariable",     "makeData",   "childJob",       "restCall",
                                "backupConfig",    "pushConfig", "viewData",       "transformation",
                                "delay",           "modifyTask", "checkCompliance"};
constexpr std::array kApps{"WorkFlowEngine", "AutomationGateway", "Ansible", "MOP",
                           "ConfigurationManager"};
// Grid columns of a task chain, as the canvas lays a straight workflow out.
constexpr std::array kTaskX{0.2, 0.4, 0.6, 0.8};
constexpr std::array kRegions{"ams", "fra", "iad", "sjc", "sin", "syd"};
// GBAC group ids: most jobs are open to everyone (no groups), the rest carry one or two, so
// the Groups column has something to sort.
constexpr std::array kGroupIds{"65f1c0ffee0000000000bb01", "65f1c0ffee0000000000bb02",
                               "65f1c0ffee0000000000bb03", "65f1c0ffee0000000000bb04",
                               "65f1c0ffee0000000000bb05", "65f1c0ffee0000000000bb06"};

struct WorkflowRef
{
    std::string id;
    std::string name;
    std::string description;
};

/// Makes jobs in creation order over a time window, as an engine would have written them.
/// Deterministic for a seed, except for the ObjectIds' process-random middle bytes.
class JobGenerator
{
public:
    JobGenerator(std::uint64_t seed, std::int64_t total, Millis start, Millis end,
                 std::vector<WorkflowRef> workflows)
        : m_rng(seed), m_total(total), m_start(start), m_end(end),
          m_workflows(std::move(workflows)),
          m_statusDist(kStatusWeights.begin(), kStatusWeights.end())
    {
        // A few workflows run far more often than the rest (backups, health checks).
        std::vector<double> weights;
        for (std::size_t i = 0; i < m_workflows.size(); ++i)
            weights.push_back(1.0 / double(i + 1));
        m_nameDist = std::discrete_distribution<std::size_t>(weights.begin(), weights.end());
    }

    JobRecord next()
    {
        const std::int64_t i = m_index++;
        JobRecord j;
        // Spread evenly over the window with jitter; the ObjectId carries the creation second,
        // so ids sort roughly by creation as they do in a live store.
        const double span = double(m_end - m_start);
        const Millis slot = std::max<Millis>(1, Millis(span / double(m_total)));
        j.createdAt = m_start + Millis(span * double(i) / double(m_total)) + uniform(0, slot - 1);
        j.id = flowdeck::ids::newObjectId(std::uint32_t(j.createdAt / 1000));

        const WorkflowRef &wf = m_workflows[m_nameDist(m_rng)];
        j.name = wf.name;
        j.workflowId = wf.id;
        j.description = wf.description;
        j.status = kStatuses[m_statusDist(m_rng)];
        // About one job in twenty is a child job started by a recent parent.
        if (!m_recent.empty() && uniform(0, 99) < 5) {
            const auto &parent = m_recent[std::size_t(uniform(0, Millis(m_recent.size()) - 1))];
            j.parentJobId = parent;
            j.rootJobId = parent;
        }
        const std::string user = pick(kUsers);
        j.createdBy = user;
        j.updatedBy = j.status == "running" ? std::string("Pronghorn") : user;
        // Most jobs finish within minutes; a long tail runs for hours.
        const Millis duration = std::min<Millis>(
            Millis(std::exponential_distribution<double>(1.0 / 300'000)(m_rng)) + 500,
            6 * 3600 * 1000);
        j.updatedAt = std::min(j.createdAt + duration, m_end);
        j.progress = j.status == "complete" ? 100.0 : double(uniform(0, 99));
        json groups = json::array();
        if (uniform(0, 99) < 40) {
            groups.push_back(pick(kGroupIds));
            if (uniform(0, 2) == 0 && groups[0] != kGroupIds[0])
                groups.push_back(kGroupIds[0]);
        }
        j.document = document(j, user, std::move(groups));

        if (m_recent.size() < 1000)
            m_recent.push_back(j.id);
        else
            m_recent[std::size_t(i % 1000)] = j.id;
        return j;
    }

private:
    Millis uniform(Millis lo, Millis hi)
    {
        return std::uniform_int_distribution<Millis>(lo, hi)(m_rng);
    }
    template <typename A>
    const char *pick(const A &values)
    {
        return values[std::size_t(uniform(0, Millis(values.size()) - 1))];
    }
    std::string taskKey() { return format("%04x", unsigned(uniform(0, 0xffff))); }

    /// A job document shaped like Itential's: the workflow's tasks with their run state,
    /// transitions, job variables and metrics; about 1.5 KB of JSON.
    json document(const JobRecord &j, const std::string &user, json groups)
    {
        const bool finished = j.status != "running" && j.status != "paused";
        const std::string device = format("%s-rtr-%03d", pick(kRegions), int(uniform(1, 400)));
        const int taskCount = int(uniform(2, 4));
        json tasks = {
            {"workflow_start", {{"name", "workflow_start"}, {"status", "complete"}, {"x", 0.1}}},
            {"workflow_end",
             {{"name", "workflow_end"}, {"status", finished ? "complete" : "incomplete"}}}};
        json transitions = json::object();
        std::string previous = "workflow_start";
        std::string failedTask;
        Millis t = j.createdAt;
        const Millis step = std::max<Millis>(1, (j.updatedAt - j.createdAt) / taskCount);
        for (int k = 0; k < taskCount; ++k) {
            const std::string key = taskKey();
            const bool last = k == taskCount - 1;
            std::string status = "complete";
            if (last && j.status != "complete")
                status = j.status == "error" ? "error" : j.status;
            if (status == "error")
                failedTask = key;
            tasks[key] = {
                {"name", pick(kTaskNames)},
                {"app", pick(kApps)},
                {"summary", "Step " + std::to_string(k + 1) + " on " + device},
                {"status", status},
                {"variables",
                 {{"incoming", {{"device", device}, {"timeout", 300}, {"dryRun", false}}},
                  {"outgoing", {{"result", status == "complete" ? json("ok") : json()}}}}},
                {"metrics", {{"start_time", t}, {"end_time", t + step}, {"user", user}}},
                {"x", kTaskX[std::size_t(k)]},
                {"y", 0.5}};
            transitions[previous] = {{key, {{"type", "standard"}, {"state", "success"}}}};
            previous = key;
            t += step;
        }
        transitions[previous] = {{"workflow_end", {{"type", "standard"}, {"state", "success"}}}};

        json doc = {{"_id", j.id},
                    {"name", j.name},
                    {"type", "automation"},
                    {"description", j.description},
                    {"status", j.status},
                    {"tasks", std::move(tasks)},
                    {"transitions", std::move(transitions)},
                    {"variables",
                     {{"_id", j.id},
                      {"initiator", user},
                      {"device", device},
                      {"ticket", format("CHG%07d", int(uniform(0, 9'999'999)))},
                      {"options", {{"retries", 3}, {"notify", "ops@example.net"}}}}},
                    {"metrics",
                     {{"start_time", j.createdAt},
                      {"end_time", finished ? json(j.updatedAt) : json()},
                      {"user", user},
                      {"progress", j.progress}}},
                    {"watchers", {user}},
                    {"groups", std::move(groups)},
                    {"ancestors", j.parentJobId ? json{*j.parentJobId, j.id} : json{j.id}},
                    {"last_updated", j.updatedAt},
                    {"created", j.createdAt},
                    {"created_by", user}};
        if (!failedTask.empty())
            doc["error"] = {
                {{"task", failedTask},
                 {"message", {{"code", 504}, {"text", "Request timed out after 300 s"}}},
                 {"timestamp", j.updatedAt}}};
        return doc;
    }

    std::mt19937_64 m_rng;
    std::int64_t m_total;
    Millis m_start;
    Millis m_end;
    std::vector<WorkflowRef> m_workflows;
    std::discrete_distribution<std::size_t> m_statusDist;
    std::discrete_distribution<std::size_t> m_nameDist;
    std::vector<std::string> m_recent; ///< recent job ids, candidate parents
    std::int64_t m_index = 0;
};

std::vector<WorkflowRef> createWorkflows(SqliteStore &store)
{
    std::vector<WorkflowRef> out;
    for (const char *verb : kVerbs) {
        for (const char *object : kObjects) {
            const std::string name = std::string(verb) + " " + object;
            json doc = {{"name", name},
                        {"type", "automation"},
                        {"description", name + " across the estate, with pre- and post-checks"},
                        {"tasks",
                         {{"workflow_start", {{"name", "workflow_start"}}},
                          {"workflow_end", {{"name", "workflow_end"}}}}},
                        {"transitions", json::object()}};
            auto wf = unwrap(flowdeck::model::Workflow::fromJson(doc), "workflow " + name);
            auto saved = unwrap(store.saveWorkflow(wf, std::string("admin@pronghorn"), false),
                                "saving workflow " + name);
            out.push_back({saved.id, saved.name, doc["description"].get<std::string>()});
        }
    }
    return out;
}

// ---- the store's SQL, mirrored for EXPLAIN QUERY PLAN and the diagnostics ----------------

// These strings reproduce what SqliteStore::listJobs / job() build for a status filter and
// the default sort; keep them in step with engine/store/SqliteStore.cpp.
constexpr const char *kJobColumns =
    "id, name, workflow_id, description, status, parent_job_id, root_job_id, progress, "
    "created_at, created_by, updated_at, updated_by, document";
const std::string kPageSql = std::string("SELECT ") + kJobColumns +
                             " FROM jobs WHERE 1 AND status = ?1"
                             " ORDER BY updated_at DESC, rowid DESC LIMIT ?2 OFFSET ?3";
const std::string kCountSql = "SELECT count(*) FROM jobs WHERE 1 AND status = ?1";
const std::string kPointSql = std::string("SELECT ") + kJobColumns + " FROM jobs WHERE id = ?1";
// Not the store's SQL: the same page tie-broken by `id`, which no index carries after
// updated_at (the store's first choice, before this bench showed its cost); kept to show why
// the store breaks ties on the rowid.
const std::string kPageByIdSql = std::string("SELECT ") + kJobColumns +
                                 " FROM jobs WHERE 1 AND status = ?1"
                                 " ORDER BY updated_at DESC, id DESC LIMIT ?2 OFFSET ?3";

/// EXPLAIN QUERY PLAN as indented lines, with ?1 bound to `first` and the rest to page values.
std::vector<std::string> queryPlan(SqliteDb &db, const std::string &sql, const std::string &first)
{
    auto s = unwrap(db.prepare("EXPLAIN QUERY PLAN " + sql), "preparing EXPLAIN QUERY PLAN");
    s.bind(1, first).bind(2, 50).bind(3, 0);
    std::map<std::int64_t, int> depth;
    std::vector<std::string> lines;
    while (unwrap(s.step(), "EXPLAIN QUERY PLAN")) {
        const auto id = s.int64(0);
        const auto parent = s.int64(1);
        const int d = parent == 0 ? 0 : depth[parent] + 1;
        depth[id] = d;
        lines.push_back(std::string(std::size_t(2 * d), ' ') + s.text(3));
    }
    return lines;
}

struct RawTiming
{
    Latency latency;
    std::int64_t rows = 0;  ///< rows the statement returned (last run)
    std::int64_t bytes = 0; ///< bytes copied out of them (last run)
};

/// Latency of a raw statement run to completion, copying out `columns` columns of every row
/// (as the store's row reader does) but parsing no JSON.
RawTiming timeRaw(SqliteDb &db, const std::string &sql, int columns, const std::string &first,
                  int skip, int warmup, int runs)
{
    auto s = unwrap(db.prepare(sql), "preparing " + sql);
    std::vector<double> samples;
    RawTiming out;
    for (int r = 0; r < warmup + runs; ++r) {
        const auto t0 = Clock::now();
        if (sql.find("?2") != std::string::npos)
            s.bind(2, 50).bind(3, skip);
        s.bind(1, first);
        out.rows = 0;
        out.bytes = 0;
        while (unwrap(s.step(), "running " + sql)) {
            ++out.rows;
            for (int c = 0; c < columns; ++c)
                out.bytes += std::int64_t(s.text(c).size());
        }
        s.reset();
        if (r >= warmup)
            samples.push_back(msSince(t0));
    }
    out.latency = summarize(std::move(samples));
    return out;
}

json toJson(const RawTiming &t)
{
    json j = toJson(t.latency);
    j["rows"] = t.rows;
    j["bytes"] = t.bytes;
    return j;
}

// ---- the benchmark ----------------------------------------------------------------------

struct ListingCase
{
    std::string status;
    std::int64_t matching = 0;
    const char *page = "first";
    int skip = 0;
    bool withTotal = true;
    std::size_t items = 0;
    std::int64_t total = -1;
    bool ordered = true; ///< every item had the status and updated_at never went up
    Latency latency;
};

constexpr int kListingWarmup = 20;
constexpr int kListingRuns = 200;
constexpr int kDeepSkip = 10'000;
constexpr double kSlowTotalMs = 50.0;
constexpr double kSlowCountMs = 10.0; ///< a fifth of the budget, spent on paging metadata
constexpr int kPointLookups = 10'000;
constexpr std::size_t kIdSample = 20'000;

struct TempDir
{
    fs::path path;
    ~TempDir()
    {
        if (!path.empty()) {
            std::error_code ec;
            fs::remove_all(path, ec);
        }
    }
};

// ---- the jobs table: every column's sort, and its filtered lists --------------------------

// The columns of ui/jobs/JobsModel and the search field each sorts by (JobsModel::sortFieldFor).
// A field the store cannot sort by is reported as such, not skipped, so a before/after run
// of this bench shows which columns became sortable.
struct TableSort
{
    const char *column;
    const char *field;
};
constexpr std::array kTableSorts{
    TableSort{"Name", "name"},
    TableSort{"Status", "status"},
    TableSort{"Progress", "metrics.progress"},
    TableSort{"Started", "metrics.start_time"},
    TableSort{"Duration", "metrics.run_time"},
    TableSort{"Started by", "metrics.user"},
    TableSort{"Groups", "groups.0"},
};
// The ORDER BY listJobs builds for each (engine/store/SqliteStoreJobs.cpp, jobOrderBy), for
// EXPLAIN QUERY PLAN: "USE TEMP B-TREE" in a plan means a sort of every matching row. Keep in
// step with the store; on a store older than schema 8 the columns are missing and the plan
// says so.
std::string tableOrderBy(const std::string &field, bool descending)
{
    const std::string dir = descending ? " DESC" : " ASC";
    const std::map<std::string, std::string> columns{{"name", "jobs.name"},
                                                     {"status", "jobs.status"},
                                                     {"metrics.progress", "jobs.progress"},
                                                     {"metrics.start_time", "jobs.start_time"},
                                                     {"metrics.run_time", "jobs.run_time"},
                                                     {"metrics.user", "jobs.created_by"},
                                                     {"groups.0", "jobs.first_group"}};
    if (field == "name")
        return "jobs.name COLLATE NOCASE" + dir + ", jobs.description" + dir + ", jobs.rowid" + dir;
    std::string out = columns.at(field) + dir;
    if (field == "metrics.run_time")
        out += " NULLS LAST";
    if (field == "status")
        out += ", jobs.updated_at" + dir;
    return out + ", jobs.rowid" + dir;
}

/// EXPLAIN QUERY PLAN of `sql` (no parameters) as one line; the error when it does not prepare.
std::string planLine(SqliteDb &db, const std::string &sql)
{
    auto s = db.prepare("EXPLAIN QUERY PLAN " + sql);
    if (!s)
        return "(" + s.error().message + ")";
    std::string out;
    while (true) {
        auto row = s->step();
        if (!row || !*row)
            break;
        out += (out.empty() ? "" : "; ") + s->text(3);
    }
    return out;
}

constexpr int kTablePage = 100;           ///< JobsModel::kPageSize
constexpr int kTableDeepSkip = 500'000;   ///< a scroll-bar drag to the middle of a million
constexpr double kTableBudgetMs = 15'000; ///< per case; a slow case gets fewer runs
constexpr int kTableRuns = 10;

FilterExpr leaf(const char *field, FilterOp op, json value)
{
    FilterExpr e;
    e.kind = FilterExpr::Kind::Leaf;
    e.field = field;
    e.op = op;
    e.values = {std::move(value)};
    return e;
}

struct TableTiming
{
    Latency latency;
    std::string error; ///< the store's refusal (e.g. "cannot sort on ..."); nothing timed
    std::size_t items = 0;
    std::int64_t total = -1;
};

/// Times one listing through the store as the API calls it: one untimed warm-up run, then up
/// to kTableRuns runs within kTableBudgetMs (at least one; a warm-up slower than the budget
/// is the one sample, so a full sort of a million rows is not repeated for minutes).
TableTiming timeListing(SqliteStore &store, const JobQuery &q)
{
    TableTiming out;
    std::vector<double> samples;
    const auto t0 = Clock::now();
    auto first = store.listJobs(q);
    const double warm = msSince(t0);
    if (!first) {
        out.error = first.error().message;
        return out;
    }
    out.items = first->items.size();
    out.total = first->total;
    if (warm > kTableBudgetMs / 3) {
        samples.push_back(warm);
    } else {
        const auto start = Clock::now();
        while (int(samples.size()) < kTableRuns &&
               (samples.empty() || msSince(start) < kTableBudgetMs)) {
            const auto t = Clock::now();
            unwrap(store.listJobs(q), "listing jobs");
            samples.push_back(msSince(t));
        }
    }
    out.latency = summarize(std::move(samples));
    return out;
}

json toJson(const TableTiming &t)
{
    json j = {{"items", t.items}, {"total", t.total}};
    if (!t.error.empty())
        j["error"] = t.error;
    else
        j["latency"] = toJson(t.latency);
    return j;
}

/// The jobs table's requests: each column's sort (descending, as a header click on a time
/// column first sorts, and ascending), on the first page and deep in the table, without the
/// total (its cost is the same for every sort and is timed once on its own); then the
/// filtered lists, with the total as the API always counts it.
json tableFigures(SqliteStore &store, const std::string &dbPath, std::int64_t jobs)
{
    progress("timing the jobs table's sorts and filters");
    auto raw =
        unwrap(SqliteDb::open(dbPath, SqliteDb::Mode::ReadOnly), "opening a read connection");
    const int deep = int(std::min<std::int64_t>(kTableDeepSkip, jobs / 2));
    json sorts = json::array();
    for (const auto &sort : kTableSorts) {
        for (const bool descending : {true, false}) {
            for (const int skip : {0, deep}) {
                JobQuery q;
                q.sortField = sort.field;
                q.descending = descending;
                q.skip = skip;
                q.limit = kTablePage;
                q.withTotal = false;
                const TableTiming t = timeListing(store, q);
                progress(format("  %-10s %-4s skip %-7d %s", sort.column,
                                descending ? "desc" : "asc", skip,
                                t.error.empty() ? format("p50 %.2f ms", t.latency.p50).c_str()
                                                : t.error.c_str()));
                json j = toJson(t);
                j["column"] = sort.column;
                j["field"] = sort.field;
                j["order"] = descending ? "desc" : "asc";
                j["skip"] = skip;
                j["plan"] = planLine(raw, "SELECT jobs.id FROM jobs ORDER BY " +
                                              tableOrderBy(sort.field, descending) +
                                              " LIMIT 100 OFFSET " + std::to_string(skip));
                sorts.push_back(std::move(j));
            }
        }
    }

    // The total every table request carries (rowCount is the server's total).
    JobQuery countAll;
    countAll.limit = 1;
    countAll.withTotal = true;
    const TableTiming total = timeListing(store, countAll);

    struct Filtered
    {
        const char *what;
        JobQuery query;
        std::string where; ///< the store's WHERE with the values inlined, for the plans
        std::string orderBy;
    };
    std::vector<Filtered> filtered;
    {
        // bench_api's filtered list: equals[status]=error&starts-with[name]=…&limit=25, with the
        // API's default sort (name ascending). "back up" in lower case: the operator ignores
        // ASCII case.
        JobQuery q;
        q.filter.children = {leaf("status", FilterOp::Equals, "error"),
                             leaf("name", FilterOp::StartsWith, "back up")};
        q.sortField = "name";
        q.descending = false;
        q.limit = 25;
        filtered.push_back({"equals[status]=error & starts-with[name]=back up, sort name, 25",
                            std::move(q),
                            "jobs.status = 'error' AND jobs.name LIKE 'back up%' ESCAPE '\\'",
                            tableOrderBy("name", false)});
    }
    {
        JobQuery q;
        q.filter.children = {leaf("name", FilterOp::StartsWith, "back up")};
        q.sortField = "name";
        q.descending = false;
        q.limit = 25;
        filtered.push_back({"starts-with[name]=back up, sort name, 25", std::move(q),
                            "jobs.name LIKE 'back up%' ESCAPE '\\'", tableOrderBy("name", false)});
    }
    {
        // The table's status filter with its default order.
        JobQuery q;
        q.filter.children = {leaf("status", FilterOp::Equals, "error")};
        q.sortField = "metrics.start_time";
        q.limit = kTablePage;
        filtered.push_back({"table: status error, sort started desc, 100", std::move(q),
                            "jobs.status = 'error'", tableOrderBy("metrics.start_time", true)});
    }
    {
        // The table's text filter: a substring of the name or the description.
        JobQuery q;
        FilterExpr either;
        either.kind = FilterExpr::Kind::Or;
        either.children = {leaf("name", FilterOp::Contains, "firewall"),
                           leaf("description", FilterOp::Contains, "firewall")};
        q.filter.children = {std::move(either)};
        q.sortField = "metrics.start_time";
        q.limit = kTablePage;
        filtered.push_back(
            {"table: text \"firewall\" (name or description), sort started desc, 100", std::move(q),
             "(jobs.name LIKE '%firewall%' ESCAPE '\\' OR jobs.description LIKE '%firewall%' "
             "ESCAPE '\\')",
             tableOrderBy("metrics.start_time", true)});
    }
    {
        JobQuery q;
        q.filter.children = {leaf("name", FilterOp::Contains, "firewall")};
        q.sortField = "metrics.start_time";
        q.limit = kTablePage;
        filtered.push_back({"contains[name]=firewall, sort started desc, 100", std::move(q),
                            "jobs.name LIKE '%firewall%' ESCAPE '\\'",
                            tableOrderBy("metrics.start_time", true)});
    }
    {
        // A change ticket typed into the filter: ten jobs carry it in their description (copies
        // of ten loaded jobs, added now), and another ticket matches nothing. Few matches were
        // the worst case of walking the sort's index (14.9 s for none over a million jobs);
        // the store now finds them first (SqliteStore::Options::fewMatches).
        JobQuery copy;
        copy.limit = 10;
        copy.withTotal = false;
        auto tickets = unwrap(store.listJobs(copy), "reading ten jobs to copy").items;
        for (JobRecord &j : tickets) {
            j.id = flowdeck::ids::newObjectId();
            if (!j.parentJobId)
                j.rootJobId = j.id;
            j.description += " (CHG0031877)";
            j.document["_id"] = j.id;
            j.document["description"] = j.description;
        }
        unwrap(store.insertJobs(tickets), "adding the ticket's ten jobs");
        for (const char *ticket : {"CHG0031877", "CHG0000000"}) {
            JobQuery q;
            FilterExpr either;
            either.kind = FilterExpr::Kind::Or;
            either.children = {leaf("name", FilterOp::Contains, ticket),
                               leaf("description", FilterOp::Contains, ticket)};
            q.filter.children = {std::move(either)};
            q.sortField = "metrics.start_time";
            q.limit = kTablePage;
            const std::string t = ticket;
            filtered.push_back(
                {t == "CHG0031877" ? "table: text \"CHG0031877\" (10 jobs), sort started desc, 100"
                                   : "table: text \"CHG0000000\" (no job), sort started desc, 100",
                 std::move(q),
                 "(jobs.name LIKE '%" + t + "%' ESCAPE '\\' OR jobs.description LIKE '%" + t +
                     "%' ESCAPE '\\')",
                 tableOrderBy("metrics.start_time", true)});
        }
    }
    json lists = json::array();
    for (auto &f : filtered) {
        const TableTiming t = timeListing(store, f.query);
        progress(format("  %s: %s", f.what,
                        t.error.empty() ? format("p50 %.2f ms", t.latency.p50).c_str()
                                        : t.error.c_str()));
        json j = toJson(t);
        j["what"] = f.what;
        // What the store reads: up to fewMatches + 1 matching rowids first; when that is all of
        // them, those rows sorted (none when nothing matches); else a count and an index walk.
        const SqliteStore::Options defaults;
        const bool few = t.total >= 0 && t.total <= defaults.fewMatches;
        const std::string rowids = "SELECT rowid FROM jobs WHERE " + f.where + " LIMIT " +
                                   std::to_string(defaults.fewMatches + 1);
        j["plan_count"] = few ? planLine(raw, rowids)
                              : planLine(raw, "SELECT count(*) FROM jobs WHERE " + f.where);
        if (t.total == 0)
            j["plan_page"] = "(none: nothing matches)";
        else if (few)
            j["plan_page"] = planLine(raw, "SELECT jobs.id FROM jobs WHERE jobs.rowid IN (SELECT "
                                           "value FROM json_each('[1,2]')) ORDER BY " +
                                               f.orderBy + " LIMIT 25");
        else
            j["plan_page"] = planLine(raw, "SELECT jobs.id FROM jobs WHERE " + f.where +
                                               " ORDER BY " + f.orderBy + " LIMIT 25");
        lists.push_back(std::move(j));
    }
    return {{"page", kTablePage},
            {"deep_skip", deep},
            {"sorts", std::move(sorts)},
            {"count_all", toJson(total)},
            {"filtered", std::move(lists)}};
}

void printTable(const json &t)
{
    auto line = [](const std::string &s) { std::printf("%s\n", s.c_str()); };
    auto cell = [](const json &c) {
        if (c.contains("error"))
            return format("%s", c["error"].get<std::string>().c_str());
        const auto &l = c["latency"];
        return format("p50 %9.2f ms  max %9.2f ms  (%zu runs)", l["p50_ms"].get<double>(),
                      l["max_ms"].get<double>(), l["runs"].get<std::size_t>());
    };
    line("");
    line(format("Jobs table: a page of %d per column's sort (no total), first page and skip %d",
                t["page"].get<int>(), t["deep_skip"].get<int>()));
    for (const auto &c : t["sorts"])
        line(format("  %-10s %-19s %-4s skip %-7d %s", c["column"].get<std::string>().c_str(),
                    c["field"].get<std::string>().c_str(), c["order"].get<std::string>().c_str(),
                    c["skip"].get<int>(), cell(c).c_str()));
    line("  plans (EXPLAIN QUERY PLAN of the ORDER BY the store builds, first page):");
    for (const auto &c : t["sorts"])
        if (c["skip"].get<int>() == 0)
            line(format("    %-10s %-4s %s", c["column"].get<std::string>().c_str(),
                        c["order"].get<std::string>().c_str(),
                        c["plan"].get<std::string>().c_str()));
    line(format("  the total the table shows (count of every job): %s",
                cell(t["count_all"]).c_str()));
    line("Filtered lists (with the total, as the API counts it)");
    for (const auto &c : t["filtered"]) {
        line(format("  %-72s total %8lld  %s", c["what"].get<std::string>().c_str(),
                    c["total"].get<long long>(), cell(c).c_str()));
        line("    count: " + c["plan_count"].get<std::string>());
        line("    page:  " + c["plan_page"].get<std::string>());
    }
}

/// --existing: migrate a loaded store to the current schema, timed, then the table figures.
json runExisting(const Options &opt)
{
    json out;
    out["machine"] = {{"cores", std::thread::hardware_concurrency()},
                      {"sqlite_version", sqlite3_libversion()}};
    if (!fs::exists(opt.existing))
        throw std::runtime_error(opt.existing + " does not exist");
    std::int64_t jobs = 0;
    {
        auto db = unwrap(SqliteDb::open(opt.existing), "opening " + opt.existing);
        const int from = unwrap(flowdeck::store::schemaVersion(db), "reading the schema version");
        jobs = unwrap(db.queryInt("SELECT count(*) FROM jobs"), "counting jobs");
        const std::int64_t before = fileSize(opt.existing);
        progress(format("migrating %s (%lld jobs) from schema version %d to %d",
                        opt.existing.c_str(), (long long)jobs, from,
                        flowdeck::store::latestSchemaVersion()));
        const auto t0 = Clock::now();
        unwrap(flowdeck::store::migrate(db), "migrating");
        const double ms = msSince(t0);
        out["migration"] = {{"db", opt.existing},
                            {"jobs", jobs},
                            {"from", from},
                            {"to", flowdeck::store::latestSchemaVersion()},
                            {"seconds", ms / 1000.0},
                            {"db_bytes_before", before},
                            {"db_bytes_after", fileSize(opt.existing)},
                            {"wal_bytes_after", fileSize(opt.existing + "-wal")}};
    }
    auto store = unwrap(SqliteStore::open(opt.existing), "opening the store");
    out["table"] = tableFigures(*store, opt.existing, jobs);
    return out;
}

void printExisting(const json &r)
{
    const auto &m = r["migration"];
    std::printf("Flowdeck store benchmark, on an existing store\n");
    std::printf("  machine      %u cores, SQLite %s\n", r["machine"]["cores"].get<unsigned>(),
                r["machine"]["sqlite_version"].get<std::string>().c_str());
    std::printf("  migration    %s, %lld jobs, schema %d -> %d: %.2f s; file %.1f -> %.1f MiB "
                "(WAL %.1f MiB)\n",
                m["db"].get<std::string>().c_str(), m["jobs"].get<long long>(),
                m["from"].get<int>(), m["to"].get<int>(), m["seconds"].get<double>(),
                mib(m["db_bytes_before"].get<std::int64_t>()),
                mib(m["db_bytes_after"].get<std::int64_t>()),
                mib(m["wal_bytes_after"].get<std::int64_t>()));
    printTable(r["table"]);
}

json run(const Options &opt, TempDir &temp)
{
    json out;
    out["machine"] = {{"cores", std::thread::hardware_concurrency()},
                      {"sqlite_version", sqlite3_libversion()}};

    fs::path dbPath;
    if (opt.db.empty()) {
        std::string pattern = (fs::temp_directory_path() / "flowdeck-bench-XXXXXX").string();
        if (!mkdtemp(pattern.data()))
            throw std::runtime_error("cannot create a temporary directory");
        temp.path = pattern;
        dbPath = temp.path / "store.db";
    } else {
        dbPath = opt.db;
        // A file with jobs in it already would make every figure a different experiment.
        if (fs::exists(dbPath))
            throw std::runtime_error(dbPath.string() + " exists; give a path to a new file");
    }
    out["config"] = {{"jobs", opt.jobs},
                     {"single", opt.single},
                     {"batch", opt.batch},
                     {"db", dbPath.string()},
                     {"db_kept", !opt.db.empty()}};

    auto store = unwrap(SqliteStore::open(dbPath.string()), "opening the store");

    // ---- load ----
    const auto loadStart = Clock::now();
    auto workflows = createWorkflows(*store);
    const Millis windowEnd = wallClockMillis();
    const Millis windowStart = windowEnd - Millis(90) * 24 * 3600 * 1000;
    JobGenerator gen(20240601, opt.jobs, windowStart, windowEnd, workflows);

    std::map<std::string, std::int64_t> statusCounts;
    std::int64_t docSampleBytes = 0;
    std::int64_t docSamples = 0;
    std::vector<std::string> idSample; // reservoir: uniform over every inserted id
    std::mt19937_64 sampleRng(7);
    std::int64_t seen = 0;
    auto account = [&](const JobRecord &j) {
        ++statusCounts[j.status];
        if (seen % 64 == 0) {
            docSampleBytes += std::int64_t(j.document.dump().size());
            ++docSamples;
        }
        if (idSample.size() < kIdSample) {
            idSample.push_back(j.id);
        } else {
            const auto slot = std::uniform_int_distribution<std::int64_t>(0, seen)(sampleRng);
            if (slot < std::int64_t(kIdSample))
                idSample[std::size_t(slot)] = j.id;
        }
        ++seen;
    };

    // (1) one job per call: each is its own transaction, so each pays a WAL fsync.
    progress(format("inserting %lld jobs one commit each", (long long)opt.single));
    std::vector<double> singleMs;
    singleMs.reserve(std::size_t(opt.single));
    const auto singleStart = Clock::now();
    for (std::int64_t i = 0; i < opt.single; ++i) {
        JobRecord j = gen.next();
        account(j);
        const auto t0 = Clock::now();
        unwrap(store->insertJobs({j}), "inserting a job");
        singleMs.push_back(msSince(t0));
    }
    const double singleWallMs = msSince(singleStart);
    double singleInsertMs = 0;
    for (double v : singleMs)
        singleInsertMs += v;

    // (2) the rest in batches: one transaction, one fsync, per batch.
    const std::int64_t batched = opt.jobs - opt.single;
    progress(
        format("inserting %lld jobs in batches of %lld", (long long)batched, (long long)opt.batch));
    std::vector<double> batchMs;
    double batchInsertMs = 0;
    const auto batchStart = Clock::now();
    std::int64_t done = 0;
    std::int64_t nextReport = batched / 10;
    std::vector<JobRecord> batch;
    while (done < batched) {
        const std::int64_t n = std::min(opt.batch, batched - done);
        batch.clear();
        batch.reserve(std::size_t(n));
        for (std::int64_t i = 0; i < n; ++i) {
            batch.push_back(gen.next());
            account(batch.back());
        }
        const auto t0 = Clock::now();
        unwrap(store->insertJobs(batch), "inserting a batch");
        const double ms = msSince(t0);
        batchMs.push_back(ms);
        batchInsertMs += ms;
        done += n;
        if (done >= nextReport && done < batched) {
            progress(format("  %lld / %lld batched jobs, %.0f s", (long long)done,
                            (long long)batched, msSince(batchStart) / 1000.0));
            nextReport += batched / 10;
        }
    }
    batch = {};
    const double batchWallMs = msSince(batchStart);
    const double loadWallMs = msSince(loadStart);

    const std::int64_t dbBytes = fileSize(dbPath);
    const std::int64_t walBytes = fileSize(dbPath.string() + "-wal");

    json statuses = json::object();
    for (const auto &[status, count] : statusCounts)
        statuses[status] = count;
    out["dataset"] = {{"workflows", workflows.size()},
                      {"status_counts", statuses},
                      {"avg_document_bytes", docSamples ? docSampleBytes / docSamples : 0},
                      {"created_window_days", 90}};
    const Latency singleLat = summarize(singleMs);
    out["single_insert"] = {
        {"jobs", opt.single},
        {"insert_seconds", singleInsertMs / 1000.0},
        {"wall_seconds", singleWallMs / 1000.0},
        {"jobs_per_second", singleInsertMs > 0 ? double(opt.single) / (singleInsertMs / 1000) : 0},
        {"commit_latency", toJson(singleLat)}};
    const Latency batchLat = summarize(batchMs);
    out["batched_insert"] = {
        {"jobs", batched},
        {"batch_size", opt.batch},
        {"batches", batchMs.size()},
        {"wall_seconds", batchWallMs / 1000.0},
        {"insert_seconds", batchInsertMs / 1000.0},
        // jobs/s counts the whole phase, making the rows included; rows/s only the time spent
        // inside insertJobs, i.e. what the store itself sustains.
        {"jobs_per_second", batchWallMs > 0 ? double(batched) / (batchWallMs / 1000) : 0},
        {"rows_per_second", batchInsertMs > 0 ? double(batched) / (batchInsertMs / 1000) : 0},
        {"commit_latency", toJson(batchLat)}};
    out["load"] = {{"wall_seconds", loadWallMs / 1000.0},
                   {"db_bytes", dbBytes},
                   {"wal_bytes", walBytes},
                   {"peak_rss_kib_after_load", peakRssKib()}};

    // ---- the listing query, through the store as the console calls it ----
    progress("timing the listing query");
    std::vector<ListingCase> cases;
    std::vector<JobQuery> queries;
    for (const char *status : kStatuses) {
        const std::int64_t matching = statusCounts.count(status) ? statusCounts[status] : 0;
        for (const int skip : {0, kDeepSkip}) {
            for (const bool withTotal : {true, false}) {
                ListingCase c;
                c.status = status;
                c.matching = matching;
                c.page = skip ? "deep" : "first";
                c.skip = skip;
                c.withTotal = withTotal;
                cases.push_back(std::move(c));
                JobQuery q;
                q.status = status;
                q.sort = JobSort::UpdatedAt;
                q.descending = true;
                q.skip = skip;
                q.limit = 50;
                q.withTotal = withTotal;
                queries.push_back(std::move(q));
            }
        }
    }
    // Round-robin over the cases, so that load from other processes on a shared machine
    // lands on every case alike instead of skewing whichever case ran at the time.
    std::vector<std::vector<double>> samples(cases.size());
    for (int r = 0; r < kListingWarmup + kListingRuns; ++r) {
        for (std::size_t i = 0; i < cases.size(); ++i) {
            const auto t0 = Clock::now();
            auto page = unwrap(store->listJobs(queries[i]), "listing jobs");
            const double ms = msSince(t0);
            if (r >= kListingWarmup)
                samples[i].push_back(ms);
            if (r != 0)
                continue;
            auto &c = cases[i];
            c.items = page.items.size();
            c.total = page.total;
            for (std::size_t k = 0; k < page.items.size(); ++k) {
                if (page.items[k].status != c.status ||
                    (k > 0 && page.items[k].updatedAt > page.items[k - 1].updatedAt))
                    c.ordered = false;
            }
        }
    }
    for (std::size_t i = 0; i < cases.size(); ++i)
        cases[i].latency = summarize(std::move(samples[i]));

    // ---- point lookups by id ----
    progress("timing job(id) lookups");
    std::vector<double> pointMs;
    std::mt19937_64 pickRng(11);
    std::uniform_int_distribution<std::size_t> pickId(0, idSample.size() - 1);
    for (int r = 0; r < 100 + kPointLookups; ++r) {
        const std::string &id = idSample[pickId(pickRng)];
        const auto t0 = Clock::now();
        unwrap(store->job(id), "looking up job " + id);
        const double ms = msSince(t0);
        if (r >= 100)
            pointMs.push_back(ms);
    }
    const Latency pointLat = summarize(pointMs);

    // ---- what SQLite does with those statements ----
    progress("query plans and diagnostics");
    auto raw = unwrap(SqliteDb::open(dbPath.string(), SqliteDb::Mode::ReadOnly),
                      "opening a read connection");
    json plans = {{"listing_page", queryPlan(raw, kPageSql, "complete")},
                  {"listing_count", queryPlan(raw, kCountSql, "complete")},
                  {"point_lookup", queryPlan(raw, kPointSql, idSample.front())},
                  {"listing_page_id_tiebreak", queryPlan(raw, kPageByIdSql, "complete")}};
    out["query_plans"] = plans;

    // Split a listing into its two statements, so a slow total is attributed to COUNT(*),
    // and compare the store's rowid tie-breaker with an `id` one on the deep page.
    json diagnostics = json::array();
    std::map<std::string, double> countP50;
    for (const char *status : kStatuses) {
        const RawTiming count = timeRaw(raw, kCountSql, 1, status, 0, 5, 100);
        const RawTiming deepById = timeRaw(raw, kPageByIdSql, 13, status, kDeepSkip, 5, 100);
        const RawTiming deepByRowid = timeRaw(raw, kPageSql, 13, status, kDeepSkip, 5, 100);
        countP50[status] = count.latency.p50;
        diagnostics.push_back({{"status", status},
                               {"count_only", toJson(count)},
                               {"deep_page_raw_id_tiebreak", toJson(deepById)},
                               {"deep_page_raw_rowid_tiebreak", toJson(deepByRowid)}});
    }
    // Deleting a workflow sets jobs.workflow_id to NULL (ON DELETE SET NULL): SQLite looks
    // the referencing jobs up with this statement's plan; deleting a job does the same for
    // its children through parent_job_id.
    const std::string workflowFk = "SELECT count(*) FROM jobs WHERE workflow_id = ?1";
    const std::string parentFk = "SELECT count(*) FROM jobs WHERE parent_job_id = ?1";
    const RawTiming workflowFkScan = timeRaw(raw, workflowFk, 1, workflows.front().id, 0, 1, 5);
    out["diagnostics"] = {
        {"per_status", diagnostics},
        {"foreign_keys",
         {{"workflow_delete_lookup_sql", workflowFk},
          {"workflow_delete_lookup_plan", queryPlan(raw, workflowFk, workflows.front().id)},
          {"workflow_delete_lookup", toJson(workflowFkScan)},
          {"job_delete_children_sql", parentFk},
          {"job_delete_children_plan", queryPlan(raw, parentFk, idSample.front())}}}};

    json listing = json::array();
    json notes = json::array();
    for (const auto &d : diagnostics) {
        const double byId = d["deep_page_raw_id_tiebreak"]["p50_ms"].get<double>();
        const double byRowid = d["deep_page_raw_rowid_tiebreak"]["p50_ms"].get<double>();
        if (byId > 5 * byRowid && byId > 5.0)
            notes.push_back(format(
                "TIE-BREAK: the %s deep page would take %.1f ms ordered by updated_at, id; the "
                "store's updated_at, rowid takes %.2f ms: `id` is not in jobs_by_status_updated, "
                "so SQLite would sort each run of equal updated_at and read every skipped row",
                d["status"].get<std::string>().c_str(), byId, byRowid));
    }
    for (const auto &[status, ms] : countP50) {
        if (ms > kSlowCountMs)
            notes.push_back(format("COUNT: withTotal=true counts every %s job on each call: "
                                   "COUNT(*) walks %lld entries of jobs_by_status_updated, "
                                   "%.1f ms p50",
                                   status.c_str(), (long long)statusCounts[status], ms));
    }
    if (workflowFkScan.latency.p50 > 50.0)
        notes.push_back(format("FK SCAN: no index on jobs.workflow_id, so deleteWorkflow scans "
                               "the whole jobs table (%.0f ms here) inside the write transaction",
                               workflowFkScan.latency.p50));
    for (std::size_t i = 0; i < cases.size(); ++i) {
        const auto &c = cases[i];
        listing.push_back({{"status", c.status},
                           {"matching", c.matching},
                           {"page", c.page},
                           {"skip", c.skip},
                           {"with_total", c.withTotal},
                           {"items", c.items},
                           {"total", c.total},
                           {"ordered", c.ordered},
                           {"latency", toJson(c.latency)}});
        // The same page without the total is the next case; comparing the two, and the
        // COUNT(*) alone, says whether the total or the page itself is the cost.
        const bool partner = i + 1 < cases.size() && !cases[i + 1].withTotal &&
                             cases[i + 1].skip == c.skip && cases[i + 1].status == c.status;
        if (c.withTotal && partner && c.latency.p50 > kSlowTotalMs) {
            const double without = cases[i + 1].latency.p50;
            const double count = countP50[c.status];
            notes.push_back(format(
                "SLOW: listing %s, %s page, withTotal=true: p50 %.1f ms; the same page without "
                "the total %.1f ms; COUNT(*) alone over %lld entries %.1f ms: the cost is %s",
                c.status.c_str(), c.page, c.latency.p50, without, (long long)c.matching, count,
                c.latency.p50 - without > 0.5 * c.latency.p50 ? "the total" : "the page itself"));
        }
        if (c.withTotal && c.total != c.matching)
            notes.push_back(format("MISMATCH: total for %s is %lld, %lld were inserted",
                                   c.status.c_str(), (long long)c.total, (long long)c.matching));
        if (!c.ordered)
            notes.push_back("MISMATCH: listing " + c.status +
                            " returned rows out of order or of another status");
    }
    out["listing"] = {{"query", "listJobs(status, sort=updated_at desc, limit=50)"},
                      {"warmup_runs", kListingWarmup},
                      {"cases", listing}};
    out["point_lookup"] = {{"ids_sampled", idSample.size()}, {"latency", toJson(pointLat)}};
    out["notes"] = notes;
    out["table"] = tableFigures(*store, dbPath.string(), opt.jobs);

    store.reset();
    out["peak_rss_kib"] = peakRssKib();
    return out;
}

// ---- human-readable output --------------------------------------------------------------

void printHuman(const json &r)
{
    auto line = [](const std::string &s) { std::printf("%s\n", s.c_str()); };
    auto lat = [](const json &l) {
        return format("p50 %.3f ms, p95 %.3f ms, p99 %.3f ms, max %.3f ms",
                      l["p50_ms"].get<double>(), l["p95_ms"].get<double>(),
                      l["p99_ms"].get<double>(), l["max_ms"].get<double>());
    };
    const auto &cfg = r["config"];
    const auto &ds = r["dataset"];
    line("Flowdeck store benchmark");
    line(format("  machine      %u cores, SQLite %s", r["machine"]["cores"].get<unsigned>(),
                r["machine"]["sqlite_version"].get<std::string>().c_str()));
    line(format("  database     %s%s", cfg["db"].get<std::string>().c_str(),
                cfg["db_kept"].get<bool>() ? "" : " (temporary, deleted at exit)"));
    line(format("  jobs         %lld: %lld one commit each, the rest in batches of %lld",
                cfg["jobs"].get<long long>(), cfg["single"].get<long long>(),
                cfg["batch"].get<long long>()));
    std::string mix;
    const double jobs = cfg["jobs"].get<double>();
    for (const auto &[status, count] : ds["status_counts"].items())
        mix += format(" %s %.1f%%", status.c_str(), 100.0 * count.get<double>() / jobs);
    line(format("  dataset      %d workflows, created over %d days, document avg %lld B JSON;%s",
                ds["workflows"].get<int>(), ds["created_window_days"].get<int>(),
                ds["avg_document_bytes"].get<long long>(), mix.c_str()));

    line("");
    line("Load");
    const auto &si = r["single_insert"];
    line(format("  single-commit insert   %lld jobs in %.2f s: %.0f jobs/s",
                si["jobs"].get<long long>(), si["insert_seconds"].get<double>(),
                si["jobs_per_second"].get<double>()));
    line("    per-commit latency   " + lat(si["commit_latency"]));
    const auto &bi = r["batched_insert"];
    line(format(
        "  batched insert         %lld jobs in %zu batches of %lld, %.2f s wall: %.0f jobs/s",
        bi["jobs"].get<long long>(), bi["batches"].get<std::size_t>(),
        bi["batch_size"].get<long long>(), bi["wall_seconds"].get<double>(),
        bi["jobs_per_second"].get<double>()));
    line(format("    inside insertJobs    %.2f s: %.0f rows/s (excludes making the rows)",
                bi["insert_seconds"].get<double>(), bi["rows_per_second"].get<double>()));
    line("    per-batch commit     " + lat(bi["commit_latency"]));
    const auto &ld = r["load"];
    line(format("  load wall time         %.2f s (50 workflows, both phases, row generation)",
                ld["wall_seconds"].get<double>()));
    line(format("  database file          %.1f MiB, WAL %.1f MiB, after load",
                mib(ld["db_bytes"].get<std::int64_t>()), mib(ld["wal_bytes"].get<std::int64_t>())));

    line("");
    line(format("Listing: listJobs(status=S, sort updated_at desc, limit 50); %d warm-up runs, "
                "then %d timed runs each",
                r["listing"]["warmup_runs"].get<int>(), kListingRuns));
    line(format("  %-9s %9s  %-16s %-9s %5s %9s %9s %9s %9s", "status", "matching", "page",
                "withTotal", "items", "p50 ms", "p95 ms", "p99 ms", "max ms"));
    for (const auto &c : r["listing"]["cases"]) {
        const auto &l = c["latency"];
        line(format("  %-9s %9lld  %-5s skip %-5d %-9s %5zu %9.3f %9.3f %9.3f %9.3f",
                    c["status"].get<std::string>().c_str(), c["matching"].get<long long>(),
                    c["page"].get<std::string>().c_str(), c["skip"].get<int>(),
                    c["with_total"].get<bool>() ? "yes" : "no", c["items"].get<std::size_t>(),
                    l["p50_ms"].get<double>(), l["p95_ms"].get<double>(), l["p99_ms"].get<double>(),
                    l["max_ms"].get<double>()));
    }
    const auto &pl = r["point_lookup"];
    line("");
    line(format("Point lookup: job(id) for random ids of %zu sampled, %zu runs",
                pl["ids_sampled"].get<std::size_t>(), pl["latency"]["runs"].get<std::size_t>()));
    line("  " + lat(pl["latency"]));

    line("");
    line("Query plans (EXPLAIN QUERY PLAN of the SQL listJobs / job() build)");
    auto plan = [&](const char *title, const json &rows) {
        line(std::string("  ") + title);
        for (const auto &row : rows)
            line("    " + row.get<std::string>());
    };
    plan("listing page:  ORDER BY updated_at DESC, rowid DESC LIMIT/OFFSET",
         r["query_plans"]["listing_page"]);
    plan("listing total: SELECT count(*) ... WHERE status = ?", r["query_plans"]["listing_count"]);
    plan("job(id):", r["query_plans"]["point_lookup"]);
    plan("for comparison, not the store's SQL: ORDER BY updated_at DESC, id DESC",
         r["query_plans"]["listing_page_id_tiebreak"]);

    line("");
    line("Diagnostics (raw statements on a read-only connection, no JSON parsing; 100 runs)");
    line(
        "  status     count(*) p50   deep page, id tie-break p50   deep page, rowid tie-break p50");
    for (const auto &d : r["diagnostics"]["per_status"]) {
        line(format("  %-9s %10.3f ms %22.3f ms %29.3f ms", d["status"].get<std::string>().c_str(),
                    d["count_only"]["p50_ms"].get<double>(),
                    d["deep_page_raw_id_tiebreak"]["p50_ms"].get<double>(),
                    d["deep_page_raw_rowid_tiebreak"]["p50_ms"].get<double>()));
    }

    const auto &fk = r["diagnostics"]["foreign_keys"];
    line("  deleteWorkflow's ON DELETE SET NULL lookup: " +
         fk["workflow_delete_lookup_sql"].get<std::string>());
    for (const auto &row : fk["workflow_delete_lookup_plan"])
        line("    " + row.get<std::string>());
    line("    " + lat(fk["workflow_delete_lookup"]) + " (5 runs)");
    line("  deleting a job's children (ON DELETE CASCADE): " +
         fk["job_delete_children_sql"].get<std::string>());
    for (const auto &row : fk["job_delete_children_plan"])
        line("    " + row.get<std::string>());

    line("");
    if (r["notes"].empty())
        line("Notes: none (nothing slow, totals and order as inserted)");
    else
        line("Notes");
    for (const auto &n : r["notes"])
        line("  " + n.get<std::string>());
    printTable(r["table"]);
    line("");
    line(format("Peak RSS: %.1f MiB (VmHWM; includes the generator's batch of %lld JSON documents)",
                double(r["peak_rss_kib"].get<std::int64_t>()) / 1024.0,
                cfg["batch"].get<long long>()));
}

} // namespace

int main(int argc, char **argv)
{
    auto parsed = parseArgs(argc, argv);
    if (auto *message = std::get_if<std::string>(&parsed)) {
        if (!message->empty())
            std::fprintf(stderr, "bench_store: %s\n", message->c_str());
        std::fputs(kUsage, stderr);
        return message->empty() ? 0 : 2;
    }
    const Options &opt = std::get<Options>(parsed);
    TempDir temp;
    try {
        const json result = opt.existing.empty() ? run(opt, temp) : runExisting(opt);
        if (opt.json)
            std::printf("%s\n", result.dump(2).c_str());
        else if (opt.existing.empty())
            printHuman(result);
        else
            printExisting(result);
    } catch (const std::exception &e) {
        std::fprintf(stderr, "bench_store: %s\n", e.what());
        return 1;
    }
    return 0;
}
