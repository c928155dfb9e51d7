// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/adapters/ItentialPackage.h"

#include "engine/adapters/AdapterJsBindings.h"

namespace flowdeck::adapters {

using nlohmann::json;

namespace {

/// The base methods every generated adapter has, bound natively rather than from adapter.js.
const char *const kGeneric = "genericAdapterRequest";
const char *const kGenericNoBase = "genericAdapterRequestNoBasePath";

json genericInputs(bool withPath)
{
    auto in = [](const char *name, const char *type, bool required) {
        return json{{"name", name},
                    {"type", type},
                    {"required", required},
                    {"schema", {{"title", name}, {"type", type}}}};
    };
    json inputs = json::array();
    if (withPath)
        inputs.push_back(in("uriPath", "string", true));
    inputs.push_back(in("restMethod", "string", true));
    inputs.push_back(in("queryData", "object", false));
    inputs.push_back(in("requestBody", "object", false));
    inputs.push_back(in("addlHeaders", "object", false));
    return inputs;
}

/// An input schema over the method's inputs, for forms and validation at import.
json inputSchemaOf(const json &inputs)
{
    json schema = {{"type", "object"}, {"properties", json::object()}, {"required", json::array()}};
    for (const auto &in : inputs) {
        json s = in.value("schema", json::object());
        if (!s.is_object())
            s = json::object();
        // pronghorn.json's "default" type means any value
        if (s.value("type", json()) == "default")
            s.erase("type");
        schema["properties"][in.value("name", std::string())] = s;
        if (in.value("required", false))
            schema["required"].push_back(in.value("name", std::string()));
    }
    return schema;
}

} // namespace

Result<json> definitionFromItentialPackage(const json &files)
{
    if (!files.is_object())
        return Error::invalid("an Itential package is an object of its files");
    std::vector<json> problems;
    auto problem = [&](const std::string &file, const std::string &pointer,
                       const std::string &message) {
        problems.push_back({{"file", file},
                            {"instancePath", pointer},
                            {"message", file + pointer + ": " + message}});
    };
    const json pronghorn = files.value("pronghorn.json", json());
    if (!pronghorn.is_object())
        return Error::invalid("pronghorn.json: missing, or not a JSON object");
    const json methodsIn = pronghorn.value("methods", json());
    if (!methodsIn.is_array())
        return Error::invalid("pronghorn.json/methods: must be the array of the adapter's methods");
    const auto js = files.find("adapter.js");
    const json bindings = js != files.end() && js->is_string()
                              ? readAdapterJs(js->get<std::string>())
                              : json::object();

    // Entities: entities/<Entity>/action.json, with each action's schemas and mock data.
    json entities = json::object();
    for (const auto &[path, content] : files.items()) {
        const std::string prefix = "entities/";
        const std::string suffix = "/action.json";
        if (path.rfind(prefix, 0) != 0 || path.size() <= prefix.size() + suffix.size() ||
            path.compare(path.size() - suffix.size(), suffix.size(), suffix) != 0)
            continue;
        const std::string entity =
            path.substr(prefix.size(), path.size() - prefix.size() - suffix.size());
        if (entity.find('/') != std::string::npos)
            continue;
        const json actions = content.is_object() ? content.value("actions", json()) : json();
        if (!actions.is_array()) {
            problem(path, "/actions", "must be an array of actions");
            continue;
        }
        json byName = json::object();
        for (std::size_t i = 0; i < actions.size(); ++i) {
            json action = actions[i];
            const std::string at = "/actions/" + std::to_string(i);
            if (!action.is_object() || !action.value("name", json()).is_string() ||
                !action.value("method", json()).is_string() ||
                !action.value("entitypath", json()).is_string()) {
                problem(path, at, "an action needs a \"name\", a \"method\" and an \"entitypath\"");
                continue;
            }
            for (const char *key : {"requestSchema", "responseSchema", "errorSchema"}) {
                const json file = action.value(key, json());
                if (!file.is_string())
                    continue;
                const std::string schemaPath = prefix + entity + "/" + file.get<std::string>();
                if (!files.contains(schemaPath) || !files[schemaPath].is_object()) {
                    problem(path, at + "/" + key, "names " + schemaPath + ", which is missing");
                    continue;
                }
                action[key] = files[schemaPath];
            }
            json responses = action.value("responseObjects", json::array());
            if (!responses.is_array())
                responses = json::array();
            for (auto &r : responses) {
                if (!r.is_object())
                    continue;
                const std::string mock = r.value("mockFile", std::string());
                if (mock.empty())
                    continue;
                const std::string mockPath = prefix + entity + "/" + mock;
                if (files.contains(mockPath))
                    r["mock"] = files[mockPath];
            }
            action["responseObjects"] = responses;
            const std::string actionName = action["name"].get<std::string>();
            byName[actionName] = std::move(action);
        }
        entities[entity] = std::move(byName);
    }

    json methods = json::array();
    json unbound = json::array();
    for (std::size_t i = 0; i < methodsIn.size(); ++i) {
        const json &m = methodsIn[i];
        const std::string at = "/methods/" + std::to_string(i);
        if (!m.is_object() || !m.value("name", json()).is_string()) {
            problem("pronghorn.json", at, "a method needs a \"name\"");
            continue;
        }
        const std::string name = m["name"].get<std::string>();
        json inputs = json::array();
        for (const auto &in : m.value("input", json::array()))
            if (in.is_object() && in.value("name", json()).is_string())
                inputs.push_back({{"name", in["name"]},
                                  {"type", in.value("type", json("default"))},
                                  {"required", in.value("required", false)},
                                  {"schema", in.value("schema", json::object())}});
        json method = {
            {"name", name},
            {"summary", m.value("summary", json(""))},
            {"description", m.value("description", json(""))},
            {"task", m.value("task", false)},
            {"inputs", inputs},
            {"inputSchema", inputSchemaOf(inputs)},
            {"outputSchema", m.value("output", json::object()).value("schema", json::object())}};
        if (name == kGeneric || name == kGenericNoBase) {
            method["inputs"] = genericInputs(true);
            method["inputSchema"] = inputSchemaOf(method["inputs"]);
            method["binding"] = {{"generic", true}, {"noBasePath", name == kGenericNoBase}};
            method["verb"] = "ANY";
            method["path"] = name == kGeneric ? "{base_path}/{version}/{uriPath}" : "{uriPath}";
            methods.push_back(std::move(method));
            continue;
        }
        const json binding = bindings.value(name, json());
        std::string why;
        if (name.rfind("iap", 0) == 0 && (binding.is_null() || binding.contains("unbound")))
            why = "an Itential platform method (it manages the adapter on Itential, in "
                  "adapterBase.js): Flowdeck manages instances itself";
        else if (binding.is_null())
            why = js == files.end() ? "the package has no adapter.js"
                                    : "adapter.js has no method of that name";
        else if (binding.contains("unbound"))
            why = binding["unbound"].get<std::string>();
        else if (!entities.contains(binding["entity"].get<std::string>()))
            why = "it calls entity " + binding["entity"].get<std::string>() +
                  ", which has no action.json";
        else if (!entities[binding["entity"].get<std::string>()].contains(
                     binding["action"].get<std::string>()))
            why = "it calls action " + binding["action"].get<std::string>() + " of entity " +
                  binding["entity"].get<std::string>() + ", which action.json does not have";
        if (!why.empty()) {
            unbound.push_back({{"name", name}, {"reason", why}});
            continue;
        }
        json b = binding;
        const json &action =
            entities[b["entity"].get<std::string>()][b["action"].get<std::string>()];
        b["actionDefinition"] = action;
        method["verb"] = action["method"];
        method["path"] = action["entitypath"];
        method["binding"] = std::move(b);
        methods.push_back(std::move(method));
    }
    // The health check of the package's .system entity, when it has one.
    if (entities.contains(".system") && entities[".system"].contains("healthcheck")) {
        const json &action = entities[".system"]["healthcheck"];
        methods.push_back(
            {{"name", "healthCheck"},
             {"summary", "The adapter's health check (entities/.system, action healthcheck)"},
             {"task", false},
             {"inputs", json::array()},
             {"inputSchema", inputSchemaOf(json::array())},
             {"outputSchema", json::object()},
             {"verb", action["method"]},
             {"path", action["entitypath"]},
             {"binding",
              {{"entity", ".system"},
               {"action", "healthcheck"},
               {"returnData", true},
               {"params", json::array()},
               {"required", json::array()},
               {"pathVars", json::array()},
               {"query", json::array()},
               {"body", nullptr},
               {"headers", nullptr},
               {"actionDefinition", action}}}});
    }
    if (entities.contains(".generic"))
        for (auto &method : methods)
            if (method["binding"].value("generic", false))
                method["binding"]["actions"] = entities[".generic"];

    if (!problems.empty()) {
        std::string message =
            "the Itential package has problems: " + problems.front()["message"].get<std::string>();
        if (problems.size() > 1)
            message += " (and " + std::to_string(problems.size() - 1) + " more)";
        json details = json::array();
        for (auto &p : problems)
            details.push_back(std::move(p));
        return Error::invalid(message, details);
    }

    json defaults = json::object();
    const json props = files.value("propertiesSchema.json", json::object());
    if (props.is_object())
        for (const auto &[key, field] : props.value("properties", json::object()).items())
            if (field.is_object() && field.contains("default"))
                defaults[key] = field["default"];
    const json package = files.value("package.json", json::object());
    return json{{"source", "itential " + pronghorn.value("id", std::string("package"))},
                {"title", pronghorn.value("title", pronghorn.value("export", std::string()))},
                {"version", package.is_object() ? package.value("version", json("")) : json("")},
                {"app", pronghorn.value("export", std::string())},
                {"defaults", defaults},
                {"unbound", unbound},
                {"methods", methods}};
}

bool isItentialDefinition(const json &definition)
{
    return definition.value("source", std::string()).rfind("itential ", 0) == 0;
}

} // namespace flowdeck::adapters
