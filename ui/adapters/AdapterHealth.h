// SPDX-License-Identifier: GPL-3.0-or-later
// How the window reads an adapter instance's connection as GET /health/adapters reports it
// ({state: ONLINE|OFFLINE|UNKNOWN, latency, error, checked, checking}): a light, a word and a
// sentence. GUI thread.
#pragma once

#include <QColor>
#include <QIcon>
#include <QString>

#include <nlohmann/json.hpp>

namespace flowdeck::ui::adapterhealth {

enum class State { Unknown, Online, Offline };

State stateOf(const nlohmann::json &connection);
/// Whether a check is under way (a Test connection not answered yet).
bool isChecking(const nlohmann::json &connection);
/// "Online", "Offline", "Not checked"; "Checking…" while a check runs.
QString word(const nlohmann::json &connection);
/// The sentence under the instance's name: what was found, how fast, how long ago, or why
/// the system could not be reached.
QString sentence(const nlohmann::json &connection, qint64 nowMs);
/// "12 ms", or empty when there was no answer to time.
QString latencyText(const nlohmann::json &connection);
/// The engine's words for why the last check failed; empty when it did not.
QString errorText(const nlohmann::json &connection);

/// Green, red, or the palette's grey for not known.
QColor color(State state);
/// A filled circle of that colour, `size` pixels across, for lists and the detail header.
QIcon light(State state, int size = 12);

} // namespace flowdeck::ui::adapterhealth
