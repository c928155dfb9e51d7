// SPDX-License-Identifier: GPL-3.0-or-later
// A ConsoleClient that answers the job routes and the event log from a virtual store of any
// size (a million jobs cost nothing: job i is computed when a page asks for it), answers on
// the next event-loop pass like a real client, and records every request, so tests can check what
// the window asked for and drive live updates.
#pragma once

#include "tests/support/TestPaths.h"
#include "ui/client/ConsoleClient.h"

#include <QFile>
#include <QHash>
#include <QList>
#include <QTimer>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <string>

namespace flowdeck::test {

class FakeJobsClient final : public ui::ConsoleClient
{
public:
    static constexpr qint64 kStart = 1795000000000; // 2026-11-18, so timestamps read real
    inline static const QStringList kStatuses{
        QStringLiteral("running"), QStringLiteral("complete"), QStringLiteral("error"),
        QStringLiteral("paused"),  QStringLiteral("complete"), QStringLiteral("canceled")};
    inline static const QStringList kWorkflows{QStringLiteral("Device Health Check"),
                                               QStringLiteral("Config Compliance"),
                                               QStringLiteral("Change Approval")};

    explicit FakeJobsClient(qint64 total) : m_total(total) {}

    qint64 total() const { return m_total; }
    void setTotal(qint64 total) { m_total = total; }

    QList<api::ApiRequest> requests;
    /// Statuses changed by pause / resume / cancel, by job id.
    QHash<QString, QString> statusOverride;

    static QString idOf(qint64 i) { return QStringLiteral("%1").arg(i, 24, 16, QLatin1Char('0')); }
    static qint64 indexOf(const std::string &id) { return std::stoll(id, nullptr, 16); }

    /// Every other running job (0, 12, 24, …) has a manual task nobody has claimed.
    bool waitingAt(qint64 i) const
    {
        return i % 12 == 0 && statusOverride.value(idOf(i), QStringLiteral("running")) ==
                                  QStringLiteral("running");
    }

    /// Job i of the virtual store, as the list answers it.
    nlohmann::json listJob(qint64 i) const
    {
        const QString id = idOf(i);
        const QString status = statusOverride.value(id, kStatuses[int(i % kStatuses.size())]);
        const qint64 start = kStart - i * 37000;
        nlohmann::json job = {
            {"_id", id.toStdString()},
            {"name", kWorkflows[int(i % kWorkflows.size())].toStdString()},
            {"description",
             "Job " + std::to_string(i) + " on core-router-" + std::to_string(i % 40)},
            {"status", status.toStdString()},
            {"groups", i % 3 == 0 ? nlohmann::json::array({"network-ops"})
                                  : nlohmann::json::array({"network-ops", "audit"})},
            {"metrics",
             {{"start_time", start},
              {"progress", status == QStringLiteral("complete") ? 1.0 : double(i % 10) / 10},
              {"user", i % 2 ? "alice" : "bob"}}}};
        if (status == QStringLiteral("complete") || status == QStringLiteral("canceled"))
            job["metrics"]["end_time"] = start + 1000 * (5 + i % 400);
        return job;
    }

    /// A full job document over a demo workflow: Change Approval waiting for its approval.
    static nlohmann::json approvalJob(const QString &id,
                                      const QString &status = QStringLiteral("running"))
    {
        QFile file(sourcePath(QStringLiteral("resources/demo/manual-change-approval.json")));
        if (!file.open(QIODevice::ReadOnly))
            return {};
        nlohmann::json doc = nlohmann::json::parse(file.readAll().toStdString());
        doc["_id"] = id.toStdString();
        doc["status"] = status.toStdString();
        const qint64 t0 = kStart;
        auto ran = [&](const char *key, qint64 start, qint64 end, const char *finish) {
            auto &task = doc["tasks"][key];
            task["status"] = "complete";
            task["finish_state"] = finish;
            task["iterations"] = nlohmann::json::array({std::string("it-") + key});
            task["metrics"] = {{"start_time", start}, {"end_time", end}, {"finish_state", finish}};
        };
        ran("workflow_start", t0, t0, "success");
        ran("7a01", t0 + 10, t0 + 40, "success");
        ran("7a12", t0 + 40, t0 + 55, "success");
        auto &approve = doc["tasks"]["7a23"];
        approve["status"] = "running";
        approve["iterations"] = nlohmann::json::array({"it-7a23"});
        approve["metrics"] = {{"start_time", t0 + 60}};
        for (const char *key : {"8b34", "8b45", "9c56", "workflow_end"})
            doc["tasks"][key]["status"] = "incomplete";
        doc["variables"] = {
            {"device", "core-router-7"},
            {"change",
             {{"ticket", "CHG-1042"}, {"lines", {"ntp server 10.0.0.1", "logging host 10.0.0.9"}}}},
            {"approved", nullptr}};
        doc["error"] = nlohmann::json::array();
        doc["warnings"] =
            nlohmann::json::array({"Task 8b34 runs a stub: nothing is pushed to a device"});
        doc["groups"] = {"network-ops"};
        doc["metrics"] = {{"start_time", t0}, {"progress", 0.5}, {"user", "alice"}};
        return doc;
    }

