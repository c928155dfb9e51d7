// SPDX-License-Identifier: GPL-3.0-or-later
// The field-pair query syntax of automations and triggers (reference §2b): what it accepts,
// every refusal naming its parameter, and that filters reach SQLite as bound values, so SQL
// metacharacters are matched literally.
#include "engine/api/FieldPairQuery.h"
#include "engine/model/Ids.h"
#include "engine/store/SqliteStore.h"

#include <QTest>

using namespace flowdeck;
using namespace flowdeck::api;
using nlohmann::json;
using Query = std::multimap<std::string, std::string>;

namespace {

const FieldPairQuery kAutomations({"_id", "name", "description", "componentId"}, false);
const FieldPairQuery kTriggers({"_id", "name", "type", "actionId"}, true);

std::string parameterOf(const Result<store::FieldQuery> &r)
{
    if (r.ok() || !r.error().details.is_object())
        return {};
    return r.error().details.value("parameter", "");
}

} // namespace

class TestFieldPairQuery : public QObject
{
    Q_OBJECT

    std::unique_ptr<store::SqliteStore> m_store;

    void addAutomation(const std::string &name, const std::string &description = "")
    {
        auto r = m_store->insertAutomation(
            {{"_id", ids::newObjectId()},
             {"name", name},
             {"description", description},
             {"componentType", "workflows"},
             {"componentId", nullptr},
             {"gbac", {{"read", json::array()}, {"write", json::array()}}}});
        QVERIFY2(r.ok(), r.ok() ? "" : r.error().message.c_str());
    }

    std::vector<std::string> names(const Query &query)
    {
        auto q = kAutomations.parse(query);
        if (!q)
            qFatal("parse: %s", q.error().message.c_str());
        auto page = m_store->listAutomations(*q);
        if (!page)
            qFatal("list: %s", page.error().message.c_str());
        std::vector<std::string> out;
        for (const auto &a : page->items)
            out.push_back(a.name);
        return out;
    }

private Q_SLOTS:
    void init()
    {
        m_store = std::move(*store::SqliteStore::open(":memory:"));
        addAutomation("Backup configs", "nightly");
        addAutomation("backup firewall", "weekly");
        addAutomation("Provision site (east)", "a'; DROP TABLE automations; --");
        addAutomation("Reboot 100%_done");
    }

    void defaults()
    {
        auto q = kAutomations.parse({});
        QVERIFY(q.ok());
        QCOMPARE(q->limit, 25);
        QCOMPARE(q->skip, 0);
        QCOMPARE(q->sort, std::string("name"));
        QVERIFY(!q->descending);
        QVERIFY(q->filters.empty());
        QVERIFY(!q->enabled.has_value());
    }

    void parsesEveryPair()
    {
        auto q = kAutomations.parse({{"equals", "x"},
                                     {"equalsField", "name"},
                                     {"contains", "y"},
                                     {"containsField", "description"},
                                     {"startsWith", "z"},
                                     {"startsWithField", "_id"},
                                     {"limit", "10"},
                                     {"skip", "20"},
                                     {"sort", "description"},
                                     {"order", "-1"}});
        QVERIFY2(q.ok(), q.ok() ? "" : q.error().message.c_str());
        QCOMPARE(q->filters.size(), std::size_t(3));
        QCOMPARE(q->filters[0].field, std::string("name"));
        QVERIFY(q->filters[0].match == store::FieldMatch::Equals);
        QCOMPARE(q->filters[1].value, std::string("y"));
        QVERIFY(q->filters[1].match == store::FieldMatch::Contains);
        QVERIFY(q->filters[2].match == store::FieldMatch::StartsWith);
        QCOMPARE(q->limit, 10);
        QCOMPARE(q->skip, 20);
        QCOMPARE(q->sort, std::string("description"));
        QVERIFY(q->descending);
    }

