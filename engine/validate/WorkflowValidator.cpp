// SPDX-License-Identifier: GPL-3.0-or-later
// The structural rules of an Itential workflow document. Each rule reports and moves on, so an
// operator fixing an import sees every problem at once. The rules are deliberately lenient
// where real exports vary (null for "unset", stale {} transitions, unknown extra keys): an
// error here blocks an import, so anything that would not break a job is at most a warning.
#include "engine/validate/WorkflowValidator.h"

#include "engine/model/Backoff.h"
#include "engine/model/Ids.h"
#include "engine/model/JsonParse.h"
#include "engine/model/Workflow.h"
#include "engine/validate/JsonSchema.h"

#include <algorithm>
#include <array>
#include <deque>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>

namespace flowdeck::validate {
namespace {

using model::kWorkflowEnd;
using model::kWorkflowStart;
using nlohmann::json;

constexpr std::array<std::string_view, 3> kTaskTypes{"automatic", "manual", "operation"};
constexpr std::array<std::string_view, 4> kStates{"success", "failure", "error", "loop"};
constexpr std::array<std::string_view, 2> kTransitionTypes{"standard", "revert"};
constexpr std::array<std::string_view, 3> kFinishStates{"success", "failure", "error"};

constexpr int kMaxScanDepth = 64;

// Job variables every job has without anyone declaring them (the platform adds them).
constexpr std::array<std::string_view, 2> kImplicitJobVariables{"_id", "initiator"};

template <std::size_t N>
bool oneOf(const std::array<std::string_view, N> &allowed, std::string_view value)
{
    for (auto a : allowed)
        if (a == value)
            return true;
    return false;
}

template <std::size_t N>
json allowedJson(const std::array<std::string_view, N> &allowed)
{
    json out = json::array();
    for (auto a : allowed)
        out.push_back(std::string(a));
    return out;
}

// "\"a\", \"b\" or \"c\"" for messages.
template <std::size_t N>
std::string allowedText(const std::array<std::string_view, N> &allowed)
{
    std::string out;
    for (std::size_t i = 0; i < N; ++i) {
        if (i > 0)
            out += i + 1 == N ? " or " : ", ";
        out += '"' + std::string(allowed[i]) + '"';
    }
    return out;
}

std::string inQuotes(std::string_view s)
{
    return '"' + std::string(s) + '"';
}

// "string \"12\"" or "an array": scalars are shown so the operator can find them.
std::string describeValue(const json &value)
{
    if (value.is_object())
        return "an object";
    if (value.is_array())
        return "an array";
    if (value.is_null())
        return "null";
    std::string shown = value.dump();
    if (shown.size() > 40)
        shown = shown.substr(0, 37) + "...";
    return std::string(value.type_name()) + " " + shown;
}

enum class Kind { String, Number, Integer, Boolean, Object, Array };

const char *kindName(Kind kind)
{
    switch (kind) {
    case Kind::String:
        return "string";
    case Kind::Number:
        return "number";
    case Kind::Integer:
        return "integer";
    case Kind::Boolean:
        return "boolean";
    case Kind::Object:
        return "object";
    case Kind::Array:
        return "array";
    }
    return "value";
}

const char *withArticle(Kind kind)
{
    switch (kind) {
    case Kind::String:
        return "a string";
    case Kind::Number:
        return "a number";
    case Kind::Integer:
        return "an integer";
    case Kind::Boolean:
        return "a boolean";
    case Kind::Object:
        return "an object";
    case Kind::Array:
        return "an array";
    }
    return "a value";
}

// JSON has one number type: 3.0 is an integer as far as a limit is concerned.
bool isInteger(const json &v)
{
    if (v.is_number_integer())
        return true;
    if (!v.is_number_float())
        return false;
    const double d = v.get<double>();
    return d == static_cast<double>(static_cast<long long>(d));
}

bool hasKind(const json &v, Kind kind)
{
    switch (kind) {
    case Kind::String:
        return v.is_string();
    case Kind::Number:
        return v.is_number();
    case Kind::Integer:
        return isInteger(v);
    case Kind::Boolean:
        return v.is_boolean();
    case Kind::Object:
        return v.is_object();
    case Kind::Array:
        return v.is_array();
    }
    return false;
}

// A whole-string reference "$var.<task>.<name>", optionally followed by "#/json/pointer"
// (Itential's inline query). Anything else is a literal.
struct VarRef
{
    std::string task;
    std::string name;
};

std::optional<VarRef> parseVarRef(std::string_view s)
{
    constexpr std::string_view prefix = "$var.";
    if (!s.starts_with(prefix))
        return std::nullopt;
    std::string_view body = s.substr(prefix.size());
    body = body.substr(0, body.find('#'));
    const auto dot = body.find('.');
    if (dot == std::string_view::npos || dot == 0 || dot + 1 == body.size())
        return std::nullopt;
    return VarRef{std::string(body.substr(0, dot)), std::string(body.substr(dot + 1))};
}

// {"task": T, "variable": V} (evaluation, merge) or {"task": T, "value": V} (childJob), with
// the UI-only "editable" flag. Any other key means the object is literal data that happens to
// have a "task" member, so it is not treated as a reference.
bool isStructuredRef(const json &v)
{
    if (!v.is_object())
        return false;
    auto task = v.find("task");
    if (task == v.end() || !task->is_string())
        return false;
    if (!v.contains("variable") && !v.contains("value"))
        return false;
    for (auto it = v.begin(); it != v.end(); ++it)
        if (it.key() != "task" && it.key() != "variable" && it.key() != "value" &&
            it.key() != "editable")
            return false;
    return true;
}

struct JobRead
{
    std::string name;
    std::string path;
    std::string taskKey;
};

class Validator
{
public:
    explicit Validator(const json &doc) : m_doc(doc) {}

