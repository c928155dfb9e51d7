// SPDX-License-Identifier: GPL-3.0-or-later
// The WorkFlowEngine methods that compute their result at once from their incoming values
// (stub, newVariable, query, merge, evaluation, makeData, the JavaScript-style helpers …).
// The runtime resolves references, calls the method, records the iteration and follows the
// transition for its finish state. Methods that wait (delay, childJob, forEach, manual tasks,
// transformation) are runtime task kinds, not these.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace flowdeck::tasks {

/// What a method sees. Undefined and null are kept apart, as Itential does: an incoming
/// reference that resolves to nothing leaves its key absent from `incoming` (undefined),
/// while a JSON null stays null.
struct MethodContext
{
    const nlohmann::json &incoming;     ///< the task's incoming values, references resolved
    const nlohmann::json &jobVariables; ///< the job's variables (read-only)
    std::int64_t nowMs = 0;             ///< the engine clock, ms since the epoch
    /// Resolves a structured operand {"task": "job"|"static"|TASKID, "variable": V} as used by
    /// evaluation and merge; nullopt when it is undefined.
    std::function<std::optional<nlohmann::json>(const nlohmann::json &operand)> resolveOperand;
};

struct MethodResult
{
    std::string finishState = "success";                ///< success | failure | error
    nlohmann::json outgoing = nlohmann::json::object(); ///< name → value; absent = undefined
    /// Job variables the method itself sets (newVariable, push), name → value, applied after
    /// the task's own outgoing promotions.
    nlohmann::json jobVariableWrites = nlohmann::json::object();
    /// With finishState "error": what went wrong, as a sentence naming the input at fault
    /// (becomes the iteration's error and the job's error[] entry).
    std::string errorMessage;
    /// A task that called out (an adapter request): the exchange as the task panel shows it,
    /// {request, response, attempts}, already redacted and capped; null otherwise.
    nlohmann::json call;

    static MethodResult error(std::string message)
    {
        MethodResult r;
        r.finishState = "error";
        r.errorMessage = std::move(message);
        return r;
    }
};

using MethodFunction = MethodResult (*)(const MethodContext &);

/// The built-in method of that name (the task's "name", never its canvasName), or nullptr.
MethodFunction findBuiltinMethod(std::string_view name);

/// Every name findBuiltinMethod knows, sorted.
std::vector<std::string> builtinMethodNames();

} // namespace flowdeck::tasks
