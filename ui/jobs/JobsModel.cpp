// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/jobs/JobsModel.h"

#include "ui/client/ConsoleClient.h"
#include "ui/jobs/JobStatus.h"
#include "ui/jobs/JobTime.h"

#include <QDateTime>
#include <QGuiApplication>
#include <QPalette>

#include <algorithm>
#include <climits>

namespace flowdeck::ui {

using namespace Qt::StringLiterals;
using nlohmann::json;

namespace {

/// The engine's progress counts the tasks that ran; a complete job that skipped branches
/// (an evaluation's other way) never reaches 100 % by that count, yet it is done.
QString shownStatus(const JobRow &row)
{
    return row.waiting && row.status == u"running"_s ? jobrequests::kWaiting : row.status;
}

double shownProgress(const JobRow &row)
{
    return row.status == u"complete"_s ? 1.0 : row.progress;
}

QString stringAt(const json &object, const char *key)
{
    if (!object.is_object())
        return {};
    const auto it = object.find(key);
    return it != object.end() && it->is_string() ? QString::fromStdString(it->get<std::string>())
                                                 : QString();
}

qint64 millisAt(const json &object, const char *key)
{
    if (!object.is_object())
        return 0;
    const auto it = object.find(key);
    return it != object.end() && it->is_number() ? it->get<qint64>() : 0;
}

QString messageOf(const api::ApiResponse &response)
{
    const QString message = stringAt(response.json, "message");
    return message.isEmpty() ? JobsModel::tr("The engine answered %1.").arg(response.status)
                             : message;
}

} // namespace

JobRow JobRow::fromJson(const json &job)
{
    JobRow row;
    row.id = stringAt(job, "_id");
    row.name = stringAt(job, "name");
    row.description = stringAt(job, "description");
    row.status = stringAt(job, "status");
    const json metrics = job.is_object() ? job.value("metrics", json::object()) : json::object();
    if (metrics.is_object()) {
        if (const auto p = metrics.find("progress"); p != metrics.end() && p->is_number())
            row.progress = std::clamp(p->get<double>(), 0.0, 1.0);
        row.startTime = millisAt(metrics, "start_time");
        row.endTime = millisAt(metrics, "end_time");
        row.startedBy = stringAt(metrics, "user");
    }
    if (row.startedBy.isEmpty())
        row.startedBy = stringAt(job, "created_by");
    if (job.is_object() && job.contains("groups") && job["groups"].is_array())
        for (const json &g : job["groups"])
            if (g.is_string())
                row.groups.append(QString::fromStdString(g.get<std::string>()));
    if (job.is_object() && job.contains("error") && job["error"].is_array())
        row.errorCount = int(job["error"].size());
    row.testRun = job.is_object() && job.value("testRun", false) == true;
    return row;
}

JobsModel::JobsModel(ConsoleClient &client, QObject *parent)
    : QAbstractTableModel(parent), m_client(client)
{
    // One request round per event-loop pass: a view paints many rows of one page at once,
    // and a fast scroll should ask only for where it stopped.
    m_requestTimer.setSingleShot(true);
    m_requestTimer.setInterval(0);
    connect(&m_requestTimer, &QTimer::timeout, this, &JobsModel::requestWanted);
}

JobsModel::~JobsModel()
{
    for (const auto &reply : std::as_const(m_pending))
        if (reply)
            reply->deleteLater();
}

int JobsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(std::min<qint64>(m_total, INT_MAX));
}

int JobsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

Qt::ItemFlags JobsModel::flags(const QModelIndex &index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    return Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemNeverHasChildren;
}

const JobRow *JobsModel::rowAt(int row) const
{
    const auto it = m_pages.constFind(row / kPageSize);
    if (it == m_pages.cend())
        return nullptr;
    const int offset = row % kPageSize;
    return offset < it->rows.size() ? &it->rows[offset] : nullptr;
}

int JobsModel::rowOf(const QString &jobId) const
{
    for (auto it = m_pages.cbegin(); it != m_pages.cend(); ++it)
        for (int i = 0; i < it->rows.size(); ++i)
            if (it->rows[i].id == jobId)
                return it.key() * kPageSize + i;
    return -1;
}