    std::vector<ValidationIssue> run()
    {
        checkTopLevel();
        checkTasks();
        checkTransitions();
        checkReachability();
        checkReferences();
        checkSchema("inputSchema");
        checkSchema("outputSchema");
        return std::move(m_issues);
    }

private:
    void report(Severity severity, std::string keyword, std::string path, std::string_view rule,
                json params, std::string message)
    {
        m_issues.push_back({std::move(keyword), std::move(path), "#/flowdeck/" + std::string(rule),
                            std::move(params), std::move(message), severity});
    }

    void error(std::string keyword, std::string path, std::string_view rule, json params,
               std::string message)
    {
        report(Severity::Error, std::move(keyword), std::move(path), rule, std::move(params),
               std::move(message));
    }

    void warn(std::string keyword, std::string path, std::string_view rule, json params,
              std::string message)
    {
        report(Severity::Warning, std::move(keyword), std::move(path), rule, std::move(params),
               std::move(message));
    }

    // Reports `what` having the wrong type; true when it has the wanted one.
    bool expect(const json &value, Kind kind, const std::string &path, std::string_view rule,
                const std::string &what)
    {
        if (hasKind(value, kind))
            return true;
        error("type", path, rule, {{"type", kindName(kind)}, {"actual", value.type_name()}},
              what + " must be " + withArticle(kind) + ", not " + describeValue(value));
        return false;
    }

    // Optional members may be null: exports write null for "not set" in many places, and a
    // null never breaks a job.
    const json *optionalMember(const json &object, const char *key)
    {
        auto it = object.find(key);
        if (it == object.end() || it->is_null())
            return nullptr;
        return &*it;
    }

    bool hasTask(const std::string &key) const { return m_tasks && m_tasks->contains(key); }

    std::string taskLabel(const std::string &key) const
    {
        std::string label = "task " + inQuotes(key);
        if (!m_tasks || key == kWorkflowStart || key == kWorkflowEnd)
            return label;
        auto task = m_tasks->find(key);
        if (task != m_tasks->end() && task->is_object()) {
            auto name = task->find("name");
            if (name != task->end() && name->is_string() && !name->get<std::string>().empty())
                label += " (" + name->get<std::string>() + ")";
        }
        return label;
    }

    // --- top level ------------------------------------------------------------------------

