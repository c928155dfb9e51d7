// SPDX-License-Identifier: GPL-3.0-or-later
#include "fuzz/FuzzTargets.h"

namespace flowdeck::fuzz {

Target targetNamed(std::string_view name)
{
    if (name == "workflow")
        return workflow;
    if (name == "jst")
        return jst;
    if (name == "job-query")
        return jobQuery;
    if (name == "request-scanner")
        return requestScanner;
    if (name == "event-stream")
        return eventStream;
    return nullptr;
}

} // namespace flowdeck::fuzz
