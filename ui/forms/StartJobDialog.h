// SPDX-License-Identifier: GPL-3.0-or-later
// Starts a job from a workflow: fetches the workflow, shows its description, builds the form
// from its inputSchema (SchemaForm), lets the operator narrow the job's groups, and posts
// /operations-manager/jobs/start. A "Test run" section gives adapter and manual tasks a mocked
// result (the form `flowdeck run --mock` takes) instead of running them; the job is then
// marked as a test run. Never blocks: open() it, and it closes itself once the job is
// started. GUI thread.
#pragma once

#include <QDialog>

#include <nlohmann/json.hpp>

#include <vector>

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QGridLayout;
class QGroupBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;

namespace flowdeck::ui {

class AdapterNeedsView;
class ConsoleClient;
class SchemaForm;

class StartJobDialog final : public QDialog
{
    Q_OBJECT
public:
    /// Starts fetching `workflowName` at once; the form appears when it arrives.
    StartJobDialog(ConsoleClient &client, const QString &workflowName, QWidget *parent = nullptr);

    SchemaForm *form() const { return m_form; }
    /// The adapters the workflow's tasks need, and whether each is present.
    AdapterNeedsView *adapterNeeds() const { return m_adapterNeeds; }
    /// The sentence at the top: loading, a failure, or nothing.
    QString statusText() const;
    /// Whether the workflow has arrived and the form can be sent.
    bool isReady() const { return m_ready; }
    /// The "Test run" section (checkable; off by default, hidden when no task can be mocked).
    QGroupBox *testRunBox() const { return m_testRun; }
    /// The tasks a test run can mock, by key, in the order the section lists them.
    QStringList mockableTasks() const;
    /// The mocks the section describes ({TASKID: {finish_state, outgoing}}); null when the
    /// test run is off. A problem (outgoing values that are not a JSON object) goes to
    /// `problem`, naming the task.
    nlohmann::json mocks(QString *problem = nullptr) const;
    /// Ticks task `key` for a mocked result `finishState` with `outgoing` (JSON text).
    void setMock(const QString &key, const QString &finishState, const QString &outgoing);

public Q_SLOTS:
    /// Validates the form and posts the start; the dialog accepts when the job exists and
    /// stays open showing the engine's message when it does not.
    void start();

Q_SIGNALS:
    void jobStarted(const QString &jobId);

private:
    void showWorkflow(const nlohmann::json &workflow);
    void fillTestRun(const nlohmann::json &workflow);
    void setStatus(const QString &text, bool problem);

    ConsoleClient &m_client;
    QString m_workflowName;
    bool m_ready = false;
    bool m_sending = false;
    QLabel *m_title = nullptr;
    QLabel *m_description = nullptr;
    QLabel *m_status = nullptr;
    SchemaForm *m_form = nullptr;
    AdapterNeedsView *m_adapterNeeds = nullptr;
    QLineEdit *m_jobDescription = nullptr;
    QLabel *m_groupsLabel = nullptr;
    QListWidget *m_groups = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
    QPushButton *m_startButton = nullptr;
    struct MockRow
    {
        QString key;
        QString name;
        QCheckBox *use = nullptr;
        QComboBox *result = nullptr;
        QLineEdit *outgoing = nullptr;
    };
    QGroupBox *m_testRun = nullptr;
    QGridLayout *m_mockGrid = nullptr;
    std::vector<MockRow> m_mocks;
};

} // namespace flowdeck::ui
