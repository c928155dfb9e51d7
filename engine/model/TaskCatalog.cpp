// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/model/TaskCatalog.h"

#include "engine/model/JsonFields.h"

#include <algorithm>
#include <utility>
#include <vector>

namespace flowdeck::model {
namespace {

using nlohmann::json;

// One line per method: [name, canvasName, type, summary, description, incoming, outgoing].
// incoming: [[name, type, required, starting value, description], ...]
// outgoing: [[name, type, description], ...]. Types are JSON Schema's, "*" for any.
// What each method does is engine/tasks and engine/runtime; names and shapes follow the
// documents Itential users already have (shared/reference/workflowengine-tasks.md).
constexpr std::string_view kMethods = R"json([
["arrayIncludes", "includes", "automatic", "Whether an array holds a value",
 "True when arr contains searchElement (JavaScript Array.includes), from fromIndex on.",
 [["arr", "array", true, [], "The array to search"],
  ["searchElement", "*", true, "", "The value to look for"],
  ["fromIndex", "number", false, "", "Where to start; empty for the beginning"]],
 [["result", "boolean", "Whether the value was found"]]],
["arrayIndexOf", "indexOf", "automatic", "Where a value first is in an array",
 "The index of searchElement in arr, or -1 (JavaScript Array.indexOf).",
 [["arr", "array", true, [], "The array to search"],
  ["searchElement", "*", true, "", "The value to look for"],
  ["fromIndex", "number", false, "", "Where to start; empty for the beginning"]],
 [["index", "number", "Its index, or -1"]]],
["arrayLength", "length", "automatic", "How many items an array has",
 "The length of arr.",
 [["arr", "array", true, [], "The array"]],
 [["length", "number", "Its length"]]],
["arrayPush", "push", "automatic", "Append a value to an array",
 "A new array: arr with elementN appended (JavaScript Array.push).",
 [["arr", "array", true, [], "The array"],
  ["elementN", "*", true, "", "The value to append"]],
 [["pushedArray", "array", "The array with the value appended"]]],
["calculateTimeDiff", "calculateTimeDiff", "automatic", "The time between two times",
 "How far secondTime is from firstTime.",
 [["firstTime", "string", true, "", "A time (ISO 8601, or milliseconds since the epoch)"],
  ["secondTime", "string", true, "", "Another time"]],
 [["timeDiff", "number", "The difference"]]],
["childJob", "childJob", "operation", "Run another workflow and wait for it",
 "Starts a workflow as a child job (or one per item of data_array, in parallel or one after another) and finishes when it does.",
 [["task", "string", false, "", "Unused; always empty"],
  ["workflow", "string", true, "", "The workflow to run"],
  ["variables", "object", false, {}, "The child's inputs: NAME: {task: job|static|TASK, value}"],
  ["data_array", "array", false, "", "An array to run the child once per item; empty for one child"],
  ["transformation", "string", false, "", "A JST applied to each item; empty for none"],
  ["loopType", "string", false, "", "Empty, parallel or sequential"]],
 [["job_details", "object", "The child job's variables (loop: job_details.loop, one per item)"]]],
["deepmerge", "deepmerge", "automatic", "Merge objects at every depth",
 "Folds the objects of data_to_merge left to right; on a conflict the last wins.",
 [["data_to_merge", "array", true, [], "Items {key, value: {task: job|static|TASK, variable}}"]],
 [["merged_object", "object", "The merged object"]]],
["delay", "delay", "operation", "Wait a number of seconds",
 "Waits, then finishes with success. The wait survives a restart.",
 [["time", "number", true, 60, "Seconds to wait"]],
 [["time_in_milliseconds", "number", "The wait in milliseconds"]]],
["evaluation", "evaluation", "operation", "Branch on a condition",
 "Compares values in groups of evaluations; finishes with success when the condition holds, failure when it does not.",
 [["all_true_flag", "boolean", true, false, "Every group must pass (true) or any one (false)"],
  ["evaluation_groups", "array", true,
   [{"all_true_flag": true, "evaluations": [{"operand_1": {"task": "static", "variable": ""},
     "operator": "==", "operand_2": {"task": "static", "variable": ""}, "query": "",
     "rightQuery": ""}]}],
   "Groups of {operand_1, operator, operand_2, query}"]],
 [["return_value", "boolean", "True when the condition holds"]]],
["forEach", "forEach", "operation", "Run the loop branch once per item",
 "Sets current_item to each item of data_array in turn and runs the tasks on its loop transition.",
 [["data_array", "array", true, "", "The items"]],
 [["current_item", "*", "The item of this turn"]]],
["getTime", "getTime", "automatic", "The time now",
 "The current time, shifted by offsetDuration, in a timezone and format.",
 [["timezone", "string", false, "", "A UTC offset such as -04:00; empty for UTC"],
  ["offsetDuration", "object", false, "", "A duration to add; empty for none"],
  ["format", "string", false, "", "A moment.js format; empty for ISO 8601"]],
 [["time", "string", "The time"]]],
["isArray", "isArray", "automatic", "Whether a value is an array",
 "True when value is an array.",
 [["value", "*", true, "", "The value to test"]],
 [["result", "boolean", "Whether it is an array"]]],
["join", "join", "automatic", "Join an array into a string",
 "The items of arr joined by separator (JavaScript Array.join).",
 [["arr", "array", true, [], "The array"],
  ["separator", "string", false, ",", "What goes between items"]],
 [["joinedElements", "string", "The joined string"]]],
["makeData", "makeData", "automatic", "Make a typed value from text",
 "Fills the <!name!> placeholders of input from variables, then reads the text as a string, number, boolean or JSON.",
 [["input", "string", true, "", "The text, with <!name!> placeholders"],
  ["outputType", "string", true, "string", "string, number, boolean or json"],
  ["variables", "object", false, "", "Values for the placeholders"]],
 [["output", "*", "The value"]]],
["merge", "merge", "operation", "Build an object from values",
 "An object with one member per item of data_to_merge (an array when no item has a key).",
 [["data_to_merge", "array", true, [], "Items {key, value: {task: job|static|TASK, variable}}"]],
 [["merged_object", "object", "The object built"]]],
["modify", "modify", "operation", "Change a value inside an object",
 "object_to_update with new_value at the query path (the whole value for an empty path).",
 [["object_to_update", "*", true, "", "The object"],
  ["query", "string", true, "", "Where to change it (query syntax)"],
  ["new_value", "*", true, "", "The new value"]],
 [["updated_object", "*", "The changed object"]]],
["newVariable", "newVariable", "operation", "Set a job variable",
 "Creates or overwrites the job variable name with value.",
 [["name", "string", true, "", "The job variable"],
  ["value", "*", true, "", "Its value"]],
 [["value", "*", "The value set"]]],
["numberToString", "toString", "automatic", "A number as text",
 "num as a string in base radix (JavaScript Number.toString).",
 [["num", "number", true, 0, "The number"],
  ["radix", "number", false, "", "The base, 2 to 36; empty for 10"]],
 [["numToString", "string", "The text"]]],
["parse", "parse", "automatic", "Read JSON text",
 "The value the JSON text holds; error when it is not JSON.",
 [["text", "string", true, "", "JSON text"]],
 [["textObject", "*", "The value"]]],
["push", "push", "operation", "Append to a job variable's array",
 "Appends item_to_push to the array in the job variable job_variable.",
 [["job_variable", "string", true, "", "The job variable's name"],
  ["item_to_push", "*", true, "", "The value to append"]],
 [["job_variable_value", "array", "The array after the append"]]],
["query", "query", "operation", "Pick a value out of data",
 "The value at the query path in obj; failure when there is none (unless pass_on_null).",
 [["pass_on_null", "boolean", true, false, "Finish with success when nothing is found"],
  ["query", "string", true, "", "The path, e.g. response.items[*state=up].name"],
  ["obj", "*", true, "", "The data to search"]],
 [["return_data", "*", "What the path found"]]],
["setObjectKey", "setObjectKey", "automatic", "Set a member of an object",
 "obj with value at the keys of path.",
 [["obj", "object", true, {}, "The object"],
  ["path", "array", true, [], "The keys down to the member"],
  ["value", "*", true, "", "The value"]],
 [["object", "object", "The changed object"]]],
["split", "split", "automatic", "Split text into an array",
 "str split at separator, at most limit parts (JavaScript String.split).",
 [["str", "string", true, "", "The text"],
  ["separator", "string", false, ",", "Where to split"],
  ["limit", "number", false, "", "The most parts; empty for all"]],
 [["splitArray", "array", "The parts"]]],
["stringConcat", "concat", "automatic", "Join text",
 "str followed by stringN (JavaScript String.concat).",
 [["str", "string", true, "", "The first text"],
  ["stringN", "*", true, "", "Text (or an array of texts) to append"]],
 [["combinedStrings", "string", "The joined text"]]],
["stringLength", "length", "automatic", "How long a text is",
 "The length of str in UTF-16 units, as JavaScript counts.",
 [["str", "string", true, "", "The text"]],
 [["length", "number", "Its length"]]],
["stub", "stub", "automatic", "A placeholder step",
 "Finishes with type (success or error) after delay seconds, passing response on.",
 [["type", "string", true, "success", "success or error"],
  ["delay", "number", false, "", "Seconds to wait; empty for none"],
  ["response", "*", false, "", "What to pass on"]],
 [["response", "*", "The response given"]]],
["substring", "substring", "automatic", "Part of a text",
 "str from indexStart up to indexEnd (JavaScript String.substring).",
 [["str", "string", true, "", "The text"],
  ["indexStart", "number", true, 0, "Where the part starts"],
  ["indexEnd", "number", false, "", "Where it ends; empty for the end"]],
 [["substring", "string", "The part"]]],
["transformation", "transformation", "operation", "Run a JST",
 "Runs a stored JST on variableMap; one outgoing value per outgoing variable of the JST.",
 [["tr_id", "string", true, "", "The JST's _id"],
  ["variableMap", "object", true, {}, "The JST's incoming variables"],
  ["options", "object", false, {"extractOutput": false, "validateIncoming": true},
   "extractOutput, validateIncoming, revertToDefaultValue"]],
 []],
["ViewData", "ViewData", "manual", "Ask an operator",
 "Shows header, message and body to an operator, who finishes it with the success or the failure button.",
 [["header", "string", true, "", "The title"],
  ["message", "string", true, "", "What to do"],
  ["body", "*", false, "", "Data to show"],
  ["variables", "object", false, "", "More values for the view"],
  ["btn_success", "string", true, "Approve", "The success button's label"],
  ["btn_failure", "string", false, "Reject", "The failure button's label; empty for none"]],
 []]
])json";

