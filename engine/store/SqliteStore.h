// SPDX-License-Identifier: GPL-3.0-or-later
// The embedded store: one SQLite file in WAL mode. One writer connection serves the engine
// thread; reads lease their own read-only connections so a slow listing never stalls a
// write. Opening migrates the file to the current schema.
#pragma once

#include "engine/store/SqliteDb.h"
#include "engine/store/Store.h"

#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace flowdeck::store {

class SqliteStore final : public Store
{
public:
    struct Options
    {
        std::function<Millis()> clock; ///< defaults to the system clock
        int maxReaders = 4;
        /// A job list whose filter matches at most this many rows reads them by rowid and
        /// sorts them, instead of walking the sort's index past every row that does not match
        /// (a rare term over a million jobs: 14.9 s before, bench/store "Filtered lists").
        /// 0: always count and walk.
        std::int64_t fewMatches = 5000;
        /// Told before a file written by an older Flowdeck is upgraded (not for a new file),
        /// with its schema version and the one it goes to: on a large store the upgrade takes
        /// a while (v8 indexes a million jobs in about a minute), and people should know why
        /// nothing shows yet.
        std::function<void(int fromVersion, int toVersion)> onUpgrade;
    };

    /// Opens or creates the store at `path` (":memory:" for a private in-memory store) and
    /// migrates it. Fails with Unavailable when the file cannot be opened and with Invalid
    /// when it belongs to a newer Flowdeck.
    static Result<std::unique_ptr<SqliteStore>> open(const std::string &path, Options options);
    static Result<std::unique_ptr<SqliteStore>> open(const std::string &path)
    {
        return open(path, Options{});
    }

    ~SqliteStore() override;

    const std::string &path() const { return m_path; }

    Result<void> transaction(const std::function<Result<void>()> &work) override;
    Result<WorkflowRecord> saveWorkflow(const model::Workflow &workflow,
                                        const std::optional<std::string> &actor,
                                        bool replace) override;
    Result<void> deleteWorkflow(const std::string &name) override;
    Result<void> insertJobs(const std::vector<JobRecord> &jobs) override;
    Result<void> updateJob(const JobRecord &job) override;
    Result<void> saveJobs(const std::vector<JobRecord> &jobs) override;
    Result<void> saveTaskIterations(const std::vector<TaskIterationRecord> &items) override;
    Result<std::int64_t> appendJobEvent(const JobEvent &event) override;
    Result<void> appendJobEvents(const std::vector<JobEvent> &events) override;
    Result<void> setSetting(const std::string &key, const std::string &value) override;

    Result<WorkflowRecord> workflowByName(const std::string &name) override;
    Result<WorkflowRecord> workflowById(const std::string &id) override;
    Result<std::pair<std::string, int>> workflowHead(const std::string &name) override;
    Result<Page<WorkflowRecord>> listWorkflows(const WorkflowQuery &query) override;
    Result<std::vector<WorkflowVersion>> workflowVersions(const std::string &id) override;
    Result<JobRecord> job(const std::string &id) override;
    Result<Page<JobRecord>> listJobs(const JobQuery &query) override;
    Result<std::vector<JobEvent>> jobEvents(const std::string &jobId, std::int64_t after,
                                            int limit) override;
    Result<std::vector<JobEvent>> jobEventsBefore(const std::string &jobId, std::int64_t before,
                                                  int limit) override;
    Result<std::vector<std::string>>
    jobIdsWithStatus(const std::vector<std::string> &statuses) override;
    Result<TaskIterationRecord> taskIteration(const std::string &id) override;
    Result<std::vector<TaskIterationRecord>> taskIterations(const std::string &jobId) override;
    // SqliteStoreJobs.cpp
    Result<Page<TaskIterationRecord>> listTaskIterations(const TaskQuery &query) override;
    Result<JobDeletion> deleteJobTree(const std::string &rootJobId) override;
    Result<std::optional<std::string>> setting(const std::string &key) override;

