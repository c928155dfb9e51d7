// SPDX-License-Identifier: GPL-3.0-or-later
// The path a stuck job needed and did not have: a dashed stub out of the task that ended with
// a result no transition follows, ending in an open "?" and naming the missing transition
// ("no error transition"). It leaves the card on the first side (right, below, above, left)
// where the stub and its label cover no other card or terminal, so the words never run into
// the End node beside the task. GUI thread.
#pragma once

#include "ui/canvas/CanvasStyle.h"

#include <QGraphicsItem>
#include <QStaticText>

#include <vector>

namespace flowdeck::ui::canvas {

class MissingTransitionItem final : public QGraphicsItem
{
public:
    enum { Type = UserType + 104 };

    /// Leaves `card` (scene rectangle); `finishState` is the result that had nowhere to go
    /// ("error", "failure", "success"); `obstacles` are the other nodes' scene rectangles.
    MissingTransitionItem(const CanvasStyle *style, const QRectF &card, const QString &finishState,
                          const std::vector<QRectF> &obstacles, QGraphicsItem *parent = nullptr);

    int type() const override { return Type; }
    QRectF boundingRect() const override;
    void paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *widget) override;

    const QString &label() const { return m_labelText; }

private:
    /// The stub, circle and label for leaving `card` towards `direction` (a unit vector).
    void layOut(const QRectF &card, QPointF direction);

    const CanvasStyle *m_style;
    QPointF m_start;
    QPointF m_centre;
    QRectF m_labelRect;
    QString m_labelText;
    QStaticText m_label;
    QStaticText m_question;
};

} // namespace flowdeck::ui::canvas
