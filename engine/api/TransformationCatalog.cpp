// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/api/TransformationCatalog.h"

#include "engine/jst/JstValidator.h"
#include "engine/model/Ids.h"

#include <algorithm>
#include <cctype>
#include <set>

namespace flowdeck::api {

using nlohmann::json;
using validate::Severity;
using validate::ValidationIssue;

namespace {

std::string lowered(std::string s)
{
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return char(std::tolower(c)); });
    return s;
}

std::string stringField(const json &doc, const char *key)
{
    if (doc.is_object() && doc.contains(key) && doc[key].is_string())
        return doc[key].get<std::string>();
    return {};
}

bool isArrayField(const json &doc, const char *key)
{
    return doc.contains(key) && doc[key].is_array();
}

/// The one message both catalogs give when a batch stores nothing.
std::string invalidMessage(std::size_t count)
{
    return count == 1 ? "1 document is invalid; nothing was imported"
                      : std::to_string(count) + " documents are invalid; nothing was imported";
}

} // namespace

bool isTransformationDocument(const json &document)
{
    return document.is_object() && isArrayField(document, "incoming") &&
           isArrayField(document, "outgoing") && isArrayField(document, "steps");
}

std::vector<ValidationIssue> TransformationCatalog::validate(const json &document)
{
    auto issues = jst::validate(document);
    if (!document.is_object())
        return issues;
    if (stringField(document, "name").empty())
        issues.push_back({"required",
                          "/name",
                          "#/flowdeck/jst/name",
                          {{"missingProperty", "name"}},
                          "a JST needs a non-empty string \"name\" (the store finds it by name)",
                          Severity::Error});
    if (document.contains("_id") &&
        !(document["_id"].is_string() && ids::isObjectId(document["_id"].get<std::string>())))
        issues.push_back({"format",
                          "/_id",
                          "#/flowdeck/jst/_id",
                          {{"format", "objectid"}},
                          "\"_id\" must be a 24-hex ObjectId string, as workflows name the JST "
                          "by it (tr_id)",
                          Severity::Error});
    return issues;
}

Result<std::vector<ImportedTransformation>>
TransformationCatalog::import(const std::vector<ImportItem> &items,
                              const std::optional<std::string> &actor, OnExisting onExisting)
{
    json problems = json::array();
    std::vector<ImportedTransformation> out;
    std::set<std::string> names;
    for (const auto &item : items) {
        auto issues = item.parseIssues.empty() ? validate(item.document) : item.parseIssues;
        const std::string name = stringField(item.document, "name");
        if (!name.empty() && !names.insert(lowered(name)).second)
            issues.push_back({"duplicate",
                              "/name",
                              "#/flowdeck/import/unique",
                              {{"name", name}},
                              "another document in this import is also named \"" + name + "\"",
                              Severity::Error});
        if (!validate::isValid(issues)) {
            std::vector<ValidationIssue> errors;
            for (auto &issue : issues)
                if (issue.severity == Severity::Error)
                    errors.push_back(std::move(issue));
            problems.push_back({{"source", item.source},
                                {"name", name.empty() ? json(nullptr) : json(name)},
                                {"issues", issuesToJson(errors)}});
            continue;
        }
        ImportedTransformation imported;
        imported.source = item.source;
        out.push_back(std::move(imported));
    }
    if (!problems.empty())
        return Error::invalid(invalidMessage(problems.size()), problems);

    auto stored = m_store.transaction([&]() -> Result<void> {
        for (std::size_t i = 0; i < items.size(); ++i) {
            const json &doc = items[i].document;
            const std::string id = stringField(doc, "_id");
            const std::string name = stringField(doc, "name");
            const bool exists = id.empty() ? m_store.transformationByName(name).ok()
                                           : m_store.transformationById(id).ok();
            // The name held under another _id: Pre-Builts ship one JST name with a new _id in
            // each release, and their workflows name the new one.
            auto holder = m_store.transformationByName(name);
            const bool displaces = !id.empty() && holder && holder->id != id;
            if ((exists || displaces) && onExisting == OnExisting::Refuse)
                return Error{
                    ErrorCode::Conflict,
                    "a JST named \"" + name + "\" already exists" +
                        (displaces ? " with another _id (" + holder->id + ")" : std::string()) +
                        " (" + out[i].source + "); nothing was imported",
                    {{{"source", out[i].source}, {"name", name}}}};
            if (displaces) {
                // Replacing gives the name to the imported _id. The JST that held it stays, with
                // its history, under a name that says what it was, so workflows (and running
                // jobs) that still name its _id keep running it.
                json kept = holder->document;
                kept["_id"] = holder->id;
                kept["name"] = name + " (" + holder->id + ")";
                auto renamed = m_store.saveTransformation(kept, actor, true);
                if (!renamed)
                    return Error{renamed.error().code,
                                 renamed.error().message + " (" + out[i].source +
                                     "); nothing was imported",
                                 {{{"source", out[i].source}, {"name", name}}}};
                out[i].displaced = renamed->name;
                out[i].displacedId = renamed->id;
            }
            auto saved = m_store.saveTransformation(doc, actor, true);
            if (!saved)
                return Error{saved.error().code,
                             saved.error().message + " (" + out[i].source +
                                 "); nothing was imported",
                             {{{"source", out[i].source}, {"name", stringField(doc, "name")}}}};
            out[i].record = std::move(*saved);
            out[i].replaced = out[i].record.version > 1;
        }
        return {};
    });
    if (!stored)
        return stored.error();
    return out;
}

