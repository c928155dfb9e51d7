// SPDX-License-Identifier: GPL-3.0-or-later
// The secrets of a properties form: which fields they are (a JSON Schema marks them
// "format": "password"), and what a save sends for them. The engine never answers a stored
// secret, only the mask ("********"); the form shows such a field empty and sends the mask
// back when it was left empty, which the engine reads as "keep what is stored". A secret
// typed in is sent as typed. GUI thread, no state.
#pragma once

#include <QStringList>

#include <nlohmann/json.hpp>

namespace flowdeck::ui::secretfields {

/// What the engine shows in place of a stored secret.
inline constexpr const char *kMask = "********";

/// The JSON pointers of the password fields of an object schema, nested objects included.
QStringList pointers(const nlohmann::json &schema);

/// Whether `stored` (the engine's masked properties) holds a secret at `pointer`.
bool isStored(const nlohmann::json &stored, const QString &pointer);

/// `stored` with every secret cleared: what the form is filled with, so no field ever holds
/// the mask (it is not the value, and saving it typed would keep nothing).
nlohmann::json withoutSecrets(nlohmann::json stored, const QStringList &pointers);

/// The properties to send: `edited` (the form's values) with the mask put back for each
/// stored secret the operator left empty.
nlohmann::json forSave(nlohmann::json edited, const nlohmann::json &stored,
                       const QStringList &pointers);

} // namespace flowdeck::ui::secretfields
