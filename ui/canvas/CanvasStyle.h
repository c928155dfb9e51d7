// SPDX-License-Identifier: GPL-3.0-or-later
// Every colour, font and size the canvas draws with, computed once from the palette (light or
// dark) so no item parses or mixes colours while painting. GUI thread.
#pragma once

#include "ui/canvas/TaskState.h"

#include <QColor>
#include <QFont>
#include <QPainterPath>
#include <QPalette>
#include <QString>

#include <array>

class QPainter;

namespace flowdeck::ui::canvas {

struct CanvasStyle
{
    /// The geometry of one task card inside its grid cell (GridMetrics: 240 × 108).
    static constexpr double kCardWidth = 208.0;
    static constexpr double kCardHeight = 64.0;
    static constexpr double kCardRadius = 8.0;
    static constexpr double kTerminalDiameter = 46.0;
    /// Below this zoom the card text is too small to read and is not drawn.
    static constexpr double kLabelMinZoom = 0.55;
    /// Below this zoom the whole graph is drawn by one batched layer instead of its items.
    static constexpr double kOverviewBelowZoom = 0.55;

    static CanvasStyle fromPalette(const QPalette &palette);

    bool dark = false;
    QColor background;
    QColor gridDot;
    QColor cardFill;
    QColor cardBorder;
    QColor text;
    QColor mutedText;
    QColor selection;
    QColor problem;
    QColor problemFill;
    QColor overviewIdle; ///< not-reached cards in the batched overview
    std::array<QColor, kTaskStateCount> state{};
    std::array<QColor, kTaskStateCount> stateFill{}; ///< the card fill, lightly tinted
    std::array<QColor, kEdgeStateCount> edge{};
    std::array<QColor, kEdgeStateCount> edgeFaded{};
    QFont nameFont;
    QFont methodFont;
    QFont badgeFont;
    QFont terminalFont;

    QColor stateColor(TaskState s) const { return state[std::size_t(s)]; }
    QColor edgeColor(EdgeState s, Emphasis e) const
    {
        return e == Emphasis::Faded ? edgeFaded[std::size_t(s)] : edge[std::size_t(s)];
    }
    static qreal edgeWidth(Emphasis e) { return e == Emphasis::Taken ? 2.6 : 1.5; }

    /// Plain words for a state: "Waiting for an operator".
    static QString stateLabel(TaskState s);
    /// Draws the status disc (or the hollow ring of a task not reached) into `rect`.
    void paintStatusIcon(QPainter *painter, const QRectF &rect, TaskState s) const;
};

} // namespace flowdeck::ui::canvas
