// SPDX-License-Identifier: GPL-3.0-or-later
// Small helpers for ConsoleClient answers: run a function once a reply is in (and drop the
// reply), and the sentence to show a person for a failed answer.
#pragma once

#include "ui/client/ApiReply.h"

#include <QObject>
#include <QString>

#include <utility>

namespace flowdeck::ui {

/// Calls `done(response)` when `reply` finishes, unless `context` is gone by then; the reply
/// is deleted afterwards either way.
template <typename Done>
void whenFinished(ApiReply *reply, QObject *context, Done done)
{
    QObject::connect(reply, &ApiReply::finished, context,
                     [reply, done = std::move(done)]() mutable {
                         reply->deleteLater();
                         done(reply->response());
                     });
}

/// The engine's own message for a failed answer (it names what is wrong), or a plain
/// fallback naming the status when the answer carries none.
inline QString failureText(const api::ApiResponse &response)
{
    const auto &json = response.json;
    if (json.is_object() && json.contains("message") && json["message"].is_string() &&
        !json["message"].get_ref<const std::string &>().empty())
        return QString::fromStdString(json["message"].get<std::string>());
    return QObject::tr("The engine answered with status %1.").arg(response.status);
}

/// The `data` of an Operations Manager envelope {message, data, metadata}; the whole answer
/// when it is not one (Automation Studio routes answer bare documents).
inline const nlohmann::json &envelopeData(const api::ApiResponse &response)
{
    if (response.json.is_object() && response.json.contains("data"))
        return response.json["data"];
    return response.json;
}

} // namespace flowdeck::ui
