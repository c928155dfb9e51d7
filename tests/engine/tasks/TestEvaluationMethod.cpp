// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/tasks/BuiltinMethod.h"

#include "tests/engine/tasks/MethodHarness.h"
#include "tests/support/JsonAsserts.h"

#include <QTest>

using namespace flowdeck::tasks;
using nlohmann::json;

namespace {

json staticOp(json v)
{
    return {{"task", "static"}, {"variable", std::move(v)}};
}

/// An operand for a table value: static when defined, an unset job variable when undefined.
json operandFor(const QByteArray &text)
{
    if (const auto v = tableValue(text))
        return staticOp(*v);
    return {{"task", "job"}, {"variable", "neverSet"}};
}

json single(json evaluation)
{
    return {{"all_true_flag", false},
            {"evaluation_groups",
             {{{"all_true_flag", true}, {"evaluations", {std::move(evaluation)}}}}}};
}

json evaluation(json left, const char *op, json right, const char *query = "")
{
    return {{"operand_1", std::move(left)},
            {"operator", op},
            {"operand_2", std::move(right)},
            {"query", query},
            {"rightQuery", ""}};
}

/// A group of constant comparisons that pass or fail as listed.
json group(bool allTrue, std::initializer_list<bool> results)
{
    json evaluations = json::array();
    for (bool r : results)
        evaluations.push_back(evaluation(staticOp(1), "==", staticOp(r ? 1 : 2)));
    return {{"all_true_flag", allTrue}, {"evaluations", evaluations}};
}

} // namespace

