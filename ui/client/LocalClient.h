// SPDX-License-Identifier: GPL-3.0-or-later
// ConsoleClient over the in-process engine. Requests run EngineApi::dispatch one at a time,
// in the order they were sent, on the client's own worker thread (the store does SQLite I/O,
// which must never stall the window); answers come back on the thread the client lives on.
#pragma once

#include "ui/client/ConsoleClient.h"

#include <QHash>
#include <QPointer>
#include <QThread>

#include <functional>
#include <optional>

namespace flowdeck::api {
class EngineApi;
}

namespace flowdeck::ui {

class LocalClient final : public ConsoleClient
{
    Q_OBJECT
public:
    /// Runs on the worker thread; must be safe to call from there.
    using Dispatcher = std::function<api::ApiResponse(api::ApiRequest)>;

    /// `api` must outlive the client.
    explicit LocalClient(api::EngineApi &api, QObject *parent = nullptr);
    /// Any dispatcher in place of an EngineApi: for tests that watch which thread runs it.
    explicit LocalClient(Dispatcher dispatcher, QObject *parent = nullptr);
    /// Stops the worker thread after the request it is running; answers still queued are
    /// dropped, and their replies never finish.
    ~LocalClient() override;

    ApiReply *call(api::ApiRequest request) override;

    /// Who requests run as when they name nobody: the window's local account is the
    /// operating-system user, so workflows it imports record who did it.
    void setPrincipal(std::optional<api::Principal> principal);

private:
    void deliver(quint64 id, api::ApiResponse response);

    Dispatcher m_dispatch;
    QThread m_thread;
    QObject *m_worker = nullptr; ///< lives on m_thread; requests are posted to it in order
    QHash<quint64, QPointer<ApiReply>> m_pending;
    quint64 m_nextId = 1;
    std::optional<api::Principal> m_principal;
};

} // namespace flowdeck::ui