    void checkTopLevel()
    {
        auto name = m_doc.find("name");
        if (name == m_doc.end())
            error("required", "", "name", {{"missingProperty", "name"}},
                  "the workflow has no \"name\"; add a non-empty string name");
        else if (expect(*name, Kind::String, "/name", "name", "the workflow \"name\"") &&
                 name->get<std::string>().empty())
            error("minLength", "/name", "name", {{"limit", 1}},
                  "the workflow \"name\" is empty; give the workflow a name");

        if (const json *description = optionalMember(m_doc, "description"))
            expect(*description, Kind::String, "/description", "description",
                   "the workflow \"description\"");

        if (const json *type = optionalMember(m_doc, "type")) {
            if (expect(*type, Kind::String, "/type", "type", "the workflow \"type\"") &&
                *type != "automation")
                error("enum", "/type", "type",
                      {{"allowedValues", json::array({"automation"})}, {"value", *type}},
                      "the workflow \"type\" is " + inQuotes(type->get<std::string>()) +
                          "; a workflow document must say \"automation\"");
        }

        for (const char *key : {"tasks", "transitions"}) {
            auto it = m_doc.find(key);
            if (it == m_doc.end())
                error("required", "", key, {{"missingProperty", key}},
                      std::string("the workflow has no \"") + key + "\"; add an object of " + key);
            else
                expect(*it, Kind::Object, appendPointer("", key), key,
                       std::string("the workflow \"") + key + "\"");
        }

        for (const char *key : {"inputSchema", "outputSchema"})
            if (const json *schema = optionalMember(m_doc, key))
                expect(*schema, Kind::Object, appendPointer("", key), key,
                       std::string("the workflow \"") + key + "\" (a JSON Schema)");

        if (const json *groups = optionalMember(m_doc, "groups"))
            checkGroups(*groups, "/groups", "groups", "the workflow \"groups\"");

        if (const json *tags = optionalMember(m_doc, "tags"))
            expect(*tags, Kind::Array, "/tags", "tags", "the workflow \"tags\"");

        if (const json *decorators = optionalMember(m_doc, "decorators"))
            checkDecorators(*decorators);

        for (const char *key : {"canvasVersion", "font_size", "preAutomationTime", "sla"})
            if (const json *number = optionalMember(m_doc, key))
                expect(*number, Kind::Number, appendPointer("", key), key,
                       std::string("the workflow \"") + key + "\"");

        // Its shape is unconfirmed (null in every export seen); an object or a task key are
        // the plausible forms, so both pass.
        if (const json *handler = optionalMember(m_doc, "errorHandler");
            handler && !handler->is_object() && !handler->is_string())
            error("type", "/errorHandler", "errorHandler",
                  {{"type", json::array({"null", "object", "string"})},
                   {"actual", handler->type_name()}},
                  std::string("the workflow \"errorHandler\" must be null, an object or a string, "
                              "not ") +
                      handler->type_name());
    }

    // Group ids as strings, or group objects as some exports embed them.
    void checkGroups(const json &groups, const std::string &path, std::string_view rule,
                     const std::string &what)
    {
        if (!expect(groups, Kind::Array, path, rule, what))
            return;
        for (std::size_t i = 0; i < groups.size(); ++i) {
            const json &g = groups[i];
            if (!g.is_string() && !g.is_object())
                error("type", path + "/" + std::to_string(i), rule,
                      {{"type", json::array({"string", "object"})}, {"actual", g.type_name()}},
                      what + " must hold group ids (strings) or group objects, not " +
                          g.type_name());
        }
    }

    void checkDecorators(const json &decorators)
    {
        if (!expect(decorators, Kind::Array, "/decorators", "decorators",
                    "the workflow \"decorators\""))
            return;
        for (std::size_t i = 0; i < decorators.size(); ++i) {
            const std::string path = "/decorators/" + std::to_string(i);
            const json &d = decorators[i];
            const std::string what = "decorator " + std::to_string(i);
            if (!expect(d, Kind::Object, path, "decorators", what))
                continue;
            for (const char *key : {"type", "pointer"}) {
                auto it = d.find(key);
                if (it == d.end())
                    error("required", path, "decorators", {{"missingProperty", key}},
                          what + " has no \"" + key + "\"; a decorator needs a type and a pointer");
                else
                    expect(*it, Kind::String, appendPointer(path, key), "decorators",
                           what + " \"" + key + "\"");
            }
        }
    }

    // --- tasks ----------------------------------------------------------------------------

