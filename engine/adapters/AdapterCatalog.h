// SPDX-License-Identifier: GPL-3.0-or-later
// Adapter instances as operators manage them: created from an OpenAPI document and properties,
// changed, removed, listed; and found for a task. Every write validates first (properties
// against their schema, the definition with pointed errors) and seals the secrets; every
// answer masks them. Safe to use from any thread: it holds no state of its own beyond the
// store (reads from any thread) and the secret box (immutable).
#pragma once

#include "engine/access/SecretBox.h"
#include "engine/model/Error.h"
#include "engine/store/Store.h"
#include "engine/validate/ValidationIssue.h"

#include <nlohmann/json.hpp>

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

namespace flowdeck::adapters {

class AdapterCatalog
{
public:
    AdapterCatalog(store::Store &store, access::SecretBox box);

    /// A new instance; `openapi` is the OpenAPI/Swagger document (already parsed), or
    /// {"itentialPackage": files} (adapters::definitionFrom); an empty `app` takes the
    /// package's own. Invalid
    /// with pointed details for bad properties or a bad document; Conflict when the name is
    /// taken. Answers the instance's view (secrets masked).
    Result<nlohmann::json> create(const std::string &name, const std::string &app,
                                  const nlohmann::json &openapi, const nlohmann::json &properties,
                                  const std::optional<std::string> &actor);
    /// Changes what is given. `properties` replaces the stored ones, except that a secret
    /// given as the mask keeps its stored value (so a form that shows "********" can be saved
    /// back); with `mergeProperties` it is an RFC 7386 merge patch over the stored ones.
    Result<nlohmann::json> update(const std::string &name, const std::optional<std::string> &app,
                                  const std::optional<nlohmann::json> &openapi,
                                  const std::optional<nlohmann::json> &properties,
                                  bool mergeProperties, const std::optional<std::string> &actor);
    Result<void> remove(const std::string &name);
    /// The view of one instance, with its methods' names; `withMethods` adds their schemas.
    Result<nlohmann::json> get(const std::string &name, bool withMethods = false);
    Result<nlohmann::json> list();

    /// An instance as a call needs it: its record without the definition (properties still
    /// sealed) and the definition, shared and parsed once per version of the instance.
    struct ForCall
    {
        store::AdapterRecord record;
        std::shared_ptr<const nlohmann::json> definition;
    };

    /// The instance a task of `app` calls: the one named `adapterId` when given (and of that
    /// app), else the only instance of the app. NotFound / Invalid in words an operator can
    /// act on otherwise. Any thread.
    Result<ForCall> select(const std::string &app, const std::string &adapterId);
    /// The instance of that name, for a call outside a job (adapter call, health checks).
    Result<ForCall> named(const std::string &name);
    /// The instance of that name with its secrets opened, for a call. Never answered to anyone.
    Result<store::AdapterRecord> withSecrets(store::AdapterRecord record) const;
    Result<store::AdapterRecord> byName(const std::string &name);

    /// What a workflow's adapter tasks need, one entry per task: {task, app, method,
    /// adapterId (null when the task names none), instances: [names of that app], problem and
    /// at (a JSON pointer into the workflow) when the task would find no instance at run
    /// time}. An adapter_id of "$var.…" is chosen at run time and never a problem here. Store
    /// errors as Error.
    static Result<nlohmann::json> needs(store::Store &store, const nlohmann::json &workflow);
    /// Warnings for a workflow's adapter tasks that would find no instance at run time (none of
    /// their app, several without adapter_id, an adapter_id naming none): what import says.
    static std::vector<validate::ValidationIssue> missingInstances(store::Store &store,
                                                                   const nlohmann::json &workflow);

    /// The view an answer shows: secrets masked, the definition summarised.
    static nlohmann::json view(const store::AdapterRecord &record, bool withMethods);

private:
    Result<nlohmann::json> prepareProperties(nlohmann::json given,
                                             const nlohmann::json &stored) const;
    /// `head` with its definition, from the cache when it holds this version.
    Result<ForCall> withDefinition(store::AdapterRecord head);

    store::Store &m_store;
    access::SecretBox m_box;
    /// Parsed definitions by instance id, with the updatedAt they were read at.
    std::mutex m_cacheMutex;
    std::map<std::string, std::pair<store::Millis, std::shared_ptr<const nlohmann::json>>>
        m_definitions;
};

} // namespace flowdeck::adapters
