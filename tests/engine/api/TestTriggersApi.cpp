// SPDX-License-Identifier: GPL-3.0-or-later
// The Operations Manager trigger routes (#39–49) through EngineApi::dispatch over a real
// Engine and an in-memory store: the four shapes and their validation (with pointers), the
// routeName rule, listing, enable/disable, export/import, and endpoint and manual triggers
// starting jobs whose variables come from the body or the form.
#include "engine/api/EngineApi.h"
#include "engine/api/TriggerValidator.h"
#include "engine/runtime/Engine.h"
#include "engine/store/SqliteStore.h"
#include "tests/support/JsonAsserts.h"

#include <QTest>

using namespace flowdeck;
using namespace flowdeck::api;
using nlohmann::json;

namespace {

/// start → newVariable → end; declares the variables triggers pass.
json workflow()
{
    return {{"name", "Provision"},
            {"type", "automation"},
            {"inputSchema",
             {{"type", "object"},
              {"properties", {{"device", {{"type", "string"}}}, {"vlan", {{"type", "integer"}}}}}}},
            {"tasks",
             {{"workflow_start", {{"name", "workflow_start"}}},
              {"workflow_end", {{"name", "workflow_end"}}},
              {"b2",
               {{"name", "newVariable"},
                {"app", "WorkFlowEngine"},
                {"type", "operation"},
                {"variables", {{"incoming", {{"name", "done"}, {"value", true}}}}}}}}},
            {"transitions",
             {{"workflow_start", {{"b2", {{"state", "success"}, {"type", "standard"}}}}},
              {"b2", {{"workflow_end", {{"state", "success"}, {"type", "standard"}}}}}}}};
}

ApiRequest request(Method m, std::string path, json body = nullptr,
                   std::multimap<std::string, std::string> query = {})
{
    ApiRequest r;
    r.method = m;
    r.path = std::move(path);
    r.body = std::move(body);
    r.query = std::move(query);
    Principal admin;
    admin.userId = "b0b000000000000000000001";
    admin.username = "admin";
    admin.admin = true;
    r.principal = admin;
    return r;
}

bool hasPointer(const json &details, const std::string &pointer)
{
    if (!details.is_array())
        return false;
    for (const auto &issue : details)
        if (issue.value("instancePath", "") == pointer)
            return true;
    return false;
}

std::string dump(const ApiResponse &r)
{
    return std::to_string(r.status) + " " + r.json.dump();
}

constexpr store::Millis kHour = 3'600'000;

} // namespace

class TestTriggersApi : public QObject
{
    Q_OBJECT

    std::unique_ptr<store::SqliteStore> m_store;
    std::unique_ptr<WorkflowCatalog> m_catalog;
    std::unique_ptr<runtime::Engine> m_engine;
    std::unique_ptr<EngineApi> m_api;
    std::string m_automation;

    ApiResponse call(ApiRequest r) { return m_api->dispatch(std::move(r)); }

    json endpoint(const std::string &routeName, json extra = json::object())
    {
        json t = {{"name", "api " + routeName},
                  {"type", "endpoint"},
                  {"actionType", "automations"},
                  {"actionId", m_automation},
                  {"routeName", routeName}};
        t.update(extra);
        return t;
    }

    std::string create(json body)
    {
        auto r = call(request(Method::Post, "/operations-manager/triggers", std::move(body)));
        if (r.status != 200)
            qFatal("create trigger: %s", dump(r).c_str());
        return r.json["data"]["_id"].get<std::string>();
    }

private Q_SLOTS:
    void init()
    {
        m_store = std::move(*store::SqliteStore::open(":memory:"));
        m_catalog = std::make_unique<WorkflowCatalog>(*m_store);
        m_engine = std::make_unique<runtime::Engine>(*m_store);
        m_api = std::make_unique<EngineApi>(
            EngineContext{*m_store, *m_catalog, m_engine.get(), nullptr});
        auto wf = m_store->saveWorkflow(*model::Workflow::fromJson(workflow()), std::nullopt, true);
        QVERIFY(wf.ok());
        auto a = call(request(Method::Post, "/operations-manager/automations",
                              {{"name", "Provision device"}, {"componentId", wf->id}}));
        QVERIFY2(a.status == 200, dump(a).c_str());
        m_automation = a.json["data"]["_id"];
    }