    void checkTasks()
    {
        auto tasks = m_doc.find("tasks");
        if (tasks == m_doc.end() || !tasks->is_object())
            return;
        m_tasks = &*tasks;
        for (const char *reserved : {kWorkflowStart, kWorkflowEnd})
            if (!tasks->contains(reserved))
                error("required", "/tasks", std::string("tasks/") + reserved,
                      {{"missingProperty", reserved}},
                      std::string("the workflow has no \"") + reserved +
                          "\" task; every workflow needs workflow_start and workflow_end");
        for (auto it = tasks->begin(); it != tasks->end(); ++it)
            checkTask(it.key(), it.value());
    }

    void checkTask(const std::string &key, const json &task)
    {
        const std::string path = appendPointer("/tasks", key);
        if (!ids::isTaskKey(key))
            warn("taskKey", path, "tasks/key", {{"task", key}},
                 "task key " + inQuotes(key) +
                     " is not 1-4 hexadecimal characters: Itential accepts it but $var "
                     "references to it do not resolve at run time; give the task a hex key");
        const std::string label = taskLabel(key);
        if (!expect(task, Kind::Object, path, "tasks/task", label))
            return;

        auto name = task.find("name");
        if (name == task.end())
            error("required", path, "tasks/name", {{"missingProperty", "name"}},
                  label + " has no \"name\"; set it to the task's method name");
        else if (expect(*name, Kind::String, appendPointer(path, "name"), "tasks/name",
                        label + " \"name\"") &&
                 name->get<std::string>().empty())
            warn("minLength", appendPointer(path, "name"), "tasks/name", {{"limit", 1}},
                 label + " has an empty \"name\"; the engine cannot tell which method to run");

        std::string type;
        if (const json *t = optionalMember(task, "type")) {
            const std::string typePath = appendPointer(path, "type");
            if (expect(*t, Kind::String, typePath, "tasks/type", label + " \"type\"")) {
                type = t->get<std::string>();
                if (!oneOf(kTaskTypes, type))
                    error("enum", typePath, "tasks/type",
                          {{"allowedValues", allowedJson(kTaskTypes)}, {"value", type}},
                          label + " has type " + inQuotes(type) + "; use " +
                              allowedText(kTaskTypes));
            }
        }

        const json *incoming = nullptr;
        if (const json *variables = optionalMember(task, "variables")) {
            const std::string varPath = appendPointer(path, "variables");
            if (expect(*variables, Kind::Object, varPath, "tasks/variables",
                       label + " \"variables\"")) {
                for (const char *key2 : {"incoming", "outgoing"})
                    if (const json *v = optionalMember(*variables, key2)) {
                        if (expect(*v, Kind::Object, appendPointer(varPath, key2),
                                   "tasks/variables", label + " \"variables." + key2 + "\"") &&
                            std::string_view(key2) == "incoming")
                            incoming = v;
                    }
                if (const json *e = optionalMember(*variables, "error"))
                    expect(*e, Kind::String, appendPointer(varPath, "error"), "tasks/variables",
                           label + " \"variables.error\"");
                if (const json *d = optionalMember(*variables, "decorators"))
                    expect(*d, Kind::Array, appendPointer(varPath, "decorators"), "tasks/variables",
                           label + " \"variables.decorators\"");
            }
        }

        if (const json *groups = optionalMember(task, "groups"))
            checkGroups(*groups, appendPointer(path, "groups"), "tasks/groups",
                        label + " \"groups\"");

        checkPoint(task, "nodeLocation", path, label);
        checkPoint(task, "gridCoordinate", path, label);
        for (const char *axis : {"x", "y"})
            if (const json *v = optionalMember(task, axis))
                expect(*v, Kind::Number, appendPointer(path, axis), "tasks/position",
                       label + " \"" + axis + "\"");

        if (const json *retry = optionalMember(task, "retrySettings"))
            checkRetrySettings(*retry, appendPointer(path, "retrySettings"), label);

        if (type == "manual") {
            const json *view = optionalMember(task, "view");
            if (!view)
                warn("required", path, "tasks/manual", {{"missingProperty", "view"}},
                     label + " is a manual task without a \"view\"; operators will have no form "
                             "to work it (e.g. \"/workflow_engine/task/ViewData\")");
            else
                expect(*view, Kind::String, appendPointer(path, "view"), "tasks/manual",
                       label + " \"view\"");
            if (!incoming)
                warn("required", appendPointer(path, "variables"), "tasks/manual",
                     {{"missingProperty", "incoming"}},
                     label + " is a manual task without \"variables.incoming\"; its form will "
                             "show nothing");
        }
    }

