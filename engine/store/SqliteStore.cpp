// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/store/SqliteStore.h"
#include "engine/store/StoreSupport.h"

#include "engine/model/Ids.h"
#include "engine/store/Migrations.h"

#include <algorithm>
#include <chrono>

namespace flowdeck::store {
namespace {

using nlohmann::json;

constexpr const char *kWorkflowColumns = kVersionedColumns;

Result<WorkflowRecord> readWorkflow(Statement &s)
{
    return readVersioned<WorkflowRecord>(s);
}

} // namespace

const char *const kJobColumns =
    "id, name, workflow_id, description, status, parent_job_id, root_job_id, progress, "
    "created_at, created_by, updated_at, updated_by, document";

Result<JobRecord> readJob(Statement &s)
{
    JobRecord r;
    r.id = s.text(0);
    r.name = s.text(1);
    r.workflowId = s.optionalText(2);
    r.description = s.text(3);
    r.status = s.text(4);
    r.parentJobId = s.optionalText(5);
    r.rootJobId = s.optionalText(6);
    r.progress = s.real(7);
    r.createdAt = s.int64(8);
    r.createdBy = s.optionalText(9);
    r.updatedAt = s.int64(10);
    r.updatedBy = s.optionalText(11);
    auto doc = parseDocument(s.text(12));
    if (!doc)
        return doc.error();
    r.document = std::move(*doc);
    return r;
}

namespace {

void bindJob(Statement &s, const JobRecord &j)
{
    s.bind(1, j.id)
        .bind(2, j.name)
        .bind(3, j.workflowId)
        .bind(4, j.description)
        .bind(5, j.status)
        .bind(6, j.parentJobId)
        .bind(7, j.rootJobId)
        .bind(8, j.progress)
        .bind(9, j.createdAt)
        .bind(10, j.createdBy)
        .bind(11, j.updatedAt)
        .bind(12, j.updatedBy)
        .bind(13, j.document.dump());
}

Result<std::optional<WorkflowRecord>> findWorkflow(SqliteDb &db, const char *column,
                                                   const std::string &value)
{
    return findOne<WorkflowRecord>(
        db, std::string("SELECT ") + kWorkflowColumns + " FROM workflows WHERE " + column + " = ?1",
        value, readWorkflow);
}

} // namespace

Result<std::unique_ptr<SqliteStore>> SqliteStore::open(const std::string &path, Options options)
{
    auto writer = SqliteDb::open(path);
    if (!writer)
        return writer.error();
    if (options.onUpgrade) {
        auto version = schemaVersion(*writer);
        if (!version)
            return version.error();
        if (*version > 0 && *version < latestSchemaVersion())
            options.onUpgrade(*version, latestSchemaVersion());
    }
    if (auto r = migrate(*writer); !r)
        return r.error();
    return std::unique_ptr<SqliteStore>(
        new SqliteStore(path, std::move(*writer), std::move(options)));
}

SqliteStore::SqliteStore(std::string path, SqliteDb writer, Options options)
    : m_path(std::move(path)), m_options(std::move(options)), m_writer(std::move(writer))
{
    m_inMemory = m_path == ":memory:" || m_path.find("mode=memory") != std::string::npos ||
                 m_path.rfind("file::memory:", 0) == 0;
}

SqliteStore::~SqliteStore() = default;

Millis SqliteStore::now() const
{
    if (m_options.clock)
        return m_options.clock();
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

Result<void> SqliteStore::withReadConnection(const std::function<Result<void>(SqliteDb &)> &read)
{
    {
        std::unique_lock lock(m_writerMutex, std::try_to_lock);
        // A thread inside transaction() already holds the (recursive) writer mutex, so
        // try_lock succeeds for it; we then check that it really is the transaction owner.
        if (m_inMemory || (lock.owns_lock() && m_transactionThread == std::this_thread::get_id())) {
            if (!lock.owns_lock())
                lock.lock();
            return read(m_writer);
        }
    }
    std::unique_ptr<SqliteDb> reader;
    {
        std::lock_guard lock(m_readersMutex);
        if (!m_idleReaders.empty()) {
            reader = std::move(m_idleReaders.back());
            m_idleReaders.pop_back();
        }
    }
    if (!reader) {
        auto opened = SqliteDb::open(m_path, SqliteDb::Mode::ReadOnly);
        if (!opened)
            return opened.error();
        reader = std::make_unique<SqliteDb>(std::move(*opened));
    }
    auto result = read(*reader);
    std::lock_guard lock(m_readersMutex);
    if (int(m_idleReaders.size()) < m_options.maxReaders)
        m_idleReaders.push_back(std::move(reader));
    return result;
}

Result<void> SqliteStore::withWriter(const std::function<Result<void>(SqliteDb &)> &write)
{
    return transaction([&]() { return write(m_writer); });
}

Result<void> SqliteStore::transaction(const std::function<Result<void>()> &work)
{
    std::lock_guard lock(m_writerMutex);
    const auto previousOwner = m_transactionThread;
    m_transactionThread = std::this_thread::get_id();
    struct Restore
    {
        std::thread::id &slot;
        std::thread::id value;
        ~Restore() { slot = value; }
    } restore{m_transactionThread, previousOwner};

    auto tx = Transaction::begin(m_writer);
    if (!tx)
        return tx.error();
    if (auto r = work(); !r)
        return r; // the Transaction's destructor rolls back
    return tx->commit();
}

// ---- workflows --------------------------------------------------------------------------

Result<WorkflowRecord> SqliteStore::saveWorkflow(const model::Workflow &workflow,
                                                 const std::optional<std::string> &actor,
                                                 bool replace)
{
    WorkflowRecord saved;
    auto r = withWriter([&](SqliteDb &db) -> Result<void> {
        auto existing = findWorkflow(db, "name", workflow.name());
        if (!existing)
            return existing.error();
        const Millis t = now();
        const std::string text = workflow.document().dump();
        if (*existing) {
            if (!replace)
                return Error::conflict("a workflow named \"" + workflow.name() +
                                       "\" already exists");
            saved = std::move(**existing);
            saved.version += 1;
            saved.updatedAt = t;
            saved.updatedBy = actor;
            auto s = db.prepare("UPDATE workflows SET version = ?2, document = ?3, updated_at = "
                                "?4, updated_by = ?5 WHERE id = ?1");
            if (!s)
                return s.error();
            s->bind(1, saved.id).bind(2, saved.version).bind(3, text).bind(4, t).bind(5, actor);
            if (auto u = s->run(); !u)
                return u;
        } else {
            saved.id = ids::newObjectId();
            saved.name = workflow.name();
            saved.version = 1;
            saved.createdAt = saved.updatedAt = t;
            saved.createdBy = saved.updatedBy = actor;
            auto s = db.prepare("INSERT INTO workflows (id, name, version, document, created_at, "
                                "created_by, updated_at, updated_by) "
                                "VALUES (?1, ?2, 1, ?3, ?4, ?5, ?4, ?5)");
            if (!s)
                return s.error();
            s->bind(1, saved.id).bind(2, saved.name).bind(3, text).bind(4, t).bind(5, actor);
            if (auto u = s->run(); !u)
                return u;
        }
        saved.document = workflow.document();
        auto v = db.prepare("INSERT INTO workflow_versions (workflow_id, version, document, "
                            "saved_at, saved_by) VALUES (?1, ?2, ?3, ?4, ?5)");
        if (!v)
            return v.error();
        v->bind(1, saved.id).bind(2, saved.version).bind(3, text).bind(4, t).bind(5, actor);
        return v->run();
    });
    if (!r)
        return r.error();
    return saved;
}

Result<void> SqliteStore::deleteWorkflow(const std::string &name)
{
    return withWriter([&](SqliteDb &db) -> Result<void> {
        return changeOne(db, "DELETE FROM workflows WHERE name = ?1", name,
                         "no workflow named \"" + name + "\"");
    });
}

Result<WorkflowRecord> SqliteStore::workflowByName(const std::string &name)
{
    return withReader<WorkflowRecord>([&](SqliteDb &db) -> Result<WorkflowRecord> {
        return required(findWorkflow(db, "name", name), "no workflow named \"" + name + "\"");
    });
}

Result<WorkflowRecord> SqliteStore::workflowById(const std::string &id)
{
    return withReader<WorkflowRecord>([&](SqliteDb &db) -> Result<WorkflowRecord> {
        return required(findWorkflow(db, "id", id), "no workflow with id " + id);
    });
}

Result<std::pair<std::string, int>> SqliteStore::workflowHead(const std::string &name)
{
    using Head = std::pair<std::string, int>;
    return withReader<Head>([&](SqliteDb &db) -> Result<Head> {
        auto s = db.prepare("SELECT id, version FROM workflows WHERE name = ?1");
        if (!s)
            return s.error();
        s->bind(1, name);
        auto row = s->step();
        if (!row)
            return row.error();
        if (!*row)
            return Error::notFound("no workflow named \"" + name + "\"");
        return Head{s->text(0), int(s->int64(1))};
    });
}

Result<Page<WorkflowRecord>> SqliteStore::listWorkflows(const WorkflowQuery &query)
{
    return withReader<Page<WorkflowRecord>>([&](SqliteDb &db) -> Result<Page<WorkflowRecord>> {
        // Filters are bound parameters; ?1 / ?2 are NULL when the filter is not set.
        const std::string where = " WHERE (?1 IS NULL OR name = ?1)"
                                  " AND (?2 IS NULL OR instr(lower(name), lower(?2)) > 0)";
        Page<WorkflowRecord> page;
        auto count = db.prepare("SELECT count(*) FROM workflows" + where);
        if (!count)
            return count.error();
        count->bind(1, query.name).bind(2, query.nameContains);
        if (auto row = count->step(); !row)
            return row.error();
        page.total = count->int64(0);

        auto s = db.prepare(std::string("SELECT ") + kWorkflowColumns + " FROM workflows" + where +
                            " ORDER BY name COLLATE NOCASE LIMIT ?3 OFFSET ?4");
        if (!s)
            return s.error();
        s->bind(1, query.name).bind(2, query.nameContains).bind(3, query.limit).bind(4, query.skip);
        auto items = collectRows<WorkflowRecord>(*s, readWorkflow);
        if (!items)
            return items.error();
        page.items = std::move(*items);
        return page;
    });
}

Result<std::vector<WorkflowVersion>> SqliteStore::workflowVersions(const std::string &id)
{
    using Versions = std::vector<WorkflowVersion>;
    return withReader<Versions>([&](SqliteDb &db) -> Result<Versions> {
        auto s = db.prepare("SELECT version, document, saved_at, saved_by FROM workflow_versions "
                            "WHERE workflow_id = ?1 ORDER BY version DESC");
        if (!s)
            return s.error();
        s->bind(1, id);
        return collectRows<WorkflowVersion>(*s, [](Statement &st) -> Result<WorkflowVersion> {
            auto doc = parseDocument(st.text(1));
            if (!doc)
                return doc.error();
            return WorkflowVersion{int(st.int64(0)), std::move(*doc), st.int64(2),
                                   st.optionalText(3)};
        });
    });
}

// ---- jobs -------------------------------------------------------------------------------

Result<void> SqliteStore::insertJobs(const std::vector<JobRecord> &jobs)
{
    return withWriter([&](SqliteDb &db) -> Result<void> {
        auto s = db.prepare(std::string("INSERT INTO jobs (") + kJobColumns +
                            ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)");
        if (!s)
            return s.error();
        for (const auto &j : jobs) {
            bindJob(*s, j);
            if (auto r = s->run(); !r)
                return Error{
                    r.error().code, "cannot insert job " + j.id + ": " + r.error().message, {}};
        }
        return {};
    });
}

Result<void> SqliteStore::updateJob(const JobRecord &job)
{
    return withWriter([&](SqliteDb &db) -> Result<void> {
        auto s = db.prepare("UPDATE jobs SET name = ?2, workflow_id = ?3, description = ?4, "
                            "status = ?5, parent_job_id = ?6, root_job_id = ?7, progress = ?8, "
                            "created_at = ?9, created_by = ?10, updated_at = ?11, "
                            "updated_by = ?12, document = ?13 WHERE id = ?1");
        if (!s)
            return s.error();
        bindJob(*s, job);
        if (auto r = s->run(); !r)
            return r;
        if (db.changes() == 0)
            return Error::notFound("no job with id " + job.id);
        return {};
    });
}

Result<JobRecord> SqliteStore::job(const std::string &id)
{
    return withReader<JobRecord>([&](SqliteDb &db) -> Result<JobRecord> {
        auto s = db.prepare(std::string("SELECT ") + kJobColumns + " FROM jobs WHERE id = ?1");
        if (!s)
            return s.error();
        s->bind(1, id);
        auto row = s->step();
        if (!row)
            return row.error();
        if (!*row)
            return Error::notFound("no job with id " + id);
        return readJob(*s);
    });
}

// listJobs: SqliteStoreJobs.cpp, with the search syntax's filters.

Result<void> SqliteStore::saveJobs(const std::vector<JobRecord> &jobs)
{
    return withWriter([&](SqliteDb &db) -> Result<void> {
        auto s = db.prepare(std::string("INSERT INTO jobs (") + kJobColumns +
                            ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13) "
                            "ON CONFLICT (id) DO UPDATE SET name = excluded.name, "
                            "workflow_id = excluded.workflow_id, description = "
                            "excluded.description, status = excluded.status, parent_job_id = "
                            "excluded.parent_job_id, root_job_id = excluded.root_job_id, "
                            "progress = excluded.progress, updated_at = excluded.updated_at, "
                            "updated_by = excluded.updated_by, document = excluded.document");
        if (!s)
            return s.error();
        for (const auto &j : jobs) {
            bindJob(*s, j);
            if (auto r = s->run(); !r)
                return Error{
                    r.error().code, "cannot save job " + j.id + ": " + r.error().message, {}};
        }
        return {};
    });
}

const char *const kIterationColumns =
    "id, job_id, task_key, status, type, owner, started_at, ended_at, updated_at, document";

TaskIterationRecord readIteration(Statement &s, Result<nlohmann::json> &&doc)
{
    TaskIterationRecord r;
    r.id = s.text(0);
    r.jobId = s.text(1);
    r.taskKey = s.text(2);
    r.status = s.text(3);
    r.type = s.optionalText(4);
    r.owner = s.optionalText(5);
    if (!s.isNull(6))
        r.startedAt = s.int64(6);
    if (!s.isNull(7))
        r.endedAt = s.int64(7);
    r.updatedAt = s.int64(8);
    if (doc)
        r.document = std::move(*doc);
    return r;
}

Result<void> SqliteStore::saveTaskIterations(const std::vector<TaskIterationRecord> &items)
{
    return withWriter([&](SqliteDb &db) -> Result<void> {
        auto s = db.prepare(std::string("INSERT INTO task_iterations (") + kIterationColumns +
                            ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) "
                            "ON CONFLICT (id) DO UPDATE SET status = excluded.status, "
                            "type = excluded.type, owner = excluded.owner, started_at = "
                            "excluded.started_at, ended_at = excluded.ended_at, updated_at = "
                            "excluded.updated_at, document = excluded.document");
        if (!s)
            return s.error();
        for (const auto &it : items) {
            s->bind(1, it.id)
                .bind(2, it.jobId)
                .bind(3, it.taskKey)
                .bind(4, it.status)
                .bind(5, it.type)
                .bind(6, it.owner)
                .bind(9, it.updatedAt)
                .bind(10, it.document.dump());
            if (it.startedAt)
                s->bind(7, *it.startedAt);
            if (it.endedAt)
                s->bind(8, *it.endedAt);
            if (auto r = s->run(); !r)
                return Error{r.error().code,
                             "cannot save task iteration " + it.id + ": " + r.error().message,
                             {}};
        }
        return {};
    });
}

