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
    /// From this zoom up a card shows its name, method and badges (13 px names read as 9 px).
    static constexpr double kLabelMinZoom = 0.7;
    /// From this zoom up to kLabelMinZoom a card shows only its name, in a larger font, so
    /// names stay readable to about 30 %; below it the batched overview draws the graph.
    static constexpr double kNameMinZoom = 0.3;
    static constexpr double kOverviewBelowZoom = kNameMinZoom;
    /// How far past a threshold the zoom must go before the level changes, so a fit that lands
    /// on a threshold, or a zoom that wobbles around it, never flips the picture.
    static constexpr double kDetailMargin = 0.03;
    /// The zoom at which a view opens when fitting would leave the names unreadable.
    static constexpr double kReadableZoom = 0.7;

    /// What the cards draw. The canvas decides it once per view change from its own zoom
    /// (detailFor), and every item draws by it: items never look at their own transform, whose
    /// scale wobbles by ε at large scene coordinates and would make cards disagree.
    enum class Detail : std::uint8_t { Overview, Names, Full };
    /// The level for `zoom`, staying at `current` while the zoom is within kDetailMargin of
    /// the threshold between them.
    static Detail detailFor(double zoom, Detail current);

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
    /// Set by the scene from the canvas's decision; part of the style so items read it
    /// through the pointer they already hold.
    Detail detail = Detail::Full;
    QFont nameFont;
    QFont bigNameFont; ///< the name on name-only cards
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