    Result<UserRecord> createUser(const UserRecord &user) override;
    Result<void> updateUser(const UserRecord &user) override;
    Result<void> setPasswordHash(const std::string &userId,
                                 const std::optional<std::string> &hash) override;
    Result<void> setUserDisabled(const std::string &userId, bool disabled) override;
    Result<void> setUserRoles(const std::string &userId,
                              const std::vector<std::string> &roles) override;
    Result<GroupRecord> createGroup(const GroupRecord &group) override;
    Result<void> addGroupMember(const std::string &groupId, const std::string &userId) override;
    Result<void> removeGroupMember(const std::string &groupId, const std::string &userId) override;
    Result<void> saveToken(const TokenRecord &token) override;
    Result<void> revokeToken(const std::string &tokenId, Millis at) override;
    Result<int> revokeUserTokens(const std::string &userId, Millis at) override;
    Result<int> deleteExpiredTokens(Millis now) override;
    Result<UserRecord> userById(const std::string &id) override;
    Result<UserRecord> userByUsername(const std::string &username) override;
    Result<std::vector<UserRecord>> listUsers() override;
    Result<std::int64_t> userCount() override;
    Result<GroupRecord> groupById(const std::string &id) override;
    Result<GroupRecord> groupByName(const std::string &name) override;
    Result<std::vector<GroupRecord>> listGroups() override;
    Result<TokenRecord> tokenByHash(const std::string &tokenHash) override;
    Result<TokenRecord> tokenById(const std::string &id) override;
    Result<std::vector<TokenRecord>> listTokens(const std::string &kind,
                                                const std::string &userId) override;
    Result<void> setTokenLastUsed(const std::string &tokenId, Millis at) override;

    // ---- adapter instances (SqliteStoreAdapters.cpp) ----
    Result<AdapterRecord> saveAdapter(const AdapterRecord &adapter, bool replace) override;
    Result<void> deleteAdapter(const std::string &name) override;
    Result<AdapterRecord> adapterByName(const std::string &name) override;
    Result<std::vector<AdapterRecord>> listAdapters() override;
    Result<std::vector<AdapterRecord>> adapterHeads() override;

    // ---- transformations (SqliteStoreTransformations.cpp) ----
    Result<TransformationRecord> saveTransformation(const nlohmann::json &document,
                                                    const std::optional<std::string> &actor,
                                                    bool replace) override;
    Result<void> deleteTransformation(const std::string &id) override;
    Result<TransformationRecord> transformationById(const std::string &id) override;
    Result<TransformationRecord> transformationByName(const std::string &name) override;
    Result<Page<TransformationRecord>>
    listTransformations(const TransformationQuery &query) override;
    Result<std::vector<TransformationVersion>>
    transformationVersions(const std::string &id) override;

    // ---- automations and triggers (SqliteStoreAutomations.cpp) ----
    Result<AutomationRecord> insertAutomation(const nlohmann::json &document) override;
    Result<AutomationRecord> updateAutomation(const nlohmann::json &document) override;
    Result<void> deleteAutomation(const std::string &id) override;
    Result<AutomationRecord> automationById(const std::string &id) override;
    Result<AutomationRecord> automationByName(const std::string &name) override;
    Result<Page<AutomationRecord>> listAutomations(const FieldQuery &query) override;
    Result<TriggerRecord> insertTrigger(const nlohmann::json &document,
                                        std::optional<Millis> nextRunAt) override;
    Result<TriggerRecord> updateTrigger(const nlohmann::json &document,
                                        std::optional<Millis> nextRunAt) override;
    Result<void> deleteTrigger(const std::string &id) override;
    Result<int> deleteTriggersOfAutomation(const std::string &automationId) override;
    Result<void> markTriggerExecuted(const std::string &id, Millis at,
                                     std::optional<Millis> nextRunAt) override;
    Result<TriggerRecord> triggerById(const std::string &id) override;
    Result<TriggerRecord> enabledEndpointTrigger(const std::string &routeName) override;
    Result<std::vector<TriggerRecord>>
    triggersOfAutomation(const std::string &automationId) override;
    Result<Page<TriggerRecord>> listTriggers(const FieldQuery &query) override;
    Result<std::vector<TriggerRecord>> dueScheduleTriggers(Millis now, int limit) override;
    Result<std::optional<Millis>> soonestScheduledRun() override;
    Result<void> setTriggerNextRun(const std::string &id, std::optional<Millis> nextRunAt) override;
    Result<bool> triggerFired(const std::string &triggerId, Millis scheduledAt) override;
    Result<void> recordTriggerFire(const TriggerFireRecord &fire) override;
    Result<void> insertAutomationRun(const AutomationRunRecord &run) override;
    Result<void> updateAutomationRun(const AutomationRunRecord &run) override;
    Result<std::vector<TriggerRecord>> enabledEventTriggers() override;
    Result<bool> eventTriggerFired(const std::string &triggerId, const std::string &event) override;
    Result<void> recordEventTriggerFire(const EventTriggerFireRecord &fire) override;
    Result<std::vector<EventTriggerFireRecord>> eventTriggerFires(const std::string &triggerId,
                                                                  int limit) override;
    Result<std::int64_t> appendSystemEvent(const SystemEventRecord &event) override;
    Result<std::vector<SystemEventRecord>> systemEventsAfter(std::int64_t after, std::int64_t upTo,
                                                             int limit) override;
    Result<std::int64_t> lastSystemEventSeq() override;
    Result<std::vector<std::pair<std::string, std::string>>> postedEventTopics() override;
    Result<std::vector<JobEvent>> jobEventsOfKinds(std::int64_t after, std::int64_t upTo,
                                                   const std::vector<std::string> &kinds,
                                                   int limit) override;
    Result<AutomationRunRecord> automationRun(const std::string &jobId) override;
    Result<std::vector<AutomationRunRecord>> automationRuns(const std::string &automationId,
                                                            Millis since) override;
    Result<std::vector<AutomationRunRecord>> runsWhoseJobEnded() override;
    Result<std::vector<std::string>> automationsWithOpenRuns() override;
    Result<std::optional<std::string>> startKeyJob(const std::string &scope, const std::string &key,
                                                   Millis since) override;
    Result<void> recordStartKey(const std::string &scope, const std::string &key,
                                const std::string &jobId, Millis at) override;
    Result<std::vector<TriggerFireRecord>> triggerFires(const std::string &triggerId,
                                                        int limit) override;

