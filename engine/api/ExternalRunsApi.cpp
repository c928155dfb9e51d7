// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/api/ExternalRunsApi.h"

#include "engine/api/AutomationsApi.h"
#include "engine/api/QueryNumber.h"
#include "engine/automations/ExternalRun.h"
#include "engine/model/Ids.h"
#include "engine/runtime/Engine.h"

namespace flowdeck::api::externalruns {

using nlohmann::json;
namespace ext = flowdeck::automations;

namespace {

/// The run object as Marquez answers it (the times kept beside it stay inside).
json answer(const store::ExternalRunRecord &run)
{
    json doc = run.document;
    doc.erase("_times");
    return doc;
}

store::Millis now(EngineContext &ctx)
{
    return ctx.engine ? ctx.engine->clockNow() : automations::nowMillis();
}

/// A namespace or job name from the path: 1–256 characters, no control characters.
Result<std::string> pathName(const ApiRequest &req, const char *param)
{
    const std::string &v = req.params.at(param);
    bool control = false;
    for (unsigned char c : v)
        control = control || c < 0x20 || c == 0x7f;
    if (v.empty() || v.size() > 256 || control)
        return Error::invalid(std::string("the ") + param +
                                  " in the path must be 1 to 256 printable characters",
                              {{"parameter", param}});
    return v;
}

Result<ApiResponse> create(EngineContext &ctx, const ApiRequest &req)
{
    auto ns = pathName(req, "namespace");
    if (!ns)
        return ns.error();
    auto job = pathName(req, "job");
    if (!job)
        return job.error();
    auto run = ext::newExternalRun(*ns, *job, req.body, now(ctx), ids::newObjectId());
    if (!run)
        return run.error();
    if (auto r =
            ctx.store.insertExternalRun(*run, ext::externalJob(*run, automations::actorName(req)));
        !r)
        return r.error();
    return ApiResponse(201, answer(*run));
}

Result<ApiResponse> move(EngineContext &ctx, const ApiRequest &req, ext::RunMove how)
{
    store::Millis at = now(ctx);
    if (auto text = req.queryValue("at")) {
        auto parsed = ext::parseIsoTime(*text);
        if (!parsed)
            return Error::invalid("at must be an ISO 8601 date-time, not \"" + *text + "\"",
                                  {{"parameter", "at"}});
        at = *parsed;
    }
    auto run = ctx.store.externalRun(req.params.at("id"));
    if (!run)
        return run.error();
    if (auto moved = ext::moveExternalRun(*run, how, at, now(ctx)); !moved) {
        // 409 answers the run as it is, so the caller sees the state it ran into.
        if (moved.error().code == ErrorCode::Conflict) {
            json body = errorBody(moved.error());
            body["state"] = run->state;
            body["run"] = answer(*run);
            return ApiResponse(409, std::move(body));
        }
        return moved.error();
    }
    if (auto r =
            ctx.store.updateExternalRun(*run, ext::externalJob(*run, automations::actorName(req)));
        !r)
        return r.error();
    return ApiResponse(200, answer(*run));
}

Result<ApiResponse> get(EngineContext &ctx, const ApiRequest &req)
{
    auto run = ctx.store.externalRun(req.params.at("id"));
    if (!run)
        return run.error();
    return ApiResponse(200, answer(*run));
}

Result<ApiResponse> list(EngineContext &ctx, const ApiRequest &req)
{
    auto ns = pathName(req, "namespace");
    if (!ns)
        return ns.error();
    auto job = pathName(req, "job");
    if (!job)
        return job.error();
    auto limit = queryNumber(req, "limit", 100, 1, 1000);
    if (!limit)
        return limit.error();
    auto offset = queryNumber(req, "offset", 0, 0, 1'000'000'000);
    if (!offset)
        return offset.error();
    auto page = ctx.store.externalRuns(*ns, *job, int(*limit), int(*offset));
    if (!page)
        return page.error();
    json runs = json::array();
    for (const auto &r : page->items)
        runs.push_back(answer(r));
    return ApiResponse(200, {{"runs", std::move(runs)}, {"totalCount", page->total}});
}

Handler mover(ext::RunMove how)
{
    return [how](EngineContext &ctx, const ApiRequest &req) { return move(ctx, req, how); };
}

} // namespace

void addRoutes(std::vector<Route> &routes)
{
    routes.push_back({Method::Post, RoutePattern("/api/v1/namespaces/:namespace/jobs/:job/runs"),
                      "startJob", create,
                      "Record a run of a job that runs elsewhere {id?, args?, facets?, "
                      "nominalStartTime?, nominalEndTime?}: 201 with the run (state NEW)"});
    routes.push_back({Method::Get, RoutePattern("/api/v1/namespaces/:namespace/jobs/:job/runs"),
                      "getJob", list,
                      "The job's runs, newest first {runs, totalCount}; limit, offset"});
    routes.push_back(
        {Method::Get, RoutePattern("/api/v1/jobs/runs/:id"), "getJob", get, "One run"});
    const std::pair<const char *, ext::RunMove> moves[] = {{"start", ext::RunMove::Start},
                                                           {"complete", ext::RunMove::Complete},
                                                           {"fail", ext::RunMove::Fail},
                                                           {"abort", ext::RunMove::Abort}};
    for (const auto &[name, how] : moves)
        routes.push_back({Method::Post, RoutePattern(std::string("/api/v1/jobs/runs/:id/") + name),
                          "startJob", mover(how),
                          std::string("Mark the run ") + name +
                              "; optional at (ISO 8601); 409 with the current state for an "
                              "illegal move"});
}

} // namespace flowdeck::api::externalruns
