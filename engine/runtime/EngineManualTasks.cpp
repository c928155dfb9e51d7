// SPDX-License-Identifier: GPL-3.0-or-later
// Manual tasks and the people who work them: claim, assign, release, finish, the form a task
// asks for (its controller), task iterations as an operator may see them, and watchers. GBAC
// applies throughout: a job or task hidden from someone by its groups is "not found" to them,
// so ids do not leak.
#include "engine/runtime/Engine.h"

#include "engine/model/Ids.h"
#include "engine/runtime/JobDocument.h"

#include <algorithm>

namespace flowdeck::runtime {

using nlohmann::json;

namespace {

std::string describeTask(const JobState &job, int t)
{
    return job.graph->label(t);
}

/// The values an operator types in: the task's declared outgoing variables. A field that is
/// promoted to a job variable the inputSchema declares takes that declaration's type.
json formFields(const JobState &job, int t)
{
    json fields = json::array();
    const json &variables = job.graph->task(t).value("variables", json::object());
    const json &outgoing =
        variables.is_object() ? variables.value("outgoing", json::object()) : json::object();
    const json &properties = job.graph->workflow()
                                 .document()
                                 .value("inputSchema", json::object())
                                 .value("properties", json::object());
    if (!outgoing.is_object())
        return fields;
    for (auto it = outgoing.begin(); it != outgoing.end(); ++it) {
        json field = {{"name", it.key()}, {"type", nullptr}, {"promotesTo", nullptr}};
        if (it->is_string() && it->get_ref<const std::string &>().rfind("$var.job.", 0) == 0) {
            const std::string target = it->get<std::string>().substr(9);
            field["promotesTo"] = target;
            if (properties.is_object() && properties.contains(target))
                field["type"] = properties[target].value("type", json());
        }
        fields.push_back(std::move(field));
    }
    return fields;
}

bool matchesType(const json &value, const json &type)
{
    if (!type.is_string())
        return true;
    const std::string t = type.get<std::string>();
    if (t == "string")
        return value.is_string();
    if (t == "number")
        return value.is_number();
    if (t == "integer")
        return value.is_number_integer() ||
               (value.is_number_float() && value.get<double>() == double(value.get<long long>()));
    if (t == "boolean")
        return value.is_boolean();
    if (t == "object")
        return value.is_object();
    if (t == "array")
        return value.is_array();
    if (t == "null")
        return value.is_null();
    return true;
}

} // namespace

Result<Engine::TaskRef> Engine::findTask(const std::string &jobId, const std::string &taskKey,
                                         const model::Principal &who)
{
    auto job = activeJob(jobId);
    if (!job || !who.allowedBy((*job)->groups))
        return Error::notFound("no job with id " + jobId);
    const int t = (*job)->taskIndex(taskKey);
    if (t < 0 || !who.allowedBy((*job)->graph->task(t).value("groups", json::array())))
        return Error::notFound("job " + jobId + " has no task \"" + taskKey + "\"");
    return TaskRef{*job, t};
}

Result<Engine::TaskRef> Engine::findIteration(const std::string &iterationId,
                                              const model::Principal &who)
{
    const auto notFound = Error::notFound("no task with id " + iterationId);
    if (!ids::isUuid(iterationId))
        return notFound;
    auto record = m_store.taskIteration(iterationId);
    if (!record)
        return record.error().code == ErrorCode::NotFound ? notFound : record.error();
    auto ref = findTask(record->jobId, record->taskKey, who);
    if (!ref)
        return notFound; // hidden by GBAC, or its job is gone: the same answer
    return ref;
}

Result<void> Engine::requireWaitingManualTask(const TaskRef &ref, const std::string &iterationId)
{
    const JobState &j = *ref.job;
    const auto &rt = j.tasks[std::size_t(ref.task)];
    if (!j.graph->isManual(ref.task))
        return Error::invalid(describeTask(j, ref.task) + " of job " + j.id +
                              " is not a manual task");
    if (!iterationId.empty() && (rt.iterations.empty() || rt.iterations.back() != iterationId))
        return Error::conflict(
            "this run of " + describeTask(j, ref.task) +
            " is over: the task ran again since (current run " +
            (rt.iterations.empty() ? std::string("none") : rt.iterations.back()) + ")");
    if (j.status == JobStatus::Paused)
        return Error::conflict("job " + j.id + " is paused: resume it before working its tasks");
    if (j.status != JobStatus::Running)
        return Error::conflict("job " + j.id + " is " + jobStatusName(j.status) +
                               ": its tasks can no longer be worked");
    if (rt.status != TaskStatus::Running)
        return Error::conflict(describeTask(j, ref.task) + " is " + taskStatusName(rt.status) +
                               ", not waiting for an operator");
    return {};
}

Result<json> Engine::onIteration(const std::string &iterationId, const model::Principal &who,
                                 const std::function<Result<void>(const TaskRef &)> &change)
{
    return write<json>([&]() -> Result<json> {
        auto ref = findIteration(iterationId, who);
        if (!ref)
            return ref.error();
        if (auto r = change(*ref); !r)
            return r.error();
        return iterationDocument(*ref->job, ref->task, iterationId);
    });
}

Result<json> Engine::taskIteration(const std::string &iterationId, const model::Principal &who)
{
    auto ref = findIteration(iterationId, who);
    if (!ref)
        return ref.error();
    // Earlier runs are read from the store: their documents were final when they ended.
    const auto &rt = ref->job->tasks[std::size_t(ref->task)];
    if (rt.iterations.empty() || rt.iterations.back() != iterationId) {
        auto record = m_store.taskIteration(iterationId);
        if (!record)
            return record.error();
        return std::move(record->document);
    }
    return iterationDocument(*ref->job, ref->task, iterationId);
}

Result<json> Engine::claimTask(const std::string &iterationId, const model::Principal &who)
{
    return onIteration(iterationId, who, [&](const TaskRef &ref) -> Result<void> {
        if (auto r = requireWaitingManualTask(ref, iterationId); !r)
            return r;
        const auto &owner = ref.job->tasks[std::size_t(ref.task)].owner;
        if (owner && *owner == who.username)
            return {}; // claiming one's own task again changes nothing
        if (owner)
            return Error::conflict(describeTask(*ref.job, ref.task) + " is already claimed by " +
                                   *owner);
        record(*ref.job, "taskOwner",
               {{"task", ref.job->graph->key(ref.task)}, {"owner", who.username}, {"by", "claim"}},
               who.username);
        markIteration(*ref.job, ref.task);
        return {};
    });
}

Result<json> Engine::assignTask(const std::string &iterationId, const model::Principal &assignee,
                                const model::Principal &who)
{
    return onIteration(iterationId, who, [&](const TaskRef &ref) -> Result<void> {
        if (!who.can("assignTask"))
            return Error{ErrorCode::Forbidden,
                         "assigning a task to someone needs the assignTask permission",
                         {}};
        if (auto r = requireWaitingManualTask(ref, iterationId); !r)
            return r;
        const JobState &j = *ref.job;
        if (!assignee.allowedBy(j.groups) ||
            !assignee.allowedBy(j.graph->task(ref.task).value("groups", json::array())))
            return Error::invalid(assignee.username + " may not work " + describeTask(j, ref.task) +
                                  ": they are in none of its groups or of its job's");
        const auto &owner = j.tasks[std::size_t(ref.task)].owner;
        if (owner && *owner == assignee.username)
            return {};
        record(*ref.job, "taskOwner",
               {{"task", j.graph->key(ref.task)}, {"owner", assignee.username}, {"by", "assign"}},
               who.username);
        markIteration(*ref.job, ref.task);
        notifyWatchers(*ref.job, "taskAssigned", ref.task, {assignee.username});
        return {};
    });
}

Result<json> Engine::releaseTask(const std::string &iterationId, const model::Principal &who)
{
    return onIteration(iterationId, who, [&](const TaskRef &ref) -> Result<void> {
        if (auto r = requireWaitingManualTask(ref, iterationId); !r)
            return r;
        const auto &owner = ref.job->tasks[std::size_t(ref.task)].owner;
        if (!owner)
            return Error::conflict(describeTask(*ref.job, ref.task) + " is not claimed by anyone");
        if (*owner != who.username && !who.can("assignTask"))
            return Error{ErrorCode::Forbidden,
                         describeTask(*ref.job, ref.task) + " is claimed by " + *owner +
                             "; only they, or someone with the assignTask permission, can "
                             "release it",
                         {}};
        record(*ref.job, "taskOwner",
               {{"task", ref.job->graph->key(ref.task)}, {"owner", nullptr}, {"by", "release"}},
               who.username);
        markIteration(*ref.job, ref.task);
        notifyWatchers(*ref.job, "taskAvailable", ref.task, {});
        return {};
    });
}

Result<json> Engine::finishManualTask(const std::string &jobId, const std::string &taskKey,
                                      const std::string &finishState, const json &variables,
                                      const model::Principal &who)
{
    return write<json>([&]() -> Result<json> {
        auto ref = findTask(jobId, taskKey, who);
        if (!ref)
            return ref.error();
        JobState &j = *ref->job;
        const int t = ref->task;
        if (auto r = requireWaitingManualTask(*ref, {}); !r)
            return r.error();
        const auto &rt = j.tasks[std::size_t(t)];
        if (!rt.owner)
            return Error::conflict("claim " + describeTask(j, t) + " before finishing it");
        if (*rt.owner != who.username)
            return Error{ErrorCode::Forbidden,
                         describeTask(j, t) + " is claimed by " + *rt.owner +
                             "; only its owner can finish it",
                         {}};
        if (finishState != "success" && finishState != "failure")
            return Error::invalid("finish_state must be \"success\" or \"failure\", not \"" +
                                  finishState + "\"");
        if (finishState == "failure") {
            const json failureButton = rt.incoming.value("btn_failure", json(""));
            if (!failureButton.is_string() || failureButton.get<std::string>().empty())
                return Error::invalid(describeTask(j, t) +
                                      " has no failure button, so it can only finish with success");
        }
        if (!variables.is_null() && !variables.is_object())
            return Error::invalid("the task's variables must be a JSON object");
        // Only the fields the task declares are taken, each of its declared type.
        const json fields = formFields(j, t);
        json problems = json::array();
        if (variables.is_object())
            for (auto it = variables.begin(); it != variables.end(); ++it) {
                auto field = std::find_if(fields.begin(), fields.end(),
                                          [&](const json &f) { return f["name"] == it.key(); });
                if (field == fields.end())
                    problems.push_back({{"instancePath", "/variables/" + it.key()},
                                        {"message", "the task has no field \"" + it.key() + "\""}});
                else if (!matchesType(it.value(), (*field)["type"]))
                    problems.push_back(
                        {{"instancePath", "/variables/" + it.key()},
                         {"message", "must be " + (*field)["type"].get<std::string>()}});
            }
        if (!problems.empty())
            return Error::invalid("the values do not fit the form of " + describeTask(j, t) + ": " +
                                      problems[0]["instancePath"].get<std::string>() + " " +
                                      problems[0]["message"].get<std::string>(),
                                  problems);
        record(j, "taskOwner", {{"task", taskKey}, {"owner", who.username}, {"by", "finish"}},
               who.username);
        finishTask(j, t, rt.iterations.back(), finishState,
                   variables.is_object() ? variables : json::object(), json::object(), {}, nullptr,
                   who.username);
        advance(j);
        return runtime::jobDocument(j);
    });
}

Result<json> Engine::manualTaskController(const std::string &jobId, const std::string &taskKey,
                                          const model::Principal &who)
{
    auto ref = findTask(jobId, taskKey, who);
    if (!ref)
        return ref.error();
    const JobState &j = *ref->job;
    const int t = ref->task;
    if (!j.graph->isManual(t))
        return Error::invalid(describeTask(j, t) + " of job " + jobId + " is not a manual task");
    const auto &rt = j.tasks[std::size_t(t)];
    const json &task = j.graph->task(t);
    const json &configured = task.value("variables", json::object());
    const std::string view = task.value("view", std::string("/workflow_engine/task/ViewData"));
    const std::string viewName = view.substr(view.find_last_of('/') + 1);
    const json &in = rt.incoming.is_object() ? rt.incoming : json::object();
    const json failure = in.value("btn_failure", json(""));
    json job = {{"_id", j.id}, {"name", j.name}, {"status", jobStatusName(j.status)}};
    if (isTestRun(j))
        job["testRun"] = true;
    return json{
        {"job", std::move(job)},
        {"task", taskKey},
        {"iteration", rt.iterations.empty() ? json(nullptr) : json(rt.iterations.back())},
        {"status", taskStatusName(rt.status)},
        {"owner", rt.owner ? json(*rt.owner) : json(nullptr)},
        {"summary", task.value("summary", std::string())},
        {"view", view},
        {"header", in.value("header", json(""))},
        {"message", in.value("message", json(""))},
        {"body", in.contains("body") ? in["body"] : json(nullptr)},
        {"show", in.value("variables", json(""))},
        {"fields", formFields(j, t)},
        {"buttons",
         {{"success", in.value("btn_success", json("Success"))},
          {"failure",
           failure.is_string() && !failure.get<std::string>().empty() ? failure : json(nullptr)}}},
        // Itential's own shape, for clients that render it themselves.
        {"variables",
         {{"incoming", in},
          {"outgoing",
           configured.is_object() ? configured.value("outgoing", json::object()) : json::object()},
          {"error", configured.is_object() ? configured.value("error", json("")) : json("")},
          {"decorators", configured.is_object() ? configured.value("decorators", json::array())
                                                : json::array()}}},
        {"finish_state", rt.finishState.empty() ? json(nullptr) : json(rt.finishState)},
        {"TaskController", viewName + "Controller"}};
}

// ---- job groups and watchers --------------------------------------------------------------

Result<json> Engine::changeJobGroups(const std::string &jobId, GroupChange change,
                                     const std::vector<std::string> &groups,
                                     const model::Principal &who)
{
    return write<json>([&]() -> Result<json> {
        auto job = activeJob(jobId);
        if (!job || !who.allowedBy((*job)->groups))
            return Error::notFound("no job with id " + jobId);
        for (const auto &g : groups)
            if (!ids::isObjectId(g))
                return Error::invalid("\"" + g + "\" is not a group id (24 hex characters)");
        JobState &j = **job;
        json next = change == GroupChange::Replace || change == GroupChange::Clear ? json::array()
                                                                                   : j.groups;
        for (const auto &g : groups) {
            const bool present = std::find(next.begin(), next.end(), json(g)) != next.end();
            if (change == GroupChange::Remove && !present)
                return Error::notFound("job " + jobId + " is not in group " + g);
            if (change == GroupChange::Remove)
                next.erase(std::remove(next.begin(), next.end(), json(g)), next.end());
            else if (change != GroupChange::Clear && !present)
                next.push_back(g);
        }
        if (next != j.groups)
            record(j, "groupsSet", {{"groups", std::move(next)}}, who.username);
        return runtime::jobDocument(j);
    });
}

// ---- watchers ---------------------------------------------------------------------------

Result<json> Engine::setWatchers(const std::string &jobId, const model::Principal &who,
                                 const std::vector<std::string> &add,
                                 const std::vector<std::string> &remove)
{
    return write<json>([&]() -> Result<json> {
        auto job = activeJob(jobId);
        if (!job || !who.allowedBy((*job)->groups))
            return Error::notFound("no job with id " + jobId);
        JobState &j = **job;
        json watchers = j.watchers;
        for (const auto &user : add)
            if (std::find(watchers.begin(), watchers.end(), json(user)) == watchers.end())
                watchers.push_back(user);
        for (const auto &user : remove)
            watchers.erase(std::remove(watchers.begin(), watchers.end(), json(user)),
                           watchers.end());
        if (watchers != j.watchers)
            record(j, "watchersSet", {{"watchers", std::move(watchers)}}, who.username);
        return runtime::jobDocument(j);
    });
}

void Engine::setPeopleResolver(PeopleResolver resolver)
{
    m_people = std::move(resolver);
}

void Engine::notifyWatchers(JobState &job, const std::string &reason, int task,
                            std::vector<std::string> extra)
{
    // Who hears of it: the job's watchers (and anyone named, e.g. an assignee); for a task,
    // only those the task's groups let see it.
    std::vector<std::string> users = std::move(extra);
    for (const auto &w : job.watchers)
        if (w.is_string() &&
            std::find(users.begin(), users.end(), w.get<std::string>()) == users.end())
            users.push_back(w.get<std::string>());
    if (task >= 0 && m_people) {
        const json &groups = job.graph->task(task).value("groups", json::array());
        users.erase(std::remove_if(users.begin(), users.end(),
                                   [&](const std::string &u) {
                                       auto p = m_people(u);
                                       return !p || !p->allowedBy(groups) ||
                                              !p->allowedBy(job.groups);
                                   }),
                    users.end());
    }
    if (users.empty())
        return;
    json data = {{"reason", reason}, {"users", users}, {"status", jobStatusName(job.status)}};
    if (task >= 0)
        data["task"] = job.graph->key(task);
    record(job, "watchersNotified", std::move(data));
}

} // namespace flowdeck::runtime
