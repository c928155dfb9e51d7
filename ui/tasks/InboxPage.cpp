// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/tasks/InboxPage.h"
#include "ui/client/JsonFields.h"

#include "ui/client/ConsoleClient.h"
#include "ui/forms/JsonListModel.h"
#include "ui/forms/Replies.h"
#include "ui/forms/TimeText.h"
#include "ui/tasks/TaskForm.h"
#include "ui/tasks/TaskRequests.h"

#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QCompleter>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPushButton>
#include <QSplitter>
#include <QStyle>
#include <QSystemTrayIcon>
#include <QTableView>
#include <QTimer>
#include <QToolBar>
#include <QVBoxLayout>

#include <algorithm>

using namespace Qt::StringLiterals;
using nlohmann::json;

namespace flowdeck::ui {

namespace {

/// One page is plenty for an inbox: a person works tens of tasks, not thousands.
constexpr int kPageSize = 200;
/// Bursts of job events (a job running many tasks) make one fetch, not one each.
constexpr int kCoalesceMs = 300;

QString ownerOf(const json &task)
{
    const QString owner = jsonfields::text(task, "owner");
    return owner.isEmpty() ? jsonfields::text(task.value("metrics", json::object()), "owner")
                           : owner;
}

json startOf(const json &task)
{
    const json metrics = task.value("metrics", json::object());
    return metrics.is_object() ? metrics.value("start_time", json()) : json();
}

QString taskTitle(const json &task)
{
    const QString summary = jsonfields::text(task, "summary");
    return summary.isEmpty() ? jsonfields::text(task, "name") : summary;
}

std::vector<JsonListModel::Column> columns()
{
    return {
        {QObject::tr("Task"),
         [](const json &task, int role) -> QVariant {
             if (role == Qt::DisplayRole)
                 return taskTitle(task);
             if (role == Qt::ToolTipRole)
                 return QObject::tr("%1 (task %2, run %3)")
                     .arg(taskTitle(task),
                          jsonfields::text(task.value("job", json::object()), "task"),
                          jsonfields::text(task, "_id"));
             return {};
         }},
        {QObject::tr("Job"),
         [](const json &task, int role) -> QVariant {
             const json job = task.value("job", json::object());
             const bool testRun = job.value("testRun", false) == true;
             if (role == Qt::DisplayRole) {
                 QString name = jsonfields::text(job, "name");
                 if (name.isEmpty())
                     name = jsonfields::text(job, "_id");
                 // As the Jobs table names it: a rehearsal is never taken for the real thing.
                 return testRun ? QObject::tr("%1 · test run").arg(name) : name;
             }
             if (role == Qt::ToolTipRole)
                 return testRun ? QObject::tr("Job %1, a test run: some of its tasks gave "
                                              "mocked results instead of running")
                                      .arg(jsonfields::text(job, "_id"))
                                : QObject::tr("Job %1").arg(jsonfields::text(job, "_id"));
             return {};
         }},
        {QObject::tr("Waiting"),
         [](const json &task, int role) -> QVariant {
             const auto since = timetext::moment(startOf(task));
             if (!since)
                 return {};
             if (role == Qt::DisplayRole)
                 return timetext::age(*since, QDateTime::currentDateTime());
             if (role == Qt::ToolTipRole)
                 return QObject::tr("Waiting since %1")
                     .arg(timetext::moment(*since, QDateTime::currentDateTime()));
             if (role == Qt::TextAlignmentRole)
                 return QVariant(Qt::AlignRight | Qt::AlignVCenter);
             return {};
         }},
    };
}

QTableView *makeList(JsonListModel *model, const QString &name, QWidget *parent)
{
    auto *view = new QTableView(parent);
    // Rows are what this table selects: Tab leaves it instead of walking every cell.
    view->setTabKeyNavigation(false);
    view->setObjectName(name);
    view->setModel(model);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setSelectionMode(QAbstractItemView::SingleSelection);
    view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    view->setContextMenuPolicy(Qt::CustomContextMenu);
    view->setShowGrid(false);
    view->setAlternatingRowColors(true);
    view->setWordWrap(false);
    view->verticalHeader()->hide();
    view->verticalHeader()->setDefaultSectionSize(view->fontMetrics().height() + 14);
    view->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    view->horizontalHeader()->setSectionResizeMode(1, QHeaderView::Stretch);
    view->horizontalHeader()->setSectionResizeMode(2, QHeaderView::ResizeToContents);
    view->horizontalHeader()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    view->horizontalHeader()->setHighlightSections(false);
    return view;
}

QLabel *listTitle(QWidget *parent)
{
    auto *label = new QLabel(parent);
    QFont font = label->font();
    font.setWeight(QFont::DemiBold);
    label->setFont(font);
    return label;
}

} // namespace

InboxPage::InboxPage(ConsoleClient &client, QWidget *parent) : QWidget(parent), m_client(client)
{
    setObjectName(u"inboxPage"_s);
    m_assigned = new JsonListModel(columns(), this);
    m_available = new JsonListModel(columns(), this);

    m_claim = new QAction(tr("&Claim"), this);
    m_claim->setObjectName(u"claimTask"_s);
    m_claim->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C));
    m_claim->setToolTip(tr("Claim the selected task so you can work it (%1)")
                            .arg(m_claim->shortcut().toString(QKeySequence::NativeText)));
    m_release = new QAction(tr("&Release"), this);
    m_release->setObjectName(u"releaseTask"_s);
    m_release->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R));
    m_release->setToolTip(tr("Give the selected task back to its groups (%1)")
                              .arg(m_release->shortcut().toString(QKeySequence::NativeText)));
    m_assign = new QAction(tr("&Assign…"), this);
    m_assign->setObjectName(u"assignTask"_s);
    m_assign->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_A));
    m_assign->setToolTip(tr("Hand the selected task to someone (%1)")
                             .arg(m_assign->shortcut().toString(QKeySequence::NativeText)));
    m_refresh = new QAction(tr("Re&fresh"), this);
    m_refresh->setObjectName(u"refreshTasks"_s);
    m_refresh->setShortcut(QKeySequence::Refresh);
    m_refresh->setToolTip(tr("Fetch the task lists again (%1)")
                              .arg(m_refresh->shortcut().toString(QKeySequence::NativeText)));
    for (QAction *action : {m_claim, m_release, m_assign, m_refresh})
        action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    addActions({m_claim, m_release, m_assign, m_refresh});
    connect(m_claim, &QAction::triggered, this, &InboxPage::claimSelected);
    connect(m_release, &QAction::triggered, this, &InboxPage::releaseSelected);
    connect(m_refresh, &QAction::triggered, this, &InboxPage::refresh);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);

    auto *top = new QWidget(this);
    auto *topLayout = new QHBoxLayout(top);
    topLayout->setContentsMargins(16, 10, 10, 6);
    auto *title = new QLabel(tr("My tasks"), top);
    QFont big = title->font();
    big.setPointSizeF(big.pointSizeF() * 1.4);
    big.setWeight(QFont::DemiBold);
    title->setFont(big);
    topLayout->addWidget(title);
    topLayout->addStretch(1);
    auto *toolbar = new QToolBar(top);
    toolbar->setToolButtonStyle(Qt::ToolButtonTextOnly);
    toolbar->addActions({m_claim, m_release, m_assign});
    toolbar->addSeparator();
    toolbar->addAction(m_refresh);
    topLayout->addWidget(toolbar);
    layout->addWidget(top);

    m_banner = new QLabel(this);
    m_banner->setObjectName(u"inboxBanner"_s);
    m_banner->setWordWrap(true);
    m_banner->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_banner->setContentsMargins(16, 6, 16, 6);
    m_banner->setAutoFillBackground(true);
    QPalette warning = m_banner->palette();
    warning.setColor(QPalette::Window, QColor(0xd6, 0x45, 0x41));
    warning.setColor(QPalette::WindowText, Qt::white);
    m_banner->setPalette(warning);
    m_banner->hide();
    layout->addWidget(m_banner);

    m_assignBar = new QWidget(this);
    auto *assignLayout = new QHBoxLayout(m_assignBar);
    assignLayout->setContentsMargins(16, 4, 16, 4);
    assignLayout->addWidget(new QLabel(tr("Assign to"), m_assignBar));
    m_assignUser = new QComboBox(m_assignBar);
    m_assignUser->setObjectName(u"assignUser"_s);
    m_assignUser->setEditable(true);
    // Typing picks from the list; it never adds what was typed to it.
    m_assignUser->setInsertPolicy(QComboBox::NoInsert);
    m_assignUser->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_assignUser->setMinimumContentsLength(28);
    m_assignUser->lineEdit()->setPlaceholderText(tr("name, username or user id"));
    m_assignUser->completer()->setCaseSensitivity(Qt::CaseInsensitive);
    m_assignUser->completer()->setFilterMode(Qt::MatchContains);
    m_assignUser->completer()->setCompletionMode(QCompleter::PopupCompletion);
    assignLayout->addWidget(m_assignUser, 1);
    auto *assignGo = new QPushButton(tr("Assign"), m_assignBar);
    assignGo->setObjectName(u"assignConfirm"_s);
    auto *assignCancel = new QPushButton(tr("Cancel"), m_assignBar);
    assignLayout->addWidget(assignGo);
    assignLayout->addWidget(assignCancel);
    m_assignBar->hide();
    layout->addWidget(m_assignBar);
    auto confirmAssign = [this] {
        const QString userId = chosenAssignee();
        if (userId.isEmpty()) {
            setBanner(tr("Choose the person to assign the task to."));
            return;
        }
        assignSelected(userId);
    };
    connect(assignGo, &QPushButton::clicked, this, confirmAssign);
    connect(m_assignUser->lineEdit(), &QLineEdit::returnPressed, this, confirmAssign);
    connect(assignCancel, &QPushButton::clicked, m_assignBar, &QWidget::hide);
    connect(m_assign, &QAction::triggered, this, [this] {
        fillAssignees();
        m_assignUser->setCurrentIndex(-1);
        m_assignUser->clearEditText();
        m_assignBar->show();
        m_assignUser->setFocus();
        // People come and go: read the accounts each time the picker opens.
        loadAccounts();
    });

    auto *splitter = new QSplitter(Qt::Horizontal, this);
    splitter->setObjectName(u"inboxSplitter"_s);
    splitter->setChildrenCollapsible(false);
    auto *lists = new QWidget(splitter);
    auto *listsLayout = new QVBoxLayout(lists);
    listsLayout->setContentsMargins(12, 6, 6, 12);
    m_assignedTitle = listTitle(lists);
    m_assignedView = makeList(m_assigned, u"assignedTasks"_s, lists);
    m_availableTitle = listTitle(lists);
    m_availableView = makeList(m_available, u"availableTasks"_s, lists);
    listsLayout->addWidget(m_assignedTitle);
    listsLayout->addWidget(m_assignedView, 1);
    listsLayout->addSpacing(8);
    listsLayout->addWidget(m_availableTitle);
    listsLayout->addWidget(m_availableView, 1);
    splitter->addWidget(lists);

    m_form = new TaskForm(client, splitter);
    splitter->addWidget(m_form);
    splitter->setStretchFactor(0, 2);
    splitter->setStretchFactor(1, 3);
    layout->addWidget(splitter, 1);

    for (QTableView *view : {m_assignedView, m_availableView}) {
        connect(view->selectionModel(), &QItemSelectionModel::selectionChanged, this,
                [this, view] { selectionChanged(view); });
        connect(view, &QWidget::customContextMenuRequested, this,
                [this, view](const QPoint &pos) { showContextMenu(view, pos); });
    }
    connect(m_form, &TaskForm::claimRequested, this, &InboxPage::claimSelected);
    connect(m_form, &TaskForm::stale, this, &InboxPage::refresh);
    connect(m_form, &TaskForm::finished, this, [this](const QString &jobId) {
        // The form now says what happened; the finished task leaves the lists, and with no
        // selection the refresh keeps those words in place.
        m_keepSelected.clear();
        m_assignedView->clearSelection();
        m_availableView->clearSelection();
        Q_EMIT taskFinished(jobId);
        refresh();
    });
    connect(m_form, &TaskForm::jobRequested, this, &InboxPage::jobRequested);

    m_coalesce = new QTimer(this);
    m_coalesce->setSingleShot(true);
    m_coalesce->setInterval(kCoalesceMs);
    connect(m_coalesce, &QTimer::timeout, this, &InboxPage::refresh);
    connect(&m_client, &ConsoleClient::jobChanged, this, &InboxPage::scheduleRefresh);

    // Ages move on by themselves; a redraw a minute keeps them true without fetching.
    m_ageTick = new QTimer(this);
    m_ageTick->setInterval(60 * 1000);
    connect(m_ageTick, &QTimer::timeout, this, [this] {
        m_assigned->refreshColumn(2);
        m_available->refreshColumn(2);
    });
    m_ageTick->start();

    m_assignedTitle->setText(tr("Assigned to me"));
    m_availableTitle->setText(tr("Available to me"));
    updateActions();
    refresh();
}

