// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/jst/JstValidator.h"

#include "engine/jst/JstDocument.h"
#include "engine/jst/JstMethods.h"
#include "engine/model/JsonFields.h"
#include "engine/validate/JsonSchema.h"

#include <algorithm>
#include <charconv>
#include <functional>
#include <map>
#include <optional>
#include <set>

namespace flowdeck::jst {

namespace {

using fields::textAt;
using nlohmann::json;
using validate::appendPointer;

const std::set<std::string> kNodeTypes = {"method", "declaration", "template", "function",
                                          "context"};
// Methods whose args[1] is the id of a callback function.
const std::set<std::string> kCallbackMethods = {
    "Array.map",    "Array.filter",      "Array.find", "Array.flatMap",
    "Array.reduce", "Array.reduceRight", "Array.sort"};

class Checker
{
public:
    explicit Checker(const json &doc) : m_doc(doc) {}

    std::vector<ValidationIssue> run()
    {
        if (!m_doc.is_object()) {
            add("structure", "", "a JST document must be an object", {});
            return std::move(m_issues);
        }
        collectFunctions(m_doc, "", m_topFunctions);
        checkGraph(m_doc, "", 0);
        return std::move(m_issues);
    }

private:
    struct GraphInfo
    {
        std::set<std::string> functions;
    };

    void add(const std::string &keyword, const std::string &at, const std::string &message,
             json params)
    {
        ValidationIssue issue;
        issue.keyword = keyword;
        issue.instancePath = at;
        issue.schemaPath = "#/jst/" + keyword;
        issue.params = params.is_null() ? json::object() : std::move(params);
        issue.message = message;
        m_issues.push_back(std::move(issue));
    }

    void collectFunctions(const json &graph, const std::string &at, std::set<std::string> &ids)
    {
        const auto fns = graph.find("functions");
        if (fns == graph.end())
            return;
        if (!fns->is_array()) {
            add("structure", at + "/functions", "functions must be an array", {});
            return;
        }
        for (std::size_t k = 0; k < fns->size(); ++k) {
            const json &fn = (*fns)[k];
            const std::string fat = at + "/functions/" + std::to_string(k);
            const auto id = fn.is_object() ? fn.find("id") : json::const_iterator();
            if (!fn.is_object() || id == fn.end() || !(id->is_string() || id->is_number())) {
                add("structure", fat, "a function needs an id", {});
                continue;
            }
            const std::string sid = id->is_string() ? id->get<std::string>() : id->dump();
            if (!ids.insert(sid).second)
                add("duplicate", fat + "/id", "function id \"" + sid + "\" is used twice",
                    {{"id", sid}});
        }
    }

    std::vector<std::string> schemaIds(const json &graph, const std::string &at, const char *key)
    {
        std::vector<std::string> ids;
        const auto it = graph.find(key);
        if (it == graph.end())
            return ids;
        if (!it->is_array()) {
            add("structure", at + "/" + key, std::string(key) + " must be an array of schemas", {});
            return ids;
        }
        for (std::size_t i = 0; i < it->size(); ++i) {
            const json &schema = (*it)[i];
            const std::string sat = at + "/" + key + "/" + std::to_string(i);
            if (!schema.is_object() || !schema.contains("$id") || !schema["$id"].is_string()) {
                add("structure", sat, "a variable schema needs a string $id", {});
                ids.emplace_back();
                continue;
            }
            const std::string id = schema["$id"].get<std::string>();
            if (std::find(ids.begin(), ids.end(), id) != ids.end())
                add("duplicate", sat + "/$id",
                    std::string(key) + " variable \"" + id + "\" is declared twice", {{"id", id}});
            ids.push_back(id);
            json body = schema;
            body.erase("$id");
            for (auto issue : validate::JsonSchema::check(body, sat)) {
                issue.keyword = "schema";
                issue.schemaPath = "#/jst/schema";
                m_issues.push_back(std::move(issue));
            }
        }
        return ids;
    }

    const json *findFunction(const json &graph, const std::string &id) const
    {
        for (const json *g : {&graph, &m_doc}) {
            const auto fns = g->find("functions");
            if (fns == g->end() || !fns->is_array())
                continue;
            for (const auto &fn : *fns)
                if (fn.is_object() && fn.contains("id") &&
                    (fn["id"].is_string() ? fn["id"].get<std::string>() : fn["id"].dump()) == id)
                    return &fn;
        }
        return nullptr;
    }

