// SPDX-License-Identifier: GPL-3.0-or-later
// Reading the engine's JSON answers in the window: a field of a document as a QString or a
// time, or a member to read further, where anything missing or of another type reads as
// empty. Views never trust a document's shape; an engine of another version may answer.
#pragma once

#include "engine/model/JsonFields.h"

#include <QString>

#include <nlohmann/json.hpp>

namespace flowdeck::ui::jsonfields {

/// `object[key]` when `object` is an object holding it; otherwise a null value.
using fields::member;

/// The string at `object[key]`; "" when it is missing or not a string.
inline QString text(const nlohmann::json &object, const char *key)
{
    const nlohmann::json &value = member(object, key);
    return value.is_string() ? QString::fromStdString(value.get<std::string>()) : QString();
}

/// The number at `object[key]` as milliseconds since the epoch (or a span); 0 when missing.
inline qint64 millis(const nlohmann::json &object, const char *key)
{
    const nlohmann::json &value = member(object, key);
    return value.is_number() ? value.get<qint64>() : 0;
}

} // namespace flowdeck::ui::jsonfields
