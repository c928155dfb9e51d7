// SPDX-License-Identifier: GPL-3.0-or-later
// What the store keeps, row by row. Documents stay JSON; the fields beside them are the
// columns that queries filter and sort on, kept in step by the store on every write.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace flowdeck::store {

using Millis = std::int64_t; ///< milliseconds since the Unix epoch

struct WorkflowRecord
{
    std::string id;
    std::string name;
    int version = 1;
    nlohmann::json document;
    Millis createdAt = 0;
    std::optional<std::string> createdBy;
    Millis updatedAt = 0;
    std::optional<std::string> updatedBy;
};

struct WorkflowVersion
{
    int version = 0;
    nlohmann::json document;
    Millis savedAt = 0;
    std::optional<std::string> savedBy;
};

struct WorkflowQuery
{
    std::optional<std::string> name;         ///< exact name
    std::optional<std::string> nameContains; ///< case-insensitive substring
    int skip = 0;
    int limit = 50;
};

struct JobRecord
{
    std::string id;
    std::string name; ///< the workflow's name, as Itential lists jobs
    std::optional<std::string> workflowId;
    std::string description;
    std::string status; ///< running | complete | error | canceled | paused | incomplete
    std::optional<std::string> parentJobId;
    std::optional<std::string> rootJobId;
    double progress = 0;
    Millis createdAt = 0;
    std::optional<std::string> createdBy;
    Millis updatedAt = 0;
    std::optional<std::string> updatedBy;
    nlohmann::json document = nlohmann::json::object();
};

enum class JobSort { UpdatedAt, CreatedAt, Name, Status };

struct JobQuery
{
    std::optional<std::string> status;
    std::optional<std::string> name;
    JobSort sort = JobSort::UpdatedAt;
    bool descending = true;
    int skip = 0;
    int limit = 50;
    bool withTotal = true; ///< count every match (paging metadata); off for infinite scroll
};

struct TaskIterationRecord
{
    std::string id; ///< UUID
    std::string jobId;
    std::string taskKey;
    std::string status;
    std::optional<std::string> type;
    std::optional<std::string> owner;
    std::optional<Millis> startedAt;
    std::optional<Millis> endedAt;
    Millis updatedAt = 0;
    nlohmann::json document = nlohmann::json::object();
};

struct JobEvent
{
    std::int64_t seq = 0; ///< global, increasing: the cursor for catching up
    std::string jobId;
    Millis at = 0;
    std::optional<std::string> actor;
    std::string kind;
    nlohmann::json data = nlohmann::json::object();
};

/// An account. Usernames are unique regardless of case; the password hash is absent for the
/// window's local account and for accounts that have not been given a password yet.
struct UserRecord
{
    std::string id;
    std::string username;
    std::string displayName;
    std::string email;
    std::optional<std::string> passwordHash; ///< argon2id string from engine/access
    bool disabled = false;
    std::string kind = "person"; ///< person | service (OAuth client credentials, later)
    std::vector<std::string> roles;
    std::vector<std::string> groups; ///< group ids, sorted
    Millis createdAt = 0;
    Millis updatedAt = 0;
};

struct GroupRecord
{
    std::string id;
    std::string name;
    std::string description;
    std::vector<std::string> members; ///< user ids, sorted
    Millis createdAt = 0;
    Millis updatedAt = 0;
};

/// A sign-in token as stored: only its hash, never the token itself.
struct TokenRecord
{
    std::string id;
    std::string tokenHash; ///< hex BLAKE2b of the token
    std::string userId;
    Millis createdAt = 0;
    Millis expiresAt = 0;
    std::optional<Millis> revokedAt;
    std::string kind = "session"; ///< session | client
};

template <typename T>
struct Page
{
    std::vector<T> items;
    std::int64_t total = -1; ///< -1 when not counted
};

} // namespace flowdeck::store
