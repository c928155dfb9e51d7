// SPDX-License-Identifier: GPL-3.0-or-later
// The Events page: the engine's job event log (GET /events), newest first, each event in the
// words an operator would use ("Task “Approve change” finished: success", "Job paused by
// ada"), with when, which job and who. Live: each job change (coalesced) fetches what came
// after the newest event shown and puts it on top; scrolling to the end, or "Load older",
// fetches the page before the oldest. A filter narrows the loaded events by their text. GUI
// thread; never blocks.
#pragma once

#include <QIcon>
#include <QPointer>
#include <QString>
#include <QTimer>
#include <QWidget>

#include <nlohmann/json.hpp>

class QLabel;
class QLineEdit;
class QPushButton;
class QStackedWidget;
class QTreeWidget;
class QTreeWidgetItem;

namespace flowdeck::ui {

class ApiReply;
class ConsoleClient;

class EventsPage final : public QWidget
{
    Q_OBJECT
public:
    /// Events per page read from the log, and the most a live catch-up reads at once.
    static constexpr int kPageSize = 100;
    static constexpr int kLivePageSize = 500;
    static constexpr int kLiveDelayMs = 1000;
    static constexpr int kFilterDelayMs = 250;

    enum Column { TimeColumn, JobColumn, WhatColumn, WhoColumn };
    /// Item data: the job id (Qt::UserRole on every column) and the event's seq.
    static constexpr int JobIdRole = Qt::UserRole;
    static constexpr int SeqRole = Qt::UserRole + 1;

    /// An event as the page shows it.
    struct Line
    {
        QString text;      ///< what happened, in plain words
        QString who;       ///< the person (or client) who did it; empty for the engine's own steps
        QString status;    ///< a job status whose icon fits ("complete", "error"…), or empty
        bool shown = true; ///< false for bookkeeping that another event already tells
    };
    /// Words one event of GET /events; an unknown kind gets a generic but readable line.
    static Line describe(const nlohmann::json &event);

    explicit EventsPage(ConsoleClient &client, QWidget *parent = nullptr);
    ~EventsPage() override;

    QTreeWidget *list() const { return m_list; }
    QLineEdit *filterField() const { return m_filter; }
    QPushButton *loadOlderButton() const { return m_loadOlder; }
    /// Whether older events remain to be fetched.
    bool hasOlder() const { return m_moreOlder; }
    /// Whether any fetch is on its way.
    bool isLoading() const;

public Q_SLOTS:
    /// Reads the newest page again from scratch.
    void refresh();
    /// Fetches the page before the oldest event shown (nothing when there is none).
    void loadOlder();

Q_SIGNALS:
    /// The operator opened an entry: show its job.
    void jobActivated(const QString &jobId);

protected:
    void showEvent(QShowEvent *event) override;

private:
    enum class Place { Top, Bottom };
    void fetchNewer();
    void onLoaded(ApiReply *reply);
    void onNewer(ApiReply *reply);
    void onOlder(ApiReply *reply);
    /// Adds the answer's shown events at the top (oldest-first answers) or the bottom
    /// (newest-first answers); returns how many rows were added.
    int addEvents(const nlohmann::json &events, Place place);
    QTreeWidgetItem *makeItem(const nlohmann::json &event, const Line &line) const;
    void applyFilter();
    bool matchesFilter(const QTreeWidgetItem *item) const;
    void showEmptyOrList();
    void showFailure(const QString &what, const ApiReply *reply);
    void updateFooter();

    ConsoleClient &m_client;
    QPointer<ApiReply> m_loadReply;
    QPointer<ApiReply> m_liveReply;
    QPointer<ApiReply> m_olderReply;
    QTimer m_liveTimer;
    QTimer m_filterTimer;
    bool m_loaded = false;    ///< the newest page has been read since the last refresh()
    bool m_stale = true;      ///< changed while hidden: catch up when shown
    bool m_liveAgain = false; ///< a change arrived while a live fetch was running
    bool m_moreOlder = false;
    qint64 m_newestSeq = 0; ///< the live cursor: everything up to it has been read
    qint64 m_olderSeq = 0;  ///< the history cursor: the next older page is before it
    QString m_filterText;
    QIcon m_noIcon; ///< keeps the text of rows without a status aligned with the others

    QStackedWidget *m_stack = nullptr;
    QTreeWidget *m_list = nullptr;
    QLabel *m_message = nullptr;
    QLineEdit *m_filter = nullptr;
    QWidget *m_footer = nullptr;
    QLabel *m_footerText = nullptr;
    QPushButton *m_loadOlder = nullptr;
};

} // namespace flowdeck::ui
