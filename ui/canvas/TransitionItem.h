// SPDX-License-Identifier: GPL-3.0-or-later
// One transition: a curve with an arrowhead, coloured by the finish state it follows, dashed
// when it is a revert, and — when a job is shown — heavier if the job took it, faded if not.
// Its geometry is computed once; painting only strokes it. GUI thread.
#pragma once

#include "ui/canvas/CanvasStyle.h"
#include "ui/canvas/EdgeGeometry.h"

#include <QGraphicsItem>
#include <QPen>

namespace flowdeck::ui::canvas {

class TransitionItem final : public QGraphicsItem
{
public:
    enum { Type = UserType + 103 };

    /// `from` / `to` index the scene's tasks; `style` outlives the item.
    TransitionItem(const CanvasStyle *style, int from, int to, EdgeState state, bool revert,
                   const EdgeGeometry &geometry, QGraphicsItem *parent = nullptr);

    int type() const override { return Type; }
    QRectF boundingRect() const override { return m_bounds; }
    void paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *widget) override;

    int from() const { return m_from; }
    int to() const { return m_to; }
    EdgeState state() const { return m_state; }
    bool isRevert() const { return m_revert; }
    const EdgeGeometry &geometry() const { return m_geometry; }
    const QPainterPath &path() const { return m_path; }

    void setEmphasis(Emphasis emphasis);
    Emphasis emphasis() const { return m_emphasis; }
    /// A new route, after one of its tasks moved.
    void setGeometry(const EdgeGeometry &geometry);
    bool isTaken() const { return m_emphasis == Emphasis::Taken; }
    /// The pen the line is drawn with (colour by state, dash for revert, width by emphasis).
    QPen pen() const;

private:
    /// The line as a filled outline of straight segments, arrowhead included. Stroking a curve
    /// per frame (QStroker) costs several times more than filling its outline, and the outline
    /// only changes with the emphasis, so it is built on the first paint after a change.
    const QPainterPath &outline();

    const CanvasStyle *m_style;
    EdgeGeometry m_geometry;
    QPainterPath m_path;
    QPainterPath m_outline;
    bool m_outlineValid = false;
    QRectF m_bounds;
    int m_from;
    int m_to;
    EdgeState m_state;
    bool m_revert;
    Emphasis m_emphasis = Emphasis::Normal;
};

} // namespace flowdeck::ui::canvas