QVariant JobsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const int page = index.row() / kPageSize;
    const JobRow *row = rowAt(index.row());
    if (!row) {
        if (!m_pages.contains(page))
            wantPage(page);
        if (role == LoadedRole)
            return false;
        if (role == Qt::DisplayRole && index.column() == NameColumn)
            return tr("Loading…");
        if (role == Qt::ForegroundRole)
            return QGuiApplication::palette().brush(QPalette::PlaceholderText);
        return {};
    }
    touch(page);

    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case NameColumn:
            // A rehearsal must never pass for the real thing in a list of jobs.
            return row->testRun ? tr("%1 · test run").arg(row->name) : row->name;
        case StatusColumn:
            return jobstatus::label(shownStatus(*row));
        case ProgressColumn:
            return u"%1%"_s.arg(qRound(shownProgress(*row) * 100));
        case StartedColumn:
            return jobtime::timestamp(row->startTime);
        case DurationColumn: {
            if (row->startTime <= 0)
                return QString();
            // A job still going counts up to now; the view repaints on every live update.
            const qint64 end =
                row->endTime > 0 ? row->endTime : QDateTime::currentMSecsSinceEpoch();
            return jobtime::duration(end - row->startTime);
        }
        case StartedByColumn:
            return row->startedBy;
        case GroupsColumn:
            return row->groups.join(u", "_s);
        }
        return {};
    case Qt::DecorationRole:
        if (index.column() == StatusColumn)
            return jobstatus::icon(shownStatus(*row));
        return {};
    case Qt::ToolTipRole:
        switch (index.column()) {
        case NameColumn: {
            QString tip = row->description.isEmpty() ? row->name
                                                     : u"%1\n%2"_s.arg(row->name, row->description);
            if (row->testRun)
                tip += u"\n"_s + tr("A test run: some tasks gave mocked results instead of "
                                    "running.");
            return tip;
        }
        case StatusColumn:
            return row->errorCount > 0 ? tr("%1 — %n error(s)", nullptr, row->errorCount)
                                             .arg(jobstatus::label(shownStatus(*row)))
                                       : jobstatus::label(shownStatus(*row));
        case StartedColumn:
            return jobtime::preciseTimestamp(row->startTime);
        case DurationColumn:
            return row->endTime > 0 ? tr("Ended %1").arg(jobtime::preciseTimestamp(row->endTime))
                                    : QVariant();
        }
        return {};
    case Qt::TextAlignmentRole:
        if (index.column() == DurationColumn || index.column() == ProgressColumn)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case IdRole:
        return row->id;
    case StatusRole:
        return row->status;
    case WaitingRole:
        return row->waiting && row->status == u"running"_s;
    case ProgressRole:
        return shownProgress(*row);
    case LoadedRole:
        return true;
    case TestRunRole:
        return row->testRun;
    }
    return {};
}

QVariant JobsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case NameColumn:
        return tr("Name");
    case StatusColumn:
        return tr("Status");
    case ProgressColumn:
        return tr("Progress");
    case StartedColumn:
        return tr("Started");
    case DurationColumn:
        return tr("Duration");
    case StartedByColumn:
        return tr("Started by");
    case GroupsColumn:
        return tr("Groups");
    }
    return {};
}

QString JobsModel::sortFieldFor(int column)
{
    switch (column) {
    case NameColumn:
        return u"name"_s;
    case StatusColumn:
        return u"status"_s;
    case ProgressColumn:
        return u"metrics.progress"_s;
    case StartedColumn:
        return u"metrics.start_time"_s;
    case DurationColumn:
        // end_time - start_time of a job that has ended; running jobs, which have no run
        // time yet, come last in both directions (docs/api.md, sort fields).
        return u"metrics.run_time"_s;
    case StartedByColumn:
        return u"metrics.user"_s;
    case GroupsColumn:
        // A list has no order of its own: jobs sort by their first group, and jobs open to
        // everyone (no groups) come first ascending.
        return u"groups.0"_s;
    }
    return {};
}

void JobsModel::sort(int column, Qt::SortOrder order)
{
    if (column < 0 || column >= ColumnCount || sortFieldFor(column).isEmpty())
        return;
    if (column == m_sortColumn && order == m_sortOrder && (m_total > 0 || m_resetPending))
        return;
    m_sortColumn = column;
    m_sortOrder = order;
    refresh();
}

void JobsModel::setFilter(const jobrequests::JobFilter &filter)
{
    if (filter == m_filter)
        return;
    m_filter = filter;
    refresh();
}

