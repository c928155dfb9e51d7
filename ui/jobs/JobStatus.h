// SPDX-License-Identifier: GPL-3.0-or-later
// How a job status (§4.1 of the reference) reads and looks in the window: its label, its icon
// and its colour, the same everywhere a job is shown. GUI thread.
#pragma once

#include <QColor>
#include <QIcon>
#include <QString>
#include <QStringList>

namespace flowdeck::ui::jobstatus {

/// Every job status the engine reports, and "waiting" (running, with a manual task nobody has
/// claimed: what an operator looks for first), in the order an operator scans for them.
QStringList all();
/// "running" → "Running"; an unknown status is shown as the engine spelled it.
QString label(const QString &status);
/// The status disc from the icon resources; a neutral ring for an unknown status.
QIcon icon(const QString &status);
/// The status colour (a progress bar's fill), readable on light and dark palettes.
QColor color(const QString &status);
/// True for the statuses a job never leaves (complete, canceled).
bool isFinished(const QString &status);

} // namespace flowdeck::ui::jobstatus