    void checkPoint(const json &task, const char *field, const std::string &taskPath,
                    const std::string &label)
    {
        const json *point = optionalMember(task, field);
        if (!point)
            return;
        const std::string path = appendPointer(taskPath, field);
        const std::string what = label + " \"" + field + "\"";
        if (!expect(*point, Kind::Object, path, "tasks/position", what))
            return;
        for (const char *axis : {"x", "y"}) {
            auto it = point->find(axis);
            if (it == point->end())
                error("required", path, "tasks/position", {{"missingProperty", axis}},
                      what + " has no \"" + axis + "\"; give both x and y");
            else
                expect(*it, Kind::Number, appendPointer(path, axis), "tasks/position",
                       label + " \"" + field + "." + axis + "\"");
        }
    }

    // The inner shape is unconfirmed upstream; what is checked here is only what the engine's
    // retry loop reads, and an unknown state name is a warning.
    void checkRetrySettings(const json &retry, const std::string &path, const std::string &label)
    {
        const std::string what = label + " \"retrySettings\"";
        if (!expect(retry, Kind::Object, path, "tasks/retrySettings", what))
            return;
        if (const json *v = optionalMember(retry, "autoRetry"))
            expect(*v, Kind::Boolean, appendPointer(path, "autoRetry"), "tasks/retrySettings",
                   label + " \"retrySettings.autoRetry\"");
        for (const char *key : {"limit", "delay"}) {
            const json *v = optionalMember(retry, key);
            if (!v)
                continue;
            const std::string p = appendPointer(path, key);
            const bool isLimit = std::string_view(key) == "limit";
            if (!expect(*v, isLimit ? Kind::Integer : Kind::Number, p, "tasks/retrySettings",
                        label + " \"retrySettings." + key + "\""))
                continue;
            if (v->get<double>() < 0)
                error("minimum", p, "tasks/retrySettings", {{"limit", 0}, {"value", *v}},
                      label + " \"retrySettings." + key + "\" is " + v->dump() +
                          "; it must be zero or more");
        }
        if (const json *v = optionalMember(retry, "retry_strategy");
            v && (!v->is_string() || !backoff::parse(v->get<std::string>())))
            error("enum", appendPointer(path, "retry_strategy"), "tasks/retrySettings",
                  {{"allowedValues", json::array({"fixed", "exponential", "exponential_jitter"})},
                   {"value", *v}},
                  label + " \"retrySettings.retry_strategy\" is " + v->dump() +
                      "; it must be \"fixed\", \"exponential\" or \"exponential_jitter\"");
        if (const json *state = optionalMember(retry, "state")) {
            const std::string p = appendPointer(path, "state");
            if (state->is_string()) {
                checkRetryState(*state, p, what);
            } else if (state->is_array()) {
                for (std::size_t i = 0; i < state->size(); ++i) {
                    const std::string ip = p + "/" + std::to_string(i);
                    if (expect((*state)[i], Kind::String, ip, "tasks/retrySettings",
                               label + " \"retrySettings.state\" entry"))
                        checkRetryState((*state)[i], ip, what);
                }
            } else {
                error(
                    "type", p, "tasks/retrySettings",
                    {{"type", json::array({"string", "array"})}, {"actual", state->type_name()}},
                    label +
                        " \"retrySettings.state\" must be a state name or an array of them, not " +
                        state->type_name());
            }
        }
    }

    void checkRetryState(const json &state, const std::string &path, const std::string &what)
    {
        const auto &s = state.get_ref<const std::string &>();
        if (!oneOf(kFinishStates, s))
            warn("enum", path, "tasks/retrySettings",
                 {{"allowedValues", allowedJson(kFinishStates)}, {"value", s}},
                 what + " retries on " + inQuotes(s) + ", which no task finishes with; use " +
                     allowedText(kFinishStates));
    }