Result<void> SqliteStore::appendJobEvents(const std::vector<JobEvent> &events)
{
    return withWriter([&](SqliteDb &db) -> Result<void> {
        auto s = db.prepare("INSERT INTO job_events (job_id, at, actor, kind, data) "
                            "VALUES (?1, ?2, ?3, ?4, ?5)");
        if (!s)
            return s.error();
        for (const auto &e : events) {
            s->bind(1, e.jobId)
                .bind(2, e.at ? e.at : now())
                .bind(3, e.actor)
                .bind(4, e.kind)
                .bind(5, e.data.dump());
            if (auto r = s->run(); !r)
                return r;
        }
        return {};
    });
}

Result<std::vector<std::string>>
SqliteStore::jobIdsWithStatus(const std::vector<std::string> &statuses)
{
    using Ids = std::vector<std::string>;
    return withReader<Ids>([&](SqliteDb &db) -> Result<Ids> {
        auto s = db.prepare("SELECT id FROM jobs WHERE status = ?1 ORDER BY created_at, id");
        if (!s)
            return s.error();
        Ids out;
        for (const auto &status : statuses) {
            s->bind(1, status);
            auto rows = forEachRow(*s, [&](Statement &st) -> Result<void> {
                out.push_back(st.text(0));
                return {};
            });
            if (!rows)
                return rows.error();
            s->reset();
        }
        return out;
    });
}

