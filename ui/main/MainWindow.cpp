// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/main/MainWindow.h"

#include "ui/automations/AutomationsPage.h"
#include "ui/client/Requests.h"
#include "ui/forms/Replies.h"
#include "ui/forms/StartJobDialog.h"
#include "ui/jobs/EventsPage.h"
#include "ui/jobs/JobDetail.h"
#include "ui/jobs/JobsPage.h"
#include "ui/main/AccountsDialog.h"
#include "ui/main/DialogPrompter.h"
#include "ui/main/NavigationRail.h"
#include "ui/main/TableStyle.h"
#include "ui/main/WorkflowDetail.h"
#include "ui/main/WorkflowImport.h"
#include "ui/main/WorkflowsModel.h"
#include "ui/tasks/InboxPage.h"

#include <QAbstractButton>
#include <QAction>
#include <QCloseEvent>
#include <QDir>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMenuBar>
#include <QSaveFile>
#include <QSettings>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>
#include <QStyle>
#include <QTableView>
#include <QToolBar>
#include <QVBoxLayout>

namespace flowdeck::ui {

using namespace Qt::StringLiterals;
using nlohmann::json;

namespace {

constexpr int kStatusMessageMs = 8000;
constexpr int kMaxNameColumnWidth = 280;
const QString kSettingsGroup = u"MainWindow"_s;

QString jsonFilter()
{
    return QObject::tr("Workflow documents (*.json);;All files (*)");
}

/// "Config Compliance" → "config-compliance.json": a file name that survives every platform.
QString fileNameFor(const QString &workflowName)
{
    QString out;
    for (const QChar c : workflowName.toLower()) {
        if (c.isLetterOrNumber())
            out += c;
        else if (!out.endsWith(u'-'))
            out += u'-';
    }
    while (out.endsWith(u'-'))
        out.chop(1);
    while (out.startsWith(u'-'))
        out.remove(0, 1);
    return (out.isEmpty() ? u"workflow"_s : out) + u".json"_s;
}

QString messageOf(const api::ApiResponse &response)
{
    if (response.json.is_object()) {
        const json message = response.json.value("message", json());
        if (message.is_string())
            return QString::fromStdString(message.get<std::string>());
    }
    return QObject::tr("The engine answered %1.").arg(response.status);
}

/// "~/…" for paths in the home folder: shorter in the status bar, and as exact.
QString shortPath(const QString &path)
{
    const QString home = QDir::homePath();
    if (path.startsWith(home + u'/'))
        return u"~"_s + path.mid(home.size());
    return path;
}

} // namespace

MainWindow::MainWindow(ConsoleClient &client, const QString &storeLocation, const QString &userName,
                       QWidget *parent)
    : QMainWindow(parent), m_client(client), m_prompter(std::make_unique<DialogPrompter>(this)),
      m_storeLocation(storeLocation), m_userName(userName)
{
    setWindowTitle(tr("Flowdeck"));
    m_model = new WorkflowsModel(m_client, this);

    createPages();
    createActions();
    createMenus();
    createToolBar();
    createStatusBar();
    restoreSettings();

    connect(m_model, &WorkflowsModel::refreshed, this, &MainWindow::onRefreshed);
    connect(m_model, &WorkflowsModel::refreshFailed, this, [this](const QString &message) {
        m_refreshAction->setEnabled(true);
        if (m_model->rowCount() == 0) {
            m_listMessage->setText(tr("The workflows could not be loaded.\n%1").arg(message));
            m_listStack->setCurrentWidget(m_listMessage);
        }
        statusBar()->showMessage(tr("Refresh failed: %1").arg(message), kStatusMessageMs);
    });
    refreshWorkflows();
    checkAccountsPermission();
}

MainWindow::~MainWindow() = default;

void MainWindow::checkAccountsPermission()
{
    api::ApiRequest request;
    request.method = api::Method::Get;
    request.path = "/whoami";
    whenFinished(m_client.call(std::move(request)), this, [this](const api::ApiResponse &r) {
        const json methods =
            r.ok() && r.json.is_object()
                ? r.json.value("methods", json::object()).value("OperationsManager", json::array())
                : json::array();
        m_accountsAction->setEnabled(
            std::find(methods.begin(), methods.end(), json("listApiTokens")) != methods.end());
    });
}

void MainWindow::openAccounts()
{
    auto *dialog = new AccountsDialog(m_client, *m_prompter, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
}

void MainWindow::setPrompter(std::unique_ptr<Prompter> prompter)
{
    m_prompter = std::move(prompter);
}

void MainWindow::setApiAddress(const QString &address)
{
    m_apiLabel->setText(tr("API: %1").arg(address));
    m_apiLabel->setToolTip(tr("Flowdeck serves its REST API at %1").arg(address));
    m_apiLabel->setVisible(!address.isEmpty());
}

void MainWindow::createActions()
{
    auto make = [this](const QString &objectName, const QString &text, const QKeySequence &keys,
                       const QString &toolTip, const QIcon &icon) {
        auto *action = new QAction(icon, text, this);
        action->setObjectName(objectName);
        action->setShortcut(keys);
        action->setToolTip(u"%1 (%2)"_s.arg(toolTip, keys.toString(QKeySequence::NativeText)));
        action->setStatusTip(toolTip);
        return action;
    };
    m_importAction = make(
        u"actionImport"_s, tr("&Import…"), QKeySequence(Qt::CTRL | Qt::Key_I),
        tr("Import workflow documents from .json files"),
        QIcon::fromTheme(u"document-open"_s, style()->standardIcon(QStyle::SP_DialogOpenButton)));
    connect(m_importAction, &QAction::triggered, this, &MainWindow::importWorkflows);

    m_exportAction = make(u"actionExport"_s, tr("&Export…"), QKeySequence(Qt::CTRL | Qt::Key_E),
                          tr("Save the selected workflow's document to a .json file"),
                          QIcon::fromTheme(u"document-save-as"_s,
                                           style()->standardIcon(QStyle::SP_DialogSaveButton)));
    m_exportAction->setEnabled(false);
    connect(m_exportAction, &QAction::triggered, this, &MainWindow::exportWorkflow);

    m_startJobAction = make(
        u"actionStartJob"_s, tr("&Start job…"), QKeySequence(Qt::CTRL | Qt::Key_J),
        tr("Start a job from the selected workflow, with its input form"),
        QIcon::fromTheme(u"media-playback-start"_s, style()->standardIcon(QStyle::SP_MediaPlay)));
    m_startJobAction->setEnabled(false);
    connect(m_startJobAction, &QAction::triggered, this, &MainWindow::startJob);

    m_refreshAction =
        make(u"actionRefresh"_s, tr("&Refresh"), QKeySequence(Qt::Key_F5),
             tr("Load the workflows from the store again"),
             QIcon::fromTheme(u"view-refresh"_s, style()->standardIcon(QStyle::SP_BrowserReload)));
    connect(m_refreshAction, &QAction::triggered, this, &MainWindow::refresh);

    // Ctrl+1… follow the rail's order, as tabs do in browsers.
    for (int i = 0; i < m_rail->count(); ++i) {
        QAbstractButton *button = m_rail->button(i);
        const QKeySequence keys(Qt::CTRL | Qt::Key(Qt::Key_1 + i));
        auto *action = make(u"actionShow"_s + button->objectName().mid(4), button->text(), keys,
                            tr("Show %1").arg(button->text()), QIcon());
        button->setToolTip(
            u"%1 (%2)"_s.arg(button->toolTip(), keys.toString(QKeySequence::NativeText)));
        connect(action, &QAction::triggered, this, [this, i] {
            m_rail->setCurrentIndex(i);
            onPageChanged(i);
        });
        addAction(action);
        m_pageActions.append(action);
    }

    m_accountsAction = make(u"actionAccounts"_s, tr("&Accounts…"), QKeySequence(),
                            tr("People, service accounts and their API tokens (administrators)"),
                            QIcon::fromTheme(u"system-users"_s));
    m_accountsAction->setToolTip(m_accountsAction->statusTip()); // it has no shortcut to name
    m_accountsAction->setEnabled(false);
    connect(m_accountsAction, &QAction::triggered, this, &MainWindow::openAccounts);

    m_quitAction = make(u"actionQuit"_s, tr("&Quit"), QKeySequence::Quit, tr("Close Flowdeck"),
                        QIcon::fromTheme(u"application-exit"_s));
    m_quitAction->setMenuRole(QAction::QuitRole);
    connect(m_quitAction, &QAction::triggered, this, &QWidget::close);
}

void MainWindow::createMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->setObjectName(u"menuFile"_s);
    file->addAction(m_importAction);
    file->addAction(m_exportAction);
    file->addSeparator();
    file->addAction(m_startJobAction);
    file->addSeparator();
    file->addAction(m_accountsAction);
    file->addSeparator();
    file->addAction(m_quitAction);

    QMenu *jobs = menuBar()->addMenu(tr("&Jobs"));
    jobs->setObjectName(u"menuJobs"_s);
    jobs->addActions(m_jobsPage->pageActions());

    QMenu *view = menuBar()->addMenu(tr("&View"));
    view->setObjectName(u"menuView"_s);
    view->addActions(m_pageActions);
    view->addSeparator();
    view->addAction(m_refreshAction);
}

void MainWindow::createToolBar()
{
    // One tool bar per page, shown with its page: the buttons in view always apply to it.
    auto make = [this](const QString &objectName) {
        QToolBar *bar = addToolBar(objectName);
        bar->setObjectName(objectName);
        bar->setMovable(false);
        bar->setFloatable(false);
        bar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
        bar->toggleViewAction()->setVisible(false);
        return bar;
    };
    m_workflowsToolBar = make(u"mainToolBar"_s);
    m_workflowsToolBar->addAction(m_importAction);
    m_workflowsToolBar->addAction(m_exportAction);
    m_workflowsToolBar->addSeparator();
    m_workflowsToolBar->addAction(m_startJobAction);
    m_workflowsToolBar->addSeparator();
    m_workflowsToolBar->addAction(m_refreshAction);

    m_jobsToolBar = make(u"jobsToolBar"_s);
    for (QAction *action : m_jobsPage->pageActions())
        if (action->objectName() != u"actionFindJobs"_s)
            m_jobsToolBar->addAction(action);
    m_jobsToolBar->addSeparator();
    m_jobsToolBar->addAction(m_refreshAction);
    onPageChanged(m_rail->currentIndex());
}

void MainWindow::createPages()
{
    auto *central = new QWidget(this);
    auto *row = new QHBoxLayout(central);
    row->setContentsMargins(0, 0, 0, 0);
    row->setSpacing(0);
    m_rail = new NavigationRail(central);
    m_pages = new QStackedWidget(central);
    m_pages->setObjectName(u"pages"_s);
    row->addWidget(m_rail);
    row->addWidget(m_pages, 1);
    setCentralWidget(central);

    m_jobsPage = new JobsPage(m_client, m_pages);
    m_jobsPage->setObjectName(u"jobsPage"_s);
    connect(m_jobsPage, &JobsPage::statusMessage, this,
            [this](const QString &text) { statusBar()->showMessage(text, kStatusMessageMs); });
    // "Work this task" in a job's task panel: the task's form lives in My tasks.
    connect(m_jobsPage->detail(), &JobDetail::workTaskRequested, this,
            [this](const QString &, const QString &, const QString &iterationId) {
                showPage(Page::MyTasks);
                m_inboxPage->openIteration(iterationId);
            });
    m_workflowsPage = createWorkflowsPage();
    m_eventsPage = new EventsPage(m_client, m_pages);
    m_eventsPage->setObjectName(u"eventsPage"_s);
    connect(m_eventsPage, &EventsPage::jobActivated, this, [this](const QString &jobId) {
        showPage(Page::Jobs);
        m_jobsPage->openJob(jobId);
    });

    // The rail's order is Page's order: index i shows page i of the stack.
    m_pages->addWidget(m_jobsPage);
    m_rail->addPage(u"rail-jobs"_s, tr("Jobs"), tr("Every job, its canvas and its history"),
                    u"railJobs"_s);
    m_inboxPage = new InboxPage(m_client, m_pages);
    m_inboxPage->setObjectName(u"inboxPage"_s);
    m_inboxPage->setCurrentUser(m_userName);
    m_pages->addWidget(m_inboxPage);
    const int inbox =
        m_rail->addPage(u"rail-tasks"_s, tr("My tasks"),
                        tr("Manual tasks assigned or available to you"), u"railTasks"_s);
    connect(m_inboxPage, &InboxPage::countChanged, this,
            [this, inbox](int count) { m_rail->setBadge(inbox, count); });
    m_pages->addWidget(m_workflowsPage);
    m_rail->addPage(u"rail-workflows"_s, tr("Workflows"),
                    tr("The stored workflows: import, export, preview"), u"railWorkflows"_s);
    m_automationsPage = new AutomationsPage(m_client, m_pages);
    m_automationsPage->setObjectName(u"automationsPage"_s);
    connect(m_automationsPage, &AutomationsPage::jobStarted, this, &MainWindow::openStartedJob);
    m_pages->addWidget(m_automationsPage);
    m_rail->addPage(u"rail-automations"_s, tr("Automations"),
                    tr("Automations and their triggers: enable, disable, run"),
                    u"railAutomations"_s);
    m_pages->addWidget(m_eventsPage);
    m_rail->addPage(u"rail-events"_s, tr("Events"), tr("What happened across the jobs"),
                    u"railEvents"_s);
    connect(m_rail, &NavigationRail::currentChanged, this, &MainWindow::onPageChanged);
}

void MainWindow::showPage(Page page)
{
    m_rail->setCurrentIndex(int(page));
    onPageChanged(int(page));
}

MainWindow::Page MainWindow::currentPage() const
{
    return Page(m_pages->currentIndex());
}

void MainWindow::onPageChanged(int index)
{
    m_pages->setCurrentIndex(index);
    if (m_workflowsToolBar) {
        m_workflowsToolBar->setVisible(m_pages->currentWidget() == m_workflowsPage);
        m_jobsToolBar->setVisible(m_pages->currentWidget() == m_jobsPage);
    }
    m_refreshAction->setStatusTip(m_pages->currentWidget() == m_workflowsPage
                                      ? tr("Load the workflows from the store again")
                                      : tr("Load this page from the engine again"));
}

QWidget *MainWindow::createWorkflowsPage()
{
    m_splitter = new QSplitter(Qt::Horizontal, m_pages);
    m_splitter->setObjectName(u"workflowsSplitter"_s);
    m_splitter->setChildrenCollapsible(false);

    auto *left = new QWidget(m_splitter);
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->setSpacing(0);

    auto *heading = new QLabel(tr("Workflows"), left);
    heading->setObjectName(u"workflowsHeading"_s);
    QFont headingFont = heading->font();
    headingFont.setBold(true);
    headingFont.setPointSizeF(headingFont.pointSizeF() * 1.1);
    heading->setFont(headingFont);
    heading->setContentsMargins(9, 10, 9, 8);
    leftLayout->addWidget(heading);

    m_listStack = new QStackedWidget(left);
    leftLayout->addWidget(m_listStack, 1);

    m_list = new QTableView(m_listStack);
    m_list->setObjectName(u"workflowsView"_s);
    m_list->setModel(m_model);
    m_list->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_list->setSelectionMode(QAbstractItemView::SingleSelection);
    m_list->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_list->setShowGrid(false);
    m_list->setAlternatingRowColors(true);
    m_list->setWordWrap(false);
    m_list->setTextElideMode(Qt::ElideRight);
    m_list->setFrameShape(QFrame::NoFrame);
    TableStyle::apply(m_list);
    m_list->verticalHeader()->hide();
    m_list->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_list->verticalHeader()->setDefaultSectionSize(m_list->fontMetrics().height() + 14);
    QHeaderView *header = m_list->horizontalHeader();
    header->setHighlightSections(false);
    header->setSectionResizeMode(QHeaderView::Interactive);
    header->setSectionResizeMode(WorkflowsModel::TasksColumn, QHeaderView::ResizeToContents);
    header->setSectionResizeMode(WorkflowsModel::DescriptionColumn, QHeaderView::Stretch);
    header->setSectionResizeMode(WorkflowsModel::UpdatedColumn, QHeaderView::ResizeToContents);
    m_listStack->addWidget(m_list);

    m_listMessage = new QLabel(m_listStack);
    m_listMessage->setObjectName(u"workflowsMessage"_s);
    m_listMessage->setAlignment(Qt::AlignCenter);
    m_listMessage->setWordWrap(true);
    m_listMessage->setForegroundRole(QPalette::PlaceholderText);
    m_listMessage->setContentsMargins(24, 24, 24, 24);
    m_listMessage->setText(tr("Loading workflows…"));
    m_listStack->addWidget(m_listMessage);
    m_listStack->setCurrentWidget(m_listMessage);

    m_detail = new WorkflowDetail(m_client, m_splitter);
    m_detail->setObjectName(u"workflowDetail"_s);

    m_splitter->addWidget(left);
    m_splitter->addWidget(m_detail);
    m_splitter->setStretchFactor(0, 0);
    m_splitter->setStretchFactor(1, 1);

    connect(m_list->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &MainWindow::onSelectionChanged);
    return m_splitter;
}

void MainWindow::createStatusBar()
{
    auto *store = new QLabel(tr("Store: %1").arg(shortPath(m_storeLocation)), this);
    store->setObjectName(u"storeLabel"_s);
    store->setToolTip(m_storeLocation);
    store->setForegroundRole(QPalette::PlaceholderText);
    store->setContentsMargins(8, 0, 8, 0);
    m_apiLabel = new QLabel(this);
    m_apiLabel->setObjectName(u"apiLabel"_s);
    m_apiLabel->setForegroundRole(QPalette::PlaceholderText);
    m_apiLabel->setContentsMargins(8, 0, 8, 0);
    m_apiLabel->hide();
    auto *user = new QLabel(tr("Signed in as %1").arg(m_userName), this);
    user->setObjectName(u"userLabel"_s);
    user->setContentsMargins(8, 0, 8, 0);
    statusBar()->addPermanentWidget(store);
    statusBar()->addPermanentWidget(m_apiLabel);
    statusBar()->addPermanentWidget(user);
}

void MainWindow::restoreSettings()
{
    QSettings settings;
    settings.beginGroup(kSettingsGroup);
    if (!restoreGeometry(settings.value(u"geometry"_s).toByteArray()))
        resize(1280, 800);
    restoreState(settings.value(u"state"_s).toByteArray());
    if (!m_splitter->restoreState(settings.value(u"splitter"_s).toByteArray()))
        m_splitter->setSizes({500, 780});
    m_jobsPage->detail()->splitter()->restoreState(settings.value(u"jobSplitter"_s).toByteArray());
    m_jobsPage->detail()->taskSplitter()->restoreState(
        settings.value(u"jobTaskSplitter"_s).toByteArray());
    const int page = settings.value(u"page"_s, 0).toInt();
    if (page >= 0 && page < m_rail->count())
        showPage(Page(page));
}

void MainWindow::saveSettings() const
{
    QSettings settings;
    settings.beginGroup(kSettingsGroup);
    settings.setValue(u"geometry"_s, saveGeometry());
    settings.setValue(u"state"_s, saveState());
    settings.setValue(u"splitter"_s, m_splitter->saveState());
    settings.setValue(u"jobSplitter"_s, m_jobsPage->detail()->splitter()->saveState());
    settings.setValue(u"jobTaskSplitter"_s, m_jobsPage->detail()->taskSplitter()->saveState());
    settings.setValue(u"page"_s, m_pages->currentIndex());
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    saveSettings();
    QMainWindow::closeEvent(event);
}

QString MainWindow::selectedWorkflow() const
{
    const QModelIndexList rows = m_list->selectionModel()->selectedRows();
    return rows.isEmpty() ? QString() : m_model->nameAt(rows.first().row());
}

void MainWindow::selectWorkflow(const QString &name)
{
    const int row = m_model->rowOf(name);
    if (row < 0 || m_model->isLoading()) {
        m_wantedSelection = name;
        return;
    }
    const QModelIndex index = m_model->index(row, WorkflowsModel::NameColumn);
    m_list->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect |
                                                         QItemSelectionModel::Rows);
    m_list->scrollTo(index);
}

