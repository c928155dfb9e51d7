// SPDX-License-Identifier: GPL-3.0-or-later
// The store's adapter instances: one row each, with the normalised definition and the
// properties (secrets already sealed by the caller) as JSON text.
#include "engine/model/Ids.h"
#include "engine/store/SqliteStore.h"
#include "engine/store/StoreSupport.h"

namespace flowdeck::store {

namespace {

constexpr const char *kColumns = "id, name, app, definition, properties, created_at, created_by, "
                                 "updated_at, updated_by";
/// The same row with 'null' for the definition, which is not read at all.
constexpr const char *kHeadColumns = "id, name, app, 'null', properties, created_at, "
                                     "created_by, updated_at, updated_by";

Result<AdapterRecord> readAdapter(Statement &s)
{
    AdapterRecord r;
    r.id = s.text(0);
    r.name = s.text(1);
    r.app = s.text(2);
    auto definition = parseDocument(s.text(3));
    if (!definition)
        return definition.error();
    auto properties = parseDocument(s.text(4));
    if (!properties)
        return properties.error();
    r.definition = std::move(*definition);
    r.properties = std::move(*properties);
    r.createdAt = s.int64(5);
    r.createdBy = s.optionalText(6);
    r.updatedAt = s.int64(7);
    r.updatedBy = s.optionalText(8);
    return r;
}

Result<std::optional<AdapterRecord>> findAdapter(SqliteDb &db, const std::string &name)
{
    return findOne<AdapterRecord>(
        db, std::string("SELECT ") + kColumns + " FROM adapters WHERE name = ?1 COLLATE NOCASE",
        name, readAdapter);
}

} // namespace

Result<AdapterRecord> SqliteStore::saveAdapter(const AdapterRecord &adapter, bool replace)
{
    if (adapter.name.empty() || adapter.app.empty())
        return Error::invalid("an adapter instance needs a name and an app");
    AdapterRecord saved = adapter;
    auto r = withWriter([&](SqliteDb &db) -> Result<void> {
        auto existing = findAdapter(db, adapter.name);
        if (!existing)
            return existing.error();
        const Millis t = now();
        if (*existing) {
            if (!replace)
                return Error::conflict("an adapter instance named \"" + (*existing)->name +
                                       "\" already exists");
            saved.id = (*existing)->id;
            saved.createdAt = (*existing)->createdAt;
            saved.createdBy = (*existing)->createdBy;
            saved.updatedAt = t;
            auto s = db.prepare("UPDATE adapters SET name = ?2, app = ?3, definition = ?4, "
                                "properties = ?5, updated_at = ?6, updated_by = ?7 WHERE id = ?1");
            if (!s)
                return s.error();
            s->bind(1, saved.id)
                .bind(2, saved.name)
                .bind(3, saved.app)
                .bind(4, saved.definition.dump())
                .bind(5, saved.properties.dump())
                .bind(6, t)
                .bind(7, saved.updatedBy);
            return s->run();
        }
        saved.id = ids::newObjectId();
        saved.createdAt = saved.updatedAt = t;
        if (!saved.createdBy)
            saved.createdBy = saved.updatedBy;
        auto s = db.prepare(std::string("INSERT INTO adapters (") + kColumns +
                            ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?6, ?7)");
        if (!s)
            return s.error();
        s->bind(1, saved.id)
            .bind(2, saved.name)
            .bind(3, saved.app)
            .bind(4, saved.definition.dump())
            .bind(5, saved.properties.dump())
            .bind(6, t)
            .bind(7, saved.createdBy);
        return s->run();
    });
    if (!r)
        return r.error();
    return saved;
}

Result<void> SqliteStore::deleteAdapter(const std::string &name)
{
    return withWriter([&](SqliteDb &db) -> Result<void> {
        return changeOne(db, "DELETE FROM adapters WHERE name = ?1 COLLATE NOCASE", name,
                         "no adapter instance named \"" + name + "\"");
    });
}

Result<AdapterRecord> SqliteStore::adapterByName(const std::string &name)
{
    return withReader<AdapterRecord>([&](SqliteDb &db) -> Result<AdapterRecord> {
        return required(findAdapter(db, name), "no adapter instance named \"" + name + "\"");
    });
}

namespace {

Result<std::vector<AdapterRecord>> listRows(SqliteDb &db, const char *columns)
{
    auto s = db.prepare(std::string("SELECT ") + columns +
                        " FROM adapters ORDER BY name COLLATE NOCASE");
    if (!s)
        return s.error();
    return collectRows<AdapterRecord>(*s, readAdapter);
}

} // namespace

Result<std::vector<AdapterRecord>> SqliteStore::listAdapters()
{
    using List = std::vector<AdapterRecord>;
    return withReader<List>([&](SqliteDb &db) { return listRows(db, kColumns); });
}

Result<std::vector<AdapterRecord>> SqliteStore::adapterHeads()
{
    using List = std::vector<AdapterRecord>;
    return withReader<List>([&](SqliteDb &db) { return listRows(db, kHeadColumns); });
}

} // namespace flowdeck::store
