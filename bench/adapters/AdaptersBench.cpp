// SPDX-License-Identifier: GPL-3.0-or-later
// bench_adapters: J jobs of C adapter calls each (one after another) against a local server
// that answers after D ms, every change persisted; and U unrelated jobs (built-in tasks only)
// arriving at R per second while those calls are out, against the same offer alone: each
// unrelated job's latency (from when it was due to its end) and their transitions per second.
// Prints one JSON object.
//
//   bench_adapters [--jobs J] [--calls C] [--delay D] [--unrelated U] [--rate R]
//                  [--concurrent N] [--dir PATH]
//
// N is the instance's throttle.concurrent_max (default 256): how many calls may be on the wire
// at once, over ceil(N / 6) connection managers; 0 is the client's default pool.
//
// The server is tests/data/adapters/adapter_server.py (python3), started on 127.0.0.1.
#include "engine/adapters/AdapterCatalog.h"
#include "engine/adapters/AdapterRunner.h"
#include "engine/adapters/DocumentText.h"
#include "engine/runtime/Engine.h"
#include "engine/store/SqliteStore.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <map>
#include <mutex>

using namespace flowdeck;
using nlohmann::json;

namespace {

json edge()
{
    return {{"state", "success"}, {"type", "standard"}};
}

json task(const char *app, const char *method, json incoming)
{
    return {{"name", method},
            {"summary", method},
            {"app", app},
            {"type", "automatic"},
            {"variables",
             {{"incoming", std::move(incoming)},
              {"outgoing", json::object()},
              {"error", ""},
              {"decorators", json::array()}}}};
}

/// start → t1 → … → tN → end.
json chain(const std::string &name, int n, const std::function<json(int)> &make)
{
    json tasks = {{"workflow_start", {{"name", "workflow_start"}, {"groups", json::array()}}},
                  {"workflow_end", {{"name", "workflow_end"}, {"groups", json::array()}}}};
    json transitions = {{"workflow_end", json::object()}};
    std::string previous = "workflow_start";
    for (int i = 1; i <= n; ++i) {
        const std::string key = "t" + std::to_string(i);
        tasks[key] = make(i);
        transitions[previous] = {{key, edge()}};
        previous = key;
    }
    transitions[previous] = {{"workflow_end", edge()}};
    return {{"name", name}, {"type", "automation"}, {"tasks", tasks}, {"transitions", transitions}};
}

int fail(const std::string &message)
{
    std::fprintf(stderr, "bench_adapters: %s\n", message.c_str());
    return 1;
}

QString sourceDir()
{
    const QByteArray env = qgetenv("FLOWDECK_SOURCE_DIR");
    return env.isEmpty() ? QStringLiteral(FLOWDECK_SOURCE_DIR) : QString::fromUtf8(env);
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    int jobs = 2000, calls = 5, delay = 20, unrelated = 1000, concurrent = 256;
    double rate = 50;
    QString dir;
    const QStringList args = app.arguments();
    for (int i = 1; i + 1 < args.size(); i += 2) {
        if (args[i] == u"--jobs")
            jobs = args[i + 1].toInt();
        else if (args[i] == u"--calls")
            calls = args[i + 1].toInt();
        else if (args[i] == u"--delay")
            delay = args[i + 1].toInt();
        else if (args[i] == u"--unrelated")
            unrelated = args[i + 1].toInt();
        else if (args[i] == u"--concurrent")
            concurrent = args[i + 1].toInt();
        else if (args[i] == u"--rate")
            rate = args[i + 1].toDouble();
        else if (args[i] == u"--dir")
            dir = args[i + 1];
        else
            return fail("usage: bench_adapters [--jobs J] [--calls C] [--delay D] "
                        "[--unrelated U] [--rate R] [--concurrent N] [--dir PATH]");
    }
    if (rate <= 0) {
        return fail("--rate must be above 0 (unrelated jobs per second)");
    }
    QTemporaryDir temp(dir.isEmpty() ? QDir::tempPath() + u"/bench_adapters-XXXXXX"_qs
                                     : dir + u"/bench_adapters-XXXXXX"_qs);
    QProcess server;
    server.start(QStringLiteral(FLOWDECK_PYTHON),
                 {sourceDir() + u"/tests/data/adapters/adapter_server.py"_qs});
    if (!server.waitForStarted() || !server.waitForReadyRead(10000))
        return fail("the test server (python3) did not start");
    const int port = server.readLine().trimmed().toInt();

    auto run = [&](bool withAdapters, json &out) -> int {
        const std::string path =
            temp.filePath(withAdapters ? u"with.db"_qs : u"alone.db"_qs).toStdString();
        auto store = store::SqliteStore::open(path);
        auto box = access::SecretBox::forStore(path);
        if (!store || !box)
            return fail("the store did not open");
        adapters::AdapterCatalog catalog(**store, std::move(*box));
        runtime::Engine engine(**store);
        std::mutex latencyMutex;
        std::vector<double> latencies;
        adapters::AdapterRunner runner(
            catalog, [&](const tasks::TaskCall &c, tasks::MethodResult r) {
                const json &metrics = r.outgoing["result"].value("metrics", json::object());
                {
                    const std::lock_guard lock(latencyMutex);
                    latencies.push_back(metrics.value("capabilityTime", 0.0));
                }
                engine.completeCall(c, std::move(r));
            });
        engine.setAsyncTasks(&runner);

        QFile file(sourceDir() + u"/tests/data/adapters/petstore.yaml"_qs);
        if (!file.open(QIODevice::ReadOnly))
            return fail("petstore.yaml is missing");
        auto openapi = adapters::parseDocumentText(file.readAll().toStdString());
        if (!openapi || !catalog.create("pets", "Petstore", *openapi,
                                        {{"host", "127.0.0.1"},
                                         {"port", port},
                                         {"protocol", "http"},
                                         {"throttle", {{"concurrent_max", concurrent}}},
                                         {"request", {{"attempt_timeout", 60000}}}},
                                        std::nullopt))
            return fail("the instance was refused");
        for (const auto &doc :
             {chain("calls", calls,
                    [&](int) {
                        return task("Petstore", "slow", {{"ms", delay}});
                    }),
              chain("unrelated", 10, [](int) {
                  return task("WorkFlowEngine", "stub",
                              {{"type", "success"}, {"delay", ""}, {"response", "ok"}});
              })}) {
            auto wf = model::Workflow::fromJson(doc);
            if (!wf || !(*store)->saveWorkflow(*wf, std::nullopt, false))
                return fail("a workflow was refused");
        }

        QElapsedTimer clock;
        clock.start();
        if (withAdapters) {
            // In commits of 100, as the scheduler groups its starts: one commit of 2,000 starts
            // left a heap whose first large allocation afterwards consolidated it for ~170 ms
            // (glibc's malloc_consolidate), which the first unrelated jobs then waited for.
            for (int first = 0; first < jobs; first += 100) {
                auto started = engine.batch([&]() -> Result<void> {
                    for (int i = first; i < std::min(jobs, first + 100); ++i) {
                        runtime::StartJobOptions o;
                        o.workflow = "calls";
                        if (auto r = engine.startJob(o); !r)
                            return r.error();
                    }
                    return {};
                });
                if (!started)
                    return fail(started.error().message);
            }
        }
        // The unrelated jobs arrive at a fixed rate, as an operator's other work does, below
        // what the engine can do alone; each one's latency runs from when it was due to when it
        // completed, so a turn of the event loop held up by the calls' results shows as a late
        // start. The same offer alone and beside the calls: the difference is what the calls
        // cost the other jobs.
        std::map<std::string, double> dueAt; // unrelated jobs started and not yet complete
        std::vector<double> unrelatedLatency;
        std::vector<double> lateness;  // from when a job was due to its startJob call
        std::vector<double> startCall; // how long startJob took
        int startedUnrelated = 0;
        double lastDoneMs = 0;
        const double periodMs = 1000.0 / rate;
        QElapsedTimer unrelatedClock;
        unrelatedClock.start();
        auto finished = [&](double due) {
            lastDoneMs = double(unrelatedClock.nsecsElapsed()) / 1e6;
            unrelatedLatency.push_back(lastDoneMs - due);
        };
        QObject::connect(&engine, &runtime::Engine::jobChanged,
                         [&](const QString &id, const QString &status) {
                             auto it = dueAt.find(id.toStdString());
                             if (it == dueAt.end() || status == u"running"_qs)
                                 return;
                             finished(it->second);
                             dueAt.erase(it);
                         });
        QTimer pump;
        pump.setTimerType(Qt::PreciseTimer);
        QObject::connect(&pump, &QTimer::timeout, [&] {
            // Every job whose time has come starts, those a late turn missed included.
            while (startedUnrelated < unrelated &&
                   startedUnrelated * periodMs <= unrelatedClock.nsecsElapsed() / 1e6) {
                const double due = startedUnrelated * periodMs;
                ++startedUnrelated;
                runtime::StartJobOptions o;
                o.workflow = "unrelated";
                const double calledAt = unrelatedClock.nsecsElapsed() / 1e6;
                lateness.push_back(calledAt - due);
                auto job = engine.startJob(o);
                startCall.push_back(unrelatedClock.nsecsElapsed() / 1e6 - calledAt);
                if (!job)
                    continue;
                if (job->value("status", std::string()) == "running")
                    dueAt[job->value("_id", std::string())] = due;
                else
                    finished(due); // it ran to its end within its first burst
            }
            if (startedUnrelated == unrelated && dueAt.empty() && engine.callsInFlight() == 0 &&
                engine.activeJobCount() == 0)
                app.quit();
        });
        pump.start(1);
        app.exec();
        const double seconds = clock.elapsed() / 1000.0;
        // Each unrelated job: 12 tasks run, 11 transitions followed.
        const double transitions = 11.0 * unrelated / (lastDoneMs / 1000.0);
        const auto quantiles = [](std::vector<double> v) {
            std::sort(v.begin(), v.end());
            const auto at = [&](double q) {
                return v.empty() ? 0.0 : v[std::size_t(q * double(v.size() - 1))];
            };
            return json{{"p50", at(0.5)}, {"p99", at(0.99)}, {"max", at(1.0)}};
        };
        // The job's latency, and its two parts: how late its start was called (the event loop
        // busy elsewhere) and how long the start took (the engine's own work and commit).
        const json unrelatedFigures = {{"transitions_per_s", transitions},
                                       {"job_latency_ms", quantiles(unrelatedLatency)},
                                       {"start_lateness_ms", quantiles(lateness)},
                                       {"start_call_ms", quantiles(startCall)}};
        if (withAdapters) {
            std::sort(latencies.begin(), latencies.end());
            const auto at = [&](double q) {
                return latencies.empty() ? 0.0 : latencies[std::size_t(q * (latencies.size() - 1))];
            };
            out["jobs"] = jobs;
            out["calls_per_job"] = calls;
            out["server_delay_ms"] = delay;
            out["concurrent_max"] = concurrent;
            out["seconds"] = seconds;
            out["jobs_per_s"] = jobs / seconds;
            out["calls_per_s"] = double(latencies.size()) / seconds;
            out["call_latency_ms"] = {{"p50", at(0.5)}, {"p99", at(0.99)}, {"max", at(1.0)}};
            out["unrelated_beside_calls"] = unrelatedFigures;
        } else {
            out["unrelated_alone"] = unrelatedFigures;
        }
        return 0;
    };

    json out;
    if (int r = run(false, out))
        return r;
    if (int r = run(true, out))
        return r;
    out["unrelated_rate_per_s"] = rate;
    out["unrelated_p50_ratio_beside_vs_alone"] =
        out["unrelated_beside_calls"]["job_latency_ms"]["p50"].get<double>() /
        std::max(0.001, out["unrelated_alone"]["job_latency_ms"]["p50"].get<double>());
    server.kill();
    server.waitForFinished();
    std::printf("%s\n", out.dump(2).c_str());
    return 0;
}
