// SPDX-License-Identifier: GPL-3.0-or-later
// What the store keeps, row by row. Documents stay JSON; the fields beside them are the
// columns that queries filter and sort on, kept in step by the store on every write.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace flowdeck::store {

using Millis = std::int64_t; ///< milliseconds since the Unix epoch

struct WorkflowRecord
{
    std::string id;
    std::string name;
    int version = 1;
    nlohmann::json document;
    Millis createdAt = 0;
    std::optional<std::string> createdBy;
    Millis updatedAt = 0;
    std::optional<std::string> updatedBy;
};

struct WorkflowVersion
{
    int version = 0;
    nlohmann::json document;
    Millis savedAt = 0;
    std::optional<std::string> savedBy;
};

struct WorkflowQuery
{
    std::optional<std::string> name;         ///< exact name
    std::optional<std::string> nameContains; ///< case-insensitive substring
    int skip = 0;
    int limit = 50;
};

struct JobRecord
{
    std::string id;
    std::string name; ///< the workflow's name, as Itential lists jobs
    std::optional<std::string> workflowId;
    std::string description;
    std::string status; ///< running | complete | error | canceled | paused | incomplete
    std::optional<std::string> parentJobId;
    std::optional<std::string> rootJobId;
    double progress = 0;
    Millis createdAt = 0;
    std::optional<std::string> createdBy;
    Millis updatedAt = 0;
    std::optional<std::string> updatedBy;
    nlohmann::json document = nlohmann::json::object();
};

enum class JobSort { UpdatedAt, CreatedAt, Name, Status };

/// The operators of the Operations Manager search syntax (reference §2a).
enum class FilterOp { Equals, Contains, StartsWith, EndsWith, In, NotIn, Gt, Gte, Lt, Lte, Exists };

/// A condition tree over a listing's fields. A leaf compares one search field (an API field
/// name from jobSearchFields()/taskSearchFields(), which the store maps to a column through a
/// fixed table) with values that are always bound, never spliced into SQL; And, Or and Not
/// combine children. An empty And holds for every row.
struct FilterExpr
{
    enum class Kind { Leaf, And, Or, Not };
    Kind kind = Kind::And;
    std::string field;
    FilterOp op = FilterOp::Equals;
    std::vector<nlohmann::json> values; ///< strings or numbers; Exists: one boolean
    std::vector<FilterExpr> children;
};

/// How a search field's values compare: text, numbers (times are epoch ms), or a list of
/// strings (equals/in match a member).
enum class SearchFieldType { Text, Number, List };

struct SearchField
{
    const char *name; ///< the API's (Mongo dot-path) name, e.g. "metrics.start_time"
    SearchFieldType type;
    bool sortable;
};

struct JobQuery
{
    std::optional<std::string> status;
    std::optional<std::string> name;
    JobSort sort = JobSort::UpdatedAt;
    bool descending = true;
    int skip = 0;
    int limit = 50;
    bool withTotal = true; ///< count every match (paging metadata); off for infinite scroll
    FilterExpr filter;     ///< the search syntax's conditions, with status/name
    std::optional<std::string> sortField; ///< a sortable search field; overrides `sort`
    /// GBAC: the caller's group ids; only jobs whose groups are empty or share one are listed
    /// and counted. nullopt lists everything (admin).
    std::optional<std::vector<std::string>> visibleTo;
};

/// A listing of task iterations (GET /operations-manager/tasks).
struct TaskQuery
{
    FilterExpr filter;
    std::string sortField = "name"; ///< a sortable search field
    bool descending = false;
    /// GBAC: only iterations whose job's groups and task's groups both admit these group ids.
    std::optional<std::vector<std::string>> visibleTo;
    int skip = 0;
    int limit = 25;
    bool withTotal = true;
};

/// What deleting a root job removed.
struct JobDeletion
{
    std::int64_t jobs = 0; ///< the root and its descendants
    std::int64_t taskIterations = 0;
    std::int64_t events = 0;
};

struct TaskIterationRecord
{
    std::string id; ///< UUID
    std::string jobId;
    std::string taskKey;
    std::string status;
    std::optional<std::string> type;
    std::optional<std::string> owner;
    std::optional<Millis> startedAt;
    std::optional<Millis> endedAt;
    Millis updatedAt = 0;
    nlohmann::json document = nlohmann::json::object();
};

struct JobEvent
{
    std::int64_t seq = 0; ///< global, increasing: the cursor for catching up
    std::string jobId;
    Millis at = 0;
    std::optional<std::string> actor;
    std::string kind;
    nlohmann::json data = nlohmann::json::object();
};