    // --- transitions ----------------------------------------------------------------------

    void checkTransitions()
    {
        auto transitions = m_doc.find("transitions");
        if (transitions == m_doc.end() || !transitions->is_object())
            return;
        for (auto from = transitions->begin(); from != transitions->end(); ++from) {
            const std::string fromPath = appendPointer("/transitions", from.key());
            if (!expect(from.value(), Kind::Object, fromPath, "transitions/from",
                        "transitions from " + inQuotes(from.key())))
                continue;
            bool reportedUnknownFrom = false;
            for (auto to = from->begin(); to != from->end(); ++to) {
                const std::string toPath = appendPointer(fromPath, to.key());
                if (!expect(to.value(), Kind::Object, toPath, "transitions/entry",
                            "the transition " + inQuotes(from.key()) + " -> " + inQuotes(to.key())))
                    continue;
                // An empty entry is what the canvas leaves behind when a link or a task is
                // deleted; Itential ignores it and so does the engine.
                if (to->empty())
                    continue;
                checkTransition(from.key(), to.key(), to.value(), toPath, fromPath,
                                reportedUnknownFrom);
            }
        }
    }

    void checkTransition(const std::string &from, const std::string &to, const json &entry,
                         const std::string &path, const std::string &fromPath,
                         bool &reportedUnknownFrom)
    {
        const bool fromKnown = !m_tasks || hasTask(from);
        const bool toKnown = !m_tasks || hasTask(to);
        if (!fromKnown && !reportedUnknownFrom) {
            reportedUnknownFrom = true;
            error("transition", fromPath, "transitions/from", {{"task", from}},
                  "there are transitions from " + inQuotes(from) +
                      ", which is not a task of this workflow; add the task or delete "
                      "transitions[" +
                      inQuotes(from) + "]");
        }
        if (!toKnown)
            error("transition", path, "transitions/to", {{"task", to}, {"from", from}},
                  taskLabel(from) + " has a transition to " + inQuotes(to) +
                      ", which is not a task of this workflow; add the task or delete the "
                      "transition");
        if (from == kWorkflowEnd)
            error("transition", path, "transitions/end", {{"from", from}, {"to", to}},
                  "workflow_end has a transition to " + inQuotes(to) +
                      "; the job ends at workflow_end, so delete the transition");

        const std::string label = "the transition " + inQuotes(from) + " -> " + inQuotes(to);
        auto state = entry.find("state");
        if (state == entry.end()) {
            error("required", path, "transitions/state", {{"missingProperty", "state"}},
                  label + " has no \"state\"; set it to " + allowedText(kStates));
        } else if (expect(*state, Kind::String, appendPointer(path, "state"), "transitions/state",
                          label + " \"state\"") &&
                   !oneOf(kStates, state->get_ref<const std::string &>())) {
            error("enum", appendPointer(path, "state"), "transitions/state",
                  {{"allowedValues", allowedJson(kStates)}, {"value", *state}},
                  label + " has state " + inQuotes(state->get<std::string>()) + "; use " +
                      allowedText(kStates));
        }
        if (const json *type = optionalMember(entry, "type")) {
            if (expect(*type, Kind::String, appendPointer(path, "type"), "transitions/type",
                       label + " \"type\"") &&
                !oneOf(kTransitionTypes, type->get_ref<const std::string &>()))
                error("enum", appendPointer(path, "type"), "transitions/type",
                      {{"allowedValues", allowedJson(kTransitionTypes)}, {"value", *type}},
                      label + " has type " + inQuotes(type->get<std::string>()) + "; use " +
                          allowedText(kTransitionTypes));
        }

        // Every non-empty entry between live tasks is an edge for reachability, even one with
        // a bad state: that problem is reported above, and unreachable-task warnings on top of
        // it would only repeat it.
        if (m_tasks && fromKnown && toKnown)
            m_edges[from].push_back(to);
    }

    // --- reachability ---------------------------------------------------------------------

