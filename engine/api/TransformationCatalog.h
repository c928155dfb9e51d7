// SPDX-License-Identifier: GPL-3.0-or-later
// Importing, finding and exporting JST documents (transformations), beside WorkflowCatalog:
// the JST validator runs before anything is stored, and a batch is stored all together or not
// at all. `flowdeck import/export/validate`, the /transformations routes and the transformation
// task all go through here, so they accept, refuse and find exactly the same documents.
#pragma once

#include "engine/api/WorkflowCatalog.h"
#include "engine/model/Error.h"
#include "engine/store/Store.h"
#include "engine/validate/ValidationIssue.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace flowdeck::api {

/// Whether a parsed document is a JST rather than a workflow, by its shape: an object whose
/// "incoming", "outgoing" and "steps" are all arrays. A workflow has "tasks" and
/// "transitions" objects and none of those three arrays (docs/jst.md, "Import").
bool isTransformationDocument(const nlohmann::json &document);

struct ImportedTransformation
{
    std::string source;
    store::TransformationRecord record;
    bool replaced = false; ///< stored as a new version of an existing one
    /// When a replacing import gave the name to another _id: the id of the JST that held the
    /// name and the name it is kept under ("<name> (<its _id>)"); empty otherwise.
    std::string displacedId;
    std::string displaced;
};

class TransformationCatalog
{
public:
    explicit TransformationCatalog(store::Store &store) : m_store(store) {}

    /// Every problem of one JST document, each with a JSON pointer: the JST validator's, a
    /// missing or empty "name", and an "_id" that is not a 24-hex ObjectId.
    static std::vector<validate::ValidationIssue> validate(const nlohmann::json &document);

    /// Validates every item, then stores all of them in one transaction (joining the caller's
    /// when there is one). On any invalid item nothing is stored and the Error (Invalid) lists,
    /// per source, every issue: details = [{source, name, issues: [...]}]. An existing JST (same
    /// "_id", or same name when the document has no "_id") is a Conflict unless onExisting is
    /// NewVersion; two items with the same name (regardless of case) in one batch are Invalid.
    /// A name held by a JST with another "_id" is a Conflict too; with NewVersion the imported
    /// "_id" takes the name and the holder is kept, renamed "<name> (<its _id>)" (docs/jst.md).
    Result<std::vector<ImportedTransformation>> import(const std::vector<ImportItem> &items,
                                                       const std::optional<std::string> &actor,
                                                       OnExisting onExisting);

    /// The JST a transformation task's tr_id, the CLI or a route names: by "_id" first, then
    /// by name (regardless of case). NotFound naming what was looked for.
    Result<store::TransformationRecord> find(const std::string &idOrName);

    /// The stored document (with its "_id"), for export; NotFound otherwise.
    Result<nlohmann::json> exportOne(const std::string &idOrName);

    /// Warnings for the transformation tasks of a workflow document whose tr_id names no JST
    /// in the store, each pointing at the tr_id ("/tasks/<key>/variables/incoming/tr_id").
    /// A tr_id that is a $var reference is decided at run time and not checked.
    std::vector<validate::ValidationIssue> missingTransformations(const nlohmann::json &workflow);

private:
    store::Store &m_store;
};

/// What one `flowdeck import` stored.
struct CatalogImport
{
    std::vector<ImportedTransformation> transformations;
    std::vector<ImportedWorkflow> workflows;
};

/// Imports a batch mixing JST and workflow documents (told apart by
/// isTransformationDocument), all in one transaction: the JSTs first, so a workflow's tr_id
/// check sees the JSTs of the same batch. Any invalid document, of either kind, stores nothing;
/// the Error lists the problems of both kinds (details as in the catalogs' import()).
Result<CatalogImport> importDocuments(store::Store &store, WorkflowCatalog &workflows,
                                      const std::vector<ImportItem> &items,
                                      const std::optional<std::string> &actor,
                                      OnExisting onExisting);

} // namespace flowdeck::api
