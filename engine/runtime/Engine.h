// SPDX-License-Identifier: GPL-3.0-or-later
// The workflow engine: starts jobs, runs their tasks, follows transitions, and keeps every
// change durable. It lives on one thread (the engine thread) and is the only writer of jobs.
//
// Every change is an event applied to the job in memory and appended to a burst; the burst's
// events, the changed jobs and task iterations are committed in one transaction before the
// public call that caused them returns (group commit). Callers that want many changes in one
// commit wrap them in batch().
#pragma once

#include "engine/model/Error.h"
#include "engine/model/Principal.h"
#include "engine/runtime/JobEvents.h"
#include "engine/runtime/JobState.h"
#include "engine/runtime/SecretValues.h"
#include "engine/store/Store.h"
#include "engine/tasks/AsyncTasks.h"
#include "engine/tasks/BuiltinMethod.h"
#include "engine/validate/JsonSchema.h"

#include <QObject>
#include <QTimer>

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <unordered_map>

namespace flowdeck::runtime {

using tasks::AsyncTasks;
using tasks::TaskCall;

struct StartJobOptions
{
    std::string workflow; ///< the workflow's name
    std::string description;
    std::string type = "automation";
    nlohmann::json variables = nlohmann::json::object();
    nlohmann::json groups = nlohmann::json::array();
    /// {TASKID: {finish_state, outgoing}}: take these results instead of running the tasks
    /// (applies to child jobs too, matched by task id).
    nlohmann::json mocks;
    std::optional<std::string> actor;
    /// Who starts it, when GBAC applies: a workflow whose groups exclude them is NotFound.
    std::optional<model::Principal> principal;
    /// The job's id when it was given one before it started (a queued job keeps its id);
    /// empty for a new one.
    std::string id;
    /// Run this saved version of the workflow rather than the current one (run policies'
    /// version_policy "pin"); NotFound when that version is no longer stored.
    std::optional<int> workflowVersion;
    /// Shown as the job document's "run": how its automation started it (run policies).
    nlohmann::json run;
};

/// How a job's groups change (GBAC): add one, remove one, replace them all, remove them all.
enum class GroupChange { Add, Remove, Replace, Clear };

class Engine : public QObject
{
    Q_OBJECT
public:
    using Clock = std::function<Millis()>;

    /// `clock` defaults to the system clock. Timers (delays, retries) follow it; with a
    /// clock of its own a test moves time and calls runDueTimers().
    explicit Engine(store::Store &store, Clock clock = {}, QObject *parent = nullptr);

    /// How many call results one turn of the event loop applies, in one commit: few enough
    /// that other jobs' starts, timers and requests wait milliseconds, not the whole backlog.
    /// bench_adapters, six runs each: 2 gave the other jobs 1.2–1.6× their p50 latency alone
    /// and 282–336 calls/s; 4 gave 1.6–2.7× and 226–364 calls/s; 1 cost a fifth of the calls.
    static constexpr std::size_t kResultsPerTurn = 2;
    ~Engine() override;

    /// Loads running and paused jobs from their event logs and picks up where they were:
    /// delays resume with their remaining time, automatic retries are rescheduled. Returns
    /// how many jobs were recovered.
    Result<int> recover();

    /// Starts a job; its variables must satisfy the workflow's inputSchema (Invalid listing
    /// every violation, and no job). Answers the job document after the first burst.
    Result<nlohmann::json> startJob(const StartJobOptions &options);

    /// The job document (from memory when the job is active, else from the store).
    Result<nlohmann::json> jobDocument(const std::string &jobId);

    // ---- manual tasks (EngineManualTasks.cpp) ----
    // Claim, assign and release name the task's run (iteration UUID); finish and the
    // controller name the job and the task's key, as the Operations Manager API does. A job
    // or task hidden from `who` by its groups is NotFound.

