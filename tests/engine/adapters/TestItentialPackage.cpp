// SPDX-License-Identifier: GPL-3.0-or-later
// Itential adapter packages run natively: the fixture package tests/data/adapters/itential/itsm
// (written for these tests in the shape Itential's adapter builder generates) is loaded, its
// methods bound through adapter.js (custom code reported, not guessed), and called against a
// real HTTP server on 127.0.0.1 that records each request: exact method, path, query, headers
// and body; answers unwrapped and translated back; XML and form datatypes; stub mode from the
// mock data files; request_token with re-login; AWS Signature Version 4 against AWS's
// published test vectors.
#include "AdapterServer.h"
#include "AwaitOutcome.h"
#include "engine/adapters/AdapterCatalog.h"
#include "engine/adapters/AdapterRunner.h"
#include "engine/adapters/AwsSignature.h"
#include "engine/adapters/EntityTranslator.h"
#include "engine/adapters/ItentialPackage.h"
#include "engine/adapters/XmlToJson.h"
#include "engine/store/SqliteStore.h"
#include "tests/support/JsonAsserts.h"
#include "tests/support/TestPaths.h"

#include <QEventLoop>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using namespace flowdeck;
using namespace flowdeck::adapters;
using nlohmann::json;
using namespace Qt::StringLiterals;

