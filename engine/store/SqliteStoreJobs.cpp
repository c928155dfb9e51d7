// SPDX-License-Identifier: GPL-3.0-or-later
// Job and task-iteration listings with the Operations Manager search syntax, and deleting a
// job tree. Field names map to SQL through fixed tables; every value is bound.
#include "engine/store/SqliteStore.h"
#include "engine/store/StoreSupport.h"

#include <map>
#include <memory>

namespace flowdeck::store {
namespace {

using nlohmann::json;

/// A search field as SQL sees it: the expression for a scalar, or for a list the JSON array
/// whose members equals/in/contains test.
struct Column
{
    SearchField field;
    const char *sql;
};

const std::vector<Column> &jobColumns()
{
    static const std::vector<Column> columns{
        {{"_id", SearchFieldType::Text, true}, "jobs.id"},
        {{"name", SearchFieldType::Text, true}, "jobs.name"},
        {{"description", SearchFieldType::Text, true}, "jobs.description"},
        {{"status", SearchFieldType::Text, true}, "jobs.status"},
        {{"type", SearchFieldType::Text, true}, "json_extract(jobs.document, '$.type')"},
        {{"created", SearchFieldType::Number, true}, "jobs.created_at"},
        {{"created_by", SearchFieldType::Text, true}, "jobs.created_by"},
        {{"last_updated", SearchFieldType::Number, true}, "jobs.updated_at"},
        {{"last_updated_by", SearchFieldType::Text, true}, "jobs.updated_by"},
        // Columns generated from the document (migration 8), indexed for the jobs table.
        {{"metrics.start_time", SearchFieldType::Number, true}, "jobs.start_time"},
        {{"metrics.end_time", SearchFieldType::Number, true}, "jobs.end_time"},
        // Not in a job's document: end_time - start_time, as a task's metrics.run_time is;
        // absent while the job runs (see jobOrderBy).
        {{"metrics.run_time", SearchFieldType::Number, true}, "jobs.run_time"},
        {{"metrics.progress", SearchFieldType::Number, true}, "jobs.progress"},
        {{"metrics.user", SearchFieldType::Text, true}, "jobs.created_by"},
        {{"workflow._id", SearchFieldType::Text, false}, "jobs.workflow_id"},
        {{"workflow.name", SearchFieldType::Text, true}, "jobs.name"},
        {{"parent.job", SearchFieldType::Text, false}, "jobs.parent_job_id"},
        {{"groups", SearchFieldType::List, false}, "jobs.gbac_groups"},
        // The first group's id (Mongo's dot path to an array's first member): what the jobs
        // table sorts its Groups column by, since a list has no order of its own to sort on.
        {{"groups.0", SearchFieldType::Text, true}, "jobs.first_group"},
        {{"watchers", SearchFieldType::List, false}, "json_extract(jobs.document, '$.watchers')"},
        {{"ancestors", SearchFieldType::List, false}, "json_extract(jobs.document, '$.ancestors')"},
    };
    return columns;
}

const std::vector<Column> &taskColumns()
{
    static const std::vector<Column> columns{
        {{"_id", SearchFieldType::Text, true}, "t.id"},
        {{"name", SearchFieldType::Text, true}, "json_extract(t.document, '$.name')"},
        {{"summary", SearchFieldType::Text, true}, "json_extract(t.document, '$.summary')"},
        {{"app", SearchFieldType::Text, true}, "json_extract(t.document, '$.app')"},
        {{"type", SearchFieldType::Text, true}, "t.type"},
        {{"status", SearchFieldType::Text, true}, "t.status"},
        {{"owner", SearchFieldType::Text, true}, "t.owner"},
        {{"metrics.owner", SearchFieldType::Text, true}, "t.owner"},
        {{"finish_state", SearchFieldType::Text, true},
         "json_extract(t.document, '$.finish_state')"},
        {{"metrics.start_time", SearchFieldType::Number, true}, "t.started_at"},
        {{"metrics.end_time", SearchFieldType::Number, true}, "t.ended_at"},
        {{"last_updated", SearchFieldType::Number, true}, "t.updated_at"},
        {{"job._id", SearchFieldType::Text, true}, "t.job_id"},
        {{"job.task", SearchFieldType::Text, true}, "t.task_key"},
        {{"job.name", SearchFieldType::Text, true}, "json_extract(t.document, '$.job.name')"},
        {{"groups", SearchFieldType::List, false}, "json_extract(t.document, '$.groups')"},
    };
    return columns;
}

std::vector<SearchField> fieldsOf(const std::vector<Column> &columns)
{
    std::vector<SearchField> out;
    for (const auto &c : columns)
        out.push_back(c.field);
    return out;
}

const Column *findColumn(const std::vector<Column> &columns, const std::string &name)
{
    for (const auto &c : columns)
        if (name == c.field.name)
            return &c;
    return nullptr;
}

/// A group id as it sits in a JSON groups array: a string, or an object with "_id".
constexpr const char *kMemberId =
    "(CASE m.type WHEN 'object' THEN json_extract(m.value, '$._id') ELSE m.value END)";

/// Escapes LIKE's wildcards so a value matches only itself.
std::string likeLiteral(const std::string &value)
{
    std::string out;
    for (char c : value) {
        if (c == '%' || c == '_' || c == '\\')
            out += '\\';
        out += c;
    }
    return out;
}

/// Renders a FilterExpr into a WHERE fragment with `?` placeholders, appending the values
/// to bind in the same order.
class WhereBuilder
{
public:
    WhereBuilder(const std::vector<Column> &columns, std::vector<json> &binds)
        : m_columns(columns), m_binds(binds)
    {}