Result<store::TransformationRecord> TransformationCatalog::find(const std::string &idOrName)
{
    if (ids::isObjectId(idOrName)) {
        auto byId = m_store.transformationById(idOrName);
        if (byId || byId.error().code != ErrorCode::NotFound)
            return byId;
    }
    auto byName = m_store.transformationByName(idOrName);
    if (byName || byName.error().code != ErrorCode::NotFound)
        return byName;
    return Error::notFound("no JST with id or name \"" + idOrName + "\"");
}

Result<json> TransformationCatalog::exportOne(const std::string &idOrName)
{
    auto record = find(idOrName);
    if (!record)
        return record.error();
    return std::move(record->document);
}

std::vector<ValidationIssue> TransformationCatalog::missingTransformations(const json &workflow)
{
    std::vector<ValidationIssue> warnings;
    if (!workflow.is_object() || !workflow.contains("tasks") || !workflow["tasks"].is_object())
        return warnings;
    for (const auto &[key, task] : workflow["tasks"].items()) {
        if (!task.is_object() || stringField(task, "name") != "transformation")
            continue;
        const std::string app = stringField(task, "app");
        if (!app.empty() && app != "WorkFlowEngine")
            continue;
        const json incoming = task.value("variables", json::object()).is_object()
                                  ? task["variables"].value("incoming", json())
                                  : json();
        const std::string trId = stringField(incoming, "tr_id");
        if (trId.empty() || trId.rfind("$var.", 0) == 0)
            continue; // an empty tr_id is the validator's to judge; a $var is known at run time
        auto found = find(trId);
        if (found || found.error().code != ErrorCode::NotFound)
            continue;
        warnings.push_back(
            {"transformation",
             "/tasks/" + validate::escapePointerToken(key) + "/variables/incoming/tr_id",
             "#/flowdeck/import/transformation",
             {{"task", key}, {"tr_id", trId}},
             "task " + key + " runs the JST \"" + trId +
                 "\", which this store does not have; import it, or the task errors at run time",
             Severity::Warning});
    }
    return warnings;
}

Result<CatalogImport> importDocuments(store::Store &store, WorkflowCatalog &workflows,
                                      const std::vector<ImportItem> &items,
                                      const std::optional<std::string> &actor,
                                      OnExisting onExisting)
{
    std::vector<ImportItem> jsts;
    std::vector<ImportItem> others;
    for (const auto &item : items)
        (item.parseIssues.empty() && isTransformationDocument(item.document) ? jsts : others)
            .push_back(item);

    CatalogImport out;
    std::optional<Error> failed;
    auto r = store.transaction([&]() -> Result<void> {
        if (!jsts.empty()) {
            auto imported = TransformationCatalog(store).import(jsts, actor, onExisting);
            if (!imported && imported.error().code != ErrorCode::Invalid)
                return imported.error();
            if (imported)
                out.transformations = std::move(*imported);
            else
                failed = imported.error(); // go on: the workflows' problems are reported too
        }
        if (!others.empty()) {
            auto imported = workflows.import(others, actor, onExisting);
            if (imported) {
                out.workflows = std::move(*imported);
            } else if (!failed) {
                return imported.error();
            } else if (imported.error().code == ErrorCode::Invalid) {
                for (const auto &problem : imported.error().details)
                    failed->details.push_back(problem);
                failed->message = invalidMessage(failed->details.size());
            } // else the JSTs' problems are reported first
        }
        if (failed)
            return *failed; // rolls back whatever was stored
        return {};
    });
    if (!r)
        return r.error();
    return out;
}

} // namespace flowdeck::api