json variablesFrom(const json &incoming, const json &outgoing)
{
    json in = json::object();
    for (const json &v : incoming)
        in[v[0].get<std::string>()] = {
            {"type", v[1]}, {"required", v[2]}, {"value", v[3]}, {"description", v[4]}};
    json out = json::object();
    for (const json &v : outgoing)
        out[v[0].get<std::string>()] = {{"type", v[1]}, {"description", v[2]}};
    return {{"incoming", std::move(in)}, {"outgoing", std::move(out)}};
}

json buildTable()
{
    json table = json::array();
    for (const json &m : json::parse(kMethods)) {
        json entry = {{"name", m[0]},
                      {"canvasName", m[1]},
                      {"type", m[2]},
                      {"summary", m[3]},
                      {"description", m[4]},
                      {"app", "WorkFlowEngine"},
                      {"location", "Application"},
                      {"displayName", "WorkFlowEngine"},
                      {"deprecated", false},
                      {"variables", variablesFrom(m[5], m[6])}};
        if (m[2] == "manual")
            entry["view"] = "/workflow_engine/task/" + m[0].get<std::string>();
        table.push_back(std::move(entry));
    }
    std::sort(table.begin(), table.end(), [](const json &a, const json &b) {
        return a["name"].get<std::string>() < b["name"].get<std::string>();
    });
    return table;
}

