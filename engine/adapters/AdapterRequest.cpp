// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/adapters/AdapterRequest.h"

#include "engine/adapters/PackageRequest.h"

#include <QUrlQuery>

namespace flowdeck::adapters {

using nlohmann::json;

namespace {

/// A parameter's value as text: strings as they are, everything else as JSON.
QString text(const json &value)
{
    if (value.is_string())
        return QString::fromStdString(value.get<std::string>());
    return QString::fromStdString(value.dump());
}

std::string joinPaths(std::string a, const std::string &b)
{
    if (b.empty())
        return a;
    while (!a.empty() && a.back() == '/')
        a.pop_back();
    return a + (b.front() == '/' ? b : "/" + b);
}

} // namespace

QUrl instanceUrl(const json &properties, const std::string &path, bool underBasePath)
{
    const bool tls = properties.value("ssl", json::object()).value("enabled", false) ||
                     properties.value("protocol", std::string("https")) == "https";
    QUrl url;
    url.setScheme(tls ? QStringLiteral("https") : QStringLiteral("http"));
    url.setHost(QString::fromStdString(properties.value("host", std::string())));
    url.setPort(properties.value("port", tls ? 443 : 80));
    std::string full;
    if (underBasePath) {
        full = joinPaths(full, properties.value("base_path", std::string()));
        full = joinPaths(full, properties.value("version", std::string()));
    }
    full = joinPaths(full, path);
    if (full.empty() || full.front() != '/')
        full = "/" + full;
    url.setPath(QString::fromStdString(full), QUrl::DecodedMode);
    return url;
}

std::optional<AdapterOutcome> buildRequest(const json &properties, const json &method,
                                           const json &input, const std::string &origin,
                                           AdapterRequest &out)
{
    if (isPackageMethod(method))
        return buildPackageRequest(properties, method, input, origin, out);
    const json inputs = method.value("inputs", json::array());
    for (const auto &in : inputs) {
        const std::string name = in.value("name", std::string());
        if (in.value("required", false) && (!input.contains(name) || input[name].is_null()))
            return AdapterOutcome::failure("AD.301", origin,
                                           "Missing Data: the input \"" + name + "\" (" +
                                               in.value("in", std::string()) + ") is required by " +
                                               method.value("name", std::string()),
                                           "Give the task a value for " + name, "Missing Data");
    }
    std::string path = method.value("path", std::string("/"));
    QUrlQuery query;
    out.headers.clear();
    out.body.clear();
    for (const auto &in : inputs) {
        const std::string name = in.value("name", std::string());
        const std::string where = in.value("in", std::string());
        if (!input.contains(name) || input[name].is_null())
            continue;
        const json &value = input[name];
        if (where == "path") {
            const QByteArray encoded = QUrl::toPercentEncoding(text(value));
            const std::string placeholder = "{" + name + "}";
            for (auto at = path.find(placeholder); at != std::string::npos;
                 at = path.find(placeholder, at + encoded.size()))
                path.replace(at, placeholder.size(), encoded.toStdString());
        } else if (where == "query") {
            if (value.is_array())
                for (const auto &item : value)
                    query.addQueryItem(QString::fromStdString(name), text(item));
            else
                query.addQueryItem(QString::fromStdString(name), text(value));
        } else if (where == "header") {
            out.headers.append({QByteArray::fromStdString(name), text(value).toUtf8()});
        } else if (where == "body") {
            const std::string type = method.value("contentType", std::string("application/json"));
            if (value.is_string() && type.find("json") == std::string::npos)
                out.body = QByteArray::fromStdString(value.get<std::string>());
            else
                out.body = QByteArray::fromStdString(value.dump());
            out.headers.append({"Content-Type", QByteArray::fromStdString(type)});
        }
    }
    out.verb = QByteArray::fromStdString(method.value("verb", std::string("GET")));
    // The path's encoded inputs must stay encoded: build the URL from the encoded form.
    QUrl url = instanceUrl(properties, "", true);
    std::string base = url.path(QUrl::FullyEncoded).toStdString();
    url.setPath(QString::fromStdString(joinPaths(base == "/" ? std::string() : base, path)),
                QUrl::TolerantMode);
    if (!query.isEmpty())
        url.setQuery(query);
    out.url = url;
    return std::nullopt;
}

QByteArray formatCredential(const std::string &format, const std::string &token,
                            const std::string &username, const std::string &password)
{
    auto fill = [&](std::string s) {
        auto replaceAll = [&s](const std::string &from, const std::string &to) {
            for (auto at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size()))
                s.replace(at, from.size(), to);
        };
        replaceAll("{token}", token);
        replaceAll("{username}", username);
        replaceAll("{password}", password);
        return s;
    };
    std::string s = fill(format);
    for (auto open = s.find("{b64}"); open != std::string::npos; open = s.find("{b64}")) {
        const auto close = s.find("{/b64}", open);
        if (close == std::string::npos)
            break;
        const std::string inner = s.substr(open + 5, close - open - 5);
        s.replace(open, close + 6 - open,
                  QByteArray::fromStdString(inner).toBase64().toStdString());
    }
    return QByteArray::fromStdString(s);
}

} // namespace flowdeck::adapters
