// SPDX-License-Identifier: GPL-3.0-or-later
// The console's main window. It holds the Workflows page (the stored workflows beside the
// selected one's detail), imports and exports workflow documents, and shows which store and
// which user it works with. It reaches the engine only through a ConsoleClient. GUI thread.
#pragma once

#include "ui/client/ConsoleClient.h"

#include <QMainWindow>

#include <memory>

class QAction;
class QLabel;
class QSplitter;
class QStackedWidget;
class QTableView;

namespace flowdeck::ui {

class Prompter;
class WorkflowDetail;
class WorkflowImport;
class WorkflowsModel;

class MainWindow final : public QMainWindow
{
    Q_OBJECT
public:
    /// `client` must outlive the window. `storeLocation` and `userName` are shown in the
    /// status bar. The workflow list starts loading at once.
    MainWindow(ConsoleClient &client, const QString &storeLocation, const QString &userName,
               QWidget *parent = nullptr);
    ~MainWindow() override;

    /// Replaces the dialogs (tests inject one that answers at once).
    void setPrompter(std::unique_ptr<Prompter> prompter);

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
    void createPage();
    void createStatusBar();
    void restoreSettings();
    void saveSettings() const;

    void importWorkflows();
    void sendImport(const std::shared_ptr<WorkflowImport> &import, bool overwrite);
    void exportWorkflow();
    void refresh();
    void onRefreshed();
    void onSelectionChanged();
    QString lastDirectory() const;
    void rememberDirectory(const QString &path);

    ConsoleClient &m_client;
    std::unique_ptr<Prompter> m_prompter;
    QString m_storeLocation;
    QString m_userName;
    QString m_wantedSelection; ///< applied when the list has (re)loaded

    WorkflowsModel *m_model = nullptr;
    QAction *m_importAction = nullptr;
    QAction *m_exportAction = nullptr;
    QAction *m_refreshAction = nullptr;
    QAction *m_quitAction = nullptr;
    QSplitter *m_splitter = nullptr;
    QStackedWidget *m_listStack = nullptr;
    QTableView *m_list = nullptr;
    QLabel *m_listMessage = nullptr;
    WorkflowDetail *m_detail = nullptr;
};

} // namespace flowdeck::ui
