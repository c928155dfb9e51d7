// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/editor/CanvasUpdate.h"

#include "engine/model/GridPosition.h"
#include "engine/model/JsonFields.h"
#include "ui/canvas/WorkflowCanvas.h"

#include <map>

namespace flowdeck::ui::editor {

bool showChange(canvas::WorkflowCanvas &canvas, const nlohmann::json &document,
                const model::WorkflowEdit *edit)
{
    if (edit) {
        if (const auto keys = model::movedTasksOnly(*edit)) {
            const nlohmann::json &tasks = fields::objectAt(document, "tasks");
            std::map<std::string, model::GridPoint> cells;
            for (const std::string &key : *keys)
                if (const auto it = tasks.find(key); it != tasks.end())
                    if (const auto cell = model::gridPosition(*it))
                        cells[key] = *cell;
            if (cells.size() == keys->size() && canvas.moveTasks(cells))
                return true;
        }
    }
    canvas.replaceWorkflow(document);
    return false;
}

} // namespace flowdeck::ui::editor
