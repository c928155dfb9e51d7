// SPDX-License-Identifier: GPL-3.0-or-later
// Every method of the catalogue, called directly with its argument slots. Expected values are
// what Node.js gives for the same JavaScript expression (e.g. "a,b".split(",")).
//
// The rows are tests/data/jst/methods.json: {name, method, args, expected, overload?}. In args
// the string "$undefined" is an undefined slot, "$re:<flags>:<source>" a RegExp, "$date:<ms>"
// a Date. expected is JSON, or {"$": "undefined" | "NaN" | "Infinity" | "-Infinity" |
// "error:<text the message contains>"}.
#include "engine/jst/JstMethods.h"

#include "tests/support/JsonAsserts.h"
#include "tests/support/TestPaths.h"

#include <QTest>

#include <cmath>

using namespace flowdeck;
using namespace flowdeck::jst;
using nlohmann::json;

namespace {

class NoCallbacks : public CallbackHost
{
public:
    Result<Value> callback(const std::string &id, const std::vector<const Value *> &) override
    {
        return Error::invalid("no callback " + id);
    }
};

Value decode(const json &j)
{
    if (j.is_string()) {
        const std::string s = j.get<std::string>();
        if (s == "$undefined")
            return Value();
        if (s.rfind("$re:", 0) == 0) {
            const auto colon = s.find(':', 4);
            auto re = RegExp::compile(s.substr(colon + 1), s.substr(4, colon - 4));
            if (!re)
                qFatal("bad test regexp %s", re.error().message.c_str());
            return Value::ofRegExp(*re);
        }
        if (s.rfind("$date:", 0) == 0)
            return Value::ofDate(std::stod(s.substr(6)));
    }
    return Value(j);
}

} // namespace

class TestJstMethods : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void methods_data()
    {
        QTest::addColumn<QByteArray>("row");
        const QByteArray text = flowdeck::test::readFile(
            flowdeck::test::sourcePath(QStringLiteral("tests/data/jst/methods.json")));
        QVERIFY(!text.isEmpty());
        for (const auto &row : json::parse(text.toStdString()))
            QTest::newRow(
                (row["method"].get<std::string>() + ": " + row["name"].get<std::string>()).c_str())
                << QByteArray::fromStdString(row.dump());
    }

    void methods()
    {
        QFETCH(QByteArray, row);
        const json r = json::parse(row.toStdString());
        const std::string name = r["method"].get<std::string>();
        const auto dot = name.find('.');
        JstNode node;
        node.library = name.substr(0, dot);
        node.method = name.substr(dot + 1);
        node.polymorphIndex = r.value("overload", 0);
        const MethodFn fn = findMethod(node.library, node.method);
        QVERIFY2(fn, name.c_str());
        std::vector<Value> values;
        for (const auto &a : r["args"])
            values.push_back(decode(a));
        NoCallbacks host;
        MethodContext ctx{node, values, host};
        const Result<Value> result = fn(ctx);
        const json &expected = r["expected"];
        const std::string marker = expected.is_object() && expected.contains("$")
                                       ? expected["$"].get<std::string>()
                                       : std::string();
        if (marker.rfind("error:", 0) == 0) {
            QVERIFY2(!result.ok(), result.ok() ? result->toJson().dump().c_str() : "");
            QVERIFY2(result.error().message.find(marker.substr(6)) != std::string::npos,
                     result.error().message.c_str());
            QVERIFY2(result.error().message.rfind(name + ": ", 0) == 0,
                     result.error().message.c_str());
            return;
        }
        QVERIFY2(result.ok(), result.ok() ? "" : result.error().message.c_str());
        if (marker == "undefined") {
            QVERIFY2(result->isUndefined(), result->toJson().dump().c_str());
        } else if (marker == "NaN") {
            QVERIFY(result->isNumber() && std::isnan(result->js->get<double>()));
        } else if (marker == "Infinity" || marker == "-Infinity") {
            QVERIFY(result->isNumber());
            QCOMPARE(result->js->get<double>(), marker == "Infinity" ? INFINITY : -INFINITY);
        } else {
            QVERIFY(!result->isUndefined());
            QCOMPARE_JSON(*result->js, expected);
        }
    }

    void catalogueCoversTiersOneToThree()
    {
        // The reference's tiers 1–3 (90 % of real uses) by library.method.
        const char *const tiers[] = {"Object.getProperty",
                                     "Array.new Array",
                                     "Conditional.ternary",
                                     "Object.setProperty",
                                     "String.templateLiteral",
                                     "Array.getIndex",
                                     "Array.reduce",
                                     "Equality.equality",
                                     "String.new String",
                                     "Array.map",
                                     "Math.add",
                                     "Object.new Object",
                                     "Array.filter",
                                     "String.split",
                                     "Array.length",
                                     "Boolean.new Boolean",
                                     "Logical.not",
                                     "Logical.and",
                                     "String.concat",
                                     "Logical.nullish",
                                     "Equality.deepEquals",
                                     "Array.join",
                                     "Array.push",
                                     "Math.divide",
                                     "Number.new Number",
                                     "Math.subtract",
                                     "Object.keys",
                                     "Array.find",
                                     "Array.pop",
                                     "Array.concat",
                                     "Array.isArray",
                                     "Object.optional chaining",
                                     "Number.parseFloat",
                                     "RegExp.new RegExp",
                                     "Logical.or",
                                     "Math.multiply",
                                     "String.length",
                                     "String.toLowerCase",
                                     "JSON.parse",
                                     "String.substring",
                                     "RegExp.test",
                                     "WorkFlowEngine.query",
                                     "Array.fill",
                                     "Relational.greaterThan",
                                     "Array.includes"};
        for (const char *m : tiers) {
            const std::string s = m;
            const auto dot = s.find('.');
            QVERIFY2(findMethod(s.substr(0, dot), s.substr(dot + 1)), m);
        }
        QVERIFY(!findMethod("Bitwise", "and"));
    }

    void integralResultsPrintAsIntegers()
    {
        QCOMPARE(jsNumber(3.0).dump(), std::string("3"));
        QCOMPARE(jsNumber(-0.0).dump(), std::string("-0.0"));
        QCOMPARE(jsNumber(2.5).dump(), std::string("2.5"));
        QCOMPARE(jsNumber(1e300).dump(), std::string("1e+300"));
    }
};

QTEST_APPLESS_MAIN(TestJstMethods)
#include "TestJstMethods.moc"
