// SPDX-License-Identifier: GPL-3.0-or-later
// The store's JST documents (transformations): one row per JST with its current document, and
// every saved version beside it, as for workflows.
#include "engine/model/Ids.h"
#include "engine/store/SqliteStore.h"
#include "engine/store/StoreSupport.h"

namespace flowdeck::store {

using nlohmann::json;

namespace {

constexpr const char *kColumns = kVersionedColumns;

/// `where` compares one column with ?1.
Result<std::optional<TransformationRecord>> findTransformation(SqliteDb &db, const char *where,
                                                               const std::string &value)
{
    return findOne<TransformationRecord>(
        db, std::string("SELECT ") + kColumns + " FROM transformations WHERE " + where, value,
        readVersioned<TransformationRecord>);
}

constexpr const char *kById = "id = ?1";
constexpr const char *kByName = "name = ?1 COLLATE NOCASE";

std::string documentName(const json &document)
{
    if (document.is_object() && document.contains("name") && document["name"].is_string())
        return document["name"].get<std::string>();
    return {};
}

std::string documentId(const json &document)
{
    if (document.is_object() && document.contains("_id") && document["_id"].is_string())
        return document["_id"].get<std::string>();
    return {};
}

} // namespace

Result<TransformationRecord>
SqliteStore::saveTransformation(const json &document, const std::optional<std::string> &actor,
                                bool replace)
{
    const std::string name = documentName(document);
    if (name.empty())
        return Error::invalid("a JST document needs a non-empty string \"name\"");
    const std::string givenId = documentId(document);
    if (!givenId.empty() && !ids::isObjectId(givenId))
        return Error::invalid("the JST's \"_id\" must be 24 hex characters, not \"" + givenId +
                              "\"");
    TransformationRecord saved;
    auto r = withWriter([&](SqliteDb &db) -> Result<void> {
        // The same JST is the one with the document's _id; without one, the one of that name.
        std::optional<TransformationRecord> same;
        if (!givenId.empty()) {
            auto byId = findTransformation(db, kById, givenId);
            if (!byId)
                return byId.error();
            same = std::move(*byId);
        }
        auto byName = findTransformation(db, kByName, name);
        if (!byName)
            return byName.error();
        if (*byName && (!same || (*byName)->id != same->id)) {
            if (!givenId.empty() && !same)
                return Error::conflict("a JST named \"" + (*byName)->name +
                                       "\" already exists with another _id (" + (*byName)->id +
                                       ")");
            if (same)
                return Error::conflict("another JST (" + (*byName)->id + ") is named \"" +
                                       (*byName)->name + "\"");
            same = std::move(*byName);
        }

        const Millis t = now();
        json stored = document;
        if (same) {
            if (!replace)
                return Error::conflict("a JST named \"" + same->name + "\" already exists");
            saved = std::move(*same);
            saved.name = name;
            saved.version += 1;
            saved.updatedAt = t;
            saved.updatedBy = actor;
            stored["_id"] = saved.id;
            auto s = db.prepare("UPDATE transformations SET name = ?2, version = ?3, document = ?4,"
                                " updated_at = ?5, updated_by = ?6 WHERE id = ?1");
            if (!s)
                return s.error();
            s->bind(1, saved.id)
                .bind(2, saved.name)
                .bind(3, saved.version)
                .bind(4, stored.dump())
                .bind(5, t)
                .bind(6, actor);
            if (auto u = s->run(); !u)
                return u;
        } else {
            saved.id = givenId.empty() ? ids::newObjectId() : givenId;
            saved.name = name;
            saved.version = 1;
            saved.createdAt = saved.updatedAt = t;
            saved.createdBy = saved.updatedBy = actor;
            stored["_id"] = saved.id;
            auto s = db.prepare("INSERT INTO transformations (id, name, version, document, "
                                "created_at, created_by, updated_at, updated_by) "
                                "VALUES (?1, ?2, 1, ?3, ?4, ?5, ?4, ?5)");
            if (!s)
                return s.error();
            s->bind(1, saved.id)
                .bind(2, saved.name)
                .bind(3, stored.dump())
                .bind(4, t)
                .bind(5, actor);
            if (auto u = s->run(); !u)
                return u;
        }
        saved.document = std::move(stored);
        auto v = db.prepare("INSERT INTO transformation_versions (transformation_id, version, "
                            "document, saved_at, saved_by) VALUES (?1, ?2, ?3, ?4, ?5)");
        if (!v)
            return v.error();
        v->bind(1, saved.id)
            .bind(2, saved.version)
            .bind(3, saved.document.dump())
            .bind(4, t)
            .bind(5, actor);
        return v->run();
    });
    if (!r)
        return r.error();
    return saved;
}

Result<void> SqliteStore::deleteTransformation(const std::string &id)
{
    return withWriter([&](SqliteDb &db) -> Result<void> {
        return changeOne(db, "DELETE FROM transformations WHERE id = ?1", id,
                         "no JST with id " + id);
    });
}

Result<TransformationRecord> SqliteStore::transformationById(const std::string &id)
{
    return withReader<TransformationRecord>([&](SqliteDb &db) -> Result<TransformationRecord> {
        return required(findTransformation(db, kById, id), "no JST with id " + id);
    });
}

Result<TransformationRecord> SqliteStore::transformationByName(const std::string &name)
{
    return withReader<TransformationRecord>([&](SqliteDb &db) -> Result<TransformationRecord> {
        return required(findTransformation(db, kByName, name), "no JST named \"" + name + "\"");
    });
}

Result<Page<TransformationRecord>>
SqliteStore::listTransformations(const TransformationQuery &query)
{
    using P = Page<TransformationRecord>;
    return withReader<P>([&](SqliteDb &db) -> Result<P> {
        // ?1 / ?2 are NULL when the filter is not set.
        const std::string where = " WHERE (?1 IS NULL OR name = ?1 COLLATE NOCASE)"
                                  " AND (?2 IS NULL OR instr(lower(name), lower(?2)) > 0)";
        P page;
        auto count = db.prepare("SELECT count(*) FROM transformations" + where);
        if (!count)
            return count.error();
        count->bind(1, query.name).bind(2, query.nameContains);
        if (auto row = count->step(); !row)
            return row.error();
        page.total = count->int64(0);

        auto s = db.prepare(std::string("SELECT ") + kColumns + " FROM transformations" + where +
                            " ORDER BY name COLLATE NOCASE LIMIT ?3 OFFSET ?4");
        if (!s)
            return s.error();
        s->bind(1, query.name).bind(2, query.nameContains).bind(3, query.limit).bind(4, query.skip);
        auto items = collectRows<TransformationRecord>(*s, readVersioned<TransformationRecord>);
        if (!items)
            return items.error();
        page.items = std::move(*items);
        return page;
    });
}

Result<std::vector<TransformationVersion>>
SqliteStore::transformationVersions(const std::string &id)
{
    using Versions = std::vector<TransformationVersion>;
    return withReader<Versions>([&](SqliteDb &db) -> Result<Versions> {
        auto s = db.prepare("SELECT version, document, saved_at, saved_by FROM "
                            "transformation_versions WHERE transformation_id = ?1 "
                            "ORDER BY version DESC");
        if (!s)
            return s.error();
        s->bind(1, id);
        return collectRows<TransformationVersion>(
            *s, [](Statement &st) -> Result<TransformationVersion> {
                auto doc = parseDocument(st.text(1));
                if (!doc)
                    return doc.error();
                return TransformationVersion{int(st.int64(0)), std::move(*doc), st.int64(2),
                                             st.optionalText(3)};
            });
    });
}

} // namespace flowdeck::store
