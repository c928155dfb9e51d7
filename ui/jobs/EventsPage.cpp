// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/jobs/EventsPage.h"
#include "ui/client/JsonFields.h"

#include "ui/client/ConsoleClient.h"
#include "ui/jobs/JobHistory.h"
#include "ui/jobs/JobRequests.h"
#include "ui/jobs/JobStatus.h"
#include "ui/jobs/JobTime.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPixmap>
#include <QPushButton>
#include <QScrollBar>
#include <QStackedWidget>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <algorithm>

namespace flowdeck::ui {

using namespace Qt::StringLiterals;
using nlohmann::json;

namespace {

qint64 integer(const json &object, const char *key, qint64 fallback = 0)
{
    if (!object.is_object())
        return fallback;
    const auto it = object.find(key);
    return it != object.end() && it->is_number_integer() ? it->get<qint64>() : fallback;
}

QStringList strings(const json &array)
{
    QStringList out;
    if (array.is_array())
        for (const json &item : array)
            if (item.is_string())
                out << QString::fromStdString(item.get<std::string>());
    return out;
}

/// "somethingNewHappened" → "Something new happened": an unknown kind still reads as words.
QString kindWords(const QString &kind)
{
    QString out;
    for (const QChar c : kind) {
        if (c.isUpper() && !out.isEmpty())
            out += u' ' + c.toLower();
        else
            out += c;
    }
    if (!out.isEmpty())
        out[0] = out[0].toUpper();
    return out.isEmpty() ? EventsPage::tr("Something happened") : out;
}

} // namespace

EventsPage::Line EventsPage::describe(const json &event)
{
    Line line;
    const QString kind = jsonfields::text(event, "kind");
    const json data = event.is_object() ? event.value("data", json::object()) : json::object();
    const QString actor = jsonfields::text(event, "actor");
    line.who = actor;
    const QString key = jsonfields::text(data, "task");
    const QString taskName =
        jsonfields::text(event, "taskName").isEmpty() ? key : jsonfields::text(event, "taskName");
    const QString task = u"“"_s + taskName + u"”"_s;
    // The workflow's start and end are steps of the engine, not work anyone reads about.
    const bool bookend = key == u"workflow_start"_s || key == u"workflow_end"_s;
    auto by = [&actor](const QString &text) {
        return actor.isEmpty() ? text : tr("%1 by %2").arg(text, actor);
    };

    if (kind == u"jobCreated"_s) {
        line.text = by(tr("Job started"));
        line.status = u"running"_s;
    } else if (kind == u"jobStatus"_s) {
        const QString status = jsonfields::text(data, "status");
        line.status = status;
        if (status == u"running"_s)
            line.text = by(tr("Job resumed"));
        else if (status == u"paused"_s)
            line.text = by(tr("Job paused"));
        else if (status == u"canceled"_s)
            line.text = by(tr("Job canceled"));
        else if (status == u"complete"_s)
            line.text = by(tr("Job completed"));
        else if (status == u"error"_s) {
            const QString message = jobhistory::errorText(data.value("message", json()));
            line.text = message.isEmpty() ? tr("Job stopped with an error")
                                          : tr("Job stopped with an error: %1").arg(message);
        } else
            line.text = by(tr("Job is now %1").arg(jobstatus::label(status).toLower()));
    } else if (kind == u"taskStarted"_s) {
        line.shown = !bookend;
        line.text = tr("Task %1 started").arg(task);
        line.status = u"running"_s;
    } else if (kind == u"taskFinished"_s || kind == u"taskRan"_s) {
        line.shown = !bookend;
        const QString finish = jsonfields::text(data, "finishState");
        line.text = tr("Task %1 finished: %2").arg(task, finish.isEmpty() ? tr("done") : finish);
        const QString error = jobhistory::errorText(data.value("error", json()));
        if (!error.isEmpty())
            line.text += u" — "_s + error;
        if (data.value("retrying", false))
            line.text += tr(" (it will be retried)");
        // A manual task's worker finished it; a method's "user" is only whoever started the job.
        const QString worker =
            kind == u"taskFinished"_s ? jsonfields::text(data, "user") : QString();
        if (actor.isEmpty() && !worker.isEmpty()) {
            line.who = worker;
            line.text = tr("%1 by %2").arg(line.text, worker);
        }
        line.status = finish == u"success"_s ? u"complete"_s
                      : finish.isEmpty()     ? QString()
                                             : u"error"_s;
    } else if (kind == u"tasksReset"_s) {
        const QString reason = jsonfields::text(data, "reason");
        const QStringList keys = strings(data.value("tasks", json::array()));
        QString text = reason == u"retry"_s      ? tr("Tasks reset for a retry")
                       : reason == u"continue"_s ? tr("Tasks reset to continue the job")
                       : reason == u"revert"_s   ? tr("Tasks reset by a revert")
                                                 : tr("Tasks reset");
        if (keys.size() > 1)
            text += tr(" (%1 tasks)").arg(keys.size());
        line.text = by(text);
    } else if (kind == u"loopPass"_s) {
        line.text = tr("Loop %1 started pass %2").arg(task).arg(integer(data, "index") + 1);
    } else if (kind == u"childStarted"_s) {
        line.text = tr("Task %1 started a child job").arg(task);
        line.status = u"running"_s;
    } else if (kind == u"childFinished"_s) {
        const QString status = jsonfields::text(data, "status");
        line.text =
            tr("A child job of task %1 ended: %2").arg(task, jobstatus::label(status).toLower());
        line.status = status;
    } else if (kind == u"callIssued"_s) {
        const qint64 issue = integer(data, "issue");
        line.text = issue <= 1
                        ? tr("Task %1 sent its adapter call").arg(task)
                        : tr("Task %1 sent its adapter call again (send %2, after a restart)")
                              .arg(task)
                              .arg(issue);
        line.status = u"running"_s;
    } else if (kind == u"taskStatus"_s) {
        const QString status = jsonfields::text(data, "status");
        line.text = by(status == u"canceled"_s ? tr("Task %1 canceled").arg(task)
                       : status == u"paused"_s ? tr("Task %1 paused").arg(task)
                       : status == u"running"_s
                           ? tr("Task %1 resumed").arg(task)
                           : tr("Task %1 is now %2").arg(task, jobstatus::label(status).toLower()));
        line.status = status;
    } else if (kind == u"taskOwner"_s) {
        const QString how = jsonfields::text(data, "by");
        const QString owner = jsonfields::text(data, "owner");
        if (how == u"claim"_s)
            line.text = by(tr("Task %1 claimed").arg(task));
        else if (how == u"assign"_s)
            line.text = by(tr("Task %1 assigned to %2").arg(task, owner));
        else if (how == u"release"_s)
            line.text = by(tr("Task %1 released").arg(task));
        else if (how == u"finish"_s) {
            // Bookkeeping before the finish: the taskFinished that follows says it all.
            line.shown = false;
            line.text = tr("Task %1 finished by %2").arg(task, owner);
        } else
            line.text = owner.isEmpty() ? by(tr("Task %1 has no owner").arg(task))
                                        : by(tr("Task %1 now belongs to %2").arg(task, owner));
    } else if (kind == u"groupsSet"_s) {
        const qsizetype n = data.value("groups", json::array()).size();
        line.text = by(n == 0   ? tr("Job opened to every group")
                       : n == 1 ? tr("Job restricted to 1 group")
                                : tr("Job restricted to %1 groups").arg(n));
    } else if (kind == u"watchersSet"_s) {
        const QStringList watchers = strings(data.value("watchers", json::array()));
        line.text = by(watchers.isEmpty() ? tr("Job has no watchers now")
                                          : tr("Watchers set to %1").arg(watchers.join(u", "_s)));
    } else if (kind == u"watchersNotified"_s) {
        const QString users = strings(data.value("users", json::array())).join(u", "_s);
        const QString reason = jsonfields::text(data, "reason");
        if (reason == u"jobStatus"_s)
            line.text =
                tr("%1 told the job is %2")
                    .arg(users, jobstatus::label(jsonfields::text(data, "status")).toLower());
        else if (reason == u"taskAssigned"_s)
            line.text = tr("%1 told task %2 was assigned").arg(users, task);
        else if (reason == u"taskAvailable"_s)
            line.text = tr("%1 told task %2 is available").arg(users, task);
        else
            line.text = tr("Watchers notified: %1").arg(users);
    } else if (kind == u"variablesSet"_s) {
        const json vars = data.value("variables", json::object());
        QStringList names;
        if (vars.is_object())
            for (auto it = vars.begin(); it != vars.end(); ++it)
                names << QString::fromStdString(it.key());
        line.text = by(names.isEmpty() ? tr("Job variables set")
                                       : tr("Job variables set: %1").arg(names.join(u", "_s)));
    } else {
        QString text = kindWords(kind);
        if (!key.isEmpty())
            text = tr("%1 (task %2)").arg(text, task);
        line.text = by(text);
    }
    return line;
}

EventsPage::EventsPage(ConsoleClient &client, QWidget *parent) : QWidget(parent), m_client(client)
{
    QPixmap blank(16, 16);
    blank.fill(Qt::transparent);
    m_noIcon = QIcon(blank);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    auto *top = new QWidget(this);
    auto *topLayout = new QHBoxLayout(top);
    topLayout->setContentsMargins(12, 10, 12, 8);
    auto *heading = new QLabel(tr("Events"), top);
    heading->setObjectName(u"eventsHeading"_s);
    QFont font = heading->font();
    font.setBold(true);
    font.setPointSizeF(font.pointSizeF() * 1.1);
    heading->setFont(font);
    topLayout->addWidget(heading);
    topLayout->addStretch(1);
    m_filter = new QLineEdit(top);
    m_filter->setObjectName(u"eventsFilter"_s);
    m_filter->setPlaceholderText(tr("Filter by job, task or person"));
    m_filter->setClearButtonEnabled(true);
    m_filter->setMinimumWidth(280);
    topLayout->addWidget(m_filter);
    layout->addWidget(top);

    m_stack = new QStackedWidget(this);
    layout->addWidget(m_stack, 1);
    m_list = new QTreeWidget(m_stack);
    m_list->setObjectName(u"eventsList"_s);
    m_list->setHeaderLabels({tr("Time"), tr("Job"), tr("What happened"), tr("Who")});
    m_list->setRootIsDecorated(false);
    m_list->setUniformRowHeights(true);
    m_list->setAlternatingRowColors(true);
    m_list->setFrameShape(QFrame::NoFrame);
    m_list->setTextElideMode(Qt::ElideRight);
    m_list->setSelectionMode(QAbstractItemView::SingleSelection);
    QHeaderView *header = m_list->header();
    header->setStretchLastSection(false);
    header->setSectionResizeMode(TimeColumn, QHeaderView::ResizeToContents);
    header->setSectionResizeMode(JobColumn, QHeaderView::Interactive);
    header->setSectionResizeMode(WhatColumn, QHeaderView::Stretch);
    header->setSectionResizeMode(WhoColumn, QHeaderView::Interactive);
    header->resizeSection(JobColumn, 220);
    header->resizeSection(WhoColumn, 120);
    m_stack->addWidget(m_list);
    m_message = new QLabel(tr("Loading events…"), m_stack);
    m_message->setObjectName(u"eventsMessage"_s);
    m_message->setAlignment(Qt::AlignCenter);
    m_message->setWordWrap(true);
    m_message->setForegroundRole(QPalette::PlaceholderText);
    m_stack->addWidget(m_message);
    m_stack->setCurrentWidget(m_message);

    m_footer = new QWidget(this);
    auto *footerLayout = new QHBoxLayout(m_footer);
    footerLayout->setContentsMargins(12, 4, 12, 6);
    m_footerText = new QLabel(m_footer);
    m_footerText->setObjectName(u"eventsFooter"_s);
    m_footerText->setForegroundRole(QPalette::PlaceholderText);
    footerLayout->addWidget(m_footerText, 1);
    m_loadOlder = new QPushButton(tr("Load older"), m_footer);
    m_loadOlder->setObjectName(u"eventsLoadOlder"_s);
    m_loadOlder->setToolTip(tr("Fetch the events before the oldest one shown"));
    footerLayout->addWidget(m_loadOlder);
    m_footer->hide();
    layout->addWidget(m_footer);

    connect(m_list, &QTreeWidget::itemActivated, this, [this](QTreeWidgetItem *item) {
        Q_EMIT jobActivated(item->data(TimeColumn, JobIdRole).toString());
    });
    connect(m_loadOlder, &QPushButton::clicked, this, &EventsPage::loadOlder);
    // Reaching the end of the list asks for the page before it, as a log viewer does.
    QScrollBar *bar = m_list->verticalScrollBar();
    connect(bar, &QScrollBar::valueChanged, this, [this, bar](int value) {
        if (value > 0 && value == bar->maximum())
            loadOlder();
    });

    m_liveTimer.setSingleShot(true);
    m_liveTimer.setInterval(kLiveDelayMs);
    connect(&m_liveTimer, &QTimer::timeout, this, [this] {
        if (isVisible())
            fetchNewer();
        else
            m_stale = true;
    });
    connect(&m_client, &ConsoleClient::jobChanged, this, [this] {
        if (!m_liveTimer.isActive())
            m_liveTimer.start();
    });
    m_filterTimer.setSingleShot(true);
    m_filterTimer.setInterval(kFilterDelayMs);
    connect(m_filter, &QLineEdit::textChanged, &m_filterTimer, qOverload<>(&QTimer::start));
    connect(&m_filterTimer, &QTimer::timeout, this, [this] {
        m_filterText = m_filter->text().trimmed();
        applyFilter();
    });
}

EventsPage::~EventsPage()
{
    for (ApiReply *reply : {m_loadReply.data(), m_liveReply.data(), m_olderReply.data()})
        if (reply)
            reply->deleteLater();
}

bool EventsPage::isLoading() const
{
    return m_loadReply || m_liveReply || m_olderReply;
}

void EventsPage::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (!m_stale)
        return;
    m_stale = false;
    if (m_loaded)
        fetchNewer();
    else if (!m_loadReply)
        refresh();
}

