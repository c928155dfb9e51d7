// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/scheduler/EventTriggers.h"

#include "engine/jst/JstEvaluator.h"
#include "engine/model/JsonFields.h"
#include "engine/runtime/Engine.h"
#include "engine/scheduler/TriggerJobs.h"
#include "engine/store/Store.h"
#include "engine/validate/JsonSchema.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <set>

namespace flowdeck::scheduler {

using nlohmann::json;

namespace {

constexpr const char *kOpsManager = "@itential/app-operations_manager";
constexpr const char *kWorkflowEngine = "@itential/app-workflow_engine";
/// Who starts an event trigger's job, as the job's history shows it.
constexpr const char *kActor = "Operations Manager";

/// The job event kinds that are catalogue events.
const std::vector<std::string> kJobKinds = {"jobCreated", "jobStatus",    "taskStarted",
                                            "taskOwner",  "taskFinished", "taskRan"};

json orNull(const std::optional<std::string> &s)
{
    return s ? json(*s) : json(nullptr);
}

std::int64_t cursor(store::Store &store, const char *key)
{
    auto text = store.setting(key);
    if (!text || !*text)
        return 0;
    return std::strtoll((*text)->c_str(), nullptr, 10);
}

/// The status the job had before the jobStatus event `seq`: that of the jobStatus before it,
/// else running (a job starts running).
std::string previousStatus(store::Store &store, const std::string &jobId, std::int64_t seq)
{
    for (std::int64_t before = seq;;) {
        auto page = store.jobEventsBefore(jobId, before, 100);
        if (!page || page->empty())
            return "running";
        for (const auto &e : *page)
            if (e.kind == "jobStatus")
                return fields::textAt(e.data, "status");
        before = page->back().seq;
    }
}

/// The iteration a taskOwner event is about: the task's current one in the job document.
json currentIteration(const json &task)
{
    const json &iterations = fields::member(task, "iterations");
    return iterations.is_array() && !iterations.empty() ? iterations.back() : json(nullptr);
}

} // namespace

EventTriggers::EventTriggers(store::Store &store, runtime::Engine &engine)
    : m_store(store), m_engine(engine)
{}

std::optional<TriggerEvent> EventTriggers::fromJobEvent(store::Store &store,
                                                        const store::JobEvent &e)
{
    auto job = store.job(e.jobId);
    if (!job)
        return std::nullopt; // deleted since: nothing to tell
    const json &doc = job->document;
    const json &run = fields::member(doc, "run");
    TriggerEvent event;
    event.key = "job:" + std::to_string(e.seq);
    if (const json &t = fields::member(run, "triggerId"); t.is_string())
        event.causedByTrigger = t.get<std::string>();
    const json automationId = fields::member(run, "automationId").is_string()
                                  ? fields::member(run, "automationId")
                                  : json(nullptr);
    const std::string taskKey = fields::textAt(e.data, "task");
    const json &task = fields::member(fields::member(doc, "tasks"), taskKey.c_str());
    if (e.kind == "jobCreated") {
        const json &info = fields::member(e.data, "job");
        const json &parent = fields::member(info, "parent");
        event.source = kOpsManager;
        event.topic = "jobCreated";
        event.payload = {{"jobId", e.jobId},
                         {"name", job->name},
                         {"description", job->description},
                         {"status", "running"},
                         {"parentJobId", parent.is_string() ? parent : json(nullptr)},
                         {"automationId", automationId},
                         {"workflowId", orNull(job->workflowId)},
                         {"triggerId", orNull(event.causedByTrigger)},
                         {"startedBy", orNull(e.actor)},
                         {"groups", fields::member(info, "groups").is_array()
                                        ? fields::member(info, "groups")
                                        : json::array()},
                         {"at", e.at}};
    } else if (e.kind == "jobStatus") {
        event.source = kOpsManager;
        event.topic = "jobStatusChanged";
        const json &message = fields::member(e.data, "message");
        event.payload = {{"jobId", e.jobId},
                         {"name", job->name},
                         {"status", fields::textAt(e.data, "status")},
                         {"previousStatus", previousStatus(store, e.jobId, e.seq)},
                         {"message", message.is_string() ? message : json(nullptr)},
                         {"automationId", automationId},
                         {"workflowId", orNull(job->workflowId)},
                         {"by", orNull(e.actor)},
                         {"at", e.at}};
    } else if (e.kind == "taskStarted") {
        if (fields::textAt(task, "type") != "manual")
            return std::nullopt;
        event.source = kWorkflowEngine;
        event.topic = "taskAvailable";
        event.payload = {{"jobId", e.jobId},
                         {"taskId", taskKey},
                         {"iterationId", fields::member(e.data, "iteration")},
                         {"name", fields::textAt(task, "name")},
                         {"summary", fields::textAt(task, "summary")},
                         {"groups", fields::member(task, "groups").is_array()
                                        ? fields::member(task, "groups")
                                        : json::array()},
                         {"at", e.at}};
    } else if (e.kind == "taskOwner") {
        event.source = kWorkflowEngine;
        event.topic = "taskOwnerChanged";
        const json &owner = fields::member(e.data, "owner");
        const json &by = fields::member(e.data, "by");
        event.payload = {{"jobId", e.jobId},
                         {"taskId", taskKey},
                         {"iterationId", currentIteration(task)},
                         {"owner", owner.is_string() ? owner : json(nullptr)},
                         {"by", by.is_string() ? by : orNull(e.actor)},
                         {"at", e.at}};
    } else if (e.kind == "taskFinished" || e.kind == "taskRan") {
        event.source = kWorkflowEngine;
        event.topic = "taskFinished";
        const json &user = fields::member(e.data, "user");
        event.payload = {{"jobId", e.jobId},
                         {"taskId", taskKey},
                         {"iterationId", fields::member(e.data, "iteration")},
                         {"finishState", fields::textAt(e.data, "finishState")},
                         {"by", user.is_string() ? user : orNull(e.actor)},
                         {"at", e.at}};
    } else {
        return std::nullopt;
    }
    return event;
}

Result<bool> EventTriggers::matches(const store::TriggerRecord &trigger, const TriggerEvent &event)
{
    if (fields::textAt(trigger.document, "source") != event.source ||
        fields::textAt(trigger.document, "topic") != event.topic)
        return false;
    if (event.causedByTrigger == trigger.id)
        return false;
    const json &schema = fields::member(trigger.document, "schema");
    if (schema.is_null())
        return true;
    auto compiled = validate::JsonSchema::compile(schema);
    if (!compiled)
        return Error::invalid("trigger \"" + trigger.name + "\" has a schema that is not valid");
    return compiled->validate(event.payload).empty();
}

Result<json> EventTriggers::variables(store::Store &store, const store::TriggerRecord &trigger,
                                      const TriggerEvent &event)
{
    json variables = event.payload;
    if (const json &jst = fields::member(trigger.document, "jst"); jst.is_string()) {
        auto stored = store.transformationById(jst.get<std::string>());
        if (!stored)
            return Error::conflict("the JST " + jst.get<std::string>() + " of trigger \"" +
                                   trigger.name + "\" no longer exists");
        auto document = jst::JstDocument::parse(stored->document);
        if (!document)
            return Error::conflict("the JST of trigger \"" + trigger.name + "\" is not valid");
        auto out = jst::run(*document, event.payload);
        if (!out)
            return Error::invalid("the JST of trigger \"" + trigger.name +
                                  "\" failed on the event: " + out.error().message);
        variables = std::move(*out);
    }
    if (fields::member(trigger.document, "legacyWrapper") == true)
        variables = {{"event", std::move(variables)}};
    if (!variables.is_object())
        return Error::invalid("the JST of trigger \"" + trigger.name +
                              "\" must produce an object: its fields become the job's variables");
    return variables;
}

Result<int> EventTriggers::handle(const std::vector<store::TriggerRecord> &triggers,
                                  const TriggerEvent &event)
{
    int started = 0;
    const store::Millis now = m_engine.clockNow();
    for (const auto &trigger : triggers) {
        auto match = matches(trigger, event);
        if (match && !*match)
            continue;
        std::string jobId, failure;
        // One transaction: the (trigger, event) row and the job it starts are committed
        // together.
        auto done = m_store.transaction([&]() -> Result<void> {
            auto already = m_store.eventTriggerFired(trigger.id, event.key);
            if (!already)
                return already.error();
            if (*already)
                return {};
            auto automation = m_store.automationById(trigger.automationId);
            auto vars = match ? variables(m_store, trigger, event) : Result<json>(match.error());
            Result<RunOutcome> job =
                !automation ? Result<RunOutcome>(automation.error())
                : !vars     ? Result<RunOutcome>(vars.error())
                        : startTriggerJob(m_store, m_engine, *automation, trigger, std::move(*vars),
                                          {kActor, std::nullopt, {}});
            if (!job) {
                failure = job.error().message;
                return job.error();
            }
            jobId = fields::textAt(job->job, "_id");
            return m_store.recordEventTriggerFire(
                {trigger.id, event.key, "started", jobId, {}, now});
        });
        if (!done) {
            if (failure.empty())
                return done.error();
            // Recorded once, as failed: the event is not tried again.
            if (auto r = m_store.recordEventTriggerFire(
                    {trigger.id, event.key, "failed", std::nullopt, failure, now});
                !r && r.error().code != ErrorCode::Conflict)
                return r.error();
            std::fprintf(stderr, "flowdeck: event trigger \"%s\": %s: %s\n", trigger.name.c_str(),
                         event.key.c_str(), failure.c_str());
            continue;
        }
        if (jobId.empty())
            continue; // handled before a restart
        ++started;
        if (auto r = m_store.markTriggerExecuted(trigger.id, now, std::nullopt);
            !r && r.error().code != ErrorCode::NotFound)
            return r.error();
    }
    return started;
}

Result<std::int64_t> EventTriggers::adapterWentDown(store::Store &store,
                                                    const std::string &instance, const json &entry,
                                                    store::Millis at)
{
    store::SystemEventRecord event;
    event.source = "@flowdeck/adapters";
    event.topic = "instanceDown";
    event.at = at;
    const json &error = fields::member(entry, "error");
    event.payload = {{"instance", instance},
                     {"state", "OFFLINE"},
                     {"error", error.is_string() ? error : json(nullptr)},
                     {"at", at}};
    return store.appendSystemEvent(event);
}

Result<int> EventTriggers::dispatch()
{
    auto triggers = m_store.enabledEventTriggers();
    if (!triggers)
        return triggers.error();
    std::set<std::pair<std::string, std::string>> wanted;
    for (const auto &t : *triggers)
        wanted.emplace(fields::textAt(t.document, "source"), fields::textAt(t.document, "topic"));
    int started = 0;

    // The job event log.
    const std::int64_t jobFrom = cursor(m_store, kJobCursorKey);
    auto jobUpTo = m_store.lastJobEventSeq();
    if (!jobUpTo)
        return jobUpTo.error();
    if (*jobUpTo > jobFrom) {
        // Without a trigger on a job or task topic the events are only skipped over.
        const bool anyJobTopic = std::any_of(wanted.begin(), wanted.end(), [](const auto &w) {
            return w.first == kOpsManager || w.first == kWorkflowEngine;
        });
        std::int64_t next = *jobUpTo;
        if (anyJobTopic) {
            auto events = m_store.jobEventsOfKinds(jobFrom, *jobUpTo, kJobKinds, kBatch);
            if (!events)
                return events.error();
            if (int(events->size()) == kBatch)
                next = events->back().seq;
            for (const auto &e : *events) {
                auto event = fromJobEvent(m_store, e);
                if (!event || !wanted.count({event->source, event->topic}))
                    continue;
                auto n = handle(*triggers, *event);
                if (!n)
                    return n.error();
                started += *n;
            }
        }
        if (auto r = m_store.setSetting(kJobCursorKey, std::to_string(next)); !r)
            return r.error();
    }

    // Posted events and Flowdeck's own outside job logs.
    const std::int64_t systemFrom = cursor(m_store, kSystemCursorKey);
    auto systemUpTo = m_store.lastSystemEventSeq();
    if (!systemUpTo)
        return systemUpTo.error();
    if (*systemUpTo > systemFrom) {
        auto events = m_store.systemEventsAfter(systemFrom, *systemUpTo, kBatch);
        if (!events)
            return events.error();
        const std::int64_t next = int(events->size()) == kBatch ? events->back().seq : *systemUpTo;
        for (const auto &e : *events) {
            if (!wanted.count({e.source, e.topic}))
                continue;
            TriggerEvent event{"system:" + std::to_string(e.seq), e.source, e.topic, e.payload,
                               std::nullopt};
            if (e.topic == "triggerExecuted")
                if (const json &t = fields::member(e.payload, "triggerId"); t.is_string())
                    event.causedByTrigger = t.get<std::string>();
            auto n = handle(*triggers, event);
            if (!n)
                return n.error();
            started += *n;
        }
        if (auto r = m_store.setSetting(kSystemCursorKey, std::to_string(next)); !r)
            return r.error();
    }
    return started;
}

} // namespace flowdeck::scheduler