    void checkReachability()
    {
        auto transitions = m_doc.find("transitions");
        if (!m_tasks || !hasTask(kWorkflowStart) || transitions == m_doc.end() ||
            !transitions->is_object())
            return;
        std::set<std::string> reached{kWorkflowStart};
        std::deque<std::string> queue{kWorkflowStart};
        while (!queue.empty()) {
            const std::string at = std::move(queue.front());
            queue.pop_front();
            auto out = m_edges.find(at);
            if (out == m_edges.end())
                continue;
            for (const auto &next : out->second)
                if (reached.insert(next).second)
                    queue.push_back(next);
        }
        for (auto it = m_tasks->begin(); it != m_tasks->end(); ++it) {
            if (reached.count(it.key()))
                continue;
            const std::string path = appendPointer("/tasks", it.key());
            if (it.key() == kWorkflowEnd)
                error("reachable", path, "reachability", {{"task", it.key()}},
                      "workflow_end cannot be reached from workflow_start, so no job of this "
                      "workflow can complete; connect a path of transitions to workflow_end");
            else
                warn("reachable", path, "reachability", {{"task", it.key()}},
                     taskLabel(it.key()) +
                         " cannot be reached from workflow_start and will never run; connect "
                         "it or delete it");
        }
    }

    // --- variable references --------------------------------------------------------------

    void checkReferences()
    {
        if (!m_tasks)
            return;
        collectJobWrites();
        for (auto it = m_tasks->begin(); it != m_tasks->end(); ++it) {
            if (!it->is_object())
                continue;
            auto variables = it->find("variables");
            if (variables == it->end() || !variables->is_object())
                continue;
            const std::string varPath =
                appendPointer(appendPointer("/tasks", it.key()), "variables");
            for (const char *side : {"incoming", "outgoing"}) {
                auto values = variables->find(side);
                if (values == variables->end() || !values->is_object())
                    continue;
                const bool isOutgoing = std::string_view(side) == "outgoing";
                const std::string sidePath = appendPointer(varPath, side);
                for (auto v = values->begin(); v != values->end(); ++v)
                    scan(v.value(), appendPointer(sidePath, v.key()), it.key(), isOutgoing);
            }
        }
        checkJobReads();
    }

    // Job variables that some task writes: outgoing "$var.job.x" promotions and newVariable.
    void collectJobWrites()
    {
        for (const auto &task : *m_tasks) {
            if (!task.is_object())
                continue;
            auto variables = task.find("variables");
            if (variables == task.end() || !variables->is_object())
                continue;
            if (auto outgoing = variables->find("outgoing");
                outgoing != variables->end() && outgoing->is_object())
                for (const auto &v : *outgoing)
                    if (v.is_string())
                        if (auto ref = parseVarRef(v.get<std::string>()); ref && ref->task == "job")
                            m_jobWrites.insert(ref->name);
            auto name = task.find("name");
            auto incoming = variables->find("incoming");
            if (name != task.end() && *name == "newVariable" && incoming != variables->end() &&
                incoming->is_object())
                if (auto var = incoming->find("name"); var != incoming->end() && var->is_string())
                    m_jobWrites.insert(var->get<std::string>());
        }
    }

    void scan(const json &value, const std::string &path, const std::string &owner, bool outgoing,
              int depth = 0)
    {
        // Variables are a few levels deep in practice; a document nested far deeper is hostile
        // or broken, and following it would risk the stack.
        if (depth > kMaxScanDepth) {
            warn("depth", path, "references/depth", {{"limit", kMaxScanDepth}},
                 taskLabel(owner) + " has variables nested more than " +
                     std::to_string(kMaxScanDepth) +
                     " levels deep; references below this point were not checked");
            return;
        }
        if (value.is_string()) {
            auto ref = parseVarRef(value.get_ref<const std::string &>());
            if (!ref)
                return;
            if (ref->task == "job") {
                if (!outgoing)
                    m_jobReads.push_back({ref->name, path, owner});
            } else {
                checkTaskRef(ref->task, path, owner, true);
            }
        } else if (isStructuredRef(value)) {
            const std::string task = value["task"].get<std::string>();
            // "static" and "" (unset, childJob) carry literal data: nothing inside is a
            // reference, whatever it looks like.
            if (task == "static" || task.empty())
                return;
            if (task == "job") {
                const json &name = value.contains("value") ? value["value"] : value["variable"];
                if (name.is_string() && !outgoing)
                    m_jobReads.push_back({name.get<std::string>(), path, owner});
                return;
            }
            // Literal data can have a "task" member too, so a miss on a name that cannot be a
            // task key is only a warning.
            checkTaskRef(task, appendPointer(path, "task"), owner, ids::isTaskKey(task));
        } else if (value.is_object()) {
            for (auto it = value.begin(); it != value.end(); ++it)
                scan(it.value(), appendPointer(path, it.key()), owner, outgoing, depth + 1);
        } else if (value.is_array()) {
            for (std::size_t i = 0; i < value.size(); ++i)
                scan(value[i], path + "/" + std::to_string(i), owner, outgoing, depth + 1);
        }
    }

