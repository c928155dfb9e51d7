// SPDX-License-Identifier: GPL-3.0-or-later
// Jobs that call a real HTTP server on 127.0.0.1, no mocks: an adapter task whose result a JST
// transforms runs to complete; a failing call takes the error path with Itential's error
// object; and a process killed with SIGKILL during a call sends it again on recovery with the
// same Idempotency-Key.
#include "AdapterJobFixture.h"
#include "AdapterServer.h"

#include "engine/adapters/CallExchange.h"

#include "tests/support/JsonAsserts.h"
#include <QProcess>
#include <QTemporaryDir>

#include <QTest>

using namespace flowdeck;
using nlohmann::json;

class TestAdapterJobs : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<test::AdapterServer> m_server;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_server = std::make_unique<test::AdapterServer>(false);
        QVERIFY2(m_server->port() > 0, qPrintable(m_server->error()));
    }

    void anAdapterTaskAndATransformationRunToComplete()
    {
        const std::string path = m_dir.filePath(QStringLiteral("jobs.db")).toStdString();
        test::AdapterEngine fixture(path);
        QVERIFY(fixture.engine);
        auto &catalog = *fixture.catalog;
        auto &engine = *fixture.engine;
        auto &store = fixture.store;
        QVERIFY(
            catalog
                .create("pets", "Petstore", test::petstoreOpenApi(),
                        {{"host", "127.0.0.1"}, {"port", m_server->port()}, {"protocol", "http"}},
                        std::nullopt)
                .ok());
        QVERIFY(store->saveTransformation(test::petNameJst(), std::nullopt, false).ok());
        auto wf = model::Workflow::fromJson(test::petWorkflow(
            "pet name", "getPetById", {{"petId", "$var.job.petId"}, {"adapter_id", "pets"}}));
        QVERIFY(wf.ok());
        QVERIFY(store->saveWorkflow(*wf, std::nullopt, false).ok());

        runtime::StartJobOptions options;
        options.workflow = "pet name";
        options.variables = {{"petId", "42"}};
        auto started = engine.startJob(options);
        QVERIFY2(started.ok(), started.ok() ? "" : started.error().message.c_str());
        const std::string id = (*started)["_id"];
        QCOMPARE_JSON((*started)["tasks"]["a1"]["status"], json("running"));
        QTRY_VERIFY((*engine.jobDocument(id))["status"] == json("complete"));
        const json doc = *engine.jobDocument(id);
        QCOMPARE_JSON(doc["variables"]["petName"], json("Rex"));
        const json request = m_server->requestsTo("/pets/42").back();
        QCOMPARE_JSON(request["headers"]["idempotency-key"], json(id + ":a1:1"));

        // A call that fails ends the task on its error path, with the error object.
        auto wf2 = model::Workflow::fromJson(test::petWorkflow("pet html", "html", json::object()));
        QVERIFY(wf2.ok());
        QVERIFY(store->saveWorkflow(*wf2, std::nullopt, false).ok());
        options.workflow = "pet html";
        auto failing = engine.startJob(options);
        QVERIFY(failing.ok());
        const std::string failId = (*failing)["_id"];
        QTRY_VERIFY((*engine.jobDocument(failId))["status"] == json("error"));
        const json failed = *engine.jobDocument(failId);
        QCOMPARE_JSON(failed["tasks"]["a1"]["status"], json("error"));
        const std::string message = failed["error"][0]["message"].dump();
        QVERIFY2(message.find("AD.505") != std::string::npos, message.c_str());
    }

    /// The task iteration keeps the call's request, response and attempts for the task panel,
    /// with the credential masked: the token appears nowhere in the task document, the job
    /// document or the event log.
    void theIterationKeepsTheRedactedExchange()
    {
        const std::string path = m_dir.filePath(QStringLiteral("exchange.db")).toStdString();
        test::AdapterEngine fixture(path);
        QVERIFY(fixture.engine);
        auto &engine = *fixture.engine;
        auto &store = fixture.store;
        const json properties = test::staticTokenPetstore(m_server->port());
        QVERIFY(fixture.catalog
                    ->create("pets", "Petstore", test::petstoreOpenApi(), properties, std::nullopt)
                    .ok());
        QVERIFY(store->saveTransformation(test::petNameJst(), std::nullopt, false).ok());
        auto wf = model::Workflow::fromJson(test::petWorkflow(
            "pet exchange", "getPetById", {{"petId", "$var.job.petId"}, {"kind", "cat"}}));
        QVERIFY(wf.ok());
        QVERIFY(store->saveWorkflow(*wf, std::nullopt, false).ok());
        runtime::StartJobOptions options;
        options.workflow = "pet exchange";
        options.variables = {{"petId", "7"}};
        auto started = engine.startJob(options);
        QVERIFY(started.ok());
        const std::string id = (*started)["_id"];
        QTRY_VERIFY((*engine.jobDocument(id))["status"] == json("complete"));

        auto iterations = store->taskIterations(id);
        QVERIFY(iterations.ok());
        json call;
        for (const auto &it : *iterations)
            if (it.taskKey == "a1")
                call = it.document.value("call", json());
        QVERIFY2(call.is_object(), call.dump().c_str());
        QCOMPARE_JSON(call["request"]["method"], json("GET"));
        QCOMPARE_JSON(call["request"]["url"],
                      json("http://127.0.0.1:" + std::to_string(m_server->port()) +
                           "/static/pets/7?kind=cat"));
        QCOMPARE_JSON(call["request"]["headers"]["X-Api-Key"], json("********"));
        QCOMPARE_JSON(call["request"]["headers"]["Idempotency-Key"], json(id + ":a1:1"));
        QCOMPARE_JSON(call["response"]["status"], json(200));
        QVERIFY(call["response"]["body"]["text"].get<std::string>().find("Rex") !=
                std::string::npos);
        QCOMPARE(call["attempts"].size(), std::size_t(1));
        QCOMPARE_JSON(call["attempts"][0]["status"], json(200));
        QVERIFY(call["attempts"][0]["latency"].is_number());
        QVERIFY(call["attempts"][0]["at"].get<qint64>() > 0);

        // The server did get the token; nothing Flowdeck keeps holds it.
        QCOMPARE_JSON(m_server->requestsTo("/static/pets/7").back()["headers"]["x-api-key"],
                      json("key-123"));
        std::string kept = engine.jobDocument(id)->dump();
        for (const auto &it : *iterations)
            kept += it.document.dump();
        auto events = store->jobEvents(id, 0, 1000);
        QVERIFY(events.ok());
        for (const auto &e : *events)
            kept += e.data.dump();
        QVERIFY(kept.find("\"call\"") != std::string::npos);
        QVERIFY2(kept.find("key-123") == std::string::npos, "the token was kept somewhere");
    }

    /// Bodies are capped and every secret is masked, wherever it appears.
    void theExchangeIsCappedAndRedacted()
    {
        const json properties = {
            {"authentication", {{"password", "pw-SECRET"}, {"client_secret", "cs-SECRET"}}}};
        adapters::CallExchange exchange(properties);
        exchange.addSecret("tok-SECRET");
        QCOMPARE(exchange.redact("a pw-SECRET b tok-SECRET c pw-SECRET"),
                 std::string("a ******** b ******** c ********"));
        const QByteArray big = QByteArray(40000, 'x') + "cs-SECRET";
        const json body = exchange.cappedBody(big);
        QCOMPARE_JSON(body["truncated"], json(true));
        QCOMPARE_JSON(body["bytes"], json(big.size()));
        QCOMPARE(body["text"].get<std::string>().size(), adapters::CallExchange::kBodyCap);
        const json small = exchange.cappedBody("{\"password\": \"pw-SECRET\"}");
        QCOMPARE_JSON(small["text"], json("{\"password\": \"********\"}"));
        QVERIFY(!small.contains("truncated"));
    }

    void aCallInFlightAtAKillIsSentAgainWithTheSameKey()
    {
        const QString path = m_dir.filePath(QStringLiteral("crash.db"));
        const QStringList common{path, QString::number(m_server->port())};
        QProcess first;
        first.start(QStringLiteral(ADAPTER_CRASH_CHILD),
                    common + QStringList{QStringLiteral("start")});
        QVERIFY(first.waitForStarted());
        QVERIFY(first.waitForReadyRead(20000));
        const QByteArray line = first.readLine().trimmed();
        QVERIFY2(line.startsWith("job "), line.constData());
        const std::string jobId = line.mid(4).toStdString();
        // Wait until the request is at the server, then kill the process mid-call.
        QTRY_VERIFY_WITH_TIMEOUT(!m_server->requestsTo("/slow").empty(), 20000);
        first.kill(); // SIGKILL
        QVERIFY(first.waitForFinished());

        QProcess second;
        second.start(QStringLiteral(ADAPTER_CRASH_CHILD),
                     common + QStringList{QStringLiteral("recover")});
        QVERIFY(second.waitForFinished(60000));
        QCOMPARE(second.exitCode(), 0); // the recovered job completed
        const json calls = m_server->requestsTo("/slow");
        QCOMPARE(calls.size(), std::size_t(2));
        QCOMPARE_JSON(calls[0]["headers"]["idempotency-key"], json(jobId + ":a1:1"));
        QCOMPARE_JSON(calls[1]["headers"]["idempotency-key"],
                      calls[0]["headers"]["idempotency-key"]);
    }
};

QTEST_GUILESS_MAIN(TestAdapterJobs)
#include "TestAdapterJobs.moc"
