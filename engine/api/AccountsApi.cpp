// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/api/AccountsApi.h"

#include "engine/api/DocumentSupport.h"

#include "engine/access/AccountService.h"
#include "engine/access/ApiTokens.h"
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
            {"kind", user.kind},
            {"disabled", user.disabled}};
}

/// An optional string member of the body; Invalid naming its pointer when it is not a string.
Result<std::string> optionalString(const json &body, const char *key)
{
    if (!body.contains(key))
        return std::string();
    if (!body[key].is_string())
        return Error::invalid(std::string("/") + key + " must be a string",
                              {{"pointer", std::string("/") + key}});
    return body[key].get<std::string>();
}

/// An optional array of strings; Invalid naming the first bad element.
Result<std::vector<std::string>> optionalStrings(const json &body, const char *key)
{
    std::vector<std::string> out;
    if (!body.contains(key))
        return out;
    const std::string at = std::string("/") + key;
    if (!body[key].is_array())
        return Error::invalid(at + " must be an array of strings", {{"pointer", at}});
    for (std::size_t i = 0; i < body[key].size(); ++i) {
        if (!body[key][i].is_string())
            return Error::invalid(at + "/" + std::to_string(i) + " must be a string",
                                  {{"pointer", at + "/" + std::to_string(i)}});
        out.push_back(body[key][i].get<std::string>());
    }
    return out;
}

Result<access::ApiTokens> apiTokens(EngineContext &ctx)
{
    auto accounts = ctx.requireAccounts();
    if (!accounts)
        return accounts.error();
    return access::ApiTokens(ctx.store, (*accounts)->tokens());
}

Result<ApiResponse> listTokens(EngineContext &ctx, const ApiRequest &req)
{
    if (auto r = documents::onlyKnownQuery(req, {"username"}); !r)
        return r.error();
    auto tokens = apiTokens(ctx);
    if (!tokens)
        return tokens.error();
    auto list = tokens->list(req.queryValue("username").value_or(""));
    if (!list)
        return list.error();
    const auto total = std::int64_t(list->size());
    return listEnvelope("Successfully retrieved API tokens", std::move(*list),
                        ListPage{0, std::max<std::int64_t>(total, 1), total});
}

Result<ApiResponse> createToken(EngineContext &ctx, const ApiRequest &req)
{
    if (!req.body.is_object())
        return Error::invalid("the body must be {\"username\", \"days\"?, \"label\"?}",
                              {{"pointer", ""}});
    if (!req.body.contains("username") || !req.body["username"].is_string())
        return Error::invalid("/username must name the account", {{"pointer", "/username"}});
    std::optional<int> days;
    if (req.body.contains("days")) {
        const json &d = req.body["days"];
        if (!d.is_number_integer())
            return Error::invalid("/days must be a whole number of days", {{"pointer", "/days"}});
        days = int(std::clamp<long long>(d.get<long long>(), -1, 1'000'000));
    }
    auto label = optionalString(req.body, "label");
    if (!label)
        return label.error();
    auto tokens = apiTokens(ctx);
    if (!tokens)
        return tokens.error();
    auto issued = tokens->create(req.body["username"].get<std::string>(), days, *label);
    if (!issued)
        return issued.error();
    // The token itself is in this answer only; later answers show its summary.
    json data = tokens->summary(issued->record, req.body["username"].get<std::string>());
    data["token"] = issued->token;
    return envelope("API token created; it is shown only now", std::move(data));
}

Result<ApiResponse> revokeToken(EngineContext &ctx, const ApiRequest &req)
{
    auto tokens = apiTokens(ctx);
    if (!tokens)
        return tokens.error();
    auto revoked = tokens->revoke(req.params.at("id"));
    if (!revoked)
        return revoked.error();
    return envelope("API token revoked", std::move(*revoked));
}

Result<ApiResponse> createServiceAccount(EngineContext &ctx, const ApiRequest &req)
{
    auto accounts = ctx.requireAccounts();
    if (!accounts)
        return accounts.error();
    if (!req.body.is_object())
        return Error::invalid("the body must be {\"username\", \"secret\", \"roles\", "
                              "\"groups\"?, \"displayName\"?}",
                              {{"pointer", ""}});
    access::NewUser user;
    user.kind = "service";
    for (const auto &[key, field] :
         {std::pair{"username", &user.username}, std::pair{"displayName", &user.displayName}}) {
        auto value = optionalString(req.body, key);
        if (!value)
            return value.error();
        *field = std::move(*value);
    }
    auto secret = optionalString(req.body, "secret");
    if (!secret)
        return secret.error();
    if (secret->empty())
        return Error::invalid("/secret is the client secret and must not be empty",
                              {{"pointer", "/secret"}});
    user.password = std::move(*secret);
    auto roles = optionalStrings(req.body, "roles");
    if (!roles)
        return roles.error();
    user.roles = std::move(*roles);
    auto groups = optionalStrings(req.body, "groups");
    if (!groups)
        return groups.error();
    user.groups = std::move(*groups);
    auto created = (*accounts)->createUser(user);
    if (!created)
        return created.error();
    auto allGroups = ctx.store.listGroups();
    std::map<std::string, std::string> names;
    if (allGroups)
        for (const auto &g : *allGroups)
            names[g.id] = g.name;
    return envelope("service account created", accountJson(*created, names));
}

Result<ApiResponse> list(EngineContext &ctx, const ApiRequest &req)
{
    static const std::set<std::string> known{"contains[username]", "contains[displayName]",
                                             "equals[disabled]", "skip", "limit"};
    if (auto r = documents::onlyKnownQuery(req, known); !r)
        return r.error();
    auto paging = pageParams(req, kDefaultLimit, 1, kMaxLimit);
    if (!paging)
        return paging.error();
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
    for (std::int64_t i = paging->skip; i < total && i < std::int64_t(paging->skip) + paging->limit;
         ++i)
        page.push_back(std::move(matches[std::size_t(i)]));
    return listEnvelope("Successfully retrieved accounts", std::move(page),
                        ListPage{paging->skip, paging->limit, total});
}

} // namespace

void addRoutes(std::vector<Route> &routes)
{
    routes.push_back({Method::Get, RoutePattern("/authorization/accounts"), "getAccounts", list,
                      "Accounts {_id, username, displayName, groups, roles, kind, disabled} by "
                      "username; contains[username], contains[displayName], equals[disabled], "
                      "skip, limit"});
    // Admin only (their permissions are in no other role): they hand out lasting access.
    routes.push_back({Method::Post, RoutePattern("/authorization/service-accounts"),
                      "createServiceAccount", createServiceAccount,
                      "Create a service account {username, secret, roles, groups?, displayName?}; "
                      "it signs in with POST /oauth/token or an API token (admin only)"});
    routes.push_back({Method::Get, RoutePattern("/authorization/tokens"), "listApiTokens",
                      listTokens,
                      "API tokens {_id, username, label, created, expires, lastUsed, revoked}, "
                      "newest first; username=NAME for one account's (admin only)"});
    routes.push_back({Method::Post, RoutePattern("/authorization/tokens"), "createApiToken",
                      createToken,
                      "Create an API token {username, days?, label?}; the answer's token is "
                      "its only copy (admin only)"});
    routes.push_back({Method::Delete, RoutePattern("/authorization/tokens/:id"), "revokeApiToken",
                      revokeToken, "Revoke an API token (admin only)"});
}

} // namespace flowdeck::api::accounts
