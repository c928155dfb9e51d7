// SPDX-License-Identifier: GPL-3.0-or-later
// The jobs table's model: a window onto GET /operations-manager/jobs that holds only the pages
// a view has looked at. rowCount() is the server's total, so the scroll bar is right from the
// first answer; rows arrive a page at a time as they become visible, and pages far from view
// are dropped again, so a million-job store costs what a screenful costs. GUI thread.
#pragma once

#include "ui/jobs/JobRequests.h"

#include <QAbstractTableModel>
#include <QDateTime>
#include <QHash>
#include <QPointer>
#include <QTimer>

#include <nlohmann/json.hpp>

#include <functional>
#include <list>

namespace flowdeck::ui {

class ApiReply;
class ConsoleClient;

/// One job as the table shows it.
struct JobRow
{
    QString id;
    QString name;
    QString description;
    QString status;
    double progress = 0;  ///< 0..1
    qint64 startTime = 0; ///< ms since the epoch; 0 when not started
    qint64 endTime = 0;   ///< ms since the epoch; 0 while it runs
    QString startedBy;
    QStringList groups;
    int errorCount = 0;
    /// Running, with a manual task nobody has claimed: shown as "Waiting for an operator".
    bool waiting = false;
    /// Started with mocked task results (the document's "testRun"): a rehearsal.
    bool testRun = false;

    static JobRow fromJson(const nlohmann::json &job);
};

class JobsModel final : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column {
        NameColumn,
        StatusColumn,
        ProgressColumn,
        StartedColumn,
        DurationColumn,
        StartedByColumn,
        GroupsColumn,
        ColumnCount
    };
    enum Role {
        IdRole = Qt::UserRole + 1, ///< QString; empty while the row's page is loading
        StatusRole,                ///< QString, the engine's status name
        WaitingRole,               ///< bool: running, and a manual task waits for a person
        ProgressRole,              ///< double 0..1
        LoadedRole,                ///< bool
        TestRunRole,               ///< bool: started with mocked task results
    };
    static constexpr int kPageSize = 100;
    /// Pages kept once loaded; older ones are dropped (and fetched again when seen).
    static constexpr int kMaxCachedPages = 40;
    /// Requests in flight at once; pages wanted beyond that wait their turn.
    static constexpr int kMaxPendingPages = 3;

    explicit JobsModel(ConsoleClient &client, QObject *parent = nullptr);
    ~JobsModel() override;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    /// Server-side: asks for the first page in the new order and resets when it arrives.
    /// Every column sorts (an index walk on the server, however deep the page); a column
    /// without a sort field would be ignored.
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;

    /// Narrows the table; the rows are replaced when the first page of the answer arrives.
    void setFilter(const jobrequests::JobFilter &filter);
    const jobrequests::JobFilter &filter() const { return m_filter; }
    int sortColumn() const { return m_sortColumn; }
    Qt::SortOrder sortOrder() const { return m_sortOrder; }
    /// The search field the server sorts a column by (a job document path, or for Duration
    /// metrics.run_time and for Groups groups.0, see docs/api.md); empty when it cannot.
    static QString sortFieldFor(int column);

    /// Loads the first page again (with the current filter and order) and forgets the rest.
    void refresh();
    /// Fetches the pages held now again, in place: the live update after jobs changed.
    void reloadLoadedPages();
    /// Applies a status change to a row that is loaded, at once (no request).
    void applyStatus(const QString &jobId, const QString &status);

    bool isLoading() const { return m_resetPending; }
    /// The loaded row, or nullptr while its page is on its way.
    const JobRow *rowAt(int row) const;
    /// The row of a loaded job; -1 when it is not in a loaded page.
    int rowOf(const QString &jobId) const;
    int loadedPageCount() const { return int(m_pages.size()); }
    /// Pages asked for so far (the "waiting" lookups beside them are not counted).
    int requestsSent() const { return m_requestsSent; }

Q_SIGNALS:
    /// The first page of a (re)load arrived and the rows were reset.
    void loaded();
    /// A request failed; `message` says why in the engine's words.
    void loadFailed(const QString &message);

private:
    struct Page
    {
        QVector<JobRow> rows;
        std::list<int>::iterator lru;
    };

    void wantPage(int page) const;
    void requestWanted();
    void requestPage(int page, bool reset);
    void onPage(ApiReply *reply, int page, bool reset, quint64 generation);
    void storePage(int page, QVector<JobRow> rows);
    void touch(int page) const;
    void evict();
    /// Stores a page that arrived (with its "waiting" marks) and tells the views.
    void applyPage(int page, bool reset, QVector<JobRow> rows, qint64 total);
    void reloadPages();
    /// For the "waiting" filter: finds the waiting jobs, then runs `then` with the filter
    /// narrowed to them.
    void resolveWaiting(const std::function<void()> &then);

    ConsoleClient &m_client;
    jobrequests::JobFilter m_filter;
    QStringList m_waitingIds; ///< for the "waiting" filter: the jobs found waiting
    int m_sortColumn = StartedColumn;
    Qt::SortOrder m_sortOrder = Qt::DescendingOrder;

    qint64 m_total = 0;
    quint64 m_generation = 0; ///< bumped by every reset; answers for older ones are dropped
    bool m_resetPending = false;
    QHash<int, Page> m_pages;
    mutable std::list<int> m_lru; ///< most recently used page first
    QHash<int, QPointer<ApiReply>> m_pending;
    mutable QList<int> m_wanted; ///< pages views asked for, most recent last
    mutable QTimer m_requestTimer;
    int m_requestsSent = 0;
};

} // namespace flowdeck::ui
