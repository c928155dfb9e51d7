// SPDX-License-Identifier: GPL-3.0-or-later
// The path a stuck job needed and did not have: a dashed stub out of the task that ended with
// a result no transition follows, ending in an open "?" and naming the missing transition
// ("no error transition"). GUI thread.
#pragma once

#include "ui/canvas/CanvasStyle.h"

#include <QGraphicsItem>
#include <QStaticText>

namespace flowdeck::ui::canvas {

class MissingTransitionItem final : public QGraphicsItem
{
public:
    enum { Type = UserType + 104 };

    /// Leaves `card` (scene rectangle) on its right side; `finishState` is the result that had
    /// nowhere to go ("error", "failure", "success").
    MissingTransitionItem(const CanvasStyle *style, const QRectF &card, const QString &finishState,
                          QGraphicsItem *parent = nullptr);

    int type() const override { return Type; }
    QRectF boundingRect() const override;
    void paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *widget) override;

    const QString &label() const { return m_labelText; }

private:
    const CanvasStyle *m_style;
    QPointF m_start;
    QString m_labelText;
    QStaticText m_label;
    QStaticText m_question;
};

} // namespace flowdeck::ui::canvas
