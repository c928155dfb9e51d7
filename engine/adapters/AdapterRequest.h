// SPDX-License-Identifier: GPL-3.0-or-later
// Builds the HTTP request of one adapter method call from the task's incoming values and the
// instance's properties: URL (protocol, host, port, base_path, version, the method's path with
// its path inputs), query, headers and body. Authentication is added by the client, since
// tokens change between attempts.
#pragma once

#include "engine/adapters/AdapterOutcome.h"

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QUrl>

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

namespace flowdeck::adapters {

struct AdapterRequest
{
    QByteArray verb;
    QUrl url;
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;
    /// Each attempt's limit in ms when the method sets its own (a package action's
    /// `timeout`); else the properties' request.attempt_timeout applies.
    int attemptTimeoutMs = 0;
};

/// The scheme, host and port of the instance (https when ssl.enabled), with `path` joined to
/// it. `underBasePath`: prefix base_path and version (methods), or not (token requests, which
/// Itential joins to the host alone).
QUrl instanceUrl(const nlohmann::json &properties, const std::string &path, bool underBasePath);

/// The request for `method` (a method of a normalised definition) with `input`; or the error
/// object (AD.301) naming a required input that is missing, before anything is sent.
std::optional<AdapterOutcome> buildRequest(const nlohmann::json &properties,
                                           const nlohmann::json &method,
                                           const nlohmann::json &input, const std::string &origin,
                                           AdapterRequest &out);

/// An auth_field_format with {token}, {username}, {password} and {b64}…{/b64} filled in.
QByteArray formatCredential(const std::string &format, const std::string &token,
                            const std::string &username, const std::string &password);

} // namespace flowdeck::adapters
