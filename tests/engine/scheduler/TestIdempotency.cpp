// SPDX-License-Identifier: GPL-3.0-or-later
// Idempotency-Key over real HTTP on 127.0.0.1: a repeated key within the automation's
// dedup_window_secs answers the first job (200, the same _id, Idempotent-Replayed: true) and
// starts nothing; past the window the key starts a new job. POST /operations-manager/jobs/start
// keeps a caller's key for a day. The engine runs on a manual clock so windows pass at once.
#include "tests/engine/http/ServerStack.h"
#include "tests/support/SingleTaskWorkflow.h"

#include <QEventLoop>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTest>

using namespace flowdeck;
using nlohmann::json;

namespace {

const char *kPassword = "correct horse battery";

struct Reply
{
    int status = 0;
    json body;
    QByteArray replayed; ///< the Idempotent-Replayed header
    std::string id() const { return body.value("data", json::object()).value("_id", ""); }
};

json quickWorkflow()
{
    return test::singleTaskWorkflow(
        "Provision", test::engineTask("newVariable", {{"name", "done"}, {"value", true}}));
}

} // namespace

class TestIdempotency : public QObject
{
    Q_OBJECT
    test::ServerStack m_stack;
    QNetworkAccessManager m_nam;
    std::int64_t m_now = 1'800'000'000'000;

    Reply post(const QString &path, const json &body, const QByteArray &key,
               const char *user = "alice")
    {
        QNetworkRequest request(
            QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(m_stack.port).arg(path)));
        request.setRawHeader("Content-Type", "application/json");
        request.setRawHeader("Authorization",
                             "Basic " + QByteArray(QByteArray(user) + ":" + kPassword).toBase64());
        if (!key.isNull())
            request.setRawHeader("Idempotency-Key", key);
        QNetworkReply *reply = m_nam.post(request, QByteArray::fromStdString(body.dump()));
        QEventLoop loop;
        connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
        if (!reply->isFinished())
            loop.exec();
        Reply out;
        out.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        const QByteArray text = reply->readAll();
        out.body = json::parse(text.begin(), text.end(), nullptr, false);
        out.replayed = reply->rawHeader("Idempotent-Replayed");
        reply->deleteLater();
        return out;
    }

    std::int64_t jobCount()
    {
        store::JobQuery q;
        q.limit = 1;
        return m_stack.store->listJobs(q)->total;
    }

private Q_SLOTS:
    void init()
    {
        QVERIFY(m_stack.open(":memory:"));
        // The same stack on the manual clock: the engine and the API above it are replaced
        // before anything runs.
        m_stack.server.reset();
        m_stack.api.reset();
        m_stack.engine =
            std::make_unique<runtime::Engine>(*m_stack.store, [this] { return m_now; });
        m_stack.api = std::make_unique<api::EngineApi>(api::EngineContext{
            *m_stack.store, *m_stack.catalog, m_stack.engine.get(), m_stack.accounts.get()});
        QVERIFY(m_stack.serve({}));
        for (const char *name : {"alice", "bob"}) {
            access::NewUser u;
            u.username = name;
            u.roles = {"admin"};
            u.password = kPassword;
            QVERIFY(m_stack.accounts->createUser(u).ok());
        }
        auto wf = m_stack.store->saveWorkflow(*model::Workflow::fromJson(quickWorkflow()),
                                              std::string("alice"), true);
        QVERIFY(wf.ok());
        auto a = post(QStringLiteral("/operations-manager/automations"),
                      {{"name", "Provision"},
                       {"componentId", wf->id},
                       {"runPolicy", {{"dedup_window_secs", 60}}}},
                      {});
        QCOMPARE(a.status, 200);
        auto t = post(QStringLiteral("/operations-manager/triggers"),
                      {{"name", "provision"},
                       {"type", "endpoint"},
                       {"actionType", "automations"},
                       {"actionId", a.id()},
                       {"routeName", "provision"}},
                      {});
        QCOMPARE(t.status, 200);
    }

    void cleanup() { m_stack.close(); }

    void aRepeatedKeyInTheWindowAnswersTheFirstJob()
    {
        const QString route = QStringLiteral("/operations-manager/triggers/endpoint/provision");
        const Reply first = post(route, {{"device", "sw-1"}}, "order-7731");
        QCOMPARE(first.status, 200);
        QVERIFY(!first.id().empty());
        QVERIFY(first.replayed.isNull());

        m_now += 59'000;
        const Reply again = post(route, {{"device", "sw-1"}}, "order-7731");
        QCOMPARE(again.status, 200);
        QCOMPARE(again.id(), first.id());
        QCOMPARE(again.replayed, QByteArray("true"));
        QCOMPARE(jobCount(), std::int64_t(1));

        // Another key, or none, is another start.
        QVERIFY(post(route, {{"device", "sw-1"}}, "order-7732").id() != first.id());
        QVERIFY(post(route, {{"device", "sw-1"}}, {}).id() != first.id());
        QCOMPARE(jobCount(), std::int64_t(3));

        // Past the window the same key starts a new job.
        m_now += 2'000;
        const Reply later = post(route, {{"device", "sw-1"}}, "order-7731");
        QCOMPARE(later.status, 200);
        QVERIFY(later.id() != first.id());
        QVERIFY(later.replayed.isNull());
        QCOMPARE(jobCount(), std::int64_t(4));
    }

    void jobsStartKeepsACallersKeyForADay()
    {
        const QString route = QStringLiteral("/operations-manager/jobs/start");
        const json body = {{"workflow", "Provision"}, {"options", json::object()}};
        const Reply first = post(route, body, "deploy-42");
        QCOMPARE(first.status, 200);
        m_now += 23LL * 3600 * 1000;
        const Reply again = post(route, body, "deploy-42");
        QCOMPARE(again.id(), first.id());
        QCOMPARE(again.replayed, QByteArray("true"));
        // Another caller's key is their own.
        QVERIFY(post(route, body, "deploy-42", "bob").id() != first.id());
        m_now += 2LL * 3600 * 1000;
        QVERIFY(post(route, body, "deploy-42").id() != first.id());
        QCOMPARE(jobCount(), std::int64_t(3));
    }

    void aMalformedKeyIsRefused()
    {
        const Reply r = post(QStringLiteral("/operations-manager/triggers/endpoint/provision"),
                             json::object(), QByteArray(300, 'k'));
        QCOMPARE(r.status, 400);
        QVERIFY2(r.body.dump().find("Idempotency-Key") != std::string::npos, r.body.dump().c_str());
        QCOMPARE(jobCount(), std::int64_t(0));
    }
};

QTEST_GUILESS_MAIN(TestIdempotency)
#include "TestIdempotency.moc"