/// A JSON Schema's type as the palette shows it: its "type" (the first of a list), else "*".
std::string schemaType(const json &schema)
{
    if (!schema.is_object())
        return "*";
    const json type = schema.value("type", json());
    if (type.is_string())
        return type.get<std::string>();
    if (type.is_array() && !type.empty() && type[0].is_string())
        return type[0].get<std::string>();
    return "*";
}

/// The $id of each schema of a JST's incoming or outgoing list, with the schema.
std::vector<std::pair<std::string, json>> jstVariables(const json &jst, const char *side)
{
    std::vector<std::pair<std::string, json>> out;
    const json list = jst.is_object() ? jst.value(side, json::array()) : json::array();
    if (!list.is_array())
        return out;
    for (const json &schema : list) {
        const std::string id = fields::textAt(schema, "$id");
        if (!id.empty())
            out.emplace_back(id, schema);
    }
    return out;
}

} // namespace

const json &workflowEngineTasks()
{
    static const json table = buildTable();
    return table;
}

const json *findWorkflowEngineTask(std::string_view name)
{
    const json &table = workflowEngineTasks();
    const auto it = std::lower_bound(
        table.begin(), table.end(), name, [](const json &entry, std::string_view wanted) {
            return entry["name"].get_ref<const std::string &>() < wanted;
        });
    if (it == table.end() || (*it)["name"].get_ref<const std::string &>() != name)
        return nullptr;
    return &*it;
}

