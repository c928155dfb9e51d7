// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/jst/JstEvaluator.h"

#include "engine/jst/JstMethods.h"
#include "engine/validate/JsonSchema.h"

#include <algorithm>
#include <map>
#include <memory>
#include <mutex>
#include <unordered_map>

namespace flowdeck::jst {

namespace {

using nlohmann::json;

// Callbacks that call themselves (directly or through another function) would recurse until
// the stack overflows; no real document nests more than two levels.
constexpr int kMaxCallDepth = 64;

constexpr std::size_t kNone = static_cast<std::size_t>(-1);

struct EdgePlan
{
    const JstEdge *edge = nullptr;
    std::size_t fromNode = kNone; ///< index of the source node; kNone for an incoming variable
    std::size_t fromVar = kNone;  ///< index of the incoming variable
    std::vector<std::string> fromTokens;
    std::size_t slot = kNone;  ///< argument slot of a node target; kNone for /context
    std::size_t toVar = kNone; ///< index of the outgoing variable
    std::vector<std::string> toTokens;
    /// How a callback's thisArg object names this wire's value: the incoming variable's name,
    /// or "<method> <port>" of the node it reads (docs/jst.md, "thisArg").
    std::string label;
};

struct Gate
{
    std::size_t switchNode = kNone;
    std::string port; ///< "case_<k>"
};

struct NodePlan
{
    const JstNode *node = nullptr;
    MethodFn method = nullptr;
    const JstGraph *callee = nullptr;
    std::vector<EdgePlan> inputs;    ///< in write order: shallow pointers first, then step order
    std::vector<Gate> gates;         ///< all must be open for the node to run
    std::size_t slots = 0;           ///< argument count: the last literal or wired slot + 1
    std::size_t thisArgSlot = kNone; ///< map/filter/find/flatMap: 2, reduce(Right): 3
};

struct Plan
{
    std::vector<NodePlan> nodes;      ///< in evaluation (topological) order
    std::vector<EdgePlan> outputs;    ///< edges into outgoing variables, in write order
    std::vector<std::string> inNames; ///< incoming $ids (and an undeclared thisArg, last)
    std::vector<std::string> outNames;
    std::size_t declared = 0;    ///< incoming variables bound by position
    std::size_t thisArg = kNone; ///< index in inNames of the callback's thisArg
};

constexpr const char *kThisArg = "thisArg";

/// Where the callback methods take their thisArg: after the callback id (map, filter, find,
/// flatMap), or after the initial value (reduce, reduceRight).
std::size_t thisArgSlot(const JstNode &node)
{
    if (node.type != "method" || node.library != "Array")
        return kNone;
    if (node.method == "map" || node.method == "filter" || node.method == "find" ||
        node.method == "flatMap")
        return 2;
    if (node.method == "reduce" || node.method == "reduceRight")
        return 3;
    return kNone;
}

/// The label of a wire's source in a thisArg object: "<name>" of an incoming variable,
/// "<method> <port>" of a node ("reduce return", "getHeaders.jst headers").
std::string sourceLabel(const JstEdge &edge, const JstNode *from,
                        const std::vector<std::string> &fromTokens)
{
    if (!from)
        return edge.from.name.is_string() ? edge.from.name.get<std::string>()
                                          : edge.from.name.dump();
    const std::string what = from->type == "function" ? from->function : from->method;
    return what + " " + (fromTokens.empty() ? std::string("return") : fromTokens.back());
}

std::string where(const JstGraph &graph)
{
    return graph.id.empty() ? std::string() : "function " + graph.id + ", ";
}

Error planError(const JstGraph &graph, std::size_t stepIndex, const std::string &message)
{
    return Error::invalid(
        where(graph) + "step " + std::to_string(stepIndex) + ": " + message,
        json{{"instancePath", graph.pointer + "/steps/" + std::to_string(stepIndex)}});
}

std::size_t indexOf(const std::vector<std::string> &names, const json &name)
{
    if (!name.is_string())
        return kNone;
    const auto it = std::find(names.begin(), names.end(), name.get<std::string>());
    return it == names.end() ? kNone : static_cast<std::size_t>(it - names.begin());
}

// "#/<switchId>[<k>]…" → the switch nodes and cases that must be active.
Result<std::vector<std::pair<long long, std::string>>> parseContext(const std::string &context)
{
    std::vector<std::pair<long long, std::string>> gates;
    if (context.empty() || context == "#")
        return gates;
    std::size_t i = context[0] == '#' ? 1 : 0;
    while (i < context.size()) {
        const auto open = context.find('[', i);
        const auto close = context.find(']', open == std::string::npos ? i : open);
        if (context[i] != '/' || open == std::string::npos || close == std::string::npos)
            return Error::invalid("context \"" + context + "\" is not #/<switch id>[<case>]");
        const std::string id = context.substr(i + 1, open - i - 1);
        const std::string k = context.substr(open + 1, close - open - 1);
        if (id.empty() || k.empty() || id.find_first_not_of("0123456789") != std::string::npos ||
            k.find_first_not_of("0123456789") != std::string::npos)
            return Error::invalid("context \"" + context + "\" is not #/<switch id>[<case>]");
        gates.emplace_back(std::stoll(id), "case_" + k);
        i = close + 1;
    }
    return gates;
}

bool shallowerFirst(const EdgePlan &a, const EdgePlan &b)
{
    if (a.toTokens.size() != b.toTokens.size())
        return a.toTokens.size() < b.toTokens.size();
    return a.edge->stepIndex < b.edge->stepIndex;
}

Result<Plan> buildPlan(const JstDocument &doc, const JstGraph &graph)
{
    Plan plan;
    for (const auto &s : graph.incoming)
        plan.inNames.push_back(JstGraph::schemaId(s));
    for (const auto &s : graph.outgoing)
        plan.outNames.push_back(JstGraph::schemaId(s));
    plan.declared = plan.inNames.size();
    if (!graph.id.empty()) {
        // A callback reads its caller's thisArg whether or not it declares it among its
        // incoming variables; an undeclared one is bound by name only, never by position.
        plan.thisArg = indexOf(plan.inNames, kThisArg);
        if (plan.thisArg == kNone) {
            plan.thisArg = plan.inNames.size();
            plan.inNames.emplace_back(kThisArg);
        }
    }

    std::unordered_map<long long, std::size_t> byId;
    std::vector<NodePlan> nodes(graph.nodes.size());
    for (std::size_t i = 0; i < graph.nodes.size(); ++i) {
        const JstNode &node = graph.nodes[i];
        nodes[i].node = &node;
        nodes[i].slots = node.args.size();
        nodes[i].thisArgSlot = thisArgSlot(node);
        while (nodes[i].slots > 0 && node.args[nodes[i].slots - 1].is_null())
            --nodes[i].slots;
        byId[node.id] = i;
        if (node.type == "function") {
            nodes[i].callee = doc.findFunction(graph, node.function);
            if (!nodes[i].callee)
                return planError(graph, node.stepIndex,
                                 "calls function \"" + node.function + "\", which does not exist");
            continue;
        }
        std::string library = node.library;
        std::string method = node.method;
        if (node.type == "template" && method.empty()) {
            library = "String";
            method = "templateLiteral";
        }
        nodes[i].method = findMethod(library, method);
        if (!nodes[i].method)
            return planError(graph, node.stepIndex,
                             "method " + library + "." + method + " is not supported");
    }
    for (std::size_t i = 0; i < nodes.size(); ++i) {
        auto gates = parseContext(nodes[i].node->context);
        if (!gates)
            return planError(graph, nodes[i].node->stepIndex, gates.error().message);
        for (const auto &[id, port] : *gates) {
            const auto it = byId.find(id);
            if (it == byId.end())
                return planError(graph, nodes[i].node->stepIndex,
                                 "context names switch " + std::to_string(id) +
                                     ", which does not exist");
            nodes[i].gates.push_back({it->second, port});
        }
    }

    // Dependencies: node index → the nodes it reads from.
    std::vector<std::vector<std::size_t>> dependents(nodes.size());
    std::vector<std::size_t> pending(nodes.size(), 0);
    for (const auto &edge : graph.edges) {
        EdgePlan e;
        e.edge = &edge;
        auto from = pointerTokens(edge.from.ptr);
        if (!from)
            return planError(graph, edge.stepIndex, "from.ptr: " + from.error().message);
        auto to = pointerTokens(edge.to.ptr);
        if (!to)
            return planError(graph, edge.stepIndex, "to.ptr: " + to.error().message);
        e.fromTokens = std::move(*from);
        e.toTokens = std::move(*to);
        if (edge.from.location == "incoming") {
            e.fromVar = indexOf(plan.inNames, edge.from.name);
            if (e.fromVar == kNone)
                return planError(graph, edge.stepIndex,
                                 "reads incoming " + edge.from.name.dump() +
                                     ", which does not exist");
        } else if (edge.from.isNode()) {
            const auto it = edge.from.name.is_number_integer()
                                ? byId.find(edge.from.name.get<long long>())
                                : byId.end();
            if (it == byId.end())
                return planError(graph, edge.stepIndex,
                                 "reads node " + edge.from.name.dump() + ", which does not exist");
            if (e.fromTokens.empty() || e.fromTokens[0] != "return")
                return planError(graph, edge.stepIndex,
                                 "from.ptr must be /return or /return/<port>");
            e.fromNode = it->second;
        } else {
            return planError(graph, edge.stepIndex, "cannot read from an outgoing variable");
        }
        if (edge.to.location == "outgoing") {
            e.toVar = indexOf(plan.outNames, edge.to.name);
            if (e.toVar == kNone)
                return planError(graph, edge.stepIndex,
                                 "writes outgoing " + edge.to.name.dump() +
                                     ", which does not exist");
            plan.outputs.push_back(std::move(e));
            continue;
        }
        if (!edge.to.isNode())
            return planError(graph, edge.stepIndex, "cannot write to an incoming variable");
        const auto it = edge.to.name.is_number_integer() ? byId.find(edge.to.name.get<long long>())
                                                         : byId.end();
        if (it == byId.end())
            return planError(graph, edge.stepIndex,
                             "writes node " + edge.to.name.dump() + ", which does not exist");
        e.label = sourceLabel(edge, e.fromNode == kNone ? nullptr : &graph.nodes[e.fromNode],
                              e.fromTokens);
        const bool context = e.toTokens.size() == 1 && e.toTokens[0] == "context";
        if (!context) {
            if (e.toTokens.size() < 3 || e.toTokens[0] != "args" || e.toTokens[2] != "value" ||
                e.toTokens[1].empty() ||
                e.toTokens[1].find_first_not_of("0123456789") != std::string::npos)
                return planError(graph, edge.stepIndex,
                                 "to.ptr must be /args/<i>/value or /context");
            e.slot = std::stoul(e.toTokens[1]);
            nodes[it->second].slots = std::max(nodes[it->second].slots, e.slot + 1);
        }
        if (e.fromNode != kNone) {
            dependents[e.fromNode].push_back(it->second);
            ++pending[it->second];
        }
        nodes[it->second].inputs.push_back(std::move(e));
    }
    // A node also depends on the switches that gate it.
    for (std::size_t i = 0; i < nodes.size(); ++i)
        for (const auto &gate : nodes[i].gates) {
            dependents[gate.switchNode].push_back(i);
            ++pending[i];
        }

    // Kahn's algorithm; ready nodes in step order, so equal-rank nodes run as listed.
    std::vector<std::size_t> order;
    std::vector<std::size_t> ready;
    for (std::size_t i = 0; i < nodes.size(); ++i)
        if (pending[i] == 0)
            ready.push_back(i);
    std::vector<std::size_t> position(nodes.size());
    while (!ready.empty()) {
        const auto next = std::min_element(ready.begin(), ready.end(), [&](auto a, auto b) {
            return nodes[a].node->stepIndex < nodes[b].node->stepIndex;
        });
        const std::size_t n = *next;
        ready.erase(next);
        position[n] = order.size();
        order.push_back(n);
        for (const auto d : dependents[n])
            if (--pending[d] == 0)
                ready.push_back(d);
    }
    if (order.size() != nodes.size()) {
        for (std::size_t i = 0; i < nodes.size(); ++i)
            if (pending[i] != 0)
                return planError(graph, nodes[i].node->stepIndex,
                                 "node " + std::to_string(nodes[i].node->id) + " is on a cycle");
    }
    for (auto &node : nodes) {
        std::stable_sort(node.inputs.begin(), node.inputs.end(), shallowerFirst);
        for (auto &e : node.inputs)
            if (e.fromNode != kNone)
                e.fromNode = position[e.fromNode];
        for (auto &g : node.gates)
            g.switchNode = position[g.switchNode];
    }
    for (auto &e : plan.outputs)
        if (e.fromNode != kNone)
            e.fromNode = position[e.fromNode];
    std::stable_sort(plan.outputs.begin(), plan.outputs.end(), shallowerFirst);
    for (const auto i : order)
        plan.nodes.push_back(std::move(nodes[i]));
    return plan;
}

} // namespace

// Plans are built once per graph and document (they depend on nothing else), all up front so
// that they are read-only afterwards and one JstEvaluator can run on several threads. A graph
// whose plan failed (unknown method, cycle, …) keeps its error, reported when it runs.
class Plans
{
public:
    explicit Plans(const JstDocument &doc) { add(doc, doc.graph()); }

