// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/jobs/JobDetail.h"
#include "ui/client/JsonFields.h"

#include "ui/canvas/WorkflowCanvas.h"
#include "ui/client/ConsoleClient.h"
#include "ui/jobs/JobHistory.h"
#include "ui/jobs/JobRequests.h"
#include "ui/jobs/JobStatus.h"
#include "ui/jobs/JobTime.h"
#include "ui/jobs/JsonTreeModel.h"
#include "ui/jobs/TaskPanel.h"
#include "ui/jobs/ThemedIcon.h"

#include <QAction>
#include <QDateTime>
#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QSplitter>
#include <QStackedWidget>
#include <QTabWidget>
#include <QToolButton>
#include <QTreeView>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace flowdeck::ui {

using namespace Qt::StringLiterals;
using jsonfields::millis;
using nlohmann::json;

namespace {

constexpr int kLiveDelayMs = 150;
/// The newest events the History tab shows (the event log's largest page).
constexpr int kHistoryLimit = 500;
/// Where a task row keeps its run's start and end (ms since the epoch; 0 when none), so the
/// clock can move its duration on without the document.
constexpr int kStartRole = Qt::UserRole + 1;
constexpr int kEndRole = Qt::UserRole + 2;

QTreeWidget *makeList(const QStringList &headers, QWidget *parent)
{
    auto *list = new QTreeWidget(parent);
    list->setHeaderLabels(headers);
    list->setRootIsDecorated(false);
    list->setUniformRowHeights(true);
    list->setAlternatingRowColors(true);
    list->setFrameShape(QFrame::NoFrame);
    list->setEditTriggers(QAbstractItemView::NoEditTriggers);
    list->header()->setStretchLastSection(true);
    list->setTextElideMode(Qt::ElideRight);
    return list;
}

/// Task keys in canvas reading order would need the grid; the start time is what an operator
/// follows in a list, with tasks not reached after those that ran.
bool runsBefore(const json &a, const json &b)
{
    const qint64 sa = millis(a.value("metrics", json::object()), "start_time");
    const qint64 sb = millis(b.value("metrics", json::object()), "start_time");
    if ((sa > 0) != (sb > 0))
        return sa > 0;
    return sa < sb;
}

} // namespace

