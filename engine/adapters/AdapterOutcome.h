// SPDX-License-Identifier: GPL-3.0-or-later
// What an adapter call answers, in the shapes of Itential's adapter-utils, because real
// workflows read them: a result {icode, response, headers, metrics} on success, an error
// object {icode, IAPerror: {origin, displayString, recommendation, code, raw_response}} on
// failure. icodes: AD.200 success; AD.301 a required input is missing; AD.310 no instance or
// no such method; AD.311 sent too often across restarts; AD.500 the system answered an error
// status; AD.501 no connection (refused, unreachable, TLS); AD.502 the answer is larger than
// request.response_limit; AD.503 too many redirects, or a redirect not followed; AD.504 no
// answer within request.attempt_timeout; AD.505 the answer is not JSON; AD.506 the token
// request failed.
#pragma once

#include "engine/tasks/BuiltinMethod.h"

#include <nlohmann/json.hpp>

#include <string>

namespace flowdeck::adapters {

struct AdapterOutcome
{
    bool ok = false;
    nlohmann::json body; ///< the result or the error object
    /// The exchange on the wire (CallExchange::record(), redacted and capped); null when
    /// nothing was sent.
    nlohmann::json call;

    static AdapterOutcome success(nlohmann::json response, nlohmann::json headers,
                                  nlohmann::json metrics);
    /// `origin`: "<instance>-<method>" or what failed; `code`: the HTTP status or a word.
    static AdapterOutcome failure(const std::string &icode, const std::string &origin,
                                  const std::string &displayString,
                                  const std::string &recommendation, nlohmann::json code = nullptr,
                                  nlohmann::json rawResponse = nullptr);

    /// The sentence an operator reads (the error's displayString).
    std::string message() const;
    /// As a task's result: success with outgoing {"result": …}; error with the same outgoing
    /// (so `$var.<task>.result` reaches the error object) and the displayString as message.
    tasks::MethodResult toMethodResult() const;
};

} // namespace flowdeck::adapters
