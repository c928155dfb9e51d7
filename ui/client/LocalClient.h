// SPDX-License-Identifier: GPL-3.0-or-later
// ConsoleClient over the in-process engine. Requests run EngineApi::dispatch one at a time,
// in the order they were sent, on the client's own worker thread (the store does SQLite I/O,
// which must never stall the window); answers come back on the thread the client lives on.
#pragma once

#include "ui/client/ConsoleClient.h"

#include <QHash>
#include <QMutex>
#include <QPointer>
#include <QThread>

#include <functional>
#include <memory>
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

    /// `api` must outlive the client. Requests run on `engineThread` (the thread the engine
    /// lives on, which the caller starts and stops) or, without one, on a thread of the
    /// client's own.
    explicit LocalClient(api::EngineApi &api, QThread *engineThread = nullptr,
                         QObject *parent = nullptr);
    /// Any dispatcher in place of an EngineApi: for tests that watch which thread runs it.
    explicit LocalClient(Dispatcher dispatcher, QThread *engineThread = nullptr,
                         QObject *parent = nullptr);
    /// Stops the worker thread after the request it is running; answers still queued are
    /// dropped, and their replies never finish.
    ~LocalClient() override;

    ApiReply *call(api::ApiRequest request) override;

    /// Who requests run as when they name nobody: the window's local account is the
    /// operating-system user, so workflows it imports record who did it.
    void setPrincipal(std::optional<api::Principal> principal);

public Q_SLOTS:
    /// Connected to the engine's jobChanged signal by whoever wires the two together.
    void notifyJobChanged(const QString &jobId, const QString &status);

private:
    void deliver(quint64 id, api::ApiResponse response);

    /// What a request running on the worker thread needs: the dispatcher, and the client to
    /// answer, cleared under the lock when the client goes so a late answer is dropped.
    struct Shared
    {
        Dispatcher dispatch;
        QMutex mutex;
        LocalClient *client = nullptr;
    };
    std::shared_ptr<Shared> m_shared;
    QThread m_ownThread;         ///< used when no engine thread was given
    QObject *m_worker = nullptr; ///< lives on the worker thread; requests are posted in order
    bool m_ownsThread = false;
    QHash<quint64, QPointer<ApiReply>> m_pending;
    quint64 m_nextId = 1;
    std::optional<api::Principal> m_principal;
};

} // namespace flowdeck::ui