void EventsPage::refresh()
{
    m_stale = false;
    // Answers still on their way belong to the list being replaced.
    for (QPointer<ApiReply> *reply : {&m_loadReply, &m_liveReply, &m_olderReply}) {
        if (*reply)
            (*reply)->deleteLater();
        *reply = nullptr;
    }
    m_liveAgain = false;
    ApiReply *reply =
        m_client.call(jobrequests::events(jobrequests::EventOrder::Newest, 0, kPageSize));
    m_loadReply = reply;
    connect(reply, &ApiReply::finished, this, [this, reply] { onLoaded(reply); });
}

void EventsPage::fetchNewer()
{
    if (!m_loaded || m_loadReply || m_liveReply) {
        // What is in flight may predate the change: ask again when it is in.
        m_liveAgain = true;
        if (!m_loaded && !m_loadReply)
            refresh();
        return;
    }
    m_liveAgain = false;
    ApiReply *reply = m_client.call(
        jobrequests::events(jobrequests::EventOrder::After, m_newestSeq, kLivePageSize));
    m_liveReply = reply;
    connect(reply, &ApiReply::finished, this, [this, reply] { onNewer(reply); });
}

void EventsPage::loadOlder()
{
    if (!m_loaded || !m_moreOlder || m_olderReply)
        return;
    ApiReply *reply =
        m_client.call(jobrequests::events(jobrequests::EventOrder::Before, m_olderSeq, kPageSize));
    m_olderReply = reply;
    connect(reply, &ApiReply::finished, this, [this, reply] { onOlder(reply); });
    updateFooter();
}

