// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/canvas/TerminalItem.h"

#include "engine/model/GridPosition.h"

#include <QCoreApplication>
#include <QFontMetricsF>
#include <QPainter>
#include <QStyleOptionGraphicsItem>

namespace flowdeck::ui::canvas {

TerminalItem::TerminalItem(const CanvasStyle *style, Kind kind, QPointF cellOrigin,
                           QGraphicsItem *parent)
    : QGraphicsItem(parent), m_style(style), m_kind(kind)
{
    setPos(cellOrigin);
    setAcceptedMouseButtons(Qt::NoButton);
    setZValue(2);
    m_label.setText(kind == Kind::Start ? QCoreApplication::translate("TerminalItem", "Start")
                                        : QCoreApplication::translate("TerminalItem", "End"));
    m_label.setTextFormat(Qt::PlainText);
    m_label.prepare(QTransform(), style->terminalFont);
}

QRectF TerminalItem::circleRect()
{
    using model::GridMetrics;
    const qreal d = CanvasStyle::kTerminalDiameter;
    return QRectF((GridMetrics::kCellWidthPx - d) / 2, (GridMetrics::kCellHeightPx - d) / 2, d, d);
}

QRectF TerminalItem::boundingRect() const
{
    return circleRect().adjusted(-3, -3, 3, 3);
}

void TerminalItem::setState(TaskState state)
{
    if (state == m_state)
        return;
    m_state = state;
    update();
}

void TerminalItem::paint(QPainter *painter, const QStyleOptionGraphicsItem *, QWidget *)
{
    const CanvasStyle &s = *m_style;
    const QRectF circle = circleRect();
    const bool reached = m_state == TaskState::Complete;
    const QColor ring = reached ? s.stateColor(TaskState::Complete) : s.cardBorder;
    // The end is drawn heavier than the start, as BPMN does, so the two never read alike.
    const qreal width = m_kind == Kind::End ? 3.0 : 1.5;
    painter->setPen(QPen(ring, width));
    painter->setBrush(reached ? s.stateFill[std::size_t(TaskState::Complete)] : s.cardFill);
    painter->drawEllipse(circle.adjusted(width / 2, width / 2, -width / 2, -width / 2));

    if (s.detail != CanvasStyle::Detail::Full)
        return;
    painter->setFont(s.terminalFont);
    painter->setPen(reached ? s.text : s.mutedText);
    const QSizeF size = m_label.size();
    painter->drawStaticText(circle.center() - QPointF(size.width() / 2, size.height() / 2),
                            m_label);
}

} // namespace flowdeck::ui::canvas
