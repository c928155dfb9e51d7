// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/TransformCommand.h"

#include "app/EngineHost.h"
#include "app/JsonArgument.h"
#include "engine/api/TransformationCatalog.h"
#include "engine/jst/JstEvaluator.h"

#include <QFileInfo>

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

void printIssues(const std::vector<validate::ValidationIssue> &issues)
{
    for (const auto &issue : issues)
        if (issue.severity == validate::Severity::Error)
            std::fprintf(stderr, "  %s: %s\n",
                         issue.instancePath.empty() ? "(document)" : issue.instancePath.c_str(),
                         issue.message.c_str());
}

/// The JST document: a file (validated first), else the stored JST of that _id or name.
/// Exit code 1 or 2 in `exitCode` when there is none.
std::optional<json> loadDocument(const Invocation &inv, int &exitCode)
{
    if (QFileInfo(inv.name).isFile()) {
        auto item = api::WorkflowCatalog::readFile(inv.name.toStdString());
        if (!item) {
            printErr(item.error().message);
            exitCode = 2;
            return std::nullopt;
        }
        auto issues = item->parseIssues.empty()
                          ? api::TransformationCatalog::validate(item->document)
                          : item->parseIssues;
        if (!validate::isValid(issues)) {
            printErr(inv.name.toStdString() + " is not a valid JST:");
            printIssues(issues);
            exitCode = 1;
            return std::nullopt;
        }
        return std::move(item->document);
    }
    auto host = EngineHost::open(inv.storePath);
    if (!host) {
        printErr(host.error().message);
        exitCode = 2;
        return std::nullopt;
    }
    auto record = api::TransformationCatalog((*host)->store()).find(inv.name.toStdString());
    if (!record) {
        printErr(record.error().message);
        exitCode = record.error().code == ErrorCode::NotFound ? 1 : 2;
        return std::nullopt;
    }
    return std::move(record->document);
}

} // namespace

int runTransform(const Invocation &inv)
{
    auto input = jsonObjectArgument(inv.input, "--input");
    if (!input) {
        printErr(input.error().message);
        return 2;
    }
    auto options = jsonObjectArgument(inv.jstOptions, "--options");
    if (!options) {
        printErr(options.error().message);
        return 2;
    }
    int exitCode = 0;
    auto document = loadDocument(inv, exitCode);
    if (!document)
        return exitCode;
    auto doc = jst::JstDocument::parse(*document);
    if (!doc) {
        printErr(doc.error().message);
        return 1;
    }
    auto out = jst::run(*doc, *input, jst::JstOptions::fromJson(*options));
    if (!out) {
        printErr("the JST failed: " + out.error().message);
        return 1;
    }
    const std::string text = out->dump(2) + "\n";
    std::fwrite(text.data(), 1, text.size(), stdout);
    return std::fflush(stdout) == 0 ? 0 : 2;
}

} // namespace flowdeck::app