void MainWindow::refresh()
{
    if (m_pages->currentWidget() == m_jobsPage)
        m_jobsPage->refresh();
    else if (m_pages->currentWidget() == m_eventsPage)
        m_eventsPage->refresh();
    else if (m_pages->currentWidget() == m_inboxPage)
        m_inboxPage->refresh();
    else if (m_pages->currentWidget() == m_automationsPage)
        m_automationsPage->refresh();
    else
        refreshWorkflows();
}

void MainWindow::refreshWorkflows()
{
    // The reset that follows a refresh drops the selection; it is put back by name.
    if (m_wantedSelection.isEmpty())
        m_wantedSelection = selectedWorkflow();
    m_refreshAction->setEnabled(false);
    m_model->refresh();
}

void MainWindow::onRefreshed()
{
    m_refreshAction->setEnabled(true);
    const int count = m_model->rowCount();
    if (count == 0) {
        m_wantedSelection.clear();
        m_listMessage->setText(
            tr("No workflows yet.\n\nImport workflow documents (.json) with "
               "Import… (%1).")
                .arg(m_importAction->shortcut().toString(QKeySequence::NativeText)));
        m_listStack->setCurrentWidget(m_listMessage);
        m_exportAction->setEnabled(false);
        m_startJobAction->setEnabled(false);
        m_detail->showWorkflow({});
        return;
    }
    m_listStack->setCurrentWidget(m_list);
    m_list->resizeColumnToContents(WorkflowsModel::NameColumn);
    if (m_list->columnWidth(WorkflowsModel::NameColumn) > kMaxNameColumnWidth)
        m_list->setColumnWidth(WorkflowsModel::NameColumn, kMaxNameColumnWidth);

    const QString wanted = std::exchange(m_wantedSelection, {});
    const int row = qMax(0, m_model->rowOf(wanted));
    selectWorkflow(m_model->nameAt(row));
}