Result<TaskIterationRecord> SqliteStore::taskIteration(const std::string &id)
{
    return withReader<TaskIterationRecord>([&](SqliteDb &db) -> Result<TaskIterationRecord> {
        auto s = db.prepare(std::string("SELECT ") + kIterationColumns +
                            " FROM task_iterations WHERE id = ?1");
        if (!s)
            return s.error();
        s->bind(1, id);
        auto row = s->step();
        if (!row)
            return row.error();
        if (!*row)
            return Error::notFound("no task iteration with id " + id);
        auto doc = parseDocument(s->text(9));
        if (!doc)
            return doc.error();
        return readIteration(*s, std::move(doc));
    });
}

Result<std::vector<TaskIterationRecord>> SqliteStore::taskIterations(const std::string &jobId)
{
    using Items = std::vector<TaskIterationRecord>;
    return withReader<Items>([&](SqliteDb &db) -> Result<Items> {
        auto s = db.prepare(std::string("SELECT ") + kIterationColumns +
                            " FROM task_iterations WHERE job_id = ?1 ORDER BY started_at, rowid");
        if (!s)
            return s.error();
        s->bind(1, jobId);
        return collectRows<TaskIterationRecord>(*s,
                                                [](Statement &st) -> Result<TaskIterationRecord> {
                                                    auto doc = parseDocument(st.text(9));
                                                    if (!doc)
                                                        return doc.error();
                                                    return readIteration(st, std::move(doc));
                                                });
    });
}

