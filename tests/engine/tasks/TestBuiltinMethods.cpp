// SPDX-License-Identifier: GPL-3.0-or-later
// stub, newVariable, query, merge, deepmerge, makeData, push, setObjectKey, modify, parse and
// the method table.
#include "engine/tasks/BuiltinMethod.h"

#include "tests/engine/tasks/MethodHarness.h"
#include "tests/support/JsonAsserts.h"

#include <QTest>

#include <algorithm>

using namespace flowdeck::tasks;
using nlohmann::json;

namespace {

json op(const char *task, json variable)
{
    return {{"task", task}, {"variable", std::move(variable)}};
}

json item(const char *key, json operand)
{
    return {{"key", key}, {"value", std::move(operand)}};
}

} // namespace

class TestBuiltinMethods : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void table()
    {
        const auto names = builtinMethodNames();
        QVERIFY(std::is_sorted(names.begin(), names.end()));
        for (const char *name : {"stub",
                                 "newVariable",
                                 "query",
                                 "merge",
                                 "deepmerge",
                                 "evaluation",
                                 "makeData",
                                 "push",
                                 "setObjectKey",
                                 "arrayPush",
                                 "arrayLength",
                                 "stringLength",
                                 "arrayIncludes",
                                 "arrayIndexOf",
                                 "join",
                                 "split",
                                 "substring",
                                 "stringConcat",
                                 "numberToString",
                                 "parse",
                                 "isArray",
                                 "getTime",
                                 "calculateTimeDiff",
                                 "modify"}) {
            QVERIFY2(std::find(names.begin(), names.end(), name) != names.end(), name);
            QVERIFY2(findBuiltinMethod(name) != nullptr, name);
        }
        // Dispatch is on "name": canvas labels and runtime task kinds are not methods here.
        QVERIFY(findBuiltinMethod("length") == nullptr);
        QVERIFY(findBuiltinMethod("childJob") == nullptr);
        QVERIFY(findBuiltinMethod("delay") == nullptr);
        QVERIFY(findBuiltinMethod("Query") == nullptr);
    }

    // ---- stub ---------------------------------------------------------------------------------

    void stubSuccess()
    {
        const auto r = MethodHarness().run(
            "stub", {{"type", "success"}, {"delay", 30}, {"response", "placeholder"}});
        VERIFY_FINISH(r, "success");
        QCOMPARE_JSON(r.outgoing, (json{{"response", "placeholder"}}));
        QVERIFY(r.errorMessage.empty());
    }

    void stubError()
    {
        const auto r = MethodHarness().run(
            "stub", {{"type", "error"}, {"delay", ""}, {"response", "ticket system down"}});
        VERIFY_FINISH(r, "error");
        QCOMPARE(r.errorMessage, std::string("ticket system down"));
        QCOMPARE_JSON(r.outgoing, (json{{"response", "ticket system down"}}));

        const auto obj =
            MethodHarness().run("stub", {{"type", "error"}, {"response", {{"code", 500}}}});
        QCOMPARE(obj.errorMessage, std::string("{\"code\":500}"));
        const auto empty = MethodHarness().run("stub", {{"type", "error"}, {"response", ""}});
        VERIFY_ERROR(empty, "stub: finished with error");
    }

    void stubBadType()
    {
        VERIFY_ERROR(MethodHarness().run("stub", {{"type", "failure"}, {"response", "x"}}),
                     "stub: \"type\" must be \"success\" or \"error\", got \"failure\"");
        VERIFY_ERROR(MethodHarness().run("stub", {{"response", "x"}}), "got undefined");
    }

    // ---- newVariable --------------------------------------------------------------------------

    void newVariable_data()
    {
        QTest::addColumn<QByteArray>("value");
        QTest::newRow("string") << QByteArray(R"("success")");
        QTest::newRow("empty array") << QByteArray("[]");
        QTest::newRow("object") << QByteArray(R"({"a":[1,2]})");
        QTest::newRow("false") << QByteArray("false");
        QTest::newRow("zero") << QByteArray("0");
        QTest::newRow("null") << QByteArray("null");
    }

    void newVariable()
    {
        QFETCH(QByteArray, value);
        const json v = *tableValue(value);
        const auto r = MethodHarness().run("newVariable", {{"name", "taskStatus"}, {"value", v}});
        VERIFY_FINISH(r, "success");
        QCOMPARE_JSON(r.outgoing, (json{{"value", v}}));
        QCOMPARE_JSON(r.jobVariableWrites, (json{{"taskStatus", v}}));
    }

    void newVariableUndefinedValueIsNull()
    {
        const auto r = MethodHarness().run("newVariable", {{"name", "x"}});
        VERIFY_FINISH(r, "success");
        QCOMPARE_JSON(r.jobVariableWrites, (json{{"x", nullptr}}));
    }

    void newVariableBadName()
    {
        VERIFY_ERROR(MethodHarness().run("newVariable", {{"value", 1}}),
                     "newVariable: \"name\" must be a non-empty string, got undefined");
        VERIFY_ERROR(MethodHarness().run("newVariable", {{"name", 5}, {"value", 1}}), "got number");
        VERIFY_ERROR(MethodHarness().run("newVariable", {{"name", ""}, {"value", 1}}),
                     "newVariable: \"name\" must not be empty");
    }

    // ---- query --------------------------------------------------------------------------------

    void query_data()
    {
        QTest::addColumn<QByteArray>("obj");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QByteArray>("passOnNull");
        QTest::addColumn<QString>("finish");
        QTest::addColumn<QByteArray>("returnData"); // "undefined" = absent
        const QByteArray data = R"({"a":{"s":"x","zero":0,"f":false,"e":"","arr":[],"n":null}})";
        QTest::newRow("found") << data << QStringLiteral("a.s") << QByteArray("false")
                               << QStringLiteral("success") << QByteArray(R"("x")");
        QTest::newRow("0 is found") << data << QStringLiteral("a.zero") << QByteArray("false")
                                    << QStringLiteral("success") << QByteArray("0");
        QTest::newRow("false is found") << data << QStringLiteral("a.f") << QByteArray("false")
                                        << QStringLiteral("success") << QByteArray("false");
        QTest::newRow("empty string is found")
            << data << QStringLiteral("a.e") << QByteArray("false") << QStringLiteral("success")
            << QByteArray(R"("")");
        QTest::newRow("empty array is found")
            << data << QStringLiteral("a.arr") << QByteArray("false") << QStringLiteral("success")
            << QByteArray("[]");
        QTest::newRow("0 with pass_on_null")
            << data << QStringLiteral("a.zero") << QByteArray("true") << QStringLiteral("success")
            << QByteArray("0");
        QTest::newRow("null fails") << data << QStringLiteral("a.n") << QByteArray("false")
                                    << QStringLiteral("failure") << QByteArray("undefined");
        QTest::newRow("undefined fails")
            << data << QStringLiteral("a.missing") << QByteArray("false")
            << QStringLiteral("failure") << QByteArray("undefined");
        QTest::newRow("null passes on") << data << QStringLiteral("a.n") << QByteArray("true")
                                        << QStringLiteral("success") << QByteArray("null");
        QTest::newRow("undefined passes on")
            << data << QStringLiteral("a.missing") << QByteArray("true")
            << QStringLiteral("success") << QByteArray("undefined");
        QTest::newRow("pass_on_null as text")
            << data << QStringLiteral("a.missing") << QByteArray(R"("true")")
            << QStringLiteral("success") << QByteArray("undefined");
        QTest::newRow("pass_on_null absent")
            << data << QStringLiteral("a.missing") << QByteArray("undefined")
            << QStringLiteral("failure") << QByteArray("undefined");
        QTest::newRow("empty query is obj") << QByteArray("[1]") << QString() << QByteArray("false")
                                            << QStringLiteral("success") << QByteArray("[1]");
        QTest::newRow("undefined obj")
            << QByteArray("undefined") << QStringLiteral("a") << QByteArray("false")
            << QStringLiteral("failure") << QByteArray("undefined");
        QTest::newRow("filter")
            << QByteArray(R"({"items":[{"state":"down","name":"a"},{"state":"up","name":"b"}]})")
            << QStringLiteral("items[*state=up].name") << QByteArray("false")
            << QStringLiteral("success") << QByteArray(R"(["b"])");
    }

    void query()
    {
        QFETCH(QByteArray, obj);
        QFETCH(QString, path);
        QFETCH(QByteArray, passOnNull);
        QFETCH(QString, finish);
        QFETCH(QByteArray, returnData);
        json incoming = {{"query", path.toStdString()}};
        setIncoming(incoming, "obj", obj);
        setIncoming(incoming, "pass_on_null", passOnNull);
        const auto r = MethodHarness().run("query", incoming);
        QCOMPARE(QString::fromStdString(r.finishState), finish);
        const auto expected = tableValue(returnData);
        QCOMPARE(r.outgoing.contains("return_data"), expected.has_value());
        if (expected)
            QCOMPARE_JSON(r.outgoing["return_data"], *expected);
    }

    void queryErrors()
    {
        const json obj = {{"a", 1}};
        VERIFY_ERROR(
            MethodHarness().run("query", {{"pass_on_null", false}, {"query", "a[0"}, {"obj", obj}}),
            "query: json-query: unclosed '[' at position 1");
        VERIFY_ERROR(
            MethodHarness().run("query", {{"pass_on_null", false}, {"query", 5}, {"obj", obj}}),
            "query: \"query\" must be a string, got number");
        VERIFY_ERROR(
            MethodHarness().run("query", {{"pass_on_null", "yes"}, {"query", "a"}, {"obj", obj}}),
            "query: \"pass_on_null\" must be a boolean, got string");
    }

    // ---- merge / deepmerge ----------------------------------------------------------------------

    void mergeObject()
    {
        MethodHarness h;
        h.jobVariables = {{"deviceName", "r1"}};
        h.taskOutputs = {{"2e9d", {{"renderedTemplate", "cfg"}}}};
        const auto r = h.run(
            "merge",
            {{"data_to_merge",
              {item("hostname", op("job", "deviceName")), item("vlan", op("static", 120)),
               item("config", op("2e9d", "renderedTemplate")),
               item("opts",
                    {{"task", "static"}, {"variable", {{"dry", false}}}, {"editable", true}})}}});
        VERIFY_FINISH(r, "success");
        QCOMPARE_JSON(
            r.outgoing["merged_object"],
            (json{
                {"hostname", "r1"}, {"vlan", 120}, {"config", "cfg"}, {"opts", {{"dry", false}}}}));
    }

    void mergeSingleItemIsObject()
    {
        const auto r =
            MethodHarness().run("merge", {{"data_to_merge", {item("a", op("static", 1))}}});
        QCOMPARE_JSON(r.outgoing["merged_object"], (json{{"a", 1}}));
    }

    void mergeWithoutKeysIsArray()
    {
        const auto r =
            MethodHarness().run("merge", {{"data_to_merge",
                                           {{{"key", ""}, {"value", op("static", 1)}},
                                            {{"value", op("static", json::array({2}))}},
                                            {{"key", nullptr}, {"value", op("static", "x")}}}}});
        VERIFY_FINISH(r, "success");
        QCOMPARE_JSON(r.outgoing["merged_object"], json::parse(R"([1,[2],"x"])"));
        const auto empty = MethodHarness().run("merge", {{"data_to_merge", json::array()}});
        QCOMPARE_JSON(empty.outgoing["merged_object"], json::array());
    }

    void mergeUndefinedReferenceIsNull()
    {
        const auto r = MethodHarness().run(
            "merge",
            {{"data_to_merge", {item("a", op("job", "missing")), item("b", op("9z", "out"))}}});
        VERIFY_FINISH(r, "success");
        QCOMPARE_JSON(r.outgoing["merged_object"], (json{{"a", nullptr}, {"b", nullptr}}));
    }

    void mergeErrors()
    {
        VERIFY_ERROR(MethodHarness().run(
                         "merge", {{"data_to_merge",
                                    {item("a", op("static", 1)), {{"value", op("static", 2)}}}}}),
                     "mixes items with and without a key");
        VERIFY_ERROR(MethodHarness().run(
                         "merge", {{"data_to_merge",
                                    {item("a", op("static", 1)), item("a", op("static", 2))}}}),
                     "has the key \"a\" more than once");
        VERIFY_ERROR(MethodHarness().run("merge", {{"data_to_merge", "x"}}),
                     "merge: \"data_to_merge\" must be an array, got string");
        VERIFY_ERROR(MethodHarness().run("merge", {{"data_to_merge", {{{"key", "a"}}}}}),
                     "\"data_to_merge[0]\" must be an object with a \"value\" operand");
        VERIFY_ERROR(MethodHarness().run("merge", {{"data_to_merge", {item("a", "$var.job.x")}}}),
                     "\"data_to_merge[0].value\" must be an operand");
        VERIFY_ERROR(MethodHarness().run(
                         "merge", {{"data_to_merge", {{{"key", 3}, {"value", op("static", 1)}}}}}),
                     "\"data_to_merge[0].key\" must be a string, got number");
    }

    void deepmerge()
    {
        const auto r = MethodHarness().run(
            "deepmerge",
            {{"data_to_merge",
              {item("", op("static", json::parse(R"({"a":{"x":1,"y":[1,2]},"b":1})"))),
               item("", op("job", "missing")),
               item("", op("static", json::parse(R"({"a":{"y":[3],"z":2},"b":{"c":1}})")))}}});
        VERIFY_FINISH(r, "success");
        QCOMPARE_JSON(r.outgoing["merged_object"],
                      json::parse(R"({"a":{"x":1,"y":[3],"z":2},"b":{"c":1}})"));
        VERIFY_ERROR(
            MethodHarness().run("deepmerge", {{"data_to_merge", {item("", op("static", 1))}}}),
            "deepmerge: \"data_to_merge[0].value\" must be an object, got number");
    }

    // ---- makeData -----------------------------------------------------------------------------

    void makeData_data()
    {
        QTest::addColumn<QString>("input");
        QTest::addColumn<QByteArray>("outputType");
        QTest::addColumn<QByteArray>("variables");
        QTest::addColumn<QByteArray>("expected"); // output, or the error fragment when error
        QTest::addColumn<bool>("error");
        const QByteArray vars =
            R"({"host":"r1","vlan":80,"mtu":80.0,"ratio":0.5,"on":true,"nil":null,)"
            R"("obj":{"a":[1,"b"]}})";
        QTest::newRow("string") << QStringLiteral("host <!host!> vlan <!vlan!>")
                                << QByteArray(R"("string")") << vars
                                << QByteArray(R"("host r1 vlan 80")") << false;
        QTest::newRow("number printed as JavaScript")
            << QStringLiteral("<!mtu!>/<!ratio!>") << QByteArray(R"("string")") << vars
            << QByteArray(R"("80/0.5")") << false;
        QTest::newRow("bool and null")
            << QStringLiteral("<!on!>,<!nil!>") << QByteArray(R"("string")") << vars
            << QByteArray(R"("true,null")") << false;
        QTest::newRow("object stringified")
            << QStringLiteral("x=<!obj!>") << QByteArray(R"("string")") << vars
            << QByteArray("\"x={\\\"a\\\":[1,\\\"b\\\"]}\"") << false;
        QTest::newRow("unknown placeholder kept")
            << QStringLiteral("<!nope!>-<!host!>") << QByteArray(R"("string")") << vars
            << QByteArray(R"("<!nope!>-r1")") << false;
        QTest::newRow("no variables")
            << QStringLiteral("<!host!>") << QByteArray(R"("string")") << QByteArray(R"("")")
            << QByteArray(R"("<!host!>")") << false;
        QTest::newRow("outputType empty is string")
            << QStringLiteral("42") << QByteArray(R"("")") << QByteArray(R"("")")
            << QByteArray(R"("42")") << false;
        QTest::newRow("unterminated placeholder")
            << QStringLiteral("a <!host") << QByteArray(R"("string")") << vars
            << QByteArray(R"("a <!host")") << false;
        QTest::newRow("number") << QStringLiteral("<!vlan!>") << QByteArray(R"("number")") << vars
                                << QByteArray("80") << false;
        QTest::newRow("decimal number") << QStringLiteral(" 4.5 ") << QByteArray(R"("number")")
                                        << QByteArray("undefined") << QByteArray("4.5") << false;
        QTest::newRow("boolean") << QStringLiteral("TRUE") << QByteArray(R"("boolean")")
                                 << QByteArray("null") << QByteArray("true") << false;
        QTest::newRow("boolean false")
            << QStringLiteral("<!on!>") << QByteArray(R"("boolean")")
            << QByteArray(R"({"on":false})") << QByteArray("false") << false;
        QTest::newRow("json") << QStringLiteral(
                                     "{\"name\": \"<!host!>\", \"vlan\": <!vlan!>, \"o\": <!obj!>}")
                              << QByteArray(R"("json")") << vars
                              << QByteArray(R"({"name":"r1","vlan":80,"o":{"a":[1,"b"]}})")
                              << false;
        QTest::newRow("not a number")
            << QStringLiteral("abc") << QByteArray(R"("number")") << QByteArray(R"("")")
            << QByteArray("makeData: \"abc\" is not a number") << true;
        QTest::newRow("empty number")
            << QStringLiteral("") << QByteArray(R"("number")") << QByteArray(R"("")")
            << QByteArray("is not a number") << true;
        QTest::newRow("not a boolean")
            << QStringLiteral("yes") << QByteArray(R"("boolean")") << QByteArray(R"("")")
            << QByteArray("is not a boolean") << true;
        QTest::newRow("not json") << QStringLiteral("{a:1}") << QByteArray(R"("json")")
                                  << QByteArray(R"("")") << QByteArray("not valid JSON") << true;
        QTest::newRow("unknown type")
            << QStringLiteral("x") << QByteArray(R"("xml")") << QByteArray(R"("")")
            << QByteArray(
                   "\"outputType\" must be one of string, number, boolean, json, got \"xml\"")
            << true;
        QTest::newRow("variables array")
            << QStringLiteral("x") << QByteArray(R"("string")") << QByteArray("[1]")
            << QByteArray("\"variables\" must be an object, got array") << true;
    }

    void makeData()
    {
        QFETCH(QString, input);
        QFETCH(QByteArray, outputType);
        QFETCH(QByteArray, variables);
        QFETCH(QByteArray, expected);
        QFETCH(bool, error);
        json incoming = {{"input", input.toStdString()}};
        setIncoming(incoming, "outputType", outputType);
        setIncoming(incoming, "variables", variables);
        const auto r = MethodHarness().run("makeData", incoming);
        if (error) {
            VERIFY_ERROR(r, expected.toStdString());
            return;
        }
        VERIFY_FINISH(r, "success");
        QCOMPARE_JSON(r.outgoing["output"], *tableValue(expected));
        // 80 stays an integer, not 80.0.
        if (expected == "80")
            QVERIFY(r.outgoing["output"].is_number_integer());
    }

    void makeDataInputMustBeString()
    {
        VERIFY_ERROR(MethodHarness().run("makeData", {{"input", 5}, {"outputType", "string"}}),
                     "makeData: \"input\" must be a string, got number");
    }

    // ---- push ---------------------------------------------------------------------------------

    void pushAppends()
    {
        MethodHarness h;
        h.jobVariables = {{"messages", {"a"}}};
        const auto r = h.run("push", {{"job_variable", "messages"}, {"item_to_push", {{"b", 1}}}});
        VERIFY_FINISH(r, "success");
        const json expected = json::parse(R"(["a",{"b":1}])");
        QCOMPARE_JSON(r.outgoing["job_variable_value"], expected);
        QCOMPARE_JSON(r.jobVariableWrites, (json{{"messages", expected}}));
    }

    void pushStartsArray()
    {
        const auto r =
            MethodHarness().run("push", {{"job_variable", "fresh"}, {"item_to_push", 1}});
        VERIFY_FINISH(r, "success");
        QCOMPARE_JSON(r.jobVariableWrites, (json{{"fresh", {1}}}));
        const auto undefinedItem = MethodHarness().run("push", {{"job_variable", "fresh"}});
        QCOMPARE_JSON(undefinedItem.outgoing["job_variable_value"], json::parse("[null]"));
    }

    void pushErrors()
    {
        MethodHarness h;
        h.jobVariables = {{"count", 3}};
        VERIFY_ERROR(h.run("push", {{"job_variable", "count"}, {"item_to_push", 1}}),
                     "push: job variable \"count\" holds number, not an array");
        VERIFY_ERROR(h.run("push", {{"job_variable", ""}, {"item_to_push", 1}}),
                     "push: \"job_variable\" must be the name of a job variable");
        VERIFY_ERROR(h.run("push", {{"item_to_push", 1}}), "got undefined");
    }

    // ---- setObjectKey -------------------------------------------------------------------------

    void setObjectKey_data()
    {
        QTest::addColumn<QByteArray>("obj");
        QTest::addColumn<QByteArray>("path");
        QTest::addColumn<QByteArray>("expected");
        QTest::newRow("top key") << QByteArray(R"({"a":1})") << QByteArray(R"(["serials"])")
                                 << QByteArray(R"({"a":1,"serials":"V"})");
        QTest::newRow("overwrite")
            << QByteArray(R"({"a":1})") << QByteArray(R"(["a"])") << QByteArray(R"({"a":"V"})");
        QTest::newRow("creates objects") << QByteArray("{}") << QByteArray(R"(["meta","owner"])")
                                         << QByteArray(R"({"meta":{"owner":"V"}})");
        QTest::newRow("creates array for index") << QByteArray("{}") << QByteArray(R"(["list",1])")
                                                 << QByteArray(R"({"list":[null,"V"]})");
        QTest::newRow("array index") << QByteArray(R"({"l":[1,2]})") << QByteArray(R"(["l",0])")
                                     << QByteArray(R"({"l":["V",2]})");
        QTest::newRow("array index as text")
            << QByteArray(R"({"l":[1,2]})") << QByteArray(R"(["l","1"])")
            << QByteArray(R"({"l":[1,"V"]})");
        QTest::newRow("string path is one key")
            << QByteArray("{}") << QByteArray(R"("a.b")") << QByteArray(R"({"a.b":"V"})");
    }

    void setObjectKey()
    {
        QFETCH(QByteArray, obj);
        QFETCH(QByteArray, path);
        QFETCH(QByteArray, expected);
        const auto r = MethodHarness().run(
            "setObjectKey",
            {{"obj", *tableValue(obj)}, {"path", *tableValue(path)}, {"value", "V"}});
        VERIFY_FINISH(r, "success");
        QCOMPARE_JSON(r.outgoing["object"], *tableValue(expected));
    }

    void setObjectKeyErrors()
    {
        MethodHarness h;
        VERIFY_ERROR(h.run("setObjectKey", {{"obj", "x"}, {"path", {"a"}}, {"value", 1}}),
                     "setObjectKey: \"obj\" must be an object, got string");
        VERIFY_ERROR(
            h.run("setObjectKey", {{"obj", json::object()}, {"path", json::array()}, {"value", 1}}),
            "\"path\" must name at least one key");
        VERIFY_ERROR(h.run("setObjectKey", {{"obj", json::object()}, {"path", 3}, {"value", 1}}),
                     "\"path\" must be an array of keys, got number");
        VERIFY_ERROR(h.run("setObjectKey", {{"obj", json::object()}, {"path", {-1}}, {"value", 1}}),
                     "\"path[0]\" must be a string or a non-negative integer");
        VERIFY_ERROR(
            h.run("setObjectKey", {{"obj", {{"a", "s"}}}, {"path", {"a", "b"}}, {"value", 1}}),
            "cannot set \"b\" (path[1]) inside string");
    }

    // ---- modify -------------------------------------------------------------------------------

    void modify()
    {
        const json obj = json::parse(R"({"items":[{"id":1,"v":0},{"id":2,"v":0}],"meta":{}})");
        const auto r = MethodHarness().run(
            "modify", {{"object_to_update", obj}, {"query", "items[id=2].v"}, {"new_value", 7}});
        VERIFY_FINISH(r, "success");
        QCOMPARE_JSON(r.outgoing["updated_object"],
                      json::parse(R"({"items":[{"id":1,"v":0},{"id":2,"v":7}],"meta":{}})"));
        const auto nested = MethodHarness().run(
            "modify",
            {{"object_to_update", obj}, {"query", "meta.owner.name"}, {"new_value", "x"}});
        QCOMPARE_JSON(nested.outgoing["updated_object"]["meta"],
                      json::parse(R"({"owner":{"name":"x"}})"));
        const auto whole = MethodHarness().run(
            "modify", {{"object_to_update", obj}, {"query", ""}, {"new_value", {1}}});
        QCOMPARE_JSON(whole.outgoing["updated_object"], json::parse("[1]"));
    }

    void modifyErrors()
    {
        VERIFY_ERROR(MethodHarness().run(
                         "modify",
                         {{"object_to_update", json::object()}, {"query", "a["}, {"new_value", 1}}),
                     "modify: json-query: unclosed '['");
        VERIFY_ERROR(
            MethodHarness().run("modify", {{"object_to_update", json::object()}, {"new_value", 1}}),
            "modify: \"query\" must be a string, got undefined");
        VERIFY_ERROR(MethodHarness().run("modify", {{"object_to_update", {{"a", {1}}}},
                                                    {"query", "a[x=1].b"},
                                                    {"new_value", 1}}),
                     "matches no element");
    }

    // ---- parse --------------------------------------------------------------------------------

    void parse()
    {
        const auto r = MethodHarness().run("parse", {{"text", " {\"a\": [1, 2.5, null]} "}});
        VERIFY_FINISH(r, "success");
        QCOMPARE_JSON(r.outgoing["textObject"], json::parse(R"({"a":[1,2.5,null]})"));
        QCOMPARE_JSON(MethodHarness().run("parse", {{"text", "42"}}).outgoing["textObject"],
                      json(42));
        VERIFY_ERROR(MethodHarness().run("parse", {{"text", "{a:1}"}}),
                     "parse: \"text\" is not valid JSON");
        VERIFY_ERROR(MethodHarness().run("parse", {{"text", ""}}), "not valid JSON");
        VERIFY_ERROR(MethodHarness().run("parse", {{"text", {{"a", 1}}}}),
                     "parse: \"text\" must be a string, got object");
    }
};

QTEST_APPLESS_MAIN(TestBuiltinMethods)
#include "TestBuiltinMethods.moc"
