// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/main/MainWindow.h"

#include "ui/adapters/AdaptersPage.h"
#include "ui/automations/AutomationsPage.h"
#include "ui/client/ApiReply.h"
#include "ui/client/Requests.h"
#include "ui/forms/Replies.h"
#include "ui/forms/StartJobDialog.h"
#include "ui/jobs/EventsPage.h"
#include "ui/jobs/JobDetail.h"
#include "ui/jobs/JobRequests.h"
#include "ui/jobs/JobsPage.h"
#include "ui/jobs/ThemedIcon.h"
#include "ui/main/AboutDialog.h"
#include "ui/main/AccountsDialog.h"
#include "ui/main/DialogPrompter.h"
#include "ui/main/ImportReport.h"
#include "ui/main/NavigationRail.h"
#include "ui/main/ShortcutsDialog.h"
#include "ui/main/TableStyle.h"
#include "ui/main/ToolTipWrapper.h"
#include "ui/main/WorkflowDetail.h"
#include "ui/main/WorkflowImport.h"
#include "ui/main/WorkflowsModel.h"
#include "ui/tasks/InboxPage.h"

#include <QAbstractButton>
#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QEvent>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QIcon>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QSaveFile>
#include <QScreen>
#include <QSettings>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>
#include <QStyle>
#include <QTableView>
#include <QToolBar>
#include <QVBoxLayout>

#include <algorithm>

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
    setWindowIcon(QIcon(u":/icons/flowdeck.svg"_s));
    // Long tips wrap in every page and dialog of the window (one filter for the application).
    qApp->installEventFilter(new ToolTipWrapper(this));
    m_model = new WorkflowsModel(m_client, this);

    createPages();
    m_jobsPage->setPrompter(m_prompter.get());
    m_adaptersPage->setPrompter(m_prompter.get());
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
    m_jobsPage->setPrompter(m_prompter.get());
    m_adaptersPage->setPrompter(m_prompter.get());
}

void MainWindow::setApiAddress(const QString &address)
{
    m_apiAddress = address;
    m_apiLabel->setText(tr("API: %1").arg(address));
    m_apiLabel->setToolTip(tr("Flowdeck serves its REST API at %1").arg(address));
    m_apiLabel->setVisible(!address.isEmpty());
}