JobDetail::JobDetail(ConsoleClient &client, QWidget *parent) : QWidget(parent), m_client(client)
{
    m_liveTimer.setSingleShot(true);
    m_liveTimer.setInterval(kLiveDelayMs);
    connect(&m_liveTimer, &QTimer::timeout, this, &JobDetail::reload);
    // While the job runs its durations move on by the clock, not only when an event arrives.
    m_tick.setInterval(1000);
    connect(&m_tick, &QTimer::timeout, this, &JobDetail::tick);
    connect(&m_client, &ConsoleClient::jobChanged, this, [this](const QString &jobId) {
        if (!m_jobId.isEmpty() && jobId == m_jobId && !m_liveTimer.isActive())
            m_liveTimer.start();
    });

    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->setSpacing(0);
    m_stack = new QStackedWidget(this);
    outer->addWidget(m_stack);

    m_message = new QLabel(m_stack);
    m_message->setObjectName(u"jobDetailMessage"_s);
    m_message->setAlignment(Qt::AlignCenter);
    m_message->setWordWrap(true);
    m_message->setForegroundRole(QPalette::PlaceholderText);
    m_message->setText(tr("No job selected."));
    m_stack->addWidget(m_message);

    m_page = new QWidget(m_stack);
    auto *layout = new QVBoxLayout(m_page);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    m_stack->addWidget(m_page);
    createHeader();

    // The problems strip: why the job stopped in one line (the canvas marks the task, the
    // task panel gives the detail), then the engine's warnings.
    m_problemStrip = new QWidget(m_page);
    m_problemStrip->setObjectName(u"jobProblemStrip"_s);
    m_problemStrip->setAutoFillBackground(true);
    auto *strip = new QHBoxLayout(m_problemStrip);
    strip->setContentsMargins(16, 6, 12, 6);
    m_problems = new QLabel(m_problemStrip);
    m_problems->setObjectName(u"jobProblems"_s);
    m_problems->setWordWrap(true);
    m_problems->setTextFormat(Qt::PlainText);
    m_problems->setTextInteractionFlags(Qt::TextSelectableByMouse);
    strip->addWidget(m_problems, 1);
    m_showProblem = new QToolButton(m_problemStrip);
    m_showProblem->setObjectName(u"jobShowProblem"_s);
    m_showProblem->setText(tr("Show the task"));
    m_showProblem->setToolTip(tr("Select the task where the job stopped and bring it into view"));
    m_showProblem->setAutoRaise(true);
    connect(m_showProblem, &QToolButton::clicked, this, [this] {
        const QStringList keys = m_canvas->problemTasks();
        if (keys.isEmpty())
            return;
        selectTaskRow(keys.first());
        m_canvas->selectTask(keys.first());
        m_canvas->showProblem();
    });
    strip->addWidget(m_showProblem, 0, Qt::AlignTop);
    m_problemStrip->hide();
    layout->addWidget(m_problemStrip);

    m_splitter = new QSplitter(Qt::Horizontal, m_page);
    m_splitter->setObjectName(u"jobDetailSplitter"_s);
    m_splitter->setChildrenCollapsible(false);
    layout->addWidget(m_splitter, 1);

    m_canvas = new canvas::WorkflowCanvas(m_splitter);
    m_canvas->setObjectName(u"jobCanvas"_s);
    m_canvas->setMinimumWidth(320);

    m_tabs = new QTabWidget(m_splitter);
    m_tabs->setObjectName(u"jobTabs"_s);
    m_tabs->setDocumentMode(true);
    m_tabs->setMinimumWidth(300);

    // The Tasks tab: the list above, the selected task's panel below it.
    m_taskSplitter = new QSplitter(Qt::Vertical, m_tabs);
    m_taskSplitter->setObjectName(u"jobTaskSplitter"_s);
    m_taskSplitter->setChildrenCollapsible(false);
    m_tasks = makeList({tr("Task"), tr("Status"), tr("Duration"), tr("Owner")}, m_taskSplitter);
    m_tasks->setObjectName(u"jobTasks"_s);
    m_tasks->setMinimumHeight(80);
    m_tasks->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_tasks->header()->setStretchLastSection(false);
    for (int c = 1; c < 4; ++c)
        m_tasks->header()->setSectionResizeMode(c, QHeaderView::ResizeToContents);
    m_panel = new TaskPanel(m_client, m_taskSplitter);
    // The task's keys (work, retry, continue) act wherever the focus is in the job, not only
    // inside the panel: on the canvas, in the task list, in the history.
    addActions({m_panel->workAction(), m_panel->retryAction(), m_panel->continueAction()});
    m_panel->setObjectName(u"taskPanel"_s);
    m_panel->setMinimumHeight(120);
    m_taskSplitter->addWidget(m_tasks);
    m_taskSplitter->addWidget(m_panel);
    m_taskSplitter->setStretchFactor(0, 2);
    m_taskSplitter->setStretchFactor(1, 3);
    m_taskSplitter->setSizes({220, 420});
    m_tabs->addTab(m_taskSplitter, tr("Tasks"));
    connect(m_panel, &TaskPanel::workRequested, this, &JobDetail::workTaskRequested);
    connect(m_panel, &TaskPanel::jobActedOn, this, [this](const QString &jobId) {
        if (jobId == m_jobId)
            reload();
    });

    m_variables = new JsonTreeModel(this);
    m_variablesView = new QTreeView(m_tabs);
    m_variablesView->setObjectName(u"jobVariables"_s);
    m_variablesView->setModel(m_variables);
    m_variablesView->setUniformRowHeights(true);
    m_variablesView->setAlternatingRowColors(true);
    m_variablesView->setFrameShape(QFrame::NoFrame);
    m_variablesView->setTextElideMode(Qt::ElideRight);
    m_variablesView->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_tabs->addTab(m_variablesView, tr("Variables"));

    m_history = makeList({tr("Time"), tr("What happened")}, m_tabs);
    m_history->setObjectName(u"jobHistory"_s);
    m_history->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_tabs->addTab(m_history, tr("History"));

    m_splitter->addWidget(m_canvas);
    m_splitter->addWidget(m_tabs);
    m_splitter->setStretchFactor(0, 1);
    m_splitter->setStretchFactor(1, 0);
    m_splitter->setSizes({680, 520});

    connect(m_canvas, &canvas::WorkflowCanvas::taskSelected, this, &JobDetail::selectTaskRow);
    connect(m_tasks, &QTreeWidget::itemSelectionChanged, this, [this] {
        const QList<QTreeWidgetItem *> items = m_tasks->selectedItems();
        const QString key =
            items.isEmpty() ? QString() : items.first()->data(0, Qt::UserRole).toString();
        if (!key.isEmpty())
            m_canvas->selectTask(key);
        showTaskPanel(key);
    });
    updateIcons();
}

