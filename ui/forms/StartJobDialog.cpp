// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/forms/StartJobDialog.h"

#include "ui/forms/AdapterNeedsView.h"

#include "ui/client/ConsoleClient.h"
#include "ui/client/Requests.h"
#include "ui/forms/Replies.h"
#include "ui/forms/SchemaForm.h"
#include "ui/forms/StartJobRequests.h"

#include "engine/model/JsonParse.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QScrollArea>
#include <QVBoxLayout>

#include <algorithm>

using namespace Qt::StringLiterals;
using nlohmann::json;

namespace flowdeck::ui {

StartJobDialog::StartJobDialog(ConsoleClient &client, const QString &workflowName, QWidget *parent)
    : QDialog(parent), m_client(client), m_workflowName(workflowName)
{
    setObjectName(u"startJobDialog"_s);
    setWindowTitle(tr("Start job: %1").arg(workflowName));
    auto *layout = new QVBoxLayout(this);
    layout->setSpacing(10);

    m_title = new QLabel(workflowName, this);
    QFont big = m_title->font();
    big.setPointSizeF(big.pointSizeF() * 1.35);
    big.setWeight(QFont::DemiBold);
    m_title->setFont(big);
    layout->addWidget(m_title);
    m_description = new QLabel(this);
    m_description->setWordWrap(true);
    m_description->setForegroundRole(QPalette::PlaceholderText);
    m_description->hide();
    layout->addWidget(m_description);
    // Which adapters the tasks call, and whether they are here (the job would stop otherwise).
    m_adapterNeeds = new AdapterNeedsView(m_client, this);
    layout->addWidget(m_adapterNeeds);
    m_adapterNeeds->load(workflowName);
    m_status = new QLabel(tr("Loading the workflow…"), this);
    m_status->setObjectName(u"startJobStatus"_s);
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_status);

    auto *body = new QWidget(this);
    auto *bodyLayout = new QVBoxLayout(body);
    bodyLayout->setContentsMargins(0, 0, 8, 0);
    auto *inputsTitle = new QLabel(tr("Inputs"), body);
    QFont section = inputsTitle->font();
    section.setWeight(QFont::DemiBold);
    inputsTitle->setFont(section);
    bodyLayout->addWidget(inputsTitle);
    m_form = new SchemaForm(body);
    bodyLayout->addWidget(m_form);
    connect(m_form, &SchemaForm::edited, this, [this] {
        if (!m_sending && !m_status->isHidden() &&
            m_status->text() == tr("Some inputs need attention."))
            setStatus({}, false);
    });

    auto *jobTitle = new QLabel(tr("Job"), body);
    jobTitle->setFont(section);
    bodyLayout->addSpacing(8);
    bodyLayout->addWidget(jobTitle);
    auto *jobForm = new QFormLayout;
    jobForm->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_jobDescription = new QLineEdit(body);
    m_jobDescription->setObjectName(u"jobDescription"_s);
    m_jobDescription->setPlaceholderText(tr("Optional: why this job runs, e.g. a ticket"));
    jobForm->addRow(tr("Description"), m_jobDescription);
    m_groups = new QListWidget(body);
    m_groups->setObjectName(u"jobGroups"_s);
    m_groupsLabel = new QLabel(tr("Groups"), body);
    jobForm->addRow(m_groupsLabel, m_groups);
    m_groupsLabel->hide();
    m_groups->hide();
    bodyLayout->addLayout(jobForm);

    // A test run: rehearse the workflow without its adapters or a person, each chosen task
    // giving the result typed here, as `flowdeck run --mock` does.
    m_testRun = new QGroupBox(tr("Test run"), body);
    m_testRun->setObjectName(u"startJobTestRun"_s);
    m_testRun->setCheckable(true);
    m_testRun->setChecked(false);
    m_testRun->setToolTip(tr("Give adapter and manual tasks a result instead of running them; "
                             "the job is marked as a test run"));
    auto *testLayout = new QVBoxLayout(m_testRun);
    auto *testHelp = new QLabel(tr("Ticked tasks do not run: they finish at once with the "
                                   "result and outgoing values given here. The job is marked "
                                   "as a test run wherever it is listed."),
                                m_testRun);
    testHelp->setWordWrap(true);
    testHelp->setForegroundRole(QPalette::PlaceholderText);
    testLayout->addWidget(testHelp);
    m_mockGrid = new QGridLayout;
    m_mockGrid->setColumnStretch(2, 1);
    testLayout->addLayout(m_mockGrid);
    m_testRun->hide();
    connect(m_testRun, &QGroupBox::toggled, this, [this](bool on) {
        m_startButton->setText(on ? tr("Start test run") : tr("Start job"));
    });
    bodyLayout->addSpacing(8);
    bodyLayout->addWidget(m_testRun);
    bodyLayout->addStretch(1);

