// SPDX-License-Identifier: GPL-3.0-or-later
// The HTTP transport over real sockets on 127.0.0.1: the auth forms, health and identity,
// the OpenAPI document, the limits (raw QTcpSocket abuse), a suite of bad requests, and the
// event stream. The server runs on this thread, so every wait spins the event loop.
#include "engine/access/AccountService.h"
#include "engine/api/AuthApi.h"
#include "engine/api/EngineApi.h"
#include "engine/api/OpenApiDocument.h"
#include "engine/http/HttpServer.h"
#include "engine/runtime/Engine.h"
#include "engine/store/SqliteStore.h"
#include "tests/engine/http/RawHttp.h"
#include "tests/engine/http/ServerStack.h"
#include "tests/support/JsonAsserts.h"
#include "tests/support/TestPaths.h"

#include <QEventLoop>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTest>
#include <QWebSocket>

#include <memory>

using namespace flowdeck;
using nlohmann::json;

namespace {

struct Reply
{
    int status = 0;
    QByteArray body;
    QByteArray contentType;
    QList<QNetworkReply::RawHeaderPair> headers;
    json parsed() const { return json::parse(body.begin(), body.end(), nullptr, false); }
    QByteArray header(const QByteArray &name) const
    {
        for (const auto &[k, v] : headers)
            if (k.compare(name, Qt::CaseInsensitive) == 0)
                return v;
        return {};
    }
};

const char *kPassword = "correct horse battery";
const QByteArray kFormType = "application/x-www-form-urlencoded";

} // namespace

class TestHttpServer : public QObject
{
    Q_OBJECT
    test::ServerStack m_stack;
    QNetworkAccessManager m_nam;
    std::string m_operatorGroup;

    QUrl url(const QString &pathAndQuery) const
    {
        return QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(m_stack.port).arg(pathAndQuery));
    }

    Reply call(const QByteArray &method, const QString &path, const QByteArray &body = {},
               QList<QPair<QByteArray, QByteArray>> headers = {})
    {
        QNetworkRequest request(url(path));
        // Cookies only when a test sends them itself.
        request.setAttribute(QNetworkRequest::CookieLoadControlAttribute, QNetworkRequest::Manual);
        request.setAttribute(QNetworkRequest::CookieSaveControlAttribute, QNetworkRequest::Manual);
        bool typed = false;
        for (const auto &[k, v] : headers) {
            request.setRawHeader(k, v);
            typed = typed || k.compare("content-type", Qt::CaseInsensitive) == 0;
        }
        if (!body.isEmpty() && !typed)
            request.setRawHeader("Content-Type", "application/json");
        QNetworkReply *reply = m_nam.sendCustomRequest(request, method, body);
        QEventLoop loop;
        connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
        if (!reply->isFinished())
            loop.exec();
        Reply out;
        out.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        out.body = reply->readAll();
        out.contentType = reply->rawHeader("Content-Type");
        out.headers = reply->rawHeaderPairs();
        reply->deleteLater();
        return out;
    }

    static QByteArray basic(const std::string &user, const std::string &password)
    {
        return "Basic " + QByteArray::fromStdString(user + ":" + password).toBase64();
    }

    QByteArray login(const std::string &user)
    {
        auto r = call("POST", QStringLiteral("/login"),
                      QByteArray::fromStdString(
                          json{{"user", {{"username", user}, {"password", kPassword}}}}.dump()));
        return r.status == 200 ? r.body : QByteArray();
    }

    std::optional<test::Raw> exchange(QTcpSocket &socket, const QByteArray &bytes)
    {
        return test::exchange(socket, bytes);
    }

    bool connectRaw(QTcpSocket &socket) { return test::connectFrom(socket, m_stack.port); }

    void expectJsonError(const Reply &r, int status, const char *what)
    {
        QVERIFY2(r.status == status, qPrintable(QStringLiteral("%1: %2 %3")
                                                    .arg(QString::fromUtf8(what))
                                                    .arg(r.status)
                                                    .arg(QString::fromUtf8(r.body))));
        QVERIFY2(r.contentType.startsWith("application/json"), what);
        const json body = r.parsed();
        QVERIFY2(body.is_object() && body.contains("message") && body["message"].is_string(), what);
    }