    Result<std::string> render(const FilterExpr &e)
    {
        switch (e.kind) {
        case FilterExpr::Kind::Leaf:
            return leaf(e);
        case FilterExpr::Kind::Not: {
            if (e.children.size() != 1)
                return Error::invalid("\"not\" takes exactly one condition");
            auto inner = render(e.children.front());
            if (!inner)
                return inner;
            return "NOT (" + *inner + ")";
        }
        case FilterExpr::Kind::And:
        case FilterExpr::Kind::Or: {
            if (e.children.empty())
                return std::string(e.kind == FilterExpr::Kind::And ? "1" : "0");
            std::string out = "(";
            for (std::size_t i = 0; i < e.children.size(); ++i) {
                auto part = render(e.children[i]);
                if (!part)
                    return part;
                if (i)
                    out += e.kind == FilterExpr::Kind::And ? " AND " : " OR ";
                out += *part;
            }
            return out + ")";
        }
        }
        return Error::invalid("unknown condition kind");
    }

private:
    std::string bind(json value)
    {
        m_binds.push_back(std::move(value));
        return "?";
    }

    Result<std::string> leaf(const FilterExpr &e)
    {
        const Column *col = findColumn(m_columns, e.field);
        if (!col)
            return Error::invalid("unknown search field \"" + e.field + "\"", {{"field", e.field}});
        if (e.values.empty())
            return Error::invalid("no value for the search field \"" + e.field + "\"");
        const std::string x = col->sql;
        const json &v = e.values.front();
        if (col->field.type == SearchFieldType::List)
            return listLeaf(e, x);
        switch (e.op) {
        case FilterOp::Equals:
            return x + " = " + bind(v);
        case FilterOp::Contains:
            return x + " LIKE " + bind("%" + likeLiteral(text(v)) + "%") + " ESCAPE '\\'";
        case FilterOp::StartsWith:
            return x + " LIKE " + bind(likeLiteral(text(v)) + "%") + " ESCAPE '\\'";
        case FilterOp::EndsWith:
            return x + " LIKE " + bind("%" + likeLiteral(text(v))) + " ESCAPE '\\'";
        case FilterOp::In:
            return x + " IN (SELECT value FROM json_each(" + bind(json(e.values).dump()) + "))";
        case FilterOp::NotIn:
            // Like Mongo's $nin, a row without the field matches.
            return "(" + x + " IS NULL OR " + x + " NOT IN (SELECT value FROM json_each(" +
                   bind(json(e.values).dump()) + ")))";
        case FilterOp::Gt:
            return x + " > " + bind(v);
        case FilterOp::Gte:
            return x + " >= " + bind(v);
        case FilterOp::Lt:
            return x + " < " + bind(v);
        case FilterOp::Lte:
            return x + " <= " + bind(v);
        case FilterOp::Exists:
            return x + (v == json(true) ? " IS NOT NULL" : " IS NULL");
        }
        return Error::invalid("unknown operator");
    }

