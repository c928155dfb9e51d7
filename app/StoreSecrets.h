// SPDX-License-Identifier: GPL-3.0-or-later
// The engine's SecretCodec for a store: its access::SecretBox (the key file beside the store,
// 0600, made the first time an engine runs on it). The window, serve and `flowdeck run` all
// seal and open encryption-decorated values through this (docs/engine.md, "Secrets").
#pragma once

#include "engine/model/Error.h"
#include "engine/runtime/SecretValues.h"

#include <string>

namespace flowdeck::app {

/// Fails when the key file cannot be read or made (the message says which file).
Result<runtime::SecretCodec> storeSecrets(const std::string &storePath);

} // namespace flowdeck::app
