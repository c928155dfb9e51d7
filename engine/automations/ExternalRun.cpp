// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/automations/ExternalRun.h"

#include <QDateTime>
#include <QTimeZone>
#include <QUuid>

namespace flowdeck::automations {

using nlohmann::json;

namespace {

std::string isoText(store::Millis ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs).toStdString();
}

json optionalIso(const json &ms)
{
    return ms.is_number() ? json(isoText(ms.get<store::Millis>())) : json();
}

std::optional<store::Millis> millisOf(const json &iso)
{
    return iso.is_string() ? parseIsoTime(iso.get<std::string>()) : std::nullopt;
}

/// Fills the answer's fields that follow from the times kept in `_times` (epoch ms).
void present(store::ExternalRunRecord &run)
{
    json &doc = run.document;
    const json &t = doc["_times"];
    doc["id"] = run.id;
    doc["state"] = run.state;
    doc["createdAt"] = isoText(run.createdAt);
    doc["updatedAt"] = isoText(run.updatedAt);
    doc["startedAt"] = optionalIso(t.value("started", json()));
    doc["endedAt"] = optionalIso(t.value("ended", json()));
    const json started = t.value("started", json());
    const json ended = t.value("ended", json());
    doc["durationMs"] = started.is_number() && ended.is_number()
                            ? json(ended.get<store::Millis>() - started.get<store::Millis>())
                            : json();
}

} // namespace

std::optional<store::Millis> parseIsoTime(const std::string &text)
{
    if (text.empty() || text.size() > 64)
        return std::nullopt;
    QDateTime t = QDateTime::fromString(QString::fromStdString(text), Qt::ISODateWithMs);
    if (!t.isValid())
        return std::nullopt;
    if (t.timeSpec() == Qt::LocalTime)
        t.setTimeZone(QTimeZone::utc()); // Marquez's own examples leave the offset out
    return t.toMSecsSinceEpoch();
}

std::optional<RunMove> runMoveNamed(const std::string &name)
{
    if (name == "start")
        return RunMove::Start;
    if (name == "complete")
        return RunMove::Complete;
    if (name == "fail")
        return RunMove::Fail;
    if (name == "abort")
        return RunMove::Abort;
    return std::nullopt;
}

Result<std::string> nextRunState(const std::string &state, RunMove move)
{
    const char *verb = "";
    switch (move) {
    case RunMove::Start:
        if (state == "NEW")
            return std::string("RUNNING");
        verb = "start";
        break;
    case RunMove::Complete:
        if (state == "RUNNING")
            return std::string("COMPLETED");
        verb = "complete";
        break;
    case RunMove::Fail:
        if (state == "NEW" || state == "RUNNING")
            return std::string("FAILED");
        verb = "fail";
        break;
    case RunMove::Abort:
        if (state == "NEW" || state == "RUNNING")
            return std::string("ABORTED");
        verb = "abort";
        break;
    }
    const std::string why = state == "NEW"       ? "it has not started"
                            : state == "RUNNING" ? "it is running"
                                                 : "it has ended";
    return Error{ErrorCode::Conflict,
                 std::string("cannot ") + verb + " a run in state " + state + ": " + why,
                 {{"state", state}}};
}

std::string jobStatusOfRun(const std::string &state)
{
    if (state == "RUNNING")
        return "running";
    if (state == "COMPLETED")
        return "complete";
    if (state == "FAILED")
        return "error";
    if (state == "ABORTED")
        return "canceled";
    return "incomplete";
}

