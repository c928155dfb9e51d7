// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/ServeOptions.h"

#include "engine/http/OpenFileLimit.h"

#include <cstdio>

namespace flowdeck::app {

Result<std::unique_ptr<http::HttpServer>> startApiServer(api::EngineApi &api, const Invocation &inv,
                                                         const QString &listen)
{
    auto where = http::HttpServer::parseListen(listen);
    if (!where)
        return where.error();
    const auto &[address, port] = *where;
    const bool tls = !inv.tlsCert.isEmpty();
    // Passwords, tokens and job data would cross the network readable: only on purpose.
    if (!address.isLoopback() && !tls && !inv.insecure)
        return Error::invalid("listening on " + listen.toStdString() +
                              " (not loopback) needs --tls-cert and --tls-key, or --insecure "
                              "to serve plain HTTP anyway");
    // Every connection is a file descriptor: take all the process is allowed before the
    // server sizes its connection cap from it.
    http::raiseOpenFileLimit();
    auto server = std::make_unique<http::HttpServer>(api);
    if (tls)
        if (auto r = server->useTls(inv.tlsCert, inv.tlsKey); !r)
            return r.error();
    auto bound = server->start(address, port);
    if (!bound)
        return bound.error();
    const QString host = address.protocol() == QAbstractSocket::IPv6Protocol
                             ? QStringLiteral("[%1]").arg(address.toString())
                             : address.toString();
    std::fprintf(stderr, "flowdeck: serving the REST API on %s://%s:%u%s\n", tls ? "https" : "http",
                 qPrintable(host), unsigned(*bound),
                 !tls && !address.isLoopback()
                     ? " -- INSECURE: plain HTTP beyond this machine (--insecure)"
                     : "");
    return server;
}

} // namespace flowdeck::app