void InboxPage::setCurrentUser(const QString &username)
{
    m_currentUser = username;
    m_form->setCurrentUser(username);
    refresh();
}

void InboxPage::setNotificationsEnabled(bool enabled)
{
    m_notify = enabled;
    if (enabled && !m_tray && QSystemTrayIcon::isSystemTrayAvailable()) {
        QIcon icon = QApplication::windowIcon();
        if (icon.isNull())
            icon = style()->standardIcon(QStyle::SP_MessageBoxInformation);
        m_tray = new QSystemTrayIcon(icon, this);
        m_tray->setToolTip(tr("Flowdeck: my tasks"));
        m_tray->show();
    }
    if (m_tray)
        m_tray->setVisible(enabled);
}

QString InboxPage::bannerText() const
{
    return m_banner->isHidden() ? QString() : m_banner->text();
}

void InboxPage::setBanner(const QString &text)
{
    m_banner->setText(text);
    m_banner->setVisible(!text.isEmpty());
}

void InboxPage::scheduleRefresh()
{
    if (!m_coalesce->isActive())
        m_coalesce->start();
}

void InboxPage::refresh()
{
    if (m_loading) {
        m_again = true; // the answer in flight may predate the change that asked for this
        return;
    }
    m_loading = true;
    whenFinished(
        m_client.call(requests::waitingManualTasks(kPageSize)), this,
        [this](const api::ApiResponse &response) {
            m_loading = false;
            if (!response.ok()) {
                setBanner(tr("The task lists could not be loaded: %1").arg(failureText(response)));
            } else {
                const json &rows = envelopeData(response);
                const json meta = response.json.is_object()
                                      ? response.json.value("metadata", json::object())
                                      : json::object();
                const json total = meta.is_object() ? meta.value("total", json()) : json();
                showTasks(rows.is_array() ? rows : json::array(),
                          total.is_number_integer() ? total.get<qint64>() : -1);
            }
            if (m_again) {
                m_again = false;
                refresh();
            }
        });
}

