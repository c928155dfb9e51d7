// SPDX-License-Identifier: GPL-3.0-or-later
// The workflow routes through EngineApi::dispatch, as the HTTP server and the window call them.
#include "engine/api/EngineApi.h"
#include "engine/store/SqliteStore.h"
#include "tests/support/JsonAsserts.h"
#include "tests/support/TestPaths.h"

#include <QDir>
#include <QTest>

#include <map>
#include <set>

using namespace flowdeck;
using namespace flowdeck::api;
using nlohmann::json;

namespace {

json demo(const char *file)
{
    const QByteArray text = test::readFile(
        test::sourcePath(QStringLiteral("resources/demo/") + QString::fromUtf8(file)));
    return json::parse(text.begin(), text.end(), nullptr, false);
}

ApiRequest request(Method m, std::string path, json body = nullptr,
                   std::multimap<std::string, std::string> query = {})
{
    ApiRequest r;
    r.method = m;
    r.path = std::move(path);
    r.body = std::move(body);
    r.query = std::move(query);
    Principal alice;
    alice.username = "alice";
    alice.admin = true;
    r.principal = alice;
    return r;
}

} // namespace

class TestWorkflowsApi : public QObject
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

    void taskListOffersTheEngineMethodsAndEachInstancesMethods()
    {
        store::AdapterRecord pets;
        pets.id = "ad1";
        pets.name = "pets-prod";
        pets.app = "Petstore";
        pets.definition = json::parse(R"({"methods": [{"name": "getPetById",
            "summary": "Find a pet", "inputs": [{"name": "petId", "in": "path",
            "required": true, "schema": {"type": "integer"}}]}]})");
        pets.properties = json::object();
        QVERIFY(m_store->saveAdapter(pets, false).ok());

        auto listed = call(request(Method::Get, "/workflow_builder/tasks/list"));
        QCOMPARE(listed.status, 200);
        QVERIFY(listed.json.is_array());
        bool query = false, adapter = false;
        for (const json &entry : listed.json) {
            if (entry["app"] == "WorkFlowEngine" && entry["name"] == "query") {
                query = true;
                QCOMPARE_JSON(entry["location"], json("Application"));
                QVERIFY(entry["variables"]["incoming"].contains("pass_on_null"));
            }
            if (entry["app"] == "Petstore") {
                adapter = true;
                QCOMPARE_JSON(entry["name"], json("getPetById"));
                QCOMPARE_JSON(entry["location"], json("Adapter"));
                QCOMPARE_JSON(entry["variables"]["incoming"]["adapter_id"]["value"],
                              json("pets-prod"));
            }
        }
        QVERIFY(query);
        QVERIFY(adapter);

        auto one =
            call(request(Method::Get, "/workflow_builder/getTaskDetails/Petstore/getPetById"));
        QCOMPARE(one.status, 200);
        QCOMPARE_JSON(one.json["summary"], json("Find a pet"));
        auto builtin =
            call(request(Method::Get, "/workflow_builder/getTaskDetails/WorkFlowEngine/delay"));
        QCOMPARE(builtin.status, 200);
        QCOMPARE(builtin.json["variables"]["outgoing"].begin().key(),
                 std::string("time_in_milliseconds"));
        auto missing = call(request(Method::Get, "/workflow_builder/getTaskDetails/Petstore/nope"));
        QCOMPARE(missing.status, 404);
        QVERIFY(missing.json["message"].get<std::string>().find("nope") != std::string::npos);
    }

    void createThenGetThenExport()
    {
        const json doc = demo("manual-change-approval.json");
        auto created =
            call(request(Method::Post, "/automation-studio/automations", {{"automation", doc}}));
        QCOMPARE(created.status, 200);
        const std::string id = created.json["created"]["_id"];
        QVERIFY(created.json["edit"].get<std::string>().find(id) != std::string::npos);

        auto got = call(request(Method::Get, "/automation-studio/workflows/detailed/" +
                                                 doc["name"].get<std::string>()));
        QCOMPARE(got.status, 200);
        QCOMPARE(QString::fromStdString(got.json["_id"].get<std::string>()),
                 QString::fromStdString(id));

        auto byName = call(request(Method::Post, "/workflow_builder/export",
                                   {{"options", {{"name", doc["name"]}}}}));
        QCOMPARE(byName.status, 200);
        QCOMPARE_JSON(byName.json, doc);
        auto byId =
            call(request(Method::Post, "/workflow_builder/export", {{"options", {{"_id", id}}}}));
        QCOMPARE_JSON(byId.json, doc);
    }

    void namesWithSpacesArePercentDecoded()
    {
        const json doc = demo("manual-change-approval.json");
        QCOMPARE(
            call(request(Method::Post, "/automation-studio/automations", {{"automation", doc}}))
                .status,
            200);
        std::string encoded;
        for (char c : doc["name"].get<std::string>())
            encoded += c == ' ' ? std::string("%20") : std::string(1, c);
        QCOMPARE(
            call(request(Method::Get, "/automation-studio/workflows/detailed/" + encoded)).status,
            200);
    }

    void createRefusesAnInvalidDocumentWithPointers()
    {
        json doc = demo("manual-change-approval.json");
        doc["tasks"].erase("workflow_end");
        auto r =
            call(request(Method::Post, "/automation-studio/automations", {{"automation", doc}}));
        QCOMPARE(r.status, 400);
        bool pointed = false;
        for (const auto &issue : r.json["details"][0]["issues"])
            pointed = pointed || issue["instancePath"] == "/tasks/workflow_end" ||
                      issue["instancePath"] == "/tasks";
        QVERIFY2(pointed, r.json.dump().c_str());
        QCOMPARE(
            call(request(Method::Get, "/automation-studio/workflows")).json["total"].get<int>(), 0);
    }

    void createRefusesADuplicate()
    {
        const json doc = demo("linear-device-health-check.json");
        QCOMPARE(
            call(request(Method::Post, "/automation-studio/automations", {{"automation", doc}}))
                .status,
            200);
        auto again =
            call(request(Method::Post, "/automation-studio/automations", {{"automation", doc}}));
        QCOMPARE(again.status, 409);
        QVERIFY(again.json["message"].get<std::string>().find("already exists") !=
                std::string::npos);
    }

    void importIsAllOrNothing()
    {
        json bad = demo("linear-device-health-check.json");
        bad["name"] = "Broken";
        bad["transitions"]["workflow_start"] = "nonsense";
        auto r = call(request(Method::Post, "/automation-studio/automations/import",
                              {{"automations", {demo("revert-retry-loop.json"), bad}}}));
        QCOMPARE(r.status, 400);
        QCOMPARE(QString::fromStdString(r.json["details"][0]["source"].get<std::string>()),
                 QStringLiteral("/automations/1"));
        QCOMPARE(
            call(request(Method::Get, "/automation-studio/workflows")).json["total"].get<int>(), 0);

        auto ok = call(
            request(Method::Post, "/automation-studio/automations/import",
                    {{"automations",
                      {demo("revert-retry-loop.json"), demo("linear-device-health-check.json")}}}));
        QCOMPARE(ok.status, 200);
        QCOMPARE(ok.json["imported"].size(), std::size_t(2));
    }

    void importRefusesTwoDocumentsWithOneName()
    {
        const json doc = demo("revert-retry-loop.json");
        auto r = call(request(Method::Post, "/automation-studio/automations/import",
                              {{"automations", {doc, doc}}}));
        QCOMPARE(r.status, 400);
        QVERIFY(r.json.dump().find("also named") != std::string::npos);
    }

    void importWithOverwriteMakesANewVersion()
    {
        const json doc = demo("revert-retry-loop.json");
        QCOMPARE(call(request(Method::Post, "/automation-studio/automations/import",
                              {{"automations", {doc}}}))
                     .status,
                 200);
        auto again = call(request(Method::Post, "/automation-studio/automations/import",
                                  {{"automations", {doc}}, {"overwrite", true}}));
        QCOMPARE(again.status, 200);
        QCOMPARE(again.json["imported"][0]["version"].get<int>(), 2);
        QVERIFY(again.json["imported"][0]["replaced"].get<bool>());
    }

    // The window's import takes JSTs by the CLI's rule: a name held under another _id is a
    // conflict, and with overwrite the new _id takes the name while the old JST is kept.
    void importTakesAJstWhoseNameAnotherIdHolds()
    {
        const QByteArray text = test::readFile(
            test::sourcePath(QStringLiteral("examples/jst/interfaces-review-view.jst.json")));
        json jst = json::parse(text.begin(), text.end());
        const std::string oldId = jst["_id"];
        QCOMPARE(call(request(Method::Post, "/automation-studio/automations/import",
                              {{"automations", {jst}}}))
                     .status,
                 200);
        jst["_id"] = "65e1c0ffee0000000000c0de";
        auto refused = call(request(Method::Post, "/automation-studio/automations/import",
                                    {{"automations", {jst}}}));
        QCOMPARE(refused.status, 409);
        QVERIFY2(refused.json.dump().find(oldId) != std::string::npos, refused.json.dump().c_str());
        auto replaced = call(request(Method::Post, "/automation-studio/automations/import",
                                     {{"automations", {jst}}, {"overwrite", true}}));
        QVERIFY2(replaced.status == 200, replaced.json.dump().c_str());
        const json &entry = replaced.json["transformations"][0];
        QCOMPARE_JSON(entry["_id"], "65e1c0ffee0000000000c0de");
        QCOMPARE_JSON(entry["displaced"]["_id"], oldId);
        QCOMPARE((*m_store->transformationByName(jst["name"].get<std::string>())).id,
                 std::string("65e1c0ffee0000000000c0de"));
        QCOMPARE((*m_store->transformationById(oldId)).name,
                 jst["name"].get<std::string>() + " (" + oldId + ")");
    }

    void importTakesJstsAndAutomationExports()
    {
        const QByteArray jstText =
            test::readFile(test::sourcePath(QStringLiteral("tests/data/jst/alarm-to-ticket.json")));
        const json jst = json::parse(jstText.begin(), jstText.end());
        // Itential exports an automation with its workflow by name: componentId null, and
        // componentName a name or "@<id>: <name>".
        const json byName = {{"name", "Backup on demand"},
                             {"componentType", "workflows"},
                             {"componentId", nullptr},
                             {"componentName", "Device Health Check"},
                             {"triggers", json::array()}};
        const json byIdAndName = {
            {"name", "Backup nightly"},
            {"componentType", "workflows"},
            {"componentId", nullptr},
            {"componentName", "@65b7c0de1a2b3c4d5e6f7081: Device Health Check"},
            {"triggers", json::array()}};
        const json orphan = {{"name", "Orphan"},
                             {"componentType", "workflows"},
                             {"componentId", nullptr},
                             {"componentName", "A workflow this store never had"},
                             {"triggers", json::array()}};
        auto r = call(request(
            Method::Post, "/automation-studio/automations/import",
            {{"automations",
              {demo("linear-device-health-check.json"), jst, byName, byIdAndName, orphan}}}));
        QVERIFY2(r.status == 200, r.json.dump().c_str());
        QCOMPARE(r.json["imported"].size(), std::size_t(1));
        QCOMPARE(r.json["transformations"].size(), std::size_t(1));
        QCOMPARE_JSON(r.json["transformations"][0]["source"], "/automations/1");
        const json automations = r.json["automations"];
        QCOMPARE(automations.size(), std::size_t(3));
        const std::string workflowId = r.json["imported"][0]["_id"];
        auto stored = [&](const json &entry) {
            return call(request(Method::Get, "/operations-manager/automations/" +
                                                 entry["_id"].get<std::string>()))
                .json["data"];
        };
        QCOMPARE_JSON(stored(automations[0])["componentId"], workflowId);
        QCOMPARE_JSON(stored(automations[1])["componentId"], workflowId);
        QVERIFY(automations[0]["warnings"].empty());
        // Nothing matches: stored without a workflow, and the answer says so.
        QVERIFY(stored(automations[2])["componentId"].is_null());
        QCOMPARE(automations[2]["warnings"].size(), std::size_t(1));
        QVERIFY(automations[2]["warnings"][0].get<std::string>().find(
                    "A workflow this store never had") != std::string::npos);
    }

    void aPartialImportStoresTheRestAndSaysWhy()
    {
        QCOMPARE(call(request(Method::Post, "/automation-studio/automations/import",
                              {{"automations", {demo("revert-retry-loop.json")}}}))
                     .status,
                 200);
        json older = demo("linear-device-health-check.json");
        older["last_updated"] = "2025-01-01T00:00:00.000Z";
        json newer = older;
        newer["last_updated"] = "2026-02-01T00:00:00.000Z";
        newer["description"] = "the newer one";
        json bad = demo("branching-config-compliance.json");
        bad["transitions"]["workflow_start"] = "nonsense";
        const json docs = {demo("revert-retry-loop.json"), newer, bad, older,
                           demo("manual-change-approval.json")};
        // By default all or nothing, as before.
        QCOMPARE(call(request(Method::Post, "/automation-studio/automations/import",
                              {{"automations", docs}}))
                     .status,
                 400);
        auto r =
            call(request(Method::Post, "/automation-studio/automations/import",
                         {{"automations", docs}, {"partial", true}, {"duplicates", "newest"}}));
        QVERIFY2(r.status == 200, r.json.dump().c_str());
        std::set<std::string> imported;
        for (const json &entry : r.json["imported"])
            imported.insert(entry["source"].get<std::string>());
        QCOMPARE(imported, (std::set<std::string>{"/automations/1", "/automations/4"}));
        std::map<std::string, std::string> skipped;
        for (const json &entry : r.json["skipped"])
            skipped[entry["source"].get<std::string>()] = entry["reason"].get<std::string>();
        QCOMPARE(skipped.size(), std::size_t(3));
        QVERIFY(skipped["/automations/0"].find("exists already") != std::string::npos);
        QVERIFY(skipped["/automations/2"].find("not valid") != std::string::npos);
        QVERIFY(skipped["/automations/3"].find("newer") != std::string::npos);
        auto health = call(
            request(Method::Get, "/automation-studio/workflows/detailed/Device%20Health%20Check"));
        QCOMPARE_JSON(health.json["description"], "the newer one");
        QCOMPARE(call(request(Method::Post, "/automation-studio/automations/import",
                              {{"automations", docs}, {"partial", "yes"}}))
                     .status,
                 400);
    }

    void listPagesAndFilters()
    {
        QDir dir(test::sourcePath(QStringLiteral("resources/demo")));
        json docs = json::array();
        for (const auto &f : dir.entryList({QStringLiteral("*.json")}))
            docs.push_back(demo(f.toUtf8().constData()));
        QCOMPARE(call(request(Method::Post, "/automation-studio/automations/import",
                              {{"automations", docs}}))
                     .status,
                 200);
        auto page = call(request(Method::Get, "/automation-studio/workflows", nullptr,
                                 {{"limit", "2"}, {"skip", "1"}}));
        QCOMPARE(page.status, 200);
        QCOMPARE(page.json["total"].get<std::size_t>(), docs.size());
        QCOMPARE(page.json["items"].size(), std::size_t(2));
        auto one = call(request(Method::Get, "/automation-studio/workflows", nullptr,
                                {{"equals[name]", docs[0]["name"]}}));
        QCOMPARE(one.json["total"].get<int>(), 1);
    }

    void badQueriesAreRefusedByName_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("unknown filter") << "equals[nmae]"
                                        << "x"
                                        << "equals[nmae]";
        QTest::newRow("negative limit") << "limit"
                                        << "-1"
                                        << "limit";
        QTest::newRow("limit not a number") << "limit"
                                            << "ten"
                                            << "ten";
        QTest::newRow("huge limit") << "limit"
                                    << "100000"
                                    << "limit";
        QTest::newRow("sql in skip") << "skip"
                                     << "0;DROP TABLE workflows"
                                     << "skip";
    }

    void badQueriesAreRefusedByName()
    {
        QFETCH(QString, key);
        QFETCH(QString, value);
        QFETCH(QString, mentions);
        auto r = call(request(Method::Get, "/automation-studio/workflows", nullptr,
                              {{key.toStdString(), value.toStdString()}}));
        QCOMPARE(r.status, 400);
        QVERIFY2(r.json["message"].get<std::string>().find(mentions.toStdString()) !=
                     std::string::npos,
                 r.json.dump().c_str());
    }

    void callersNeedTheRoutesPermission()
    {
        auto anonymous = request(Method::Get, "/automation-studio/workflows");
        anonymous.principal.reset();
        auto answer = call(anonymous);
        QCOMPARE(answer.status, 401);
        QCOMPARE(answer.json["error"].get<std::string>(), std::string("unauthorized"));

        // A viewer reads but does not write; a principal with no roles does neither.
        Principal viewer;
        viewer.username = "vic";
        viewer.permissions = {"getWorkflows"};
        auto read = request(Method::Get, "/automation-studio/workflows");
        read.principal = viewer;
        QCOMPARE(call(read).status, 200);
        auto write = request(Method::Post, "/automation-studio/automations",
                             {{"automation", demo("manual-change-approval.json")}});
        write.principal = viewer;
        answer = call(write);
        QCOMPARE(answer.status, 403);
        QVERIFY(answer.json["message"].get<std::string>().find("createWorkflow") !=
                std::string::npos);
        QCOMPARE(m_store->listWorkflows({})->total, std::int64_t(0));
    }

    void unknownRoutesAndMethods()
    {
        QCOMPARE(call(request(Method::Get, "/automation-studio/nothing")).status, 404);
        QCOMPARE(call(request(Method::Delete, "/automation-studio/workflows")).status, 405);
        QCOMPARE(call(request(Method::Get, "/automation-studio/workflows/detailed/Nope")).status,
                 404);
        QCOMPARE(call(request(Method::Get, "/automation-studio/workflows/detailed/%zz")).status,
                 404);
        QCOMPARE(call(request(Method::Delete, "/workflow_builder/workflows/delete/Nope")).status,
                 404);
    }

    void wrongBodiesAre400()
    {
        QCOMPARE(
            call(request(Method::Post, "/automation-studio/automations", json::array())).status,
            400);
        QCOMPARE(call(request(Method::Post, "/automation-studio/automations/import",
                              {{"automations", "x"}}))
                     .status,
                 400);
        QCOMPARE(call(request(Method::Post, "/workflow_builder/export", {{"options", 5}})).status,
                 400);
        QCOMPARE(
            call(request(Method::Post, "/workflow_builder/export", {{"options", {{"name", 5}}}}))
                .status,
            400);
        QCOMPARE(call(request(Method::Post, "/automation-studio/automations",
                              {{"automation", "not a document"}}))
                     .status,
                 400);
    }

    void deleteRemovesIt()
    {
        const json doc = demo("revert-retry-loop.json");
        QCOMPARE(
            call(request(Method::Post, "/automation-studio/automations", {{"automation", doc}}))
                .status,
            200);
        std::string encoded;
        for (char c : doc["name"].get<std::string>())
            encoded += c == ' ' ? std::string("%20") : std::string(1, c);
        QCOMPARE(
            call(request(Method::Delete, "/workflow_builder/workflows/delete/" + encoded)).status,
            200);
        QCOMPARE(
            call(request(Method::Get, "/automation-studio/workflows")).json["total"].get<int>(), 0);
    }
};

QTEST_APPLESS_MAIN(TestWorkflowsApi)
#include "TestWorkflowsApi.moc"
