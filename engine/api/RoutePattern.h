// SPDX-License-Identifier: GPL-3.0-or-later
// A route path such as "/operations-manager/jobs/:jobId/tasks/:taskId/finish": literal
// segments and named parameters, matched segment by segment (no regular expressions).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace flowdeck::api {

class RoutePattern
{
public:
    explicit RoutePattern(std::string pattern);

    /// The parameters when `path` matches (percent-decoded), nullopt otherwise.
    std::optional<std::map<std::string, std::string>> match(const std::string &path) const;

    const std::string &pattern() const { return m_pattern; }
    /// The parameter names in order, for generated documentation.
    std::vector<std::string> parameterNames() const;

private:
    std::string m_pattern;
    std::vector<std::string> m_segments;
};

/// Splits "/a/b/" into {"a", "b"}.
std::vector<std::string> splitPath(const std::string &path);

/// Decodes %XX escapes; nullopt for a malformed escape.
std::optional<std::string> percentDecode(const std::string &text);

} // namespace flowdeck::api
