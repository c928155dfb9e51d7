// SPDX-License-Identifier: GPL-3.0-or-later
// Builders for the requests the window sends, so views speak in operations ("the detail of
// this workflow") instead of paths. Typed convenience lives here, not in ConsoleClient.
#pragma once

#include "engine/api/ApiTypes.h"

#include <QString>
#include <QUrl>

#include <string>
#include <utility>

namespace flowdeck::ui::requests {

/// One page of GET /automation-studio/workflows: {items: [document…], total}.
inline api::ApiRequest listWorkflows(int skip, int limit)
{
    api::ApiRequest request;
    request.method = api::Method::Get;
    request.path = "/automation-studio/workflows";
    request.query.emplace("skip", std::to_string(skip));
    request.query.emplace("limit", std::to_string(limit));
    return request;
}

/// GET /automation-studio/workflows/detailed/:name: the document with its _id; 404 if gone.
inline api::ApiRequest workflowDetail(const QString &name)
{
    api::ApiRequest request;
    request.method = api::Method::Get;
    // The router percent-decodes parameters, so a name with "/" or "%" must be encoded.
    request.path =
        "/automation-studio/workflows/detailed/" + QUrl::toPercentEncoding(name).toStdString();
    return request;
}

/// POST /automation-studio/automations/import: workflows, JSTs and automation exports
/// (docs/api.md, "Importing real exports"). Without `partial`, all workflows and JSTs or none:
/// 400 with details = [{source: "/automations/<index>", name, issues}] when any is invalid; 409
/// when a name exists and `overwrite` is false (with it, an existing one gets a new version).
inline api::ApiRequest importWorkflows(nlohmann::json documents, bool overwrite = false,
                                       bool partial = false)
{
    api::ApiRequest request;
    request.method = api::Method::Post;
    request.path = "/automation-studio/automations/import";
    request.body = {{"automations", std::move(documents)}};
    if (overwrite)
        request.body["overwrite"] = true;
    // The rest of a batch: what can be stored is, duplicates keep their newest document.
    if (partial) {
        request.body["partial"] = true;
        request.body["duplicates"] = "newest";
    }
    return request;
}

/// POST /workflow_builder/export: the stored document exactly as imported; 404 if gone.
inline api::ApiRequest exportWorkflow(const QString &name)
{
    api::ApiRequest request;
    request.method = api::Method::Post;
    request.path = "/workflow_builder/export";
    request.body = {{"options", {{"name", name.toStdString()}}}};
    return request;
}

} // namespace flowdeck::ui::requests
