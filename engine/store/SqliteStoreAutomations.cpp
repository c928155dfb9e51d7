// SPDX-License-Identifier: GPL-3.0-or-later
// The store's automations and triggers (Operations Manager). Each row keeps the API document;
// the columns beside it are derived from the document on every write, so filters, the unique
// routeName index and the foreign keys see the same values the API answers with.
#include "engine/store/SqliteStore.h"
#include "engine/store/StoreSupport.h"

#include <map>
#include <variant>

namespace flowdeck::store {

using nlohmann::json;

namespace {

std::string stringField(const json &doc, const char *key)
{
    if (doc.is_object() && doc.contains(key) && doc[key].is_string())
        return doc[key].get<std::string>();
    return {};
}

std::optional<std::string> optionalStringField(const json &doc, const char *key)
{
    auto value = stringField(doc, key);
    if (value.empty())
        return std::nullopt;
    return value;
}

// ---- listing: field-pair filters to SQL with bound values ----

using Bound = std::variant<std::string, std::int64_t>;

/// Builds a WHERE clause whose values are all bound parameters, in order.
struct Where
{
    std::string sql;
    std::vector<Bound> values;

    void add(const std::string &condition)
    {
        sql += (sql.empty() ? " WHERE " : " AND ") + condition;
    }
    std::string param(Bound value)
    {
        values.push_back(std::move(value));
        return "?";
    }
    void bindTo(Statement &s, int first = 1) const
    {
        int i = first;
        for (const auto &v : values) {
            if (const auto *text = std::get_if<std::string>(&v))
                s.bind(i++, *text);
            else
                s.bind(i++, std::get<std::int64_t>(v));
        }
    }
};

bool isIdentifier(const std::string &name)
{
    if (name.empty() || name.size() > 64)
        return false;
    for (std::size_t i = 0; i < name.size(); ++i) {
        const char c = name[i];
        const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
        if (!letter && !(i > 0 && c >= '0' && c <= '9'))
            return false;
    }
    return true;
}

/// The SQL for one document field: its column when it has one, else the value inside the
/// document (the JSON path is a bound value too).
Result<std::string> fieldExpression(const std::map<std::string, std::string> &columns,
                                    const std::string &alias, const std::string &field, Where &w)
{
    if (auto it = columns.find(field); it != columns.end())
        return alias + "." + it->second;
    if (!isIdentifier(field))
        return Error::invalid("\"" + field + "\" is not a field name");
    return "json_extract(" + alias + ".document, " + w.param("$." + field) + ")";
}

Result<void> addFilters(const FieldQuery &q, const std::map<std::string, std::string> &columns,
                        const std::string &alias, Where &w)
{
    for (const auto &f : q.filters) {
        auto expr = fieldExpression(columns, alias, f.field, w);
        if (!expr)
            return expr.error();
        switch (f.match) {
        case FieldMatch::Equals:
            w.add(*expr + " = " + w.param(f.value));
            break;
        case FieldMatch::Contains:
            w.add("instr(lower(" + *expr + "), lower(" + w.param(f.value) + ")) > 0");
            break;
        case FieldMatch::StartsWith:
            w.add("lower(substr(" + *expr + ", 1, length(" + w.param(f.value) + "))) = lower(" +
                  w.param(f.value) + ")");
            break;
        }
    }
    return {};
}

/// GBAC on the automation aliased `alias`: an empty or absent gbac.read is open to everyone.
void addReadable(const FieldQuery &q, const std::string &alias, Where &w)
{
    if (!q.readableBy)
        return;
    const std::string read = "json_extract(" + alias + ".document, '$.gbac.read')";
    w.add("(coalesce(json_array_length(" + read + "), 0) = 0 OR EXISTS (SELECT 1 FROM json_each(" +
          read + ") r WHERE r.value IN (SELECT value FROM json_each(" +
          w.param(json(*q.readableBy).dump()) + "))))");
}

// ---- automations ----

const std::map<std::string, std::string> kAutomationColumns = {{"_id", "id"},
                                                               {"name", "name"},
                                                               {"description", "description"},
                                                               {"componentType", "component_type"},
                                                               {"componentId", "component_id"}};

constexpr const char *kAutomationColumnsSql =
    "a.id, a.name, a.document, a.created_at, a.updated_at, a.component_id";

Result<AutomationRecord> readAutomation(Statement &s)
{
    AutomationRecord r;
    r.id = s.text(0);
    r.name = s.text(1);
    auto doc = parseDocument(s.text(2));
    if (!doc)
        return doc.error();
    r.document = std::move(*doc);
    r.createdAt = s.int64(3);
    r.updatedAt = s.int64(4);
    // Deleting a workflow sets the column to NULL (ON DELETE SET NULL); the document follows.
    if (auto component = s.optionalText(5))
        r.document["componentId"] = *component;
    else
        r.document["componentId"] = nullptr;
    r.document["_id"] = r.id;
    return r;
}

Result<std::optional<AutomationRecord>> findAutomation(SqliteDb &db, const char *where,
                                                       const std::string &value)
{
    return findOne<AutomationRecord>(
        db, std::string("SELECT ") + kAutomationColumnsSql + " FROM automations a WHERE " + where,
        value, readAutomation);
}

/// Binds ?1 … ?6: id, name, description, component type and id, document.
Result<void> bindAutomation(Statement &s, const json &document)
{
    const std::string id = stringField(document, "_id");
    const std::string name = stringField(document, "name");
    if (id.empty() || name.empty())
        return Error::invalid("an automation document needs a string \"_id\" and \"name\"");
    s.bind(1, id)
        .bind(2, name)
        .bind(3, optionalStringField(document, "description"))
        .bind(4, stringField(document, "componentType").empty()
                     ? std::string("workflows")
                     : stringField(document, "componentType"))
        .bind(5, optionalStringField(document, "componentId"))
        .bind(6, document.dump());
    return {};
}

// ---- triggers ----

const std::map<std::string, std::string> kTriggerColumns = {{"_id", "id"},
                                                            {"name", "name"},
                                                            {"type", "type"},
                                                            {"actionId", "automation_id"},
                                                            {"routeName", "route_name"},
                                                            {"lastExecuted", "last_run_at"},
                                                            {"nextRunAt", "next_run_at"}};

constexpr const char *kTriggerColumnsSql = "t.id, t.automation_id, t.name, t.type, t.enabled, "
                                           "t.document, t.last_run_at, t.next_run_at, "
                                           "t.created_at, t.updated_at";

Result<TriggerRecord> readTrigger(Statement &s)
{
    TriggerRecord r;
    r.id = s.text(0);
    r.automationId = s.text(1);
    r.name = s.text(2);
    r.type = s.text(3);
    r.enabled = s.int64(4) != 0;
    auto doc = parseDocument(s.text(5));
    if (!doc)
        return doc.error();
    r.document = std::move(*doc);
    if (!s.isNull(6))
        r.lastExecuted = s.int64(6);
    if (!s.isNull(7))
        r.nextRunAt = s.int64(7);
    r.createdAt = s.int64(8);
    r.updatedAt = s.int64(9);
    return r;
}

Result<std::optional<TriggerRecord>> findTrigger(SqliteDb &db, const char *where,
                                                 const std::string &value)
{
    return findOne<TriggerRecord>(
        db, std::string("SELECT ") + kTriggerColumnsSql + " FROM triggers t WHERE " + where, value,
        readTrigger);
}

struct TriggerColumns
{
    std::string id, automationId, name, type;
    bool enabled = true;
    std::optional<std::string> routeName;
};

Result<TriggerColumns> triggerColumns(const json &document)
{
    TriggerColumns c;
    c.id = stringField(document, "_id");
    c.automationId = stringField(document, "actionId");
    c.name = stringField(document, "name");
    c.type = stringField(document, "type");
    if (c.id.empty() || c.automationId.empty() || c.name.empty() || c.type.empty())
        return Error::invalid(
            "a trigger document needs string \"_id\", \"actionId\", \"name\" and \"type\"");
    c.enabled = !document.contains("enabled") || document["enabled"] != false;
    if (c.type == "endpoint")
        c.routeName = optionalStringField(document, "routeName");
    return c;
}

/// A friendlier answer than the unique index's: which trigger holds the routeName.
Result<void> routeFree(SqliteDb &db, const TriggerColumns &c)
{
    if (c.type != "endpoint" || !c.enabled || !c.routeName)
        return {};
    auto other = findTrigger(db, "t.route_name = ?1 AND t.type = 'endpoint' AND t.enabled = 1",
                             *c.routeName);
    if (!other)
        return other.error();
    if (*other && (*other)->id != c.id)
        return Error::conflict("the enabled endpoint trigger \"" + (*other)->name + "\" (" +
                               (*other)->id + ") already uses routeName \"" + *c.routeName + "\"");
    return {};
}

Result<void> automationExists(SqliteDb &db, const std::string &id)
{
    auto found = findAutomation(db, "a.id = ?1", id);
    if (!found)
        return found.error();
    if (!*found)
        return Error::notFound("no automation with id " + id);
    return {};
}

} // namespace

// ---- automations ----

Result<AutomationRecord> SqliteStore::insertAutomation(const json &document)
{
    const Millis t = now();
    auto r = withWriter([&](SqliteDb &db) -> Result<void> {
        const std::string name = stringField(document, "name");
        auto byName = findAutomation(db, "a.name = ?1", name);
        if (!byName)
            return byName.error();
        if (*byName)
            return Error::conflict("an automation named \"" + name + "\" already exists (" +
                                   (*byName)->id + ")");
        auto byId = findAutomation(db, "a.id = ?1", stringField(document, "_id"));
        if (!byId)
            return byId.error();
        if (*byId)
            return Error::conflict("an automation with id " + (*byId)->id + " already exists");
        auto s = db.prepare("INSERT INTO automations (id, name, description, component_type, "
                            "component_id, document, created_at, created_by, updated_at, "
                            "updated_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?7, ?9)");
        if (!s)
            return s.error();
        if (auto b = bindAutomation(*s, document); !b)
            return b;
        s->bind(7, t)
            .bind(8, optionalStringField(document, "createdBy"))
            .bind(9, optionalStringField(document, "lastUpdatedBy"));
        return s->run();
    });
    if (!r)
        return r.error();
    return automationById(stringField(document, "_id"));
}

Result<AutomationRecord> SqliteStore::updateAutomation(const json &document)
{
    const Millis t = now();
    const std::string id = stringField(document, "_id");
    auto r = withWriter([&](SqliteDb &db) -> Result<void> {
        const std::string name = stringField(document, "name");
        auto byName = findAutomation(db, "a.name = ?1", name);
        if (!byName)
            return byName.error();
        if (*byName && (*byName)->id != id)
            return Error::conflict("another automation (" + (*byName)->id + ") is named \"" + name +
                                   "\"");
        auto s = db.prepare("UPDATE automations SET name = ?2, description = ?3, "
                            "component_type = ?4, component_id = ?5, document = ?6, "
                            "updated_at = ?7, updated_by = ?8 WHERE id = ?1");
        if (!s)
            return s.error();
        if (auto b = bindAutomation(*s, document); !b)
            return b;
        s->bind(7, t).bind(8, optionalStringField(document, "lastUpdatedBy"));
        if (auto u = s->run(); !u)
            return u;
        if (db.changes() == 0)
            return Error::notFound("no automation with id " + id);
        return {};
    });
    if (!r)
        return r.error();
    return automationById(id);
}

Result<void> SqliteStore::deleteAutomation(const std::string &id)
{
    return withWriter([&](SqliteDb &db) -> Result<void> {
        // Triggers go with it (ON DELETE CASCADE): a trigger cannot run without its action.
        return changeOne(db, "DELETE FROM automations WHERE id = ?1", id,
                         "no automation with id " + id);
    });
}

Result<AutomationRecord> SqliteStore::automationById(const std::string &id)
{
    return withReader<AutomationRecord>([&](SqliteDb &db) -> Result<AutomationRecord> {
        return required(findAutomation(db, "a.id = ?1", id), "no automation with id " + id);
    });
}

Result<AutomationRecord> SqliteStore::automationByName(const std::string &name)
{
    return withReader<AutomationRecord>([&](SqliteDb &db) -> Result<AutomationRecord> {
        return required(findAutomation(db, "a.name = ?1", name),
                        "no automation named \"" + name + "\"");
    });
}

Result<Page<AutomationRecord>> SqliteStore::listAutomations(const FieldQuery &query)
{
    using P = Page<AutomationRecord>;
    return withReader<P>([&](SqliteDb &db) -> Result<P> {
        Where w;
        if (auto f = addFilters(query, kAutomationColumns, "a", w); !f)
            return f.error();
        addReadable(query, "a", w);
        P page;
        auto count = db.prepare("SELECT count(*) FROM automations a" + w.sql);
        if (!count)
            return count.error();
        w.bindTo(*count);
        if (auto row = count->step(); !row)
            return row.error();
        page.total = count->int64(0);

        Where order = w;
        auto sortExpr = fieldExpression(kAutomationColumns, "a", query.sort, order);
        if (!sortExpr)
            return sortExpr.error();
        auto s = db.prepare(std::string("SELECT ") + kAutomationColumnsSql + " FROM automations a" +
                            w.sql + " ORDER BY " + *sortExpr +
                            (query.descending ? " DESC" : " ASC") + ", a.id LIMIT ? OFFSET ?");
        if (!s)
            return s.error();
        order.bindTo(*s);
        const int next = int(order.values.size()) + 1;
        s->bind(next, query.limit).bind(next + 1, query.skip);
        auto items = collectRows<AutomationRecord>(*s, readAutomation);
        if (!items)
            return items.error();
        page.items = std::move(*items);
        return page;
    });
}

// ---- triggers ----

Result<TriggerRecord> SqliteStore::insertTrigger(const json &document,
                                                 std::optional<Millis> nextRunAt)
{
    auto c = triggerColumns(document);
    if (!c)
        return c.error();
    const Millis t = now();
    auto r = withWriter([&](SqliteDb &db) -> Result<void> {
        if (auto a = automationExists(db, c->automationId); !a)
            return a;
        auto byId = findTrigger(db, "t.id = ?1", c->id);
        if (!byId)
            return byId.error();
        if (*byId)
            return Error::conflict("a trigger with id " + c->id + " already exists");
        if (auto free = routeFree(db, *c); !free)
            return free;
        auto s = db.prepare("INSERT INTO triggers (id, automation_id, name, type, enabled, "
                            "document, next_run_at, created_at, updated_at, route_name) "
                            "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8, ?9)");
        if (!s)
            return s.error();
        s->bind(1, c->id)
            .bind(2, c->automationId)
            .bind(3, c->name)
            .bind(4, c->type)
            .bind(5, c->enabled ? 1 : 0)
            .bind(6, document.dump());
        if (nextRunAt)
            s->bind(7, *nextRunAt);
        else
            s->bindNull(7);
        s->bind(8, t).bind(9, c->routeName);
        return s->run();
    });
    if (!r)
        return r.error();
    return triggerById(c->id);
}

Result<TriggerRecord> SqliteStore::updateTrigger(const json &document,
                                                 std::optional<Millis> nextRunAt)
{
    auto c = triggerColumns(document);
    if (!c)
        return c.error();
    const Millis t = now();
    auto r = withWriter([&](SqliteDb &db) -> Result<void> {
        if (auto a = automationExists(db, c->automationId); !a)
            return a;
        if (auto free = routeFree(db, *c); !free)
            return free;
        auto s = db.prepare("UPDATE triggers SET automation_id = ?2, name = ?3, type = ?4, "
                            "enabled = ?5, document = ?6, next_run_at = ?7, updated_at = ?8, "
                            "route_name = ?9 WHERE id = ?1");
        if (!s)
            return s.error();
        s->bind(1, c->id)
            .bind(2, c->automationId)
            .bind(3, c->name)
            .bind(4, c->type)
            .bind(5, c->enabled ? 1 : 0)
            .bind(6, document.dump());
        if (nextRunAt)
            s->bind(7, *nextRunAt);
        else
            s->bindNull(7);
        s->bind(8, t).bind(9, c->routeName);
        if (auto u = s->run(); !u)
            return u;
        if (db.changes() == 0)
            return Error::notFound("no trigger with id " + c->id);
        return {};
    });
    if (!r)
        return r.error();
    return triggerById(c->id);
}

Result<void> SqliteStore::deleteTrigger(const std::string &id)
{
    return withWriter([&](SqliteDb &db) -> Result<void> {
        return changeOne(db, "DELETE FROM triggers WHERE id = ?1", id, "no trigger with id " + id);
    });
}

Result<int> SqliteStore::deleteTriggersOfAutomation(const std::string &automationId)
{
    int deleted = 0;
    auto r = withWriter([&](SqliteDb &db) -> Result<void> {
        auto s = db.prepare("DELETE FROM triggers WHERE automation_id = ?1");
        if (!s)
            return s.error();
        s->bind(1, automationId);
        if (auto d = s->run(); !d)
            return d;
        deleted = int(db.changes());
        return {};
    });
    if (!r)
        return r.error();
    return deleted;
}

Result<void> SqliteStore::markTriggerExecuted(const std::string &id, Millis at,
                                              std::optional<Millis> nextRunAt)
{
    return withWriter([&](SqliteDb &db) -> Result<void> {
        auto s = db.prepare("UPDATE triggers SET last_run_at = ?2, next_run_at = ?3 WHERE id = ?1");
        if (!s)
            return s.error();
        s->bind(1, id).bind(2, at);
        if (nextRunAt)
            s->bind(3, *nextRunAt);
        else
            s->bindNull(3);
        if (auto r = s->run(); !r)
            return r;
        if (db.changes() == 0)
            return Error::notFound("no trigger with id " + id);
        return {};
    });
}

Result<std::vector<TriggerRecord>> SqliteStore::dueScheduleTriggers(Millis now, int limit)
{
    return withReader<std::vector<TriggerRecord>>(
        [&](SqliteDb &db) -> Result<std::vector<TriggerRecord>> {
            auto s = db.prepare(std::string("SELECT ") + kTriggerColumnsSql +
                                " FROM triggers t WHERE t.enabled = 1 AND t.type = 'schedule' "
                                "AND t.next_run_at IS NOT NULL AND t.next_run_at <= ?1 "
                                "ORDER BY t.next_run_at LIMIT ?2");
            if (!s)
                return s.error();
            s->bind(1, now).bind(2, std::int64_t(limit));
            return collectRows<TriggerRecord>(*s, readTrigger);
        });
}

Result<std::optional<Millis>> SqliteStore::soonestScheduledRun()
{
    return withReader<std::optional<Millis>>([&](SqliteDb &db) -> Result<std::optional<Millis>> {
        auto s = db.prepare("SELECT MIN(next_run_at) FROM triggers WHERE enabled = 1 AND "
                            "type = 'schedule' AND next_run_at IS NOT NULL");
        if (!s)
            return s.error();
        auto row = s->step();
        if (!row)
            return row.error();
        if (!*row || s->isNull(0))
            return std::optional<Millis>();
        return std::optional<Millis>(s->int64(0));
    });
}

Result<void> SqliteStore::setTriggerNextRun(const std::string &id, std::optional<Millis> nextRunAt)
{
    return withWriter([&](SqliteDb &db) -> Result<void> {
        auto s = db.prepare("UPDATE triggers SET next_run_at = ?2 WHERE id = ?1");
        if (!s)
            return s.error();
        s->bind(1, id);
        if (nextRunAt)
            s->bind(2, *nextRunAt);
        else
            s->bindNull(2);
        if (auto r = s->run(); !r)
            return r;
        if (db.changes() == 0)
            return Error::notFound("no trigger with id " + id);
        return {};
    });
}

Result<bool> SqliteStore::triggerFired(const std::string &triggerId, Millis scheduledAt)
{
    return withReader<bool>([&](SqliteDb &db) {
        return fireRecorded(db, "trigger_fires", "scheduled_at", triggerId, scheduledAt);
    });
}

Result<void> SqliteStore::recordTriggerFire(const TriggerFireRecord &fire)
{
    return withWriter([&](SqliteDb &db) {
        return insertFire(db, "trigger_fires", "scheduled_at", fire, fire.scheduledAt,
                          "the instant " + std::to_string(fire.scheduledAt) + " of trigger " +
                              fire.triggerId + " was handled already");
    });
}

Result<std::vector<TriggerFireRecord>> SqliteStore::triggerFires(const std::string &triggerId,
                                                                 int limit)
{
    return withReader<std::vector<TriggerFireRecord>>(
        [&](SqliteDb &db) -> Result<std::vector<TriggerFireRecord>> {
            auto s = db.prepare("SELECT trigger_id, scheduled_at, outcome, job_id, message, "
                                "handled_at FROM trigger_fires WHERE trigger_id = ?1 "
                                "ORDER BY scheduled_at DESC LIMIT ?2");
            if (!s)
                return s.error();
            s->bind(1, triggerId).bind(2, std::int64_t(limit));
            return collectRows<TriggerFireRecord>(*s,
                                                  [](Statement &st) -> Result<TriggerFireRecord> {
                                                      TriggerFireRecord f;
                                                      f.triggerId = st.text(0);
                                                      f.scheduledAt = st.int64(1);
                                                      f.outcome = st.text(2);
                                                      f.jobId = st.optionalText(3);
                                                      f.message = st.text(4);
                                                      f.handledAt = st.int64(5);
                                                      return f;
                                                  });
        });
}

Result<TriggerRecord> SqliteStore::triggerById(const std::string &id)
{
    return withReader<TriggerRecord>([&](SqliteDb &db) -> Result<TriggerRecord> {
        return required(findTrigger(db, "t.id = ?1", id), "no trigger with id " + id);
    });
}

Result<TriggerRecord> SqliteStore::enabledEndpointTrigger(const std::string &routeName)
{
    return withReader<TriggerRecord>([&](SqliteDb &db) -> Result<TriggerRecord> {
        return required(findTrigger(db,
                                    "t.route_name = ?1 AND t.type = 'endpoint' AND t.enabled = 1",
                                    routeName),
                        "no enabled endpoint trigger has routeName \"" + routeName + "\"");
    });
}

Result<std::vector<TriggerRecord>> SqliteStore::enabledEventTriggers()
{
    using V = std::vector<TriggerRecord>;
    return withReader<V>([&](SqliteDb &db) -> Result<V> {
        auto s = db.prepare(std::string("SELECT ") + kTriggerColumnsSql +
                            " FROM triggers t WHERE t.type = 'eventSystem' AND t.enabled = 1 "
                            "ORDER BY t.created_at, t.id");
        if (!s)
            return s.error();
        return collectRows<TriggerRecord>(*s, readTrigger);
    });
}

Result<std::vector<TriggerRecord>>
SqliteStore::triggersOfAutomation(const std::string &automationId)
{
    using V = std::vector<TriggerRecord>;
    return withReader<V>([&](SqliteDb &db) -> Result<V> {
        auto s =
            db.prepare(std::string("SELECT ") + kTriggerColumnsSql +
                       " FROM triggers t WHERE t.automation_id = ?1 ORDER BY t.created_at, t.id");
        if (!s)
            return s.error();
        s->bind(1, automationId);
        return collectRows<TriggerRecord>(*s, readTrigger);
    });
}

Result<Page<TriggerRecord>> SqliteStore::listTriggers(const FieldQuery &query)
{
    using P = Page<TriggerRecord>;
    return withReader<P>([&](SqliteDb &db) -> Result<P> {
        Where w;
        if (auto f = addFilters(query, kTriggerColumns, "t", w); !f)
            return f.error();
        if (query.enabled)
            w.add("t.enabled = " + w.param(std::int64_t(*query.enabled ? 1 : 0)));
        addReadable(query, "a", w);
        const std::string from = " FROM triggers t JOIN automations a ON a.id = t.automation_id";
        P page;
        auto count = db.prepare("SELECT count(*)" + from + w.sql);
        if (!count)
            return count.error();
        w.bindTo(*count);
        if (auto row = count->step(); !row)
            return row.error();
        page.total = count->int64(0);

        Where order = w;
        auto sortExpr = fieldExpression(kTriggerColumns, "t", query.sort, order);
        if (!sortExpr)
            return sortExpr.error();
        auto s = db.prepare(std::string("SELECT ") + kTriggerColumnsSql + from + w.sql +
                            " ORDER BY " + *sortExpr + (query.descending ? " DESC" : " ASC") +
                            ", t.id LIMIT ? OFFSET ?");
        if (!s)
            return s.error();
        order.bindTo(*s);
        const int next = int(order.values.size()) + 1;
        s->bind(next, query.limit).bind(next + 1, query.skip);
        auto items = collectRows<TriggerRecord>(*s, readTrigger);
        if (!items)
            return items.error();
        page.items = std::move(*items);
        return page;
    });
}

} // namespace flowdeck::store
