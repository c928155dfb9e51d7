// SPDX-License-Identifier: GPL-3.0-or-later
// Completion webhooks: when a job an automation started ends (complete, error, canceled), its
// summary is posted, signed, to the automation's webhook_url, and retried with backoff until
// the receiver answers 2xx or the attempts run out. Lives on the engine's thread, which owns
// every write: it reads the job ends from the event log after its cursor, records a pending
// delivery for each in the same transaction that moves the cursor (so a job end committed
// before a kill -9 is delivered after the restart, and none is recorded twice), hands the
// posts to a WebhookSender on its I/O thread and records each outcome when it comes back.
#pragma once

#include "engine/automations/WebhookSender.h"
#include "engine/model/Error.h"
#include "engine/runtime/SecretValues.h"
#include "engine/store/Records.h"

#include <QObject>
#include <QTimer>

#include <map>
#include <memory>

namespace flowdeck::store {
class Store;
}
namespace flowdeck::runtime {
class Engine;
}

namespace flowdeck::automations {

class WebhookDispatcher : public QObject
{
    Q_OBJECT
public:
    /// After this many attempts a delivery is `failed` and no longer retried.
    static constexpr int kMaxAttempts = 8;
    /// The wait before the second attempt; each later wait doubles, up to kMaxRetryMs.
    static constexpr store::Millis kFirstRetryMs = 10'000;
    static constexpr store::Millis kMaxRetryMs = 3'600'000;
    /// How long a receiver has to answer.
    static constexpr int kTimeoutMs = 10'000;
    /// The settings key of the event log position read up to.
    static constexpr const char *kCursorKey = "webhooks.cursor";

    /// Lives on the engine's thread (give the engine as parent to move with it). `codec` opens
    /// the sealed webhook secrets.
    WebhookDispatcher(store::Store &store, runtime::Engine &engine, runtime::SecretCodec codec,
                      QObject *parent = nullptr);
    ~WebhookDispatcher() override;

    /// Records a pending delivery for each job end after the cursor whose automation has a
    /// webhook; returns how many.
    Result<int> collect();
    /// Posts every pending delivery that is due by the engine's clock and not already on its
    /// way; returns how many were posted.
    Result<int> sendDue();
    /// Polls (a real clock only) and collects as soon as the engine commits a change.
    void start();

    /// The wait after `attempts` failed attempts: kFirstRetryMs × 2^(attempts−1), at most
    /// kMaxRetryMs, of which a random part in [½, 1] is taken (`random01` in [0, 1)) so that
    /// receivers that came back are not hit by every delivery at once.
    static store::Millis retryDelay(int attempts, double random01);

Q_SIGNALS:
    /// An attempt's outcome was recorded; `status` is the delivery's new status.
    void attempted(qint64 deliveryId, const QString &status);

private:
    void record(const WebhookOutcome &outcome);
    Result<void> fail(store::WebhookDeliveryRecord delivery, const std::string &why);
    void tick();

    store::Store &m_store;
    runtime::Engine &m_engine;
    runtime::SecretCodec m_codec;
    std::unique_ptr<WebhookSender> m_sender;
    std::map<qint64, store::WebhookDeliveryRecord> m_inFlight;
    QTimer m_timer;
    bool m_tickQueued = false;
};

} // namespace flowdeck::automations