void InboxPage::showTasks(const json &tasks, qint64 total)
{
    const QString keep = m_keepSelected.isEmpty() ? selectedIteration() : m_keepSelected;
    m_keepSelected.clear();
    std::vector<json> mine;
    std::vector<json> open;
    QSet<QString> availableIds;
    for (const auto &task : tasks) {
        if (!task.is_object())
            continue;
        const QString owner = ownerOf(task);
        if (owner.isEmpty()) {
            open.push_back(task);
            availableIds.insert(jsonfields::text(task, "_id"));
        } else if (owner == m_currentUser) {
            mine.push_back(task);
        }
        // Tasks others own are theirs to work: an inbox shows what I can act on.
    }
    // Oldest first: the task waiting longest is the one to pick up next.
    auto byAge = [](const json &a, const json &b) {
        const auto ta = timetext::moment(startOf(a));
        const auto tb = timetext::moment(startOf(b));
        return ta && tb ? *ta < *tb : bool(ta);
    };
    std::stable_sort(mine.begin(), mine.end(), byAge);
    std::stable_sort(open.begin(), open.end(), byAge);
    m_assigned->setRows(std::move(mine));
    m_available->setRows(std::move(open));

    m_assignedTitle->setText(tr("Assigned to me (%1)").arg(m_assigned->rowCount()));
    const int shown = int(tasks.size());
    m_availableTitle->setText(
        total > shown ? tr("Available to me (%1; the oldest %2 waiting tasks are listed)")
                            .arg(m_available->rowCount())
                            .arg(shown)
                      : tr("Available to me (%1)").arg(m_available->rowCount()));
    if (m_loadedOnce)
        notifyNew(availableIds, tasks);
    m_knownAvailable = availableIds;
    m_loadedOnce = true;

    if (!keep.isEmpty()) {
        if (selectIteration(keep))
            m_form->load(m_form->jobId(), m_form->taskKey()); // its owner may have changed
        else
            m_form->clear(); // finished, or someone else took it: nothing of mine to show
    }
    updateActions();

    const int count = m_assigned->rowCount() + m_available->rowCount();
    if (count != m_count) {
        m_count = count;
        Q_EMIT countChanged(count);
    }
}

