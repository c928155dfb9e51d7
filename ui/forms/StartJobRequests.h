// SPDX-License-Identifier: GPL-3.0-or-later
// The request that starts a job from a workflow, as the start-job dialog sends it.
#pragma once

#include "engine/api/ApiTypes.h"

#include <QString>

#include <utility>

namespace flowdeck::ui::requests {

/// POST /operations-manager/jobs/start {workflow, options: {type, description?, variables,
/// groups?, mocks?}}: the new job in `data` (its "_id"). 400 names the variable that does not fit
/// the workflow's inputSchema; 403/404 when the caller may not start it.
/// `mocks` (a test run): {TASKID: {finish_state, outgoing}}, the form `flowdeck run --mock`
/// takes; those tasks give that result instead of running, and the job is marked "testRun".
inline api::ApiRequest startJob(const QString &workflow, nlohmann::json variables,
                                const QString &description, nlohmann::json groups = nullptr,
                                nlohmann::json mocks = nullptr)
{
    api::ApiRequest request;
    request.method = api::Method::Post;
    request.path = "/operations-manager/jobs/start";
    nlohmann::json options = {{"type", "automation"}, {"variables", std::move(variables)}};
    if (!description.trimmed().isEmpty())
        options["description"] = description.trimmed().toStdString();
    if (groups.is_array())
        options["groups"] = std::move(groups);
    if (mocks.is_object() && !mocks.empty())
        options["mocks"] = std::move(mocks);
    request.body = {{"workflow", workflow.toStdString()}, {"options", std::move(options)}};
    return request;
}

} // namespace flowdeck::ui::requests
