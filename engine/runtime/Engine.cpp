// SPDX-License-Identifier: GPL-3.0-or-later
// The engine's core: bursts and group commit, loading jobs from their logs, timers, starting
// jobs and moving them forward. Task kinds are in EngineTasks.cpp; operator operations
// (pause, retry, …) in EngineOperations.cpp.
#include "engine/runtime/Engine.h"

#include "engine/model/Ids.h"
#include "engine/model/JsonParse.h"
#include "engine/runtime/JobDocument.h"
#include "engine/runtime/ValueLimits.h"
#include "engine/validate/JsonSchema.h"

#include <algorithm>
#include <chrono>
#include <climits>
#include <cstdio>

namespace flowdeck::runtime {

using nlohmann::json;

Engine::Engine(store::Store &store, Clock clock, QObject *parent)
    : QObject(parent), m_store(store), m_clock(std::move(clock)), m_timer(this), m_drainTimer(this)
{
    // The timers are children so that moveToThread() takes them along to the engine thread.
    m_timer.setSingleShot(true);
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, &Engine::runDueTimers);
    m_drainTimer.setSingleShot(true);
    m_drainTimer.setInterval(0);
    connect(&m_drainTimer, &QTimer::timeout, this, &Engine::drainCallResults);
}

Engine::~Engine() = default;

