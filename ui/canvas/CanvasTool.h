// SPDX-License-Identifier: GPL-3.0-or-later
// What a canvas does with the mouse and keys beyond looking: the editor installs one, and the
// canvas offers it each press, drag, release and key before its own navigation. GUI thread.
#pragma once

#include <QPointF>

class QKeyEvent;
class QMimeData;
class QMouseEvent;

namespace flowdeck::ui::canvas {

class CanvasTool
{
public:
    virtual ~CanvasTool() = default;
    /// A left press at `scenePos`: true when the tool takes the drag that follows (the canvas
    /// then neither pans nor selects).
    virtual bool press(QMouseEvent *event, QPointF scenePos) = 0;
    virtual void move(QMouseEvent *event, QPointF scenePos) = 0;
    virtual void release(QMouseEvent *event, QPointF scenePos) = 0;
    /// A key the canvas has focus for: true when the tool used it.
    virtual bool key(QKeyEvent *event) = 0;
    /// Something dragged over the canvas (from the palette) at `scenePos`: true when the tool
    /// would take it there. `dragLeft` ends the hovering without a drop.
    virtual bool dragOver(const QMimeData *, QPointF) { return false; }
    virtual void dragLeft() {}
    /// The drop itself: true when the tool took it.
    virtual bool drop(const QMimeData *, QPointF) { return false; }
};

} // namespace flowdeck::ui::canvas
