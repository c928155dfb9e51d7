// SPDX-License-Identifier: GPL-3.0-or-later
// One job, live: its workflow on the canvas with the job's progress over it, its tasks, its
// variables as a tree, its errors and warnings in plain words, and its history. Fetches the
// job through the ConsoleClient and again (coalesced) whenever the engine says it changed.
// GUI thread.
#pragma once

#include <QPointer>
#include <QTimer>
#include <QVector>
#include <QWidget>

#include <nlohmann/json.hpp>

class QAction;
class QLabel;
class QSplitter;
class QStackedWidget;
class QTabWidget;
class QToolButton;
class QTreeView;
class QTreeWidget;
class QTreeWidgetItem;

namespace flowdeck::ui {

namespace canvas {
class WorkflowCanvas;
}

class ApiReply;
class ConsoleClient;
struct HistoryEntry;
class JsonTreeModel;
class TaskPanel;

class JobDetail final : public QWidget
{
    Q_OBJECT
public:
    explicit JobDetail(ConsoleClient &client, QWidget *parent = nullptr);
    ~JobDetail() override;

    /// Shows the job (fetching it); "" clears the detail.
    void showJob(const QString &jobId);
    QString jobId() const { return m_jobId; }
    /// The last document received; null before the first answer.
    const nlohmann::json &document() const { return m_document; }
    /// Fetches the shown job again now.
    void reload();

    canvas::WorkflowCanvas *canvas() const { return m_canvas; }
    JsonTreeModel *variablesModel() const { return m_variables; }
    QSplitter *splitter() const { return m_splitter; }
    /// The selected task's panel (its runs, values and actions) under the task list.
    TaskPanel *taskPanel() const { return m_panel; }
    QSplitter *taskSplitter() const { return m_taskSplitter; }

Q_SIGNALS:
    /// A document of the shown job arrived (the first or a live update).
    void jobLoaded(const QString &jobId);
    /// The operator asked to go back to the list.
    void backRequested();
    /// The operator asked for a bulk action on this one job.
    void actionRequested(const QString &action, const QString &jobId);
    /// The operator wants to work a manual task of this job (open it in My tasks).
    void workTaskRequested(const QString &jobId, const QString &taskKey,
                           const QString &iterationId);

protected:
    void changeEvent(QEvent *event) override;

private:
    void createHeader();
    void onReply(ApiReply *reply, const QString &jobId);
    void showDocument(const nlohmann::json &doc, bool sameJob);
    void fillTasks(const nlohmann::json &doc);
    void fillMeta(const nlohmann::json &doc);
    void tick();
    void fillHistory(const nlohmann::json &doc);
    void fetchHistory();
    void showHistory(const QVector<HistoryEntry> &entries, bool more);
    void fillProblems(const nlohmann::json &doc);
    void selectTaskRow(const QString &key);
    void showTaskPanel(const QString &key);
    void updateIcons();
    void tintProblems();

    ConsoleClient &m_client;
    QString m_jobId;
    nlohmann::json m_document;
    QPointer<ApiReply> m_reply;
    QPointer<ApiReply> m_historyReply;
    QTimer m_liveTimer; ///< coalesces bursts of jobChanged into one fetch
    QTimer m_tick;      ///< once a second while the job runs: durations move on

    QStackedWidget *m_stack = nullptr;
    QLabel *m_message = nullptr;
    QWidget *m_page = nullptr;
    QAction *m_backAction = nullptr;
    QAction *m_pauseAction = nullptr;
    QAction *m_resumeAction = nullptr;
    QAction *m_cancelAction = nullptr;
    QLabel *m_title = nullptr;
    QLabel *m_statusIcon = nullptr;
    QLabel *m_status = nullptr;
    QLabel *m_testRun = nullptr;
    QLabel *m_meta = nullptr;
    QLabel *m_description = nullptr;
    QWidget *m_problemStrip = nullptr;
    QLabel *m_problems = nullptr;
    QToolButton *m_showProblem = nullptr;
    bool m_problemsAreErrors = false;
    QSplitter *m_splitter = nullptr;
    canvas::WorkflowCanvas *m_canvas = nullptr;
    QTabWidget *m_tabs = nullptr;
    QSplitter *m_taskSplitter = nullptr;
    QTreeWidget *m_tasks = nullptr;
    TaskPanel *m_panel = nullptr;
    QTreeView *m_variablesView = nullptr;
    JsonTreeModel *m_variables = nullptr;
    QTreeWidget *m_history = nullptr;
    bool m_historyFromEvents = false; ///< the tab shows the event log (not the document's)
};

} // namespace flowdeck::ui
