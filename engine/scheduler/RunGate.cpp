// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/scheduler/RunGate.h"

#include "engine/model/Ids.h"
#include "engine/model/JsonFields.h"
#include "engine/runtime/Engine.h"
#include "engine/scheduler/RunPolicy.h"
#include "engine/store/Store.h"

#include <QDateTime>
#include <QTimeZone>

#include <cstdio>

namespace flowdeck::scheduler {

using nlohmann::json;

namespace {

/// Who cancels a job that ran past timeout_secs, as the job's history shows it.
constexpr const char *kPolicyActor = "Flowdeck run policy";

/// Whether deciding a start needs the automation's other runs: not when its policy limits
/// nothing and there is no key to deduplicate. Without this, every start of a busy automation
/// read every run started in the same scheduler pass (they stay open until the next pump), so a
/// minute of 1,000 triggers on one automation read half a million rows. A run left queued by
/// an earlier, stricter policy is started by the next pump (within a second) instead of
/// holding this one behind it.
bool needsOtherRuns(const RunPolicy &policy, const store::AutomationRunRecord &run)
{
    return policy.maxConcurrency || policy.maxConcurrencyPerKey || policy.rateLimitMax ||
           policy.window || (policy.dedupWindowSecs && run.idempotencyKey);
}

json principalJson(const std::optional<model::Principal> &p)
{
    if (!p)
        return nullptr;
    return {{"userId", p->userId},
            {"username", p->username},
            {"groups", p->groups},
            {"admin", p->admin}};
}

std::optional<model::Principal> principalFrom(const json &j)
{
    if (!j.is_object())
        return std::nullopt;
    model::Principal p;
    p.userId = fields::textAt(j, "userId");
    p.username = fields::textAt(j, "username");
    for (const auto &g : fields::member(j, "groups"))
        if (g.is_string())
            p.groups.insert(g.get<std::string>());
    p.admin = fields::member(j, "admin") == true;
    return p;
}

/// The job's "run": which automation and trigger started it, and how it waited.
json runInfo(const store::AutomationRunRecord &run, const json &request)
{
    json info = {{"automationId", run.automationId},
                 {"automationName", fields::member(request, "automationName")},
                 {"triggerId", run.triggerId ? json(*run.triggerId) : json(nullptr)},
                 {"attempt", run.attempt},
                 {"firstJobId", run.firstJobId ? json(*run.firstJobId) : json(run.jobId)},
                 {"concurrencyKey", run.concurrencyKey ? json(*run.concurrencyKey) : json()},
                 {"requestedAt", run.queuedAt}};
    if (run.startedAt)
        info["startedAt"] = *run.startedAt;
    if (run.startedAt && *run.startedAt > run.queuedAt)
        info["queuedFor"] = *run.startedAt - run.queuedAt;
    return info;
}

/// Starts the job of `run` now, as `request` asked, under the run's job id.
Result<json> startNow(runtime::Engine &engine, const store::AutomationRunRecord &run)
{
    const json &r = run.request;
    runtime::StartJobOptions options;
    options.id = run.jobId;
    options.workflow = fields::textAt(r, "workflow");
    options.description = fields::textAt(r, "description");
    options.variables = fields::member(r, "variables");
    if (!options.variables.is_object())
        options.variables = json::object();
    options.actor = fields::textAt(r, "actor");
    options.principal = principalFrom(fields::member(r, "principal"));
    if (const json &v = fields::member(r, "workflowVersion"); v.is_number_integer())
        options.workflowVersion = v.get<int>();
    options.run = runInfo(run, r);
    return engine.startJob(options);
}

/// The row and document of a job that waits: it shows in the jobs table and the API as a job
/// of its workflow, status "queued", with why it waits.
store::JobRecord queuedJob(const store::AutomationRunRecord &run)
{
    const json &r = run.request;
    store::JobRecord job;
    job.id = run.jobId;
    job.name = fields::textAt(r, "workflow");
    if (const json &w = fields::member(r, "workflowId"); w.is_string())
        job.workflowId = w.get<std::string>();
    job.description = fields::textAt(r, "description");
    job.status = "queued";
    job.rootJobId = run.jobId;
    job.createdAt = job.updatedAt = run.queuedAt;
    job.createdBy = job.updatedBy = fields::textAt(r, "actor");
    json variables = fields::member(r, "variables");
    job.document = {{"_id", run.jobId},
                    {"name", job.name},
                    {"description", job.description},
                    {"type", "automation"},
                    {"status", "queued"},
                    {"statusReason", run.reason},
                    {"tasks", json::object()},
                    {"transitions", json::object()},
                    {"variables", variables.is_object() ? variables : json::object()},
                    {"error", json::array()},
                    {"warnings", json::array()},
                    {"ancestors", json::array({run.jobId})},
                    {"parent", nullptr},
                    {"groups", json::array()},
                    {"watchers", json::array()},
                    {"created", run.queuedAt},
                    {"created_by", *job.createdBy},
                    {"last_updated", run.queuedAt},
                    {"last_updated_by", *job.createdBy},
                    {"metrics", {{"progress", 0}, {"user", *job.createdBy}}},
                    {"workflow", {{"_id", fields::member(r, "workflowId")}, {"name", job.name}}},
                    {"run", runInfo(run, r)}};
    return job;
}

/// Ends a queued job that can never start (its automation is gone, its workflow refuses the
/// variables): the job keeps its row, in error or canceled, with the reason.
Result<void> endQueued(store::Store &store, store::AutomationRunRecord run,
                       const std::string &status, const std::string &reason, store::Millis now,
                       const std::string &actor = kPolicyActor)
{
    return store.transaction([&]() -> Result<void> {
        auto job = store.job(run.jobId);
        if (!job)
            return job.error();
        job->status = status;
        job->updatedAt = now;
        job->document["status"] = status;
        job->document["statusReason"] = reason;
        job->document["last_updated"] = now;
        job->document["last_updated_by"] = actor;
        job->updatedBy = actor;
        job->document["error"].push_back(
            {{"task", "job"}, {"message", reason}, {"timestamp", now}});
        if (auto r = store.updateJob(*job); !r)
            return r;
        // In the job's log like any status change: the event log, its live stream and event
        // triggers see a queued job end too, not only the jobs table.
        store::JobEvent event{0,     run.jobId,   now,
                              actor, "jobStatus", {{"status", status}, {"message", reason}}};
        if (auto r = store.appendJobEvent(event); !r)
            return r.error();
        run.state = "ended";
        run.endedAt = now;
        run.endedStatus = status;
        run.reason = reason;
        return store.updateAutomationRun(run);
    });
}

/// The engine-clock time before which a retry waits (its backoff); 0 for other runs.
store::Millis notBefore(const store::AutomationRunRecord &run)
{
    const json &t = fields::member(run.request, "notBefore");
    return t.is_number_integer() ? t.get<store::Millis>() : 0;
}

/// A retry still in its backoff does not hold its line: later starts pass it.
bool backingOff(const store::AutomationRunRecord &run, store::Millis now)
{
    return run.state == "queued" && notBefore(run) > now;
}

std::string isoUtc(store::Millis ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, QTimeZone::utc())
        .toString(Qt::ISODateWithMs)
        .toStdString();
}

/// Records that `run`'s job ended and, when it ended in error with attempts left, queues the
/// next attempt (a new job linked to the first), in one transaction: a crash keeps both or
/// neither, so an attempt is never lost or doubled.
Result<void> endRun(store::Store &store, store::AutomationRunRecord run, const RunPolicy &policy,
                    bool automationExists, store::Millis now)
{
    return store.transaction([&]() -> Result<void> {
        run.state = "ended";
        run.endedAt = now;
        if (auto r = store.updateAutomationRun(run); !r)
            return r;
        if (run.endedStatus != "error" || !automationExists || run.attempt >= policy.maxAttempts)
            return {};
        store::AutomationRunRecord next;
        next.jobId = ids::newObjectId();
        next.automationId = run.automationId;
        next.triggerId = run.triggerId;
        next.concurrencyKey = run.concurrencyKey;
        next.attempt = run.attempt + 1;
        next.firstJobId = run.firstJobId ? *run.firstJobId : run.jobId;
        next.queuedAt = now;
        const store::Millis at = now + policy.retryDelayMs(run.attempt);
        next.request = run.request;
        next.request["notBefore"] = at;
        next.reason = "attempt " + std::to_string(next.attempt) + " of " +
                      std::to_string(policy.maxAttempts) + ": job " + run.jobId +
                      " ended in error; it starts at " + isoUtc(at) + " (" +
                      backoff::name(policy.retryStrategy) + " backoff)";
        auto job = queuedJob(next);
        if (auto r = store.insertJobs({job}); !r)
            return r;
        return store.insertAutomationRun(next);
    });
}

/// Starts, cancels and admits for one automation; how many queued jobs it started.
Result<int> pumpAutomation(store::Store &store, runtime::Engine &engine,
                           const std::string &automationId, store::Millis now)
{
    auto automation = store.automationById(automationId);
    const RunPolicy policy = automation ? RunPolicy::of(automation->document) : RunPolicy{};
    auto runs = store.automationRuns(automationId, now - policy.lookBackMs());
    if (!runs)
        return runs.error();
    if (!automation && automation.error().code != ErrorCode::NotFound)
        return automation.error();

    // Past timeout_secs: canceled with the reason, and its slot is free for this pass.
    if (policy.timeoutSecs)
        for (auto &run : *runs) {
            if (run.state != "running" || !run.startedAt ||
                now - *run.startedAt < *policy.timeoutSecs * 1000)
                continue;
            auto canceled = engine.cancelJobWithReason(
                run.jobId, std::string(kPolicyActor),
                "canceled: it ran longer than the automation's runPolicy.timeout_secs (" +
                    std::to_string(*policy.timeoutSecs) + " s)");
            if (!canceled && canceled.error().code != ErrorCode::Conflict) {
                std::fprintf(stderr, "flowdeck: run policy: job %s: %s\n", run.jobId.c_str(),
                             canceled.error().message.c_str());
                continue;
            }
            run.state = "ended";
            run.endedAt = now;
            run.endedStatus = "canceled";
            if (auto r = store.updateAutomationRun(run); !r)
                return r.error();
        }

    int started = 0;
    std::vector<const store::AutomationRunRecord *> waiting; // still queued, in order
    for (auto &run : *runs) {
        if (run.state != "queued")
            continue;
        if (!automation) {
            if (auto r = endQueued(store, run, "canceled",
                                   "canceled: its automation was deleted while it was queued", now);
                !r)
                return r.error();
            continue;
        }
        if (backingOff(run, now))
            continue; // its reason already says when
        std::optional<std::string> reason;
        for (const auto *ahead : waiting)
            if (policy.sameLine(ahead->concurrencyKey, run.concurrencyKey)) {
                reason = ahead->reason.empty() ? "behind earlier queued jobs" : ahead->reason;
                break;
            }
        if (!reason)
            reason = policy.blocked(*runs, run.concurrencyKey, now);
        if (reason) {
            if (*reason != run.reason) {
                // The words follow the counts, so the jobs table says why it still waits.
                run.reason = *reason;
                auto r = store.transaction([&]() -> Result<void> {
                    if (auto u = store.updateAutomationRun(run); !u)
                        return u;
                    auto job = store.job(run.jobId);
                    if (!job)
                        return job.error();
                    job->document["statusReason"] = run.reason;
                    return store.updateJob(*job);
                });
                if (!r)
                    return r.error();
            }
            waiting.push_back(&run);
            continue;
        }
        run.state = "running";
        run.startedAt = now;
        run.reason.clear();
        std::string failure;
        auto done = store.transaction([&]() -> Result<void> {
            auto job = startNow(engine, run);
            if (!job) {
                failure = job.error().message;
                return job.error();
            }
            return store.updateAutomationRun(run);
        });
        if (!done) {
            run.state = "ended";
            if (failure.empty())
                return done.error();
            if (auto r = endQueued(store, run, "error",
                                   "the queued job could not start: " + failure, now);
                !r)
                return r.error();
            continue;
        }
        ++started;
    }
    return started;
}

} // namespace

