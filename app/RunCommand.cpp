// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/RunCommand.h"

#include "app/AppPaths.h"
#include "app/EngineHost.h"
#include "app/JsonArgument.h"
#include "app/StoreSecrets.h"
#include "engine/api/SecretMask.h"
#include "engine/runtime/Engine.h"
#include "engine/runtime/TransformationTask.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QFileInfo>
#include <QTimer>

#include <cstdio>
#include <fstream>
#include <sstream>

namespace flowdeck::app {
namespace {

using nlohmann::json;

void printErr(const std::string &line)
{
    std::fprintf(stderr, "flowdeck: %s\n", line.c_str());
}

/// A workflow named on the command line as a file: stored as a new version when it differs
/// from what the store has, so the job runs exactly the document given.
Result<std::string> workflowFromFile(EngineHost &host, const QString &path)
{
    auto item = api::WorkflowCatalog::readFile(path.toStdString());
    if (!item)
        return item.error();
    const std::string name = item->document.is_object() && item->document.contains("name") &&
                                     item->document["name"].is_string()
                                 ? item->document["name"].get<std::string>()
                                 : std::string();
    if (!name.empty() && item->parseIssues.empty()) {
        auto existing = host.store().workflowByName(name);
        if (existing && existing->document == item->document)
            return name;
    }
    auto imported =
        host.catalog().import({*item}, localUserName().toStdString(), api::OnExisting::NewVersion);
    if (!imported)
        return imported.error();
    const auto &record = imported->front().record;
    std::fprintf(stderr, "flowdeck: stored \"%s\" from %s as version %d\n", record.name.c_str(),
                 qPrintable(path), record.version);
    return record.name;
}

/// Manual tasks still waiting in the job or its children, for the closing message.
void describeWaiting(const json &doc, runtime::Engine &engine, std::string &out)
{
    for (auto it = doc["tasks"].begin(); it != doc["tasks"].end(); ++it) {
        const json &task = it.value();
        if (task.value("status", std::string()) != "running")
            continue;
        if (task.value("type", std::string()) == "manual")
            out += "  task " + it.key() + " (" +
                   task.value("summary", task.value("name", std::string())) + ") of job " +
                   doc.value("_id", std::string()) + "\n";
        if (task.contains("loop") && task["loop"].contains("children"))
            for (const auto &child : task["loop"]["children"])
                if (auto c = engine.jobDocument(child.value("job", std::string())); c)
                    describeWaiting(*c, engine, out);
    }
}

} // namespace

int runJob(const Invocation &inv)
{
    auto host = EngineHost::open(inv.storePath);
    if (!host) {
        printErr(host.error().message);
        return 2;
    }
    runtime::StartJobOptions options;
    options.actor = localUserName().toStdString();
    if (QFileInfo(inv.name).isFile()) {
        auto name = workflowFromFile(**host, inv.name);
        if (!name) {
            printErr(name.error().message);
            if (name.error().details.is_array())
                for (const auto &doc : name.error().details)
                    for (const auto &issue : doc.value("issues", json::array()))
                        std::fprintf(stderr, "  %s: %s\n",
                                     issue.value("instancePath", std::string()).c_str(),
                                     issue.value("message", std::string()).c_str());
            return name.error().code == ErrorCode::Invalid ? 1 : 2;
        }
        options.workflow = *name;
    } else {
        options.workflow = inv.name.toStdString();
    }
    if (!inv.variables.isEmpty()) {
        auto vars = jsonObjectArgument(inv.variables, "--variables");
        if (!vars) {
            printErr(vars.error().message);
            return 2;
        }
        options.variables = std::move(*vars);
    }
    if (!inv.mockPath.isEmpty()) {
        auto mocks = jsonObjectArgument(QStringLiteral("@") + inv.mockPath, "--mock");
        if (!mocks) {
            printErr(mocks.error().message);
            return 2;
        }
        options.mocks = std::move(*mocks);
    }

    auto secrets = storeSecrets((*host)->storePath().toStdString());
    if (!secrets) {
        printErr(secrets.error().message);
        return 2;
    }
    runtime::Engine engine((*host)->store());
    engine.setSecrets(std::move(*secrets));
    runtime::installTransformationTask(engine, (*host)->store());
    auto adapterRunner = (*host)->makeAdapterRunner(engine);
    if (!adapterRunner) {
        printErr(adapterRunner.error().message);
        return 2;
    }
    auto started = engine.startJob(options);
    if (!started) {
        printErr("the job did not start: " + started.error().message);
        if (started.error().details.is_array())
            for (const auto &issue : started.error().details)
                std::fprintf(stderr, "  %s: %s\n",
                             issue.value("instancePath", std::string()).c_str(),
                             issue.value("message", std::string()).c_str());
        return started.error().code == ErrorCode::Invalid ||
                       started.error().code == ErrorCode::NotFound
                   ? 1
                   : 2;
    }
    const std::string jobId = (*started)["_id"];
    std::fprintf(stderr, "flowdeck: job %s started from \"%s\"\n", jobId.c_str(),
                 options.workflow.c_str());

    // All work that needs no one runs inside each burst; what remains are timers (delays,
    // retries) and adapter calls in flight. When none is left, the job has gone as far as it
    // can on its own.
    auto pending = [&engine] { return engine.nextTimerDue() || engine.callsInFlight() > 0; };
    QEventLoop loop;
    QTimer poll;
    QObject::connect(&poll, &QTimer::timeout, &loop, [&] {
        if (!pending())
            loop.quit();
    });
    poll.start(20);
    if (pending())
        loop.exec();

    auto doc = engine.jobDocument(jobId);
    if (!doc) {
        printErr(doc.error().message);
        return 2;
    }
    api::maskSealed(*doc); // what encryption decorators seal is never printed
    const std::string out = doc->dump(2) + "\n";
    std::fwrite(out.data(), 1, out.size(), stdout);
    std::fflush(stdout);
    const std::string status = (*doc)["status"];
    if (status == "complete") {
        std::fprintf(stderr, "flowdeck: job %s complete\n", jobId.c_str());
        return 0;
    }
    if (status == "running") {
        std::string waiting;
        describeWaiting(*doc, engine, waiting);
        std::fprintf(stderr,
                     "flowdeck: job %s is waiting for an operator at:\n%s"
                     "flowdeck: work it in the Flowdeck window, or run again with --mock "
                     "giving its result\n",
                     jobId.c_str(), waiting.c_str());
        return 1;
    }
    std::fprintf(stderr, "flowdeck: job %s ended %s\n", jobId.c_str(), status.c_str());
    for (const auto &e : (*doc)["error"]) {
        // The task by its summary, as the operator knows it; its key is what --mock takes.
        const std::string key = e.value("task", std::string());
        const json task = (*doc)["tasks"].value(key, json::object());
        const std::string summary =
            task.is_object() ? task.value("summary", std::string()) : std::string();
        const std::string where = summary.empty() ? key : "\"" + summary + "\" (" + key + ")";
        std::fprintf(stderr, "  %s: %s\n", where.c_str(),
                     e["message"].is_string() ? e["message"].get<std::string>().c_str()
                                              : e["message"].dump().c_str());
    }
    return 1;
}

} // namespace flowdeck::app