    void refusals_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("key2");
        QTest::addColumn<QString>("value2");
        QTest::addColumn<QString>("parameter");
        QTest::newRow("unknown field") << "equals"
                                       << "x"
                                       << "equalsField"
                                       << "owner"
                                       << "equalsField";
        QTest::newRow("unknown parameter") << "search"
                                           << "x"
                                           << ""
                                           << ""
                                           << "search";
        QTest::newRow("bracket syntax") << "equals[name]"
                                        << "x"
                                        << ""
                                        << ""
                                        << "equals[name]";
        QTest::newRow("value without field") << "contains"
                                             << "x"
                                             << ""
                                             << ""
                                             << "contains";
        QTest::newRow("field without value") << "startsWithField"
                                             << "name"
                                             << ""
                                             << ""
                                             << "startsWithField";
        QTest::newRow("negative limit") << "limit"
                                        << "-1"
                                        << ""
                                        << ""
                                        << "limit";
        QTest::newRow("limit too large") << "limit"
                                         << "1001"
                                         << ""
                                         << ""
                                         << "limit";
        QTest::newRow("limit not a number") << "limit"
                                            << "10abc"
                                            << ""
                                            << ""
                                            << "limit";
        QTest::newRow("skip not a number") << "skip"
                                           << "x"
                                           << ""
                                           << ""
                                           << "skip";
        QTest::newRow("order word") << "order"
                                    << "asc"
                                    << ""
                                    << ""
                                    << "order";
        QTest::newRow("sort unknown") << "sort"
                                      << "password"
                                      << ""
                                      << ""
                                      << "sort";
        QTest::newRow("sort injection") << "sort"
                                        << "name; DROP TABLE automations"
                                        << ""
                                        << ""
                                        << "sort";
        QTest::newRow("enabled on automations") << "enabled"
                                                << "true"
                                                << ""
                                                << ""
                                                << "enabled";
    }

    void refusals()
    {
        QFETCH(QString, key);
        QFETCH(QString, value);
        QFETCH(QString, key2);
        QFETCH(QString, value2);
        QFETCH(QString, parameter);
        Query query{{key.toStdString(), value.toStdString()}};
        if (!key2.isEmpty())
            query.insert({key2.toStdString(), value2.toStdString()});
        auto q = kAutomations.parse(query);
        QVERIFY(!q.ok());
        QVERIFY(q.error().code == ErrorCode::Invalid);
        QCOMPARE(parameterOf(q), parameter.toStdString());
    }

    void unknownFieldIsNamed()
    {
        auto q = kAutomations.parse({{"equals", "x"}, {"equalsField", "owner"}});
        QVERIFY(!q.ok());
        QVERIFY(q.error().message.find("\"owner\"") != std::string::npos);
        QVERIFY(q.error().details["allowed"].is_array());
    }

    void repeatedParameterIsRefused()
    {
        auto q = kAutomations.parse({{"equals", "a"}, {"equals", "b"}, {"equalsField", "name"}});
        QVERIFY(!q.ok());
        QCOMPARE(parameterOf(q), std::string("equals"));
    }

    void enabledOnTriggers()
    {
        auto q =
            kTriggers.parse({{"enabled", "true"}, {"equals", "endpoint"}, {"equalsField", "type"}});
        QVERIFY(q.ok());
        QVERIFY(q->enabled == true);
        QCOMPARE(q->filters.size(), std::size_t(1));
        auto viaField = kTriggers.parse({{"equals", "false"}, {"equalsField", "enabled"}});
        QVERIFY(viaField.ok());
        QVERIFY(viaField->enabled == false);
        QVERIFY(viaField->filters.empty());
        QVERIFY(!kTriggers.parse({{"enabled", "yes"}}).ok());
        QVERIFY(!kTriggers.parse({{"contains", "t"}, {"containsField", "enabled"}}).ok());
    }

    // ---- through the store ----

    void equalsIsExact()
    {
        QCOMPARE(names({{"equals", "Backup configs"}, {"equalsField", "name"}}),
                 std::vector<std::string>{"Backup configs"});
        QVERIFY(names({{"equals", "backup configs"}, {"equalsField", "name"}}).empty());
    }

    void containsAndStartsWithIgnoreCase()
    {
        QCOMPARE(names({{"contains", "BACKUP"}, {"containsField", "name"}}),
                 (std::vector<std::string>{"Backup configs", "backup firewall"}));
        QCOMPARE(names({{"startsWith", "backup f"}, {"startsWithField", "name"}}),
                 std::vector<std::string>{"backup firewall"});
        QCOMPARE(names({{"contains", "week"}, {"containsField", "description"}}),
                 std::vector<std::string>{"backup firewall"});
    }

    void parenthesesMatch()
    {
        // Itential's equals/startsWith never match names with parentheses; Flowdeck's do.
        QCOMPARE(names({{"equals", "Provision site (east)"}, {"equalsField", "name"}}),
                 std::vector<std::string>{"Provision site (east)"});
        QCOMPARE(names({{"startsWith", "Provision site ("}, {"startsWithField", "name"}}),
                 std::vector<std::string>{"Provision site (east)"});
    }

    void sqlMetacharactersAreLiteral()
    {
        QCOMPARE(
            names({{"equals", "a'; DROP TABLE automations; --"}, {"equalsField", "description"}}),
            std::vector<std::string>{"Provision site (east)"});
        QVERIFY(names({{"equals", "' OR '1'='1"}, {"equalsField", "name"}}).empty());
        // LIKE wildcards are not wildcards here.
        QCOMPARE(names({{"contains", "%_"}, {"containsField", "name"}}),
                 std::vector<std::string>{"Reboot 100%_done"});
        QVERIFY(names({{"contains", "_x%"}, {"containsField", "name"}}).empty());
        QCOMPARE(names({}).size(), std::size_t(4));
    }

    void sortsAndPages()
    {
        QCOMPARE(names({{"sort", "name"}, {"order", "-1"}, {"limit", "2"}}),
                 (std::vector<std::string>{"backup firewall", "Reboot 100%_done"}));
        auto q = kAutomations.parse({{"limit", "2"}, {"skip", "3"}});
        auto page = m_store->listAutomations(*q);
        QVERIFY(page.ok());
        QCOMPARE(page->items.size(), std::size_t(1));
        QCOMPARE(page->total, std::int64_t(4));
    }
};

QTEST_GUILESS_MAIN(TestFieldPairQuery)
#include "TestFieldPairQuery.moc"
