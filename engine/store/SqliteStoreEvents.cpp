// SPDX-License-Identifier: GPL-3.0-or-later
// Event triggers' tables: system_events (posted events and Flowdeck's own outside job logs)
// and event_trigger_fires (each event handled once per trigger).
#include "engine/store/SqliteStore.h"
#include "engine/store/StoreSupport.h"

namespace flowdeck::store {

Result<bool> SqliteStore::eventTriggerFired(const std::string &triggerId, const std::string &event)
{
    return withReader<bool>([&](SqliteDb &db) {
        return fireRecorded(db, "event_trigger_fires", "event", triggerId, event);
    });
}

Result<void> SqliteStore::recordEventTriggerFire(const EventTriggerFireRecord &fire)
{
    return withWriter([&](SqliteDb &db) {
        return insertFire(db, "event_trigger_fires", "event", fire, fire.event,
                          "event " + fire.event + " was handled for trigger " + fire.triggerId +
                              " already");
    });
}

Result<std::vector<EventTriggerFireRecord>>
SqliteStore::eventTriggerFires(const std::string &triggerId, int limit)
{
    using V = std::vector<EventTriggerFireRecord>;
    return withReader<V>([&](SqliteDb &db) -> Result<V> {
        auto s = db.prepare("SELECT trigger_id, event, outcome, job_id, message, handled_at "
                            "FROM event_trigger_fires WHERE trigger_id = ?1 "
                            "ORDER BY handled_at DESC, event DESC LIMIT ?2");
        if (!s)
            return s.error();
        s->bind(1, triggerId).bind(2, limit);
        return collectRows<EventTriggerFireRecord>(
            *s, [](Statement &st) -> Result<EventTriggerFireRecord> {
                return EventTriggerFireRecord{st.text(0),         st.text(1), st.text(2),
                                              st.optionalText(3), st.text(4), st.int64(5)};
            });
    });
}

Result<std::int64_t> SqliteStore::appendSystemEvent(const SystemEventRecord &event)
{
    std::int64_t seq = 0;
    auto r = withWriter([&](SqliteDb &db) -> Result<void> {
        auto s = db.prepare("INSERT INTO system_events (source, topic, payload, at, posted_by) "
                            "VALUES (?1, ?2, ?3, ?4, ?5) RETURNING seq");
        if (!s)
            return s.error();
        s->bind(1, event.source)
            .bind(2, event.topic)
            .bind(3, event.payload.dump())
            .bind(4, event.at);
        if (event.postedBy)
            s->bind(5, *event.postedBy);
        else
            s->bindNull(5);
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

Result<std::vector<SystemEventRecord>> SqliteStore::systemEventsAfter(std::int64_t after,
                                                                      std::int64_t upTo, int limit)
{
    using V = std::vector<SystemEventRecord>;
    return withReader<V>([&](SqliteDb &db) -> Result<V> {
        auto s = db.prepare("SELECT seq, source, topic, payload, at, posted_by FROM system_events "
                            "WHERE seq > ?1 AND seq <= ?2 ORDER BY seq LIMIT ?3");
        if (!s)
            return s.error();
        s->bind(1, after).bind(2, upTo).bind(3, limit);
        return collectRows<SystemEventRecord>(*s, [](Statement &st) -> Result<SystemEventRecord> {
            auto payload = parseDocument(st.text(3));
            if (!payload)
                return payload.error();
            return SystemEventRecord{st.int64(0),         st.text(1),  st.text(2),
                                     std::move(*payload), st.int64(4), st.optionalText(5)};
        });
    });
}

Result<std::int64_t> SqliteStore::lastSystemEventSeq()
{
    return withReader<std::int64_t>([&](SqliteDb &db) -> Result<std::int64_t> {
        return db.queryInt("SELECT coalesce(max(seq), 0) FROM system_events");
    });
}

Result<std::vector<std::pair<std::string, std::string>>> SqliteStore::postedEventTopics()
{
    using V = std::vector<std::pair<std::string, std::string>>;
    return withReader<V>([&](SqliteDb &db) -> Result<V> {
        auto s = db.prepare("SELECT DISTINCT source, topic FROM system_events "
                            "WHERE posted_by IS NOT NULL ORDER BY source, topic");
        if (!s)
            return s.error();
        return collectRows<std::pair<std::string, std::string>>(
            *s, [](Statement &st) -> Result<std::pair<std::string, std::string>> {
                return std::pair{st.text(0), st.text(1)};
            });
    });
}

} // namespace flowdeck::store
