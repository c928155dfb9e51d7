// SPDX-License-Identifier: GPL-3.0-or-later
// The requests the Adapters page sends: the instances, one with its methods, the properties
// schema, create, update, delete, the health of all and a connection test of one (the
// /adapters routes of engine/api/AdaptersApi.cpp).
#pragma once

#include "engine/api/ApiTypes.h"

#include <QString>
#include <QUrl>

#include <string>
#include <utility>

namespace flowdeck::ui::requests {

inline std::string adapterPath(const QString &name)
{
    // The router percent-decodes parameters, so a name with "/" or "%" must be encoded.
    return "/adapters/" + QUrl::toPercentEncoding(name).toStdString();
}

/// GET /adapters: {results: [instance…], total}; secrets masked.
inline api::ApiRequest listAdapters()
{
    api::ApiRequest request;
    request.method = api::Method::Get;
    request.path = "/adapters";
    return request;
}

/// GET /adapters/:name: the instance with its methods (inputs, input and output schemas).
inline api::ApiRequest adapterDetail(const QString &name)
{
    api::ApiRequest request;
    request.method = api::Method::Get;
    request.path = adapterPath(name);
    return request;
}

/// GET /adapters/schema/properties: the JSON Schema the engine validates properties with.
inline api::ApiRequest adapterPropertiesSchema()
{
    api::ApiRequest request;
    request.method = api::Method::Get;
    request.path = "/adapters/schema/properties";
    return request;
}

/// POST /adapters {name, app, openapi (the document's text), properties}: 201 with the
/// instance; 400 with details pointing into the properties or the document; 409 when taken.
inline api::ApiRequest createAdapter(const QString &name, const QString &app,
                                     const QString &openApiText, nlohmann::json properties)
{
    api::ApiRequest request;
    request.method = api::Method::Post;
    request.path = "/adapters";
    request.body = {{"name", name.toStdString()},
                    {"app", app.toStdString()},
                    {"openapi", openApiText.toStdString()},
                    {"properties", std::move(properties)}};
    return request;
}

/// PUT /adapters/:name {properties}: replaces the properties; a secret sent as the mask keeps
/// its stored value. 400 with details [{instancePath, message}].
inline api::ApiRequest updateAdapterProperties(const QString &name, nlohmann::json properties)
{
    api::ApiRequest request;
    request.method = api::Method::Put;
    request.path = adapterPath(name);
    request.body = {{"properties", std::move(properties)}};
    return request;
}

/// DELETE /adapters/:name.
inline api::ApiRequest deleteAdapter(const QString &name)
{
    api::ApiRequest request;
    request.method = api::Method::Delete;
    request.path = adapterPath(name);
    return request;
}

/// GET /health/adapters: [{id, app, connection: {state, latency, error, checked, checking}}].
inline api::ApiRequest adaptersHealth()
{
    api::ApiRequest request;
    request.method = api::Method::Get;
    request.path = "/health/adapters";
    return request;
}

/// POST /adapters/:name/test: starts the health check (202); adaptersHealth() shows the
/// outcome once `checking` is gone.
inline api::ApiRequest testAdapter(const QString &name)
{
    api::ApiRequest request;
    request.method = api::Method::Post;
    request.path = adapterPath(name) + "/test";
    return request;
}

} // namespace flowdeck::ui::requests
