// SPDX-License-Identifier: GPL-3.0-or-later
// Error and Result<T>: how every engine function that can fail reports it. Exceptions never
// cross a layer; nlohmann and SQLite failures are turned into an Error where they arise.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <utility>
#include <variant>

namespace flowdeck {

enum class ErrorCode {
    Invalid,      ///< the caller's input is wrong (400)
    NotFound,     ///< no such thing, or not visible to the caller (404)
    Conflict,     ///< the thing is in a state that does not allow this (409)
    Forbidden,    ///< visible, but the caller may not do this (403)
    Unauthorized, ///< the caller is not signed in (401)
    Unavailable,  ///< a resource is busy or gone: database locked, disk full (503)
    /// the caller must slow down (429); details.retryAfterMs says for how long
    TooManyRequests,
    Internal, ///< a broken invariant or an unexpected failure (500)
};

/// The stable, lowercase word for a code, as used in JSON error bodies and logs.
const char *errorCodeName(ErrorCode code);

struct Error
{
    ErrorCode code = ErrorCode::Internal;
    std::string message;
    nlohmann::json details; ///< e.g. the list of validation issues; null when there is nothing more

    static Error invalid(std::string m, nlohmann::json d = {})
    {
        return {ErrorCode::Invalid, std::move(m), std::move(d)};
    }
    static Error notFound(std::string m) { return {ErrorCode::NotFound, std::move(m), {}}; }
    static Error conflict(std::string m) { return {ErrorCode::Conflict, std::move(m), {}}; }
    static Error internal(std::string m) { return {ErrorCode::Internal, std::move(m), {}}; }
    static Error unavailable(std::string m) { return {ErrorCode::Unavailable, std::move(m), {}}; }
    static Error forbidden(std::string m) { return {ErrorCode::Forbidden, std::move(m), {}}; }
    static Error unauthorized(std::string m) { return {ErrorCode::Unauthorized, std::move(m), {}}; }
    static Error tooManyRequests(std::string m, long long retryAfterMs)
    {
        return {ErrorCode::TooManyRequests, std::move(m), {{"retryAfterMs", retryAfterMs}}};
    }
};

/// A value or an Error. GCC 12 has no std::expected; this is the small part of it we need.
template <typename T>
class [[nodiscard]] Result
{
public:
    Result(T value) : m_v(std::move(value)) {}
    Result(Error error) : m_v(std::move(error)) {}

    bool ok() const { return m_v.index() == 0; }
    explicit operator bool() const { return ok(); }

    T &value() & { return std::get<0>(m_v); }
    const T &value() const & { return std::get<0>(m_v); }
    T &&value() && { return std::get<0>(std::move(m_v)); }
    T *operator->() { return &value(); }
    const T *operator->() const { return &value(); }
    T &operator*() & { return value(); }
    const T &operator*() const & { return value(); }
    /// On a temporary, the value itself (moved out), so `for (auto &x : *f())` keeps it alive
    /// for the loop instead of iterating a destroyed Result.
    T operator*() && { return std::get<0>(std::move(m_v)); }

    const Error &error() const { return std::get<1>(m_v); }

private:
    std::variant<T, Error> m_v;
};

/// Result of an operation that yields nothing but can fail.
template <>
class [[nodiscard]] Result<void>
{
public:
    Result() = default;
    Result(Error error) : m_error(std::move(error)), m_failed(true) {}

    bool ok() const { return !m_failed; }
    explicit operator bool() const { return ok(); }
    const Error &error() const { return m_error; }

private:
    Error m_error;
    bool m_failed = false;
};

} // namespace flowdeck
