// SPDX-License-Identifier: GPL-3.0-or-later
// Importing and exporting workflow documents: the validator runs before anything is
// stored, and a batch is stored all together or not at all. The CLI, the REST routes and the
// window all import through here, so they accept and refuse exactly the same documents.
#pragma once

#include "engine/model/Error.h"
#include "engine/store/Store.h"
#include "engine/validate/ValidationIssue.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace flowdeck::api {

struct ImportItem
{
    std::string source;      ///< where it came from, for messages: a file name or "automations/2"
    nlohmann::json document; ///< parsed document (ignored when parseIssues is not empty)
    std::vector<validate::ValidationIssue> parseIssues; ///< set when the text did not parse
};

struct ImportedWorkflow
{
    std::string source;
    store::WorkflowRecord record;
    bool replaced = false;                           ///< stored as a new version of an existing one
    std::vector<validate::ValidationIssue> warnings; ///< kept, not fatal
};

enum class OnExisting { Refuse, NewVersion };

class WorkflowCatalog
{
public:
    explicit WorkflowCatalog(store::Store &store) : m_store(store) {}

    /// Reads and parses a file into an ImportItem (parse problems land in parseIssues;
    /// an unreadable file is an Error).
    static Result<ImportItem> readFile(const std::string &path);

    /// Validates every item, then stores all of them in one transaction. On any invalid item
    /// nothing is stored and the Error (Invalid) lists, per source, every issue:
    /// details = [{source, name, issues: [...]}]. A name that exists is a Conflict unless
    /// onExisting is NewVersion; two items with the same name in one batch are Invalid.
    Result<std::vector<ImportedWorkflow>> import(const std::vector<ImportItem> &items,
                                                 const std::optional<std::string> &actor,
                                                 OnExisting onExisting);

    /// The stored document exactly as imported (or last saved); NotFound otherwise.
    Result<nlohmann::json> exportByName(const std::string &name);
    Result<nlohmann::json> exportById(const std::string &id);

private:
    store::Store &m_store;
};

/// A JSON array of issue.toJson().
nlohmann::json issuesToJson(const std::vector<validate::ValidationIssue> &issues);

} // namespace flowdeck::api
