// SPDX-License-Identifier: GPL-3.0-or-later
// The canvas's editing hands. Drag a card to move it (it lands on the grid cell under the
// pointer, shown by an outline while dragging); Shift+drag from one card to another joins them
// with a transition; Delete removes the selected task with its transitions; 1 / 2 / 3 make the
// transition just drawn (and the next ones) success / failure / error. Everything goes through
// the EditSession, so each change is one undoable step, and a refused one says why. A press on
// the background still pans. GUI thread.
#pragma once

#include "engine/model/WorkflowEdit.h"
#include "ui/canvas/CanvasTool.h"

#include <QObject>
#include <QString>

class QGraphicsLineItem;
class QGraphicsRectItem;

namespace flowdeck::ui::canvas {
class WorkflowCanvas;
}

namespace flowdeck::ui::editor {

class EditSession;

class EditorTool final : public QObject, public canvas::CanvasTool
{
    Q_OBJECT
public:
    EditorTool(canvas::WorkflowCanvas *canvas, EditSession *session, QObject *parent = nullptr);
    ~EditorTool() override;

    bool press(QMouseEvent *event, QPointF scenePos) override;
    void move(QMouseEvent *event, QPointF scenePos) override;
    void release(QMouseEvent *event, QPointF scenePos) override;
    bool key(QKeyEvent *event) override;

    /// The state a new transition gets.
    model::TransitionState connectState() const { return m_state; }
    void setConnectState(model::TransitionState state);
    /// Deletes the selected task (the Delete action and key).
    void deleteSelection();

Q_SIGNALS:
    /// A hint or an outcome for the status bar.
    void status(const QString &text);
    void connectStateChanged(model::TransitionState state);

private:
    enum class Drag { None, Move, Connect };
    void endDrag();

    canvas::WorkflowCanvas *m_canvas;
    EditSession *m_session;
    Drag m_drag = Drag::None;
    QString m_key; ///< the task pressed
    QPointF m_pressScene;
    QRectF m_pressRect;
    QGraphicsRectItem *m_ghost = nullptr;
    QGraphicsLineItem *m_line = nullptr;
    model::TransitionState m_state = model::TransitionState::Success;
    QString m_lastFrom; ///< the transition drawn last, which 1 / 2 / 3 change
    QString m_lastTo;
};

} // namespace flowdeck::ui::editor