Result<RunOutcome> requestRun(store::Store &store, runtime::Engine &engine,
                              const RunRequest &request)
{
    const auto &automation = *request.automation;
    const json component = automation.document.value("componentId", json());
    if (!component.is_string())
        return Error::conflict("automation \"" + automation.name +
                               "\" has no workflow (componentId) to run");
    auto workflow = store.workflowById(component.get<std::string>());
    if (!workflow) {
        if (workflow.error().code == ErrorCode::NotFound)
            return Error::conflict("the workflow of automation \"" + automation.name +
                                   "\" no longer exists");
        return workflow.error();
    }
    const RunPolicy policy = RunPolicy::of(automation.document);
    const store::Millis now = engine.clockNow();

    store::AutomationRunRecord run;
    run.jobId = ids::newObjectId();
    run.automationId = automation.id;
    if (request.trigger)
        run.triggerId = request.trigger->id;
    run.concurrencyKey = policy.keyOf(request.variables);
    run.queuedAt = now;
    run.request = {{"workflow", workflow->name},
                   {"workflowId", workflow->id},
                   {"automationName", automation.name},
                   {"description", request.description},
                   {"variables", request.variables},
                   {"actor", request.actor},
                   {"principal", principalJson(request.principal)}};
    // Pinned: the version saved with the trigger, while the automation still runs that
    // workflow (a trigger saved before the automation changed workflows runs the latest).
    if (policy.pinVersion && request.trigger)
        if (const json &v = fields::member(request.trigger->document, "workflowVersion");
            fields::textAt(v, "workflowId") == workflow->id &&
            fields::member(v, "version").is_number_integer())
            run.request["workflowVersion"] = v["version"];

    run.idempotencyKey = request.idempotencyKey;

    RunOutcome outcome;
    auto done = store.transaction([&]() -> Result<void> {
        Result<std::vector<store::AutomationRunRecord>> runs =
            needsOtherRuns(policy, run)
                ? store.automationRuns(automation.id, now - policy.lookBackMs())
                : std::vector<store::AutomationRunRecord>{};
        if (!runs)
            return runs.error();
        if (policy.dedupWindowSecs && run.idempotencyKey)
            for (const auto &other : *runs)
                if (other.idempotencyKey == run.idempotencyKey &&
                    now - other.queuedAt < policy.dedupWindowSecs * 1000) {
                    auto first = engine.jobDocument(other.jobId);
                    if (!first)
                        return first.error();
                    outcome.job = std::move(*first);
                    outcome.queued = other.state == "queued";
                    outcome.repeated = true;
                    return {};
                }
        std::optional<std::string> reason;
        // First in, first out: a start never overtakes a queued job of its line.
        for (const auto &other : *runs)
            if (other.state == "queued" && !backingOff(other, now) &&
                policy.sameLine(other.concurrencyKey, run.concurrencyKey)) {
                reason = other.reason.empty() ? "behind earlier queued jobs" : other.reason;
                break;
            }
        if (!reason)
            reason = policy.blocked(*runs, run.concurrencyKey, now);
        if (reason) {
            run.state = "queued";
            run.reason = *reason;
            auto job = queuedJob(run);
            if (auto r = store.insertJobs({job}); !r)
                return r;
            outcome.job = std::move(job.document);
            outcome.queued = true;
            return store.insertAutomationRun(run);
        }
        run.state = "running";
        run.startedAt = now;
        auto job = startNow(engine, run);
        if (!job)
            return job.error();
        outcome.job = std::move(*job);
        return store.insertAutomationRun(run);
    });
    if (!done)
        return done.error();
    return outcome;
}

