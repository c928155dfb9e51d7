// SPDX-License-Identifier: GPL-3.0-or-later
// The dataflow model: order, literals and wires, outgoing pointers, undefined versus null,
// custom functions and callbacks, Conditional.switch, the task options, and the decisions of
// docs/jst.md (each test named after the decision it pins down).
#include "engine/jst/JstEvaluator.h"

#include "tests/engine/jst/JstBuilders.h"
#include "tests/support/JsonAsserts.h"

#include <QTest>

using namespace flowdeck;
using namespace flowdeck::jst;
using namespace jstbuild;

namespace {

Result<json> runDoc(const json &doc, const json &incoming, const JstOptions &options = {})
{
    auto parsed = JstDocument::parse(doc);
    if (!parsed)
        return parsed.error();
    return run(*parsed, incoming, options);
}

json ok(const Result<json> &r)
{
    if (!r.ok())
        qWarning("run failed: %s", r.error().message.c_str());
    return r.ok() ? r.value() : json("<<failed>>");
}

// map callback: newValue = currentValue.name + suffix (constantValue1 / thisArg).
json suffixFunction(const std::string &id, const std::string &extraName)
{
    json tpl = node(1, "String", "templateLiteral", {nullptr, nullptr}, "template");
    tpl["template"] = "${name}${suffix}";
    return function(id,
                    {schema("currentValue", "object"), schema("index", "number"),
                     schema("array", "array"), schema(extraName)},
                    {schema("newValue")},
                    {assign(2, in("currentValue", "/name"), arg(1, 0, "template")), tpl,
                     assign(3, in(extraName), arg(1, 1, "template")),
                     assign(4, ret(1, "/return", "template"), out("newValue"))});
}

} // namespace

