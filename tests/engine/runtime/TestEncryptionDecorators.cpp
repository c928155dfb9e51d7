// SPDX-License-Identifier: GPL-3.0-or-later
// Encryption decorators as real exports carry them: on the workflow ("/variables/<name>") and
// on a task ("/incoming/<name>", "/outgoing/<name>"). Their values are sealed in the job, its
// task runs and its event log (checked in the SQLite file itself), handed in the clear only to
// the task that consumes them, and masked in every API answer.
#include "engine/access/SecretBox.h"
#include "engine/api/EngineApi.h"
#include "engine/api/WorkflowCatalog.h"
#include "engine/runtime/Engine.h"
#include "engine/store/SqliteStore.h"
#include "tests/support/JsonAsserts.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace flowdeck;
using namespace flowdeck::runtime;
using nlohmann::json;

namespace {

const std::string kPassword = "en4ble-S3cret!";
const std::string kApiKey = "k-9f8e7d6c5b4a";

json edge(const char *state = "success")
{
    return {{"state", state}, {"type", "standard"}};
}

json task(const char *app, const char *method, json incoming, json outgoing,
          json decorators = json::array())
{
    return {{"name", method},
            {"summary", method},
            {"app", app},
            {"type", "automatic"},
            {"variables",
             {{"incoming", std::move(incoming)},
              {"outgoing", std::move(outgoing)},
              {"error", ""},
              {"decorators", std::move(decorators)}}}};
}

/// start → login (an adapter task reading the decorated enablePassword and a decorated
/// incoming apiKey, answering a decorated outgoing) → copy (newVariable of the password into a
/// second decorated variable) → end.
json deviceLogin()
{
    return {
        {"name", "Device login"},
        {"type", "automation"},
        {"decorators",
         {{{"type", "encryption"}, {"pointer", "/variables/enablePassword"}},
          {{"type", "encryption"}, {"pointer", "/variables/copy"}}}},
        {"inputSchema",
         {{"type", "object"},
          {"required", {"device", "enablePassword"}},
          {"properties",
           {{"device", {{"type", "string"}}},
            {"enablePassword", {{"type", "string"}, {"minLength", 8}}}}}}},
        {"outputSchema", {{"type", "object"}, {"properties", {{"copy", {{"type", "string"}}}}}}},
        {"tasks",
         {{"workflow_start", {{"name", "workflow_start"}, {"groups", json::array()}}},
          {"a1", task("NetAdapter", "login",
                      {{"device", "$var.job.device"},
                       {"password", "$var.job.enablePassword"},
                       {"apiKey", kApiKey}},
                      {{"session", "$var.job.session"}, {"secondFactor", "$var.job.otp"}},
                      {{{"type", "encryption"}, {"pointer", "/incoming/apiKey"}},
                       {{"type", "encryption"}, {"pointer", "/outgoing/secondFactor"}}})},
          {"b2", task("WorkFlowEngine", "newVariable",
                      {{"name", "copy"}, {"value", "$var.job.enablePassword"}}, json::object())},
          {"workflow_end", {{"name", "workflow_end"}, {"groups", json::array()}}}}},
        {"transitions",
         {{"workflow_start", {{"a1", edge()}}},
          {"a1", {{"b2", edge()}}},
          {"b2", {{"workflow_end", edge()}}},
          {"workflow_end", json::object()}}}};
}

SecretCodec codecOf(const access::SecretBox &box)
{
    return {[&box](std::string_view plain) { return box.seal(plain); },
            [&box](std::string_view sealed) { return box.open(sealed); },
            [](std::string_view text) { return access::SecretBox::isSealed(text); }};
}

} // namespace

class TestEncryptionDecorators : public QObject
{
    Q_OBJECT
    QTemporaryDir m_dir;
    std::string m_path;
    std::unique_ptr<store::SqliteStore> m_store;
    std::unique_ptr<access::SecretBox> m_box;
    std::unique_ptr<Engine> m_engine;
    json m_seen; ///< what the adapter task was handed