    // ---- jobs of automations, webhook deliveries (SqliteStoreAutomationJobs.cpp) ----
    Result<std::vector<JobEndRecord>> jobEndsAfter(std::int64_t after, std::int64_t upTo,
                                                   int limit) override;
    Result<std::int64_t> lastJobEventSeq() override;
    Result<void> insertWebhookDelivery(const WebhookDeliveryRecord &delivery) override;
    Result<void> updateWebhookDelivery(const WebhookDeliveryRecord &delivery) override;
    Result<std::vector<WebhookDeliveryRecord>> dueWebhookDeliveries(Millis now, int limit) override;
    Result<std::optional<Millis>> soonestWebhookAttempt() override;
    Result<std::vector<WebhookDeliveryRecord>> webhookDeliveries(const std::string &automationId,
                                                                 const std::string &status,
                                                                 int limit) override;
    Result<std::vector<AutomationJobRecord>> automationJobs(const std::string &automationId,
                                                            Millis since, int limit) override;

    // ---- runs from elsewhere (SqliteStoreExternalRuns.cpp) ----
    Result<void> insertExternalRun(const ExternalRunRecord &run, const JobRecord &job) override;
    Result<void> updateExternalRun(const ExternalRunRecord &run, const JobRecord &job) override;
    Result<ExternalRunRecord> externalRun(const std::string &id) override;
    Result<Page<ExternalRunRecord>> externalRuns(const std::string &ns, const std::string &jobName,
                                                 int limit, int offset) override;

private:
    SqliteStore(std::string path, SqliteDb writer, Options options);

    Millis now() const;
    /// Runs `read` on a read connection, or on the writer when the calling thread is inside
    /// transaction() (so it sees its own uncommitted writes) or the store is in memory.
    Result<void> withReadConnection(const std::function<Result<void>(SqliteDb &)> &read);
    template <typename T>
    Result<T> withReader(const std::function<Result<T>(SqliteDb &)> &read)
    {
        std::optional<Result<T>> out;
        auto r = withReadConnection([&](SqliteDb &db) -> Result<void> {
            out.emplace(read(db));
            return {};
        });
        if (!r)
            return r.error();
        return std::move(*out);
    }
    /// Runs `write` on the writer inside a transaction (joining one already open).
    Result<void> withWriter(const std::function<Result<void>(SqliteDb &)> &write);

    std::string m_path;
    bool m_inMemory = false;
    Options m_options;

    std::recursive_mutex m_writerMutex;
    SqliteDb m_writer;
    std::thread::id m_transactionThread; ///< guarded by m_writerMutex

    std::mutex m_readersMutex;
    std::vector<std::unique_ptr<SqliteDb>> m_idleReaders;
};

} // namespace flowdeck::store
