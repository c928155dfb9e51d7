// SPDX-License-Identifier: GPL-3.0-or-later
// The process TestAdapterJobs kills with SIGKILL while its adapter call is in flight:
//   adapter_crash_child STORE PORT start   — adds the instance and workflow, starts the job
//   adapter_crash_child STORE PORT recover — recovers (re-sending the call) and runs it out
// It prints "job <id>" once the job started or recovered, and exits 0 when the job completes.
#include "AdapterJobFixture.h"

#include <QCoreApplication>
#include <QTimer>

#include <cstdio>

using namespace flowdeck;
using nlohmann::json;

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    if (argc != 4)
        return 2;
    const std::string path = argv[1];
    const int port = std::atoi(argv[2]);
    const std::string mode = argv[3];
    test::AdapterEngine fixture(path);
    if (!fixture.engine)
        return 2;
    auto &catalog = *fixture.catalog;
    auto &engine = *fixture.engine;
    auto &store = fixture.store;

    std::string jobId;
    if (mode == "start") {
        auto added =
            catalog.create("pets", "Petstore", test::petstoreOpenApi(),
                           {{"host", "127.0.0.1"},
                            {"port", port},
                            {"protocol", "http"},
                            {"request", {{"attempt_timeout", 60000}, {"number_retries", 2}}}},
                           std::nullopt);
        auto wf = model::Workflow::fromJson(test::petWorkflow("slow pet", "slow", {{"ms", 3000}}));
        if (!added || !wf || !store->saveWorkflow(*wf, std::nullopt, false) ||
            !store->saveTransformation(test::petNameJst(), std::nullopt, false))
            return 2;
        runtime::StartJobOptions options;
        options.workflow = "slow pet";
        auto started = engine.startJob(options);
        if (!started)
            return 2;
        jobId = (*started)["_id"];
    } else {
        auto ids = store->jobIdsWithStatus({"running"});
        if (!ids || ids->size() != 1 || !engine.recover())
            return 2;
        jobId = ids->front();
    }
    std::printf("job %s\n", jobId.c_str());
    std::fflush(stdout);
    QTimer poll;
    QObject::connect(&poll, &QTimer::timeout, [&] {
        auto doc = engine.jobDocument(jobId);
        if (doc && (*doc)["status"] != "running")
            app.exit((*doc)["status"] == "complete" ? 0 : 1);
    });
    poll.start(20);
    return app.exec();
}
