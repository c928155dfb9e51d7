// SPDX-License-Identifier: GPL-3.0-or-later
// The Jobs page: every job in a lazily loaded table (filter by status, workflow and free text,
// sort by any column, pause / resume / cancel the selected jobs), and a job's detail when one
// is opened. Keeps itself current from the client's jobChanged signal. GUI thread.
#pragma once

#include "ui/jobs/JobRequests.h"

#include <QTimer>
#include <QWidget>

class QAction;
class QComboBox;
class QLabel;
class QLineEdit;
class QStackedWidget;
class QTableView;

namespace flowdeck::ui {

class ConsoleClient;
class JobDetail;
class Prompter;
class JobsModel;

class JobsPage final : public QWidget
{
    Q_OBJECT
public:
    /// Debounce for the free-text filter: one request when the operator pauses typing.
    static constexpr int kFilterDelayMs = 300;
    /// Coalesces bursts of job changes into one reload of the rows on screen.
    static constexpr int kLiveDelayMs = 400;

    explicit JobsPage(ConsoleClient &client, QWidget *parent = nullptr);
    ~JobsPage() override;

    JobsModel *model() const { return m_model; }
    QTableView *view() const { return m_view; }
    JobDetail *detail() const { return m_detail; }
    /// The page's actions (pause, resume, cancel, open, find), for the window's menus.
    QList<QAction *> pageActions() const { return m_actions; }

    /// Ids of the selected jobs (loaded rows only), in row order.
    QStringList selectedJobIds() const;
    /// What the page's actions act on: the open job, or the selected rows of the list.
    QStringList targetJobIds() const;
    /// Where the page asks before it cancels; the window passes its own (tests a fake).
    void setPrompter(Prompter *prompter);
    /// How often what shows is fetched again for changes made by other processes (5 s by
    /// default); 0 stops it (tests that count requests).
    void setPollInterval(int ms);
    /// What a bulk answer says happened, job by job, in one line: "Canceled 2 jobs", or
    /// "1 of 2 canceled; 1 was already complete".
    static QString bulkReport(jobrequests::BulkAction action, int asked,
                              const api::ApiResponse &response);
    /// Shows a job's detail in place of the table.
    void openJob(const QString &jobId);
    /// Back to the table.
    void showList();
    bool isShowingDetail() const;
    /// Loads the table (and the workflow names of the filter) again.
    void refresh();
    /// Puts the keyboard focus in the free-text filter.
    void focusFilter();

Q_SIGNALS:
    /// A short message for the window's status bar.
    void statusMessage(const QString &text);

protected:
    void changeEvent(QEvent *event) override;

private:
    void createActions();
    void createListPage();
    void applyFilter();
    void loadWorkflowNames();
    void onLoaded();
    void updateActions();
    void updateCount();
    void runBulk(jobrequests::BulkAction action, const QStringList &jobIds);
    void updateIcons();

    ConsoleClient &m_client;
    Prompter *m_prompter = nullptr; ///< the window's; null asks with a plain message box
    JobsModel *m_model = nullptr;
    QStackedWidget *m_stack = nullptr;
    QWidget *m_listPage = nullptr;
    QStackedWidget *m_tableStack = nullptr;
    QTableView *m_view = nullptr;
    QLabel *m_message = nullptr;
    QComboBox *m_status = nullptr;
    QComboBox *m_workflow = nullptr;
    QLineEdit *m_search = nullptr;
    QLabel *m_count = nullptr;
    JobDetail *m_detail = nullptr;
    QTimer m_filterTimer;
    QTimer m_liveTimer;
    QTimer m_pollTimer;  ///< fetches what shows again, for changes made by other processes
    QTimer m_clockTimer; ///< repaints the durations of running jobs once a second
    QList<QAction *> m_actions;
    QAction *m_pauseAction = nullptr;
    QAction *m_resumeAction = nullptr;
    QAction *m_cancelAction = nullptr;
    QAction *m_openAction = nullptr;
    QAction *m_findAction = nullptr;
};

} // namespace flowdeck::ui
