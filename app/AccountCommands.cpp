// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/AccountCommands.h"

#include "app/EngineHost.h"
#include "engine/access/AccountService.h"
#include "engine/access/ApiTokens.h"

#include <QDateTime>

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <map>
#include <string>

namespace flowdeck::app {
namespace {

void printErr(const std::string &line)
{
    std::fprintf(stderr, "flowdeck: %s\n", line.c_str());
}

int fail(const Error &e)
{
    printErr(e.message);
    switch (e.code) {
    case ErrorCode::Invalid:
    case ErrorCode::NotFound:
    case ErrorCode::Conflict:
    case ErrorCode::Forbidden:
    case ErrorCode::Unauthorized:
    case ErrorCode::TooManyRequests:
        return 1;
    default:
        return 2;
    }
}

// One line of standard input, without its line ending. Never from argv: the command line is
// visible to every user of the machine through /proc and lands in shell history.
Result<std::string> readPassword()
{
    std::string line;
    std::getline(std::cin, line);
    if (!line.empty() && line.back() == '\r')
        line.pop_back();
    if (line.empty())
        return Error::invalid("the password read from standard input is empty");
    return line;
}

std::string join(const std::vector<std::string> &items)
{
    std::string out;
    for (const auto &item : items)
        out += (out.empty() ? "" : ",") + item;
    return out;
}

// Prints rows as columns padded to their widest cell.
void printTable(const std::vector<std::vector<std::string>> &rows)
{
    std::vector<std::size_t> widths;
    for (const auto &row : rows) {
        widths.resize(std::max(widths.size(), row.size()));
        for (std::size_t i = 0; i < row.size(); ++i)
            widths[i] = std::max(widths[i], row[i].size());
    }
    for (const auto &row : rows) {
        std::string line;
        for (std::size_t i = 0; i < row.size(); ++i) {
            line += row[i];
            if (i + 1 < row.size())
                line += std::string(widths[i] - row[i].size() + 2, ' ');
        }
        std::printf("%s\n", line.c_str());
    }
}

std::vector<std::string> toStd(const QStringList &list)
{
    std::vector<std::string> out;
    for (const auto &s : list)
        out.push_back(s.toStdString());
    return out;
}

int userAdd(access::AccountService &accounts, const Invocation &inv)
{
    access::NewUser user;
    user.username = inv.name.toStdString();
    user.displayName = inv.displayName.toStdString();
    user.email = inv.email.toStdString();
    user.roles = toStd(inv.roles);
    user.groups = toStd(inv.groups);
    user.kind = inv.service ? "service" : "person";
    auto password = readPassword();
    if (!password)
        return fail(password.error());
    user.password = std::move(*password);
    auto created = accounts.createUser(user);
    if (!created)
        return fail(created.error());
    std::printf("created %s \"%s\" (id %s, roles %s)\n",
                created->kind == "service" ? "service account" : "user", created->username.c_str(),
                created->id.c_str(), join(created->roles).c_str());
    return 0;
}

int userList(store::Store &store)
{
    auto users = store.listUsers();
    if (!users)
        return fail(users.error());
    auto groups = store.listGroups();
    if (!groups)
        return fail(groups.error());
    std::map<std::string, std::string> groupNames;
    for (const auto &g : *groups)
        groupNames[g.id] = g.name;
    std::vector<std::vector<std::string>> rows{
        {"USERNAME", "KIND", "DISPLAY NAME", "ROLES", "GROUPS", "DISABLED"}};
    for (const auto &u : *users) {
        std::vector<std::string> names;
        for (const auto &id : u.groups)
            names.push_back(groupNames.count(id) ? groupNames[id] : id);
        std::sort(names.begin(), names.end());
        rows.push_back({u.username, u.kind, u.displayName.empty() ? "-" : u.displayName,
                        u.roles.empty() ? "-" : join(u.roles), names.empty() ? "-" : join(names),
                        u.disabled ? "yes" : "no"});
    }
    printTable(rows);
    return std::fflush(stdout) == 0 ? 0 : 2;
}

/// A time of the token listing: ISO 8601 UTC to the minute, "-" when there is none.
std::string when(const nlohmann::json &ms)
{
    if (!ms.is_number())
        return "-";
    return QDateTime::fromMSecsSinceEpoch(ms.get<qint64>(), Qt::UTC)
        .toString(QStringLiteral("yyyy-MM-ddTHH:mmZ"))
        .toStdString();
}

} // namespace

int runUser(const Invocation &inv)
{
    auto host = EngineHost::open(inv.storePath);
    if (!host) {
        printErr(host.error().message);
        return 2;
    }
    store::Store &store = (*host)->store();
    access::AccountService accounts(store);
    if (inv.action == QStringLiteral("add"))
        return userAdd(accounts, inv);
    if (inv.action == QStringLiteral("list"))
        return userList(store);

    auto user = store.userByUsername(inv.name.toStdString());
    if (!user)
        return fail(user.error());
    if (inv.action == QStringLiteral("passwd")) {
        auto password = readPassword();
        if (!password)
            return fail(password.error());
        if (auto r = accounts.setPassword(user->id, *password); !r)
            return fail(r.error());
        std::printf("changed the password of \"%s\"; its sessions were signed out\n",
                    user->username.c_str());
        return 0;
    }
    const bool disable = inv.action == QStringLiteral("disable");
    if (auto r = disable ? accounts.disable(user->id) : accounts.enable(user->id); !r)
        return fail(r.error());
    std::printf("%s \"%s\"\n", disable ? "disabled" : "enabled", user->username.c_str());
    return 0;
}

int runGroup(const Invocation &inv)
{
    auto host = EngineHost::open(inv.storePath);
    if (!host) {
        printErr(host.error().message);
        return 2;
    }
    store::Store &store = (*host)->store();
    access::AccountService accounts(store);
    const std::string name = inv.name.toStdString();
    if (inv.action == QStringLiteral("add")) {
        auto created = accounts.createGroup(name, inv.description.toStdString());
        if (!created)
            return fail(created.error());
        std::printf("created group \"%s\" (id %s)\n", created->name.c_str(), created->id.c_str());
        return 0;
    }

    auto group = store.groupByName(name);
    if (!group)
        return fail(group.error());
    if (inv.addMembers.isEmpty() && inv.removeMembers.isEmpty()) {
        std::vector<std::string> usernames;
        for (const auto &id : group->members) {
            auto u = store.userById(id);
            if (!u)
                return fail(u.error());
            usernames.push_back(u->username);
        }
        std::sort(usernames.begin(), usernames.end());
        for (const auto &u : usernames)
            std::printf("%s\n", u.c_str());
        return std::fflush(stdout) == 0 ? 0 : 2;
    }
    // All or nothing: an unknown username anywhere in the list changes no membership.
    std::vector<std::string> added, removed;
    auto r = store.transaction([&]() -> Result<void> {
        for (const auto &[list, adding] :
             {std::pair{&inv.addMembers, true}, std::pair{&inv.removeMembers, false}}) {
            for (const QString &username : *list) {
                auto u = store.userByUsername(username.toStdString());
                if (!u)
                    return u.error();
                auto done = adding ? accounts.addGroupMember(group->id, u->id)
                                   : accounts.removeGroupMember(group->id, u->id);
                if (!done)
                    return done;
                (adding ? added : removed).push_back(u->username);
            }
        }
        return {};
    });
    if (!r)
        return fail(r.error());
    std::printf("group \"%s\":", group->name.c_str());
    if (!added.empty())
        std::printf(" added %s", join(added).c_str());
    if (!removed.empty())
        std::printf("%s removed %s", added.empty() ? "" : ";", join(removed).c_str());
    std::printf("\n");
    return 0;
}

int runToken(const Invocation &inv)
{
    auto host = EngineHost::open(inv.storePath);
    if (!host) {
        printErr(host.error().message);
        return 2;
    }
    store::Store &store = (*host)->store();
    access::TokenService tokenService(store);
    access::ApiTokens tokens(store, tokenService);
    const std::string arg = inv.name.toStdString();
    if (inv.action == QStringLiteral("create")) {
        auto issued = tokens.create(arg, inv.days > 0 ? std::optional(inv.days) : std::nullopt,
                                    inv.label.toStdString());
        if (!issued)
            return fail(issued.error());
        // The token alone on standard output, so `TOKEN=$(flowdeck token create ci)` works;
        // what it is goes to standard error.
        std::printf("%s\n", issued->token.c_str());
        std::fprintf(
            stderr, "created API token %s for \"%s\", valid until %s; it is shown only now\n",
            issued->record.id.c_str(), arg.c_str(), when(issued->record.expiresAt).c_str());
        return std::fflush(stdout) == 0 ? 0 : 2;
    }
    if (inv.action == QStringLiteral("revoke")) {
        auto revoked = tokens.revoke(arg);
        if (!revoked)
            return fail(revoked.error());
        std::printf("revoked API token %s of \"%s\"\n", arg.c_str(),
                    (*revoked)["username"].get<std::string>().c_str());
        return 0;
    }
    auto list = tokens.list(arg);
    if (!list)
        return fail(list.error());
    std::vector<std::vector<std::string>> rows{
        {"ID", "USER", "LABEL", "CREATED", "EXPIRES", "LAST USED", "REVOKED"}};
    for (const auto &t : *list)
        rows.push_back({t["_id"].get<std::string>(), t["username"].get<std::string>(),
                        t["label"].get<std::string>().empty() ? "-" : t["label"].get<std::string>(),
                        when(t["created"]), when(t["expires"]), when(t["lastUsed"]),
                        when(t["revoked"])});
    printTable(rows);
    return std::fflush(stdout) == 0 ? 0 : 2;
}

} // namespace flowdeck::app
