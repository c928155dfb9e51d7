// SPDX-License-Identifier: GPL-3.0-or-later
// Completion webhooks: the automation's webhook fields (validated, the secret sealed and never
// answered), the signature, the backoff, and deliveries to a real receiver on 127.0.0.1 that
// verifies the signature: delivered, retried after a failure, recovered after a restart.
#include "AutomationsFixture.h"
#include "tests/support/JsonAsserts.h"

#include "engine/access/SecretBox.h"
#include "engine/automations/WebhookDispatcher.h"
#include "engine/automations/WebhookSignature.h"

#include <QHttpServer>
#include <QHttpServerRequest>
#include <QHttpServerResponse>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>

using namespace flowdeck;
using namespace flowdeck::test;
using api::Method;
using automations::WebhookDispatcher;

namespace {

constexpr const char *kSecret = "correct horse battery staple";

/// A receiver as a customer would write one: it checks the signature over the raw body and
/// that the body's timestamp is the header's, and answers `failures` 500s before a 204.
struct Receiver
{
    QHttpServer server;
    quint16 port = 0;
    int failures = 0;
    QList<json> verified;
    int rejected = 0;
    int answered500 = 0;

    Receiver()
    {
        server.route(QStringLiteral("/hook"), [this](const QHttpServerRequest &request) {
            const QByteArray body = request.body();
            const bool signedOk = automations::verifyWebhookSignature(
                kSecret, body, request.value(automations::kSignatureHeader));
            const json doc = json::parse(body.begin(), body.end(), nullptr, false);
            const bool fresh =
                doc.is_object() && QByteArray::number(doc.value("timestamp", qint64(-1))) ==
                                       request.value(automations::kTimestampHeader);
            if (!signedOk || !fresh) {
                ++rejected;
                return QHttpServerResponse(QHttpServerResponder::StatusCode::Unauthorized);
            }
            if (failures > 0) {
                --failures;
                ++answered500;
                return QHttpServerResponse(QHttpServerResponder::StatusCode::InternalServerError);
            }
            verified.append(doc);
            return QHttpServerResponse(QHttpServerResponder::StatusCode::NoContent);
        });
        port = server.listen(QHostAddress::LocalHost, 0);
    }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(port) + "/hook"; }
};

json deliveries(AutomationsFixture &f, const std::string &automation)
{
    auto r = f.call(Method::Get, "/operations-manager/automations/" + automation + "/deliveries");
    if (r.status != 200)
        qFatal("deliveries: %s", r.json.dump().c_str());
    return r.json["data"];
}

} // namespace