    /// The document of one run of a task.
    Result<nlohmann::json> taskIteration(const std::string &iterationId,
                                         const model::Principal &who);
    /// `who` becomes the owner; Conflict naming the owner when someone else holds it (claiming
    /// one's own task again is harmless), or when the job is paused or over, or the task is
    /// not waiting. Answers the iteration document.
    Result<nlohmann::json> claimTask(const std::string &iterationId, const model::Principal &who);
    /// Makes `assignee` the owner; needs the assignTask permission (Forbidden), and the
    /// assignee must be allowed by the job's and the task's groups (Invalid).
    Result<nlohmann::json> assignTask(const std::string &iterationId,
                                      const model::Principal &assignee,
                                      const model::Principal &who);
    /// Returns the task to everyone it is available to; by its owner, or with assignTask.
    Result<nlohmann::json> releaseTask(const std::string &iterationId, const model::Principal &who);
    /// Finishes a claimed manual task, by its owner only, with success or failure (failure only
    /// when the view has a failure button); `variables` must fit the task's form and become
    /// its outgoing values. Answers the job document.
    Result<nlohmann::json> finishManualTask(const std::string &jobId, const std::string &taskKey,
                                            const std::string &finishState,
                                            const nlohmann::json &variables,
                                            const model::Principal &who);
    /// What a form needs: header, message, body, the values to show, the fields to collect
    /// (the task's outgoing variables, typed from the inputSchema where it says), the button
    /// labels, the owner; and Itential's own controller shape beside them.
    Result<nlohmann::json> manualTaskController(const std::string &jobId,
                                                const std::string &taskKey,
                                                const model::Principal &who);
    /// Changes the job's groups (ids); NotFound when `who` may not see the job. Answers the job
    /// document.
    Result<nlohmann::json> changeJobGroups(const std::string &jobId, GroupChange change,
                                           const std::vector<std::string> &groups,
                                           const model::Principal &who);
    /// Adds and removes watchers (usernames) of a job; answers the job document.
    Result<nlohmann::json> setWatchers(const std::string &jobId, const model::Principal &who,
                                       const std::vector<std::string> &add,
                                       const std::vector<std::string> &remove);
    /// How the engine learns a watcher's groups, to tell them only of tasks they may see.
    using PeopleResolver = std::function<std::optional<model::Principal>(const std::string &)>;
    void setPeopleResolver(PeopleResolver resolver);

    Result<nlohmann::json> pauseJob(const std::string &jobId,
                                    const std::optional<std::string> &actor);
    Result<nlohmann::json> resumeJob(const std::string &jobId,
                                     const std::optional<std::string> &actor);
    /// Cancels the job and, through them, its running child jobs.
    Result<nlohmann::json> cancelJob(const std::string &jobId,
                                     const std::optional<std::string> &actor);
    /// The same, with the reason recorded as the job's error (a run policy's timeout).
    Result<nlohmann::json> cancelJobWithReason(const std::string &jobId,
                                               const std::optional<std::string> &actor,
                                               const std::string &reason);
    /// Runs a task that ended in error or failure again, optionally with other incoming
    /// values (merged over its resolved ones); what follows it runs again too.
    Result<nlohmann::json> retryTask(const std::string &jobId, const std::string &taskKey,
                                     const nlohmann::json &incoming,
                                     const std::optional<std::string> &actor);
    /// Continues an errored or paused job from the named task, skipping what is stuck.
    Result<nlohmann::json> continueJob(const std::string &jobId, const std::string &fromTask,
                                       const std::optional<std::string> &actor);
    /// Reverts a paused job from an errored task to an earlier completed one and runs
    /// forward from there.
    Result<nlohmann::json> revertJob(const std::string &jobId, const std::string &fromTask,
                                     const std::string &toTask,
                                     const std::optional<std::string> &actor);

    /// A task kind supplied from outside the engine — an adapter, JST transformations — that
    /// answers at once from the task's resolved incoming values, like a built-in method.
    using TaskHandler = std::function<tasks::MethodResult(const tasks::MethodContext &)>;
    /// Handles tasks of `app` ("WorkFlowEngine" for its methods) named `method`; it takes
    /// precedence over a built-in method of that name and over the "not available" error.
    void registerTaskHandler(const std::string &app, const std::string &method,
                             TaskHandler handler);

