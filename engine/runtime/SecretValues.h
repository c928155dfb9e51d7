// SPDX-License-Identifier: GPL-3.0-or-later
// Encryption decorators ({"type": "encryption", "pointer": …} on a workflow and on its tasks):
// the values they point at are kept sealed wherever the engine records them (job variables,
// task runs, the event log) and opened only for the task that consumes them. The engine does
// not hold the key: a SecretCodec (in the app, access::SecretBox of the store) seals and
// opens, so the runtime stays free of key files and libsodium (docs/engine.md, "Secrets").
#pragma once

#include "engine/model/Error.h"

#include <nlohmann/json.hpp>

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace flowdeck::runtime {

struct SecretCodec
{
    std::function<std::string(std::string_view plain)> seal;
    std::function<Result<std::string>(std::string_view sealed)> open;
    std::function<bool(std::string_view text)> isSealed;

    explicit operator bool() const { return seal && open && isSealed; }
};

/// Every leaf of `value` sealed: strings, numbers, booleans and nulls each become one sealed
/// string of their JSON text (so a number comes back a number); objects and arrays keep their
/// shape, so "$var.job.creds#/password" still finds its leaf. Sealed leaves are left alone.
nlohmann::json sealLeaves(const nlohmann::json &value, const SecretCodec &codec);

/// Every sealed string inside `value` replaced by the value it holds. Invalid (never naming
/// the value) when one cannot be opened: sealed under another key, or altered.
Result<nlohmann::json> openLeaves(const nlohmann::json &value, const SecretCodec &codec);

/// Whether any string inside `value` is sealed.
bool hasSealed(const nlohmann::json &value, const SecretCodec &codec);

/// The pointers of the encryption decorators in `decorators` (a workflow's or a task's
/// `variables.decorators`); anything else in the list is ignored.
std::vector<std::string> encryptionPointers(const nlohmann::json &decorators);

/// The job-document pointers of a workflow document's own encryption decorators. Exports write
/// them "/variables/<name>…"; a bare "/<name>…" is taken to mean the same job variable.
std::vector<std::string> jobVariablePointers(const nlohmann::json &workflowDocument);

/// Seals, inside `document`, the value at each pointer that exists (a pointer to nothing is
/// skipped: the value may come later).
void sealAt(nlohmann::json &document, const std::vector<std::string> &pointers,
            const SecretCodec &codec);

} // namespace flowdeck::runtime
