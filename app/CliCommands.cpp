// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/CliCommands.h"

#include "app/AppPaths.h"
#include "app/EngineHost.h"
#include "engine/api/BatchImport.h"
#include "engine/api/TransformationCatalog.h"
#include "engine/validate/WorkflowValidator.h"

#include <cstdio>
#include <fstream>

namespace flowdeck::app {
namespace {

using nlohmann::json;

void printErr(const std::string &line)
{
    std::fprintf(stderr, "flowdeck: %s\n", line.c_str());
}

int exitCodeFor(const Error &e)
{
    switch (e.code) {
    case ErrorCode::Invalid:
    case ErrorCode::NotFound:
    case ErrorCode::Conflict:
        return 1;
    default:
        return 2;
    }
}

Result<std::unique_ptr<EngineHost>> openHost(const Invocation &inv)
{
    return EngineHost::open(inv.storePath);
}

std::string plural(std::size_t n, const char *word)
{
    return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

} // namespace

int runValidate(const Invocation &inv)
{
    bool allValid = true;
    bool unreadable = false;
    for (const QString &file : inv.files) {
        auto item = api::WorkflowCatalog::readFile(file.toStdString());
        if (!item) {
            printErr(item.error().message);
            unreadable = true;
            continue;
        }
        // A JST is told from a workflow by its shape (docs/jst.md, "Import").
        const auto issues = !item->parseIssues.empty() ? item->parseIssues
                            : api::isTransformationDocument(item->document)
                                ? api::TransformationCatalog::validate(item->document)
                                : validate::validateWorkflow(item->document);
        std::size_t errors = 0;
        for (const auto &issue : issues) {
            json line = issue.toJson();
            line["file"] = file.toStdString();
            std::printf("%s\n", line.dump().c_str());
            errors += issue.severity == validate::Severity::Error;
        }
        const std::size_t warnings = issues.size() - errors;
        std::fprintf(stderr, "%s: %s\n", file.toLocal8Bit().constData(),
                     errors ? ("invalid, " + plural(errors, "error") +
                               (warnings ? ", " + plural(warnings, "warning") : ""))
                                  .c_str()
                            : ("valid" + (warnings ? " (" + plural(warnings, "warning") + ")"
                                                   : std::string()))
                                  .c_str());
        allValid = allValid && errors == 0;
    }
    std::fflush(stdout);
    if (unreadable)
        return 2;
    return allValid ? 0 : 1;
}

int runImport(const Invocation &inv)
{
    std::vector<api::ImportItem> items;
    for (const QString &file : inv.files) {
        auto item = api::WorkflowCatalog::readFile(file.toStdString());
        if (!item) {
            printErr(item.error().message + "; nothing was imported");
            return 2;
        }
        items.push_back(std::move(*item));
    }
    auto host = openHost(inv);
    if (!host) {
        printErr(host.error().message);
        return 2;
    }
    // The window's import route and this command import through one function: the same
    // documents (workflows, JSTs, automation exports), choices and warnings.
    api::BatchImportOptions options;
    options.onExisting = inv.replace ? api::OnExisting::NewVersion : api::OnExisting::Refuse;
    options.partial = inv.partial;
    options.newestWins = inv.newestWins;
    api::ApiRequest caller;
    model::Principal me;
    me.username = localUserName().toStdString();
    me.admin = true; // whoever can write the store file owns it
    caller.principal = me;
    auto imported = api::importMixed((*host)->api().context(), caller, std::move(items), options);
    if (!imported) {
        const auto &e = imported.error();
        printErr(e.message);
        // The hint only when the flag would help: naming it to someone who gave it helps no one.
        if (e.code == ErrorCode::Conflict && !inv.replace)
            printErr("use --replace to store it as a new version");
        if (e.details.is_array()) {
            for (const auto &doc : e.details) {
                if (!doc.contains("issues"))
                    continue;
                for (const auto &issue : doc["issues"])
                    std::fprintf(stderr, "  %s: %s: %s\n", doc["source"].get<std::string>().c_str(),
                                 issue["instancePath"].get<std::string>().empty()
                                     ? "(document)"
                                     : issue["instancePath"].get<std::string>().c_str(),
                                 issue["message"].get<std::string>().c_str());
            }
            if (!inv.partial)
                printErr("use --partial to import the valid documents and skip the others");
        }
        return exitCodeFor(e);
    }
    const api::BatchImport &batch = imported->batch;
    for (const auto &item : batch.stored.transformations) {
        std::printf("%s JST \"%s\" (id %s, version %d) from %s\n",
                    item.replaced ? "updated" : "imported", item.record.name.c_str(),
                    item.record.id.c_str(), item.record.version, item.source.c_str());
        if (!item.displacedId.empty())
            std::printf("  the JST that had the name (id %s) is kept as \"%s\" for what still "
                        "runs it\n",
                        item.displacedId.c_str(), item.displaced.c_str());
    }
    for (const auto &item : batch.stored.workflows) {
        std::printf("%s \"%s\" (id %s, version %d) from %s\n",
                    item.replaced ? "updated" : "imported", item.record.name.c_str(),
                    item.record.id.c_str(), item.record.version, item.source.c_str());
        for (const auto &w : item.warnings)
            std::fprintf(stderr, "  warning: %s: %s\n", w.instancePath.c_str(), w.message.c_str());
    }
    for (const auto &item : imported->automations) {
        std::printf("imported automation \"%s\" (id %s) from %s\n", item.name.c_str(),
                    item.id.c_str(), item.source.c_str());
        for (const auto &w : item.warnings)
            std::fprintf(stderr, "  warning: %s\n", w.c_str());
    }
    for (const auto &item : batch.skipped) {
        std::printf("skipped %s%s: %s\n", item.source.c_str(),
                    item.name.empty() ? "" : (" (\"" + item.name + "\")").c_str(),
                    item.reason.c_str());
        if (item.issues.is_array())
            for (const auto &issue : item.issues)
                std::fprintf(stderr, "  %s: %s: %s\n", item.source.c_str(),
                             issue.value("instancePath", std::string()).empty()
                                 ? "(document)"
                                 : issue.value("instancePath", std::string()).c_str(),
                             issue.value("message", std::string()).c_str());
    }
    const std::size_t stored = batch.stored.transformations.size() + batch.stored.workflows.size() +
                               imported->automations.size();
    if (!batch.skipped.empty())
        std::fprintf(stderr, "imported %s, skipped %s\n", plural(stored, "document").c_str(),
                     std::to_string(batch.skipped.size()).c_str());
    std::fflush(stdout);
    // Something left out is worth a non-zero exit for scripts; nothing stored at all is a
    // failure.
    if (stored == 0 && !batch.skipped.empty())
        return 1;
    return 0;
}

int runExport(const Invocation &inv)
{
    auto host = openHost(inv);
    if (!host) {
        printErr(host.error().message);
        return 2;
    }
    // A workflow of that name first, then a JST of that name or _id (--transformation: only
    // JSTs), so one command exports everything `import` takes.
    auto doc = inv.transformation ? Result<json>(Error::notFound(""))
                                  : (*host)->catalog().exportByName(inv.name.toStdString());
    if (!doc && doc.error().code == ErrorCode::NotFound) {
        doc = api::TransformationCatalog((*host)->store()).exportOne(inv.name.toStdString());
        if (!doc && doc.error().code == ErrorCode::NotFound)
            doc = Error::notFound(inv.transformation
                                      ? "no JST with name or _id \"" + inv.name.toStdString() + "\""
                                      : "no workflow named \"" + inv.name.toStdString() +
                                            "\" (nor a JST of that name or _id)");
    }
    if (!doc) {
        printErr(doc.error().message);
        return exitCodeFor(doc.error());
    }
    const std::string text = doc->dump(2) + "\n";
    if (inv.outputPath.isEmpty()) {
        std::fwrite(text.data(), 1, text.size(), stdout);
        return std::fflush(stdout) == 0 ? 0 : 2;
    }
    // Write beside the target and rename, so an interrupted export never leaves half a file.
    const std::string target = inv.outputPath.toStdString();
    const std::string temp = target + ".part";
    {
        std::ofstream out(temp, std::ios::binary | std::ios::trunc);
        out << text;
        out.close();
        if (!out) {
            std::remove(temp.c_str());
            printErr("cannot write " + target);
            return 2;
        }
    }
    if (std::rename(temp.c_str(), target.c_str()) != 0) {
        std::remove(temp.c_str());
        printErr("cannot write " + target);
        return 2;
    }
    return 0;
}

} // namespace flowdeck::app