void JobsModel::refresh()
{
    ++m_generation;
    for (const auto &reply : std::as_const(m_pending))
        if (reply)
            reply->deleteLater();
    m_pending.clear();
    m_wanted.clear();
    m_resetPending = true;
    resolveWaiting([this] { requestPage(0, true); });
}

void JobsModel::resolveWaiting(const std::function<void()> &then)
{
    if (m_filter.status != jobrequests::kWaiting) {
        then();
        return;
    }
    ApiReply *reply = m_client.call(jobrequests::waitingTasks());
    const quint64 generation = m_generation;
    connect(reply, &ApiReply::finished, this, [this, reply, generation, then] {
        reply->deleteLater();
        if (generation != m_generation)
            return;
        m_waitingIds = jobrequests::waitingJobIds(reply->response());
        then();
    });
}

void JobsModel::reloadLoadedPages()
{
    if (m_resetPending)
        return;
    // Under the "waiting" filter the jobs it shows change as tasks are claimed: find them
    // again first. Without it this runs at once.
    if (m_filter.status == jobrequests::kWaiting) {
        const quint64 generation = m_generation;
        resolveWaiting([this, generation] {
            if (generation == m_generation)
                reloadPages();
        });
        return;
    }
    reloadPages();
}

void JobsModel::reloadPages()
{
    if (m_pages.isEmpty()) {
        requestPage(0, false);
        return;
    }
    // The pages used last are the ones on screen; the rest are dropped rather than fetched,
    // and come back fresh if a view shows them again.
    const std::vector<int> keep(
        m_lru.begin(),
        std::next(m_lru.begin(), std::min<std::ptrdiff_t>(kMaxPendingPages, m_lru.size())));
    for (auto it = m_pages.begin(); it != m_pages.end();) {
        if (std::find(keep.begin(), keep.end(), it.key()) == keep.end()) {
            m_lru.erase(it->lru);
            it = m_pages.erase(it);
        } else {
            ++it;
        }
    }
    for (const int page : keep)
        if (!m_pending.contains(page))
            requestPage(page, false);
}

void JobsModel::applyStatus(const QString &jobId, const QString &status)
{
    const int row = rowOf(jobId);
    if (row < 0)
        return;
    Page &page = m_pages[row / kPageSize];
    JobRow &job = page.rows[row % kPageSize];
    if (job.status == status)
        return;
    job.status = status;
    Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
}

void JobsModel::wantPage(int page) const
{
    if (m_resetPending || m_pending.contains(page))
        return;
    m_wanted.removeOne(page);
    m_wanted.append(page);
    // Only the newest wishes are ever sent, so older ones are forgotten: a scroll across the
    // whole table (or a model tester visiting every row) keeps this list short.
    if (m_wanted.size() > 2 * kMaxPendingPages)
        m_wanted.removeFirst();
    if (!m_requestTimer.isActive())
        m_requestTimer.start();
}

void JobsModel::requestWanted()
{
    // Newest wishes first: after a fast scroll only where the view stopped matters.
    QList<int> wanted = std::exchange(m_wanted, {});
    int free = kMaxPendingPages - int(m_pending.size());
    for (auto it = wanted.crbegin(); it != wanted.crend() && free > 0; ++it) {
        if (m_pages.contains(*it) || m_pending.contains(*it))
            continue;
        requestPage(*it, false);
        --free;
    }
}

void JobsModel::requestPage(int page, bool reset)
{
    const auto sortField = sortFieldFor(m_sortColumn);
    jobrequests::JobFilter filter = m_filter;
    filter.jobIds = m_waitingIds;
    ApiReply *reply =
        m_client.call(jobrequests::listJobs(filter, sortField, m_sortOrder == Qt::DescendingOrder,
                                            qint64(page) * kPageSize, kPageSize));
    ++m_requestsSent;
    m_pending.insert(page, reply);
    const quint64 generation = m_generation;
    connect(reply, &ApiReply::finished, this,
            [this, reply, page, reset, generation] { onPage(reply, page, reset, generation); });
}

