// SPDX-License-Identifier: GPL-3.0-or-later
// The store interface: everything the engine keeps. SQLite is the embedded default; a
// PostgreSQL implementation will let several Flowdeck servers share one database. Writes
// come from one engine thread; reads may come from any thread and never block the writer.
#pragma once

#include "engine/model/Error.h"
#include "engine/model/Workflow.h"
#include "engine/store/Records.h"

#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace flowdeck::store {

/// The fields JobQuery::filter and sortField may name (GET /operations-manager/jobs), and
/// those of TaskQuery (GET /operations-manager/tasks): every Store answers these.
const std::vector<SearchField> &jobSearchFields();
const std::vector<SearchField> &taskSearchFields();

class Store
{
public:
    virtual ~Store() = default;

    // ---- writes (the engine thread) ----

    /// Runs `work` in one transaction: everything it writes is committed together, or none
    /// of it when `work` or the commit fails. Nested calls join the outer transaction. This
    /// is the engine's group commit: a caller is told "done" only after this returns ok.
    virtual Result<void> transaction(const std::function<Result<void>()> &work) = 0;

    /// Creates the workflow, or, when one of that name exists and `replace` is true, stores
    /// the document as its next version (the old one stays in the history). Conflict when it
    /// exists and `replace` is false. The caller validates first.
    virtual Result<WorkflowRecord> saveWorkflow(const model::Workflow &workflow,
                                                const std::optional<std::string> &actor,
                                                bool replace) = 0;
    /// NotFound when no workflow has that name.
    virtual Result<void> deleteWorkflow(const std::string &name) = 0;

    /// Inserts jobs (all or none).
    virtual Result<void> insertJobs(const std::vector<JobRecord> &jobs) = 0;
    /// Replaces a job's row; NotFound when it does not exist.
    virtual Result<void> updateJob(const JobRecord &job) = 0;
    /// Inserts or replaces jobs by id (the engine writes every job it changed in a burst).
    virtual Result<void> saveJobs(const std::vector<JobRecord> &jobs) = 0;
    /// Inserts or replaces task iterations by id.
    virtual Result<void> saveTaskIterations(const std::vector<TaskIterationRecord> &items) = 0;
    /// Appends to the job's event log; returns the event's sequence number.
    virtual Result<std::int64_t> appendJobEvent(const JobEvent &event) = 0;
    /// Appends many events in order (one statement, reused).
    virtual Result<void> appendJobEvents(const std::vector<JobEvent> &events) = 0;

    virtual Result<void> setSetting(const std::string &key, const std::string &value) = 0;

    // ---- reads (any thread) ----

    virtual Result<WorkflowRecord> workflowByName(const std::string &name) = 0;
    virtual Result<WorkflowRecord> workflowById(const std::string &id) = 0;
    /// The id and current version of the named workflow, without its document: enough for a
    /// cache to tell whether what it holds is current.
    virtual Result<std::pair<std::string, int>> workflowHead(const std::string &name) = 0;
    virtual Result<Page<WorkflowRecord>> listWorkflows(const WorkflowQuery &query) = 0;
    /// The saved versions of a workflow, newest first.
    virtual Result<std::vector<WorkflowVersion>> workflowVersions(const std::string &id) = 0;

    virtual Result<JobRecord> job(const std::string &id) = 0;
    virtual Result<Page<JobRecord>> listJobs(const JobQuery &query) = 0;
    /// Events of one job (or of all jobs when jobId is empty) with seq > after, oldest first.
    virtual Result<std::vector<JobEvent>> jobEvents(const std::string &jobId, std::int64_t after,
                                                    int limit) = 0;
    /// Events of one job (or of all jobs when jobId is empty) with seq < before, newest first:
    /// how the Events page pages backwards. Pass kNewestEvents as `before` to start from the
    /// newest event.
    virtual Result<std::vector<JobEvent>> jobEventsBefore(const std::string &jobId,
                                                          std::int64_t before, int limit) = 0;
    static constexpr std::int64_t kNewestEvents = std::numeric_limits<std::int64_t>::max();