    /// What seals and opens the values under encryption decorators (the store's SecretBox,
    /// wired by the app). Without one, a workflow that has such decorators does not start
    /// (Unavailable): its values would otherwise be kept readable.
    void setSecrets(SecretCodec codec) { m_secrets = std::move(codec); }
    /// Tasks that complete later (adapter calls) go to `tasks`, which outlives the engine's use
    /// of it; null stops sending new calls.
    void setAsyncTasks(AsyncTasks *tasks) { m_async = tasks; }
    /// The result of a call dispatched to the AsyncTasks. Safe from any thread: results are
    /// queued, and every result queued before the engine thread gets to them is applied and
    /// committed in one burst. A result for a run that moved on (canceled, reset) is ignored.
    void completeCall(const TaskCall &call, tasks::MethodResult result);
    /// Calls sent and not yet answered.
    std::size_t callsInFlight() const { return m_inflight.size(); }

    /// Runs `work` with every change it makes committed together at the end.
    Result<void> batch(const std::function<Result<void>()> &work);

    /// Runs the timers that are due by the engine clock. Called by the engine's own QTimer;
    /// tests with a manual clock call it after moving time.
    void runDueTimers();
    /// When the next timer is due (ms since the epoch), if any.
    std::optional<Millis> nextTimerDue() const;
    /// The engine's clock, ms since the epoch: the system's, or the one a test gave it. The
    /// scheduler fires triggers by it too.
    Millis clockNow() const { return now(); }
    /// True when a test drives the clock: then nothing arms real timers.
    bool manualClock() const { return bool(m_clock); }

    /// Jobs the engine holds in memory (running, paused, or waiting on children).
    std::size_t activeJobCount() const { return m_jobs.size(); }
    /// True when the job is settled for now: finished, errored, paused, or running with
    /// nothing to do but wait for an operator.
    bool isSettled(const std::string &jobId) const;

Q_SIGNALS:
    /// After a commit, for each job it changed.
    void jobChanged(const QString &jobId, const QString &status);

private:
    struct TimerEntry
    {
        std::string jobId;
        int task = 0;
        std::string iteration;
        enum class Kind { Delay, StubDelay, Retry } kind = Kind::Delay;
    };
    struct Burst
    {
        std::vector<store::JobEvent> events;
        std::set<std::string> jobs;
        std::map<std::string, store::TaskIterationRecord> iterations; ///< latest snapshot by id
        std::vector<TaskCall> calls; ///< sent once the burst is committed
    };
    struct CallResult
    {
        TaskCall call;
        tasks::MethodResult result;
    };

    Millis now() const;
    template <typename T>
    Result<T> write(const std::function<Result<T>()> &work);
    Result<void> commit();
    void rollbackBurst();

    /// Runs `change` on the job in one burst and answers its document; the job's lookup and
    /// the answer are the same for every operator operation.
    Result<nlohmann::json> onJob(const std::string &jobId,
                                 const std::function<Result<void>(JobState &)> &change);
    Result<JobState *> loadJob(const std::string &jobId);
    struct TaskRef
    {
        JobState *job = nullptr;
        int task = 0;
    };
    Result<TaskRef> findTask(const std::string &jobId, const std::string &taskKey,
                             const model::Principal &who);
    Result<TaskRef> findIteration(const std::string &iterationId, const model::Principal &who);
    Result<void> requireWaitingManualTask(const TaskRef &ref, const std::string &iterationId);
    Result<nlohmann::json> onIteration(const std::string &iterationId, const model::Principal &who,
                                       const std::function<Result<void>(const TaskRef &)> &change);
    void notifyWatchers(JobState &job, const std::string &reason, int task,
                        std::vector<std::string> extra);
    Result<JobState *> activeJob(const std::string &jobId);
    void record(JobState &job, const std::string &kind, nlohmann::json data,
                const std::optional<std::string> &actor = std::nullopt);
    void markIteration(JobState &job, int task);

