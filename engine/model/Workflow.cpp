// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/model/Workflow.h"

namespace flowdeck::model {
namespace {
const nlohmann::json &emptyObject()
{
    static const nlohmann::json empty = nlohmann::json::object();
    return empty;
}
} // namespace

Result<Workflow> Workflow::fromJson(nlohmann::json document)
{
    if (!document.is_object())
        return Error::invalid("a workflow document must be a JSON object");
    auto name = document.find("name");
    if (name == document.end() || !name->is_string() ||
        name->get_ref<const std::string &>().empty())
        return Error::invalid("a workflow document needs a non-empty string \"name\"");
    Workflow w;
    w.m_name = name->get<std::string>();
    w.m_doc = std::move(document);
    return w;
}

const nlohmann::json &Workflow::tasks() const
{
    auto it = m_doc.find("tasks");
    return it != m_doc.end() && it->is_object() ? *it : emptyObject();
}

bool Workflow::hasTask(const std::string &key) const
{
    return tasks().contains(key);
}

std::vector<std::string> Workflow::taskKeys() const
{
    std::vector<std::string> keys;
    for (auto it = tasks().begin(); it != tasks().end(); ++it)
        keys.push_back(it.key());
    return keys;
}

std::vector<TransitionEdge> Workflow::edges() const
{
    std::vector<TransitionEdge> out;
    auto transitions = m_doc.find("transitions");
    if (transitions == m_doc.end() || !transitions->is_object())
        return out;
    for (auto from = transitions->begin(); from != transitions->end(); ++from) {
        if (!from->is_object() || !hasTask(from.key()))
            continue;
        for (auto to = from->begin(); to != from->end(); ++to) {
            if (!to->is_object() || !hasTask(to.key()))
                continue;
            auto state = to->find("state");
            if (state == to->end() || !state->is_string())
                continue;
            auto type = to->find("type");
            out.push_back({from.key(), to.key(), state->get<std::string>(),
                           type != to->end() && type->is_string() ? type->get<std::string>()
                                                                  : std::string("standard")});
        }
    }
    return out;
}

const nlohmann::json &Workflow::inputSchema() const
{
    auto it = m_doc.find("inputSchema");
    return it != m_doc.end() && it->is_object() ? *it : emptyObject();
}

std::vector<std::string> Workflow::groups() const
{
    std::vector<std::string> out;
    auto it = m_doc.find("groups");
    if (it == m_doc.end() || !it->is_array())
        return out;
    for (const auto &g : *it)
        if (g.is_string())
            out.push_back(g.get<std::string>());
    return out;
}

std::optional<GridPoint> Workflow::taskPosition(const std::string &key) const
{
    auto it = tasks().find(key);
    if (it == tasks().end())
        return std::nullopt;
    return gridPosition(*it);
}

} // namespace flowdeck::model
