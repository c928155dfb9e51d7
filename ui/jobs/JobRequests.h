// SPDX-License-Identifier: GPL-3.0-or-later
// Builders for the job requests the Jobs and Events pages send (Operations Manager routes,
// §1a of the reference, and the event log), so the views speak in operations and the query
// syntax (§2a) is spelled in one place.
#pragma once

#include "engine/api/ApiTypes.h"

#include <QString>
#include <QStringList>
#include <QUrl>

#include <string>

namespace flowdeck::ui::jobrequests {

/// What the jobs table is narrowed to; empty members do not filter.
struct JobFilter
{
    /// Exact job status ("running", "error", …), or kWaiting: running jobs with a manual task
    /// nobody has claimed, which the engine has no status for; `jobIds` then holds them.
    QString status;
    QString workflow;   ///< exact workflow name (a job carries its workflow's name)
    QString text;       ///< free text: a substring of the job's name or description
    QStringList jobIds; ///< for kWaiting: the jobs found waiting (filled by the model)

    bool operator==(const JobFilter &) const = default;
};

/// The status filter for "Waiting for an operator" (not an engine status).
inline const QString kWaiting = QStringLiteral("waiting");

/// An id no job has: `in[_id]` of it matches nothing, for a "waiting" filter that found none.
inline constexpr const char *kNoJob = "000000000000000000000000";

/// The list fields a job row shows: a page of a million-job store must stay light, so the
/// heavy parts of a job document (tasks, variables, transitions) are left on the server.
inline constexpr const char *kListFields =
    "name,description,status,metrics,groups,created_by,last_updated,error,testRun";

/// Adds the §2a query operators for `filter` to `request`.
inline void applyFilter(api::ApiRequest &request, const JobFilter &filter)
{
    if (filter.status == kWaiting) {
        request.query.emplace("equals[status]", "running");
        request.query.emplace("in[_id]", filter.jobIds.isEmpty()
                                             ? std::string(kNoJob)
                                             : filter.jobIds.join(u',').toStdString());
    } else if (!filter.status.isEmpty()) {
        request.query.emplace("equals[status]", filter.status.toStdString());
    }
    if (!filter.workflow.isEmpty())
        request.query.emplace("equals[name]", filter.workflow.toStdString());
    const QString text = filter.text.trimmed();
    if (!text.isEmpty()) {
        // Name or description: the `q` expression is the one form that can say "or".
        const std::string t = text.toStdString();
        const nlohmann::json q = {
            {"or", nlohmann::json::array(
                       {{{"contains", {{"name", t}}}}, {{"contains", {{"description", t}}}}})}};
        request.query.emplace("q", q.dump());
    }
}

/// One page of GET /operations-manager/jobs: {message, data: [job], metadata: {skip, limit,
/// total, nextPageSkip, previousPageSkip, currentPageSize}}. `sortField` is a job document
/// path ("name", "status", "metrics.start_time"); empty keeps the server's order.
inline api::ApiRequest listJobs(const JobFilter &filter, const QString &sortField, bool descending,
                                qint64 skip, int limit)
{
    api::ApiRequest request;
    request.method = api::Method::Get;
    request.path = "/operations-manager/jobs";
    applyFilter(request, filter);
    if (!sortField.isEmpty()) {
        request.query.emplace("sort", sortField.toStdString());
        request.query.emplace("order", descending ? "-1" : "1");
    }
    request.query.emplace("skip", std::to_string(skip));
    request.query.emplace("limit", std::to_string(limit));
    request.query.emplace("include", kListFields);
    return request;
}

/// The most jobs the "waiting" filter and the per-page lookup ask about at once.
inline constexpr int kWaitingLimit = 1000;

/// GET /operations-manager/tasks for the manual tasks that wait for someone to claim them:
/// {data: [{_id, job: {_id}}], metadata}. Narrowed to `jobIds` when given (a page's running
/// jobs); all of them (up to kWaitingLimit) otherwise.
inline api::ApiRequest waitingTasks(const QStringList &jobIds = {})
{
    api::ApiRequest request;
    request.method = api::Method::Get;
    request.path = "/operations-manager/tasks";
    request.query.emplace("equals[type]", "manual");
    request.query.emplace("equals[status]", "running");
    request.query.emplace("exists[metrics.owner]", "false");
    if (!jobIds.isEmpty())
        request.query.emplace("in[job._id]", jobIds.join(u',').toStdString());
    request.query.emplace("include", "job");
    request.query.emplace("limit", std::to_string(kWaitingLimit));
    return request;
}

/// The job ids of a waitingTasks() answer, each once.
inline QStringList waitingJobIds(const api::ApiResponse &response)
{
    QStringList ids;
    if (!response.ok() || !response.json.is_object())
        return ids;
    const nlohmann::json data = response.json.value("data", nlohmann::json());
    if (!data.is_array())
        return ids;
    for (const nlohmann::json &task : data) {
        if (!task.is_object() || !task.contains("job") || !task["job"].is_object())
            continue;
        const nlohmann::json id = task["job"].value("_id", nlohmann::json());
        if (id.is_string()) {
            const QString text = QString::fromStdString(id.get<std::string>());
            if (!ids.contains(text))
                ids.append(text);
        }
    }
    return ids;
}

/// Which way GET /events reads the job event log from its cursor.
enum class EventOrder {
    Newest, ///< newest first from the newest event (`newest=true`)
    Before, ///< newest first, seq < cursor (`before=N`): older history
    After,  ///< oldest first, seq > cursor (`after=N`): what happened since
};

/// GET /events: {message, data: [{seq, jobId, jobName, at, actor, kind, data, taskName?}],
/// metadata: {limit, more, next, after | before, latest?}}. Pass `next` back as the cursor
/// to continue the same way; `latest` (Newest only) is where After continues from. Events of
/// jobs hidden from the caller are left out. `limit` is 1–500.
inline api::ApiRequest events(EventOrder order, qint64 cursor, int limit)
{
    api::ApiRequest request;
    request.method = api::Method::Get;
    request.path = "/events";
    switch (order) {
    case EventOrder::Newest:
        request.query.emplace("newest", "true");
        break;
    case EventOrder::Before:
        request.query.emplace("before", std::to_string(cursor));
        break;
    case EventOrder::After:
        request.query.emplace("after", std::to_string(cursor));
        break;
    }
    request.query.emplace("limit", std::to_string(limit));
    return request;
}

/// GET /events?jobId=&newest=true: one job's events, newest first (its History tab).
inline api::ApiRequest jobEvents(const QString &jobId, int limit)
{
    api::ApiRequest request = events(EventOrder::Newest, 0, limit);
    request.query.emplace("jobId", jobId.toStdString());
    return request;
}

/// GET /operations-manager/jobs/:id → {message, data: job document}; 404 when it is gone.
inline api::ApiRequest job(const QString &jobId)
{
    api::ApiRequest request;
    request.method = api::Method::Get;
    request.path = "/operations-manager/jobs/" + QUrl::toPercentEncoding(jobId).toStdString();
    return request;
}

/// The bulk job operations, POST /operations-manager/jobs/<verb> {jobIds}.
enum class BulkAction { Pause, Resume, Cancel };

inline api::ApiRequest bulk(BulkAction action, const QStringList &jobIds)
{
    api::ApiRequest request;
    request.method = api::Method::Post;
    const char *verb = action == BulkAction::Pause    ? "pause"
                       : action == BulkAction::Resume ? "resume"
                                                      : "cancel";
    request.path = std::string("/operations-manager/jobs/") + verb;
    nlohmann::json ids = nlohmann::json::array();
    for (const QString &id : jobIds)
        ids.push_back(id.toStdString());
    request.body = {{"jobIds", std::move(ids)}};
    return request;
}

} // namespace flowdeck::ui::jobrequests
