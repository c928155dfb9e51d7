// SPDX-License-Identifier: GPL-3.0-or-later
// The store interface: everything the engine keeps. SQLite is the embedded default; a
// PostgreSQL implementation will let several Flowdeck servers share one database. Writes
// come from one engine thread; reads may come from any thread and never block the writer.
#pragma once

#include "engine/model/Error.h"
#include "engine/model/Workflow.h"
#include "engine/store/Records.h"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace flowdeck::store {

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

    /// The ids of jobs in any of these statuses (recovery loads running and paused jobs).
    virtual Result<std::vector<std::string>>
    jobIdsWithStatus(const std::vector<std::string> &statuses) = 0;
    virtual Result<TaskIterationRecord> taskIteration(const std::string &id) = 0;
    /// Every iteration of a job, oldest first.
    virtual Result<std::vector<TaskIterationRecord>> taskIterations(const std::string &jobId) = 0;

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
};

} // namespace flowdeck::store
