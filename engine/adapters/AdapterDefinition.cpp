// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/adapters/AdapterDefinition.h"

#include "engine/adapters/ItentialPackage.h"

#include "engine/validate/ValidationIssue.h"

#include <cctype>
#include <set>

namespace flowdeck::adapters {

using nlohmann::json;

namespace {

constexpr const char *kVerbs[] = {"get", "put", "post", "delete", "options", "head", "patch"};
constexpr int kMaxRefDepth = 64;

using validate::escapePointerToken;

class Reader
{
public:
    explicit Reader(const json &doc) : m_doc(doc) {}

    void problem(const std::string &pointer, const std::string &message)
    {
        m_problems.push_back({{"instancePath", pointer}, {"message", message}});
    }
    const json &problems() const { return m_problems; }

    /// `value` with every local "$ref" replaced by what it points to. A reference that loops
    /// back on itself becomes {} (any value): schemas stay finite.
    json resolve(const json &value, const std::string &at, int depth = 0)
    {
        if (depth > kMaxRefDepth)
            return json::object();
        if (value.is_object()) {
            if (auto ref = value.find("$ref"); ref != value.end() && ref->is_string()) {
                const std::string target = ref->get<std::string>();
                if (target.rfind("#/", 0) != 0) {
                    problem(at + "/$ref", "only references inside the document (\"#/…\") are "
                                          "supported, not \"" +
                                              target + "\"");
                    return json::object();
                }
                if (m_resolving.count(target))
                    return json::object();
                const json::json_pointer pointer(target.substr(1));
                if (!m_doc.contains(pointer)) {
                    problem(at + "/$ref", "\"" + target + "\" points at nothing in the document");
                    return json::object();
                }
                m_resolving.insert(target);
                json out = resolve(m_doc.at(pointer), at, depth + 1);
                m_resolving.erase(target);
                return out;
            }
            json out = json::object();
            for (auto it = value.begin(); it != value.end(); ++it)
                out[it.key()] =
                    resolve(it.value(), at + "/" + escapePointerToken(it.key()), depth + 1);
            return out;
        }
        if (value.is_array()) {
            json out = json::array();
            for (std::size_t i = 0; i < value.size(); ++i)
                out.push_back(resolve(value[i], at + "/" + std::to_string(i), depth + 1));
            return out;
        }
        return value;
    }

private:
    const json &m_doc;
    json m_problems = json::array();
    std::set<std::string> m_resolving;
};

/// "get" + "/pets/{petId}/toys" → "getPetsPetIdToys": stable for a document that does not
/// change, and readable in a task's method field.
std::string derivedName(const std::string &verb, const std::string &path)
{
    std::string name = verb;
    bool upper = true;
    for (char c : path) {
        if (std::isalnum(static_cast<unsigned char>(c))) {
            name += upper ? char(std::toupper(static_cast<unsigned char>(c))) : c;
            upper = false;
        } else {
            upper = true;
        }
    }
    return name;
}

/// The schema of a 2xx answer: the first 2xx (or "2XX", or "default") that has one.
json outputSchema(const json &responses, bool swagger)
{
    if (!responses.is_object())
        return json::object();
    auto schemaOf = [&](const json &response) -> json {
        if (!response.is_object())
            return json();
        if (swagger)
            return response.value("schema", json());
        const json content = response.value("content", json::object());
        if (!content.is_object() || content.empty())
            return json();
        if (content.contains("application/json"))
            return content["application/json"].value("schema", json());
        return content.begin()->value("schema", json());
    };
    for (auto it = responses.begin(); it != responses.end(); ++it)
        if (!it.key().empty() && it.key()[0] == '2')
            if (json s = schemaOf(it.value()); !s.is_null())
                return s;
    return json::object();
}

} // namespace

Result<json> definitionFromOpenApi(const json &document)
{
    if (!document.is_object())
        return Error::invalid(
            "an OpenAPI document must be a JSON or YAML object",
            json::array({{{"instancePath", ""}, {"message", "must be an object"}}}));
    Reader reader(document);
    std::string source;
    bool swagger = false;
    if (auto v = document.find("openapi"); v != document.end()) {
        const std::string version = v->is_string() ? v->get<std::string>() : std::string();
        if (version.rfind("3.0", 0) != 0 && version.rfind("3.1", 0) != 0)
            reader.problem("/openapi", "OpenAPI version \"" + version +
                                           "\" is not supported (3.0 and 3.1 are)");
        source = "openapi " + version;
    } else if (auto s = document.find("swagger"); s != document.end()) {
        const std::string version = s->is_string() ? s->get<std::string>() : std::string();
        if (version != "2.0")
            reader.problem("/swagger",
                           "Swagger version \"" + version + "\" is not supported (2.0 is)");
        source = "swagger " + version;
        swagger = true;
    } else {
        reader.problem("", "neither \"openapi\" (3.0, 3.1) nor \"swagger\" (2.0) says which "
                           "version the document is");
    }
    const json info = document.value("info", json::object());
    const json paths = document.value("paths", json());
    if (!paths.is_object())
        reader.problem("/paths", "must be an object of the API's paths");

    json methods = json::array();
    std::set<std::string> names;
    if (paths.is_object()) {
        for (auto p = paths.begin(); p != paths.end(); ++p) {
            const std::string pathPtr = "/paths/" + escapePointerToken(p.key());
            if (p.key().empty() || p.key()[0] != '/') {
                reader.problem(pathPtr, "a path must start with \"/\"");
                continue;
            }
            const json item = reader.resolve(p.value(), pathPtr);
            if (!item.is_object()) {
                reader.problem(pathPtr, "must be an object of operations");
                continue;
            }
            const json shared = item.value("parameters", json::array());
            for (const char *verb : kVerbs) {
                if (!item.contains(verb))
                    continue;
                const std::string opPtr = pathPtr + "/" + verb;
                const json &op = item[verb];
                if (!op.is_object()) {
                    reader.problem(opPtr, "an operation must be an object");
                    continue;
                }
                std::string name = op.value("operationId", std::string());
                if (name.empty())
                    name = derivedName(verb, p.key());
                if (!names.insert(name).second) {
                    reader.problem(opPtr + "/operationId",
                                   "\"" + name +
                                       "\" names another operation too; operationIds "
                                       "must be unique");
                    continue;
                }
                // Parameters of the operation override the path's by (name, in).
                std::map<std::pair<std::string, std::string>, std::pair<json, std::string>> params;
                auto collect = [&](const json &list, const std::string &at) {
                    if (!list.is_array()) {
                        reader.problem(at, "parameters must be an array");
                        return;
                    }
                    for (std::size_t i = 0; i < list.size(); ++i) {
                        const std::string pAt = at + "/" + std::to_string(i);
                        const json param = reader.resolve(list[i], pAt);
                        const std::string pname = param.value("name", std::string());
                        const std::string in = param.value("in", std::string());
                        if (pname.empty() || in.empty()) {
                            reader.problem(pAt, "a parameter needs a \"name\" and an \"in\"");
                            continue;
                        }
                        params[{in, pname}] = {param, pAt};
                    }
                };
                collect(shared, pathPtr + "/parameters");
                collect(op.value("parameters", json::array()), opPtr + "/parameters");

                json inputs = json::array();
                json properties = json::object();
                json required = json::array();
                std::string contentType = "application/json";
                for (auto &[key, entry] : params) {
                    const auto &[param, pAt] = entry;
                    const std::string &in = key.first;
                    const std::string &pname = key.second;
                    if (in == "cookie" || in == "formData") {
                        reader.problem(pAt + "/in", "parameters in \"" + in +
                                                        "\" are not supported (path, query, "
                                                        "header and body are)");
                        continue;
                    }
                    if (in != "path" && in != "query" && in != "header" && in != "body") {
                        reader.problem(pAt + "/in", "\"" + in + "\" is not a parameter location");
                        continue;
                    }
                    json schema = in == "body" || !swagger ? param.value("schema", json::object())
                                                           : json::object();
                    if (swagger && in != "body") {
                        // Swagger 2 puts the type on the parameter itself.
                        for (const char *k : {"type", "format", "items", "enum", "default",
                                              "minimum", "maximum", "pattern"})
                            if (param.contains(k))
                                schema[k] = param[k];
                    }
                    const bool req = in == "path" || param.value("required", false);
                    const std::string inputName = in == "body" ? std::string("body") : pname;
                    inputs.push_back(
                        {{"name", inputName}, {"in", in}, {"required", req}, {"schema", schema}});
                    properties[inputName] = schema;
                    if (req)
                        required.push_back(inputName);
                    if (in == "path" && p.key().find("{" + pname + "}") == std::string::npos)
                        reader.problem(pAt, "path parameter \"" + pname +
                                                "\" does not appear in "
                                                "the path " +
                                                p.key());
                }
                if (auto body = op.find("requestBody"); body != op.end()) {
                    const json rb = reader.resolve(*body, opPtr + "/requestBody");
                    const json content = rb.value("content", json::object());
                    json schema = json::object();
                    if (content.is_object() && !content.empty()) {
                        auto chosen = content.contains("application/json")
                                          ? content.find("application/json")
                                          : content.begin();
                        contentType = chosen.key();
                        schema = chosen->value("schema", json::object());
                    }
                    const bool req = rb.value("required", false);
                    inputs.push_back(
                        {{"name", "body"}, {"in", "body"}, {"required", req}, {"schema", schema}});
                    properties["body"] = schema;
                    if (req)
                        required.push_back("body");
                }
                json inputSchema = {{"type", "object"}, {"properties", properties}};
                if (!required.empty())
                    inputSchema["required"] = required;
                methods.push_back(
                    {{"name", name},
                     {"summary", op.value("summary", op.value("description", std::string()))},
                     {"verb",
                      [&] {
                          std::string v = verb;
                          for (auto &c : v)
                              c = char(std::toupper(static_cast<unsigned char>(c)));
                          return v;
                      }()},
                     {"path", p.key()},
                     {"inputs", std::move(inputs)},
                     {"inputSchema", std::move(inputSchema)},
                     {"outputSchema",
                      outputSchema(reader.resolve(op.value("responses", json::object()),
                                                  opPtr + "/responses"),
                                   swagger)},
                     {"contentType", contentType}});
            }
        }
    }
    if (!reader.problems().empty()) {
        const json &first = reader.problems().front();
        std::string message =
            "the OpenAPI document has problems: " + first.value("instancePath", std::string()) +
            ": " + first.value("message", std::string());
        if (reader.problems().size() > 1)
            message += " (and " + std::to_string(reader.problems().size() - 1) + " more)";
        return Error::invalid(message, reader.problems());
    }
    if (methods.empty())
        return Error::invalid(
            "the OpenAPI document has no operations under \"paths\"",
            json::array({{{"instancePath", "/paths"}, {"message", "has no operations"}}}));
    return json{
        {"source", source},
        {"title", info.is_object() ? info.value("title", std::string()) : std::string()},
        {"version", info.is_object() ? info.value("version", std::string()) : std::string()},
        {"methods", std::move(methods)}};
}

const json *findMethod(const json &definition, const std::string &name)
{
    if (!definition.is_object())
        return nullptr;
    const auto methods = definition.find("methods");
    if (methods == definition.end() || !methods->is_array())
        return nullptr;
    for (const auto &m : *methods)
        if (m.is_object() && m.value("name", std::string()) == name)
            return &m;
    return nullptr;
}

Result<json> definitionFrom(const json &source)
{
    if (source.is_object() && source.size() == 1 && source.contains("itentialPackage"))
        return definitionFromItentialPackage(source["itentialPackage"]);
    return definitionFromOpenApi(source);
}

} // namespace flowdeck::adapters