    Result<std::string> listLeaf(const FilterExpr &e, const std::string &list)
    {
        const json &v = e.values.front();
        const std::string member =
            std::string("EXISTS (SELECT 1 FROM json_each(") + list + ") m WHERE " + kMemberId;
        switch (e.op) {
        case FilterOp::Equals:
            return member + " = " + bind(v) + ")";
        case FilterOp::Contains:
            return member + " LIKE " + bind("%" + likeLiteral(text(v)) + "%") + " ESCAPE '\\')";
        case FilterOp::StartsWith:
            return member + " LIKE " + bind(likeLiteral(text(v)) + "%") + " ESCAPE '\\')";
        case FilterOp::EndsWith:
            return member + " LIKE " + bind("%" + likeLiteral(text(v))) + " ESCAPE '\\')";
        case FilterOp::In:
            return member + " IN (SELECT value FROM json_each(" + bind(json(e.values).dump()) +
                   ")))";
        case FilterOp::NotIn:
            return "NOT " + member + " IN (SELECT value FROM json_each(" +
                   bind(json(e.values).dump()) + ")))";
        case FilterOp::Exists:
            return "coalesce(json_array_length(" + list + "), 0)" +
                   (v == json(true) ? " > 0" : " = 0");
        case FilterOp::Gt:
        case FilterOp::Gte:
        case FilterOp::Lt:
        case FilterOp::Lte:
            break;
        }
        return Error::invalid("the list field \"" + e.field + "\" cannot be compared by range",
                              {{"field", e.field}});
    }

    static std::string text(const json &v)
    {
        return v.is_string() ? v.get<std::string>() : v.dump();
    }

