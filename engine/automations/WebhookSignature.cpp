// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/automations/WebhookSignature.h"

#include <QCryptographicHash>
#include <QMessageAuthenticationCode>

namespace flowdeck::automations {

QByteArray webhookSignature(const QByteArray &secret, const QByteArray &body)
{
    QByteArray header("sha256=");
    header.append(
        QMessageAuthenticationCode::hash(body, secret, QCryptographicHash::Sha256).toHex());
    return header;
}

bool verifyWebhookSignature(const QByteArray &secret, const QByteArray &body,
                            const QByteArray &header)
{
    const QByteArray expected = webhookSignature(secret, body);
    if (header.size() != expected.size())
        return false;
    // Constant time: how far a guess matches must not show in how long the check takes.
    unsigned char diff = 0;
    for (qsizetype i = 0; i < expected.size(); ++i)
        diff |= static_cast<unsigned char>(expected[i] ^ header[i]);
    return diff == 0;
}

} // namespace flowdeck::automations
