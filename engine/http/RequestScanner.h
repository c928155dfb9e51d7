// SPDX-License-Identifier: GPL-3.0-or-later
// Follows the request framing of one HTTP/1.1 connection (headers, Content-Length or chunked
// bodies, pipelined requests) on the bytes as they arrive, before QHttpServer reads them, so
// an oversized body is refused before anyone buffers it. It also refuses, with an answer,
// what QHttpServer's parser would silently hang up on: a malformed request line (HTTP/0.9
// included), a method it does not know, a header line that is not "name: value". QHttpServer
// still parses the requests that pass.
#pragma once

#include <QByteArray>

#include <cstdint>
#include <string>

namespace flowdeck::http {

class RequestScanner
{
public:
    enum class Verdict {
        Continue,         ///< within the limits so far
        BodyTooLarge,     ///< 413
        HeadersTooLarge,  ///< 431
        Malformed,        ///< 400: a request no server could follow; problem() says why
        MethodNotAllowed, ///< 405: a well-formed request line with a method Flowdeck never serves
        Upgrade,          ///< the connection becomes a WebSocket: stop scanning it
    };

    /// Where the connection is in its current request, for the deadlines that watch it.
    enum class Phase {
        Idle,    ///< between requests: nothing of the next one has arrived
        Headers, ///< part of a request line or headers has arrived
        Body,    ///< the headers are complete and the body is arriving
    };

    RequestScanner(std::int64_t maxBodyBytes, std::int64_t maxHeaderBytes)
        : m_maxBody(maxBodyBytes), m_maxHeader(maxHeaderBytes)
    {}

    /// Scans the next bytes of the stream. Once a verdict other than Continue is given, the
    /// connection is done and further calls return it again.
    Verdict feed(const char *data, std::int64_t size);

    /// True once after a request's headers asked "Expect: 100-continue" for a body within the
    /// limit: the caller answers "100 Continue" (QHttpServer 6.4 never does, and curl then
    /// waits a second before sending the body).
    bool takeContinue()
    {
        const bool pending = m_continuePending;
        m_continuePending = false;
        return pending;
    }

    Phase phase() const;
    /// Bytes of the current body received so far (Phase::Body).
    std::int64_t bodyReceived() const { return m_bodyReceived; }
    /// Requests whose last byte has been scanned, since the connection opened.
    std::int64_t requestsCompleted() const { return m_completed; }
    /// Why a Malformed or MethodNotAllowed verdict was given, for the answer.
    const std::string &problem() const { return m_problem; }

private:
    enum class State { Headers, Body, ChunkSize, ChunkData, ChunkDataEnd, Trailers, Done };

    Verdict headersComplete(const QByteArray &head);
    Verdict refuse(Verdict verdict, std::string problem);
    /// Checks the request line once its end has arrived; Continue when it is well formed.
    Verdict checkRequestLine(const QByteArray &line);

    std::int64_t m_maxBody;
    std::int64_t m_maxHeader;
    State m_state = State::Headers;
    Verdict m_final = Verdict::Continue;
    QByteArray m_line;            ///< the headers, chunk-size line or trailer collected so far
    std::int64_t m_remaining = 0; ///< of the body or of the chunk
    std::int64_t m_chunkedTotal = 0;
    std::int64_t m_bodyReceived = 0;
    std::int64_t m_completed = 0;
    bool m_continuePending = false;
    bool m_requestLineChecked = false;
    std::string m_problem;
};

} // namespace flowdeck::http
