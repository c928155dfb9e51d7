// SPDX-License-Identifier: GPL-3.0-or-later
// Sealed values (access::SecretBox tokens: encryption-decorated job variables, task values)
// never leave through an answer: every one is shown as SecretBox::kMask. EngineApi::dispatch
// applies it to every answer, so the REST API, the window (through LocalClient) and the event
// log all show the mask; `flowdeck run` applies it to the job it prints.
#pragma once

#include <nlohmann/json.hpp>

namespace flowdeck::api {

/// Replaces every sealed string inside `value` (keys are left alone) with the mask.
void maskSealed(nlohmann::json &value);

} // namespace flowdeck::api
