// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/jobs/JobsPage.h"

#include "ui/client/ConsoleClient.h"
#include "ui/client/Requests.h"
#include "ui/jobs/JobDetail.h"
#include "ui/jobs/JobStatus.h"
#include "ui/jobs/JobsModel.h"
#include "ui/jobs/ProgressDelegate.h"
#include "ui/jobs/ThemedIcon.h"
#include "ui/main/Prompter.h"
#include "ui/main/TableStyle.h"

#include <QAction>
#include <QComboBox>
#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMap>
#include <QMessageBox>
#include <QRegularExpression>
#include <QStackedWidget>
#include <QStyle>
#include <QTableView>
#include <QVBoxLayout>

namespace flowdeck::ui {

using namespace Qt::StringLiterals;
using nlohmann::json;

namespace {

constexpr int kWorkflowNamesLimit = 1000;
constexpr int kPollIntervalMs = 5000;

QString messageOf(const api::ApiResponse &response)
{
    if (response.json.is_object()) {
        const json message = response.json.value("message", json());
        if (message.is_string())
            return QString::fromStdString(message.get<std::string>());
    }
    return JobsPage::tr("The engine answered %1.").arg(response.status);
}

QString shortcutText(const QAction *action)
{
    return action->shortcut().toString(QKeySequence::NativeText);
}

} // namespace

JobsPage::JobsPage(ConsoleClient &client, QWidget *parent) : QWidget(parent), m_client(client)
{
    m_model = new JobsModel(m_client, this);
    m_filterTimer.setSingleShot(true);
    m_filterTimer.setInterval(kFilterDelayMs);
    connect(&m_filterTimer, &QTimer::timeout, this, &JobsPage::applyFilter);
    m_liveTimer.setSingleShot(true);
    m_liveTimer.setInterval(kLiveDelayMs);
    connect(&m_liveTimer, &QTimer::timeout, m_model, &JobsModel::reloadLoadedPages);
    // Another process (the command line, a second window, a peer on a shared database) sends
    // no events to this one: what is on screen is fetched again every few seconds while the
    // page shows. Between fetches, the durations of running jobs count up by the clock.
    m_pollTimer.setInterval(kPollIntervalMs);
    connect(&m_pollTimer, &QTimer::timeout, this, [this] {
        if (!isVisible())
            return;
        if (isShowingDetail()) {
            const json &doc = m_detail->document();
            if (doc.is_object() &&
                !jobstatus::isFinished(QString::fromStdString(doc.value("status", std::string()))))
                m_detail->reload();
        } else if (!m_liveTimer.isActive()) {
            m_model->reloadLoadedPages();
        }
    });
    m_pollTimer.start();
    m_clockTimer.setInterval(1000);
    connect(&m_clockTimer, &QTimer::timeout, this, [this] {
        if (isVisible() && !isShowingDetail())
            m_view->viewport()->update();
    });
    m_clockTimer.start();

    createActions();

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    m_stack = new QStackedWidget(this);
    layout->addWidget(m_stack);
    createListPage();
    m_detail = new JobDetail(m_client, m_stack);
    m_detail->setObjectName(u"jobDetail"_s);
    m_stack->addWidget(m_detail);
    connect(m_detail, &JobDetail::backRequested, this, &JobsPage::showList);
    connect(m_detail, &JobDetail::jobLoaded, this, &JobsPage::updateActions);
    connect(m_detail, &JobDetail::actionRequested, this,
            [this](const QString &verb, const QString &jobId) {
                const auto action = verb == u"pause"_s    ? jobrequests::BulkAction::Pause
                                    : verb == u"resume"_s ? jobrequests::BulkAction::Resume
                                                          : jobrequests::BulkAction::Cancel;
                runBulk(action, {jobId});
            });

    connect(m_model, &JobsModel::loaded, this, &JobsPage::onLoaded);
    connect(m_model, &JobsModel::loadFailed, this, [this](const QString &message) {
        if (m_model->rowCount() == 0) {
            m_message->setText(tr("The jobs could not be loaded.\n%1").arg(message));
            m_tableStack->setCurrentWidget(m_message);
        }
        m_count->clear();
        Q_EMIT statusMessage(tr("Loading jobs failed: %1").arg(message));
    });
    connect(m_model, &QAbstractItemModel::rowsInserted, this, &JobsPage::updateCount);
    connect(m_model, &QAbstractItemModel::rowsRemoved, this, &JobsPage::updateCount);
    connect(m_model, &QAbstractItemModel::dataChanged, this, &JobsPage::updateActions);
    connect(&m_client, &ConsoleClient::jobChanged, this,
            [this](const QString &jobId, const QString &status) {
                // The status is in the signal: show it at once; the rest follows in one
                // reload of what is on screen when the burst settles.
                m_model->applyStatus(jobId, status);
                if (!m_liveTimer.isActive())
                    m_liveTimer.start();
            });
    updateIcons();
    refresh();
}

JobsPage::~JobsPage() = default;

void JobsPage::createActions()
{
    auto make = [this](const QString &name, const QString &text, const QKeySequence &keys,
                       const QString &tip) {
        auto *action = new QAction(text, this);
        action->setObjectName(name);
        action->setShortcut(keys);
        // The page's keys work wherever the focus is inside the page, not on other pages.
        action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        action->setToolTip(u"%1 (%2)"_s.arg(tip, keys.toString(QKeySequence::NativeText)));
        action->setStatusTip(tip);
        addAction(action);
        m_actions.append(action);
        return action;
    };
    m_openAction = make(u"actionOpenJob"_s, tr("&Open Job"), QKeySequence(Qt::Key_Return),
                        tr("Show the selected job's canvas, tasks, variables and history"));
    // Return belongs to the table only: in the filter field it applies the filter.
    removeAction(m_openAction);
    m_openAction->setShortcutContext(Qt::WidgetShortcut);
    connect(m_openAction, &QAction::triggered, this, [this] {
        const QStringList ids = selectedJobIds();
        if (!ids.isEmpty())
            openJob(ids.first());
    });
    m_pauseAction = make(u"actionPauseJobs"_s, tr("&Pause"), QKeySequence(Qt::CTRL | Qt::Key_P),
                         tr("Pause the selected running jobs"));
    connect(m_pauseAction, &QAction::triggered, this,
            [this] { runBulk(jobrequests::BulkAction::Pause, targetJobIds()); });
    m_resumeAction =
        make(u"actionResumeJobs"_s, tr("&Resume"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_P),
             tr("Resume the selected paused jobs"));
    connect(m_resumeAction, &QAction::triggered, this,
            [this] { runBulk(jobrequests::BulkAction::Resume, targetJobIds()); });
    m_cancelAction = make(u"actionCancelJobs"_s, tr("&Cancel Jobs"),
                          QKeySequence(Qt::CTRL | Qt::Key_Delete), tr("Cancel the selected jobs"));
    connect(m_cancelAction, &QAction::triggered, this,
            [this] { runBulk(jobrequests::BulkAction::Cancel, targetJobIds()); });
    m_findAction = make(u"actionFindJobs"_s, tr("&Find Jobs"), QKeySequence::Find,
                        tr("Filter the jobs by name or description"));
    connect(m_findAction, &QAction::triggered, this, &JobsPage::focusFilter);
}

void JobsPage::createListPage()
{
    m_listPage = new QWidget(m_stack);
    auto *layout = new QVBoxLayout(m_listPage);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);

