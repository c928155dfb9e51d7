// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/adapters/DocumentText.h"

#include "engine/model/JsonParse.h"

#include <yaml-cpp/yaml.h>

#include <cerrno>
#include <cstdlib>
#include <regex>

namespace flowdeck::adapters {

using nlohmann::json;

namespace {

// Bounded like the JSON reader: a hostile document cannot recurse the converter off the stack.
constexpr int kMaxDepth = kMaxJsonDepth;

/// A plain (unquoted) scalar typed as YAML 1.2's core schema does.
json plainScalar(const std::string &s)
{
    static const std::regex integer(R"([-+]?[0-9]+)");
    static const std::regex real(R"([-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?)");
    if (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL")
        return nullptr;
    if (s == "true" || s == "True" || s == "TRUE")
        return true;
    if (s == "false" || s == "False" || s == "FALSE")
        return false;
    if (std::regex_match(s, integer)) {
        errno = 0;
        const long long v = std::strtoll(s.c_str(), nullptr, 10);
        if (errno == 0)
            return v;
    }
    if (std::regex_match(s, real)) {
        errno = 0;
        const double v = std::strtod(s.c_str(), nullptr);
        if (errno == 0)
            return v;
    }
    return s;
}

Result<json> convert(const YAML::Node &node, int depth)
{
    if (depth > kMaxDepth)
        return Error::invalid("the YAML document nests deeper than " + std::to_string(kMaxDepth) +
                              " levels");
    switch (node.Type()) {
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
        return json(nullptr);
    case YAML::NodeType::Scalar:
        // "!" is the tag of a quoted scalar: always a string.
        return node.Tag() == "!" ? json(node.Scalar()) : plainScalar(node.Scalar());
    case YAML::NodeType::Sequence: {
        json out = json::array();
        for (const auto &item : node) {
            auto v = convert(item, depth + 1);
            if (!v)
                return v;
            out.push_back(std::move(*v));
        }
        return out;
    }
    case YAML::NodeType::Map: {
        json out = json::object();
        for (const auto &entry : node) {
            if (!entry.first.IsScalar())
                return Error::invalid("a YAML mapping key at line " +
                                      std::to_string(entry.first.Mark().line + 1) +
                                      " is not a plain value");
            auto v = convert(entry.second, depth + 1);
            if (!v)
                return v;
            out[entry.first.Scalar()] = std::move(*v);
        }
        return out;
    }
    }
    return json(nullptr);
}

} // namespace

Result<json> parseDocumentText(std::string_view text)
{
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos)
        return Error::invalid("the document is empty");
    if (text[first] == '{' || text[first] == '[') {
        return parseJson(text);
    }
    try {
        const YAML::Node root = YAML::Load(std::string(text));
        return convert(root, 0);
    } catch (const YAML::Exception &e) {
        return Error::invalid("the document is neither JSON nor valid YAML: line " +
                              std::to_string(e.mark.line + 1) + ", column " +
                              std::to_string(e.mark.column + 1) + ": " + e.msg);
    }
}

} // namespace flowdeck::adapters
