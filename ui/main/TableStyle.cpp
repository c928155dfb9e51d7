// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/main/TableStyle.h"

#include <QHeaderView>
#include <QPainter>
#include <QStyleOptionHeader>
#include <QTableView>

namespace flowdeck::ui {
namespace {
// Cell text starts PM_FocusFrameHMargin + 1 from the cell's edge and header text
// PM_HeaderMargin from the section's edge. Header text is moved in sideways only (a larger
// PM_HeaderMargin would make the header taller too), so both line up at kTextInset.
constexpr int kCellMargin = 8;
constexpr int kTextInset = kCellMargin + 1;
// The platform header hugs its text; a little air makes it read as a header, not a row.
constexpr int kHeaderExtraHeight = 6;
} // namespace

void TableStyle::apply(QTableView *view)
{
    auto *style = new TableStyle;
    // Widgets hold their style through a QPointer, so the view may own it.
    style->setParent(view);
    view->setStyle(style);
    view->horizontalHeader()->setStyle(style);
    // Rows are what these tables select: arrows move between them, and Tab leaves the table
    // for the next control instead of walking every cell.
    view->setTabKeyNavigation(false);
}

int TableStyle::pixelMetric(PixelMetric metric, const QStyleOption *option,
                            const QWidget *widget) const
{
    if (metric == PM_FocusFrameHMargin && qobject_cast<const QAbstractItemView *>(widget))
        return kCellMargin;
    return QProxyStyle::pixelMetric(metric, option, widget);
}

int TableStyle::headerInset(const QStyleOption *option, const QWidget *widget) const
{
    return qMax(0, kTextInset - QProxyStyle::pixelMetric(PM_HeaderMargin, option, widget));
}

void TableStyle::drawControl(ControlElement element, const QStyleOption *option, QPainter *painter,
                             const QWidget *widget) const
{
    const auto *header = qstyleoption_cast<const QStyleOptionHeader *>(option);
    if (element == CE_HeaderLabel && header) {
        QStyleOptionHeader inset = *header;
        const int dx = headerInset(option, widget);
        inset.rect.adjust(dx, 0, -dx, 0);
        QProxyStyle::drawControl(element, &inset, painter, widget);
        return;
    }
    QProxyStyle::drawControl(element, option, painter, widget);
}

void TableStyle::drawPrimitive(PrimitiveElement element, const QStyleOption *option,
                               QPainter *painter, const QWidget *widget) const
{
    // The platform draws the current cell's focus in the selection colour, which reads as a
    // second selected row. A dotted hairline in a muted colour says "the keys act here"
    // without competing with the selection.
    if (element == PE_FrameFocusRect && qobject_cast<const QAbstractItemView *>(widget)) {
        const QPalette &pal = option->palette;
        QColor ink = pal.color(QPalette::Text);
        ink.setAlphaF(0.45f);
        painter->save();
        painter->setRenderHint(QPainter::Antialiasing, false);
        painter->setPen(QPen(ink, 1, Qt::DotLine));
        painter->setBrush(Qt::NoBrush);
        painter->drawRect(option->rect.adjusted(1, 1, -2, -2));
        painter->restore();
        return;
    }
    QProxyStyle::drawPrimitive(element, option, painter, widget);
}

QSize TableStyle::sizeFromContents(ContentsType type, const QStyleOption *option, const QSize &size,
                                   const QWidget *widget) const
{
    QSize out = QProxyStyle::sizeFromContents(type, option, size, widget);
    if (type == CT_HeaderSection) {
        out.rwidth() += 2 * headerInset(option, widget);
        out.rheight() += kHeaderExtraHeight;
    }
    return out;
}

} // namespace flowdeck::ui
