// SPDX-License-Identifier: GPL-3.0-or-later
// Shows a change of the edited document on its canvas: a move (the commonest edit, and its
// undo) moves the cards and their transitions where they are; any other change shows the
// document again. At 2,000 tasks the first takes milliseconds, the second a third of a second
// (bench_canvas). GUI thread.
#pragma once

#include "engine/model/WorkflowEdit.h"

#include <nlohmann/json.hpp>

namespace flowdeck::ui::canvas {
class WorkflowCanvas;
}

namespace flowdeck::ui::editor {

/// `edit`: what was made, undone or redone (EditSession::changing()); null when unknown.
/// True when it was a move shown in place: positions are all it changed, so what the
/// validator says of the document has not changed either.
bool showChange(canvas::WorkflowCanvas &canvas, const nlohmann::json &document,
                const model::WorkflowEdit *edit);

} // namespace flowdeck::ui::editor
