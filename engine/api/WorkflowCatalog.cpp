// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/api/WorkflowCatalog.h"

#include "engine/adapters/AdapterCatalog.h"
#include "engine/api/TransformationCatalog.h"
#include "engine/model/JsonParse.h"
#include "engine/model/Workflow.h"
#include "engine/validate/WorkflowValidator.h"

#include <fstream>
#include <set>
#include <sstream>

namespace flowdeck::api {

using nlohmann::json;

json issuesToJson(const std::vector<validate::ValidationIssue> &issues)
{
    json out = json::array();
    for (const auto &issue : issues)
        out.push_back(issue.toJson());
    return out;
}

Result<ImportItem> WorkflowCatalog::readFile(const std::string &path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return Error::invalid("cannot read " + path);
    std::stringstream buffer;
    buffer << in.rdbuf();
    if (in.bad())
        return Error::invalid("cannot read " + path);
    ImportItem item;
    item.source = path;
    const std::string text = buffer.str();
    auto parsed = parseJson(text);
    if (parsed) {
        item.document = std::move(*parsed);
    } else {
        item.document = nullptr;
        // The validator explains malformed text with its line and column.
        item.parseIssues = validate::validateWorkflowText(text);
    }
    return item;
}

Result<std::vector<ImportedWorkflow>>
WorkflowCatalog::import(const std::vector<ImportItem> &items,
                        const std::optional<std::string> &actor, OnExisting onExisting)
{
    json problems = json::array();
    std::vector<ImportedWorkflow> out;
    std::vector<model::Workflow> workflows;
    std::set<std::string> names;
    for (const auto &item : items) {
        auto issues =
            item.parseIssues.empty() ? validate::validateWorkflow(item.document) : item.parseIssues;
        std::string name;
        if (item.document.is_object() && item.document.contains("name") &&
            item.document["name"].is_string())
            name = item.document["name"].get<std::string>();
        if (!name.empty() && !names.insert(name).second)
            issues.push_back({"duplicate",
                              "/name",
                              "#/flowdeck/import/unique",
                              {{"name", name}},
                              "another document in this import is also named \"" + name + "\"",
                              validate::Severity::Error});
        if (!validate::isValid(issues)) {
            std::vector<validate::ValidationIssue> errors;
            for (auto &issue : issues)
                if (issue.severity == validate::Severity::Error)
                    errors.push_back(std::move(issue));
            problems.push_back({{"source", item.source},
                                {"name", name.empty() ? json(nullptr) : json(name)},
                                {"issues", issuesToJson(errors)}});
            continue;
        }
        auto workflow = model::Workflow::fromJson(item.document);
        if (!workflow)
            return workflow.error(); // unreachable for a valid document; kept as a guard
        workflows.push_back(std::move(*workflow));
        ImportedWorkflow imported;
        imported.source = item.source;
        for (auto &issue : issues)
            imported.warnings.push_back(std::move(issue));
        // The validator knows no store; which JSTs exist is the catalog's to say.
        for (auto &issue : TransformationCatalog(m_store).missingTransformations(item.document))
            imported.warnings.push_back(std::move(issue));
        for (auto &issue : adapters::AdapterCatalog::missingInstances(m_store, item.document))
            imported.warnings.push_back(std::move(issue));
        out.push_back(std::move(imported));
    }
    if (!problems.empty()) {
        const auto count = problems.size();
        return Error::invalid(count == 1 ? "1 document is invalid; nothing was imported"
                                         : std::to_string(count) +
                                               " documents are invalid; nothing was imported",
                              problems);
    }

    auto stored = m_store.transaction([&]() -> Result<void> {
        for (std::size_t i = 0; i < workflows.size(); ++i) {
            const bool exists = m_store.workflowByName(workflows[i].name()).ok();
            if (exists && onExisting == OnExisting::Refuse)
                return Error{ErrorCode::Conflict,
                             "a workflow named \"" + workflows[i].name() + "\" already exists (" +
                                 out[i].source + "); nothing was imported",
                             {{{"source", out[i].source}, {"name", workflows[i].name()}}}};
            auto saved = m_store.saveWorkflow(workflows[i], actor, true);
            if (!saved)
                return saved.error();
            out[i].record = std::move(*saved);
            out[i].replaced = exists;
        }
        return {};
    });
    if (!stored)
        return stored.error();
    return out;
}

Result<json> WorkflowCatalog::exportByName(const std::string &name)
{
    auto record = m_store.workflowByName(name);
    if (!record)
        return record.error();
    return std::move(record->document);
}

Result<json> WorkflowCatalog::exportById(const std::string &id)
{
    auto record = m_store.workflowById(id);
    if (!record)
        return record.error();
    return std::move(record->document);
}

} // namespace flowdeck::api