JobDetail::~JobDetail()
{
    if (m_reply)
        m_reply->deleteLater();
    if (m_historyReply)
        m_historyReply->deleteLater();
}

void JobDetail::createHeader()
{
    auto *header = new QWidget(m_page);
    header->setObjectName(u"jobHeader"_s);
    auto *row = new QHBoxLayout(header);
    row->setContentsMargins(8, 8, 12, 8);
    row->setSpacing(8);

    auto make = [this](const QString &name, const QString &text, const QString &tip) {
        auto *action = new QAction(text, this);
        action->setObjectName(name);
        action->setToolTip(tip);
        return action;
    };
    m_backAction = make(u"actionJobBack"_s, tr("Jobs"), tr("Back to the jobs (Esc)"));
    m_backAction->setShortcut(QKeySequence(Qt::Key_Escape));
    m_backAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    addAction(m_backAction);
    connect(m_backAction, &QAction::triggered, this, &JobDetail::backRequested);
    m_pauseAction = make(u"actionJobPause"_s, tr("Pause"), tr("Pause this job"));
    m_resumeAction = make(u"actionJobResume"_s, tr("Resume"), tr("Resume this job"));
    m_cancelAction = make(u"actionJobCancel"_s, tr("Cancel Job"), tr("Cancel this job"));
    const std::pair<QAction *, QString> verbs[] = {
        {m_pauseAction, u"pause"_s}, {m_resumeAction, u"resume"_s}, {m_cancelAction, u"cancel"_s}};
    for (const auto &[action, verb] : verbs)
        connect(action, &QAction::triggered, this,
                [this, verb] { Q_EMIT actionRequested(verb, m_jobId); });

    auto *back = new QToolButton(header);
    back->setObjectName(u"jobBackButton"_s);
    back->setDefaultAction(m_backAction);
    back->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    back->setAutoRaise(true);
    row->addWidget(back);

    auto *titles = new QVBoxLayout;
    titles->setSpacing(2);
    auto *titleRow = new QHBoxLayout;
    titleRow->setSpacing(8);
    m_title = new QLabel(header);
    m_title->setObjectName(u"jobTitle"_s);
    QFont font = m_title->font();
    font.setBold(true);
    font.setPointSizeF(font.pointSizeF() * 1.25);
    m_title->setFont(font);
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    titleRow->addWidget(m_title);
    m_statusIcon = new QLabel(header);
    titleRow->addWidget(m_statusIcon);
    m_status = new QLabel(header);
    m_status->setObjectName(u"jobStatus"_s);
    titleRow->addWidget(m_status);
    // A test run says so beside its status: its results are partly made up.
    m_testRun = new QLabel(tr("Test run"), header);
    m_testRun->setObjectName(u"jobTestRun"_s);
    m_testRun->setToolTip(tr("Started with mocked results for some tasks: they did not run"));
    m_testRun->setContentsMargins(6, 0, 6, 0);
    m_testRun->hide();
    titleRow->addWidget(m_testRun);
    titleRow->addStretch(1);
    titles->addLayout(titleRow);
    m_meta = new QLabel(header);
    m_meta->setObjectName(u"jobMeta"_s);
    m_meta->setForegroundRole(QPalette::PlaceholderText);
    m_meta->setTextInteractionFlags(Qt::TextSelectableByMouse);
    titles->addWidget(m_meta);
    // Why the job runs, in the words of whoever started it ("CHG0031877, night window").
    m_description = new QLabel(header);
    m_description->setObjectName(u"jobDescription"_s);
    m_description->setWordWrap(true);
    m_description->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_description->hide();
    titles->addWidget(m_description);
    row->addLayout(titles, 1);

    for (QAction *action : {m_pauseAction, m_resumeAction, m_cancelAction}) {
        auto *button = new QToolButton(header);
        button->setDefaultAction(action);
        button->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
        row->addWidget(button);
    }
    static_cast<QVBoxLayout *>(m_page->layout())->addWidget(header);
}

void JobDetail::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange)
        updateIcons();
    QWidget::changeEvent(event);
}