    static std::vector<std::string> outgoingIds(const json &fn)
    {
        std::vector<std::string> ids;
        if (fn.contains("outgoing") && fn["outgoing"].is_array())
            for (const auto &s : fn["outgoing"])
                ids.push_back(s.is_object() && s.contains("$id") && s["$id"].is_string()
                                  ? s["$id"].get<std::string>()
                                  : std::string());
        return ids;
    }

    void checkGraph(const json &graph, const std::string &at, int depth)
    {
        const auto inIds = schemaIds(graph, at, "incoming");
        const auto outIds = schemaIds(graph, at, "outgoing");
        const auto steps = graph.find("steps");
        if (steps == graph.end() || !steps->is_array()) {
            add("structure", at + "/steps", "steps must be an array", {});
        } else {
            checkSteps(graph, *steps, at, inIds, outIds);
        }
        if (depth > 0) {
            if (!graph.contains("functions"))
                add("structure", at, "a function needs its own functions array", {});
            else if (graph["functions"].is_array() && !graph["functions"].empty())
                add("structure", at + "/functions",
                    "functions nest one level deep: a function cannot hold functions", {});
            return;
        }
        const auto fns = graph.find("functions");
        if (fns != graph.end() && fns->is_array())
            for (std::size_t k = 0; k < fns->size(); ++k)
                if ((*fns)[k].is_object())
                    checkGraph((*fns)[k], at + "/functions/" + std::to_string(k), depth + 1);
    }

    struct Node
    {
        std::size_t index;
        const json *step;
    };

    void checkSteps(const json &graph, const json &steps, const std::string &at,
                    const std::vector<std::string> &inIds, const std::vector<std::string> &outIds)
    {
        std::map<long long, Node> nodes;
        std::set<long long> ids;
        for (std::size_t i = 0; i < steps.size(); ++i) {
            const json &step = steps[i];
            const std::string sat = at + "/steps/" + std::to_string(i);
            if (!step.is_object()) {
                add("structure", sat, "a step must be an object", {});
                continue;
            }
            const auto id = step.find("id");
            if (id == step.end() || !id->is_number_integer()) {
                add("structure", sat + "/id", "a step needs an integer id", {});
                continue;
            }
            if (!ids.insert(id->get<long long>()).second)
                add("duplicate", sat + "/id", "step id " + id->dump() + " is used twice",
                    {{"id", *id}});
            if (const auto t = step.find("type"); t != step.end() && !t->is_string()) {
                add("type", sat + "/type",
                    std::string("a step's type must be a string, not ") + t->type_name(),
                    {{"type", *t}});
                continue;
            }
            const std::string type = textAt(step, "type");
            if (type != "assign" && !kNodeTypes.count(type)) {
                add("type", sat + "/type", "unknown step type \"" + type + "\"", {{"type", type}});
                continue;
            }
            if (type != "assign")
                nodes.emplace(id->get<long long>(), Node{i, &step});
        }
        for (const auto &[id, node] : nodes)
            checkNode(graph, *node.step, at + "/steps/" + std::to_string(node.index), nodes);

        std::map<long long, std::set<long long>> deps; // node → nodes it reads
        for (std::size_t i = 0; i < steps.size(); ++i) {
            const json &step = steps[i];
            if (!step.is_object() || textAt(step, "type") != "assign")
                continue;
            const std::string sat = at + "/steps/" + std::to_string(i);
            const auto from = checkPort(graph, step, sat, "from", nodes, inIds, outIds);
            const auto to = checkPort(graph, step, sat, "to", nodes, inIds, outIds);
            if (from && to)
                deps[*to].insert(*from);
        }
        for (const auto &[id, node] : nodes) {
            // A node also depends on the switches of its context.
            const std::string ctx = textAt(*node.step, "context", "#");
            for (const auto sw : contextSwitches(ctx))
                if (nodes.count(sw))
                    deps[id].insert(sw);
        }
        checkCycles(nodes, deps, at);
    }

    static std::vector<long long> contextSwitches(const std::string &ctx)
    {
        std::vector<long long> out;
        std::size_t i = 0;
        while ((i = ctx.find('/', i)) != std::string::npos) {
            const auto open = ctx.find('[', i);
            const std::string id = ctx.substr(i + 1, open == std::string::npos ? 0 : open - i - 1);
            long long value = 0;
            // from_chars, not stoll: a context of twenty digits is a mistake, not an exception.
            if (!id.empty() && std::from_chars(id.data(), id.data() + id.size(), value).ptr ==
                                   id.data() + id.size())
                out.push_back(value);
            ++i;
        }
        return out;
    }

