// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/editor/WorkflowEditor.h"

#include "engine/model/JsonFields.h"
#include "engine/model/TaskCatalog.h"
#include "engine/validate/WorkflowValidator.h"
#include "ui/canvas/WorkflowCanvas.h"
#include "ui/client/ConsoleClient.h"
#include "ui/client/Requests.h"
#include "ui/editor/CanvasUpdate.h"
#include "ui/editor/EditSession.h"
#include "ui/editor/EditorTool.h"
#include "ui/editor/TaskPalette.h"
#include "ui/editor/TaskProperties.h"
#include "ui/forms/Replies.h"

#include <QCloseEvent>
#include <QCoreApplication>
#include <QDockWidget>
#include <QLabel>
#include <QListWidget>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QScreen>
#include <QStatusBar>
#include <QThreadPool>
#include <QToolBar>
#include <QUndoStack>

#include <algorithm>

namespace flowdeck::ui::editor {

using nlohmann::json;

namespace {

QString nameOf(const json &doc)
{
    return QString::fromStdString(doc.is_object() ? doc.value("name", std::string()) : "");
}

/// The task a problem is about, from its JSON pointer: /tasks/<key>/… or /transitions/<key>/….
QString taskOfPointer(const std::string &pointer)
{
    for (const char *prefix : {"/tasks/", "/transitions/"}) {
        const std::string p(prefix);
        if (pointer.rfind(p, 0) != 0)
            continue;
        std::string token = pointer.substr(p.size());
        token = token.substr(0, token.find('/'));
        // RFC 6901 unescaping: ~1 is "/", ~0 is "~".
        std::string key;
        for (std::size_t i = 0; i < token.size(); ++i) {
            if (token[i] == '~' && i + 1 < token.size()) {
                key += token[i + 1] == '1' ? '/' : '~';
                ++i;
            } else {
                key += token[i];
            }
        }
        return QString::fromStdString(key);
    }
    return {};
}

} // namespace

WorkflowEditor::WorkflowEditor(ConsoleClient &client, json document, QWidget *parent, bool isNew)
    : QMainWindow(parent), m_client(client), m_session(new EditSession(std::move(document), this)),
      m_canvas(new canvas::WorkflowCanvas(this)), m_tool(new EditorTool(m_canvas, m_session, this)),
      m_palette(new TaskPalette(client, nameOf(m_session->document()), this)),
      m_properties(new TaskProperties(
          m_session,
          [this](const std::string &app, const std::string &method) -> std::optional<json> {
              if (const json *entry = entryFor(app, method))
                  return *entry;
              return std::nullopt;
          },
          this)),
      m_problems(new QListWidget(this)), m_status(new QLabel(this))
{
    setObjectName(QStringLiteral("workflowEditor"));
    m_new = isNew;
    setAttribute(Qt::WA_DeleteOnClose);
    setWindowFlag(Qt::Window); // a window of its own beside the console, not a child widget
    m_canvas->setObjectName(QStringLiteral("editorCanvas"));
    m_canvas->setTool(m_tool);
    m_canvas->setFocusPolicy(Qt::StrongFocus);
    setCentralWidget(m_canvas);

    auto *bar = addToolBar(tr("Edit"));
    bar->setObjectName(QStringLiteral("editorToolBar"));
    bar->setMovable(false);
    QUndoStack *undo = m_session->undoStack();
    QAction *undoAction = undo->createUndoAction(this, tr("Undo"));
    undoAction->setShortcut(QKeySequence::Undo);
    QAction *redoAction = undo->createRedoAction(this, tr("Redo"));
    // Ctrl+Shift+Z everywhere (the issue's and most editors'), beside the platform's own.
    QList<QKeySequence> redoKeys = QKeySequence::keyBindings(QKeySequence::Redo);
    if (const QKeySequence z(QStringLiteral("Ctrl+Shift+Z")); !redoKeys.contains(z))
        redoKeys.append(z);
    redoAction->setShortcuts(redoKeys);
    // The menu names the change ("Undo Move Build health snapshot"); the toolbar keeps short
    // buttons and names it in their tooltips.
    for (QAction *named : {undoAction, redoAction}) {
        const bool isUndo = named == undoAction;
        auto *button = new QAction(isUndo ? tr("Undo") : tr("Redo"), this);
        button->setObjectName(isUndo ? QStringLiteral("undoButton") : QStringLiteral("redoButton"));
        button->setEnabled(named->isEnabled());
        button->setToolTip(named->text());
        connect(named, &QAction::changed, button, [button, named] {
            button->setEnabled(named->isEnabled());
            button->setToolTip(named->text());
        });
        connect(button, &QAction::triggered, named, &QAction::trigger);
        bar->addAction(button);
    }
    bar->addSeparator();
    QAction *add = bar->addAction(tr("Add task…"));
    add->setShortcut(QStringLiteral("Ctrl+K"));
    add->setToolTip(tr("Find a task in the palette; Enter places it after the selected task "
                       "(Ctrl+K)"));
    QAction *remove = bar->addAction(tr("Delete task"));
    remove->setToolTip(tr("Delete the selected task and its transitions (Delete)"));
    connect(remove, &QAction::triggered, m_tool, &EditorTool::deleteSelection);
    bar->addSeparator();
    m_save = bar->addAction(tr("Save"));
    m_save->setShortcut(QKeySequence::Save);
    m_save->setToolTip(tr("Store this document as the workflow's next version (Ctrl+S)"));
    connect(m_save, &QAction::triggered, this, &WorkflowEditor::save);
    for (QAction *a : {undoAction, redoAction, m_save, add})
        addAction(a); // shortcuts work wherever the focus is in the window
    QMenu *edit = menuBar()->addMenu(tr("&Edit"));
    edit->setObjectName(QStringLiteral("editorEditMenu"));
    edit->addAction(undoAction);
    edit->addAction(redoAction);
    edit->addSeparator();
    edit->addAction(add);
    edit->addAction(remove);
    edit->addSeparator();
    edit->addAction(m_save);

    auto *tasksDock = new QDockWidget(tr("Tasks"), this);
    tasksDock->setObjectName(QStringLiteral("paletteDock"));
    tasksDock->setFeatures(QDockWidget::NoDockWidgetFeatures);
    tasksDock->setWidget(m_palette);
    addDockWidget(Qt::LeftDockWidgetArea, tasksDock);
    resizeDocks({tasksDock}, {fontMetrics().averageCharWidth() * 50}, Qt::Horizontal);
    connect(add, &QAction::triggered, m_palette, &TaskPalette::focusSearch);
    connect(m_palette, &TaskPalette::placeRequested, this,
            [this](const json &entry) { m_tool->place(entry); });

    auto *propertiesDock = new QDockWidget(tr("Properties"), this);
    propertiesDock->setObjectName(QStringLiteral("propertiesDock"));
    propertiesDock->setFeatures(QDockWidget::NoDockWidgetFeatures);
    propertiesDock->setWidget(m_properties);
    addDockWidget(Qt::RightDockWidgetArea, propertiesDock);
    resizeDocks({propertiesDock}, {fontMetrics().averageCharWidth() * 44}, Qt::Horizontal);
    connect(m_canvas, &canvas::WorkflowCanvas::taskSelected, m_properties,
            &TaskProperties::showTask);
    // Adapter methods are described once the palette has the server's list.
    connect(m_palette, &TaskPalette::loaded, m_properties, [this] {
        m_properties->showTask(m_properties->task());
        showProblems(); // adapter methods' required values are known now
    });
    connect(m_properties, &TaskProperties::status, this, &WorkflowEditor::say);

    auto *dock = new QDockWidget(tr("Problems"), this);
    dock->setObjectName(QStringLiteral("problemsDock"));
    dock->setFeatures(QDockWidget::NoDockWidgetFeatures);
    m_problems->setObjectName(QStringLiteral("problemsList"));
    dock->setWidget(m_problems);
    addDockWidget(Qt::BottomDockWidgetArea, dock);
    // A few lines of problems; the canvas is what the window is for.
    resizeDocks({dock}, {fontMetrics().height() * 7}, Qt::Vertical);
    connect(m_problems, &QListWidget::currentRowChanged, this, &WorkflowEditor::goToProblem);

    m_status->setObjectName(QStringLiteral("editorStatus"));
    statusBar()->addWidget(m_status, 1);
    say(tr("Drag a task to move it; Shift+drag to another task to join them; Ctrl+K finds a "
           "task to add; Delete removes the selected task"));

    connect(m_session, &EditSession::documentChanged, this, &WorkflowEditor::documentChanged);
    connect(m_session, &EditSession::refused, this,
            [this](const QString &reason) { say(tr("Not changed: %1").arg(reason)); });
    connect(undo, &QUndoStack::cleanChanged, this,
            [this](bool clean) { setWindowModified(!clean); });
    connect(m_tool, &EditorTool::status, this, &WorkflowEditor::say);

    setWindowTitle(tr("Edit %1[*] — Flowdeck").arg(nameOf(m_session->document())));
    m_canvas->setWorkflow(m_session->document());
    showProblems();
    // Room for the palette, the canvas and the properties side by side, within the screen.
    QSize size(1440, 900);
    if (const QScreen *screen = this->screen())
        size = size.boundedTo(screen->availableGeometry().size() * 0.95);
    resize(size);
}

WorkflowEditor::~WorkflowEditor()
{
    // The tool goes while the canvas and its scene (which hold its drag outline) still live.
    m_canvas->setTool(nullptr);
    delete m_tool;
}

QString WorkflowEditor::statusText() const
{
    return m_status->text();
}

void WorkflowEditor::say(const QString &text)
{
    m_status->setText(text);
}

void WorkflowEditor::documentChanged()
{
    // A move changes no problem, unless one is about a position (a move writes it anew): the
    // list then stays as it is (the validator takes ~20 ms at 2,000 tasks).
    const bool moved = showChange(*m_canvas, m_session->document(), m_session->changing());
    const bool positionProblem =
        std::any_of(m_issues.begin(), m_issues.end(), [](const validate::ValidationIssue &i) {
            return i.schemaPath == "#/flowdeck/tasks/position";
        });
    if (!moved || positionProblem)
        showProblems();
}

const json *WorkflowEditor::entryFor(const std::string &app, const std::string &method) const
{
    // A pointer, not a copy: showProblems asks once per task after every change.
    if (app.empty() || app == "WorkFlowEngine")
        if (const json *entry = model::findWorkflowEngineTask(method))
            return entry;
    return m_palette->entryFor(app, method);
}

void WorkflowEditor::showProblems()
{
    const json &doc = m_session->document();
    const int generation = ++m_checkGeneration;
    if (fields::objectAt(doc, "tasks").size() < m_offThreadFrom) {
        m_checking = false;
        listProblems(validate::validateWorkflow(doc));
        return;
    }
    // ~20 ms at 2,000 tasks: off the GUI thread, on a copy (the document changes on).
    m_checking = true;
    QThreadPool::globalInstance()->start(
        [copy = doc, generation, alive = std::weak_ptr<char>(m_alive), self = this] {
            auto issues = validate::validateWorkflow(copy);
            QMetaObject::invokeMethod(
                QCoreApplication::instance(),
                [alive, self, generation, issues = std::move(issues)]() mutable {
                    // On the GUI thread, where the window is destroyed: a live token means
                    // a live window.
                    if (!alive.lock() || generation != self->m_checkGeneration)
                        return;
                    self->m_checking = false;
                    self->listProblems(std::move(issues));
                },
                Qt::QueuedConnection);
        });
}

void WorkflowEditor::listProblems(std::vector<validate::ValidationIssue> issues)
{
    const json &doc = m_session->document();
    m_issues = std::move(issues);
    // What the validator cannot know: a value the task's method requires left unset (the
    // methods are described by the palette's list). A warning: the job would stop there.
    for (const auto &[key, task] : fields::objectAt(doc, "tasks").items()) {
        const auto entry = entryFor(fields::textAt(task, "app"), fields::textAt(task, "name"));
        if (!entry)
            continue;
        for (const std::string &name : model::unsetRequiredValues(task, *entry)) {
            const std::string pointer =
                (json::json_pointer("/tasks") / key / "variables" / "incoming" / name).to_string();
            m_issues.push_back({"required",
                                pointer,
                                "#/flowdeck/tasks/required-value",
                                {{"missingValue", name}},
                                model::taskLabel(doc, key) + ": " + name +
                                    " needs a value (its method requires it)",
                                validate::Severity::Warning});
        }
    }
    const QSignalBlocker block(m_problems);
    m_problems->clear();
    for (const auto &issue : m_issues) {
        const bool error = issue.severity == validate::Severity::Error;
        auto *item = new QListWidgetItem(
            QStringLiteral("%1  %2  (%3)")
                .arg(
                    error ? tr("Error") : tr("Warning"), QString::fromStdString(issue.message),
                    QString::fromStdString(issue.instancePath.empty() ? "/" : issue.instancePath)));
        item->setIcon(style()->standardIcon(error ? QStyle::SP_MessageBoxCritical
                                                  : QStyle::SP_MessageBoxWarning));
        m_problems->addItem(item);
    }
    if (m_issues.empty())
        m_problems->addItem(tr("No problems: the workflow can be saved and run."));
}

void WorkflowEditor::goToProblem(int row)
{
    if (row < 0 || row >= int(m_issues.size()))
        return;
    const QString key = taskOfPointer(m_issues[std::size_t(row)].instancePath);
    if (!key.isEmpty())
        m_canvas->selectTask(key);
    say(QString::fromStdString(m_issues[std::size_t(row)].message));
}

void WorkflowEditor::save()
{
    if (m_saving)
        return;
    if (!m_session->isModified() && !m_new) {
        say(tr("Nothing to save: the document is the stored version"));
        return;
    }
    if (m_checking) { // the document as it is now, not as a worker last saw it
        ++m_checkGeneration;
        m_checking = false;
        listProblems(validate::validateWorkflow(m_session->document()));
    }
    int errors = 0;
    QString first;
    for (const auto &issue : m_issues)
        if (issue.severity == validate::Severity::Error && errors++ == 0)
            first = QString::fromStdString(issue.message);
    if (errors > 0) {
        say((errors == 1 ? tr("Not saved: 1 error to fix first: %1")
                         : tr("Not saved: %1 errors to fix first, e.g. %2").arg(errors))
                .arg(first));
        return;
    }
    m_saving = true;
    m_save->setEnabled(false);
    say(tr("Saving…"));
    const json doc = m_session->document();
    const int index = m_session->undoStack()->index();
    // A new workflow is created, never written over one that took its name meanwhile.
    whenFinished(m_client.call(requests::importWorkflows(json::array({doc}), !m_new)), this,
                 [this, doc, index](const api::ApiResponse &response) {
                     m_saving = false;
                     m_save->setEnabled(true);
                     if (!response.ok()) {
                         say(tr("Not saved: %1").arg(failureText(response)));
                         return;
                     }
                     m_new = false;
                     // What was sent is what is stored, even if editing went on meanwhile.
                     if (m_session->undoStack()->index() == index)
                         m_session->markSaved();
                     json version;
                     if (response.json.contains("imported") && !response.json["imported"].empty())
                         version = response.json["imported"][0].value("version", json());
                     say(version.is_number() ? tr("Saved as version %1").arg(version.get<int>())
                                             : tr("Saved"));
                     Q_EMIT saved(nameOf(doc));
                 });
}

void WorkflowEditor::closeEvent(QCloseEvent *event)
{
    if (!m_session->isModified()) {
        event->accept();
        return;
    }
    const auto choice = QMessageBox::question(
        this, tr("Unsaved changes"),
        tr("%1 has changes that are not saved. Discard them?").arg(nameOf(m_session->document())),
        QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Cancel);
    if (choice == QMessageBox::Discard)
        event->accept();
    else
        event->ignore();
}

} // namespace flowdeck::ui::editor
