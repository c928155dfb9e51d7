// SPDX-License-Identifier: GPL-3.0-or-later
// Follows the request framing of one HTTP/1.1 connection (headers, Content-Length or chunked
// bodies, pipelined requests) on the bytes as they arrive, before QHttpServer reads them, so
// an oversized body is refused before anyone buffers it. It checks sizes only: QHttpServer
// still parses the requests that pass.
#pragma once

#include <QByteArray>

#include <cstdint>

namespace flowdeck::http {

class RequestScanner
{
public:
    enum class Verdict {
        Continue,        ///< within the limits so far
        BodyTooLarge,    ///< 413
        HeadersTooLarge, ///< 431
        Malformed,       ///< 400: framing no server could follow (bad Content-Length, chunk size)
        Upgrade,         ///< the connection becomes a WebSocket: stop scanning it
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

private:
    enum class State { Headers, Body, ChunkSize, ChunkData, ChunkDataEnd, Trailers, Done };

    Verdict headersComplete(const QByteArray &head);

    std::int64_t m_maxBody;
    std::int64_t m_maxHeader;
    State m_state = State::Headers;
    Verdict m_final = Verdict::Continue;
    QByteArray m_line;            ///< the headers, chunk-size line or trailer collected so far
    std::int64_t m_remaining = 0; ///< of the body or of the chunk
    std::int64_t m_chunkedTotal = 0;
    bool m_continuePending = false;
};

} // namespace flowdeck::http
