// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/editor/EditorTool.h"

#include "engine/model/GridPosition.h"
#include "engine/model/JsonFields.h"
#include "engine/model/TaskCatalog.h"
#include "ui/canvas/CanvasStyle.h"
#include "ui/canvas/WorkflowCanvas.h"
#include "ui/canvas/WorkflowScene.h"
#include "ui/editor/EditSession.h"
#include "ui/editor/TaskEntryMime.h"

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

/// The grid cell under a scene point.
model::GridPoint cellAt(QPointF scenePos)
{
    return {std::floor(scenePos.x() / GridMetrics::kCellWidthPx),
            std::floor(scenePos.y() / GridMetrics::kCellHeightPx)};
}

/// Where a card on `cell` is drawn (as canvas::TaskItem draws it).
QRectF cardRect(model::GridPoint cell)
{
    using canvas::CanvasStyle;
    return QRectF(cell.x * GridMetrics::kCellWidthPx +
                      (GridMetrics::kCellWidthPx - CanvasStyle::kCardWidth) / 2,
                  cell.y * GridMetrics::kCellHeightPx +
                      (GridMetrics::kCellHeightPx - CanvasStyle::kCardHeight) / 2,
                  CanvasStyle::kCardWidth, CanvasStyle::kCardHeight);
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
    if (!m_ghost && cells.isNull())
        return;
    showOutline(m_pressRect.translated(cells.x() * GridMetrics::kCellWidthPx,
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
    const int key = event->key();
    const bool arrow =
        key == Qt::Key_Left || key == Qt::Key_Right || key == Qt::Key_Up || key == Qt::Key_Down;
    const QString selected = m_canvas->selectedTask();
    if (arrow && (event->modifiers() & Qt::ShiftModifier)) {
        // Shift+arrow: the selected task one cell that way.
        const auto &doc = m_session->document();
        const auto pointer = nlohmann::json::json_pointer("/tasks") / selected.toStdString();
        if (selected.isEmpty() || !doc.contains(pointer))
            return true;
        const auto at = model::gridPosition(doc.at(pointer)).value_or(model::GridPoint{});
        const double dx = key == Qt::Key_Left ? -1 : key == Qt::Key_Right ? 1 : 0;
        const double dy = key == Qt::Key_Up ? -1 : key == Qt::Key_Down ? 1 : 0;
        m_session->perform(model::moveTasks(
            doc, {{selected.toStdString(), {std::round(at.x) + dx, std::round(at.y) + dy}}}));
        return true;
    }
    if (arrow) {
        const QString next =
            neighbour(selected.isEmpty() ? QStringLiteral("workflow_start") : selected, key);
        if (!next.isEmpty())
            select(next);
        if (!m_joinFrom.isEmpty())
            Q_EMIT status(
                tr("Join %1 to %2? Enter joins (%3), Esc gives up")
                    .arg(QString::fromStdString(
                             model::taskLabel(m_session->document(), m_joinFrom.toStdString())),
                         QString::fromStdString(model::taskLabel(
                             m_session->document(), m_canvas->selectedTask().toStdString())),
                         stateWord(m_state)));
        return true;
    }
    if (key == Qt::Key_J && !selected.isEmpty()) {
        m_joinFrom = selected;
        Q_EMIT status(tr("Join %1 to…: the arrows choose the task, Enter joins, Esc gives up")
                          .arg(QString::fromStdString(
                              model::taskLabel(m_session->document(), selected.toStdString()))));
        return true;
    }
    if (!m_joinFrom.isEmpty() && (key == Qt::Key_Return || key == Qt::Key_Enter)) {
        const QString from = m_joinFrom;
        m_joinFrom.clear();
        if (m_session->perform(model::connectTasks(m_session->document(), from.toStdString(),
                                                   selected.toStdString(), m_state))) {
            m_lastFrom = from;
            m_lastTo = selected;
            Q_EMIT status(tr("Joined with a %1 transition; 1, 2 or 3 make it success, failure "
                             "or error")
                              .arg(stateWord(m_state)));
        }
        return true;
    }
    if (!m_joinFrom.isEmpty() && key == Qt::Key_Escape) {
        select(m_joinFrom);
        m_joinFrom.clear();
        Q_EMIT status(tr("Not joined"));
        return true;
    }
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

bool EditorTool::dragOver(const QMimeData *mime, QPointF scenePos)
{
    if (!mime || !mime->hasFormat(kTaskEntryMimeType))
        return false;
    showOutline(cardRect(model::freeCellNear(m_session->document(), cellAt(scenePos))));
    return true;
}

void EditorTool::showOutline(const QRectF &rect)
{
    // The dashed outline of where a card will land: a moved one, or one from the palette.
    if (!m_ghost) {
        m_ghost = new QGraphicsRectItem(rect);
        QPen pen(m_canvas->palette().color(QPalette::Highlight), 2, Qt::DashLine);
        pen.setCosmetic(true);
        m_ghost->setPen(pen);
        m_ghost->setZValue(1000);
        m_canvas->workflowScene()->addItem(m_ghost);
    }
    m_ghost->setRect(rect);
}

void EditorTool::dragLeft()
{
    endDrag();
}

bool EditorTool::drop(const QMimeData *mime, QPointF scenePos)
{
    endDrag();
    const auto entry = taskEntryFrom(mime);
    if (!entry)
        return false;
    placeAt(*entry, cellAt(scenePos));
    return true;
}

QString EditorTool::placeAt(const nlohmann::json &entry, model::GridPoint cell)
{
    const auto &doc = m_session->document();
    return perform(model::addTask(doc, model::taskFromEntry(entry), model::freeCellNear(doc, cell)),
                   {});
}

QString EditorTool::place(const nlohmann::json &entry)
{
    const auto &doc = m_session->document();
    const QString after = m_canvas->selectedTask();
    const auto pointer = nlohmann::json::json_pointer("/tasks") / after.toStdString();
    if (after.isEmpty() || after == QLatin1String("workflow_end") || !doc.contains(pointer)) {
        const QPointF centre = m_canvas->mapToScene(m_canvas->viewport()->rect().center());
        return placeAt(entry, cellAt(centre));
    }
    const auto at = model::gridPosition(doc.at(pointer)).value_or(model::GridPoint{});
    const model::GridPoint right{std::round(at.x) + 1, std::round(at.y)};
    return perform(
        model::addTask(doc, model::taskFromEntry(entry), model::freeCellNear(doc, right)), after);
}

QString EditorTool::perform(Result<std::pair<model::WorkflowEdit, std::string>> added,
                            const QString &after)
{
    if (!added) {
        m_session->perform(added.error());
        return {};
    }
    auto &[edit, key] = *added;
    model::WorkflowEdit whole = edit;
    if (!after.isEmpty()) {
        // Add and join as one step: the join is built on the document with the task in it.
        nlohmann::json withTask = m_session->document();
        model::applyEdit(withTask, edit);
        auto joined = model::connectTasks(withTask, after.toStdString(), key,
                                          model::TransitionState::Success);
        if (joined) {
            std::string name = edit.name + " after " +
                               model::taskLabel(m_session->document(), after.toStdString());
            whole = model::chainEdits(std::move(whole), *joined, std::move(name));
        }
    }
    if (!m_session->perform(std::move(whole)))
        return {};
    const QString placed = QString::fromStdString(key);
    m_canvas->selectTask(placed);
    Q_EMIT m_canvas->taskSelected(placed);
    Q_EMIT status(after.isEmpty() ? tr("Placed; Shift+drag from another task to join it")
                                  : tr("Placed after the selected task and joined on success"));
    return placed;
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

void EditorTool::select(const QString &key)
{
    m_canvas->selectTask(key);
    Q_EMIT m_canvas->taskSelected(key);
}

QString EditorTool::neighbour(const QString &from, int arrow) const
{
    const auto *scene = m_canvas->workflowScene();
    const QPointF origin = scene->taskRect(from).center();
    if (scene->taskRect(from).isEmpty())
        return {};
    const QPointF way = arrow == Qt::Key_Left    ? QPointF(-1, 0)
                        : arrow == Qt::Key_Right ? QPointF(1, 0)
                        : arrow == Qt::Key_Up    ? QPointF(0, -1)
                                                 : QPointF(0, 1);
    QString best;
    double bestScore = 0;
    for (const auto &[key, task] : fields::objectAt(m_session->document(), "tasks").items()) {
        const QString k = QString::fromStdString(key);
        const QRectF rect = scene->taskRect(k);
        if (k == from || rect.isEmpty())
            continue;
        const QPointF d = rect.center() - origin;
        const double along = d.x() * way.x() + d.y() * way.y();
        if (along <= 1)
            continue; // not that way
        const double across = std::abs(d.x() * way.y()) + std::abs(d.y() * way.x());
        const double score = along + 2 * across; // straight ahead beats nearer but aside
        if (best.isEmpty() || score < bestScore) {
            best = k;
            bestScore = score;
        }
    }
    return best;
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
