// SPDX-License-Identifier: GPL-3.0-or-later
// Bodies and query strings a hostile or careless client sends, over real sockets on 127.0.0.1
// against a store file on disk: nesting deep enough to overflow any recursive walk, numbers no
// double holds, invalid UTF-8, patterns SQLite refuses, parameters given twice, values too
// large to keep. Each gets a 4xx naming what is wrong, no internal text, and the server keeps
// answering.
#include "engine/access/AccountService.h"
#include "engine/api/EngineApi.h"
#include "engine/http/HttpServer.h"
#include "engine/runtime/Engine.h"
#include "engine/store/SqliteDb.h"
#include "engine/store/SqliteStore.h"

#include <QEventLoop>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace flowdeck;
using nlohmann::json;

namespace {

struct Reply
{
    int status = 0;
    QByteArray body;
    json parsed() const { return json::parse(body.begin(), body.end(), nullptr, false); }
};

const char *kPassword = "correct horse battery";

json echoWorkflow()
{
    auto edge = [] { return json{{"state", "success"}, {"type", "standard"}}; };
    return {{"name", "Echo"},
            {"type", "automation"},
            {"tasks",
             {{"workflow_start", {{"name", "workflow_start"}}},
              {"workflow_end", {{"name", "workflow_end"}}},
              {"a1",
               {{"name", "newVariable"},
                {"app", "WorkFlowEngine"},
                {"type", "automatic"},
                {"variables",
                 {{"incoming", {{"name", "copy"}, {"value", "$var.job.payload"}}},
                  {"outgoing", json::object()}}}}}}},
            {"transitions",
             {{"workflow_start", {{"a1", edge()}}},
              {"a1", {{"workflow_end", edge()}}},
              {"workflow_end", json::object()}}}};
}

QByteArray nested(int depth, const QByteArray &inner = "1")
{
    return QByteArray(depth, '[') + inner + QByteArray(depth, ']');
}

} // namespace

class TestHostileInput : public QObject
{
    Q_OBJECT
    QTemporaryDir m_dir;
    QString m_db;
    int m_count = 0;
    std::unique_ptr<store::SqliteStore> m_store;
    std::unique_ptr<api::WorkflowCatalog> m_catalog;
    std::unique_ptr<runtime::Engine> m_engine;
    std::unique_ptr<access::AccountService> m_accounts;
    std::unique_ptr<api::EngineApi> m_api;
    std::unique_ptr<http::HttpServer> m_server;
    QNetworkAccessManager m_nam;
    quint16 m_port = 0;
    QByteArray m_auth;

    Reply call(const QByteArray &method, const QString &path, const QByteArray &body = {},
               bool signedIn = true)
    {
        QNetworkRequest request(
            QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(m_port).arg(path)));
        if (!body.isEmpty())
            request.setRawHeader("Content-Type", "application/json");
        if (signedIn)
            request.setRawHeader("Authorization", m_auth);
        QNetworkReply *reply = m_nam.sendCustomRequest(request, method, body);
        QEventLoop loop;
        connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
        if (!reply->isFinished())
            loop.exec();
        Reply out;
        out.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        out.body = reply->readAll();
        reply->deleteLater();
        return out;
    }

    /// A 400 with a JSON body whose message contains `mentions`, no internal words, and a
    /// server that still answers.
    void expectRefused(const Reply &r, const char *mentions)
    {
        QVERIFY2(r.status == 400, qPrintable(QStringLiteral("%1 %2").arg(r.status).arg(
                                      QString::fromUtf8(r.body.left(400)))));
        const json body = r.parsed();
        QVERIFY2(body.is_object() && body["message"].is_string(), r.body.left(400).constData());
        const std::string message = body["message"].get<std::string>();
        QVERIFY2(message.find(mentions) != std::string::npos, message.c_str());
        for (const char *internal : {"SQLite", "sqlite", "LIKE", "json.exception", "SQL"})
            QVERIFY2(message.find(internal) == std::string::npos, message.c_str());
        QCOMPARE(call("GET", QStringLiteral("/whoami")).status, 200);
    }