Result<json> cancelQueued(store::Store &store, const std::string &jobId, const std::string &actor,
                          store::Millis now)
{
    auto run = store.automationRun(jobId);
    if (!run)
        return run.error();
    if (run->state != "queued")
        return Error::conflict("job " + jobId + " is not queued (it is " + run->state + ")");
    if (auto r = endQueued(store, *run, "canceled", "canceled by " + actor + " while queued", now,
                           actor);
        !r)
        return r.error();
    auto job = store.job(jobId);
    if (!job)
        return job.error();
    return std::move(job->document);
}

Result<int> pumpRuns(store::Store &store, runtime::Engine &engine)
{
    const store::Millis now = engine.clockNow();
    // Jobs that ended (since the last pass, or while Flowdeck was down) free their slots first,
    // and those that failed with attempts left queue their next attempt.
    auto ended = store.runsWhoseJobEnded();
    if (!ended)
        return ended.error();
    for (auto &run : *ended) {
        auto automation = store.automationById(run.automationId);
        if (!automation && automation.error().code != ErrorCode::NotFound)
            return automation.error();
        const RunPolicy policy = automation ? RunPolicy::of(automation->document) : RunPolicy{};
        if (auto r = endRun(store, std::move(run), policy, bool(automation), now); !r)
            return r.error();
    }
    auto automations = store.automationsWithOpenRuns();
    if (!automations)
        return automations.error();
    int started = 0;
    for (const auto &id : *automations) {
        // Each automation on its own: one that fails to read does not hold the others up.
        auto n = pumpAutomation(store, engine, id, now);
        if (!n) {
            std::fprintf(stderr, "flowdeck: run policy: automation %s: %s\n", id.c_str(),
                         n.error().message.c_str());
            continue;
        }
        started += *n;
    }
    return started;
}

} // namespace flowdeck::scheduler