    /// The ids of jobs in any of these statuses (recovery loads running and paused jobs).
    virtual Result<std::vector<std::string>>
    jobIdsWithStatus(const std::vector<std::string> &statuses) = 0;
    virtual Result<TaskIterationRecord> taskIteration(const std::string &id) = 0;
    /// Every iteration of a job, oldest first.
    virtual Result<std::vector<TaskIterationRecord>> taskIterations(const std::string &jobId) = 0;
    /// Task iterations matching the query, with the total of matches (Invalid naming a field
    /// that is not in taskSearchFields()).
    virtual Result<Page<TaskIterationRecord>> listTaskIterations(const TaskQuery &query) = 0;
    /// Deletes a root job with its descendant jobs, their task iterations and events, in one
    /// transaction. NotFound when there is no job with that id. The caller decides eligibility.
    virtual Result<JobDeletion> deleteJobTree(const std::string &rootJobId) = 0;

    virtual Result<std::optional<std::string>> setting(const std::string &key) = 0;

    // ---- accounts (users, groups, sign-in tokens) ----
    // Every write runs in its own transaction (or joins the caller's). Usernames and group
    // names are compared without regard to case.

    /// Inserts the user with its roles and group memberships. Conflict when the username is
    /// taken; NotFound when a group id does not exist. Fills id and times when empty / zero.
    virtual Result<UserRecord> createUser(const UserRecord &user) = 0;
    /// Updates username, display name, email and kind (not password, roles, groups, disabled).
    virtual Result<void> updateUser(const UserRecord &user) = 0;
    virtual Result<void> setPasswordHash(const std::string &userId,
                                         const std::optional<std::string> &hash) = 0;
    virtual Result<void> setUserDisabled(const std::string &userId, bool disabled) = 0;
    /// Replaces the user's roles.
    virtual Result<void> setUserRoles(const std::string &userId,
                                      const std::vector<std::string> &roles) = 0;
    virtual Result<GroupRecord> createGroup(const GroupRecord &group) = 0;
    /// Adding a member twice, or removing one that is not there, is harmless; NotFound when
    /// the group or the user does not exist.
    virtual Result<void> addGroupMember(const std::string &groupId, const std::string &userId) = 0;
    virtual Result<void> removeGroupMember(const std::string &groupId,
                                           const std::string &userId) = 0;

    /// Conflict when a token with that hash exists.
    virtual Result<void> saveToken(const TokenRecord &token) = 0;
    /// NotFound when no token has that id; revoking a revoked token keeps the first time.
    virtual Result<void> revokeToken(const std::string &tokenId, Millis at) = 0;
    /// Revokes every live token of the user; returns how many.
    virtual Result<int> revokeUserTokens(const std::string &userId, Millis at) = 0;
    /// Deletes tokens that expired before `now`; returns how many.
    virtual Result<int> deleteExpiredTokens(Millis now) = 0;

    virtual Result<UserRecord> userById(const std::string &id) = 0;
    /// Case-insensitive.
    virtual Result<UserRecord> userByUsername(const std::string &username) = 0;
    /// Every user, by username.
    virtual Result<std::vector<UserRecord>> listUsers() = 0;
    virtual Result<std::int64_t> userCount() = 0;
    virtual Result<GroupRecord> groupById(const std::string &id) = 0;
    /// Case-insensitive.
    virtual Result<GroupRecord> groupByName(const std::string &name) = 0;
    /// Every group, by name.
    virtual Result<std::vector<GroupRecord>> listGroups() = 0;
    virtual Result<TokenRecord> tokenByHash(const std::string &tokenHash) = 0;
    /// NotFound when no token has that id.
    virtual Result<TokenRecord> tokenById(const std::string &id) = 0;
    /// Tokens of one kind, of one user or (userId empty) of everyone, newest first.
    virtual Result<std::vector<TokenRecord>> listTokens(const std::string &kind,
                                                        const std::string &userId) = 0;
    /// Records that the token signed a request at `at`; NotFound when it is gone.
    virtual Result<void> setTokenLastUsed(const std::string &tokenId, Millis at) = 0;

