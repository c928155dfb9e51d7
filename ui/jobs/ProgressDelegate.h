// SPDX-License-Identifier: GPL-3.0-or-later
// Draws a job's progress as a slim bar in its status colour with the percentage beside it:
// calmer than a native progress bar in every row, and it reads at a glance which jobs stopped
// where. Reads JobsModel::ProgressRole and StatusRole. GUI thread.
#pragma once

#include <QStyledItemDelegate>

namespace flowdeck::ui {

class ProgressDelegate final : public QStyledItemDelegate
{
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;
};

} // namespace flowdeck::ui
