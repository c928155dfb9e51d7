// SPDX-License-Identifier: GPL-3.0-or-later
// The one narrow interface the window uses to reach an engine. LocalClient runs the
// in-process engine today; a RemoteClient will speak REST to a remote Flowdeck later, and the
// window will not notice the difference. Lives on the GUI thread; never blocks it.
#pragma once

#include "engine/api/ApiTypes.h"
#include "ui/client/ApiReply.h"

#include <QObject>

namespace flowdeck::ui {

class ConsoleClient : public QObject
{
    Q_OBJECT
public:
    explicit ConsoleClient(QObject *parent = nullptr);
    ~ConsoleClient() override;

    /// Sends one request and returns at once. The reply is parented to the client; it emits
    /// finished() on the client's thread when the answer is in, and the caller may
    /// deleteLater() it at any time, even before then. Failures (unknown route, invalid body,
    /// engine gone) arrive as a response with an error status, never as an exception.
    virtual ApiReply *call(api::ApiRequest request) = 0;

Q_SIGNALS:
    /// A job changed (its status, a task, its owner, its watchers…): views showing it fetch
    /// it again. Live updates come from the engine in-process, from the event stream remotely.
    void jobChanged(const QString &jobId, const QString &status);
};

} // namespace flowdeck::ui
