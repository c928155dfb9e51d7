// SPDX-License-Identifier: GPL-3.0-or-later
// The canvas's editing hands. Drag a card to move it (it lands on the grid cell under the
// pointer, shown by an outline while dragging); Shift+drag from one card to another joins them
// with a transition; Delete removes the selected task with its transitions; 1 / 2 / 3 make the
// transition just drawn (and the next ones) success / failure / error. Everything goes through
// the EditSession, so each change is one undoable step, and a refused one says why. A press on
// the background still pans. A palette entry dropped on the canvas becomes a task on the cell
// under the pointer (an outline shows it while dragging); placed without a drop it goes after
// the selected task, joined to it. Without a mouse: the arrows select the nearest task that way,
// Shift+arrows move the selected one a cell, J then arrows and Enter join it to another (Esc
// gives up). GUI thread.
#pragma once

#include "engine/model/WorkflowEdit.h"
#include "ui/canvas/CanvasTool.h"

#include <QObject>
#include <QString>
#include <nlohmann/json.hpp>

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
    bool dragOver(const QMimeData *mime, QPointF scenePos) override;
    void dragLeft() override;
    bool drop(const QMimeData *mime, QPointF scenePos) override;

    /// Places the task a palette entry makes: on the first free cell right of the selected
    /// task, joined to it on success (one undoable step), or in the middle of the view when
    /// nothing is selected. The new task is selected. Its key, or empty when refused.
    QString place(const nlohmann::json &entry);
    /// Places it on `cell` (the first free cell below, if taken), joined to nothing.
    QString placeAt(const nlohmann::json &entry, model::GridPoint cell);

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
    void showOutline(const QRectF &rect);
    /// The task nearest to `from` in the direction of an arrow key, or empty.
    QString neighbour(const QString &from, int arrow) const;
    void select(const QString &key);
    QString perform(Result<std::pair<model::WorkflowEdit, std::string>> added,
                    const QString &after);

    canvas::WorkflowCanvas *m_canvas;
    EditSession *m_session;
    Drag m_drag = Drag::None;
    QString m_key; ///< the task pressed
    QPointF m_pressScene;
    QRectF m_pressRect;
    QGraphicsRectItem *m_ghost = nullptr;
    QGraphicsLineItem *m_line = nullptr;
    model::TransitionState m_state = model::TransitionState::Success;
    QString m_joinFrom; ///< J pressed on this task: the arrows choose where it leads
    QString m_lastFrom; ///< the transition drawn last, which 1 / 2 / 3 change
    QString m_lastTo;
};

} // namespace flowdeck::ui::editor
