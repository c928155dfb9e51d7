// SPDX-License-Identifier: GPL-3.0-or-later
// Job and task changes for remote consoles: pushed live over a WebSocket (/events/stream, on
// the API's own port), and listed by cursor with GET /events?after=N for catching up after a
// reconnect. Both carry the same messages: the job's event log entries, in `seq` order.
#pragma once

#include "engine/api/ApiTypes.h"
#include "engine/http/Authenticator.h"
#include "engine/store/Store.h"

#include <QObject>
#include <QPointer>

#include <memory>
#include <vector>

QT_BEGIN_NAMESPACE
class QWebSocket;
QT_END_NAMESPACE

namespace flowdeck::runtime {
class Engine;
}

namespace flowdeck::http {

class EventStream : public QObject
{
    Q_OBJECT
public:
    EventStream(store::Store &store, Authenticator &authenticator, QObject *parent = nullptr);
    ~EventStream() override;

    /// Pushes what the engine commits from now on. Must run on the engine's thread.
    void attach(runtime::Engine *engine);

    /// Takes a socket QHttpServer upgraded. Only /events/stream is served; the caller must
    /// authenticate (Authorization header, ?token= or the session cookie) and hold getJobs.
    /// `?after=N` first sends what came after N. Refused sockets are closed with a reason.
    void accept(std::unique_ptr<QWebSocket> socket);

    /// GET /events?after=N&limit=M: {message, data: [event…], metadata: {after, limit, next}};
    /// `next` is the cursor to pass as `after` to continue. Events of jobs hidden from the
    /// caller by GBAC are left out.
    Result<api::ApiResponse> catchUp(const api::ApiRequest &request);

    /// The highest event seq in the store (0 when empty).
    static Result<std::int64_t> latestSeq(store::Store &store);

    int clientCount() const { return int(m_clients.size()); }

    /// Sends events committed since the last push to every client; called on each job change.
    void push();

Q_SIGNALS:
    /// A client was accepted (after its backlog was sent); for tests.
    void clientReady();

private:
    struct Client
    {
        QPointer<QWebSocket> socket;
        model::Principal who;
    };
    nlohmann::json eventJson(const store::JobEvent &event) const;
    /// The groups of each job in `events` (GBAC), looked up once per job.
    std::map<std::string, nlohmann::json> jobGroups(const std::vector<store::JobEvent> &events);
    void send(Client &client, const std::vector<store::JobEvent> &events,
              const std::map<std::string, nlohmann::json> &groups);

    store::Store &m_store;
    Authenticator &m_authenticator;
    std::vector<std::unique_ptr<Client>> m_clients;
    std::int64_t m_cursor = 0;
};

} // namespace flowdeck::http
