// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/AdapterCommand.h"

#include "app/AppPaths.h"
#include "app/EngineHost.h"
#include "app/JsonArgument.h"
#include "engine/adapters/DocumentText.h"
#include "engine/adapters/ItentialPackage.h"

#include <QEventLoop>

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

void printJson(const json &value)
{
    const std::string out = value.dump(2) + "\n";
    std::fwrite(out.data(), 1, out.size(), stdout);
    std::fflush(stdout);
}

/// Refusals with their pointed details, one per line; exit code 1 for the caller's mistakes.
int refuse(const Error &error)
{
    printErr(error.message);
    if (error.details.is_array())
        for (const auto &issue : error.details)
            if (issue.is_object()) {
                const std::string where = issue.value("instancePath", std::string());
                std::fprintf(stderr, "  %s: %s\n", where.empty() ? "(document)" : where.c_str(),
                             issue.value("message", std::string()).c_str());
            }
    return error.code == ErrorCode::Internal || error.code == ErrorCode::Unavailable ? 2 : 1;
}

Result<std::string> readFile(const std::string &path, const char *what)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return Error::unavailable(std::string(what) + ": cannot read " + path);
    std::stringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
}

Result<json> openApiArgument(const QString &path)
{
    auto text = readFile(path.toStdString(), "--openapi");
    if (!text)
        return text.error();
    auto doc = adapters::parseDocumentText(*text);
    if (!doc)
        return Error::invalid(path.toStdString() + ": " + doc.error().message);
    return doc;
}

/// Runs one call on the runner and waits for its outcome (the command line may wait).
adapters::AdapterOutcome await(const std::function<void(adapters::AdapterRunner::Done)> &start)
{
    QEventLoop loop;
    adapters::AdapterOutcome outcome;
    start([&](adapters::AdapterOutcome o) {
        QMetaObject::invokeMethod(&loop, [&, o = std::move(o)]() mutable {
            outcome = std::move(o);
            loop.quit();
        });
    });
    loop.exec();
    return outcome;
}

void printList(const json &list)
{
    if (list.empty()) {
        std::printf("No adapter instances. Add one: flowdeck adapter add NAME --app APP "
                    "--openapi FILE (or --itential DIR for an Itential adapter package)\n");
        return;
    }
    std::printf("%-24s %-20s %-8s %s\n", "NAME", "APP", "METHODS", "HOST");
    for (const auto &a : list) {
        const json &p = a["properties"];
        const std::string host =
            p.value("protocol", std::string()) + "://" + p.value("host", std::string()) + ":" +
            std::to_string(p.value("port", 0)) + p.value("base_path", std::string());
        std::printf("%-24s %-20s %-8zu %s\n", a.value("name", std::string()).c_str(),
                    a.value("app", std::string()).c_str(), a["methods"].size(), host.c_str());
    }
}

/// `--args [a, b, …]` as the method's inputs by name, in its declared order (pronghorn.json's
/// for a package): how Itential's own tools call an adapter method.
Result<json> argumentsByName(adapters::AdapterCatalog &catalog, const std::string &instance,
                             const QString &method, const QString &argument)
{
    auto args = jsonArgument(argument, "--args");
    if (!args)
        return args.error();
    if (!args->is_array())
        return Error::invalid("--args must be a JSON array: the method's arguments in order");
    auto shown = catalog.get(instance, true);
    if (!shown)
        return shown.error();
    const json *found = nullptr;
    for (const auto &m : (*shown)["methods"])
        if (m.value("name", std::string()) == method.toStdString())
            found = &m;
    if (!found)
        return Error::notFound("adapter instance \"" + instance + "\" has no method \"" +
                               method.toStdString() + "\"");
    const json inputs = found->value("inputs", json::array());
    if (args->size() > inputs.size())
        return Error::invalid("--args has " + std::to_string(args->size()) + " values; " +
                              method.toStdString() + " takes " + std::to_string(inputs.size()));
    json byName = json::object();
    for (std::size_t i = 0; i < args->size(); ++i)
        if (!(*args)[i].is_null())
            byName[inputs[i].value("name", std::string())] = (*args)[i];
    return byName;
}

} // namespace

int runAdapter(const Invocation &inv)
{
    auto host = EngineHost::open(inv.storePath);
    if (!host) {
        printErr(host.error().message);
        return 2;
    }
    auto catalog = (*host)->adapterCatalog();
    if (!catalog) {
        printErr(catalog.error().message);
        return 2;
    }
    const std::string name = inv.name.toStdString();
    const std::string actor = localUserName().toStdString();

    if (inv.action == QStringLiteral("list")) {
        auto list = (*catalog)->list();
        if (!list)
            return refuse(list.error());
        printList(*list);
        return 0;
    }
    if (inv.action == QStringLiteral("show")) {
        auto shown = (*catalog)->get(name, true);
        if (!shown)
            return refuse(shown.error());
        printJson(*shown);
        return 0;
    }
    if (inv.action == QStringLiteral("remove")) {
        if (auto removed = (*catalog)->remove(name); !removed)
            return refuse(removed.error());
        std::fprintf(stderr, "flowdeck: adapter instance \"%s\" removed\n", name.c_str());
        return 0;
    }
    if (inv.action == QStringLiteral("add") || inv.action == QStringLiteral("set")) {
        std::optional<json> openapi;
        if (!inv.openapi.isEmpty()) {
            auto doc = openApiArgument(inv.openapi);
            if (!doc)
                return refuse(doc.error());
            openapi = std::move(*doc);
        } else if (!inv.itential.isEmpty()) {
            auto files = adapters::readItentialPackage(inv.itential.toStdString());
            if (!files)
                return refuse(files.error());
            openapi = json{{"itentialPackage", std::move(*files)}};
        }
        std::optional<json> properties;
        if (!inv.properties.isEmpty() || inv.action == QStringLiteral("add")) {
            auto props = jsonObjectArgument(inv.properties, "--properties");
            if (!props)
                return refuse(props.error());
            properties = std::move(*props);
        }
        auto saved =
            inv.action == QStringLiteral("add")
                ? (*catalog)->create(name, inv.app.toStdString(), *openapi, *properties, actor)
                : (*catalog)->update(
                      name, inv.app.isEmpty() ? std::nullopt : std::optional(inv.app.toStdString()),
                      openapi, properties, true, actor);
        if (!saved)
            return refuse(saved.error());
        printJson(*saved);
        return 0;
    }

    // test and call send requests: the runner's I/O thread does, this thread waits.
    adapters::AdapterRunner runner(**catalog);
    if (inv.action == QStringLiteral("test")) {
        if (auto exists = (*catalog)->byName(name); !exists)
            return refuse(exists.error());
        auto outcome =
            await([&](adapters::AdapterRunner::Done done) { runner.test(name, std::move(done)); });
        json health = runner.health().value(name, json::object());
        printJson(health);
        return outcome.ok ? 0 : 1;
    }
    auto input = inv.args.isEmpty() ? jsonObjectArgument(inv.input, "--input")
                                    : argumentsByName(**catalog, name, inv.method, inv.args);
    if (!input)
        return refuse(input.error());
    auto outcome = await([&](adapters::AdapterRunner::Done done) {
        runner.call(name, inv.method.toStdString(), std::move(*input), std::move(done));
    });
    printJson(outcome.body);
    if (!outcome.ok)
        printErr(outcome.message());
    return outcome.ok ? 0 : 1;
}

} // namespace flowdeck::app