    Result<const Plan *> get(const JstGraph &graph) const
    {
        const auto it = m_plans.find(&graph);
        if (it == m_plans.end())
            return Error::internal("no plan for a graph of another document");
        if (!it->second.ok())
            return it->second.error();
        return &it->second.value();
    }

private:
    void add(const JstDocument &doc, const JstGraph &graph)
    {
        m_plans.emplace(&graph, buildPlan(doc, graph));
        for (const auto &fn : graph.functions)
            add(doc, fn);
    }

    std::unordered_map<const JstGraph *, Result<Plan>> m_plans;
};

namespace {

class Evaluator
{
public:
    Evaluator(const JstDocument &doc, const Plans &plans) : m_doc(doc), m_plans(plans) {}

    /// Runs `graph` with its incoming variables by position; its outgoing ones by position.
    /// `thisArg`, when given, is what the graph reads as its incoming `thisArg`.
    Result<std::vector<Value>> evaluate(const JstGraph &graph,
                                        const std::vector<const Value *> &inputs, int depth,
                                        const Value *thisArg = nullptr);

private:
    const JstDocument &m_doc;
    const Plans &m_plans;
};

class GraphHost : public CallbackHost
{
public:
    GraphHost(Evaluator &evaluator, const JstDocument &doc, const JstGraph &graph, int depth)
        : m_evaluator(evaluator), m_doc(doc), m_graph(graph), m_depth(depth)
    {}

