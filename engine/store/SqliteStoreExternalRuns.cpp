// SPDX-License-Identifier: GPL-3.0-or-later
// Runs of jobs that run outside Flowdeck (external_runs, schema 13), each kept in step with
// its external job in the jobs table: one transaction writes both.
#include "engine/store/SqliteStore.h"
#include "engine/store/StoreSupport.h"

namespace flowdeck::store {

namespace {

constexpr const char *kColumns =
    "id, namespace, job_name, state, job_id, document, created_at, updated_at";

Result<ExternalRunRecord> readRun(Statement &s)
{
    ExternalRunRecord r;
    r.id = s.text(0);
    r.ns = s.text(1);
    r.jobName = s.text(2);
    r.state = s.text(3);
    r.jobId = s.text(4);
    auto doc = parseDocument(s.text(5));
    if (!doc)
        return doc.error();
    r.document = std::move(*doc);
    r.createdAt = s.int64(6);
    r.updatedAt = s.int64(7);
    return r;
}

} // namespace

Result<void> SqliteStore::insertExternalRun(const ExternalRunRecord &run, const JobRecord &job)
{
    return withWriter([&](SqliteDb &db) -> Result<void> {
        auto taken = findOne<int>(db, "SELECT 1 FROM external_runs WHERE id = ?1", run.id,
                                  [](Statement &) -> Result<int> { return 1; });
        if (!taken)
            return taken.error();
        if (*taken)
            return Error::conflict("a run with id " + run.id + " exists");
        if (auto r = insertJobs({job}); !r)
            return r;
        auto s = db.prepare(std::string("INSERT INTO external_runs (") + kColumns +
                            ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
        if (!s)
            return s.error();
        s->bind(1, run.id)
            .bind(2, run.ns)
            .bind(3, run.jobName)
            .bind(4, run.state)
            .bind(5, run.jobId)
            .bind(6, run.document.dump())
            .bind(7, run.createdAt)
            .bind(8, run.updatedAt);
        return s->run();
    });
}

Result<void> SqliteStore::updateExternalRun(const ExternalRunRecord &run, const JobRecord &job)
{
    return withWriter([&](SqliteDb &db) -> Result<void> {
        auto s = db.prepare("UPDATE external_runs SET state = ?2, document = ?3, updated_at = ?4 "
                            "WHERE id = ?1");
        if (!s)
            return s.error();
        s->bind(1, run.id).bind(2, run.state).bind(3, run.document.dump()).bind(4, run.updatedAt);
        if (auto r = s->run(); !r)
            return r;
        if (db.changes() == 0)
            return Error::notFound("no run with id " + run.id);
        return saveJobs({job});
    });
}

Result<ExternalRunRecord> SqliteStore::externalRun(const std::string &id)
{
    return withReader<ExternalRunRecord>([&](SqliteDb &db) -> Result<ExternalRunRecord> {
        return required(findOne<ExternalRunRecord>(db,
                                                   std::string("SELECT ") + kColumns +
                                                       " FROM external_runs WHERE id = ?1",
                                                   id, readRun),
                        "no run with id " + id);
    });
}

Result<Page<ExternalRunRecord>>
SqliteStore::externalRuns(const std::string &ns, const std::string &jobName, int limit, int offset)
{
    using List = Page<ExternalRunRecord>;
    return withReader<List>([&](SqliteDb &db) -> Result<List> {
        List page;
        auto count =
            db.prepare("SELECT count(*) FROM external_runs WHERE namespace = ?1 AND job_name = ?2");
        if (!count)
            return count.error();
        count->bind(1, ns).bind(2, jobName);
        auto counted = count->step();
        if (!counted)
            return counted.error();
        page.total = *counted ? count->int64(0) : 0;
        auto s = db.prepare(std::string("SELECT ") + kColumns +
                            " FROM external_runs WHERE namespace = ?1 AND job_name = ?2 "
                            "ORDER BY created_at DESC, id DESC LIMIT ?3 OFFSET ?4");
        if (!s)
            return s.error();
        s->bind(1, ns).bind(2, jobName).bind(3, limit).bind(4, offset);
        for (;;) {
            auto row = s->step();
            if (!row)
                return row.error();
            if (!*row)
                return page;
            auto r = readRun(*s);
            if (!r)
                return r.error();
            page.items.push_back(std::move(*r));
        }
    });
}

} // namespace flowdeck::store
