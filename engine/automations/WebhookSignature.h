// SPDX-License-Identifier: GPL-3.0-or-later
// How a completion webhook's body is signed, so a receiver can tell it came from this
// Flowdeck and was not changed or replayed: X-Flowdeck-Signature: sha256=<hex HMAC-SHA256 of
// the exact body bytes, keyed with the automation's webhook_secret>. The body carries its
// `timestamp` (seconds since the epoch, also in X-Flowdeck-Timestamp), so the signature covers
// it: a receiver rejects a body whose timestamp is more than a few minutes from its own clock,
// and one whose X-Flowdeck-Delivery id + attempt it has seen (docs/automations.md).
#pragma once

#include <QByteArray>

namespace flowdeck::automations {

inline constexpr const char *kSignatureHeader = "X-Flowdeck-Signature";
inline constexpr const char *kTimestampHeader = "X-Flowdeck-Timestamp";
inline constexpr const char *kDeliveryHeader = "X-Flowdeck-Delivery";
inline constexpr const char *kEventHeader = "X-Flowdeck-Event";

/// "sha256=" + lowercase hex HMAC-SHA256(secret, body).
QByteArray webhookSignature(const QByteArray &secret, const QByteArray &body);

/// Whether `header` is the signature of `body` under `secret`, compared in constant time.
bool verifyWebhookSignature(const QByteArray &secret, const QByteArray &body,
                            const QByteArray &header);

} // namespace flowdeck::automations
