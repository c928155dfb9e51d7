// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/canvas/MissingTransitionItem.h"

#include <QCoreApplication>
#include <QPainter>

namespace flowdeck::ui::canvas {

using namespace Qt::StringLiterals;

namespace {
constexpr qreal kStub = 34;
constexpr qreal kRadius = 10;
constexpr qreal kGap = 5;
/// Room kept between the stub's picture and any other node.
constexpr qreal kClearance = 6;

qreal overlapArea(const QRectF &a, const std::vector<QRectF> &others)
{
    qreal area = 0;
    for (const QRectF &o : others) {
        const QRectF common = a.intersected(o);
        area += common.width() * common.height();
    }
    return area;
}
} // namespace

MissingTransitionItem::MissingTransitionItem(const CanvasStyle *style, const QRectF &card,
                                             const QString &finishState,
                                             const std::vector<QRectF> &obstacles,
                                             QGraphicsItem *parent)
    : QGraphicsItem(parent), m_style(style)
{
    setAcceptedMouseButtons(Qt::NoButton);
    setZValue(3);
    m_labelText =
        QCoreApplication::translate("MissingTransitionItem", "no %1 transition").arg(finishState);
    m_label.setText(m_labelText);
    m_label.setTextFormat(Qt::PlainText);
    m_label.prepare(QTransform(), style->badgeFont);
    m_question.setText(u"?"_s);
    m_question.setTextFormat(Qt::PlainText);
    m_question.prepare(QTransform(), style->nameFont);

    // Right reads as "what comes next"; the other sides are for when a node sits there.
    const QPointF directions[] = {{1, 0}, {0, 1}, {0, -1}, {-1, 0}};
    QPointF best = directions[0];
    qreal bestOverlap = -1;
    for (const QPointF &direction : directions) {
        layOut(card, direction);
        const qreal overlap = overlapArea(
            boundingRect().adjusted(-kClearance, -kClearance, kClearance, kClearance), obstacles);
        if (bestOverlap < 0 || overlap < bestOverlap) {
            bestOverlap = overlap;
            best = direction;
        }
        if (overlap == 0)
            break;
    }
    layOut(card, best);
}

void MissingTransitionItem::layOut(const QRectF &card, QPointF direction)
{
    const QPointF c = card.center();
    m_start = QPointF(c.x() + direction.x() * card.width() / 2,
                      c.y() + direction.y() * card.height() / 2);
    m_centre = m_start + direction * (kStub + kRadius);
    const QSizeF label = m_label.size();
    // The words sit beside the circle, away from the card when the stub goes left.
    const qreal x = direction.x() < 0 ? m_centre.x() - kRadius - kGap - label.width()
                                      : m_centre.x() + kRadius + kGap;
    m_labelRect = QRectF(QPointF(x, m_centre.y() - label.height() / 2), label);
}

QRectF MissingTransitionItem::boundingRect() const
{
    const QRectF line = QRectF(m_start, m_centre).normalized();
    const QRectF circle(m_centre - QPointF(kRadius, kRadius), QSizeF(2 * kRadius, 2 * kRadius));
    return line.united(circle).united(m_labelRect).adjusted(-2, -2, 2, 2);
}

void MissingTransitionItem::paint(QPainter *painter, const QStyleOptionGraphicsItem *, QWidget *)
{
    const CanvasStyle &s = *m_style;
    QPen dashed(s.problem, 2.0, Qt::CustomDashLine, Qt::FlatCap);
    dashed.setDashPattern({3.0, 2.5});
    painter->setPen(dashed);
    const QPointF towards = m_centre - m_start;
    const qreal length = std::hypot(towards.x(), towards.y());
    painter->drawLine(m_start, m_start + towards * ((length - kRadius) / length));
    painter->setPen(QPen(s.problem, 2.0));
    painter->setBrush(s.problemFill);
    painter->drawEllipse(m_centre, kRadius, kRadius);
    painter->setFont(s.nameFont);
    painter->setPen(s.problem);
    const QSizeF q = m_question.size();
    painter->drawStaticText(m_centre - QPointF(q.width() / 2, q.height() / 2), m_question);
    painter->setFont(s.badgeFont);
    painter->drawStaticText(m_labelRect.topLeft(), m_label);
}

} // namespace flowdeck::ui::canvas
