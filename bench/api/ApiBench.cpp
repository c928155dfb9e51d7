// SPDX-License-Identifier: GPL-3.0-or-later
// bench_api: requests per second and p50/p99 latency of the REST API, measured by wrk on
// loopback against a store of 100,000 jobs: GET one job, the jobs listing with a filter, and
// a claim-then-finish round trip on manual tasks. Prints figures; asserts nothing.
//
//   bench_api [--jobs N] [--seconds S] [--connections C]
#include "engine/access/AccountService.h"
#include "engine/api/EngineApi.h"
#include "engine/http/HttpServer.h"
#include "engine/model/Ids.h"
#include "engine/runtime/Engine.h"
#include "engine/store/SqliteStore.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>

#include <cstdio>

using namespace flowdeck;
using nlohmann::json;

namespace {

struct Figures
{
    double requestsPerSecond = 0;
    QString p50, p99, errors;
};

/// Runs wrk without blocking the event loop the server answers on.
Figures runWrk(const QStringList &args)
{
    QProcess wrk;
    wrk.setProcessChannelMode(QProcess::MergedChannels);
    QEventLoop loop;
    QObject::connect(&wrk, &QProcess::finished, &loop, &QEventLoop::quit);
    wrk.start(QStringLiteral("wrk"), args);
    loop.exec();
    const QString out = QString::fromLocal8Bit(wrk.readAll());
    Figures f;
    auto grab = [&out](const QString &pattern) {
        const auto m = QRegularExpression(pattern, QRegularExpression::MultilineOption).match(out);
        return m.hasMatch() ? m.captured(1) : QString();
    };
    f.requestsPerSecond = grab(QStringLiteral("^Requests/sec:\\s+([0-9.]+)")).toDouble();
    f.p50 = grab(QStringLiteral("^\\s+50%\\s+(\\S+)"));
    f.p99 = grab(QStringLiteral("^\\s+99%\\s+(\\S+)"));
    f.errors = grab(QStringLiteral("Non-2xx or 3xx responses: (\\d+)"));
    if (f.errors.isEmpty())
        f.errors = QStringLiteral("0");
    if (f.requestsPerSecond == 0)
        std::fprintf(stderr, "wrk said:\n%s\n", qPrintable(out));
    return f;
}

void print(const char *what, const Figures &f)
{
    std::printf("%-44s %10.0f req/s   p50 %-9s p99 %-9s non-2xx %s\n", what, f.requestsPerSecond,
                qPrintable(f.p50), qPrintable(f.p99), qPrintable(f.errors));
    std::fflush(stdout);
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    int jobs = 100'000;
    int seconds = 10;
    int connections = 50;
    const QStringList args = app.arguments();
    for (int i = 1; i + 1 < args.size(); i += 2) {
        if (args[i] == QLatin1String("--jobs"))
            jobs = args[i + 1].toInt();
        else if (args[i] == QLatin1String("--seconds"))
            seconds = args[i + 1].toInt();
        else if (args[i] == QLatin1String("--connections"))
            connections = args[i + 1].toInt();
    }
    if (QStandardPaths::findExecutable(QStringLiteral("wrk")).isEmpty()) {
        std::printf("bench_api: wrk is not installed; install it with\n"
                    "    sudo apt-get install wrk\nand run again.\n");
        return 0;
    }

    QTemporaryDir dir;
    auto opened = store::SqliteStore::open(dir.filePath(QStringLiteral("bench.db")).toStdString());
    if (!opened) {
        std::fprintf(stderr, "bench_api: %s\n", opened.error().message.c_str());
        return 1;
    }
    auto store = std::move(*opened);

    // 100,000 finished jobs through the store's batched insert.
    QElapsedTimer timer;
    timer.start();
    const char *statuses[] = {"complete", "complete", "complete", "error", "canceled"};
    std::string sampleJob;
    for (int base = 0; base < jobs; base += 10'000) {
        std::vector<store::JobRecord> batch;
        for (int i = base; i < std::min(jobs, base + 10'000); ++i) {
            store::JobRecord r;
            r.id = ids::newObjectId();
            r.name = "bench workflow " + std::to_string(i % 50);
            r.description = "job " + std::to_string(i);
            r.status = statuses[i % 5];
            r.createdAt = r.updatedAt = 1'700'000'000'000LL + i;
            r.createdBy = "admin";
            r.document = {{"_id", r.id},
                          {"name", r.name},
                          {"status", r.status},
                          {"description", r.description},
                          {"groups", json::array()},
                          {"tasks", json::object()},
                          {"variables", {{"i", i}}}};
            batch.push_back(std::move(r));
        }
        if (sampleJob.empty())
            sampleJob = batch[batch.size() / 2].id;
        if (auto r = store->insertJobs(batch); !r) {
            std::fprintf(stderr, "bench_api: insert: %s\n", r.error().message.c_str());
            return 1;
        }
    }
    std::printf("prepared %d jobs in %.1f s\n", jobs, timer.elapsed() / 1000.0);

    api::WorkflowCatalog catalog(*store);
    runtime::Engine engine(*store);
    access::AccountService accounts(*store);
    access::NewUser admin;
    admin.username = "admin";
    admin.roles = {"admin"};
    auto user = accounts.createUser(admin);
    auto token = user ? accounts.tokens().issue(user->id, 3600'000) : Error::internal("no user");
    if (!token) {
        std::fprintf(stderr, "bench_api: %s\n", token.error().message.c_str());
        return 1;
    }
    QFile workflowFile(
        QStringLiteral(FLOWDECK_SOURCE_DIR "/resources/demo/manual-change-approval.json"));
    workflowFile.open(QIODevice::ReadOnly);
    const QByteArray workflowText = workflowFile.readAll();
    const json workflow = json::parse(workflowText.begin(), workflowText.end(), nullptr, false);
    if (auto r = catalog.import({{"bench", workflow, {}}}, std::string("admin"),
                                api::OnExisting::Refuse);
        !r) {
        std::fprintf(stderr, "bench_api: import: %s\n", r.error().message.c_str());
        return 1;
    }
    // Jobs waiting at their manual task, for the claim-then-finish round trips.
    const int manualJobs = 4000;
    timer.restart();
    QByteArray pairs;
    for (int i = 0; i < manualJobs; ++i) {
        runtime::StartJobOptions o;
        o.workflow = workflow["name"].get<std::string>();
        o.variables = {{"device", "sw" + std::to_string(i)},
                       {"changeTicket", "CHG" + std::to_string(i)},
                       {"proposedConfig", "x"}};
        auto job = engine.startJob(o);
        if (!job)
            continue;
        const std::string jobId = (*job)["_id"].get<std::string>();
        auto iterations = store->taskIterations(jobId);
        if (!iterations)
            continue;
        for (const auto &it : *iterations)
            if (it.taskKey == "7a23" && it.status == "running")
                pairs += "{\"" + QByteArray::fromStdString(it.id) + "\",\"" +
                         QByteArray::fromStdString(jobId) + "\"},\n";
    }
    std::printf("started %d manual-task jobs in %.1f s\n", manualJobs, timer.elapsed() / 1000.0);

    api::EngineApi api(api::EngineContext{*store, catalog, &engine, &accounts});
    http::RequestLimits limits;
    limits.maxConnectionsPerAddress = 1024;
    http::HttpServer server(api, limits);
    auto port = server.start(QHostAddress::LocalHost, 0);
    if (!port) {
        std::fprintf(stderr, "bench_api: %s\n", port.error().message.c_str());
        return 1;
    }
    const QString base = QStringLiteral("http://127.0.0.1:%1").arg(*port);
    const QString auth =
        QStringLiteral("Authorization: Bearer ") + QString::fromStdString(token->token);
    const QString duration = QString::number(seconds) + u's';

    // claim then finish, one connection, strictly in turn: each pair is a real round trip.
    QFile lua(dir.filePath(QStringLiteral("claim-finish.lua")));
    lua.open(QIODevice::WriteOnly);
    lua.write("local pairs = {\n" + pairs +
              "}\n"
              "local i, claimNext = 1, true\n"
              "wrk.method = \"POST\"\n"
              "wrk.headers[\"Content-Type\"] = \"application/json\"\n"
              "request = function()\n"
              "  local p = pairs[((i - 1) % #pairs) + 1]\n"
              "  if claimNext then\n"
              "    claimNext = false\n"
              "    return wrk.format(nil, \"/operations-manager/tasks/\" .. p[1] .. \"/claim\", "
              "nil, \"\")\n"
              "  end\n"
              "  claimNext = true\n"
              "  i = i + 1\n"
              "  return wrk.format(nil, \"/operations-manager/jobs/\" .. p[2] .. "
              "\"/tasks/7a23/finish\", nil,\n"
              "    '{\"taskData\":{\"finish_state\":\"success\",\"variables\":{}}}')\n"
              "end\n");
    lua.close();

    std::printf("\nwrk on loopback, %d s each; %d jobs in the store\n", seconds, jobs);
    const QString threads = QStringLiteral("-t2");
    const QString conns = QStringLiteral("-c%1").arg(connections);
    print("GET /operations-manager/jobs/:id",
          runWrk({threads, conns, QStringLiteral("-d"), duration, QStringLiteral("--latency"),
                  QStringLiteral("-H"), auth,
                  base + QStringLiteral("/operations-manager/jobs/") +
                      QString::fromStdString(sampleJob)}));
    print("GET jobs?equals[status]=&starts-with[name]=",
          runWrk({threads, conns, QStringLiteral("-d"), duration, QStringLiteral("--latency"),
                  QStringLiteral("-H"), auth,
                  base + QStringLiteral("/operations-manager/jobs?equals%5Bstatus%5D=error&"
                                        "starts-with%5Bname%5D=bench%20workflow%201&limit=25")}));
    const Figures roundTrip =
        runWrk({QStringLiteral("-t1"), QStringLiteral("-c1"), QStringLiteral("-d"), duration,
                QStringLiteral("--latency"), QStringLiteral("-H"), auth, QStringLiteral("-s"),
                lua.fileName(), base});
    print("claim + finish (each request; 1 connection)", roundTrip);
    std::printf("%-44s %10.0f round trips/s (%d tasks available; beyond them non-2xx)\n",
                "claim-then-finish", roundTrip.requestsPerSecond / 2, manualJobs);
    return 0;
}
