// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/jobs/EventsPage.h"

#include "ui/client/ConsoleClient.h"
#include "ui/jobs/JobHistory.h"
#include "ui/jobs/JobRequests.h"
#include "ui/jobs/JobStatus.h"
#include "ui/jobs/JobTime.h"

#include <QHeaderView>
#include <QLabel>
#include <QStackedWidget>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <algorithm>

namespace flowdeck::ui {

using namespace Qt::StringLiterals;
using nlohmann::json;

EventsPage::EventsPage(ConsoleClient &client, QWidget *parent) : QWidget(parent), m_client(client)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    auto *heading = new QLabel(tr("Events"), this);
    heading->setObjectName(u"eventsHeading"_s);
    QFont font = heading->font();
    font.setBold(true);
    font.setPointSizeF(font.pointSizeF() * 1.1);
    heading->setFont(font);
    heading->setContentsMargins(12, 14, 12, 12);
    layout->addWidget(heading);

    m_stack = new QStackedWidget(this);
    layout->addWidget(m_stack, 1);
    m_list = new QTreeWidget(m_stack);
    m_list->setObjectName(u"eventsList"_s);
    m_list->setHeaderLabels({tr("Time"), tr("Job"), tr("What happened")});
    m_list->setRootIsDecorated(false);
    m_list->setUniformRowHeights(true);
    m_list->setAlternatingRowColors(true);
    m_list->setFrameShape(QFrame::NoFrame);
    m_list->setTextElideMode(Qt::ElideRight);
    m_list->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_list->header()->resizeSection(1, 260);
    m_list->header()->setStretchLastSection(true);
    m_stack->addWidget(m_list);
    m_message = new QLabel(tr("Loading events…"), m_stack);
    m_message->setObjectName(u"eventsMessage"_s);
    m_message->setAlignment(Qt::AlignCenter);
    m_message->setWordWrap(true);
    m_message->setForegroundRole(QPalette::PlaceholderText);
    m_stack->addWidget(m_message);
    m_stack->setCurrentWidget(m_message);

    connect(m_list, &QTreeWidget::itemActivated, this, [this](QTreeWidgetItem *item) {
        Q_EMIT jobActivated(item->data(0, Qt::UserRole).toString());
    });
    m_liveTimer.setSingleShot(true);
    m_liveTimer.setInterval(kLiveDelayMs);
    connect(&m_liveTimer, &QTimer::timeout, this, [this] {
        if (isVisible())
            refresh();
        else
            m_stale = true;
    });
    connect(&m_client, &ConsoleClient::jobChanged, this, [this] {
        if (!m_liveTimer.isActive())
            m_liveTimer.start();
    });
}

EventsPage::~EventsPage()
{
    if (m_reply)
        m_reply->deleteLater();
}

void EventsPage::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (m_stale)
        refresh();
}

void EventsPage::refresh()
{
    m_stale = false;
    if (m_reply)
        m_reply->deleteLater();
    ApiReply *reply = m_client.call(jobrequests::recentJobs(kRecentJobs));
    m_reply = reply;
    connect(reply, &ApiReply::finished, this, [this, reply] { onReply(reply); });
}

void EventsPage::onReply(ApiReply *reply)
{
    reply->deleteLater();
    if (reply != m_reply)
        return;
    const api::ApiResponse &response = reply->response();
    const json payload = response.json.is_object() ? response.json.value("data", json()) : json();
    if (!response.ok() || !payload.is_array()) {
        const json message =
            response.json.is_object() ? response.json.value("message", json()) : json();
        m_message->setText(tr("The events could not be loaded.\n%1")
                               .arg(message.is_string()
                                        ? QString::fromStdString(message.get<std::string>())
                                        : tr("The engine answered %1.").arg(response.status)));
        m_stack->setCurrentWidget(m_message);
        return;
    }
    QVector<HistoryEntry> entries;
    for (const json &job : payload)
        entries += jobhistory::fromDocument(job);
    std::stable_sort(entries.begin(), entries.end(),
                     [](const HistoryEntry &a, const HistoryEntry &b) { return a.at > b.at; });
    m_list->clear();
    for (const HistoryEntry &entry : std::as_const(entries)) {
        auto *item = new QTreeWidgetItem(m_list);
        item->setData(0, Qt::UserRole, entry.jobId);
        item->setText(0, jobtime::preciseTimestamp(entry.at).left(19));
        item->setText(1, entry.jobName);
        item->setToolTip(1, entry.jobId);
        item->setText(2, entry.text);
        item->setToolTip(2, entry.text);
        item->setIcon(2, jobstatus::icon(entry.status));
    }
    if (entries.isEmpty()) {
        m_message->setText(tr("Nothing has happened yet.\n\nJobs, tasks and operators' work "
                              "show here as they happen."));
        m_stack->setCurrentWidget(m_message);
        return;
    }
    m_stack->setCurrentWidget(m_list);
}

} // namespace flowdeck::ui
