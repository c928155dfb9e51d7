// SPDX-License-Identifier: GPL-3.0-or-later
// A workflow open for editing, in a window of its own: the canvas with the editing tool, the
// palette of tasks to place (Ctrl+K), the selected task's values, the problems the validator finds
// after every change (click one to go to its task), Undo / Redo named after the change, Delete, and
// Save, which stores the document as the workflow's next version (jobs already running keep theirs)
// through the API, so it works against a remote server as well. Save is refused while the validator
// reports errors, naming them. GUI thread.
#pragma once

#include "engine/validate/ValidationIssue.h"

#include <QMainWindow>

#include <nlohmann/json.hpp>

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

class QAction;
class QLabel;
class QListWidget;

namespace flowdeck::ui {
class ConsoleClient;
}
namespace flowdeck::ui::canvas {
class WorkflowCanvas;
}

namespace flowdeck::ui::editor {

class EditSession;
class EditorTool;
class TaskPalette;
class TaskProperties;

class WorkflowEditor final : public QMainWindow
{
    Q_OBJECT
public:
    /// `isNew`: the workflow is not stored yet; the first Save creates it (refused when the
    /// name is taken) instead of storing a next version.
    WorkflowEditor(ConsoleClient &client, nlohmann::json document, QWidget *parent = nullptr,
                   bool isNew = false);
    ~WorkflowEditor() override;

    EditSession *session() const { return m_session; }
    canvas::WorkflowCanvas *canvas() const { return m_canvas; }
    EditorTool *tool() const { return m_tool; }
    TaskPalette *taskPalette() const { return m_palette; }
    TaskProperties *properties() const { return m_properties; }
    QListWidget *problems() const { return m_problems; }
    const std::vector<validate::ValidationIssue> &issues() const { return m_issues; }
    QString statusText() const;

    /// Stores the document as the workflow's next version, unless it has errors.
    void save();
    /// Documents with at least this many tasks are validated on a worker thread after each
    /// change (the list updates when it is done); smaller ones at once. Default 400.
    void setValidationOffThreadFrom(std::size_t tasks) { m_offThreadFrom = tasks; }
    /// A check of a large document is running; the list shows the one before.
    bool isChecking() const { return m_checking; }

Q_SIGNALS:
    /// The store now holds the edited document as a new version of workflow `name`.
    void saved(const QString &name);

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void documentChanged();
    void showProblems();
    /// Shows `issues` (the validator's) with the required values left unset.
    void listProblems(std::vector<validate::ValidationIssue> issues);
    /// The tasks/list entry of (app, method): the built-in table, else the palette's list.
    /// Valid until the palette reloads; null when neither knows it.
    const nlohmann::json *entryFor(const std::string &app, const std::string &method) const;
    void goToProblem(int row);
    void say(const QString &text);

    ConsoleClient &m_client;
    EditSession *m_session;
    canvas::WorkflowCanvas *m_canvas;
    EditorTool *m_tool;
    TaskPalette *m_palette;
    TaskProperties *m_properties;
    QListWidget *m_problems;
    QLabel *m_status;
    QAction *m_save;
    std::vector<validate::ValidationIssue> m_issues;
    bool m_saving = false;
    bool m_checking = false;
    int m_checkGeneration = 0; ///< a worker's answer for an older document is dropped
    std::size_t m_offThreadFrom = 400;
    /// Workers hold it weakly: their answer is dropped once the window is gone.
    std::shared_ptr<char> m_alive = std::make_shared<char>();
    bool m_new = false;
};

} // namespace flowdeck::ui::editor
