// SPDX-License-Identifier: GPL-3.0-or-later
// What one HTTP server accepts from its clients. QHttpServer 6.4 has none of these limits
// (../docs/http.md); Flowdeck's own QTcpServer enforces them on the bytes as they arrive.
#pragma once

#include <cstdint>

namespace flowdeck::http {

struct RequestLimits
{
    /// A request body larger than this is refused with 413, from Content-Length before any of
    /// it is read, or while a chunked body arrives. Workflow documents are tens of kilobytes.
    std::int64_t maxBodyBytes = 8LL * 1024 * 1024;
    /// The request line and headers together; beyond this, 431.
    std::int64_t maxHeaderBytes = 64 * 1024;
    /// A connection between requests that sends and receives nothing for this long is closed
    /// (WebSocket streams excepted: they are meant to stay quiet between events).
    int idleTimeoutMs = 60'000;
    /// The request line and headers must be complete this long after their first byte (or
    /// after the connection opened): more bytes do not extend it, so a trickle cannot hold a
    /// connection. Late: 408.
    int headerTimeoutMs = 10'000;
    /// A body must arrive at least this fast, after a grace of headerTimeoutMs: the deadline
    /// moves on by one second per this many bytes received. Slower: 408.
    int minBodyBytesPerSecond = 1024;
    /// Connections open at once from one address, and in all. At either cap a new connection
    /// takes the place of the one that has waited longest on its client (a trickle, or an
    /// idle keep-alive); only when none waits is it answered 503. The cap in all is lowered
    /// to what the open-file limit leaves room for.
    int maxConnectionsPerAddress = 64;
    int maxConnections = 1024;
};

} // namespace flowdeck::http
