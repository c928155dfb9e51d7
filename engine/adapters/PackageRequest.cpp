// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/adapters/PackageRequest.h"

#include "engine/adapters/EntityTranslator.h"
#include "engine/adapters/XmlToJson.h"
#include "engine/model/JsonParse.h"

#include <QRegularExpression>
#include <QUrlQuery>

#include <cctype>
#include <cmath>
#include <cstring>
#include <map>

namespace flowdeck::adapters {

using nlohmann::json;

namespace {

/// What a call gives the request, once its inputs are read.
struct CallParts
{
    json action; ///< the entity action
    std::string actionName;
    bool returnData = true;
    std::vector<json> pathVars; ///< in order; null where not given
    json query = json::object();
    json body; ///< null when none
    json headers = json::object();
};

bool given(const json &input, const std::string &name)
{
    const auto it = input.find(name);
    return it != input.end() && !it->is_null() && *it != json("");
}

/// adapter-utils' formatInputData: a string holding JSON is that JSON.
json formatInput(const json &value)
{
    if (!value.is_string())
        return value;
    const std::string &s = value.get_ref<const std::string &>();
    if (auto parsed = parseJson(s))
        return std::move(*parsed);
    return value;
}

/// A value as JavaScript's String() writes it.
std::string jsString(const json &value)
{
    if (value.is_string())
        return value.get<std::string>();
    if (value.is_null())
        return "null";
    if (value.is_number_float()) {
        const double d = value.get<double>();
        if (std::isfinite(d) && d == std::floor(d) && std::fabs(d) < 1e15)
            return std::to_string(static_cast<long long>(d));
    }
    if (value.is_array()) {
        std::string out;
        for (std::size_t i = 0; i < value.size(); ++i)
            out += (i ? "," : "") + (value[i].is_null() ? std::string() : jsString(value[i]));
        return out;
    }
    if (value.is_object())
        return "[object Object]";
    return value.dump();
}

/// JavaScript's encodeURIComponent (and Node's querystring.escape): everything but
/// A–Z a–z 0–9 - _ . ! ~ * ' ( ) is %XX of its UTF-8 bytes.
std::string encodeComponent(const std::string &raw)
{
    static const char *hex = "0123456789ABCDEF";
    std::string out;
    for (const char ch : raw) {
        const auto c = static_cast<unsigned char>(ch);
        if (std::isalnum(c) || std::strchr("-_.!~*'()", c)) {
            out += char(c);
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

/// Node's querystring.stringify: arrays repeat their key, objects and null are empty.
std::string stringifyQuery(const json &object)
{
    std::string out;
    auto pair = [&](const std::string &key, const json &value) {
        if (!out.empty())
            out += '&';
        const bool plain = value.is_string() || value.is_number() || value.is_boolean();
        out += encodeComponent(key) + '=' + (plain ? encodeComponent(jsString(value)) : "");
    };
    for (const auto &[key, value] : object.items()) {
        if (value.is_array()) {
            for (const auto &v : value)
                pair(key, v);
        } else {
            pair(key, value);
        }
    }
    return out;
}

/// Node's querystring.parse, for URLENCODE answers.
json parseQuery(const std::string &text)
{
    json out = json::object();
    const QUrlQuery query(QString::fromStdString(text).trimmed());
    for (const auto &[k, v] : query.queryItems(QUrl::FullyDecoded)) {
        const std::string key = k.toStdString();
        const json value = v.toStdString();
        if (!out.contains(key))
            out[key] = value;
        else if (out[key].is_array())
            out[key].push_back(value);
        else
            out[key] = json::array({out[key], value});
    }
    return out;
}

std::string upper(std::string s)
{
    for (auto &c : s)
        c = char(std::toupper(static_cast<unsigned char>(c)));
    return s;
}

std::string datatype(const json &action, const char *key)
{
    const std::string t = upper(action.value(key, std::string("JSON")));
    return t.empty() ? "JSON" : t;
}

bool replaceFirst(std::string &s, const std::string &from, const std::string &to)
{
    const auto at = s.find(from);
    if (at == std::string::npos)
        return false;
    s.replace(at, from.size(), to);
    return true;
}

void replaceAll(std::string &s, const std::string &from, const std::string &to)
{
    for (auto at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size()))
        s.replace(at, from.size(), to);
}

/// The shape {"input"} / {"object"} of a binding read from the call's inputs.
json shaped(const json &shape, const json &input)
{
    if (!shape.is_object())
        return nullptr;
    if (shape.contains("input")) {
        const std::string name = shape["input"].get<std::string>();
        return input.contains(name) ? formatInput(input[name]) : json(nullptr);
    }
    json out = json::object();
    for (const auto &entry : shape.value("object", json::array())) {
        const std::string name = entry[1].get<std::string>();
        if (input.contains(name))
            out[entry[0].get<std::string>()] = input[name];
    }
    return out;
}

/// A generic request's action: the package's .generic one when it has it, else the one every
/// generated package has.
json genericAction(const json &binding, const std::string &verb, std::size_t segments,
                   std::string &name)
{
    static const std::map<std::string, std::string> byVerb = {{"GET", "getGenerics"},
                                                              {"POST", "createGeneric"},
                                                              {"PUT", "updateGeneric"},
                                                              {"PATCH", "patchGeneric"},
                                                              {"DELETE", "deleteGeneric"}};
    const bool noBase = binding.value("noBasePath", false);
    const auto it = byVerb.find(verb);
    name = (it == byVerb.end() ? std::string("getGenerics") : it->second) +
           (noBase ? std::string("NoBase") : std::string());
    const json actions = binding.value("actions", json::object());
    if (actions.contains(name))
        return actions[name];
    std::string path = noBase ? "" : "{base_path}/{version}";
    for (std::size_t i = 1; i <= std::max<std::size_t>(segments, 1); ++i)
        path += "/{pathv" + std::to_string(i) + "}";
    path += "{query}";
    return {{"name", name},
            {"method", verb},
            {"entitypath", path},
            {"requestDatatype", "JSON"},
            {"responseDatatype", "JSON"},
            {"responseObjects", json::array({{{"type", "default"}, {"key", ""}}})}};
}

/// The call's parts, or the error object of a missing required input.
std::optional<AdapterOutcome> readParts(const json &method, const json &input,
                                        const std::string &origin, CallParts &parts)
{
    const json &b = method["binding"];
    auto missing = [&](const std::string &name) {
        return AdapterOutcome::failure("AD.300", origin, name + " is required",
                                       "Give the task's \"" + name + "\" a value");
    };
    if (b.value("generic", false)) {
        for (const char *name : {"uriPath", "restMethod"})
            if (!given(input, name))
                return missing(name);
        std::string uriPath = jsString(input["uriPath"]);
        while (!uriPath.empty() && uriPath.front() == '/')
            uriPath.erase(0, 1);
        for (const QString &seg : QString::fromStdString(uriPath).split(QLatin1Char('/')))
            parts.pathVars.push_back(seg.toStdString());
        const std::string verb = upper(jsString(input["restMethod"]));
        parts.action = genericAction(b, verb, parts.pathVars.size(), parts.actionName);
        parts.returnData = verb != "DELETE";
        if (input.contains("queryData") && formatInput(input["queryData"]).is_object())
            for (const auto &[k, v] : formatInput(input["queryData"]).items())
                if (!v.is_null() && v != json(""))
                    parts.query[k] = v;
        parts.body = input.contains("requestBody") ? formatInput(input["requestBody"]) : json();
        parts.headers =
            input.contains("addlHeaders") ? formatInput(input["addlHeaders"]) : json::object();
        return std::nullopt;
    }
    for (const auto &name : b.value("required", json::array()))
        if (!given(input, name.get<std::string>()))
            return missing(name.get<std::string>());
    parts.action = b["actionDefinition"];
    parts.actionName = b.value("action", std::string());
    parts.returnData = b.value("returnData", true);
    for (const auto &name : b.value("pathVars", json::array()))
        parts.pathVars.push_back(input.value(name.get<std::string>(), json()));
    for (const auto &entry : b.value("query", json::array())) {
        const std::string name = entry[1].get<std::string>();
        if (given(input, name))
            parts.query[entry[0].get<std::string>()] = input[name];
    }
    parts.body = shaped(b.value("body", json()), input);
    parts.headers = shaped(b.value("headers", json()), input);
    if (!parts.headers.is_object())
        parts.headers = json::object();
    return std::nullopt;
}

/// adapter-utils' buildRequestPath.
Result<std::string> requestPath(const json &properties, const CallParts &parts)
{
    std::string path = parts.action.value("entitypath", std::string());
    const std::string basePath = properties.value("base_path", std::string());
    const std::string version = properties.value("version", std::string());
    if (path.find("{base_path}") != std::string::npos) {
        const std::string token =
            path.find("/{base_path}") != std::string::npos ? "/{base_path}" : "{base_path}";
        replaceFirst(path, token,
                     basePath.empty()          ? std::string()
                     : basePath.front() == '/' ? basePath
                                               : "/" + basePath);
    }
    if (path.find("{version}") != std::string::npos) {
        const std::string token =
            path.find("/{version}") != std::string::npos ? "/{version}" : "{version}";
        replaceFirst(path, token, version.empty() ? std::string() : "/" + encodeComponent(version));
    }
    const bool encodePath = properties.value("encode_pathvars", true);
    for (std::size_t i = 0; i < parts.pathVars.size(); ++i) {
        const json &v = parts.pathVars[i];
        if (v.is_null() || v == json(""))
            continue;
        const std::string holder = "pathv" + std::to_string(i + 1);
        const auto at = path.find("{" + holder + "}");
        if (at == std::string::npos)
            continue;
        const std::string text = encodePath ? encodeComponent(jsString(v)) : jsString(v);
        const char before = at >= 1 ? path[at - 1] : '\0';
        replaceFirst(path, "{" + holder + "}", before == '/' || before == ':' ? text : "/" + text);
    }
    // Path variables not given go, with the slash before them.
    for (auto at = path.find("{pathv"); at != std::string::npos; at = path.find("{pathv")) {
        const auto end = path.find('}', at);
        if (end == std::string::npos)
            return Error::invalid("the action's entitypath has an unclosed {pathv");
        std::size_t start = at;
        if (start > 0 && (path[start - 1] == '/' || path[start - 1] == ':'))
            --start;
        path.erase(start, end + 1 - start);
    }
    std::string addQuery;
    if (path.find("{query}") != std::string::npos && !parts.query.empty()) {
        json query = parts.query;
        auto external = toExternal(std::move(query), parts.action.value("requestSchema", json()),
                                   parts.actionName);
        if (!external)
            return external.error();
        if (external->is_object() && !external->empty()) {
            addQuery = parts.action.value("querykey", std::string("?"));
            const bool encode = properties.value("encode_queryvars", true);
            const bool keys = properties.value("query_keys", true);
            if (encode && keys) {
                addQuery += stringifyQuery(*external);
            } else {
                bool first = true;
                for (const auto &[k, v] : external->items()) {
                    if (!first)
                        addQuery += '&';
                    first = false;
                    if (keys)
                        addQuery += k + "=" + jsString(v);
                    else
                        addQuery += encode ? encodeComponent(jsString(v)) : jsString(v);
                }
            }
        }
    }
    const auto q = path.find("{query}");
    if (q != std::string::npos) {
        const auto mark = path.find('?');
        if (mark != std::string::npos && mark < q &&
            (addQuery.empty() || addQuery.find('?') != std::string::npos))
            path = path.substr(0, mark) + addQuery + path.substr(q + 7);
        else
            path.replace(q, 7, addQuery);
    }
    while (path.rfind("//", 0) == 0)
        path.erase(0, 1);
    if (path.empty() || path.front() != '/')
        path = "/" + path;
    replaceAll(path, "//", "/");
    replaceAll(path, "=/", "=");
    return path;
}

/// adapter-utils' mergeHeaders: the call's headers over the action's, then the global ones,
/// with Content-Type and Accept by the datatypes unless given ("" removes them).
json requestHeaders(const json &properties, const CallParts &parts)
{
    json headers = parts.headers.is_object() ? parts.headers : json::object();
    auto under = [&](const json &secondary) {
        if (!secondary.is_object())
            return;
        for (const auto &[k, v] : secondary.items())
            if (!headers.contains(k) || headers[k].is_null() || headers[k] == json(""))
                headers[k] = v;
    };
    under(parts.action.value("headers", json::object()));
    under(properties.value("request", json::object())
              .value("global_request", json::object())
              .value("addlHeaders", json::object()));
    const std::string in = datatype(parts.action, "requestDatatype");
    const std::string out = datatype(parts.action, "responseDatatype");
    if (!headers.contains("Content-Type") || headers["Content-Type"].is_null())
        headers["Content-Type"] = in == "PLAIN"       ? "text/plain"
                                  : in == "XML"       ? "application/xml"
                                  : in == "URLENCODE" ? "application/x-www-form-urlencoded"
                                                      : "application/json";
    if (!headers.contains("Accept") || headers["Accept"].is_null())
        headers["Accept"] = out == "PLAIN"                      ? "text/plain"
                            : out == "XML" || out == "XML2JSON" ? "application/xml"
                            : out == "URLENCODE" ? "application/x-www-form-urlencoded"
                                                 : "application/json";
    for (const char *key : {"Accept", "Content-Type"})
        if (headers[key] == json(""))
            headers.erase(key);
    return headers;
}

/// adapter-utils' buildPayload, then whether it is sent at all.
Result<std::optional<std::string>> requestBody(const CallParts &parts)
{
    const std::string in = datatype(parts.action, "requestDatatype");
    const std::string verb = upper(parts.action.value("method", std::string("GET")));
    const bool sendGetBody = parts.action.value("sendGetBody", false);
    const bool sendEmpty = parts.action.value("sendEmpty", false);
    if ((in == "PLAIN" || in == "XML") && !parts.body.is_object() && !parts.body.is_array()) {
        std::string text = parts.body.is_null() ? std::string() : jsString(parts.body);
        if (in == "XML") {
            text = QString::fromStdString(text)
                       .remove(QRegularExpression(QStringLiteral("[\r\n]")))
                       .replace(QRegularExpression(QStringLiteral(">\\s+?<")), QStringLiteral("><"))
                       .toStdString();
        }
        if ((verb != "GET" || sendGetBody) && (!text.empty() || sendEmpty))
            return std::optional<std::string>(text);
        return std::optional<std::string>();
    }
    json data = parts.body.is_null() ? json::object() : parts.body;
    auto external =
        toExternal(std::move(data), parts.action.value("requestSchema", json()), parts.actionName);
    if (!external)
        return external.error();
    std::string text;
    bool empty = false;
    if (in == "URLENCODE") {
        text = external->is_object() ? stringifyQuery(*external) : std::string();
        empty = text.empty();
    } else {
        text = external->dump();
        empty = text == "{}";
    }
    if ((verb != "GET" || sendGetBody) && (!empty || sendEmpty))
        return std::optional<std::string>(text);
    return std::optional<std::string>();
}

/// The response object that best matches the request, as adapter-utils picks the key and the
/// mock: a body field ("name-value"), a path variable's value, a query pair, then WITHBODY,
/// WITHPATHVn, WITHQUERY, default.
const json *matchingResponse(const json &action, const json &input, const AdapterRequest &request)
{
    static const json none = json::array();
    const auto found = action.find("responseObjects");
    const json &objects = found != action.end() && found->is_array() ? *found : none;
    auto byType = [&](const std::string &type) -> const json * {
        for (const auto &o : objects)
            if (o.is_object() && upper(o.value("type", std::string())) == upper(type))
                return &o;
        return nullptr;
    };
    (void)input;
    if (!request.body.isEmpty()) {
        if (auto body = parseJson(request.body.toStdString()); body && body->is_object())
            for (const auto &[k, v] : body->items())
                if (v.is_string() || v.is_number() || v.is_boolean())
                    if (const json *o = byType(k + "-" + jsString(v)))
                        return o;
    }
    const std::string entitypath = action.value("entitypath", std::string());
    const QStringList segments = request.url.path(QUrl::FullyEncoded).split(QLatin1Char('/'));
    const bool pathVars = entitypath.find("{pathv") != std::string::npos;
    if (pathVars)
        for (const QString &s : segments)
            if (!s.isEmpty())
                if (const json *o = byType(s.toStdString()))
                    return o;
    const QString query = request.url.query(QUrl::FullyEncoded);
    if (!query.isEmpty())
        for (const QString &q : query.split(QLatin1Char('&')))
            if (const json *o = byType(q.toStdString()))
                return o;
    if (!request.body.isEmpty())
        if (const json *o = byType("WITHBODY"))
            return o;
    if (pathVars)
        for (int n = 1; n <= 20; ++n)
            if (const json *o = byType("WITHPATHV" + std::to_string(n)))
                return o;
    if (!query.isEmpty())
        if (const json *o = byType("WITHQUERY"))
            return o;
    return byType("default");
}

/// A json-query path such as "result", "data.items" or "list[0]".
json select(const json &data, const std::string &key)
{
    const json *at = &data;
    for (const QString &part : QString::fromStdString(key).split(QLatin1Char('.'))) {
        QString name = part;
        int index = -1;
        if (const qsizetype b = part.indexOf(QLatin1Char('[')); b >= 0) {
            index = part.mid(b + 1, part.indexOf(QLatin1Char(']')) - b - 1).toInt();
            name = part.left(b);
        }
        if (!name.isEmpty()) {
            if (!at->is_object() || !at->contains(name.toStdString()))
                return nullptr;
            at = &(*at)[name.toStdString()];
        }
        if (index >= 0) {
            if (!at->is_array() || std::size_t(index) >= at->size())
                return nullptr;
            at = &(*at)[std::size_t(index)];
        }
    }
    return *at;
}

} // namespace

bool isPackageMethod(const json &method)
{
    return method.is_object() && method.contains("binding") && method["binding"].is_object();
}

std::optional<AdapterOutcome> buildPackageRequest(const json &properties, const json &method,
                                                  const json &input, const std::string &origin,
                                                  AdapterRequest &out)
{
    CallParts parts;
    if (auto problem = readParts(method, input, origin, parts))
        return problem;
    auto path = requestPath(properties, parts);
    if (!path)
        return AdapterOutcome::failure("AD.310", origin,
                                       "Query Not Translated: " + path.error().message,
                                       "Check the query inputs against the action's schema");
    auto body = requestBody(parts);
    if (!body)
        return AdapterOutcome::failure("AD.312", origin, body.error().message,
                                       "Check the task's inputs against the entity's schema.json");
    out.verb = QByteArray::fromStdString(upper(parts.action.value("method", std::string("GET"))));
    // As adapter-utils: an action's own timeout, when above 0, replaces attempt_timeout.
    if (const json &t = parts.action.value("timeout", json()); t.is_number() && t.get<double>() > 0)
        out.attemptTimeoutMs = int(std::min(t.get<double>(), 3'600'000.0));
    out.url = instanceUrl(properties, "/", false);
    const std::string &p = *path;
    const auto mark = p.find('?');
    out.url.setPath(QString::fromStdString(p.substr(0, mark)), QUrl::TolerantMode);
    if (mark != std::string::npos)
        out.url.setQuery(QString::fromStdString(p.substr(mark + 1)), QUrl::TolerantMode);
    out.headers.clear();
    const json headers = requestHeaders(properties, parts);
    for (const auto &[k, v] : headers.items())
        out.headers.append({QByteArray::fromStdString(k), QByteArray::fromStdString(jsString(v))});
    out.body = body->has_value() ? QByteArray::fromStdString(**body) : QByteArray();
    return std::nullopt;
}

AdapterOutcome packageAnswer(const json &method, const json &input, const AdapterRequest &request,
                             int status, const json &headers, const QByteArray &body, json metrics,
                             const std::string &origin)
{
    CallParts parts;
    if (auto problem = readParts(method, input, origin, parts))
        return *problem;
    if (!parts.returnData)
        return AdapterOutcome::success("success", headers, std::move(metrics));
    const std::string out = datatype(parts.action, "responseDatatype");
    const std::string text = body.toStdString();
    if (out == "PLAIN" || out == "XML")
        return AdapterOutcome::success(text, headers, std::move(metrics));
    if (out == "XML2JSON") {
        auto converted = xmlToJson(text);
        return AdapterOutcome::success(converted ? std::move(*converted) : json(text), headers,
                                       std::move(metrics));
    }
    const std::string trimmed = QByteArray(body).trimmed().toStdString();
    if (trimmed.empty() || trimmed == "\"\"")
        return AdapterOutcome::success("", headers, std::move(metrics));
    json data;
    if (out == "URLENCODE") {
        data = parseQuery(trimmed);
    } else if (auto parsed = parseJson(trimmed)) {
        data = std::move(*parsed);
    } else {
        // adapter-utils hands an answer it cannot parse to the workflow as it came
        return AdapterOutcome::success(text, headers, std::move(metrics));
    }
    const json *chosen = matchingResponse(parts.action, input, request);
    const std::string key = chosen ? chosen->value("key", std::string()) : std::string();
    if (!key.empty())
        data = select(data, key);
    if (!data.is_object() && !data.is_array())
        return AdapterOutcome::success(std::move(data), headers, std::move(metrics));
    auto internal = fromExternal(data, parts.action.value("responseSchema", json()));
    if (!internal)
        return AdapterOutcome::failure("AD.312", origin, internal.error().message,
                                       "The system's answer does not fit the entity's schema",
                                       status, data);
    return AdapterOutcome::success(std::move(*internal), headers, std::move(metrics));
}

AdapterOutcome stubAnswer(const json &method, const json &input, const AdapterRequest &request,
                          const std::string &origin)
{
    CallParts parts;
    if (auto problem = readParts(method, input, origin, parts))
        return *problem;
    const json *chosen = matchingResponse(parts.action, input, request);
    if (!chosen || !chosen->contains("mock") || (*chosen)["mock"].is_null()) {
        // adapter-utils answers a stub with no mock data as an empty object
        if (!chosen || chosen->value("mockFile", std::string()).empty())
            return AdapterOutcome::failure(
                "AD.500", origin,
                "Error 400 received on request: no mock data defined for " +
                    method.value("name", std::string()) + " (stub mode)",
                "Add a mockFile to the action's responseObjects, or turn stub mode off", 400);
        return AdapterOutcome::failure(
            "AD.301", origin, "Can not open file " + chosen->value("mockFile", std::string()),
            "The package's mock data file is missing", 400);
    }
    const json &mock = (*chosen)["mock"];
    const QByteArray body =
        QByteArray::fromStdString(mock.is_string() ? mock.get<std::string>() : mock.dump());
    json metrics = {{"code", 200}, {"stub", true}, {"capabilityTime", 0}};
    return packageAnswer(method, input, request, 200, json::object(), body, std::move(metrics),
                         origin);
}

} // namespace flowdeck::adapters