namespace {

/// The answer's events, or null when the answer is not a list of them.
json eventsOf(const api::ApiResponse &response)
{
    if (!response.ok() || !response.json.is_object())
        return nullptr;
    const json data = response.json.value("data", json());
    return data.is_array() ? data : json();
}

json metadataOf(const api::ApiResponse &response)
{
    const json meta =
        response.json.is_object() ? response.json.value("metadata", json()) : json::object();
    return meta.is_object() ? meta : json::object();
}

} // namespace

void EventsPage::onLoaded(ApiReply *reply)
{
    reply->deleteLater();
    if (reply != m_loadReply)
        return;
    m_loadReply = nullptr;
    const json events = eventsOf(reply->response());
    if (events.is_null()) {
        showFailure(tr("The events could not be loaded."), reply);
        return;
    }
    const json meta = metadataOf(reply->response());
    m_list->clear();
    m_footerText->clear();
    m_newestSeq = integer(meta, "latest");
    m_olderSeq = integer(meta, "next");
    m_moreOlder = meta.value("more", false);
    m_loaded = true;
    addEvents(events, Place::Bottom);
    showEmptyOrList();
    updateFooter();
    if (m_liveAgain)
        fetchNewer();
}

void EventsPage::onNewer(ApiReply *reply)
{
    reply->deleteLater();
    if (reply != m_liveReply)
        return;
    m_liveReply = nullptr;
    const json events = eventsOf(reply->response());
    if (events.is_null()) {
        showFailure(tr("New events could not be loaded."), reply);
        return;
    }
    const json meta = metadataOf(reply->response());
    addEvents(events, Place::Top);
    m_newestSeq = std::max(m_newestSeq, integer(meta, "next", m_newestSeq));
    showEmptyOrList();
    updateFooter();
    if (meta.value("more", false) || m_liveAgain)
        fetchNewer();
}

