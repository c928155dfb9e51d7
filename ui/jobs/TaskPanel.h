// SPDX-License-Identifier: GPL-3.0-or-later
// One task of the job shown in the job detail, for the operator who clicked it: what it is
// (name, method, key), how it stands (status, owner, why the job stopped there), its runs
// with their timings, resolved incoming and outgoing values and errors, where its values came
// from and where it went next, and the actions that apply right now: work this task (a manual
// task waiting for a person), retry (a task in error or failure), continue from here (a job in
// error or paused). The job document comes from JobDetail; the runs are fetched through the
// ConsoleClient whenever the task's runs change. GUI thread; never blocks.
#pragma once

#include <QPointer>
#include <QWidget>

#include <nlohmann/json.hpp>

class QAction;
class QComboBox;
class QLabel;
class QScrollArea;
class QToolButton;

namespace flowdeck::ui {

class AdapterCallView;
class ApiReply;
class ConsoleClient;
class JsonView;

class TaskPanel final : public QWidget
{
    Q_OBJECT
public:
    explicit TaskPanel(ConsoleClient &client, QWidget *parent = nullptr);
    ~TaskPanel() override;

    /// Shows task `taskKey` of `job` (a whole job document); "" shows the placeholder. Called
    /// again with each live document: the runs are fetched again only when they changed.
    void showTask(const nlohmann::json &job, const QString &taskKey);
    QString taskKey() const { return m_taskKey; }

    /// The runs as last fetched, newest first.
    const nlohmann::json &runs() const { return m_runs; }
    /// Moves the "running for …" of a run still going on by the clock; the job's detail calls
    /// it every second while the job runs.
    void tick();
    /// Whether a fetch of the runs is on its way.
    bool isLoading() const { return !m_reply.isNull(); }
    /// The sentence under the title: the status in words, and why the job stopped here.
    QString statusText() const;
    /// The outcome of the last action, or why the runs could not be loaded; "" when none.
    QString noticeText() const;
    QAction *workAction() const { return m_work; }
    QAction *retryAction() const { return m_retry; }
    QAction *continueAction() const { return m_continue; }
    JsonView *incomingView() const { return m_incoming; }
    JsonView *outgoingView() const { return m_outgoing; }
    /// An adapter task's request, response and attempts (hidden for other tasks).
    AdapterCallView *adapterCallView() const { return m_adapterCall; }
    QComboBox *runChooser() const { return m_runChooser; }

Q_SIGNALS:
    /// The operator wants to work this manual task's run (open it in My tasks).
    void workRequested(const QString &jobId, const QString &taskKey, const QString &iterationId);
    /// An action changed the job: whoever shows it should fetch it again.
    void jobActedOn(const QString &jobId);

protected:
    void changeEvent(QEvent *event) override;

private:
    void createActions();
    void fetchRuns();
    void onRuns(ApiReply *reply);
    void showSummary();
    void showRun(int index);
    QString timingText(const nlohmann::json &run) const;
    void updateActions();
    void act(const QString &what, QAction *action);
    void setNotice(const QString &text, bool problem);
    QString taskName(const QString &key) const;
    QString wiringText() const;
    QString nextText(const nlohmann::json &run) const;

    ConsoleClient &m_client;
    nlohmann::json m_job;
    QString m_jobId;
    QString m_taskKey;
    nlohmann::json m_task;
    nlohmann::json m_runs = nlohmann::json::array();
    int m_shownRun = -1;         ///< the run whose timing shows; -1 when none
    std::string m_runsSignature; ///< what the runs were fetched for: refetch when it changes
    QPointer<ApiReply> m_reply;
    QPointer<ApiReply> m_action;

    QAction *m_work = nullptr;
    QAction *m_retry = nullptr;
    QAction *m_continue = nullptr;
    QLabel *m_placeholder = nullptr;
    QScrollArea *m_scroll = nullptr;
    QLabel *m_statusIcon = nullptr;
    QLabel *m_title = nullptr;
    QLabel *m_subtitle = nullptr;
    QLabel *m_status = nullptr;
    QLabel *m_notice = nullptr;
    QComboBox *m_runChooser = nullptr;
    QLabel *m_timing = nullptr;
    QLabel *m_error = nullptr;
    QLabel *m_incomingTitle = nullptr;
    JsonView *m_incoming = nullptr;
    QLabel *m_wiring = nullptr;
    QLabel *m_outgoingTitle = nullptr;
    JsonView *m_outgoing = nullptr;
    AdapterCallView *m_adapterCall = nullptr;
    QLabel *m_next = nullptr;
};

} // namespace flowdeck::ui
