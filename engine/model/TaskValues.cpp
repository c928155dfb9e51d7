// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/model/TaskValues.h"

#include "engine/model/JsonFields.h"
#include "engine/model/Workflow.h"

#include <deque>
#include <map>
#include <set>

namespace flowdeck::model {

using nlohmann::json;

using fields::objectAt;

std::optional<ValueReference> parseReference(const json &value)
{
    if (!value.is_string())
        return std::nullopt;
    const auto &s = value.get_ref<const std::string &>();
    if (s.rfind("$var.", 0) != 0)
        return std::nullopt;
    const auto dot = s.find('.', 5);
    if (dot == std::string::npos)
        return std::nullopt; // not a reference Itential would resolve: a literal string
    ValueReference ref;
    ref.source = s.substr(5, dot - 5);
    ref.name = s.substr(dot + 1);
    if (const auto hash = ref.name.find('#'); hash != std::string::npos) {
        ref.pointer = ref.name.substr(hash + 1);
        ref.name = ref.name.substr(0, hash);
    }
    return ref;
}

std::string referenceText(const ValueReference &reference)
{
    std::string text = "$var." + reference.source + "." + reference.name;
    if (!reference.pointer.empty())
        text += "#" + reference.pointer;
    return text;
}

std::vector<std::string> upstreamTasks(const json &doc, const std::string &key)
{
    // Who leads into whom, read backwards.
    std::map<std::string, std::vector<std::string>> into;
    for (const auto &[from, targets] : objectAt(doc, "transitions").items()) {
        if (!targets.is_object())
            continue;
        for (const auto &[to, edge] : targets.items()) {
            if (edge.is_object() && edge.value("type", json()) == "revert")
                continue;
            into[to].push_back(from);
        }
    }
    std::vector<std::string> out;
    std::set<std::string> seen{key};
    std::deque<std::string> queue{key};
    while (!queue.empty()) {
        const std::string at = queue.front();
        queue.pop_front();
        for (const std::string &from : into[at]) {
            if (!seen.insert(from).second)
                continue;
            queue.push_back(from);
            if (from != kWorkflowStart && from != kWorkflowEnd)
                out.push_back(from);
        }
    }
    return out;
}

std::vector<std::string> jobVariableNames(const json &doc)
{
    std::set<std::string> names;
    for (const auto &[name, schema] : objectAt(objectAt(doc, "inputSchema"), "properties").items())
        names.insert(name);
    for (const auto &[key, task] : objectAt(doc, "tasks").items()) {
        const json &variables = objectAt(task, "variables");
        const json &incoming = objectAt(variables, "incoming");
        const std::string method = fields::textAt(task, "name");
        if (method == "newVariable")
            names.insert(fields::textAt(incoming, "name"));
        if (method == "push")
            names.insert(fields::textAt(incoming, "job_variable"));
        for (const auto &[out, value] : objectAt(variables, "outgoing").items())
            if (auto ref = parseReference(value); ref && ref->source == "job")
                names.insert(ref->name);
    }
    names.erase(std::string());
    return {names.begin(), names.end()};
}

} // namespace flowdeck::model
