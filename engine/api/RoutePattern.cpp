// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/api/RoutePattern.h"

namespace flowdeck::api {

std::vector<std::string> splitPath(const std::string &path)
{
    std::vector<std::string> out;
    std::string current;
    for (char c : path) {
        if (c == '/') {
            if (!current.empty())
                out.push_back(std::move(current));
            current.clear();
        } else {
            current += c;
        }
    }
    if (!current.empty())
        out.push_back(std::move(current));
    return out;
}

std::optional<std::string> percentDecode(const std::string &text)
{
    auto hex = [](char c) -> int {
        if (c >= '0' && c <= '9')
            return c - '0';
        if (c >= 'a' && c <= 'f')
            return c - 'a' + 10;
        if (c >= 'A' && c <= 'F')
            return c - 'A' + 10;
        return -1;
    };
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '%') {
            out += text[i];
            continue;
        }
        if (i + 2 >= text.size())
            return std::nullopt;
        const int hi = hex(text[i + 1]);
        const int lo = hex(text[i + 2]);
        if (hi < 0 || lo < 0)
            return std::nullopt;
        out += char(hi * 16 + lo);
        i += 2;
    }
    return out;
}

RoutePattern::RoutePattern(std::string pattern)
    : m_pattern(std::move(pattern)), m_segments(splitPath(m_pattern))
{}

std::optional<std::map<std::string, std::string>> RoutePattern::match(const std::string &path) const
{
    const auto parts = splitPath(path);
    if (parts.size() != m_segments.size())
        return std::nullopt;
    std::map<std::string, std::string> params;
    for (std::size_t i = 0; i < parts.size(); ++i) {
        const auto &seg = m_segments[i];
        if (!seg.empty() && seg[0] == ':') {
            auto decoded = percentDecode(parts[i]);
            if (!decoded)
                return std::nullopt;
            params[seg.substr(1)] = std::move(*decoded);
        } else if (seg != parts[i]) {
            return std::nullopt;
        }
    }
    return params;
}

std::vector<std::string> RoutePattern::parameterNames() const
{
    std::vector<std::string> out;
    for (const auto &seg : m_segments)
        if (!seg.empty() && seg[0] == ':')
            out.push_back(seg.substr(1));
    return out;
}

} // namespace flowdeck::api