void EventsPage::onOlder(ApiReply *reply)
{
    reply->deleteLater();
    if (reply != m_olderReply)
        return;
    m_olderReply = nullptr;
    const json events = eventsOf(reply->response());
    if (events.is_null()) {
        showFailure(tr("Older events could not be loaded."), reply);
        updateFooter();
        return;
    }
    const json meta = metadataOf(reply->response());
    const int added = addEvents(events, Place::Bottom);
    m_olderSeq = integer(meta, "next", m_olderSeq);
    m_moreOlder = meta.value("more", false);
    showEmptyOrList();
    updateFooter();
    // A page of nothing to show (hidden jobs, bookkeeping) would leave the operator clicking.
    if (added == 0)
        loadOlder();
}

int EventsPage::addEvents(const json &events, Place place)
{
    int added = 0;
    for (const json &event : events) {
        if (!event.is_object())
            continue;
        const Line line = describe(event);
        if (!line.shown)
            continue;
        QTreeWidgetItem *item = makeItem(event, line);
        // Oldest-first answers go on top one by one, so the newest ends up first.
        if (place == Place::Top)
            m_list->insertTopLevelItem(0, item);
        else
            m_list->addTopLevelItem(item);
        item->setHidden(!matchesFilter(item));
        ++added;
    }
    return added;
}

