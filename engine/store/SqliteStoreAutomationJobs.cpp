// SPDX-License-Identifier: GPL-3.0-or-later
// The jobs automations started (automation_runs, schema 12) as health and webhooks read them, and
// the completion webhook deliveries (webhook_deliveries). Schema 13.
#include "engine/store/SqliteStore.h"
#include "engine/store/StoreSupport.h"

namespace flowdeck::store {

namespace {

constexpr const char *kDeliveryColumns =
    "id, automation_id, job_id, status, attempts, url, response_status, last_error, "
    "next_attempt_at, summary, created_at, updated_at";

Result<WebhookDeliveryRecord> readDelivery(Statement &s)
{
    WebhookDeliveryRecord r;
    r.id = s.int64(0);
    r.automationId = s.text(1);
    r.jobId = s.text(2);
    r.status = s.text(3);
    r.attempts = int(s.int64(4));
    r.url = s.text(5);
    if (!s.isNull(6))
        r.responseStatus = int(s.int64(6));
    r.lastError = s.text(7);
    if (!s.isNull(8))
        r.nextAttemptAt = s.int64(8);
    auto summary = parseDocument(s.text(9));
    if (!summary)
        return summary.error();
    r.summary = std::move(*summary);
    r.createdAt = s.int64(10);
    r.updatedAt = s.int64(11);
    return r;
}

Result<std::vector<WebhookDeliveryRecord>> readDeliveries(Statement &s)
{
    std::vector<WebhookDeliveryRecord> out;
    for (;;) {
        auto row = s.step();
        if (!row)
            return row.error();
        if (!*row)
            return out;
        auto d = readDelivery(s);
        if (!d)
            return d.error();
        out.push_back(std::move(*d));
    }
}

void bindOptional(Statement &s, int index, const std::optional<std::int64_t> &value)
{
    if (value)
        s.bind(index, *value);
    else
        s.bindNull(index);
}

} // namespace

Result<std::vector<JobEndRecord>> SqliteStore::jobEndsAfter(std::int64_t after, std::int64_t upTo,
                                                            int limit)
{
    using List = std::vector<JobEndRecord>;
    return withReader<List>([&](SqliteDb &db) -> Result<List> {
        // A range of the event log's primary key; each jobStatus event is joined to its
        // job's automation by automation_runs' primary key.
        auto s = db.prepare(
            "SELECT e.seq, e.job_id, a.automation_id, e.at, json_extract(e.data, '$.status'), "
            "coalesce(json_extract(e.data, '$.message'), '') FROM job_events e "
            "JOIN automation_runs a ON a.job_id = e.job_id "
            "WHERE e.seq > ?1 AND e.seq <= ?2 AND e.kind = 'jobStatus' "
            "AND json_extract(e.data, '$.status') IN ('complete', 'error', 'canceled') "
            "ORDER BY e.seq LIMIT ?3");
        if (!s)
            return s.error();
        s->bind(1, after).bind(2, upTo).bind(3, limit);
        List out;
        for (;;) {
            auto row = s->step();
            if (!row)
                return row.error();
            if (!*row)
                return out;
            out.push_back(
                {s->int64(0), s->text(1), s->text(2), s->int64(3), s->text(4), s->text(5)});
        }
    });
}

Result<std::int64_t> SqliteStore::lastJobEventSeq()
{
    return withReader<std::int64_t>([&](SqliteDb &db) -> Result<std::int64_t> {
        return db.queryInt("SELECT coalesce(max(seq), 0) FROM job_events");
    });
}

Result<void> SqliteStore::insertWebhookDelivery(const WebhookDeliveryRecord &d)
{
    return withWriter([&](SqliteDb &db) -> Result<void> {
        auto s = db.prepare(std::string("INSERT OR IGNORE INTO webhook_deliveries (") +
                            kDeliveryColumns +
                            ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)");
        if (!s)
            return s.error();
        s->bind(1, d.id)
            .bind(2, d.automationId)
            .bind(3, d.jobId)
            .bind(4, d.status)
            .bind(5, d.attempts)
            .bind(6, d.url);
        bindOptional(*s, 7,
                     d.responseStatus ? std::optional<std::int64_t>(*d.responseStatus)
                                      : std::nullopt);
        s->bind(8, d.lastError);
        bindOptional(*s, 9, d.nextAttemptAt);
        s->bind(10, d.summary.dump()).bind(11, d.createdAt).bind(12, d.updatedAt);
        return s->run();
    });
}

Result<void> SqliteStore::updateWebhookDelivery(const WebhookDeliveryRecord &d)
{
    return withWriter([&](SqliteDb &db) -> Result<void> {
        auto s = db.prepare("UPDATE webhook_deliveries SET status = ?2, attempts = ?3, url = ?4, "
                            "response_status = ?5, last_error = ?6, next_attempt_at = ?7, "
                            "updated_at = ?8 WHERE id = ?1");
        if (!s)
            return s.error();
        s->bind(1, d.id).bind(2, d.status).bind(3, d.attempts).bind(4, d.url);
        bindOptional(*s, 5,
                     d.responseStatus ? std::optional<std::int64_t>(*d.responseStatus)
                                      : std::nullopt);
        s->bind(6, d.lastError);
        bindOptional(*s, 7, d.nextAttemptAt);
        s->bind(8, d.updatedAt);
        if (auto r = s->run(); !r)
            return r;
        if (db.changes() == 0)
            return Error::notFound("no webhook delivery " + std::to_string(d.id));
        return {};
    });
}

Result<std::vector<WebhookDeliveryRecord>> SqliteStore::dueWebhookDeliveries(Millis now, int limit)
{
    using List = std::vector<WebhookDeliveryRecord>;
    return withReader<List>([&](SqliteDb &db) -> Result<List> {
        auto s = db.prepare(std::string("SELECT ") + kDeliveryColumns +
                            " FROM webhook_deliveries WHERE status = 'pending' AND "
                            "next_attempt_at <= ?1 ORDER BY next_attempt_at LIMIT ?2");
        if (!s)
            return s.error();
        s->bind(1, now).bind(2, limit);
        return readDeliveries(*s);
    });
}

Result<std::optional<Millis>> SqliteStore::soonestWebhookAttempt()
{
    using Soonest = std::optional<Millis>;
    return withReader<Soonest>([&](SqliteDb &db) -> Result<Soonest> {
        auto s = db.prepare("SELECT min(next_attempt_at) FROM webhook_deliveries "
                            "WHERE status = 'pending'");
        if (!s)
            return s.error();
        auto row = s->step();
        if (!row)
            return row.error();
        if (!*row || s->isNull(0))
            return Soonest();
        return Soonest(s->int64(0));
    });
}

Result<std::vector<WebhookDeliveryRecord>>
SqliteStore::webhookDeliveries(const std::string &automationId, const std::string &status,
                               int limit)
{
    using List = std::vector<WebhookDeliveryRecord>;
    return withReader<List>([&](SqliteDb &db) -> Result<List> {
        auto s = db.prepare(std::string("SELECT ") + kDeliveryColumns +
                            " FROM webhook_deliveries WHERE automation_id = ?1 AND "
                            "(?2 = '' OR status = ?2) ORDER BY id DESC LIMIT ?3");
        if (!s)
            return s.error();
        s->bind(1, automationId).bind(2, status).bind(3, limit);
        return readDeliveries(*s);
    });
}

Result<std::vector<AutomationJobRecord>>
SqliteStore::automationJobs(const std::string &automationId, Millis since, int limit)
{
    using List = std::vector<AutomationJobRecord>;
    return withReader<List>([&](SqliteDb &db) -> Result<List> {
        // automation_runs_recent walked backwards from now: the newest `limit` jobs of the
        // window, each joined to its row by the jobs' primary key.
        auto s = db.prepare("SELECT a.job_id, j.status, a.queued_at, j.start_time, j.end_time "
                            "FROM automation_runs a JOIN jobs j ON j.id = a.job_id "
                            "WHERE a.automation_id = ?1 AND a.queued_at >= ?2 "
                            "ORDER BY a.queued_at DESC LIMIT ?3");
        if (!s)
            return s.error();
        s->bind(1, automationId).bind(2, since).bind(3, limit);
        List out;
        for (;;) {
            auto row = s->step();
            if (!row)
                return row.error();
            if (!*row)
                return out;
            AutomationJobRecord r;
            r.jobId = s->text(0);
            r.status = s->text(1);
            r.createdAt = s->int64(2);
            if (!s->isNull(3))
                r.startTime = s->int64(3);
            if (!s->isNull(4))
                r.endTime = s->int64(4);
            out.push_back(std::move(r));
        }
    });
}

} // namespace flowdeck::store