/// An account. Usernames are unique regardless of case; the password hash is absent for the
/// window's local account and for accounts that have not been given a password yet.
struct UserRecord
{
    std::string id;
    std::string username;
    std::string displayName;
    std::string email;
    std::optional<std::string> passwordHash; ///< argon2id string from engine/access
    bool disabled = false;
    std::string kind = "person"; ///< person | service (OAuth client credentials, later)
    std::vector<std::string> roles;
    std::vector<std::string> groups; ///< group ids, sorted
    Millis createdAt = 0;
    Millis updatedAt = 0;
};

struct GroupRecord
{
    std::string id;
    std::string name;
    std::string description;
    std::vector<std::string> members; ///< user ids, sorted
    Millis createdAt = 0;
    Millis updatedAt = 0;
};

/// A sign-in token as stored: only its hash, never the token itself.
struct TokenRecord
{
    std::string id;
    std::string tokenHash; ///< hex BLAKE2b of the token
    std::string userId;
    Millis createdAt = 0;
    Millis expiresAt = 0;
    std::optional<Millis> revokedAt;
    std::string kind = "session";     ///< session | client | api
    std::string label;                ///< api tokens: what the token is for ("CI deploy")
    std::optional<Millis> lastUsedAt; ///< api tokens: the last request it signed (to a minute)
};

template <typename T>
struct Page
{
    std::vector<T> items;
    std::int64_t total = -1; ///< -1 when not counted
};

// ---- transformations (JST documents) ----

/// A JST document, stored beside the workflows. `id` is the document's own `_id` when it
/// brings one — workflows name a JST by it (a transformation task's tr_id) — else a new
/// ObjectId written into the document. `version` counts saves in this store; the document's
/// own "version" string (the JST designer's) is left as it is.
struct TransformationRecord
{
    std::string id;
    std::string name;
    int version = 1;
    nlohmann::json document; ///< with "_id" equal to id
    Millis createdAt = 0;
    std::optional<std::string> createdBy;
    Millis updatedAt = 0;
    std::optional<std::string> updatedBy;
};

/// One saved version of a JST document, as for workflows.
using TransformationVersion = WorkflowVersion;

struct TransformationQuery
{
    std::optional<std::string> name;         ///< exact name, regardless of case
    std::optional<std::string> nameContains; ///< case-insensitive substring
    int skip = 0;
    int limit = 50;
};

// ---- adapter instances ----

/// A named, configured connection to a system that adapter tasks call. `properties` are in
/// Itential's adapter property shape with every secret sealed (engine/access/SecretBox): the
/// store never holds a password or token in the clear. `definition` is the normalised form of
/// the OpenAPI document the methods come from (engine/adapters/AdapterDefinition).
struct AdapterRecord
{
    std::string id;
    std::string name; ///< what tasks pass as adapter_id; unique regardless of case
    std::string app;  ///< the value of tasks' "app" (e.g. "Servicenow")
    nlohmann::json definition;
    nlohmann::json properties;
    Millis createdAt = 0;
    std::optional<std::string> createdBy;
    Millis updatedAt = 0;
    std::optional<std::string> updatedBy;
};

// ---- automations and triggers (Operations Manager) ----

/// An automation: the Operations Manager wrapper that points at a workflow and carries
/// triggers. `document` is the API's document ("_id", "name", "componentId", "gbac", times…);
/// the store derives its columns from it on every write.
struct AutomationRecord
{
    std::string id;
    std::string name;
    nlohmann::json document;
    Millis createdAt = 0;
    Millis updatedAt = 0;
};

/// A trigger of an automation. The columns are derived from `document` on every write;
/// lastExecuted and nextRunAt live beside it, because running a trigger must not rewrite it.
struct TriggerRecord
{
    std::string id;
    std::string automationId; ///< the document's actionId
    std::string name;
    std::string type; ///< endpoint | manual | schedule | eventSystem
    bool enabled = true;
    nlohmann::json document;
    std::optional<Millis> lastExecuted;
    std::optional<Millis> nextRunAt; ///< schedules only, as of the last write
    Millis createdAt = 0;
    Millis updatedAt = 0;
};

/// One scheduled instant of a schedule trigger and what became of it (table trigger_fires):
/// each (trigger, instant) is handled once, ever.
struct TriggerFireRecord
{
    std::string triggerId;
    Millis scheduledAt = 0;
    std::string outcome; ///< started | skipped (a missed run the policy passed over) | failed
    std::optional<std::string> jobId;
    std::string message; ///< why it was skipped or failed; empty when started
    Millis handledAt = 0;
};