    auto *bar = new QWidget(m_listPage);
    bar->setObjectName(u"jobsFilterBar"_s);
    auto *row = new QHBoxLayout(bar);
    row->setContentsMargins(12, 10, 12, 10);
    row->setSpacing(8);
    auto *heading = new QLabel(tr("Jobs"), bar);
    heading->setObjectName(u"jobsHeading"_s);
    QFont font = heading->font();
    font.setBold(true);
    font.setPointSizeF(font.pointSizeF() * 1.1);
    heading->setFont(font);
    row->addWidget(heading);
    row->addSpacing(8);

    m_search = new QLineEdit(bar);
    m_search->setObjectName(u"jobSearch"_s);
    m_search->setClearButtonEnabled(true);
    m_search->setPlaceholderText(
        tr("Filter by name or description (%1)").arg(shortcutText(m_findAction)));
    m_search->setMinimumWidth(260);
    connect(m_search, &QLineEdit::textChanged, this, [this] { m_filterTimer.start(); });
    connect(m_search, &QLineEdit::returnPressed, this, &JobsPage::applyFilter);
    row->addWidget(m_search, 2);

    m_status = new QComboBox(bar);
    m_status->setObjectName(u"statusFilter"_s);
    m_status->setToolTip(tr("Show jobs in one status"));
    m_status->addItem(tr("All statuses"), QString());
    for (const QString &status : jobstatus::all())
        m_status->addItem(jobstatus::icon(status), jobstatus::label(status), status);
    connect(m_status, &QComboBox::currentIndexChanged, this, &JobsPage::applyFilter);
    row->addWidget(m_status);