class TestWebhooks : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void signatureIsHmacSha256OfTheBody()
    {
        // RFC 4231, test case 2.
        QCOMPARE(
            automations::webhookSignature("Jefe", "what do ya want for nothing?"),
            QByteArray("sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"));
        const QByteArray sig = automations::webhookSignature("k", "{\"a\":1}");
        QVERIFY(automations::verifyWebhookSignature("k", "{\"a\":1}", sig));
        QVERIFY(!automations::verifyWebhookSignature("k", "{\"a\":2}", sig));
        QVERIFY(!automations::verifyWebhookSignature("other", "{\"a\":1}", sig));
        QVERIFY(!automations::verifyWebhookSignature("k", "{\"a\":1}", sig.left(20)));
    }

    void backoffDoublesWithJitterUpToTheCap()
    {
        QCOMPARE(WebhookDispatcher::retryDelay(1, 0.0), WebhookDispatcher::kFirstRetryMs / 2);
        QCOMPARE(WebhookDispatcher::retryDelay(1, 1.0), WebhookDispatcher::kFirstRetryMs);
        QCOMPARE(WebhookDispatcher::retryDelay(3, 1.0), 4 * WebhookDispatcher::kFirstRetryMs);
        for (int attempt = 1; attempt < 40; ++attempt) {
            const auto d = WebhookDispatcher::retryDelay(attempt, 0.7);
            QVERIFY(d > 0);
            QVERIFY(d <= WebhookDispatcher::kMaxRetryMs);
        }
        QCOMPARE(WebhookDispatcher::retryDelay(30, 1.0), WebhookDispatcher::kMaxRetryMs);
    }

    void webhookFieldsAreValidatedAtTheirPointer_data()
    {
        QTest::addColumn<QByteArray>("fields");
        QTest::addColumn<QString>("pointer");
        QTest::newRow("not a url") << QByteArray("{\"webhook_url\": \"hook\"}") << "/webhook_url";
        QTest::newRow("ftp") << QByteArray("{\"webhook_url\": \"ftp://h/x\"}") << "/webhook_url";
        QTest::newRow("credentials in the url")
            << QByteArray("{\"webhook_url\": \"https://u:p@h/x\"}") << "/webhook_url";
        QTest::newRow("number") << QByteArray("{\"webhook_url\": 5}") << "/webhook_url";
        QTest::newRow("short secret")
            << QByteArray("{\"webhook_url\": \"https://h/x\", \"webhook_secret\": \"short\"}")
            << "/webhook_secret";
        QTest::newRow("secret without url")
            << QByteArray("{\"webhook_secret\": \"a long enough secret\"}") << "/webhook_secret";
        QTest::newRow("planted token")
            << QByteArray(
                   "{\"webhook_url\": \"https://h/x\", \"webhook_secret\": \"fdsec:v1:AAAA\"}")
            << "/webhook_secret";
    }
    void webhookFieldsAreValidatedAtTheirPointer()
    {
        QFETCH(QByteArray, fields);
        QFETCH(QString, pointer);
        AutomationsFixture f;
        auto wf = f.store->workflowByName("Backup");
        json body = json::parse(fields.toStdString());
        body["name"] = "nightly";
        body["componentId"] = wf->id;
        auto r = f.call(Method::Post, "/operations-manager/automations", body);
        QCOMPARE(r.status, 400);
        QVERIFY2(r.json.dump().find(pointer.toStdString()) != std::string::npos,
                 r.json.dump().c_str());
        QCOMPARE(f.store->listAutomations({})->total, qint64(0));
    }

    void secretIsSealedMaskedAndKeptWhenTheMaskComesBack()
    {
        AutomationsFixture f;
        auto [id, trigger] =
            f.automation("nightly", "Backup",
                         {{"webhook_url", "https://hooks.example/x"}, {"webhook_secret", kSecret}});
        auto got = f.call(Method::Get, "/operations-manager/automations/" + id);
        QCOMPARE_JSON(got.json["data"]["webhook_secret"], json(access::SecretBox::kMask));
        QVERIFY(got.json.dump().find(kSecret) == std::string::npos);
        const json stored = f.store->automationById(id)->document;
        const std::string sealed = stored["webhook_secret"].get<std::string>();
        QVERIFY(access::SecretBox::isSealed(sealed));
        QCOMPARE(*f.secrets.open(sealed), std::string(kSecret));

        // The window sends back what it was shown: the secret stays.
        auto patched = f.call(Method::Patch, "/operations-manager/automations/" + id,
                              {{"description", "d"}, {"webhook_secret", access::SecretBox::kMask}});
        QCOMPARE(patched.status, 200);
        QCOMPARE_JSON(f.store->automationById(id)->document["webhook_secret"], json(sealed));
        // Export shows the mask too; removing the url removes the webhook.
        auto exported = f.call(Method::Get, "/operations-manager/automations/" + id + "/export");
        QVERIFY(exported.json.dump().find("fdsec:") == std::string::npos);
        QCOMPARE(f.call(Method::Patch, "/operations-manager/automations/" + id,
                        {{"webhook_url", nullptr}})
                     .status,
                 200);
        const json cleared = f.store->automationById(id)->document;
        QVERIFY(!cleared.contains("webhook_url"));
        QVERIFY(!cleared.contains("webhook_secret"));
    }

    void aSignedSummaryReachesTheReceiver()
    {
        Receiver receiver;
        QVERIFY(receiver.port != 0);
        AutomationsFixture f;
        auto [id, trigger] = f.automation(
            "nightly", "Backup", {{"webhook_url", receiver.url()}, {"webhook_secret", kSecret}});
        auto [quietId, quietTrigger] = f.automation("quiet", "Backup");
        const json job = f.run(trigger);
        f.run(quietTrigger); // no webhook: no delivery
        WebhookDispatcher dispatcher(*f.store, *f.engine, f.secrets);
        QSignalSpy attempted(&dispatcher, &WebhookDispatcher::attempted);
        QCOMPARE(*dispatcher.collect(), 1);
        QCOMPARE(*dispatcher.collect(), 0); // once per job end
        QCOMPARE(*dispatcher.sendDue(), 1);
        QCOMPARE(*dispatcher.sendDue(), 0); // on its way already
        QVERIFY(attempted.wait(10000));
        QCOMPARE(attempted.first().at(1).toString(), QStringLiteral("delivered"));
        QCOMPARE(receiver.rejected, 0);
        QCOMPARE(receiver.verified.size(), qsizetype(1));
        const json body = receiver.verified.first();
        QCOMPARE_JSON(body["job"]["_id"], job["_id"]);
        QCOMPARE_JSON(body["job"]["status"], json("complete"));
        QCOMPARE_JSON(body["automation"]["name"], json("nightly"));
        QCOMPARE_JSON(body["timestamp"], json(f.clock / 1000));
        QCOMPARE_JSON(body["attempt"], json(1));
        QVERIFY(body["job"]["endedAt"].is_string());

        const json log = deliveries(f, id);
        QCOMPARE(log.size(), std::size_t(1));
        QCOMPARE_JSON(log[0]["status"], json("delivered"));
        QCOMPARE_JSON(log[0]["attempts"], json(1));
        QCOMPARE_JSON(log[0]["responseStatus"], json(204));
        QCOMPARE_JSON(log[0]["jobId"], job["_id"]);
        QVERIFY(deliveries(f, quietId).empty());
    }

    void aFailingReceiverIsRetriedWithBackoffAndLogged()
    {
        Receiver receiver;
        receiver.failures = 2;
        AutomationsFixture f;
        auto [id, trigger] = f.automation(
            "flaky", "Fails", {{"webhook_url", receiver.url()}, {"webhook_secret", kSecret}});
        f.run(trigger);
        WebhookDispatcher dispatcher(*f.store, *f.engine, f.secrets);
        QSignalSpy attempted(&dispatcher, &WebhookDispatcher::attempted);
        QCOMPARE(*dispatcher.collect(), 1);
        QCOMPARE(*dispatcher.sendDue(), 1);
        QVERIFY(attempted.wait(10000));
        json log = deliveries(f, id);
        QCOMPARE_JSON(log[0]["status"], json("pending"));
        QCOMPARE_JSON(log[0]["attempts"], json(1));
        QCOMPARE_JSON(log[0]["responseStatus"], json(500));
        QVERIFY2(log[0]["lastError"].get<std::string>().find("500") != std::string::npos,
                 log.dump().c_str());
        QVERIFY(log[0]["nextAttemptAt"].is_string());
        // Not due yet: nothing is sent before the backoff has passed.
        QCOMPARE(*dispatcher.sendDue(), 0);
        f.clock += WebhookDispatcher::kFirstRetryMs; // the first wait is at most this
        QCOMPARE(*dispatcher.sendDue(), 1);
        QVERIFY(attempted.wait(10000));
        QCOMPARE(*dispatcher.sendDue(), 0);
        f.clock += 2 * WebhookDispatcher::kFirstRetryMs;
        QCOMPARE(*dispatcher.sendDue(), 1);
        QVERIFY(attempted.wait(10000));
        log = deliveries(f, id);
        QCOMPARE_JSON(log[0]["status"], json("delivered"));
        QCOMPARE_JSON(log[0]["attempts"], json(3));
        QCOMPARE_JSON(log[0]["jobStatus"], json("error"));
        QCOMPARE(receiver.answered500, 2);
        QCOMPARE(receiver.verified.size(), qsizetype(1));
        QCOMPARE_JSON(receiver.verified.first()["attempt"], json(3));
        QCOMPARE_JSON(receiver.verified.first()["job"]["error"].is_string(), true);
    }

    void aReceiverThatNeverAnswersWellEndsFailed()
    {
        AutomationsFixture f;
        // Nothing listens on this port: connection refused, every attempt.
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        const auto port = probe.serverPort();
        probe.close();
        auto [id, trigger] =
            f.automation("gone", "Backup",
                         json{{"webhook_url", "http://127.0.0.1:" + std::to_string(port) + "/x"}});
        f.run(trigger);
        WebhookDispatcher dispatcher(*f.store, *f.engine, f.secrets);
        QSignalSpy attempted(&dispatcher, &WebhookDispatcher::attempted);
        QCOMPARE(*dispatcher.collect(), 1);
        for (int i = 0; i < WebhookDispatcher::kMaxAttempts; ++i) {
            QCOMPARE(*dispatcher.sendDue(), 1);
            QVERIFY(attempted.wait(10000));
            f.clock += WebhookDispatcher::kMaxRetryMs;
        }
        QCOMPARE(*dispatcher.sendDue(), 0);
        const json log = deliveries(f, id);
        QCOMPARE_JSON(log[0]["status"], json("failed"));
        QCOMPARE_JSON(log[0]["attempts"], json(WebhookDispatcher::kMaxAttempts));
        QVERIFY(log[0]["nextAttemptAt"].is_null());
        QVERIFY(!log[0]["lastError"].get<std::string>().empty());
        auto failed = f.call(Method::Get, "/operations-manager/automations/" + id + "/deliveries",
                             nullptr, {{"status", "delivered"}});
        QVERIFY(failed.json["data"].empty());
        QCOMPARE(f.call(Method::Get, "/operations-manager/automations/" + id + "/deliveries",
                        nullptr, {{"status", "lost"}})
                     .status,
                 400);
    }

    void aJobEndBeforeACrashIsDeliveredAfterTheRestart()
    {
        Receiver receiver;
        AutomationsFixture f;
        auto [id, trigger] = f.automation(
            "nightly", "Backup", {{"webhook_url", receiver.url()}, {"webhook_secret", kSecret}});
        const json job = f.run(trigger);
        // The process stops before any dispatcher read the job's end: the store is reopened.
        f.open();
        WebhookDispatcher dispatcher(*f.store, *f.engine, f.secrets);
        QSignalSpy attempted(&dispatcher, &WebhookDispatcher::attempted);
        QCOMPARE(*dispatcher.collect(), 1);
        QCOMPARE(*dispatcher.sendDue(), 1);
        QVERIFY(attempted.wait(10000));
        QCOMPARE(receiver.verified.size(), qsizetype(1));
        QCOMPARE_JSON(receiver.verified.first()["job"]["_id"], job["_id"]);
        // And a pending delivery survives a restart too, to be sent by the next process.
        const json second = f.run(trigger);
        QCOMPARE(*dispatcher.collect(), 1);
        f.open();
        WebhookDispatcher restarted(*f.store, *f.engine, f.secrets);
        QSignalSpy again(&restarted, &WebhookDispatcher::attempted);
        QCOMPARE(*restarted.collect(), 0);
        QCOMPARE(*restarted.sendDue(), 1);
        QVERIFY(again.wait(10000));
        QCOMPARE(receiver.verified.size(), qsizetype(2));
        QCOMPARE_JSON(receiver.verified.last()["job"]["_id"], second["_id"]);
    }
};

QTEST_GUILESS_MAIN(TestWebhooks)
#include "TestWebhooks.moc"