class TestItentialPackage : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<test::AdapterServer> m_server;
    std::unique_ptr<store::SqliteStore> m_store;
    std::unique_ptr<AdapterCatalog> m_catalog;
    std::unique_ptr<AdapterRunner> m_runner;
    json m_files;
    int m_instances = 0;

    static std::string fixture()
    {
        return test::sourcePath(QStringLiteral("tests/data/adapters/itential/itsm")).toStdString();
    }

    std::string add(json properties)
    {
        json props = {{"host", "127.0.0.1"}, {"port", m_server->port()},
                      {"protocol", "http"},  {"base_path", "/itsm"},
                      {"version", "v2"},     {"request", {{"number_retries", 0}}}};
        props.merge_patch(properties);
        const std::string name = "itsm-" + std::to_string(++m_instances);
        auto created = m_catalog->create(name, "", {{"itentialPackage", m_files}}, props, "tester");
        if (!created)
            qWarning("%s", created.error().message.c_str());
        return created ? name : std::string();
    }

    AdapterOutcome call(const std::string &name, const std::string &method, json input = {})
    {
        return test::awaitOutcome([&](auto done) {
            m_runner->call(name, method, input.is_null() ? json::object() : input, done);
        });
    }

    /// The last request the server recorded.
    json last() const
    {
        const json log = m_server->log();
        return log.empty() ? json() : log.back();
    }

    static std::string icode(const AdapterOutcome &o) { return o.body.value("icode", ""); }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_server = std::make_unique<test::AdapterServer>(false);
        QVERIFY2(m_server->port() > 0, qPrintable(m_server->error()));
        const std::string path = m_dir.filePath(QStringLiteral("adapters.db")).toStdString();
        auto s = store::SqliteStore::open(path);
        QVERIFY(s.ok());
        m_store = std::move(*s);
        auto box = access::SecretBox::forStore(path);
        QVERIFY(box.ok());
        m_catalog = std::make_unique<AdapterCatalog>(*m_store, std::move(*box));
        m_runner = std::make_unique<AdapterRunner>(*m_catalog);
        auto files = readItentialPackage(fixture());
        QVERIFY2(files.ok(), files.ok() ? "" : files.error().message.c_str());
        m_files = std::move(*files);
    }
    void cleanupTestCase()
    {
        m_runner.reset();
        m_catalog.reset();
        m_store.reset();
    }

    void loadsThePackageAndReportsCustomCode()
    {
        auto def = definitionFromItentialPackage(m_files);
        QVERIFY2(def.ok(), def.ok() ? "" : def.error().message.c_str());
        QCOMPARE_JSON((*def)["app"], json("Itsm"));
        QCOMPARE_JSON((*def)["version"], json("1.4.2"));
        QCOMPARE_JSON((*def)["source"], json("itential @flowdeck-fixtures/adapter-itsm"));
        std::vector<std::string> names;
        for (const auto &m : (*def)["methods"])
            names.push_back(m["name"]);
        for (const char *expected :
             {"genericAdapterRequest", "getChange", "createChange", "updateChange", "listChanges",
              "getDevices", "addNote", "getChangeTraced", "healthCheck"})
            QVERIFY2(std::find(names.begin(), names.end(), expected) != names.end(), expected);
        // Custom code is reported by name with the reason, never bound by guesswork.
        json unbound = json::object();
        for (const auto &u : (*def)["unbound"])
            unbound[u["name"].get<std::string>()] = u["reason"];
        QVERIFY(unbound.contains("summarizeChange"));
        QVERIFY(unbound["summarizeChange"].get<std::string>().find("custom code") !=
                std::string::npos);
        QVERIFY(unbound.contains("iapGetAdapterQueue"));
        const json *get = nullptr;
        for (const auto &m : (*def)["methods"])
            if (m["name"] == "getChange")
                get = &m;
        QVERIFY(get);
        QCOMPARE_JSON((*get)["binding"]["pathVars"], json::array({"changeId"}));
        QCOMPARE_JSON((*get)["binding"]["query"], json::parse(R"([["fields","fields"]])"));
        QCOMPARE_JSON((*get)["binding"]["required"], json::array({"changeId"}));
        QCOMPARE_JSON((*get)["verb"], json("GET"));
        QCOMPARE_JSON((*get)["inputSchema"]["required"], json::array({"changeId"}));
    }

    void refusesABrokenPackageWithPointers()
    {
        QVERIFY(!readItentialPackage(m_dir.filePath(QStringLiteral("nowhere")).toStdString()).ok());
        json files = m_files;
        files.erase("pronghorn.json");
        auto missing = definitionFromItentialPackage(files);
        QVERIFY(!missing.ok());
        QVERIFY(missing.error().message.find("pronghorn.json") != std::string::npos);

        files = m_files;
        files["entities/Change/action.json"]["actions"][1].erase("entitypath");
        files["entities/Note/action.json"]["actions"][0]["requestSchema"] = "nothere.json";
        auto broken = definitionFromItentialPackage(files);
        QVERIFY(!broken.ok());
        const std::string all = broken.error().details.dump();
        QVERIFY2(all.find("entities/Change/action.json/actions/1") != std::string::npos,
                 all.c_str());
        QVERIFY2(all.find("entities/Note/nothere.json") != std::string::npos, all.c_str());
    }

    void translatesFieldNamesBothWays()
    {
        const json schema = m_files["entities/Change/schema.json"];
        auto out = toExternal({{"shortDescription", "Swap"},
                               {"assignmentGroup", "Network"},
                               {"internalOnly", "x"},
                               {"priority", 2}},
                              schema, "createChange");
        QVERIFY2(out.ok(), out.ok() ? "" : out.error().message.c_str());
        QCOMPARE_JSON(*out, json::parse(R"({"short_description": "Swap",
            "assignment_group": {"name": "Network"}, "priority": 2})"));
        auto back = fromExternal(*out, schema);
        QVERIFY(back.ok());
        // As adapter-utils does, a dynamic field is "known" only by the last part of an
        // external name, so the nested assignment_group also comes back under its own name.
        QCOMPARE_JSON(*back, json::parse(R"({"shortDescription": "Swap",
            "assignmentGroup": "Network", "assignment_group": {"name": "Network"},
            "priority": 2})"));
        // The action must be one ph_request_type names.
        auto refused = toExternal(json::object(), schema, "deleteEverything");
        QVERIFY(!refused.ok());
        QVERIFY(refused.error().message.find("Schema validation failed") != std::string::npos);
    }

    void convertsXmlAsItentialAdaptersDo()
    {
        auto j =
            xmlToJson(R"(<devices site="dc1"><device name="a">10.0.0.1</device>)"
                      R"(<device name="b">10.0.0.2</device><empty/><note>hi</note></devices>)");
        QVERIFY(j.ok());
        std::string deep;
        for (int i = 0; i < 100000; ++i)
            deep += "<a>";
        auto hostile = xmlToJson(deep);
        QVERIFY(!hostile.ok());
        QVERIFY2(hostile.error().message.find("nests deeper") != std::string::npos,
                 hostile.error().message.c_str());
        QCOMPARE_JSON(*j, json::parse(R"({"devices": {"_attr": {"site": "dc1"},
            "device": [{"_": "10.0.0.1", "_attr": {"name": "a"}}, {"_": "10.0.0.2", "_attr": {"name": "b"}}],
            "empty": "", "note": "hi"}})"));
        QVERIFY(!xmlToJson("<a><b></a>").ok());
    }

    void signsAsAwsPublishedVectorsSay()
    {
        // AWS Signature Version 4 test suite: get-vanilla and get-vanilla-query-order-key-case.
        const AwsCredentials creds{"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "",
                                   "us-east-1", "service"};
        auto headers = awsSignatureHeaders(creds, "GET",
                                           QUrl(QStringLiteral("https://example.amazonaws.com/")),
                                           {}, {}, "20150830T123600Z");
        QByteArray authorization;
        for (const auto &[name, value] : headers)
            if (name == "Authorization")
                authorization = value;
        QCOMPARE(authorization,
                 QByteArray("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/"
                            "aws4_request, SignedHeaders=host;x-amz-date, Signature="
                            "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"));
        headers = awsSignatureHeaders(
            creds, "GET",
            QUrl(QStringLiteral("https://example.amazonaws.com/?Param2=value2&Param1=value1")), {},
            {}, "20150830T123600Z");
        for (const auto &[name, value] : headers)
            if (name == "Authorization")
                authorization = value;
        QVERIFY2(authorization.endsWith(
                     "Signature=b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500"),
                 authorization.constData());
    }

    void callsBuildTheRequestsThePackageWould()
    {
        const auto name = add(json::object());
        QVERIFY(!name.empty());

        auto got = call(name, "getChange", {{"changeId", "CHG 7/1"}, {"fields", "number,state"}});
        QVERIFY2(got.ok, got.message().c_str());
        json r = last();
        QCOMPARE_JSON(r["method"], json("GET"));
        QCOMPARE_JSON(r["raw"], json("/itsm/v2/changes/CHG%207%2F1?fields=number%2Cstate"));
        QCOMPARE_JSON(r["headers"]["accept"], json("application/json"));
        // unwrapped by the action's key ("result") and translated to the internal names
        QCOMPARE_JSON(got.body["response"]["changeNumber"], json("CHG 7/1"));
        QCOMPARE_JSON(got.body["response"]["shortDescription"], json("Replace core switch"));
        QCOMPARE_JSON(got.body["response"]["state"], json("scheduled")); // dynamic field
        QCOMPARE_JSON(got.body["icode"], json("AD.200"));

        auto created = call(name, "createChange",
                            {{"body",
                              {{"shortDescription", "Swap"},
                               {"assignmentGroup", "Network"},
                               {"internalOnly", "x"}}}});
        QVERIFY2(created.ok, created.message().c_str());
        r = last();
        QCOMPARE_JSON(r["method"], json("POST"));
        QCOMPARE_JSON(r["raw"], json("/itsm/v2/changes"));
        QCOMPARE_JSON(json::parse(r["body"].get<std::string>()),
                      json::parse(R"({"assignment_group": {"name": "Network"},
                                      "short_description": "Swap"})"));
        QCOMPARE_JSON(r["headers"]["content-type"], json("application/json"));
        QCOMPARE_JSON(created.body["response"]["changeNumber"], json("CHG0040001"));
        QCOMPARE_JSON(created.body["response"]["assignmentGroup"], json("Network"));

        // Called without returnData: "success", as the package answers.
        auto updated =
            call(name, "updateChange", {{"changeId", "CHG1"}, {"body", {{"state", "closed"}}}});
        QVERIFY2(updated.ok, updated.message().c_str());
        QCOMPARE_JSON(updated.body["response"], json("success"));
        QCOMPARE_JSON(last()["method"], json("PATCH"));

        // Query inputs translated (limit → sysparm_limit); a GET sends no body.
        auto listed = call(name, "listChanges", {{"state", "new"}, {"limit", 5}});
        QVERIFY2(listed.ok, listed.message().c_str());
        r = last();
        QCOMPARE_JSON(r["raw"], json("/itsm/v2/changes?state=new&sysparm_limit=5"));
        QCOMPARE_JSON(r["body"], json(""));
        QCOMPARE_JSON(listed.body["response"][1]["changeNumber"], json("CHG2"));

        auto devices = call(name, "getDevices", {{"site", "dc1"}});
        QVERIFY2(devices.ok, devices.message().c_str());
        QCOMPARE_JSON(last()["headers"]["accept"], json("application/xml"));
        QCOMPARE_JSON(devices.body["response"]["devices"]["_attr"]["site"], json("dc1"));
        QCOMPARE_JSON(devices.body["response"]["devices"]["device"][1]["_attr"]["role"],
                      json("access"));

        auto noted = call(name, "addNote", {{"changeId", "CHG1"}, {"note", "Checked by ops & co"}});
        QVERIFY2(noted.ok, noted.message().c_str());
        r = last();
        QCOMPARE_JSON(r["body"], json("work_note=Checked%20by%20ops%20%26%20co"));
        QCOMPARE_JSON(r["headers"]["content-type"], json("application/x-www-form-urlencoded"));

        auto traced = call(name, "getChangeTraced", {{"changeId", "CHG1"}, {"traceId", "t-42"}});
        QVERIFY2(traced.ok, traced.message().c_str());
        r = last();
        QCOMPARE_JSON(r["headers"]["x-trace-id"], json("t-42"));
        QCOMPARE_JSON(r["headers"]["x-source"], json("flowdeck-fixture"));

        auto generic = call(name, "genericAdapterRequest",
                            {{"uriPath", "/changes/CHG9"}, {"restMethod", "GET"}});
        QVERIFY2(generic.ok, generic.message().c_str());
        QCOMPARE_JSON(last()["raw"], json("/itsm/v2/changes/CHG9"));
    }

    void errorsAreAdapterUtilsErrorObjects()
    {
        const auto name = add(json::object());
        const auto before = m_server->log().size();
        auto missing = call(name, "getChange", json::object());
        QVERIFY(!missing.ok);
        QCOMPARE(icode(missing), std::string("AD.300"));
        QCOMPARE(missing.message(), std::string("changeId is required"));
        QCOMPARE(m_server->log().size(), before); // nothing sent

        auto absent = call(name, "getChange", {{"changeId", "CHG0404"}});
        QVERIFY(!absent.ok);
        QCOMPARE(icode(absent), std::string("AD.500"));
        QCOMPARE_JSON(absent.body["IAPerror"]["code"], json(404));

        // An action's own timeout (getDevices: 400 ms) replaces request.attempt_timeout.
        const auto patient =
            add({{"request", {{"attempt_timeout", 20000}, {"number_retries", 0}}}});
        auto slow = call(patient, "getDevices", {{"site", "slow"}});
        QVERIFY(!slow.ok);
        QCOMPARE(icode(slow), std::string("AD.504"));
        QVERIFY2(slow.message().find("400 ms (the action's timeout)") != std::string::npos,
                 slow.message().c_str());

        auto custom = call(name, "summarizeChange", {{"changeId", "CHG1"}});
        QVERIFY(!custom.ok);
        QVERIFY2(custom.message().find("custom code") != std::string::npos,
                 custom.message().c_str());
    }

    /// Test Connection of a package instance sends the package's own health check (the .system
    /// entity's healthcheck action), unless the properties name a method or a path.
    void healthCheckIsThePackagesOwn()
    {
        const auto name = add(json::object());
        const AdapterOutcome outcome =
            test::awaitOutcome([&](auto done) { m_runner->test(name, done); });
        QVERIFY2(outcome.ok, outcome.message().c_str());
        QCOMPARE_JSON(last()["raw"], json("/itsm/v2/health"));
        QCOMPARE_JSON(m_runner->health()[name]["state"], json("ONLINE"));
    }

    void stubModeAnswersFromTheMockDataAndSendsNothing()
    {
        const auto name = add({{"stub", true}});
        const auto before = m_server->log().size();
        auto got = call(name, "getChange", {{"changeId", "CHG1"}});
        QVERIFY2(got.ok, got.message().c_str());
        QCOMPARE_JSON(got.body["response"]["changeNumber"], json("CHG0031877"));
        // A response object whose type is the path variable's value wins over the default.
        auto missing = call(name, "getChange", {{"changeId", "CHG0404"}});
        QVERIFY(missing.ok);
        QCOMPARE_JSON(missing.body["response"]["error"]["message"], json("No Record found"));
        auto devices = call(name, "getDevices", {{"site", "x"}});
        QVERIFY2(devices.ok, devices.message().c_str());
        QCOMPARE_JSON(devices.body["response"]["devices"]["device"]["_"], json("10.0.0.1"));
        auto noMock = call(name, "listChanges", json::object());
        QVERIFY(!noMock.ok);
        QVERIFY(noMock.message().find("mock") != std::string::npos);
        QCOMPARE(m_server->log().size(), before);
    }

    /// The other authentication methods of adapter-utils, through the package: the server
    /// refuses each path prefix without its credential (a wrong one is refused: AD.500, 401).
    void authenticatesAsThePropertiesSay_data()
    {
        QTest::addColumn<QString>("prefix");
        QTest::addColumn<QString>("authentication");
        QTest::newRow("basic user_password")
            << u"/basic"_s
            << uR"({"auth_method": "basic user_password", "username": "ops", "password": "s3cret"})"_s;
        QTest::newRow("static_token")
            << u"/static"_s << uR"({"auth_method": "static_token", "token": "key-123",
                    "auth_field": "header.headers.X-Api-Key", "auth_field_format": "{token}"})"_s;
        QTest::newRow("client_credentials")
            << u"/bearer"_s
            << uR"({"auth_method": "client_credentials", "client_id": "app", "client_secret": "shh",
                    "token_URI_path": "/oauth/token"})"_s;
    }

    void authenticatesAsThePropertiesSay()
    {
        QFETCH(QString, prefix);
        QFETCH(QString, authentication);
        json auth = json::parse(authentication.toStdString());
        const auto name =
            add({{"base_path", prefix.toStdString() + "/itsm"}, {"authentication", auth}});
        auto got = call(name, "getChange", {{"changeId", "CHG7"}});
        QVERIFY2(got.ok, got.message().c_str());
        QCOMPARE_JSON(got.body["response"]["changeNumber"], json("CHG7"));

        for (const char *secret : {"password", "token", "client_secret"})
            if (auth.contains(secret))
                auth[secret] = "wrong";
        const auto refused =
            add({{"base_path", prefix.toStdString() + "/itsm"}, {"authentication", auth}});
        auto denied = call(refused, "getChange", {{"changeId", "CHG7"}});
        QVERIFY(!denied.ok);
        QVERIFY2(icode(denied) == "AD.500" || icode(denied) == "AD.506", icode(denied).c_str());
    }

    void requestTokenLogsInAgainWhenRefused()
    {
        const auto name = add({{"base_path", "/session/itsm"},
                               {"authentication",
                                {{"auth_method", "request_token"},
                                 {"username", "ops"},
                                 {"password", "s3cret"},
                                 {"token_URI_path", "/login"},
                                 {"token_user_field", "user"},
                                 {"token_password_field", "pass"},
                                 {"token_result_field", "data.session"},
                                 {"auth_field", "header.headers.X-Session"}}}});
        auto first = call(name, "getChange", {{"changeId", "CHG1"}});
        QVERIFY2(first.ok, first.message().c_str());
        m_server->get(QStringLiteral("/_expire"));
        auto second = call(name, "getChange", {{"changeId", "CHG2"}});
        QVERIFY2(second.ok, second.message().c_str());
        QCOMPARE(m_server->requestsTo("/login").size(), std::size_t(2));
        QCOMPARE_JSON(second.body["response"]["changeNumber"], json("CHG2"));
    }

    void awsAuthenticationSignsEveryRequest()
    {
        const auto name = add({{"region", "eu-west-1"},
                               {"service", "ec2"},
                               {"authentication",
                                {{"auth_method", "aws_authentication"},
                                 {"aws_access_key", "AKIDFLOWDECK"},
                                 {"aws_secret_key", "not-a-real-secret"}}}});
        QVERIFY(!name.empty());
        auto got = call(name, "getChange", {{"changeId", "CHG1"}});
        QVERIFY2(got.ok, got.message().c_str());
        const json h = last()["headers"];
        const std::string auth = h.value("authorization", std::string());
        QVERIFY2(auth.rfind("AWS4-HMAC-SHA256 Credential=AKIDFLOWDECK/", 0) == 0, auth.c_str());
        QVERIFY(auth.find("/eu-west-1/ec2/aws4_request") != std::string::npos);
        QVERIFY(h.contains("x-amz-date"));
        // The secret is sealed in the store and masked in every answer.
        auto shown = m_catalog->get(name);
        QVERIFY(shown.ok());
        QVERIFY(shown->dump().find("not-a-real-secret") == std::string::npos);
    }
};

QTEST_GUILESS_MAIN(TestItentialPackage)
#include "TestItentialPackage.moc"