void MainWindow::onSelectionChanged()
{
    const QString name = selectedWorkflow();
    m_exportAction->setEnabled(!name.isEmpty());
    m_startJobAction->setEnabled(!name.isEmpty());
    m_detail->showWorkflow(name);
}

void MainWindow::startJob()
{
    const QString name = selectedWorkflow();
    if (name.isEmpty())
        return;
    auto *dialog = new StartJobDialog(m_client, name, this);
    dialog->setObjectName(u"startJobDialog"_s);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &StartJobDialog::jobStarted, this, &MainWindow::openStartedJob);
    dialog->open();
}

void MainWindow::openStartedJob(const QString &jobId)
{
    showPage(Page::Jobs);
    m_jobsPage->openJob(jobId);
}

QString MainWindow::lastDirectory() const
{
    QSettings settings;
    const QString dir = settings.value(kSettingsGroup + u"/lastDirectory"_s).toString();
    return dir.isEmpty() || !QFileInfo(dir).isDir() ? QDir::homePath() : dir;
}

void MainWindow::rememberDirectory(const QString &path)
{
    QSettings settings;
    settings.setValue(kSettingsGroup + u"/lastDirectory"_s, QFileInfo(path).absolutePath());
}

void MainWindow::importWorkflows()
{
    const QStringList paths =
        m_prompter->openFiles(tr("Import Workflows"), lastDirectory(), jsonFilter());
    if (paths.isEmpty())
        return;
    rememberDirectory(paths.first());
    auto import = std::make_shared<WorkflowImport>(WorkflowImport::read(paths));
    if (!import->readable()) {
        m_prompter->showError(tr("Import Workflows"),
                              paths.size() == 1
                                  ? tr("Nothing was imported: the file is not a JSON document.")
                                  : tr("Nothing was imported: not every file is a JSON document."),
                              import->readProblems());
        return;
    }
    sendImport(import, false);
}