json adapterTaskEntry(const json &method, const std::string &instance, const std::string &app)
{
    const std::string name = fields::textAt(method, "name");
    json incoming = json::object();
    const json inputs = method.is_object() ? method.value("inputs", json::array()) : json();
    if (inputs.is_array()) {
        for (const json &input : inputs) {
            const std::string inputName = fields::textAt(input, "name");
            if (inputName.empty())
                continue;
            const json schema = input.value("schema", json::object());
            incoming[inputName] = {{"type", schemaType(schema)},
                                   {"required", input.value("required", false)},
                                   {"value", ""},
                                   {"description", fields::textAt(schema, "description")},
                                   {"schema", schema}};
        }
    }
    incoming["adapter_id"] = {{"type", "string"},
                              {"required", true},
                              {"value", instance},
                              {"description", "The adapter instance that makes the call"}};
    json outgoing = {{"result",
                      {{"type", "object"},
                       {"description", "The adapter's answer: {icode, response, headers}"}}}};
    if (method.is_object() && method.contains("outputSchema"))
        outgoing["result"]["schema"] = method["outputSchema"];
    std::string summary = fields::textAt(method, "summary");
    return {{"name", name},
            {"canvasName", name},
            {"type", "automatic"},
            {"summary", summary.empty() ? name : summary},
            {"description", summary},
            {"app", app},
            {"location", "Adapter"},
            {"locationType", app},
            {"displayName", app},
            {"adapterId", instance},
            {"deprecated", false},
            {"variables", {{"incoming", std::move(incoming)}, {"outgoing", std::move(outgoing)}}}};
}

