// SPDX-License-Identifier: GPL-3.0-or-later
// The live workflow canvas: a workflow's tasks at their grid positions and its transitions,
// with a job's progress drawn over them and updated in place as events arrive.
//
// Navigation follows Camunda's and the browsers' habit, which Itential users also meet in
// Automation Studio's new canvas: drag the background (or a card) to pan, the wheel or a
// two-finger swipe to scroll (Shift for sideways), Ctrl+wheel or a pinch to zoom at the pointer;
// keys + / - zoom, 0 fits the workflow, 1 goes to 100%. A minimap appears when the workflow does
// not fit. Click selects a task, double-click or Enter activates it. GUI thread.
#pragma once

#include "engine/model/GridPosition.h"

#include <QGraphicsView>

#include <map>
#include <string>

#include <nlohmann/json.hpp>

namespace flowdeck::ui::canvas {

class CanvasTool;
class Minimap;
class WorkflowScene;

class WorkflowCanvas final : public QGraphicsView
{
    Q_OBJECT
public:
    static constexpr qreal kMaxZoom = 4.0;
    static constexpr qreal kZoomStep = 1.25;

    explicit WorkflowCanvas(QWidget *parent = nullptr);
    ~WorkflowCanvas() override;

    /// Shows a workflow document (rebuilds the scene) and fits it once the canvas has a size.
    void setWorkflow(const nlohmann::json &workflowDoc);
    /// Shows a changed document of the workflow on screen (an edit) without moving the view.
    void replaceWorkflow(const nlohmann::json &workflowDoc);
    /// Hands presses, drags and keys to `tool` first (null: navigation only). Not owned.
    void setTool(CanvasTool *tool) { m_tool = tool; }
    /// Moves tasks to other cells where they are (WorkflowScene::moveNodes), keeping the view;
    /// false when one is not on the canvas (show the document again instead).
    bool moveTasks(const std::map<std::string, model::GridPoint> &cells);
    /// Shows a job over the workflow (or the job's own snapshot of it, when it differs), opening
    /// the view on it as showReadable() does.
    void setJob(const nlohmann::json &jobDoc);
    /// Applies a newer document of the shown job; items change in place, nothing is rebuilt.
    void updateJob(const nlohmann::json &jobDoc);
    void clearJob();

    /// Fits the whole graph, however small that makes it (key 0).
    void fitAll();
    /// The view a workflow or job opens with: the whole graph when its names can be read at
    /// that size; otherwise a readable zoom on the active task (running, waiting or failed),
    /// or on Start when nothing ran yet.
    void showReadable();
    void zoomTo100();
    void zoomIn();
    void zoomOut();
    /// Zooms about the centre of the view, clamped to the canvas's range.
    void zoomTo(qreal zoom);
    /// Scale from scene to device pixels (1.0 is 100%).
    qreal zoom() const;

    /// Selects a task (or nothing, for "") and scrolls it into view; emits nothing.
    void selectTask(const QString &key);
    QString selectedTask() const;
    /// Why the shown job stopped, in one short line naming the task by its summary; empty
    /// unless it is in error. The job's header shows it (the canvas marks the task instead of
    /// repeating the words in a banner; the task panel gives the detail).
    QString problemText() const;
    /// The tasks whose result no transition followed; the first is the one to show.
    QStringList problemTasks() const;
    /// Brings the first problem task into view at a zoom that reads its name.
    void showProblem();
    /// True when the current zoom draws task names (name-only or full cards).
    bool labelsVisible() const;

    /// Embedded in a scrolling page: a plain wheel scrolls the page, Ctrl+wheel zooms.
    void setPreviewMode(bool preview);

    WorkflowScene *workflowScene() const { return m_scene; }
    Minimap *minimap() const { return m_minimap; }

Q_SIGNALS:
    /// A click selected a task ("" when a click on the background cleared the selection).
    void taskSelected(const QString &key);
    /// A task was double-clicked, or Enter was pressed on the selected task.
    void taskActivated(const QString &key);

protected:
    void drawBackground(QPainter *painter, const QRectF &rect) override;
    void wheelEvent(QWheelEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void mouseDoubleClickEvent(QMouseEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dragMoveEvent(QDragMoveEvent *event) override;
    void dragLeaveEvent(QDragLeaveEvent *event) override;
    void dropEvent(QDropEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void showEvent(QShowEvent *event) override;
    void changeEvent(QEvent *event) override;
    bool viewportEvent(QEvent *event) override;
    void scrollContentsBy(int dx, int dy) override;

private:
    void setZoom(qreal zoom, const QPointF &viewAnchor);
    void zoomAt(qreal factor, const QPointF &viewAnchor);
    qreal fitZoom() const;
    qreal minZoom() const;
    void afterViewChange();
    void updateOverlays();
    void onPictureChanged();
    void applyPalette();

    WorkflowScene *m_scene;
    Minimap *m_minimap;
    CanvasTool *m_tool = nullptr;
    bool m_toolDrag = false;     ///< the press went to the tool: so do its moves and release
    std::vector<QPointF> m_dots; ///< reused by drawBackground, so frames do not allocate
    QPoint m_pressPos;
    QPoint m_lastDragPos;
    bool m_pressed = false;
    bool m_panning = false;
    /// The view the canvas keeps on resize until the user pans or zooms.
    enum class AutoView { None, Fit, Readable };
    void applyAutoView();

    bool m_fitPending = true; ///< lay out the view as soon as the canvas has its real size
    AutoView m_autoView = AutoView::Readable;
    bool m_preview = false;
};

} // namespace flowdeck::ui::canvas
