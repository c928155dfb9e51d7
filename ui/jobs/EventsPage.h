// SPDX-License-Identifier: GPL-3.0-or-later
// The Events page: what happened across the most recently changed jobs, newest first — jobs
// started and ended, tasks started and finished, operators working manual tasks, errors.
// The entries are read from the job documents (JobHistory), because the engine API has no
// event-log route yet; live through the client's jobChanged signal. GUI thread.
#pragma once

#include <QPointer>
#include <QTimer>
#include <QWidget>

class QLabel;
class QStackedWidget;
class QTreeWidget;

namespace flowdeck::ui {

class ApiReply;
class ConsoleClient;

class EventsPage final : public QWidget
{
    Q_OBJECT
public:
    /// How many of the most recently changed jobs the page reads.
    static constexpr int kRecentJobs = 50;
    static constexpr int kLiveDelayMs = 1000;

    explicit EventsPage(ConsoleClient &client, QWidget *parent = nullptr);
    ~EventsPage() override;

    QTreeWidget *list() const { return m_list; }
    void refresh();

Q_SIGNALS:
    /// The operator opened an entry: show its job.
    void jobActivated(const QString &jobId);

protected:
    void showEvent(QShowEvent *event) override;

private:
    void onReply(ApiReply *reply);

    ConsoleClient &m_client;
    QPointer<ApiReply> m_reply;
    QTimer m_liveTimer;
    bool m_stale = true; ///< changed while hidden: reload when shown
    QStackedWidget *m_stack = nullptr;
    QTreeWidget *m_list = nullptr;
    QLabel *m_message = nullptr;
};

} // namespace flowdeck::ui
