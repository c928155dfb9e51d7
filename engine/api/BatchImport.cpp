// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/api/BatchImport.h"

#include "engine/api/AutomationsApi.h"
#include "engine/api/EngineApi.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

namespace flowdeck::api {

using nlohmann::json;

namespace {

std::string stringField(const json &document, const char *key)
{
    if (!document.is_object())
        return {};
    const auto it = document.find(key);
    return it != document.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::string lower(std::string text)
{
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return char(std::tolower(c)); });
    return text;
}

bool isJst(const ImportItem &item)
{
    return item.parseIssues.empty() && isTransformationDocument(item.document);
}

/// When a document was last changed, as its export says (ISO 8601 sorts as text); "" when it
/// does not say.
std::string changedAt(const json &document)
{
    for (const char *key : {"last_updated", "lastUpdated", "updated", "created"})
        if (std::string at = stringField(document, key); !at.empty())
            return at;
    return {};
}

/// Keeps the newest document of each kind and name; the others go to `skipped`.
std::vector<ImportItem> newestOnly(std::vector<ImportItem> items,
                                   std::vector<SkippedImport> &skipped)
{
    std::map<std::pair<bool, std::string>, std::size_t> newest;
    for (std::size_t i = 0; i < items.size(); ++i) {
        const std::string name = stringField(items[i].document, "name");
        if (name.empty())
            continue;
        const auto key = std::make_pair(isJst(items[i]), lower(name));
        auto [it, fresh] = newest.emplace(key, i);
        // Later in the batch wins a tie, as copying files over each other would.
        if (!fresh && changedAt(items[i].document) >= changedAt(items[it->second].document))
            it->second = i;
    }
    std::vector<ImportItem> kept;
    for (std::size_t i = 0; i < items.size(); ++i) {
        const std::string name = stringField(items[i].document, "name");
        const auto found =
            name.empty() ? newest.end() : newest.find(std::make_pair(isJst(items[i]), lower(name)));
        if (found == newest.end() || found->second == i) {
            kept.push_back(std::move(items[i]));
            continue;
        }
        skipped.push_back({items[i].source, name,
                           "a newer document named \"" + name + "\" is in this import (" +
                               items[found->second].source + ")",
                           json::array()});
    }
    return kept;
}

/// Leaves out the documents whose name (or JST _id) the store has already.
std::vector<ImportItem> newOnly(store::Store &store, std::vector<ImportItem> items,
                                std::vector<SkippedImport> &skipped)
{
    std::vector<ImportItem> kept;
    for (auto &item : items) {
        const std::string name = stringField(item.document, "name");
        bool exists = false;
        if (!name.empty() && isJst(item)) {
            const std::string id = stringField(item.document, "_id");
            TransformationCatalog jsts(store);
            exists = jsts.find(id.empty() ? name : id).ok();
        } else if (!name.empty()) {
            exists = store.workflowByName(name).ok();
        }
        if (!exists) {
            kept.push_back(std::move(item));
            continue;
        }
        skipped.push_back({item.source, name,
                           "\"" + name +
                               "\" exists already; import it again with "
                               "\"replace\" to store it as a new version",
                           json::array()});
    }
    return kept;
}

} // namespace

Result<BatchImport> importBatch(store::Store &store, WorkflowCatalog &workflows,
                                std::vector<ImportItem> items,
                                const std::optional<std::string> &actor,
                                const BatchImportOptions &options)
{
    BatchImport out;
    if (options.newestWins)
        items = newestOnly(std::move(items), out.skipped);
    if (options.partial && options.onExisting == OnExisting::Refuse)
        items = newOnly(store, std::move(items), out.skipped);
    if (items.empty())
        return out;

    auto stored = importDocuments(store, workflows, items, actor, options.onExisting);
    if (!stored && options.partial && stored.error().code == ErrorCode::Invalid &&
        stored.error().details.is_array()) {
        // The catalogs report every invalid document at once: leave those out, try the rest.
        std::set<std::string> invalid;
        for (const json &problem : stored.error().details) {
            const std::string source = stringField(problem, "source");
            invalid.insert(source);
            out.skipped.push_back({source, stringField(problem, "name"),
                                   "the document is not valid",
                                   problem.value("issues", json::array())});
        }
        std::erase_if(items, [&](const ImportItem &item) { return invalid.count(item.source); });
        if (items.empty())
            return out;
        stored = importDocuments(store, workflows, items, actor, options.onExisting);
    }
    if (!stored)
        return stored.error();
    out.stored = std::move(*stored);
    return out;
}

Result<MixedImport> importMixed(EngineContext &ctx, const ApiRequest &caller,
                                std::vector<ImportItem> items, const BatchImportOptions &options)
{
    // Workflows and JSTs are stored together; automation exports after them.
    std::vector<ImportItem> exports;
    std::vector<ImportItem> documents;
    for (ImportItem &item : items) {
        if (item.parseIssues.empty() && automations::isAutomationExport(item.document))
            exports.push_back(std::move(item));
        else
            documents.push_back(std::move(item));
    }
    const std::optional<std::string> actor =
        caller.principal ? std::optional(caller.principal->username) : std::nullopt;
    auto batch = importBatch(ctx.store, ctx.catalog, std::move(documents), actor, options);
    if (!batch)
        return batch.error();
    MixedImport out;
    out.batch = std::move(*batch);
    for (const ImportItem &exported : exports) {
        const std::string name = stringField(exported.document, "name");
        auto one = automations::importExport(ctx, caller, exported.document);
        if (!one) {
            out.batch.skipped.push_back(
                {exported.source, name, one.error().message, json::array()});
            continue;
        }
        out.automations.push_back(
            {exported.source, name, stringField(one->document, "_id"), std::move(one->warnings)});
    }
    return out;
}

} // namespace flowdeck::api
