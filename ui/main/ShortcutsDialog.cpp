// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/main/ShortcutsDialog.h"

#include <QAction>
#include <QCoreApplication>
#include <QDialogButtonBox>
#include <QHeaderView>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <vector>

namespace flowdeck::ui {

using namespace Qt::StringLiterals;

namespace {

struct Row
{
    int order;
    QString where;
    QString keys;
    QString what;
};

/// Where an action's keys work, from the page or part of the window that owns it.
std::pair<int, QString> placeOf(const QAction *action)
{
    static const std::pair<const char *, const char *> kPlaces[] = {
        {"taskPanel", QT_TRANSLATE_NOOP("ShortcutsDialog", "An open job's task")},
        {"jobDetail", QT_TRANSLATE_NOOP("ShortcutsDialog", "An open job")},
        {"jobsPage", QT_TRANSLATE_NOOP("ShortcutsDialog", "Jobs")},
        {"inboxPage", QT_TRANSLATE_NOOP("ShortcutsDialog", "My tasks")},
        {"automationsPage", QT_TRANSLATE_NOOP("ShortcutsDialog", "Automations")},
        {"eventsPage", QT_TRANSLATE_NOOP("ShortcutsDialog", "Events")},
    };
    for (const QObject *up = action->parent(); up; up = up->parent())
        for (std::size_t i = 0; i < std::size(kPlaces); ++i)
            if (up->objectName() == QLatin1String(kPlaces[i].first))
                return {int(i) + 1,
                        QCoreApplication::translate("ShortcutsDialog", kPlaces[i].second)};
    return {0, QCoreApplication::translate("ShortcutsDialog", "Everywhere")};
}

} // namespace

ShortcutsDialog::ShortcutsDialog(QWidget *window, QWidget *parent) : QDialog(parent)
{
    setObjectName(u"shortcutsDialog"_s);
    setWindowTitle(tr("Keyboard shortcuts"));
    std::vector<Row> rows;
    QList<QAction *> actions = window->actions();
    for (QAction *action : window->findChildren<QAction *>())
        if (!actions.contains(action))
            actions.append(action);
    for (const QAction *action : std::as_const(actions)) {
        if (action->shortcut().isEmpty())
            continue;
        QString what = action->text();
        what.remove(u'&');
        what.remove(u'…');
        const auto [order, where] = placeOf(action);
        const QString keys = action->shortcut().toString(QKeySequence::NativeText);
        const bool seen = std::any_of(rows.begin(), rows.end(), [&](const Row &r) {
            return r.keys == keys && r.where == where;
        });
        if (!seen)
            rows.push_back({order, where, keys, what});
    }
    // The canvas reads its keys itself (they are not actions): listed by hand, beside the code
    // that handles them in WorkflowCanvas::keyPressEvent.
    const QString canvas = tr("A canvas");
    rows.push_back({100, canvas, u"+  /  −"_s, tr("Zoom in / out")});
    rows.push_back({100, canvas, u"0"_s, tr("Fit the whole workflow")});
    rows.push_back({100, canvas, u"1"_s, tr("Zoom to 100 %")});
    rows.push_back({100, canvas, tr("Enter"), tr("Open the selected task")});
    rows.push_back({100, canvas, tr("Esc"), tr("Clear the selection")});
    rows.push_back({100, canvas, u"F11"_s, tr("Workflows: give the canvas the whole page")});
    // The editor's canvas (ui/editor/EditorTool::key) and window actions.
    const QString editor = tr("Workflow editor");
    rows.push_back({110, editor, tr("Drag a task"), tr("Move it to another grid cell")});
    rows.push_back({110, editor, tr("Shift+drag"), tr("Join a task to the one dropped on")});
    rows.push_back({110, editor, u"1  /  2  /  3"_s,
                    tr("Make the last transition (and the next) success / failure / error")});
    rows.push_back({110, editor, u"Ctrl+K"_s,
                    tr("Find a task to add; Enter places it after the selected task")});
    rows.push_back({110, editor, tr("Drag from the palette"), tr("Place a task on that cell")});
    rows.push_back({110, editor, tr("Arrows"), tr("Select the nearest task that way")});
    rows.push_back({110, editor, tr("Shift+arrows"), tr("Move the selected task one cell")});
    rows.push_back({110, editor, tr("J, arrows, Enter"),
                    tr("Join the selected task to the one the arrows reach (Esc gives up)")});
    rows.push_back({110, editor, tr("Delete"), tr("Delete the selected task")});
    rows.push_back({110, editor,
                    QKeySequence(QKeySequence::Undo).toString(QKeySequence::NativeText),
                    tr("Undo the last change")});
    rows.push_back({110, editor, u"Ctrl+Shift+Z"_s, tr("Redo")});
    rows.push_back({110, editor,
                    QKeySequence(QKeySequence::Save).toString(QKeySequence::NativeText),
                    tr("Save as the workflow's next version")});
    std::stable_sort(rows.begin(), rows.end(),
                     [](const Row &a, const Row &b) { return a.order < b.order; });

    m_table = new QTableWidget(int(rows.size()), 3, this);
    m_table->setObjectName(u"shortcutsTable"_s);
    m_table->setHorizontalHeaderLabels({tr("Keys"), tr("Does"), tr("Where")});
    m_table->verticalHeader()->hide();
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setTabKeyNavigation(false);
    m_table->setShowGrid(false);
    m_table->setAlternatingRowColors(true);
    for (int i = 0; i < int(rows.size()); ++i) {
        const Row &row = rows[std::size_t(i)];
        m_table->setItem(i, 0, new QTableWidgetItem(row.keys));
        m_table->setItem(i, 1, new QTableWidgetItem(row.what));
        m_table->setItem(i, 2, new QTableWidgetItem(row.where));
    }
    m_table->horizontalHeader()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(1, QHeaderView::Stretch);
    m_table->horizontalHeader()->setSectionResizeMode(2, QHeaderView::ResizeToContents);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_table);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
    resize(620, 560);
}

} // namespace flowdeck::ui
