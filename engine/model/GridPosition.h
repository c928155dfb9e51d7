// SPDX-License-Identifier: GPL-3.0-or-later
// A task's place on the canvas, in grid cells. Real documents carry it in three forms:
// nodeLocation {x, y} in pixels (canvas version 3), x / y fractions of the canvas (version 1.5)
// and gridCoordinate {x, y} in cells (job documents). One grid position is derived from
// whichever is present, and editing writes every form the task had back, so an export opens
// unchanged in Itential.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>

namespace flowdeck::model {

struct GridPoint
{
    double x = 0;
    double y = 0;
    friend bool operator==(const GridPoint &, const GridPoint &) = default;
};

/// How pixels and fractions relate to cells. One cell holds one task card.
struct GridMetrics
{
    static constexpr double kCellWidthPx = 240.0;  ///< Itential canvas 3 column pitch, roughly
    static constexpr double kCellHeightPx = 108.0; ///< Itential canvas 3 row pitch
    /// Version 1.5 stored x / y as fractions of its canvas; we read them as fractions of a
    /// canvas this many cells wide and high (the old editor's visible area).
    static constexpr double kFractionCanvasCols = 20.0;
    static constexpr double kFractionCanvasRows = 25.0;
};

enum class PositionForm { NodeLocation, GridCoordinate, Fraction };

/// The grid position of a task document, from nodeLocation first, then gridCoordinate, then
/// the x / y fractions; nullopt when the task has none (or only malformed ones).
std::optional<GridPoint> gridPosition(const nlohmann::json &task);

/// Which form gridPosition() read, if any.
std::optional<PositionForm> positionForm(const nlohmann::json &task);

/// Moves a task: writes every position form the task already has; a task with none gets
/// nodeLocation (the current canvas version's form). Pixels are rounded to whole numbers.
void setGridPosition(nlohmann::json &task, GridPoint cell);

} // namespace flowdeck::model
