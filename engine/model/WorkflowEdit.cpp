// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/model/WorkflowEdit.h"

#include "engine/model/Workflow.h"

#include <cmath>
#include <cstdio>
#include <random>
#include <set>

namespace flowdeck::model {

using nlohmann::json;
using Pointer = json::json_pointer;

namespace {

const std::string kStart = kWorkflowStart;
const std::string kEnd = kWorkflowEnd;

const json *member(const json &object, const std::string &key)
{
    if (!object.is_object())
        return nullptr;
    auto it = object.find(key);
    return it == object.end() ? nullptr : &*it;
}

const json &tasksOf(const json &doc)
{
    static const json none = json::object();
    const json *t = member(doc, "tasks");
    return t && t->is_object() ? *t : none;
}

const json &transitionsOf(const json &doc)
{
    static const json none = json::object();
    const json *t = member(doc, "transitions");
    return t && t->is_object() ? *t : none;
}

Pointer taskAt(const std::string &key)
{
    return Pointer("/tasks") / key;
}

Pointer transitionAt(const std::string &from, const std::string &to)
{
    return Pointer("/transitions") / from / to;
}

/// The transition from → to, or an error naming both tasks.
Result<const json *> findTransition(const json &doc, const std::string &from, const std::string &to)
{
    const json *out = member(transitionsOf(doc), from);
    const json *value = out ? member(*out, to) : nullptr;
    if (!value)
        return Error::notFound("no transition from " + taskLabel(doc, from) + " to " +
                               taskLabel(doc, to));
    return value;
}

Error unknownTask(const std::string &key)
{
    return Error::notFound("the workflow has no task " + key);
}

std::string plural(std::size_t n, const char *one, const char *many)
{
    return std::to_string(n) + " " + (n == 1 ? one : many);
}

GridPoint snapped(GridPoint p)
{
    return {std::round(p.x), std::round(p.y)};
}

/// Four hex digits not used as a task key in `doc` nor in `taken`.
std::string freshKey(const json &doc, std::set<std::string> &taken)
{
    static thread_local std::mt19937 random{std::random_device{}()};
    const json &tasks = tasksOf(doc);
    for (int width = 4;; ++width) {
        std::uniform_int_distribution<unsigned long> pick(0, (1ul << (4 * width)) - 1);
        for (int attempt = 0; attempt < 64; ++attempt) {
            char buffer[24];
            std::snprintf(buffer, sizeof buffer, "%0*lx", width, pick(random));
            const std::string key(buffer);
            if (!tasks.contains(key) && taken.insert(key).second)
                return key;
        }
    }
}

/// The changes that turn `before` into `after` for the members a move touches.
void positionChanges(const std::string &key, const json &before, const json &after,
                     std::vector<DocumentChange> &out)
{
    for (const char *field : {"nodeLocation", "gridCoordinate", "x", "y"}) {
        const json *was = member(before, field);
        const json *now = member(after, field);
        if ((was == nullptr && now == nullptr) || (was && now && *was == *now))
            continue;
        DocumentChange c{taskAt(key) / field, std::nullopt, std::nullopt};
        if (was)
            c.before = *was;
        if (now)
            c.after = *now;
        out.push_back(std::move(c));
    }
}

} // namespace

/// Sets the member at `at` to `value`, or removes it when there is no value.
static void put(json &doc, const Pointer &at, const std::optional<json> &value)
{
    if (value)
        doc[at] = *value;
    else if (doc.contains(at))
        doc[at.parent_pointer()].erase(at.back());
}

void applyEdit(json &doc, const WorkflowEdit &edit)
{
    for (const auto &c : edit.changes)
        put(doc, c.at, c.after);
}

void revertEdit(json &doc, const WorkflowEdit &edit)
{
    for (auto it = edit.changes.rbegin(); it != edit.changes.rend(); ++it)
        put(doc, it->at, it->before);
}

const char *transitionStateName(TransitionState state)
{
    switch (state) {
    case TransitionState::Success:
        return "success";
    case TransitionState::Failure:
        return "failure";
    case TransitionState::Error:
        return "error";
    }
    return "success";
}

std::string taskLabel(const json &doc, const std::string &key)
{
    if (key == kStart)
        return "Start";
    if (key == kEnd)
        return "End";
    if (const json *task = member(tasksOf(doc), key)) {
        for (const char *field : {"summary", "name"})
            if (const json *v = member(*task, field); v && v->is_string() && !v->empty())
                return v->get<std::string>();
    }
    return key;
}

Result<WorkflowEdit> moveTasks(const json &doc, const std::map<std::string, GridPoint> &to)
{
    const json &tasks = tasksOf(doc);
    WorkflowEdit edit;
    std::size_t moved = 0;
    for (const auto &[key, cell] : to) {
        const json *task = member(tasks, key);
        if (!task || !task->is_object())
            return unknownTask(key);
        json after = *task;
        setGridPosition(after, snapped(cell));
        const auto before = edit.changes.size();
        positionChanges(key, *task, after, edit.changes);
        moved += edit.changes.size() > before ? 1 : 0;
    }
    edit.name = moved == 1 && to.size() == 1 ? "Move " + taskLabel(doc, to.begin()->first)
                                             : "Move " + plural(moved, "task", "tasks");
    return edit;
}

Result<std::pair<WorkflowEdit, std::string>> addTask(const json &doc, json task, GridPoint cell)
{
    if (!task.is_object())
        return Error::invalid("a task is an object");
    std::set<std::string> taken;
    const std::string key = freshKey(doc, taken);
    if (!task.contains("name") || !task["name"].is_string())
        task["name"] = "task";
    // The form of the first positioned task, so a 1.5 document gets fractions, not pixels.
    for (const auto &[other, value] : tasksOf(doc).items()) {
        const auto form = positionForm(value);
        if (!form)
            continue;
        task.erase("nodeLocation");
        if (*form == PositionForm::GridCoordinate)
            task["gridCoordinate"] = {{"x", 0}, {"y", 0}};
        else if (*form == PositionForm::Fraction) {
            task["x"] = 0.0;
            task["y"] = 0.0;
        }
        break;
    }
    setGridPosition(task, snapped(cell));
    WorkflowEdit edit;
    const json summary = task.value("summary", json());
    edit.name = "Add " + (summary.is_string() && !summary.get<std::string>().empty()
                              ? summary.get<std::string>()
                              : task["name"].get<std::string>());
    if (!member(doc, "tasks"))
        edit.changes.push_back({Pointer("/tasks"), std::nullopt, json::object()});
    edit.changes.push_back({taskAt(key), std::nullopt, std::move(task)});
    return std::make_pair(std::move(edit), key);
}

Result<WorkflowEdit> setTaskValue(const json &doc, const std::string &key, const Pointer &inTask,
                                  std::optional<json> value, std::string name)
{
    if (key == kWorkflowStart || key == kWorkflowEnd)
        return Error::invalid("Start and End carry no values");
    const json *task = member(tasksOf(doc), key);
    if (!task || !task->is_object())
        return unknownTask(key);
    if (inTask.empty())
        return Error::invalid("a value of a task needs a member to set");
    WorkflowEdit edit;
    edit.name = std::move(name);
    // The highest member on the way that is missing (or not an object) takes the whole
    // new branch, so undo removes exactly what was added.
    std::vector<std::string> tokens;
    for (Pointer p = inTask; !p.empty(); p = p.parent_pointer())
        tokens.insert(tokens.begin(), p.back());
    const json *at = task;
    Pointer where = taskAt(key);
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        const json *next = member(*at, tokens[i]);
        const bool last = i + 1 == tokens.size();
        if (last || !next || !next->is_object()) {
            if (last && next && value && *next == *value)
                return WorkflowEdit{}; // already so
            if (last && !next && !value)
                return WorkflowEdit{}; // already absent
            if (!value && !last)
                return WorkflowEdit{}; // nothing to remove under a missing branch
            json branch = value ? *value : json();
            for (std::size_t j = tokens.size(); j-- > i + 1;)
                branch = json{{tokens[j], std::move(branch)}};
            edit.changes.push_back(
                {where / tokens[i], next ? std::optional<json>(*next) : std::nullopt,
                 value || !last ? std::optional<json>(std::move(branch)) : std::nullopt});
            return edit;
        }
        at = next;
        where /= tokens[i];
    }
    return edit;
}