void InboxPage::notifyNew(const QSet<QString> &available, const json &tasks)
{
    if (!m_notify || !m_tray)
        return;
    for (const auto &task : tasks) {
        const QString id = jsonfields::text(task, "_id");
        if (!available.contains(id) || m_knownAvailable.contains(id))
            continue;
        m_tray->showMessage(
            tr("A task is waiting for you"),
            tr("%1 in %2")
                .arg(taskTitle(task), jsonfields::text(task.value("job", json::object()), "name")));
        return; // one message per fetch, however many arrived
    }
}

QString InboxPage::selectedIteration() const
{
    const json task = selectedTask();
    return jsonfields::text(task, "_id");
}

json InboxPage::selectedTask() const
{
    for (QTableView *view : {m_assignedView, m_availableView}) {
        const auto rows = view->selectionModel()->selectedRows();
        if (!rows.isEmpty())
            return static_cast<JsonListModel *>(view->model())->document(rows.first().row());
    }
    return nullptr;
}

bool InboxPage::selectIteration(const QString &iterationId)
{
    for (QTableView *view : {m_assignedView, m_availableView}) {
        const int row =
            static_cast<JsonListModel *>(view->model())->rowOf(iterationId.toStdString());
        if (row >= 0) {
            view->selectionModel()->select(view->model()->index(row, 0),
                                           QItemSelectionModel::ClearAndSelect |
                                               QItemSelectionModel::Rows);
            view->setCurrentIndex(view->model()->index(row, 0));
            return true;
        }
    }
    return false;
}

