// SPDX-License-Identifier: GPL-3.0-or-later
// workflow_start or workflow_end: a small round terminal centred in its grid cell, ringed in the
// complete colour once the job has passed it. GUI thread.
#pragma once

#include "ui/canvas/CanvasStyle.h"

#include <QGraphicsItem>
#include <QStaticText>

namespace flowdeck::ui::canvas {

class TerminalItem final : public QGraphicsItem
{
public:
    enum { Type = UserType + 102 };
    enum class Kind { Start, End };

    TerminalItem(const CanvasStyle *style, Kind kind, QPointF cellOrigin,
                 QGraphicsItem *parent = nullptr);

    int type() const override { return Type; }
    QRectF boundingRect() const override;
    void paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *widget) override;

    Kind kind() const { return m_kind; }
    static QRectF circleRect();
    QRectF sceneCircleRect() const { return circleRect().translated(pos()); }

    void setState(TaskState state);
    TaskState state() const { return m_state; }

private:
    const CanvasStyle *m_style;
    Kind m_kind;
    QStaticText m_label;
    TaskState m_state = TaskState::NotReached;
};

} // namespace flowdeck::ui::canvas
