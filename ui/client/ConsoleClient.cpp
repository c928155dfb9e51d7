// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/client/ConsoleClient.h"

namespace flowdeck::ui {

ConsoleClient::ConsoleClient(QObject *parent) : QObject(parent)
{}

ConsoleClient::~ConsoleClient() = default;

} // namespace flowdeck::ui
