// SPDX-License-Identifier: GPL-3.0-or-later
// The read-only detail of one workflow: its name and description, a preview of its canvas, its
// tasks in canvas order, its transitions and its input variables, fetched through the ConsoleClient
// (GET /automation-studio/workflows/detailed/:name). GUI thread.
#pragma once

#include "ui/client/ConsoleClient.h"

#include <QHash>
#include <QPointer>
#include <QTimer>
#include <QWidget>

#include <nlohmann/json.hpp>

#include <map>
#include <string>

class QLabel;
class QScrollArea;
class QSplitter;
class QToolButton;
class QStackedWidget;
class QTableWidget;

namespace flowdeck::ui {

class AdapterNeedsView;

namespace editor {
class WorkflowEditor;
}
namespace canvas {
class WorkflowCanvas;
} // namespace canvas

class WorkflowDetail final : public QWidget
{
    Q_OBJECT
public:
    /// `client` must outlive the widget. Starts in its empty state.
    explicit WorkflowDetail(ConsoleClient &client, QWidget *parent = nullptr);

    /// Fetches and shows the named workflow; an empty name goes back to the empty state.
    /// Reports through loaded() or loadFailed() (the failure is also shown in place).
    void showWorkflow(const QString &name);
    /// Fetches the current workflow again, keeping what is shown until the answer is in.
    void reload();
    /// Opens the shown workflow in an editor window of its own; null when none is shown.
    editor::WorkflowEditor *openEditor();
    /// Opens an editor on a new workflow of that name (Start and End, nothing between); its
    /// first Save creates the workflow, refused if the name is taken.
    editor::WorkflowEditor *openNewEditor(const QString &name);
    /// The workflow asked for last (shown, or on its way).
    QString workflowName() const { return m_name; }
    /// Gives the canvas the whole page (the tables fold away), or gives the tables their room.
    /// The adapters the shown workflow's tasks need, and whether each is present.
    AdapterNeedsView *adapterNeeds() const { return m_adapterNeeds; }
    void setCanvasFullSize(bool full);
    bool isCanvasFullSize() const;
    canvas::WorkflowCanvas *canvas() const { return m_canvas; }

Q_SIGNALS:
    void loaded(const QString &name);
    /// An editor stored a version of workflow `name` (a new workflow's first, too).
    void saved(const QString &name);
    void loadFailed(const QString &name, const QString &message);

protected:
    void changeEvent(QEvent *event) override;

private:
    void request();
    void showMessage(const QString &text);
    void showDocument(const nlohmann::json &document);
    editor::WorkflowEditor *editorFor(const QString &name, const nlohmann::json &document,
                                      bool isNew);
    void fillTasks(const nlohmann::json &document);
    void fillTransitions(const nlohmann::json &document);
    void fillInputs(const nlohmann::json &document);
    QString taskLabel(const std::string &key) const;

    ConsoleClient &m_client;
    QString m_name;
    quint64 m_serial = 0;      ///< answers to older requests are dropped
    nlohmann::json m_document; ///< what is shown; null in the empty and message states
    QTimer m_loadingDelay; ///< "Loading…" only when an answer is slow, so fast ones never flash

    QStackedWidget *m_stack = nullptr;
    QLabel *m_message = nullptr;
    QWidget *m_body = nullptr;
    QSplitter *m_splitter = nullptr;
    QToolButton *m_fullSize = nullptr;
    QToolButton *m_edit = nullptr;
    QHash<QString, QPointer<editor::WorkflowEditor>> m_editors; ///< open ones, by workflow name
    QScrollArea *m_scroll = nullptr;
    QLabel *m_title = nullptr;
    QLabel *m_description = nullptr;
    QLabel *m_meta = nullptr;
    AdapterNeedsView *m_adapterNeeds = nullptr; ///< which adapters the tasks call
    QLabel *m_canvasHeading = nullptr;
    canvas::WorkflowCanvas *m_canvas = nullptr; ///< read-only preview of the graph
    QLabel *m_tasksHeading = nullptr;
    QTableWidget *m_tasks = nullptr;
    QLabel *m_transitionsHeading = nullptr;
    QTableWidget *m_transitions = nullptr;
    QLabel *m_noTransitions = nullptr;
    QLabel *m_inputsHeading = nullptr;
    QTableWidget *m_inputs = nullptr;
    QLabel *m_noInputs = nullptr;

    /// Task key → its label and its place in canvas order, for the transitions table.
    struct TaskInfo
    {
        QString label;
        int rank = 0;
    };
    std::map<std::string, TaskInfo> m_taskInfo;
};

} // namespace flowdeck::ui
