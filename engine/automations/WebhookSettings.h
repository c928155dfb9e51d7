// SPDX-License-Identifier: GPL-3.0-or-later
// An automation's completion webhook: `webhook_url` (http or https, no credentials in it) and
// `webhook_secret` (the HMAC key receivers verify with). The secret is sealed with the store's
// SecretBox before it is stored, so answers show it masked and it is opened only to sign.
#pragma once

#include "engine/model/Error.h"
#include "engine/runtime/SecretValues.h"
#include "engine/validate/ValidationIssue.h"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace flowdeck::automations {

inline constexpr const char *kWebhookUrl = "webhook_url";
inline constexpr const char *kWebhookSecret = "webhook_secret";
/// A secret shorter than this is refused: it would be guessable from signed bodies.
inline constexpr std::size_t kMinSecretLength = 16;

/// Whether `key` is one of the webhook's fields of an automation document.
bool isWebhookField(const std::string &key);

/// Problems with the webhook fields of `doc` (an automation document), each at its pointer.
/// A sealed or masked secret is accepted: it is what a stored document holds and what the
/// window sends back unchanged.
void checkWebhook(const nlohmann::json &doc, std::vector<validate::ValidationIssue> &issues);

/// Makes `doc`'s webhook fields ready to store: a new secret is sealed; the mask (a client
/// sending back what it was shown) keeps `previous`'s sealed secret; null or "" removes the
/// secret, and a null or empty url removes the webhook. Unavailable when a secret must be
/// sealed and there is no key.
Result<void> sealWebhook(nlohmann::json &doc, const nlohmann::json &previous,
                         const runtime::SecretCodec &codec);

} // namespace flowdeck::automations