    Result<JobState *> createJob(const StartJobOptions &options, const nlohmann::json &parent,
                                 const nlohmann::json &ancestors, const nlohmann::json &mocks);
    void advance(JobState &job);
    bool runnable(const JobState &job, int task) const;
    void runTask(JobState &job, int task, const nlohmann::json *incomingOverride = nullptr);
    /// Records a task's result. `incoming` is null when the task was already started (its
    /// taskStarted event holds it); otherwise the start and the result are one event.
    void finishTask(JobState &job, int task, const std::string &iteration,
                    const std::string &finishState, nlohmann::json outgoing,
                    nlohmann::json methodWrites, const std::string &error,
                    const nlohmann::json *incoming,
                    const std::optional<std::string> &worker = std::nullopt,
                    nlohmann::json call = nullptr);
    bool scheduleRetry(JobState &job, int task, const std::string &finishState);
    void followBackward(JobState &job, int task);
    void runBuiltin(JobState &job, int task, const std::string &iteration,
                    const nlohmann::json &incoming, bool alreadyStarted);
    void startChildJobs(JobState &job, int task, const std::string &iteration,
                        const nlohmann::json &incoming);
    void startNextChild(JobState &job, int task);
    /// The variables of a childJob loop's child: `element` through the JST `trId` (the
    /// registered transformation task runs it). Invalid with the JST's message when it fails.
    Result<nlohmann::json> transformElement(JobState &job, const std::string &trId,
                                            const nlohmann::json &element, std::size_t index);
    void childSettled(JobState &child);
    void forEachPass(JobState &job, int task);
    bool checkLoops(JobState &job);
    void checkStuck(JobState &job);
    void completeJob(JobState &job);
    void cancelTree(JobState &job, const std::optional<std::string> &actor,
                    const std::string &reason = {});
    void issueCall(JobState &job, int task);
    void drainCallResults();
    void cancelStoppedCalls(const JobState &job);
    void arm(Millis due, TimerEntry entry);
    void scheduleTimerWakeup();
    void resumeTimers(JobState &job);

    /// A workflow as jobs start from it: parsed once per version, with its compiled
    /// inputSchema (null when it has none).
    struct WorkflowEntry
    {
        store::WorkflowRecord record;
        std::shared_ptr<const validate::JsonSchema> inputSchema;
    };
    Result<const WorkflowEntry *> workflowForStart(const std::string &name);
    /// The saved `version` of the workflow `current` is the head of, compiled for a start.
    Result<WorkflowEntry> pinnedWorkflow(const store::WorkflowRecord &current, int version);

    /// Seals what the decorators point at in the result of a task that consumed no secret,
    /// before it is recorded: the outgoing values promoted to decorated job variables, the
    /// task's own "/outgoing/…" decorators, and the decorated job variables among `writes`.
    void sealResult(const JobState &job, int task, nlohmann::json &outgoing,
                    nlohmann::json &writes) const;

    store::Store &m_store;
    Clock m_clock;
    std::unordered_map<std::string, WorkflowEntry> m_workflows; ///< by name
    PeopleResolver m_people;
    std::map<std::pair<std::string, std::string>, TaskHandler> m_handlers; ///< by (app, method)
    SecretCodec m_secrets;
    GraphCache m_graphs;
    std::unordered_map<std::string, std::unique_ptr<JobState>> m_jobs;
    std::multimap<Millis, TimerEntry> m_timers;
    QTimer m_timer;
    QTimer m_drainTimer; ///< the next slice of call results, after what else is waiting
    Burst m_burst;
    int m_burstDepth = 0;
    std::set<std::string> m_pendingAdvance; ///< jobs to move on before the burst commits
    AsyncTasks *m_async = nullptr;
    std::unordered_map<std::string, std::string> m_inflight; ///< iteration → job id
    std::mutex m_resultsMutex; ///< guards the two below: results arrive from I/O threads
    std::vector<CallResult> m_results;
    bool m_drainQueued = false;
};

} // namespace flowdeck::runtime