    void checkNode(const json &graph, const json &step, const std::string &sat,
                   const std::map<long long, Node> &nodes)
    {
        const std::string type = textAt(step, "type");
        if (step.contains("args") && !step["args"].is_array())
            add("structure", sat + "/args", "args must be an array", {});
        if (type == "function") {
            const auto fn = step.find("function");
            const std::string id = fn == step.end()  ? std::string()
                                   : fn->is_string() ? fn->get<std::string>()
                                                     : fn->dump();
            if (!findFunction(graph, id))
                add("function", sat + "/function", "function \"" + id + "\" does not exist",
                    {{"function", id}});
        } else {
            std::string library = textAt(step, "library");
            std::string method = textAt(step, "method");
            if (type == "template" && method.empty()) {
                library = "String";
                method = "templateLiteral";
            }
            if (!findMethod(library, method))
                add("method", sat + "/method",
                    "method " + library + "." + method + " is not supported",
                    {{"library", library}, {"method", method}});
            const auto args = step.find("args");
            if (kCallbackMethods.count(library + "." + method) && args != step.end() &&
                args->is_array() && args->size() > 1 && (*args)[1].is_string() &&
                !findFunction(graph, (*args)[1].get<std::string>()))
                add("function", sat + "/args/1",
                    "callback function \"" + (*args)[1].get<std::string>() + "\" does not exist",
                    {{"function", (*args)[1]}});
        }
        if (const auto ctx = step.find("context"); ctx != step.end()) {
            if (!ctx->is_string()) {
                add("context", sat + "/context", "context must be a string", {});
                return;
            }
            const std::string c = ctx->get<std::string>();
            const auto switches = contextSwitches(c);
            const bool wellFormed =
                c == "#" || (c.rfind("#/", 0) == 0 && !switches.empty() && c.back() == ']');
            if (!wellFormed) {
                add("context", sat + "/context",
                    "context \"" + c + "\" is not # or #/<switch id>[<case>]", {{"context", c}});
                return;
            }
            for (const auto sw : switches) {
                const auto it = nodes.find(sw);
                if (it == nodes.end() || textAt(*it->second.step, "type") != "context")
                    add("context", sat + "/context",
                        "context names switch " + std::to_string(sw) + ", which does not exist",
                        {{"context", c}});
            }
        }
    }