void JobDetail::updateIcons()
{
    const QPalette pal = palette();
    m_backAction->setIcon(themedicon::make(u"action-back"_s, pal));
    m_pauseAction->setIcon(themedicon::make(u"action-pause"_s, pal));
    m_resumeAction->setIcon(themedicon::make(u"action-resume"_s, pal));
    m_cancelAction->setIcon(themedicon::make(u"action-cancel"_s, pal));
    // The badge: the amber of "a person should look", outlined, readable in either palette.
    const QColor amber(0xb7791f);
    m_testRun->setStyleSheet(
        u"#jobTestRun { color: %1; border: 1px solid %1; border-radius: 4px; }"_s.arg(
            pal.color(QPalette::Window).lightnessF() < 0.5 ? amber.lighter(150).name()
                                                           : amber.name()));
    tintProblems();
}

void JobDetail::tintProblems()
{
    const QPalette pal = palette();
    // The problems strip: a light tint over the window colour, readable in either palette.
    // Errors tint red; warnings alone tint amber, the colour of "a person should look".
    const QColor tint = m_problemsAreErrors ? jobstatus::color(u"error"_s) : QColor(0xb7791f);
    const QColor window = pal.color(QPalette::Window);
    const qreal a = 0.12;
    QPalette strip = m_problemStrip->palette();
    strip.setColor(QPalette::Window,
                   QColor::fromRgbF(float(window.redF() * (1 - a) + tint.redF() * a),
                                    float(window.greenF() * (1 - a) + tint.greenF() * a),
                                    float(window.blueF() * (1 - a) + tint.blueF() * a)));
    m_problemStrip->setPalette(strip);
}

void JobDetail::showJob(const QString &jobId)
{
    if (jobId == m_jobId && !m_document.is_null()) {
        reload();
        return;
    }
    m_jobId = jobId;
    m_document = json();
    m_historyFromEvents = false;
    m_history->clear();
    m_panel->showTask(json(), {});
    if (jobId.isEmpty()) {
        m_message->setText(tr("No job selected."));
        m_stack->setCurrentWidget(m_message);
        return;
    }
    m_message->setText(tr("Loading the job…"));
    m_stack->setCurrentWidget(m_message);
    reload();
}

void JobDetail::reload()
{
    if (m_jobId.isEmpty())
        return;
    if (m_reply)
        m_reply->deleteLater();
    ApiReply *reply = m_client.call(jobrequests::job(m_jobId));
    m_reply = reply;
    const QString jobId = m_jobId;
    connect(reply, &ApiReply::finished, this, [this, reply, jobId] { onReply(reply, jobId); });
}

void JobDetail::onReply(ApiReply *reply, const QString &jobId)
{
    reply->deleteLater();
    if (reply != m_reply || jobId != m_jobId)
        return;
    const api::ApiResponse &response = reply->response();
    const json payload = response.json.is_object() ? response.json.value("data", json()) : json();
    if (!response.ok() || !payload.is_object()) {
        const QString message = jsonfields::text(response.json, "message");
        m_message->setText(response.status == 404
                               ? tr("This job no longer exists.")
                               : tr("The job could not be loaded.\n%1")
                                     .arg(message.isEmpty()
                                              ? tr("The engine answered %1.").arg(response.status)
                                              : message));
        m_stack->setCurrentWidget(m_message);
        return;
    }
    const bool sameJob = !m_document.is_null();
    m_document = payload;
    showDocument(payload, sameJob);
    Q_EMIT jobLoaded(jobId);
}

void JobDetail::fillMeta(const json &doc)
{
    const json metrics = doc.value("metrics", json::object());
    QStringList meta;
    const qint64 start = millis(metrics, "start_time");
    const qint64 end = millis(metrics, "end_time");
    const QString user = jsonfields::text(metrics, "user");
    if (start > 0)
        meta << (user.isEmpty() ? tr("Started %1").arg(jobtime::timestamp(start))
                                : tr("Started %1 by %2").arg(jobtime::timestamp(start), user));
    if (start > 0)
        meta << jobtime::duration((end > 0 ? end : QDateTime::currentMSecsSinceEpoch()) - start);
    if (metrics.contains("progress") && metrics["progress"].is_number())
        meta << tr("%1% done").arg(qRound(metrics["progress"].get<double>() * 100));
    QStringList groups;
    for (const json &g : doc.value("groups", json::array()))
        if (g.is_string())
            groups << QString::fromStdString(g.get<std::string>());
    if (!groups.isEmpty())
        meta << tr("Groups: %1").arg(groups.join(u", "_s));
    meta << jsonfields::text(doc, "_id");
    m_meta->setText(meta.join(u"  ·  "_s));
}

