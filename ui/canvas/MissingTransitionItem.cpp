// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/canvas/MissingTransitionItem.h"

#include <QCoreApplication>
#include <QPainter>

namespace flowdeck::ui::canvas {

using namespace Qt::StringLiterals;

namespace {
constexpr qreal kStub = 34;
constexpr qreal kRadius = 10;
} // namespace

MissingTransitionItem::MissingTransitionItem(const CanvasStyle *style, const QRectF &card,
                                             const QString &finishState, QGraphicsItem *parent)
    : QGraphicsItem(parent), m_style(style), m_start(card.right(), card.center().y())
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
}

QRectF MissingTransitionItem::boundingRect() const
{
    const QSizeF label = m_label.size();
    return QRectF(m_start.x() - 2, m_start.y() - std::max(kRadius, label.height()) - 2,
                  kStub + 2 * kRadius + label.width() + 12,
                  2 * std::max(kRadius, label.height()) + 4);
}

void MissingTransitionItem::paint(QPainter *painter, const QStyleOptionGraphicsItem *, QWidget *)
{
    const CanvasStyle &s = *m_style;
    QPen dashed(s.problem, 2.0, Qt::CustomDashLine, Qt::FlatCap);
    dashed.setDashPattern({3.0, 2.5});
    painter->setPen(dashed);
    painter->drawLine(m_start, m_start + QPointF(kStub, 0));
    const QPointF centre = m_start + QPointF(kStub + kRadius, 0);
    painter->setPen(QPen(s.problem, 2.0));
    painter->setBrush(s.problemFill);
    painter->drawEllipse(centre, kRadius, kRadius);
    painter->setFont(s.nameFont);
    painter->setPen(s.problem);
    const QSizeF q = m_question.size();
    painter->drawStaticText(centre - QPointF(q.width() / 2, q.height() / 2), m_question);
    painter->setFont(s.badgeFont);
    const QSizeF label = m_label.size();
    painter->drawStaticText(centre + QPointF(kRadius + 5, -label.height() / 2), m_label);
}

} // namespace flowdeck::ui::canvas
