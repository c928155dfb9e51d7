// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/model/GridPosition.h"

#include <cmath>

namespace flowdeck::model {
namespace {

using nlohmann::json;

bool hasPoint(const json &task, const char *key)
{
    auto it = task.find(key);
    return it != task.end() && it->is_object() && it->contains("x") && it->contains("y") &&
           (*it)["x"].is_number() && (*it)["y"].is_number();
}

bool hasFractions(const json &task)
{
    auto x = task.find("x");
    auto y = task.find("y");
    return x != task.end() && y != task.end() && x->is_number() && y->is_number();
}

} // namespace

std::optional<PositionForm> positionForm(const json &task)
{
    if (!task.is_object())
        return std::nullopt;
    if (hasPoint(task, "nodeLocation"))
        return PositionForm::NodeLocation;
    if (hasPoint(task, "gridCoordinate"))
        return PositionForm::GridCoordinate;
    if (hasFractions(task))
        return PositionForm::Fraction;
    return std::nullopt;
}

std::optional<GridPoint> gridPosition(const json &task)
{
    const auto form = positionForm(task);
    if (!form)
        return std::nullopt;
    switch (*form) {
    case PositionForm::NodeLocation: {
        const auto &p = task["nodeLocation"];
        return GridPoint{p["x"].get<double>() / GridMetrics::kCellWidthPx,
                         p["y"].get<double>() / GridMetrics::kCellHeightPx};
    }
    case PositionForm::GridCoordinate: {
        const auto &p = task["gridCoordinate"];
        return GridPoint{p["x"].get<double>(), p["y"].get<double>()};
    }
    case PositionForm::Fraction:
        return GridPoint{task["x"].get<double>() * GridMetrics::kFractionCanvasCols,
                         task["y"].get<double>() * GridMetrics::kFractionCanvasRows};
    }
    return std::nullopt;
}

void setGridPosition(json &task, GridPoint cell)
{
    const bool node = hasPoint(task, "nodeLocation");
    const bool grid = hasPoint(task, "gridCoordinate");
    const bool fraction = hasFractions(task);
    if (node || (!grid && !fraction)) {
        task["nodeLocation"]["x"] = std::lround(cell.x * GridMetrics::kCellWidthPx);
        task["nodeLocation"]["y"] = std::lround(cell.y * GridMetrics::kCellHeightPx);
    }
    if (grid) {
        task["gridCoordinate"]["x"] = cell.x;
        task["gridCoordinate"]["y"] = cell.y;
    }
    if (fraction) {
        task["x"] = cell.x / GridMetrics::kFractionCanvasCols;
        task["y"] = cell.y / GridMetrics::kFractionCanvasRows;
    }
}

} // namespace flowdeck::model
