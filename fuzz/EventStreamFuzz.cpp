// SPDX-License-Identifier: GPL-3.0-or-later
#include "fuzz/FuzzTargets.h"

#include "engine/api/EventJson.h"
#include "engine/model/JsonParse.h"

namespace flowdeck::fuzz {

int eventStream(const std::uint8_t *data, std::size_t size)
{
    // {"event": {kind, actor, data, …}, "job": {…}}: what the store hands back, in any shape
    // a damaged or hand-edited row could have.
    auto input = parseJson(std::string_view(reinterpret_cast<const char *>(data), size));
    if (!input || !input->is_object())
        return 0;
    const nlohmann::json event = input->value("event", nlohmann::json::object());
    store::JobEvent entry;
    entry.seq = 7;
    entry.jobId = "job";
    if (event.is_object()) {
        if (event.contains("kind") && event["kind"].is_string())
            entry.kind = event["kind"].get<std::string>();
        if (event.contains("actor") && event["actor"].is_string())
            entry.actor = event["actor"].get<std::string>();
        entry.data = event.value("data", nlohmann::json::object());
    }
    const nlohmann::json message =
        api::eventlog::eventJson(entry, input->value("job", nlohmann::json()));
    // How the stream frames it: invalid UTF-8 from the store is replaced, never thrown on.
    (void)message.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    return 0;
}

} // namespace flowdeck::fuzz