private Q_SLOTS:
    void init()
    {
        QVERIFY(m_dir.isValid());
        m_db = m_dir.filePath(QStringLiteral("hostile-%1.db").arg(++m_count));
        auto opened = store::SqliteStore::open(m_db.toStdString());
        QVERIFY(opened.ok());
        m_store = std::move(*opened);
        m_catalog = std::make_unique<api::WorkflowCatalog>(*m_store);
        m_engine = std::make_unique<runtime::Engine>(*m_store);
        m_accounts = std::make_unique<access::AccountService>(*m_store);
        m_api = std::make_unique<api::EngineApi>(
            api::EngineContext{*m_store, *m_catalog, m_engine.get(), m_accounts.get()});
        m_server = std::make_unique<http::HttpServer>(*m_api, http::RequestLimits{});
        auto port = m_server->start(QHostAddress::LocalHost, 0);
        QVERIFY(port.ok());
        m_port = *port;
        access::NewUser admin;
        admin.username = "alice";
        admin.roles = {"admin"};
        admin.password = kPassword;
        QVERIFY(m_accounts->createUser(admin).ok());
        m_auth = "Basic " + QByteArray("alice:").append(kPassword).toBase64();
        QVERIFY(
            m_store->saveWorkflow(*model::Workflow::fromJson(echoWorkflow()), std::nullopt, true)
                .ok());
    }

    void cleanup()
    {
        m_server.reset();
        m_api.reset();
        m_accounts.reset();
        m_engine.reset();
        m_catalog.reset();
        m_store.reset();
    }

    // 100,000 levels once overflowed the stack of an unauthenticated request's handler.
    void deepBodiesAnywhereAre400()
    {
        const QByteArray deep = nested(100'000);
        expectRefused(call("POST", QStringLiteral("/nope"), deep, false), "nested deeper");
        expectRefused(call("POST", QStringLiteral("/operations-manager/jobs/start"), deep),
                      "nested deeper");
        // Objects too, and just past the limit; at the limit is accepted by the parser.
        QByteArray objects;
        for (int i = 0; i < 257; ++i)
            objects += "{\"a\":";
        objects += "1" + QByteArray(257, '}');
        expectRefused(call("POST", QStringLiteral("/operations-manager/jobs/start"), objects),
                      "limit of 256 levels");
        // Brackets inside strings are text, not nesting.
        const QByteArray text = "{\"workflow\":\"" + QByteArray(5000, '[') + "\"}";
        QCOMPARE(call("POST", QStringLiteral("/operations-manager/jobs/start"), text).status, 404);
    }

    void numbersNoDoubleHoldsAre400()
    {
        expectRefused(
            call("POST", QStringLiteral("/operations-manager/jobs/start"), R"({"a": 1e99999})"),
            "number overflow");
        expectRefused(
            call("POST", QStringLiteral("/operations-manager/jobs/start"), R"({"a": -1e400})"),
            "line 1, column 7");
    }

    void invalidUtf8Is400WithAReadableMessage()
    {
        const QByteArray body = "{\"name\":\"caf\xff\"}";
        const Reply r = call("POST", QStringLiteral("/operations-manager/jobs/start"), body);
        expectRefused(r, "UTF-8");
        QVERIFY(r.parsed().is_object()); // the answer itself is valid UTF-8 JSON
    }

    void deepJobVariablesAre400()
    {
        // 2,000 levels once reached SQLite's JSON parser and came back as its 500.
        const QByteArray start =
            "{\"workflow\":\"Echo\",\"options\":{\"variables\":{\"payload\":" + nested(2000) +
            "}}}";
        expectRefused(call("POST", QStringLiteral("/operations-manager/jobs/start"), start),
                      "nested deeper");
    }

    void largeJobVariablesAre400()
    {
        const json start = {
            {"workflow", "Echo"},
            {"options", {{"variables", {{"payload", std::string(2 * 1024 * 1024, 'x')}}}}}};
        // Within the HTTP body limit, past what one job may hold.
        const QByteArray body = QByteArray::fromStdString(start.dump());
        expectRefused(call("POST", QStringLiteral("/operations-manager/jobs/start"), body),
                      "the limit is 1.0 MiB");
        store::JobQuery all;
        QCOMPARE(m_store->listJobs(all)->total, std::int64_t(0));
    }

    void longPatternsAre400WithoutSqliteWords()
    {
        const QString pattern(50'000, QLatin1Char('a'));
        for (const char *op : {"contains", "starts-with", "ends-with"})
            expectRefused(call("GET", QStringLiteral("/operations-manager/jobs?%1[name]=%2")
                                          .arg(QString::fromUtf8(op), pattern)),
                          "characters long");
    }

    void parametersGivenTwiceAre400Everywhere()
    {
        for (const char *path : {"/operations-manager/jobs?limit=1&limit=2",
                                 "/operations-manager/jobs?sort=name&sort=status",
                                 "/operations-manager/automations?limit=1&limit=2",
                                 "/events?limit=1&limit=2", "/whoami?token=a&token=b"})
            expectRefused(call("GET", QString::fromUtf8(path)), "more than once");
    }

    void internalErrorsNeverShowInternalText()
    {
        // A broken store: the table a listing reads is gone. The answer is a 500 with a
        // reference, and SQLite's own words stay in the log.
        auto db = store::SqliteDb::open(m_db.toStdString());
        QVERIFY(db.ok());
        QVERIFY(db->exec("DROP TABLE job_events").ok());
        const Reply r = call("GET", QStringLiteral("/events?after=0"));
        QCOMPARE(r.status, 500);
        const std::string message = r.parsed().value("message", std::string());
        QVERIFY2(message.find("reference") != std::string::npos, message.c_str());
        QVERIFY2(message.find("job_events") == std::string::npos, message.c_str());
        QVERIFY2(message.find("no such table") == std::string::npos, message.c_str());
    }
};

QTEST_GUILESS_MAIN(TestHostileInput)
#include "TestHostileInput.moc"