    void createsEveryShape()
    {
        const store::Millis future = 4'102'444'800'000; // 2100-01-01
        const json shapes[] = {endpoint("provision", {{"schema", {{"type", "object"}}}}),
                               {{"name", "form"},
                                {"type", "manual"},
                                {"actionId", m_automation},
                                {"formId", "0123456789abcdef01234567"},
                                {"legacyWrapper", false}},
                               {{"name", "hourly"},
                                {"type", "schedule"},
                                {"actionId", m_automation},
                                {"firstRunAt", future},
                                {"repeatUnit", "hour"},
                                {"repeatFrequency", 2},
                                {"processMissedRuns", "last"}},
                               {{"name", "on missed"},
                                {"type", "eventSystem"},
                                {"actionId", m_automation},
                                {"source", "@itential/app-operations_manager"},
                                {"topic", "missedJobs"},
                                {"schema", {{"type", "object"}, {"required", {"triggerId"}}}}}};
        for (const auto &shape : shapes) {
            auto r = call(request(Method::Post, "/operations-manager/triggers", shape));
            QVERIFY2(r.status == 200, dump(r).c_str());
            const json doc = r.json["data"];
            QCOMPARE_JSON(doc["enabled"], true);
            QCOMPARE_JSON(doc["actionType"], "automations");
            QCOMPARE_JSON(doc["lastExecuted"], nullptr);
            QCOMPARE_JSON(doc["createdBy"], "admin");
            if (doc["type"] == "schedule") {
                QCOMPARE_JSON(doc["repeatInterval"], 2 * kHour);
                QCOMPARE_JSON(doc["nextRunAt"], future);
            }
            if (doc["type"] == "manual")
                QCOMPARE_JSON(doc["legacyWrapper"], false);
            if (doc["type"] == "endpoint")
                QCOMPARE_JSON(doc["verb"], "POST");
            auto got = call(request(Method::Get, "/operations-manager/triggers/" +
                                                     doc["_id"].get<std::string>()));
            QCOMPARE(got.status, 200);
            QCOMPARE_JSON(got.json["data"]["name"], doc["name"]);
        }
    }

