// SPDX-License-Identifier: GPL-3.0-or-later
// A whole serving stack on one store, wired as `flowdeck serve` wires it: store, workflow
// catalog, engine, accounts, API and HTTP server on 127.0.0.1 (a free port). The transport's
// tests each hold one and tear it down in the reverse order.
#pragma once

#include "engine/access/AccountService.h"
#include "engine/api/EngineApi.h"
#include "engine/http/HttpServer.h"
#include "engine/runtime/Engine.h"
#include "engine/store/SqliteStore.h"

#include <memory>
#include <string>

namespace flowdeck::test {

struct ServerStack
{
    std::unique_ptr<store::SqliteStore> store;
    std::unique_ptr<api::WorkflowCatalog> catalog;
    std::unique_ptr<runtime::Engine> engine;
    std::unique_ptr<access::AccountService> accounts;
    std::unique_ptr<api::EngineApi> api;
    std::unique_ptr<http::HttpServer> server;
    quint16 port = 0;

    /// Opens the store at `path` and the layers above it, and serves with `limits`. False
    /// when the store cannot be opened or the server cannot listen.
    bool open(const std::string &path, access::AccountService::Options options = {},
              http::RequestLimits limits = {})
    {
        auto opened = store::SqliteStore::open(path);
        if (!opened)
            return false;
        store = std::move(*opened);
        catalog = std::make_unique<api::WorkflowCatalog>(*store);
        engine = std::make_unique<runtime::Engine>(*store);
        accounts = std::make_unique<access::AccountService>(*store, options);
        api = std::make_unique<api::EngineApi>(
            api::EngineContext{*store, *catalog, engine.get(), accounts.get()});
        return serve(limits);
    }

    /// Replaces the server with one applying `limits`, on a new port.
    bool serve(http::RequestLimits limits)
    {
        server.reset();
        server = std::make_unique<http::HttpServer>(*api, limits);
        auto started = server->start(QHostAddress::LocalHost, 0);
        port = started ? *started : 0;
        return started.ok();
    }

    void close()
    {
        server.reset();
        api.reset();
        accounts.reset();
        engine.reset();
        catalog.reset();
        store.reset();
    }
};

} // namespace flowdeck::test