void MainWindow::createActions()
{
    auto make = [this](const QString &objectName, const QString &text, const QKeySequence &keys,
                       const QString &toolTip) {
        auto *action = new QAction(text, this);
        action->setObjectName(objectName);
        action->setShortcut(keys);
        action->setToolTip(u"%1 (%2)"_s.arg(toolTip, keys.toString(QKeySequence::NativeText)));
        action->setStatusTip(toolTip);
        return action;
    };
    m_importAction = make(u"actionImport"_s, tr("&Import…"), QKeySequence(Qt::CTRL | Qt::Key_I),
                          tr("Import workflow documents from .json files"));
    connect(m_importAction, &QAction::triggered, this, &MainWindow::importWorkflows);

    m_newWorkflowAction =
        make(u"actionNewWorkflow"_s, tr("&New workflow…"), QKeySequence(Qt::CTRL | Qt::Key_N),
             tr("Draw a new workflow in the editor: name it, then place and join its tasks"));
    // Ctrl+N is each page's "new" (an automation, an adapter): this one is the Workflows page's.
    m_newWorkflowAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_workflowsPage->addAction(m_newWorkflowAction);
    connect(m_newWorkflowAction, &QAction::triggered, this, &MainWindow::newWorkflow);

    m_exportAction = make(u"actionExport"_s, tr("&Export…"), QKeySequence(Qt::CTRL | Qt::Key_E),
                          tr("Save the selected workflow's document to a .json file"));
    m_exportAction->setEnabled(false);
    connect(m_exportAction, &QAction::triggered, this, &MainWindow::exportWorkflow);

    m_startJobAction =
        make(u"actionStartJob"_s, tr("&Start job…"), QKeySequence(Qt::CTRL | Qt::Key_J),
             tr("Start a job from the selected workflow, with its input form"));
    m_startJobAction->setEnabled(false);
    connect(m_startJobAction, &QAction::triggered, this, &MainWindow::startJob);

    m_refreshAction = make(u"actionRefresh"_s, tr("&Refresh"), QKeySequence(Qt::Key_F5),
                           tr("Load the workflows from the store again"));
    connect(m_refreshAction, &QAction::triggered, this, &MainWindow::refresh);

    // Ctrl+1… follow the rail's order, as tabs do in browsers.
    for (int i = 0; i < m_rail->count(); ++i) {
        QAbstractButton *button = m_rail->button(i);
        const QKeySequence keys(Qt::CTRL | Qt::Key(Qt::Key_1 + i));
        auto *action = make(u"actionShow"_s + button->objectName().mid(4), button->text(), keys,
                            tr("Show %1").arg(button->text()));
        button->setToolTip(
            u"%1 (%2)"_s.arg(button->toolTip(), keys.toString(QKeySequence::NativeText)));
        connect(action, &QAction::triggered, this, [this, i] {
            m_rail->setCurrentIndex(i);
            onPageChanged(i);
        });
        addAction(action);
        m_pageActions.append(action);
    }

    // An administrator's dialog, rarely opened: no shortcut, so its tooltip is its status tip.
    m_accountsAction = new QAction(tr("&Accounts…"), this);
    m_accountsAction->setObjectName(u"actionAccounts"_s);
    m_accountsAction->setStatusTip(
        tr("People, service accounts and their API tokens (administrators)"));
    m_accountsAction->setToolTip(m_accountsAction->statusTip());
    m_accountsAction->setEnabled(false);
    connect(m_accountsAction, &QAction::triggered, this, &MainWindow::openAccounts);

    // The platform's Quit key where it has one; Ctrl+Q where it has none (Windows' scheme, and
    // the offscreen platform, bind nothing), so the key the shortcuts list names always works.
    const QList<QKeySequence> quitKeys = QKeySequence::keyBindings(QKeySequence::Quit);
    m_quitAction = make(u"actionQuit"_s, tr("&Quit"),
                        quitKeys.isEmpty() ? QKeySequence(Qt::CTRL | Qt::Key_Q) : quitKeys.first(),
                        tr("Close Flowdeck"));
    updateIcons();
    m_quitAction->setMenuRole(QAction::QuitRole);
    connect(m_quitAction, &QAction::triggered, this, &QWidget::close);
}

