// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/canvas/OverviewLayer.h"

#include "ui/canvas/TaskItem.h"
#include "ui/canvas/TerminalItem.h"
#include "ui/canvas/TransitionItem.h"

#include <QPainter>
#include <QStyleOptionGraphicsItem>

namespace flowdeck::ui::canvas {

OverviewLayer::OverviewLayer(const CanvasStyle *style, const std::vector<TaskItem *> *tasks,
                             const std::vector<TerminalItem *> *terminals,
                             const std::vector<TransitionItem *> *transitions)
    : m_style(style), m_tasks(tasks), m_terminals(terminals), m_transitions(transitions)
{
    setAcceptedMouseButtons(Qt::NoButton);
    setZValue(0.5);
}

void OverviewLayer::setBounds(const QRectF &bounds)
{
    prepareGeometryChange();
    m_bounds = bounds;
    invalidate();
}

void OverviewLayer::invalidate()
{
    m_dirty = true;
    ++m_revision;
    update();
}

void OverviewLayer::rebuild()
{
    // The vectors keep their capacity, so a live update allocates nothing once warmed up.
    for (auto &cards : m_cards)
        cards.clear();
    for (auto &lines : m_lines)
        lines.clear();
    m_problems.clear();
    m_selected.clear();
    for (const TaskItem *task : *m_tasks) {
        const QRectF card = task->sceneCardRect();
        m_cards[std::size_t(task->state())].push_back(card);
        if (task->isProblem())
            m_problems.push_back(card);
        if (task->isSelectedTask())
            m_selected.push_back(card);
    }
    for (const TransitionItem *edge : *m_transitions) {
        auto &lines = m_lines[lineBucket(edge->state(), edge->emphasis(), edge->isRevert())];
        const EdgeGeometry &g = edge->geometry();
        for (int i = 1; i < g.points; ++i)
            lines.emplace_back(g.polyline[std::size_t(i - 1)], g.polyline[std::size_t(i)]);
    }
    m_dirty = false;
}

void OverviewLayer::paint(QPainter *painter, const QStyleOptionGraphicsItem *, QWidget *)
{
    paintGraph(painter,
               QStyleOptionGraphicsItem::levelOfDetailFromTransform(painter->worldTransform()));
}

void OverviewLayer::paintGraph(QPainter *painter, qreal scale)
{
    if (m_dirty)
        rebuild();
    const CanvasStyle &s = *m_style;
    const bool antialiased = painter->testRenderHint(QPainter::Antialiasing);

    // Lines first, so the cards cover their ends as the items do.
    for (int state = 0; state < kEdgeStateCount; ++state)
        for (int emphasis = 0; emphasis < kEmphasisCount; ++emphasis)
            for (int revert = 0; revert < 2; ++revert) {
                const auto &lines =
                    m_lines[lineBucket(EdgeState(state), Emphasis(emphasis), revert == 1)];
                if (lines.empty())
                    continue;
                // Cosmetic pens: one device pixel whatever the zoom, the raster engine's fast
                // path for lines.
                QPen pen(s.edgeColor(EdgeState(state), Emphasis(emphasis)),
                         Emphasis(emphasis) == Emphasis::Taken ? 2.0 : 1.0);
                pen.setCosmetic(true);
                if (revert == 1)
                    pen.setStyle(Qt::DashLine);
                painter->setPen(pen);
                painter->drawLines(lines.data(), int(lines.size()));
            }

    // Axis-aligned rectangles need no antialiasing, and without it they fill much faster.
    painter->setRenderHint(QPainter::Antialiasing, false);
    painter->setPen(Qt::NoPen);
    for (int state = 0; state < kTaskStateCount; ++state) {
        const auto &cards = m_cards[std::size_t(state)];
        if (cards.empty())
            continue;
        painter->setBrush(TaskState(state) == TaskState::NotReached ? s.overviewIdle
                                                                    : s.state[std::size_t(state)]);
        painter->drawRects(cards.data(), int(cards.size()));
    }
    painter->setRenderHint(QPainter::Antialiasing, antialiased);

    for (const TerminalItem *terminal : *m_terminals) {
        const bool reached = terminal->state() == TaskState::Complete;
        painter->setBrush(reached ? s.stateColor(TaskState::Complete) : s.overviewIdle);
        painter->drawEllipse(terminal->sceneCircleRect());
    }

    // Rings a few device pixels outside the card, so the stuck task and the selection stay
    // visible even when a card is only a few pixels wide.
    const qreal margin = 4 / std::max(scale, 0.01);
    auto rings = [&](const std::vector<QRectF> &rects, const QColor &colour) {
        if (rects.empty())
            return;
        QPen pen(colour, 2.5);
        pen.setCosmetic(true);
        painter->setPen(pen);
        painter->setBrush(Qt::NoBrush);
        for (const QRectF &r : rects)
            painter->drawRect(r.adjusted(-margin, -margin, margin, margin));
    };
    rings(m_selected, s.selection);
    rings(m_problems, s.problem);
}

} // namespace flowdeck::ui::canvas