    void checkTaskRef(const std::string &task, const std::string &path, const std::string &owner,
                      bool strict)
    {
        if (hasTask(task))
            return;
        report(strict ? Severity::Error : Severity::Warning, "reference", path, "references/task",
               {{"task", task}},
               taskLabel(owner) + " refers to task " + inQuotes(task) +
                   ", which is not in this workflow; point the reference at an existing task "
                   "or re-add the task");
    }

    // A read of a job variable nobody declares or writes is usually a typo, but jobs can be
    // started with extra variables, so it is only a warning, and only when the workflow
    // declares its inputs at all.
    void checkJobReads()
    {
        auto schema = m_doc.find("inputSchema");
        if (schema == m_doc.end() || !schema->is_object())
            return;
        auto properties = schema->find("properties");
        if (properties == schema->end() || !properties->is_object())
            return;
        auto known = [&](const std::string &name) {
            return properties->contains(name) || m_jobWrites.count(name) ||
                   oneOf(kImplicitJobVariables, name);
        };
        for (const auto &read : m_jobReads) {
            const std::string head = read.name.substr(0, read.name.find('.'));
            if (known(read.name) || known(head))
                continue;
            warn("jobVariable", read.path, "references/job", {{"variable", read.name}},
                 taskLabel(read.taskKey) + " reads job variable " + inQuotes(read.name) +
                     ", which is not in the inputSchema properties and no task writes; add it "
                     "to the inputSchema or fix the name");
        }
    }

    // --- schemas --------------------------------------------------------------------------

    void checkSchema(const char *key)
    {
        auto schema = m_doc.find(key);
        if (schema == m_doc.end() || !schema->is_object())
            return;
        auto issues = JsonSchema::check(*schema, appendPointer("", key));
        m_issues.insert(m_issues.end(), std::make_move_iterator(issues.begin()),
                        std::make_move_iterator(issues.end()));
    }

    const json &m_doc;
    const json *m_tasks = nullptr; // the task map, when it is an object
    std::map<std::string, std::vector<std::string>> m_edges;
    std::set<std::string> m_jobWrites;
    std::vector<JobRead> m_jobReads;
    std::vector<ValidationIssue> m_issues;
};

ValidationIssue documentIssue(std::string keyword, json params, std::string message)
{
    return {std::move(keyword), "", "#/flowdeck/document", std::move(params), std::move(message),
            Severity::Error};
}

} // namespace

std::vector<ValidationIssue> validateWorkflow(const nlohmann::json &document)
{
    if (!document.is_object())
        return {documentIssue("type", {{"type", "object"}, {"actual", document.type_name()}},
                              std::string("a workflow document must be a JSON object with name, "
                                          "tasks and transitions, not ") +
                                  (document.is_array() ? "an array" : document.type_name()))};
    return Validator(document).run();
}

std::vector<ValidationIssue> validateWorkflowText(std::string_view text)
{
    if (text.find_first_not_of(" \t\r\n") == std::string_view::npos)
        return {documentIssue("parse", {{"line", 1}, {"column", 1}, {"offset", 0}},
                              "the document is empty; expected a JSON object describing a "
                              "workflow")};
    auto document = parseJson(text);
    if (!document) {
        // Offsets in issues count from 1, as nlohmann's own messages do.
        const JsonParseProblem p = jsonParseProblem(document.error());
        return {documentIssue("parse",
                              {{"line", p.line}, {"column", p.column}, {"offset", p.offset + 1}},
                              document.error().message)};
    }
    return validateWorkflow(*document);
}

} // namespace flowdeck::validate
