// SPDX-License-Identifier: GPL-3.0-or-later
// What each method of an Itential adapter package's adapter.js does, read from the generated
// code without running it: Itential's adapter builder writes every REST method to one pattern
// (check the required inputs, collect queryParamsAvailable, pathVars and bodyVars, then call
// identifyRequest('<Entity>', '<action>', reqObj, returnData)). A method that departs from the
// pattern (custom code) is reported by name with the reason, never guessed at.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

namespace flowdeck::adapters {

/// For each method of the adapter class, by name, either its binding
///   {"params": [names], "required": [names], "entity", "action", "returnData": bool,
///    "pathVars": [names], "query": [[key, name]…], "body": {"input": name} |
///    {"object": [[key, name]…]} | null, "headers": same shape | null}
/// or {"params": [...], "unbound": "why"}.
nlohmann::json readAdapterJs(std::string_view source);

} // namespace flowdeck::adapters
