// SPDX-License-Identifier: GPL-3.0-or-later
// Definitions from OpenAPI 3.0/3.1 and Swagger 2.0 (JSON and YAML), their refusals by JSON
// pointer, and the properties: schema, defaults, secrets.
#include "engine/adapters/AdapterDefinition.h"
#include "engine/adapters/AdapterProperties.h"
#include "engine/adapters/DocumentText.h"
#include "tests/support/TestPaths.h"

#include "tests/support/JsonAsserts.h"

#include <QTest>

#include <set>

using namespace flowdeck;
using namespace flowdeck::adapters;
using nlohmann::json;

class TestAdapterDefinition : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void yamlIsTypedLikeYaml12()
    {
        auto doc =
            parseDocumentText("a: 1\nb: '1'\nc: true\nd: ~\ne: 1.5\nf: [x, \"y\"]\ng: 0x1\n");
        QVERIFY(doc.ok());
        QCOMPARE_JSON((*doc)["a"], json(1));
        QCOMPARE_JSON((*doc)["b"], json("1"));
        QCOMPARE_JSON((*doc)["c"], json(true));
        QVERIFY((*doc)["d"].is_null());
        QCOMPARE_JSON((*doc)["e"], json(1.5));
        QCOMPARE_JSON((*doc)["f"], json::array({"x", "y"}));
        QCOMPARE_JSON((*doc)["g"], json("0x1"));
    }

    void badTextSaysWhere()
    {
        auto yaml = parseDocumentText("a: [1, 2\nb: 3\n");
        QVERIFY(!yaml.ok());
        QVERIFY2(yaml.error().message.find("line") != std::string::npos,
                 yaml.error().message.c_str());
        QVERIFY(!parseDocumentText("{\"a\": }").ok());
        QVERIFY(!parseDocumentText("   ").ok());
    }

    void openApi3FromYaml()
    {
        const QByteArray text =
            test::readFile(test::sourcePath(QStringLiteral("tests/data/adapters/petstore.yaml")));
        auto doc = parseDocumentText(text.toStdString());
        QVERIFY(doc.ok());
        auto def = definitionFromOpenApi(*doc);
        QVERIFY2(def.ok(), def.ok() ? "" : def.error().message.c_str());
        QCOMPARE_JSON((*def)["source"], json("openapi 3.0.3"));
        QCOMPARE_JSON((*def)["title"], json("Test pet store"));
        const json *get = findMethod(*def, "getPetById");
        QVERIFY(get);
        QCOMPARE_JSON((*get)["verb"], json("GET"));
        QCOMPARE_JSON((*get)["path"], json("/pets/{petId}"));
        QCOMPARE_JSON((*get)["inputSchema"]["required"], json::array({"petId"}));
        QCOMPARE_JSON((*get)["inputSchema"]["properties"]["kind"]["type"], json("string"));
        // The 2xx schema, its $ref resolved.
        QCOMPARE_JSON((*get)["outputSchema"]["properties"]["name"]["type"], json("string"));
        const json *create = findMethod(*def, "createPet");
        QVERIFY(create);
        QCOMPARE_JSON((*create)["inputSchema"]["required"], json::array({"body"}));
        QCOMPARE_JSON((*create)["inputSchema"]["properties"]["body"]["required"],
                      json::array({"name"}));
        // No operationId: a name from the verb and the path.
        QVERIFY(findMethod(*def, "getHealth"));
        QVERIFY(!findMethod(*def, "nothing"));
    }

    void swagger2FromJson()
    {
        const json doc = {
            {"swagger", "2.0"},
            {"info", {{"title", "Inventory"}, {"version", "2"}}},
            {"paths",
             {{"/devices/{name}",
               {{"parameters",
                 json::array(
                     {{{"name", "name"}, {"in", "path"}, {"required", true}, {"type", "string"}}})},
                {"put",
                 {{"operationId", "updateDevice"},
                  {"parameters",
                   json::array({{{"name", "device"},
                                 {"in", "body"},
                                 {"required", true},
                                 {"schema", {{"$ref", "#/definitions/Device"}}}},
                                {{"name", "X-Trace"}, {"in", "header"}, {"type", "string"}},
                                {{"name", "dryRun"}, {"in", "query"}, {"type", "boolean"}}})},
                  {"responses", {{"200", {{"schema", {{"$ref", "#/definitions/Device"}}}}}}}}}}}}},
            {"definitions",
             {{"Device", {{"type", "object"}, {"properties", {{"ip", {{"type", "string"}}}}}}}}}};
        auto def = definitionFromOpenApi(doc);
        QVERIFY2(def.ok(), def.ok() ? "" : def.error().message.c_str());
        const json *m = findMethod(*def, "updateDevice");
        QVERIFY(m);
        QCOMPARE_JSON((*m)["verb"], json("PUT"));
        QCOMPARE_JSON((*m)["inputSchema"]["properties"]["dryRun"]["type"], json("boolean"));
        QCOMPARE_JSON((*m)["inputSchema"]["properties"]["body"]["properties"]["ip"]["type"],
                      json("string"));
        QCOMPARE_JSON((*m)["inputSchema"]["required"], json::array({"body", "name"}));
        QCOMPARE_JSON((*m)["outputSchema"]["type"], json("object"));
    }

    void malformedDocumentsArePointedAt()
    {
        auto none = definitionFromOpenApi({{"paths", json::object()}});
        QVERIFY(!none.ok());
        QCOMPARE_JSON(none.error().details[0]["instancePath"], json(""));

        const json doc = {
            {"openapi", "3.1.0"},
            {"paths",
             {{"/a/{id}",
               {{"get",
                 {{"operationId", "same"},
                  {"parameters",
                   json::array({{{"in", "path"}}, {{"name", "id"}, {"in", "cookie"}}})}}},
                {"post", {{"operationId", "same"}}}}},
              {"b", {{"get", json::object()}}},
              {"/c",
               {{"get",
                 {{"responses", {{"200", {{"$ref", "#/components/responses/Missing"}}}}}}}}}}}};
        auto def = definitionFromOpenApi(doc);
        QVERIFY(!def.ok());
        std::set<std::string> pointers;
        for (const auto &d : def.error().details)
            pointers.insert(d["instancePath"].get<std::string>());
        QVERIFY(pointers.count("/paths/~1a~1{id}/get/parameters/0"));
        QVERIFY(pointers.count("/paths/~1a~1{id}/get/parameters/1/in"));
        QVERIFY(pointers.count("/paths/~1a~1{id}/post/operationId"));
        QVERIFY(pointers.count("/paths/b"));
        QVERIFY(pointers.count("/paths/~1c/get/responses/200/$ref"));
        QVERIFY(def.error().message.find("(and") != std::string::npos);

        auto old = definitionFromOpenApi({{"swagger", "1.2"}, {"paths", json::object()}});
        QVERIFY(!old.ok());
        QCOMPARE_JSON(old.error().details[0]["instancePath"], json("/swagger"));
    }

    void recursiveSchemasStayFinite()
    {
        const json doc = json::parse(
            test::readFile(test::sourcePath(QStringLiteral("tests/data/adapters/recursive.json"))));
        auto def = definitionFromOpenApi(doc);
        QVERIFY(def.ok());
        QCOMPARE_JSON(
            (*findMethod(*def, "tree"))["outputSchema"]["properties"]["children"]["items"],
            json::object());
    }

    void propertiesGetDefaultsAndPointedErrors()
    {
        auto ok = normalizeProperties({{"host", "10.0.0.1"}});
        QVERIFY(ok.ok());
        QCOMPARE_JSON((*ok)["port"], json(443));
        QCOMPARE_JSON((*ok)["request"]["attempt_timeout"], json(5000));
        QCOMPARE_JSON((*ok)["authentication"]["auth_method"], json("no_authentication"));
        QCOMPARE_JSON((*ok)["ssl"]["accept_invalid_cert"], json(false));

        auto bad = normalizeProperties(
            {{"host", "h"}, {"port", 70000}, {"authentication", {{"auth_method", "magic"}}}});
        QVERIFY(!bad.ok());
        std::set<std::string> pointers;
        for (const auto &d : bad.error().details)
            pointers.insert(d["instancePath"].get<std::string>());
        QVERIFY(pointers.count("/port"));
        QVERIFY(pointers.count("/authentication/auth_method"));

        auto noHost = normalizeProperties(json::object());
        QVERIFY(!noHost.ok());
        auto needsPath = normalizeProperties(
            {{"host", "h"}, {"authentication", {{"auth_method", "request_token"}}}});
        QVERIFY(!needsPath.ok());
        QCOMPARE_JSON(needsPath.error().details[0]["instancePath"],
                      json("/authentication/token_URI_path"));
    }

    void secretsAreMasked()
    {
        const json props = {
            {"host", "h"},
            {"authentication", {{"username", "ops"}, {"password", "pw"}, {"token", ""}}},
            {"proxy", {{"password", "pp"}}}};
        const json masked = maskSecrets(props);
        QCOMPARE_JSON(masked["authentication"]["password"], json("********"));
        QCOMPARE_JSON(masked["authentication"]["username"], json("ops"));
        QCOMPARE_JSON(masked["authentication"]["token"], json("")); // nothing to hide
        QCOMPARE_JSON(masked["proxy"]["password"], json("********"));
        QVERIFY(masked.dump().find("pw") == std::string::npos);
    }
};

QTEST_GUILESS_MAIN(TestAdapterDefinition)
#include "TestAdapterDefinition.moc"
