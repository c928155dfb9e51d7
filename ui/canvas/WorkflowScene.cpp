// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/canvas/WorkflowScene.h"

#include "engine/model/GridPosition.h"
#include "engine/model/Workflow.h"
#include "ui/canvas/MissingTransitionItem.h"
#include "ui/canvas/OverviewLayer.h"
#include "ui/canvas/TaskItem.h"
#include "ui/canvas/TerminalItem.h"
#include "ui/canvas/TransitionItem.h"

#include <QGraphicsRectItem>

#include <cmath>
#include <set>

namespace flowdeck::ui::canvas {

using namespace Qt::StringLiterals;
using nlohmann::json;

namespace {

QString textAt(const json &object, const char *key)
{
    const auto it = object.find(key);
    return it != object.end() && it->is_string() ? QString::fromStdString(it->get<std::string>())
                                                 : QString();
}

EdgeState edgeStateOf(const std::string &state)
{
    if (state == "failure")
        return EdgeState::Failure;
    if (state == "error")
        return EdgeState::Error;
    return EdgeState::Success; // success, and forEach's loop
}

unsigned bitOf(const std::string &finishState)
{
    if (finishState == "success")
        return 1u << unsigned(EdgeState::Success);
    if (finishState == "failure")
        return 1u << unsigned(EdgeState::Failure);
    if (finishState == "error")
        return 1u << unsigned(EdgeState::Error);
    return 0;
}

bool isWaiting(TaskState s)
{
    return s == TaskState::Running || s == TaskState::Scheduled ||
           s == TaskState::WaitingForOperator || s == TaskState::Claimed;
}

/// Items are grouped in chunks of this many grid cells (see chunkFor()).
constexpr double kChunkColumns = 6;
constexpr double kChunkRows = 8;

QPointF cellOrigin(model::GridPoint cell)
{
    return QPointF(cell.x * model::GridMetrics::kCellWidthPx,
                   cell.y * model::GridMetrics::kCellHeightPx);
}

} // namespace

WorkflowScene::WorkflowScene(QObject *parent)
    : QGraphicsScene(parent), m_style(CanvasStyle::fromPalette(QPalette()))
{
    // The picture is static between jobs and the canvas looks items up only by key, so a BSP
    // tree buys nothing the overview layer does not already give, and costs upkeep on every
    // live update (see bench/canvas).
    setItemIndexMethod(QGraphicsScene::NoIndex);
    m_itemLayer = new QGraphicsRectItem;
    m_itemLayer->setFlag(QGraphicsItem::ItemHasNoContents);
    m_itemLayer->setAcceptedMouseButtons(Qt::NoButton);
    addItem(m_itemLayer);
    m_overviewLayer = new OverviewLayer(&m_style, &m_tasks, &m_terminals, &m_edges);
    m_overviewLayer->setVisible(false);
    addItem(m_overviewLayer);
}

WorkflowScene::~WorkflowScene() = default;

void WorkflowScene::clearGraph()
{
    // Deleting the layer's children one by one would update the index for each; a fresh
    // layer is cheaper.
    removeItem(m_itemLayer);
    delete m_itemLayer;
    m_itemLayer = new QGraphicsRectItem;
    m_itemLayer->setFlag(QGraphicsItem::ItemHasNoContents);
    m_itemLayer->setAcceptedMouseButtons(Qt::NoButton);
    m_itemLayer->setVisible(!m_overview);
    addItem(m_itemLayer);
    m_chunks.clear();
    m_nodes.clear();
    m_nodeIndex.clear();
    m_tasks.clear();
    m_terminals.clear();
    m_edges.clear();
    m_missing.clear();
    m_selected.clear();
    m_problemText.clear();
    m_problemTasks.clear();
    m_hasJob = false;
}

void WorkflowScene::setWorkflow(const json &workflow)
{
    clearGraph();
    const json *tasks = nullptr;
    if (workflow.is_object())
        if (const auto it = workflow.find("tasks"); it != workflow.end() && it->is_object())
            tasks = &*it;

    QRectF bounds;
    if (tasks) {
        m_nodes.reserve(tasks->size());
        m_tasks.reserve(tasks->size());
        // Tasks without a position still show: in a row under the rest.
        double bottomRow = 0;
        for (const auto &[key, task] : tasks->items())
            if (const auto cell = model::gridPosition(task))
                bottomRow = std::max(bottomRow, cell->y);
        double spareColumn = 0;
        for (const auto &[key, task] : tasks->items()) {
            if (!task.is_object())
                continue;
            model::GridPoint cell;
            if (const auto position = model::gridPosition(task)) {
                cell = *position;
            } else {
                cell = {spareColumn, std::floor(bottomRow) + 2};
                spareColumn += 1;
            }
            Node node;
            node.key = key;
            const QPointF origin = cellOrigin(cell);
            if (key == model::kWorkflowStart || key == model::kWorkflowEnd) {
                node.terminal =
                    new TerminalItem(&m_style,
                                     key == model::kWorkflowStart ? TerminalItem::Kind::Start
                                                                  : TerminalItem::Kind::End,
                                     origin, chunkFor(origin));
                node.rect = node.terminal->sceneCircleRect();
                m_terminals.push_back(node.terminal);
            } else {
                QString name = textAt(task, "summary");
                const QString method = textAt(task, "name");
                if (name.isEmpty())
                    name = method.isEmpty() ? QString::fromStdString(key) : method;
                const QString app = textAt(task, "app");
                node.task = new TaskItem(&m_style, QString::fromStdString(key), name,
                                         app.isEmpty() ? method : method + u" · "_s + app, origin,
                                         chunkFor(origin));
                node.rect = node.task->sceneCardRect();
                m_tasks.push_back(node.task);
            }
            bounds = bounds.united(node.rect);
            m_nodeIndex.emplace(key, int(m_nodes.size()));
            m_nodes.push_back(std::move(node));
        }
    }

    // Workflow::edges() drops the stale {} entries editors leave behind.
    json copy = workflow.is_object() ? workflow : json::object();
    if (!copy.contains("name") || !copy["name"].is_string() ||
        copy["name"].get<std::string>().empty())
        copy["name"] = "canvas";
    if (auto parsed = model::Workflow::fromJson(std::move(copy)); parsed.ok()) {
        const auto edges = parsed->edges();
        m_edges.reserve(edges.size());
        for (const model::TransitionEdge &edge : edges) {
            const int from = nodeIndex(edge.from);
            const int to = nodeIndex(edge.to);
            if (from < 0 || to < 0 || from == to)
                continue;
            const EdgeState state = edgeStateOf(edge.state);
            m_nodes[std::size_t(from)].outStates |= bitOf(edge.state);
            const EdgeGeometry geometry =
                EdgeGeometry::route(m_nodes[std::size_t(from)].rect, m_nodes[std::size_t(to)].rect);
            auto *item = new TransitionItem(&m_style, from, to, state, edge.type == "revert",
                                            geometry, chunkFor(geometry.start));
            bounds = bounds.united(item->boundingRect());
            m_edges.push_back(item);
        }
    }

    for (auto &[id, chunk] : m_chunks)
        chunk->setRect(chunk->childrenBoundingRect());
    m_graphRect = bounds;
    m_overviewLayer->setBounds(bounds);
    Q_EMIT pictureChanged();
}

bool WorkflowScene::moveNodes(const std::map<std::string, model::GridPoint> &cells)
{
    std::set<int> moved;
    for (const auto &[key, cell] : cells) {
        const int index = nodeIndex(key);
        if (index < 0)
            return false;
        moved.insert(index);
    }
    for (const auto &[key, cell] : cells) {
        Node &node = m_nodes[std::size_t(nodeIndex(key))];
        const QPointF origin = cellOrigin(cell);
        QGraphicsItem *item = node.task ? static_cast<QGraphicsItem *>(node.task)
                                        : static_cast<QGraphicsItem *>(node.terminal);
        // Chunks sit at the scene's origin, so a child's position is its scene position.
        item->setParentItem(chunkFor(origin));
        item->setPos(origin);
        node.rect = node.task ? node.task->sceneCardRect() : node.terminal->sceneCircleRect();
    }
    for (TransitionItem *edge : m_edges) {
        if (!moved.count(edge->from()) && !moved.count(edge->to()))
            continue;
        const EdgeGeometry geometry = EdgeGeometry::route(m_nodes[std::size_t(edge->from())].rect,
                                                          m_nodes[std::size_t(edge->to())].rect);
        edge->setParentItem(chunkFor(geometry.start));
        edge->setGeometry(geometry);
    }
    QRectF bounds;
    for (const Node &node : m_nodes)
        bounds = bounds.united(node.rect);
    for (const TransitionItem *edge : m_edges)
        bounds = bounds.united(edge->boundingRect());
    for (auto &[id, chunk] : m_chunks)
        chunk->setRect(chunk->childrenBoundingRect());
    m_graphRect = bounds;
    m_overviewLayer->setBounds(bounds);
    Q_EMIT pictureChanged();
    return true;
}

QGraphicsRectItem *WorkflowScene::chunkFor(const QPointF &scenePos)
{
    // Without an index the scene visits every item on every frame just to find it off screen;
    // a chunk that "contains its children in its shape" lets it skip a whole block of cards
    // and curves with one rectangle test, and unlike a BSP tree costs nothing to keep up when
    // live updates repaint items.
    const auto column = static_cast<long long>(
        std::floor(scenePos.x() / model::GridMetrics::kCellWidthPx / kChunkColumns));
    const auto row = static_cast<long long>(
        std::floor(scenePos.y() / model::GridMetrics::kCellHeightPx / kChunkRows));
    const long long id = (row << 32) ^ (column & 0xffffffffLL);
    auto &chunk = m_chunks[id];
    if (!chunk) {
        chunk = new QGraphicsRectItem(m_itemLayer);
        chunk->setPen(Qt::NoPen);
        chunk->setBrush(Qt::NoBrush);
        chunk->setFlag(QGraphicsItem::ItemContainsChildrenInShape);
        chunk->setAcceptedMouseButtons(Qt::NoButton);
    }
    return chunk;
}

int WorkflowScene::nodeIndex(const std::string &key) const
{
    const auto it = m_nodeIndex.find(key);
    return it != m_nodeIndex.end() ? it->second : -1;
}

void WorkflowScene::setJob(const json &job)
{
    // A job document is a snapshot of its workflow; when it is not the one shown, show it.
    bool sameTasks = false;
    if (job.is_object())
        if (const auto it = job.find("tasks"); it != job.end() && it->is_object()) {
            sameTasks = it->size() == m_nodes.size();
            for (auto t = it->begin(); sameTasks && t != it->end(); ++t)
                sameTasks = m_nodeIndex.count(t.key()) == 1;
        }
    if (!sameTasks)
        setWorkflow(job);
    updateJob(job);
}

void WorkflowScene::updateJob(const json &job)
{
    m_hasJob = true;
    applyJob(JobSnapshot::fromJson(job));
}

void WorkflowScene::clearJob()
{
    m_hasJob = false;
    applyJob(JobSnapshot());
}

void WorkflowScene::applyJob(const JobSnapshot &job)
{
    for (Node &node : m_nodes) {
        const TaskRun &run = job.task(node.key);
        // A failure the workflow has a transition for is a branch it planned (an evaluation
        // that was false): drawn neutral, so red stays for what went wrong.
        const bool branched = run.state == TaskState::Failure &&
                              (node.outStates & (1u << unsigned(EdgeState::Failure))) != 0;
        if (node.task)
            node.task->setRun(branched ? TaskState::Branched : run.state, run.iterations,
                              run.owner);
        else
            node.terminal->setState(run.state);
    }
    for (TransitionItem *edge : m_edges) {
        Emphasis emphasis = Emphasis::Normal;
        if (m_hasJob) {
            const TaskRun &from = job.task(m_nodes[std::size_t(edge->from())].key);
            const TaskRun &to = job.task(m_nodes[std::size_t(edge->to())].key);
            // Taken: the source's last result is the transition's state and the target ran.
            const bool taken = !from.finishState.empty() &&
                               edgeStateOf(from.finishState) == edge->state() &&
                               (from.finishState == "success" || from.finishState == "failure" ||
                                from.finishState == "error") &&
                               to.reached();
            emphasis = taken ? Emphasis::Taken : Emphasis::Faded;
        }
        edge->setEmphasis(emphasis);
    }
    updateProblem(job);
    m_overviewLayer->invalidate();
    Q_EMIT pictureChanged();
}

void WorkflowScene::updateProblem(const JobSnapshot &job)
{
    for (MissingTransitionItem *item : m_missing)
        delete item;
    m_missing.clear();
    for (TaskItem *task : m_tasks)
        task->setProblem(false);
    m_problemTasks.clear();
    m_problemText.clear();
    if (!m_hasJob || !job.isError())
        return;

    // The engine's rule (Engine.cpp, "no available transitions"): a task that finished with a
    // result none of its transitions follows, while nothing else can run.
    struct Stuck
    {
        const Node *node;
        const TaskRun *run;
    };
    std::vector<Stuck> stuck;
    for (const Node &node : m_nodes) {
        if (!node.task)
            continue;
        const TaskRun &run = job.task(node.key);
        if (run.finishState.empty() || isWaiting(run.state) || bitOf(run.finishState) == 0)
            continue;
        if ((node.outStates & bitOf(run.finishState)) == 0)
            stuck.push_back({&node, &run});
    }

    QStringList names;
    for (const Stuck &s : stuck) {
        const QString finish = QString::fromStdString(s.run->finishState);
        s.node->task->setProblem(true);
        m_problemTasks.append(s.node->task->key());
        std::vector<QRectF> others;
        for (const Node &node : m_nodes)
            if (&node != s.node)
                others.push_back(node.rect);
        auto *missing =
            new MissingTransitionItem(&m_style, s.node->rect, finish, others, m_itemLayer);
        m_missing.push_back(missing);
        names.append(u"“%1”"_s.arg(s.node->task->name()));
    }

    // One short line: where the job stopped and why. The error the task reported and what to
    // do about it are the task panel's detail, not the header's.
    if (stuck.size() == 1) {
        const QString finish = QString::fromStdString(stuck.front().run->finishState);
        m_problemText = tr("Stopped at %1: it ended in %2 and the workflow has no %2 transition "
                           "from it.")
                            .arg(names.front(), finish);
    } else if (!stuck.empty()) {
        m_problemText =
            tr("Stopped at %1: no transition follows their results.").arg(names.join(tr(" and ")));
    } else {
        const QString message = job.jobErrors().empty() ? QString() : job.jobErrors().back();
        // The engine's own sentence for a dead end is for API clients that match on it.
        if (message.startsWith(u"Job has no available transitions."_s))
            m_problemText = tr("The job stopped: nothing more can run and the end of the "
                               "workflow cannot be reached.");
        else
            m_problemText = message.isEmpty() ? tr("The job stopped in error.")
                                              : tr("The job stopped in error: %1").arg(message);
    }
}

void WorkflowScene::setCanvasStyle(const CanvasStyle &style)
{
    const CanvasStyle::Detail detail = m_style.detail;
    m_style = style;
    m_style.detail = detail;
    for (TaskItem *task : m_tasks)
        task->relayout();
    m_overviewLayer->invalidate();
    update();
    Q_EMIT pictureChanged();
}

void WorkflowScene::setDetail(CanvasStyle::Detail detail)
{
    if (detail == m_style.detail)
        return;
    m_style.detail = detail;
    update();
    const bool overview = detail == CanvasStyle::Detail::Overview;
    if (overview == m_overview)
        return;
    m_overview = overview;
    // One switch of two parents instead of thousands of items (their children follow).
    m_itemLayer->setVisible(!overview);
    m_overviewLayer->setVisible(overview);
}

QString WorkflowScene::activeTask() const
{
    if (!m_problemTasks.isEmpty())
        return m_problemTasks.first();
    bool anyReached = false;
    const TaskItem *failed = nullptr;
    for (const TaskItem *task : m_tasks) {
        switch (task->state()) {
        case TaskState::Running:
        case TaskState::WaitingForOperator:
        case TaskState::Claimed:
        case TaskState::Scheduled:
        case TaskState::Paused:
            return task->key();
        case TaskState::Error:
        case TaskState::Failure:
            if (!failed)
                failed = task;
            break;
        default:
            break;
        }
        anyReached = anyReached || task->state() != TaskState::NotReached;
    }
    if (failed)
        return failed->key();
    if (!anyReached && m_hasJob)
        return QString::fromLatin1(model::kWorkflowStart);
    return {};
}

TaskItem *WorkflowScene::taskItem(const QString &key) const
{
    const int index = nodeIndex(key.toStdString());
    return index < 0 ? nullptr : m_nodes[std::size_t(index)].task;
}

TerminalItem *WorkflowScene::terminalItem(const QString &key) const
{
    const int index = nodeIndex(key.toStdString());
    return index < 0 ? nullptr : m_nodes[std::size_t(index)].terminal;
}

TransitionItem *WorkflowScene::transitionItem(const QString &from, const QString &to) const
{
    const int a = nodeIndex(from.toStdString());
    const int b = nodeIndex(to.toStdString());
    for (TransitionItem *edge : m_edges)
        if (edge->from() == a && edge->to() == b)
            return edge;
    return nullptr;
}

QRectF WorkflowScene::taskRect(const QString &key) const
{
    const int index = nodeIndex(key.toStdString());
    return index < 0 ? QRectF() : m_nodes[std::size_t(index)].rect;
}

QString WorkflowScene::taskKeyAt(const QPointF &scenePos) const
{
    // A click is rare; a scan of a few thousand rectangles is well under a millisecond, and
    // works the same whether the items or the overview are showing.
    for (auto it = m_nodes.rbegin(); it != m_nodes.rend(); ++it)
        if (it->rect.contains(scenePos))
            return QString::fromStdString(it->key);
    return {};
}

void WorkflowScene::setSelectedTask(const QString &key)
{
    if (key == m_selected)
        return;
    if (TaskItem *old = taskItem(m_selected))
        old->setSelectedTask(false);
    m_selected = key;
    if (TaskItem *task = taskItem(key))
        task->setSelectedTask(true);
    m_overviewLayer->invalidate();
    Q_EMIT pictureChanged();
}

} // namespace flowdeck::ui::canvas
