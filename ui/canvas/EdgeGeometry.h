// SPDX-License-Identifier: GPL-3.0-or-later
// Where a transition runs: a cubic curve between two cards, ending at the base of its
// arrowhead, plus a short polyline of the same curve for the batched overview. Computed once
// per workflow, never while painting.
#pragma once

#include <QPainterPath>
#include <QPointF>
#include <QPolygonF>
#include <QRectF>

#include <array>

namespace flowdeck::ui::canvas {

struct EdgeGeometry
{
    static constexpr int kSegments = 6; ///< overview polyline segments for a real curve
    static constexpr qreal kArrowLength = 9.0;
    static constexpr qreal kArrowHalfWidth = 4.5;

    /// Routes from the card `from` to the card `to` (scene rectangles): downwards from bottom to
    /// top, sideways within a row, and around the right side back up to an earlier row.
    static EdgeGeometry route(const QRectF &from, const QRectF &to);

    QPointF start;
    QPointF control1;
    QPointF control2;
    QPointF end; ///< where the line meets the arrowhead's base
    QPointF tip; ///< the arrowhead's point, on the target's border
    std::array<QPointF, 3> arrow{};
    /// The curve as a polyline; `points` of them are used (2 for a straight edge).
    std::array<QPointF, kSegments + 2> polyline{};
    int points = 0;

    QPainterPath path() const;
    QRectF bounds() const;
};

} // namespace flowdeck::ui::canvas
