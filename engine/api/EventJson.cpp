// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/api/EventJson.h"

namespace flowdeck::api::eventlog {
namespace {

using nlohmann::json;

std::string taskName(const json &job, const std::string &key)
{
    const json tasks = job.is_object() ? job.value("tasks", json::object()) : json::object();
    const json task = tasks.is_object() ? tasks.value(key, json()) : json();
    if (!task.is_object())
        return {};
    for (const char *field : {"summary", "name"}) {
        const json text = task.value(field, json());
        if (text.is_string() && !text.get<std::string>().empty())
            return text.get<std::string>();
    }
    return key;
}

} // namespace

json eventJson(const store::JobEvent &event, const json &job)
{
    json out = {{"seq", event.seq},
                {"jobId", event.jobId},
                {"jobName", job.is_object() ? job.value("name", json()) : json()},
                {"at", event.at},
                {"actor", event.actor ? json(*event.actor) : json()},
                {"kind", event.kind},
                {"data", event.data}};
    const json task = event.data.is_object() ? event.data.value("task", json()) : json();
    if (task.is_string()) {
        const std::string name = taskName(job, task.get<std::string>());
        if (!name.empty())
            out["taskName"] = name;
    }
    return out;
}

} // namespace flowdeck::api::eventlog