    void openEngine()
    {
        m_engine = std::make_unique<Engine>(*m_store);
        m_engine->setSecrets(codecOf(*m_box));
        m_engine->registerTaskHandler("NetAdapter", "login", [this](const tasks::MethodContext &c) {
            m_seen = c.incoming;
            tasks::MethodResult r;
            r.outgoing = {{"session", "s-1"}, {"secondFactor", "424242"}};
            return r;
        });
    }

    json start()
    {
        StartJobOptions o;
        o.workflow = "Device login";
        o.variables = {{"device", "edge-rtr-07"}, {"enablePassword", kPassword}};
        o.actor = "alice";
        auto job = m_engine->startJob(o);
        if (!job)
            qWarning("start failed: %s", job.error().message.c_str());
        return job ? *job : json();
    }

private Q_SLOTS:
    void init()
    {
        m_path = m_dir
                     .filePath(QStringLiteral("secrets-%1.db")
                                   .arg(QString::fromLatin1(QTest::currentTestFunction())))
                     .toStdString();
        m_store = std::move(*store::SqliteStore::open(m_path));
        auto box = access::SecretBox::forStore(m_path);
        QVERIFY(box.ok());
        m_box = std::make_unique<access::SecretBox>(std::move(*box));
        QVERIFY(m_store->saveWorkflow(*model::Workflow::fromJson(deviceLogin()), "tester", true));
        openEngine();
    }

    void cleanup()
    {
        m_engine.reset();
        m_store.reset();
    }

    void sealedAtRestOpenedForTheTask()
    {
        const json job = start();
        QCOMPARE_JSON(job["status"], "complete");
        // The task that consumes them gets the values themselves.
        QCOMPARE_JSON(m_seen["password"], kPassword);
        QCOMPARE_JSON(m_seen["apiKey"], kApiKey);
        // In the engine's own document they are sealed, and open to what went in.
        for (const char *name : {"enablePassword", "copy"}) {
            const json &v = job["variables"][name];
            QVERIFY2(v.is_string() && access::SecretBox::isSealed(v.get<std::string>()), name);
            QCOMPARE_JSON(json::parse(*m_box->open(v.get<std::string>())), kPassword);
        }
        // A task handed a secret keeps every result sealed: it may have passed the secret on.
        for (const char *name : {"otp", "session"})
            QVERIFY2(access::SecretBox::isSealed(job["variables"][name].get<std::string>()), name);
        QCOMPARE_JSON(job["variables"]["device"], "edge-rtr-07"); // not decorated: as it came

        // The job's runs and its event log hold none of them, and the task's decorated
        // literal only sealed wherever a run records it (the workflow document itself keeps
        // what its author typed: docs/engine.md, "Secrets").
        const std::string id = job["_id"].get<std::string>();
        std::string records;
        int runsOfA1 = 0;
        for (const auto &e : *m_store->jobEvents(id, 0, 1000)) {
            records += e.data.dump();
            if (e.data.value("task", std::string()) == "a1" && e.data.contains("incoming")) {
                ++runsOfA1;
                QVERIFY(access::SecretBox::isSealed(e.data["incoming"].value("apiKey", "")));
            }
        }
        QCOMPARE(runsOfA1, 1);
        for (const auto &it : *m_store->taskIterations(id)) {
            records += it.document.dump();
            if (it.document["job"]["task"] == "a1")
                QVERIFY(access::SecretBox::isSealed(it.document["incoming"].value("apiKey", "")));
        }
        QVERIFY(records.find("edge-rtr-07") != std::string::npos);
        for (const std::string &secret : {kPassword, std::string("424242")})
            QVERIFY2(records.find(secret) == std::string::npos, secret.c_str());
        m_engine.reset();
        m_store.reset();

        // And nothing in the file (or its write-ahead log) holds the job's secrets in the clear.
        QFile file(QString::fromStdString(m_path));
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray bytes = file.readAll();
        QFile wal(QString::fromStdString(m_path + "-wal"));
        const QByteArray walBytes = wal.open(QIODevice::ReadOnly) ? wal.readAll() : QByteArray();
        for (const std::string &secret : {kPassword, std::string("424242")}) {
            QVERIFY2(!bytes.contains(QByteArray::fromStdString(secret)), secret.c_str());
            QVERIFY2(!walBytes.contains(QByteArray::fromStdString(secret)), secret.c_str());
        }
        QVERIFY(bytes.contains("edge-rtr-07") || walBytes.contains("edge-rtr-07"));
    }