void MainWindow::createMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->setObjectName(u"menuFile"_s);
    file->addAction(m_newWorkflowAction);
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

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->setObjectName(u"menuHelp"_s);
    auto *shortcuts = new QAction(tr("&Keyboard Shortcuts"), this);
    shortcuts->setObjectName(u"actionShortcuts"_s);
    shortcuts->setShortcuts({QKeySequence(Qt::Key_F1), QKeySequence(Qt::CTRL | Qt::Key_Slash)});
    shortcuts->setStatusTip(tr("Every key the window answers to, and where"));
    addAction(shortcuts);
    connect(shortcuts, &QAction::triggered, this, [this] {
        auto *dialog = new ShortcutsDialog(this, this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->show();
    });
    help->addAction(shortcuts);
    auto *about = new QAction(tr("&About Flowdeck"), this);
    about->setObjectName(u"actionAbout"_s);
    about->setMenuRole(QAction::AboutRole);
    about->setStatusTip(tr("The version, the store and where the API is served"));
    connect(about, &QAction::triggered, this, [this] {
        auto *dialog = new AboutDialog(m_storeLocation, m_apiAddress, this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->show();
    });
    help->addAction(about);
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
    m_workflowsToolBar->addAction(m_newWorkflowAction);
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
    connect(m_inboxPage, &InboxPage::jobRequested, this, &MainWindow::openStartedJob);
    m_pages->addWidget(m_workflowsPage);
    m_rail->addPage(u"rail-workflows"_s, tr("Workflows"),
                    tr("The stored workflows: import, export, preview"), u"railWorkflows"_s);
    m_automationsPage = new AutomationsPage(m_client, m_pages);
    m_automationsPage->setObjectName(u"automationsPage"_s);
    connect(m_automationsPage, &AutomationsPage::jobStarted, this, &MainWindow::openStartedJob);
    // One import for every kind of export: automations come with the workflows they run.
    connect(m_automationsPage, &AutomationsPage::importRequested, this,
            &MainWindow::importWorkflows);
    m_pages->addWidget(m_automationsPage);
    m_rail->addPage(u"rail-automations"_s, tr("Automations"),
                    tr("Automations and their triggers: enable, disable, run"),
                    u"railAutomations"_s);
    m_pages->addWidget(m_eventsPage);
    m_rail->addPage(u"rail-events"_s, tr("Events"), tr("What happened across the jobs"),
                    u"railEvents"_s);
    m_adaptersPage = new AdaptersPage(m_client, m_pages);
    m_pages->addWidget(m_adaptersPage);
    m_rail->addPage(u"rail-adapters"_s, tr("Adapters"),
                    tr("The systems adapter tasks call: connection, properties, methods"),
                    u"railAdapters"_s);
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

    // Hundreds of real workflows: a filter on name and description, as you type.
    m_workflowFilter = new QLineEdit(left);
    m_workflowFilter->setObjectName(u"workflowFilter"_s);
    m_workflowFilter->setClearButtonEnabled(true);
    m_workflowFilter->setPlaceholderText(tr("Filter by name or description"));
    auto *filterRow = new QHBoxLayout;
    filterRow->setContentsMargins(9, 0, 9, 8);
    filterRow->addWidget(m_workflowFilter);
    leftLayout->addLayout(filterRow);
    m_proxy = new QSortFilterProxyModel(this);
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(WorkflowsModel::SortRole);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_proxy->setFilterKeyColumn(-1); // any column: name or description
    connect(m_workflowFilter, &QLineEdit::textChanged, this, [this](const QString &text) {
        m_proxy->setFilterFixedString(text.trimmed());
        updateListMessage();
    });

    m_listStack = new QStackedWidget(left);
    leftLayout->addWidget(m_listStack, 1);

    m_list = new QTableView(m_listStack);
    m_list->setObjectName(u"workflowsView"_s);
    m_list->setModel(m_proxy);
    m_list->setSortingEnabled(true);
    m_list->sortByColumn(WorkflowsModel::NameColumn, Qt::AscendingOrder);
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
    // Description stretches into what Name leaves; it never shrinks to its first letter.
    header->setMinimumSectionSize(48);
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
    // A version saved in an editor (a new workflow's first, too) shows in the list at once.
    connect(m_detail, &WorkflowDetail::saved, this, [this](const QString &name) {
        m_wantedSelection = name;
        refreshWorkflows();
    });
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
    clampToScreen();
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

void MainWindow::updateIcons()
{
    // The same monochrome set as the pages' own actions, drawn in the palette's colours: a
    // desktop icon theme's raster icons vanish on a dark palette, and mixing sets looks it.
    const QPalette pal = palette();
    m_newWorkflowAction->setIcon(themedicon::make(u"action-new"_s, pal));
    m_importAction->setIcon(themedicon::make(u"action-import"_s, pal));
    m_exportAction->setIcon(themedicon::make(u"action-export"_s, pal));
    m_startJobAction->setIcon(themedicon::make(u"action-start"_s, pal));
    m_refreshAction->setIcon(themedicon::make(u"action-refresh"_s, pal));
    m_quitAction->setIcon(themedicon::make(u"action-quit"_s, pal));
}

void MainWindow::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange && m_quitAction)
        updateIcons();
    QMainWindow::changeEvent(event);
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (m_ownsEngine && !m_closing) {
        // Whether jobs run is the engine's to say, and it answers asynchronously: hold the
        // close, and close again once the answer (and the operator) allow it.
        event->ignore();
        confirmQuit();
        return;
    }
    saveSettings();
    QMainWindow::closeEvent(event);
}

