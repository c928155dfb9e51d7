// SPDX-License-Identifier: GPL-3.0-or-later
// One job event as GET /events and the /events/stream WebSocket both send it. Apart from the
// route so the stream and the fuzzer (fuzz/EventStreamFuzz) reach it without the engine.
#pragma once

#include "engine/store/Records.h"

#include <nlohmann/json.hpp>

namespace flowdeck::api::eventlog {

/// {seq, jobId, jobName, at, actor, kind, data}, plus taskName when data.task names a task of
/// `job` (its summary, else its method name). `job` is the job's document, or null when it
/// could not be read.
nlohmann::json eventJson(const store::JobEvent &event, const nlohmann::json &job);

} // namespace flowdeck::api::eventlog