class TestEvaluationMethod : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void compare_data()
    {
        QTest::addColumn<QByteArray>("left");
        QTest::addColumn<QString>("op");
        QTest::addColumn<QByteArray>("right");
        QTest::addColumn<QString>("query");
        QTest::addColumn<bool>("passes");

        auto row = [](const char *name, const char *l, const char *o, const char *r, bool p,
                      const char *q = "") {
            QTest::newRow(name) << QByteArray(l) << QString::fromUtf8(o) << QByteArray(r)
                                << QString::fromUtf8(q) << p;
        };
        // == and type inference
        row("'5' == 5", R"("5")", "==", "5", true);
        row("5 == '5'", "5", "==", R"("5")", true);
        row("'true' == true", R"("true")", "==", "true", true);
        row("'false' == false", R"("false")", "==", "false", true);
        row("'abc' == 'abc'", R"("abc")", "==", R"("abc")", true);
        row("'abc' == 'ABC'", R"("abc")", "==", R"("ABC")", false);
        row("5 == 6", "5", "==", "6", false);
        row("'null' == null", R"("null")", "==", "null", true);
        row("'[1,2]' == [1,2]", R"("[1,2]")", "==", "[1,2]", true);
        row("objects deep", R"({"a":[1]})", "==", R"({"a":[1]})", true);
        row("objects differ", R"({"a":[1]})", "==", R"({"a":[2]})", false);
        row("empty arrays", "[]", "==", "[]", true);
        row("'5.0' == 5", R"("5.0")", "==", "5", true);
        row("'' == ''", R"("")", "==", R"("")", true);
        // null and undefined
        row("undefined == null", "undefined", "==", "null", true);
        row("null == null", "null", "==", "null", true);
        row("undefined == undefined", "undefined", "==", "undefined", true);
        row("undefined == ''", "undefined", "==", R"("")", false);
        row("undefined == false", "undefined", "==", "false", false);
        row("null == 0", "null", "==", "0", false);
        row("undefined != null", "undefined", "!=", "null", false);
        row("undefined != 'x'", "undefined", "!=", R"("x")", true);
        row("null != false", "null", "!=", "false", true);
        row("'5' != 5", R"("5")", "!=", "5", false);
        // ordering
        row("10 > 9", "10", ">", "9", true);
        row("'10' > '9' as numbers", R"("10")", ">", R"("9")", true);
        row("'10' < 9", R"("10")", "<", "9", false);
        row("'b' > 'a'", R"("b")", ">", R"("a")", true);
        row("3 >= 3", "3", ">=", "3", true);
        row("2 <= 1", "2", "<=", "1", false);
        row("1 <= 1.0", "1", "<=", "1.0", true);
        row("undefined < 1", "undefined", "<", "1", false);
        row("undefined > 1", "undefined", ">", "1", false);
        row("undefined >= 0", "undefined", ">=", "0", false);
        row("null < 1", "null", "<", "1", true);
        row("'abc' > 1", R"("abc")", ">", "1", false);
        // contains
        row("string contains", R"("hello world")", "contains", R"("world")", true);
        row("string lacks", R"("hello world")", "contains", R"("World")", false);
        row("digits contain digits", R"("12345")", "contains", R"("234")", true);
        row("string contains number", R"("vlan 120")", "contains", "120", true);
        row("array contains", "[1,2,3]", "contains", "2", true);
        row("array contains coerced", R"(["5","6"])", "contains", "5", true);
        row("array lacks", "[1,2,3]", "contains", "4", false);
        row("array contains object", R"([{"a":1}])", "contains", R"({"a":1})", true);
        row("JSON text array contains", "\"[\\\"x\\\",\\\"y\\\"]\"", "contains", R"("y")", true);
        row("object has key", R"({"k":1})", "contains", R"("k")", true);
        row("number haystack", "12345", "contains", "2", false);
        row("undefined contains", "undefined", "contains", R"("x")", false);
        row("undefined !contains", "undefined", "!contains", R"("x")", true);
        row("string !contains", R"("abc")", "!contains", R"("d")", true);
        row("array !contains", "[1,2]", "!contains", "2", false);
        // query on operand_1
        row("query", R"({"response":{"status":"ACTIVE"}})", "==", R"("ACTIVE")", true,
            "response.status");
        row("query missing == null", R"({"response":{}})", "==", "null", true, "response.status");
        row("query filter", R"({"items":[{"s":"up","n":1},{"s":"down","n":2}]})", "==", "2", true,
            "items[s=down].n");
    }

    void compare()
    {
        QFETCH(QByteArray, left);
        QFETCH(QString, op);
        QFETCH(QByteArray, right);
        QFETCH(QString, query);
        QFETCH(bool, passes);
        const auto r = MethodHarness().run(
            "evaluation", single(evaluation(operandFor(left), op.toUtf8().constData(),
                                            operandFor(right), query.toUtf8().constData())));
        QCOMPARE(QString::fromStdString(r.finishState),
                 passes ? QStringLiteral("success") : QStringLiteral("failure"));
        if (passes)
            QCOMPARE_JSON(r.outgoing, (json{{"return_value", true}}));
        else
            QCOMPARE_JSON(r.outgoing, json::object()); // return_value is left undefined
    }

    void operandsFromJobAndTasks()
    {
        MethodHarness h;
        h.jobVariables = {{"retryCount", "2"}};
        h.taskOutputs = {{"3f0a", {{"result", {{"response", {{"status", "ACTIVE"}}}}}}}};
        const json incoming = {
            {"all_true_flag", false},
            {"evaluation_groups",
             {{{"all_true_flag", true},
               {"evaluations",
                {evaluation({{"task", "3f0a"}, {"variable", "result"}}, "==", staticOp("ACTIVE"),
                            "response.status"),
                 evaluation({{"task", "job"}, {"variable", "retryCount"}}, "<", staticOp(3))}}}}}};
        VERIFY_FINISH(h.run("evaluation", incoming), "success");
        h.jobVariables["retryCount"] = 3;
        VERIFY_FINISH(h.run("evaluation", incoming), "failure");
    }

    void rightQuery()
    {
        json e = evaluation(staticOp(2), "<", staticOp({{"limit", 3}}));
        e["rightQuery"] = "limit";
        VERIFY_FINISH(MethodHarness().run("evaluation", single(e)), "success");
        e["rightQuery"] = "missing";
        VERIFY_FINISH(MethodHarness().run("evaluation", single(e)), "failure");
    }

    void groups_data()
    {
        QTest::addColumn<bool>("allGroups");
        QTest::addColumn<bool>("firstAll");
        QTest::addColumn<bool>("secondAll");
        QTest::addColumn<bool>("passes");
        // Group 1 holds {true, false}; group 2 holds {false, false}.
        QTest::newRow("any group, any evaluation") << false << false << false << true;
        QTest::newRow("any group, all in group 1") << false << true << false << false;
        QTest::newRow("all groups, any evaluation") << true << false << false << false;
        QTest::newRow("all groups, all evaluations") << true << true << true << false;
    }

    void groups()
    {
        QFETCH(bool, allGroups);
        QFETCH(bool, firstAll);
        QFETCH(bool, secondAll);
        QFETCH(bool, passes);
        const json incoming = {
            {"all_true_flag", allGroups},
            {"evaluation_groups",
             {group(firstAll, {true, false}), group(secondAll, {false, false})}}};
        VERIFY_FINISH(MethodHarness().run("evaluation", incoming), passes ? "success" : "failure");
    }

    void allGroupsMustPass()
    {
        const json both = {
            {"all_true_flag", true},
            {"evaluation_groups", {group(true, {true, true}), group(false, {false, true})}}};
        VERIFY_FINISH(MethodHarness().run("evaluation", both), "success");
        json textFlags = both;
        textFlags["all_true_flag"] = "true";
        textFlags["evaluation_groups"][1]["all_true_flag"] = "false";
        VERIFY_FINISH(MethodHarness().run("evaluation", textFlags), "success");
        json missingFlag = both;
        missingFlag.erase("all_true_flag"); // absent means any group
        missingFlag["evaluation_groups"][1] = group(true, {false});
        VERIFY_FINISH(MethodHarness().run("evaluation", missingFlag), "success");
    }

    void errors_data()
    {
        QTest::addColumn<QByteArray>("incoming");
        QTest::addColumn<QString>("message");
        const json ok = evaluation(staticOp(1), "==", staticOp(1));
        auto row = [](const char *name, const json &incoming, const char *message) {
            QTest::newRow(name) << QByteArray(incoming.dump().c_str())
                                << QString::fromUtf8(message);
        };
        row("no groups", json{{"all_true_flag", false}},
            "evaluation: \"evaluation_groups\" must be a non-empty array of groups, got undefined");
        row("empty groups", json{{"evaluation_groups", json::array()}},
            "\"evaluation_groups\" must be a non-empty array");
        row("bad top flag",
            json{{"all_true_flag", 1}, {"evaluation_groups", {group(true, {true})}}},
            "evaluation: \"all_true_flag\" must be a boolean, got number");
        row("group not object", json{{"evaluation_groups", {1}}},
            "\"evaluation_groups[0]\" must be an object");
        row("empty evaluations",
            json{
                {"evaluation_groups", {{{"all_true_flag", true}, {"evaluations", json::array()}}}}},
            "\"evaluation_groups[0].evaluations\" must be a non-empty array");
        row("bad group flag",
            json{{"evaluation_groups", {{{"all_true_flag", "yes"}, {"evaluations", {ok}}}}}},
            "\"evaluation_groups[0].all_true_flag\" must be a boolean, got string");
        json badOp = ok;
        badOp["operator"] = "=~";
        row("unknown operator", single(badOp),
            "\"evaluation_groups[0].evaluations[0].operator\" must be one of ==, !=, <, >, <=, >=, "
            "contains, !contains, got \"=~\"");
        json noOperand = ok;
        noOperand.erase("operand_2");
        row("missing operand", single(noOperand),
            "\"evaluation_groups[0].evaluations[0].operand_2\" is missing");
        json literalOperand = ok;
        literalOperand["operand_1"] = "$var.job.x";
        row("operand not structured", single(literalOperand),
            "\"evaluation_groups[0].evaluations[0].operand_1\" must be an operand");
        row("bad query", single(evaluation(staticOp(json::object()), "==", staticOp(1), "a[")),
            "\"evaluation_groups[0].evaluations[0].query\": json-query: unclosed '[' at position "
            "1");
        json badRight = ok;
        badRight["rightQuery"] = 5;
        row("rightQuery not a string", single(badRight),
            "\"evaluation_groups[0].evaluations[0].rightQuery\" must be a string");
    }

    void errors()
    {
        QFETCH(QByteArray, incoming);
        QFETCH(QString, message);
        VERIFY_ERROR(MethodHarness().run("evaluation", json::parse(incoming.toStdString())),
                     message.toStdString());
    }

    void brokenComparisonAlwaysReported()
    {
        // The first group already passes; the broken second one is still an error.
        const json incoming = {
            {"all_true_flag", false},
            {"evaluation_groups",
             {group(false, {true}),
              {{"all_true_flag", false},
               {"evaluations", {evaluation(staticOp(1), "===", staticOp(1))}}}}}};
        VERIFY_ERROR(MethodHarness().run("evaluation", incoming),
                     "\"evaluation_groups[1].evaluations[0].operator\"");
    }
};

QTEST_APPLESS_MAIN(TestEvaluationMethod)
#include "TestEvaluationMethod.moc"
