// SPDX-License-Identifier: GPL-3.0-or-later
// The requests the job detail's task panel sends about one task of one job: its runs
// (iterations, with their resolved incoming and outgoing values), retry, and continue from it
// (Operations Manager routes, §1a and §1b of the reference).
#pragma once

#include "engine/api/ApiTypes.h"

#include <QString>
#include <QUrl>

#include <string>

namespace flowdeck::ui::taskrunrequests {

/// The most runs the panel lists: a task in a loop that ran more often shows its latest ones.
inline constexpr int kMaxRuns = 200;

inline std::string segment(const QString &value)
{
    return QUrl::toPercentEncoding(value).toStdString();
}

/// GET /operations-manager/tasks?equals[job._id]=…&equals[job.task]=…: every run of the task,
/// newest first, each {_id, iteration, status, incoming, outgoing, error, metrics…}.
inline api::ApiRequest runs(const QString &jobId, const QString &taskKey)
{
    api::ApiRequest request;
    request.method = api::Method::Get;
    request.path = "/operations-manager/tasks";
    request.query.emplace("equals[job._id]", jobId.toStdString());
    request.query.emplace("equals[job.task]", taskKey.toStdString());
    request.query.emplace("sort", "metrics.start_time");
    request.query.emplace("order", "-1");
    request.query.emplace("limit", std::to_string(kMaxRuns));
    return request;
}

/// POST /operations-manager/jobs/:jobId/tasks/:taskKey/retry: runs a task in error or failure
/// again, and what follows it; 409 when the task did not fail or the job is finished.
inline api::ApiRequest retry(const QString &jobId, const QString &taskKey)
{
    api::ApiRequest request;
    request.method = api::Method::Post;
    request.path =
        "/operations-manager/jobs/" + segment(jobId) + "/tasks/" + segment(taskKey) + "/retry";
    request.body = nlohmann::json::object();
    return request;
}

/// POST /operations-manager/jobs/:jobId/continue {fromTask}: an errored or paused job runs on
/// from this task; 409 for a job in another state.
inline api::ApiRequest continueFrom(const QString &jobId, const QString &taskKey)
{
    api::ApiRequest request;
    request.method = api::Method::Post;
    request.path = "/operations-manager/jobs/" + segment(jobId) + "/continue";
    request.body = {{"fromTask", taskKey.toStdString()}};
    return request;
}

} // namespace flowdeck::ui::taskrunrequests
