// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/adapters/AdapterCatalog.h"

#include "engine/adapters/AdapterDefinition.h"
#include "engine/adapters/AdapterProperties.h"

#include <QString>

namespace flowdeck::adapters {

using nlohmann::json;

namespace {

Result<void> checkName(const std::string &name, const char *what)
{
    if (name.empty())
        return Error::invalid(std::string("an adapter instance needs ") + what);
    if (name.size() > 200)
        return Error::invalid(std::string("the adapter instance's ") + what +
                              " is longer than 200 characters");
    for (unsigned char c : name)
        if (c < 0x20)
            return Error::invalid(std::string("the adapter instance's ") + what +
                                  " contains a control character");
    return {};
}

} // namespace

AdapterCatalog::AdapterCatalog(store::Store &store, access::SecretBox box)
    : m_store(store), m_box(std::move(box))
{}

json AdapterCatalog::view(const store::AdapterRecord &record, bool withMethods)
{
    json methods = json::array();
    for (const auto &m : record.definition.value("methods", json::array())) {
        if (withMethods) {
            json shown = m;
            // What a package method binds to, without the action's schemas and mock data.
            if (shown.contains("binding") && shown["binding"].is_object()) {
                shown["binding"].erase("actionDefinition");
                shown["binding"].erase("actions");
            }
            methods.push_back(std::move(shown));
        } else
            methods.push_back(m.value("name", std::string()));
    }
    json out = {{"_id", record.id},
                {"name", record.name},
                {"app", record.app},
                {"properties", maskSecrets(record.properties)},
                {"definition",
                 {{"source", record.definition.value("source", std::string())},
                  {"title", record.definition.value("title", std::string())},
                  {"version", record.definition.value("version", std::string())},
                  {"unbound", record.definition.value("unbound", json::array())}}},
                {"methods", std::move(methods)},
                {"created", record.createdAt},
                {"createdBy", record.createdBy ? json(*record.createdBy) : json(nullptr)},
                {"lastUpdated", record.updatedAt},
                {"lastUpdatedBy", record.updatedBy ? json(*record.updatedBy) : json(nullptr)}};
    return out;
}

Result<json> AdapterCatalog::prepareProperties(json given, const json &stored) const
{
    // A secret shown masked and sent back unchanged keeps its stored (sealed) value.
    auto kept = mapSecrets(
        std::move(given),
        [&](const std::string &pointer, const std::string &value) -> Result<std::string> {
            if (value != access::SecretBox::kMask)
                return value;
            const json::json_pointer p(pointer);
            if (stored.is_object() && stored.contains(p) && stored[p].is_string())
                return stored[p].get<std::string>();
            return Error::invalid("the adapter properties are not valid: " + pointer +
                                      " is the mask (\"********\") but no value is stored to "
                                      "keep; give the secret itself",
                                  json::array({{{"instancePath", pointer},
                                                {"message", "is the mask, with nothing stored"}}}));
        });
    if (!kept)
        return kept.error();
    auto normalized = normalizeProperties(*kept);
    if (!normalized)
        return normalized.error();
    return mapSecrets(std::move(*normalized),
                      [&](const std::string &, const std::string &value) -> Result<std::string> {
                          if (access::SecretBox::isSealed(value))
                              return value; // kept from the store
                          return m_box.seal(value);
                      });
}

Result<json> AdapterCatalog::create(const std::string &name, const std::string &app,
                                    const json &openapi, const json &properties,
                                    const std::optional<std::string> &actor)
{
    if (auto r = checkName(name, "a name"); !r)
        return r.error();
    auto definition = definitionFrom(openapi);
    if (!definition)
        return definition.error();
    // An Itential package names its app (pronghorn.json's export); an explicit one wins.
    const std::string appName = app.empty() ? definition->value("app", std::string()) : app;
    if (auto r = checkName(appName, "an app"); !r)
        return r.error();
    auto props = prepareProperties(properties, json::object());
    if (!props)
        return props.error();
    store::AdapterRecord record;
    record.name = name;
    record.app = appName;
    record.definition = std::move(*definition);
    record.properties = std::move(*props);
    record.createdBy = record.updatedBy = actor;
    auto saved = m_store.saveAdapter(record, false);
    if (!saved)
        return saved.error();
    return view(*saved, false);
}

Result<json> AdapterCatalog::update(const std::string &name, const std::optional<std::string> &app,
                                    const std::optional<json> &openapi,
                                    const std::optional<json> &properties, bool mergeProperties,
                                    const std::optional<std::string> &actor)
{
    auto record = m_store.adapterByName(name);
    if (!record)
        return record.error();
    if (app) {
        if (auto r = checkName(*app, "an app"); !r)
            return r.error();
        record->app = *app;
    }
    if (openapi) {
        auto definition = definitionFrom(*openapi);
        if (!definition)
            return definition.error();
        record->definition = std::move(*definition);
    }
    if (properties) {
        json given = *properties;
        if (mergeProperties) {
            if (!given.is_object())
                return Error::invalid("the properties to change must be a JSON object");
            json merged = record->properties;
            merged.merge_patch(given);
            given = std::move(merged);
        }
        auto props = prepareProperties(std::move(given), record->properties);
        if (!props)
            return props.error();
        record->properties = std::move(*props);
    }
    record->updatedBy = actor;
    auto saved = m_store.saveAdapter(*record, true);
    if (!saved)
        return saved.error();
    return view(*saved, false);
}

Result<void> AdapterCatalog::remove(const std::string &name)
{
    return m_store.deleteAdapter(name);
}

Result<json> AdapterCatalog::get(const std::string &name, bool withMethods)
{
    auto record = m_store.adapterByName(name);
    if (!record)
        return record.error();
    return view(*record, withMethods);
}

Result<json> AdapterCatalog::list()
{
    auto records = m_store.listAdapters();
    if (!records)
        return records.error();
    json out = json::array();
    for (const auto &r : *records)
        out.push_back(view(r, false));
    return out;
}

Result<store::AdapterRecord> AdapterCatalog::byName(const std::string &name)
{
    return m_store.adapterByName(name);
}

Result<AdapterCatalog::ForCall> AdapterCatalog::withDefinition(store::AdapterRecord head)
{
    {
        const std::lock_guard lock(m_cacheMutex);
        auto it = m_definitions.find(head.id);
        if (it != m_definitions.end() && it->second.first == head.updatedAt)
            return ForCall{std::move(head), it->second.second};
    }
    auto full = m_store.adapterByName(head.name);
    if (!full)
        return full.error();
    auto definition = std::make_shared<const json>(std::move(full->definition));
    full->definition = nullptr;
    const std::lock_guard lock(m_cacheMutex);
    if (m_definitions.size() > 256) // instances come and go; never grow without bound
        m_definitions.clear();
    m_definitions[full->id] = {full->updatedAt, definition};
    return ForCall{std::move(*full), std::move(definition)};
}

Result<AdapterCatalog::ForCall> AdapterCatalog::named(const std::string &name)
{
    auto heads = m_store.adapterHeads();
    if (!heads)
        return heads.error();
    for (auto &h : *heads)
        if (QString::fromStdString(h.name).compare(QString::fromStdString(name),
                                                   Qt::CaseInsensitive) == 0)
            return withDefinition(std::move(h));
    return Error::notFound("no adapter instance named \"" + name + "\"");
}

Result<AdapterCatalog::ForCall> AdapterCatalog::select(const std::string &app,
                                                       const std::string &adapterId)
{
    if (!adapterId.empty()) {
        auto found = named(adapterId);
        if (!found) {
            if (found.error().code != ErrorCode::NotFound)
                return found.error();
            return Error::notFound("no adapter instance named \"" + adapterId +
                                   "\" (the task's adapter_id); add one in Adapters, or fix "
                                   "adapter_id");
        }
        if (found->record.app != app)
            return Error::invalid("adapter instance \"" + adapterId + "\" is for app \"" +
                                  found->record.app + "\", but the task calls app \"" + app + "\"");
        return found;
    }
    auto all = m_store.adapterHeads();
    if (!all)
        return all.error();
    std::vector<store::AdapterRecord> ofApp;
    for (auto &r : *all)
        if (r.app == app)
            ofApp.push_back(std::move(r));
    if (ofApp.empty())
        return Error::notFound("no adapter instance for app " + app +
                               "; add one in Adapters (flowdeck adapter add NAME --app " + app +
                               " --openapi FILE)");
    if (ofApp.size() > 1) {
        std::string names;
        for (const auto &r : ofApp)
            names += (names.empty() ? "" : ", ") + r.name;
        return Error::invalid(std::to_string(ofApp.size()) + " adapter instances for app " + app +
                              " (" + names + "); the task must name one in adapter_id");
    }
    return withDefinition(std::move(ofApp.front()));
}

Result<store::AdapterRecord> AdapterCatalog::withSecrets(store::AdapterRecord record) const
{
    auto opened = mapSecrets(
        std::move(record.properties),
        [&](const std::string &pointer, const std::string &value) -> Result<std::string> {
            auto plain = m_box.open(value);
            if (!plain)
                return Error::internal("the secret " + pointer + " of adapter instance \"" +
                                       record.name +
                                       "\" cannot be opened with this store's key; set it "
                                       "again (flowdeck adapter set)");
            return std::move(*plain);
        });
    if (!opened)
        return opened.error();
    record.properties = std::move(*opened);
    return record;
}

Result<json> AdapterCatalog::needs(store::Store &store, const json &workflow)
{
    json out = json::array();
    if (!workflow.is_object() || !workflow.contains("tasks") || !workflow["tasks"].is_object())
        return out;
    std::optional<std::vector<store::AdapterRecord>> instances;
    for (const auto &[key, task] : workflow["tasks"].items()) {
        if (!task.is_object() || !task.contains("app") || !task["app"].is_string())
            continue;
        const std::string app = task["app"].get<std::string>();
        if (app.empty() || app == "WorkFlowEngine")
            continue;
        if (!instances) {
            auto all = store.listAdapters();
            if (!all)
                return all.error();
            instances = std::move(*all);
        }
        const json variables = task.value("variables", json::object());
        const json incoming = variables.is_object() ? variables.value("incoming", json()) : json();
        const json id = incoming.is_object() ? incoming.value("adapter_id", json()) : json();
        const std::string adapterId = id.is_string() ? id.get<std::string>() : std::string();
        json ofApp = json::array();
        bool named = false;
        for (const auto &r : *instances) {
            if (r.app == app)
                ofApp.push_back(r.name);
            named = named || (r.app == app && !adapterId.empty() && r.name == adapterId);
        }
        const std::string method = task.value("name", std::string());
        const bool chosenLater = adapterId.rfind("$var.", 0) == 0;
        json need = {{"task", key},
                     {"app", app},
                     {"method", method},
                     {"adapterId", adapterId.empty() ? json(nullptr) : json(adapterId)},
                     {"instances", ofApp}};
        std::string message;
        std::string where = "/tasks/" + validate::escapePointerToken(key) + "/app";
        if (!adapterId.empty() && !chosenLater) {
            if (!named) {
                message = "task " + key + " calls " + app + " " + method +
                          " on the adapter instance \"" + adapterId +
                          "\", which this store does not have for that app; add it in Adapters, "
                          "or the task errors at run time";
                where = "/tasks/" + validate::escapePointerToken(key) +
                        "/variables/incoming/adapter_id";
            }
        } else if (ofApp.empty()) {
            message = "task " + key + " calls " + app + " " + method +
                      ", and this store has no adapter instance for app " + app +
                      "; add one in Adapters, or the task errors at run time";
        } else if (ofApp.size() > 1 && adapterId.empty()) {
            message = "task " + key + " calls " + app + " " + method + ", and this store has " +
                      std::to_string(ofApp.size()) + " instances of " + app +
                      "; the task must name one in adapter_id, or it errors at run time";
        }
        if (!message.empty()) {
            need["problem"] = message;
            need["at"] = where;
        }
        out.push_back(std::move(need));
    }
    return out;
}

std::vector<validate::ValidationIssue> AdapterCatalog::missingInstances(store::Store &store,
                                                                        const json &workflow)
{
    std::vector<validate::ValidationIssue> warnings;
    auto all = needs(store, workflow);
    if (!all)
        return warnings; // the import itself will say what is wrong with the store
    for (const auto &need : *all)
        if (need.contains("problem"))
            warnings.push_back({"adapter",
                                need["at"].get<std::string>(),
                                "#/flowdeck/import/adapter",
                                {{"task", need["task"]}, {"app", need["app"]}},
                                need["problem"].get<std::string>(),
                                validate::Severity::Warning});
    return warnings;
}

} // namespace flowdeck::adapters