    m_workflow = new QComboBox(bar);
    m_workflow->setObjectName(u"workflowFilter"_s);
    m_workflow->setToolTip(tr("Show jobs of one workflow"));
    m_workflow->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_workflow->setMinimumContentsLength(16);
    m_workflow->addItem(tr("All workflows"), QString());
    connect(m_workflow, &QComboBox::currentIndexChanged, this, &JobsPage::applyFilter);
    row->addWidget(m_workflow, 1);

    row->addStretch(0);
    m_count = new QLabel(bar);
    m_count->setObjectName(u"jobsCount"_s);
    m_count->setForegroundRole(QPalette::PlaceholderText);
    m_count->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    m_count->setMinimumWidth(m_count->fontMetrics().horizontalAdvance(u"1,000,000 jobs"_s));
    row->addWidget(m_count);
    layout->addWidget(bar);

    m_tableStack = new QStackedWidget(m_listPage);
    layout->addWidget(m_tableStack, 1);

    m_view = new QTableView(m_tableStack);
    m_view->setObjectName(u"jobsView"_s);
    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setShowGrid(false);
    m_view->setAlternatingRowColors(true);
    m_view->setWordWrap(false);
    m_view->setTextElideMode(Qt::ElideRight);
    m_view->setFrameShape(QFrame::NoFrame);
    m_view->setContextMenuPolicy(Qt::ActionsContextMenu);
    for (QAction *action : {m_openAction, m_pauseAction, m_resumeAction, m_cancelAction})
        m_view->addAction(action);
    TableStyle::apply(m_view);
    // Fixed row heights: with a million rows the view must never measure them.
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 14);
    m_view->setItemDelegateForColumn(JobsModel::ProgressColumn, new ProgressDelegate(m_view));
    QHeaderView *header = m_view->horizontalHeader();
    header->setHighlightSections(false);
    header->setSectionResizeMode(QHeaderView::Interactive);
    header->setSectionResizeMode(JobsModel::NameColumn, QHeaderView::Stretch);
    header->setMinimumSectionSize(60);
    const QFontMetrics fm = m_view->fontMetrics();
    auto width = [&fm](const QString &sample) { return fm.horizontalAdvance(sample) + 40; };
    // The widest status label, beside its icon, is never elided.
    int statusWidth = 0;
    for (const QString &status : jobstatus::all())
        statusWidth = std::max(statusWidth, width(jobstatus::label(status)));
    header->resizeSection(JobsModel::StatusColumn,
                          statusWidth + m_view->style()->pixelMetric(QStyle::PM_SmallIconSize) +
                              16);
    header->resizeSection(JobsModel::ProgressColumn, 150);
    header->resizeSection(JobsModel::StartedColumn, width(u"2026-11-23 14:02"_s));
    header->resizeSection(JobsModel::DurationColumn, width(u"12 min 59 s"_s));
    header->resizeSection(JobsModel::StartedByColumn, width(u"operator-name"_s));
    header->resizeSection(JobsModel::GroupsColumn, width(u"network-ops, audit"_s));
    header->setSortIndicator(JobsModel::StartedColumn, Qt::DescendingOrder);
    header->setSortIndicatorShown(true);
    header->setSectionsClickable(true);
    // Sorting is the server's: a header click becomes the model's sort(), never a local one.
    connect(header, &QHeaderView::sortIndicatorChanged, m_model,
            [this, header](int column, Qt::SortOrder order) {
                if (JobsModel::sortFieldFor(column).isEmpty()) {
                    // Not sortable: the arrow stays where the rows' order really comes from.
                    const QSignalBlocker blocker(header);
                    header->setSortIndicator(m_model->sortColumn(), m_model->sortOrder());
                    return;
                }
                m_model->sort(column, order);
            });
    m_tableStack->addWidget(m_view);

    m_message = new QLabel(m_tableStack);
    m_message->setObjectName(u"jobsMessage"_s);
    m_message->setAlignment(Qt::AlignCenter);
    m_message->setWordWrap(true);
    m_message->setForegroundRole(QPalette::PlaceholderText);
    m_message->setContentsMargins(24, 24, 24, 24);
    m_message->setText(tr("Loading jobs…"));
    m_tableStack->addWidget(m_message);
    m_tableStack->setCurrentWidget(m_message);

    connect(m_view, &QAbstractItemView::activated, this, [this](const QModelIndex &index) {
        const QString id = index.data(JobsModel::IdRole).toString();
        if (!id.isEmpty())
            openJob(id);
    });
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &JobsPage::updateActions);
    m_stack->addWidget(m_listPage);
    updateActions();
}

void JobsPage::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange)
        updateIcons();
    QWidget::changeEvent(event);
}

