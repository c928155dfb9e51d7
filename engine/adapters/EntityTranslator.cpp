// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/adapters/EntityTranslator.h"

#include "engine/validate/JsonSchema.h"

#include <vector>

namespace flowdeck::adapters {

using nlohmann::json;

namespace {

bool translates(const json &schema)
{
    return !(schema.contains("translate") && schema["translate"].is_boolean() &&
             !schema["translate"].get<bool>());
}

bool dynamicFields(const json &schema, bool inherited)
{
    const auto it = schema.find("dynamicfields");
    return it != schema.end() && it->is_boolean() ? it->get<bool>() : inherited;
}

/// An external_name split at dots not preceded by a backslash ("a\.b" is one key "a.b").
std::vector<std::string> externalPath(const std::string &name)
{
    std::vector<std::string> parts(1);
    for (std::size_t i = 0; i < name.size(); ++i) {
        if (name[i] == '\\' && i + 1 < name.size() && name[i + 1] == '.') {
            parts.back() += '.';
            ++i;
        } else if (name[i] == '.') {
            parts.emplace_back();
        } else {
            parts.back() += name[i];
        }
    }
    return parts;
}

/// The lower-cased type a schema gives a value (the one matching the value for a union).
std::string typeFor(const json &value, const json &schema)
{
    const auto it = schema.find("type");
    if (it == schema.end())
        return {};
    if (it->is_string()) {
        std::string t = it->get<std::string>();
        for (auto &c : t)
            c = char(std::tolower(static_cast<unsigned char>(c)));
        return t;
    }
    if (!it->is_array())
        return {};
    if (it->size() == 1 && it->front().is_string())
        return typeFor(value, {{"type", it->front()}});
    auto has = [&](const char *t) {
        for (const auto &x : *it)
            if (x.is_string() && x.get<std::string>() == t)
                return true;
        return false;
    };
    if (value.is_string() && has("string"))
        return "string";
    if (value.is_number() && has("number"))
        return "number";
    if (value.is_number() && has("integer"))
        return "integer";
    if (value.is_boolean() && has("boolean"))
        return "boolean";
    if (value.is_array() && has("array"))
        return "array";
    if (value.is_object() && has("object"))
        return "object";
    return {};
}

json buildObject(const json &data, const json &schema, bool dynamic);
json extractObject(const json &data, const json &schema, bool dynamic);

/// One field's value by its schema: scalars (the first item of an array; "" is none), arrays
/// item by item, objects translated recursively. Null when there is none.
json valueOf(const json &value, const json &schema, bool request, bool dynamic)
{
    if (value.is_null())
        return nullptr;
    const std::string type = typeFor(value, schema);
    if (type.empty())
        return value;
    if (type == "number" || type == "integer" || type == "boolean" || type == "string") {
        if (value.is_array())
            return value.empty() || value.front() == json("") ? json(nullptr) : value.front();
        if (value.is_string() && value.get<std::string>().empty())
            return nullptr;
        return value;
    }
    if (type == "array") {
        if (!value.is_array())
            return nullptr;
        json out = json::array();
        for (const auto &item : value) {
            if (schema.contains("items") && schema["items"].is_object()) {
                json v = valueOf(item, schema["items"], request, dynamic);
                if (!v.is_null())
                    out.push_back(std::move(v));
            } else {
                out.push_back(item);
            }
        }
        return out.empty() ? json(nullptr) : out;
    }
    if (type == "object") {
        if (!value.is_object())
            return value;
        return request ? buildObject(value, schema, dynamic)
                       : extractObject(value, schema, dynamic);
    }
    return nullptr;
}

/// Primary over secondary, recursively; empty primary values do not override.
json merged(json primary, json secondary)
{
    if (!primary.is_object())
        return secondary.is_null() ? primary : secondary;
    if (!secondary.is_object())
        return primary;
    for (auto &[key, value] : primary.items()) {
        json &slot = secondary[key];
        if (value.is_object() && slot.is_object() && !slot.empty())
            slot = merged(value, slot);
        else if (!(value.is_null() || value == json("")) || slot.is_null() || slot == json(""))
            slot = value;
    }
    return secondary;
}

json defaultsOf(const json &schema)
{
    json defaults = json::object();
    const auto props = schema.find("properties");
    if (props == schema.end() || !props->is_object())
        return defaults;
    for (const auto &[key, field] : props->items()) {
        if (!field.is_object())
            continue;
        if (field.contains("$ref") && field["$ref"].is_string()) {
            const std::string ref = field["$ref"].get<std::string>();
            // "#/definitions/x": the defaults of that definition
            const auto slash = ref.find('/', 2);
            if (ref.rfind("#/", 0) == 0 && slash != std::string::npos) {
                const json section = schema.value(ref.substr(2, slash - 2), json::object());
                defaults[key] = defaultsOf(section.value(ref.substr(slash + 1), json::object()));
            }
        } else if (field.contains("default")) {
            defaults[key] = field["default"];
        }
    }
    return defaults;
}

json buildObject(const json &data, const json &schema, bool dynamic)
{
    if (!translates(schema))
        return data;
    dynamic = dynamicFields(schema, dynamic);
    const auto props = schema.find("properties");
    if (props == schema.end() || !props->is_object())
        return dynamic ? data : json::object();
    json out = json::object();
    for (const auto &[key, field] : props->items()) {
        if (!field.is_object())
            continue;
        const json value = valueOf(data.contains(key) ? data[key] : json(), field, true, dynamic);
        if (value.is_null())
            continue;
        if (!field.contains("external_name")) {
            out[key] = out.contains(key) && out[key].is_object() ? merged(value, out[key]) : value;
            continue;
        }
        const json &ext = field["external_name"];
        if (!ext.is_string() || ext.get<std::string>().empty())
            continue; // an empty external name drops the field
        json *location = &out;
        const auto path = externalPath(ext.get<std::string>());
        for (std::size_t i = 0; i < path.size(); ++i) {
            std::string part = path[i];
            bool isArray = false;
            std::size_t index = 0;
            if (const auto bracket = part.find('['); bracket != std::string::npos) {
                isArray = true;
                index = std::size_t(std::atoi(part.c_str() + bracket + 1));
                part.resize(bracket);
            }
            if (!location->is_object())
                *location = json::object();
            json &slot = (*location)[part];
            if (i + 1 == path.size()) {
                if (slot.is_object() && value.is_object())
                    slot = merged(value, slot);
                else if (slot.is_array())
                    slot.push_back(value);
                else
                    slot = value;
            } else if (isArray) {
                if (!slot.is_array())
                    slot = json::array();
                while (slot.size() <= index)
                    slot.push_back(json::object());
                location = &slot[index];
            } else {
                if (slot.is_null())
                    slot = json::object();
                location = &slot;
            }
        }
    }
    if (dynamic && data.is_object())
        for (const auto &[key, value] : data.items())
            if (!props->contains(key))
                out[key] = value;
    return out;
}

json extractObject(const json &data, const json &schema, bool dynamic)
{
    if (!translates(schema) || !data.is_object())
        return data;
    dynamic = dynamicFields(schema, dynamic);
    const auto props = schema.find("properties");
    if (props == schema.end() || !props->is_object())
        return dynamic ? data : json::object();
    json out = json::object();
    std::vector<std::string> known;
    for (const auto &[key, field] : props->items()) {
        if (!field.is_object())
            continue;
        json raw;
        if (field.contains("external_name")) {
            const json &ext = field["external_name"];
            if (!ext.is_string() || ext.get<std::string>().empty())
                continue;
            const auto path = externalPath(ext.get<std::string>());
            known.push_back(path.back());
            const json *location = &data;
            for (std::size_t i = 0; i < path.size(); ++i) {
                if (!location->is_object() || !location->contains(path[i])) {
                    location = nullptr;
                    break;
                }
                location = &(*location)[path[i]];
            }
            if (location)
                raw = *location;
        } else {
            known.push_back(key);
            if (data.contains(key))
                raw = data[key];
        }
        json value = valueOf(raw, field, false, dynamic);
        if (!value.is_null())
            out[key] = std::move(value);
    }
    if (dynamic)
        for (const auto &[key, value] : data.items())
            if (std::find(known.begin(), known.end(), key) == known.end())
                out[key] = value;
    return out;
}

/// The data with the schema's defaults, checked against it: Invalid naming the first
/// violation, as adapter-utils reports only its first.
Result<json> conforming(json data, const json &schema)
{
    data = merged(std::move(data), defaultsOf(schema));
    auto compiled = validate::JsonSchema::compile(schema);
    if (!compiled)
        return data; // a schema Flowdeck cannot read is not held against the call
    const auto issues = compiled->validate(data);
    for (const auto &issue : issues)
        if (issue.severity == validate::Severity::Error)
            return Error::invalid(
                "Schema validation failed on " +
                (issue.instancePath.empty() ? std::string() : issue.instancePath + " ") +
                issue.message);
    return data;
}

} // namespace

Result<json> toExternal(json data, const json &schema, const std::string &action)
{
    if (!translates(schema)) {
        if (data.is_object())
            data.erase("ph_request_type");
        return data;
    }
    auto one = [&](json item) -> Result<json> {
        if (!item.is_object())
            return item;
        item["ph_request_type"] = action;
        auto checked = conforming(std::move(item), schema);
        if (!checked)
            return checked.error();
        checked->erase("ph_request_type");
        return buildObject(*checked, schema, false);
    };
    if (data.is_array()) {
        json out = json::array();
        for (auto &item : data) {
            auto built = one(std::move(item));
            if (!built)
                return built.error();
            out.push_back(std::move(*built));
        }
        return out;
    }
    return one(std::move(data));
}

Result<json> fromExternal(const json &data, const json &schema)
{
    if (!translates(schema)) {
        json out = data;
        if (out.is_object())
            out.erase("ph_request_type");
        return out;
    }
    auto one = [&](const json &item) -> Result<json> {
        if (!item.is_object())
            return item;
        auto checked = conforming(extractObject(item, schema, false), schema);
        if (!checked)
            return checked.error();
        checked->erase("ph_request_type");
        return std::move(*checked);
    };
    if (data.is_array()) {
        json out = json::array();
        for (const auto &item : data) {
            auto got = one(item);
            if (!got)
                return got.error();
            out.push_back(std::move(*got));
        }
        return out;
    }
    return one(data);
}

} // namespace flowdeck::adapters