/// An event Flowdeck keeps outside a job's log (table system_events): one posted to Flowdeck
/// (POST /operations-manager/events/:source/:topic) or one it emits itself about no job (an
/// adapter instance going down, missed schedule runs, a trigger that started a job).
struct SystemEventRecord
{
    std::int64_t seq = 0; ///< global, increasing: the event triggers' cursor
    std::string source;
    std::string topic;
    nlohmann::json payload = nlohmann::json::object();
    Millis at = 0;
    std::optional<std::string> postedBy; ///< who posted it; none for Flowdeck's own
};

/// What became of one event for one event trigger (table event_trigger_fires), once.
struct EventTriggerFireRecord
{
    std::string triggerId;
    std::string event;   ///< "job:<job_events seq>" or "system:<system_events seq>"
    std::string outcome; ///< started | failed (the job could not start)
    std::optional<std::string> jobId;
    std::string message; ///< why it failed; empty when started
    Millis handledAt = 0;
};

/// A job started (or waiting to start) through an automation, as its runPolicy sees it (table
/// automation_runs): queued until admitted, running until its job ends, then ended.
struct AutomationRunRecord
{
    std::string jobId;
    std::string automationId;
    std::optional<std::string> triggerId;
    std::optional<std::string> concurrencyKey; ///< the value at runPolicy.concurrency_key
    std::string state = "queued";              ///< queued | running | ended
    std::string reason;     ///< why it waits, in words ("2 of 2 running for key sw-04")
    nlohmann::json request; ///< what starts it: workflow, version, variables, actor, …
    std::optional<std::string> idempotencyKey;
    int attempt = 1;
    std::optional<std::string> firstJobId; ///< the first attempt's job, from attempt 2 on
    Millis queuedAt = 0;                   ///< when the start was asked for
    std::optional<Millis> startedAt;
    std::optional<Millis> endedAt;
    std::optional<std::string> endedStatus; ///< complete | error | canceled
    std::int64_t seq = 0;                   ///< arrival order (FIFO)
};

/// A job's end (its jobStatus event: complete, error or canceled) when an automation
/// started the job (table automation_runs): what a completion webhook reports.
struct JobEndRecord
{
    std::int64_t seq = 0; ///< the event's sequence number: the delivery's id
    std::string jobId;
    std::string automationId;
    Millis at = 0;
    std::string status;
    std::string message; ///< the error's text; empty otherwise
};

/// One completion webhook delivery (table webhook_deliveries).
struct WebhookDeliveryRecord
{
    std::int64_t id = 0; ///< the job end's event seq
    std::string automationId;
    std::string jobId;
    std::string status = "pending"; ///< pending | delivered | failed (attempts exhausted)
    int attempts = 0;
    std::string url; ///< where the last attempt went
    std::optional<int> responseStatus;
    std::string lastError;
    std::optional<Millis> nextAttemptAt;               ///< pending only
    nlohmann::json summary = nlohmann::json::object(); ///< the job's summary, as posted
    Millis createdAt = 0;
    Millis updatedAt = 0;
};

/// One job an automation started, as health reads it.
struct AutomationJobRecord
{
    std::string jobId;
    std::string status;
    Millis createdAt = 0; ///< when it was started
    std::optional<Millis> startTime;
    std::optional<Millis> endTime;
};

/// A run of a job that runs outside Flowdeck (Marquez's run lifecycle). `document` is the
/// run object as the API answers it; `jobId` its external job in the jobs table.
struct ExternalRunRecord
{
    std::string id; ///< a UUID
    std::string ns;
    std::string jobName;
    std::string state; ///< NEW | RUNNING | COMPLETED | FAILED | ABORTED
    std::string jobId;
    nlohmann::json document = nlohmann::json::object();
    Millis createdAt = 0;
    Millis updatedAt = 0;
};

enum class FieldMatch { Equals, Contains, StartsWith };

/// One field-pair filter (reference §2b): `field` is a document field name the API allowed.
struct FieldFilter
{
    std::string field;
    FieldMatch match = FieldMatch::Equals;
    std::string value;
};

/// A listing of automations or triggers. Values are always bound, never spliced into SQL.
struct FieldQuery
{
    std::vector<FieldFilter> filters; ///< all must hold; contains/startsWith ignore case
    std::string sort = "name";        ///< a document field name
    bool descending = false;
    std::optional<bool> enabled; ///< triggers only
    /// GBAC: the caller's group ids; only automations whose gbac.read is empty or shares one
    /// of them are listed (triggers: by their automation's). nullopt lists everything (admin).
    std::optional<std::vector<std::string>> readableBy;
    int skip = 0;
    int limit = 25;
};

} // namespace flowdeck::store
