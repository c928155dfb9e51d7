// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/jobs/ProgressDelegate.h"

#include "ui/jobs/JobStatus.h"
#include "ui/jobs/JobsModel.h"

#include <QApplication>
#include <QPainter>
#include <QPainterPath>

namespace flowdeck::ui {

using namespace Qt::StringLiterals;

namespace {
constexpr int kBarHeight = 6;
constexpr int kMargin = 9;
constexpr int kGap = 8;
} // namespace

void ProgressDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option,
                             const QModelIndex &index) const
{
    if (!index.data(JobsModel::LoadedRole).toBool()) {
        QStyledItemDelegate::paint(painter, option, index);
        return;
    }
    // Background, selection and focus as the style draws them; the bar goes on top.
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    opt.text.clear();
    const QWidget *widget = option.widget;
    QStyle *style = widget ? widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, widget);

    const double progress = index.data(JobsModel::ProgressRole).toDouble();
    const QString status = index.data(JobsModel::StatusRole).toString();
    const QString text = u"%1%"_s.arg(qRound(progress * 100));
    const bool selected = option.state & QStyle::State_Selected;
    const QPalette &pal = option.palette;

    const QRect area = option.rect.adjusted(kMargin, 0, -kMargin, 0);
    const int textWidth = option.fontMetrics.horizontalAdvance(u"100%"_s);
    const QRect textRect(area.right() - textWidth + 1, area.top(), textWidth, area.height());
    const QRect barRect(area.left(), area.center().y() - kBarHeight / 2 + 1,
                        qMax(0, area.width() - textWidth - kGap), kBarHeight);

    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    QColor track = selected ? pal.color(QPalette::HighlightedText) : pal.color(QPalette::Text);
    track.setAlphaF(0.14f);
    QPainterPath trackPath;
    trackPath.addRoundedRect(barRect, kBarHeight / 2.0, kBarHeight / 2.0);
    painter->fillPath(trackPath, track);
    if (progress > 0) {
        QRectF fill = barRect;
        fill.setWidth(qMax<qreal>(kBarHeight, barRect.width() * progress));
        QPainterPath fillPath;
        fillPath.addRoundedRect(fill, kBarHeight / 2.0, kBarHeight / 2.0);
        painter->fillPath(fillPath, selected ? pal.color(QPalette::HighlightedText)
                                             : jobstatus::color(status));
    }
    painter->setPen(selected ? pal.color(QPalette::HighlightedText) : pal.color(QPalette::Text));
    painter->drawText(textRect, Qt::AlignRight | Qt::AlignVCenter, text);
    painter->restore();
}

QSize ProgressDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QSize size = QStyledItemDelegate::sizeHint(option, index);
    size.setWidth(qMax(size.width(), 140));
    return size;
}

} // namespace flowdeck::ui