    void refusesBadTriggers_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("pointer");
        // %A is replaced by the automation's id.
        QTest::newRow("no routeName")
            << QByteArray(R"({"name": "e", "type": "endpoint", "actionId": "%A"})") << "/routeName";
        QTest::newRow("routeName with a slash")
            << QByteArray(
                   R"({"name": "e", "type": "endpoint", "actionId": "%A", "routeName": "a/b"})")
            << "/routeName";
        QTest::newRow("GET verb")
            << QByteArray(
                   R"({"name": "e", "type": "endpoint", "actionId": "%A", "routeName": "a", "verb": "GET"})")
            << "/verb";
        QTest::newRow("malformed schema")
            << QByteArray(
                   R"({"name": "e", "type": "endpoint", "actionId": "%A", "routeName": "a", "schema": {"type": "thing"}})")
            << "/schema/type";
        QTest::newRow("unknown type")
            << QByteArray(R"({"name": "e", "type": "webhook", "actionId": "%A"})") << "/type";
        QTest::newRow("no name") << QByteArray(R"({"type": "manual", "actionId": "%A"})")
                                 << "/name";
        QTest::newRow("other actionType")
            << QByteArray(
                   R"({"name": "m", "type": "manual", "actionId": "%A", "actionType": "workflows"})")
            << "/actionType";
        QTest::newRow("unknown automation")
            << QByteArray(
                   R"({"name": "m", "type": "manual", "actionId": "0123456789abcdef01234567"})")
            << "/actionId";
        QTest::newRow("actionId not an id")
            << QByteArray("{\"name\": \"m\", \"type\": \"manual\", \"actionId\": \"x' OR 1=1\"}")
            << "/actionId";
        QTest::newRow("legacyWrapper not a boolean")
            << QByteArray(
                   R"({"name": "m", "type": "manual", "actionId": "%A", "legacyWrapper": "yes"})")
            << "/legacyWrapper";
        QTest::newRow("field of another type")
            << QByteArray(R"({"name": "m", "type": "manual", "actionId": "%A", "routeName": "x"})")
            << "/routeName";
        QTest::newRow("schedule without firstRunAt")
            << QByteArray(R"({"name": "s", "type": "schedule", "actionId": "%A"})")
            << "/firstRunAt";
        QTest::newRow("schedule interval disagrees")
            << QByteArray(
                   R"({"name": "s", "type": "schedule", "actionId": "%A", "firstRunAt": 0, "repeatUnit": "day", "repeatFrequency": 1, "repeatInterval": 3600000})")
            << "/repeatInterval";
        QTest::newRow("schedule too often")
            << QByteArray(
                   R"({"name": "s", "type": "schedule", "actionId": "%A", "firstRunAt": 0, "repeatInterval": 1000})")
            << "/repeatInterval";
        QTest::newRow("schedule cron-like repeat")
            << QByteArray(
                   R"({"name": "s", "type": "schedule", "actionId": "%A", "firstRunAt": 0, "repeat": {"type": "repeating"}})")
            << "/repeat";
        QTest::newRow("schedule missed-run policy")
            << QByteArray(
                   R"({"name": "s", "type": "schedule", "actionId": "%A", "firstRunAt": 0, "processMissedRuns": "sometimes"})")
            << "/processMissedRuns";
        QTest::newRow("event without topic")
            << QByteArray(
                   R"({"name": "v", "type": "eventSystem", "actionId": "%A", "source": "@itential/app-operations_manager"})")
            << "/topic";
        QTest::newRow("event Flowdeck does not emit")
            << QByteArray(
                   R"({"name": "v", "type": "eventSystem", "actionId": "%A", "source": "@itential/adapter-nso", "topic": "deviceUp"})")
            << "/topic";
        QTest::newRow("missing JST")
            << QByteArray(
                   R"({"name": "e", "type": "endpoint", "actionId": "%A", "routeName": "a", "jst": "0123456789abcdef01234567"})")
            << "/jst";
        QTest::newRow("server field")
            << QByteArray(R"({"name": "m", "type": "manual", "actionId": "%A", "lastExecuted": 5})")
            << "/lastExecuted";
    }

    void refusesBadTriggers()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, pointer);
        std::string text = body.toStdString();
        if (auto at = text.find("%A"); at != std::string::npos)
            text.replace(at, 2, m_automation);
        auto r = call(request(Method::Post, "/operations-manager/triggers", json::parse(text)));
        QVERIFY2(r.status == 400, dump(r).c_str());
        QVERIFY2(hasPointer(r.json["details"], pointer.toStdString()), dump(r).c_str());
    }

    void routeNameIsUniqueAmongEnabled()
    {
        const auto first = create(endpoint("shared"));
        auto clash =
            call(request(Method::Post, "/operations-manager/triggers", endpoint("shared")));
        QCOMPARE(clash.status, 409);
        QVERIFY(clash.json["message"].get<std::string>().find("shared") != std::string::npos);
        // A disabled one may share it, but cannot be enabled while the first is.
        const auto second = create(endpoint("shared", {{"enabled", false}}));
        auto enable = call(
            request(Method::Patch, "/operations-manager/triggers/" + second, {{"enabled", true}}));
        QCOMPARE(enable.status, 409);
        QCOMPARE(call(request(Method::Patch, "/operations-manager/triggers/" + first,
                              {{"enabled", false}}))
                     .status,
                 200);
        enable = call(
            request(Method::Patch, "/operations-manager/triggers/" + second, {{"enabled", true}}));
        QVERIFY2(enable.status == 200, dump(enable).c_str());
        QCOMPARE_JSON(enable.json["data"]["enabled"], true);
    }

    void listFilters()
    {
        create(endpoint("one"));
        create(endpoint("two", {{"enabled", false}}));
        create({{"name", "form"}, {"type", "manual"}, {"actionId", m_automation}});
        auto list = [&](std::multimap<std::string, std::string> q) {
            auto r = call(request(Method::Get, "/operations-manager/triggers", nullptr, q));
            if (r.status != 200)
                qFatal("list: %s", dump(r).c_str());
            return r.json;
        };
        QCOMPARE_JSON(list({})["metadata"]["total"], 3);
        QCOMPARE_JSON(list({{"equalsField", "type"}, {"equals", "endpoint"}})["metadata"]["total"],
                      2);
        QCOMPARE_JSON(list({{"equalsField", "type"},
                            {"equals", "endpoint"},
                            {"enabled", "true"}})["metadata"]["total"],
                      1);
        QCOMPARE_JSON(
            list({{"equalsField", "actionId"}, {"equals", m_automation}})["metadata"]["total"], 3);
        QCOMPARE_JSON(
            list({{"startsWithField", "routeName"}, {"startsWith", "tw"}})["data"][0]["name"],
            "api two");
        auto bad = call(request(Method::Get, "/operations-manager/triggers", nullptr,
                                {{"equalsField", "password"}, {"equals", "x"}}));
        QCOMPARE(bad.status, 400);
    }

    void updateRules()
    {
        const auto id = create({{"name", "form"}, {"type", "manual"}, {"actionId", m_automation}});
        auto renamed = call(request(Method::Patch, "/operations-manager/triggers/" + id,
                                    {{"name", "Change form"}, {"formData", {{"vlan", 10}}}}));
        QVERIFY2(renamed.status == 200, dump(renamed).c_str());
        QCOMPARE_JSON(renamed.json["data"]["name"], "Change form");
        QCOMPARE(call(request(Method::Patch, "/operations-manager/triggers/" + id,
                              {{"type", "endpoint"}}))
                     .status,
                 400);
        QCOMPARE(call(request(Method::Patch, "/operations-manager/triggers/" + id,
                              {{"legacyWrapper", 3}}))
                     .status,
                 400);
        QCOMPARE(call(request(Method::Patch, "/operations-manager/triggers/" + id,
                              {{"_id", "0123456789abcdef01234567"}}))
                     .status,
                 400);
        QCOMPARE(
            call(request(Method::Patch, "/operations-manager/triggers/0123456789abcdef01234567",
                         {{"enabled", false}}))
                .status,
            404);
    }

    void deleteExportAndDeleteByAction()
    {
        const auto a = create(endpoint("a"));
        create(endpoint("b"));
        auto exported = call(request(Method::Get, "/operations-manager/triggers/" + a + "/export"));
        QCOMPARE(exported.status, 200);
        QCOMPARE_JSON(exported.json["data"]["routeName"], "a");
        QCOMPARE(call(request(Method::Delete, "/operations-manager/triggers/" + a)).status, 200);
        QCOMPARE(call(request(Method::Delete, "/operations-manager/triggers/" + a)).status, 404);
        auto byAction =
            call(request(Method::Delete, "/operations-manager/triggers/action/" + m_automation));
        QVERIFY2(byAction.status == 200, dump(byAction).c_str());
        QCOMPARE_JSON(byAction.json["data"]["deleted"], 1);
        QCOMPARE(call(request(Method::Delete,
                              "/operations-manager/triggers/action/0123456789abcdef01234567"))
                     .status,
                 404);

        // Import the export back: it keeps its _id; a second copy of it fails on its own.
        json doc = exported.json["data"];
        auto imported = call(request(Method::Put, "/operations-manager/triggers",
                                     {{"triggers", {doc, doc, {{"name", "bad"}}}}}));
        QVERIFY2(imported.status == 200, dump(imported).c_str());
        QCOMPARE_JSON(imported.json["data"][0]["success"], true);
        QCOMPARE_JSON(imported.json["data"][0]["data"]["_id"], a);
        QCOMPARE_JSON(imported.json["data"][1]["success"], false);
        QCOMPARE_JSON(imported.json["data"][2]["success"], false);
    }

    void validateTrigger()
    {
        const auto id = create(endpoint("checked", {{"enabled", false}}));
        auto r = call(request(Method::Post, "/operations-manager/triggers/" + id + "/validate"));
        QVERIFY2(r.status == 200, dump(r).c_str());
        QCOMPARE_JSON(r.json["data"]["errors"], json::array());
        // Disabled, and without a schema.
        QCOMPARE(r.json["data"]["warnings"].size(), std::size_t(2));
    }

    void endpointTriggerStartsAJob()
    {
        const auto id =
            create(endpoint("provision", {{"schema",
                                           {{"type", "object"},
                                            {"required", {"device"}},
                                            {"properties", {{"device", {{"type", "string"}}}}}}}}));
        auto bad = call(request(Method::Post, "/operations-manager/triggers/endpoint/provision",
                                {{"device", 42}}));
        QVERIFY2(bad.status == 400, dump(bad).c_str());
        QVERIFY(hasPointer(bad.json["details"], "/device"));
        auto missing = call(request(Method::Post, "/operations-manager/triggers/endpoint/provision",
                                    json::object()));
        QCOMPARE(missing.status, 400);

        auto r = call(request(Method::Post, "/operations-manager/triggers/endpoint/provision",
                              {{"device", "atl-r1"}, {"vlan", 120}}));
        QVERIFY2(r.status == 200, dump(r).c_str());
        const json job = r.json["data"];
        QVERIFY(job["_id"].is_string());
        QCOMPARE_JSON(job["variables"]["device"], "atl-r1");
        QCOMPARE_JSON(job["variables"]["vlan"], 120);
        QVERIFY(job["description"].get<std::string>().find("Operations Manager") !=
                std::string::npos);
        auto stored = m_engine->jobDocument(job["_id"]);
        QVERIFY(stored.ok());

        auto got = call(request(Method::Get, "/operations-manager/triggers/" + id));
        QVERIFY(got.json["data"]["lastExecuted"].is_number_integer());

        QCOMPARE(call(request(Method::Post, "/operations-manager/triggers/endpoint/nowhere",
                              json::object()))
                     .status,
                 404);
        QCOMPARE(
            call(request(Method::Patch, "/operations-manager/triggers/" + id, {{"enabled", false}}))
                .status,
            200);
        QCOMPARE(call(request(Method::Post, "/operations-manager/triggers/endpoint/provision",
                              {{"device", "atl-r1"}}))
                     .status,
                 404);
    }

    void endpointBodyMustBeAnObject()
    {
        create(endpoint("anything"));
        auto r = call(request(Method::Post, "/operations-manager/triggers/endpoint/anything",
                              json::array({1, 2})));
        QCOMPARE(r.status, 400);
    }

    void manualTriggerStartsAJob()
    {
        const auto wrapped = create({{"name", "wrapped"},
                                     {"type", "manual"},
                                     {"actionId", m_automation},
                                     {"formData", {{"vlan", 1}}}});
        auto r =
            call(request(Method::Post, "/operations-manager/triggers/manual/" + wrapped + "/run",
                         {{"formData", {{"device", "r2"}}}}));
        QVERIFY2(r.status == 200, dump(r).c_str());
        QCOMPARE_JSON(r.json["data"]["variables"]["formData"],
                      json({{"device", "r2"}, {"vlan", 1}}));

        const auto flat = create({{"name", "flat"},
                                  {"type", "manual"},
                                  {"actionId", m_automation},
                                  {"legacyWrapper", false}});
        auto f = call(request(Method::Post, "/operations-manager/triggers/manual/" + flat + "/run",
                              {{"formData", {{"device", "r3"}, {"vlan", 7}}}}));
        QVERIFY2(f.status == 200, dump(f).c_str());
        QCOMPARE_JSON(f.json["data"]["variables"]["device"], "r3");
        QCOMPARE_JSON(f.json["data"]["variables"]["vlan"], 7);
        QVERIFY(!f.json["data"]["variables"].contains("formData"));

        // The workflow's inputSchema still applies: vlan must be an integer.
        auto invalid =
            call(request(Method::Post, "/operations-manager/triggers/manual/" + flat + "/run",
                         {{"formData", {{"vlan", "seven"}}}}));
        QCOMPARE(invalid.status, 400);
        QCOMPARE(call(request(Method::Post, "/operations-manager/triggers/manual/" + flat + "/run",
                              {{"formData", 5}}))
                     .status,
                 400);

        const auto api = create(endpoint("not-manual"));
        QCOMPARE(call(request(Method::Post, "/operations-manager/triggers/manual/" + api + "/run",
                              json::object()))
                     .status,
                 400);
        QCOMPARE(call(request(Method::Patch, "/operations-manager/triggers/" + flat,
                              {{"enabled", false}}))
                     .status,
                 200);
        QCOMPARE(call(request(Method::Post, "/operations-manager/triggers/manual/" + flat + "/run",
                              json::object()))
                     .status,
                 409);
    }

    // ---- schedules ----

    void nextRunAtFollowsTheSchedule()
    {
        json t = {{"type", "schedule"}, {"enabled", true}, {"firstRunAt", 10 * kHour}};
        QVERIFY(TriggerValidator::nextRunAt(t, 5 * kHour) == 10 * kHour);
        QVERIFY(!TriggerValidator::nextRunAt(t, 11 * kHour).has_value());
        t["repeatInterval"] = 3 * kHour;
        QVERIFY(TriggerValidator::nextRunAt(t, 10 * kHour) == 10 * kHour);
        QVERIFY(TriggerValidator::nextRunAt(t, 10 * kHour + 1) == 13 * kHour);
        QVERIFY(TriggerValidator::nextRunAt(t, 16 * kHour) == 16 * kHour);
        QVERIFY(TriggerValidator::nextRunAt(t, 17 * kHour) == 19 * kHour);
        t["enabled"] = false;
        QVERIFY(!TriggerValidator::nextRunAt(t, 5 * kHour).has_value());
        QVERIFY(!TriggerValidator::nextRunAt({{"type", "manual"}}, 0).has_value());
    }
};

QTEST_GUILESS_MAIN(TestTriggersApi)
#include "TestTriggersApi.moc"
