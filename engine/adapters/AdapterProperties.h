// SPDX-License-Identifier: GPL-3.0-or-later
// An adapter instance's properties, in Itential's adapter property shape (host, port,
// base_path, version, protocol, authentication, healthcheck, throttle, request, ssl, proxy):
// their JSON Schema, their defaults, and which of them are secrets.
#pragma once

#include "engine/model/Error.h"

#include <nlohmann/json.hpp>

#include <functional>
#include <string>
#include <vector>

namespace flowdeck::adapters {

/// The JSON Schema of the properties (draft 2020-12 keywords the engine's validator knows).
/// Unknown top-level properties are allowed: real Itential property files carry more (cache,
/// mongo, …) than a Flowdeck instance uses.
const nlohmann::json &propertiesSchema();

/// `properties` checked against the schema and completed with every default; Invalid with
/// the issues as details, each naming its property by JSON pointer (/authentication/…).
Result<nlohmann::json> normalizeProperties(const nlohmann::json &properties);

/// The JSON pointers of the secrets: passwords, tokens, client secrets.
const std::vector<std::string> &secretPointers();

/// `properties` with each present, non-empty secret replaced by `change(pointer, value)`;
/// what seals, opens and masks them. An Error from `change` stops the walk.
Result<nlohmann::json> mapSecrets(
    nlohmann::json properties,
    const std::function<Result<std::string>(const std::string &pointer, const std::string &value)>
        &change);

/// Every secret replaced by the mask ("********"): what every answer shows.
nlohmann::json maskSecrets(nlohmann::json properties);

} // namespace flowdeck::adapters
