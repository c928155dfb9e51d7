// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/editor/EditorTool.h"

#include "engine/model/GridPosition.h"
#include "ui/canvas/WorkflowCanvas.h"
#include "ui/canvas/WorkflowScene.h"
#include "ui/editor/EditSession.h"

#include <QGraphicsLineItem>
#include <QGraphicsRectItem>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QPen>

#include <cmath>

namespace flowdeck::ui::editor {

using model::GridMetrics;

namespace {

/// Whole grid cells between two scene points.
QPoint cellsBetween(QPointF from, QPointF to)
{
    return QPoint(int(std::lround((to.x() - from.x()) / GridMetrics::kCellWidthPx)),
                  int(std::lround((to.y() - from.y()) / GridMetrics::kCellHeightPx)));
}

QString stateWord(model::TransitionState state)
{
    return QString::fromUtf8(model::transitionStateName(state));
}

} // namespace

EditorTool::EditorTool(canvas::WorkflowCanvas *canvas, EditSession *session, QObject *parent)
    : QObject(parent), m_canvas(canvas), m_session(session)
{}

EditorTool::~EditorTool()
{
    endDrag();
}

void EditorTool::setConnectState(model::TransitionState state)
{
    if (state == m_state)
        return;
    m_state = state;
    Q_EMIT connectStateChanged(state);
}

bool EditorTool::press(QMouseEvent *event, QPointF scenePos)
{
    auto *scene = m_canvas->workflowScene();
    const QString key = scene->taskKeyAt(scenePos);
    if (key.isEmpty())
        return false; // the background pans, as when looking
    // Selected where it is: scrolling it into view would move the card away from the pointer.
    scene->setSelectedTask(key);
    Q_EMIT m_canvas->taskSelected(key);
    m_key = key;
    m_pressScene = scenePos;
    m_pressRect = scene->taskRect(key);
    const QColor accent = m_canvas->palette().color(QPalette::Highlight);
    if (event->modifiers() & Qt::ShiftModifier) {
        m_drag = Drag::Connect;
        m_line = new QGraphicsLineItem(QLineF(m_pressRect.center(), scenePos));
        m_line->setPen(QPen(accent, 2, Qt::DashLine));
        m_line->setZValue(1000);
        scene->addItem(m_line);
        Q_EMIT status(
            tr("Drop on the task that follows; the transition will be %1").arg(stateWord(m_state)));
    } else {
        m_drag = Drag::Move;
    }
    return true;
}

void EditorTool::move(QMouseEvent *, QPointF scenePos)
{
    if (m_drag == Drag::Connect && m_line) {
        m_line->setLine(QLineF(m_pressRect.center(), scenePos));
        return;
    }
    if (m_drag != Drag::Move)
        return;
    const QPoint cells = cellsBetween(m_pressScene, scenePos);
    if (!m_ghost) {
        if (cells.isNull())
            return;
        m_ghost = new QGraphicsRectItem(m_pressRect);
        QPen pen(m_canvas->palette().color(QPalette::Highlight), 2, Qt::DashLine);
        pen.setCosmetic(true);
        m_ghost->setPen(pen);
        m_ghost->setZValue(1000);
        m_canvas->workflowScene()->addItem(m_ghost);
    }
    m_ghost->setRect(m_pressRect.translated(cells.x() * GridMetrics::kCellWidthPx,
                                            cells.y() * GridMetrics::kCellHeightPx));
}

void EditorTool::release(QMouseEvent *, QPointF scenePos)
{
    const Drag drag = m_drag;
    const QString key = m_key;
    endDrag();
    const auto &doc = m_session->document();
    const std::string from = key.toStdString();
    if (drag == Drag::Move) {
        const QPoint cells = cellsBetween(m_pressScene, scenePos);
        if (cells.isNull())
            return;
        const auto pointer = nlohmann::json::json_pointer("/tasks") / from;
        if (!doc.contains(pointer))
            return;
        const auto at = model::gridPosition(doc.at(pointer)).value_or(model::GridPoint{});
        m_session->perform(model::moveTasks(
            doc, {{from, {std::round(at.x) + cells.x(), std::round(at.y) + cells.y()}}}));
        return;
    }
    if (drag != Drag::Connect)
        return;
    const QString target = m_canvas->workflowScene()->taskKeyAt(scenePos);
    if (target.isEmpty() || target == key) {
        Q_EMIT status(tr("No transition: drop on another task to join them"));
        return;
    }
    if (m_session->perform(model::connectTasks(doc, from, target.toStdString(), m_state))) {
        m_lastFrom = key;
        m_lastTo = target;
        Q_EMIT status(tr("Joined with a %1 transition; 1, 2 or 3 make it success, failure or "
                         "error")
                          .arg(stateWord(m_state)));
    }
}

bool EditorTool::key(QKeyEvent *event)
{
    if (event->modifiers() & (Qt::ControlModifier | Qt::AltModifier | Qt::MetaModifier))
        return false;
    switch (event->key()) {
    case Qt::Key_Delete:
    case Qt::Key_Backspace:
        deleteSelection();
        return true;
    case Qt::Key_1:
    case Qt::Key_2:
    case Qt::Key_3: {
        const auto state = event->key() == Qt::Key_1   ? model::TransitionState::Success
                           : event->key() == Qt::Key_2 ? model::TransitionState::Failure
                                                       : model::TransitionState::Error;
        setConnectState(state);
        const auto &doc = m_session->document();
        const std::string from = m_lastFrom.toStdString();
        const std::string to = m_lastTo.toStdString();
        if (!from.empty() && doc.contains(nlohmann::json::json_pointer("/transitions") / from / to))
            m_session->perform(model::setTransitionState(doc, from, to, state));
        Q_EMIT status(tr("New transitions are %1").arg(stateWord(state)));
        return true;
    }
    default:
        return false;
    }
}

void EditorTool::deleteSelection()
{
    const QString key = m_canvas->selectedTask();
    if (key.isEmpty()) {
        Q_EMIT status(tr("Select a task to delete"));
        return;
    }
    if (m_session->perform(model::removeTasks(m_session->document(), {key.toStdString()})))
        m_canvas->selectTask({});
}

void EditorTool::endDrag()
{
    delete m_ghost;
    m_ghost = nullptr;
    delete m_line;
    m_line = nullptr;
    m_drag = Drag::None;
}

} // namespace flowdeck::ui::editor
