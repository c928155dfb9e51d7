// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/adapters/AdapterOutcome.h"

namespace flowdeck::adapters {

using nlohmann::json;

AdapterOutcome AdapterOutcome::success(json response, json headers, json metrics)
{
    return {true,
            {{"icode", "AD.200"},
             {"response", std::move(response)},
             {"headers", std::move(headers)},
             {"metrics", std::move(metrics)}},
            nullptr};
}

AdapterOutcome AdapterOutcome::failure(const std::string &icode, const std::string &origin,
                                       const std::string &displayString,
                                       const std::string &recommendation, json code,
                                       json rawResponse)
{
    return {false,
            {{"icode", icode},
             {"IAPerror",
              {{"origin", origin},
               {"displayString", displayString},
               {"recommendation", recommendation},
               {"code", std::move(code)},
               {"raw_response", std::move(rawResponse)}}}},
            nullptr};
}

std::string AdapterOutcome::message() const
{
    if (ok)
        return {};
    const json &e = body.value("IAPerror", json::object());
    return e.value("displayString", std::string("the adapter call failed"));
}

tasks::MethodResult AdapterOutcome::toMethodResult() const
{
    tasks::MethodResult r;
    r.outgoing = {{"result", body}};
    r.call = call;
    if (!ok) {
        r.finishState = "error";
        r.errorMessage = body.value("icode", std::string()) + ": " + message();
    }
    return r;
}

} // namespace flowdeck::adapters
