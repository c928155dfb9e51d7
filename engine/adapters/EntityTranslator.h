// SPDX-License-Identifier: GPL-3.0-or-later
// The field translation of Itential adapter packages, as adapter-utils' translator does it:
// an entity's schema.json names, for each internal field, its `external_name` in the system's
// API (a dotted path, with [n] for array items; "" drops the field). Outbound (a request's body
// and query) fills the schema's defaults, validates against the schema (the action must be in
// `ph_request_type`'s enum), drops ph_request_type and builds the external object; inbound
// (answers) does the reverse. `translate: false` passes data through; `dynamicfields: true`
// keeps fields the schema does not name.
#pragma once

#include "engine/model/Error.h"

#include <nlohmann/json.hpp>

#include <string>

namespace flowdeck::adapters {

/// Data as the system expects it, for `action`; Invalid ("Schema validation failed on …")
/// when the data with its defaults does not conform.
Result<nlohmann::json> toExternal(nlohmann::json data, const nlohmann::json &schema,
                                  const std::string &action);

/// An answer as workflows read it (the internal names).
Result<nlohmann::json> fromExternal(const nlohmann::json &data, const nlohmann::json &schema);

} // namespace flowdeck::adapters
