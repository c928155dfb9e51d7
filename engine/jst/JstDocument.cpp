// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/jst/JstDocument.h"

#include "engine/model/JsonFields.h"

#include <utility>

namespace flowdeck::jst {

namespace {

using nlohmann::json;

using fields::textAt;

Result<JstPort> parsePort(const json &step, const char *key, const std::string &at)
{
    const auto it = step.find(key);
    if (it == step.end() || !it->is_object())
        return Error::invalid(at + ": an assign step needs an object \"" + key + "\"");
    JstPort port;
    port.location = textAt(*it, "location");
    port.name = it->value("name", json());
    port.ptr = textAt(*it, "ptr");
    return port;
}

Result<std::vector<json>> parseSchemas(const json &graph, const char *key, const std::string &at)
{
    std::vector<json> schemas;
    const auto it = graph.find(key);
    if (it == graph.end())
        return schemas;
    if (!it->is_array())
        return Error::invalid(at + "/" + key + ": must be an array of schemas");
    for (const auto &schema : *it) {
        if (!schema.is_object())
            return Error::invalid(at + "/" + key + ": every schema must be an object");
        schemas.push_back(schema);
    }
    return schemas;
}

Result<JstGraph> parseGraph(const json &graph, const std::string &at, bool topLevel)
{
    if (!graph.is_object())
        return Error::invalid((at.empty() ? "the document" : at) + ": must be an object");
    JstGraph out;
    out.pointer = at;
    if (const auto id = graph.find("id"); id != graph.end() && !topLevel)
        out.id = id->is_string() ? id->get<std::string>() : id->dump();
    out.name = textAt(graph, "name");
    auto incoming = parseSchemas(graph, "incoming", at);
    if (!incoming)
        return incoming.error();
    out.incoming = std::move(*incoming);
    auto outgoing = parseSchemas(graph, "outgoing", at);
    if (!outgoing)
        return outgoing.error();
    out.outgoing = std::move(*outgoing);

    const auto steps = graph.find("steps");
    if (steps == graph.end() || !steps->is_array())
        return Error::invalid(at + "/steps: must be an array");
    for (std::size_t i = 0; i < steps->size(); ++i) {
        const json &step = (*steps)[i];
        const std::string stepAt = at + "/steps/" + std::to_string(i);
        if (!step.is_object())
            return Error::invalid(stepAt + ": a step must be an object");
        const auto id = step.find("id");
        if (id == step.end() || !id->is_number_integer())
            return Error::invalid(stepAt + "/id: a step needs an integer id");
        const std::string type = textAt(step, "type");
        if (type == "assign") {
            JstEdge edge;
            edge.id = id->get<long long>();
            edge.stepIndex = i;
            auto from = parsePort(step, "from", stepAt);
            if (!from)
                return from.error();
            auto to = parsePort(step, "to", stepAt);
            if (!to)
                return to.error();
            edge.from = std::move(*from);
            edge.to = std::move(*to);
            out.edges.push_back(std::move(edge));
            continue;
        }
        JstNode node;
        node.id = id->get<long long>();
        node.type = type;
        node.library = textAt(step, "library");
        node.method = textAt(step, "method");
        node.stepIndex = i;
        if (const auto args = step.find("args"); args != step.end() && args->is_array())
            node.args = *args;
        if (const auto ctx = step.find("context"); ctx != step.end() && ctx->is_string())
            node.context = ctx->get<std::string>();
        if (const auto fn = step.find("function"); fn != step.end())
            node.function = fn->is_string() ? fn->get<std::string>() : fn->dump();
        node.templateText = textAt(step, "template");
        if (const auto ret = step.find("return"); ret != step.end() && ret->is_array())
            node.returns = *ret;
        if (const auto pi = step.find("polymorphIndex"); pi != step.end() && pi->is_number())
            node.polymorphIndex = pi->get<int>();
        out.nodes.push_back(std::move(node));
    }

    if (const auto functions = graph.find("functions"); functions != graph.end()) {
        if (!functions->is_array())
            return Error::invalid(at + "/functions: must be an array");
        for (std::size_t k = 0; k < functions->size(); ++k) {
            auto fn = parseGraph((*functions)[k], at + "/functions/" + std::to_string(k), false);
            if (!fn)
                return fn.error();
            out.functions.push_back(std::move(*fn));
        }
    }
    return out;
}

} // namespace

std::string JstGraph::schemaId(const nlohmann::json &schema)
{
    return textAt(schema, "$id");
}

Result<JstDocument> JstDocument::parse(const nlohmann::json &document)
{
    auto graph = parseGraph(document, "", true);
    if (!graph)
        return graph.error();
    JstDocument doc;
    doc.m_json = document;
    doc.m_graph = std::move(*graph);
    return doc;
}

std::string JstDocument::id() const
{
    return textAt(m_json, "_id");
}

std::string JstDocument::name() const
{
    return textAt(m_json, "name");
}

std::string JstDocument::version() const
{
    return textAt(m_json, "version");
}

const JstGraph *JstDocument::findFunction(const JstGraph &from, const std::string &id) const
{
    for (const auto &fn : from.functions)
        if (fn.id == id)
            return &fn;
    for (const auto &fn : m_graph.functions)
        if (fn.id == id)
            return &fn;
    return nullptr;
}

std::vector<std::string> templatePlaceholders(const std::string &text)
{
    std::vector<std::string> names;
    std::size_t pos = 0;
    while ((pos = text.find("${", pos)) != std::string::npos) {
        const auto end = text.find('}', pos + 2);
        if (end == std::string::npos)
            break;
        std::string name = text.substr(pos + 2, end - pos - 2);
        bool seen = false;
        for (const auto &n : names)
            seen = seen || n == name;
        if (!seen)
            names.push_back(std::move(name));
        pos = end + 1;
    }
    return names;
}

Result<std::vector<std::string>> pointerTokens(const std::string &pointer)
{
    std::vector<std::string> tokens;
    if (pointer.empty())
        return tokens;
    if (pointer[0] != '/')
        return Error::invalid("\"" + pointer + "\" is not a JSON pointer: it must start with /");
    std::string token;
    for (std::size_t i = 1; i <= pointer.size(); ++i) {
        if (i == pointer.size() || pointer[i] == '/') {
            tokens.push_back(std::move(token));
            token.clear();
            continue;
        }
        if (pointer[i] == '~') {
            const char next = i + 1 < pointer.size() ? pointer[i + 1] : '\0';
            if (next != '0' && next != '1')
                return Error::invalid("\"" + pointer +
                                      "\" is not a JSON pointer: ~ must be followed by 0 or 1");
            token += next == '0' ? '~' : '/';
            ++i;
            continue;
        }
        token += pointer[i];
    }
    return tokens;
}

} // namespace flowdeck::jst
