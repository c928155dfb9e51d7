// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/canvas/TransitionItem.h"

#include <QPainter>
#include <QPainterPathStroker>

#include <algorithm>
#include <cmath>

namespace flowdeck::ui::canvas {

TransitionItem::TransitionItem(const CanvasStyle *style, int from, int to, EdgeState state,
                               bool revert, const EdgeGeometry &geometry, QGraphicsItem *parent)
    : QGraphicsItem(parent), m_style(style), m_geometry(geometry), m_path(geometry.path()),
      m_bounds(geometry.bounds()), m_from(from), m_to(to), m_state(state), m_revert(revert)
{
    setAcceptedMouseButtons(Qt::NoButton);
    setZValue(1);
}

void TransitionItem::setEmphasis(Emphasis emphasis)
{
    if (emphasis == m_emphasis)
        return;
    m_emphasis = emphasis;
    // Taken lines are drawn above the rest, so a faded one never crosses over the path.
    setZValue(emphasis == Emphasis::Taken ? 1.5 : 1);
    m_outlineValid = false;
    update();
}

void TransitionItem::setGeometry(const EdgeGeometry &geometry)
{
    prepareGeometryChange();
    m_geometry = geometry;
    m_path = geometry.path();
    m_bounds = geometry.bounds();
    m_outlineValid = false;
    update();
}

QPen TransitionItem::pen() const
{
    QPen pen(m_style->edgeColor(m_state, m_emphasis), CanvasStyle::edgeWidth(m_emphasis),
             Qt::SolidLine, Qt::FlatCap, Qt::RoundJoin);
    if (m_revert)
        pen.setDashPattern({4.0, 3.0});
    return pen;
}

namespace {

constexpr int kOutlineSegments = 16;

QPointF cubicPoint(const EdgeGeometry &g, qreal t)
{
    const qreal u = 1 - t;
    return u * u * u * g.start + 3 * u * u * t * g.control1 + 3 * u * t * t * g.control2 +
           t * t * t * g.end;
}

QPointF cubicTangent(const EdgeGeometry &g, qreal t)
{
    const qreal u = 1 - t;
    const QPointF d = 3 * u * u * (g.control1 - g.start) + 6 * u * t * (g.control2 - g.control1) +
                      3 * t * t * (g.end - g.control2);
    const qreal len = std::hypot(d.x(), d.y());
    if (len > 1e-9)
        return d / len;
    const QPointF chord = g.end - g.start;
    const qreal chordLen = std::max(std::hypot(chord.x(), chord.y()), 1e-9);
    return chord / chordLen;
}

} // namespace

const QPainterPath &TransitionItem::outline()
{
    if (m_outlineValid)
        return m_outline;
    m_outline = QPainterPath();
    m_outline.setFillRule(Qt::WindingFill);
    if (m_revert) {
        // Dashes: the stroker splits the line; there are few reverts in any workflow.
        QPainterPathStroker stroker(pen());
        for (const QPolygonF &polygon : stroker.createStroke(m_path).toSubpathPolygons()) {
            m_outline.addPolygon(polygon);
            m_outline.closeSubpath();
        }
    } else {
        // A solid line is the curve offset by half the width on both sides: a polygon built
        // directly from the curve's samples and normals, much cheaper than QStroker.
        const qreal half = CanvasStyle::edgeWidth(m_emphasis) / 2;
        const bool straight = m_geometry.points == 2;
        const int segments = straight ? 1 : kOutlineSegments;
        QPolygonF polygon;
        polygon.reserve(2 * (segments + 1));
        for (int i = 0; i <= segments; ++i) {
            const qreal t = qreal(i) / segments;
            const QPointF tangent = cubicTangent(m_geometry, t);
            polygon.append(cubicPoint(m_geometry, t) + QPointF(-tangent.y(), tangent.x()) * half);
        }
        for (int i = segments; i >= 0; --i) {
            const qreal t = qreal(i) / segments;
            const QPointF tangent = cubicTangent(m_geometry, t);
            polygon.append(cubicPoint(m_geometry, t) - QPointF(-tangent.y(), tangent.x()) * half);
        }
        m_outline.addPolygon(polygon);
        m_outline.closeSubpath();
    }
    m_outline.addPolygon(
        QPolygonF({m_geometry.arrow[0], m_geometry.arrow[1], m_geometry.arrow[2]}));
    m_outline.closeSubpath();
    m_outlineValid = true;
    return m_outline;
}

void TransitionItem::paint(QPainter *painter, const QStyleOptionGraphicsItem *, QWidget *)
{
    painter->setPen(Qt::NoPen);
    painter->setBrush(m_style->edgeColor(m_state, m_emphasis));
    painter->drawPath(outline());
}

} // namespace flowdeck::ui::canvas
