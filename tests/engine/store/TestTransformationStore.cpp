// SPDX-License-Identifier: GPL-3.0-or-later
// JST documents in the store: ids kept from the document, names unique regardless of case,
// versions with history, listing and deletion.
#include "engine/store/SqliteStore.h"
#include "tests/support/JsonAsserts.h"

#include <QTemporaryDir>
#include <QTest>

using namespace flowdeck;
using namespace flowdeck::store;
using nlohmann::json;

namespace {

json jst(const std::string &name, const std::string &id = {})
{
    json doc = {
        {"name", name},           {"incoming", json::array()},  {"outgoing", json::array()},
        {"steps", json::array()}, {"functions", json::array()}, {"version", "4.3.6-2023.2.5"}};
    if (!id.empty())
        doc["_id"] = id;
    return doc;
}

const std::string kId = "65e1c0ffee0000000000c001";

} // namespace

class TestTransformationStore : public QObject
{
    Q_OBJECT
    QTemporaryDir m_dir;
    std::unique_ptr<SqliteStore> m_store;
    Millis m_now = 1'700'000'000'000;

private Q_SLOTS:
    void init()
    {
        static int n = 0;
        const auto path = m_dir.filePath(QStringLiteral("t%1.db").arg(++n)).toStdString();
        SqliteStore::Options o;
        o.clock = [this] { return m_now; };
        m_store = std::move(*SqliteStore::open(path, o));
    }

    void keepsTheDocumentsId()
    {
        auto saved = m_store->saveTransformation(jst("Alarm to ticket", kId), "alice", false);
        QVERIFY2(saved.ok(), saved.ok() ? "" : saved.error().message.c_str());
        QCOMPARE(saved->id, kId);
        QCOMPARE(saved->version, 1);
        QCOMPARE(saved->createdBy, std::optional<std::string>("alice"));
        QCOMPARE(saved->createdAt, m_now);
        auto byId = m_store->transformationById(kId);
        QVERIFY(byId.ok());
        QCOMPARE_JSON(byId->document, jst("Alarm to ticket", kId));
        // The designer's own version string is the document's; the store counts saves apart.
        QCOMPARE_JSON(byId->document["version"], "4.3.6-2023.2.5");
    }

    void givesADocumentWithoutIdANewOne()
    {
        auto saved = m_store->saveTransformation(jst("No id"), std::nullopt, false);
        QVERIFY(saved.ok());
        QCOMPARE(saved->id.size(), std::size_t(24));
        QCOMPARE_JSON(saved->document["_id"], saved->id);
        QVERIFY(m_store->transformationById(saved->id).ok());
    }

    void namesAreUniqueRegardlessOfCase()
    {
        QVERIFY(m_store->saveTransformation(jst("Alarm to ticket", kId), {}, false).ok());
        auto byName = m_store->transformationByName("ALARM TO TICKET");
        QVERIFY(byName.ok());
        QCOMPARE(byName->id, kId);

        // Another JST (another _id) may not take the name, even when replacing.
        auto other = m_store->saveTransformation(jst("alarm to TICKET", "65e1c0ffee0000000000c002"),
                                                 {}, true);
        QVERIFY(!other.ok());
        QCOMPARE(other.error().code, ErrorCode::Conflict);
        QVERIFY(other.error().message.find(kId) != std::string::npos);
        // Without an _id, the name says which JST it is: Conflict unless replacing.
        auto again = m_store->saveTransformation(jst("Alarm To Ticket"), {}, false);
        QCOMPARE(again.error().code, ErrorCode::Conflict);
    }

