// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/canvas/WorkflowCanvas.h"

#include "engine/model/GridPosition.h"
#include "engine/model/Workflow.h"
#include "ui/canvas/CanvasTool.h"
#include "ui/canvas/Minimap.h"
#include "ui/canvas/TaskItem.h"
#include "ui/canvas/WorkflowScene.h"

#include <QApplication>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QGestureEvent>
#include <QKeyEvent>
#include <QNativeGestureEvent>
#include <QPinchGesture>
#include <QScrollBar>
#include <QWheelEvent>

#include <cmath>

namespace flowdeck::ui::canvas {

using namespace Qt::StringLiterals;

namespace {
constexpr qreal kFitMargin = 32;     ///< scene units around the graph when fitting
constexpr qreal kPanMargin = 480;    ///< how far past the graph one may pan
constexpr qreal kDotsMinZoom = 0.45; ///< the dot grid is noise when zoomed further out
} // namespace

WorkflowCanvas::WorkflowCanvas(QWidget *parent)
    : QGraphicsView(parent), m_scene(new WorkflowScene(this))
{
    setObjectName(u"workflowCanvas"_s);
    setScene(m_scene);
    setFrameShape(QFrame::NoFrame);
    setRenderHints(QPainter::Antialiasing | QPainter::TextAntialiasing);
    // Items set every pen, brush and font they use, and their bounding rectangles include
    // the antialiasing margin, so the view need not save state or pad exposed areas.
    setOptimizationFlags(QGraphicsView::DontSavePainterState |
                         QGraphicsView::DontAdjustForAntialiasing);
    // Smart: live updates of many tasks merge into one rectangle, and scrolling moves pixels
    // instead of repainting.
    setViewportUpdateMode(QGraphicsView::SmartViewportUpdate);
    setCacheMode(QGraphicsView::CacheNone);
    setTransformationAnchor(QGraphicsView::NoAnchor);
    setResizeAnchor(QGraphicsView::AnchorViewCenter);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setDragMode(QGraphicsView::NoDrag);
    setFocusPolicy(Qt::StrongFocus);
    viewport()->setCursor(Qt::ArrowCursor);
    // drawBackground covers every pixel; letting the widget fill it first would paint each
    // frame twice.
    viewport()->setAutoFillBackground(false);
    viewport()->setAttribute(Qt::WA_OpaquePaintEvent);
    viewport()->grabGesture(Qt::PinchGesture);
    setToolTip(tr("Drag to pan · Ctrl+wheel or pinch to zoom · + / − zoom · 0 fit · 1 100%"));

    m_minimap = new Minimap(this);
    m_minimap->hide();
    connect(m_scene, &WorkflowScene::pictureChanged, this, &WorkflowCanvas::onPictureChanged);
    applyPalette();
}

WorkflowCanvas::~WorkflowCanvas() = default;

void WorkflowCanvas::setWorkflow(const nlohmann::json &workflowDoc)
{
    m_scene->setWorkflow(workflowDoc);
    const QRectF graph = m_scene->graphRect();
    setSceneRect(graph.isEmpty()
                     ? QRectF(0, 0, 1, 1)
                     : graph.adjusted(-kPanMargin, -kPanMargin, kPanMargin, kPanMargin));
    m_fitPending = true;
    m_autoView = AutoView::Readable;
    applyAutoView();
}

void WorkflowCanvas::replaceWorkflow(const nlohmann::json &workflowDoc)
{
    const QPointF centre = mapToScene(viewport()->rect().center());
    const QString selected = m_scene->selectedTask();
    m_scene->setWorkflow(workflowDoc);
    const QRectF graph = m_scene->graphRect();
    // The scene only grows while editing, so a task dragged off the edge stays reachable and
    // the view does not jump back.
    setSceneRect(sceneRect().united(
        graph.isEmpty() ? QRectF(0, 0, 1, 1)
                        : graph.adjusted(-kPanMargin, -kPanMargin, kPanMargin, kPanMargin)));
    m_scene->setSelectedTask({});
    if (!m_scene->taskRect(selected).isEmpty())
        m_scene->setSelectedTask(selected);
    centerOn(centre);
    updateOverlays();
}

bool WorkflowCanvas::moveTasks(const std::map<std::string, model::GridPoint> &cells)
{
    if (!m_scene->moveNodes(cells))
        return false;
    const QRectF graph = m_scene->graphRect();
    // As in replaceWorkflow: the scene only grows while editing.
    setSceneRect(
        sceneRect().united(graph.adjusted(-kPanMargin, -kPanMargin, kPanMargin, kPanMargin)));
    updateOverlays();
    return true;
}

void WorkflowCanvas::setJob(const nlohmann::json &jobDoc)
{
    const QRectF before = m_scene->graphRect();
    m_scene->setJob(jobDoc);
    if (m_scene->graphRect() != before) {
        const QRectF graph = m_scene->graphRect();
        setSceneRect(graph.adjusted(-kPanMargin, -kPanMargin, kPanMargin, kPanMargin));
    }
    // A job opens on what matters in it: the whole graph when readable, else its active task.
    m_fitPending = true;
    m_autoView = AutoView::Readable;
    applyAutoView();
}

void WorkflowCanvas::updateJob(const nlohmann::json &jobDoc)
{
    m_scene->updateJob(jobDoc);
}

void WorkflowCanvas::clearJob()
{
    m_scene->clearJob();
}

qreal WorkflowCanvas::zoom() const
{
    return transform().m11();
}

qreal WorkflowCanvas::fitZoom() const
{
    const QRectF graph =
        m_scene->graphRect().adjusted(-kFitMargin, -kFitMargin, kFitMargin, kFitMargin);
    const QSize area = viewport()->size();
    if (graph.isEmpty() || area.isEmpty())
        return 1.0;
    // Never blow a small workflow up past 100%: big cards look like a toy.
    return std::min({1.0, area.width() / graph.width(), area.height() / graph.height()});
}

qreal WorkflowCanvas::minZoom() const
{
    return std::min(0.1, fitZoom() * 0.5);
}

void WorkflowCanvas::fitAll()
{
    const QRectF graph = m_scene->graphRect();
    const qreal scale = fitZoom();
    setTransform(QTransform::fromScale(scale, scale));
    if (!graph.isEmpty())
        centerOn(graph.center());
    m_autoView = AutoView::Fit;
    afterViewChange();
}

void WorkflowCanvas::showReadable()
{
    const QRectF graph = m_scene->graphRect();
    // The margin keeps a fit that lands just above the threshold from opening on cards whose
    // level a resize by a pixel would change.
    if (graph.isEmpty() ||
        fitZoom() >= CanvasStyle::kNameMinZoom * (1 + CanvasStyle::kDetailMargin)) {
        fitAll();
        m_autoView = AutoView::Readable;
        return;
    }
    const qreal scale = CanvasStyle::kReadableZoom;
    setTransform(QTransform::fromScale(scale, scale));
    const QString active = m_scene->activeTask();
    const QRectF start = m_scene->taskRect(QString::fromLatin1(model::kWorkflowStart));
    const qreal halfWidth = viewport()->width() / (2 * scale);
    const qreal halfHeight = viewport()->height() / (2 * scale);
    if (!active.isEmpty() && active != QLatin1String(model::kWorkflowStart))
        centerOn(m_scene->taskRect(active).center());
    else if (!start.isEmpty())
        // Start at the left edge, where a left-to-right workflow begins.
        centerOn(start.left() - kFitMargin + halfWidth, start.center().y());
    else
        centerOn(graph.left() - kFitMargin + halfWidth, graph.top() - kFitMargin + halfHeight);
    m_autoView = AutoView::Readable;
    afterViewChange();
}

void WorkflowCanvas::applyAutoView()
{
    if (m_autoView == AutoView::Fit)
        fitAll();
    else
        showReadable();
    // Laid out on screen at last: later shows (a tab coming back) keep where the user was.
    if (isVisible())
        m_fitPending = false;
}

void WorkflowCanvas::zoomTo100()
{
    setZoom(1.0, QRectF(viewport()->rect()).center());
}

void WorkflowCanvas::zoomTo(qreal z)
{
    setZoom(z, QRectF(viewport()->rect()).center());
}

void WorkflowCanvas::zoomIn()
{
    zoomAt(kZoomStep, QRectF(viewport()->rect()).center());
}

void WorkflowCanvas::zoomOut()
{
    zoomAt(1 / kZoomStep, QRectF(viewport()->rect()).center());
}

void WorkflowCanvas::zoomAt(qreal factor, const QPointF &viewAnchor)
{
    setZoom(zoom() * factor, viewAnchor);
}

void WorkflowCanvas::setZoom(qreal target, const QPointF &viewAnchor)
{
    const qreal old = zoom();
    const qreal z = std::clamp(target, minZoom(), kMaxZoom);
    if (std::abs(z - old) < 1e-9)
        return;
    // Keep the scene point under the anchor where it is.
    const QPointF anchorScene = mapToScene(viewAnchor.toPoint());
    const QPointF centreScene = mapToScene(viewport()->rect().center());
    setTransform(QTransform::fromScale(z, z));
    centerOn(anchorScene + (centreScene - anchorScene) * (old / z));
    m_autoView = AutoView::None;
    m_fitPending = false;
    afterViewChange();
}

bool WorkflowCanvas::labelsVisible() const
{
    return m_scene->detail() != CanvasStyle::Detail::Overview;
}

void WorkflowCanvas::afterViewChange()
{
    // One decision per view, from the view's zoom: every card draws the same level.
    m_scene->setDetail(CanvasStyle::detailFor(zoom(), m_scene->detail()));
    updateOverlays();
}

void WorkflowCanvas::updateOverlays()
{
    const QRect area = viewport()->geometry();
    const QRectF graph = m_scene->graphRect();
    const QRectF visible = mapToScene(viewport()->rect()).boundingRect();
    // Only when something is out of view: a workflow that fits needs no map.
    const bool needMap =
        !graph.isEmpty() && !visible.contains(graph) && area.width() > 360 && area.height() > 240;
    m_minimap->setVisible(needMap);
    if (needMap) {
        m_minimap->place(area);
        m_minimap->update();
    }
}

void WorkflowCanvas::onPictureChanged()
{
    if (m_minimap->isVisible())
        m_minimap->update();
}

void WorkflowCanvas::showProblem()
{
    const QStringList tasks = m_scene->problemTasks();
    if (tasks.isEmpty())
        return;
    if (m_scene->detail() != CanvasStyle::Detail::Full)
        zoomTo100();
    centerOn(m_scene->taskRect(tasks.first()).center());
    updateOverlays();
}

void WorkflowCanvas::selectTask(const QString &key)
{
    m_scene->setSelectedTask(key);
    const QRectF rect = m_scene->taskRect(key);
    if (!rect.isEmpty())
        ensureVisible(rect, 40, 40);
}

QString WorkflowCanvas::selectedTask() const
{
    return m_scene->selectedTask();
}

QString WorkflowCanvas::problemText() const
{
    return m_scene->problemText();
}

QStringList WorkflowCanvas::problemTasks() const
{
    return m_scene->problemTasks();
}

void WorkflowCanvas::setPreviewMode(bool preview)
{
    m_preview = preview;
}

void WorkflowCanvas::drawBackground(QPainter *painter, const QRectF &rect)
{
    const CanvasStyle &s = m_scene->canvasStyle();
    painter->fillRect(rect, s.background);
    const qreal z = zoom();
    if (z < kDotsMinZoom)
        return;
    // A dot at every cell corner shows the grid tasks snap to, without drawing lines.
    using model::GridMetrics;
    const qreal w = GridMetrics::kCellWidthPx;
    const qreal h = GridMetrics::kCellHeightPx;
    m_dots.clear();
    for (qreal y = std::floor(rect.top() / h) * h; y <= rect.bottom(); y += h)
        for (qreal x = std::floor(rect.left() / w) * w; x <= rect.right(); x += w)
            m_dots.emplace_back(x, y);
    QPen pen(s.gridDot, 2.5, Qt::SolidLine, Qt::RoundCap);
    pen.setCosmetic(true);
    painter->setPen(pen);
    painter->drawPoints(m_dots.data(), int(m_dots.size()));
}

void WorkflowCanvas::wheelEvent(QWheelEvent *event)
{
    const bool zoomKey = event->modifiers() & Qt::ControlModifier;
    if (zoomKey) {
        const qreal steps = event->angleDelta().y() / 120.0;
        zoomAt(std::pow(kZoomStep, steps), event->position());
        event->accept();
        return;
    }
    if (m_preview) {
        event->ignore(); // the page scrolls
        return;
    }
    QPoint delta = event->pixelDelta().isNull() ? event->angleDelta() / 2 : event->pixelDelta();
    if (event->modifiers() & Qt::ShiftModifier && delta.x() == 0)
        delta = QPoint(delta.y(), 0);
    horizontalScrollBar()->setValue(horizontalScrollBar()->value() - delta.x());
    verticalScrollBar()->setValue(verticalScrollBar()->value() - delta.y());
    m_autoView = AutoView::None;
    event->accept();
}

void WorkflowCanvas::mousePressEvent(QMouseEvent *event)
{
    if (event->button() != Qt::LeftButton) {
        QGraphicsView::mousePressEvent(event);
        return;
    }
    if (m_tool && m_tool->press(event, mapToScene(event->position().toPoint()))) {
        m_toolDrag = true;
        event->accept();
        return;
    }
    m_pressed = true;
    m_panning = false;
    m_pressPos = m_lastDragPos = event->position().toPoint();
    event->accept();
}

void WorkflowCanvas::mouseMoveEvent(QMouseEvent *event)
{
    if (m_toolDrag) {
        m_tool->move(event, mapToScene(event->position().toPoint()));
        event->accept();
        return;
    }
    if (!m_pressed) {
        QGraphicsView::mouseMoveEvent(event);
        return;
    }
    const QPoint pos = event->position().toPoint();
    if (!m_panning && (pos - m_pressPos).manhattanLength() >= QApplication::startDragDistance()) {
        m_panning = true;
        viewport()->setCursor(Qt::ClosedHandCursor);
    }
    if (m_panning) {
        const QPoint delta = pos - m_lastDragPos;
        horizontalScrollBar()->setValue(horizontalScrollBar()->value() - delta.x());
        verticalScrollBar()->setValue(verticalScrollBar()->value() - delta.y());
        m_autoView = AutoView::None;
    }
    m_lastDragPos = pos;
    event->accept();
}

void WorkflowCanvas::mouseReleaseEvent(QMouseEvent *event)
{
    if (m_toolDrag && event->button() == Qt::LeftButton) {
        m_toolDrag = false;
        m_tool->release(event, mapToScene(event->position().toPoint()));
        event->accept();
        return;
    }
    if (!m_pressed || event->button() != Qt::LeftButton) {
        QGraphicsView::mouseReleaseEvent(event);
        return;
    }
    const bool click = !m_panning;
    m_pressed = false;
    m_panning = false;
    viewport()->setCursor(Qt::ArrowCursor);
    if (click) {
        const QString key = m_scene->taskKeyAt(mapToScene(event->position().toPoint()));
        if (key != m_scene->selectedTask()) {
            m_scene->setSelectedTask(key);
            Q_EMIT taskSelected(key);
        }
    }
    event->accept();
}

void WorkflowCanvas::mouseDoubleClickEvent(QMouseEvent *event)
{
    if (event->button() != Qt::LeftButton)
        return;
    const QString key = m_scene->taskKeyAt(mapToScene(event->position().toPoint()));
    if (!key.isEmpty())
        Q_EMIT taskActivated(key);
    event->accept();
}

// Drops go to the tool (the editor's palette); the scene's items take none, so the view's own
// handlers, which hand them to the scene, are not called.
void WorkflowCanvas::dragEnterEvent(QDragEnterEvent *event)
{
    if (m_tool && m_tool->dragOver(event->mimeData(), mapToScene(event->position().toPoint())))
        event->acceptProposedAction();
    else
        event->ignore();
}

void WorkflowCanvas::dragMoveEvent(QDragMoveEvent *event)
{
    if (m_tool && m_tool->dragOver(event->mimeData(), mapToScene(event->position().toPoint())))
        event->acceptProposedAction();
    else
        event->ignore();
}

void WorkflowCanvas::dragLeaveEvent(QDragLeaveEvent *event)
{
    if (m_tool)
        m_tool->dragLeft();
    event->accept();
}

void WorkflowCanvas::dropEvent(QDropEvent *event)
{
    if (m_tool && m_tool->drop(event->mimeData(), mapToScene(event->position().toPoint()))) {
        event->acceptProposedAction();
        setFocus(Qt::OtherFocusReason);
    } else {
        event->ignore();
    }
}

void WorkflowCanvas::keyPressEvent(QKeyEvent *event)
{
    if (m_tool && m_tool->key(event))
        return;
    switch (event->key()) {
    case Qt::Key_Plus:
    case Qt::Key_Equal:
        zoomIn();
        return;
    case Qt::Key_Minus:
    case Qt::Key_Underscore:
        zoomOut();
        return;
    case Qt::Key_0:
        fitAll();
        return;
    case Qt::Key_1:
        zoomTo100();
        return;
    case Qt::Key_Return:
    case Qt::Key_Enter:
        if (!m_scene->selectedTask().isEmpty())
            Q_EMIT taskActivated(m_scene->selectedTask());
        return;
    case Qt::Key_Escape:
        if (!m_scene->selectedTask().isEmpty()) {
            m_scene->setSelectedTask({});
            Q_EMIT taskSelected({});
        }
        return;
    default:
        QGraphicsView::keyPressEvent(event);
    }
}

void WorkflowCanvas::resizeEvent(QResizeEvent *event)
{
    QGraphicsView::resizeEvent(event);
    if (m_fitPending || m_autoView != AutoView::None)
        applyAutoView();
    else
        updateOverlays();
}

void WorkflowCanvas::showEvent(QShowEvent *event)
{
    QGraphicsView::showEvent(event);
    if (m_fitPending)
        applyAutoView();
}

void WorkflowCanvas::changeEvent(QEvent *event)
{
    QGraphicsView::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        applyPalette();
}

void WorkflowCanvas::applyPalette()
{
    const CanvasStyle style = CanvasStyle::fromPalette(palette());
    m_scene->setCanvasStyle(style);
    viewport()->update();
}

bool WorkflowCanvas::viewportEvent(QEvent *event)
{
    if (event->type() == QEvent::NativeGesture) {
        auto *gesture = static_cast<QNativeGestureEvent *>(event);
        if (gesture->gestureType() == Qt::ZoomNativeGesture) {
            zoomAt(1 + gesture->value(), gesture->position());
            return true;
        }
        if (gesture->gestureType() == Qt::SmartZoomNativeGesture) {
            fitAll();
            return true;
        }
    }
    if (event->type() == QEvent::Gesture) {
        auto *gestures = static_cast<QGestureEvent *>(event);
        if (auto *pinch = static_cast<QPinchGesture *>(gestures->gesture(Qt::PinchGesture))) {
            if (pinch->changeFlags() & QPinchGesture::ScaleFactorChanged)
                zoomAt(pinch->scaleFactor(),
                       viewport()->mapFromGlobal(pinch->centerPoint().toPoint()));
            gestures->accept(pinch);
            return true;
        }
    }
    return QGraphicsView::viewportEvent(event);
}

void WorkflowCanvas::scrollContentsBy(int dx, int dy)
{
    QGraphicsView::scrollContentsBy(dx, dy);
    if (m_minimap->isVisible())
        m_minimap->update();
}

} // namespace flowdeck::ui::canvas
