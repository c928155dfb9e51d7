// SPDX-License-Identifier: GPL-3.0-or-later
// "My tasks": the manual tasks waiting for the signed-in operator, in two lists (assigned to
// me, available to me by group) with job, task and age; claim, release and assign from the
// toolbar or a context menu; the selected task's form beside them. Refreshes when a job
// changes (coalesced) and after every action; optionally tells the desktop when a task
// becomes available. GUI thread; never blocks.
#pragma once

#include "engine/api/ApiTypes.h"

#include <QSet>
#include <QWidget>

#include <nlohmann/json.hpp>

class QAction;
class QLabel;
class QComboBox;
class QSystemTrayIcon;
class QTableView;
class QTimer;

namespace flowdeck::ui {

class ConsoleClient;
class JsonListModel;
class TaskForm;

class InboxPage final : public QWidget
{
    Q_OBJECT
public:
    explicit InboxPage(ConsoleClient &client, QWidget *parent = nullptr);

    /// Who "me" is: tasks they own are "assigned to me"; unowned ones are "available".
    /// Fetches again.
    void setCurrentUser(const QString &username);
    /// Desktop notifications for newly available tasks, where the desktop has a tray.
    void setNotificationsEnabled(bool enabled);

    /// Whether a fetch of the lists is running or due (an answer is on its way).
    bool isRefreshing() const { return m_loading || m_again; }
    /// Tasks assigned to me plus tasks available to me: the rail's badge.
    int count() const { return m_count; }
    JsonListModel *assignedModel() const { return m_assigned; }
    JsonListModel *availableModel() const { return m_available; }
    QTableView *assignedView() const { return m_assignedView; }
    QTableView *availableView() const { return m_availableView; }
    TaskForm *taskForm() const { return m_form; }
    /// The sentence in the banner (an action's failure, a list that could not load), or "".
    QString bannerText() const;
    /// The iteration selected in either list, or "".
    QString selectedIteration() const;
    /// Selects the iteration in whichever list holds it; false when neither does.
    bool selectIteration(const QString &iterationId);
    /// Selects the iteration now when a list holds it, else fetches the lists and selects it
    /// when they arrive (a task that just became available, or one opened from a job).
    void openIteration(const QString &iterationId);
    /// Assign's picker: active accounts as "Display Name (username)" with the user id as item
    /// data, those the selected task's groups admit first. Editable: a typed username or id
    /// works too.
    QComboBox *assigneePicker() const { return m_assignUser; }
    /// The user id the picker names: the chosen account's, else the account whose username
    /// or id was typed, else the typed text as it is (the engine says whether it exists).
    QString chosenAssignee() const;

public Q_SLOTS:
    /// Fetches the lists now (a fetch already running is followed by one more).
    void refresh();
    void claimSelected();
    void releaseSelected();
    /// Assigns the selected task to `userId`; the engine's answer says whether that user
    /// exists and may work it.
    void assignSelected(const QString &userId);

Q_SIGNALS:
    void countChanged(int count);
    /// A task was finished through the form.
    void taskFinished(const QString &jobId);
    /// The operator asked to open a job (from the words after finishing one of its tasks).
    void jobRequested(const QString &jobId);

private:
    void scheduleRefresh();
    void showTasks(const nlohmann::json &tasks, qint64 total);
    void act(const QString &what, api::ApiRequest request);
    void setBanner(const QString &text);
    void selectionChanged(QTableView *from);
    void updateActions();
    void showContextMenu(QTableView *view, const QPoint &pos);
    void notifyNew(const QSet<QString> &available, const nlohmann::json &tasks);
    /// The selected row's document, or null.
    nlohmann::json selectedTask() const;
    /// Fetches the active accounts for Assign's picker, then fills it.
    void loadAccounts();
    /// Fills the picker from the accounts read last, candidates for the selected task first.
    void fillAssignees();

    ConsoleClient &m_client;
    QString m_currentUser;
    int m_count = -1;
    bool m_loading = false;
    bool m_again = false;
    bool m_loadedOnce = false;
    bool m_notify = false;
    QSet<QString> m_knownAvailable;
    QString m_keepSelected;

    JsonListModel *m_assigned = nullptr;
    JsonListModel *m_available = nullptr;
    QTableView *m_assignedView = nullptr;
    QTableView *m_availableView = nullptr;
    QLabel *m_assignedTitle = nullptr;
    QLabel *m_availableTitle = nullptr;
    QLabel *m_banner = nullptr;
    QWidget *m_assignBar = nullptr;
    QComboBox *m_assignUser = nullptr;
    nlohmann::json m_accounts = nlohmann::json::array();
    bool m_accountsLoading = false;
    TaskForm *m_form = nullptr;
    QAction *m_claim = nullptr;
    QAction *m_release = nullptr;
    QAction *m_assign = nullptr;
    QAction *m_refresh = nullptr;
    QTimer *m_coalesce = nullptr;
    QTimer *m_ageTick = nullptr;
    QSystemTrayIcon *m_tray = nullptr;
};

} // namespace flowdeck::ui