void JobDetail::tick()
{
    if (!isVisible() || m_document.is_null())
        return;
    fillMeta(m_document);
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    for (int i = 0; i < m_tasks->topLevelItemCount(); ++i) {
        QTreeWidgetItem *item = m_tasks->topLevelItem(i);
        const qint64 start = item->data(2, kStartRole).toLongLong();
        if (start > 0 && item->data(2, kEndRole).toLongLong() <= 0)
            item->setText(2, jobtime::duration(now - start));
    }
    m_panel->tick();
}

void JobDetail::showDocument(const json &doc, bool sameJob)
{
    m_stack->setCurrentWidget(m_page);
    const QString status = jsonfields::text(doc, "status");
    // A running job that needs a person says so, as its row in the list does.
    bool waiting = false;
    const json tasks = doc.value("tasks", json::object());
    if (status == u"running"_s && tasks.is_object())
        for (const auto &[key, task] : tasks.items())
            waiting =
                waiting || (task.is_object() && jsonfields::text(task, "type") == u"manual"_s &&
                            jsonfields::text(task, "status") == u"running"_s &&
                            jsonfields::text(task, "owner").isEmpty());
    const QString shown = waiting ? jobrequests::kWaiting : status;
    m_title->setText(jsonfields::text(doc, "name"));
    const QString description = jsonfields::text(doc, "description");
    m_description->setText(description);
    m_description->setToolTip(description);
    m_description->setVisible(!description.isEmpty());
    m_status->setText(jobstatus::label(shown));
    m_testRun->setVisible(doc.value("testRun", false) == true);
    const int iconSize = m_status->fontMetrics().height();
    m_statusIcon->setPixmap(jobstatus::icon(shown).pixmap(iconSize, iconSize));

    fillMeta(doc);
    if (jobstatus::isFinished(status))
        m_tick.stop();
    else if (!m_tick.isActive())
        m_tick.start();

    m_pauseAction->setEnabled(status == u"running"_s);
    m_resumeAction->setEnabled(status == u"paused"_s);
    m_cancelAction->setEnabled(!jobstatus::isFinished(status));

    if (sameJob)
        m_canvas->updateJob(doc);
    else
        m_canvas->setJob(doc);
    fillProblems(doc);
    fillTasks(doc);
    // A job opened in error shows the task where it stopped: the panel holds the detail.
    const QStringList stuck = m_canvas->problemTasks();
    if (!sameJob && m_panel->taskKey().isEmpty() && !stuck.isEmpty())
        selectTaskRow(stuck.first());
    m_panel->showTask(doc, m_panel->taskKey());
    m_variables->setJson(doc.value("variables", json::object()));
    m_variablesView->expandToDepth(0);
    fillHistory(doc);
}

void JobDetail::fillProblems(const json &doc)
{
    // Only the job's present trouble: the document's error list keeps every error since the
    // start (each retry adds to it), which the History tab tells in order.
    QStringList lines;
    const bool stopped = jsonfields::text(doc, "status") == u"error"_s;
    const QString problem = stopped ? m_canvas->problemText() : QString();
    if (!problem.isEmpty())
        lines << problem;
    for (const json &warning : doc.value("warnings", json::array()))
        lines << tr("Warning: %1").arg(jobhistory::errorText(warning));
    m_problems->setText(lines.join(u'\n'));
    m_problemStrip->setVisible(!lines.isEmpty());
    m_showProblem->setVisible(!problem.isEmpty() && !m_canvas->problemTasks().isEmpty());
    m_problemsAreErrors = !problem.isEmpty();
    tintProblems();
}

