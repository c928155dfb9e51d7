// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/canvas/EdgeGeometry.h"

#include <QLineF>

#include <algorithm>
#include <cmath>

namespace flowdeck::ui::canvas {

namespace {

QPointF cubicAt(const EdgeGeometry &g, qreal t)
{
    const qreal u = 1 - t;
    return u * u * u * g.start + 3 * u * u * t * g.control1 + 3 * u * t * t * g.control2 +
           t * t * t * g.end;
}

qreal distanceToLine(QPointF p, QPointF a, QPointF b)
{
    const QPointF d = b - a;
    const qreal len = std::hypot(d.x(), d.y());
    if (len < 1e-6)
        return std::hypot(p.x() - a.x(), p.y() - a.y());
    return std::abs(d.x() * (a.y() - p.y()) - d.y() * (a.x() - p.x())) / len;
}

} // namespace

EdgeGeometry EdgeGeometry::route(const QRectF &from, const QRectF &to)
{
    EdgeGeometry g;
    QPointF c1;
    QPointF c2;
    const qreal rowTolerance = std::min(from.height(), to.height()) / 2;
    if (to.top() >= from.bottom() - 1) {
        // Down the page, the usual flow: bottom centre to top centre.
        g.start = QPointF(from.center().x(), from.bottom());
        g.tip = QPointF(to.center().x(), to.top());
        const qreal dy = g.tip.y() - g.start.y();
        const qreal k = std::clamp(dy * 0.5, 18.0, 120.0);
        c1 = g.start + QPointF(0, k);
        c2 = g.tip - QPointF(0, k);
        if (std::abs(g.tip.x() - g.start.x()) > 1 && dy > 1.5 * from.height()) {
            // Across columns and over more than a row: stay in the source's column and turn
            // in the gap above the target, so the curve does not cut through cards between.
            c1 = g.start + QPointF(0, dy - 24);
            c2 = g.tip - QPointF(0, 34);
        }
    } else if (std::abs(to.center().y() - from.center().y()) < rowTolerance) {
        // Within a row: side to side.
        const bool right = to.center().x() >= from.center().x();
        g.start = right ? QPointF(from.right(), from.center().y())
                        : QPointF(from.left(), from.center().y());
        g.tip = right ? QPointF(to.left(), to.center().y()) : QPointF(to.right(), to.center().y());
        const qreal k = std::clamp(std::abs(g.tip.x() - g.start.x()) * 0.45, 12.0, 120.0);
        c1 = g.start + QPointF(right ? k : -k, 0);
        c2 = g.tip - QPointF(right ? k : -k, 0);
    } else {
        // Back up to an earlier row (reverts, retry loops): out of the right side and into the
        // target's right side, bulging into the gutter between columns.
        const bool leftwards = to.center().x() < from.center().x() - 1;
        if (leftwards) {
            g.start = QPointF(from.left(), from.center().y());
            g.tip = QPointF(to.right(), to.center().y());
            const qreal k = std::clamp(std::abs(g.tip.x() - g.start.x()) * 0.5, 24.0, 120.0);
            c1 = g.start - QPointF(k, 0);
            c2 = g.tip + QPointF(k, 0);
        } else {
            g.start = QPointF(from.right(), from.center().y());
            const bool sameColumn = std::abs(to.center().x() - from.center().x()) < 1;
            g.tip = sameColumn ? QPointF(to.right(), to.center().y())
                               : QPointF(to.left(), to.center().y());
            const qreal bulge = std::min(34.0 + 0.08 * std::abs(g.tip.y() - g.start.y()), 56.0);
            c1 = g.start + QPointF(bulge, 0);
            c2 = sameColumn ? g.tip + QPointF(bulge, 0) : g.tip - QPointF(bulge, 0);
        }
    }

    // The arrowhead sits on the target's border, pointing along the curve's last tangent; the
    // line stops at its base so the stroke never pokes through the point.
    QPointF dir = g.tip - c2;
    qreal len = std::hypot(dir.x(), dir.y());
    if (len < 1e-6) {
        dir = g.tip - g.start;
        len = std::max(std::hypot(dir.x(), dir.y()), 1e-6);
    }
    dir /= len;
    const QPointF normal(-dir.y(), dir.x());
    g.end = g.tip - dir * kArrowLength;
    g.control1 = c1;
    g.control2 = c2 - dir * kArrowLength;
    g.arrow = {g.tip, g.end + normal * kArrowHalfWidth, g.end - normal * kArrowHalfWidth};

    const bool straight = distanceToLine(g.control1, g.start, g.end) < 0.5 &&
                          distanceToLine(g.control2, g.start, g.end) < 0.5;
    if (straight) {
        g.polyline[0] = g.start;
        g.polyline[1] = g.tip;
        g.points = 2;
    } else {
        for (int i = 0; i <= kSegments; ++i)
            g.polyline[std::size_t(i)] = cubicAt(g, qreal(i) / kSegments);
        g.polyline[kSegments + 1] = g.tip;
        g.points = kSegments + 2;
    }
    return g;
}

QPainterPath EdgeGeometry::path() const
{
    QPainterPath p(start);
    p.cubicTo(control1, control2, end);
    return p;
}

QRectF EdgeGeometry::bounds() const
{
    // The control polygon contains the curve.
    const qreal left = std::min({start.x(), control1.x(), control2.x(), end.x(), tip.x()});
    const qreal right = std::max({start.x(), control1.x(), control2.x(), end.x(), tip.x()});
    const qreal top = std::min({start.y(), control1.y(), control2.y(), end.y(), tip.y()});
    const qreal bottom = std::max({start.y(), control1.y(), control2.y(), end.y(), tip.y()});
    return QRectF(QPointF(left, top), QPointF(right, bottom))
        .adjusted(-kArrowHalfWidth - 2, -kArrowHalfWidth - 2, kArrowHalfWidth + 2,
                  kArrowHalfWidth + 2);
}

} // namespace flowdeck::ui::canvas
