// SPDX-License-Identifier: GPL-3.0-or-later
// bench_engine: M jobs of an N-task workflow of stub and evaluation tasks, every change
// persisted (SQLite file, WAL, synchronous=FULL), and the memory a job costs while it waits
// at a manual task. Prints one JSON object.
//
//   bench_engine [--tasks N] [--jobs M,M,...] [--waiting W] [--batch B] [--dir PATH]
#include "engine/runtime/Engine.h"
#include "engine/store/SqliteStore.h"

#include <QCoreApplication>
#include <QDir>
#include <QTemporaryDir>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <malloc.h>
#include <sqlite3.h>
#include <string>
#include <thread>

using namespace flowdeck;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

namespace {

json edge()
{
    return {{"state", "success"}, {"type", "standard"}};
}

json evaluation()
{
    return {{"name", "evaluation"},
            {"app", "WorkFlowEngine"},
            {"type", "operation"},
            {"variables",
             {{"incoming",
               {{"all_true_flag", true},
                {"evaluation_groups",
                 {{{"all_true_flag", true},
                   {"evaluations",
                    {{{"operand_1", {{"task", "job"}, {"variable", "n"}}},
                      {"operator", ">="},
                      {"operand_2", {{"task", "static"}, {"variable", 0}}},
                      {"query", ""}}}}}}}}},
              {"outgoing", json::object()}}}};
}

json stub()
{
    return {{"name", "stub"},
            {"app", "WorkFlowEngine"},
            {"type", "automatic"},
            {"variables",
             {{"incoming", {{"type", "success"}, {"delay", ""}, {"response", "ok"}}},
              {"outgoing", {{"response", "$var.job.last"}}}}}};
}

/// workflow_start → t1 … tN → workflow_end, alternating stub and evaluation; with
/// `manualAt` >= 0 that task is a ViewData that waits for an operator.
json chain(const std::string &name, int n, int manualAt = -1)
{
    json tasks = {{"workflow_start", {{"name", "workflow_start"}}},
                  {"workflow_end", {{"name", "workflow_end"}}}};
    json transitions = json::object();
    std::string previous = "workflow_start";
    for (int i = 0; i < n; ++i) {
        const std::string key = QString::number(0x100 + i, 16).toStdString();
        json task = i % 2 ? evaluation() : stub();
        if (i == manualAt)
            task = {{"name", "ViewData"},
                    {"app", "WorkFlowEngine"},
                    {"type", "manual"},
                    {"view", "/workflow_engine/task/ViewData"},
                    {"variables",
                     {{"incoming",
                       {{"header", "Approve"},
                        {"message", "Check the device"},
                        {"body", "$var.job.n"},
                        {"variables", ""},
                        {"btn_success", "Approve"},
                        {"btn_failure", "Reject"}}},
                      {"outgoing", json::object()}}}};
        tasks[key] = std::move(task);
        transitions[previous] = {{key, edge()}};
        previous = key;
    }
    transitions[previous] = {{"workflow_end", edge()}};
    return {{"name", name},
            {"type", "automation"},
            {"tasks", tasks},
            {"transitions", transitions},
            {"inputSchema", {{"type", "object"}, {"properties", {{"n", {{"type", "integer"}}}}}}}};
}

long procStatusKb(const char *field)
{
    std::ifstream in("/proc/self/status");
    std::string line;
    const std::string prefix = std::string(field) + ":";
    while (std::getline(in, line))
        if (line.rfind(prefix, 0) == 0)
            return std::stol(line.substr(prefix.size()));
    return -1;
}

std::size_t heapInUse()
{
    return mallinfo2().uordblks;
}

double seconds(Clock::duration d)
{
    return std::chrono::duration<double>(d).count();
}

/// Starts `count` jobs in bursts of `batch` (one commit per burst); returns wall seconds.
double startJobs(runtime::Engine &engine, const std::string &workflow, int count, int batch)
{
    const auto begin = Clock::now();
    for (int done = 0; done < count;) {
        const int upto = std::min(count, done + batch);
        auto r = engine.batch([&]() -> Result<void> {
            for (int i = done; i < upto; ++i) {
                runtime::StartJobOptions o;
                o.workflow = workflow;
                o.variables = {{"n", i}};
                if (auto j = engine.startJob(o); !j)
                    return j.error();
            }
            return {};
        });
        if (!r) {
            std::fprintf(stderr, "bench_engine: %s\n", r.error().message.c_str());
            std::exit(1);
        }
        done = upto;
    }
    return seconds(Clock::now() - begin);
}

std::unique_ptr<store::SqliteStore> openStore(const QString &dir, const QString &name)
{
    const QString path = dir + u'/' + name;
    QFile::remove(path);
    auto s = store::SqliteStore::open(path.toStdString());
    if (!s) {
        std::fprintf(stderr, "bench_engine: %s\n", s.error().message.c_str());
        std::exit(1);
    }
    return std::move(*s);
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    int tasks = 10;
    std::vector<int> jobCounts{2000, 20000};
    int waiting = 10000;
    int batch = 500;
    QString dirArg;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string flag = argv[i];
        if (flag == "--tasks")
            tasks = std::atoi(argv[i + 1]);
        else if (flag == "--waiting")
            waiting = std::atoi(argv[i + 1]);
        else if (flag == "--batch")
            batch = std::atoi(argv[i + 1]);
        else if (flag == "--dir")
            dirArg = QString::fromUtf8(argv[i + 1]);
        else if (flag == "--jobs") {
            jobCounts.clear();
            for (const auto &part : QString::fromUtf8(argv[i + 1]).split(u','))
                jobCounts.push_back(part.toInt());
        } else {
            std::fprintf(stderr, "usage: bench_engine [--tasks N] [--jobs M,M] [--waiting W] "
                                 "[--batch B] [--dir PATH]\n");
            return 2;
        }
    }
    QTemporaryDir temp;
    const QString dir = dirArg.isEmpty() ? temp.path() : dirArg;