void JobDetail::fillTasks(const json &doc)
{
    const QString selected = m_tasks->currentItem()
                                 ? m_tasks->currentItem()->data(0, Qt::UserRole).toString()
                                 : QString();
    const QSignalBlocker blocker(m_tasks);
    m_tasks->clear();
    const json tasks = doc.value("tasks", json::object());
    if (!tasks.is_object())
        return;
    std::vector<std::pair<std::string, const json *>> order;
    for (auto it = tasks.begin(); it != tasks.end(); ++it)
        if (it.key() != "workflow_start" && it.key() != "workflow_end" && it->is_object())
            order.emplace_back(it.key(), &*it);
    std::stable_sort(order.begin(), order.end(),
                     [](const auto &a, const auto &b) { return runsBefore(*a.second, *b.second); });
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    for (const auto &[keyStd, task] : order) {
        const QString key = QString::fromStdString(keyStd);
        const QString status = jsonfields::text(*task, "status");
        const json tm = task->value("metrics", json::object());
        const qint64 start = millis(tm, "start_time");
        const qint64 end = millis(tm, "end_time");
        auto *item = new QTreeWidgetItem(m_tasks);
        item->setData(0, Qt::UserRole, key);
        item->setText(0, jobhistory::taskName(*task, key));
        const QString method = jsonfields::text(*task, "name");
        item->setToolTip(0, method.isEmpty() ? key : u"%1 · %2"_s.arg(method, key));
        const bool waiting = jsonfields::text(*task, "type") == u"manual"_s &&
                             status == u"running"_s && jsonfields::text(*task, "owner").isEmpty();
        item->setText(1, waiting
                             ? tr("Waiting for an operator")
                             : (status.isEmpty() ? tr("Not reached") : jobstatus::label(status)));
        item->setIcon(1, jobstatus::icon(status == u"failure"_s ? u"error"_s : status));
        if (start > 0)
            item->setText(2, jobtime::duration((end > 0 ? end : now) - start));
        item->setData(2, kStartRole, start);
        item->setData(2, kEndRole, end);
        item->setText(3, jsonfields::text(*task, "owner"));
        if (key == selected)
            m_tasks->setCurrentItem(item);
    }
}

void JobDetail::fillHistory(const json &doc)
{
    // Until the event log answers (and if it cannot), the document's own account stands.
    if (!m_historyFromEvents)
        showHistory(jobhistory::fromDocument(doc), false);
    fetchHistory();
}

void JobDetail::fetchHistory()
{
    if (m_historyReply)
        m_historyReply->deleteLater();
    ApiReply *reply = m_client.call(jobrequests::jobEvents(m_jobId, kHistoryLimit));
    m_historyReply = reply;
    const QString jobId = m_jobId;
    connect(reply, &ApiReply::finished, this, [this, reply, jobId] {
        reply->deleteLater();
        if (reply != m_historyReply || jobId != m_jobId)
            return;
        m_historyReply = nullptr;
        const api::ApiResponse &response = reply->response();
        const json events =
            response.json.is_object() ? response.json.value("data", json()) : json();
        if (!response.ok() || !events.is_array())
            return; // the document's entries stay
        const json metadata = response.json.value("metadata", json::object());
        m_historyFromEvents = true;
        showHistory(jobhistory::fromEvents(m_document, events),
                    metadata.is_object() && metadata.value("more", false));
    });
}

void JobDetail::showHistory(const QVector<HistoryEntry> &entries, bool more)
{
    m_history->clear();
    for (const HistoryEntry &entry : entries) {
        auto *item = new QTreeWidgetItem(m_history);
        item->setText(0, entry.at > 0 ? jobtime::preciseTimestamp(entry.at).left(19) : QString());
        item->setText(1, entry.text);
        item->setToolTip(1, entry.text);
        item->setIcon(1, jobstatus::icon(entry.status));
    }
    if (more) {
        auto *item = new QTreeWidgetItem(m_history);
        item->setText(1, tr("Older events of this job are on the Events page."));
        item->setForeground(1, palette().brush(QPalette::PlaceholderText));
    }
}

void JobDetail::selectTaskRow(const QString &key)
{
    const QSignalBlocker blocker(m_tasks);
    m_tasks->clearSelection();
    showTaskPanel(key);
    for (int i = 0; i < m_tasks->topLevelItemCount(); ++i) {
        QTreeWidgetItem *item = m_tasks->topLevelItem(i);
        if (item->data(0, Qt::UserRole).toString() == key) {
            m_tasks->setCurrentItem(item);
            m_tasks->scrollToItem(item);
            m_tabs->setCurrentWidget(m_taskSplitter);
            return;
        }
    }
}

void JobDetail::showTaskPanel(const QString &key)
{
    if (key != m_panel->taskKey())
        m_panel->showTask(m_document, key);
}

} // namespace flowdeck::ui