Millis Engine::now() const
{
    if (m_clock)
        return m_clock();
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// ---- bursts -----------------------------------------------------------------------------

template <typename T>
Result<T> Engine::write(const std::function<Result<T>()> &work)
{
    ++m_burstDepth;
    std::optional<Result<T>> outcome;
    try {
        outcome.emplace(work());
    } catch (const std::exception &e) {
        // Only a bug throws here (documents are validated, methods catch their own); the
        // burst is dropped whole so the engine keeps a consistent state and keeps running.
        std::fprintf(stderr, "flowdeck: engine: a change failed: %s\n",
                     validUtf8(e.what()).c_str());
        if (--m_burstDepth > 0)
            throw;
        rollbackBurst();
        return Error::internal(std::string("the engine could not apply the change: ") +
                               validUtf8(e.what()));
    }
    Result<T> result = std::move(*outcome);
    if (--m_burstDepth > 0)
        return result;
    // Parents whose children settled during the burst move on before anything is written.
    while (!m_pendingAdvance.empty()) {
        const std::string id = *m_pendingAdvance.begin();
        m_pendingAdvance.erase(m_pendingAdvance.begin());
        if (auto it = m_jobs.find(id); it != m_jobs.end())
            advance(*it->second);
    }
    if (auto c = commit(); !c) {
        rollbackBurst();
        return c.error();
    }
    // Timers armed in the burst wait for its end to set the wake-up. A burst that wrote
    // nothing (recovery after a clean stop, where every job only waits on a delay) commits
    // nothing, so the wake-up is set here and never left to the commit.
    scheduleTimerWakeup();
    return result;
}

Result<void> Engine::batch(const std::function<Result<void>()> &work)
{
    return write(work);
}

void Engine::record(JobState &job, const std::string &kind, json data,
                    const std::optional<std::string> &actor)
{
    JobEventRecord event{kind, now(), actor, std::move(data)};
    if (auto r = applyEvent(job, event, m_graphs); !r) {
        // Only a bug can get here: the engine emits events that fit the state it holds.
        std::fprintf(stderr, "flowdeck: engine: %s\n", r.error().message.c_str());
        return;
    }
    m_burst.events.push_back({0, job.id, event.at, actor, kind, std::move(event.data)});
    m_burst.jobs.insert(job.id);
    if (kind == "jobStatus")
        notifyWatchers(job, "jobStatus", -1, {});
}

void Engine::markIteration(JobState &job, int task)
{
    const auto &rt = job.tasks[std::size_t(task)];
    if (rt.iterations.empty())
        return;
    const std::string &id = rt.iterations.back();
    store::TaskIterationRecord r;
    r.id = id;
    r.jobId = job.id;
    r.taskKey = job.graph->key(task);
    r.status = taskStatusName(rt.status);
    r.type = job.graph->task(task).value("type", std::string("automatic"));
    r.owner = rt.owner;
    if (rt.startTime)
        r.startedAt = rt.startTime;
    if (rt.endTime)
        r.endedAt = rt.endTime;
    r.updatedAt = job.lastUpdated;
    r.document = iterationDocument(job, task, id);
    m_burst.iterations[id] = std::move(r);
}

Result<void> Engine::commit()
{
    if (m_burst.events.empty() && m_burst.jobs.empty())
        return {};
    std::vector<store::JobRecord> jobs;
    jobs.reserve(m_burst.jobs.size());
    for (const auto &id : m_burst.jobs)
        if (auto it = m_jobs.find(id); it != m_jobs.end())
            jobs.push_back(jobRecord(*it->second));
    std::vector<store::TaskIterationRecord> iterations;
    iterations.reserve(m_burst.iterations.size());
    for (auto &[id, record] : m_burst.iterations)
        iterations.push_back(std::move(record));
    auto r = m_store.transaction([&]() -> Result<void> {
        if (auto s = m_store.saveJobs(jobs); !s)
            return s;
        if (auto s = m_store.saveTaskIterations(iterations); !s)
            return s;
        return m_store.appendJobEvents(m_burst.events);
    });
    if (!r)
        return r;
    Burst done = std::move(m_burst);
    m_burst = Burst{};
    for (const auto &id : done.jobs) {
        auto it = m_jobs.find(id);
        if (it == m_jobs.end())
            continue;
        cancelStoppedCalls(*it->second);
        const JobStatus status = it->second->status;
        Q_EMIT jobChanged(QString::fromStdString(id), QString::fromUtf8(jobStatusName(status)));
        // Finished and errored jobs leave memory; an operator's retry reloads them from
        // their log. Running and paused jobs stay.
        if (status == JobStatus::Complete || status == JobStatus::Canceled ||
            status == JobStatus::Error)
            m_jobs.erase(it);
    }
    // Calls go out only now that their task's start is durable.
    for (auto &call : done.calls) {
        if (!m_async)
            break;
        m_inflight[call.iteration] = call.jobId;
        m_async->dispatch(std::move(call));
    }
    return {};
}

void Engine::rollbackBurst()
{
    // The store refused the burst: forget its changes in memory too, by reloading every job
    // it touched from what was committed before it.
    const auto touched = m_burst.jobs;
    m_burst = Burst{};
    m_pendingAdvance.clear();
    for (const auto &id : touched) {
        m_jobs.erase(id);
        (void)loadJob(id);
    }
}

// ---- loading and recovery ---------------------------------------------------------------

Result<JobState *> Engine::loadJob(const std::string &jobId)
{
    if (auto it = m_jobs.find(jobId); it != m_jobs.end())
        return it->second.get();
    auto events = m_store.jobEvents(jobId, 0, INT_MAX);
    if (!events)
        return events.error();
    if (events->empty())
        return Error::notFound("no job with id " + jobId);
    std::vector<JobEventRecord> records;
    records.reserve(events->size());
    for (auto &e : *events)
        records.push_back({std::move(e.kind), e.at, std::move(e.actor), std::move(e.data)});
    auto job = replay(records, m_graphs);
    if (!job)
        return Error::internal("job " + jobId +
                               " cannot be rebuilt from its log: " + job.error().message);
    auto owned = std::make_unique<JobState>(std::move(*job));
    JobState *raw = owned.get();
    m_jobs[jobId] = std::move(owned);
    return raw;
}

Result<JobState *> Engine::activeJob(const std::string &jobId)
{
    if (!ids::isObjectId(jobId))
        return Error::notFound("no job with id " + jobId);
    return loadJob(jobId);
}

Result<int> Engine::recover()
{
    auto ids = m_store.jobIdsWithStatus({"running", "paused"});
    if (!ids)
        return ids.error();
    return write<int>([&]() -> Result<int> {
        int count = 0;
        for (const auto &id : *ids) {
            auto job = loadJob(id);
            if (!job) {
                std::fprintf(stderr, "flowdeck: engine: %s\n", job.error().message.c_str());
                continue;
            }
            ++count;
        }
        for (auto &[id, job] : m_jobs) {
            resumeTimers(*job);
            m_pendingAdvance.insert(id);
        }
        return count;
    });
}

void Engine::resumeTimers(JobState &job)
{
    const auto &g = *job.graph;
    for (int t = 0; t < g.taskCount(); ++t) {
        const auto &rt = job.tasks[std::size_t(t)];
        if (rt.iterations.empty())
            continue;
        const std::string method = g.method(t);
        if (rt.status == TaskStatus::Running && job.status == JobStatus::Running && m_async &&
            !g.isManual(t) && m_async->handles(g.app(t), method) &&
            !m_inflight.count(rt.iterations.back())) {
            // A call in flight when the process stopped, or abandoned when the job paused:
            // sent again with the same idempotency key.
            issueCall(job, t);
        } else if (rt.status == TaskStatus::Running && (method == "delay" || method == "stub")) {
            const json &in = rt.incoming;
            const json seconds =
                method == "delay" ? in.value("time", json()) : in.value("delay", json());
            if (!seconds.is_number())
                continue;
            arm(rt.startTime + Millis(seconds.get<double>() * 1000),
                {job.id, t, rt.iterations.back(),
                 method == "delay" ? TimerEntry::Kind::Delay : TimerEntry::Kind::StubDelay});
        } else if (rt.status == TaskStatus::Scheduled) {
            // The wait drawn when it failed; events from before retryDelayMs use `delay`.
            const json settings = g.task(t).value("retrySettings", json());
            const double delay = settings.is_object() ? settings.value("delay", 0.0) : 0.0;
            arm(rt.retryAt ? rt.retryAt : rt.endTime + Millis(delay * 1000),
                {job.id, t, rt.iterations.back(), TimerEntry::Kind::Retry});
        }
    }
}

// ---- timers -----------------------------------------------------------------------------

void Engine::arm(Millis due, TimerEntry entry)
{
    m_timers.emplace(due, std::move(entry));
    if (m_burstDepth == 0)
        scheduleTimerWakeup();
}

std::optional<Millis> Engine::nextTimerDue() const
{
    if (m_timers.empty())
        return std::nullopt;
    return m_timers.begin()->first;
}

void Engine::scheduleTimerWakeup()
{
    // With an injected clock the test drives time; the engine's own timer follows real time.
    if (m_clock || m_timers.empty()) {
        m_timer.stop();
        return;
    }
    const Millis wait = std::max<Millis>(0, m_timers.begin()->first - now());
    m_timer.start(int(std::min<Millis>(wait, INT_MAX)));
}

void Engine::runDueTimers()
{
    (void)write<bool>([&]() -> Result<bool> {
        while (!m_timers.empty() && m_timers.begin()->first <= now()) {
            TimerEntry entry = m_timers.begin()->second;
            m_timers.erase(m_timers.begin());
            auto found = m_jobs.find(entry.jobId);
            if (found == m_jobs.end())
                continue; // finished or canceled since
            JobState &job = *found->second;
            auto &rt = job.tasks[std::size_t(entry.task)];
            if (rt.iterations.empty() || rt.iterations.back() != entry.iteration)
                continue; // the task was reset or run again since
            switch (entry.kind) {
            case TimerEntry::Kind::Delay:
                if (rt.status == TaskStatus::Running) {
                    const double seconds = rt.incoming.value("time", json(0)).get<double>();
                    finishTask(job, entry.task, entry.iteration, "success",
                               {{"time_in_milliseconds", Millis(seconds * 1000)}}, json::object(),
                               {}, nullptr);
                }
                break;
            case TimerEntry::Kind::StubDelay:
                if (rt.status == TaskStatus::Running)
                    runBuiltin(job, entry.task, entry.iteration, rt.incoming, true);
                break;
            case TimerEntry::Kind::Retry:
                if (rt.status == TaskStatus::Scheduled) {
                    if (job.status != JobStatus::Running) {
                        // Retried when the job runs again (resume re-arms it).
                        continue;
                    }
                    runTask(job, entry.task);
                }
                break;
            }
            m_pendingAdvance.insert(job.id);
        }
        return true;
    });
    // A timer may wake a little early with nothing due yet, and a burst with no changes
    // commits nothing: the wake-up is always re-armed here, never left to the commit.
    scheduleTimerWakeup();
}

// ---- starting and advancing -------------------------------------------------------------

Result<JobState *> Engine::createJob(const StartJobOptions &options, const json &parent,
                                     const json &ancestors, const json &mocks)
{
    if (options.workflow.empty())
        return Error::invalid("a job needs the name of the workflow to run");
    auto entry = workflowForStart(options.workflow);
    // Clients that create jobs from a workflow's id (as Itential's SDKs do) send its _id.
    if (!entry && entry.error().code == ErrorCode::NotFound && ids::isObjectId(options.workflow))
        if (auto byId = m_store.workflowById(options.workflow))
            entry = workflowForStart(byId->name);
    if (!entry)
        return entry.error();
    WorkflowEntry pinned;
    if (options.workflowVersion && *options.workflowVersion != (*entry)->record.version) {
        auto old = pinnedWorkflow((*entry)->record, *options.workflowVersion);
        if (!old)
            return old.error();
        pinned = std::move(*old);
        entry = &pinned;
    }
    const store::WorkflowRecord *workflow = &(*entry)->record;
    if (options.principal &&
        !options.principal->allowedBy(workflow->document.value("groups", json::array())))
        return Error::notFound("no workflow named \"" + options.workflow + "\"");
    if (!options.variables.is_object())
        return Error::invalid("the job's variables must be a JSON object");
    if (auto limited = checkValueLimits(options.variables, "the job's variables"); !limited)
        return limited.error();
    // Itential adds these to every job before checking the inputSchema (real exports list both
    // among its required properties): the job's own id and who started it; a caller cannot
    // set either.
    const std::string id = options.id.empty() ? ids::newObjectId() : options.id;
    json variables = options.variables;
    variables["_id"] = id;
    variables["initiator"] = options.actor ? json(*options.actor) : json("Pronghorn");
    // A child job may be handed sealed values by its parent: the schema judges what they hold.
    json plainVariables;
    if (m_secrets && hasSealed(variables, m_secrets)) {
        auto opened = openLeaves(variables, m_secrets);
        if (!opened)
            return opened.error();
        plainVariables = std::move(*opened);
    }
    if ((*entry)->inputSchema) {
        auto issues =
            (*entry)->inputSchema->validate(plainVariables.is_null() ? variables : plainVariables);
        if (!issues.empty()) {
            json details = json::array();
            for (auto &issue : issues) {
                issue.instancePath = "/variables" + issue.instancePath;
                details.push_back(issue.toJson());
            }
            std::string message = "the variables do not match the inputSchema of workflow \"" +
                                  options.workflow + "\": " + issues.front().instancePath + " " +
                                  issues.front().message;
            if (issues.size() > 1)
                message += " (and " + std::to_string(issues.size() - 1) + " more)";
            return Error::invalid(message, details);
        }
    }
    if (!options.groups.is_array() ||
        std::any_of(options.groups.begin(), options.groups.end(), [](const json &g) {
            return !g.is_string() || !ids::isObjectId(g.get<std::string>());
        }))
        return Error::invalid("the job's groups must be an array of group ids (24 hex characters)");
    if (!mocks.is_null() && !mocks.is_object())
        return Error::invalid("mocks must be an object of task ids", {{"pointer", "/mocks"}});
    // A mocked result has the shape `flowdeck run --mock` takes: {finish_state?, outgoing?,
    // error?}; anything else would fail the job later, far from the typo.
    if (mocks.is_object())
        for (auto it = mocks.begin(); it != mocks.end(); ++it) {
            const std::string at = "/mocks/" + it.key();
            if (!it->is_object())
                return Error::invalid(at + " must be an object {finish_state, outgoing}",
                                      {{"pointer", at}});
            if (const auto state = it->find("finish_state"); state != it->end())
                if (!state->is_string() ||
                    (*state != "success" && *state != "failure" && *state != "error"))
                    return Error::invalid(at + "/finish_state must be \"success\", "
                                               "\"failure\" or \"error\"",
                                          {{"pointer", at + "/finish_state"}});
            if (const auto out = it->find("outgoing"); out != it->end() && !out->is_object())
                return Error::invalid(at + "/outgoing must be an object of outgoing variables",
                                      {{"pointer", at + "/outgoing"}});
            if (const auto error = it->find("error"); error != it->end() && !error->is_string())
                return Error::invalid(at + "/error must be a string", {{"pointer", at + "/error"}});
        }

    // Encryption decorators: what they point at is sealed before the job is first recorded.
    const json &document = workflow->document;
    const std::vector<std::string> secretPointers = jobVariablePointers(document);
    bool taskSecrets = false;
    if (document.contains("tasks") && document["tasks"].is_object())
        for (const auto &[key, task] : document["tasks"].items())
            taskSecrets =
                taskSecrets ||
                (task.is_object() && task.contains("variables") && task["variables"].is_object() &&
                 !encryptionPointers(task["variables"].value("decorators", json::array())).empty());
    if ((!secretPointers.empty() || taskSecrets) && !m_secrets)
        return Error::unavailable("workflow \"" + workflow->name +
                                  "\" has encryption decorators, and this engine has no key to "
                                  "seal their values with");
    if (!secretPointers.empty()) {
        json holder = {{"variables", std::move(variables)}};
        sealAt(holder, secretPointers, m_secrets);
        variables = std::move(holder["variables"]);
    }
    json lineage = ancestors.is_array() ? ancestors : json::array();
    lineage.push_back(id);
    json info = {{"_id", id},
                 {"name", workflow->name},
                 {"description", options.description.empty()
                                     ? workflow->document.value("description", std::string())
                                     : options.description},
                 {"workflowId", workflow->id},
                 {"type", options.type.empty() ? std::string("automation") : options.type},
                 {"variables", std::move(variables)},
                 {"groups", options.groups},
                 {"ancestors", std::move(lineage)},
                 {"parent", parent},
                 {"mocks", mocks}};
    if (options.actor)
        info["created_by"] = *options.actor;
    if (!options.run.is_null())
        info["run"] = options.run;
    auto job = std::make_unique<JobState>();
    JobState *raw = job.get();
    m_jobs[id] = std::move(job);
    record(*raw, "jobCreated",
           {{"job", std::move(info)},
            {"workflow", workflow->document},
            {"workflowVersion", workflow->version}},
           options.actor);
    return raw;
}

Result<const Engine::WorkflowEntry *> Engine::workflowForStart(const std::string &name)
{
    // One cheap lookup tells whether the cached parse is still the current version.
    auto head = m_store.workflowHead(name);
    if (!head)
        return head.error();
    if (auto it = m_workflows.find(name); it != m_workflows.end() &&
                                          it->second.record.id == head->first &&
                                          it->second.record.version == head->second)
        return &it->second;
    auto record = m_store.workflowByName(name);
    if (!record)
        return record.error();
    WorkflowEntry entry{std::move(*record), nullptr};
    const json &schema = entry.record.document.value("inputSchema", json::object());
    if (schema.is_object() && !schema.empty()) {
        auto compiled = validate::JsonSchema::compile(schema);
        if (!compiled)
            return Error::invalid("workflow \"" + name +
                                      "\" has an inputSchema that is not valid JSON Schema",
                                  compiled.error().details);
        entry.inputSchema = std::make_shared<const validate::JsonSchema>(std::move(*compiled));
    }
    auto &slot = m_workflows[name];
    slot = std::move(entry);
    return &slot;
}

Result<Engine::WorkflowEntry> Engine::pinnedWorkflow(const store::WorkflowRecord &current,
                                                     int version)
{
    auto versions = m_store.workflowVersions(current.id);
    if (!versions)
        return versions.error();
    for (auto &saved : *versions) {
        if (saved.version != version)
            continue;
        WorkflowEntry entry{current, nullptr};
        entry.record.version = version;
        entry.record.document = std::move(saved.document);
        const json &schema = entry.record.document.value("inputSchema", json::object());
        if (schema.is_object() && !schema.empty()) {
            auto compiled = validate::JsonSchema::compile(schema);
            if (!compiled)
                return Error::invalid("version " + std::to_string(version) + " of workflow \"" +
                                          current.name +
                                          "\" has an inputSchema that is not valid JSON Schema",
                                      compiled.error().details);
            entry.inputSchema = std::make_shared<const validate::JsonSchema>(std::move(*compiled));
        }
        return entry;
    }
    return Error::notFound("version " + std::to_string(version) + " of workflow \"" + current.name +
                           "\" is no longer stored");
}

Result<json> Engine::startJob(const StartJobOptions &options)
{
    return write<json>([&]() -> Result<json> {
        auto job = createJob(options, json(), json::array(), options.mocks);
        if (!job)
            return job.error();
        runTask(**job, (*job)->graph->start());
        advance(**job);
        return runtime::jobDocument(**job);
    });
}

Result<json> Engine::jobDocument(const std::string &jobId)
{
    if (auto it = m_jobs.find(jobId); it != m_jobs.end())
        return runtime::jobDocument(*it->second);
    auto record = m_store.job(jobId);
    if (!record)
        return record.error();
    return std::move(record->document);
}

bool Engine::runnable(const JobState &job, int t) const
{
    const auto &rt = job.tasks[std::size_t(t)];
    if (rt.status != TaskStatus::Incomplete || rt.dead || t == job.graph->start())
        return false;
    const auto &inputs = job.graph->joinInputs(t);
    if (inputs.empty())
        return false;
    bool fired = false;
    for (int e : inputs) {
        const EdgeMark mark = job.edges[std::size_t(e)];
        if (mark == EdgeMark::Pending)
            return false;
        fired = fired || mark == EdgeMark::Fired;
    }
    return fired;
}

void Engine::advance(JobState &job)
{
    bool progress = true;
    while (progress && job.status == JobStatus::Running) {
        progress = false;
        for (int t = 0; t < job.graph->taskCount() && job.status == JobStatus::Running; ++t) {
            if (runnable(job, t)) {
                runTask(job, t);
                progress = true;
            }
        }
        if (!progress && job.status == JobStatus::Running)
            progress = checkLoops(job);
    }
    if (job.status == JobStatus::Running)
        checkStuck(job);
}

void Engine::checkStuck(JobState &job)
{
    const auto &g = *job.graph;
    for (const auto &rt : job.tasks)
        if (rt.status == TaskStatus::Running || rt.status == TaskStatus::Scheduled)
            return; // still waiting on something: a timer, a child job, an operator
    if (job.tasks[std::size_t(g.end())].status == TaskStatus::Complete)
        return;
    // The workflow's error handler gets its turn first (once per failure): it may notify or
    // clean up; the job still ends in error.
    if (const int h = g.errorHandler();
        h >= 0 && job.tasks[std::size_t(h)].status == TaskStatus::Incomplete) {
        runTask(job, h);
        const auto status = job.tasks[std::size_t(h)].status;
        if (status == TaskStatus::Running || status == TaskStatus::Scheduled ||
            job.status != JobStatus::Running)
            return;
    }
    // Nothing runs and the end was not reached: name the tasks whose result had nowhere to go.
    std::vector<int> inLoops;
    for (int t = 0; t < g.taskCount(); ++t)
        if (g.method(t) == "forEach")
            for (int b : g.loopBody(t))
                inLoops.push_back(b);
    std::string culprits;
    for (int t = 0; t < g.taskCount(); ++t) {
        const auto &rt = job.tasks[std::size_t(t)];
        if (rt.finishState.empty() || t == g.end() || t == g.errorHandler() ||
            std::find(inLoops.begin(), inLoops.end(), t) != inLoops.end())
            continue;
        bool matched = false;
        for (int e : g.outgoing(t))
            matched = matched || edgeStateName(g.edges()[std::size_t(e)].state) == rt.finishState;
        if (!matched)
            culprits += (culprits.empty() ? "" : ", ") + g.label(t);
    }
    const std::string message =
        culprits.empty()
            ? "Job has no available transitions. The workflow end task can no longer be reached."
            : "Job has no available transitions. " + culprits +
                  " could have led to the workflow end task, but did not. These tasks performed "
                  "in a way that the end of the workflow could not be reached.";
    record(job, "jobStatus", {{"status", "error"}, {"message", message}});
    if (job.parent.is_object())
        childSettled(job);
}

void Engine::completeJob(JobState &job)
{
    // The end was reached: anything still running on a branch that does not lead there stops.
    for (int t = 0; t < job.graph->taskCount(); ++t) {
        const auto status = job.tasks[std::size_t(t)].status;
        if (status == TaskStatus::Running || status == TaskStatus::Scheduled) {
            record(job, "taskStatus", {{"task", job.graph->key(t)}, {"status", "canceled"}});
            markIteration(job, t);
        }
    }
    record(job, "jobStatus", {{"status", "complete"}});
    if (job.parent.is_object())
        childSettled(job);
}

bool Engine::isSettled(const std::string &jobId) const
{
    auto it = m_jobs.find(jobId);
    if (it == m_jobs.end())
        return true;
    const JobState &job = *it->second;
    if (job.status != JobStatus::Running)
        return true;
    for (int t = 0; t < job.graph->taskCount(); ++t) {
        const auto status = job.tasks[std::size_t(t)].status;
        if (status == TaskStatus::Scheduled ||
            (status == TaskStatus::Running && !job.graph->isManual(t)))
            return false;
    }
    return true;
}

} // namespace flowdeck::runtime
