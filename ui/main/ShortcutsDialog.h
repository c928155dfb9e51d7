// SPDX-License-Identifier: GPL-3.0-or-later
// Help → Keyboard shortcuts: every key the window answers to, read from the actions themselves
// (so the list cannot drift from what the keys do), grouped by where they work, plus the
// canvas's own keys. GUI thread.
#pragma once

#include <QDialog>

class QTableWidget;

namespace flowdeck::ui {

class ShortcutsDialog final : public QDialog
{
    Q_OBJECT
public:
    /// Lists the shortcuts of `window`'s actions and of every action below it.
    explicit ShortcutsDialog(QWidget *window, QWidget *parent = nullptr);

    QTableWidget *table() const { return m_table; }

private:
    QTableWidget *m_table = nullptr;
};

} // namespace flowdeck::ui
