// SPDX-License-Identifier: GPL-3.0-or-later
// Reading fields of documents from outside (workflows, JSTs, task values), where anything may
// hold anything: nlohmann's value(key, default) throws when the field has another type, which
// turned a JST step whose type was a number into an abort. These read a wrong type as absent.
#pragma once

#include <nlohmann/json.hpp>

#include <string>

namespace flowdeck::fields {

/// `object[key]` when `object` is an object holding it; otherwise a null value.
inline const nlohmann::json &member(const nlohmann::json &object, const char *key)
{
    static const nlohmann::json null;
    if (!object.is_object())
        return null;
    const auto it = object.find(key);
    return it != object.end() ? *it : null;
}

/// `object[key]` when it is an object; otherwise an empty object.
inline const nlohmann::json &objectAt(const nlohmann::json &object, const char *key)
{
    static const nlohmann::json empty = nlohmann::json::object();
    const nlohmann::json &value = member(object, key);
    return value.is_object() ? value : empty;
}

/// The string at `object[key]`; `fallback` when it is missing or not a string.
inline std::string textAt(const nlohmann::json &object, const char *key, std::string fallback = {})
{
    const nlohmann::json &value = member(object, key);
    return value.is_string() ? value.get<std::string>() : fallback;
}

} // namespace flowdeck::fields