void JobsPage::updateIcons()
{
    const QPalette pal = palette();
    m_pauseAction->setIcon(themedicon::make(u"action-pause"_s, pal));
    m_resumeAction->setIcon(themedicon::make(u"action-resume"_s, pal));
    m_cancelAction->setIcon(themedicon::make(u"action-cancel"_s, pal));
    m_openAction->setIcon(themedicon::make(u"action-open"_s, pal));
    m_findAction->setIcon(themedicon::make(u"action-filter"_s, pal));
}

QStringList JobsPage::selectedJobIds() const
{
    QStringList ids;
    QModelIndexList rows = m_view->selectionModel()->selectedRows();
    std::sort(rows.begin(), rows.end(),
              [](const QModelIndex &a, const QModelIndex &b) { return a.row() < b.row(); });
    for (const QModelIndex &index : rows) {
        const QString id = index.data(JobsModel::IdRole).toString();
        if (!id.isEmpty())
            ids.append(id);
    }
    return ids;
}

QStringList JobsPage::targetJobIds() const
{
    // With a job open, the page's actions (toolbar and keys) act on that job, not on rows
    // of a table that is not on screen.
    if (isShowingDetail())
        return m_detail->jobId().isEmpty() ? QStringList() : QStringList{m_detail->jobId()};
    return selectedJobIds();
}

void JobsPage::updateActions()
{
    bool anyRunning = false;
    bool anyPaused = false;
    bool anyOpen = false;
    int count = 0;
    QStringList statuses;
    if (isShowingDetail()) {
        if (m_detail->document().is_object())
            statuses.append(
                QString::fromStdString(m_detail->document().value("status", std::string())));
    } else {
        for (const QModelIndex &index : m_view->selectionModel()->selectedRows())
            statuses.append(index.data(JobsModel::StatusRole).toString());
    }
    for (const QString &status : std::as_const(statuses)) {
        if (status.isEmpty())
            continue;
        ++count;
        anyRunning |= status == u"running"_s;
        anyPaused |= status == u"paused"_s;
        anyOpen |= !jobstatus::isFinished(status);
    }
    m_openAction->setEnabled(count > 0);
    m_pauseAction->setEnabled(anyRunning);
    m_resumeAction->setEnabled(anyPaused);
    m_cancelAction->setEnabled(anyOpen);
}

void JobsPage::updateCount()
{
    const int total = m_model->rowCount();
    m_count->setText(total == 1 ? tr("1 job") : tr("%1 jobs").arg(QLocale().toString(total)));
    // The count and the table or its empty message say the same thing at every moment: a
    // job that arrives live replaces "No jobs yet", and the last one leaving brings it back.
    if (total > 0) {
        m_tableStack->setCurrentWidget(m_view);
        return;
    }
    const jobrequests::JobFilter &filter = m_model->filter();
    const bool filtered =
        !filter.status.isEmpty() || !filter.workflow.isEmpty() || !filter.text.isEmpty();
    m_message->setText(filtered ? tr("No jobs match these filters.")
                                : tr("No jobs yet.\n\nStart one from a workflow on the "
                                     "Workflows page."));
    m_tableStack->setCurrentWidget(m_message);
}

void JobsPage::applyFilter()
{
    m_filterTimer.stop();
    jobrequests::JobFilter filter;
    filter.status = m_status->currentData().toString();
    filter.workflow = m_workflow->currentData().toString();
    filter.text = m_search->text().trimmed();
    m_model->setFilter(filter);
}

void JobsPage::refresh()
{
    m_model->refresh();
    loadWorkflowNames();
    if (isShowingDetail())
        m_detail->reload();
}

void JobsPage::focusFilter()
{
    showList();
    m_search->setFocus(Qt::ShortcutFocusReason);
    m_search->selectAll();
}

void JobsPage::loadWorkflowNames()
{
    ApiReply *reply = m_client.call(requests::listWorkflows(0, kWorkflowNamesLimit));
    connect(reply, &ApiReply::finished, this, [this, reply] {
        reply->deleteLater();
        const api::ApiResponse &response = reply->response();
        if (!response.ok() || !response.json.is_object())
            return;
        QStringList names;
        for (const json &doc : response.json.value("items", json::array()))
            if (doc.is_object() && doc.value("name", json()).is_string())
                names.append(QString::fromStdString(doc["name"].get<std::string>()));
        names.sort(Qt::CaseInsensitive);
        const QString current = m_workflow->currentData().toString();
        const QSignalBlocker blocker(m_workflow);
        while (m_workflow->count() > 1)
            m_workflow->removeItem(1);
        for (const QString &name : std::as_const(names))
            m_workflow->addItem(name, name);
        const int index = m_workflow->findData(current);
        m_workflow->setCurrentIndex(index < 0 ? 0 : index);
    });
}

