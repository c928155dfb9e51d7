// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/jobs/TaskPanel.h"
#include "ui/client/JsonFields.h"

#include "ui/client/ConsoleClient.h"
#include "ui/forms/JsonView.h"
#include "ui/jobs/AdapterCallView.h"
#include "ui/jobs/JobHistory.h"
#include "ui/jobs/JobStatus.h"
#include "ui/jobs/JobTime.h"
#include "ui/jobs/TaskRunRequests.h"
#include "ui/jobs/ThemedIcon.h"

#include <QAction>
#include <QComboBox>
#include <QDateTime>
#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QScrollArea>
#include <QToolButton>
#include <QVBoxLayout>

namespace flowdeck::ui {

using namespace Qt::StringLiterals;
using jsonfields::member;
using jsonfields::millis;
using nlohmann::json;

namespace {

QLabel *sectionTitle(const QString &text, QWidget *parent)
{
    auto *label = new QLabel(text, parent);
    QFont font = label->font();
    font.setBold(true);
    label->setFont(font);
    label->setContentsMargins(0, 8, 0, 0);
    return label;
}

QLabel *wrapped(QWidget *parent, const QString &name)
{
    auto *label = new QLabel(parent);
    label->setObjectName(name);
    label->setWordWrap(true);
    label->setTextFormat(Qt::PlainText);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return label;
}

/// A task status as the operator reads it; a running manual task says who it waits for.
QString statusWords(const json &task)
{
    const QString status = jsonfields::text(task, "status");
    if (jsonfields::text(task, "type") == u"manual"_s && status == u"running"_s) {
        const QString owner = jsonfields::text(task, "owner");
        return owner.isEmpty() ? TaskPanel::tr("Waiting for an operator to claim it")
                               : TaskPanel::tr("Being worked by %1").arg(owner);
    }
    if (status.isEmpty() || status == u"incomplete"_s)
        return TaskPanel::tr("Not reached yet");
    if (status == u"failure"_s)
        return TaskPanel::tr("Failed");
    return jobstatus::label(status);
}

/// The "$var.<task>.<name>" reference an incoming value is wired to, split; empty when the
/// value is given literally.
std::pair<QString, QString> reference(const json &value)
{
    if (!value.is_string())
        return {};
    const QString text = QString::fromStdString(value.get<std::string>());
    if (!text.startsWith(u"$var."_s))
        return {};
    const QString rest = text.mid(5);
    const qsizetype dot = rest.indexOf(u'.');
    if (dot <= 0)
        return {};
    return {rest.left(dot), rest.mid(dot + 1)};
}

} // namespace

TaskPanel::TaskPanel(ConsoleClient &client, QWidget *parent) : QWidget(parent), m_client(client)
{
    createActions();
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->setSpacing(0);

    m_placeholder = new QLabel(
        tr("Select a task on the canvas or in the list to see its runs, its values and what "
           "you can do with it."),
        this);
    m_placeholder->setObjectName(u"taskPanelPlaceholder"_s);
    m_placeholder->setWordWrap(true);
    m_placeholder->setAlignment(Qt::AlignCenter);
    m_placeholder->setForegroundRole(QPalette::PlaceholderText);
    m_placeholder->setContentsMargins(24, 24, 24, 24);
    outer->addWidget(m_placeholder);

    m_scroll = new QScrollArea(this);
    m_scroll->setObjectName(u"taskPanelScroll"_s);
    m_scroll->setWidgetResizable(true);
    m_scroll->setFrameShape(QFrame::NoFrame);
    m_scroll->hide();
    outer->addWidget(m_scroll, 1);

    auto *page = new QWidget(m_scroll);
    auto *column = new QVBoxLayout(page);
    column->setContentsMargins(12, 10, 12, 12);
    column->setSpacing(4);

    auto *titleRow = new QHBoxLayout;
    titleRow->setSpacing(6);
    m_statusIcon = new QLabel(page);
    titleRow->addWidget(m_statusIcon);
    m_title = new QLabel(page);
    m_title->setObjectName(u"taskPanelTitle"_s);
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_title->setWordWrap(true);
    QFont font = m_title->font();
    font.setBold(true);
    font.setPointSizeF(font.pointSizeF() * 1.1);
    m_title->setFont(font);
    titleRow->addWidget(m_title, 1);
    column->addLayout(titleRow);

    m_subtitle = wrapped(page, u"taskPanelSubtitle"_s);
    m_subtitle->setForegroundRole(QPalette::PlaceholderText);
    column->addWidget(m_subtitle);
    m_status = wrapped(page, u"taskPanelStatus"_s);
    column->addWidget(m_status);

    auto *buttons = new QHBoxLayout;
    buttons->setContentsMargins(0, 6, 0, 2);
    buttons->setSpacing(6);
    for (QAction *action : {m_work, m_retry, m_continue}) {
        auto *button = new QToolButton(page);
        button->setDefaultAction(action);
        button->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
        button->setObjectName(action->objectName() + u"Button"_s);
        buttons->addWidget(button);
    }
    buttons->addStretch(1);
    column->addLayout(buttons);

    m_notice = wrapped(page, u"taskPanelNotice"_s);
    m_notice->hide();
    column->addWidget(m_notice);

    auto *runRow = new QHBoxLayout;
    runRow->setContentsMargins(0, 8, 0, 0);
    auto *runLabel = new QLabel(tr("Run"), page);
    QFont bold = runLabel->font();
    bold.setBold(true);
    runLabel->setFont(bold);
    runRow->addWidget(runLabel);
    m_runChooser = new QComboBox(page);
    m_runChooser->setObjectName(u"taskPanelRuns"_s);
    m_runChooser->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_runChooser->setToolTip(tr("Each time the task ran in this job, newest first"));
    runLabel->setBuddy(m_runChooser);
    runRow->addWidget(m_runChooser);
    runRow->addStretch(1);
    column->addLayout(runRow);
    connect(m_runChooser, &QComboBox::currentIndexChanged, this, &TaskPanel::showRun);

    m_timing = wrapped(page, u"taskPanelTiming"_s);
    column->addWidget(m_timing);
    m_error = wrapped(page, u"taskPanelError"_s);
    m_error->setAutoFillBackground(true);
    m_error->setContentsMargins(8, 6, 8, 6);
    m_error->hide();
    column->addWidget(m_error);

    m_incomingTitle = sectionTitle(tr("Incoming values"), page);
    column->addWidget(m_incomingTitle);
    m_incoming = new JsonView(page);
    m_incoming->setObjectName(u"taskPanelIncoming"_s);
    column->addWidget(m_incoming);
    m_wiring = wrapped(page, u"taskPanelWiring"_s);
    m_wiring->setForegroundRole(QPalette::PlaceholderText);
    column->addWidget(m_wiring);

    m_outgoingTitle = sectionTitle(tr("Outgoing values"), page);
    column->addWidget(m_outgoingTitle);
    m_outgoing = new JsonView(page);
    m_outgoing->setObjectName(u"taskPanelOutgoing"_s);
    column->addWidget(m_outgoing);
    m_adapterCall = new AdapterCallView(page);
    column->addWidget(m_adapterCall);

    column->addWidget(sectionTitle(tr("Next"), page));
    m_next = wrapped(page, u"taskPanelNext"_s);
    column->addWidget(m_next);
    column->addStretch(1);
    m_scroll->setWidget(page);
    changeEvent(nullptr);
}

TaskPanel::~TaskPanel()
{
    if (m_reply)
        m_reply->deleteLater();
    if (m_action)
        m_action->deleteLater();
}

void TaskPanel::createActions()
{
    auto make = [this](const QString &name, const QString &text, const QKeySequence &key,
                       const QString &tip) {
        auto *action = new QAction(text, this);
        action->setObjectName(name);
        action->setShortcut(key);
        action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        action->setToolTip(u"%1 (%2)"_s.arg(tip, key.toString(QKeySequence::NativeText)));
        action->setEnabled(false);
        addAction(action);
        return action;
    };
    m_work = make(u"actionTaskWork"_s, tr("Work this task"), QKeySequence(u"Ctrl+Shift+W"_s),
                  tr("Open this manual task's form in My tasks"));
    m_retry = make(u"actionTaskRetry"_s, tr("Retry"), QKeySequence(u"Ctrl+Shift+R"_s),
                   tr("Run this task again, and what follows it"));
    m_continue =
        make(u"actionTaskContinue"_s, tr("Continue from here"), QKeySequence(u"Ctrl+Shift+F"_s),
             tr("Run the job on from this task, skipping what is stuck"));
    connect(m_work, &QAction::triggered, this, [this] {
        // The newest run is the one waiting; the inbox opens it by its iteration id.
        const QString iteration =
            m_runs.empty() ? QString() : jsonfields::text(m_runs.front(), "_id");
        Q_EMIT workRequested(m_jobId, m_taskKey, iteration);
    });
    connect(m_retry, &QAction::triggered, this, [this] { act(u"retry"_s, m_retry); });
    connect(m_continue, &QAction::triggered, this, [this] { act(u"continue"_s, m_continue); });
}

void TaskPanel::changeEvent(QEvent *event)
{
    if (!event || event->type() == QEvent::PaletteChange) {
        const QPalette pal = palette();
        m_work->setIcon(themedicon::make(u"action-open"_s, pal));
        m_retry->setIcon(themedicon::make(u"action-retry"_s, pal));
        m_continue->setIcon(themedicon::make(u"action-resume"_s, pal));
        // The error box: a light red tint over the window, readable in either palette.
        const QColor tint = jobstatus::color(u"error"_s);
        const QColor window = pal.color(QPalette::Window);
        const float a = 0.12f;
        QPalette box = m_error->palette();
        box.setColor(QPalette::Window,
                     QColor::fromRgbF(float(window.redF()) * (1 - a) + float(tint.redF()) * a,
                                      float(window.greenF()) * (1 - a) + float(tint.greenF()) * a,
                                      float(window.blueF()) * (1 - a) + float(tint.blueF()) * a));
        m_error->setPalette(box);
        if (!m_taskKey.isEmpty())
            showSummary();
    }
    if (event)
        QWidget::changeEvent(event);
}

void TaskPanel::showTask(const json &job, const QString &taskKey)
{
    const QString jobId = jsonfields::text(job, "_id");
    const bool other = jobId != m_jobId || taskKey != m_taskKey;
    m_job = job;
    m_jobId = jobId;
    m_taskKey = taskKey;
    const json &tasks = member(job, "tasks");
    m_task = taskKey.isEmpty() ? json() : member(tasks, taskKey.toUtf8().constData());
    if (m_task.is_null()) {
        m_taskKey.clear();
        m_runs = json::array();
        m_runsSignature.clear();
        if (m_reply)
            m_reply->deleteLater();
        m_scroll->hide();
        m_placeholder->show();
        updateActions();
        return;
    }
    if (other) {
        m_runs = json::array();
        setNotice({}, false);
    }
    m_placeholder->hide();
    m_scroll->show();
    showSummary();
    // The runs change when the task runs again, finishes, or is claimed; the document says so
    // through its iterations, status, owner and metrics.
    const std::string signature = json{member(m_task, "iterations"), member(m_task, "status"),
                                       member(m_task, "owner"), member(m_task, "metrics")}
                                      .dump();
    if (other || signature != m_runsSignature) {
        m_runsSignature = signature;
        if (member(m_task, "iterations").empty()) {
            // Not reached: there is nothing to fetch.
            if (m_reply)
                m_reply->deleteLater();
            m_runs = json::array();
            m_runChooser->clear();
        } else {
            fetchRuns();
        }
        if (other || m_runs.empty())
            showRun(-1);
    }
}

void TaskPanel::fetchRuns()
{
    if (m_reply)
        m_reply->deleteLater();
    ApiReply *reply = m_client.call(taskrunrequests::runs(m_jobId, m_taskKey));
    m_reply = reply;
    connect(reply, &ApiReply::finished, this, [this, reply] { onRuns(reply); });
}

void TaskPanel::onRuns(ApiReply *reply)
{
    reply->deleteLater();
    if (reply != m_reply)
        return;
    m_reply = nullptr;
    const api::ApiResponse &response = reply->response();
    const json page = response.json.is_object() ? response.json.value("data", json()) : json();
    if (!response.ok() || !page.is_array()) {
        const QString message = jsonfields::text(response.json, "message");
        setNotice(tr("The runs of this task could not be loaded: %1")
                      .arg(message.isEmpty() ? tr("the engine answered %1").arg(response.status)
                                             : message),
                  true);
        return;
    }
    // Keep the operator on the run they picked when a live update brings a new one in.
    const QString picked =
        m_runChooser->currentIndex() > 0 ? m_runChooser->currentData().toString() : QString();
    m_runs = page;
    const QSignalBlocker blocker(m_runChooser);
    m_runChooser->clear();
    const int total = int(m_runs.size());
    int current = 0;
    for (int i = 0; i < total; ++i) {
        const json &run = m_runs[std::size_t(i)];
        const qint64 start = millis(member(run, "metrics"), "start_time");
        QString label = tr("%1 of %2").arg(total - i).arg(total);
        const QString status = jsonfields::text(run, "status");
        if (!status.isEmpty())
            label += u" · "_s + statusWords(run);
        if (start > 0)
            label += u" · "_s + jobtime::timestamp(start);
        m_runChooser->addItem(jobstatus::icon(status == u"failure"_s ? u"error"_s : status), label,
                              jsonfields::text(run, "_id"));
        if (!picked.isEmpty() && jsonfields::text(run, "_id") == picked)
            current = i;
    }
    m_runChooser->setCurrentIndex(total > 0 ? current : -1);
    showRun(total > 0 ? current : -1);
    updateActions();
}

QString TaskPanel::taskName(const QString &key) const
{
    if (key == u"workflow_end"_s)
        return tr("the end of the workflow");
    const json &task = member(member(m_job, "tasks"), key.toUtf8().constData());
    return u"“%1”"_s.arg(jobhistory::taskName(task, key));
}

void TaskPanel::showSummary()
{
    const QString status = jsonfields::text(m_task, "status");
    const int iconSize = m_title->fontMetrics().height();
    m_statusIcon->setPixmap(
        jobstatus::icon(status == u"failure"_s ? u"error"_s : status).pixmap(iconSize, iconSize));
    m_title->setText(jobhistory::taskName(m_task, m_taskKey));
    QStringList what;
    const QString method = jsonfields::text(m_task, "name");
    if (!method.isEmpty())
        what << method;
    const QString app = jsonfields::text(m_task, "app");
    if (!app.isEmpty())
        what << app;
    what << (jsonfields::text(m_task, "type") == u"manual"_s ? tr("manual task")
                                                             : tr("automatic task"));
    what << tr("key %1").arg(m_taskKey);
    m_subtitle->setText(what.join(u"  ·  "_s));
    m_status->setText(statusText());
    m_incomingTitle->setToolTip(
        tr("The values the task ran with, after the engine resolved its variables"));
    m_wiring->setText(wiringText());
    m_wiring->setVisible(!m_wiring->text().isEmpty());
    updateActions();
}

QString TaskPanel::statusText() const
{
    if (m_taskKey.isEmpty())
        return {};
    QString text = statusWords(m_task);
    const int runs = int(member(m_task, "iterations").size());
    if (runs > 1)
        text += u" · "_s + tr("ran %1 times").arg(runs);
    // A job in error stopped because a task finished with a result that no transition
    // follows (the engine's "no available transitions"); say so where the operator looks.
    const QString finish = jsonfields::text(member(m_task, "metrics"), "finish_state").isEmpty()
                               ? jsonfields::text(m_task, "status")
                               : jsonfields::text(member(m_task, "metrics"), "finish_state");
    const bool ended = finish == u"error"_s || finish == u"failure"_s;
    if (jsonfields::text(m_job, "status") == u"error"_s && ended) {
        const json &out = member(member(m_task, "transitions"), finish.toUtf8().constData());
        // The job's header says why it stopped; here, what the operator can do about it.
        if (!out.is_array() || out.empty())
            text += u"\n"_s + tr("The job stopped here: nothing follows its %1. Retry it, "
                                 "continue the job from another task, or add a %1 transition "
                                 "to the workflow.")
                                  .arg(finish);
    }
    return text;
}

QString TaskPanel::wiringText() const
{
    QStringList lines;
    const json &incoming = member(member(m_task, "variables"), "incoming");
    if (!incoming.is_object())
        return {};
    for (auto it = incoming.begin(); it != incoming.end(); ++it) {
        const auto [source, name] = reference(*it);
        if (source.isEmpty())
            continue;
        const QString variable = QString::fromStdString(it.key());
        lines << (source == u"job"_s ? tr("%1 ← job variable %2").arg(variable, name)
                                     : tr("%1 ← %2 of %3").arg(variable, name, taskName(source)));
    }
    return lines.isEmpty() ? QString() : tr("Wired from:") + u"\n"_s + lines.join(u'\n');
}

QString TaskPanel::nextText(const json &run) const
{
    const json &transitions = member(m_task, "transitions");
    const QString finish = jsonfields::text(run, "finish_state").isEmpty()
                               ? jsonfields::text(member(run, "metrics"), "finish_state")
                               : jsonfields::text(run, "finish_state");
    QStringList lines;
    for (const char *state : {"success", "failure", "error"}) {
        const json &out = member(transitions, state);
        if (!out.is_array())
            continue;
        const bool followed = finish == QLatin1String(state);
        for (const json &edge : out) {
            const QString target = jsonfields::text(edge, "task");
            if (target.isEmpty())
                continue;
            QString line = tr("On %1 → %2").arg(QLatin1String(state), taskName(target));
            if (jsonfields::text(edge, "type") == u"revert"_s)
                line += u" "_s + tr("(goes back)");
            if (followed)
                line += u"  ✓ "_s + tr("taken");
            lines << line;
        }
    }
    if (lines.isEmpty())
        return tr("No transition leaves this task.");
    return lines.join(u'\n');
}

QString TaskPanel::timingText(const json &run) const
{
    const json &metrics = member(run, "metrics");
    const qint64 start = millis(metrics, "start_time");
    const qint64 end = millis(metrics, "end_time");
    QStringList timing;
    if (start > 0)
        timing << tr("Started %1").arg(jobtime::preciseTimestamp(start));
    if (end > 0)
        timing << tr("ended %1").arg(jobtime::preciseTimestamp(end).mid(11));
    if (start > 0) {
        const qint64 took = (end > 0 ? end : QDateTime::currentMSecsSinceEpoch()) - start;
        timing << (end > 0 ? tr("took %1") : tr("running for %1")).arg(jobtime::duration(took));
    }
    const QString owner = jsonfields::text(metrics, "owner").isEmpty()
                              ? jsonfields::text(run, "owner")
                              : jsonfields::text(metrics, "owner");
    if (!owner.isEmpty())
        timing << (end > 0 ? tr("worked by %1") : tr("claimed by %1")).arg(owner);
    const QString user = jsonfields::text(metrics, "user");
    if (!user.isEmpty() && owner.isEmpty())
        timing << tr("job started by %1").arg(user);
    return timing.join(u"  ·  "_s);
}

void TaskPanel::tick()
{
    // Only a run still going has a clock that moves.
    if (m_shownRun < 0 || m_shownRun >= int(m_runs.size()))
        return;
    const json &run = m_runs[std::size_t(m_shownRun)];
    if (millis(member(run, "metrics"), "end_time") > 0)
        return;
    m_timing->setText(timingText(run));
}

void TaskPanel::showRun(int index)
{
    const bool has = index >= 0 && index < int(m_runs.size());
    const json run = has ? m_runs[std::size_t(index)] : json::object();
    m_runChooser->setVisible(has);
    m_shownRun = -1;
    if (!has) {
        m_timing->setText(isLoading() ? tr("Loading its runs…") : tr("It has not run yet."));
        m_error->hide();
        m_incoming->setJson(json::object());
        m_outgoing->setJson(json::object());
        m_incomingTitle->hide();
        m_incoming->hide();
        m_outgoingTitle->hide();
        m_outgoing->hide();
        m_adapterCall->showCall(nullptr);
        m_next->setText(nextText(json::object()));
        return;
    }
    m_shownRun = index;
    m_timing->setText(timingText(run));

    const json &error = member(run, "error");
    const bool hasError =
        !error.is_null() && !(error.is_string() && error.get<std::string>().empty());
    m_error->setText(hasError ? tr("Error: %1").arg(jobhistory::errorText(error)) : QString());
    m_error->setVisible(hasError);

    const json &incoming = member(run, "incoming");
    m_incoming->setJson(incoming.is_object() ? incoming : json::object());
    const bool showIncoming = incoming.is_object() && !incoming.empty();
    m_incomingTitle->setVisible(showIncoming);
    m_incoming->setVisible(showIncoming);
    const json &outgoing = member(run, "outgoing");
    const bool showOutgoing = outgoing.is_object() && !outgoing.empty();
    m_outgoing->setJson(showOutgoing ? outgoing : json::object());
    m_outgoingTitle->setVisible(showOutgoing);
    m_outgoing->setVisible(showOutgoing);
    m_adapterCall->showCall(member(run, "call"));
    m_next->setText(nextText(run));
}

void TaskPanel::updateActions()
{
    const QString jobStatus = jsonfields::text(m_job, "status");
    const QString status = jsonfields::text(m_task, "status");
    const bool known = !m_taskKey.isEmpty();
    const bool waiting = known && jsonfields::text(m_task, "type") == u"manual"_s &&
                         status == u"running"_s && !m_runs.empty();
    const bool failed = status == u"error"_s || status == u"failure"_s;
    const bool busy = !m_action.isNull();
    m_work->setEnabled(!busy && waiting);
    m_retry->setEnabled(!busy && known && failed && !jobstatus::isFinished(jobStatus));
    m_continue->setEnabled(!busy && known && status != u"running"_s &&
                           (jobStatus == u"error"_s || jobStatus == u"paused"_s));
    // The buttons that cannot act say why, where the operator looks for it.
    m_retry->setStatusTip(failed ? QString()
                                 : tr("Only a task in error or failure can be retried"));
}

void TaskPanel::act(const QString &what, QAction *action)
{
    if (!action->isEnabled() || m_action)
        return;
    const api::ApiRequest request = what == u"retry"_s
                                        ? taskrunrequests::retry(m_jobId, m_taskKey)
                                        : taskrunrequests::continueFrom(m_jobId, m_taskKey);
    ApiReply *reply = m_client.call(request);
    m_action = reply;
    updateActions();
    const QString jobId = m_jobId;
    const QString name = m_title->text();
    connect(reply, &ApiReply::finished, this, [this, reply, what, jobId, name] {
        reply->deleteLater();
        m_action = nullptr;
        const api::ApiResponse &response = reply->response();
        if (response.ok()) {
            setNotice(what == u"retry"_s ? tr("“%1” is running again.").arg(name)
                                         : tr("The job continues from “%1”.").arg(name),
                      false);
            Q_EMIT jobActedOn(jobId);
        } else {
            const QString message = jsonfields::text(response.json, "message");
            setNotice((what == u"retry"_s ? tr("Could not retry “%1”: %2")
                                          : tr("Could not continue from “%1”: %2"))
                          .arg(name, message.isEmpty()
                                         ? tr("the engine answered %1").arg(response.status)
                                         : message),
                      true);
        }
        updateActions();
    });
}

void TaskPanel::setNotice(const QString &text, bool problem)
{
    m_notice->setText(text);
    m_notice->setVisible(!text.isEmpty());
    QPalette pal = palette();
    if (problem)
        pal.setColor(QPalette::WindowText, jobstatus::color(u"error"_s));
    m_notice->setPalette(pal);
}

QString TaskPanel::noticeText() const
{
    return m_notice->isHidden() ? QString() : m_notice->text();
}

} // namespace flowdeck::ui
