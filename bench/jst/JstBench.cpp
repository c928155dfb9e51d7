// SPDX-License-Identifier: GPL-3.0-or-later
// bench_jst: transformations per second for a JST of about 50 nodes whose map calls a custom
// function over an array of N elements (1,000 by default), plus the same document without
// the array (the fixed cost of a run) for comparison. Prints one JSON object.
//
//   bench_jst [--elements N] [--seconds S]
#include "engine/jst/JstEvaluator.h"
#include "engine/jst/JstValidator.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

using namespace flowdeck;
using namespace flowdeck::jst;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

namespace {

struct Graph
{
    json steps = json::array();
    long long next = 0;

    long long node(const std::string &library, const std::string &method, json args,
                   const std::string &type = "method")
    {
        const long long id = ++next;
        steps.push_back({{"id", id},
                         {"type", type},
                         {"library", library},
                         {"method", method},
                         {"args", std::move(args)},
                         {"view", {{"row", 1}, {"col", 1}}},
                         {"context", "#"}});
        return id;
    }
    void wire(json from, json to)
    {
        steps.push_back({{"id", ++next}, {"type", "assign"}, {"from", from}, {"to", to}});
    }
};

json in(const std::string &name, const std::string &ptr = "")
{
    return {{"location", "incoming"}, {"name", name}, {"ptr", ptr}};
}
json out(const std::string &name, const std::string &ptr = "")
{
    return {{"location", "outgoing"}, {"name", name}, {"ptr", ptr}};
}
json ret(long long id, const std::string &location = "method")
{
    return {{"location", location}, {"name", id}, {"ptr", "/return"}};
}
json arg(long long id, int slot, const std::string &location = "method")
{
    return {
        {"location", location}, {"name", id}, {"ptr", "/args/" + std::to_string(slot) + "/value"}};
}

// The map callback (10 nodes): {name: upper(name), class: mtu > 1500 ? "jumbo" : "standard",
// label: "<name>/<mtu>@<site>"}, site being the callback's constantValue1.
json callback()
{
    Graph g;
    const auto name = g.node("Object", "getProperty", {nullptr, "name"});
    g.wire(in("currentValue"), arg(name, 0));
    const auto upper = g.node("String", "toUpperCase", {nullptr});
    g.wire(ret(name), arg(upper, 0));
    const auto mtuText = g.node("Object", "getProperty", {nullptr, "mtu"});
    g.wire(in("currentValue"), arg(mtuText, 0));
    const auto mtu = g.node("Number", "parseInt", {nullptr, 10});
    g.wire(ret(mtuText), arg(mtu, 0));
    const auto big = g.node("Relational", "greaterThan", {nullptr, 1500});
    g.wire(ret(mtu), arg(big, 0));
    const auto cls = g.node("Conditional", "ternary", {nullptr, "jumbo", "standard"});
    g.wire(ret(big), arg(cls, 0));
    const auto label = g.node("String", "templateLiteral", {nullptr, nullptr, nullptr}, "template");
    g.steps.back()["template"] = "${name}/${mtu}@${site}";
    g.wire(ret(upper), arg(label, 0, "template"));
    g.wire(ret(mtu), arg(label, 1, "template"));
    g.wire(in("constantValue1"), arg(label, 2, "template"));
    const auto obj = g.node("Object", "new Object", {"{}"}, "declaration");
    const auto s1 = g.node("Object", "setProperty", {nullptr, "name"});
    g.wire(ret(obj, "declaration"), arg(s1, 0));
    g.wire(ret(upper), arg(s1, 2));
    const auto s2 = g.node("Object", "setProperty", {nullptr, "class"});
    g.wire(ret(s1), arg(s2, 0));
    g.wire(ret(cls), arg(s2, 2));
    g.wire(ret(s2), out("newValue"));
    g.wire(ret(label, "template"), out("newValue", "/label"));
    return {{"id", "ƒ_map_1"},
            {"name", "describe"},
            {"incoming",
             {{{"$id", "currentValue"}, {"type", "object"}},
              {{"$id", "index"}, {"type", "number"}},
              {{"$id", "array"}, {"type", "array"}},
              {{"$id", "constantValue1"}, {"type", "string"}, {"isConstValue", true}}}},
            {"outgoing", {{{"$id", "newValue"}, {"type", "object"}}}},
            {"steps", g.steps},
            {"functions", json::array()}};
}

// Top level (40 nodes): the map, plus the string and object work around an adapter response
// that real documents do (a chain of getProperty / string methods / ternaries).
json document()
{
    Graph g;
    const auto body = g.node("Object", "optional chaining", {nullptr, "response", "body"});
    g.wire(in("adapter"), arg(body, 0));
    const auto list = g.node("Object", "getProperty", {nullptr, "interfaces"});
    g.wire(ret(body), arg(list, 0));
    const auto site = g.node("Object", "getProperty", {nullptr, "site"});
    g.wire(ret(body), arg(site, 0));
    const auto map = g.node("Array", "map", {nullptr, "ƒ_map_1", nullptr});
    g.wire(ret(list), arg(map, 0));
    g.wire(ret(site), arg(map, 2));
    g.wire(ret(map), out("result", "/interfaces"));
    const auto count = g.node("Array", "length", {nullptr});
    g.wire(ret(map), arg(count, 0));
    g.wire(ret(count), out("result", "/count"));
    // 34 nodes of per-document string work: device name normalisation repeated in stages.
    auto previous = g.node("Object", "getProperty", {nullptr, "device"});
    g.wire(ret(body), arg(previous, 0));
    for (int i = 0; i < 17; ++i) {
        const auto trim = g.node("String", "trim", {nullptr});
        g.wire(ret(previous), arg(trim, 0));
        const auto cat = g.node("String", "concat", {nullptr, i % 2 ? "" : " "});
        g.wire(ret(trim), arg(cat, 0));
        previous = cat;
    }
    const auto lower = g.node("String", "toLowerCase", {nullptr});
    g.wire(ret(previous), arg(lower, 0));
    g.wire(ret(lower), out("result", "/device"));
    return {{"_id", "65e1c0ffee00000000000b01"},
            {"name", "bench"},
            {"incoming", {{{"$id", "adapter"}, {"type", "object"}}}},
            {"outgoing", {{{"$id", "result"}, {"type", "object"}}}},
            {"steps", g.steps},
            {"functions", {callback()}},
            {"view", {{"row", 10}, {"col", 10}}},
            {"comments", json::array()},
            {"version", "4.3.6-2023.2.5"}};
}

json input(int elements)
{
    json interfaces = json::array();
    for (int i = 0; i < elements; ++i)
        interfaces.push_back({{"name", "ge-0/0/" + std::to_string(i)},
                              {"mtu", i % 3 ? "1500" : "9216"},
                              {"adminStatus", "up"},
                              {"description", "uplink to access switch " + std::to_string(i)}});
    return {{"adapter",
             {{"icode", "AD.200"},
              {"response",
               {{"status", 200},
                {"body",
                 {{"device", "  Core-RTR-01 "}, {"site", "NYC"}, {"interfaces", interfaces}}}}}}}};
}

int countNodes(const json &graph)
{
    int n = 0;
    for (const auto &step : graph["steps"])
        n += step["type"] != "assign";
    return n;
}

struct Figure
{
    long long runs = 0;
    double seconds = 0;
};

Figure measure(const JstEvaluator &evaluator, const json &incoming, double seconds)
{
    Figure f;
    const auto start = Clock::now();
    do {
        auto r = evaluator.run(incoming, {});
        if (!r.ok()) {
            std::fprintf(stderr, "bench_jst: %s\n", r.error().message.c_str());
            std::exit(1);
        }
        ++f.runs;
        f.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    } while (f.seconds < seconds);
    return f;
}

} // namespace