void JobsModel::onPage(ApiReply *reply, int page, bool reset, quint64 generation)
{
    reply->deleteLater();
    if (generation != m_generation)
        return;
    const api::ApiResponse &response = reply->response();
    const json payload = response.json.is_object() ? response.json.value("data", json()) : json();
    if (!response.ok() || !payload.is_array()) {
        if (m_pending.value(page) == reply)
            m_pending.remove(page);
        if (reset)
            m_resetPending = false;
        Q_EMIT loadFailed(response.ok() ? tr("The engine's answer has no list of jobs.")
                                        : messageOf(response));
        return;
    }
    QVector<JobRow> rows;
    rows.reserve(qsizetype(payload.size()));
    QStringList running;
    for (const json &job : payload) {
        rows.append(JobRow::fromJson(job));
        if (rows.back().status == u"running"_s)
            running.append(rows.back().id);
    }
    const json metadata = response.json.value("metadata", json::object());
    qint64 total = qint64(page) * kPageSize + rows.size();
    if (metadata.is_object() && metadata.contains("total") && metadata["total"].is_number())
        total = std::max<qint64>(metadata["total"].get<qint64>(), 0);
    if (running.isEmpty() || m_filter.status == jobrequests::kWaiting) {
        // Under the "waiting" filter every row is a waiting job already.
        for (JobRow &row : rows)
            row.waiting = m_filter.status == jobrequests::kWaiting && row.status == u"running"_s;
        if (m_pending.value(page) == reply)
            m_pending.remove(page);
        applyPage(page, reset, std::move(rows), total);
        return;
    }
    // Which running jobs wait for a person is asked before the page shows, so a row is never
    // drawn "Running" and then changed: one change per page, as before. The page stays
    // pending meanwhile.
    ApiReply *waiting = m_client.call(jobrequests::waitingTasks(running));
    if (m_pending.value(page) == reply)
        m_pending.insert(page, waiting);
    connect(waiting, &ApiReply::finished, this,
            [this, waiting, page, reset, generation, rows = std::move(rows), total]() mutable {
                waiting->deleteLater();
                if (generation != m_generation)
                    return;
                if (m_pending.value(page) == waiting)
                    m_pending.remove(page);
                // Without an answer the rows show their engine status, which is not wrong.
                const QStringList ids = jobrequests::waitingJobIds(waiting->response());
                for (JobRow &row : rows)
                    row.waiting = row.status == u"running"_s && ids.contains(row.id);
                applyPage(page, reset, std::move(rows), total);
            });
}

void JobsModel::applyPage(int page, bool reset, QVector<JobRow> rows, qint64 total)
{
    if (reset) {
        beginResetModel();
        m_pages.clear();
        m_lru.clear();
        m_total = total;
        storePage(page, std::move(rows));
        m_resetPending = false;
        endResetModel();
        Q_EMIT loaded();
        requestWanted();
        return;
    }

    // A live reload can find more or fewer jobs than before.
    if (total > m_total) {
        beginInsertRows({}, int(m_total), int(std::min<qint64>(total, INT_MAX) - 1));
        m_total = total;
        endInsertRows();
    } else if (total < m_total) {
        beginRemoveRows({}, int(total), int(std::min<qint64>(m_total, INT_MAX) - 1));
        m_total = total;
        const int lastPage = total == 0 ? -1 : int((total - 1) / kPageSize);
        for (auto it = m_pages.begin(); it != m_pages.end();) {
            if (it.key() > lastPage) {
                m_lru.erase(it->lru);
                it = m_pages.erase(it);
            } else {
                ++it;
            }
        }
        endRemoveRows();
    }
    const int first = page * kPageSize;
    if (first >= m_total) {
        requestWanted();
        return;
    }
    storePage(page, std::move(rows));
    const int last = int(std::min<qint64>(first + kPageSize, m_total) - 1);
    Q_EMIT dataChanged(index(first, 0), index(last, ColumnCount - 1));
    evict();
    requestWanted();
}

void JobsModel::storePage(int page, QVector<JobRow> rows)
{
    auto it = m_pages.find(page);
    if (it == m_pages.end()) {
        m_lru.push_front(page);
        it = m_pages.insert(page, Page{{}, m_lru.begin()});
    }
    it->rows = std::move(rows);
    touch(page);
}

void JobsModel::touch(int page) const
{
    const auto it = m_pages.constFind(page);
    if (it == m_pages.cend() || it->lru == m_lru.begin())
        return;
    m_lru.splice(m_lru.begin(), m_lru, it->lru);
}

void JobsModel::evict()
{
    // Dropped pages are off screen: nothing repaints, and a view that scrolls back asks again.
    while (int(m_pages.size()) > kMaxCachedPages) {
        const int oldest = m_lru.back();
        m_lru.pop_back();
        m_pages.remove(oldest);
    }
}

} // namespace flowdeck::ui
