// SPDX-License-Identifier: GPL-3.0-or-later
// Job and task changes for remote consoles, pushed live over a WebSocket (/events/stream, on
// the API's own port). The messages are the job's event log entries in `seq` order, shaped as
// GET /events (engine/api/EventLogApi) lists them, so a console that reconnects catches up
// there with ?after=<last seq it saw>.
#pragma once

#include "engine/http/Authenticator.h"
#include "engine/http/SignInVerifier.h"
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
    /// The largest frame or message a client may send (they are ignored: the stream is one
    /// way); larger closes the stream with 1009.
    static constexpr qint64 kMaxIncomingBytes = 64 * 1024;

    /// `verifier` checks Basic passwords off this thread (may be null: then they are checked
    /// here).
    EventStream(store::Store &store, Authenticator &authenticator, SignInVerifier *verifier,
                QObject *parent = nullptr);
    ~EventStream() override;

    /// Pushes what the engine commits from now on. Must run on the engine's thread.
    void attach(runtime::Engine *engine);

    /// Takes a socket QHttpServer upgraded. Only /events/stream is served; the caller must
    /// authenticate (Authorization header, ?token= or the session cookie) and hold getJobs.
    /// `?after=N` first sends what came after N. Refused sockets are closed with a reason.
    void accept(std::unique_ptr<QWebSocket> socket);

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
    /// The document of each job in `events` (its groups for GBAC, its name and task names
    /// for the messages), read once per job; null for a job that cannot be read.
    std::map<std::string, nlohmann::json> jobDocuments(const std::vector<store::JobEvent> &events);
    /// The rest of accept() once the caller's password, if any, has been checked.
    void admit(QWebSocket *ws, const Credentials &credentials);
    void send(Client &client, const std::vector<store::JobEvent> &events,
              const std::map<std::string, nlohmann::json> &jobs);

    store::Store &m_store;
    Authenticator &m_authenticator;
    SignInVerifier *m_verifier;
    std::vector<std::unique_ptr<Client>> m_clients;
    std::int64_t m_cursor = 0;
};

} // namespace flowdeck::http
