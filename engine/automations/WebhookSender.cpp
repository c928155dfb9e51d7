// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/automations/WebhookSender.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>

namespace flowdeck::automations {

WebhookSender::WebhookSender(Done done) : m_done(std::move(done))
{
    m_worker = new QObject;
    m_worker->moveToThread(&m_thread);
    QObject::connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    m_thread.setObjectName(QStringLiteral("flowdeck-webhooks"));
    m_thread.start();
}

WebhookSender::~WebhookSender()
{
    m_thread.quit();
    m_thread.wait();
}

void WebhookSender::post(WebhookPost post)
{
    QObject *worker = m_worker;
    QMetaObject::invokeMethod(
        worker,
        [worker, done = m_done, post = std::move(post)]() {
            auto *manager = worker->findChild<QNetworkAccessManager *>();
            if (!manager)
                manager = new QNetworkAccessManager(worker);
            QNetworkRequest request(post.url);
            request.setHeader(QNetworkRequest::ContentTypeHeader,
                              QByteArrayLiteral("application/json"));
            request.setHeader(QNetworkRequest::UserAgentHeader,
                              QByteArrayLiteral("Flowdeck-Webhook/1"));
            request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                                 QNetworkRequest::ManualRedirectPolicy);
            request.setTransferTimeout(post.timeoutMs);
            for (const auto &[name, value] : post.headers)
                request.setRawHeader(name, value);
            QNetworkReply *reply = manager->post(request, post.body);
            QObject::connect(
                reply, &QNetworkReply::finished, worker, [reply, done, id = post.deliveryId]() {
                    reply->deleteLater();
                    WebhookOutcome outcome;
                    outcome.deliveryId = id;
                    outcome.httpStatus =
                        reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
                    if (outcome.httpStatus >= 200 && outcome.httpStatus < 300) {
                        outcome.delivered = true;
                    } else if (outcome.httpStatus > 0) {
                        const QString reason =
                            reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toString();
                        outcome.error = QStringLiteral("the receiver answered HTTP %1%2")
                                            .arg(outcome.httpStatus)
                                            .arg(reason.isEmpty() ? QString() : u' ' + reason);
                    } else if (reply->error() == QNetworkReply::OperationCanceledError) {
                        outcome.error = QStringLiteral("no answer within the timeout");
                    } else {
                        outcome.error = reply->errorString();
                    }
                    done(outcome);
                });
        },
        Qt::QueuedConnection);
}

} // namespace flowdeck::automations
