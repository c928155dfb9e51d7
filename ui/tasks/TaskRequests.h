// SPDX-License-Identifier: GPL-3.0-or-later
// The requests the inbox and the task form send: the operator's manual tasks, claim, assign
// (and the accounts to assign to), release, the manual-task controller and finish. Iteration
// ids (UUIDs) name a run of a task for claim/assign/release; the job id and the
// workflow-local task key name it for the controller and finish, as in the Operations Manager
// API.
#pragma once

#include "engine/api/ApiTypes.h"

#include <QString>
#include <QUrl>

#include <string>
#include <utility>

namespace flowdeck::ui::requests {

namespace detail {

/// One path segment, percent-encoded: the router decodes parameters.
inline std::string segment(const QString &value)
{
    return QUrl::toPercentEncoding(value).toStdString();
}

inline api::ApiRequest post(std::string path, nlohmann::json body = nullptr)
{
    api::ApiRequest request;
    request.method = api::Method::Post;
    request.path = std::move(path);
    request.body = std::move(body);
    return request;
}

} // namespace detail

/// GET /operations-manager/tasks?equals[type]=manual&equals[status]=running: the manual
/// tasks waiting for a person that the caller may see (GBAC decides), claimed or not;
/// {data: [iteration…], metadata: {total…}}.
inline api::ApiRequest waitingManualTasks(int limit)
{
    api::ApiRequest request;
    request.method = api::Method::Get;
    request.path = "/operations-manager/tasks";
    request.query.emplace("equals[type]", "manual");
    request.query.emplace("equals[status]", "running");
    request.query.emplace("limit", std::to_string(limit));
    return request;
}

/// POST /operations-manager/tasks/:iterationId/claim: the caller becomes the owner; 409 when
/// someone else owns it or the run is over.
inline api::ApiRequest claimTask(const QString &iterationId)
{
    return detail::post("/operations-manager/tasks/" + detail::segment(iterationId) + "/claim");
}

/// POST /operations-manager/tasks/:iterationId/release: back to available; 403 when it is
/// someone else's and the caller may not assign.
inline api::ApiRequest releaseTask(const QString &iterationId)
{
    return detail::post("/operations-manager/tasks/" + detail::segment(iterationId) + "/release");
}

/// POST /operations-manager/tasks/:iterationId/assign {userId}: 400/404 name a user that
/// does not exist or may not work the task.
inline api::ApiRequest assignTask(const QString &iterationId, const QString &userId)
{
    return detail::post("/operations-manager/tasks/" + detail::segment(iterationId) + "/assign",
                        {{"userId", userId.toStdString()}});
}

/// GET /authorization/accounts?equals[disabled]=false: the people a task can be assigned to,
/// by username: {data: [{_id, username, displayName, groups: [{_id, name}], roles,
/// disabled}], metadata: {total…}}. Never carries secrets.
inline api::ApiRequest activeAccounts(int limit)
{
    api::ApiRequest request;
    request.method = api::Method::Get;
    request.path = "/authorization/accounts";
    request.query.emplace("equals[disabled]", "false");
    request.query.emplace("limit", std::to_string(limit));
    return request;
}

/// GET /operations-manager/jobs/:jobId/tasks/:taskKey/manual-controller: what the task's
/// form shows and collects (header, message, body, show, fields, buttons, owner).
inline api::ApiRequest manualTaskController(const QString &jobId, const QString &taskKey)
{
    api::ApiRequest request;
    request.method = api::Method::Get;
    request.path = "/operations-manager/jobs/" + detail::segment(jobId) + "/tasks/" +
                   detail::segment(taskKey) + "/manual-controller";
    return request;
}

/// POST /operations-manager/jobs/:jobId/tasks/:taskKey/finish {taskData: {finish_state,
/// variables}}: the job moves on along the transitions of `finishState`. 400 with details
/// [{instancePath: "/variables/<name>", message}] for values that do not fit.
inline api::ApiRequest finishTask(const QString &jobId, const QString &taskKey,
                                  const QString &finishState, nlohmann::json variables)
{
    return detail::post(
        "/operations-manager/jobs/" + detail::segment(jobId) + "/tasks/" +
            detail::segment(taskKey) + "/finish",
        {{"taskData",
          {{"finish_state", finishState.toStdString()}, {"variables", std::move(variables)}}}});
}

/// GET /operations-manager/jobs/:jobId: the whole job document (after a finish, to say where
/// the job went).
inline api::ApiRequest job(const QString &jobId)
{
    api::ApiRequest request;
    request.method = api::Method::Get;
    request.path = "/operations-manager/jobs/" + detail::segment(jobId);
    return request;
}

} // namespace flowdeck::ui::requests