    ui::ApiReply *call(api::ApiRequest request) override
    {
        requests.append(request);
        auto *reply = new ui::ApiReply(this);
        api::ApiResponse response = answer(request);
        // Like a real client: the answer comes on a later event-loop pass, never inside call().
        QTimer::singleShot(0, reply, [reply, response] { reply->finish(response); });
        return reply;
    }

    /// The requests to a path, oldest first.
    QList<api::ApiRequest> requestsTo(const std::string &path) const
    {
        QList<api::ApiRequest> out;
        for (const auto &r : requests)
            if (r.path == path)
                out.append(r);
        return out;
    }

    static std::string query(const api::ApiRequest &request, const std::string &key)
    {
        return request.queryValue(key).value_or(std::string());
    }

private:
    static api::ApiResponse make(int status, nlohmann::json json)
    {
        api::ApiResponse response;
        response.status = status;
        response.json = std::move(json);
        return response;
    }

    api::ApiResponse answer(const api::ApiRequest &request)
    {
        const std::string jobs = "/operations-manager/jobs";
        if (request.method == api::Method::Get && request.path == jobs)
            return listPage(request);
        if (request.method == api::Method::Get && request.path.rfind(jobs + "/", 0) == 0) {
            const QString id = QString::fromStdString(request.path.substr(jobs.size() + 1));
            if (id == QStringLiteral("gone"))
                return make(404, {{"message", "no job gone"}, {"error", "not_found"}});
            return make(
                200,
                {{"message", "Successfully retrieved job"},
                 {"data", approvalJob(id, statusOverride.value(id, QStringLiteral("running")))}});
        }
        if (request.method == api::Method::Post && request.path.rfind(jobs + "/", 0) == 0) {
            // As the engine answers a bulk action: each job's outcome; a job that is finished
            // already refuses, and the answer is 207 when any did.
            const std::string verb = request.path.substr(jobs.size() + 1);
            const QString status = verb == "pause"    ? QStringLiteral("paused")
                                   : verb == "resume" ? QStringLiteral("running")
                                                      : QStringLiteral("canceled");
            nlohmann::json results = nlohmann::json::array();
            int succeeded = 0;
            for (const auto &idJson : request.body.value("jobIds", nlohmann::json::array())) {
                const std::string id = idJson.get<std::string>();
                const QString now = statusOverride.value(
                    QString::fromStdString(id), kStatuses[int(indexOf(id) % kStatuses.size())]);
                if (now == QStringLiteral("complete") || now == QStringLiteral("canceled")) {
                    results.push_back({{"jobId", id},
                                       {"ok", false},
                                       {"status", 409},
                                       {"message", "cannot " + verb + " job " + id + ": it is " +
                                                       now.toStdString()}});
                    continue;
                }
                ++succeeded;
                statusOverride.insert(QString::fromStdString(id), status);
                results.push_back({{"jobId", id}, {"ok", true}, {"status", 200}});
            }
            const int failed = int(results.size()) - succeeded;
            return make(
                failed > 0 ? 207 : 200,
                {{"message", verb + " " + std::to_string(succeeded) + " of " +
                                 std::to_string(results.size()) + " jobs"},
                 {"data", {{"results", results}, {"succeeded", succeeded}, {"failed", failed}}}});
        }
        if (request.method == api::Method::Get && request.path == "/operations-manager/tasks")
            return waitingTasks(request);
        if (request.method == api::Method::Get && request.path == "/events")
            return eventPage(request);
        if (request.path == "/automation-studio/workflows") {
            nlohmann::json items = nlohmann::json::array();
            for (const QString &name : kWorkflows)
                items.push_back({{"name", name.toStdString()}});
            return make(200, {{"items", items}, {"total", items.size()}});
        }
        return make(404, {{"message", "no route " + request.path}, {"error", "not_found"}});
    }

    /// Filters narrow the virtual store arithmetically: status s keeps every job whose index
    /// maps to s, so totals and pages stay exact without materialising anything.
    /// The unclaimed manual tasks of the waiting jobs, narrowed by in[job._id] when given.
    api::ApiResponse waitingTasks(const api::ApiRequest &request) const
    {
        nlohmann::json data = nlohmann::json::array();
        auto add = [&](qint64 i) {
            if (i < m_total && waitingAt(i))
                data.push_back({{"_id", "task-of-" + idOf(i).toStdString()},
                                {"job", {{"_id", idOf(i).toStdString()}, {"task", "7a23"}}}});
        };
        const QString in = QString::fromStdString(query(request, "in[job._id]"));
        if (!in.isEmpty())
            for (const QString &id : in.split(QLatin1Char(',')))
                add(indexOf(id.toStdString()));
        else
            for (qint64 i = 0; i < m_total && data.size() < 1000; i += 12)
                add(i);
        return make(200,
                    {{"message", "tasks"}, {"data", data}, {"metadata", {{"total", data.size()}}}});
    }