Result<store::ExternalRunRecord> newExternalRun(const std::string &ns, const std::string &jobName,
                                                const json &body, store::Millis now,
                                                const std::string &jobId)
{
    const json in = body.is_null() ? json::object() : body;
    if (!in.is_object())
        return Error::invalid("the body must be a JSON object (or empty)");
    json details = json::array();
    std::string first;
    auto problem = [&](const std::string &pointer, const std::string &message) {
        json issue = json::object();
        issue["instancePath"] = pointer;
        issue["message"] = message;
        details.push_back(std::move(issue));
        if (first.empty())
            first = pointer + ": " + message;
    };
    for (const auto &[key, value] : in.items())
        if (key != "id" && key != "args" && key != "facets" && key != "nominalStartTime" &&
            key != "nominalEndTime")
            problem("/" + key, "\"" + key + "\" is not a field of a new run");
    std::string id;
    if (in.contains("id")) {
        const QUuid uuid =
            in["id"].is_string()
                ? QUuid::fromString(QString::fromStdString(in["id"].get<std::string>()))
                : QUuid();
        if (uuid.isNull())
            problem("/id", "id must be a UUID");
        else
            id = uuid.toString(QUuid::WithoutBraces).toStdString();
    } else {
        id = QUuid::createUuid().toString(QUuid::WithoutBraces).toStdString();
    }
    for (const char *key : {"args", "facets"})
        if (in.contains(key) && !in[key].is_object() && !in[key].is_null())
            problem(std::string("/") + key, std::string(key) + " must be an object");
    json nominal = json::object();
    for (const char *key : {"nominalStartTime", "nominalEndTime"}) {
        const json v = in.value(key, json());
        if (v.is_null())
            continue;
        if (!millisOf(v))
            problem(std::string("/") + key, std::string(key) + " must be an ISO 8601 date-time");
        else
            nominal[key] = isoText(*millisOf(v));
    }
    if (!details.empty())
        return Error::invalid("the run is not valid: " + first, std::move(details));
    store::ExternalRunRecord run;
    run.id = id;
    run.ns = ns;
    run.jobName = jobName;
    run.state = "NEW";
    run.jobId = jobId;
    run.createdAt = run.updatedAt = now;
    run.document = {
        {"id", id},
        {"nominalStartTime", nominal.value("nominalStartTime", json())},
        {"nominalEndTime", nominal.value("nominalEndTime", json())},
        {"args", in.value("args", json()).is_object() ? in["args"] : json::object()},
        {"facets", in.value("facets", json()).is_object() ? in["facets"] : json::object()},
        {"_times", json::object()}};
    present(run);
    return run;
}

Result<void> moveExternalRun(store::ExternalRunRecord &run, RunMove move, store::Millis at,
                             store::Millis now)
{
    auto next = nextRunState(run.state, move);
    if (!next)
        return next.error();
    json &times = run.document["_times"];
    if (move == RunMove::Start) {
        times["started"] = at;
    } else {
        const json started = times.value("started", json());
        if (started.is_number() && at < started.get<store::Millis>())
            return Error::invalid("the run cannot end (" + isoText(at) + ") before it started (" +
                                      isoText(started.get<store::Millis>()) + ")",
                                  {{"parameter", "at"}});
        times["ended"] = at;
    }
    run.state = *next;
    run.updatedAt = now;
    present(run);
    return {};
}

store::JobRecord externalJob(const store::ExternalRunRecord &run, const std::string &actor)
{
    const json &times = run.document.value("_times", json::object());
    const json started = times.value("started", json());
    const json ended = times.value("ended", json());
    store::JobRecord job;
    job.id = run.jobId;
    job.name = run.jobName;
    job.description = "External run of " + run.jobName + " (namespace " + run.ns + ")";
    job.status = jobStatusOfRun(run.state);
    job.progress = run.state == "COMPLETED" ? 1.0 : 0.0;
    job.createdAt = run.createdAt;
    job.createdBy = actor;
    job.updatedAt = run.updatedAt;
    job.updatedBy = actor;
    json metrics = {{"start_time", started.is_number() ? started : json(run.createdAt)},
                    {"progress", job.progress},
                    {"user", actor},
                    {"owner", actor}};
    if (ended.is_number())
        metrics["end_time"] = ended;
    json errors = json::array();
    if (run.state == "FAILED")
        errors.push_back({{"message", "the external run failed"}, {"timestamp", ended}});
    job.document = {{"_id", run.jobId},
                    {"name", run.jobName},
                    {"description", job.description},
                    {"type", "external"},
                    {"status", job.status},
                    {"external",
                     {{"kind", "run"},
                      {"namespace", run.ns},
                      {"job", run.jobName},
                      {"runId", run.id},
                      {"state", run.state},
                      {"href", "/api/v1/jobs/runs/" + run.id}}},
                    {"tasks", json::object()},
                    {"transitions", json::object()},
                    {"variables", run.document.value("args", json::object())},
                    {"error", std::move(errors)},
                    {"warnings", json::array()},
                    {"ancestors", json::array({run.jobId})},
                    {"parent", nullptr},
                    {"groups", json::array()},
                    {"watchers", json::array()},
                    {"created", run.createdAt},
                    {"created_by", actor},
                    {"last_updated", run.updatedAt},
                    {"last_updated_by", actor},
                    {"metrics", std::move(metrics)},
                    {"workflow", {{"_id", nullptr}, {"name", run.jobName}}}};
    return job;
}

} // namespace flowdeck::automations