    const std::vector<Column> &m_columns;
    std::vector<json> &m_binds;
};

/// GBAC in SQL, as Principal::allowedBy: an empty or absent list is open to all; otherwise
/// one of its members must be among the caller's groups (bound as a JSON array).
std::string visibleBy(const std::string &list, std::vector<json> &binds,
                      const std::vector<std::string> &groups)
{
    binds.push_back(json(groups).dump());
    return "(coalesce(json_array_length(" + list + "), 0) = 0 OR EXISTS (SELECT 1 FROM json_each(" +
           list + ") m WHERE " + kMemberId + " IN (SELECT value FROM json_each(?))))";
}

void bindAll(Statement &s, const std::vector<json> &binds)
{
    int i = 1;
    for (const auto &v : binds) {
        if (v.is_string())
            s.bind(i, v.get<std::string>());
        else if (v.is_boolean())
            s.bind(i, v.get<bool>() ? 1 : 0);
        else if (v.is_number_integer() || v.is_number_unsigned())
            s.bind(i, v.get<std::int64_t>());
        else if (v.is_number())
            s.bind(i, v.get<double>());
        else
            s.bind(i, v.dump());
        ++i;
    }
}

/// Counts and reads one page from a single snapshot, so the total and the page agree.
/// A savepoint around reads that must see one snapshot, released however the reading ends. A
/// savepoint, not BEGIN: on the writer inside a burst a transaction is already open.
class ReadSnapshot
{
public:
    static Result<std::unique_ptr<ReadSnapshot>> open(SqliteDb &db, const std::string &name)
    {
        if (auto r = db.exec("SAVEPOINT " + name); !r)
            return r.error();
        return std::unique_ptr<ReadSnapshot>(new ReadSnapshot(db, name));
    }
    ~ReadSnapshot() { (void)m_db.exec("RELEASE " + m_name); }

private:
    ReadSnapshot(SqliteDb &db, std::string name) : m_db(db), m_name(std::move(name)) {}
    SqliteDb &m_db;
    std::string m_name;
};

/// `fewMatches` (0: never): `from` is one table, and a filter matching at most this many rows
/// is read by finding its matches first (SqliteStore::Options::fewMatches says why).
template <typename T, typename Read>
Result<Page<T>> readPage(SqliteDb &db, const std::string &select, const std::string &from,
                         const std::string &where, const std::vector<json> &binds,
                         const std::string &orderBy, int limit, int skip, bool withTotal,
                         std::int64_t fewMatches, Read read)
{
    auto snapshot = ReadSnapshot::open(db, "list_page");
    if (!snapshot)
        return snapshot.error();
    Page<T> page;
    const int n = int(binds.size());
    const std::string paging =
        " LIMIT ?" + std::to_string(n + 1) + " OFFSET ?" + std::to_string(n + 2);
    // Walking the sort's index and testing every row finds the first page at once when many
    // rows match, but reads the whole table when few do: a ticket number typed into the filter
    // took 14.9 s over a million jobs. So first collect up to fewMatches + 1 matching rowids,
    // by the plan a count would take (often a covering index). If that is all of them, they
    // are the total, and the page is those rows sorted: one scan instead of a count and a walk.
    if (withTotal && fewMatches > 0) {
        auto ids = db.prepare("SELECT rowid FROM " + from + " WHERE " + where + " LIMIT " +
                              std::to_string(fewMatches + 1));
        if (!ids)
            return ids.error();
        bindAll(*ids, binds);
        json rowids = json::array();
        for (;;) {
            auto row = ids->step();
            if (!row)
                return row.error();
            if (!*row)
                break;
            rowids.push_back(ids->int64(0));
        }
        if (std::int64_t(rowids.size()) <= fewMatches) {
            page.total = std::int64_t(rowids.size());
            if (skip >= page.total)
                return page;
            auto s = db.prepare("SELECT " + select + " FROM " + from + " WHERE " + from +
                                ".rowid IN (SELECT value FROM json_each(?1)) ORDER BY " + orderBy +
                                " LIMIT ?2 OFFSET ?3");
            if (!s)
                return s.error();
            s->bind(1, rowids.dump()).bind(2, limit).bind(3, skip);
            auto items = collectRows<T>(*s, read);
            if (!items)
                return items.error();
            page.items = std::move(*items);
            return page;
        }
    }
    if (withTotal) {
        auto count = db.prepare("SELECT count(*) FROM " + from + " WHERE " + where);
        if (!count)
            return count.error();
        bindAll(*count, binds);
        if (auto row = count->step(); !row)
            return row.error();
        page.total = count->int64(0);
        if (skip >= page.total)
            return page; // the page is past the end: no walk at all
    }
    auto s = db.prepare("SELECT " + select + " FROM " + from + " WHERE " + where + " ORDER BY " +
                        orderBy + paging);
    if (!s)
        return s.error();
    bindAll(*s, binds);
    s->bind(n + 1, limit).bind(n + 2, skip);
    auto items = collectRows<T>(*s, read);
    if (!items)
        return items.error();
    page.items = std::move(*items);
    return page;
}

const char *jobSortField(JobSort sort)
{
    switch (sort) {
    case JobSort::CreatedAt:
        return "created";
    case JobSort::Name:
        return "name";
    case JobSort::Status:
        return "status";
    case JobSort::UpdatedAt:
        break;
    }
    return "last_updated";
}

/// ORDER BY for a job sort field: its column, what breaks its ties, then the rowid, so that
/// the whole order is one index's order and a page is an index walk, however deep (every
/// index ends with the rowid). Names sort ignoring ASCII case, then by description, in
/// jobs_by_name_nocase's order, the index that also serves starts-with[name]: a filtered list
/// in name order is then one walk of a range. Status, with few values, breaks ties on the
/// last update, as jobs_by_status_updated holds them.
std::string jobOrderBy(const std::string &field, const std::string &sql, bool descending)
{
    const std::string dir = descending ? " DESC" : " ASC";
    if (field == "name" || field == "workflow.name")
        return sql + " COLLATE NOCASE" + dir + ", jobs.description" + dir + ", jobs.rowid" + dir;
    std::string out = sql + dir;
    // Only for the few-matches path of readByDuration's finished part (run_time not NULL);
    // the whole Duration order is readByDuration's.
    if (field == "metrics.run_time")
        out += " NULLS LAST";
    if (field == "status")
        out += ", jobs.updated_at" + dir;
    return out + ", jobs.rowid" + dir;
}

/// The Duration order (docs/api.md), as three parts each read in its own index order, one
/// after the other from a single snapshot: the jobs that ended, by run time; the jobs still
/// going (no end, a numeric start), by how long they have run so far (their start, reversed),
/// which no stored order can hold but a start time can; and the jobs whose duration cannot be
/// known (no start, or one that is not a number), last both ways. Longest first puts the
/// jobs still going on top (their duration is open-ended), the one running longest first;
/// shortest first puts them after every job that ended, the one that started last first.
Result<Page<JobRecord>> readByDuration(SqliteDb &db, const std::string &where,
                                       const std::vector<json> &binds, const JobQuery &query,
                                       std::int64_t fewMatches)
{
    struct Part
    {
        std::string where;
        std::string orderBy;
    };
    const std::string going = "jobs.run_time IS NULL AND jobs.end_time IS NULL AND "
                              "typeof(jobs.start_time) IN ('integer', 'real')";
    const bool longest = query.descending;
    const Part ended{"jobs.run_time IS NOT NULL", longest ? "jobs.run_time DESC, jobs.rowid DESC"
                                                          : "jobs.run_time ASC, jobs.rowid ASC"};
    const Part running{going, longest ? "jobs.start_time ASC, jobs.rowid ASC"
                                      : "jobs.start_time DESC, jobs.rowid DESC"};
    const Part unknown{"jobs.run_time IS NULL AND NOT (" + going + ")",
                       longest ? "jobs.rowid DESC" : "jobs.rowid ASC"};
    const std::vector<Part> parts = longest ? std::vector<Part>{running, ended, unknown}
                                            : std::vector<Part>{ended, running, unknown};

    // One read transaction around the three, so their counts and rows agree.
    auto snapshot = ReadSnapshot::open(db, "by_duration");
    if (!snapshot)
        return snapshot.error();
    Page<JobRecord> page;
    page.total = 0;
    std::int64_t skip = query.skip;
    int left = query.limit;
    for (const Part &part : parts) {
        // Each part is counted: where the next one starts depends on it.
        auto partPage =
            readPage<JobRecord>(db, kJobColumns, "jobs", where + " AND " + part.where, binds,
                                part.orderBy, left, int(skip), true, fewMatches, readJob);
        if (!partPage)
            return partPage.error();
        left -= int(partPage->items.size());
        for (JobRecord &job : partPage->items)
            page.items.push_back(std::move(job));
        skip = std::max<std::int64_t>(0, skip - partPage->total);
        page.total += partPage->total;
    }
    return page;
}

Result<std::string> sortColumn(const std::vector<Column> &columns, const std::string &field)
{
    const Column *col = findColumn(columns, field);
    if (!col || !col->field.sortable)
        return Error::invalid("cannot sort on \"" + field + "\"", {{"field", field}});
    return std::string(col->sql);
}

std::int64_t countRows(SqliteDb &db, const std::string &sql, const std::string &id,
                       Result<void> &error)
{
    auto s = db.prepare(sql);
    if (!s) {
        error = s.error();
        return 0;
    }
    s->bind(1, id);
    auto row = s->step();
    if (!row) {
        error = row.error();
        return 0;
    }
    return s->int64(0);
}

} // namespace

const std::vector<SearchField> &jobSearchFields()
{
    static const std::vector<SearchField> fields = fieldsOf(jobColumns());
    return fields;
}

const std::vector<SearchField> &taskSearchFields()
{
    static const std::vector<SearchField> fields = fieldsOf(taskColumns());
    return fields;
}

Result<Page<JobRecord>> SqliteStore::listJobs(const JobQuery &query)
{
    return withReader<Page<JobRecord>>([&](SqliteDb &db) -> Result<Page<JobRecord>> {
        // (status, updated_at) and (name, updated_at) serve the common listings; ties break on
        // rowid, which every index carries, so a deep page is an index walk rather than a sort
        // of every skipped row (bench/store measured 0.5 ms against 40 ms).
        std::vector<json> binds;
        std::string where = "1";
        if (query.status) {
            where += " AND jobs.status = ?";
            binds.push_back(*query.status);
        }
        if (query.name) {
            where += " AND jobs.name = ?";
            binds.push_back(*query.name);
        }
        WhereBuilder builder(jobColumns(), binds);
        auto filter = builder.render(query.filter);
        if (!filter)
            return filter.error();
        where += " AND " + *filter;
        if (query.visibleTo)
            where += " AND " + visibleBy("jobs.gbac_groups", binds, *query.visibleTo);
        const std::string field = query.sortField ? *query.sortField : jobSortField(query.sort);
        auto col = sortColumn(jobColumns(), field);
        if (!col)
            return col.error();
        if (field == "metrics.run_time")
            return readByDuration(db, where, binds, query, m_options.fewMatches);
        return readPage<JobRecord>(db, kJobColumns, "jobs", where, binds,
                                   jobOrderBy(field, *col, query.descending), query.limit,
                                   query.skip, query.withTotal, m_options.fewMatches, readJob);
    });
}

Result<Page<TaskIterationRecord>> SqliteStore::listTaskIterations(const TaskQuery &query)
{
    using P = Page<TaskIterationRecord>;
    return withReader<P>([&](SqliteDb &db) -> Result<P> {
        std::vector<json> binds;
        WhereBuilder builder(taskColumns(), binds);
        auto where = builder.render(query.filter);
        if (!where)
            return where.error();
        std::string from = "task_iterations t";
        if (query.visibleTo) {
            // A task is visible when its job is and its own groups admit the caller.
            from += " JOIN jobs ON jobs.id = t.job_id";
            *where += " AND " + visibleBy("jobs.gbac_groups", binds, *query.visibleTo);
            *where += " AND " +
                      visibleBy("json_extract(t.document, '$.groups')", binds, *query.visibleTo);
        }
        auto order = sortColumn(taskColumns(), query.sortField);
        if (!order)
            return order.error();
        const std::string dir = query.descending ? " DESC" : " ASC";
        std::string select;
        for (const char *c : {"id", "job_id", "task_key", "status", "type", "owner", "started_at",
                              "ended_at", "updated_at", "document"})
            select += std::string(select.empty() ? "" : ", ") + "t." + c;
        return readPage<TaskIterationRecord>(
            db, select, from, *where, binds, *order + dir + ", t.rowid" + dir, query.limit,
            query.skip, query.withTotal, 0, [](Statement &st) -> Result<TaskIterationRecord> {
                auto doc = parseDocument(st.text(9));
                if (!doc)
                    return doc.error();
                return readIteration(st, std::move(doc));
            });
    });
}

Result<JobDeletion> SqliteStore::deleteJobTree(const std::string &rootJobId)
{
    JobDeletion out;
    auto r = withWriter([&](SqliteDb &db) -> Result<void> {
        // Every job of the tree names the root in root_job_id (the root names itself).
        const std::string tree = "(SELECT id FROM jobs WHERE root_job_id = ?1 OR id = ?1)";
        Result<void> error;
        out.jobs = countRows(db, "SELECT count(*) FROM " + tree + "", rootJobId, error);
        out.taskIterations = countRows(
            db, "SELECT count(*) FROM task_iterations WHERE job_id IN " + tree, rootJobId, error);
        out.events = countRows(db, "SELECT count(*) FROM job_events WHERE job_id IN " + tree,
                               rootJobId, error);
        if (!error)
            return error;
        if (out.jobs == 0)
            return Error::notFound("no job with id " + rootJobId);
        for (const std::string table : {"job_events", "task_iterations"}) {
            auto s = db.prepare("DELETE FROM " + table + " WHERE job_id IN " + tree);
            if (!s)
                return s.error();
            s->bind(1, rootJobId);
            if (auto done = s->run(); !done)
                return done;
        }
        // Children go with their parent (parent_job_id cascades); the root_job_id test also
        // catches a descendant whose parent row is already gone.
        auto s = db.prepare("DELETE FROM jobs WHERE root_job_id = ?1 OR id = ?1");
        if (!s)
            return s.error();
        s->bind(1, rootJobId);
        return s->run();
    });
    if (!r)
        return r.error();
    return out;
}

} // namespace flowdeck::store