void MainWindow::confirmQuit()
{
    if (m_askingToQuit)
        return;
    m_askingToQuit = true;
    jobrequests::JobFilter running;
    running.status = u"running"_s;
    ApiReply *reply = m_client.call(jobrequests::listJobs(running, {}, false, 0, 1));
    connect(reply, &ApiReply::finished, this, [this, reply] {
        reply->deleteLater();
        const api::ApiResponse &response = reply->response();
        qint64 count = 0;
        if (response.ok() && response.json.is_object()) {
            const json metadata = response.json.value("metadata", json::object());
            if (metadata.is_object() && metadata.value("total", json()).is_number())
                count = metadata["total"].get<qint64>();
        }
        bool quit = true;
        if (count > 0)
            quit = m_prompter->confirm(
                count == 1 ? tr("Quit with 1 job running?")
                           : tr("Quit with %1 jobs running?").arg(count),
                tr("This window runs the engine. Quitting stops the running jobs where they "
                   "are; they continue from there the next time Flowdeck opens this store. "
                   "Manual tasks keep waiting, and delays keep their remaining time."),
                tr("Quit"));
        m_askingToQuit = false;
        if (quit)
            closeWithoutAsking();
    });
}

void MainWindow::closeWithoutAsking()
{
    m_closing = true;
    close();
}

void MainWindow::clampToScreen()
{
    const QScreen *screen = this->screen();
    if (!screen || isMaximized() || isFullScreen())
        return;
    const QRect available = screen->availableGeometry();
    if (!available.isValid())
        return;
    // The frame is part of what must fit: compare the outer size, resize the inside.
    const QSize frameExtra = frameGeometry().size() - geometry().size();
    QSize size = this->size();
    size = size.boundedTo(available.size() - frameExtra);
    if (size != this->size())
        resize(size);
    QRect frame = frameGeometry();
    if (!available.contains(frame)) {
        frame.moveLeft(
            std::clamp(frame.left(), available.left(),
                       std::max(available.left(), available.right() - frame.width() + 1)));
        frame.moveTop(
            std::clamp(frame.top(), available.top(),
                       std::max(available.top(), available.bottom() - frame.height() + 1)));
        move(frame.topLeft());
    }
}

QString MainWindow::selectedWorkflow() const
{
    const QModelIndexList rows = m_list->selectionModel()->selectedRows();
    return rows.isEmpty() ? QString() : rows.first().data(WorkflowsModel::NameRole).toString();
}

void MainWindow::selectWorkflow(const QString &name)
{
    const int row = m_model->rowOf(name);
    if (row < 0 || m_model->isLoading()) {
        m_wantedSelection = name;
        return;
    }
    QModelIndex index = m_proxy->mapFromSource(m_model->index(row, WorkflowsModel::NameColumn));
    if (!index.isValid()) {
        // Filtered out: showing what was asked for beats keeping the filter.
        m_workflowFilter->clear();
        index = m_proxy->mapFromSource(m_model->index(row, WorkflowsModel::NameColumn));
    }
    m_list->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect |
                                                         QItemSelectionModel::Rows);
    m_list->scrollTo(index);
}

void MainWindow::newWorkflow()
{
    const QString name =
        m_prompter->askText(tr("New Workflow"), tr("Name of the new workflow:"), QString());
    if (name.isEmpty())
        return;
    if (m_model->rowOf(name) >= 0) {
        m_prompter->showError(tr("New Workflow"),
                              tr("A workflow named \"%1\" exists already.").arg(name),
                              tr("Choose another name, or select it and press Edit… to change "
                                 "it."));
        return;
    }
    m_detail->openNewEditor(name);
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
    else if (m_pages->currentWidget() == m_adaptersPage)
        m_adaptersPage->refresh();
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
    updateListMessage();
    m_list->resizeColumnToContents(WorkflowsModel::NameColumn);
    // Name gets what it needs up to half the list; Description the rest.
    const int nameLimit =
        std::min(kMaxNameColumnWidth, std::max(160, m_list->viewport()->width() / 2));
    if (m_list->columnWidth(WorkflowsModel::NameColumn) > nameLimit)
        m_list->setColumnWidth(WorkflowsModel::NameColumn, nameLimit);

    const QString wanted = std::exchange(m_wantedSelection, {});
    if (m_model->rowOf(wanted) >= 0) {
        selectWorkflow(wanted);
        return;
    }
    const QModelIndex first = m_proxy->index(0, WorkflowsModel::NameColumn);
    if (first.isValid())
        selectWorkflow(first.data(WorkflowsModel::NameRole).toString());
}

