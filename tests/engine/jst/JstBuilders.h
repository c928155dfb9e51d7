// SPDX-License-Identifier: GPL-3.0-or-later
// Small builders for JST documents in tests, so a graph reads as its nodes and wires.
#pragma once

#include <nlohmann/json.hpp>

#include <string>

namespace jstbuild {

using nlohmann::json;

inline json schema(const std::string &id, const json &type = "string")
{
    return {{"$id", id}, {"type", type}};
}

inline json node(long long id, const std::string &library, const std::string &method,
                 json args = json::array(), const std::string &type = "method")
{
    return {{"id", id},         {"type", type}, {"library", library},
            {"method", method}, {"args", args}, {"view", {{"row", 1}, {"col", 1}}},
            {"context", "#"}};
}

inline json port(const std::string &location, json name, const std::string &ptr)
{
    return {{"location", location}, {"name", std::move(name)}, {"ptr", ptr}};
}

inline json in(const std::string &name, const std::string &ptr = "")
{
    return port("incoming", name, ptr);
}

inline json out(const std::string &name, const std::string &ptr = "")
{
    return port("outgoing", name, ptr);
}

inline json ret(long long id, const std::string &ptr = "/return",
                const std::string &location = "method")
{
    return port(location, id, ptr);
}

inline json arg(long long id, int slot, const std::string &location = "method")
{
    return port(location, id, "/args/" + std::to_string(slot) + "/value");
}

inline json assign(long long id, json from, json to)
{
    return {{"id", id},
            {"type", "assign"},
            {"from", std::move(from)},
            {"to", std::move(to)},
            {"context", "#"}};
}

inline json graph(json incoming, json outgoing, json steps)
{
    return {{"incoming", std::move(incoming)},  {"outgoing", std::move(outgoing)},
            {"steps", std::move(steps)},        {"functions", json::array()},
            {"view", {{"row", 5}, {"col", 5}}}, {"comments", json::array()}};
}

inline json document(json incoming, json outgoing, json steps, json functions = json::array())
{
    json d = graph(std::move(incoming), std::move(outgoing), std::move(steps));
    d["_id"] = "5f1e2d3c4b5a697887766554";
    d["name"] = "test";
    d["version"] = "4.3.6-2023.2.5";
    d["tags"] = json::array();
    d["functions"] = std::move(functions);
    return d;
}

inline json function(const std::string &id, json incoming, json outgoing, json steps)
{
    json f = graph(std::move(incoming), std::move(outgoing), std::move(steps));
    f["id"] = id;
    f["name"] = id;
    return f;
}

} // namespace jstbuild