    // ---- transformations (JST documents) ----
    // Stored beside the workflows, with a version history. Names are unique regardless of
    // case. The caller validates documents first (engine/api/TransformationCatalog).

    /// Stores a JST document (its "name" names it). The same JST — the stored one with the
    /// document's "_id", or, when the document has none, the one with its name — becomes its
    /// next version when `replace` is true and is a Conflict otherwise; a new JST keeps the
    /// document's "_id" (workflows refer to it by that) or gets a new ObjectId. Conflict too
    /// when another JST has the name. The stored document carries "_id".
    virtual Result<TransformationRecord> saveTransformation(const nlohmann::json &document,
                                                            const std::optional<std::string> &actor,
                                                            bool replace) = 0;
    /// Deletes the JST and its history; NotFound when no JST has that id.
    virtual Result<void> deleteTransformation(const std::string &id) = 0;
    virtual Result<TransformationRecord> transformationById(const std::string &id) = 0;
    /// Case-insensitive.
    virtual Result<TransformationRecord> transformationByName(const std::string &name) = 0;
    /// By name (case-insensitive order), with the total of matches.
    virtual Result<Page<TransformationRecord>>
    listTransformations(const TransformationQuery &query) = 0;
    /// The saved versions of a JST, newest first.
    virtual Result<std::vector<TransformationVersion>>
    transformationVersions(const std::string &id) = 0;

    // ---- adapter instances (SqliteStoreAdapters.cpp) ----
    // The caller validates and seals first (engine/adapters/AdapterCatalog).

    /// Inserts the instance, or replaces the one of that name when `replace` is true (keeping
    /// its id and creation). Conflict when the name is taken and `replace` is false.
    virtual Result<AdapterRecord> saveAdapter(const AdapterRecord &adapter, bool replace) = 0;
    /// NotFound when no instance has that name (case-insensitive).
    virtual Result<void> deleteAdapter(const std::string &name) = 0;
    virtual Result<AdapterRecord> adapterByName(const std::string &name) = 0;
    /// Every instance, by name.
    virtual Result<std::vector<AdapterRecord>> listAdapters() = 0;
    /// Every instance without its definition (`definition` is null), by name: what choosing
    /// the instance of a call reads. A package's definition can be megabytes; it is parsed
    /// once per version (AdapterCatalog caches it by updatedAt), not once per call.
    virtual Result<std::vector<AdapterRecord>> adapterHeads() = 0;

    // ---- automations and triggers (Operations Manager; SqliteStoreAutomations.cpp) ----
    // The API layer validates documents and fills their fields ("_id", times, actors); the
    // store derives its columns from them. Deleting an automation deletes its triggers.

    /// Inserts an automation document (with "_id" and "name"). Conflict when the id or the
    /// name is taken, or its componentId names no workflow.
    virtual Result<AutomationRecord> insertAutomation(const nlohmann::json &document) = 0;
    /// Replaces the document of the automation with the document's "_id"; NotFound, Conflict
    /// as for insert.
    virtual Result<AutomationRecord> updateAutomation(const nlohmann::json &document) = 0;
    /// Deletes the automation and its triggers; NotFound when there is none with that id.
    virtual Result<void> deleteAutomation(const std::string &id) = 0;
    virtual Result<AutomationRecord> automationById(const std::string &id) = 0;
    virtual Result<AutomationRecord> automationByName(const std::string &name) = 0;
    /// Invalid for a query the store cannot run (a field name that is not an identifier).
    virtual Result<Page<AutomationRecord>> listAutomations(const FieldQuery &query) = 0;