int main(int argc, char **argv)
{
    int elements = 1000;
    double seconds = 3;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!std::strcmp(argv[i], "--elements"))
            elements = std::atoi(argv[i + 1]);
        else if (!std::strcmp(argv[i], "--seconds"))
            seconds = std::atof(argv[i + 1]);
    }
    const json raw = document();
    if (!jst::validate(raw).empty()) {
        std::fprintf(stderr, "bench_jst: the generated document does not validate\n");
        return 1;
    }
    auto doc = JstDocument::parse(raw);
    if (!doc.ok())
        return 1;
    const int topNodes = countNodes(raw);
    const int fnNodes = countNodes(raw["functions"][0]);

    const json big = input(elements);
    const json empty = input(0);
    const JstEvaluator evaluator(*doc);
    measure(evaluator, big, 0.2); // warm up
    const Figure full = measure(evaluator, big, seconds);
    const Figure fixed = measure(evaluator, empty, seconds / 3);

    // What one element costs against the JSON work it cannot avoid: copying the input array.
    const auto copyStart = Clock::now();
    long long copies = 0;
    std::size_t sink = 0;
    double copySeconds = 0;
    do {
        const json copy = big;
        sink += copy.size();
        ++copies;
        copySeconds = std::chrono::duration<double>(Clock::now() - copyStart).count();
    } while (copySeconds < 0.5);

    const double perSecond = full.runs / full.seconds;
    const json report = {
        {"benchmark", "jst"},
        {"nodes", {{"document", topNodes}, {"callback", fnNodes}, {"total", topNodes + fnNodes}}},
        {"elements", elements},
        {"runs", full.runs},
        {"seconds", full.seconds},
        {"transformationsPerSecond", perSecond},
        {"msPerTransformation", 1000.0 / perSecond},
        {"callbacksPerSecond", perSecond * elements},
        {"nodeEvaluationsPerSecond",
         perSecond * (topNodes + static_cast<double>(fnNodes) * elements)},
        {"emptyArray",
         {{"transformationsPerSecond", fixed.runs / fixed.seconds},
          {"usPerTransformation", 1e6 * fixed.seconds / fixed.runs}}},
        {"inputCopiesPerSecond", static_cast<double>(copies) / copySeconds},
        {"copiedValues", sink},
    };
    std::printf("%s\n", report.dump(2).c_str());
    return 0;
}
