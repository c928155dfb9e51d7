// SPDX-License-Identifier: GPL-3.0-or-later
// The form of one manual task, built from its manual-task controller: header, message, body,
// the values the task shows, input fields for its outgoing variables (SchemaForm) and the
// success / failure buttons labelled as the task's view defines them (failure only when the
// view has one). Finishing posts the values; the job moves on. GUI thread; never blocks.
#pragma once

#include <QWidget>

#include <nlohmann/json.hpp>

class QLabel;
class QPushButton;
class QScrollArea;

namespace flowdeck::ui {

class ConsoleClient;
class JsonView;
class SchemaForm;

class TaskForm final : public QWidget
{
    Q_OBJECT
public:
    explicit TaskForm(ConsoleClient &client, QWidget *parent = nullptr);

    /// The username of whoever signed in: the form can be worked only when the task is theirs.
    void setCurrentUser(const QString &username);
    /// Fetches the task's controller and shows it; answers to earlier loads are ignored.
    void load(const QString &jobId, const QString &taskKey);
    /// Shows the placeholder instead of a task.
    void clear();

    QString jobId() const { return m_jobId; }
    QString taskKey() const { return m_taskKey; }
    /// Whether the shown task is claimed by the current user, so its buttons work.
    bool canWork() const { return m_canWork; }
    /// The controller as last fetched (null before).
    const nlohmann::json &controller() const { return m_controller; }
    SchemaForm *form() const { return m_form; }
    /// The sentence above the form: who owns the task, or what went wrong.
    QString noticeText() const;
    /// After a finish, what happened ("Approved by alice at 10:42 — the job went on to …");
    /// "" while a task is shown.
    QString outcomeText() const;

public Q_SLOTS:
    /// Validates the fields and posts finish with `finishState` ("success" or "failure").
    void finishWith(const QString &finishState);

Q_SIGNALS:
    /// The controller arrived and is shown.
    void loaded();
    /// The task was finished; its job moves on.
    void finished(const QString &jobId, const QString &finishState);
    /// The task changed under the form (claimed by someone else, finished, gone): whoever
    /// lists tasks should fetch them again.
    void stale();
    /// The operator asked to claim the shown task (it is available to them).
    void claimRequested();
    /// The operator followed the link to the job of a task they finished.
    void jobRequested(const QString &jobId);

private:
    void present(const nlohmann::json &controller);
    void setNotice(const QString &text, bool problem);
    void setBusy(bool busy);
    /// Replaces the form by what the finish did; then fetches the job to say where it went.
    void showOutcome(const QString &jobId, const QString &finishState, const QString &button);

    ConsoleClient &m_client;
    QString m_currentUser;
    QString m_jobId;
    QString m_taskKey;
    nlohmann::json m_controller;
    bool m_canWork = false;
    bool m_busy = false;
    quint64 m_loadToken = 0;

    QScrollArea *m_scroll = nullptr;
    QWidget *m_page = nullptr;
    QLabel *m_placeholder = nullptr;
    QWidget *m_outcome = nullptr;
    QLabel *m_outcomeText = nullptr;
    QPushButton *m_openJob = nullptr;
    QString m_outcomeJob;
    QLabel *m_header = nullptr;
    QLabel *m_meta = nullptr;
    QLabel *m_notice = nullptr;
    QPushButton *m_claim = nullptr;
    QLabel *m_message = nullptr;
    QLabel *m_bodyTitle = nullptr;
    QLabel *m_bodyText = nullptr;
    JsonView *m_body = nullptr;
    QLabel *m_showTitle = nullptr;
    JsonView *m_show = nullptr;
    QLabel *m_inputTitle = nullptr;
    SchemaForm *m_form = nullptr;
    QPushButton *m_success = nullptr;
    QPushButton *m_failure = nullptr;
};

} // namespace flowdeck::ui
