// SPDX-License-Identifier: GPL-3.0-or-later
// Posts webhook bodies from an I/O thread of its own, so a slow or silent receiver never holds
// up the engine thread. Redirects are not followed (a receiver that moved must be updated, not
// guessed at) and every post has a timeout.
#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>
#include <QThread>
#include <QUrl>

#include <functional>

namespace flowdeck::automations {

struct WebhookPost
{
    qint64 deliveryId = 0;
    QUrl url;
    QByteArray body;
    QList<QPair<QByteArray, QByteArray>> headers;
    int timeoutMs = 10'000;
};

struct WebhookOutcome
{
    qint64 deliveryId = 0;
    bool delivered = false; ///< the receiver answered 2xx
    int httpStatus = 0;     ///< 0 when no answer came
    QString error;          ///< why it was not delivered; never holds the body or a header
};

class WebhookSender
{
public:
    /// `done` runs on the I/O thread once per post.
    using Done = std::function<void(const WebhookOutcome &)>;
    explicit WebhookSender(Done done);
    ~WebhookSender();
    WebhookSender(const WebhookSender &) = delete;
    WebhookSender &operator=(const WebhookSender &) = delete;

    /// Safe from any thread.
    void post(WebhookPost post);

private:
    Done m_done;
    QThread m_thread;
    QObject *m_worker = nullptr; ///< lives on m_thread, owns the QNetworkAccessManager
};

} // namespace flowdeck::automations
