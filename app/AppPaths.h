// SPDX-License-Identifier: GPL-3.0-or-later
// Where Flowdeck keeps its data: the XDG data location unless --db says otherwise.
#pragma once

#include <QString>

namespace flowdeck::app {

/// $XDG_DATA_HOME/flowdeck/flowdeck.db (usually ~/.local/share/flowdeck/flowdeck.db).
QString defaultStorePath();

/// Makes sure the folder that will hold `storePath` exists; false (with `error` set) if it
/// cannot be created. ":memory:" needs nothing.
bool prepareStoreLocation(const QString &storePath, QString *error);

/// The operating-system user, for the window's local account.
QString localUserName();

} // namespace flowdeck::app