// ---- events and settings ----------------------------------------------------------------

Result<std::int64_t> SqliteStore::appendJobEvent(const JobEvent &event)
{
    std::int64_t seq = 0;
    auto r = withWriter([&](SqliteDb &db) -> Result<void> {
        auto s = db.prepare("INSERT INTO job_events (job_id, at, actor, kind, data) "
                            "VALUES (?1, ?2, ?3, ?4, ?5) RETURNING seq");
        if (!s)
            return s.error();
        s->bind(1, event.jobId)
            .bind(2, event.at ? event.at : now())
            .bind(3, event.actor)
            .bind(4, event.kind)
            .bind(5, event.data.dump());
        auto row = s->step();
        if (!row)
            return row.error();
        seq = s->int64(0);
        s->reset();
        return {};
    });
    if (!r)
        return r.error();
    return seq;
}

namespace {

/// The rows of a job_events SELECT of (seq, job_id, at, actor, kind, data).
Result<std::vector<JobEvent>> collectEvents(Statement &s)
{
    return collectRows<JobEvent>(s, [](Statement &st) -> Result<JobEvent> {
        auto data = parseDocument(st.text(5));
        if (!data)
            return data.error();
        return JobEvent{st.int64(0),        st.text(1), st.int64(2),
                        st.optionalText(3), st.text(4), std::move(*data)};
    });
}

} // namespace

