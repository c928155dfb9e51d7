// SPDX-License-Identifier: GPL-3.0-or-later
// stub, newVariable, query, merge, deepmerge, makeData, push, setObjectKey, modify and parse:
// the methods that build, extract and store data. docs/engine-methods.md lists the choices
// made where the Itential reference is silent.

#include "engine/model/JsonParse.h"
#include "engine/tasks/JsonQuery.h"
#include "engine/tasks/MethodSupport.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>

namespace flowdeck::tasks::detail {

using nlohmann::json;

namespace {

bool isNonEmptyString(const JsValue &v)
{
    return v && v->is_string() && !v->get_ref<const std::string &>().empty();
}

/// makeData's text for a placeholder value: strings raw, objects and arrays as JSON.
std::string placeholderText(const json &value)
{
    if (value.is_string())
        return value.get<std::string>();
    if (value.is_structured())
        return jsJsonStringify(value);
    return jsToString(value);
}

std::string lowercase(std::string s)
{
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

std::string trimmed(const std::string &s)
{
    const auto first = s.find_first_not_of(" \t\r\n");
    if (first == std::string::npos)
        return {};
    return s.substr(first, s.find_last_not_of(" \t\r\n") - first + 1);
}

/// A double as a JSON number, integral values as integers so 80 stays 80.
json numberJson(double d)
{
    if (std::trunc(d) == d && std::abs(d) < 9007199254740992.0)
        return static_cast<std::int64_t>(d);
    return d;
}

struct MergeItem
{
    std::optional<std::string> key;
    JsValue value;
};

/// Reads data_to_merge: every item's optional key and its resolved value.
Result<std::vector<MergeItem>> mergeItems(const MethodContext &ctx, std::string_view method)
{
    const JsValue items = input(ctx, "data_to_merge");
    if (!items || !items->is_array())
        return Error::invalid(std::string(method) + ": \"data_to_merge\" must be an array, got " +
                              jsTypeName(items));
    std::vector<MergeItem> result;
    for (std::size_t i = 0; i < items->size(); ++i) {
        const json &item = (*items)[i];
        const std::string where = "data_to_merge[" + std::to_string(i) + "]";
        if (!item.is_object() || !item.contains("value"))
            return Error::invalid(std::string(method) + ": \"" + where +
                                  "\" must be an object with a \"value\" operand, got " +
                                  jsTypeName(item));
        MergeItem entry;
        const auto key = item.find("key");
        if (key != item.end() && key->is_string() && !key->get_ref<const std::string &>().empty())
            entry.key = key->get<std::string>();
        else if (key != item.end() && !key->is_null() && !key->is_string())
            return Error::invalid(std::string(method) + ": \"" + where +
                                  ".key\" must be a string, got " + jsTypeName(*key));
        auto value = resolveOperand(ctx, item["value"], method, where + ".value");
        if (!value.ok())
            return value.error();
        entry.value = std::move(value.value());
        result.push_back(std::move(entry));
    }
    return result;
}

void deepMergeInto(json &target, const json &source)
{
    for (const auto &[key, value] : source.items()) {
        auto it = target.find(key);
        if (it != target.end() && it->is_object() && value.is_object())
            deepMergeInto(*it, value);
        else
            target[key] = value;
    }
}

} // namespace

MethodResult stub(const MethodContext &ctx)
{
    const JsValue type = input(ctx, "type");
    if (!type || !type->is_string() || (*type != "success" && *type != "error"))
        return inputError("stub", "type",
                          "must be \"success\" or \"error\", got " +
                              (type && type->is_string() ? "\"" + type->get<std::string>() + "\""
                                                         : jsTypeName(type)));
    const JsValue response = input(ctx, "response");
    MethodResult r;
    if (response)
        r.outgoing["response"] = *response;
    if (*type == "error") {
        r.finishState = "error";
        if (!response || (response->is_string() && response->get<std::string>().empty()))
            r.errorMessage = "stub: finished with error";
        else
            r.errorMessage =
                response->is_string() ? response->get<std::string>() : jsJsonStringify(*response);
    }
    return r;
}

MethodResult newVariable(const MethodContext &ctx)
{
    const JsValue name = input(ctx, "name");
    if (!name || !name->is_string())
        return typeError("newVariable", "name", "a non-empty string", name);
    if (name->get_ref<const std::string &>().empty())
        return inputError("newVariable", "name", "must not be empty");
    // An undefined value cannot be stored; Itential shows such a variable as null.
    const json value = input(ctx, "value").value_or(nullptr);
    MethodResult r = success("value", value);
    r.jobVariableWrites[name->get<std::string>()] = value;
    return r;
}

MethodResult query(const MethodContext &ctx)
{
    const JsValue passOnNullInput = input(ctx, "pass_on_null");
    const auto passOnNull = passOnNullInput ? flag(passOnNullInput) : std::optional<bool>(false);
    if (!passOnNull)
        return typeError("query", "pass_on_null", "a boolean", passOnNullInput);
    const JsValue path = input(ctx, "query");
    if (!path || !path->is_string())
        return typeError("query", "query", "a string", path);
    auto result = jsonQuery(input(ctx, "obj"), path->get_ref<const std::string &>());
    if (!result.ok())
        return MethodResult::error("query: " + result.error().message);
    const JsValue &found = result.value();
    MethodResult r;
    if (found && !found->is_null()) {
        r.outgoing["return_data"] = *found;
    } else if (*passOnNull) {
        // The value is passed on as it is: null stays null, undefined stays absent.
        if (found)
            r.outgoing["return_data"] = nullptr;
    } else {
        r.finishState = "failure";
    }
    return r;
}

MethodResult merge(const MethodContext &ctx)
{
    auto items = mergeItems(ctx, "merge");
    if (!items.ok())
        return MethodResult::error(items.error().message);
    const auto keyed = std::count_if(items->begin(), items->end(),
                                     [](const MergeItem &item) { return item.key.has_value(); });
    if (keyed == 0) {
        json array = json::array();
        for (const auto &item : *items)
            array.push_back(item.value.value_or(nullptr));
        return success("merged_object", std::move(array));
    }
    if (static_cast<std::size_t>(keyed) != items->size())
        return MethodResult::error("merge: \"data_to_merge\" mixes items with and without a "
                                   "key; give every item a key (object) or none (array)");
    json object = json::object();
    for (const auto &item : *items) {
        if (object.contains(*item.key))
            return MethodResult::error("merge: \"data_to_merge\" has the key \"" + *item.key +
                                       "\" more than once");
        object[*item.key] = item.value.value_or(nullptr);
    }
    return success("merged_object", std::move(object));
}

MethodResult deepmerge(const MethodContext &ctx)
{
    auto items = mergeItems(ctx, "deepmerge");
    if (!items.ok())
        return MethodResult::error(items.error().message);
    json merged = json::object();
    for (std::size_t i = 0; i < items->size(); ++i) {
        const JsValue &value = (*items)[i].value;
        if (!value || value->is_null())
            continue; // like Object.assign and lodash.merge, nothing to merge
        if (!value->is_object())
            return MethodResult::error("deepmerge: \"data_to_merge[" + std::to_string(i) +
                                       "].value\" must be an object, got " + jsTypeName(value));
        deepMergeInto(merged, *value);
    }
    return success("merged_object", std::move(merged));
}

MethodResult makeData(const MethodContext &ctx)
{
    const JsValue text = input(ctx, "input");
    if (!text || !text->is_string())
        return typeError("makeData", "input", "a string", text);
    const JsValue typeInput = input(ctx, "outputType");
    if (supplied(typeInput) && !typeInput->is_string())
        return typeError("makeData", "outputType", "a string", typeInput);
    const std::string outputType = supplied(typeInput) ? typeInput->get<std::string>() : "string";
    if (outputType != "string" && outputType != "number" && outputType != "boolean" &&
        outputType != "json")
        return inputError("makeData", "outputType",
                          "must be one of string, number, boolean, json, got \"" + outputType +
                              "\"");
    const JsValue variables = input(ctx, "variables");
    const bool haveVariables = supplied(variables) && !variables->is_null();
    if (haveVariables && !variables->is_object())
        return typeError("makeData", "variables", "an object", variables);

    const std::string &source = text->get_ref<const std::string &>();
    std::string out;
    std::size_t pos = 0;
    while (pos < source.size()) {
        const auto open = source.find("<!", pos);
        const auto close = open == std::string::npos ? open : source.find("!>", open + 2);
        if (close == std::string::npos) {
            out += source.substr(pos);
            break;
        }
        out += source.substr(pos, open - pos);
        const std::string name = source.substr(open + 2, close - open - 2);
        const json *value = nullptr;
        if (haveVariables) {
            const auto it = variables->find(name);
            value = it == variables->end() ? nullptr : &*it;
        }
        if (value)
            out += placeholderText(*value);
        else
            out += source.substr(open, close + 2 - open); // unknown: left as written
        pos = close + 2;
    }

    if (outputType == "string")
        return success("output", out);
    if (outputType == "number") {
        const std::string t = trimmed(out);
        const double d = t.empty() ? std::nan("") : jsStringToNumber(t);
        if (!std::isfinite(d))
            return MethodResult::error("makeData: \"" + out + "\" is not a number");
        return success("output", numberJson(d));
    }
    if (outputType == "boolean") {
        const std::string t = lowercase(trimmed(out));
        if (t != "true" && t != "false")
            return MethodResult::error("makeData: \"" + out +
                                       "\" is not a boolean (true or "
                                       "false)");
        return success("output", t == "true");
    }
    auto parsed = parseJson(out);
    if (!parsed)
        return MethodResult::error("makeData: the output is not valid JSON (" +
                                   jsonParseProblem(parsed.error()).reason +
                                   "): " + validUtf8(out));
    return success("output", std::move(*parsed));
}

MethodResult push(const MethodContext &ctx)
{
    const JsValue name = input(ctx, "job_variable");
    if (!isNonEmptyString(name))
        return typeError("push", "job_variable", "the name of a job variable (a non-empty string)",
                         name);
    const std::string variable = name->get<std::string>();
    json array = json::array();
    if (ctx.jobVariables.is_object()) {
        const auto it = ctx.jobVariables.find(variable);
        if (it != ctx.jobVariables.end() && !it->is_array())
            return MethodResult::error("push: job variable \"" + variable + "\" holds " +
                                       jsTypeName(*it) + ", not an array");
        if (it != ctx.jobVariables.end())
            array = *it;
    }
    array.push_back(input(ctx, "item_to_push").value_or(nullptr));
    MethodResult r = success("job_variable_value", array);
    r.jobVariableWrites[variable] = std::move(array);
    return r;
}

MethodResult setObjectKey(const MethodContext &ctx)
{
    const JsValue obj = input(ctx, "obj");
    if (!obj || !obj->is_structured())
        return typeError("setObjectKey", "obj", "an object", obj);
    JsValue path = input(ctx, "path");
    if (path && path->is_string())
        path = json::array({*path});
    if (!path || !path->is_array())
        return typeError("setObjectKey", "path", "an array of keys", path);
    if (path->empty())
        return inputError("setObjectKey", "path", "must name at least one key");

    json result = *obj;
    json *current = &result;
    for (std::size_t i = 0; i < path->size(); ++i) {
        const json &step = (*path)[i];
        const bool isIndex = step.is_number_integer() && step.get<std::int64_t>() >= 0;
        if (!step.is_string() && !isIndex)
            return MethodResult::error("setObjectKey: \"path[" + std::to_string(i) +
                                       "]\" must be a string or a non-negative integer, got " +
                                       jsTypeName(step));
        if (current->is_null())
            *current = isIndex ? json::array() : json::object();
        const std::string key = step.is_string() ? step.get<std::string>() : step.dump();
        if (current->is_object()) {
            current = &(*current)[key];
        } else if (current->is_array() &&
                   (isIndex || key.find_first_not_of("0123456789") == std::string::npos) &&
                   !key.empty()) {
            const auto index = std::stoull(key);
            if (index > 1000000)
                return MethodResult::error("setObjectKey: index " + key + " is too large");
            while (current->size() <= index)
                current->push_back(nullptr);
            current = &(*current)[index];
        } else {
            return MethodResult::error("setObjectKey: cannot set \"" + key + "\" (path[" +
                                       std::to_string(i) + "]) inside " + jsTypeName(*current));
        }
    }
    *current = input(ctx, "value").value_or(nullptr);
    return success("object", std::move(result));
}

MethodResult modify(const MethodContext &ctx)
{
    const JsValue path = input(ctx, "query");
    if (!path || !path->is_string())
        return typeError("modify", "query", "a string", path);
    auto updated = jsonQuerySet(input(ctx, "object_to_update").value_or(nullptr),
                                path->get_ref<const std::string &>(),
                                input(ctx, "new_value").value_or(nullptr));
    if (!updated.ok())
        return MethodResult::error("modify: " + updated.error().message);
    return success("updated_object", std::move(updated.value()));
}

MethodResult parse(const MethodContext &ctx)
{
    const JsValue text = input(ctx, "text");
    if (!text || !text->is_string())
        return typeError("parse", "text", "a string", text);
    auto parsed = parseJson(text->get_ref<const std::string &>());
    if (!parsed)
        return MethodResult::error("parse: \"text\" is not valid JSON: " + parsed.error().message);
    return success("textObject", std::move(*parsed));
}

} // namespace flowdeck::tasks::detail
