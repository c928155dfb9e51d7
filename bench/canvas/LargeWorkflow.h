// SPDX-License-Identifier: GPL-3.0-or-later
// A large synthetic workflow and a job over it, for the canvas bench and its screenshot: tasks
// on a layered grid (rows × columns), each row flowing into the next on success, with failure
// branches, error paths two rows down and revert loops back up, about 1.5 transitions per task.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdio>
#include <string>

namespace flowdeck::bench {

struct LargeWorkflow
{
    int rows = 50;
    int columns = 40;

    std::string key(int row, int column) const
    {
        char buffer[16];
        std::snprintf(buffer, sizeof buffer, "%04x", unsigned(row * columns + column) & 0xffffu);
        return buffer;
    }

    static nlohmann::json cell(double column, double row)
    {
        return {{"x", column * 240}, {"y", row * 108}};
    }

    nlohmann::json workflow() const
    {
        using nlohmann::json;
        json tasks = json::object();
        json transitions = json::object();
        tasks["workflow_start"] = {{"name", "workflow_start"},
                                   {"groups", json::array()},
                                   {"nodeLocation", cell(columns / 2.0, 0)}};
        tasks["workflow_end"] = {{"name", "workflow_end"},
                                 {"groups", json::array()},
                                 {"nodeLocation", cell(columns / 2.0, rows + 2)}};
        static const char *const kMethods[] = {"newVariable", "query", "stub",     "evaluation",
                                               "makeData",    "merge", "ViewData", "childJob"};
        for (int r = 0; r < rows; ++r)
            for (int c = 0; c < columns; ++c) {
                const int i = r * columns + c;
                const std::string method = kMethods[i % 8];
                tasks[key(r, c)] = {
                    {"name", method},
                    {"summary",
                     "Step " + std::to_string(r + 1) + "." + std::to_string(c + 1) + " " + method},
                    {"app", i % 5 == 0 ? "NetAdapter" : "WorkFlowEngine"},
                    {"type", method == "ViewData" ? "manual" : "automatic"},
                    {"nodeLocation", cell(c, r + 1)},
                    {"variables", {{"incoming", json::object()}, {"outgoing", json::object()}}}};
                json &out = transitions[key(r, c)];
                out = json::object();
                if (r == 0)
                    transitions["workflow_start"][key(r, c)] = {{"state", "success"},
                                                                {"type", "standard"}};
                if (r + 1 < rows) {
                    out[key(r + 1, c)] = {{"state", "success"}, {"type", "standard"}};
                    if ((r + c) % 2 == 0)
                        out[key(r + 1, c + 1 < columns ? c + 1 : c - 1)] = {{"state", "failure"},
                                                                            {"type", "standard"}};
                } else {
                    out["workflow_end"] = {{"state", "success"}, {"type", "standard"}};
                }
                if (i % 10 == 3 && r + 2 < rows && c > 0)
                    out[key(r + 2, c - 1)] = {{"state", "error"}, {"type", "standard"}};
                if (i % 15 == 7 && r >= 3)
                    out[key(r - 3, c)] = {{"state", "success"}, {"type", "revert"}};
            }
        transitions["workflow_end"] = json::object();
        return {{"name", "Large Rollout"},
                {"type", "automation"},
                {"canvasVersion", 3},
                {"tasks", std::move(tasks)},
                {"transitions", std::move(transitions)}};
    }

    /// A job that has finished the first `doneRows` rows and is busy in the next; `shift`
    /// moves which tasks of the busy row are in which state (a live update changes it).
    nlohmann::json job(const nlohmann::json &workflow, int doneRows, int shift = 0) const
    {
        using nlohmann::json;
        json job = workflow;
        job["_id"] = "65a1f0c2d4e5f60718293a4b";
        job["status"] = "running";
        for (auto &[k, task] : job["tasks"].items()) {
            task["status"] = "incomplete";
            task["iterations"] = json::array();
        }
        job["tasks"]["workflow_start"]["status"] = "complete";
        job["tasks"]["workflow_start"]["iterations"] = {"s"};
        for (int r = 0; r < rows; ++r)
            for (int c = 0; c < columns; ++c) {
                json &task = job["tasks"][key(r, c)];
                const int phase = (r * 7 + c * 3 + shift) % 23;
                if (r < doneRows) {
                    const bool failed = (r + c) % 2 == 0 && phase == 0;
                    task["status"] = failed ? "failure" : "complete";
                    task["finish_state"] = failed ? "failure" : "success";
                    task["iterations"] = phase == 5 ? json{"a", "b"} : json{"a"};
                } else if (r < doneRows + 5) {
                    static const char *const kBusy[] = {"running",    "complete",  "error",
                                                        "incomplete", "scheduled", "canceled"};
                    const std::string status = kBusy[(c + r + shift) % 6];
                    task["status"] = status;
                    if (status != "incomplete")
                        task["iterations"] = {"a"};
                    if (status == "complete")
                        task["finish_state"] = "success";
                    if (status == "error")
                        task["finish_state"] = "error";
                    if (status == "running" && task["type"] == "manual" && (c % 2 == 0))
                        task["owner"] = "alice";
                }
            }
        return job;
    }
};

} // namespace flowdeck::bench
