// SPDX-License-Identifier: GPL-3.0-or-later
// Adapter calls against a real HTTP server on 127.0.0.1: every authentication method, token
// re-request on 401, retries with backoff, timeouts, redirects, the size limit, answers that
// are not JSON, unreachable hosts, TLS with a self-signed certificate; and the instances'
// secrets sealed in the store and masked in every answer.
#include "AdapterServer.h"
#include "AwaitOutcome.h"
#include "engine/adapters/AdapterCatalog.h"
#include "engine/adapters/AdapterClient.h"
#include "engine/adapters/AdapterRunner.h"
#include "engine/adapters/DocumentText.h"
#include "engine/store/SqliteStore.h"
#include "tests/support/TestPaths.h"

#include "tests/support/JsonAsserts.h"
#include <QElapsedTimer>
#include <QEventLoop>
#include <QTcpServer>
#include <QTemporaryDir>

#include <QTest>
#include <QTimer>

#include <mutex>
#include <set>
#include <vector>

using namespace flowdeck;
using namespace flowdeck::adapters;
using nlohmann::json;

class TestAdapterCalls : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<test::AdapterServer> m_server;
    std::unique_ptr<test::AdapterServer> m_tlsServer;
    std::unique_ptr<store::SqliteStore> m_store;
    std::unique_ptr<AdapterCatalog> m_catalog;
    std::unique_ptr<AdapterRunner> m_runner;
    json m_openapi;
    int m_instances = 0;

    /// A new instance of the pet store with these properties over {host, port, protocol}.
    std::string add(json properties, bool tls = false)
    {
        json props = {{"host", "127.0.0.1"},
                      {"port", tls ? m_tlsServer->port() : m_server->port()},
                      {"protocol", tls ? "https" : "http"},
                      {"request", {{"number_retries", 0}, {"retry_backoff", 50}}}};
        props.merge_patch(properties);
        const std::string name = "pets-" + std::to_string(++m_instances);
        auto created = m_catalog->create(name, "Petstore", m_openapi, props, "tester");
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

    static std::string icode(const AdapterOutcome &o) { return o.body.value("icode", ""); }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_server = std::make_unique<test::AdapterServer>(false);
        QVERIFY2(m_server->port() > 0, qPrintable(m_server->error()));
        m_tlsServer = std::make_unique<test::AdapterServer>(true);
        QVERIFY2(m_tlsServer->port() > 0, qPrintable(m_tlsServer->error()));
        const std::string path = m_dir.filePath(QStringLiteral("adapters.db")).toStdString();
        auto s = store::SqliteStore::open(path);
        QVERIFY(s.ok());
        m_store = std::move(*s);
        auto box = access::SecretBox::forStore(path);
        QVERIFY(box.ok());
        m_catalog = std::make_unique<AdapterCatalog>(*m_store, std::move(*box));
        m_runner = std::make_unique<AdapterRunner>(*m_catalog);
        const QByteArray text =
            test::readFile(test::sourcePath(QStringLiteral("tests/data/adapters/petstore.yaml")));
        auto doc = parseDocumentText(text.toStdString());
        QVERIFY(doc.ok());
        m_openapi = *doc;
    }
    void cleanupTestCase()
    {
        m_runner.reset();
        m_catalog.reset();
        m_store.reset();
    }

    void noAuthenticationPathQueryAndResultShape()
    {
        const auto name = add(json::object());
        auto o = call(name, "getPetById", {{"petId", "7 a/b"}, {"kind", "cat"}});
        QVERIFY2(o.ok, o.message().c_str());
        QCOMPARE(icode(o), std::string("AD.200"));
        QCOMPARE_JSON(o.body["response"]["id"], json("7 a/b")); // encoded on the way, whole again
        QCOMPARE_JSON(o.body["response"]["kind"], json("cat"));
        QCOMPARE_JSON(o.body["headers"]["content-type"], json("application/json"));
        QCOMPARE_JSON(o.body["metrics"]["code"], json(200));
        QCOMPARE_JSON(o.body["metrics"]["retries"], json(0));

        auto created = call(name, "createPet", {{"body", {{"name", "Tom"}}}});
        QVERIFY2(created.ok, created.message().c_str());
        QCOMPARE_JSON(created.body["response"]["id"], json("p-1"));
        QCOMPARE_JSON(created.body["response"]["name"], json("Tom"));
        // An empty answer is "success", as Itential's adapters say.
        auto deleted = call(name, "deletePet", {{"petId", "1"}});
        QVERIFY(deleted.ok);
        QCOMPARE_JSON(deleted.body["response"], json("success"));
    }

    void aMissingInputSendsNothing()
    {
        const auto name = add(json::object());
        const auto before = m_server->log().size();
        auto o = call(name, "getPetById", json::object());
        QVERIFY(!o.ok);
        QCOMPARE(icode(o), std::string("AD.301"));
        QVERIFY(o.message().find("petId") != std::string::npos);
        QCOMPARE(m_server->log().size(), before);
        auto unknown = call(name, "noSuchMethod", json::object());
        QCOMPARE(icode(unknown), std::string("AD.310"));
    }

    void basicUserPassword()
    {
        const auto good = add({{"base_path", "/basic"},
                               {"authentication",
                                {{"auth_method", "basic user_password"},
                                 {"username", "ops"},
                                 {"password", "s3cret"}}}});
        auto o = call(good, "getPetById", {{"petId", "1"}});
        QVERIFY2(o.ok, o.message().c_str());
        const auto bad = add({{"base_path", "/basic"},
                              {"authentication",
                               {{"auth_method", "basic user_password"},
                                {"username", "ops"},
                                {"password", "wrong"}}}});
        auto refused = call(bad, "getPetById", {{"petId", "1"}});
        QVERIFY(!refused.ok);
        QCOMPARE(icode(refused), std::string("AD.500"));
        QCOMPARE_JSON(refused.body["IAPerror"]["code"], json(401));
        QCOMPARE_JSON(refused.body["IAPerror"]["raw_response"]["response"]["error"],
                      json("unauthorized"));
        QVERIFY(refused.message().find("credentials") != std::string::npos);
    }

    void staticToken()
    {
        const auto name = add({{"base_path", "/static"},
                               {"authentication",
                                {{"auth_method", "static_token"},
                                 {"token", "key-123"},
                                 {"auth_field", "header.headers.X-Api-Key"},
                                 {"auth_field_format", "{token}"}}}});
        auto o = call(name, "listPets");
        QVERIFY2(o.ok, o.message().c_str());
        QCOMPARE(o.body["response"].size(), std::size_t(2));
    }

    void requestedTokenIsCachedAndRequestedAgainOn401()
    {
        const auto name = add({{"base_path", "/session"},
                               {"authentication",
                                {{"auth_method", "request_token"},
                                 {"username", "ops"},
                                 {"password", "s3cret"},
                                 {"token_URI_path", "/login"},
                                 {"token_user_field", "user"},
                                 {"token_password_field", "pass"},
                                 {"token_result_field", "data.session"},
                                 {"auth_field", "header.headers.X-Session"}}}});
        const auto logins = m_server->requestsTo("/login").size();
        QVERIFY(call(name, "getPetById", {{"petId", "1"}}).ok);
        QVERIFY(call(name, "getPetById", {{"petId", "2"}}).ok);
        QCOMPARE(m_server->requestsTo("/login").size(), logins + 1); // cached
        // The login went to the host, not under base_path, with the named fields.
        const json login = m_server->requestsTo("/login").back();
        QCOMPARE_JSON(json::parse(login["body"].get<std::string>())["user"], json("ops"));

        m_server->get(QStringLiteral("/_expire")); // every session ends
        auto again = call(name, "getPetById", {{"petId", "3"}});
        QVERIFY2(again.ok, again.message().c_str());
        QCOMPARE(m_server->requestsTo("/login").size(), logins + 2);

        const auto wrong = add({{"base_path", "/session"},
                                {"authentication",
                                 {{"auth_method", "request_token"},
                                  {"username", "ops"},
                                  {"password", "nope"},
                                  {"token_URI_path", "/login"},
                                  {"token_user_field", "user"},
                                  {"token_password_field", "pass"}}}});
        auto refused = call(wrong, "getPetById", {{"petId", "1"}});
        QCOMPARE(icode(refused), std::string("AD.506"));
    }

    void oauthClientCredentials()
    {
        const auto name = add({{"base_path", "/bearer"},
                               {"authentication",
                                {{"auth_method", "client_credentials"},
                                 {"client_id", "app"},
                                 {"client_secret", "shh"},
                                 {"token_URI_path", "/oauth/token"}}}});
        auto o = call(name, "getPetById", {{"petId", "9"}});
        QVERIFY2(o.ok, o.message().c_str());
        const json last = m_server->requestsTo("/bearer/pets/9").back();
        QVERIFY(last["headers"]["authorization"].get<std::string>().rfind("Bearer oauth-", 0) == 0);
    }

    void retriesBackOffWithJitter()
    {
        const auto name = add({{"request",
                                {{"number_retries", 3},
                                 {"limit_retry_error", json::array({503})},
                                 {"retry_backoff", 100}}}});
        auto o = call(name, "flaky", {{"key", "backoff"}, {"fail", 2}});
        QVERIFY2(o.ok, o.message().c_str());
        QCOMPARE_JSON(o.body["metrics"]["retries"], json(2));
        const json tries = m_server->requestsTo("/flaky");
        QCOMPARE(tries.size(), std::size_t(3));
        const double first = tries[1]["at"].get<double>() - tries[0]["at"].get<double>();
        const double second = tries[2]["at"].get<double>() - tries[1]["at"].get<double>();
        // 100 ms then 200 ms, each scaled by a factor in [0.5, 1.5).
        QVERIFY2(first >= 0.045 && first < 0.5, qPrintable(QString::number(first)));
        QVERIFY2(second >= 0.095 && second < 0.8, qPrintable(QString::number(second)));

        auto exhausted = call(name, "flaky", {{"key", "exhausted"}, {"fail", 10}});
        QVERIFY(!exhausted.ok);
        QCOMPARE(icode(exhausted), std::string("AD.500"));
        QVERIFY2(exhausted.message().find("(4 attempts)") != std::string::npos,
                 exhausted.message().c_str());
        // A status not named in limit_retry_error is not retried.
        const auto once = m_server->requestsTo("/pets/missing-route").size();
        Q_UNUSED(once);
    }

    void attemptTimeout()
    {
        const auto name = add({{"request", {{"attempt_timeout", 300}}}});
        QElapsedTimer clock;
        clock.start();
        auto o = call(name, "slow", {{"ms", 3000}});
        QVERIFY(!o.ok);
        QCOMPARE(icode(o), std::string("AD.504"));
        QVERIFY(o.message().find("300 ms") != std::string::npos);
        QVERIFY2(clock.elapsed() < 2500, qPrintable(QString::number(clock.elapsed())));
    }

    void redirectsUpToTheLimit()
    {
        const auto none = add(json::object());
        auto refused = call(none, "redirect", {{"n", 1}});
        QCOMPARE(icode(refused), std::string("AD.503"));
        QVERIFY(refused.message().find("/redirect?n=0") != std::string::npos);
        const auto three = add({{"request", {{"number_redirects", 3}}}});
        auto followed = call(three, "redirect", {{"n", 2}});
        QVERIFY2(followed.ok, followed.message().c_str());
        QCOMPARE_JSON(followed.body["response"]["arrived"], json(true));
        QCOMPARE_JSON(followed.body["metrics"]["redirects"], json(2));
        auto tooMany = call(three, "redirect", {{"n", 5}});
        QCOMPARE(icode(tooMany), std::string("AD.503"));
    }

    void answersAboveTheSizeLimitAreRefused()
    {
        const auto name = add({{"request", {{"response_limit", 1048576}}}});
        auto declared = call(name, "big", {{"bytes", 50 * 1024 * 1024}});
        QCOMPARE(icode(declared), std::string("AD.502"));
        // Without a Content-Length the answer is counted as it arrives.
        auto streamed = call(name, "big", {{"bytes", 50 * 1024 * 1024}, {"chunked", "1"}});
        QCOMPARE(icode(streamed), std::string("AD.502"));
        QVERIFY(streamed.message().find("1048576 bytes") != std::string::npos);
        auto small = call(name, "big", {{"bytes", 1000}});
        QVERIFY(small.ok);
    }

    void anAnswerThatIsNotJson()
    {
        const auto name = add(json::object());
        auto o = call(name, "html");
        QCOMPARE(icode(o), std::string("AD.505"));
        QVERIFY(o.message().find("not JSON") != std::string::npos);
    }

    void anUnreachableHost()
    {
        QTcpServer closed;
        QVERIFY(closed.listen(QHostAddress::LocalHost));
        const int port = closed.serverPort();
        closed.close();
        const auto name = add({{"port", port}, {"request", {{"number_retries", 1}}}});
        auto o = call(name, "listPets");
        QCOMPARE(icode(o), std::string("AD.501"));
        QVERIFY(o.message().find("Could not reach") != std::string::npos);
        QVERIFY(o.message().find("(2 attempts)") != std::string::npos);
    }

    void tlsWithASelfSignedCertificate()
    {
        const auto strict = add(json::object(), true);
        auto refused = call(strict, "listPets");
        QCOMPARE(icode(refused), std::string("AD.501"));
        QVERIFY2(refused.message().find("TLS") != std::string::npos, refused.message().c_str());
        const auto lenient =
            add({{"ssl", {{"enabled", true}, {"accept_invalid_cert", true}}}}, true);
        auto accepted = call(lenient, "listPets");
        QVERIFY2(accepted.ok, accepted.message().c_str());
        const auto pinned =
            add({{"ssl",
                  {{"enabled", true},
                   {"ca_file", test::AdapterServer::certificatePath().toStdString()}}}},
                true);
        auto trusted = call(pinned, "listPets");
        QVERIFY2(trusted.ok, trusted.message().c_str());
    }

    void secretsAreSealedAndMasked()
    {
        const auto name = add({{"base_path", "/basic"},
                               {"authentication",
                                {{"auth_method", "basic user_password"},
                                 {"username", "ops"},
                                 {"password", "s3cret"}}}});
        auto stored = m_store->adapterByName(name);
        QVERIFY(stored.ok());
        const std::string sealed = stored->properties["authentication"]["password"];
        QVERIFY(access::SecretBox::isSealed(sealed));
        QVERIFY(stored->properties.dump().find("s3cret") == std::string::npos);
        auto shown = m_catalog->get(name, true);
        QVERIFY(shown.ok());
        QCOMPARE_JSON((*shown)["properties"]["authentication"]["password"], json("********"));
        QVERIFY(shown->dump().find("s3cret") == std::string::npos);
        auto listed = m_catalog->list();
        QVERIFY(listed.ok());
        QVERIFY(listed->dump().find("s3cret") == std::string::npos);

        // A form sends the mask back: the stored secret stays, and calls still sign in.
        json props = (*shown)["properties"];
        props["port"] = m_server->port();
        auto saved = m_catalog->update(name, std::nullopt, std::nullopt, props, false, "tester");
        QVERIFY2(saved.ok(), saved.ok() ? "" : saved.error().message.c_str());
        QVERIFY(call(name, "getPetById", {{"petId", "1"}}).ok);
        // A changed password is sealed afresh.
        auto changed =
            m_catalog->update(name, std::nullopt, std::nullopt,
                              json{{"authentication", {{"password", "wrong"}}}}, true, "tester");
        QVERIFY(changed.ok());
        QCOMPARE_JSON(call(name, "getPetById", {{"petId", "1"}}).body["IAPerror"]["code"],
                      json(401));
        // The mask with nothing stored behind it is refused by pointer.
        auto masked = m_catalog->create(
            "no-secret", "Petstore", m_openapi,
            {{"host", "h"}, {"authentication", {{"password", "********"}}}}, "tester");
        QVERIFY(!masked.ok());
        QCOMPARE_JSON(masked.error().details[0]["instancePath"], json("/authentication/password"));
    }

    void tasksFindTheirInstance()
    {
        auto none = m_catalog->select("Servicenow", "");
        QVERIFY(!none.ok());
        QCOMPARE(none.error().message,
                 std::string("no adapter instance for app Servicenow; add one in Adapters "
                             "(flowdeck adapter add NAME --app Servicenow --openapi FILE)"));
        auto several = m_catalog->select("Petstore", "");
        QVERIFY(!several.ok());
        QVERIFY(several.error().message.find("the task must name one in adapter_id") !=
                std::string::npos);
        auto named = m_catalog->select("Petstore", "pets-1");
        QVERIFY(named.ok());
        QCOMPARE(named->record.name, std::string("pets-1"));
        QVERIFY(named->record.definition.is_null()); // the definition comes shared, parsed once
        QVERIFY(named->definition && named->definition->contains("methods"));
        auto again = m_catalog->select("Petstore", "PETS-1"); // names ignore case
        QVERIFY(again.ok());
        QCOMPARE(again->definition.get(), named->definition.get()); // from the cache
        auto otherApp = m_catalog->select("Netbox", "pets-1");
        QVERIFY(!otherApp.ok());
    }

    void importWarnsAboutTasksWithoutAnInstance()
    {
        auto task = [](const char *app, json incoming) {
            return json{{"name", "getPetById"},
                        {"app", app},
                        {"variables", {{"incoming", std::move(incoming)}}}};
        };
        const json workflow = {{"tasks",
                                {{"a", task("Servicenow", json::object())},
                                 {"b", task("Petstore", json::object())},
                                 {"c", task("Petstore", {{"adapter_id", "pets-1"}})},
                                 {"d", task("Petstore", {{"adapter_id", "nope"}})},
                                 {"e", task("Petstore", {{"adapter_id", "$var.job.adapter"}})},
                                 {"f", task("WorkFlowEngine", json::object())}}}};
        const auto warnings = AdapterCatalog::missingInstances(*m_store, workflow);
        std::map<std::string, std::string> byPointer;
        for (const auto &w : warnings)
            byPointer[w.instancePath] = w.message;
        QCOMPARE(byPointer.size(), std::size_t(3));
        QVERIFY(byPointer["/tasks/a/app"].find("no adapter instance for app Servicenow") !=
                std::string::npos);
        QVERIFY(byPointer["/tasks/b/app"].find("must name one in adapter_id") != std::string::npos);
        QVERIFY(byPointer.count("/tasks/d/variables/incoming/adapter_id"));
    }

    /// An instance allowed N calls at once gets them on the wire at once: more connections
    /// than one QNetworkAccessManager's six (the server sees more client ports).
    void concurrentMaxOpensEnoughConnections()
    {
        QCOMPARE(AdapterClient::poolSize(json::object()), AdapterClient::kDefaultManagers);
        QCOMPARE(AdapterClient::poolSize({{"throttle", {{"concurrent_max", 6}}}}), 1);
        QCOMPARE(AdapterClient::poolSize({{"throttle", {{"concurrent_max", 64}}}}), 11);
        QCOMPARE(AdapterClient::poolSize({{"throttle", {{"concurrent_max", 100000}}}}),
                 AdapterClient::kMaxManagers);

        const auto name = add({{"throttle", {{"concurrent_max", 18}}}});
        const int n = 18;
        QEventLoop loop;
        int done = 0;
        for (int i = 0; i < n; ++i)
            m_runner->call(name, "slow", {{"ms", 600}}, [&](AdapterOutcome) {
                QMetaObject::invokeMethod(&loop, [&] {
                    if (++done == n)
                        loop.quit();
                });
            });
        QTimer::singleShot(30000, &loop, &QEventLoop::quit);
        loop.exec();
        QCOMPARE(done, n);
        std::set<int> ports;
        for (const auto &r : m_server->requestsTo("/slow"))
            if (r["query"].value("ms", std::string()) == "600")
                ports.insert(r.value("client_port", 0));
        QVERIFY2(ports.size() > std::size_t(AdapterClient::kConnectionsPerManager),
                 std::to_string(ports.size()).c_str());
    }

    void healthCheck()
    {
        const auto name = add({{"healthcheck", {{"type", "startup"}, {"URI_path", "/health"}}}});
        QEventLoop loop;
        bool online = false;
        m_runner->test(name, [&](AdapterOutcome o) {
            QMetaObject::invokeMethod(&loop, [&, ok = o.ok] {
                online = ok;
                loop.quit();
            });
        });
        loop.exec();
        QVERIFY(online);
        const json health = m_runner->health()[name];
        QCOMPARE_JSON(health["state"], json("ONLINE"));
        QVERIFY(health["latency"].is_number());
    }

    void anInstanceGoingDownIsToldOnce()
    {
        std::mutex mutex;
        std::vector<std::string> down; // "<instance> <state> <error?>", as the callback saw it
        m_runner->onWentDown([&](const std::string &instance, const json &entry) {
            const std::lock_guard lock(mutex);
            down.push_back(instance + " " + entry.value("state", "") + " " +
                           (entry["error"].is_string() ? "error" : "no error"));
        });
        const json hc = {{"healthcheck", {{"type", "startup"}, {"URI_path", "/health"}}}};
        json deadProps = hc;
        deadProps["port"] = 1; // nothing listens: the connection is refused
        const auto dead = add(deadProps);
        const auto alive = add(hc);
        auto check = [&](const std::string &name) {
            QEventLoop loop;
            bool done = false;
            m_runner->test(name, [&](AdapterOutcome) {
                QMetaObject::invokeMethod(&loop, [&] {
                    done = true;
                    loop.quit();
                });
            });
            if (!done)
                loop.exec();
        };
        check(dead);
        check(dead); // still down: not news
        check(alive);
        m_runner->onWentDown({});
        const std::lock_guard lock(mutex);
        QCOMPARE(down, std::vector<std::string>{dead + " OFFLINE error"});
    }
};

QTEST_GUILESS_MAIN(TestAdapterCalls)
#include "TestAdapterCalls.moc"
