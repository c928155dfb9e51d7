// SPDX-License-Identifier: GPL-3.0-or-later
// An Itential adapter package (the npm packages Itential's adapter builder generates) as an
// adapter definition Flowdeck runs natively: pronghorn.json's task methods with their ordered
// inputs, each bound through adapter.js to an entity action (entities/<Entity>/action.json with
// its request and response schemas and mock data files), plus the base methods every adapter
// has (healthCheck, genericAdapterRequest, genericAdapterRequestNoBasePath). Methods whose
// adapter.js is custom code are listed as unbound, with the reason.
//
// The normalised definition (what the store keeps):
//   {"source": "itential <package id>", "title", "version", "app": <pronghorn export>,
//    "defaults": <propertiesSchema defaults>, "unbound": [{name, reason}],
//    "methods": [{"name", "summary", "description", "task", "verb", "path",
//                 "inputs": [{"name", "type", "required", "schema"}], "inputSchema",
//                 "outputSchema", "binding": {… see PackageRequest.h …}}]}
#pragma once

#include "engine/adapters/PackageFolder.h"

#include "engine/model/Error.h"

#include <nlohmann/json.hpp>

#include <string>

namespace flowdeck::adapters {

/// The definition of a package given as files (above); Invalid naming each problem with the
/// file and JSON pointer where it is.
Result<nlohmann::json> definitionFromItentialPackage(const nlohmann::json &files);

/// True for a definition made from an Itential package.
bool isItentialDefinition(const nlohmann::json &definition);

} // namespace flowdeck::adapters