class TestJstEvaluator : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void referenceExample()
    {
        json tpl = node(1, "String", "templateLiteral", {nullptr}, "template");
        tpl["template"] = "Hello ${name}!";
        const json doc = document({schema("user", "object")}, {schema("msg")},
                                  {tpl, assign(2, in("user", "/first"), arg(1, 0, "template")),
                                   assign(3, ret(1, "/return", "template"), out("msg"))});
        QCOMPARE_JSON(ok(runDoc(doc, {{"user", {{"first", "Ana"}}}})),
                      json({{"msg", "Hello Ana!"}}));
    }

    void stepsRunInDependencyOrderNotArrayOrder()
    {
        // toUpperCase(trim(s)) with the consumer and its edges listed before the producer.
        const json doc =
            document({schema("s")}, {schema("out")},
                     {assign(10, ret(2), out("out")), assign(11, ret(1), arg(2, 0)),
                      node(2, "String", "toUpperCase", {nullptr}), assign(12, in("s"), arg(1, 0)),
                      node(1, "String", "trim", {nullptr})});
        QCOMPARE_JSON(ok(runDoc(doc, {{"s", "  ab "}})), json({{"out", "AB"}}));
    }

    void literalsFillUnwiredSlotsAndWiresOverrideThem()
    {
        const json doc =
            document({schema("s")}, {schema("a"), schema("b")},
                     {node(1, "String", "split", {"x,y", ","}),
                      node(2, "String", "split", {"x,y", ","}), assign(3, in("s"), arg(2, 0)),
                      assign(4, ret(1), out("a")), assign(5, ret(2), out("b"))});
        QCOMPARE_JSON(ok(runDoc(doc, {{"s", "p,q,r"}})),
                      json({{"a", {"x", "y"}}, {"b", {"p", "q", "r"}}}));
    }

    void wiresBeyondTheArgsArrayGrowIt()
    {
        // Array.push with one slot but a wire into slot 1 (seen in the corpus).
        const json doc = document({schema("v")}, {schema("out", "array")},
                                  {node(1, "Array", "push", {json::array()}),
                                   assign(2, in("v"), arg(1, 1)), assign(3, ret(1), out("out"))});
        QCOMPARE_JSON(ok(runDoc(doc, {{"v", 7}})), json({{"out", {7}}}));
    }

    void trailingUnsetSlotsAreOmittedArguments()
    {
        // new Array with three slots of which only the first is set: one element.
        const json doc =
            document(json::array(), {schema("out", "array")},
                     {node(1, "Array", "new Array", {"a", nullptr, nullptr}, "declaration"),
                      assign(2, ret(1, "/return", "declaration"), out("out"))});
        QCOMPARE_JSON(ok(runDoc(doc, json::object())), json({{"out", {"a"}}}));
    }

    void outgoingSubPointersBuildAnObject()
    {
        const json doc = document({schema("d", "object")}, {schema("o", "object")},
                                  {assign(1, in("d", "/name"), out("o", "/device/name")),
                                   assign(2, in("d", "/ip"), out("o", "/device/addr")),
                                   assign(3, in("d", "/tags/0"), out("o", "/first"))});
        QCOMPARE_JSON(
            ok(runDoc(doc, {{"d", {{"name", "r1"}, {"ip", "10.0.0.1"}, {"tags", {"x"}}}}})),
            json({{"o", {{"device", {{"name", "r1"}, {"addr", "10.0.0.1"}}}, {"first", "x"}}}}));
    }

    void writeOrderWholeValueBeforeSubPointers()
    {
        // Listed sub-pointer first, whole-value second: the whole value is written first and
        // the field lands inside it.
        const json doc =
            document({schema("base", "object"), schema("extra")}, {schema("o", "object")},
                     {assign(1, in("extra"), out("o", "/extra")), assign(2, in("base"), out("o"))});
        QCOMPARE_JSON(ok(runDoc(doc, {{"base", {{"a", 1}}}, {"extra", "e"}})),
                      json({{"o", {{"a", 1}, {"extra", "e"}}}}));
    }

    void writeIntoExistingArrayIndexesIt()
    {
        const json doc =
            document({schema("list", "array"), schema("v")}, {schema("o", "array")},
                     {assign(1, in("list"), out("o")), assign(2, in("v"), out("o", "/1")),
                      assign(3, in("v"), out("o", "/-"))});
        QCOMPARE_JSON(ok(runDoc(doc, {{"list", {1, 2}}, {"v", 9}})), json({{"o", {1, 9, 9}}}));
    }

    void undefinedOutputsAreOmittedNullIsKept()
    {
        const json doc = document(
            {schema("d", "object")}, {schema("missing"), schema("isNull"), schema("deep")},
            {assign(1, in("d", "/nope"), out("missing")), assign(2, in("d", "/n"), out("isNull")),
             assign(3, in("d", "/nope/x"), out("deep", "/a"))});
        QCOMPARE_JSON(ok(runDoc(doc, {{"d", {{"n", nullptr}}}})), json({{"isNull", nullptr}}));
    }

    void nodesRunWithUndefinedInputs()
    {
        // getProperty of an absent input is undefined; Logical.nullish still runs on it.
        const json doc = document({schema("d", "object")}, {schema("out")},
                                  {node(1, "Object", "optional chaining", {nullptr, "a", "b"}),
                                   node(2, "Logical", "nullish", {nullptr, "fallback"}),
                                   assign(3, in("d"), arg(1, 0)), assign(4, ret(1), arg(2, 0)),
                                   assign(5, ret(2), out("out"))});
        QCOMPARE_JSON(ok(runDoc(doc, json::object())), json({{"out", "fallback"}}));
        QCOMPARE_JSON(ok(runDoc(doc, {{"d", {{"a", {{"b", 0}}}}}})), json({{"out", 0}}));
    }

    void undefinedAndNullDifferForEquality()
    {
        const json doc = document(
            {schema("a"), schema("b")}, {schema("loose", "boolean"), schema("strict", "boolean")},
            {node(1, "Equality", "equality"), node(2, "Equality", "identity"),
             assign(3, in("a"), arg(1, 0)), assign(4, in("b"), arg(1, 1)),
             assign(5, in("a"), arg(2, 0)), assign(6, in("b"), arg(2, 1)),
             assign(7, ret(1), out("loose")), assign(8, ret(2), out("strict"))});
        QCOMPARE_JSON(ok(runDoc(doc, {{"a", nullptr}})),
                      json({{"loose", true}, {"strict", false}}));
        QCOMPARE_JSON(ok(runDoc(doc, {{"a", nullptr}, {"b", nullptr}})),
                      json({{"loose", true}, {"strict", true}}));
    }

    void immutabilityFanOutSeesTheOriginal()
    {
        // The same array feeds push and length: length sees the array before the push.
        const json doc =
            document({schema("list", "array")},
                     {schema("pushed", "array"), schema("n", "number"), schema("popped"),
                      schema("rest", "array")},
                     {node(1, "Array", "push", {nullptr, "z"}), node(2, "Array", "length"),
                      node(3, "Array", "pop"), assign(4, in("list"), arg(1, 0)),
                      assign(5, in("list"), arg(2, 0)), assign(6, in("list"), arg(3, 0)),
                      assign(7, ret(1), out("pushed")), assign(8, ret(2), out("n")),
                      assign(9, ret(3, "/return/value"), out("popped")),
                      assign(10, ret(3, "/return/array"), out("rest"))});
        QCOMPARE_JSON(
            ok(runDoc(doc, {{"list", {"x", "y"}}})),
            json({{"pushed", {"x", "y", "z"}}, {"n", 2}, {"popped", "y"}, {"rest", {"x"}}}));
    }

    void newObjectParsesItsTextLiteral()
    {
        const json doc = document({schema("v")}, {schema("o", "object")},
                                  {node(1, "Object", "new Object", {"{}"}, "declaration"),
                                   node(2, "Object", "setProperty", {nullptr, "k"}),
                                   assign(3, ret(1, "/return", "declaration"), arg(2, 0)),
                                   assign(4, in("v"), arg(2, 2)), assign(5, ret(2), out("o"))});
        QCOMPARE_JSON(ok(runDoc(doc, {{"v", 1}})), json({{"o", {{"k", 1}}}}));
    }

    void templateRepeatsAPlaceholderFromOneSlot()
    {
        json tpl = node(1, "String", "templateLiteral", {nullptr, nullptr}, "template");
        tpl["template"] = "${a}-${b}-${a} {\"json\": ${b}} $notAPlaceholder";
        const json doc = document({schema("a"), schema("b")}, {schema("s")},
                                  {tpl, assign(2, in("a"), arg(1, 0, "template")),
                                   assign(3, in("b"), arg(1, 1, "template")),
                                   assign(4, ret(1, "/return", "template"), out("s"))});
        QCOMPARE_JSON(ok(runDoc(doc, {{"a", "x"}, {"b", 2}})),
                      json({{"s", "x-2-x {\"json\": 2} $notAPlaceholder"}}));
        QCOMPARE_JSON(ok(runDoc(doc, {{"a", "x"}})),
                      json({{"s", "x-undefined-x {\"json\": undefined} $notAPlaceholder"}}));
    }

    void customFunctionCallReturnsItsOutgoingByName()
    {
        const json fn = function(
            "userFunc_1", {schema("first"), schema("last")}, {schema("full"), schema("initial")},
            {node(1, "String", "concat", {nullptr, " ", nullptr}),
             node(2, "String", "charAt", {nullptr, 0}), assign(3, in("first"), arg(1, 0)),
             assign(4, in("last"), arg(1, 2)), assign(5, in("first"), arg(2, 0)),
             assign(6, ret(1), out("full")), assign(7, ret(2), out("initial"))});
        json call = node(1, "", "", {nullptr, "Doe"}, "function");
        call["function"] = "userFunc_1";
        const json doc =
            document({schema("first")}, {schema("name"), schema("i"), schema("all", "object")},
                     {call, assign(2, in("first"), arg(1, 0, "function")),
                      assign(3, ret(1, "/return/full", "function"), out("name")),
                      assign(4, ret(1, "/return/initial", "function"), out("i")),
                      assign(5, ret(1, "/return", "function"), out("all"))},
                     {fn});
        QCOMPARE_JSON(ok(runDoc(doc, {{"first", "Jane"}})),
                      json({{"name", "Jane Doe"},
                            {"i", "J"},
                            {"all", {{"full", "Jane Doe"}, {"initial", "J"}}}}));
    }

    void mapCallbackWithThisArgAndConstantValue()
    {
        // 4.1.x callbacks name the extra parameter thisArg, 4.3.x constantValue1: both are
        // bound from args[2].
        for (const char *extra : {"thisArg", "constantValue1"}) {
            const json doc =
                document({schema("items", "array")}, {schema("names", "array")},
                         {node(1, "Array", "map", {nullptr, "ƒ_map_1", "!"}),
                          assign(2, in("items"), arg(1, 0)), assign(3, ret(1), out("names"))},
                         {suffixFunction("ƒ_map_1", extra)});
            QCOMPARE_JSON(ok(runDoc(doc, {{"items", {{{"name", "a"}}, {{"name", "b"}}}}})),
                          json({{"names", {"a!", "b!"}}}));
        }
    }

    // Public Itential JSTs wire a plain value into the callback method's thisArg slot and read
    // it inside the callback as /<k>_<label>: the incoming variable's name, or
    // "<method> <port>" of a node (docs/jst.md, "thisArg").
    void thisArgIsAnObjectKeyedByTheWiredSources()
    {
        // filter: keep the users of one organization, read through an undeclared thisArg.
        const json sameOrg =
            function("ƒ_filter_1", {schema("element", "object"), schema("index", "number")},
                     {schema("return", "boolean")},
                     {node(1, "Equality", "identity", {nullptr, nullptr}),
                      assign(2, in("element", "/org"), arg(1, 0)),
                      assign(3, in("thisArg", "/0_organizationName"), arg(1, 1)),
                      assign(4, ret(1), out("return"))});
        // reduce: count per key, the key read from a declared thisArg fed by a ternary's return.
        json thisArgSchema = schema("thisArg", "object");
        thisArgSchema["isContext"] = true;
        thisArgSchema["isIndexed"] = true;
        const json countBy =
            function("ƒ_reduce_1",
                     {schema("accumulator", "object"), schema("currentValue", "object"),
                      schema("index", "number"), schema("array", "array"), thisArgSchema},
                     {schema("accumulator", "object")},
                     {node(1, "Object", "getProperty", {nullptr, nullptr}),
                      node(2, "Object", "setProperty", {nullptr, nullptr, true}),
                      assign(3, in("currentValue"), arg(1, 0)),
                      assign(4, in("thisArg", "/0_ternary return"), arg(1, 1)),
                      assign(5, in("accumulator"), arg(2, 0)), assign(6, ret(1), arg(2, 1)),
                      assign(7, ret(2), out("accumulator"))});
        const json doc = document(
            {schema("users", "array"), schema("organizationName"), schema("byRole", "boolean")},
            {schema("members", "array"), schema("seen", "object")},
            {node(1, "Array", "filter", {nullptr, "ƒ_filter_1", nullptr}),
             assign(2, in("users"), arg(1, 0)), assign(3, in("organizationName"), arg(1, 2)),
             assign(4, ret(1), out("members")),
             node(5, "Conditional", "ternary", {nullptr, "role", "org"}),
             assign(6, in("byRole"), arg(5, 0)),
             node(7, "Array", "reduce", {nullptr, "ƒ_reduce_1", nullptr, nullptr}),
             node(11, "Object", "new Object", {"{}"}, "declaration"),
             assign(12, ret(11, "/return", "declaration"), arg(7, 2)),
             assign(8, in("users"), arg(7, 0)), assign(9, ret(5), arg(7, 3)),
             assign(10, ret(7), out("seen"))},
            {sameOrg, countBy});
        const json users = {{{"name", "ana"}, {"org", "noc"}, {"role", "lead"}},
                            {{"name", "bo"}, {"org", "field"}, {"role", "tech"}},
                            {{"name", "cy"}, {"org", "noc"}, {"role", "tech"}}};
        const json result =
            ok(runDoc(doc, {{"users", users}, {"organizationName", "noc"}, {"byRole", true}}));
        QCOMPARE_JSON(result["members"], json::array({users[0], users[2]}));
        QCOMPARE_JSON(result["seen"], json({{"lead", true}, {"tech", true}}));
        // A callback that reads thisArg whole sees the object.
        const json whole = function("ƒ_map_1", {schema("currentValue")}, {schema("newValue")},
                                    {assign(1, in("thisArg"), out("newValue"))});
        const json mapDoc =
            document({schema("xs", "array"), schema("tag")}, {schema("ys", "array")},
                     {node(1, "Array", "map", {nullptr, "ƒ_map_1"}), assign(2, in("xs"), arg(1, 0)),
                      assign(3, in("tag"), arg(1, 2)), assign(4, ret(1), out("ys"))},
                     {whole});
        QCOMPARE_JSON(ok(runDoc(mapDoc, {{"xs", {1}}, {"tag", "t"}})),
                      json({{"ys", {{{"0_tag", "t"}}}}}));
    }

    void mapPassesIndexAndArray()
    {
        const json fn = function(
            "f", {schema("currentValue"), schema("index"), schema("array")}, {schema("newValue")},
            {node(1, "Array", "length"), node(2, "Math", "add"), node(3, "Math", "add"),
             assign(4, in("array"), arg(1, 0)), assign(5, in("index"), arg(2, 0)),
             assign(6, ret(1), arg(2, 1)), assign(7, ret(2), arg(3, 0)),
             assign(8, in("currentValue"), arg(3, 1)), assign(9, ret(3), out("newValue"))});
        const json doc = document({schema("xs", "array")}, {schema("ys", "array")},
                                  {node(1, "Array", "map", {nullptr, "f"}),
                                   assign(2, in("xs"), arg(1, 0)), assign(3, ret(1), out("ys"))},
                                  {fn});
        // index + length + value
        QCOMPARE_JSON(ok(runDoc(doc, {{"xs", {10, 20}}})), json({{"ys", {12, 23}}}));
    }

    void filterAndFindUseTruthiness()
    {
        const json fn = function(
            "keep", {schema("element"), schema("index"), schema("array"), schema("constantValue1")},
            {schema("return", "boolean")},
            {node(1, "Object", "getProperty", {nullptr, nullptr}),
             assign(2, in("element"), arg(1, 0)), assign(3, in("constantValue1"), arg(1, 1)),
             assign(4, ret(1), out("return"))});
        const json doc = document({schema("xs", "array")},
                                  {schema("kept", "array"), schema("first"), schema("none")},
                                  {node(1, "Array", "filter", {nullptr, "keep", "up"}),
                                   node(2, "Array", "find", {nullptr, "keep", "up"}),
                                   node(3, "Array", "find", {nullptr, "keep", "missing"}),
                                   assign(4, in("xs"), arg(1, 0)), assign(5, in("xs"), arg(2, 0)),
                                   assign(6, in("xs"), arg(3, 0)), assign(7, ret(1), out("kept")),
                                   assign(8, ret(2), out("first")), assign(9, ret(3), out("none"))},
                                  {fn});
        const json xs = {
            {{"n", 1}, {"up", 0}}, {{"n", 2}, {"up", "yes"}}, {{"n", 3}, {"up", true}}};
        QCOMPARE_JSON(ok(runDoc(doc, {{"xs", xs}})),
                      json({{"kept", {xs[1], xs[2]}}, {"first", xs[1]}}));
    }

    void reduceWithInitialValueAndExtras()
    {
        // accumulator[element.key] = element.value * factor, starting from {}.
        const json fn = function(
            "ƒ_reduce_3",
            {schema("accumulator", "object"), schema("currentValue", "object"),
             schema("index", "number"), schema("array", "array"), schema("constantValue1")},
            {schema("accumulator", "object")},
            {node(1, "Object", "setProperty"), node(2, "Math", "multiply"),
             assign(3, in("accumulator"), arg(1, 0)),
             assign(4, in("currentValue", "/key"), arg(1, 1)),
             assign(5, in("currentValue", "/value"), arg(2, 0)),
             assign(6, in("constantValue1"), arg(2, 1)), assign(7, ret(2), arg(1, 2)),
             assign(8, ret(1), out("accumulator"))});
        const json doc = document({schema("pairs", "array")}, {schema("map", "object")},
                                  {node(1, "Array", "reduce", {nullptr, "ƒ_reduce_3", "{}", 10}),
                                   node(2, "Object", "new Object", {"{}"}, "declaration"),
                                   assign(3, in("pairs"), arg(1, 0)),
                                   assign(4, ret(2, "/return", "declaration"), arg(1, 2)),
                                   assign(5, ret(1), out("map"))},
                                  {fn});
        QCOMPARE_JSON(
            ok(runDoc(doc,
                      {{"pairs", {{{"key", "a"}, {"value", 1}}, {{"key", "b"}, {"value", 2}}}}})),
            json({{"map", {{"a", 10}, {"b", 20}}}}));
    }

    void reduceWithoutInitialValueAndReduceRight()
    {
        const json fn = function(
            "cat", {schema("accumulator"), schema("currentValue")}, {schema("accumulator")},
            {node(1, "Math", "add"), assign(2, in("accumulator"), arg(1, 0)),
             assign(3, in("currentValue"), arg(1, 1)), assign(4, ret(1), out("accumulator"))});
        const json doc = document({schema("xs", "array")}, {schema("l"), schema("r")},
                                  {node(1, "Array", "reduce", {nullptr, "cat"}),
                                   node(2, "Array", "reduceRight", {nullptr, "cat"}),
                                   assign(3, in("xs"), arg(1, 0)), assign(4, in("xs"), arg(2, 0)),
                                   assign(5, ret(1), out("l")), assign(6, ret(2), out("r"))},
                                  {fn});
        QCOMPARE_JSON(ok(runDoc(doc, {{"xs", {"a", "b", "c"}}})),
                      json({{"l", "abc"}, {"r", "cba"}}));
    }

    void flatMapAndSortWithCompareFunction()
    {
        const json pair =
            function("pair", {schema("currentValue")}, {schema("newValue", "array")},
                     {node(1, "Array", "new Array", {nullptr, nullptr}, "declaration"),
                      assign(2, in("currentValue"), arg(1, 0, "declaration")),
                      assign(3, in("currentValue"), arg(1, 1, "declaration")),
                      assign(4, ret(1, "/return", "declaration"), out("newValue"))});
        const json desc = function("desc", {schema("a"), schema("b")}, {schema("r", "number")},
                                   {node(1, "Math", "subtract"), assign(2, in("b"), arg(1, 0)),
                                    assign(3, in("a"), arg(1, 1)), assign(4, ret(1), out("r"))});
        const json doc =
            document({schema("xs", "array")}, {schema("flat"), schema("sorted")},
                     {node(1, "Array", "flatMap", {nullptr, "pair"}),
                      node(2, "Array", "sort", {nullptr, "desc"}), assign(3, in("xs"), arg(1, 0)),
                      assign(4, in("xs"), arg(2, 0)), assign(5, ret(1), out("flat")),
                      assign(6, ret(2), out("sorted"))},
                     {pair, desc});
        QCOMPARE_JSON(ok(runDoc(doc, {{"xs", {1, 10, 2}}})),
                      json({{"flat", {1, 1, 10, 10, 2, 2}}, {"sorted", {10, 2, 1}}}));
    }

    void callbackInsideAFunctionResolvesTopLevelFunctions()
    {
        // Functions nest one level: a node inside function "outer" calls the top-level "inner".
        const json inner =
            function("inner", {schema("currentValue")}, {schema("newValue")},
                     {node(1, "String", "toUpperCase"), assign(2, in("currentValue"), arg(1, 0)),
                      assign(3, ret(1), out("newValue"))});
        const json outer = function(
            "outer", {schema("currentValue", "array")}, {schema("newValue", "array")},
            {node(1, "Array", "map", {nullptr, "inner"}), assign(2, in("currentValue"), arg(1, 0)),
             assign(3, ret(1), out("newValue"))});
        const json doc = document({schema("xss", "array")}, {schema("out")},
                                  {node(1, "Array", "map", {nullptr, "outer"}),
                                   assign(2, in("xss"), arg(1, 0)), assign(3, ret(1), out("out"))},
                                  {inner, outer});
        QCOMPARE_JSON(ok(runDoc(doc, {{"xss", {{"a"}, {"b", "c"}}}})),
                      json({{"out", {{"A"}, {"B", "C"}}}}));
    }

    void errorsInsideCallbacksSayWhere()
    {
        const json fn = function("bad", {schema("currentValue")}, {schema("newValue")},
                                 {node(7, "String", "split", {nullptr, ","}),
                                  assign(2, in("currentValue"), arg(7, 0)),
                                  assign(3, ret(7), out("newValue"))});
        const json doc = document({schema("xs", "array")}, {schema("out")},
                                  {node(1, "Array", "map", {nullptr, "bad"}),
                                   assign(2, in("xs"), arg(1, 0)), assign(3, ret(1), out("out"))},
                                  {fn});
        const auto r = runDoc(doc, {{"xs", {"a", 5}}});
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, ErrorCode::Invalid);
        QCOMPARE(r.error().message,
                 std::string("node 1: function bad, node 7: String.split: the first argument is "
                             "number, not a string"));
        QCOMPARE_JSON(r.error().details,
                      json({{"instancePath", "/functions/0/steps/0"}, {"node", 7}}));
    }

    void recursionIsBounded()
    {
        const json fn = function("loop", {schema("currentValue", "array")}, {schema("newValue")},
                                 {node(1, "Array", "map", {nullptr, "loop"}),
                                  node(2, "Array", "new Array", {nullptr}, "declaration"),
                                  assign(3, in("currentValue"), arg(2, 0, "declaration")),
                                  assign(4, ret(2, "/return", "declaration"), arg(1, 0)),
                                  assign(5, ret(1), out("newValue"))});
        const json doc = document({schema("xs", "array")}, {schema("out")},
                                  {node(1, "Array", "map", {nullptr, "loop"}),
                                   assign(2, in("xs"), arg(1, 0)), assign(3, ret(1), out("out"))},
                                  {fn});
        const auto r = runDoc(doc, {{"xs", {1}}});
        QVERIFY(!r.ok());
        QVERIFY(r.error().message.find("more than 64 levels") != std::string::npos);
    }

    void unknownMethodFailsWithItsName()
    {
        const json doc =
            document(json::array(), {schema("o")},
                     {node(4, "Bitwise", "leftShift", {1, 2}), assign(5, ret(4), out("o"))});
        const auto r = runDoc(doc, json::object());
        QVERIFY(!r.ok());
        QCOMPARE(r.error().message,
                 std::string("step 0: method Bitwise.leftShift is not supported"));
        QCOMPARE_JSON(r.error().details, json({{"instancePath", "/steps/0"}}));
    }

    void cyclesFailBeforeRunning()
    {
        const json doc = document(json::array(), {schema("o")},
                                  {node(1, "Logical", "not"), node(2, "Logical", "not"),
                                   assign(3, ret(1), arg(2, 0)), assign(4, ret(2), arg(1, 0)),
                                   assign(5, ret(2), out("o"))});
        const auto r = runDoc(doc, json::object());
        QVERIFY(!r.ok());
        QCOMPARE(r.error().message, std::string("step 0: node 1 is on a cycle"));
    }

    void switchRunsOnlyTheMatchingCase()
    {
        // status → case 1 ("up") writes "green", case 2 ("down") writes "red"; both branches
        // write the same outgoing variable, which is fine because only one runs.
        json sw = node(1, "Conditional", "switch", {nullptr}, "context");
        sw["return"] = {"up", "down"};
        json green = node(2, "String", "new String", {"green"}, "declaration");
        green["context"] = "#/1[1]";
        json red = node(3, "String", "new String", {"red"}, "declaration");
        red["context"] = "#/1[2]";
        const json doc = document(
            {schema("status")}, {schema("colour"), schema("matched")},
            {sw, green, red, assign(4, in("status"), arg(1, 0, "context")),
             assign(5, ret(1, "/return/case_1", "context"), port("declaration", 2, "/context")),
             assign(6, ret(1, "/return/case_2", "context"), port("declaration", 3, "/context")),
             assign(7, ret(2, "/return", "declaration"), out("colour")),
             assign(8, ret(3, "/return", "declaration"), out("colour")),
             assign(9, ret(1, "/return/case_1", "context"), out("matched"))});
        QCOMPARE_JSON(ok(runDoc(doc, {{"status", "up"}})),
                      json({{"colour", "green"}, {"matched", "up"}}));
        QCOMPARE_JSON(ok(runDoc(doc, {{"status", "down"}})), json({{"colour", "red"}}));
        // No case matches: neither branch runs. Strict equality: 1 is not "up".
        QCOMPARE_JSON(ok(runDoc(doc, {{"status", "sideways"}})), json::object());
    }

    void switchUsesStrictEquality()
    {
        json sw = node(1, "Conditional", "switch", {nullptr}, "context");
        sw["return"] = {"200", 200};
        json a = node(2, "String", "new String", {"text"}, "declaration");
        a["context"] = "#/1[1]";
        json b = node(3, "String", "new String", {"number"}, "declaration");
        b["context"] = "#/1[2]";
        const json doc = document({schema("code")}, {schema("which")},
                                  {sw, a, b, assign(4, in("code"), arg(1, 0, "context")),
                                   assign(7, ret(2, "/return", "declaration"), out("which")),
                                   assign(8, ret(3, "/return", "declaration"), out("which"))});
        QCOMPARE_JSON(ok(runDoc(doc, {{"code", 200}})), json({{"which", "number"}}));
        QCOMPARE_JSON(ok(runDoc(doc, {{"code", "200"}})), json({{"which", "text"}}));
    }

    void extractOutputUnwrapsASingleOutgoing()
    {
        const json one = document({schema("a")}, {schema("b")}, {assign(1, in("a"), out("b"))});
        JstOptions o;
        o.extractOutput = true;
        QCOMPARE_JSON(ok(runDoc(one, {{"a", {1, 2}}}, o)), json({1, 2}));
        QCOMPARE_JSON(ok(runDoc(one, json::object(), o)), json(nullptr));
        const json two = document({schema("a")}, {schema("b"), schema("c")},
                                  {assign(1, in("a"), out("b")), assign(2, in("a"), out("c"))});
        QCOMPARE_JSON(ok(runDoc(two, {{"a", 1}}, o)), json({{"b", 1}, {"c", 1}}));
    }

    void validateIncomingListsEveryViolation()
    {
        json device = schema("device", "object");
        device["properties"] = {{"name", {{"type", "string"}}},
                                {"port", {{"type", "integer"}, {"maximum", 65535}}}};
        device["required"] = {"name"};
        json mode = schema("mode", "string");
        mode["enum"] = {"fast", "safe"};
        const json doc = document({device, mode}, {schema("o")}, {assign(1, in("mode"), out("o"))});
        JstOptions o;
        o.validateIncoming = true;
        QCOMPARE_JSON(ok(runDoc(doc, {{"device", {{"name", "r1"}}}, {"mode", "safe"}}, o)),
                      json({{"o", "safe"}}));
        const auto r = runDoc(doc, {{"device", {{"port", 70000}}}, {"mode", "slow"}}, o);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, ErrorCode::Invalid);
        QVERIFY(r.error().details.is_array());
        QCOMPARE(r.error().details.size(), std::size_t(3));
        std::vector<std::string> paths;
        for (const auto &issue : r.error().details)
            paths.push_back(issue["instancePath"].get<std::string>());
        std::sort(paths.begin(), paths.end());
        QCOMPARE(paths, (std::vector<std::string>{"/device", "/device/port", "/mode"}));
        QVERIFY(r.error().message.find("/mode") != std::string::npos);
        // Without the option the same values run.
        QVERIFY(runDoc(doc, {{"device", 5}}).ok());
    }

    void validateIncomingSkipsAbsentVariables()
    {
        const json doc =
            document({schema("a", "number")}, {schema("o")}, {assign(1, in("a"), out("o"))});
        JstOptions o;
        o.validateIncoming = true;
        QCOMPARE_JSON(ok(runDoc(doc, json::object(), o)), json::object());
    }

    void revertToDefaultValue()
    {
        json retries = schema("retries", "integer");
        retries["default"] = 3;
        json cfg = schema("cfg", "object");
        cfg["properties"] = {
            {"mode", {{"type", "string"}, {"default", "safe"}}},
            {"inner", {{"type", "object"}, {"properties", {{"x", {{"default", 1}}}}}}}};
        json status = schema("status");
        status["default"] = "unknown";
        const json doc =
            document({retries, cfg, schema("s")}, {schema("r"), schema("c", "object"), status},
                     {assign(1, in("retries"), out("r")), assign(2, in("cfg"), out("c")),
                      assign(3, in("s"), out("status"))});
        JstOptions o;
        o.revertToDefaultValue = true;
        QCOMPARE_JSON(ok(runDoc(doc, {{"cfg", {{"inner", json::object()}}}}, o)),
                      json({{"r", 3},
                            {"c", {{"mode", "safe"}, {"inner", {{"x", 1}}}}},
                            {"status", "unknown"}}));
        // Provided values win, null included; without the option nothing is filled.
        QCOMPARE_JSON(ok(runDoc(doc, {{"retries", nullptr}, {"s", "ok"}}, o)),
                      json({{"r", nullptr}, {"status", "ok"}}));
        QCOMPARE_JSON(ok(runDoc(doc, json::object())), json::object());
    }

    void optionsFromTaskJson()
    {
        const auto o = JstOptions::fromJson({{"extractOutput", true},
                                             {"validateIncoming", false},
                                             {"revertToDefaultValue", "yes"}});
        QVERIFY(o.extractOutput);
        QVERIFY(!o.validateIncoming);
        QVERIFY(!o.revertToDefaultValue);
        const auto blank = JstOptions::fromJson("");
        QVERIFY(!blank.extractOutput && !blank.validateIncoming && !blank.revertToDefaultValue);
    }

    void regexpFlowsBetweenNodes()
    {
        const json doc = document(
            {schema("s")}, {schema("parts", "array"), schema("hit")},
            {node(1, "RegExp", "new RegExp", {"(?<=[a-z])\\d", "g"}, "declaration"),
             node(2, "String", "split"), node(3, "RegExp", "test"), assign(4, in("s"), arg(2, 0)),
             assign(5, ret(1, "/return", "declaration"), arg(2, 1)),
             assign(6, ret(1, "/return", "declaration"), arg(3, 0)), assign(7, in("s"), arg(3, 1)),
             assign(8, ret(2), out("parts")), assign(9, ret(3), out("hit"))});
        QCOMPARE_JSON(ok(runDoc(doc, {{"s", "ab1cd2-3"}})),
                      json({{"parts", {"ab", "cd", "-3"}}, {"hit", true}}));
    }

    void dateFlowsBetweenNodesAndOutputsIso()
    {
        json mk = node(1, "Date", "new Date", {nullptr}, "declaration");
        mk["polymorphIndex"] = 2;
        const json doc =
            document({schema("when")}, {schema("d"), schema("year"), schema("day")},
                     {mk, node(2, "Date", "getFullYear"), node(3, "Date", "toDateString"),
                      assign(4, in("when"), arg(1, 0, "declaration")),
                      assign(5, ret(1, "/return", "declaration"), arg(2, 0)),
                      assign(6, ret(1, "/return", "declaration"), arg(3, 0)),
                      assign(7, ret(1, "/return", "declaration"), out("d")),
                      assign(8, ret(2), out("year")), assign(9, ret(3), out("day"))});
        QCOMPARE_JSON(
            ok(runDoc(doc, {{"when", "2023-07-04T05:06:07Z"}})),
            json({{"d", "2023-07-04T05:06:07.000Z"}, {"year", 2023}, {"day", "Tue Jul 04 2023"}}));
    }

    void evaluatorObjectRunsRepeatedly()
    {
        auto doc = JstDocument::parse(
            document({schema("a")}, {schema("b")},
                     {node(1, "String", "toUpperCase"), assign(2, in("a"), arg(1, 0)),
                      assign(3, ret(1), out("b"))}));
        QVERIFY(doc.ok());
        const JstEvaluator evaluator(*doc);
        const JstEvaluator copy = evaluator;
        QCOMPARE_JSON(ok(evaluator.run({{"a", "x"}}, {})), json({{"b", "X"}}));
        QCOMPARE_JSON(ok(copy.run({{"a", "y"}}, {})), json({{"b", "Y"}}));
        auto bad = JstDocument::parse(
            document(json::array(), json::array(), {node(1, "String", "toTitleCase")}));
        QVERIFY(bad.ok());
        const JstEvaluator failing(*bad);
        const auto r = failing.run(json::object(), {});
        QVERIFY(!r.ok());
        QVERIFY(r.error().message.find("String.toTitleCase") != std::string::npos);
    }

    void documentKeepsItsJsonVerbatim()
    {
        json doc = document({schema("a")}, {schema("b")}, {assign(1, in("a"), out("b"))});
        doc["createdBy"] = {{"username", "ana"}};
        auto parsed = JstDocument::parse(doc);
        QVERIFY(parsed.ok());
        QCOMPARE_JSON(parsed->json(), doc);
        QCOMPARE(parsed->id(), std::string("5f1e2d3c4b5a697887766554"));
        QCOMPARE(parsed->name(), std::string("test"));
        QCOMPARE(parsed->version(), std::string("4.3.6-2023.2.5"));
        QVERIFY(!JstDocument::parse(json::array()).ok());
        QVERIFY(!JstDocument::parse({{"steps", {{{"id", "x"}}}}}).ok());
    }
};

QTEST_APPLESS_MAIN(TestJstEvaluator)
#include "TestJstEvaluator.moc"
