// SPDX-License-Identifier: GPL-3.0-or-later
// The answer to one ConsoleClient::call, in the QNetworkReply idiom: created unfinished,
// finished() is emitted once on the thread the client lives on (the GUI thread), after which
// response() holds the engine's answer. Lives on the GUI thread.
#pragma once

#include "engine/api/ApiTypes.h"

#include <QObject>

namespace flowdeck::ui {

class ApiReply : public QObject
{
    Q_OBJECT
public:
    explicit ApiReply(QObject *parent = nullptr);

    /// The engine's answer; status 0 and null JSON until isFinished(). A failed call is an
    /// answer too: its status says what went wrong and its JSON carries {message, error}.
    const api::ApiResponse &response() const { return m_response; }
    bool isFinished() const { return m_finished; }

    /// For ConsoleClient implementations: stores the answer and emits finished(). A second
    /// call is ignored, so a reply finishes exactly once.
    void finish(api::ApiResponse response);

Q_SIGNALS:
    void finished();

private:
    api::ApiResponse m_response{0, nullptr};
    bool m_finished = false;
};

} // namespace flowdeck::ui