void MainWindow::sendImport(const std::shared_ptr<WorkflowImport> &import, bool overwrite)
{
    m_importAction->setEnabled(false);
    statusBar()->showMessage(tr("Importing…"));
    ApiReply *reply = m_client.call(requests::importWorkflows(import->documents(), overwrite));
    connect(reply, &ApiReply::finished, this, [this, reply, import] {
        reply->deleteLater();
        m_importAction->setEnabled(true);
        statusBar()->clearMessage();
        const api::ApiResponse &response = reply->response();
        const QString title = tr("Import Workflows");
        if (response.ok()) {
            const json imported = response.json.value("imported", json::array());
            int warnings = 0;
            for (const json &entry : imported)
                warnings += int(entry.value("warnings", json::array()).size());
            const int count = int(imported.size());
            QString message =
                count == 1 ? tr("Imported 1 workflow") : tr("Imported %1 workflows").arg(count);
            if (warnings > 0)
                message += warnings == 1 ? tr(" (1 warning)") : tr(" (%1 warnings)").arg(warnings);
            statusBar()->showMessage(message, kStatusMessageMs);
            if (!imported.empty() && imported.front().value("name", json()).is_string())
                m_wantedSelection =
                    QString::fromStdString(imported.front()["name"].get<std::string>());
            refreshWorkflows();
            return;
        }
        if (const auto conflict = import->conflict(response)) {
            const QString question =
                tr("A workflow named “%1” already exists (%2 has the same name).\n\nImport "
                   "anyway? Every workflow that exists keeps its history and gets the file's "
                   "document as its new version.")
                    .arg(conflict->name, conflict->file);
            if (m_prompter->confirm(title, question, tr("Import as New Version")))
                sendImport(import, true);
            return;
        }
        const QString issues = import->issuesText(response);
        if (response.status == 400 && !issues.isEmpty()) {
            const auto bad = response.json["details"].size();
            const QString text =
                import->fileCount() == 1
                    ? tr("Nothing was imported: the file is not a valid workflow.")
                    : tr("Nothing was imported: %1 of %2 files are not valid workflows.")
                          .arg(bad)
                          .arg(import->fileCount());
            m_prompter->showError(title, text, issues);
            return;
        }
        m_prompter->showError(title, tr("Nothing was imported."), messageOf(response));
    });
}

