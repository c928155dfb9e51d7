// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/forms/PageChrome.h"

#include "ui/forms/JsonListModel.h"

#include <QAction>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QTableView>
#include <QToolBar>

namespace flowdeck::ui::pagechrome {

QTableView *table(JsonListModel *model, const QString &name, QWidget *parent)
{
    auto *view = new QTableView(parent);
    view->setObjectName(name);
    view->setModel(model);
    view->setTabKeyNavigation(false);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setSelectionMode(QAbstractItemView::SingleSelection);
    view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    view->setShowGrid(false);
    view->setAlternatingRowColors(true);
    view->setWordWrap(false);
    view->verticalHeader()->hide();
    view->verticalHeader()->setDefaultSectionSize(view->fontMetrics().height() + 14);
    view->horizontalHeader()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    view->horizontalHeader()->setHighlightSections(false);
    view->horizontalHeader()->setStretchLastSection(true);
    return view;
}

QWidget *header(const QString &title, const QList<QAction *> &actions, QWidget *parent)
{
    auto *top = new QWidget(parent);
    auto *layout = new QHBoxLayout(top);
    layout->setContentsMargins(16, 10, 10, 6);
    auto *label = new QLabel(title, top);
    QFont big = label->font();
    big.setPointSizeF(big.pointSizeF() * 1.4);
    big.setWeight(QFont::DemiBold);
    label->setFont(big);
    layout->addWidget(label);
    layout->addStretch(1);
    auto *toolbar = new QToolBar(top);
    toolbar->setToolButtonStyle(Qt::ToolButtonTextOnly);
    for (QAction *action : actions) {
        if (action)
            toolbar->addAction(action);
        else
            toolbar->addSeparator();
    }
    layout->addWidget(toolbar);
    return top;
}

QLabel *banner(const QString &name, QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setObjectName(name);
    label->setWordWrap(true);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    label->setContentsMargins(16, 6, 16, 6);
    label->setAutoFillBackground(true);
    label->hide();
    return label;
}

void setBanner(QLabel *banner, const QString &text, bool problem)
{
    QPalette palette = banner->palette();
    palette.setColor(QPalette::Window,
                     problem ? QColor(0xd6, 0x45, 0x41) : QColor(0x2e, 0x7d, 0x4f));
    palette.setColor(QPalette::WindowText, Qt::white);
    banner->setPalette(palette);
    banner->setText(text);
    banner->setVisible(!text.isEmpty());
}

} // namespace flowdeck::ui::pagechrome