    api::ApiResponse listPage(const api::ApiRequest &request) const
    {
        const qint64 skip =
            std::stoll(query(request, "skip").empty() ? "0" : query(request, "skip"));
        const qint64 limit =
            std::stoll(query(request, "limit").empty() ? "25" : query(request, "limit"));
        const std::string status = query(request, "equals[status]");
        if (const QString in = QString::fromStdString(query(request, "in[_id]")); !in.isEmpty()) {
            // A list of ids (the "waiting" filter): those of them in this status, newest first.
            std::vector<qint64> picked;
            for (const QString &id : in.split(QLatin1Char(','))) {
                const qint64 i = indexOf(id.toStdString());
                if (i < m_total && (status.empty() || listJob(i)["status"] == status))
                    picked.push_back(i);
            }
            std::sort(picked.begin(), picked.end());
            nlohmann::json data = nlohmann::json::array();
            for (qint64 k = skip; k < std::min<qint64>(qint64(picked.size()), skip + limit); ++k)
                data.push_back(listJob(picked[std::size_t(k)]));
            return make(
                200,
                {{"message", "jobs"}, {"data", data}, {"metadata", {{"total", picked.size()}}}});
        }
        std::vector<int> residues;
        for (int r = 0; r < kStatuses.size(); ++r)
            if (status.empty() || kStatuses[r].toStdString() == status)
                residues.push_back(r);
        const qint64 period = kStatuses.size();
        auto countBelow = [&](qint64 n) { // matches among indexes [0, n)
            qint64 c = 0;
            for (int r : residues)
                c += n / period + (n % period > r ? 1 : 0);
            return c;
        };
        const qint64 total = residues.empty() ? 0 : countBelow(m_total);
        auto nth = [&](qint64 k) { // the k-th match
            const qint64 cycle = k / qint64(residues.size());
            return cycle * period + residues[std::size_t(k % qint64(residues.size()))];
        };
        const bool descending = query(request, "order") == "-1";
        nlohmann::json data = nlohmann::json::array();
        for (qint64 k = skip; k < std::min(total, skip + limit); ++k)
            data.push_back(listJob(nth(descending ? k : total - 1 - k)));
        const qint64 size = qint64(data.size());
        return make(
            200,
            {{"message", "Successfully retrieved jobs"},
             {"data", std::move(data)},
             {"metadata",
              {{"skip", skip},
               {"limit", limit},
               {"total", total},
               {"currentPageSize", size},
               {"nextPageSkip",
                skip + size < total ? nlohmann::json(skip + size) : nlohmann::json()},
               {"previousPageSkip", skip > 0 ? nlohmann::json(std::max<qint64>(0, skip - limit))
                                             : nlohmann::json()}}}});
    }

    /// GET /events over a virtual log of kEvents events, three per job (started, a task
    /// finished, its status), the newest about job 0: seq s is about job (kEvents - s) / 3.
    static constexpr qint64 kEvents = 300;

    nlohmann::json logEvent(qint64 seq) const
    {
        const qint64 i = (kEvents - seq) / 3;
        const nlohmann::json job = listJob(i);
        nlohmann::json e = {{"seq", seq},
                            {"jobId", job["_id"]},
                            {"jobName", job["name"]},
                            {"at", kStart - i * 37000 + (2 - (kEvents - seq) % 3) * 1000},
                            {"actor", nullptr}};
        switch ((kEvents - seq) % 3) {
        case 2:
            e["kind"] = "jobCreated";
            e["actor"] = job["metrics"]["user"];
            e["data"] = nlohmann::json::object();
            break;
        case 1:
            e["kind"] = "taskFinished";
            e["taskName"] = "Check device reachability";
            e["data"] = {{"task", "1a2b"}, {"finishState", "success"}};
            break;
        default:
            e["kind"] = "jobStatus";
            e["data"] = {{"status", job["status"]}};
            break;
        }
        return e;
    }

    api::ApiResponse eventPage(const api::ApiRequest &request) const
    {
        const qint64 limit =
            std::stoll(query(request, "limit").empty() ? "100" : query(request, "limit"));
        const bool after = !query(request, "after").empty();
        const qint64 cursor = after ? std::stoll(query(request, "after"))
                              : !query(request, "before").empty()
                                  ? std::stoll(query(request, "before"))
                                  : kEvents + 1;
        nlohmann::json data = nlohmann::json::array();
        qint64 next = cursor;
        const std::string jobId = query(request, "jobId");
        for (qint64 s = after ? cursor + 1 : cursor - 1;
             s >= 1 && s <= kEvents && qint64(data.size()) < limit; s += after ? 1 : -1) {
            nlohmann::json event = logEvent(s);
            next = s;
            if (jobId.empty() || event["jobId"] == jobId)
                data.push_back(std::move(event));
        }
        const bool more = after ? next < kEvents : next > 1;
        nlohmann::json metadata = {{"limit", limit}, {"next", next}, {"more", more}};
        if (query(request, "newest") == "true")
            metadata["latest"] = kEvents;
        return make(200,
                    {{"message", "events"}, {"data", std::move(data)}, {"metadata", metadata}});
    }

    qint64 m_total;
};

} // namespace flowdeck::test
