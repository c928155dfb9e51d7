// SPDX-License-Identifier: GPL-3.0-or-later
// The console's main window: a navigation rail beside the pages (Jobs, Workflows, Events, and
// My tasks and Automations where they are built in), the Workflows page itself (the stored
// workflows beside the selected one's detail, import and export), and a status bar naming the
// store, the API address when serving and the signed-in user. It reaches the engine only
// through a ConsoleClient. GUI thread.
#pragma once

#include "ui/client/ConsoleClient.h"

#include <QMainWindow>

#include <memory>

class QAction;
class QLabel;
class QSplitter;
class QStackedWidget;
class QTableView;
class QToolBar;

namespace flowdeck::ui {

class EventsPage;
class InboxPage;
class AutomationsPage;
class JobsPage;
class NavigationRail;
class Prompter;
class WorkflowDetail;
class WorkflowImport;
class WorkflowsModel;

class MainWindow final : public QMainWindow
{
    Q_OBJECT
public:
    /// The pages of the rail, in its order; Ctrl+1… follow it.
    enum class Page { Jobs, MyTasks, Workflows, Automations, Events };

    /// `client` must outlive the window. `storeLocation` and `userName` are shown in the
    /// status bar. The workflow list starts loading at once.
    MainWindow(ConsoleClient &client, const QString &storeLocation, const QString &userName,
               QWidget *parent = nullptr);
    ~MainWindow() override;

    QAction *accountsAction() const { return m_accountsAction; }
    /// Replaces the dialogs (tests inject one that answers at once).
    void setPrompter(std::unique_ptr<Prompter> prompter);

    /// Shows where the REST API is served ("http://127.0.0.1:8080"); empty hides it.
    void setApiAddress(const QString &address);
    void showPage(Page page);
    Page currentPage() const;
    NavigationRail *navigationRail() const { return m_rail; }
    JobsPage *jobsPage() const { return m_jobsPage; }
    EventsPage *eventsPage() const { return m_eventsPage; }
    AutomationsPage *automationsPage() const { return m_automationsPage; }
    InboxPage *inboxPage() const { return m_inboxPage; }

    WorkflowsModel *workflowsModel() const { return m_model; }
    WorkflowDetail *workflowDetail() const { return m_detail; }
    QTableView *workflowsView() const { return m_list; }
    /// The selected workflow's name; empty when none is selected.
    QString selectedWorkflow() const;
    /// Selects the named workflow once it is in the list (now, or after the next refresh).
    void selectWorkflow(const QString &name);

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void createActions();
    void createMenus();
    void createToolBar();
    void createPages();
    QWidget *createWorkflowsPage();
    void createStatusBar();
    void onPageChanged(int index);
    void restoreSettings();
    void saveSettings() const;

    void importWorkflows();
    void sendImport(const std::shared_ptr<WorkflowImport> &import, bool overwrite);
    void exportWorkflow();
    /// Opens the start-job form for the selected workflow; the new job opens in Jobs.
    void startJob();
    void openStartedJob(const QString &jobId);
    void refresh();
    void refreshWorkflows();
    void onRefreshed();
    void onSelectionChanged();
    QString lastDirectory() const;
    void rememberDirectory(const QString &path);
    /// Enables Accounts… when the signed-in account may manage API tokens.
    void checkAccountsPermission();
    void openAccounts();

    ConsoleClient &m_client;
    std::unique_ptr<Prompter> m_prompter;
    QString m_storeLocation;
    QString m_userName;
    QString m_wantedSelection; ///< applied when the list has (re)loaded

    WorkflowsModel *m_model = nullptr;
    QAction *m_importAction = nullptr;
    QAction *m_exportAction = nullptr;
    QAction *m_startJobAction = nullptr;
    QAction *m_refreshAction = nullptr;
    QAction *m_quitAction = nullptr;
    QAction *m_accountsAction = nullptr; ///< enabled for administrators (from /whoami)
    QList<QAction *> m_pageActions;      ///< Ctrl+1…, one per rail page
    NavigationRail *m_rail = nullptr;
    QStackedWidget *m_pages = nullptr;
    JobsPage *m_jobsPage = nullptr;
    EventsPage *m_eventsPage = nullptr;
    AutomationsPage *m_automationsPage = nullptr;
    InboxPage *m_inboxPage = nullptr;
    QWidget *m_workflowsPage = nullptr;
    QToolBar *m_jobsToolBar = nullptr;
    QToolBar *m_workflowsToolBar = nullptr;
    QLabel *m_apiLabel = nullptr;
    QSplitter *m_splitter = nullptr;
    QStackedWidget *m_listStack = nullptr;
    QTableView *m_list = nullptr;
    QLabel *m_listMessage = nullptr;
    WorkflowDetail *m_detail = nullptr;
};

} // namespace flowdeck::ui