    auto *scroll = new QScrollArea(this);
    scroll->setWidget(body);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    layout->addWidget(scroll, 1);

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    m_startButton = m_buttons->addButton(tr("Start job"), QDialogButtonBox::AcceptRole);
    m_startButton->setObjectName(u"startJobButton"_s);
    m_startButton->setDefault(true);
    m_startButton->setEnabled(false);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &StartJobDialog::start);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(m_buttons);
    resize(560, 620);

    whenFinished(m_client.call(requests::workflowDetail(workflowName)), this,
                 [this](const api::ApiResponse &response) {
                     if (!response.ok()) {
                         setStatus(
                             tr("The workflow could not be loaded: %1").arg(failureText(response)),
                             true);
                         return;
                     }
                     showWorkflow(response.json);
                 });
}

QString StartJobDialog::statusText() const
{
    return m_status->isHidden() ? QString() : m_status->text();
}

void StartJobDialog::setStatus(const QString &text, bool problem)
{
    m_status->setText(text);
    m_status->setVisible(!text.isEmpty());
    QPalette palette = m_status->palette();
    palette.setColor(QPalette::WindowText, problem ? QColor(0xd6, 0x45, 0x41)
                                                   : this->palette().color(QPalette::WindowText));
    m_status->setPalette(palette);
}

void StartJobDialog::showWorkflow(const json &workflow)
{
    const std::string description = workflow.value("description", std::string());
    m_description->setText(QString::fromStdString(description));
    m_description->setVisible(!description.empty());
    m_form->setSchema(workflow.value("inputSchema", json::object()));

    // The job inherits the workflow's groups; unticking one narrows who sees this job.
    m_groups->clear();
    const json groups = workflow.value("groups", json::array());
    if (groups.is_array())
        for (const auto &g : groups) {
            const json id = g.is_object() ? g.value("_id", json()) : g;
            if (!id.is_string())
                continue;
            const std::string name =
                g.is_object() ? g.value("name", id.get<std::string>()) : id.get<std::string>();
            auto *item = new QListWidgetItem(QString::fromStdString(name), m_groups);
            item->setData(Qt::UserRole, QString::fromStdString(id.get<std::string>()));
            item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable);
            item->setCheckState(Qt::Checked);
        }
    // As tall as its rows, up to four; a long list scrolls.
    const int rows = std::clamp(m_groups->count(), 1, 4);
    m_groups->setFixedHeight(rows *
                                 std::max(m_groups->sizeHintForRow(0), fontMetrics().height() + 4) +
                             2 * m_groups->frameWidth() + 2);
    m_groupsLabel->setVisible(m_groups->count() > 0);
    m_groups->setVisible(m_groups->count() > 0);
    fillTestRun(workflow);
    setStatus({}, false);
    m_ready = true;
    m_startButton->setEnabled(true);
    // The keyboard starts where the reading does: the first input, else the description.
    if (m_form->fieldCount() > 0)
        m_form->focusFirstField();
    else
        m_jobDescription->setFocus(Qt::OtherFocusReason);
}

void StartJobDialog::start()
{
    if (!m_ready || m_sending)
        return;
    if (!m_form->validate().isEmpty()) {
        setStatus(tr("Some inputs need attention."), true);
        return;
    }
    QString problem;
    json mocked = mocks(&problem);
    if (!problem.isEmpty()) {
        setStatus(problem, true);
        return;
    }
    json groups = nullptr;
    if (m_groups->count() > 0) {
        groups = json::array();
        for (int i = 0; i < m_groups->count(); ++i)
            if (m_groups->item(i)->checkState() == Qt::Checked)
                groups.push_back(m_groups->item(i)->data(Qt::UserRole).toString().toStdString());
    }
    m_sending = true;
    m_startButton->setEnabled(false);
    setStatus(tr("Starting…"), false);
    whenFinished(
        m_client.call(requests::startJob(m_workflowName, m_form->values(), m_jobDescription->text(),
                                         std::move(groups), std::move(mocked))),
        this, [this](const api::ApiResponse &response) {
            m_sending = false;
            m_startButton->setEnabled(true);
            if (!response.ok()) {
                const json &details =
                    response.json.is_object() ? response.json.value("details", json()) : json();
                m_form->showProblems(details);
                setStatus(tr("The job was not started: %1").arg(failureText(response)), true);
                return;
            }
            const json &job = envelopeData(response);
            const std::string id = job.is_object() ? job.value("_id", std::string()) : "";
            setStatus({}, false);
            Q_EMIT jobStarted(QString::fromStdString(id));
            accept();
        });
}

