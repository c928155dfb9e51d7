// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/runtime/VariableResolver.h"

#include "engine/model/TaskValues.h"

namespace flowdeck::runtime {

using nlohmann::json;

namespace {

/// The incoming value whose own values Itential resolves, for a task's app and method.
const char *nestedResolution(const std::string &app, const std::string &method)
{
    if ((app.empty() || app == "WorkFlowEngine") && method == "transformation")
        return "variableMap";
    if (app == "GatewayManager" && (method == "runService" || method == "runServiceStatic"))
        return "params";
    if (method == "runCode")
        return "data";
    if (app == "AgentSessionManager" && method == "runAgent")
        return "inputs";
    return nullptr;
}

} // namespace

json VariableResolver::resolveIncoming(const json &incoming, const std::string &app,
                                       const std::string &method) const
{
    json out = json::object();
    if (!incoming.is_object())
        return out;
    const char *nested = nestedResolution(app, method);
    for (auto it = incoming.begin(); it != incoming.end(); ++it) {
        auto v = resolveValue(it.value());
        if (!v)
            continue;
        if (nested && it.key() == nested && v->is_object()) {
            json inner = json::object();
            for (auto in = v->begin(); in != v->end(); ++in)
                if (auto r = resolveValue(in.value()))
                    inner[in.key()] = std::move(*r);
            *v = std::move(inner);
        }
        out[it.key()] = std::move(*v);
    }
    return out;
}

std::optional<json> VariableResolver::resolveValue(const json &value) const
{
    const auto reference = model::parseReference(value);
    if (!reference)
        return value; // a literal, or not a reference Itential would resolve
    const std::string &source = reference->source;
    const std::string &name = reference->name;
    const std::string &pointer = reference->pointer;
    std::optional<json> found;
    if (source == "job") {
        auto it = m_job.variables.find(name);
        if (it != m_job.variables.end())
            found = *it;
    } else {
        found = taskOutput(source, name);
    }
    if (!found || pointer.empty())
        return found;
    try {
        const json::json_pointer ptr(pointer);
        if (!found->contains(ptr))
            return std::nullopt;
        return found->at(ptr);
    } catch (const json::exception &) {
        return std::nullopt; // a malformed pointer finds nothing; the validator reports it
    }
}

std::optional<json> VariableResolver::resolveOperand(const json &operand) const
{
    if (!operand.is_object())
        return std::nullopt;
    const std::string task = operand.value("task", std::string());
    const json *v = nullptr;
    if (auto it = operand.find("value"); it != operand.end())
        v = &*it; // childJob's form; when both keys are present "value" is the one Itential uses
    else if (auto var = operand.find("variable"); var != operand.end())
        v = &*var;
    if (!v)
        return std::nullopt;
    if (task == "static")
        return *v;
    if (!v->is_string())
        return std::nullopt;
    const auto &name = v->get_ref<const std::string &>();
    if (task == "job") {
        auto it = m_job.variables.find(name);
        if (it == m_job.variables.end())
            return std::nullopt;
        return *it;
    }
    return taskOutput(task, name);
}

std::optional<json> VariableResolver::taskOutput(const std::string &task,
                                                 const std::string &name) const
{
    const int t = m_job.taskIndex(task);
    if (t < 0)
        return std::nullopt;
    const auto &out = m_job.tasks[std::size_t(t)].outgoing;
    auto it = out.find(name);
    if (it == out.end())
        return std::nullopt;
    return *it;
}

} // namespace flowdeck::runtime
