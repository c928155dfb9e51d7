// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/automations/WebhookDispatcher.h"

#include "engine/automations/WebhookSettings.h"
#include "engine/automations/WebhookSignature.h"
#include "engine/runtime/Engine.h"
#include "engine/store/Store.h"

#include <QDateTime>
#include <QRandomGenerator>

#include <algorithm>
#include <cmath>

namespace flowdeck::automations {

using nlohmann::json;

namespace {

/// Job ends read per collect; a longer backlog is read over the following ticks.
constexpr int kCollectBatch = 500;
/// Deliveries posted per tick.
constexpr int kSendBatch = 50;

json isoTime(const std::optional<store::Millis> &ms)
{
    if (!ms)
        return nullptr;
    return QDateTime::fromMSecsSinceEpoch(*ms, Qt::UTC).toString(Qt::ISODateWithMs).toStdString();
}

std::optional<store::Millis> timeField(const json &metrics, const char *key)
{
    const json v = metrics.is_object() ? metrics.value(key, json()) : json();
    if (v.is_number())
        return v.get<store::Millis>();
    return std::nullopt;
}

/// What a receiver is told about a job's end: enough to act on without calling back.
json jobSummary(const store::JobEndRecord &end, const store::AutomationRecord &automation,
                const store::JobRecord &job)
{
    const json metrics = job.document.value("metrics", json::object());
    const auto started = timeField(metrics, "start_time");
    json duration = nullptr;
    if (started)
        duration = std::max<store::Millis>(0, end.at - *started);
    return {{"type", "job.ended"},
            {"deliveryId", end.seq},
            {"automation", {{"_id", automation.id}, {"name", automation.name}}},
            {"job",
             {{"_id", job.id},
              {"name", job.name},
              {"description", job.description},
              {"status", end.status},
              {"startedAt", isoTime(started)},
              {"endedAt", isoTime(end.at)},
              {"durationMs", duration},
              {"error", end.message.empty() ? json() : json(end.message)}}}};
}

} // namespace

WebhookDispatcher::WebhookDispatcher(store::Store &store, runtime::Engine &engine,
                                     runtime::SecretCodec codec, QObject *parent)
    : QObject(parent), m_store(store), m_engine(engine), m_codec(std::move(codec)), m_timer(this)
{
    m_sender = std::make_unique<WebhookSender>([this](const WebhookOutcome &outcome) {
        // Back to the engine's thread, which owns the writes.
        QMetaObject::invokeMethod(
            this, [this, outcome]() { record(outcome); }, Qt::QueuedConnection);
    });
    m_timer.setSingleShot(false);
    connect(&m_timer, &QTimer::timeout, this, &WebhookDispatcher::tick);
}

WebhookDispatcher::~WebhookDispatcher()
{
    // Stop the I/O thread first: no outcome may arrive for a dispatcher that is gone.
    m_sender.reset();
}

store::Millis WebhookDispatcher::retryDelay(int attempts, double random01)
{
    const int doublings = std::clamp(attempts - 1, 0, 30);
    const double full =
        std::min(double(kMaxRetryMs), double(kFirstRetryMs) * std::pow(2.0, doublings));
    const double r = std::clamp(random01, 0.0, 1.0);
    return store::Millis(full * (0.5 + 0.5 * r));
}

Result<int> WebhookDispatcher::collect()
{
    auto cursorText = m_store.setting(kCursorKey);
    if (!cursorText)
        return cursorText.error();
    std::int64_t cursor = 0;
    if (*cursorText)
        cursor = std::strtoll((*cursorText)->c_str(), nullptr, 10);
    auto upTo = m_store.lastJobEventSeq();
    if (!upTo)
        return upTo.error();
    if (*upTo <= cursor)
        return 0;
    auto ends = m_store.jobEndsAfter(cursor, *upTo, kCollectBatch);
    if (!ends)
        return ends.error();
    // A full batch may leave more: read on from the last one next time.
    const std::int64_t next = int(ends->size()) == kCollectBatch ? ends->back().seq : *upTo;
    const store::Millis now = m_engine.clockNow();
    int recorded = 0;
    auto done = m_store.transaction([&]() -> Result<void> {
        std::map<std::string, std::optional<store::AutomationRecord>> automations;
        for (const auto &end : *ends) {
            auto cached = automations.find(end.automationId);
            if (cached == automations.end()) {
                auto found = m_store.automationById(end.automationId);
                if (!found && found.error().code != ErrorCode::NotFound)
                    return found.error();
                cached = automations
                             .emplace(end.automationId,
                                      found ? std::optional(std::move(*found)) : std::nullopt)
                             .first;
            }
            const auto &automation = cached->second;
            if (!automation)
                continue;
            const json url = automation->document.value(kWebhookUrl, json());
            if (!url.is_string() || url.get<std::string>().empty())
                continue;
            auto job = m_store.job(end.jobId);
            if (!job) {
                if (job.error().code == ErrorCode::NotFound)
                    continue; // deleted since it ended
                return job.error();
            }
            store::WebhookDeliveryRecord d;
            d.id = end.seq;
            d.automationId = automation->id;
            d.jobId = end.jobId;
            d.url = url.get<std::string>();
            d.nextAttemptAt = now;
            d.summary = jobSummary(end, *automation, *job);
            d.createdAt = d.updatedAt = now;
            if (auto r = m_store.insertWebhookDelivery(d); !r)
                return r;
            ++recorded;
        }
        return m_store.setSetting(kCursorKey, std::to_string(next));
    });
    if (!done)
        return done.error();
    return recorded;
}

Result<void> WebhookDispatcher::fail(store::WebhookDeliveryRecord delivery, const std::string &why)
{
    delivery.status = "failed";
    delivery.lastError = why;
    delivery.nextAttemptAt = std::nullopt;
    delivery.updatedAt = m_engine.clockNow();
    auto r = m_store.updateWebhookDelivery(delivery);
    if (r)
        Q_EMIT attempted(delivery.id, QStringLiteral("failed"));
    return r;
}

Result<int> WebhookDispatcher::sendDue()
{
    const store::Millis now = m_engine.clockNow();
    auto due = m_store.dueWebhookDeliveries(now, kSendBatch + int(m_inFlight.size()));
    if (!due)
        return due.error();
    int posted = 0;
    for (auto &delivery : *due) {
        if (m_inFlight.count(delivery.id))
            continue;
        auto automation = m_store.automationById(delivery.automationId);
        if (!automation) {
            if (automation.error().code == ErrorCode::NotFound)
                continue; // its deliveries go with it
            return automation.error();
        }
        const json url = automation->document.value(kWebhookUrl, json());
        if (!url.is_string() || url.get<std::string>().empty()) {
            if (auto r = fail(delivery, "the automation no longer has a webhook_url"); !r)
                return r.error();
            continue;
        }
        // The secret of now: a rotated secret signs the retries of older deliveries too.
        QByteArray secret;
        const json sealed = automation->document.value(kWebhookSecret, json());
        if (sealed.is_string()) {
            auto opened = m_codec ? m_codec.open(sealed.get<std::string>())
                                  : Result<std::string>(Error::unavailable("no key"));
            if (!opened) {
                if (auto r = fail(delivery, "webhook_secret cannot be opened with this store's "
                                            "key (it was sealed under another key)");
                    !r)
                    return r.error();
                continue;
            }
            secret = QByteArray::fromStdString(*opened);
        }
        const qint64 timestamp = now / 1000;
        json body = delivery.summary;
        body["timestamp"] = timestamp;
        body["attempt"] = delivery.attempts + 1;
        WebhookPost post;
        post.deliveryId = delivery.id;
        post.url = QUrl(QString::fromStdString(url.get<std::string>()));
        post.body = QByteArray::fromStdString(body.dump());
        post.timeoutMs = kTimeoutMs;
        post.headers.append({kTimestampHeader, QByteArray::number(timestamp)});
        post.headers.append({kDeliveryHeader, QByteArray::number(delivery.id)});
        post.headers.append({kEventHeader, QByteArrayLiteral("job.ended")});
        if (!secret.isEmpty())
            post.headers.append({kSignatureHeader, webhookSignature(secret, post.body)});
        delivery.url = url.get<std::string>();
        m_inFlight.emplace(delivery.id, delivery);
        m_sender->post(std::move(post));
        ++posted;
    }
    return posted;
}

void WebhookDispatcher::record(const WebhookOutcome &outcome)
{
    auto it = m_inFlight.find(outcome.deliveryId);
    if (it == m_inFlight.end())
        return;
    store::WebhookDeliveryRecord d = std::move(it->second);
    m_inFlight.erase(it);
    const store::Millis now = m_engine.clockNow();
    ++d.attempts;
    d.updatedAt = now;
    d.responseStatus = outcome.httpStatus > 0 ? std::optional(outcome.httpStatus) : std::nullopt;
    if (outcome.delivered) {
        d.status = "delivered";
        d.lastError.clear();
        d.nextAttemptAt = std::nullopt;
    } else if (d.attempts >= kMaxAttempts) {
        d.status = "failed";
        d.lastError = outcome.error.toStdString();
        d.nextAttemptAt = std::nullopt;
    } else {
        d.status = "pending";
        d.lastError = outcome.error.toStdString();
        d.nextAttemptAt =
            now + retryDelay(d.attempts, QRandomGenerator::global()->generateDouble());
    }
    auto saved = m_store.updateWebhookDelivery(d);
    if (!saved && saved.error().code != ErrorCode::NotFound)
        qWarning("flowdeck: the outcome of webhook delivery %lld was not recorded: %s",
                 static_cast<long long>(d.id), saved.error().message.c_str());
    Q_EMIT attempted(d.id, QString::fromStdString(d.status));
}

void WebhookDispatcher::tick()
{
    m_tickQueued = false;
    if (auto r = collect(); !r)
        qWarning("flowdeck: reading job ends for webhooks failed: %s", r.error().message.c_str());
    if (auto r = sendDue(); !r)
        qWarning("flowdeck: sending webhooks failed: %s", r.error().message.c_str());
}

void WebhookDispatcher::start()
{
    if (m_engine.manualClock())
        return;
    m_timer.start(1000);
    // A job's end is posted right after its commit rather than on the next poll.
    connect(&m_engine, &runtime::Engine::jobChanged, this,
            [this](const QString &, const QString &status) {
                if (m_tickQueued || status == QLatin1String("running") ||
                    status == QLatin1String("paused"))
                    return;
                m_tickQueued = true;
                QMetaObject::invokeMethod(this, &WebhookDispatcher::tick, Qt::QueuedConnection);
            });
    QMetaObject::invokeMethod(this, &WebhookDispatcher::tick, Qt::QueuedConnection);
}

} // namespace flowdeck::automations
