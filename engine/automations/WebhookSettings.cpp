// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/automations/WebhookSettings.h"

#include "engine/access/SecretBox.h"

#include <QUrl>

namespace flowdeck::automations {

using nlohmann::json;
using validate::ValidationIssue;

namespace {

ValidationIssue issue(const std::string &pointer, const std::string &keyword,
                      const std::string &message)
{
    return {keyword,        pointer, "#/flowdeck/automation/webhook/" + keyword,
            json::object(), message, validate::Severity::Error};
}

bool isMask(const json &value)
{
    return value.is_string() && value.get<std::string>() == access::SecretBox::kMask;
}

} // namespace

bool isWebhookField(const std::string &key)
{
    return key == kWebhookUrl || key == kWebhookSecret;
}

void checkWebhook(const json &doc, std::vector<ValidationIssue> &issues)
{
    const std::string urlPointer = std::string("/") + kWebhookUrl;
    const json url = doc.value(kWebhookUrl, json());
    if (!url.is_null() && !url.is_string()) {
        issues.push_back(issue(urlPointer, "type", "webhook_url must be a URL string or null"));
    } else if (url.is_string() && !url.get<std::string>().empty()) {
        const std::string text = url.get<std::string>();
        const QUrl parsed(QString::fromStdString(text), QUrl::StrictMode);
        if (text.size() > 2048)
            issues.push_back(issue(urlPointer, "maxLength", "webhook_url is longer than 2048"));
        else if (!parsed.isValid() || parsed.host().isEmpty() ||
                 (parsed.scheme() != QLatin1String("http") &&
                  parsed.scheme() != QLatin1String("https")))
            issues.push_back(issue(urlPointer, "format",
                                   "webhook_url must be an absolute http:// or https:// URL"));
        else if (!parsed.userInfo().isEmpty())
            // The URL is shown in the delivery log and the window; a key belongs in the secret.
            issues.push_back(issue(urlPointer, "format",
                                   "webhook_url must not carry a user or password: receivers "
                                   "check the signature made with webhook_secret"));
    }
    const std::string secretPointer = std::string("/") + kWebhookSecret;
    const json secret = doc.value(kWebhookSecret, json());
    if (secret.is_null() || isMask(secret))
        return;
    if (!secret.is_string()) {
        issues.push_back(issue(secretPointer, "type", "webhook_secret must be a string or null"));
        return;
    }
    const std::string text = secret.get<std::string>();
    if (text.empty() || access::SecretBox::isSealed(text))
        return;
    if (text.size() < kMinSecretLength)
        issues.push_back(issue(secretPointer, "minLength",
                               "webhook_secret must be at least " +
                                   std::to_string(kMinSecretLength) + " characters"));
    else if (text.size() > 1024)
        issues.push_back(issue(secretPointer, "maxLength", "webhook_secret is longer than 1024"));
    if (!url.is_string() || url.get<std::string>().empty())
        issues.push_back(issue(secretPointer, "dependentRequired",
                               "webhook_secret needs a webhook_url to sign deliveries to"));
}

Result<void> sealWebhook(json &doc, const json &previous, const runtime::SecretCodec &codec)
{
    const json url = doc.value(kWebhookUrl, json());
    if (!url.is_string() || url.get<std::string>().empty()) {
        doc.erase(kWebhookUrl);
        doc.erase(kWebhookSecret);
        return {};
    }
    json secret = doc.value(kWebhookSecret, json());
    if (isMask(secret))
        secret = previous.is_object() ? previous.value(kWebhookSecret, json()) : json();
    if (!secret.is_string() || secret.get<std::string>().empty()) {
        doc.erase(kWebhookSecret);
        return {};
    }
    const std::string text = secret.get<std::string>();
    if (access::SecretBox::isSealed(text)) {
        // Only the stored document's own token is kept: a client cannot plant a token.
        if (!previous.is_object() || previous.value(kWebhookSecret, json()) != secret)
            return Error::invalid("webhook_secret: send the secret itself, not a sealed token",
                                  {{"instancePath", std::string("/") + kWebhookSecret}});
        doc[kWebhookSecret] = secret;
        return {};
    }
    if (!codec)
        return Error::unavailable("this server has no key to seal webhook_secret with");
    doc[kWebhookSecret] = codec.seal(text);
    return {};
}

} // namespace flowdeck::automations
