// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/api/EventLogApi.h"

#include "engine/api/DocumentSupport.h"
#include "engine/api/EventJson.h"

#include "engine/model/JsonParse.h"

#include <charconv>
#include <map>
#include <optional>
#include <set>

namespace flowdeck::api::eventlog {
namespace {

using nlohmann::json;

/// How many events one request reads at most while looking for ones the caller may see. A
/// caller who may see few jobs can get a short (even empty) page with `more` true; the
/// bound keeps one request from walking a million hidden events.
constexpr int kScanCap = 2000;

/// A page also ends once its events take this many bytes (at least one event is always
/// given), so a log holding large task values cannot make one answer tens of megabytes.
constexpr std::size_t kMaxPageBytes = 1024 * 1024;

std::optional<std::int64_t> wholeNumber(const std::string &text)
{
    std::int64_t value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || value < 0)
        return std::nullopt;
    return value;
}

Error badParameter(const std::string &key, const std::string &must, const std::string &value)
{
    return Error::invalid("query parameter \"" + key + "\" must be " + must + ", not \"" + value +
                              "\"",
                          {{"parameter", key}});
}

/// The cursor parameter `key` when given: a whole number.
Result<std::optional<std::int64_t>> cursor(const ApiRequest &req, const std::string &key)
{
    auto text = req.queryValue(key);
    if (!text)
        return std::optional<std::int64_t>();
    auto parsed = wholeNumber(*text);
    if (!parsed)
        return badParameter(key, "a whole number", *text);
    return std::optional<std::int64_t>(*parsed);
}

/// What a request asks for, checked.
struct Query
{
    bool newestFirst = false;
    std::optional<std::int64_t> after;
    std::optional<std::int64_t> before;
    int limit = kDefaultLimit;
    std::string jobId;
};

Result<Query> parse(const ApiRequest &req)
{
    static const std::set<std::string> known{"after", "before", "newest", "limit", "jobId"};
    if (auto r = documents::onlyKnownQuery(req, known); !r)
        return r.error();
    Query q;
    auto after = cursor(req, "after");
    if (!after)
        return after.error();
    auto before = cursor(req, "before");
    if (!before)
        return before.error();
    q.after = *after;
    q.before = *before;
    if (q.after && q.before)
        return Error::invalid(
            "give \"after\" (oldest first) or \"before\" (newest first), not both",
            {{"parameter", "before"}});
    if (auto newest = req.queryValue("newest")) {
        if (*newest != "true" && *newest != "false")
            return badParameter("newest", "true or false", *newest);
        q.newestFirst = *newest == "true";
        if (q.newestFirst && q.after)
            return Error::invalid("query parameter \"newest\" reads backwards from the newest "
                                  "event and cannot be combined with \"after\"",
                                  {{"parameter", "newest"}});
    }
    q.newestFirst = q.newestFirst || q.before.has_value();
    if (auto text = req.queryValue("limit")) {
        auto parsed = wholeNumber(*text);
        if (!parsed || *parsed < 1 || *parsed > kMaxLimit)
            return badParameter("limit", "a whole number from 1 to " + std::to_string(kMaxLimit),
                                *text);
        q.limit = int(*parsed);
    }
    if (auto jobId = req.queryValue("jobId")) {
        if (jobId->empty())
            return badParameter("jobId", "a job id", *jobId);
        q.jobId = *jobId;
    }
    return q;
}

Result<ApiResponse> list(EngineContext &ctx, const ApiRequest &req)
{
    auto query = parse(req);
    if (!query)
        return query.error();
    const Query &q = *query;
    const Principal &who = req.caller();

    // The job of each event, read once per request: its groups decide GBAC, its name and
    // tasks word the event. A job that cannot be read is shown to admins only.
    std::map<std::string, json> jobs;
    auto jobOf = [&](const std::string &id) -> Result<const json *> {
        auto it = jobs.find(id);
        if (it == jobs.end()) {
            auto record = ctx.store.job(id);
            if (!record && record.error().code != ErrorCode::NotFound)
                return record.error();
            it = jobs.emplace(id, record ? std::move(record->document) : json()).first;
        }
        return &it->second;
    };
    auto visible = [&who](const json &job) {
        return job.is_object() ? who.allowedBy(job.value("groups", json::array())) : who.admin;
    };
    if (!q.jobId.empty()) {
        // As on every job route: a job the caller may not see is not found.
        auto job = jobOf(q.jobId);
        if (!job)
            return job.error();
        if (!(*job)->is_object() || !visible(**job))
            return Error::notFound("no job with id " + q.jobId);
    }

    std::int64_t position =
        q.newestFirst ? q.before.value_or(store::Store::kNewestEvents) : q.after.value_or(0);
    std::optional<std::int64_t> newestSeen;
    json data = json::array();
    int scanned = 0;
    bool exhausted = false;
    bool full = false; ///< the page reached kMaxPageBytes
    std::size_t bytes = 0;
    while (int(data.size()) < q.limit && scanned < kScanCap && !full) {
        auto batch = q.newestFirst ? ctx.store.jobEventsBefore(q.jobId, position, q.limit)
                                   : ctx.store.jobEvents(q.jobId, position, q.limit);
        if (!batch)
            return batch.error();
        std::size_t used = 0;
        for (const auto &event : *batch) {
            ++used;
            ++scanned;
            position = event.seq;
            if (!newestSeen)
                newestSeen = event.seq;
            auto job = jobOf(event.jobId);
            if (!job)
                return job.error();
            if (visible(**job)) {
                data.push_back(eventJson(event, **job));
                bytes += jsonShape(data.back()).bytes;
                full = bytes >= kMaxPageBytes;
            }
            if (int(data.size()) == q.limit || full)
                break;
        }
        if (!full && used == batch->size() && int(batch->size()) < q.limit) {
            exhausted = true;
            break;
        }
    }

    json metadata = {{"limit", q.limit}, {"limitBytes", kMaxPageBytes}, {"more", !exhausted}};
    std::string message;
    if (!q.newestFirst) {
        const std::int64_t after = q.after.value_or(0);
        metadata["after"] = after;
        metadata["next"] = scanned > 0 ? position : after;
        message = "events after " + std::to_string(after);
    } else {
        metadata["before"] = q.before ? json(*q.before) : json();
        metadata["next"] = scanned > 0 ? json(position) : metadata["before"];
        message = q.before ? "events before " + std::to_string(*q.before) : "the newest events";
        if (!q.before)
            // Where to follow the log forwards from (?after=latest): the newest event read,
            // seen by this caller or not, so hidden events are not read again.
            metadata["latest"] = newestSeen.value_or(0);
    }
    ApiResponse response;
    response.json = {
        {"message", std::move(message)}, {"data", std::move(data)}, {"metadata", metadata}};
    return response;
}

} // namespace

void addRoutes(std::vector<Route> &routes)
{
    routes.push_back({Method::Get, RoutePattern("/events"), "getJobs", list,
                      "The job event log by seq cursor: after=N (oldest first) or before=N / "
                      "newest=true (newest first), limit 1-500, jobId; what /events/stream "
                      "pushes live"});
}

} // namespace flowdeck::api::eventlog
