// SPDX-License-Identifier: GPL-3.0-or-later
// The Operations Manager automation routes (#30–38) through EngineApi::dispatch, as the HTTP
// server and the window call them, over a real Engine and an in-memory store: every route's
// success and refusals, GBAC (hidden = 404, read-only = 403), clone, export and import.
#include "engine/access/Roles.h"
#include "engine/api/EngineApi.h"
#include "engine/runtime/Engine.h"
#include "engine/store/SqliteStore.h"
#include "tests/support/JsonAsserts.h"

#include <QTest>

using namespace flowdeck;
using namespace flowdeck::api;
using nlohmann::json;

namespace {

const std::string kNoc = "aaaaaaaaaaaaaaaaaaaaaaa1";
const std::string kField = "aaaaaaaaaaaaaaaaaaaaaaa2";

json simpleWorkflow(const std::string &name)
{
    return {{"name", name},
            {"type", "automation"},
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

Principal admin()
{
    Principal p;
    p.userId = "b0b000000000000000000001";
    p.username = "admin";
    p.admin = true;
    return p;
}

/// An operator with every automation permission, in the given groups.
Principal operatorIn(std::set<std::string> groups)
{
    Principal p;
    p.userId = "b0b000000000000000000002";
    p.username = "olivia";
    p.groups = std::move(groups);
    p.permissions = access::permissionsForRoles({"admin"});
    p.admin = false;
    return p;
}

ApiRequest request(Method m, std::string path, json body = nullptr,
                   std::multimap<std::string, std::string> query = {},
                   std::optional<Principal> who = admin())
{
    ApiRequest r;
    r.method = m;
    r.path = std::move(path);
    r.body = std::move(body);
    r.query = std::move(query);
    r.principal = std::move(who);
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

} // namespace

class TestAutomationsApi : public QObject
{
    Q_OBJECT

    std::unique_ptr<store::SqliteStore> m_store;
    std::unique_ptr<WorkflowCatalog> m_catalog;
    std::unique_ptr<runtime::Engine> m_engine;
    std::unique_ptr<EngineApi> m_api;
    std::string m_workflowId;

    ApiResponse call(ApiRequest r) { return m_api->dispatch(std::move(r)); }

    /// Creates an automation and answers its _id (fails the test otherwise).
    std::string createAutomation(json body)
    {
        auto r = call(request(Method::Post, "/operations-manager/automations", std::move(body)));
        if (r.status != 200)
            qFatal("create automation: %s", dump(r).c_str());
        return r.json["data"]["_id"].get<std::string>();
    }

    std::string createTrigger(json body)
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
        auto saved = m_store->saveWorkflow(*model::Workflow::fromJson(simpleWorkflow("Backup")),
                                           std::nullopt, true);
        QVERIFY(saved.ok());
        m_workflowId = saved->id;
    }

    void createThenGet()
    {
        auto r = call(request(Method::Post, "/operations-manager/automations",
                              {{"name", "Nightly backup"},
                               {"description", "all routers"},
                               {"componentType", "workflows"},
                               {"componentId", m_workflowId}}));
        QVERIFY2(r.status == 200, dump(r).c_str());
        const json doc = r.json["data"];
        QCOMPARE_JSON(doc["name"], "Nightly backup");
        QCOMPARE_JSON(doc["componentName"], "Backup");
        QCOMPARE_JSON(doc["componentId"], m_workflowId);
        QCOMPARE_JSON(doc["gbac"], json({{"read", json::array()}, {"write", json::array()}}));
        QCOMPARE_JSON(doc["createdBy"], "admin");
        QVERIFY(doc["created"].is_string());
        QVERIFY(r.json.contains("message") && r.json.contains("metadata"));

        auto got = call(request(Method::Get, "/operations-manager/automations/" +
                                                 doc["_id"].get<std::string>()));
        QCOMPARE(got.status, 200);
        QCOMPARE_JSON(got.json["data"], doc);
    }

    void createRefusesBadDocuments_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("pointer");
        QTest::newRow("no name") << QByteArray(R"({"componentType": "workflows"})") << "/name";
        QTest::newRow("empty name") << QByteArray(R"({"name": ""})") << "/name";
        QTest::newRow("unknown workflow")
            << QByteArray(R"({"name": "x", "componentId": "0123456789abcdef01234567"})")
            << "/componentId";
        QTest::newRow("componentId not an id")
            << QByteArray(R"({"name": "x", "componentId": "../etc/passwd"})") << "/componentId";
        QTest::newRow("other component type")
            << QByteArray(R"({"name": "x", "componentType": "ucm_compliance_plan"})")
            << "/componentType";
        QTest::newRow("server field")
            << QByteArray(R"({"name": "x", "_id": "0123456789abcdef01234567"})") << "/_id";
        QTest::newRow("unknown field") << QByteArray(R"({"name": "x", "owner": 1})") << "/owner";
        QTest::newRow("gbac group not an id")
            << QByteArray(R"({"name": "x", "gbac": {"read": ["noc"]}})") << "/gbac/read/0";
        QTest::newRow("gbac extra key")
            << QByteArray(R"({"name": "x", "gbac": {"execute": []}})") << "/gbac/execute";
    }

    void createRefusesBadDocuments()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, pointer);
        auto r = call(request(Method::Post, "/operations-manager/automations",
                              json::parse(body.toStdString())));
        QVERIFY2(r.status == 400, dump(r).c_str());
        QVERIFY2(hasPointer(r.json["details"], pointer.toStdString()), dump(r).c_str());
    }

    void createRefusesNonObjectAndDuplicates()
    {
        QCOMPARE(
            call(request(Method::Post, "/operations-manager/automations", json::array())).status,
            400);
        createAutomation({{"name", "Twice"}});
        auto again =
            call(request(Method::Post, "/operations-manager/automations", {{"name", "Twice"}}));
        QCOMPARE(again.status, 409);
    }

    void listFiltersAndPages()
    {
        createAutomation({{"name", "Backup A"}, {"componentId", m_workflowId}});
        createAutomation({{"name", "Backup B"}});
        createAutomation({{"name", "Reboot"}});
        auto r = call(request(Method::Get, "/operations-manager/automations", nullptr,
                              {{"contains", "backup"}, {"containsField", "name"}, {"limit", "1"}}));
        QVERIFY2(r.status == 200, dump(r).c_str());
        QCOMPARE(r.json["data"].size(), std::size_t(1));
        QCOMPARE_JSON(r.json["data"][0]["name"], "Backup A");
        QCOMPARE_JSON(r.json["metadata"]["total"], 2);
        QCOMPARE_JSON(r.json["metadata"]["nextPageSkip"], 1);
        QCOMPARE_JSON(r.json["metadata"]["limit"], 1);

        auto byWorkflow = call(request(Method::Get, "/operations-manager/automations", nullptr,
                                       {{"equals", m_workflowId}, {"equalsField", "componentId"}}));
        QCOMPARE(byWorkflow.json["data"].size(), std::size_t(1));

        auto bracket = call(request(Method::Get, "/operations-manager/automations", nullptr,
                                    {{"equals[name]", "Reboot"}}));
        QCOMPARE(bracket.status, 400);
        QCOMPARE_JSON(bracket.json["details"]["parameter"], "equals[name]");
        auto unknown = call(request(Method::Get, "/operations-manager/automations", nullptr,
                                    {{"equals", "x"}, {"equalsField", "secret"}}));
        QCOMPARE(unknown.status, 400);
        QVERIFY(unknown.json["message"].get<std::string>().find("secret") != std::string::npos);
    }

    void patchChangesFields()
    {
        const auto id = createAutomation({{"name", "Old"}});
        auto r = call(request(Method::Patch, "/operations-manager/automations/" + id,
                              {{"name", "New"}, {"componentId", m_workflowId}}));
        QVERIFY2(r.status == 200, dump(r).c_str());
        QCOMPARE_JSON(r.json["data"]["name"], "New");
        QCOMPARE_JSON(r.json["data"]["componentName"], "Backup");
        QCOMPARE_JSON(r.json["data"]["_id"], id);

        QCOMPARE(call(request(Method::Patch, "/operations-manager/automations/" + id,
                              {{"componentId", "0123456789abcdef01234567"}}))
                     .status,
                 400);
        QCOMPARE(call(request(Method::Patch, "/operations-manager/automations/" + id,
                              {{"_id", "0123456789abcdef01234567"}}))
                     .status,
                 400);
        QCOMPARE(
            call(request(Method::Patch, "/operations-manager/automations/" + id, json::object()))
                .status,
            400);
        QCOMPARE(
            call(request(Method::Patch, "/operations-manager/automations/0123456789abcdef01234567",
                         {{"name", "x"}}))
                .status,
            404);
        QCOMPARE(call(request(Method::Get, "/operations-manager/automations/..%2F..%2Fetc")).status,
                 400);
        // Unchanged by the refused patches.
        auto got = call(request(Method::Get, "/operations-manager/automations/" + id));
        QCOMPARE_JSON(got.json["data"]["componentId"], m_workflowId);
    }

    void deleteTakesItsTriggers()
    {
        const auto id = createAutomation({{"name", "Doomed"}, {"componentId", m_workflowId}});
        const auto trigger = createTrigger(
            {{"name", "run"}, {"type", "manual"}, {"actionType", "automations"}, {"actionId", id}});
        auto r = call(request(Method::Delete, "/operations-manager/automations/" + id));
        QVERIFY2(r.status == 200, dump(r).c_str());
        QCOMPARE_JSON(r.json["data"]["deletedTriggers"], 1);
        QCOMPARE(call(request(Method::Get, "/operations-manager/automations/" + id)).status, 404);
        QCOMPARE(call(request(Method::Get, "/operations-manager/triggers/" + trigger)).status, 404);
        QCOMPARE(call(request(Method::Delete, "/operations-manager/automations/" + id)).status,
                 404);
    }

    void cloneDisablesEndpointTriggers()
    {
        const auto id = createAutomation({{"name", "Provision"}, {"componentId", m_workflowId}});
        createTrigger(
            {{"name", "api"}, {"type", "endpoint"}, {"routeName", "provision"}, {"actionId", id}});
        createTrigger({{"name", "form"}, {"type", "manual"}, {"actionId", id}});
        auto r = call(request(Method::Post, "/operations-manager/automations/clone", {{"id", id}}));
        QVERIFY2(r.status == 200, dump(r).c_str());
        const std::string copy = r.json["data"]["_id"];
        QVERIFY(copy != id);
        QCOMPARE_JSON(r.json["data"]["name"], "Provision (clone)");
        QCOMPARE_JSON(r.json["data"]["componentId"], m_workflowId);

        auto triggers = call(request(Method::Get, "/operations-manager/triggers", nullptr,
                                     {{"equals", copy}, {"equalsField", "actionId"}}));
        QCOMPARE(triggers.json["data"].size(), std::size_t(2));
        for (const auto &t : triggers.json["data"])
            QCOMPARE_JSON(t["enabled"], t["type"] != "endpoint");
        // The original's endpoint trigger is still the enabled one.
        auto original =
            call(request(Method::Get, "/operations-manager/triggers", nullptr,
                         {{"equals", id}, {"equalsField", "actionId"}, {"enabled", "true"}}));
        QCOMPARE(original.json["data"].size(), std::size_t(2));

        auto second =
            call(request(Method::Post, "/operations-manager/automations/clone", {{"id", id}}));
        QCOMPARE_JSON(second.json["data"]["name"], "Provision (clone 2)");
        QCOMPARE(
            call(request(Method::Post, "/operations-manager/automations/clone", {{"id", "nope"}}))
                .status,
            400);
        QCOMPARE(call(request(Method::Post, "/operations-manager/automations/clone",
                              {{"id", id}, {"name", "Provision"}}))
                     .status,
                 409);
    }

    void exportThenImport()
    {
        const auto id = createAutomation({{"name", "Portable"}, {"componentId", m_workflowId}});
        createTrigger({{"name", "api"},
                       {"type", "endpoint"},
                       {"routeName", "portable"},
                       {"schema", {{"type", "object"}}},
                       {"actionId", id}});
        auto exported =
            call(request(Method::Get, "/operations-manager/automations/" + id + "/export"));
        QVERIFY2(exported.status == 200, dump(exported).c_str());
        json doc = exported.json["data"];
        QCOMPARE(doc["triggers"].size(), std::size_t(1));
        QCOMPARE_JSON(doc["triggers"][0]["routeName"], "portable");

        QCOMPARE(call(request(Method::Delete, "/operations-manager/automations/" + id)).status,
                 200);
        json broken = {{"name", "Broken"}, {"componentId", "not-an-id"}};
        auto imported = call(request(Method::Put, "/operations-manager/automations",
                                     {{"automations", {doc, broken}}}));
        QVERIFY2(imported.status == 200, dump(imported).c_str());
        const json results = imported.json["data"];
        QCOMPARE(results.size(), std::size_t(2));
        QCOMPARE_JSON(results[0]["success"], true);
        QCOMPARE_JSON(results[0]["data"]["_id"], id);
        QCOMPARE_JSON(results[0]["data"]["triggers"][0]["routeName"], "portable");
        QCOMPARE_JSON(results[1]["success"], false);
        QVERIFY(results[1]["data"]["message"].is_string());

        // Importing the same export again fails for that item, and leaves nothing half-done.
        auto again =
            call(request(Method::Put, "/operations-manager/automations", {{"automations", {doc}}}));
        QCOMPARE_JSON(again.json["data"][0]["success"], false);
        auto triggers = call(request(Method::Get, "/operations-manager/triggers"));
        QCOMPARE(triggers.json["data"].size(), std::size_t(1));

        QCOMPARE(call(request(Method::Put, "/operations-manager/automations", {{"x", 1}})).status,
                 400);
    }

    void importFindsTheWorkflowByName()
    {
        json doc = {
            {"_id", "0123456789abcdef01234567"}, {"name", "From elsewhere"},
            {"componentType", "workflows"},      {"componentId", "fedcba9876543210fedcba98"},
            {"componentName", "Backup"},         {"triggers", json::array()}};
        auto r =
            call(request(Method::Put, "/operations-manager/automations", {{"automations", {doc}}}));
        QCOMPARE_JSON(r.json["data"][0]["success"], true);
        QCOMPARE_JSON(r.json["data"][0]["data"]["componentId"], m_workflowId);
    }

    void validateReportsProblems()
    {
        const auto bare = createAutomation({{"name", "Bare"}});
        auto r = call(request(Method::Post, "/operations-manager/automations/Bare/validate"));
        QVERIFY2(r.status == 200, dump(r).c_str());
        QVERIFY(!r.json["data"]["errors"].empty());
        QVERIFY(!r.json["data"]["warnings"].empty());

        const auto good = createAutomation({{"name", "Good"}, {"componentId", m_workflowId}});
        createTrigger({{"name", "form"}, {"type", "manual"}, {"actionId", good}});
        auto ok =
            call(request(Method::Post, "/operations-manager/automations/" + good + "/validate"));
        QVERIFY2(ok.status == 200, dump(ok).c_str());
        QCOMPARE_JSON(ok.json["data"]["errors"], json::array());
        QCOMPARE(
            call(request(Method::Post, "/operations-manager/automations/Nobody/validate")).status,
            404);
        Q_UNUSED(bare);
    }

    void gbacHidesAndProtects()
    {
        const auto secret = createAutomation(
            {{"name", "Field only"}, {"gbac", {{"read", {kField}}, {"write", {kField}}}}});
        const auto readOnly = createAutomation(
            {{"name", "NOC reads"}, {"gbac", {{"read", {kNoc}}, {"write", {kField}}}}});
        createAutomation({{"name", "Open"}});
        const Principal noc = operatorIn({kNoc});

        // Outside gbac.read: as if it did not exist.
        auto hidden = call(
            request(Method::Get, "/operations-manager/automations/" + secret, nullptr, {}, noc));
        QCOMPARE(hidden.status, 404);
        QCOMPARE(call(request(Method::Delete, "/operations-manager/automations/" + secret, nullptr,
                              {}, noc))
                     .status,
                 404);
        auto list = call(request(Method::Get, "/operations-manager/automations", nullptr, {}, noc));
        QCOMPARE_JSON(list.json["metadata"]["total"], 2);
        for (const auto &a : list.json["data"])
            QVERIFY(a["_id"] != secret);

        // In gbac.read, outside gbac.write: may look, may not change.
        QCOMPARE(call(request(Method::Get, "/operations-manager/automations/" + readOnly, nullptr,
                              {}, noc))
                     .status,
                 200);
        QCOMPARE(call(request(Method::Patch, "/operations-manager/automations/" + readOnly,
                              {{"name", "Mine"}}, {}, noc))
                     .status,
                 403);
        QCOMPARE(call(request(Method::Post, "/operations-manager/triggers",
                              {{"name", "t"}, {"type", "manual"}, {"actionId", readOnly}}, {}, noc))
                     .status,
                 403);
        // The admin sees all three.
        auto all = call(request(Method::Get, "/operations-manager/automations"));
        QCOMPARE_JSON(all.json["metadata"]["total"], 3);
    }

    void saveWritesAllOrNothing()
    {
        const std::string path = "/operations-manager/automations/save";
        // A new automation with two triggers, one of them wrong: nothing is written, and each
        // problem is at its pointer in the body.
        json nightly = {{"name", "nightly"},
                        {"type", "schedule"},
                        {"cron", "0 2 * * *"},
                        {"timezone", "Europe/Berlin"}};
        json hookTrigger = {{"name", "hook"}, {"type", "endpoint"}, {"routeName", "bad route"}};
        json body = json::object();
        body["automation"] = {{"name", "Port turn-up"},
                              {"componentId", m_workflowId},
                              {"runPolicy", {{"max_concurrency_per_key", 2}}}};
        body["triggers"] = json::array({nightly, hookTrigger});
        auto refused = call(request(Method::Post, path, body));
        QVERIFY2(refused.status == 400, dump(refused).c_str());
        QVERIFY(
            hasPointer(refused.json["details"], "/automation/runPolicy/max_concurrency_per_key"));
        auto none = call(request(Method::Get, "/operations-manager/automations"));
        QCOMPARE_JSON(none.json["metadata"]["total"], 0);
        // The automation fixed, the trigger still wrong: the automation is not created alone.
        body["automation"]["runPolicy"]["concurrency_key"] = "/device";
        refused = call(request(Method::Post, path, body));
        QVERIFY2(refused.status == 400, dump(refused).c_str());
        QVERIFY2(hasPointer(refused.json["details"], "/triggers/1/routeName"),
                 dump(refused).c_str());
        QVERIFY(!hasPointer(refused.json["details"], "/triggers/0/cron"));
        none = call(request(Method::Get, "/operations-manager/automations"));
        QCOMPARE_JSON(none.json["metadata"]["total"], 0);
        auto noTriggers = call(request(Method::Get, "/operations-manager/triggers"));
        QCOMPARE_JSON(noTriggers.json["metadata"]["total"], 0);

        body["triggers"][1]["routeName"] = "turnup";
        auto created = call(request(Method::Post, path, body));
        QVERIFY2(created.status == 200, dump(created).c_str());
        const std::string id = created.json["data"]["automation"]["_id"].get<std::string>();
        QCOMPARE(created.json["data"]["triggers"].size(), std::size_t(2));
        const std::string schedule = created.json["data"]["triggers"][0]["_id"].get<std::string>();
        const std::string hook = created.json["data"]["triggers"][1]["_id"].get<std::string>();
        QCOMPARE_JSON(created.json["data"]["triggers"][0]["actionId"], id);

        // An edit: the schedule moves from cron to an interval (null removes cron), the hook
        // goes, a manual trigger comes; a bad timezone on the schedule refuses all of it.
        json edit = {{"automation", {{"_id", id}, {"description", "turns ports up"}}},
                     {"triggers",
                      {{{"_id", schedule}, {"timezone", "Mars/Olympus"}},
                       {{"name", "by hand"}, {"type", "manual"}}}},
                     {"deleteTriggers", {hook}}};
        refused = call(request(Method::Post, path, edit));
        QVERIFY2(refused.status == 400, dump(refused).c_str());
        QVERIFY2(hasPointer(refused.json["details"], "/triggers/0/timezone"),
                 dump(refused).c_str());
        auto still = call(request(Method::Get, "/operations-manager/automations/" + id));
        QVERIFY(!still.json["data"].contains("description") ||
                still.json["data"]["description"] != "turns ports up");
        QCOMPARE(call(request(Method::Get, "/operations-manager/triggers/" + hook)).status, 200);

        edit["triggers"][0] = {{"_id", schedule},      {"cron", nullptr},
                               {"timezone", nullptr},  {"firstRunAt", 1900000000000LL},
                               {"repeatUnit", "hour"}, {"repeatFrequency", 6}};
        auto saved = call(request(Method::Post, path, edit));
        QVERIFY2(saved.status == 200, dump(saved).c_str());
        QCOMPARE_JSON(saved.json["data"]["automation"]["description"], "turns ports up");
        auto moved = call(request(Method::Get, "/operations-manager/triggers/" + schedule));
        QVERIFY(!moved.json["data"].contains("cron"));
        QCOMPARE_JSON(moved.json["data"]["repeatInterval"], 6 * 3600000);
        QCOMPARE(call(request(Method::Get, "/operations-manager/triggers/" + hook)).status, 404);
        auto all = call(request(Method::Get, "/operations-manager/triggers"));
        QCOMPARE_JSON(all.json["metadata"]["total"], 2);

        // Each part needs its own route's permission.
        Principal reader = operatorIn({});
        reader.permissions = {"getAutomations"};
        auto forbidden = call(request(
            Method::Post, path, {{"automation", {{"_id", id}, {"description", "x"}}}}, {}, reader));
        QCOMPARE(forbidden.status, 403);
    }

    void permissionsAreChecked()
    {
        QCOMPARE(
            call(request(Method::Get, "/operations-manager/automations", nullptr, {}, std::nullopt))
                .status,
            401);
        Principal nobody = operatorIn({});
        nobody.permissions.clear();
        QCOMPARE(call(request(Method::Post, "/operations-manager/automations", {{"name", "x"}}, {},
                              nobody))
                     .status,
                 403);
    }
};

QTEST_GUILESS_MAIN(TestAutomationsApi)
#include "TestAutomationsApi.moc"
