// SPDX-License-Identifier: GPL-3.0-or-later
// JST documents through the catalog (import, validation, the workflows' tr_id warning) and the
// /transformations routes through EngineApi::dispatch, as the HTTP server and the window call
// them.
#include "engine/access/Roles.h"
#include "engine/api/EngineApi.h"
#include "engine/api/TransformationCatalog.h"
#include "engine/store/SqliteStore.h"
#include "tests/support/JsonAsserts.h"
#include "tests/support/TestPaths.h"

#include <QTest>

using namespace flowdeck;
using namespace flowdeck::api;
using nlohmann::json;

namespace {

json fixture(const QString &relative)
{
    const QByteArray text = test::readFile(test::sourcePath(relative));
    return json::parse(text.begin(), text.end(), nullptr, false);
}

json alarmJst()
{
    return fixture(QStringLiteral("tests/data/jst/alarm-to-ticket.json"));
}

/// A one-task workflow whose transformation task names `trId`.
json workflowRunning(const std::string &name, const std::string &trId)
{
    const json task = {{"name", "transformation"},
                       {"summary", "map"},
                       {"app", "WorkFlowEngine"},
                       {"type", "operation"},
                       {"variables",
                        {{"incoming",
                          {{"tr_id", trId},
                           {"variableMap", {{"alarm", "$var.job.alarm"}}},
                           {"options", {{"extractOutput", false}}}}},
                         {"outgoing", json::object()},
                         {"error", ""},
                         {"decorators", json::array()}}}};
    return {{"name", name},
            {"type", "automation"},
            {"tasks",
             {{"workflow_start", {{"name", "workflow_start"}, {"groups", json::array()}}},
              {"ab1", task},
              {"workflow_end", {{"name", "workflow_end"}, {"groups", json::array()}}}}},
            {"transitions",
             {{"workflow_start", {{"ab1", {{"state", "success"}, {"type", "standard"}}}}},
              {"ab1", {{"workflow_end", {{"state", "success"}, {"type", "standard"}}}}},
              {"workflow_end", json::object()}}}};
}

Principal principal(const std::vector<std::string> &roles)
{
    Principal p;
    p.username = roles.empty() ? "nobody" : roles.front();
    p.admin = std::find(roles.begin(), roles.end(), "admin") != roles.end();
    p.permissions = access::permissionsForRoles(roles);
    return p;
}

ApiRequest request(Method m, std::string path, json body = nullptr,
                   std::multimap<std::string, std::string> query = {})
{
    ApiRequest r;
    r.method = m;
    r.path = std::move(path);
    r.body = std::move(body);
    r.query = std::move(query);
    model::Principal admin;
    admin.username = "admin";
    admin.admin = true;
    r.principal = admin;
    return r;
}

/// The index of the document's first assign step.
std::size_t firstAssign(const json &doc)
{
    for (std::size_t i = 0; i < doc["steps"].size(); ++i)
        if (doc["steps"][i]["type"] == "assign")
            return i;
    return 0;
}

bool hasIssueAt(const json &issues, const std::string &pointer, const std::string &keyword)
{
    for (const auto &issue : issues)
        if (issue.value("instancePath", std::string()) == pointer &&
            issue.value("keyword", std::string()) == keyword)
            return true;
    return false;
}

} // namespace

