// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/http/EventStream.h"

#include "engine/api/EventJson.h"
#include "engine/runtime/Engine.h"

#include <QNetworkRequest>
#include <QTimer>
#include <QUrlQuery>
#include <QWebSocket>

#include <charconv>

namespace flowdeck::http {
namespace {

using nlohmann::json;

constexpr int kPage = 1000;
constexpr const char *kStreamPath = "/events/stream";
/// How long a closing stream waits for the client's close frame before cutting it.
constexpr int kCloseGraceMs = 2000;

std::optional<std::int64_t> wholeNumber(const std::string &text)
{
    std::int64_t value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || value < 0)
        return std::nullopt;
    return value;
}

} // namespace

EventStream::EventStream(store::Store &store, Authenticator &authenticator,
                         SignInVerifier *verifier, QObject *parent)
    : QObject(parent), m_store(store), m_authenticator(authenticator), m_verifier(verifier)
{
    if (auto latest = latestSeq(store); latest)
        m_cursor = *latest;
}

EventStream::~EventStream()
{
    for (auto &client : m_clients)
        if (client->socket)
            client->socket->abort();
}

Result<std::int64_t> EventStream::latestSeq(store::Store &store)
{
    auto newest = store.jobEventsBefore("", store::Store::kNewestEvents, 1);
    if (!newest)
        return newest.error();
    return newest->empty() ? 0 : newest->front().seq;
}

void EventStream::attach(runtime::Engine *engine)
{
    if (!engine)
        return;
    connect(engine, &runtime::Engine::jobChanged, this, [this] { push(); });
}

std::map<std::string, json> EventStream::jobDocuments(const std::vector<store::JobEvent> &events)
{
    std::map<std::string, json> jobs;
    for (const auto &event : events) {
        if (jobs.count(event.jobId))
            continue;
        auto job = m_store.job(event.jobId);
        jobs[event.jobId] = job ? std::move(job->document) : json();
    }
    return jobs;
}

void EventStream::send(Client &client, const std::vector<store::JobEvent> &events,
                       const std::map<std::string, json> &jobs)
{
    if (!client.socket)
        return;
    for (const auto &event : events) {
        const json &job = jobs.at(event.jobId);
        // A job that cannot be read is shown to admins only, as GET /events does.
        if (job.is_object() ? !client.who.allowedBy(job.value("groups", json::array()))
                            : !client.who.admin)
            continue;
        // A client that left meanwhile makes this a no-op: QWebSocket checks its state, and
        // the QPointer covers a socket already deleted.
        client.socket->sendTextMessage(
            QString::fromStdString(api::eventlog::eventJson(event, job)
                                       .dump(-1, ' ', false, json::error_handler_t::replace)));
    }
}

void EventStream::push()
{
    for (;;) {
        auto events = m_store.jobEvents("", m_cursor, kPage);
        if (!events || events->empty())
            return;
        m_cursor = events->back().seq;
        if (!m_clients.empty()) {
            const auto jobs = jobDocuments(*events);
            for (auto &client : m_clients)
                send(*client, *events, jobs);
        }
        if (int(events->size()) < kPage)
            return;
    }
}

void EventStream::accept(std::unique_ptr<QWebSocket> socket)
{
    QWebSocket *ws = socket.release();
    ws->setParent(this);
    // Viewers only listen; what they send is ignored. A frame or message over the cap closes
    // the stream with 1009 (message too big) from its header, before its payload is read,
    // and the socket buffers no more than the cap meanwhile.
    ws->setMaxAllowedIncomingFrameSize(kMaxIncomingBytes);
    ws->setMaxAllowedIncomingMessageSize(kMaxIncomingBytes);
    ws->setReadBufferSize(2 * kMaxIncomingBytes);
    // A client that keeps sending after the close frame is not waited for.
    connect(ws, &QWebSocket::aboutToClose, ws,
            [ws] { QTimer::singleShot(kCloseGraceMs, ws, [ws] { ws->abort(); }); });
    connect(ws, &QWebSocket::disconnected, ws, &QObject::deleteLater);
    const QUrl url = ws->requestUrl();
    if (url.path() != QLatin1String(kStreamPath)) {
        ws->close(QWebSocketProtocol::CloseCodePolicyViolated,
                  QStringLiteral("the event stream is at /events/stream"));
        return;
    }
    const QNetworkRequest request = ws->request();
    const QUrlQuery query(url);
    Credentials credentials;
    credentials.authorization = request.rawHeader("Authorization").toStdString();
    credentials.cookies = request.rawHeader("Cookie").toStdString();
    if (query.hasQueryItem(QStringLiteral("token")))
        credentials.token =
            query.queryItemValue(QStringLiteral("token"), QUrl::FullyDecoded).toStdString();
    credentials.address = ws->peerAddress().toString().toStdString();
    if (m_verifier) {
        std::vector<api::auth::PasswordClaim> claims;
        if (auto basic = m_authenticator.passwordClaim(credentials))
            claims.push_back(std::move(*basic));
        QPointer<QWebSocket> alive(ws);
        switch (m_verifier->verify(claims, credentials.address, [this, alive, credentials] {
            if (alive && alive->state() == QAbstractSocket::ConnectedState)
                admit(alive.data(), credentials);
        })) {
        case SignInVerifier::Outcome::Started:
            return;
        case SignInVerifier::Outcome::NotNeeded:
            break;
        case SignInVerifier::Outcome::Busy:
        case SignInVerifier::Outcome::BusyHere:
            ws->close(QWebSocketProtocol::CloseCodeBadOperation,
                      QStringLiteral("too many sign-ins are being checked; try again"));
            return;
        }
    }
    admit(ws, credentials);
}

void EventStream::admit(QWebSocket *ws, const Credentials &credentials)
{
    const QUrlQuery query(ws->requestUrl());
    auto auth = m_authenticator.authenticate(credentials);
    if (!auth.principal) {
        ws->close(QWebSocketProtocol::CloseCodePolicyViolated,
                  QString::fromStdString(auth.failure ? auth.failure->message : "sign in first"));
        return;
    }
    if (!auth.principal->can("getJobs")) {
        ws->close(QWebSocketProtocol::CloseCodePolicyViolated,
                  QStringLiteral("your roles do not grant getJobs"));
        return;
    }
    auto client = std::make_unique<Client>(Client{ws, *auth.principal});
    connect(
        ws, &QWebSocket::disconnected, this,
        [this, ws] {
            std::erase_if(m_clients, [ws](const auto &c) { return c->socket == ws || !c->socket; });
        },
        Qt::QueuedConnection); // never while push() walks the list
    // The backlog the client asked for, up to the live cursor; live events follow from there.
    if (query.hasQueryItem(QStringLiteral("after"))) {
        if (auto after = wholeNumber(query.queryItemValue(QStringLiteral("after")).toStdString())) {
            std::int64_t cursor = *after;
            while (cursor < m_cursor) {
                auto events = m_store.jobEvents("", cursor, kPage);
                if (!events || events->empty())
                    break;
                std::erase_if(*events, [this](const auto &e) { return e.seq > m_cursor; });
                if (events->empty())
                    break;
                cursor = events->back().seq;
                send(*client, *events, jobDocuments(*events));
            }
        }
    }
    m_clients.push_back(std::move(client));
    Q_EMIT clientReady();
}

} // namespace flowdeck::http
