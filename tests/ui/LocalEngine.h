// SPDX-License-Identifier: GPL-3.0-or-later
// The real engine behind a LocalClient, for the window's end-to-end tests: a ":memory:" store
// with demo workflows imported, the account service with the window's local account (alice, an
// admin) signed in, the engine and its API on the test's thread (requests run between events,
// as they would on the engine's own thread), and the engine's jobChanged wired to the client.
// Torn down in reverse, the client first.
#pragma once

#include "engine/access/AccountService.h"
#include "engine/adapters/AdapterCatalog.h"
#include "engine/adapters/AdapterRunner.h"
#include "engine/api/EngineApi.h"
#include "engine/api/WorkflowCatalog.h"
#include "engine/runtime/Engine.h"
#include "engine/store/SqliteStore.h"
#include "tests/support/TestPaths.h"
#include "ui/client/LocalClient.h"

#include <QStringList>
#include <QTest>
#include <QThread>

#include <memory>
#include <vector>

namespace flowdeck::test {

struct LocalEngine
{
    std::unique_ptr<store::SqliteStore> store;
    std::unique_ptr<api::WorkflowCatalog> catalog;
    std::unique_ptr<access::AccountService> accounts;
    std::unique_ptr<runtime::Engine> engine;
    std::unique_ptr<api::EngineApi> api;
    std::unique_ptr<adapters::AdapterCatalog> adapterCatalog; ///< after enableAdapters()
    std::unique_ptr<adapters::AdapterRunner> adapterRunner;   ///< stops before the engine goes
    std::unique_ptr<ui::LocalClient> client;
    model::Principal alice;

    ~LocalEngine() { client.reset(); }

    /// Builds the stack with `demoFiles` (names under resources/demo/) imported. Fails the
    /// running test on any error: check QTest::currentTestFailed() after it.
    void open(const QStringList &demoFiles)
    {
        auto opened = store::SqliteStore::open(":memory:");
        QVERIFY(opened.ok());
        store = std::move(*opened);
        catalog = std::make_unique<api::WorkflowCatalog>(*store);
        std::vector<api::ImportItem> items;
        for (const QString &file : demoFiles) {
            auto item = api::WorkflowCatalog::readFile(
                sourcePath(QStringLiteral("resources/demo/") + file).toStdString());
            QVERIFY(item.ok());
            items.push_back(std::move(*item));
        }
        if (!items.empty())
            QVERIFY(catalog->import(items, "tester", api::OnExisting::Refuse).ok());
        accounts = std::make_unique<access::AccountService>(*store);
        auto local = accounts->ensureLocalAccount("alice");
        QVERIFY(local.ok());
        alice = *local;
        engine = std::make_unique<runtime::Engine>(*store);
        api = std::make_unique<api::EngineApi>(
            api::EngineContext{*store, *catalog, engine.get(), accounts.get()});
        client = std::make_unique<ui::LocalClient>(*api, QThread::currentThread());
        client->setPrincipal(alice);
        QObject::connect(engine.get(), &runtime::Engine::jobChanged, client.get(),
                         &ui::LocalClient::notifyJobChanged);
    }

    /// Adapter instances and their calls, wired as the application wires them (the store's
    /// key lives as long as the process, as for every ":memory:" store).
    void enableAdapters()
    {
        auto box = access::SecretBox::forStore(":memory:");
        QVERIFY(box.ok());
        adapterCatalog = std::make_unique<adapters::AdapterCatalog>(*store, std::move(*box));
        adapterRunner = std::make_unique<adapters::AdapterRunner>(
            *adapterCatalog, [e = engine.get()](const tasks::TaskCall &c, tasks::MethodResult r) {
                e->completeCall(c, std::move(r));
            });
        engine->setAsyncTasks(adapterRunner.get());
        api->context().adapters = adapterCatalog.get();
        api->context().adapterRunner = adapterRunner.get();
    }

    /// Imports one more workflow document; fails the running test when it is refused.
    void importWorkflow(const nlohmann::json &document)
    {
        std::vector<api::ImportItem> items(1);
        items.front().source = "test";
        items.front().document = document;
        auto imported = catalog->import(items, "tester", api::OnExisting::Refuse);
        QVERIFY2(imported.ok(), imported.ok() ? "" : imported.error().message.c_str());
    }
};

} // namespace flowdeck::test
