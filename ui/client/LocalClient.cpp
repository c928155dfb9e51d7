// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/client/LocalClient.h"

#include "engine/api/EngineApi.h"

namespace flowdeck::ui {

LocalClient::LocalClient(api::EngineApi &api, QObject *parent)
    : LocalClient([&api](api::ApiRequest request) { return api.dispatch(std::move(request)); },
                  parent)
{}

LocalClient::LocalClient(Dispatcher dispatcher, QObject *parent)
    : ConsoleClient(parent), m_dispatch(std::move(dispatcher)), m_worker(new QObject)
{
    m_thread.setObjectName(QStringLiteral("flowdeck-local-client"));
    m_worker->moveToThread(&m_thread);
    m_thread.start();
}

LocalClient::~LocalClient()
{
    m_thread.quit();
    m_thread.wait();
    // The thread has stopped, so nothing runs on the worker any more and nothing else can
    // post an answer to this object; events still queued for the worker go with it.
    delete m_worker;
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
        [this, id, request = std::move(request)]() mutable {
            api::ApiResponse response = m_dispatch(std::move(request));
            QMetaObject::invokeMethod(
                this,
                [this, id, response = std::move(response)]() mutable {
                    deliver(id, std::move(response));
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

void LocalClient::deliver(quint64 id, api::ApiResponse response)
{
    const QPointer<ApiReply> reply = m_pending.take(id);
    if (reply)
        reply->finish(std::move(response));
}

} // namespace flowdeck::ui
