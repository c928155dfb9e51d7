// SPDX-License-Identifier: GPL-3.0-or-later
// The console's main window: a navigation rail beside the pages (Jobs, Workflows, Events, and
// My tasks and Automations where they are built in), the Workflows page itself (the stored
// workflows beside the selected one's detail, import and export), and a status bar naming the
// store, the API address when serving and the signed-in user. It reaches the engine only
// through a ConsoleClient. GUI thread.
#pragma once

#include "ui/client/ConsoleClient.h"

#include <QMainWindow>
#include <QPointer>

#include <memory>

class QAction;
class QLabel;
class QLineEdit;
class QSortFilterProxyModel;
class QSplitter;
class QStackedWidget;
class QTableView;
class QToolBar;

namespace flowdeck::ui {

class EventsPage;
class ImportReport;
class InboxPage;
class AdaptersPage;
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
    enum class Page { Jobs, MyTasks, Workflows, Automations, Events, Adapters };

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
    AdaptersPage *adaptersPage() const { return m_adaptersPage; }
    InboxPage *inboxPage() const { return m_inboxPage; }

    WorkflowsModel *workflowsModel() const { return m_model; }
    WorkflowDetail *workflowDetail() const { return m_detail; }
    QTableView *workflowsView() const { return m_list; }
    /// The selected workflow's name; empty when none is selected.
    QString selectedWorkflow() const;
    /// Selects the named workflow once it is in the list (now, or after the next refresh).
    void selectWorkflow(const QString &name);

    /// The window runs the engine (not a remote one): closing it stops the jobs that are
    /// running, so a close asks first while any is.
    void setOwnsEngine(bool owns) { m_ownsEngine = owns; }
    /// Saves the layout and closes without asking: for SIGTERM / SIGINT, when nobody is
    /// there to answer.
    void closeWithoutAsking();
    /// Keeps the window on the screen it opens on: a saved size from a larger (or HiDPI)
    /// screen is shrunk to fit, and a position off the screen is brought back.
    void clampToScreen();

protected:
    void closeEvent(QCloseEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void createActions();
    void updateIcons();
    void createMenus();
    void createToolBar();
    void createPages();
    QWidget *createWorkflowsPage();
    void createStatusBar();
    void onPageChanged(int index);
    void restoreSettings();
    void saveSettings() const;

    void importWorkflows();
    void newWorkflow();
    /// Sends the import; `partial` stores what can be stored and reports the rest.
    void sendImport(const std::shared_ptr<WorkflowImport> &import, bool overwrite,
                    bool partial = false);
    /// The status line, the report window when there is anything to read, and the lists.
    void onImported(const WorkflowImport &import, const api::ApiResponse &response);
    void exportWorkflow();
    /// Opens the start-job form for the selected workflow; the new job opens in Jobs.
    void startJob();
    void openStartedJob(const QString &jobId);
    void refresh();
    void refreshWorkflows();
    void onRefreshed();
    void onSelectionChanged();
    /// The list, or why it shows nothing (no workflows, or none matching the filter).
    void updateListMessage();
    QString lastDirectory() const;
    void rememberDirectory(const QString &path);
    /// Enables Accounts… when the signed-in account may manage API tokens.
    void checkAccountsPermission();
    void openAccounts();

    /// Asks the engine how many jobs run, then closes or asks (closeEvent's second half).
    void confirmQuit();

    ConsoleClient &m_client;
    std::unique_ptr<Prompter> m_prompter;
    bool m_ownsEngine = false;
    bool m_closing = false; ///< the close was allowed: the next closeEvent goes through
    bool m_askingToQuit = false;
    QString m_storeLocation;
    QString m_apiAddress; ///< empty while the window does not serve the API
    QString m_userName;
    QString m_wantedSelection; ///< applied when the list has (re)loaded

    WorkflowsModel *m_model = nullptr;
    QAction *m_importAction = nullptr;
    QAction *m_exportAction = nullptr;
    QAction *m_startJobAction = nullptr;
    QAction *m_newWorkflowAction = nullptr;
    QAction *m_refreshAction = nullptr;
    QAction *m_quitAction = nullptr;
    QAction *m_accountsAction = nullptr; ///< enabled for administrators (from /whoami)
    QList<QAction *> m_pageActions;      ///< Ctrl+1…, one per rail page
    NavigationRail *m_rail = nullptr;
    QStackedWidget *m_pages = nullptr;
    JobsPage *m_jobsPage = nullptr;
    EventsPage *m_eventsPage = nullptr;
    AutomationsPage *m_automationsPage = nullptr;
    AdaptersPage *m_adaptersPage = nullptr;
    InboxPage *m_inboxPage = nullptr;
    QWidget *m_workflowsPage = nullptr;
    QToolBar *m_jobsToolBar = nullptr;
    QToolBar *m_workflowsToolBar = nullptr;
    QLabel *m_apiLabel = nullptr;
    QSplitter *m_splitter = nullptr;
    QStackedWidget *m_listStack = nullptr;
    QTableView *m_list = nullptr;
    QSortFilterProxyModel *m_proxy = nullptr; ///< the list's sorting and filtering
    QLineEdit *m_workflowFilter = nullptr;
    QPointer<ImportReport> m_importReport; ///< the last import's report, while it is open
    QLabel *m_listMessage = nullptr;
    WorkflowDetail *m_detail = nullptr;
};

} // namespace flowdeck::ui
