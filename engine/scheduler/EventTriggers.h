// SPDX-License-Identifier: GPL-3.0-or-later
// Event triggers fire: every event Flowdeck emits or is posted is matched against the enabled
// eventSystem triggers of its source and topic; one whose schema filter the payload passes
// starts its automation's job (through RunGate, so run policies apply) with the payload, or
// its JST's result, as the job's variables.
//
// Events come from two logs read after durable cursors (settings keys), as WebhookDispatcher
// reads job ends: the job event log (job created, status changed, manual task waiting, owner
// changed, task finished) and system_events (posted events, an adapter instance going down,
// missed schedule runs, trigger runs). Each (trigger, event) is handled once, ever: its
// event_trigger_fires row is written in the same transaction as the job it starts, so a crash
// between reading and committing starts it after the restart, and a crash after does not
// start it again. The cursors only save re-reading.
#pragma once

#include "engine/model/Error.h"
#include "engine/store/Records.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

namespace flowdeck::store {
class Store;
}
namespace flowdeck::runtime {
class Engine;
}

namespace flowdeck::scheduler {

/// One event as a trigger sees it.
struct TriggerEvent
{
    std::string key; ///< "job:<seq>" or "system:<seq>": what event_trigger_fires records
    std::string source;
    std::string topic;
    nlohmann::json payload = nlohmann::json::object();
    /// The trigger that started the job the event is about (or that ran, for
    /// triggerExecuted): that trigger does not fire on it, so it cannot start itself forever.
    std::optional<std::string> causedByTrigger;
};

class EventTriggers
{
public:
    static constexpr const char *kJobCursorKey = "eventTriggers.jobCursor";
    static constexpr const char *kSystemCursorKey = "eventTriggers.systemCursor";
    /// Events read per log per dispatch; a longer backlog is read over the following ones.
    static constexpr int kBatch = 500;

    EventTriggers(store::Store &store, runtime::Engine &engine);

    /// Reads the events after both cursors and starts the jobs they match; answers how many
    /// started (queued ones included).
    Result<int> dispatch();

    /// The event a job event is, for the catalogue's job and task topics; nullopt for kinds
    /// that are no catalogue event (and for a taskStarted of a task that is not manual).
    static std::optional<TriggerEvent> fromJobEvent(store::Store &store,
                                                    const store::JobEvent &event);

    /// Whether `trigger` (enabled, eventSystem) fires on `event`: same source and topic, not
    /// its own doing, and the payload passes its schema. Invalid naming the trigger when its
    /// schema cannot be compiled.
    static Result<bool> matches(const store::TriggerRecord &trigger, const TriggerEvent &event);

    /// The job variables `trigger` gives `event`: the payload, or its JST's result; with
    /// legacyWrapper, {"event": that}. Conflict when the JST is gone; Invalid when it fails
    /// or its result is not an object.
    static Result<nlohmann::json>
    variables(store::Store &store, const store::TriggerRecord &trigger, const TriggerEvent &event);

    /// Records that adapter instance `instance` went down (its health entry `entry`: state,
    /// error) as the event @flowdeck/adapters instanceDown. The adapter runner calls it.
    static Result<std::int64_t> adapterWentDown(store::Store &store, const std::string &instance,
                                                const nlohmann::json &entry, store::Millis at);

private:
    Result<int> handle(const std::vector<store::TriggerRecord> &triggers,
                       const TriggerEvent &event);

    store::Store &m_store;
    runtime::Engine &m_engine;
};

} // namespace flowdeck::scheduler