void MainWindow::updateListMessage()
{
    if (m_model->rowCount() > 0 && m_proxy->rowCount() == 0) {
        m_listMessage->setText(tr("No workflow matches “%1”.").arg(m_workflowFilter->text()));
        m_listStack->setCurrentWidget(m_listMessage);
    } else if (m_model->rowCount() > 0) {
        m_listStack->setCurrentWidget(m_list);
    }
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

void MainWindow::sendImport(const std::shared_ptr<WorkflowImport> &import, bool overwrite,
                            bool partial)
{
    m_importAction->setEnabled(false);
    statusBar()->showMessage(tr("Importing…"));
    ApiReply *reply =
        m_client.call(requests::importWorkflows(import->documents(), overwrite, partial));
    connect(reply, &ApiReply::finished, this, [this, reply, import, overwrite] {
        reply->deleteLater();
        m_importAction->setEnabled(true);
        statusBar()->clearMessage();
        const api::ApiResponse &response = reply->response();
        const QString title = tr("Import Workflows");
        if (response.ok()) {
            onImported(*import, response);
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
            // A folder of real exports rarely imports whole: offer the rest, with what is left
            // out listed in the report.
            if (import->fileCount() > int(bad) &&
                m_prompter->confirm(title,
                                    text + u"\n\n"_s +
                                        tr("Import the other files? Of documents with the same "
                                           "name the newest is kept, and the import report lists "
                                           "every file left out and why."),
                                    tr("Import the Rest"))) {
                sendImport(import, overwrite, true);
                return;
            }
            m_prompter->showError(title, text, issues);
            return;
        }
        m_prompter->showError(title, tr("Nothing was imported."), messageOf(response));
    });
}

void MainWindow::onImported(const WorkflowImport &import, const api::ApiResponse &response)
{
    const QList<ImportReport::Line> lines = ImportReport::linesFrom(import, response);
    int stored = 0;
    int workflows = 0;
    int notes = 0;
    for (const ImportReport::Line &line : lines) {
        stored += line.skipped ? 0 : 1;
        workflows += !line.skipped && line.kind == tr("Workflow") ? 1 : 0;
        notes += int(line.notes.size());
    }
    QString message =
        workflows == stored
            ? (stored == 1 ? tr("Imported 1 workflow") : tr("Imported %1 workflows").arg(stored))
            : (stored == 1 ? tr("Imported 1 document") : tr("Imported %1 documents").arg(stored));
    const int skipped = int(lines.size()) - stored;
    if (skipped > 0)
        message += skipped == 1 ? tr(", 1 skipped") : tr(", %1 skipped").arg(skipped);
    statusBar()->showMessage(message, kStatusMessageMs);
    // Anything to read stays on screen until the operator closes it.
    if (notes > 0 || skipped > 0) {
        if (m_importReport)
            m_importReport->close();
        m_importReport = new ImportReport(lines, this);
        m_importReport->setAttribute(Qt::WA_DeleteOnClose);
        m_importReport->show();
    }
    const json imported = response.json.value("imported", json::array());
    if (!imported.empty() && imported.front().value("name", json()).is_string())
        m_wantedSelection = QString::fromStdString(imported.front()["name"].get<std::string>());
    refreshWorkflows();
    m_automationsPage->refresh();
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