QTreeWidgetItem *EventsPage::makeItem(const json &event, const Line &line) const
{
    auto *item = new QTreeWidgetItem;
    const QString jobId = jsonfields::text(event, "jobId");
    const QString jobName = jsonfields::text(event, "jobName");
    const qint64 at = integer(event, "at");
    for (int c = TimeColumn; c <= WhoColumn; ++c)
        item->setData(c, JobIdRole, jobId);
    item->setData(TimeColumn, SeqRole, integer(event, "seq"));
    item->setText(TimeColumn, jobtime::preciseTimestamp(at).left(19));
    item->setToolTip(TimeColumn, jobtime::preciseTimestamp(at));
    item->setText(JobColumn, jobName.isEmpty() ? jobId : jobName);
    item->setToolTip(JobColumn, tr("Job %1").arg(jobId));
    item->setText(WhatColumn, line.text);
    item->setToolTip(WhatColumn, line.text);
    item->setIcon(WhatColumn, line.status.isEmpty() ? m_noIcon : jobstatus::icon(line.status));
    item->setText(WhoColumn, line.who);
    // A little air between rows, as the other tables have: a log is read line by line. Set on
    // a column sized by hand, so the hint's width cannot narrow one sized to its contents.
    item->setSizeHint(WhoColumn, QSize(0, m_list->fontMetrics().height() + 10));
    return item;
}

