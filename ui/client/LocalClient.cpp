// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/client/LocalClient.h"

#include "engine/api/EngineApi.h"

namespace flowdeck::ui {

LocalClient::LocalClient(api::EngineApi &api, QThread *engineThread, QObject *parent)
    : LocalClient([&api](api::ApiRequest request) { return api.dispatch(std::move(request)); },
                  engineThread, parent)
{}

LocalClient::LocalClient(Dispatcher dispatcher, QThread *engineThread, QObject *parent)
    : ConsoleClient(parent), m_shared(std::make_shared<Shared>()), m_worker(new QObject),
      m_ownsThread(engineThread == nullptr)
{
    m_shared->dispatch = std::move(dispatcher);
    m_shared->client = this;
    if (m_ownsThread) {
        m_ownThread.setObjectName(QStringLiteral("flowdeck-local-client"));
        engineThread = &m_ownThread;
        m_ownThread.start();
    }
    m_worker->moveToThread(engineThread);
}

LocalClient::~LocalClient()
{
    {
        QMutexLocker lock(&m_shared->mutex);
        m_shared->client = nullptr;
    }
    if (m_ownsThread) {
        m_ownThread.quit();
        m_ownThread.wait();
        // The thread has stopped, so nothing runs on the worker any more and nothing else
        // can post an answer to this object; events still queued for the worker go with it.
        delete m_worker;
    } else {
        // The engine thread goes on. Requests still queued run and find no client to answer
        // (cleared above), then the worker is deleted on its own thread.
        m_worker->deleteLater();
    }
}

ApiReply *LocalClient::call(api::ApiRequest request)
{
    auto *reply = new ApiReply(this);
    const quint64 id = m_nextId++;
    // Only the id crosses threads: the reply is looked up again on this thread, so a reply
    // deleted while its request ran is simply not there any more.
    m_pending.insert(id, reply);
    if (!request.principal)
        request.principal = m_principal;
    QMetaObject::invokeMethod(
        m_worker,
        [shared = m_shared, id, request = std::move(request)]() mutable {
            {
                QMutexLocker lock(&shared->mutex);
                if (!shared->client)
                    return; // the window closed while this waited
            }
            api::ApiResponse response = shared->dispatch(std::move(request));
            QMutexLocker lock(&shared->mutex);
            if (LocalClient *client = shared->client)
                QMetaObject::invokeMethod(
                    client,
                    [client, id, response = std::move(response)]() mutable {
                        client->deliver(id, std::move(response));
                    },
                    Qt::QueuedConnection);
        },
        Qt::QueuedConnection);
    return reply;
}

void LocalClient::setPrincipal(std::optional<api::Principal> principal)
{
    m_principal = std::move(principal);
}

void LocalClient::notifyJobChanged(const QString &jobId, const QString &status)
{
    Q_EMIT jobChanged(jobId, status);
}

void LocalClient::deliver(quint64 id, api::ApiResponse response)
{
    const QPointer<ApiReply> reply = m_pending.take(id);
    if (reply)
        reply->finish(std::move(response));
}

} // namespace flowdeck::ui
