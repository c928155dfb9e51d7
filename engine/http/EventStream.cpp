// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/http/EventStream.h"

#include "engine/runtime/Engine.h"

#include <QNetworkRequest>
#include <QUrlQuery>
#include <QWebSocket>

#include <charconv>
#include <set>

namespace flowdeck::http {
namespace {

using nlohmann::json;

constexpr int kPage = 1000;
constexpr const char *kStreamPath = "/events/stream";

std::optional<std::int64_t> wholeNumber(const std::string &text)
{
    std::int64_t value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || value < 0)
        return std::nullopt;
    return value;
}

} // namespace

EventStream::EventStream(store::Store &store, Authenticator &authenticator, QObject *parent)
    : QObject(parent), m_store(store), m_authenticator(authenticator)
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
    // The store lists events after a cursor but has no "last": find it by doubling, then
    // halving (about 2·log2(n) one-row reads on the seq index).
    auto any = [&store](std::int64_t after) -> Result<bool> {
        auto page = store.jobEvents("", after, 1);
        if (!page)
            return page.error();
        return !page->empty();
    };
    std::int64_t low = 0; // events exist after low (or low is 0)
    std::int64_t high = 1;
    for (;;) {
        auto more = any(high);
        if (!more)
            return more.error();
        if (!*more)
            break;
        low = high;
        high *= 2;
    }
    // Some event has seq > low, none has seq > high.
    auto first = any(low);
    if (!first)
        return first.error();
    if (!*first)
        return low;
    while (high - low > 1) {
        const std::int64_t mid = low + (high - low) / 2;
        auto more = any(mid);
        if (!more)
            return more.error();
        (*more ? low : high) = mid;
    }
    return high;
}

void EventStream::attach(runtime::Engine *engine)
{
    if (!engine)
        return;
    connect(engine, &runtime::Engine::jobChanged, this, [this] { push(); });
}

json EventStream::eventJson(const store::JobEvent &event) const
{
    return {{"seq", event.seq},   {"jobId", event.jobId},
            {"at", event.at},     {"actor", event.actor ? json(*event.actor) : json()},
            {"kind", event.kind}, {"data", event.data}};
}

std::map<std::string, json> EventStream::jobGroups(const std::vector<store::JobEvent> &events)
{
    std::map<std::string, json> groups;
    for (const auto &event : events) {
        if (groups.count(event.jobId))
            continue;
        auto job = m_store.job(event.jobId);
        // A job that cannot be read is shown to admins only: an impossible group list.
        groups[event.jobId] =
            job ? job->document.value("groups", json::array()) : json::array({"\x01unreadable"});
    }
    return groups;
}

void EventStream::send(Client &client, const std::vector<store::JobEvent> &events,
                       const std::map<std::string, json> &groups)
{
    if (!client.socket)
        return;
    for (const auto &event : events) {
        if (!client.who.allowedBy(groups.at(event.jobId)))
            continue;
        // A client that left meanwhile makes this a no-op: QWebSocket checks its state, and
        // the QPointer covers a socket already deleted.
        client.socket->sendTextMessage(QString::fromStdString(
            eventJson(event).dump(-1, ' ', false, json::error_handler_t::replace)));
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
            const auto groups = jobGroups(*events);
            for (auto &client : m_clients)
                send(*client, *events, groups);
        }
        if (int(events->size()) < kPage)
            return;
    }
}

void EventStream::accept(std::unique_ptr<QWebSocket> socket)
{
    QWebSocket *ws = socket.release();
    ws->setParent(this);
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
                send(*client, *events, jobGroups(*events));
            }
        }
    }
    m_clients.push_back(std::move(client));
    Q_EMIT clientReady();
}

Result<api::ApiResponse> EventStream::catchUp(const api::ApiRequest &req)
{
    static const std::set<std::string> known{"after", "limit", "token"};
    for (const auto &[key, value] : req.query)
        if (!known.count(key))
            return Error::invalid("unknown query parameter \"" + key + "\"",
                                  {{"parameter", key}, {"allowed", known}});
    std::int64_t after = 0;
    if (auto text = req.queryValue("after")) {
        auto parsed = wholeNumber(*text);
        if (!parsed)
            return Error::invalid("query parameter \"after\" must be a whole number, not \"" +
                                      *text + "\"",
                                  {{"parameter", "after"}});
        after = *parsed;
    }
    std::int64_t limit = 100;
    if (auto text = req.queryValue("limit")) {
        auto parsed = wholeNumber(*text);
        if (!parsed || *parsed < 1 || *parsed > kPage)
            return Error::invalid("query parameter \"limit\" must be a whole number from 1 to " +
                                      std::to_string(kPage) + ", not \"" + *text + "\"",
                                  {{"parameter", "limit"}});
        limit = *parsed;
    }
    auto events = m_store.jobEvents("", after, int(limit));
    if (!events)
        return events.error();
    const auto groups = jobGroups(*events);
    json data = json::array();
    for (const auto &event : *events)
        if (!req.principal || req.principal->allowedBy(groups.at(event.jobId)))
            data.push_back(eventJson(event));
    const std::int64_t next = events->empty() ? after : events->back().seq;
    return api::ApiResponse{200,
                            {{"message", "events after " + std::to_string(after)},
                             {"data", std::move(data)},
                             {"metadata",
                              {{"after", after},
                               {"limit", limit},
                               {"next", next},
                               {"more", int(events->size()) == limit}}}}};
}

} // namespace flowdeck::http