void StartJobDialog::fillTestRun(const json &workflow)
{
    for (const MockRow &row : m_mocks) {
        delete row.use;
        delete row.result;
        delete row.outgoing;
    }
    m_mocks.clear();
    const json tasks = workflow.value("tasks", json::object());
    if (tasks.is_object())
        for (auto it = tasks.begin(); it != tasks.end(); ++it) {
            const json &task = *it;
            if (!task.is_object())
                continue;
            const std::string app = task.value("app", std::string());
            const bool manual = task.value("type", std::string()) == "manual";
            const bool adapter = !app.empty() && app != "WorkFlowEngine";
            if (!manual && !adapter)
                continue;
            const QString key = QString::fromStdString(it.key());
            QString name = QString::fromStdString(task.value("summary", std::string()));
            if (name.isEmpty())
                name = QString::fromStdString(task.value("name", std::string()));
            const QString what =
                manual
                    ? tr("manual task")
                    : tr("%1 · %2").arg(QString::fromStdString(app),
                                        QString::fromStdString(task.value("name", std::string())));
            MockRow row{key, name, nullptr, nullptr, nullptr};
            row.use = new QCheckBox(name.isEmpty() ? key : name, m_testRun);
            row.use->setObjectName(u"mockUse-"_s + key);
            row.use->setToolTip(tr("%1 (task %2)").arg(what, key));
            row.result = new QComboBox(m_testRun);
            row.result->setObjectName(u"mockResult-"_s + key);
            row.result->addItem(tr("success"), u"success"_s);
            row.result->addItem(tr("failure"), u"failure"_s);
            row.result->addItem(tr("error"), u"error"_s);
            row.result->setEnabled(false);
            row.outgoing = new QLineEdit(m_testRun);
            row.outgoing->setObjectName(u"mockOutgoing-"_s + key);
            row.outgoing->setPlaceholderText(tr("Outgoing values, a JSON object: {\"result\": …}"));
            row.outgoing->setEnabled(false);
            QCheckBox *use = row.use;
            QComboBox *result = row.result;
            QLineEdit *outgoing = row.outgoing;
            connect(use, &QCheckBox::toggled, this, [result, outgoing](bool on) {
                result->setEnabled(on);
                outgoing->setEnabled(on);
            });
            // A problem named above goes once the operator corrects what it named.
            connect(outgoing, &QLineEdit::textEdited, this, [this] {
                if (!m_sending)
                    setStatus({}, false);
            });
            m_mocks.push_back(row);
        }
    // In the order an operator reads the workflow: by name, then key.
    std::sort(m_mocks.begin(), m_mocks.end(), [](const MockRow &a, const MockRow &b) {
        return a.name == b.name ? a.key < b.key : a.name.localeAwareCompare(b.name) < 0;
    });
    for (int i = 0; i < int(m_mocks.size()); ++i) {
        m_mockGrid->addWidget(m_mocks[std::size_t(i)].use, i, 0);
        m_mockGrid->addWidget(m_mocks[std::size_t(i)].result, i, 1);
        m_mockGrid->addWidget(m_mocks[std::size_t(i)].outgoing, i, 2);
    }
    m_testRun->setVisible(!m_mocks.empty());
}

QStringList StartJobDialog::mockableTasks() const
{
    QStringList keys;
    for (const MockRow &row : m_mocks)
        keys << row.key;
    return keys;
}

void StartJobDialog::setMock(const QString &key, const QString &finishState,
                             const QString &outgoing)
{
    for (const MockRow &row : m_mocks)
        if (row.key == key) {
            row.use->setChecked(true);
            row.result->setCurrentIndex(row.result->findData(finishState));
            row.outgoing->setText(outgoing);
        }
}

json StartJobDialog::mocks(QString *problem) const
{
    if (!m_testRun->isChecked() || m_mocks.empty())
        return nullptr;
    json out = json::object();
    for (const MockRow &row : m_mocks) {
        if (!row.use->isChecked())
            continue;
        json mock = {{"finish_state", row.result->currentData().toString().toStdString()}};
        const QString text = row.outgoing->text().trimmed();
        if (!text.isEmpty()) {
            auto parsed = parseJson(text.toStdString());
            if (!parsed || !parsed->is_object()) {
                if (problem && problem->isEmpty()) {
                    *problem = tr("The outgoing values of “%1” must be a JSON object, like "
                                  "{\"result\": true}.")
                                   .arg(row.name.isEmpty() ? row.key : row.name);
                    row.outgoing->setFocus(Qt::OtherFocusReason);
                }
                continue;
            }
            mock["outgoing"] = std::move(*parsed);
        }
        out[row.key.toStdString()] = std::move(mock);
    }
    if (out.empty() && problem && problem->isEmpty())
        *problem = tr("Tick the tasks to mock, or turn off Test run.");
    return out;
}

} // namespace flowdeck::ui
