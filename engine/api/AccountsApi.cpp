// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/api/AccountsApi.h"

#include "engine/api/ApiEnvelope.h"
#include "engine/api/QueryNumber.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <map>
#include <set>

namespace flowdeck::api::accounts {
namespace {

using nlohmann::json;

bool containsNoCase(const std::string &haystack, const std::string &needle)
{
    if (needle.empty())
        return true;
    auto it = std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end(),
                          [](char a, char b) {
                              return std::tolower(static_cast<unsigned char>(a)) ==
                                     std::tolower(static_cast<unsigned char>(b));
                          });
    return it != haystack.end();
}

/// What a picker shows and needs to decide who may work a task; nothing secret.
json accountJson(const store::UserRecord &user, const std::map<std::string, std::string> &groups)
{
    json memberOf = json::array();
    for (const auto &id : user.groups) {
        auto it = groups.find(id);
        memberOf.push_back(it != groups.end() ? json{{"_id", id}, {"name", it->second}}
                                              : json{{"_id", id}});
    }
    return {{"_id", user.id},
            {"username", user.username},
            {"displayName", user.displayName},
            {"groups", std::move(memberOf)},
            {"roles", user.roles},
            {"disabled", user.disabled}};
}

Result<ApiResponse> list(EngineContext &ctx, const ApiRequest &req)
{
    static const std::set<std::string> known{"contains[username]", "contains[displayName]",
                                             "equals[disabled]", "skip", "limit"};
    for (const auto &[key, value] : req.query)
        if (!known.count(key))
            return Error::invalid("unknown query parameter \"" + key + "\"",
                                  {{"parameter", key}, {"allowed", known}});
    auto limit = queryNumber(req, "limit", kDefaultLimit, 1, kMaxLimit);
    if (!limit)
        return limit.error();
    auto skip = queryNumber(req, "skip", 0, 0, 1'000'000'000);
    if (!skip)
        return skip.error();
    std::optional<bool> disabled;
    if (auto text = req.queryValue("equals[disabled]")) {
        if (*text != "true" && *text != "false")
            return Error::invalid("query parameter \"equals[disabled]\" must be true or false, "
                                  "not \"" +
                                      *text + "\"",
                                  {{"parameter", "equals[disabled]"}});
        disabled = *text == "true";
    }
    const std::string username = req.queryValue("contains[username]").value_or("");
    const std::string displayName = req.queryValue("contains[displayName]").value_or("");

    // A person-sized list (tens to a few thousand accounts): filtered here rather than in SQL.
    auto users = ctx.store.listUsers();
    if (!users)
        return users.error();
    auto groups = ctx.store.listGroups();
    if (!groups)
        return groups.error();
    std::map<std::string, std::string> groupNames;
    for (const auto &g : *groups)
        groupNames[g.id] = g.name;

    json matches = json::array();
    for (const auto &user : *users) {
        if (disabled && user.disabled != *disabled)
            continue;
        if (!containsNoCase(user.username, username) ||
            !containsNoCase(user.displayName, displayName))
            continue;
        matches.push_back(accountJson(user, groupNames));
    }
    const auto total = std::int64_t(matches.size());
    json page = json::array();
    for (std::int64_t i = *skip; i < total && i < std::int64_t(*skip) + *limit; ++i)
        page.push_back(std::move(matches[std::size_t(i)]));
    return listEnvelope("Successfully retrieved accounts", std::move(page),
                        ListPage{*skip, *limit, total});
}

} // namespace

void addRoutes(std::vector<Route> &routes)
{
    routes.push_back({Method::Get, RoutePattern("/authorization/accounts"), "getAccounts", list,
                      "Accounts {_id, username, displayName, groups, roles, disabled} by "
                      "username; contains[username], contains[displayName], equals[disabled], "
                      "skip, limit"});
}

} // namespace flowdeck::api::accounts
