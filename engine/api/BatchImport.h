// SPDX-License-Identifier: GPL-3.0-or-later
// A batch of workflow and JST documents imported the way an operator importing a folder of
// real exports needs: all or nothing by default (importDocuments), or, when asked, the rest of
// the batch when some documents cannot be stored: duplicates inside the batch resolved by
// "newest wins", documents whose name is taken left alone, invalid ones skipped. Every document
// left out is reported with why, so nothing disappears silently. importMixed adds Operations
// Manager automation exports to the batch: the window's import route and `flowdeck import` both
// import through it, with the same choices and the same warnings.
#pragma once

#include "engine/api/ApiTypes.h"
#include "engine/api/TransformationCatalog.h"
#include "engine/api/WorkflowCatalog.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace flowdeck::api {

struct BatchImportOptions
{
    OnExisting onExisting = OnExisting::Refuse;
    /// Store what can be stored; report the rest as skipped instead of refusing the batch.
    bool partial = false;
    /// Of several documents of one kind and name in the batch, keep the newest (by
    /// last_updated / lastUpdated, else the later one in the batch); the others are skipped.
    bool newestWins = false;
};

/// A document the batch left out, and why.
struct SkippedImport
{
    std::string source;
    std::string name;
    std::string reason;
    nlohmann::json issues = nlohmann::json::array(); ///< validation issues, when invalid
};

struct BatchImport
{
    CatalogImport stored;
    std::vector<SkippedImport> skipped;
};

/// Imports `items` as `options` say. Without partial or newestWins this is importDocuments
/// (errors as it reports them). With partial, the Error is only for what no skipping can
/// help (the store failing); a batch where nothing could be stored answers with everything
/// skipped.
Result<BatchImport> importBatch(store::Store &store, WorkflowCatalog &workflows,
                                std::vector<ImportItem> items,
                                const std::optional<std::string> &actor,
                                const BatchImportOptions &options);

struct EngineContext;

/// An Operations Manager automation export the batch stored.
struct ImportedAutomationExport
{
    std::string source;
    std::string name;
    std::string id;
    std::vector<std::string> warnings; ///< e.g. its componentName matched no stored workflow
};

struct MixedImport
{
    BatchImport batch; ///< the workflows and JSTs; `batch.skipped` also lists automations
    std::vector<ImportedAutomationExport> automations;
};

/// Imports workflows, JSTs and Operations Manager automation exports in one batch: the
/// workflows and JSTs first (importBatch, as `options` say), then each automation export, so
/// one finds a workflow of the same batch by its componentName (a name or "@<id>: <name>")
/// when its componentId is null. Each automation with its triggers is all or nothing; one that
/// cannot be stored is added to the skipped, the others go on. `caller` is who imports (its
/// principal records who created them). Errors as importBatch.
Result<MixedImport> importMixed(EngineContext &ctx, const ApiRequest &caller,
                                std::vector<ImportItem> items, const BatchImportOptions &options);

} // namespace flowdeck::api
