// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/client/ApiReply.h"

namespace flowdeck::ui {

ApiReply::ApiReply(QObject *parent) : QObject(parent)
{}

void ApiReply::finish(api::ApiResponse response)
{
    if (m_finished)
        return;
    m_response = std::move(response);
    m_finished = true;
    Q_EMIT finished();
}

} // namespace flowdeck::ui
