// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/EngineHost.h"

#include "app/AppPaths.h"
#include "app/StoreSecrets.h"
#include "engine/access/AccountService.h"
#include "engine/access/SecretBox.h"
#include "engine/automations/WebhookDispatcher.h"
#include "engine/runtime/Engine.h"
#include "engine/runtime/TransformationTask.h"
#include "engine/scheduler/Scheduler.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <cstdio>

namespace flowdeck::app {

namespace {
constexpr const char *kDemoImportedKey = "demo.imported";
}

Result<std::unique_ptr<EngineHost>> EngineHost::open(const QString &storePath,
                                                     const UpgradeNotice &notice)
{
    QString error;
    if (!prepareStoreLocation(storePath, &error))
        return Error::unavailable(error.toStdString());
    store::SqliteStore::Options options;
    options.onUpgrade = [&](int from, int to) {
        std::fprintf(stderr,
                     "flowdeck: upgrading the store %s from schema %d to %d; on a large store "
                     "this takes a minute or more (if it is interrupted, nothing is lost and it "
                     "starts again next time)\n",
                     qPrintable(storePath), from, to);
        if (notice)
            notice(from, to);
    };
    auto store = store::SqliteStore::open(storePath.toStdString(), std::move(options));
    if (!store)
        return store.error();
    return std::unique_ptr<EngineHost>(new EngineHost(storePath, std::move(*store)));
}

EngineHost::EngineHost(QString storePath, std::unique_ptr<store::SqliteStore> store)
    : m_storePath(std::move(storePath)), m_store(std::move(store)), m_catalog(*m_store),
      m_api(api::EngineContext{*m_store, m_catalog})
{}

EngineHost::~EngineHost() = default;

Result<void> EngineHost::claimStore()
{
    if (m_lock.held())
        return {};
    auto lock = store::StoreLock::acquire(m_storePath.toStdString());
    if (!lock)
        return lock.error();
    m_lock = std::move(*lock);
    return {};
}

Result<int> EngineHost::startEngine()
{
    if (m_engine)
        return Error::conflict("the engine is already running");
    if (auto claimed = claimStore(); !claimed)
        return claimed.error();
    auto secrets = storeSecrets(m_storePath.toStdString());
    if (!secrets)
        return secrets.error();
    m_accounts = std::make_unique<access::AccountService>(*m_store);
    m_engine = std::make_unique<runtime::Engine>(*m_store);
    m_engine->setSecrets(*secrets);
    m_api.context().secrets = *secrets;
    runtime::installTransformationTask(*m_engine, *m_store);
    // Watchers are told only of manual tasks they may work, so the engine needs their groups.
    m_engine->setPeopleResolver(
        [accounts =
             m_accounts.get()](const std::string &username) -> std::optional<model::Principal> {
            auto user = accounts->store().userByUsername(username);
            if (!user)
                return std::nullopt;
            auto principal = accounts->principalFor(user->id);
            if (!principal)
                return std::nullopt;
            return *std::move(principal);
        });
    auto runner = makeAdapterRunner(*m_engine);
    if (!runner)
        return runner.error();
    m_adapterRunner = std::move(*runner);
    // An instance going down is an event (@flowdeck/adapters instanceDown) for event triggers.
    m_adapterRunner->onWentDown([store = m_store.get()](const std::string &instance,
                                                        const nlohmann::json &entry) {
        if (auto r = scheduler::EventTriggers::adapterWentDown(*store, instance, entry,
                                                               QDateTime::currentMSecsSinceEpoch());
            !r)
            std::fprintf(stderr, "flowdeck: adapter %s went down, not recorded: %s\n",
                         instance.c_str(), r.error().message.c_str());
    });
    m_adapterRunner->startHealthChecks();
    m_api.context().adapters = m_adapters.get();
    m_api.context().adapterRunner = m_adapterRunner.get();
    m_api.context().engine = m_engine.get();
    m_api.context().accounts = m_accounts.get();
    auto recovered = m_engine->recover();
    if (!recovered)
        return recovered;
    // Schedule triggers fire on the engine's thread: the scheduler is the engine's child, so it
    // moves with it, and its first tick runs once that thread's event loop does.
    m_scheduler = new scheduler::Scheduler(*m_store, *m_engine, m_engine.get());
    m_scheduler->start();
    // Completion webhooks: read job ends on the engine's thread, post from their own I/O thread.
    m_webhooks = new automations::WebhookDispatcher(*m_store, *m_engine, std::move(*secrets),
                                                    m_engine.get());
    m_webhooks->start();
    return recovered;
}

Result<adapters::AdapterCatalog *> EngineHost::adapterCatalog()
{
    if (!m_adapters) {
        auto box = access::SecretBox::forStore(m_storePath.toStdString());
        if (!box)
            return box.error();
        m_adapters = std::make_unique<adapters::AdapterCatalog>(*m_store, std::move(*box));
    }
    return m_adapters.get();
}

Result<std::unique_ptr<adapters::AdapterRunner>>
EngineHost::makeAdapterRunner(runtime::Engine &engine)
{
    auto catalog = adapterCatalog();
    if (!catalog)
        return catalog.error();
    auto runner = std::make_unique<adapters::AdapterRunner>(
        **catalog, [&engine](const tasks::TaskCall &call, tasks::MethodResult result) {
            engine.completeCall(call, std::move(result));
        });
    engine.setAsyncTasks(runner.get());
    return runner;
}

Result<int> EngineHost::startDemoJobs()
{
    if (!m_engine)
        return Error::unavailable("the engine is not running");
    QFile file(QStringLiteral(":/demo/jobs/first-run.json"));
    if (!file.open(QIODevice::ReadOnly))
        return Error::internal("the demo jobs are missing from the program's resources");
    const QByteArray text = file.readAll();
    const auto doc = nlohmann::json::parse(text.begin(), text.end(), nullptr, false);
    if (!doc.is_object() || !doc.value("jobs", nlohmann::json()).is_array())
        return Error::internal("the demo jobs resource is not a {jobs: [...]} document");
    int started = 0;
    for (const auto &job : doc["jobs"]) {
        runtime::StartJobOptions options;
        options.workflow = job.value("workflow", "");
        const auto &opts = job.value("options", nlohmann::json::object());
        options.description = opts.value("description", "");
        options.variables = opts.value("variables", nlohmann::json::object());
        options.actor = std::string("flowdeck");
        auto r = m_engine->startJob(options);
        if (!r)
            return Error{r.error().code,
                         "the demo job of \"" + options.workflow + "\": " + r.error().message,
                         r.error().details};
        ++started;
    }
    return started;
}

std::vector<api::ImportItem> demoWorkflows()
{
    std::vector<api::ImportItem> items;
    const QDir dir(QStringLiteral(":/demo"));
    for (const QString &file : dir.entryList({QStringLiteral("*.json")}, QDir::Files, QDir::Name)) {
        QFile f(dir.filePath(file));
        if (!f.open(QIODevice::ReadOnly))
            continue;
        const QByteArray text = f.readAll();
        items.push_back({file.toStdString(),
                         nlohmann::json::parse(text.begin(), text.end(), nullptr, false),
                         {}});
    }
    return items;
}

QString adminPasswordFile(const QString &storePath)
{
    return QFileInfo(storePath).absoluteFilePath() + QStringLiteral(".admin-password.txt");
}

Result<void> EngineHost::createFirstAdmin()
{
    if (m_storePath == QStringLiteral(":memory:"))
        return {};
    // One file per store, named after it: two stores in one folder each get their own, and
    // a second store never meets the first one's file.
    const QString passwordFile = adminPasswordFile(m_storePath);
    access::AccountService accounts(*m_store);
    auto admin = accounts.firstStartAdmin(passwordFile.toStdString());
    if (!admin)
        return admin.error();
    if (admin->has_value())
        std::fprintf(stderr,
                     "flowdeck: created the account \"admin\"; its password is in %s "
                     "(readable only by you). Sign in, change it with 'flowdeck user passwd "
                     "admin --password-stdin', then delete the file.\n",
                     (*admin)->c_str());
    return {};
}

Result<int> EngineHost::importDemoWorkflowsOnFirstRun()
{
    auto done = m_store->setting(kDemoImportedKey);
    if (!done)
        return done.error();
    if (done->has_value())
        return 0;
    auto existing = m_store->listWorkflows({std::nullopt, std::nullopt, 0, 1});
    if (!existing)
        return existing.error();
    int imported = 0;
    if (existing->total == 0) {
        auto r =
            m_catalog.import(demoWorkflows(), std::string("flowdeck"), api::OnExisting::Refuse);
        if (!r)
            return r.error();
        imported = int(r->size());
    }
    if (auto r = m_store->setSetting(kDemoImportedKey, "1"); !r)
        return r.error();
    return imported;
}

} // namespace flowdeck::app
