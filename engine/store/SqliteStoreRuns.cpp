// SPDX-License-Identifier: GPL-3.0-or-later
// The store's automation runs: what run policies count and queue (table automation_runs,
// schema 12). Writes go through the writer, so a run row and the job it describes commit in
// the caller's transaction.
#include "engine/store/SqliteStore.h"
#include "engine/store/StoreSupport.h"

namespace flowdeck::store {

namespace {

constexpr const char *kRunColumns =
    "job_id, automation_id, trigger_id, concurrency_key, state, reason, request, "
    "idempotency_key, attempt, first_job_id, queued_at, started_at, ended_at, ended_status, "
    "automation_runs.rowid";

std::optional<Millis> optionalInt(const Statement &s, int column)
{
    return s.isNull(column) ? std::nullopt : std::optional<Millis>(s.int64(column));
}

Result<AutomationRunRecord> readRun(Statement &s)
{
    AutomationRunRecord r;
    r.jobId = s.text(0);
    r.automationId = s.text(1);
    r.triggerId = s.optionalText(2);
    r.concurrencyKey = s.optionalText(3);
    r.state = s.text(4);
    r.reason = s.text(5);
    auto request = parseDocument(s.text(6));
    if (!request)
        return request.error();
    r.request = std::move(*request);
    r.idempotencyKey = s.optionalText(7);
    r.attempt = int(s.int64(8));
    r.firstJobId = s.optionalText(9);
    r.queuedAt = s.int64(10);
    r.startedAt = optionalInt(s, 11);
    r.endedAt = optionalInt(s, 12);
    r.endedStatus = s.optionalText(13);
    r.seq = s.int64(14);
    return r;
}

void bindOptional(Statement &s, int index, const std::optional<Millis> &value)
{
    if (value)
        s.bind(index, *value);
    else
        s.bindNull(index);
}

/// Binds ?1…?14 in kRunColumns order (without rowid).
void bindRun(Statement &s, const AutomationRunRecord &run)
{
    s.bind(1, run.jobId).bind(2, run.automationId).bind(3, run.triggerId);
    s.bind(4, run.concurrencyKey).bind(5, run.state).bind(6, run.reason);
    s.bind(7, run.request.dump()).bind(8, run.idempotencyKey).bind(9, run.attempt);
    s.bind(10, run.firstJobId).bind(11, run.queuedAt);
    bindOptional(s, 12, run.startedAt);
    bindOptional(s, 13, run.endedAt);
    s.bind(14, run.endedStatus);
}

} // namespace

Result<void> SqliteStore::insertAutomationRun(const AutomationRunRecord &run)
{
    return withWriter([&](SqliteDb &db) -> Result<void> {
        auto s = db.prepare(
            "INSERT INTO automation_runs (job_id, automation_id, trigger_id, concurrency_key, "
            "state, reason, request, idempotency_key, attempt, first_job_id, queued_at, "
            "started_at, ended_at, ended_status) "
            "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)");
        if (!s)
            return s.error();
        bindRun(*s, run);
        if (auto r = s->run(); !r) {
            if (r.error().code == ErrorCode::Conflict)
                return Error::conflict("job " + run.jobId + " has an automation run already");
            return r;
        }
        return {};
    });
}

Result<void> SqliteStore::updateAutomationRun(const AutomationRunRecord &run)
{
    return withWriter([&](SqliteDb &db) -> Result<void> {
        auto s = db.prepare(
            "UPDATE automation_runs SET automation_id = ?2, trigger_id = ?3, concurrency_key = ?4, "
            "state = ?5, reason = ?6, request = ?7, idempotency_key = ?8, attempt = ?9, "
            "first_job_id = ?10, queued_at = ?11, started_at = ?12, ended_at = ?13, "
            "ended_status = ?14 WHERE job_id = ?1");
        if (!s)
            return s.error();
        bindRun(*s, run);
        if (auto r = s->run(); !r)
            return r;
        if (db.changes() == 0)
            return Error::notFound("no automation run for job " + run.jobId);
        return {};
    });
}

Result<AutomationRunRecord> SqliteStore::automationRun(const std::string &jobId)
{
    return withReader<AutomationRunRecord>([&](SqliteDb &db) -> Result<AutomationRunRecord> {
        return required(findOne<AutomationRunRecord>(db,
                                                     std::string("SELECT ") + kRunColumns +
                                                         " FROM automation_runs WHERE job_id = ?1",
                                                     jobId, readRun),
                        "no automation run for job " + jobId);
    });
}

Result<std::vector<AutomationRunRecord>>
SqliteStore::automationRuns(const std::string &automationId, Millis since)
{
    using V = std::vector<AutomationRunRecord>;
    return withReader<V>([&](SqliteDb &db) -> Result<V> {
        auto s = db.prepare(std::string("SELECT ") + kRunColumns +
                            " FROM automation_runs WHERE automation_id = ?1 AND "
                            "(state <> 'ended' OR queued_at >= ?2 OR started_at >= ?2) "
                            "ORDER BY rowid");
        if (!s)
            return s.error();
        s->bind(1, automationId).bind(2, since);
        return collectRows<AutomationRunRecord>(*s, readRun);
    });
}

Result<std::vector<AutomationRunRecord>> SqliteStore::runsWhoseJobEnded()
{
    using V = std::vector<AutomationRunRecord>;
    return withReader<V>([&](SqliteDb &db) -> Result<V> {
        auto s = db.prepare(std::string("SELECT ") + kRunColumns +
                            ", j.status FROM automation_runs JOIN jobs j ON j.id = job_id "
                            "WHERE state = 'running' AND j.status IN ('complete', 'error', "
                            "'canceled') ORDER BY automation_runs.rowid");
        if (!s)
            return s.error();
        return collectRows<AutomationRunRecord>(*s,
                                                [](Statement &st) -> Result<AutomationRunRecord> {
                                                    auto run = readRun(st);
                                                    if (run)
                                                        run->endedStatus = st.text(15);
                                                    return run;
                                                });
    });
}

Result<std::vector<std::string>> SqliteStore::automationsWithOpenRuns()
{
    using V = std::vector<std::string>;
    return withReader<V>([&](SqliteDb &db) -> Result<V> {
        auto s = db.prepare("SELECT DISTINCT automation_id FROM automation_runs "
                            "WHERE state <> 'ended' ORDER BY automation_id");
        if (!s)
            return s.error();
        return collectRows<std::string>(
            *s, [](Statement &st) -> Result<std::string> { return st.text(0); });
    });
}

Result<std::optional<std::string>> SqliteStore::startKeyJob(const std::string &scope,
                                                            const std::string &key, Millis since)
{
    using O = std::optional<std::string>;
    return withReader<O>([&](SqliteDb &db) -> Result<O> {
        auto s = db.prepare("SELECT job_id FROM start_keys WHERE scope = ?1 AND key = ?2 AND "
                            "created_at >= ?3");
        if (!s)
            return s.error();
        s->bind(1, scope).bind(2, key).bind(3, since);
        auto row = s->step();
        if (!row)
            return row.error();
        return *row ? O(s->text(0)) : O();
    });
}

Result<void> SqliteStore::recordStartKey(const std::string &scope, const std::string &key,
                                         const std::string &jobId, Millis at)
{
    return withWriter([&](SqliteDb &db) -> Result<void> {
        auto s = db.prepare("INSERT OR REPLACE INTO start_keys (scope, key, job_id, created_at) "
                            "VALUES (?1, ?2, ?3, ?4)");
        if (!s)
            return s.error();
        s->bind(1, scope).bind(2, key).bind(3, jobId).bind(4, at);
        return s->run();
    });
}

} // namespace flowdeck::store
