// SPDX-License-Identifier: GPL-3.0-or-later
// Starting the REST API from the command line's --listen, --tls-cert/--tls-key and
// --insecure: shared by `flowdeck serve` and the window.
#pragma once

#include "app/CommandLine.h"
#include "engine/api/EngineApi.h"
#include "engine/http/HttpServer.h"

#include <memory>

namespace flowdeck::app {

/// Where `flowdeck serve` listens without --listen.
inline constexpr const char *kDefaultListen = "127.0.0.1:3000";

/// Starts an HttpServer on the calling thread (the engine's) at `listen` ("ADDR:PORT").
/// Refuses (Invalid, saying what to do) plain HTTP on an address other than loopback unless
/// `inv.insecure`; says on standard error where it serves and whether it is insecure.
Result<std::unique_ptr<http::HttpServer>> startApiServer(api::EngineApi &api, const Invocation &inv,
                                                         const QString &listen);

} // namespace flowdeck::app