    /// Inserts a trigger document (with "_id", "name", "type", "enabled", "actionId", and
    /// "routeName" for endpoint triggers). Conflict when the id is taken or an enabled endpoint
    /// trigger has the same routeName; NotFound when actionId names no automation.
    virtual Result<TriggerRecord> insertTrigger(const nlohmann::json &document,
                                                std::optional<Millis> nextRunAt) = 0;
    /// Replaces the trigger with the document's "_id" (lastExecuted is kept); as insert.
    virtual Result<TriggerRecord> updateTrigger(const nlohmann::json &document,
                                                std::optional<Millis> nextRunAt) = 0;
    virtual Result<void> deleteTrigger(const std::string &id) = 0;
    /// Deletes every trigger of the automation; returns how many.
    virtual Result<int> deleteTriggersOfAutomation(const std::string &automationId) = 0;
    /// Records a run of the trigger; NotFound when it is gone.
    virtual Result<void> markTriggerExecuted(const std::string &id, Millis at,
                                             std::optional<Millis> nextRunAt) = 0;
    virtual Result<TriggerRecord> triggerById(const std::string &id) = 0;
    /// Enabled schedule triggers whose next run is at or before `now`, soonest first, at most
    /// `limit`.
    virtual Result<std::vector<TriggerRecord>> dueScheduleTriggers(Millis now, int limit) = 0;
    /// The soonest next run of any enabled schedule trigger; nullopt when none will run.
    virtual Result<std::optional<Millis>> soonestScheduledRun() = 0;
    /// Moves the trigger's next run (the scheduler, after handling its due instants without
    /// starting a job); NotFound when it is gone.
    virtual Result<void> setTriggerNextRun(const std::string &id,
                                           std::optional<Millis> nextRunAt) = 0;
    /// Whether the trigger's instant was handled already (started, skipped or failed).
    virtual Result<bool> triggerFired(const std::string &triggerId, Millis scheduledAt) = 0;
    /// Records what became of an instant. Conflict when it was recorded before: an instant is
    /// handled once.
    virtual Result<void> recordTriggerFire(const TriggerFireRecord &fire) = 0;
    /// The trigger's newest handled instants first, at most `limit`.
    virtual Result<std::vector<TriggerFireRecord>> triggerFires(const std::string &triggerId,
                                                                int limit) = 0;
    /// The enabled endpoint trigger with that routeName (there is at most one).
    virtual Result<TriggerRecord> enabledEndpointTrigger(const std::string &routeName) = 0;
    /// Every trigger of the automation, oldest first.
    virtual Result<std::vector<TriggerRecord>>
    triggersOfAutomation(const std::string &automationId) = 0;
    virtual Result<Page<TriggerRecord>> listTriggers(const FieldQuery &query) = 0;

    /// Every enabled eventSystem trigger, oldest first.
    virtual Result<std::vector<TriggerRecord>> enabledEventTriggers() = 0;
    /// Whether the event was handled for the trigger already (started or failed).
    virtual Result<bool> eventTriggerFired(const std::string &triggerId,
                                           const std::string &event) = 0;
    /// Records what became of an event for a trigger. Conflict when it was recorded before.
    virtual Result<void> recordEventTriggerFire(const EventTriggerFireRecord &fire) = 0;
    /// The trigger's newest handled events first, at most `limit`.
    virtual Result<std::vector<EventTriggerFireRecord>>
    eventTriggerFires(const std::string &triggerId, int limit) = 0;

    // ---- system events (posted ones and Flowdeck's own outside job logs) ----

    /// Appends the event; answers its seq.
    virtual Result<std::int64_t> appendSystemEvent(const SystemEventRecord &event) = 0;
    /// Events with after < seq <= upTo, oldest first, at most `limit`.
    virtual Result<std::vector<SystemEventRecord>>
    systemEventsAfter(std::int64_t after, std::int64_t upTo, int limit) = 0;
    virtual Result<std::int64_t> lastSystemEventSeq() = 0;
    /// Every (source, topic) posted to Flowdeck at least once, sorted.
    virtual Result<std::vector<std::pair<std::string, std::string>>> postedEventTopics() = 0;
    /// Job events of any job with after < seq <= upTo whose kind is one of `kinds`, oldest
    /// first, at most `limit`.
    virtual Result<std::vector<JobEvent>> jobEventsOfKinds(std::int64_t after, std::int64_t upTo,
                                                           const std::vector<std::string> &kinds,
                                                           int limit) = 0;

