// SPDX-License-Identifier: GPL-3.0-or-later
// bench_scheduler: T schedule triggers (cron `* * * * *`, spread over A automations, made as
// the API makes them) all due every minute; the scheduler ticks once per minute for N minutes
// and every trigger starts a job each time (a one-task workflow; SQLite file, WAL,
// synchronous=FULL, the due triggers committed in groups as the scheduler does). Prints one JSON
// object: the process CPU time of each tick (pump, the due triggers, their jobs, the event
// pass), the wall time of each tick, and the lag from each instant to its job's start.
//
// The clock: the engine's clock is set to each minute's instant when its tick begins and then
// runs in real time (steady clock) while the tick works, so a job's lag is the real time from
// the instant to the scheduler's signal that its job started: what the real clock would show
// if the timer woke exactly on the instant (its wake-up latency, a millisecond or so with
// Qt::PreciseTimer, is not in the figure). Between ticks the clock jumps to the next instant,
// so a tick longer than a minute would be late by its overrun in real life: see tick_wall_ms.
//
//   bench_scheduler [--triggers T] [--automations A] [--ticks N] [--dir PATH]
#include "engine/access/AccountService.h"
#include "engine/api/EngineApi.h"
#include "engine/model/Ids.h"
#include "engine/runtime/Engine.h"
#include "engine/scheduler/Scheduler.h"
#include "engine/store/SqliteStore.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QTemporaryDir>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <string>
#include <vector>

using namespace flowdeck;
using nlohmann::json;
using Steady = std::chrono::steady_clock;

