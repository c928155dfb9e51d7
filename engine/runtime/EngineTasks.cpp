// SPDX-License-Identifier: GPL-3.0-or-later
// How the engine runs each kind of task: the built-in methods that answer at once, delays,
// manual tasks, child jobs, forEach loops, mocks, and what happens to a result (promotion
// to job variables, automatic retries, revert transitions).
#include "engine/runtime/Engine.h"

#include "engine/model/Backoff.h"
#include "engine/model/Ids.h"
#include "engine/model/JsonFields.h"
#include "engine/model/JsonParse.h"
#include "engine/runtime/ValueLimits.h"
#include "engine/runtime/VariableResolver.h"
#include "engine/tasks/BuiltinMethod.h"
#include "engine/validate/ValidationIssue.h"

#include <algorithm>

namespace flowdeck::runtime {

using nlohmann::json;

namespace {

/// The wait before automatic retry number `retry` of a task: `delay` seconds, then per
/// retrySettings.retry_strategy (fixed by default; exponential doubles it per retry;
/// exponential_jitter takes a random point in [½, 1] of that).
Millis retryDelayMs(const json &settings, int retry)
{
    if (!settings.is_object())
        return 0;
    const json delay = settings.value("delay", json(0.0));
    const double seconds = delay.is_number() ? std::max(0.0, delay.get<double>()) : 0.0;
    const json name = settings.value("retry_strategy", json("fixed"));
    const auto strategy = name.is_string() ? backoff::parse(name.get<std::string>()) : std::nullopt;
    return backoff::delayMs(strategy.value_or(backoff::Strategy::Fixed),
                            Millis(std::min(seconds, 86400.0) * 1000), retry, backoff::random01());
}

/// "$var.job.NAME" → NAME; anything else → "".
std::string jobVariableTarget(const json &configured)
{
    if (!configured.is_string())
        return {};
    const auto &s = configured.get_ref<const std::string &>();
    return s.rfind("$var.job.", 0) == 0 ? s.substr(9) : std::string();
}

/// A number of seconds given as a number or a numeric string; nullopt otherwise.
std::optional<double> seconds(const json &value)
{
    if (value.is_number())
        return value.get<double>();
    if (value.is_string()) {
        try {
            std::size_t used = 0;
            const double v = std::stod(value.get<std::string>(), &used);
            if (used == value.get_ref<const std::string &>().size())
                return v;
        } catch (const std::exception &) {
        }
    }
    return std::nullopt;
}

} // namespace

void Engine::runTask(JobState &job, int t, const json *incomingOverride)
{
    const auto &g = *job.graph;
    const std::string iteration = ids::newUuid();
    if (t == g.start() || t == g.end()) {
        record(job, "taskRan",
               {{"task", g.key(t)},
                {"iteration", iteration},
                {"incoming", json::object()},
                {"finishState", "success"},
                {"outgoing", json::object()}});
        markIteration(job, t);
        if (t == g.end())
            completeJob(job);
        return;
    }
    const json &task = g.task(t);
    const json &variables = task.value("variables", json::object());
    json incoming = VariableResolver(job).resolveIncoming(
        variables.is_object() ? variables.value("incoming", json::object()) : json::object(),
        g.app(t), g.method(t));
    if (incomingOverride && incomingOverride->is_object())
        for (auto it = incomingOverride->begin(); it != incomingOverride->end(); ++it)
            incoming[it.key()] = it.value();
    // The task's own encryption decorators ("/incoming/…"): recorded sealed, like the
    // decorated job variables it reads, which arrive here sealed already.
    if (m_secrets && variables.is_object())
        if (const auto pointers = encryptionPointers(variables.value("decorators", json()));
            !pointers.empty()) {
            json holder = {{"incoming", std::move(incoming)}};
            sealAt(holder, pointers, m_secrets);
            incoming = std::move(holder["incoming"]);
        }

    const std::string &key = g.key(t);
    if (job.mocks.is_object() && job.mocks.contains(key)) {
        const json &mock = job.mocks[key];
        const std::string state =
            mock.is_object() ? mock.value("finish_state", std::string("success")) : "success";
        json outgoing = mock.is_object() ? mock.value("outgoing", json::object()) : json::object();
        const std::string error =
            state == "error" ? (mock.is_object() ? mock.value("error", std::string("mocked error"))
                                                 : std::string("mocked error"))
                             : std::string();
        finishTask(job, t, iteration, state, std::move(outgoing), json::object(), error, &incoming);
        return;
    }

    auto started = [&] {
        record(job, "taskStarted",
               {{"task", key},
                {"iteration", iteration},
                {"incoming", incoming},
                {"user", job.createdBy ? json(*job.createdBy) : json(nullptr)}});
        markIteration(job, t);
    };
    auto fail = [&](const std::string &message) {
        finishTask(job, t, iteration, "error", json::object(), json::object(), message, &incoming);
    };

    if (g.isManual(t)) {
        started(); // waits for an operator: claim and finish come through the API
        notifyWatchers(job, "taskAvailable", t, {});
        return;
    }
    const std::string app = g.app(t).empty() ? std::string("WorkFlowEngine") : g.app(t);
    const std::string method = g.method(t);
    if (m_handlers.count({app, method})) {
        runBuiltin(job, t, iteration, incoming, false);
        return;
    }
    if (m_async && m_async->handles(app, method)) {
        started();
        issueCall(job, t);
        return;
    }
    if (app != "WorkFlowEngine") {
        fail(g.label(t) + " calls \"" + method + "\" of \"" + app +
             "\", an adapter Flowdeck does not have; start a test run that gives this task "
             "(key " +
             key + ") a mocked result to run the workflow without it");
        return;
    }
    if (method == "delay") {
        auto s = seconds(incoming.value("time", json()));
        if (!s || *s < 0) {
            fail("delay: \"time\" must be a number of seconds, not " +
                 incoming.value("time", json()).dump());
            return;
        }
        incoming["time"] = *s;
        started();
        arm(now() + Millis(*s * 1000), {job.id, t, iteration, TimerEntry::Kind::Delay});
        return;
    }
    if (method == "stub") {
        auto s = seconds(incoming.value("delay", json()));
        if (s && *s > 0) {
            incoming["delay"] = *s;
            started();
            arm(now() + Millis(*s * 1000), {job.id, t, iteration, TimerEntry::Kind::StubDelay});
            return;
        }
    }
    if (method == "childJob") {
        started();
        startChildJobs(job, t, iteration, incoming);
        return;
    }
    if (method == "forEach") {
        const json items = incoming.value("data_array", json());
        if (!items.is_array()) {
            fail("forEach: \"data_array\" must be an array, not " + items.dump());
            return;
        }
        started();
        if (items.empty())
            finishTask(job, t, iteration, "success", json::object(), json::object(), {}, nullptr);
        else
            record(job, "loopPass", {{"task", key}, {"index", 0}, {"item", items[0]}});
        return;
    }
    if (method == "transformation") {
        fail(g.label(t) +
             " runs a transformation (JST), which this version of Flowdeck cannot run yet; "
             "start a test run that gives this task (key " +
             key + ") a mocked result to run the workflow past it");
        return;
    }
    runBuiltin(job, t, iteration, incoming, false);
}

void Engine::registerTaskHandler(const std::string &app, const std::string &method,
                                 TaskHandler handler)
{
    m_handlers[{app, method}] = std::move(handler);
}

void Engine::runBuiltin(JobState &job, int t, const std::string &iteration, const json &incoming,
                        bool alreadyStarted)
{
    const auto &g = *job.graph;
    const json *in = alreadyStarted ? nullptr : &incoming;
    const std::string app = g.app(t).empty() ? std::string("WorkFlowEngine") : g.app(t);
    TaskHandler fn;
    if (auto handler = m_handlers.find({app, g.method(t)}); handler != m_handlers.end())
        fn = handler->second;
    else if (auto builtin = tasks::findBuiltinMethod(g.method(t)))
        fn = builtin;
    if (!fn) {
        finishTask(job, t, iteration, "error", json::object(), json::object(),
                   "WorkFlowEngine method \"" + g.method(t) + "\" (" + g.label(t) +
                       ") is not supported by Flowdeck",
                   in);
        return;
    }
    // Sealed values are opened here, for the method that consumes them, and nowhere else:
    // what is recorded (`in`) stays sealed.
    json opened;
    if (m_secrets && hasSealed(incoming, m_secrets)) {
        auto plain = openLeaves(incoming, m_secrets);
        if (!plain) {
            finishTask(job, t, iteration, "error", json::object(), json::object(),
                       g.label(t) + ": " + plain.error().message, in);
            return;
        }
        opened = std::move(*plain);
    }
    const VariableResolver resolver(job);
    const SecretCodec &secrets = m_secrets;
    tasks::MethodContext ctx{opened.is_null() ? incoming : opened, job.variables, now(),
                             [&resolver, &secrets](const json &op) -> std::optional<json> {
                                 auto v = resolver.resolveOperand(op);
                                 if (v && secrets && hasSealed(*v, secrets))
                                     if (auto plain = openLeaves(*v, secrets))
                                         return std::move(*plain);
                                 return v;
                             }};
    tasks::MethodResult result;
    try {
        result = fn(ctx);
    } catch (const std::exception &e) {
        // A method that met a value of a shape it did not expect fails its task, not the
        // engine's burst.
        result =
            tasks::MethodResult::error(g.label(t) + " failed on its input: " + validUtf8(e.what()));
    }
    finishTask(job, t, iteration, result.finishState, std::move(result.outgoing),
               std::move(result.jobVariableWrites), result.errorMessage, in);
}

void Engine::finishTask(JobState &job, int t, const std::string &iteration,
                        const std::string &result, json outgoing, json methodWrites,
                        const std::string &message, const json *incoming,
                        const std::optional<std::string> &worker, json call)
{
    const auto &g = *job.graph;
    // A value too large or too deep to keep ends the task in error instead of the store.
    std::string finishState = result;
    std::string error = message;
    for (const json *value : {&outgoing, &methodWrites})
        if (auto limited = checkValueLimits(*value, "the task's outgoing values"); !limited) {
            finishState = "error";
            error = limited.error().message;
            outgoing = json::object();
            methodWrites = json::object();
            break;
        }
    const json &variables = g.task(t).value("variables", json::object());
    // Outgoing values configured as "$var.job.X" are promoted to job variables; so is the
    // error, when variables.error names one.
    json writes = json::object();
    if (variables.is_object()) {
        const json &configured = variables.value("outgoing", json::object());
        if (configured.is_object())
            for (auto it = configured.begin(); it != configured.end(); ++it) {
                const std::string target = jobVariableTarget(it.value());
                if (!target.empty() && outgoing.contains(it.key()))
                    writes[target] = outgoing[it.key()];
            }
        const std::string errorTarget = jobVariableTarget(variables.value("error", json()));
        if (!errorTarget.empty() && finishState == "error")
            writes[errorTarget] = error;
    }
    if (methodWrites.is_object())
        for (auto it = methodWrites.begin(); it != methodWrites.end(); ++it)
            writes[it.key()] = it.value();
    if (m_secrets) {
        // A task handed a secret may pass it on in any of its results: all of them are kept
        // sealed (later tasks still get them opened).
        const json &consumed = incoming ? *incoming : job.tasks[std::size_t(t)].incoming;
        if (hasSealed(consumed, m_secrets)) {
            outgoing = sealLeaves(outgoing, m_secrets);
            writes = sealLeaves(writes, m_secrets);
        } else {
            sealResult(job, t, outgoing, writes);
        }
    }

    const bool retrying = scheduleRetry(job, t, finishState);
    json data = {{"task", g.key(t)},
                 {"iteration", iteration},
                 {"finishState", finishState},
                 {"outgoing", std::move(outgoing)},
                 {"variables", std::move(writes)}};
    if (!error.empty())
        data["error"] = error;
    Millis retryWait = 0;
    if (retrying) {
        data["retrying"] = true;
        retryWait = retryDelayMs(g.task(t).value("retrySettings", json()),
                                 job.tasks[std::size_t(t)].retries + 1);
        data["retryDelayMs"] = retryWait;
    }
    if (worker)
        data["user"] = *worker;
    if (!call.is_null())
        data["call"] = std::move(call); // redacted and capped where it was recorded
    if (incoming) {
        data["incoming"] = *incoming;
        data["user"] = job.createdBy ? json(*job.createdBy) : json(nullptr);
    }
    record(job, incoming ? "taskRan" : "taskFinished", std::move(data));
    markIteration(job, t);
    if (retrying) {
        arm(now() + retryWait, {job.id, t, iteration, TimerEntry::Kind::Retry});
        return;
    }
    followBackward(job, t);
}

void Engine::sealResult(const JobState &job, int t, json &outgoing, json &writes) const
{
    const auto &g = *job.graph;
    const std::vector<std::string> jobPointers = jobVariablePointers(g.workflow().document());
    // Decorated job variables among what the task writes.
    json holder = {{"variables", std::move(writes)}};
    sealAt(holder, jobPointers, m_secrets);
    writes = std::move(holder["variables"]);
    // The outgoing values promoted to them ("$var.job.password" → "/variables/password/…"
    // is "/outgoing/<key>/…"), and the task's own "/outgoing/…" decorators.
    const json &variables = g.task(t).value("variables", json::object());
    std::vector<std::string> pointers =
        variables.is_object() ? encryptionPointers(variables.value("decorators", json()))
                              : std::vector<std::string>();
    const json &configured =
        variables.is_object() ? variables.value("outgoing", json::object()) : json::object();
    if (configured.is_object())
        for (auto it = configured.begin(); it != configured.end(); ++it) {
            const std::string target = jobVariableTarget(it.value());
            if (target.empty())
                continue;
            const std::string prefix = "/variables/" + validate::escapePointerToken(target);
            for (const auto &p : jobPointers)
                if (p == prefix || p.rfind(prefix + "/", 0) == 0)
                    pointers.push_back("/outgoing/" + validate::escapePointerToken(it.key()) +
                                       p.substr(prefix.size()));
        }
    if (pointers.empty())
        return;
    json result = {{"outgoing", std::move(outgoing)}};
    sealAt(result, pointers, m_secrets);
    outgoing = std::move(result["outgoing"]);
}

bool Engine::scheduleRetry(JobState &job, int t, const std::string &finishState)
{
    if (finishState == "success")
        return false;
    const json &settings = job.graph->task(t).value("retrySettings", json());
    if (!settings.is_object() || !settings.value("autoRetry", false))
        return false;
    const json &limit = settings.value("limit", json(0));
    if (!limit.is_number() || job.tasks[std::size_t(t)].retries >= limit.get<int>())
        return false;
    const json &states = settings.value("state", json("error"));
    if (states.is_string())
        return states.get<std::string>() == finishState;
    if (states.is_array())
        return std::find(states.begin(), states.end(), json(finishState)) != states.end();
    return false;
}

void Engine::followBackward(JobState &job, int t)
{
    const auto &g = *job.graph;
    const std::string finishState = job.tasks[std::size_t(t)].finishState;
    for (int e : g.outgoing(t)) {
        const auto &edge = g.edges()[std::size_t(e)];
        if (!edge.backward || edgeStateName(edge.state) != finishState)
            continue;
        json keys = json::array();
        for (int r : g.region(edge.to))
            keys.push_back(g.key(r));
        record(job, "tasksReset", {{"tasks", std::move(keys)}, {"reason", "revert"}});
        if (job.status == JobStatus::Running)
            runTask(job, edge.to);
    }
}

// ---- forEach ----------------------------------------------------------------------------

bool Engine::checkLoops(JobState &job)
{
    const auto &g = *job.graph;
    for (int t = 0; t < g.taskCount(); ++t) {
        const auto &rt = job.tasks[std::size_t(t)];
        if (rt.status != TaskStatus::Running || g.method(t) != "forEach" || !rt.loop.is_object())
            continue;
        const auto body = g.loopBody(t);
        bool busy = false;
        std::string stuck;
        for (int b : body) {
            const auto &brt = job.tasks[std::size_t(b)];
            if (brt.status == TaskStatus::Running || brt.status == TaskStatus::Scheduled ||
                runnable(job, b))
                busy = true;
            if (!brt.finishState.empty() && !g.outgoing(b).empty()) {
                bool matched = false;
                for (int e : g.outgoing(b))
                    matched = matched ||
                              edgeStateName(g.edges()[std::size_t(e)].state) == brt.finishState;
                if (!matched)
                    stuck = g.key(b);
            }
        }
        if (busy)
            continue;
        const std::string iteration = rt.iterations.back();
        if (!stuck.empty()) {
            finishTask(job, t, iteration, "error", json::object(), json::object(),
                       "forEach " + g.label(t) + ": " + g.label(g.indexOf(stuck)) +
                           " in its loop finished " +
                           job.tasks[std::size_t(g.indexOf(stuck))].finishState +
                           " and has no transition for it",
                       nullptr);
            return true;
        }
        const json &items = rt.incoming.value("data_array", json::array());
        const int next = rt.loop.value("index", 0) + 1;
        if (next < int(items.size()))
            record(job, "loopPass", {{"task", g.key(t)}, {"index", next}, {"item", items[next]}});
        else
            finishTask(job, t, iteration, "success", rt.outgoing, json::object(), {}, nullptr);
        return true;
    }
    return false;
}

// ---- child jobs -------------------------------------------------------------------------

namespace {

/// The child's variables: a loop element over the constants of the task's "variables".
json childVariables(const json &constants, const json *element)
{
    json vars = constants;
    if (element)
        for (auto it = element->begin(); it != element->end(); ++it)
            vars[it.key()] = it.value();
    return vars;
}

} // namespace

void Engine::startChildJobs(JobState &job, int t, const std::string &iteration,
                            const json &incoming)
{
    const auto &g = *job.graph;
    auto fail = [&](const std::string &message) {
        finishTask(job, t, iteration, "error", json::object(), json::object(),
                   "childJob " + g.key(t) + ": " + message, nullptr);
    };
    const json workflow = incoming.value("workflow", json());
    if (!workflow.is_string() || workflow.get_ref<const std::string &>().empty()) {
        fail("\"workflow\" must name the workflow to run");
        return;
    }
    const std::string loopType = incoming.value("loopType", std::string());
    if (loopType != "" && loopType != "parallel" && loopType != "sequential") {
        fail("\"loopType\" must be \"\", \"parallel\" or \"sequential\", not \"" + loopType + "\"");
        return;
    }
    const json transformation = incoming.value("transformation", json(""));
    const bool transforms =
        transformation.is_string() && !transformation.get<std::string>().empty();
    if (!transforms && !transformation.is_null() &&
        !(transformation.is_string() && transformation.get<std::string>().empty())) {
        fail("\"transformation\" must be a JST id or \"\", not " + transformation.dump());
        return;
    }
    if (transforms && loopType.empty()) {
        fail("\"transformation\" applies to each element of a loop: set \"loopType\" and "
             "\"data_array\", or leave \"transformation\" empty");
        return;
    }
    if (!loopType.empty()) {
        const json items = incoming.value("data_array", json());
        if (!items.is_array()) {
            fail("\"data_array\" must be an array to loop over, not " + items.dump());
            return;
        }
        // Through a transformation an element may be any value: the JST makes the variables.
        for (std::size_t i = 0; i < items.size() && !transforms; ++i)
            if (!items[i].is_object()) {
                fail("element " + std::to_string(i) +
                     " of \"data_array\" must be an object of the child's variables");
                return;
            }
        if (items.empty()) {
            finishTask(job, t, iteration, "success", {{"job_details", {{"loop", json::array()}}}},
                       json::object(), {}, nullptr);
            return;
        }
    }
    startNextChild(job, t);
    if (loopType == "parallel") {
        const auto count = incoming["data_array"].size();
        for (std::size_t i = 1;
             i < count && job.tasks[std::size_t(t)].status == TaskStatus::Running; ++i)
            startNextChild(job, t);
    }
}

void Engine::startNextChild(JobState &job, int t)
{
    const auto &g = *job.graph;
    auto &rt = job.tasks[std::size_t(t)];
    const std::string iteration = rt.iterations.back();
    const std::string loopType = rt.incoming.value("loopType", std::string());
    const std::size_t index =
        rt.loop.is_object() ? rt.loop.value("children", json::array()).size() : 0;

    // The constants of "variables": {name: {task, value}} resolved now, or a whole object.
    json constants = json::object();
    const json &configured = rt.incoming.value("variables", json::object());
    if (configured.is_object()) {
        const VariableResolver resolver(job);
        for (auto it = configured.begin(); it != configured.end(); ++it) {
            if (it.value().is_object() && it.value().contains("task")) {
                if (auto v = resolver.resolveOperand(it.value()))
                    constants[it.key()] = *v;
            } else {
                constants[it.key()] = it.value();
            }
        }
    }
    const json *element = loopType.empty() ? nullptr : &rt.incoming["data_array"][index];
    json transformed;
    if (element && rt.incoming.value("transformation", json("")).is_string() &&
        !rt.incoming["transformation"].get<std::string>().empty()) {
        auto vars = transformElement(job, rt.incoming["transformation"].get<std::string>(),
                                     *element, index);
        if (!vars) {
            finishTask(job, t, iteration, "error", json::object(), json::object(),
                       "childJob " + g.key(t) + " (element " + std::to_string(index) +
                           "): " + vars.error().message,
                       nullptr);
            return;
        }
        transformed = std::move(*vars);
        element = &transformed;
    }

    StartJobOptions options;
    options.workflow = rt.incoming.value("workflow", std::string());
    options.variables = childVariables(constants, element);
    options.groups = job.groups;
    options.actor = job.createdBy;
    const json parent = {{"job", job.id},
                         {"task", g.key(t)},
                         {"iteration", iteration},
                         {"element", loopType.empty() ? -1 : int(index)}};
    auto child = createJob(options, parent, job.ancestors, job.mocks);
    if (!child) {
        finishTask(
            job, t, iteration, "error", json::object(), json::object(),
            "childJob " + g.key(t) +
                (loopType.empty() ? std::string() : " (element " + std::to_string(index) + ")") +
                ": the child job could not start: " + child.error().message,
            nullptr);
        return;
    }
    record(job, "childStarted", {{"task", g.key(t)}, {"index", index}, {"job", (*child)->id}});
    JobState &c = **child;
    runTask(c, c.graph->start());
    advance(c);
}

Result<json> Engine::transformElement(JobState &job, const std::string &trId, const json &element,
                                      std::size_t index)
{
    auto handler = m_handlers.find({"WorkFlowEngine", "transformation"});
    if (handler == m_handlers.end())
        return Error::unavailable("the transformation task is not installed in this engine");
    // The element is bound as `currentValue` (with its index), and, when it is an object,
    // its properties by name too, so a JST written for either shape finds its incoming.
    json plain = element;
    if (m_secrets && hasSealed(element, m_secrets)) {
        auto opened = openLeaves(element, m_secrets); // the JST consumes them
        if (!opened)
            return opened.error();
        plain = std::move(*opened);
    }
    json variableMap = plain.is_object() ? plain : json::object();
    if (!variableMap.contains("currentValue"))
        variableMap["currentValue"] = plain;
    if (!variableMap.contains("index"))
        variableMap["index"] = index;
    const json incoming = {{"tr_id", trId},
                           {"variableMap", std::move(variableMap)},
                           {"options", {{"extractOutput", true}}}};
    const VariableResolver resolver(job);
    tasks::MethodContext ctx{incoming, job.variables, now(),
                             [&resolver](const json &op) { return resolver.resolveOperand(op); }};
    auto result = handler->second(ctx);
    if (result.finishState != "success")
        return Error::invalid(result.errorMessage.empty()
                                  ? "the transformation " + trId + " did not succeed"
                                  : result.errorMessage);
    // One outgoing object is the child's variables; several outgoing values are each a
    // variable under its $id.
    const json &out = result.outgoing;
    if (out.size() == 1 && out.begin()->is_object())
        return *out.begin();
    return out;
}

void Engine::childSettled(JobState &child)
{
    const json &p = child.parent;
    if (!p.is_object() || !p.contains("job"))
        return;
    auto found = m_jobs.find(p.value("job", std::string()));
    if (found == m_jobs.end())
        return;
    JobState &parent = *found->second;
    const int t = parent.taskIndex(p.value("task", std::string()));
    if (t < 0)
        return;
    auto &rt = parent.tasks[std::size_t(t)];
    if (rt.status != TaskStatus::Running || rt.iterations.empty() ||
        rt.iterations.back() != p.value("iteration", std::string()))
        return; // the parent moved on (canceled, retried) since it started this child
    const int element = p.value("element", -1);
    const std::size_t index = element < 0 ? 0 : std::size_t(element);
    record(parent, "childFinished",
           {{"task", parent.graph->key(t)},
            {"index", index},
            {"status", jobStatusName(child.status)},
            {"variables", child.variables}});
    m_pendingAdvance.insert(parent.id);

    const std::string loopType = rt.incoming.value("loopType", std::string());
    const std::size_t total = loopType.empty() ? 1 : rt.incoming["data_array"].size();
    const json &children = rt.loop["children"];
    const bool failed = child.status != JobStatus::Complete;
    if (loopType == "sequential" && !failed && children.size() < total) {
        startNextChild(parent, t);
        return;
    }
    std::size_t settled = 0;
    std::string failures;
    for (std::size_t i = 0; i < children.size(); ++i) {
        const std::string status = children[i].value("status", std::string("running"));
        if (status == "running")
            continue;
        ++settled;
        if (status != "complete")
            failures += (failures.empty() ? "" : "; ") + std::string("child job ") +
                        children[i].value("job", std::string()) + " ended " + status;
    }
    const bool stopEarly = loopType == "sequential" && failed;
    if (settled < total && !stopEarly && !(loopType.empty() && settled == 1))
        return;
    json details;
    if (loopType.empty()) {
        details = children[0].value("variables", json::object());
        details["status"] = children[0].value("status", std::string());
    } else {
        json loop = json::array();
        for (std::size_t i = 0; i < children.size(); ++i) {
            json entry = children[i].value("variables", json::object());
            entry["status"] = children[i].value("status", std::string());
            entry["childJobLoopIndex"] = i;
            loop.push_back(std::move(entry));
        }
        details = {{"loop", std::move(loop)}};
    }
    finishTask(parent, t, rt.iterations.back(), failures.empty() ? "success" : "error",
               {{"job_details", std::move(details)}}, json::object(), failures, nullptr);
}

} // namespace flowdeck::runtime
