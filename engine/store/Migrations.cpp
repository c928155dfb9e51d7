// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/store/Migrations.h"

#include <array>
#include <string>

namespace flowdeck::store {
namespace {

// Times are milliseconds since the epoch (as Itential's metrics are); documents are the
// JSON the API answers with, and the columns beside them are what queries filter and sort on.
constexpr std::array kMigrations{
    Migration{1, "workflows with version history, automations, triggers, users, groups",
              R"sql(
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE workflows (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    version    INTEGER NOT NULL DEFAULT 1,
    document   TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    created_by TEXT,
    updated_at INTEGER NOT NULL,
    updated_by TEXT
);
CREATE INDEX workflows_by_updated ON workflows(updated_at);

CREATE TABLE workflow_versions (
    workflow_id TEXT NOT NULL REFERENCES workflows(id) ON DELETE CASCADE,
    version     INTEGER NOT NULL,
    document    TEXT NOT NULL,
    saved_at    INTEGER NOT NULL,
    saved_by    TEXT,
    PRIMARY KEY (workflow_id, version)
) WITHOUT ROWID;

CREATE TABLE automations (
    id             TEXT PRIMARY KEY,
    name           TEXT NOT NULL UNIQUE,
    description    TEXT,
    component_type TEXT NOT NULL DEFAULT 'workflows',
    component_id   TEXT REFERENCES workflows(id) ON DELETE SET NULL,
    document       TEXT NOT NULL,
    created_at     INTEGER NOT NULL,
    created_by     TEXT,
    updated_at     INTEGER NOT NULL,
    updated_by     TEXT
);
CREATE INDEX automations_by_component ON automations(component_id);

CREATE TABLE triggers (
    id            TEXT PRIMARY KEY,
    automation_id TEXT NOT NULL REFERENCES automations(id) ON DELETE CASCADE,
    name          TEXT NOT NULL,
    type          TEXT NOT NULL CHECK (type IN ('manual', 'endpoint', 'eventSystem', 'schedule')),
    enabled       INTEGER NOT NULL DEFAULT 1,
    document      TEXT NOT NULL,
    last_run_at   INTEGER,
    next_run_at   INTEGER,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
);
CREATE INDEX triggers_by_automation ON triggers(automation_id);
CREATE INDEX triggers_due ON triggers(next_run_at) WHERE enabled = 1;

CREATE TABLE users (
    id            TEXT PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE,
    display_name  TEXT,
    email         TEXT,
    password_hash TEXT,
    disabled      INTEGER NOT NULL DEFAULT 0,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
);

CREATE TABLE user_roles (
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role    TEXT NOT NULL,
    PRIMARY KEY (user_id, role)
) WITHOUT ROWID;

CREATE TABLE groups (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    description TEXT,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);

CREATE TABLE group_members (
    group_id TEXT NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
    user_id  TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    PRIMARY KEY (group_id, user_id)
) WITHOUT ROWID;
CREATE INDEX group_members_by_user ON group_members(user_id);
)sql"},
    Migration{2, "jobs, task iterations and the append-only job event log",
              R"sql(
CREATE TABLE jobs (
    id            TEXT PRIMARY KEY,
    name          TEXT NOT NULL,
    workflow_id   TEXT REFERENCES workflows(id) ON DELETE SET NULL,
    description   TEXT,
    status        TEXT NOT NULL CHECK (status IN
                      ('running', 'complete', 'error', 'canceled', 'paused', 'incomplete')),
    parent_job_id TEXT REFERENCES jobs(id) ON DELETE CASCADE,
    root_job_id   TEXT,
    progress      REAL NOT NULL DEFAULT 0,
    created_at    INTEGER NOT NULL,
    created_by    TEXT,
    updated_at    INTEGER NOT NULL,
    updated_by    TEXT,
    document      TEXT NOT NULL
);
-- The console's and API's listings: by status or workflow, newest change first; by time.
CREATE INDEX jobs_by_status_updated ON jobs(status, updated_at);
CREATE INDEX jobs_by_name_updated ON jobs(name, updated_at);
CREATE INDEX jobs_by_created ON jobs(created_at);
CREATE INDEX jobs_by_updated ON jobs(updated_at);
CREATE INDEX jobs_by_parent ON jobs(parent_job_id) WHERE parent_job_id IS NOT NULL;

CREATE TABLE task_iterations (
    id         TEXT PRIMARY KEY,
    job_id     TEXT NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
    task_key   TEXT NOT NULL,
    status     TEXT NOT NULL CHECK (status IN ('incomplete', 'scheduled', 'running', 'complete',
                                               'error', 'failure', 'canceled', 'paused')),
    type       TEXT,
    owner      TEXT,
    started_at INTEGER,
    ended_at   INTEGER,
    updated_at INTEGER NOT NULL,
    document   TEXT NOT NULL
);
CREATE INDEX task_iterations_by_job ON task_iterations(job_id, task_key);
CREATE INDEX task_iterations_by_status_owner ON task_iterations(status, owner);
CREATE INDEX task_iterations_by_owner ON task_iterations(owner) WHERE owner IS NOT NULL;

CREATE TABLE job_events (
    seq    INTEGER PRIMARY KEY AUTOINCREMENT,
    job_id TEXT NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
    at     INTEGER NOT NULL,
    actor  TEXT,
    kind   TEXT NOT NULL,
    data   TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX job_events_by_job ON job_events(job_id, seq);
-- History is evidence: it is appended to and deleted with its job, never rewritten.
CREATE TRIGGER job_events_append_only BEFORE UPDATE ON job_events
BEGIN
    SELECT RAISE(ABORT, 'job_events is append-only');
END;
)sql"},
    Migration{3, "index jobs by workflow, so deleting a workflow does not scan every job",
              R"sql(
CREATE INDEX jobs_by_workflow ON jobs(workflow_id);
)sql"},
    Migration{4, "sign-in tokens (stored hashed), account kinds, case-insensitive names",
              R"sql(
-- A service account signs in with OAuth client credentials: its username is the client_id and
-- password_hash holds the hash of its secret, so it needs no columns of its own beyond kind.
ALTER TABLE users ADD COLUMN kind TEXT NOT NULL DEFAULT 'person'
    CHECK (kind IN ('person', 'service'));
-- "Alice" and "alice" are one person to an operator reading a task's owner.
CREATE UNIQUE INDEX users_by_username_nocase ON users(username COLLATE NOCASE);
CREATE UNIQUE INDEX groups_by_name_nocase ON groups(name COLLATE NOCASE);

CREATE TABLE tokens (
    id         TEXT PRIMARY KEY,
    token_hash TEXT NOT NULL,
    user_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind       TEXT NOT NULL CHECK (kind IN ('session', 'client')),
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    revoked_at INTEGER
);
CREATE UNIQUE INDEX tokens_by_hash ON tokens(token_hash);
CREATE INDEX tokens_by_user ON tokens(user_id);
CREATE INDEX tokens_by_expiry ON tokens(expires_at);
)sql"},
    Migration{5, "JST documents (transformations) with version history",
              R"sql(
-- The id is the document's own _id when it brings one: workflows' transformation tasks name
-- a JST by it (tr_id), so an imported JST must keep it.
CREATE TABLE transformations (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    version    INTEGER NOT NULL DEFAULT 1,
    document   TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    created_by TEXT,
    updated_at INTEGER NOT NULL,
    updated_by TEXT
);
-- One name, one JST, regardless of case; also the listing's order.
CREATE UNIQUE INDEX transformations_by_name_nocase ON transformations(name COLLATE NOCASE);

CREATE TABLE transformation_versions (
    transformation_id TEXT NOT NULL REFERENCES transformations(id) ON DELETE CASCADE,
    version           INTEGER NOT NULL,
    document          TEXT NOT NULL,
    saved_at          INTEGER NOT NULL,
    saved_by          TEXT,
    PRIMARY KEY (transformation_id, version)
) WITHOUT ROWID;
)sql"},
    Migration{6, "endpoint triggers' routeName, unique among enabled endpoint triggers",
              R"sql(
-- POST /operations-manager/triggers/endpoint/:routeName finds its trigger by this column, and
-- the index makes "one enabled endpoint trigger per routeName" hold even between two writers.
ALTER TABLE triggers ADD COLUMN route_name TEXT;
UPDATE triggers SET route_name = json_extract(document, '$.routeName') WHERE type = 'endpoint';
CREATE UNIQUE INDEX triggers_by_enabled_route ON triggers(route_name)
    WHERE type = 'endpoint' AND enabled = 1;
)sql"},
    Migration{7, "job groups as a column for GBAC listings; an index for the operator's inbox",
              R"sql(
-- GET /operations-manager/jobs filters and counts by the caller's groups in SQL; the column
-- follows the document, so no writer has to keep it in step.
ALTER TABLE jobs ADD COLUMN gbac_groups TEXT
    GENERATED ALWAYS AS (json_extract(document, '$.groups')) VIRTUAL;
-- The inbox: equals[type]=manual&equals[status]=running, then by owner ("assigned to me",
-- "available": no owner).
CREATE INDEX task_iterations_inbox ON task_iterations(type, status, owner);
)sql"},
    Migration{8, "an index for every sort of the jobs table; case-insensitive name prefixes",
              R"sql(
-- The jobs table sorts by every column it shows, over a million jobs, a page at a time: each
-- sort must be an index walk (ties break on the rowid, which every index ends with), never a
-- sort of every row. The job's times live in its document; these columns follow it, so no
-- writer has to keep them in step (VIRTUAL: computed on read, stored only in their index).
-- Building the indexes reads every job once: about a minute for a million (docs/store.md).
ALTER TABLE jobs ADD COLUMN start_time INTEGER
    GENERATED ALWAYS AS (json_extract(document, '$.metrics.start_time')) VIRTUAL;
ALTER TABLE jobs ADD COLUMN end_time INTEGER
    GENERATED ALWAYS AS (json_extract(document, '$.metrics.end_time')) VIRTUAL;
-- Duration: how long a job that has ended ran. A running (or paused) job has no end yet, so
-- no run time: what it shows counts up to now, which no index can hold. Such jobs sort
-- after every finished one in both directions (the store asks for NULLS LAST, which SQLite
-- serves from this index), so "shortest first" and "longest first" both start with answers.
ALTER TABLE jobs ADD COLUMN run_time INTEGER
    GENERATED ALWAYS AS (CASE WHEN typeof(end_time) IN ('integer', 'real') AND
                                   typeof(start_time) IN ('integer', 'real')
                              THEN end_time - start_time END) VIRTUAL;
-- Groups: a job lists GBAC group ids (or, in imported documents, {_id, name} objects); it
-- sorts by its first group's id, and a job without groups (open to everyone) has none, so
-- it sorts first ascending and last descending, like every missing value.
ALTER TABLE jobs ADD COLUMN first_group TEXT
    GENERATED ALWAYS AS (coalesce(json_extract(document, '$.groups[0]._id'),
                                  json_extract(document, '$.groups[0]'))) VIRTUAL;
CREATE INDEX jobs_by_start_time ON jobs(start_time);
-- The table's default order (newest start first) under its status filter: without this,
-- SQLite finds every job of the status and sorts them (1.4 s for 100,000 errors).
CREATE INDEX jobs_by_status_start_time ON jobs(status, start_time);
CREATE INDEX jobs_by_run_time ON jobs(run_time);
CREATE INDEX jobs_by_first_group ON jobs(first_group);
CREATE INDEX jobs_by_created_by ON jobs(created_by);
CREATE INDEX jobs_by_progress ON jobs(progress);
-- starts-with[name] ignores case (LIKE): SQLite turns a prefix LIKE into a range on an index
-- of the column in NOCASE order, and names sort in that order (then by description), so a
-- prefix in name order is one range walked. With the status first,
-- equals[status]=…&starts-with[name]=… is one range of one index, counted without a row read.
-- The description rides along so that the console's text filter (a substring of the name or
-- the description) counts its total from an index a thirtieth of the table's size.
CREATE INDEX jobs_by_name_nocase ON jobs(name COLLATE NOCASE, description);
CREATE INDEX jobs_by_status_name_nocase ON jobs(status, name COLLATE NOCASE, description);
)sql"},
    Migration{9, "API tokens beside session and client tokens, with a label and a last use",
              R"sql(
-- `flowdeck token create` issues long-lived tokens for machines (CI/CD clients): the kind
-- tells them from sign-in sessions, the label from each other, and last_used_at shows which
-- are still in use before one is revoked. SQLite cannot widen a CHECK in place: the table is
-- rebuilt with every row it had.
CREATE TABLE tokens_v9 (
    id           TEXT PRIMARY KEY,
    token_hash   TEXT NOT NULL,
    user_id      TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind         TEXT NOT NULL CHECK (kind IN ('session', 'client', 'api')),
    label        TEXT NOT NULL DEFAULT '',
    created_at   INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL,
    revoked_at   INTEGER,
    last_used_at INTEGER
);
INSERT INTO tokens_v9 (id, token_hash, user_id, kind, created_at, expires_at, revoked_at)
    SELECT id, token_hash, user_id, kind, created_at, expires_at, revoked_at FROM tokens;
DROP TABLE tokens;
ALTER TABLE tokens_v9 RENAME TO tokens;
CREATE UNIQUE INDEX tokens_by_hash ON tokens(token_hash);
CREATE INDEX tokens_by_user ON tokens(user_id);
CREATE INDEX tokens_by_expiry ON tokens(expires_at);
)sql"},
    Migration{10,
              "adapter instances: named connections with their definition and sealed properties",
              R"sql(
CREATE TABLE adapters (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE COLLATE NOCASE,
    app        TEXT NOT NULL,
    definition TEXT NOT NULL,
    properties TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    created_by TEXT,
    updated_at INTEGER NOT NULL,
    updated_by TEXT
);
-- A task without adapter_id takes the only instance of its app.
CREATE INDEX adapters_by_app ON adapters(app);
)sql"},
    Migration{11, "what became of each scheduled instant of a schedule trigger, once",
              R"sql(
-- The primary key is the exactly-once rule: a (trigger, instant) row is written in the same
-- transaction as the job it started, so a crash either keeps both or neither.
CREATE TABLE trigger_fires (
    trigger_id   TEXT NOT NULL REFERENCES triggers(id) ON DELETE CASCADE,
    scheduled_at INTEGER NOT NULL,
    outcome      TEXT NOT NULL CHECK (outcome IN ('started', 'skipped', 'failed')),
    job_id       TEXT,
    message      TEXT NOT NULL DEFAULT '',
    handled_at   INTEGER NOT NULL,
    PRIMARY KEY (trigger_id, scheduled_at)
) WITHOUT ROWID;
-- The scheduler's query: enabled schedules by their next run.
CREATE INDEX triggers_schedule_due ON triggers(next_run_at)
    WHERE enabled = 1 AND type = 'schedule' AND next_run_at IS NOT NULL;
)sql"},
    Migration{12, "run policies: queued jobs, and every start through an automation",
              R"sql(
-- A job waiting for its automation's runPolicy is a real job with status 'queued'. The jobs
-- table's CHECK predates it; widening an IN list admits every row it admitted before, so the
-- constraint's text is edited in place (SQLite's documented procedure for loosening a CHECK)
-- rather than rebuilding the table, whose DROP would cascade to every job's events.
PRAGMA writable_schema = ON;
UPDATE sqlite_schema
   SET sql = replace(sql, '''paused'', ''incomplete'')', '''paused'', ''incomplete'', ''queued'')')
 WHERE type = 'table' AND name = 'jobs';
PRAGMA writable_schema = RESET;
-- One row per job started (or queued) through an automation: the policy counts running rows
-- per automation and key, starts in a trailing window (rate limits), Idempotency-Keys (dedup),
-- and admits queued rows in rowid order (FIFO). `request` is how to start a queued job.
CREATE TABLE automation_runs (
    job_id          TEXT PRIMARY KEY,
    automation_id   TEXT NOT NULL,
    trigger_id      TEXT,
    concurrency_key TEXT,
    state           TEXT NOT NULL CHECK (state IN ('queued', 'running', 'ended')),
    reason          TEXT NOT NULL DEFAULT '',
    request         TEXT NOT NULL,
    idempotency_key TEXT,
    attempt         INTEGER NOT NULL DEFAULT 1,
    first_job_id    TEXT,
    queued_at       INTEGER NOT NULL,
    started_at      INTEGER,
    ended_at        INTEGER,
    ended_status    TEXT
);
CREATE INDEX automation_runs_active ON automation_runs(automation_id, state);
CREATE INDEX automation_runs_recent ON automation_runs(automation_id, queued_at);
CREATE INDEX automation_runs_open ON automation_runs(state) WHERE state <> 'ended';
CREATE INDEX automation_runs_by_key ON automation_runs(automation_id, idempotency_key)
    WHERE idempotency_key IS NOT NULL;
-- Idempotency-Keys of POST /operations-manager/jobs/start, which names a workflow and so has no
-- runPolicy: a key is the caller's own (scope = their user id) for a fixed window.
CREATE TABLE start_keys (
    scope      TEXT NOT NULL,
    key        TEXT NOT NULL,
    job_id     TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (scope, key)
) WITHOUT ROWID;
)sql"},
    Migration{13, "completion webhook deliveries, runs recorded from elsewhere",
              R"sql(
-- One row per job end (its jobStatus event's seq) of an automation with a webhook. Rows come
-- from the event log after a cursor (settings 'webhooks.cursor'), advanced in the same
-- transaction as the rows it produced: a job end committed before a kill -9 is delivered after
-- the restart. Only job ends after this upgrade are delivered.
CREATE TABLE webhook_deliveries (
    id              INTEGER PRIMARY KEY,
    automation_id   TEXT NOT NULL REFERENCES automations(id) ON DELETE CASCADE,
    job_id          TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    url             TEXT NOT NULL DEFAULT '',
    response_status INTEGER,
    last_error      TEXT NOT NULL DEFAULT '',
    next_attempt_at INTEGER,
    summary         TEXT NOT NULL,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries(next_attempt_at)
    WHERE status = 'pending';
CREATE INDEX webhook_deliveries_by_automation ON webhook_deliveries(automation_id, id);
INSERT OR REPLACE INTO settings (key, value)
    VALUES ('webhooks.cursor', (SELECT coalesce(max(seq), 0) FROM job_events));

-- Runs of jobs that run outside Flowdeck (Marquez's run lifecycle). Each has a row in jobs
-- (the external job the jobs table lists), kept in step in the same transaction.
CREATE TABLE external_runs (
    id            TEXT PRIMARY KEY,
    namespace     TEXT NOT NULL,
    job_name      TEXT NOT NULL,
    state         TEXT NOT NULL CHECK (state IN ('NEW', 'RUNNING', 'COMPLETED', 'FAILED', 'ABORTED')),
    job_id        TEXT NOT NULL UNIQUE REFERENCES jobs(id) ON DELETE CASCADE,
    document      TEXT NOT NULL,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX external_runs_by_job ON external_runs(namespace, job_name, created_at);
)sql"},
    Migration{14, "event triggers: events posted to Flowdeck, and each event handled once",
              R"sql(
-- Events outside any job's log: posted to Flowdeck by other systems, or emitted by Flowdeck
-- about no single job (an adapter instance going down, missed schedule runs, trigger runs).
CREATE TABLE system_events (
    seq       INTEGER PRIMARY KEY AUTOINCREMENT,
    source    TEXT NOT NULL,
    topic     TEXT NOT NULL,
    payload   TEXT NOT NULL DEFAULT '{}',
    at        INTEGER NOT NULL,
    posted_by TEXT
);
CREATE INDEX system_events_by_topic ON system_events(source, topic);
-- The primary key is the exactly-once rule, as trigger_fires is for schedules: the row is
-- written in the same transaction as the job the event started. `event` is "job:<seq>" (the
-- job event log) or "system:<seq>".
CREATE TABLE event_trigger_fires (
    trigger_id TEXT NOT NULL REFERENCES triggers(id) ON DELETE CASCADE,
    event      TEXT NOT NULL,
    outcome    TEXT NOT NULL CHECK (outcome IN ('started', 'failed')),
    job_id     TEXT,
    message    TEXT NOT NULL DEFAULT '',
    handled_at INTEGER NOT NULL,
    PRIMARY KEY (trigger_id, event)
) WITHOUT ROWID;
CREATE INDEX event_trigger_fires_by_time ON event_trigger_fires(trigger_id, handled_at);
-- Only events after this upgrade start jobs: the job log's past is not replayed.
INSERT OR REPLACE INTO settings (key, value)
    VALUES ('eventTriggers.jobCursor', (SELECT coalesce(max(seq), 0) FROM job_events));
INSERT OR REPLACE INTO settings (key, value) VALUES ('eventTriggers.systemCursor', '0');
)sql"},
};

} // namespace

std::span<const Migration> migrations()
{
    return kMigrations;
}

int latestSchemaVersion()
{
    return kMigrations.back().version;
}

Result<int> schemaVersion(SqliteDb &db)
{
    auto v = db.queryInt("PRAGMA user_version");
    if (!v)
        return v.error();
    return int(*v);
}

Result<void> migrate(SqliteDb &db, int target)
{
    if (target < 0)
        target = latestSchemaVersion();
    auto current = schemaVersion(db);
    if (!current)
        return current.error();
    if (*current > latestSchemaVersion())
        return Error::invalid("the database " + db.path() + " has schema version " +
                              std::to_string(*current) + ", newer than this Flowdeck knows (" +
                              std::to_string(latestSchemaVersion()) +
                              "); open it with a newer Flowdeck");
    for (const auto &m : kMigrations) {
        if (m.version <= *current || m.version > target)
            continue;
        auto tx = Transaction::begin(db);
        if (!tx)
            return tx.error();
        if (auto r = db.exec(m.sql); !r)
            return Error{r.error().code,
                         "migration to schema version " + std::to_string(m.version) +
                             " failed: " + r.error().message,
                         {}};
        if (auto r = db.exec("PRAGMA user_version = " + std::to_string(m.version)); !r)
            return r.error();
        if (auto r = tx->commit(); !r)
            return r.error();
    }
    return {};
}

} // namespace flowdeck::store