bool EventsPage::matchesFilter(const QTreeWidgetItem *item) const
{
    if (m_filterText.isEmpty())
        return true;
    for (int c : {JobColumn, WhatColumn, WhoColumn})
        if (item->text(c).contains(m_filterText, Qt::CaseInsensitive))
            return true;
    return item->data(TimeColumn, JobIdRole).toString() == m_filterText;
}

void EventsPage::applyFilter()
{
    for (int i = 0; i < m_list->topLevelItemCount(); ++i) {
        QTreeWidgetItem *item = m_list->topLevelItem(i);
        item->setHidden(!matchesFilter(item));
    }
    updateFooter();
}

void EventsPage::showEmptyOrList()
{
    if (m_list->topLevelItemCount() == 0 && !m_moreOlder) {
        m_message->setText(tr("Nothing has happened yet.\n\nJobs, tasks and operators' work "
                              "show here as they happen."));
        m_stack->setCurrentWidget(m_message);
        m_footer->hide();
        return;
    }
    m_stack->setCurrentWidget(m_list);
    m_footer->show();
}

void EventsPage::showFailure(const QString &what, const ApiReply *reply)
{
    const api::ApiResponse &response = reply->response();
    const json message =
        response.json.is_object() ? response.json.value("message", json()) : json();
    const QString why = message.is_string() ? QString::fromStdString(message.get<std::string>())
                                            : tr("The engine answered %1.").arg(response.status);
    if (!m_loaded) {
        m_message->setText(tr("%1\n%2").arg(what, why));
        m_stack->setCurrentWidget(m_message);
        m_footer->hide();
        return;
    }
    // The events already shown stay useful: say what failed below them.
    m_footerText->setText(tr("%1 %2").arg(what, why));
    m_footer->show();
    m_loadOlder->setVisible(m_moreOlder);
    m_loadOlder->setEnabled(m_moreOlder && !m_olderReply);
}

void EventsPage::updateFooter()
{
    const int total = m_list->topLevelItemCount();
    int shown = 0;
    for (int i = 0; i < total; ++i)
        shown += m_list->topLevelItem(i)->isHidden() ? 0 : 1;
    QString text =
        !m_filterText.isEmpty()
            ? tr("%1 of %2 events loaded match “%3”").arg(shown).arg(total).arg(m_filterText)
        : total == 1 ? tr("1 event")
                     : tr("%1 events").arg(total);
    if (m_olderReply)
        text += tr("; loading older ones…");
    else if (!m_moreOlder && m_loaded)
        text += tr("; nothing older");
    m_footerText->setText(text);
    m_loadOlder->setVisible(m_moreOlder);
    m_loadOlder->setEnabled(m_moreOlder && !m_olderReply);
}

} // namespace flowdeck::ui