// One statement per case rather than "(?1 = '' OR job_id = ?1)": SQLite plans a bound OR
// as a scan of the seq range, while "job_id = ?1 AND seq …" walks job_events_by_job
// (job_id, seq) in either direction, so one job's page costs the same in a store of millions.
Result<std::vector<JobEvent>> SqliteStore::jobEvents(const std::string &jobId, std::int64_t after,
                                                     int limit)
{
    using Events = std::vector<JobEvent>;
    return withReader<Events>([&](SqliteDb &db) -> Result<Events> {
        auto s =
            db.prepare(jobId.empty() ? "SELECT seq, job_id, at, actor, kind, data FROM job_events "
                                       "WHERE seq > ?2 ORDER BY seq LIMIT ?3"
                                     : "SELECT seq, job_id, at, actor, kind, data FROM job_events "
                                       "WHERE job_id = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3");
        if (!s)
            return s.error();
        if (!jobId.empty())
            s->bind(1, jobId);
        s->bind(2, after).bind(3, limit);
        return collectEvents(*s);
    });
}

Result<std::vector<JobEvent>> SqliteStore::jobEventsBefore(const std::string &jobId,
                                                           std::int64_t before, int limit)
{
    using Events = std::vector<JobEvent>;
    return withReader<Events>([&](SqliteDb &db) -> Result<Events> {
        auto s =
            db.prepare(jobId.empty() ? "SELECT seq, job_id, at, actor, kind, data FROM job_events "
                                       "WHERE seq < ?2 ORDER BY seq DESC LIMIT ?3"
                                     : "SELECT seq, job_id, at, actor, kind, data FROM job_events "
                                       "WHERE job_id = ?1 AND seq < ?2 ORDER BY seq DESC LIMIT ?3");
        if (!s)
            return s.error();
        if (!jobId.empty())
            s->bind(1, jobId);
        s->bind(2, before).bind(3, limit);
        return collectEvents(*s);
    });
}