    json out = {
        {"cores", std::thread::hardware_concurrency()},
        {"sqlite", sqlite3_libversion()},
        {"tasks_per_workflow", tasks},
        {"batch", batch},
        {"durability", "every change committed (WAL, synchronous=FULL) before the call returns"}};

    json runs = json::array();
    for (int m : jobCounts) {
        auto store = openStore(dir, QStringLiteral("engine-%1.db").arg(m));
        (void)store->saveWorkflow(*model::Workflow::fromJson(chain("Bench Chain", tasks)),
                                  std::nullopt, false);
        runtime::Engine engine(*store);
        const double wall = startJobs(engine, "Bench Chain", m, batch);
        // Each task run is one transition (it ran and its transition was followed), plus
        // workflow_start and workflow_end.
        const double transitions = double(m) * (tasks + 2);
        store::JobQuery q;
        q.status = "complete";
        q.limit = 1;
        const auto complete = store->listJobs(q)->total;
        runs.push_back({{"jobs", m},
                        {"complete", complete},
                        {"seconds", wall},
                        {"jobs_per_second", m / wall},
                        {"transitions_per_second", transitions / wall}});
    }
    out["runs"] = runs;

    // One commit per job, for comparison: what group commit saves.
    {
        auto store = openStore(dir, QStringLiteral("engine-single.db"));
        (void)store->saveWorkflow(*model::Workflow::fromJson(chain("Bench Chain", tasks)),
                                  std::nullopt, false);
        runtime::Engine engine(*store);
        const int m = 500;
        const double wall = startJobs(engine, "Bench Chain", m, 1);
        out["one_commit_per_job"] = {{"jobs", m},
                                     {"jobs_per_second", m / wall},
                                     {"transitions_per_second", m * (tasks + 2) / wall}};
    }

    // Jobs waiting at a manual task: what each costs the engine in memory.
    {
        auto store = openStore(dir, QStringLiteral("engine-waiting.db"));
        (void)store->saveWorkflow(*model::Workflow::fromJson(chain("Bench Wait", tasks, tasks / 2)),
                                  std::nullopt, false);
        runtime::Engine engine(*store);
        startJobs(engine, "Bench Wait", 100, batch); // warm up caches and the graph
        malloc_trim(0);
        const std::size_t heapBefore = heapInUse();
        const long rssBefore = procStatusKb("VmRSS");
        startJobs(engine, "Bench Wait", waiting, batch);
        malloc_trim(0);
        const std::size_t heapAfter = heapInUse();
        const long rssAfter = procStatusKb("VmRSS");
        out["waiting"] = {{"jobs", waiting},
                          {"active_in_engine", engine.activeJobCount()},
                          {"heap_bytes_per_job", double(heapAfter - heapBefore) / waiting},
                          {"rss_bytes_per_job", double(rssAfter - rssBefore) * 1024 / waiting}};
    }
    out["peak_rss_mb"] = procStatusKb("VmHWM") / 1024.0;
    std::printf("%s\n", out.dump(2).c_str());
    return 0;
}