json emptyWorkflow(const std::string &name)
{
    const auto terminal = [](const char *key, int column) {
        return json{
            {"name", key},
            {"summary", ""},
            {"groups", json::array()},
            {"nodeLocation", {{"x", std::lround(column * GridMetrics::kCellWidthPx)}, {"y", 0}}}};
    };
    return {{"name", name},
            {"type", "automation"},
            {"canvasVersion", 3},
            {"description", ""},
            {"groups", json::array()},
            {"inputSchema", {{"type", "object"}, {"properties", json::object()}}},
            {"outputSchema", {{"type", "object"}, {"properties", json::object()}}},
            {"tasks",
             {{kWorkflowStart, terminal(kWorkflowStart, 0)},
              {kWorkflowEnd, terminal(kWorkflowEnd, 3)}}},
            {"transitions", {{kWorkflowStart, json::object()}, {kWorkflowEnd, json::object()}}}};
}

GridPoint freeCellNear(const json &doc, GridPoint wanted)
{
    std::set<std::pair<long, long>> taken;
    for (const auto &[key, task] : tasksOf(doc).items())
        if (const auto at = gridPosition(task))
            taken.emplace(std::lround(at->x), std::lround(at->y));
    GridPoint cell = snapped(wanted);
    while (taken.count({std::lround(cell.x), std::lround(cell.y)}))
        cell.y += 1;
    return cell;
}