Result<std::vector<JobEvent>> SqliteStore::jobEventsOfKinds(std::int64_t after, std::int64_t upTo,
                                                            const std::vector<std::string> &kinds,
                                                            int limit)
{
    using Events = std::vector<JobEvent>;
    return withReader<Events>([&](SqliteDb &db) -> Result<Events> {
        // A range of the primary key, the kinds bound as one JSON array.
        auto s = db.prepare("SELECT seq, job_id, at, actor, kind, data FROM job_events "
                            "WHERE seq > ?1 AND seq <= ?2 AND kind IN (SELECT value FROM "
                            "json_each(?3)) ORDER BY seq LIMIT ?4");
        if (!s)
            return s.error();
        s->bind(1, after).bind(2, upTo).bind(3, nlohmann::json(kinds).dump()).bind(4, limit);
        return collectEvents(*s);
    });
}

Result<void> SqliteStore::setSetting(const std::string &key, const std::string &value)
{
    return withWriter([&](SqliteDb &db) -> Result<void> {
        auto s = db.prepare("INSERT INTO settings (key, value) VALUES (?1, ?2) "
                            "ON CONFLICT (key) DO UPDATE SET value = excluded.value");
        if (!s)
            return s.error();
        s->bind(1, key).bind(2, value);
        return s->run();
    });
}

Result<std::optional<std::string>> SqliteStore::setting(const std::string &key)
{
    using Value = std::optional<std::string>;
    return withReader<Value>([&](SqliteDb &db) -> Result<Value> {
        auto s = db.prepare("SELECT value FROM settings WHERE key = ?1");
        if (!s)
            return s.error();
        s->bind(1, key);
        auto row = s->step();
        if (!row)
            return row.error();
        if (!*row)
            return Value();
        return Value(s->text(0));
    });
}

} // namespace flowdeck::store
