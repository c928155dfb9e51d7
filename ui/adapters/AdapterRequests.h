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

inline api::ApiRequest adapterRequest(api::Method method, std::string path)
{
    api::ApiRequest request;
    request.method = method;
    request.path = std::move(path);
    return request;
}

inline std::string adapterPath(const QString &name)
{
    // The router percent-decodes parameters, so a name with "/" or "%" must be encoded.
    return "/adapters/" + QUrl::toPercentEncoding(name).toStdString();
}

/// GET /adapters: {results: [instance…], total}; secrets masked.
inline api::ApiRequest listAdapters()
{
    return adapterRequest(api::Method::Get, "/adapters");
}

/// GET /adapters/:name: the instance with its methods (inputs, input and output schemas).
inline api::ApiRequest adapterDetail(const QString &name)
{
    return adapterRequest(api::Method::Get, adapterPath(name));
}

/// GET /adapters/schema/properties: the JSON Schema the engine validates properties with.
inline api::ApiRequest adapterPropertiesSchema()
{
    return adapterRequest(api::Method::Get, "/adapters/schema/properties");
}

/// POST /adapters {name, app, openapi (the document's text), properties}: 201 with the
/// instance; 400 with details pointing into the properties or the document; 409 when taken.
inline api::ApiRequest createAdapter(const QString &name, const QString &app,
                                     const QString &openApiText, nlohmann::json properties)
{
    api::ApiRequest request = adapterRequest(api::Method::Post, "/adapters");
    request.body = {{"name", name.toStdString()},
                    {"app", app.toStdString()},
                    {"openapi", openApiText.toStdString()},
                    {"properties", std::move(properties)}};
    return request;
}

/// POST /adapters {name, itential, properties}: an instance of an Itential adapter package,
/// given as its files (adapters::readItentialPackage); without an app, the package's own.
inline api::ApiRequest createAdapterFromPackage(const QString &name, const QString &app,
                                                nlohmann::json files, nlohmann::json properties)
{
    api::ApiRequest request = adapterRequest(api::Method::Post, "/adapters");
    request.body = {{"name", name.toStdString()},
                    {"itential", std::move(files)},
                    {"properties", std::move(properties)}};
    if (!app.isEmpty())
        request.body["app"] = app.toStdString();
    return request;
}

/// PUT /adapters/:name {properties}: replaces the properties; a secret sent as the mask keeps
/// its stored value. 400 with details [{instancePath, message}].
inline api::ApiRequest updateAdapterProperties(const QString &name, nlohmann::json properties)
{
    api::ApiRequest request = adapterRequest(api::Method::Put, adapterPath(name));
    request.body = {{"properties", std::move(properties)}};
    return request;
}

/// DELETE /adapters/:name.
inline api::ApiRequest deleteAdapter(const QString &name)
{
    return adapterRequest(api::Method::Delete, adapterPath(name));
}

/// GET /health/adapters: [{id, app, connection: {state, latency, error, checked, checking}}].
inline api::ApiRequest adaptersHealth()
{
    return adapterRequest(api::Method::Get, "/health/adapters");
}

/// POST /adapters/:name/test: starts the health check (202); adaptersHealth() shows the
/// outcome once `checking` is gone.
inline api::ApiRequest testAdapter(const QString &name)
{
    return adapterRequest(api::Method::Post, adapterPath(name) + "/test");
}

} // namespace flowdeck::ui::requests