void JobsPage::onLoaded()
{
    updateCount();
    updateActions();
}

void JobsPage::openJob(const QString &jobId)
{
    m_detail->showJob(jobId);
    m_stack->setCurrentWidget(m_detail);
    m_detail->setFocus();
    updateActions();
}

void JobsPage::showList()
{
    m_stack->setCurrentWidget(m_listPage);
    m_view->setFocus();
    updateActions();
}

bool JobsPage::isShowingDetail() const
{
    return m_stack->currentWidget() == m_detail;
}

QString JobsPage::bulkReport(jobrequests::BulkAction action, int asked,
                             const api::ApiResponse &response)
{
    const QString done = action == jobrequests::BulkAction::Pause    ? tr("paused")
                         : action == jobrequests::BulkAction::Resume ? tr("resumed")
                                                                     : tr("canceled");
    const json data = response.json.is_object() ? response.json.value("data", json()) : json();
    const json results = data.is_object() ? data.value("results", json()) : json();
    const QString Done = done.left(1).toUpper() + done.mid(1);
    if (!results.is_array())
        return asked == 1 ? tr("%1 1 job").arg(Done) : tr("%1 %2 jobs").arg(Done).arg(asked);
    // "it is complete" in the engine's refusal names the state that stopped it; the rest of
    // its message is for logs.
    static const QRegularExpression state(u": it is (\\w+)$"_s);
    int succeeded = 0;
    QMap<QString, int> reasons;
    for (const json &result : results) {
        if (!result.is_object())
            continue;
        if (result.value("ok", false)) {
            ++succeeded;
            continue;
        }
        const QString message =
            QString::fromStdString(result.value("message", std::string("refused")));
        const QRegularExpressionMatch m = state.match(message);
        reasons[m.hasMatch() ? tr("already %1").arg(jobstatus::label(m.captured(1)).toLower())
                             : message] += 1;
    }
    const int total = int(results.size());
    QString text = succeeded == total ? (total == 1 ? tr("%1 1 job").arg(Done)
                                                    : tr("%1 %2 jobs").arg(Done).arg(total))
                                      : tr("%1 of %2 %3").arg(succeeded).arg(total).arg(done);
    for (auto it = reasons.cbegin(); it != reasons.cend(); ++it)
        text += u"; "_s + (it.value() == 1 ? tr("1 was %1").arg(it.key())
                                           : tr("%1 were %2").arg(it.value()).arg(it.key()));
    return text;
}

void JobsPage::setPrompter(Prompter *prompter)
{
    m_prompter = prompter;
}

void JobsPage::setPollInterval(int ms)
{
    m_pollTimer.stop();
    if (ms > 0) {
        m_pollTimer.setInterval(ms);
        m_pollTimer.start();
    }
}

void JobsPage::runBulk(jobrequests::BulkAction action, const QStringList &jobIds)
{
    if (jobIds.isEmpty())
        return;
    if (action == jobrequests::BulkAction::Cancel) {
        // A cancel cannot be undone: say what it stops before it does.
        const int n = int(jobIds.size());
        const QString title = n == 1 ? tr("Cancel this job?") : tr("Cancel %1 jobs?").arg(n);
        const QString text =
            n == 1 ? tr("The job stops where it is; tasks that have not run never will, and a "
                        "canceled job cannot be resumed.")
                   : tr("The %1 jobs stop where they are; tasks that have not run never will, "
                        "and canceled jobs cannot be resumed. Jobs already finished stay as "
                        "they are.")
                         .arg(n);
        const QString accept = n == 1 ? tr("Cancel Job") : tr("Cancel %1 Jobs").arg(n);
        const bool yes = m_prompter ? m_prompter->confirm(title, text, accept)
                                    : QMessageBox::question(this, title, text,
                                                            QMessageBox::Yes | QMessageBox::No,
                                                            QMessageBox::No) == QMessageBox::Yes;
        if (!yes)
            return;
    }
    ApiReply *reply = m_client.call(jobrequests::bulk(action, jobIds));
    const int count = int(jobIds.size());
    connect(reply, &ApiReply::finished, this, [this, reply, action, count] {
        reply->deleteLater();
        const api::ApiResponse &response = reply->response();
        if (!response.ok()) {
            Q_EMIT statusMessage(tr("Not done: %1").arg(messageOf(response)));
            return;
        }
        const QString report = bulkReport(action, count, response);
        Q_EMIT statusMessage(report);
        m_model->reloadLoadedPages();
        if (isShowingDetail())
            m_detail->reload();
    });
}

} // namespace flowdeck::ui