void InboxPage::openIteration(const QString &iterationId)
{
    if (selectIteration(iterationId))
        return;
    m_keepSelected = iterationId;
    refresh();
}

void InboxPage::selectionChanged(QTableView *from)
{
    // One selection across both lists: the form shows one task.
    QTableView *other = from == m_assignedView ? m_availableView : m_assignedView;
    if (from->selectionModel()->hasSelection()) {
        other->selectionModel()->clearSelection();
        const json task = selectedTask();
        const json job = task.value("job", json::object());
        const QString jobId = jsonfields::text(job, "_id");
        const QString key = jsonfields::text(job, "task");
        if (jobId != m_form->jobId() || key != m_form->taskKey())
            m_form->load(jobId, key);
        m_assignBar->hide();
    }
    updateActions();
}

void InboxPage::updateActions()
{
    const json task = selectedTask();
    const bool selected = task.is_object();
    const bool mine = selected && !ownerOf(task).isEmpty();
    m_claim->setEnabled(selected && !mine);
    m_release->setEnabled(mine);
    m_assign->setEnabled(selected);
}

void InboxPage::showContextMenu(QTableView *view, const QPoint &pos)
{
    const QModelIndex index = view->indexAt(pos);
    if (!index.isValid())
        return;
    view->selectRow(index.row());
    QMenu menu(this);
    menu.addActions({m_claim, m_release, m_assign});
    menu.exec(view->viewport()->mapToGlobal(pos));
}

namespace {

/// "Ada Lovelace (ada)", or the username alone when there is no display name.
QString accountLabel(const json &account)
{
    const QString username = jsonfields::text(account, "username");
    const QString name = jsonfields::text(account, "displayName").trimmed();
    return name.isEmpty() || name == username ? username : u"%1 (%2)"_s.arg(name, username);
}

/// Whether the engine would let `account` work a task restricted to `taskGroups` (ids or
/// {_id} objects): admins always, everyone when the task names no group, otherwise members
/// of any of its groups. The job's own groups are checked by the engine when assigning.
bool admits(const json &taskGroups, const json &account)
{
    const json roles = account.value("roles", json::array());
    if (roles.is_array() && std::find(roles.begin(), roles.end(), json("admin")) != roles.end())
        return true;
    if (!taskGroups.is_array() || taskGroups.empty())
        return true;
    const json memberOf = account.value("groups", json::array());
    auto idOf = [](const json &g) { return g.is_object() ? g.value("_id", json()) : g; };
    for (const json &group : taskGroups)
        for (const json &mine : memberOf)
            if (idOf(group).is_string() && idOf(group) == idOf(mine))
                return true;
    return false;
}

} // namespace

