// SPDX-License-Identifier: GPL-3.0-or-later
// Jobs that call a real HTTP server on 127.0.0.1, no mocks: an adapter task whose result a JST
// transforms runs to complete; a failing call takes the error path with Itential's error
// object; and a process killed with SIGKILL during a call sends it again on recovery with the
// same Idempotency-Key.
#include "AdapterJobFixture.h"
#include "AdapterServer.h"

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