    // ---- automation runs (run policies, table automation_runs) ----

    /// Conflict when the job has a row already.
    virtual Result<void> insertAutomationRun(const AutomationRunRecord &run) = 0;
    /// Replaces the row of run.jobId (state, reason, times); NotFound when it has none.
    virtual Result<void> updateAutomationRun(const AutomationRunRecord &run) = 0;
    virtual Result<AutomationRunRecord> automationRun(const std::string &jobId) = 0;
    /// The automation's queued and running rows, and ended ones queued or started at or after
    /// `since` (rate limits and dedup look back that far), in arrival order.
    virtual Result<std::vector<AutomationRunRecord>> automationRuns(const std::string &automationId,
                                                                    Millis since) = 0;
    /// Running rows whose job has ended (complete, error, canceled), with endedStatus set to
    /// the job's status; the caller records the end (and any retry) in one transaction.
    virtual Result<std::vector<AutomationRunRecord>> runsWhoseJobEnded() = 0;
    /// The automations with queued or running rows.
    virtual Result<std::vector<std::string>> automationsWithOpenRuns() = 0;
    /// The job a start with this Idempotency-Key (of `scope`, the caller) started at or after
    /// `since`; nullopt when none did (table start_keys).
    virtual Result<std::optional<std::string>>
    startKeyJob(const std::string &scope, const std::string &key, Millis since) = 0;
    /// Records the job a key started; an older use of the key is replaced.
    virtual Result<void> recordStartKey(const std::string &scope, const std::string &key,
                                        const std::string &jobId, Millis at) = 0;

    // ---- jobs of automations, webhook deliveries (SqliteStoreAutomationJobs.cpp) ----
    /// The ends (jobStatus complete/error/canceled) of automations' jobs with after < seq <=
    /// upTo, oldest first, at most `limit`.
    virtual Result<std::vector<JobEndRecord>> jobEndsAfter(std::int64_t after, std::int64_t upTo,
                                                           int limit) = 0;
    /// The newest job event's sequence number (0 when there is none).
    virtual Result<std::int64_t> lastJobEventSeq() = 0;
    /// Inserts a delivery; one already recorded for the same job end is left as it is.
    virtual Result<void> insertWebhookDelivery(const WebhookDeliveryRecord &delivery) = 0;
    /// Replaces the delivery's state; NotFound when it is gone (its automation was deleted).
    virtual Result<void> updateWebhookDelivery(const WebhookDeliveryRecord &delivery) = 0;
    /// Pending deliveries whose next attempt is due by `now`, soonest first.
    virtual Result<std::vector<WebhookDeliveryRecord>> dueWebhookDeliveries(Millis now,
                                                                            int limit) = 0;
    /// The soonest next attempt of any pending delivery.
    virtual Result<std::optional<Millis>> soonestWebhookAttempt() = 0;
    /// The automation's deliveries, newest first (`status` filters when not empty).
    virtual Result<std::vector<WebhookDeliveryRecord>>
    webhookDeliveries(const std::string &automationId, const std::string &status, int limit) = 0;
    /// The automation's jobs started at or after `since`, newest first, at most `limit`.
    virtual Result<std::vector<AutomationJobRecord>> automationJobs(const std::string &automationId,
                                                                    Millis since, int limit) = 0;

    // ---- runs from elsewhere (SqliteStoreExternalRuns.cpp) ----
    /// Inserts the run and its external job (all or none). Conflict when the run id is taken.
    virtual Result<void> insertExternalRun(const ExternalRunRecord &run, const JobRecord &job) = 0;
    /// Replaces the run and its job; NotFound when the run is gone.
    virtual Result<void> updateExternalRun(const ExternalRunRecord &run, const JobRecord &job) = 0;
    virtual Result<ExternalRunRecord> externalRun(const std::string &id) = 0;
    /// The runs of one external job, newest first, with their total.
    virtual Result<Page<ExternalRunRecord>>
    externalRuns(const std::string &ns, const std::string &jobName, int limit, int offset) = 0;
};

} // namespace flowdeck::store