void MainWindow::exportWorkflow()
{
    const QString name = selectedWorkflow();
    if (name.isEmpty())
        return;
    const QString path = m_prompter->saveFile(
        tr("Export Workflow"), QDir(lastDirectory()).filePath(fileNameFor(name)), jsonFilter());
    if (path.isEmpty())
        return;
    rememberDirectory(path);
    ApiReply *reply = m_client.call(requests::exportWorkflow(name));
    connect(reply, &ApiReply::finished, this, [this, reply, name, path] {
        reply->deleteLater();
        const api::ApiResponse &response = reply->response();
        const QString title = tr("Export Workflow");
        if (!response.ok()) {
            m_prompter->showError(title, tr("“%1” was not exported.").arg(name),
                                  messageOf(response));
            return;
        }
        // QSaveFile: an existing file is replaced only once the whole document is written.
        QSaveFile file(path);
        const QByteArray text = QByteArray::fromStdString(response.json.dump(2)) + '\n';
        if (!file.open(QIODevice::WriteOnly) || file.write(text) != text.size() || !file.commit()) {
            m_prompter->showError(title, tr("“%1” was not exported.").arg(name),
                                  tr("%1: %2").arg(path, file.errorString()));
            return;
        }
        statusBar()->showMessage(tr("Exported “%1” to %2").arg(name, shortPath(path)),
                                 kStatusMessageMs);
    });
}

} // namespace flowdeck::ui
