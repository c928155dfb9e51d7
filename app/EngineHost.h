// SPDX-License-Identifier: GPL-3.0-or-later
// Owns the engine's parts for one process: the store, the workflow catalog and the API's
// route table. The window, `serve` and the command-line tools all start from here.
#pragma once

#include "engine/adapters/AdapterCatalog.h"
#include "engine/adapters/AdapterRunner.h"
#include "engine/api/EngineApi.h"
#include "engine/api/WorkflowCatalog.h"
#include "engine/store/SqliteStore.h"
#include "engine/store/StoreLock.h"

#include <QString>

#include <functional>
#include <memory>

namespace flowdeck::runtime {
class Engine;
}
namespace flowdeck::access {
class AccountService;
}
namespace flowdeck::scheduler {
class Scheduler;
}
namespace flowdeck::automations {
class WebhookDispatcher;
}

namespace flowdeck::app {

class EngineHost
{
public:
    /// Opens (creating its folder, creating and migrating the file) the store. The error
    /// names the path and what went wrong.
    /// Told before a store from an older Flowdeck is upgraded (which can take a minute on a
    /// large one), after the upgrade is announced on standard error.
    using UpgradeNotice = std::function<void(int fromVersion, int toVersion)>;
    static Result<std::unique_ptr<EngineHost>> open(const QString &storePath,
                                                    const UpgradeNotice &notice = {});
    ~EngineHost();

    store::SqliteStore &store() { return *m_store; }
    api::WorkflowCatalog &catalog() { return m_catalog; }
    api::EngineApi &api() { return m_api; }
    const QString &storePath() const { return m_storePath; }

    /// Takes the store's engine lock (store::StoreLock): a store runs in one engine at a time.
    /// The window and serve call it first, to refuse before doing anything else; startEngine()
    /// takes it if they did not. Conflict, naming the process that holds it.
    Result<void> claimStore();

    /// Creates the engine and the account service, puts them in the API's context and
    /// recovers the jobs that were running when the last process stopped. For the modes that
    /// run jobs (the window, serve); the document tools never start it. Returns how many jobs
    /// were recovered. The engine lives on the calling thread until moved.
    Result<int> startEngine();
    /// Starts the demo jobs (resources/demo/jobs/first-run.json) on the running engine: for
    /// the window's first run, right after the demo workflows were imported, so a new user
    /// finds finished jobs and one waiting for them at a manual task. Returns how many
    /// started; a job that cannot start is an error naming it.
    Result<int> startDemoJobs();
    /// Null until startEngine().
    runtime::Engine *engine() { return m_engine.get(); }
    /// The store's adapter instances, their secrets sealed with the key beside the store
    /// (created on first use). The error says why the key cannot be read or made.
    Result<adapters::AdapterCatalog *> adapterCatalog();
    /// Runs `engine`'s adapter tasks on an I/O thread; the caller keeps the runner and destroys
    /// it before the engine (the runner hands results to it).
    Result<std::unique_ptr<adapters::AdapterRunner>> makeAdapterRunner(runtime::Engine &engine);
    /// Null until startEngine().
    adapters::AdapterRunner *adapterRunner() { return m_adapterRunner.get(); }
    access::AccountService *accounts() { return m_accounts.get(); }

    /// On a store with no accounts, creates "admin" with a random password written beside the
    /// store (`<store>.admin-password.txt`, readable only by its owner) and says where on standard
    /// error. Nothing for an in-memory store or one that has accounts. The error says why the
    /// file could not be written (or that it exists already).
    Result<void> createFirstAdmin();

    /// Imports the demo workflows shipped in the resources, once: on a store that has never
    /// had them and holds no workflows. Returns how many were imported.
    Result<int> importDemoWorkflowsOnFirstRun();

private:
    EngineHost(QString storePath, std::unique_ptr<store::SqliteStore> store);

    QString m_storePath;
    store::StoreLock m_lock; ///< declared before the store: released after it closes
    std::unique_ptr<store::SqliteStore> m_store;
    api::WorkflowCatalog m_catalog;
    api::EngineApi m_api;
    std::unique_ptr<access::AccountService> m_accounts;
    std::unique_ptr<adapters::AdapterCatalog> m_adapters;
    std::unique_ptr<runtime::Engine> m_engine;   ///< stops before the store closes
    scheduler::Scheduler *m_scheduler = nullptr; ///< owned by the engine (its QObject child)
    automations::WebhookDispatcher *m_webhooks = nullptr; ///< owned by the engine, likewise
    /// Declared after the engine: its I/O thread stops before the engine it answers goes.
    std::unique_ptr<adapters::AdapterRunner> m_adapterRunner;
};

/// The demo workflow documents compiled into the program (resources/demo/*.json).
std::vector<api::ImportItem> demoWorkflows();

/// Where the first admin's password is written for the store at `storePath`: beside it,
/// named after it ("/srv/ops.db" → "/srv/ops.db.admin-password.txt").
QString adminPasswordFile(const QString &storePath);

} // namespace flowdeck::app