    Result<Value> callback(const std::string &id, const std::vector<const Value *> &args) override
    {
        const JstGraph *fn = m_doc.findFunction(m_graph, id);
        if (!fn)
            return Error::invalid("function \"" + id + "\" does not exist");
        auto out = m_evaluator.evaluate(*fn, args, m_depth + 1, m_thisArg);
        if (!out)
            return out.error();
        return out->empty() ? Value() : std::move(out->front());
    }

    /// The thisArg object of the method node about to call back; nullptr when it has none.
    void setThisArg(const Value *thisArg) { m_thisArg = thisArg; }

private:
    Evaluator &m_evaluator;
    const JstDocument &m_doc;
    const JstGraph &m_graph;
    int m_depth;
    const Value *m_thisArg = nullptr;
};

Value sourceValue(const EdgePlan &e, const std::vector<const Value *> &inputs,
                  const std::vector<std::optional<Value>> &results, bool *fired)
{
    *fired = true;
    if (e.fromNode == kNone)
        return inputs[e.fromVar] ? valueAt(*inputs[e.fromVar], e.fromTokens, 0) : Value();
    const auto &result = results[e.fromNode];
    if (!result) {
        *fired = false; // the source node did not run (its switch case is not active)
        return {};
    }
    return valueAt(*result, e.fromTokens, 1);
}

Result<std::vector<Value>> Evaluator::evaluate(const JstGraph &graph,
                                               const std::vector<const Value *> &inputs, int depth,
                                               const Value *thisArg)
{
    if (depth > kMaxCallDepth)
        return Error::invalid("custom functions call each other more than " +
                              std::to_string(kMaxCallDepth) + " levels deep");
    auto planned = m_plans.get(graph);
    if (!planned)
        return planned.error();
    const Plan &plan = **planned;
    std::vector<const Value *> in(plan.inNames.size(), nullptr);
    for (std::size_t i = 0; i < plan.declared && i < inputs.size(); ++i)
        in[i] = inputs[i];
    if (thisArg && plan.thisArg != kNone)
        in[plan.thisArg] = thisArg;

    GraphHost host(*this, m_doc, graph, depth);
    std::vector<std::optional<Value>> results(plan.nodes.size());
    std::vector<Value> args;
    for (std::size_t n = 0; n < plan.nodes.size(); ++n) {
        const NodePlan &np = plan.nodes[n];
        bool active = true;
        for (const auto &gate : np.gates)
            active = active && results[gate.switchNode] &&
                     !member(*results[gate.switchNode], gate.port).isUndefined();
        if (!active)
            continue;
        args.assign(np.slots, Value());
        for (std::size_t i = 0; i < np.node->args.size() && i < np.slots; ++i)
            if (!np.node->args[i].is_null())
                args[i] = Value(np.node->args[i]);
        // The values wired whole into a callback method's thisArg slot reach the callback as
        // one object keyed "<k>_<label>" (docs/jst.md, "thisArg").
        json thisObject;
        std::size_t thisWires = 0;
        for (const auto &e : np.inputs) {
            bool fired = false;
            Value v = sourceValue(e, in, results, &fired);
            if (e.slot == np.thisArgSlot && e.slot != kNone && e.toTokens.size() == 3) {
                const std::string key = std::to_string(thisWires++) + "_" + e.label;
                if (fired && !v.isUndefined())
                    thisObject[key] = v.toJson();
                else if (thisObject.is_null())
                    thisObject = json::object();
            }
            if (e.slot == kNone) {
                // A /context wire from a switch port that did not fire closes the node.
                active = active && fired && !v.isUndefined();
                continue;
            }
            if (!fired)
                continue;
            if (e.toTokens.size() == 3) {
                args[e.slot] = std::move(v);
            } else if (!v.isUndefined()) {
                json target = args[e.slot].isObject() || args[e.slot].isArray() ? *args[e.slot].js
                                                                                : json::object();
                writeAt(target, e.toTokens, 3, std::move(*v.js));
                args[e.slot] = Value(std::move(target));
            }
        }
        if (!active)
            continue;
        Result<Value> r = Value();
        if (np.callee) {
            std::vector<const Value *> bound;
            for (const auto &a : args)
                bound.push_back(&a);
            auto out = evaluate(*np.callee, bound, depth + 1);
            if (out) {
                json object = json::object();
                const auto &names = np.callee->outgoing;
                for (std::size_t i = 0; i < out->size() && i < names.size(); ++i)
                    if (!(*out)[i].isUndefined())
                        object[JstGraph::schemaId(names[i])] = *(*out)[i].js;
                r = Value(std::move(object));
            } else {
                r = out.error();
            }
        } else {
            MethodContext ctx{*np.node, args, host};
            const Value thisValue = thisWires ? Value(std::move(thisObject)) : Value();
            host.setThisArg(thisWires ? &thisValue : nullptr);
            r = np.method(ctx);
            host.setThisArg(nullptr);
        }
        if (!r) {
            Error error = r.error();
            error.message =
                where(graph) + "node " + std::to_string(np.node->id) + ": " + error.message;
            if (error.details.is_null())
                error.details = {{"instancePath",
                                  graph.pointer + "/steps/" + std::to_string(np.node->stepIndex)},
                                 {"node", np.node->id}};
            return error;
        }
        results[n] = std::move(*r);
    }

    std::vector<Value> out(plan.outNames.size());
    for (const auto &e : plan.outputs) {
        bool fired = false;
        Value v = sourceValue(e, in, results, &fired);
        if (!fired)
            continue;
        Value &target = out[e.toVar];
        if (e.toTokens.empty()) {
            target = std::move(v);
        } else if (!v.isUndefined()) {
            // Field-by-field building: sub-pointer writes land in an object (or the array
            // already there), after the whole-value writes (docs/jst.md, "Write order").
            json base = target.isObject() || target.isArray() ? *target.js : json::object();
            writeAt(base, e.toTokens, 0, std::move(*v.js));
            target = Value(std::move(base));
        }
    }
    return out;
}

// Missing properties of `value` that `schema` gives a default for, recursively.
void fillDefaults(json &value, const json &schema)
{
    if (!value.is_object() || !schema.is_object())
        return;
    const auto props = schema.find("properties");
    if (props == schema.end() || !props->is_object())
        return;
    for (const auto &[key, sub] : props->items()) {
        if (!sub.is_object())
            continue;
        if (!value.contains(key) && sub.contains("default"))
            value[key] = sub["default"];
        if (value.contains(key))
            fillDefaults(value[key], sub);
    }
}

Value withDefault(Value v, const json &schema)
{
    if (v.isUndefined() && schema.contains("default"))
        v = Value(schema["default"]);
    if (v.js)
        fillDefaults(*v.js, schema);
    return v;
}

Result<void> validateIncoming(const JstGraph &graph, const std::vector<Value> &inputs)
{
    std::vector<validate::ValidationIssue> issues;
    for (std::size_t i = 0; i < graph.incoming.size(); ++i) {
        if (inputs[i].isUndefined())
            continue;
        json schema = graph.incoming[i];
        // The $id is the variable's name, not a URI to resolve $refs against.
        schema.erase("$id");
        const std::string name = JstGraph::schemaId(graph.incoming[i]);
        auto compiled = validate::JsonSchema::compile(schema);
        if (!compiled) {
            validate::ValidationIssue issue;
            issue.keyword = "schema";
            issue.instancePath = "/" + validate::escapePointerToken(name);
            issue.message =
                "the incoming schema of " + name + " is malformed: " + compiled.error().message;
            issues.push_back(std::move(issue));
            continue;
        }
        for (auto issue : compiled->validate(*inputs[i].js)) {
            issue.instancePath = "/" + validate::escapePointerToken(name) + issue.instancePath;
            issues.push_back(std::move(issue));
        }
    }
    if (issues.empty())
        return {};
    std::string message = "incoming values do not match the transformation's schemas:";
    json details = json::array();
    for (const auto &issue : issues) {
        message += " " + (issue.instancePath.empty() ? std::string("/") : issue.instancePath) +
                   " " + issue.message + ";";
        details.push_back(issue.toJson());
    }
    message.pop_back();
    return Error::invalid(message, std::move(details));
}

} // namespace

JstOptions JstOptions::fromJson(const nlohmann::json &options)
{
    JstOptions o;
    if (!options.is_object())
        return o;
    const auto flag = [&](const char *key) {
        const auto it = options.find(key);
        return it != options.end() && it->is_boolean() && it->get<bool>();
    };
    o.extractOutput = flag("extractOutput");
    o.validateIncoming = flag("validateIncoming");
    o.revertToDefaultValue = flag("revertToDefaultValue");
    return o;
}

namespace {

Result<nlohmann::json> runWith(const JstDocument &document, const Plans &plans,
                               const nlohmann::json &incoming, const JstOptions &options)
{
    const JstGraph &graph = document.graph();
    std::vector<Value> inputs;
    for (const auto &schema : graph.incoming) {
        const std::string name = JstGraph::schemaId(schema);
        Value v;
        if (incoming.is_object())
            if (const auto it = incoming.find(name); it != incoming.end())
                v = Value(*it);
        if (options.revertToDefaultValue)
            v = withDefault(std::move(v), schema);
        inputs.push_back(std::move(v));
    }
    if (options.validateIncoming) {
        auto valid = validateIncoming(graph, inputs);
        if (!valid)
            return valid.error();
    }
    Evaluator evaluator(document, plans);
    std::vector<const Value *> bound;
    for (const auto &v : inputs)
        bound.push_back(&v);
    auto out = evaluator.evaluate(graph, bound, 0);
    if (!out)
        return out.error();
    json result = json::object();
    for (std::size_t i = 0; i < out->size(); ++i) {
        Value v = std::move((*out)[i]);
        if (options.revertToDefaultValue)
            v = withDefault(std::move(v), graph.outgoing[i]);
        if (!v.isUndefined())
            result[JstGraph::schemaId(graph.outgoing[i])] = std::move(*v.js);
    }
    if (options.extractOutput && graph.outgoing.size() == 1) {
        const auto it = result.find(JstGraph::schemaId(graph.outgoing[0]));
        return it == result.end() ? json(nullptr) : *it;
    }
    return result;
}

} // namespace

Result<nlohmann::json> run(const JstDocument &document, const nlohmann::json &incoming,
                           const JstOptions &options)
{
    const Plans plans(document);
    return runWith(document, plans, incoming, options);
}

JstEvaluator::JstEvaluator(JstDocument document)
    : m_document(std::make_shared<const JstDocument>(std::move(document))),
      m_plans(std::make_shared<const Plans>(*m_document))
{}

JstEvaluator::~JstEvaluator() = default;

Result<nlohmann::json> JstEvaluator::run(const nlohmann::json &incoming,
                                         const JstOptions &options) const
{
    return runWith(*m_document, *m_plans, incoming, options);
}

} // namespace flowdeck::jst
