// SPDX-License-Identifier: GPL-3.0-or-later
// The scene of one workflow: a card per task at its grid position, a terminal for
// workflow_start / workflow_end, a curve per transition, and the batched overview layer. It is
// rebuilt only when the workflow document changes; a job (setJob / live updates) changes the
// existing items in place. Items are addressed by the task key. GUI thread.
#pragma once

#include "engine/model/GridPosition.h"

#include "ui/canvas/CanvasStyle.h"
#include "ui/canvas/JobSnapshot.h"

#include <QGraphicsScene>

#include <map>

#include <nlohmann/json.hpp>

#include <string>
#include <unordered_map>
#include <vector>

class QGraphicsRectItem;

namespace flowdeck::ui::canvas {

class MissingTransitionItem;
class OverviewLayer;
class TaskItem;
class TerminalItem;
class TransitionItem;

class WorkflowScene final : public QGraphicsScene
{
    Q_OBJECT
public:
    explicit WorkflowScene(QObject *parent = nullptr);
    ~WorkflowScene() override;

    /// Replaces everything with the tasks and transitions of `workflow` (a workflow document,
    /// or a job document, which carries the same keys). A document without tasks gives an
    /// empty scene; nothing here fails.
    void setWorkflow(const nlohmann::json &workflow);
    /// Moves tasks (Start and End too) to other cells where they are, and routes their
    /// transitions again: what the editor does after a move instead of setWorkflow, which
    /// makes every item again (a third of a second at 2,000 tasks). False, changing nothing,
    /// when a key is not in the scene.
    bool moveNodes(const std::map<std::string, model::GridPoint> &cells);
    /// Shows a job over the workflow: task states, taken transitions, the stuck task. A job
    /// whose tasks are not this workflow's rebuilds the scene from the job document first.
    void setJob(const nlohmann::json &job);
    /// Applies a newer document of the job already shown, changing items in place only.
    void updateJob(const nlohmann::json &job);
    /// Back to the bare workflow.
    void clearJob();
    bool hasJob() const { return m_hasJob; }

    void setCanvasStyle(const CanvasStyle &style);
    const CanvasStyle &canvasStyle() const { return m_style; }

    /// What the cards draw, as the canvas decided from its zoom. Far out (Overview), the items
    /// are hidden and the overview layer draws the graph in batches.
    void setDetail(CanvasStyle::Detail detail);
    CanvasStyle::Detail detail() const { return m_style.detail; }
    bool isOverview() const { return m_overview; }
    /// The task an operator looks at first in a job: the one running, waiting or in error
    /// (problem tasks first); workflow_start when nothing ran yet; "" when the job is over.
    QString activeTask() const;

    /// The rectangle holding every card and curve (empty for an empty workflow).
    QRectF graphRect() const { return m_graphRect; }
    TaskItem *taskItem(const QString &key) const;
    TerminalItem *terminalItem(const QString &key) const;
    /// The transition from → to, or null.
    TransitionItem *transitionItem(const QString &from, const QString &to) const;
    const std::vector<TaskItem *> &taskItems() const { return m_tasks; }
    const std::vector<TransitionItem *> &transitionItems() const { return m_edges; }
    const std::vector<MissingTransitionItem *> &missingTransitions() const { return m_missing; }
    OverviewLayer *overviewLayer() const { return m_overviewLayer; }
    /// The card (or terminal) rectangle of a task in scene coordinates; empty if unknown.
    QRectF taskRect(const QString &key) const;

    /// The task whose card holds `scenePos` (workflow_start / workflow_end included), or "".
    QString taskKeyAt(const QPointF &scenePos) const;
    void setSelectedTask(const QString &key);
    const QString &selectedTask() const { return m_selected; }

    /// Why the shown job stopped, in plain words; empty unless the job is in error.
    const QString &problemText() const { return m_problemText; }
    /// The tasks whose result no transition followed (the job's dead ends).
    const QStringList &problemTasks() const { return m_problemTasks; }

Q_SIGNALS:
    /// The job, the selection or the style changed how the graph looks as a whole.
    void pictureChanged();

private:
    struct Node
    {
        std::string key;
        TaskItem *task = nullptr;
        TerminalItem *terminal = nullptr;
        QRectF rect;            ///< card or circle, scene coordinates
        unsigned outStates = 0; ///< bit per EdgeState with an outgoing transition
    };

    void clearGraph();
    /// The chunk item that holds items whose anchor is at `scenePos` (created on demand).
    QGraphicsRectItem *chunkFor(const QPointF &scenePos);
    void applyJob(const JobSnapshot &job);
    void updateProblem(const JobSnapshot &job);
    int nodeIndex(const std::string &key) const;

    CanvasStyle m_style;
    QGraphicsRectItem *m_itemLayer = nullptr;
    std::unordered_map<long long, QGraphicsRectItem *> m_chunks;
    OverviewLayer *m_overviewLayer = nullptr;
    std::vector<Node> m_nodes;
    std::unordered_map<std::string, int> m_nodeIndex;
    std::vector<TaskItem *> m_tasks;
    std::vector<TerminalItem *> m_terminals;
    std::vector<TransitionItem *> m_edges;
    std::vector<MissingTransitionItem *> m_missing;
    QRectF m_graphRect;
    QString m_selected;
    QString m_problemText;
    QStringList m_problemTasks;
    bool m_hasJob = false;
    bool m_overview = false;
};

} // namespace flowdeck::ui::canvas
