// SPDX-License-Identifier: GPL-3.0-or-later
// The system-event catalogue routes (#50, #51): search by source and topic, each event's
// payload definition (a well-formed JSON schema), and the refusals.
#include "engine/api/EngineApi.h"
#include "engine/api/EventsApi.h"
#include "engine/store/SqliteStore.h"
#include "engine/validate/JsonSchema.h"
#include "tests/support/JsonAsserts.h"

#include <QTest>

using namespace flowdeck;
using namespace flowdeck::api;
using nlohmann::json;

namespace {

ApiRequest request(std::string path, std::multimap<std::string, std::string> query = {})
{
    ApiRequest r;
    r.method = Method::Get;
    r.path = std::move(path);
    r.query = std::move(query);
    Principal admin;
    admin.username = "admin";
    admin.admin = true;
    r.principal = admin;
    return r;
}

} // namespace

class TestEventsApi : public QObject
{
    Q_OBJECT

    std::unique_ptr<store::SqliteStore> m_store;
    std::unique_ptr<WorkflowCatalog> m_catalog;
    std::unique_ptr<EngineApi> m_api;

    ApiResponse call(ApiRequest r) { return m_api->dispatch(std::move(r)); }

private Q_SLOTS:
    void init()
    {
        m_store = std::move(*store::SqliteStore::open(":memory:"));
        m_catalog = std::make_unique<WorkflowCatalog>(*m_store);
        m_api = std::make_unique<EngineApi>(EngineContext{*m_store, *m_catalog});
    }

    void everyDefinitionIsAWellFormedSchema()
    {
        QVERIFY(events::catalogue().size() >= 5);
        for (const auto &event : events::catalogue()) {
            const auto issues = validate::JsonSchema::check(event["definition"]);
            QVERIFY2(issues.empty(), event["topic"].get<std::string>().c_str());
        }
    }

    void searchesBySourceAndTopic()
    {
        auto all = call(request("/operations-manager/events"));
        QCOMPARE(all.status, 200);
        QCOMPARE_JSON(all.json["metadata"]["total"], events::catalogue().size());
        QVERIFY(all.json["data"][0].contains("source"));
        QVERIFY(all.json["data"][0].contains("topic"));

        auto ops = call(request("/operations-manager/events",
                                {{"source", "@itential/app-operations_manager"}}));
        for (const auto &e : ops.json["data"])
            QCOMPARE_JSON(e["source"], "@itential/app-operations_manager");
        QVERIFY(ops.json["data"].size() < all.json["data"].size());

        auto missed = call(request("/operations-manager/events", {{"topic", "missedjobs"}}));
        QCOMPARE(missed.json["data"].size(), std::size_t(1));
        QCOMPARE_JSON(missed.json["data"][0]["topic"], "missedJobs");

        auto page = call(request("/operations-manager/events", {{"limit", "2"}, {"skip", "1"}}));
        QCOMPARE(page.json["data"].size(), std::size_t(2));
        QCOMPARE_JSON(page.json["metadata"]["previousPageSkip"], 0);
    }

    void definitionAnswersTheBareObject()
    {
        auto encoded = call(
            request("/operations-manager/events/%40itential%2Fapp-operations_manager/missedJobs"));
        QCOMPARE(encoded.status, 200);
        QCOMPARE_JSON(encoded.json["source"], "@itential/app-operations_manager");
        QCOMPARE_JSON(encoded.json["topic"], "missedJobs");
        QCOMPARE_JSON(encoded.json["definition"]["type"], "object");
        QVERIFY(!encoded.json.contains("data"));

        auto plain =
            call(request("/operations-manager/events/@itential/app-workflow_engine/taskAvailable"));
        QCOMPARE(plain.status, 200);
        QCOMPARE_JSON(plain.json["topic"], "taskAvailable");
    }

    void refusals()
    {
        QCOMPARE(
            call(request("/operations-manager/events/@itential/app-operations_manager/nothing"))
                .status,
            404);
        auto unknown = call(request("/operations-manager/events", {{"equals[topic]", "x"}}));
        QCOMPARE(unknown.status, 400);
        QCOMPARE(call(request("/operations-manager/events", {{"limit", "-3"}})).status, 400);
        ApiRequest anonymous = request("/operations-manager/events");
        anonymous.principal.reset();
        QCOMPARE(call(anonymous).status, 401);
    }
};

QTEST_GUILESS_MAIN(TestEventsApi)
#include "TestEventsApi.moc"
