// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/api/TaskListApi.h"

#include "engine/model/TaskCatalog.h"
#include "engine/store/Store.h"

namespace flowdeck::api::tasklist {
namespace {

using nlohmann::json;

/// The WorkFlowEngine methods, then each adapter instance's methods (instances by name).
Result<json> allTasks(store::Store &store)
{
    json out = model::workflowEngineTasks();
    auto adapters = store.listAdapters();
    if (!adapters)
        return adapters.error();
    for (const store::AdapterRecord &record : *adapters) {
        const json methods = record.definition.is_object()
                                 ? record.definition.value("methods", json::array())
                                 : json::array();
        if (!methods.is_array())
            continue;
        for (const json &method : methods)
            out.push_back(model::adapterTaskEntry(method, record.name, record.app));
    }
    return out;
}

Result<ApiResponse> list(EngineContext &ctx, const ApiRequest &)
{
    auto tasks = allTasks(ctx.store);
    if (!tasks)
        return tasks.error();
    return ApiResponse{200, std::move(*tasks)};
}

Result<ApiResponse> details(EngineContext &ctx, const ApiRequest &req)
{
    const std::string &app = req.params.at("app");
    const std::string &task = req.params.at("task");
    auto tasks = allTasks(ctx.store);
    if (!tasks)
        return tasks.error();
    for (json &entry : *tasks)
        if (entry["app"] == app && entry["name"] == task)
            return ApiResponse{200, std::move(entry)};
    return Error::notFound("no task " + task + " of app " + app +
                           " (GET /workflow_builder/tasks/list lists them)");
}

} // namespace

void addRoutes(std::vector<Route> &routes)
{
    routes.push_back({Method::Get, RoutePattern("/workflow_builder/tasks/list"), "getWorkflows",
                      list,
                      "Every task a workflow can use: the WorkFlowEngine methods and each "
                      "adapter instance's methods, with their incoming and outgoing values"});
    routes.push_back({Method::Get, RoutePattern("/workflow_builder/getTaskDetails/:app/:task"),
                      "getWorkflows", details, "One task of the list, by app and method name"});
}

} // namespace flowdeck::api::tasklist