std::optional<std::vector<std::string>> movedTasksOnly(const WorkflowEdit &edit)
{
    static const std::set<std::string> positions{"nodeLocation", "gridCoordinate", "x", "y"};
    std::set<std::string> keys;
    for (const DocumentChange &change : edit.changes) {
        // /tasks/<key>/<position member>[/…]
        std::vector<std::string> tokens;
        for (Pointer p = change.at; !p.empty(); p = p.parent_pointer())
            tokens.insert(tokens.begin(), p.back());
        if (tokens.size() < 3 || tokens[0] != "tasks" || !positions.count(tokens[2]))
            return std::nullopt;
        keys.insert(tokens[1]);
    }
    if (keys.empty())
        return std::nullopt;
    return std::vector<std::string>(keys.begin(), keys.end());
}

WorkflowEdit chainEdits(WorkflowEdit first, const WorkflowEdit &second, std::string name)
{
    first.name = std::move(name);
    first.changes.insert(first.changes.end(), second.changes.begin(), second.changes.end());
    return first;
}

Result<WorkflowEdit> removeTasks(const json &doc, const std::vector<std::string> &keys)
{
    const json &tasks = tasksOf(doc);
    const json &transitions = transitionsOf(doc);
    const std::set<std::string> gone(keys.begin(), keys.end());
    for (const auto &key : gone) {
        if (key == kStart || key == kEnd)
            return Error::invalid("Start and End belong to every workflow and cannot be deleted");
        if (!tasks.contains(key))
            return unknownTask(key);
    }
    WorkflowEdit edit;
    edit.name = gone.size() == 1 ? "Delete " + taskLabel(doc, *gone.begin())
                                 : "Delete " + plural(gone.size(), "task", "tasks");
    // Transitions into a deleted task from one that stays; those out of a deleted task go
    // with its whole entry below.
    for (const auto &[from, targets] : transitions.items()) {
        if (gone.count(from) || !targets.is_object())
            continue;
        for (const auto &[to, value] : targets.items())
            if (gone.count(to))
                edit.changes.push_back({transitionAt(from, to), value, std::nullopt});
    }
    for (const auto &key : gone) {
        if (const json *out = member(transitions, key))
            edit.changes.push_back({Pointer("/transitions") / key, *out, std::nullopt});
        edit.changes.push_back({taskAt(key), tasks[key], std::nullopt});
    }
    return edit;
}