void InboxPage::loadAccounts()
{
    if (m_accountsLoading)
        return;
    m_accountsLoading = true;
    whenFinished(m_client.call(requests::activeAccounts(1000)), this,
                 [this](const api::ApiResponse &response) {
                     m_accountsLoading = false;
                     // Without the list (an engine that does not serve it, a role without
                     // getAccounts) the picker still takes a typed user id.
                     const json &rows = envelopeData(response);
                     if (!response.ok() || !rows.is_array())
                         return;
                     m_accounts = rows;
                     fillAssignees();
                 });
}

void InboxPage::fillAssignees()
{
    const QString typed = m_assignUser->currentText();
    const json task = selectedTask();
    const json taskGroups = task.is_object() ? task.value("groups", json::array()) : json::array();
    std::vector<const json *> candidates;
    std::vector<const json *> others;
    for (const json &account : m_accounts) {
        if (!account.is_object() || account.value("disabled", false) ||
            jsonfields::text(account, "_id").isEmpty())
            continue;
        (admits(taskGroups, account) ? candidates : others).push_back(&account);
    }
    auto byLabel = [](const json *a, const json *b) {
        return accountLabel(*a).compare(accountLabel(*b), Qt::CaseInsensitive) < 0;
    };
    std::stable_sort(candidates.begin(), candidates.end(), byLabel);
    std::stable_sort(others.begin(), others.end(), byLabel);
    const QSignalBlocker blocker(m_assignUser);
    m_assignUser->clear();
    for (const json *account : candidates)
        m_assignUser->addItem(accountLabel(*account), jsonfields::text(*account, "_id"));
    if (!candidates.empty() && !others.empty())
        m_assignUser->insertSeparator(m_assignUser->count());
    for (const json *account : others) {
        m_assignUser->addItem(accountLabel(*account), jsonfields::text(*account, "_id"));
        m_assignUser->setItemData(m_assignUser->count() - 1,
                                  tr("Not in the task's groups: the engine will refuse them"),
                                  Qt::ToolTipRole);
    }
    m_assignUser->setCurrentIndex(-1);
    m_assignUser->setEditText(typed);
}

QString InboxPage::chosenAssignee() const
{
    const QString text = m_assignUser->currentText().trimmed();
    if (text.isEmpty())
        return {};
    const int index = m_assignUser->findText(text, Qt::MatchFixedString);
    if (index >= 0 && !m_assignUser->itemData(index).toString().isEmpty())
        return m_assignUser->itemData(index).toString();
    for (const json &account : m_accounts)
        if (jsonfields::text(account, "username").compare(text, Qt::CaseInsensitive) == 0 ||
            jsonfields::text(account, "_id") == text)
            return jsonfields::text(account, "_id");
    return text;
}

void InboxPage::claimSelected()
{
    act(tr("claimed"), requests::claimTask(selectedIteration()));
}

void InboxPage::releaseSelected()
{
    act(tr("released"), requests::releaseTask(selectedIteration()));
}

void InboxPage::assignSelected(const QString &userId)
{
    act(tr("assigned"), requests::assignTask(selectedIteration(), userId));
}

void InboxPage::act(const QString &what, api::ApiRequest request)
{
    const QString iteration = selectedIteration();
    if (iteration.isEmpty())
        return;
    setBanner({});
    whenFinished(m_client.call(std::move(request)), this,
                 [this, what, iteration](const api::ApiResponse &response) {
                     if (!response.ok()) {
                         // E.g. someone else claimed it meanwhile: say so in the engine's words,
                         // and show the lists as they are now.
                         setBanner(
                             tr("The task could not be %1: %2").arg(what, failureText(response)));
                     } else {
                         m_assignBar->hide();
                     }
                     m_keepSelected = iteration;
                     refresh();
                 });
}

} // namespace flowdeck::ui