private Q_SLOTS:
    void init()
    {
        access::AccountService::Options options;
        options.throttle.freeFailures = 3;
        http::RequestLimits limits;
        limits.maxBodyBytes = 64 * 1024;
        limits.idleTimeoutMs = 1500;
        limits.headerTimeoutMs = 1500;
        limits.maxConnectionsPerAddress = 60;
        QVERIFY(m_stack.open(":memory:", options, limits));

        auto group = m_stack.accounts->createGroup("operators", "");
        QVERIFY(group.ok());
        m_operatorGroup = group->id;
        auto add = [&](const std::string &name, const std::string &role) {
            access::NewUser u;
            u.username = name;
            u.roles = {role};
            u.groups = {m_operatorGroup};
            u.password = kPassword;
            return m_stack.accounts->createUser(u);
        };
        QVERIFY(add("alice", "admin").ok());
        QVERIFY(add("olga", "operator").ok());
        QVERIFY(add("victor", "viewer").ok());
        auto robot = add("robot", "operator");
        QVERIFY(robot.ok());
        auto record = m_stack.store->userById(robot->id);
        record->kind = "service";
        QVERIFY(m_stack.store->updateUser(*record).ok());
    }

    void cleanup() { m_stack.close(); }

    void healthShowsDetailsOnlyToSignedInCallers()
    {
        // Load balancers and clients choosing routes get liveness and the release, no more.
        auto server = call("GET", QStringLiteral("/health/server"));
        QCOMPARE(server.status, 200);
        QCOMPARE(QString::fromStdString(server.parsed()["release"].get<std::string>()),
                 QStringLiteral("2023.2.0"));
        QCOMPARE(QString::fromStdString(server.parsed()["status"].get<std::string>()),
                 QStringLiteral("running"));
        for (const char *hidden : {"pid", "version", "uptime"})
            QVERIFY2(!server.parsed().contains(hidden), hidden);
        for (const char *path : {"/health/status", "/health/applications", "/health/adapters"}) {
            auto r = call("GET", QString::fromUtf8(path));
            QVERIFY2(r.status == 200, path);
            QVERIFY2(!r.parsed().is_discarded(), path);
            QVERIFY2(!r.body.contains("\"version\""), path);
        }
        expectJsonError(call("GET", QStringLiteral("/health/system")), 401,
                        "the machine's details, anonymously");

        const QList<QPair<QByteArray, QByteArray>> auth = {
            {"Authorization", basic("victor", kPassword)}};
        auto system = call("GET", QStringLiteral("/health/system"), {}, auth);
        QCOMPARE(system.status, 200);
        QVERIFY(system.parsed().contains("hostname"));
        QVERIFY(system.parsed().contains("kernel"));
        auto detailed = call("GET", QStringLiteral("/health/server"), {}, auth);
        QCOMPARE(detailed.status, 200);
        QVERIFY(detailed.parsed()["pid"].is_number_integer());
        QVERIFY(detailed.parsed().contains("version"));
    }

    void everyAuthForm()
    {
        // POST /login, both body shapes: the bare token, and the session cookie.
        auto nested = call("POST", QStringLiteral("/login"),
                           R"({"user":{"username":"alice","password":"correct horse battery"}})");
        QCOMPARE(nested.status, 200);
        const QByteArray token = nested.body;
        QVERIFY(token.size() >= 32);
        QVERIFY(nested.contentType.startsWith("text/plain"));
        const QByteArray cookie = nested.header("Set-Cookie");
        QVERIFY(cookie.startsWith(QByteArray(QByteArray(api::auth::kSessionCookie) + "=" + token)));
        QVERIFY(cookie.contains("HttpOnly"));
        QVERIFY(cookie.contains("SameSite=Strict"));
        auto flat = call("POST", QStringLiteral("/login"),
                         R"({"username":"olga","password":"correct horse battery"})");
        QCOMPARE(flat.status, 200);
        QVERIFY(flat.body != token);

        auto who = [&](const Reply &r) { return r.parsed().value("username", std::string()); };
        auto query = call("GET", QStringLiteral("/whoami?token=") + QString::fromUtf8(token));
        QCOMPARE(query.status, 200);
        QCOMPARE(who(query), std::string("alice"));
        auto bearer =
            call("GET", QStringLiteral("/whoami"), {}, {{"Authorization", "Bearer " + flat.body}});
        QCOMPARE(bearer.status, 200);
        QCOMPARE(who(bearer), std::string("olga"));
        auto viaCookie = call("GET", QStringLiteral("/whoami"), {},
                              {{"Cookie", "theme=dark; " + cookie.left(cookie.indexOf(';'))}});
        QCOMPARE(viaCookie.status, 200);
        QCOMPARE(who(viaCookie), std::string("alice"));
        auto viaBasic = call("GET", QStringLiteral("/whoami"), {},
                             {{"Authorization", basic("victor", kPassword)}});
        QCOMPARE(viaBasic.status, 200);
        QCOMPARE(who(viaBasic), std::string("victor"));
        // Basic again: remembered, still answered for the same account.
        QCOMPARE(who(call("GET", QStringLiteral("/whoami"), {},
                          {{"Authorization", basic("victor", kPassword)}})),
                 std::string("victor"));

        expectJsonError(call("GET", QStringLiteral("/whoami")), 401, "anonymous whoami");
        expectJsonError(call("GET", QStringLiteral("/whoami"), {},
                             {{"Authorization", basic("victor", "wrong")}}),
                        401, "wrong Basic password");
        expectJsonError(call("GET", QStringLiteral("/automation-studio/workflows"), {},
                             {{"Authorization", "Bearer not-a-token"}}),
                        401, "unknown bearer token");

        // Sign-out revokes the token that was used; the cookie is cleared.
        auto out =
            call("POST", QStringLiteral("/logout"), {}, {{"Authorization", "Bearer " + token}});
        QCOMPARE(out.status, 200);
        QVERIFY(out.header("Set-Cookie").contains("Max-Age=0"));
        expectJsonError(call("GET", QStringLiteral("/whoami?token=") + QString::fromUtf8(token)),
                        401, "revoked token");
        // The other session is untouched.
        QCOMPARE(
            call("GET", QStringLiteral("/whoami"), {}, {{"Authorization", "Bearer " + flat.body}})
                .status,
            200);
    }

    void disabledAccountIsRefused()
    {
        const QByteArray token = login("olga");
        QVERIFY(!token.isEmpty());
        auto olga = m_stack.store->userByUsername("olga");
        QVERIFY(m_stack.accounts->disable(olga->id).ok());
        expectJsonError(
            call("GET", QStringLiteral("/whoami"), {}, {{"Authorization", "Bearer " + token}}), 401,
            "disabled account's token");
        expectJsonError(call("GET", QStringLiteral("/whoami"), {},
                             {{"Authorization", basic("olga", kPassword)}}),
                        401, "disabled account's Basic");
    }

    void whoamiListsWhatTheRolesGrant()
    {
        auto r = call("GET", QStringLiteral("/whoami"), {},
                      {{"Authorization", basic("olga", kPassword)}});
        QCOMPARE(r.status, 200);
        const json me = r.parsed();
        const json methods = me["methods"]["OperationsManager"];
        auto has = [](const json &list, const std::string &v) {
            return std::find(list.begin(), list.end(), v) != list.end();
        };
        QVERIFY(has(methods, "claimTask"));
        QVERIFY(!has(methods, "assignTask"));
        QVERIFY(has(me["roles"], "operator"));
        QCOMPARE(me["groups"][0]["name"].get<std::string>(), std::string("operators"));
        QVERIFY(has(me["routes"], "GET /automation-studio/workflows"));
        QVERIFY(!has(me["routes"], "POST /automation-studio/automations"));
    }

    void clientCredentialsForServiceAccounts()
    {
        const QList<QPair<QByteArray, QByteArray>> form{
            {"Content-Type", "application/x-www-form-urlencoded"}};
        auto r = call("POST", QStringLiteral("/oauth/token"),
                      "grant_type=client_credentials&client_id=robot&client_secret=correct+horse+"
                      "battery",
                      form);
        QCOMPARE(r.status, 200);
        const json token = r.parsed();
        QCOMPARE(token["token_type"].get<std::string>(), std::string("bearer"));
        QCOMPARE(token["expires_in"].get<int>(), 3600);
        auto who =
            call("GET", QStringLiteral("/whoami"), {},
                 {{"Authorization", "Bearer " + QByteArray::fromStdString(token["access_token"])}});
        QCOMPARE(who.status, 200);
        QCOMPARE(who.parsed()["username"].get<std::string>(), std::string("robot"));

        expectJsonError(call("POST", QStringLiteral("/oauth/token"),
                             R"({"grant_type":"client_credentials","client_id":"robot"})"),
                        415, "JSON to /oauth/token");
        expectJsonError(call("POST", QStringLiteral("/oauth/token"),
                             "grant_type=client_credentials&client_id=alice&client_secret=correct+"
                             "horse+battery",
                             form),
                        401, "a person's account through client credentials");
        expectJsonError(call("POST", QStringLiteral("/oauth/token"),
                             "grant_type=password&client_id=robot&client_secret=x", form),
                        400, "wrong grant type");
    }

    // A static API token, as Itential's CI/CD clients use one: created by an admin for a
    // service account, it signs requests as a Bearer header, ?token= and the session cookie,
    // records its last use, and stops the moment it is revoked.
    void apiTokensWorkLikeSessionTokens()
    {
        const QByteArray admin = basic("alice", kPassword);
        expectJsonError(call("POST", QStringLiteral("/authorization/tokens"),
                             R"({"username":"robot"})",
                             {{"Authorization", basic("olga", kPassword)}}),
                        403, "an operator creating a token");
        auto created = call("POST", QStringLiteral("/authorization/tokens"),
                            R"({"username":"robot","days":30,"label":"CI deploy"})",
                            {{"Authorization", admin}});
        QCOMPARE(created.status, 200);
        const json data = created.parsed()["data"];
        const QByteArray token = QByteArray::fromStdString(data["token"].get<std::string>());
        QVERIFY(token.size() >= 32);
        QCOMPARE(data["label"].get<std::string>(), std::string("CI deploy"));

        auto who = [&](const Reply &r) { return r.parsed().value("username", std::string()); };
        const QByteArray cookie = QByteArray(api::auth::kSessionCookie) + "=" + token;
        for (const auto &r :
             {call("GET", QStringLiteral("/whoami"), {}, {{"Authorization", "Bearer " + token}}),
              call("GET", QStringLiteral("/whoami?token=") + QString::fromUtf8(token)),
              call("GET", QStringLiteral("/whoami"), {}, {{"Cookie", cookie}})}) {
            QCOMPARE(r.status, 200);
            QCOMPARE(who(r), std::string("robot"));
        }

        auto list = call("GET", QStringLiteral("/authorization/tokens?username=robot"), {},
                         {{"Authorization", admin}});
        QCOMPARE(list.status, 200);
        const json listed = list.parsed()["data"];
        QCOMPARE(listed.size(), std::size_t(1));
        QVERIFY(listed[0]["lastUsed"].is_number());
        QVERIFY(!listed[0].contains("token"));
        QVERIFY2(list.body.indexOf(token) < 0, "a listing never carries the token");
        expectJsonError(call("GET", QStringLiteral("/authorization/tokens"), {},
                             {{"Authorization", basic("victor", kPassword)}}),
                        403, "a viewer listing tokens");

        const QString revoke = QStringLiteral("/authorization/tokens/") +
                               QString::fromStdString(data["_id"].get<std::string>());
        QCOMPARE(call("DELETE", revoke, {}, {{"Authorization", admin}}).status, 200);
        expectJsonError(
            call("GET", QStringLiteral("/whoami"), {}, {{"Authorization", "Bearer " + token}}), 401,
            "a revoked API token");
        expectJsonError(
            call("DELETE", revoke + QStringLiteral("x"), {}, {{"Authorization", admin}}), 404,
            "revoking an unknown token");
    }

    void failedSignInsAreSlowedDown()
    {
        Reply last;
        for (int i = 0; i < 6; ++i)
            last = call("POST", QStringLiteral("/login"),
                        R"({"username":"victor","password":"nope"})");
        expectJsonError(last, 429, "sign-in after repeated failures");
        QCOMPARE(last.parsed()["error"].get<std::string>(), std::string("too_many_requests"));
        QVERIFY(last.header("Retry-After").toInt() >= 1);
        // Even the right password waits now, from the address that failed: refused unseen.
        auto right = call("POST", QStringLiteral("/login"),
                          R"({"username":"victor","password":"correct horse battery"})");
        QCOMPARE(right.status, 429);
        // The operator at another address is not locked out by someone else's guessing.
        QTcpSocket elsewhere;
        QVERIFY(
            test::connectFrom(elsewhere, m_stack.port, QHostAddress(QStringLiteral("127.0.0.2"))));
        const QByteArray body = R"({"username":"victor","password":"correct horse battery"})";
        auto fresh = exchange(elsewhere, "POST /login HTTP/1.1\r\nHost: x\r\n"
                                         "Content-Type: application/json\r\nContent-Length: " +
                                             QByteArray::number(body.size()) + "\r\n\r\n" + body);
        QVERIFY(fresh);
        QCOMPARE(fresh->status, 200);
    }

    void getAnswersAreConditional()
    {
        const QByteArray admin = basic("alice", kPassword);
        auto first =
            call("GET", QStringLiteral("/authorization/tokens"), {}, {{"Authorization", admin}});
        QCOMPARE(first.status, 200);
        const QByteArray tag = first.header("ETag");
        QVERIFY2(tag.size() > 2 && tag.startsWith('"') && tag.endsWith('"'), tag.constData());
        QCOMPARE(first.header("Cache-Control"), QByteArray("private, no-cache"));

        // The same tag, alone, weak, in a list, or "*": not modified, and on the wire no body,
        // no length and no type.
        QTcpSocket socket;
        QVERIFY(connectRaw(socket));
        const QList<QByteArray> askedTags = {tag, QByteArray("W/") + tag,
                                             QByteArray("\"other\", ") + tag, "*"};
        for (const QByteArray &asked : askedTags) {
            auto raw = exchange(socket, "GET /authorization/tokens HTTP/1.1\r\nHost: x\r\n"
                                        "Authorization: " +
                                            admin + "\r\nIf-None-Match: " + asked + "\r\n\r\n");
            QVERIFY2(raw, asked.constData());
            QCOMPARE(raw->status, 304);
            QVERIFY(raw->body.isEmpty());
            QVERIFY2(!raw->head.toLower().contains("content-length"), raw->head.constData());
            const QByteArray etagLine = "ETag: " + tag;
            QVERIFY(raw->head.contains(etagLine));
        }
        auto other = call("GET", QStringLiteral("/authorization/tokens"), {},
                          {{"Authorization", admin}, {"If-None-Match", "\"other\""}});
        QCOMPARE(other.status, 200);
        QCOMPARE(other.body, first.body);

        // A change makes a new tag: the old one no longer matches.
        auto created = call("POST", QStringLiteral("/authorization/tokens"),
                            R"({"username":"robot","days":1})", {{"Authorization", admin}});
        QCOMPARE(created.status, 200);
        QVERIFY(created.header("ETag").isEmpty());
        QCOMPARE(created.header("Cache-Control"), QByteArray("no-store"));
        auto changed = call("GET", QStringLiteral("/authorization/tokens"), {},
                            {{"Authorization", admin}, {"If-None-Match", tag}});
        QCOMPARE(changed.status, 200);
        QVERIFY(!changed.header("ETag").isEmpty());
        QVERIFY(changed.header("ETag") != tag);
        // Errors are never conditional.
        auto refused = call("GET", QStringLiteral("/authorization/tokens"), {},
                            {{"Authorization", basic("olga", kPassword)}, {"If-None-Match", "*"}});
        QCOMPARE(refused.status, 403);
        QVERIFY(refused.header("ETag").isEmpty());
    }

    void openApiListsEveryRoute()
    {
        auto r = call("GET", QStringLiteral("/openapi.json"));
        QCOMPARE(r.status, 200);
        const json doc = r.parsed();
        QCOMPARE(doc["openapi"].get<std::string>(), std::string("3.0.3"));
        const auto &routes = m_stack.api->routes();
        QVERIFY(std::any_of(routes.begin(), routes.end(), [](const api::Route &route) {
            return route.pattern.pattern() == "/openapi.json";
        }));
        for (const api::Route &entry : routes) {
            const api::Route *route = &entry;
            const std::string path = api::openApiPath(route->pattern.pattern());
            std::string method = api::methodName(route->method);
            std::transform(method.begin(), method.end(), method.begin(), ::tolower);
            QVERIFY2(doc["paths"].contains(path) && doc["paths"][path].contains(method),
                     (method + " " + path).c_str());
            const json &op = doc["paths"][path][method];
            QCOMPARE(op.value("parameters", json::array()).size(),
                     route->pattern.parameterNames().size());
            if (!route->permission.empty())
                QCOMPARE(op["x-permission"].get<std::string>(),
                         "OperationsManager." + route->permission);
        }
        QVERIFY(doc["paths"].contains("/automation-studio/workflows/detailed/{name}"));
        QVERIFY(doc["paths"].contains("/events"));
        // Admin-only account routes are documented; large-data is not served, so not listed.
        QVERIFY(doc["paths"]["/authorization/tokens"]["post"]["x-permission"] ==
                "OperationsManager.createApiToken");
        QVERIFY(doc["paths"].contains("/authorization/tokens/{id}"));
        QVERIFY(doc["paths"].contains("/authorization/service-accounts"));
        QVERIFY(!doc["paths"].contains("/operations-manager/large-data/{id}"));
    }

    void unknownRoutesAndMethodsAnswerJson()
    {
        expectJsonError(call("GET", QStringLiteral("/no/such/route")), 404, "unknown route");
        expectJsonError(call("DELETE", QStringLiteral("/whoami")), 405, "wrong method");
        expectJsonError(call("OPTIONS", QStringLiteral("/whoami")), 405, "OPTIONS");
        expectJsonError(call("PUT", QStringLiteral("/openapi.json")), 405,
                        "own route, wrong method");
    }

    void bodyOverTheLimitIsRefusedFromItsLength()
    {
        QTcpSocket socket;
        QVERIFY(connectRaw(socket));
        // 100 MiB announced, none sent: the answer comes from the headers alone.
        auto raw = exchange(socket, "POST /automation-studio/automations HTTP/1.1\r\n"
                                    "Host: x\r\nContent-Type: application/json\r\n"
                                    "Content-Length: 104857600\r\n\r\n");
        QVERIFY(raw);
        QCOMPARE(raw->status, 413);
        QVERIFY(
            json::parse(raw->body.begin(), raw->body.end(), nullptr, false).contains("message"));
        QCOMPARE(call("GET", QStringLiteral("/health/server")).status, 200);
    }

    void chunkedBodyOverTheLimitIsRefusedAsItArrives()
    {
        QTcpSocket socket;
        QVERIFY(connectRaw(socket));
        QByteArray request = "POST /automation-studio/automations HTTP/1.1\r\nHost: x\r\n"
                             "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";
        const QByteArray chunk(16 * 1024, 'x');
        for (int i = 0; i < 8; ++i) // 128 KiB against a 64 KiB limit
            request += QByteArray::number(chunk.size(), 16) + "\r\n" + chunk + "\r\n";
        auto raw = exchange(socket, request);
        QVERIFY(raw);
        QCOMPARE(raw->status, 413);
        QCOMPARE(call("GET", QStringLiteral("/health/server")).status, 200);
    }

    void chunkedBodyWithinTheLimitIsServed()
    {
        QTcpSocket socket;
        QVERIFY(connectRaw(socket));
        const QByteArray body = R"({"username":"alice","password":"correct horse battery"})";
        QByteArray request = "POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                             "Transfer-Encoding: chunked\r\n\r\n";
        request += QByteArray::number(body.size(), 16) + "\r\n" + body + "\r\n0\r\n\r\n";
        auto raw = exchange(socket, request);
        QVERIFY(raw);
        QCOMPARE(raw->status, 200);
    }

    void expectContinueIsAnswered()
    {
        QTcpSocket socket;
        QVERIFY(connectRaw(socket));
        QByteArray received;
        connect(&socket, &QIODevice::readyRead, this, [&] { received += socket.readAll(); });
        socket.write("POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                     "Content-Length: 10\r\nExpect: 100-continue\r\n\r\n");
        QTRY_VERIFY_WITH_TIMEOUT(received.startsWith("HTTP/1.1 100 Continue\r\n\r\n"), 5000);
        socket.write("{\"user\":1}");
        QTRY_VERIFY_WITH_TIMEOUT(received.contains("HTTP/1.1 400"), 5000);
    }

    void oversizedHeadersAreRefused()
    {
        QTcpSocket socket;
        QVERIFY(connectRaw(socket));
        auto raw = exchange(socket, "GET /health/server HTTP/1.1\r\nHost: x\r\nX-Big: " +
                                        QByteArray(70 * 1024, 'a') + "\r\n\r\n");
        QVERIFY(raw);
        QCOMPARE(raw->status, 431);
    }

    void idleConnectionsAreClosed()
    {
        QTcpSocket socket;
        QVERIFY(connectRaw(socket));
        QSignalSpy closed(&socket, &QAbstractSocket::disconnected);
        // The limit is 1.5 s in this fixture; the wait only bounds a hang.
        QVERIFY(closed.wait(10'000));
        // A connection that is used is not closed while it works.
        QTcpSocket busy;
        QVERIFY(connectRaw(busy));
        auto raw = exchange(busy, "GET /health/server HTTP/1.1\r\nHost: x\r\n\r\n");
        QVERIFY(raw);
        QCOMPARE(raw->status, 200);
    }

    void aNewConnectionTakesThePlaceOfTheLongestWaiting()
    {
        // Deadlines long enough that none of the held connections ends on its own here.
        http::RequestLimits limits;
        limits.maxConnectionsPerAddress = 60;
        limits.headerTimeoutMs = 600'000;
        QVERIFY(m_stack.serve(limits));
        std::vector<std::unique_ptr<QTcpSocket>> open;
        for (int i = 0; i < 60; ++i) {
            open.push_back(std::make_unique<QTcpSocket>());
            QVERIFY(connectRaw(*open.back()));
        }
        QTRY_COMPARE_WITH_TIMEOUT(m_stack.server->openConnections(), 60, 5000);
        // All 60 of this address's connections wait on their client: the oldest gives way,
        // so the address's fresh request is served rather than refused.
        QSignalSpy oldestClosed(open.front().get(), &QAbstractSocket::disconnected);
        QTcpSocket extra;
        QVERIFY(connectRaw(extra));
        auto raw = exchange(extra, "GET /health/server HTTP/1.1\r\nHost: x\r\n\r\n");
        QVERIFY(raw);
        QCOMPARE(raw->status, 200);
        QVERIFY(oldestClosed.count() > 0 || oldestClosed.wait(5000));
        QCOMPARE(m_stack.server->openConnections(), 60);
        open.clear();
        QTRY_COMPARE_WITH_TIMEOUT(m_stack.server->openConnections(), 1, 5000);
        QCOMPARE(call("GET", QStringLiteral("/health/server")).status, 200);
    }

    void clientsThatLeaveMidResponseDoNotHurt()
    {
        for (int i = 0; i < 30; ++i) {
            QTcpSocket socket;
            QVERIFY(connectRaw(socket));
            socket.write("GET /openapi.json HTTP/1.1\r\nHost: x\r\n\r\nGET /openapi.json "
                         "HTTP/1.1\r\nHost: x\r\n\r\n");
            socket.flush();
            socket.abort();
        }
        QTest::qWait(50);
        QCOMPARE(call("GET", QStringLiteral("/health/server")).status, 200);
    }

    void badInputSuite()
    {
        const QByteArray token = login("alice");
        QVERIFY(!token.isEmpty());
        const QByteArray admin = "Bearer " + token;
        const QByteArray viewer = basic("victor", kPassword);
        struct Case
        {
            QByteArray method;
            std::string path;
            QByteArray body;
            QByteArray contentType;
            QByteArray auth;
        };
        std::vector<Case> cases;
        // Malformed JSON, in many ways.
        const QList<QByteArray> malformed{"{",
                                          "}",
                                          "{\"a\":}",
                                          "{\"a\" 1}",
                                          "[1,2",
                                          "{'a':1}",
                                          "nul",
                                          "tru",
                                          "{\"a\":1,}",
                                          "{\"a\":01}",
                                          "\"unterminated",
                                          "{\"a\":\"\\x\"}",
                                          "{a:1}",
                                          "[,]",
                                          "{\"a\":1}}",
                                          "{\"a\":NaN}",
                                          "{\"a\":Infinity}",
                                          "\x01",
                                          "{\"a\":[}",
                                          "{\"\xff\":1}",
                                          "{\"a\":\"\xc3\"}",
                                          "1 2",
                                          "{}{}",
                                          "{\"a\":.5}",
                                          "{\"a\":-}",
                                          "{\"a\":1e}",
                                          "/* c */{}",
                                          "{\"a\":'b'}",
                                          "\t\n{\n\"a\":\n}"};
        for (const auto &text : malformed) {
            cases.push_back(
                {"POST", "/automation-studio/automations", text, "application/json", admin});
            cases.push_back({"POST", "/login", text, "application/json", {}});
        }
        // Well-formed JSON of the wrong shape or types.
        const QList<QByteArray> wrongShapes{"[]",
                                            "1",
                                            "\"text\"",
                                            "null",
                                            "true",
                                            "{}",
                                            "{\"automation\":1}",
                                            "{\"automation\":[]}",
                                            "{\"automation\":\"x\"}",
                                            "{\"automation\":null}",
                                            "{\"automation\":{}}",
                                            "{\"automation\":{\"name\":5}}",
                                            "{\"automation\":{\"name\":\"x\",\"tasks\":[]}}"};
        for (const auto &text : wrongShapes)
            cases.push_back(
                {"POST", "/automation-studio/automations", text, "application/json", admin});
        const QList<QByteArray> badLogins{
            "{}",
            "[]",
            "{\"user\":1}",
            "{\"user\":[]}",
            "{\"username\":1,\"password\":\"x\"}",
            "{\"username\":\"alice\"}",
            "{\"username\":\"alice\",\"password\":null}",
            "{\"user\":{\"username\":\"alice\",\"password\":5}}",
            "{\"username\":\"' OR 1=1 --\",\"password\":\"x\"}",
            "{\"username\":\"alice'; DROP TABLE users;--\",\"password\":\"x\"}"};
        for (const auto &text : badLogins)
            cases.push_back({"POST", "/login", text, "application/json", {}});
        const QList<QByteArray> badExports{"{\"options\":1}",
                                           "{\"options\":{}}",
                                           "{\"options\":{\"name\":5}}",
                                           "{\"options\":[]}",
                                           "{\"options\":{\"_id\":\"' OR '1'='1\"}}",
                                           "{\"options\":{\"name\":\"../../etc/passwd\"}}"};
        for (const auto &text : badExports)
            cases.push_back({"POST", "/workflow_builder/export", text, "application/json", admin});
        // Unknown filters and bad paging, including SQL in the parameter names.
        const std::vector<std::string> badQueries{"foo=1",
                                                  "equals[nope]=1",
                                                  "equals[name]]=x",
                                                  "limit=-1",
                                                  "limit=abc",
                                                  "limit=1e3",
                                                  "limit=99999999999",
                                                  "skip=-5",
                                                  "skip=x",
                                                  "sort=name",
                                                  "q={}",
                                                  "equals[name;DROP]=1",
                                                  "equals[name%27%20OR%201=1--]=x",
                                                  "contains[1=1]=x",
                                                  "name=x",
                                                  "limit=%zz",
                                                  "%zz=1",
                                                  "include=*",
                                                  "limit=",
                                                  "skip=1.5"};
        for (const auto &q : badQueries)
            cases.push_back({"GET", "/automation-studio/workflows?" + q, {}, {}, admin});
        for (const auto &q : {"after=-1", "after=x", "limit=0", "limit=100000", "foo=bar",
                              "after=1%20OR%201=1", "after=9223372036854775808"})
            cases.push_back({"GET", std::string("/events?") + q, {}, {}, admin});
        // Path traversal and SQL metacharacters in ids: never found, never an error page.
        const std::vector<std::string> badIds{"..%2F..%2Fetc%2Fpasswd",
                                              "%2e%2e%2f%2e%2e",
                                              "'%20OR%20'1'%3D'1",
                                              "x%3B%20DROP%20TABLE%20workflows",
                                              "%00",
                                              "%25",
                                              "a%2Fb",
                                              "..%5C..%5Cwindows",
                                              "%22%3E%3Cscript%3E",
                                              "*",
                                              "%27"};
        for (const auto &id : badIds) {
            cases.push_back({"GET", "/automation-studio/workflows/detailed/" + id, {}, {}, admin});
            cases.push_back({"DELETE", "/workflow_builder/workflows/delete/" + id, {}, {}, admin});
        }
        // Wrong methods on known paths, and unknown paths.
        for (const auto &[m, p] : std::vector<std::pair<QByteArray, std::string>>{
                 {"DELETE", "/automation-studio/workflows"},
                 {"PUT", "/login"},
                 {"GET", "/login"},
                 {"PATCH", "/whoami"},
                 {"POST", "/health/server"},
                 {"DELETE", "/health/status"},
                 {"GET", "/logout"},
                 {"GET", "/oauth/token"},
                 {"POST", "/openapi.json"},
                 {"HEAD", "/whoami"},
                 {"TRACE", "/whoami"},
                 {"OPTIONS", "/login"},
                 {"GET", "/operations-manager/nothing"},
                 {"GET", "/../../etc/passwd"},
                 {"GET", "/%2e%2e/%2e%2e/etc/passwd"}})
            cases.push_back({m, p, {}, {}, admin});
        // Missing or insufficient auth.
        for (const auto &[m, p] : std::vector<std::pair<QByteArray, std::string>>{
                 {"GET", "/automation-studio/workflows"},
                 {"GET", "/whoami"},
                 {"POST", "/logout"},
                 {"GET", "/events"},
                 {"POST", "/automation-studio/automations"},
                 {"POST", "/workflow_builder/export"},
                 {"DELETE", "/workflow_builder/workflows/delete/x"}}) {
            cases.push_back({m, p, {}, {}, {}});
            cases.push_back({m, p, {}, {}, "Bearer nonsense"});
            cases.push_back({m, p, {}, {}, "Basic !!!"});
            cases.push_back({m, p, {}, {}, "Digest x"});
        }
        cases.push_back({"POST", "/automation-studio/automations", "{\"automation\":{}}",
                         "application/json", viewer});
        cases.push_back({"DELETE", "/workflow_builder/workflows/delete/x", {}, {}, viewer});
        // The stream's path without an upgrade, near misses, and JSON where a form is expected.
        for (const auto &p : {"/events/streams", "/events/stream", "/openapi.json/x"})
            cases.push_back({"GET", p, {}, {}, admin});
        for (const auto &text : {"{}", "[]", "{\"grant_type\":\"client_credentials\"}"})
            cases.push_back({"POST", "/oauth/token", text, "application/json", {}});
        for (const auto &text : {"grant_type=client_credentials", "client_id=robot&client_secret=x",
                                 "grant_type=client_credentials&client_id=%zz",
                                 "grant_type=implicit&client_id=robot&client_secret=x"})
            cases.push_back({"POST", "/oauth/token", text, kFormType, {}});
        // Wrong content types.
        for (const auto &type : {"text/plain", "application/xml", "multipart/form-data; boundary=x",
                                 "application/x-www-form-urlencoded", "image/png"})
            cases.push_back({"POST", "/automation-studio/automations", "{\"automation\":{}}",
                             QByteArray(type), admin});
        // Bodies over the limit.
        for (int kib : {65, 100, 512, 2048})
            cases.push_back({"POST", "/automation-studio/automations",
                             "{\"automation\":\"" + QByteArray(kib * 1024, 'a') + "\"}",
                             "application/json", admin});

        QVERIFY2(cases.size() >= 200, qPrintable(QString::number(cases.size())));
        for (const auto &c : cases) {
            QList<QPair<QByteArray, QByteArray>> headers;
            if (!c.contentType.isEmpty())
                headers.push_back({"Content-Type", c.contentType});
            if (!c.auth.isEmpty())
                headers.push_back({"Authorization", c.auth});
            auto r = call(c.method, QString::fromStdString(c.path), c.body, headers);
            const QByteArray what =
                c.method + " " + QByteArray::fromStdString(c.path) + " " + c.body.left(40);
            QVERIFY2(
                r.status >= 400 && r.status < 500,
                QByteArray(what + " -> " + QByteArray::number(r.status) + " " + r.body.left(200))
                    .constData());
            if (c.method != "HEAD") {
                QVERIFY2(r.contentType.startsWith("application/json"), what.constData());
                const json body = r.parsed();
                QVERIFY2(body.is_object() && body.value("message", json()).is_string(),
                         what.constData());
                QVERIFY2(r.body.indexOf("SQL") < 0 && r.body.indexOf("sqlite") < 0,
                         what.constData());
            }
        }
        QCOMPARE(call("GET", QStringLiteral("/health/server")).status, 200);
        QCOMPARE(call("GET", QStringLiteral("/whoami"), {}, {{"Authorization", admin}}).status,
                 200);
    }

    void jsonErrorsSayWhere()
    {
        auto r = call("POST", QStringLiteral("/login"), "{\n  \"username\": \"a\",\n  oops\n}");
        QCOMPARE(r.status, 400);
        const json body = r.parsed();
        QCOMPARE(body["details"]["line"].get<int>(), 3);
        QVERIFY(body["message"].get<std::string>().find("line 3") != std::string::npos);
        auto shape =
            call("POST", QStringLiteral("/login"), R"({"user":{"username":"a","password":7}})");
        QCOMPARE(shape.status, 400);
        QCOMPARE(shape.parsed()["details"]["pointer"].get<std::string>(),
                 std::string("/user/password"));
    }

    /// Imports the demo manual-task workflow and starts a job of it through the API; the
    /// job's id.
    std::string startApprovalJob(const QByteArray &token, bool import = true)
    {
        const QByteArray text = test::readFile(
            test::sourcePath(QStringLiteral("resources/demo/manual-change-approval.json")));
        const json workflow = json::parse(text.begin(), text.end());
        const QList<QPair<QByteArray, QByteArray>> auth{{"Authorization", "Bearer " + token}};
        if (import) {
            auto created =
                call("POST", QStringLiteral("/automation-studio/automations"),
                     QByteArray::fromStdString(json{{"automation", workflow}}.dump()), auth);
            if (created.status != 200)
                return {};
        }
        const json start = {{"workflow", workflow["name"]},
                            {"options",
                             {{"variables",
                               {{"device", "dist-sw-04"},
                                {"changeTicket", "CHG0031877"},
                                {"proposedConfig", "interface Gi1/0/12"}}}}}};
        auto started = call("POST", QStringLiteral("/operations-manager/jobs/start"),
                            QByteArray::fromStdString(start.dump()), auth);
        if (started.status != 200)
            qWarning("start: %d %s", started.status, started.body.constData());
        return started.parsed()["data"].value("_id", std::string());
    }

    /// The iteration id of the job's waiting manual task.
    std::string manualIteration(const QByteArray &token, const std::string &jobId)
    {
        auto r =
            call("GET", QStringLiteral("/operations-manager/tasks?equals[type]=manual&limit=100"),
                 {}, {{"Authorization", "Bearer " + token}});
        const json tasks = r.parsed();
        for (const auto &task : tasks["data"])
            if (task["job"].value("_id", std::string()) == jobId &&
                task.value("status", std::string()) == "running")
                return task["_id"].get<std::string>();
        qWarning("no running manual task of job %s: %d %s", jobId.c_str(), r.status,
                 r.body.left(300).constData());
        return {};
    }

    void fiftyOperatorsClaimOneTask()
    {
        const QByteArray admin = login("alice");
        const std::string jobId = startApprovalJob(admin);
        QVERIFY(!jobId.empty());
        const std::string iteration = manualIteration(admin, jobId);
        QVERIFY(!iteration.empty());

        std::vector<QByteArray> tokens;
        for (int i = 0; i < 50; ++i) {
            access::NewUser u;
            u.username = "op" + std::to_string(i);
            u.roles = {"operator"};
            u.groups = {m_operatorGroup};
            auto user = m_stack.accounts->createUser(u);
            QVERIFY(user.ok());
            auto issued = m_stack.accounts->tokens().issue(user->id, 3600'000);
            QVERIFY(issued.ok());
            tokens.push_back(QByteArray::fromStdString(issued->token));
        }
        // Fifty connections open first, then every claim written at once.
        std::vector<std::unique_ptr<QTcpSocket>> sockets;
        std::vector<QByteArray> received(50);
        for (int i = 0; i < 50; ++i) {
            sockets.push_back(std::make_unique<QTcpSocket>());
            QVERIFY(connectRaw(*sockets.back()));
            QTcpSocket *s = sockets.back().get();
            connect(s, &QIODevice::readyRead, this,
                    [s, &received, i] { received[i] += s->readAll(); });
        }
        for (int i = 0; i < 50; ++i)
            sockets[i]->write("POST /operations-manager/tasks/" +
                              QByteArray::fromStdString(iteration) +
                              "/claim HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + tokens[i] +
                              "\r\nContent-Length: 0\r\n\r\n");
        QTRY_VERIFY_WITH_TIMEOUT(
            std::all_of(received.begin(), received.end(),
                        [](const QByteArray &r) { return test::parseRaw(r).has_value(); }),
            30'000);
        int ok = 0, conflict = 0, owner = -1;
        for (int i = 0; i < 50; ++i) {
            const int status = test::parseRaw(received[i])->status;
            if (status == 200) {
                ++ok;
                owner = i;
            } else if (status == 409) {
                ++conflict;
            }
        }
        QCOMPARE(ok, 1);
        QCOMPARE(conflict, 49);

        const QByteArray finish = R"({"taskData":{"finish_state":"success","variables":{}}})";
        const QString finishPath = QStringLiteral("/operations-manager/jobs/%1/tasks/7a23/finish")
                                       .arg(QString::fromStdString(jobId));
        const int other = owner == 0 ? 1 : 0;
        auto notOwner =
            call("POST", finishPath, finish, {{"Authorization", "Bearer " + tokens[other]}});
        QVERIFY2(notOwner.status >= 400 && notOwner.status < 500, notOwner.body.constData());
        auto byOwner =
            call("POST", finishPath, finish, {{"Authorization", "Bearer " + tokens[owner]}});
        QVERIFY2(byOwner.status == 200, byOwner.body.constData());
        auto again =
            call("POST", finishPath, finish, {{"Authorization", "Bearer " + tokens[owner]}});
        QCOMPARE(again.status, 409);
    }

    void eventStreamAndCatchUp()
    {
        const QByteArray token = login("alice");

        // Refused without credentials: the socket is closed by the server.
        QWebSocket anonymous;
        QSignalSpy anonymousClosed(&anonymous, &QWebSocket::disconnected);
        anonymous.open(QUrl(QStringLiteral("ws://127.0.0.1:%1/events/stream").arg(m_stack.port)));
        QVERIFY(anonymousClosed.wait(10'000));

        QWebSocket ws;
        QStringList messages;
        connect(&ws, &QWebSocket::textMessageReceived, this,
                [&](const QString &m) { messages << m; });
        QSignalSpy ready(&m_stack.server->events(), &http::EventStream::clientReady);
        ws.open(QUrl(QStringLiteral("ws://127.0.0.1:%1/events/stream?token=%2")
                         .arg(m_stack.port)
                         .arg(QString::fromUtf8(token))));
        QVERIFY(ready.wait(10'000));

        const std::string jobId = startApprovalJob(token);
        QVERIFY(!jobId.empty());
        QTRY_VERIFY2_WITH_TIMEOUT(!messages.isEmpty(),
                                  qPrintable(QStringLiteral("clients %1, socket state %2")
                                                 .arg(m_stack.server->events().clientCount())
                                                 .arg(int(ws.state()))),
                                  10'000);
        const json first = json::parse(messages.first().toStdString());
        QCOMPARE(first["jobId"].get<std::string>(), jobId);
        const std::int64_t firstSeq = first["seq"].get<std::int64_t>();

        auto all = call("GET", QStringLiteral("/events?after=0&limit=500"), {},
                        {{"Authorization", "Bearer " + token}});
        QCOMPARE(all.status, 200);
        const json events = all.parsed()["data"];
        QCOMPARE(int(events.size()), messages.size());
        auto after = call("GET", QStringLiteral("/events?after=%1").arg(firstSeq), {},
                          {{"Authorization", "Bearer " + token}});
        QCOMPARE(after.status, 200);
        const json later = after.parsed()["data"];
        QCOMPARE(int(later.size()), messages.size() - 1);
        for (const auto &e : later)
            QVERIFY(e["seq"].get<std::int64_t>() > firstSeq);

        // A client that leaves while events are pushed does not hurt the server.
        ws.abort();
        QVERIFY(!startApprovalJob(token, false).empty());
        QTRY_COMPARE_WITH_TIMEOUT(m_stack.server->events().clientCount(), 0, 5000);
        QCOMPARE(call("GET", QStringLiteral("/health/server")).status, 200);
    }
};

QTEST_GUILESS_MAIN(TestHttpServer)
#include "TestHttpServer.moc"
