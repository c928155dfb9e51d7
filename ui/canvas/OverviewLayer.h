// SPDX-License-Identifier: GPL-3.0-or-later
// The whole graph in a handful of draw calls, for when the canvas is zoomed far out: cards as
// plain rectangles batched by state, transitions as polylines batched by colour and style. At
// that zoom thousands of separate items cost more in per-item overhead than in pixels, so the
// scene hides its items and shows this layer instead. The minimap draws through it too.
// GUI thread.
#pragma once

#include "ui/canvas/CanvasStyle.h"

#include <QGraphicsItem>
#include <QLineF>

#include <array>
#include <vector>

namespace flowdeck::ui::canvas {

class TaskItem;
class TerminalItem;
class TransitionItem;

class OverviewLayer final : public QGraphicsItem
{
public:
    enum { Type = UserType + 105 };

    /// The vectors are the scene's and outlive the layer.
    OverviewLayer(const CanvasStyle *style, const std::vector<TaskItem *> *tasks,
                  const std::vector<TerminalItem *> *terminals,
                  const std::vector<TransitionItem *> *transitions);

    int type() const override { return Type; }
    QRectF boundingRect() const override { return m_bounds; }
    void paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *widget) override;

    void setBounds(const QRectF &bounds);
    /// States, emphasis, selection or the problem changed: the batches are rebuilt before the
    /// next paint.
    void invalidate();
    /// Counts invalidations, so caches of the picture (the minimap's) know when to redraw.
    quint64 revision() const { return m_revision; }

    /// Draws the graph with `painter`'s current transform; `scale` is device pixels per scene
    /// unit, used to keep lines one pixel wide and rings visible.
    void paintGraph(QPainter *painter, qreal scale);

private:
    void rebuild();
    static std::size_t lineBucket(EdgeState state, Emphasis emphasis, bool revert)
    {
        return (std::size_t(state) * kEmphasisCount + std::size_t(emphasis)) * 2 + (revert ? 1 : 0);
    }

    const CanvasStyle *m_style;
    const std::vector<TaskItem *> *m_tasks;
    const std::vector<TerminalItem *> *m_terminals;
    const std::vector<TransitionItem *> *m_transitions;
    QRectF m_bounds;
    bool m_dirty = true;
    quint64 m_revision = 0;
    std::array<std::vector<QRectF>, kTaskStateCount> m_cards;
    std::array<std::vector<QLineF>, kEdgeStateCount * kEmphasisCount * 2> m_lines;
    std::vector<QRectF> m_problems;
    std::vector<QRectF> m_selected;
};

} // namespace flowdeck::ui::canvas