Result<WorkflowEdit> connectTasks(const json &doc, const std::string &from, const std::string &to,
                                  TransitionState state, bool revert)
{
    const json &tasks = tasksOf(doc);
    if (!tasks.contains(from))
        return unknownTask(from);
    if (!tasks.contains(to))
        return unknownTask(to);
    if (from == to)
        return Error::invalid("a transition joins two different tasks");
    if (from == kEnd)
        return Error::invalid("End finishes the job: no transition leaves it");
    if (to == kStart)
        return Error::invalid("Start begins the job: no transition enters it");
    const json &transitions = transitionsOf(doc);
    const json *out = member(transitions, from);
    if (out && out->contains(to)) {
        const json &existing = (*out)[to];
        return Error::conflict(taskLabel(doc, from) + " and " + taskLabel(doc, to) +
                               " are already joined by a " +
                               existing.value("state", std::string("success")) +
                               " transition; change its state instead");
    }
    const json value = {{"state", transitionStateName(state)},
                        {"type", revert ? "revert" : "standard"}};
    WorkflowEdit edit;
    edit.name = "Connect " + taskLabel(doc, from) + " → " + taskLabel(doc, to) + " (" +
                transitionStateName(state) + ")";
    if (!member(doc, "transitions"))
        edit.changes.push_back({Pointer("/transitions"), std::nullopt, json::object()});
    if (!out || !out->is_object())
        edit.changes.push_back({Pointer("/transitions") / from,
                                out ? std::optional<json>(*out) : std::nullopt, json{{to, value}}});
    else
        edit.changes.push_back({transitionAt(from, to), std::nullopt, value});
    return edit;
}

Result<WorkflowEdit> disconnectTasks(const json &doc, const std::string &from,
                                     const std::string &to)
{
    auto found = findTransition(doc, from, to);
    if (!found)
        return found.error();
    const json *value = *found;
    WorkflowEdit edit;
    edit.name = "Delete transition " + taskLabel(doc, from) + " → " + taskLabel(doc, to);
    edit.changes.push_back({transitionAt(from, to), *value, std::nullopt});
    return edit;
}

Result<WorkflowEdit> setTransitionState(const json &doc, const std::string &from,
                                        const std::string &to, TransitionState state)
{
    auto found = findTransition(doc, from, to);
    if (!found)
        return found.error();
    const json *value = *found;
    WorkflowEdit edit;
    edit.name = std::string("Make transition ") + transitionStateName(state);
    json after = value->is_object() ? *value : json::object();
    after["state"] = transitionStateName(state);
    if (after != *value)
        edit.changes.push_back({transitionAt(from, to), *value, std::move(after)});
    return edit;
}

Result<std::pair<WorkflowEdit, std::vector<std::string>>>
duplicateTasks(const json &doc, const std::vector<std::string> &keys, GridPoint offset)
{
    const json &tasks = tasksOf(doc);
    const json &transitions = transitionsOf(doc);
    std::map<std::string, std::string> renamed;
    std::set<std::string> taken;
    for (const auto &key : keys) {
        if (key == kStart || key == kEnd)
            continue; // every workflow has one of each
        if (!tasks.contains(key))
            return unknownTask(key);
        renamed.emplace(key, freshKey(doc, taken));
    }
    WorkflowEdit edit;
    edit.name = "Paste " + plural(renamed.size(), "task", "tasks");
    std::vector<std::string> added;
    for (const auto &[key, copy] : renamed) {
        json task = tasks[key];
        const GridPoint at = gridPosition(task).value_or(GridPoint{});
        setGridPosition(task, snapped({at.x + offset.x, at.y + offset.y}));
        edit.changes.push_back({taskAt(copy), std::nullopt, std::move(task)});
        added.push_back(copy);
    }
    for (const auto &[key, copy] : renamed) {
        const json *out = member(transitions, key);
        if (!out || !out->is_object())
            continue;
        json copied = json::object();
        for (const auto &[to, value] : out->items())
            if (auto it = renamed.find(to); it != renamed.end())
                copied[it->second] = value;
        if (!copied.empty())
            edit.changes.push_back({Pointer("/transitions") / copy, std::nullopt, copied});
    }
    return std::make_pair(std::move(edit), std::move(added));
}

} // namespace flowdeck::model