    void maskedInEveryApiAnswer()
    {
        const std::string id = start()["_id"].get<std::string>();
        api::WorkflowCatalog catalog(*m_store);
        api::EngineApi api(api::EngineContext{*m_store, catalog, m_engine.get(), nullptr});
        auto call = [&](const std::string &path) {
            api::ApiRequest r;
            r.method = api::Method::Get;
            r.path = path;
            model::Principal admin;
            admin.username = "alice";
            admin.admin = true;
            r.principal = admin;
            return api.dispatch(std::move(r));
        };
        const auto job = call("/operations-manager/jobs/" + id);
        QCOMPARE(job.status, 200);
        QCOMPARE_JSON(job.json["data"]["variables"]["enablePassword"], access::SecretBox::kMask);
        QCOMPARE_JSON(job.json["data"]["output"]["copy"], access::SecretBox::kMask);
        const auto runs = call("/operations-manager/tasks/" +
                               job.json["data"]["tasks"]["a1"]["iterations"][0].get<std::string>());
        QCOMPARE(runs.status, 200);
        QCOMPARE_JSON(runs.json["data"]["incoming"]["apiKey"], access::SecretBox::kMask);
        QCOMPARE_JSON(runs.json["data"]["outgoing"]["secondFactor"], access::SecretBox::kMask);
        const auto events = call("/events");
        QCOMPARE(events.status, 200);
        for (const auto &answer : {job.json, runs.json, events.json}) {
            const std::string text = answer.dump();
            QVERIFY(text.find("fdsec:") == std::string::npos);
            QVERIFY(text.find(kPassword) == std::string::npos);
        }
    }

    // An engine without a key refuses such a workflow rather than keep its values readable;
    // a key that is not the store's cannot open them, and the task says why.
    void noKeyNoStartWrongKeyNoPlaintext()
    {
        m_engine = std::make_unique<Engine>(*m_store);
        StartJobOptions o;
        o.workflow = "Device login";
        o.variables = {{"device", "r1"}, {"enablePassword", kPassword}};
        auto refused = m_engine->startJob(o);
        QVERIFY(!refused);
        QCOMPARE(refused.error().code, ErrorCode::Unavailable);
        QVERIFY(refused.error().message.find("encryption") != std::string::npos);

        openEngine();
        auto other = access::SecretBox::forStore(":memory:");
        QVERIFY(other.ok());
        json stranger = deviceLogin();
        stranger["name"] = "Stranger";
        QVERIFY(m_store->saveWorkflow(*model::Workflow::fromJson(stranger), "tester", true));
        // A value sealed under another key, as a store copied without its key file holds.
        StartJobOptions s;
        s.workflow = "Stranger";
        s.variables = {{"device", "r1"}, {"enablePassword", other->seal(json(kPassword).dump())}};
        const auto job = m_engine->startJob(s);
        QVERIFY(!job || (*job)["status"] == "error");
        const std::string text = job ? job->dump() : job.error().message;
        QVERIFY2(text.find("decrypted") != std::string::npos, text.c_str());
        QVERIFY(text.find(kPassword) == std::string::npos);
    }
};

QTEST_GUILESS_MAIN(TestEncryptionDecorators)
#include "TestEncryptionDecorators.moc"