namespace {

constexpr std::int64_t kMinute = 60'000;

json stampWorkflow()
{
    auto edge = [] { return json{{"state", "success"}, {"type", "standard"}}; };
    return {
        {"name", "Bench Stamp"},
        {"type", "automation"},
        {"tasks",
         {{"workflow_start", {{"name", "workflow_start"}}},
          {"workflow_end", {{"name", "workflow_end"}}},
          {"a1",
           {{"name", "newVariable"},
            {"app", "WorkFlowEngine"},
            {"type", "automatic"},
            {"variables",
             {{"incoming", {{"name", "ran"}, {"value", true}}}, {"outgoing", json::object()}}}}}}},
        {"transitions",
         {{"workflow_start", {{"a1", edge()}}},
          {"a1", {{"workflow_end", edge()}}},
          {"workflow_end", json::object()}}}};
}

double cpuMs()
{
    timespec t{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return double(t.tv_sec) * 1e3 + double(t.tv_nsec) / 1e6;
}

/// The value below which a share `p` of the sorted values lie (nearest rank).
double percentile(std::vector<double> v, double p)
{
    if (v.empty())
        return 0;
    std::sort(v.begin(), v.end());
    const auto rank = std::size_t(std::max(0.0, std::ceil(p * double(v.size())) - 1));
    return v[std::min(rank, v.size() - 1)];
}

int fail(const std::string &what, const Error &e)
{
    std::fprintf(stderr, "bench_scheduler: %s: %s\n", what.c_str(), e.message.c_str());
    return 1;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    int triggers = 10'000, automations = 100, ticks = 5;
    QString dirArg;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string flag = argv[i];
        if (flag == "--triggers")
            triggers = std::atoi(argv[i + 1]);
        else if (flag == "--automations")
            automations = std::atoi(argv[i + 1]);
        else if (flag == "--ticks")
            ticks = std::atoi(argv[i + 1]);
        else if (flag == "--dir")
            dirArg = QString::fromUtf8(argv[i + 1]);
        else {
            std::fprintf(stderr, "usage: bench_scheduler [--triggers T] [--automations A] "
                                 "[--ticks N] [--dir PATH]\n");
            return 2;
        }
    }
    if (triggers < 1 || automations < 1 || ticks < 1) {
        std::fprintf(stderr, "bench_scheduler: --triggers, --automations and --ticks must be "
                             "at least 1\n");
        return 2;
    }
    QTemporaryDir temp(dirArg.isEmpty()
                           ? QDir::tempPath() + QStringLiteral("/bench_scheduler-XXXXXX")
                           : dirArg + QStringLiteral("/bench_scheduler-XXXXXX"));
    if (!temp.isValid()) {
        std::fprintf(stderr, "bench_scheduler: cannot make a folder under %s: %s\n",
                     qPrintable(dirArg.isEmpty() ? QDir::tempPath() : dirArg),
                     qPrintable(temp.errorString()));
        return 2;
    }
    auto opened = store::SqliteStore::open(temp.filePath(QStringLiteral("bench.db")).toStdString());
    if (!opened)
        return fail("open", opened.error());
    auto &store = **opened;

    // The engine's clock: the instant being ticked, plus the real time since its tick began.
    std::int64_t base = QDateTime::currentMSecsSinceEpoch();
    Steady::time_point baseAt = Steady::now();
    auto clock = [&] {
        return base + std::chrono::duration_cast<std::chrono::milliseconds>(Steady::now() - baseAt)
                          .count();
    };
    api::WorkflowCatalog catalog(store);
    access::AccountService accounts(store);
    runtime::Engine engine(store, clock);
    api::EngineApi api(api::EngineContext{store, catalog, &engine, &accounts});
    auto admin = accounts.ensureLocalAccount("bench");
    if (!admin)
        return fail("account", admin.error());
    auto post = [&](const std::string &path, json body) {
        api::ApiRequest r;
        r.method = api::Method::Post;
        r.path = path;
        r.body = std::move(body);
        r.principal = *admin;
        return api.dispatch(std::move(r));
    };
    auto wf =
        store.saveWorkflow(*model::Workflow::fromJson(stampWorkflow()), std::string("bench"), true);
    if (!wf)
        return fail("workflow", wf.error());

    // Automations and one trigger each through the API; the rest are copies of those
    // documents (new _id and name), inserted as the API's automation import inserts them.
    const std::int64_t first = (base / kMinute + 1) * kMinute;
    const int perAutomation = (triggers + automations - 1) / automations;
    int made = 0;
    for (int a = 0; a < automations && made < triggers; ++a) {
        auto created =
            post("/operations-manager/automations", {{"name", "Bench " + std::to_string(a)},
                                                     {"componentType", "workflows"},
                                                     {"componentId", wf->id}});
        if (created.status != 200)
            return fail("automation", Error::invalid(created.json.dump()));
        const std::string automation = created.json["data"]["_id"];
        auto t =
            post("/operations-manager/triggers", {{"name", "every minute " + std::to_string(made)},
                                                  {"type", "schedule"},
                                                  {"actionType", "automations"},
                                                  {"actionId", automation},
                                                  {"cron", "* * * * *"}});
        if (t.status != 200)
            return fail("trigger", Error::invalid(t.json.dump()));
        const json templ = t.json["data"];
        ++made;
        auto copies = store.transaction([&]() -> Result<void> {
            for (int i = 1; i < perAutomation && made < triggers; ++i, ++made) {
                json copy = templ;
                copy["_id"] = ids::newObjectId();
                copy["name"] = "every minute " + std::to_string(made);
                if (auto r = store.insertTrigger(copy, first); !r)
                    return r.error();
            }
            return {};
        });
        if (!copies)
            return fail("triggers", copies.error());
        if (auto r = store.setTriggerNextRun(templ["_id"], first); !r)
            return fail("trigger", r.error());
    }

    scheduler::Scheduler scheduler(store, engine);
    std::vector<double> lags, tickCpu, tickWall;
    lags.reserve(std::size_t(triggers) * std::size_t(ticks));
    std::int64_t instant = first;
    QObject::connect(&scheduler, &scheduler::Scheduler::fired, [&](const QString &, qint64 at) {
        // at is the instant; the clock has run in real time since the tick began on it.
        lags.push_back(double(at - instant) +
                       std::chrono::duration<double, std::milli>(Steady::now() - baseAt).count());
    });
    int started = 0;
    for (int n = 0; n < ticks; ++n, instant += kMinute) {
        base = instant;
        baseAt = Steady::now();
        const double cpu0 = cpuMs();
        auto r = scheduler.tick();
        tickCpu.push_back(cpuMs() - cpu0);
        tickWall.push_back(
            std::chrono::duration<double, std::milli>(Steady::now() - baseAt).count());
        if (!r)
            return fail("tick", r.error());
        started += *r;
        std::fprintf(stderr, "tick %d: %d jobs, %.0f ms CPU\n", n + 1, *r, tickCpu.back());
    }
    double wallTotal = 0;
    for (const double w : tickWall)
        wallTotal += w;
    store::JobQuery q;
    q.limit = 1;
    auto jobs = store.listJobs(q);
    if (!jobs)
        return fail("jobs", jobs.error());

    json out = {
        {"triggers", made},
        {"automations", automations},
        {"ticks", ticks},
        {"jobs_started", started},
        {"jobs_in_store", jobs->total},
        {"tick_cpu_ms", {{"p50", percentile(tickCpu, 0.5)}, {"p99", percentile(tickCpu, 0.99)}}},
        {"tick_wall_ms", {{"p50", percentile(tickWall, 0.5)}, {"p99", percentile(tickWall, 0.99)}}},
        {"cpu_per_job_ms", started ? percentile(tickCpu, 0.5) / (double(started) / ticks) : 0.0},
        // What a minute asks of it: every trigger once, so T / 60 s to keep up.
        {"starts_per_s", started / std::max(1e-9, wallTotal / 1000)},
        {"starts_per_s_needed", double(made) / 60},
        {"lag_ms",
         {{"p50", percentile(lags, 0.5)},
          {"p99", percentile(lags, 0.99)},
          {"max", percentile(lags, 1.0)}}},
        {"clock", "manual: set to each instant, real time during its tick"}};
    std::printf("%s\n", out.dump(2).c_str());
    return started == made * ticks ? 0 : 1;
}