    // Checks one end of an assign; answers the node id it touches, if it is a valid node end.
    std::optional<long long> checkPort(const json &graph, const json &step, const std::string &sat,
                                       const char *end, const std::map<long long, Node> &nodes,
                                       const std::vector<std::string> &inIds,
                                       const std::vector<std::string> &outIds)
    {
        const std::string pat = sat + "/" + end;
        const auto it = step.find(end);
        if (it == step.end() || !it->is_object()) {
            add("structure", pat, std::string("an assign needs an object \"") + end + "\"", {});
            return std::nullopt;
        }
        const json &port = *it;
        const std::string location = textAt(port, "location");
        const json name = port.value("name", json());
        const bool from = std::string(end) == "from";
        if (!port.contains("ptr") || !port["ptr"].is_string()) {
            add("structure", pat + "/ptr", "ptr must be a string", {});
            return std::nullopt;
        }
        const std::string ptr = port["ptr"].get<std::string>();
        auto tokens = pointerTokens(ptr);
        if (!tokens) {
            add("pointer", pat + "/ptr", tokens.error().message, {{"ptr", ptr}});
            return std::nullopt;
        }
        if (location == "incoming" || location == "outgoing") {
            if ((location == "incoming") != from) {
                add("link", pat + "/location",
                    from ? "an assign cannot read an outgoing variable"
                         : "an assign cannot write an incoming variable",
                    {{"location", location}});
                return std::nullopt;
            }
            const auto &ids = from ? inIds : outIds;
            if (!name.is_string() ||
                std::find(ids.begin(), ids.end(), name.get<std::string>()) == ids.end())
                add("link", pat + "/name",
                    location + " variable " + name.dump() + " does not exist",
                    {{"location", location}, {"name", name}});
            return std::nullopt;
        }
        if (!kNodeTypes.count(location)) {
            add("link", pat + "/location", "unknown location \"" + location + "\"",
                {{"location", location}});
            return std::nullopt;
        }
        const auto node =
            name.is_number_integer() ? nodes.find(name.get<long long>()) : nodes.end();
        if (node == nodes.end()) {
            add("link", pat + "/name", "node " + name.dump() + " does not exist",
                {{"location", location}, {"name", name}});
            return std::nullopt;
        }
        const json &target = *node->second.step;
        const std::string type = textAt(target, "type");
        if (from) {
            if (tokens->empty() || (*tokens)[0] != "return") {
                add("port", pat + "/ptr", "a node's output is /return or /return/<port>",
                    {{"ptr", ptr}});
            } else if (tokens->size() > 1 && type == "function") {
                const json *fn = findFunction(graph, textAt(target, "function"));
                const auto outs = fn ? outgoingIds(*fn) : std::vector<std::string>();
                if (fn && std::find(outs.begin(), outs.end(), (*tokens)[1]) == outs.end())
                    add("port", pat + "/ptr",
                        "function \"" + textAt(target, "function") + "\" has no outgoing \"" +
                            (*tokens)[1] + "\"",
                        {{"ptr", ptr}});
            } else if (tokens->size() > 1 && type == "context") {
                const std::string &p = (*tokens)[1];
                const std::size_t cases = target.contains("return") && target["return"].is_array()
                                              ? target["return"].size()
                                              : 0;
                const std::string k = p.rfind("case_", 0) == 0 ? p.substr(5) : std::string();
                if (k.empty() || k.find_first_not_of("0123456789") != std::string::npos ||
                    std::stoul(k) < 1 || std::stoul(k) > cases)
                    add("port", pat + "/ptr",
                        "switch " + name.dump() + " has no port \"" + p + "\"", {{"ptr", ptr}});
            }
            return name.get<long long>();
        }
        if (tokens->size() == 1 && (*tokens)[0] == "context")
            return name.get<long long>();
        if (tokens->size() < 3 || (*tokens)[0] != "args" || (*tokens)[2] != "value" ||
            (*tokens)[1].empty() ||
            (*tokens)[1].find_first_not_of("0123456789") != std::string::npos) {
            add("port", pat + "/ptr", "a node's input is /args/<i>/value or /context",
                {{"ptr", ptr}});
            return name.get<long long>();
        }
        if (type == "function") {
            const json *fn = findFunction(graph, textAt(target, "function"));
            const std::size_t slot = std::stoul((*tokens)[1]);
            if (fn && fn->contains("incoming") && fn->at("incoming").is_array() &&
                slot >= fn->at("incoming").size())
                add("port", pat + "/ptr",
                    "function \"" + textAt(target, "function") + "\" has only " +
                        std::to_string(fn->at("incoming").size()) + " incoming variables",
                    {{"ptr", ptr}});
        }
        return name.get<long long>();
    }

    void checkCycles(const std::map<long long, Node> &nodes,
                     const std::map<long long, std::set<long long>> &deps, const std::string &at)
    {
        std::map<long long, int> state; // 0 new, 1 on the stack, 2 done
        std::vector<long long> stack;
        std::set<std::set<long long>> reported;
        std::function<void(long long)> visit = [&](long long n) {
            state[n] = 1;
            stack.push_back(n);
            if (const auto it = deps.find(n); it != deps.end())
                for (const auto d : it->second) {
                    if (!nodes.count(d))
                        continue;
                    if (state[d] == 1) {
                        const auto from = std::find(stack.begin(), stack.end(), d);
                        std::vector<long long> cycle(from, stack.end());
                        const std::set<long long> key(cycle.begin(), cycle.end());
                        if (!reported.insert(key).second)
                            continue;
                        const auto first = *std::min_element(
                            cycle.begin(), cycle.end(), [&](long long a, long long b) {
                                return nodes.at(a).index < nodes.at(b).index;
                            });
                        json ids = json::array();
                        for (const auto c : cycle)
                            ids.push_back(c);
                        add("cycle", at + "/steps/" + std::to_string(nodes.at(first).index),
                            "nodes " + ids.dump() + " depend on each other", {{"nodes", ids}});
                    } else if (state[d] == 0) {
                        visit(d);
                    }
                }
            stack.pop_back();
            state[n] = 2;
        };
        for (const auto &[id, node] : nodes)
            if (state[id] == 0)
                visit(id);
    }

    const json &m_doc;
    std::set<std::string> m_topFunctions;
    std::vector<ValidationIssue> m_issues;
};

} // namespace

std::vector<ValidationIssue> JstValidator::validate(const nlohmann::json &document)
{
    return Checker(document).run();
}

std::vector<ValidationIssue> validate(const nlohmann::json &document)
{
    return JstValidator::validate(document);
}

} // namespace flowdeck::jst