class TestTransformationsApi : public QObject
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

    // ---- the catalog ----

    void tellsAJstFromAWorkflowByShape()
    {
        QVERIFY(isTransformationDocument(alarmJst()));
        QVERIFY(isTransformationDocument(
            {{"incoming", json::array()}, {"outgoing", json::array()}, {"steps", json::array()}}));
        QVERIFY(!isTransformationDocument(workflowRunning("w", "x")));
        QVERIFY(!isTransformationDocument({{"incoming", json::array()}, {"steps", json::array()}}));
        QVERIFY(!isTransformationDocument(
            {{"incoming", json::object()}, {"outgoing", json::array()}, {"steps", json::array()}}));
        QVERIFY(!isTransformationDocument(json::array()));
    }

    void validatesAJstWithPointers()
    {
        QVERIFY(TransformationCatalog::validate(alarmJst()).empty());
        json bad = alarmJst();
        bad.erase("name");
        bad["_id"] = "123";
        bad["steps"].push_back({{"id", 999},
                                {"type", "method"},
                                {"library", "Bitwise"},
                                {"method", "leftShift"},
                                {"args", json::array()}});
        const json issues = issuesToJson(TransformationCatalog::validate(bad));
        QVERIFY2(hasIssueAt(issues, "/name", "required"), issues.dump().c_str());
        QVERIFY2(hasIssueAt(issues, "/_id", "format"), issues.dump().c_str());
        const std::string methodAt =
            "/steps/" + std::to_string(bad["steps"].size() - 1) + "/method";
        QVERIFY2(hasIssueAt(issues, methodAt, "method"), issues.dump().c_str());
    }

    void importsJstsAndWorkflowsTogetherAllOrNothing()
    {
        const json jst = alarmJst();
        const std::string id = jst["_id"];
        // The workflow names the JST of the same batch: no warning.
        auto imported = importDocuments(
            *m_store, *m_catalog,
            {{"wf.json", workflowRunning("Uses alarm", id), {}}, {"alarm.json", jst, {}}},
            std::string("alice"), OnExisting::Refuse);
        QVERIFY2(imported.ok(), imported.ok() ? "" : imported.error().message.c_str());
        QCOMPARE(imported->transformations.size(), std::size_t(1));
        QCOMPARE(imported->transformations.front().record.id, id);
        QCOMPARE(imported->workflows.size(), std::size_t(1));
        QVERIFY(imported->workflows.front().warnings.empty());
        QVERIFY(m_store->transformationById(id).ok());

        // A bad JST beside a good workflow: nothing stored, both documents' problems named.
        json badJst = alarmJst();
        badJst["_id"] = "65e1c0ffee0000000000d001";
        badJst["name"] = "Broken";
        const std::size_t edge = firstAssign(badJst);
        badJst["steps"][edge]["to"]["location"] = "method";
        badJst["steps"][edge]["to"]["name"] = 4242;
        json badWorkflow = workflowRunning("Broken workflow", id);
        badWorkflow["transitions"]["ab1"]["workflow_end"]["state"] = "sucess";
        auto refused = importDocuments(*m_store, *m_catalog,
                                       {{"good.json", workflowRunning("Second", id), {}},
                                        {"broken.jst.json", badJst, {}},
                                        {"broken.json", badWorkflow, {}}},
                                       std::nullopt, OnExisting::Refuse);
        QVERIFY(!refused.ok());
        QCOMPARE(refused.error().code, ErrorCode::Invalid);
        QCOMPARE(refused.error().details.size(), std::size_t(2));
        QCOMPARE_JSON(refused.error().details[0]["source"], "broken.jst.json");
        QVERIFY2(hasIssueAt(refused.error().details[0]["issues"],
                            "/steps/" + std::to_string(edge) + "/to/name", "link"),
                 refused.error().details.dump().c_str());
        QCOMPARE_JSON(refused.error().details[1]["source"], "broken.json");
        QVERIFY(refused.error().message.find("2 documents are invalid") != std::string::npos);
        QCOMPARE(m_store->workflowByName("Second").error().code, ErrorCode::NotFound);
        QCOMPARE(m_store->transformationById("65e1c0ffee0000000000d001").error().code,
                 ErrorCode::NotFound);
    }

    void existingJstsAreRefusedUnlessNewVersion()
    {
        TransformationCatalog catalog(*m_store);
        QVERIFY(catalog.import({{"a", alarmJst(), {}}}, {}, OnExisting::Refuse).ok());
        auto again = catalog.import({{"a", alarmJst(), {}}}, {}, OnExisting::Refuse);
        QCOMPARE(again.error().code, ErrorCode::Conflict);
        auto replaced = catalog.import({{"a", alarmJst(), {}}}, {}, OnExisting::NewVersion);
        QVERIFY(replaced.ok());
        QVERIFY(replaced->front().replaced);
        QCOMPARE(replaced->front().record.version, 2);
        // Two of one name in a batch, regardless of case.
        json other = alarmJst();
        other.erase("_id");
        other["name"] = "ALARM TO TICKET";
        auto twice =
            catalog.import({{"a", alarmJst(), {}}, {"b", other, {}}}, {}, OnExisting::NewVersion);
        QCOMPARE(twice.error().code, ErrorCode::Invalid);
        QVERIFY(hasIssueAt(twice.error().details[0]["issues"], "/name", "duplicate"));
    }

    void findsByIdThenByName()
    {
        TransformationCatalog catalog(*m_store);
        QVERIFY(catalog.import({{"a", alarmJst(), {}}}, {}, OnExisting::Refuse).ok());
        QCOMPARE(catalog.find("65e1c0ffee0000000000a003")->name, std::string("Alarm to ticket"));
        QCOMPARE(catalog.find("alarm TO ticket")->id, std::string("65e1c0ffee0000000000a003"));
        auto missing = catalog.find("65e1c0ffee00000000000000");
        QCOMPARE(missing.error().code, ErrorCode::NotFound);
        QVERIFY(missing.error().message.find("65e1c0ffee00000000000000") != std::string::npos);
        QCOMPARE_JSON(*catalog.exportOne("Alarm to ticket"), alarmJst());
    }

    void unknownTrIdIsAWarningWithItsPointer()
    {
        json wf = workflowRunning("Needs a JST", "65e1c0ffee0000000000ffff");
        auto imported = m_catalog->import({{"wf.json", wf, {}}}, {}, OnExisting::Refuse);
        QVERIFY2(imported.ok(), imported.ok() ? "" : imported.error().message.c_str());
        const auto &warnings = imported->front().warnings;
        QCOMPARE(warnings.size(), std::size_t(1));
        QCOMPARE(warnings[0].severity, validate::Severity::Warning);
        QCOMPARE(warnings[0].keyword, std::string("transformation"));
        QCOMPARE(warnings[0].instancePath, std::string("/tasks/ab1/variables/incoming/tr_id"));
        QCOMPARE_JSON(warnings[0].params,
                      json({{"task", "ab1"}, {"tr_id", "65e1c0ffee0000000000ffff"}}));
        QVERIFY(warnings[0].message.find("ab1") != std::string::npos);
        QVERIFY(warnings[0].message.find("65e1c0ffee0000000000ffff") != std::string::npos);

        // A $var tr_id is decided at run time.
        auto dynamic =
            m_catalog->import({{"wf2.json", workflowRunning("Dynamic", "$var.job.trId"), {}}}, {},
                              OnExisting::Refuse);
        QVERIFY(dynamic->front().warnings.empty());
    }

    // ---- the routes ----

    void createGetListUpdateDelete()
    {
        auto created = call(request(Method::Post, "/transformations", alarmJst()));
        QCOMPARE(created.status, 200);
        QCOMPARE_JSON(created.json, alarmJst());
        const std::string id = created.json["_id"];

        auto again = call(request(Method::Post, "/transformations", alarmJst()));
        QCOMPARE(again.status, 409);

        auto got = call(request(Method::Get, "/transformations/" + id));
        QCOMPARE(got.status, 200);
        QCOMPARE_JSON(got.json, alarmJst());
        QCOMPARE(call(request(Method::Get, "/transformations/65e1c0ffee00000000000000")).status,
                 404);

        json second = fixture(QStringLiteral("tests/data/jst/inventory-index.json"));
        QCOMPARE(call(request(Method::Post, "/transformations", second)).status, 200);
        auto list = call(
            request(Method::Get, "/transformations", nullptr, {{"limit", "1"}, {"skip", "1"}}));
        QCOMPARE(list.status, 200);
        QCOMPARE_JSON(list.json["total"], 2);
        QCOMPARE(list.json["results"].size(), std::size_t(1));
        QCOMPARE_JSON(list.json["results"][0]["name"], "Inventory index");
        auto byName = call(request(Method::Get, "/transformations", nullptr,
                                   {{"equals[name]", "alarm to ticket"}}));
        QCOMPARE_JSON(byName.json["total"], 1);
        QCOMPARE_JSON(byName.json["results"][0]["_id"], id);
        QCOMPARE(call(request(Method::Get, "/transformations", nullptr, {{"sort", "name"}})).status,
                 400);

        json changed = alarmJst();
        changed.erase("_id");
        changed["description"] = "changed";
        auto updated = call(request(Method::Put, "/transformations/" + id, changed));
        QCOMPARE(updated.status, 200);
        QCOMPARE_JSON(updated.json["description"], "changed");
        QCOMPARE_JSON(updated.json["_id"], id);
        QCOMPARE(m_store->transformationById(id)->version, 2);
        json wrongId = changed;
        wrongId["_id"] = "65e1c0ffee0000000000a002";
        QCOMPARE(call(request(Method::Put, "/transformations/" + id, wrongId)).status, 400);
        QCOMPARE(
            call(request(Method::Put, "/transformations/65e1c0ffee00000000000000", changed)).status,
            404);

        auto deleted = call(request(Method::Delete, "/transformations/" + id));
        QCOMPARE(deleted.status, 200);
        QCOMPARE(call(request(Method::Get, "/transformations/" + id)).status, 404);
        QCOMPARE(call(request(Method::Delete, "/transformations/" + id)).status, 404);
    }

    void createAnswers400WithTheValidatorsIssues()
    {
        json bad = alarmJst();
        const std::size_t edge = firstAssign(bad);
        bad["steps"][edge]["to"]["ptr"] = "args/0";
        auto r = call(request(Method::Post, "/transformations", bad));
        QCOMPARE(r.status, 400);
        QCOMPARE_JSON(r.json["error"], "invalid");
        const json &issues = r.json["details"][0]["issues"];
        QVERIFY2(hasIssueAt(issues, "/steps/" + std::to_string(edge) + "/to/ptr", "pointer"),
                 r.json.dump().c_str());
        QCOMPARE(m_store->listTransformations({})->total, std::int64_t(0));
    }

    void runAnswersTheOutgoingValues()
    {
        const json cases = fixture(QStringLiteral("tests/data/jst/alarm-to-ticket.cases.json"));
        QVERIFY(call(request(Method::Post, "/transformations", alarmJst())).ok());
        const json &c = cases[0];
        std::multimap<std::string, std::string> flags;
        for (const auto &[key, value] : c["options"].items())
            flags.emplace(key, value.get<bool>() ? "true" : "false");
        auto r = call(request(Method::Post, "/transformations/65e1c0ffee0000000000a003",
                              c["incoming"], flags));
        QVERIFY2(r.status == 200, r.json.dump().c_str());
        QCOMPARE_JSON(r.json, c["expected"]);

        // By name too; a violation of the incoming schema with validateIncoming is a 400 naming
        // where.
        auto invalid = call(request(Method::Post, "/transformations/Alarm%20to%20ticket",
                                    {{"alarm", {{"severity", "SEVERE"}, {"message", "x"}}}},
                                    {{"validateIncoming", "true"}}));
        QCOMPARE(invalid.status, 400);
        QVERIFY2(invalid.json["message"].get<std::string>().find("/alarm/severity") !=
                     std::string::npos,
                 invalid.json.dump().c_str());
        QCOMPARE(
            call(request(Method::Post, "/transformations/65e1c0ffee0000000000a003", json::array()))
                .status,
            400);
        QCOMPARE(call(request(Method::Post, "/transformations/65e1c0ffee0000000000a003",
                              json::object(), {{"extractOutput", "yes"}}))
                     .status,
                 400);
    }

    void permissionsFollowTheRoles()
    {
        QVERIFY(call(request(Method::Post, "/transformations", alarmJst())).ok());
        const std::string path = "/transformations/65e1c0ffee0000000000a003";
        const json incoming =
            fixture(QStringLiteral("tests/data/jst/alarm-to-ticket.cases.json"))[0]["incoming"];
        auto as = [&](ApiRequest r, const std::vector<std::string> &roles) {
            r.principal = principal(roles);
            return call(std::move(r)).status;
        };
        QCOMPARE(as(request(Method::Get, path), {"viewer"}), 200);
        QCOMPARE(as(request(Method::Get, "/transformations"), {"viewer"}), 200);
        QCOMPARE(as(request(Method::Post, path, incoming), {"viewer"}), 403);
        QCOMPARE(as(request(Method::Post, path, incoming), {"operator"}), 200);
        QCOMPARE(as(request(Method::Put, path, alarmJst()), {"operator"}), 403);
        QCOMPARE(as(request(Method::Delete, path), {"operator"}), 403);
        QCOMPARE(as(request(Method::Post, "/transformations", alarmJst()), {"operator"}), 403);
        QCOMPARE(as(request(Method::Put, path, alarmJst()), {"admin"}), 200);
        for (const char *m : {"getTransformations", "createTransformation", "updateTransformation",
                              "deleteTransformation", "runTransformation"}) {
            const auto &all = access::allMethodNames();
            QVERIFY2(std::binary_search(all.begin(), all.end(), std::string(m)), m);
        }
    }
};

QTEST_APPLESS_MAIN(TestTransformationsApi)
#include "TestTransformationsApi.moc"
