// SPDX-License-Identifier: GPL-3.0-or-later
// The parts every list page of the window is built from, so they look and behave alike: the
// header (the page's title, its actions as a text tool bar), the banner line under it, and
// read-only tables of JSON rows. The Adapters page uses them; the Automations and My tasks
// pages hold older copies of the same parts that can move onto these. GUI thread.
#pragma once

#include <QList>
#include <QString>

class QAction;
class QLabel;
class QTableView;
class QWidget;

namespace flowdeck::ui {

class JsonListModel;

namespace pagechrome {

/// A read-only table over `model`: whole rows selected one at a time, alternating rows, no
/// grid, roomy rows, Tab leaving it rather than walking its cells.
QTableView *table(JsonListModel *model, const QString &name, QWidget *parent);
/// The page's top line: `title` large on the left, `actions` as text buttons on the right
/// (a null action is a separator).
QWidget *header(const QString &title, const QList<QAction *> &actions, QWidget *parent);
/// A full-width message line, hidden until setBanner() gives it text.
QLabel *banner(const QString &name, QWidget *parent);
/// Shows `text` white on red (a problem) or on green; "" hides the banner.
void setBanner(QLabel *banner, const QString &text, bool problem);

} // namespace pagechrome
} // namespace flowdeck::ui