json transformationTaskEntry(const json &jst)
{
    json entry = *findWorkflowEngineTask("transformation");
    const std::string id = fields::textAt(jst, "_id");
    const std::string name = fields::textAt(jst, "name");
    json variableMap = json::object();
    for (const auto &[var, schema] : jstVariables(jst, "incoming"))
        variableMap[var] = "";
    json &in = entry["variables"]["incoming"];
    in["tr_id"]["value"] = id;
    in["variableMap"]["value"] = std::move(variableMap);
    json outgoing = json::object();
    for (const auto &[var, schema] : jstVariables(jst, "outgoing"))
        outgoing[var] = {{"type", schemaType(schema)},
                         {"description", fields::textAt(schema, "title")}};
    entry["variables"]["outgoing"] = std::move(outgoing);
    entry["summary"] = name.empty() ? id : name;
    entry["description"] = fields::textAt(jst, "description");
    return entry;
}

json childJobTaskEntry(const json &workflow)
{
    json entry = *findWorkflowEngineTask("childJob");
    const std::string name = fields::textAt(workflow, "name");
    json variables = json::object();
    const json schema = workflow.is_object() ? workflow.value("inputSchema", json()) : json();
    const json properties = schema.is_object() ? schema.value("properties", json()) : json();
    if (properties.is_object())
        for (const auto &[property, unused] : properties.items())
            variables[property] = {{"task", "static"}, {"value", ""}};
    json &in = entry["variables"]["incoming"];
    in["workflow"]["value"] = name;
    in["variables"]["value"] = std::move(variables);
    entry["summary"] = name;
    entry["description"] = fields::textAt(workflow, "description");
    return entry;
}

json taskFromEntry(const json &entry)
{
    json incoming = json::object();
    json outgoing = json::object();
    const json variables = entry.is_object() ? entry.value("variables", json()) : json();
    if (variables.is_object()) {
        const json in = variables.value("incoming", json());
        if (in.is_object())
            for (const auto &[name, spec] : in.items())
                incoming[name] = spec.is_object() ? spec.value("value", json("")) : json("");
        const json out = variables.value("outgoing", json());
        if (out.is_object())
            for (const auto &[name, spec] : out.items())
                outgoing[name] = "";
    }
    const std::string app = fields::textAt(entry, "app");
    const std::string location = fields::textAt(entry, "location");
    const std::string name = fields::textAt(entry, "name");
    const auto orElse = [](std::string value, const std::string &otherwise) {
        return value.empty() ? otherwise : value;
    };
    json task = {{"name", name},
                 {"canvasName", orElse(fields::textAt(entry, "canvasName"), name)},
                 {"summary", orElse(fields::textAt(entry, "summary"), name)},
                 {"description", fields::textAt(entry, "description")},
                 {"app", app},
                 {"type", orElse(fields::textAt(entry, "type"), "automatic")},
                 {"location", orElse(location, "Application")},
                 {"locationType", location == "Adapter" ? json(app) : json(nullptr)},
                 {"displayName", orElse(fields::textAt(entry, "displayName"), app)},
                 {"variables",
                  {{"incoming", std::move(incoming)},
                   {"outgoing", std::move(outgoing)},
                   {"error", ""},
                   {"decorators", json::array()}}},
                 {"groups", json::array()},
                 {"actor", name == "childJob" ? "job" : "Pronghorn"}};
    if (const std::string view = fields::textAt(entry, "view"); !view.empty())
        task["view"] = view;
    return task;
}

std::vector<std::string> unsetRequiredValues(const json &task, const json &entry)
{
    std::vector<std::string> unset;
    const json &incoming = fields::objectAt(fields::objectAt(task, "variables"), "incoming");
    for (const auto &[name, spec] :
         fields::objectAt(fields::objectAt(entry, "variables"), "incoming").items()) {
        if (!spec.is_object() || spec.value("required", false) != true)
            continue;
        const auto it = incoming.find(name);
        const bool text = fields::textAt(spec, "type") == "string";
        if (it == incoming.end() || it->is_null() ||
            (!text && it->is_string() && it->get_ref<const std::string &>().empty()))
            unset.push_back(name);
    }
    return unset;
}

} // namespace flowdeck::model