    void replacingKeepsHistory()
    {
        QVERIFY(m_store->saveTransformation(jst("Index", kId), "alice", false).ok());
        m_now += 1000;
        json changed = jst("Index renamed", kId);
        changed["description"] = "second";
        auto second = m_store->saveTransformation(changed, "bob", true);
        QVERIFY2(second.ok(), second.ok() ? "" : second.error().message.c_str());
        QCOMPARE(second->version, 2);
        QCOMPARE(second->name, std::string("Index renamed"));
        QCOMPARE(second->createdBy, std::optional<std::string>("alice"));
        QCOMPARE(second->updatedBy, std::optional<std::string>("bob"));
        QCOMPARE(second->updatedAt, m_now);
        QVERIFY(!m_store->transformationByName("Index").ok());

        // By name, without an _id: the next version of the same JST.
        auto third = m_store->saveTransformation(jst("index RENAMED"), "bob", true);
        QVERIFY(third.ok());
        QCOMPARE(third->id, kId);
        QCOMPARE(third->version, 3);

        auto versions = m_store->transformationVersions(kId);
        QVERIFY(versions.ok());
        QCOMPARE(versions->size(), std::size_t(3));
        QCOMPARE(versions->front().version, 3);
        QCOMPARE_JSON(versions->back().document, jst("Index", kId));
        QCOMPARE_JSON((*versions)[1].document["description"], "second");

        // Refusing to replace leaves everything as it was.
        auto refused = m_store->saveTransformation(jst("Index renamed", kId), {}, false);
        QCOMPARE(refused.error().code, ErrorCode::Conflict);
        QCOMPARE(m_store->transformationById(kId)->version, 3);
    }

    void refusesDocumentsItCannotName()
    {
        QCOMPARE(m_store->saveTransformation(jst(""), {}, false).error().code, ErrorCode::Invalid);
        QCOMPARE(m_store->saveTransformation(jst("x", "not-an-id"), {}, false).error().code,
                 ErrorCode::Invalid);
    }

    void listsByNameWithFilters()
    {
        for (const char *name : {"b interfaces", "A alarms", "c Inventory", "d interface names"})
            QVERIFY(m_store->saveTransformation(jst(name), {}, false).ok());
        TransformationQuery q;
        auto all = m_store->listTransformations(q);
        QVERIFY(all.ok());
        QCOMPARE(all->total, std::int64_t(4));
        QCOMPARE(all->items.front().name, std::string("A alarms"));
        QCOMPARE(all->items.back().name, std::string("d interface names"));

        q.nameContains = "INTERFACE";
        q.limit = 1;
        auto page = m_store->listTransformations(q);
        QCOMPARE(page->total, std::int64_t(2));
        QCOMPARE(page->items.size(), std::size_t(1));
        QCOMPARE(page->items.front().name, std::string("b interfaces"));
        q.skip = 1;
        QCOMPARE(m_store->listTransformations(q)->items.front().name,
                 std::string("d interface names"));

        TransformationQuery exact;
        exact.name = "C INVENTORY";
        QCOMPARE(m_store->listTransformations(exact)->total, std::int64_t(1));
    }

    void deletesWithHistory()
    {
        QVERIFY(m_store->saveTransformation(jst("Gone", kId), {}, false).ok());
        QVERIFY(m_store->saveTransformation(jst("Gone", kId), {}, true).ok());
        QVERIFY(m_store->deleteTransformation(kId).ok());
        QCOMPARE(m_store->transformationById(kId).error().code, ErrorCode::NotFound);
        QVERIFY(m_store->transformationVersions(kId)->empty());
        QCOMPARE(m_store->deleteTransformation(kId).error().code, ErrorCode::NotFound);
        // The name is free again.
        QVERIFY(m_store->saveTransformation(jst("Gone"), {}, false).ok());
    }

    void aFailedTransactionStoresNothing()
    {
        auto r = m_store->transaction([&]() -> Result<void> {
            if (auto s = m_store->saveTransformation(jst("First", kId), {}, false); !s)
                return s.error();
            return Error::invalid("the rest of the batch is bad");
        });
        QVERIFY(!r.ok());
        QCOMPARE(m_store->transformationById(kId).error().code, ErrorCode::NotFound);
    }
};

QTEST_APPLESS_MAIN(TestTransformationStore)
#include "TestTransformationStore.moc"
