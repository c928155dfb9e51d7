// SPDX-License-Identifier: GPL-3.0-or-later
// Expected values are what Node.js prints for the same expression.
#include "engine/tasks/JsValue.h"

#include <QTest>

#include <cmath>
#include <limits>

using namespace flowdeck::tasks;
using nlohmann::json;

namespace {

JsValue value(const QByteArray &text)
{
    if (text == "undefined")
        return std::nullopt;
    if (text == "NaN")
        return json(std::numeric_limits<double>::quiet_NaN());
    return json::parse(text.toStdString());
}

} // namespace

class TestJsValue : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void numberToString_data()
    {
        QTest::addColumn<double>("number");
        QTest::addColumn<QString>("expected");
        QTest::newRow("integer") << 80.0 << QStringLiteral("80");
        QTest::newRow("fraction") << 0.1 << QStringLiteral("0.1");
        QTest::newRow("rounding noise") << 0.1 + 0.2 << QStringLiteral("0.30000000000000004");
        QTest::newRow("negative") << -2.5 << QStringLiteral("-2.5");
        QTest::newRow("negative zero") << -0.0 << QStringLiteral("0");
        QTest::newRow("large integer")
            << 123456789012345680000.0 << QStringLiteral("123456789012345680000");
        QTest::newRow("1e21") << 1e21 << QStringLiteral("1e+21");
        QTest::newRow("1.5e300") << 1.5e300 << QStringLiteral("1.5e+300");
        QTest::newRow("small decimal") << 0.000001 << QStringLiteral("0.000001");
        QTest::newRow("1e-7") << 1e-7 << QStringLiteral("1e-7");
        QTest::newRow("1.25e-7") << 1.25e-7 << QStringLiteral("1.25e-7");
        QTest::newRow("NaN") << std::numeric_limits<double>::quiet_NaN() << QStringLiteral("NaN");
        QTest::newRow("Infinity") << std::numeric_limits<double>::infinity()
                                  << QStringLiteral("Infinity");
        QTest::newRow("-Infinity")
            << -std::numeric_limits<double>::infinity() << QStringLiteral("-Infinity");
    }

    void numberToString()
    {
        QFETCH(double, number);
        QFETCH(QString, expected);
        QCOMPARE(QString::fromStdString(jsNumberToString(number)), expected);
    }

    void integersStayExact()
    {
        QCOMPARE(jsNumberToString(json(9007199254740993LL)), std::string("9007199254740993"));
        QCOMPARE(jsNumberToString(json(80.0)), std::string("80"));
    }

    void radix_data()
    {
        QTest::addColumn<double>("number");
        QTest::addColumn<int>("radix");
        QTest::addColumn<QString>("expected");
        QTest::newRow("hex") << 255.0 << 16 << QStringLiteral("ff");
        QTest::newRow("negative hex") << -255.0 << 16 << QStringLiteral("-ff");
        QTest::newRow("base 36") << 35.0 << 36 << QStringLiteral("z");
        QTest::newRow("binary") << 10.0 << 2 << QStringLiteral("1010");
        QTest::newRow("half in binary") << 0.5 << 2 << QStringLiteral("0.1");
        QTest::newRow("0.1 in binary")
            << 0.1 << 2
            << QStringLiteral("0.0001100110011001100110011001100110011001100110011001101");
        QTest::newRow("0.1 in hex") << 0.1 << 16 << QStringLiteral("0.1999999999999a");
        QTest::newRow("hex fraction") << 255.5 << 16 << QStringLiteral("ff.8");
        QTest::newRow("octal fraction") << 3.75 << 8 << QStringLiteral("3.6");
        QTest::newRow("2^53 in binary")
            << 9007199254740992.0 << 2 << QStringLiteral("1") + QString(53, QLatin1Char('0'));
        QTest::newRow("zero") << 0.0 << 2 << QStringLiteral("0");
        QTest::newRow("NaN") << std::numeric_limits<double>::quiet_NaN() << 16
                             << QStringLiteral("NaN");
        QTest::newRow("radix 10 is toString") << 1e21 << 10 << QStringLiteral("1e+21");
    }

    void radix()
    {
        QFETCH(double, number);
        QFETCH(int, radix);
        QFETCH(QString, expected);
        QCOMPARE(QString::fromStdString(jsNumberToRadixString(number, radix)), expected);
    }

    void toNumber_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<double>("expected"); // NaN expected is written as NaN
        const double nan = std::numeric_limits<double>::quiet_NaN();
        QTest::newRow("empty string") << QByteArray(R"("")") << 0.0;
        QTest::newRow("spaces") << QByteArray(R"("  12  ")") << 12.0;
        QTest::newRow("hex") << QByteArray(R"("0x1F")") << 31.0;
        QTest::newRow("binary") << QByteArray(R"("0b101")") << 5.0;
        QTest::newRow("exponent") << QByteArray(R"("1e3")") << 1000.0;
        QTest::newRow("leading dot") << QByteArray(R"(".5")") << 0.5;
        QTest::newRow("trailing dot") << QByteArray(R"("5.")") << 5.0;
        QTest::newRow("negative") << QByteArray(R"("-5.5")") << -5.5;
        QTest::newRow("Infinity") << QByteArray(R"("Infinity")")
                                  << std::numeric_limits<double>::infinity();
        QTest::newRow("trailing garbage") << QByteArray(R"("12px")") << nan;
        QTest::newRow("word") << QByteArray(R"("abc")") << nan;
        QTest::newRow("lone sign") << QByteArray(R"("-")") << nan;
        QTest::newRow("null") << QByteArray("null") << 0.0;
        QTest::newRow("true") << QByteArray("true") << 1.0;
        QTest::newRow("empty array") << QByteArray("[]") << 0.0;
        QTest::newRow("one-element array") << QByteArray("[7]") << 7.0;
        QTest::newRow("two-element array") << QByteArray("[1,2]") << nan;
        QTest::newRow("object") << QByteArray("{}") << nan;
        QTest::newRow("undefined") << QByteArray("undefined") << nan;
    }

    void toNumber()
    {
        QFETCH(QByteArray, input);
        QFETCH(double, expected);
        const double actual = jsToNumber(value(input));
        if (std::isnan(expected))
            QVERIFY2(std::isnan(actual), QByteArray::number(actual).constData());
        else
            QCOMPARE(actual, expected);
    }

    void toString_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<QString>("expected");
        QTest::newRow("undefined") << QByteArray("undefined") << QStringLiteral("undefined");
        QTest::newRow("null") << QByteArray("null") << QStringLiteral("null");
        QTest::newRow("bool") << QByteArray("false") << QStringLiteral("false");
        QTest::newRow("float integer") << QByteArray("80.0") << QStringLiteral("80");
        QTest::newRow("string") << QByteArray(R"("x")") << QStringLiteral("x");
        QTest::newRow("array with null and nesting")
            << QByteArray(R"([1,null,[2,3],"a"])") << QStringLiteral("1,,2,3,a");
        QTest::newRow("object") << QByteArray(R"({"a":1})") << QStringLiteral("[object Object]");
    }

    void toString()
    {
        QFETCH(QByteArray, input);
        QFETCH(QString, expected);
        QCOMPARE(QString::fromStdString(jsToString(value(input))), expected);
    }

    void stringify()
    {
        const json v = json::parse("{\"b\":[1,2.5,80.0,\"x\\n\\\"y\\u0001\"],\"a\":null,\"c\":{}}");
        QCOMPARE(jsJsonStringify(v),
                 std::string("{\"a\":null,\"b\":[1,2.5,80,\"x\\n\\\"y\\u0001\"],\"c\":{}}"));
        QCOMPARE(jsJsonStringify(json(std::numeric_limits<double>::infinity())),
                 std::string("null"));
    }

    void truthy_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<bool>("expected");
        QTest::newRow("undefined") << QByteArray("undefined") << false;
        QTest::newRow("null") << QByteArray("null") << false;
        QTest::newRow("0") << QByteArray("0") << false;
        QTest::newRow("0.0") << QByteArray("0.0") << false;
        QTest::newRow("NaN") << QByteArray("NaN") << false;
        QTest::newRow("empty string") << QByteArray(R"("")") << false;
        QTest::newRow("false") << QByteArray("false") << false;
        QTest::newRow("string 0") << QByteArray(R"("0")") << true;
        QTest::newRow("string false") << QByteArray(R"("false")") << true;
        QTest::newRow("empty array") << QByteArray("[]") << true;
        QTest::newRow("empty object") << QByteArray("{}") << true;
        QTest::newRow("-1") << QByteArray("-1") << true;
    }

    void truthy()
    {
        QFETCH(QByteArray, input);
        QFETCH(bool, expected);
        QCOMPARE(jsTruthy(value(input)), expected);
    }

    void looseEquals_data()
    {
        QTest::addColumn<QByteArray>("a");
        QTest::addColumn<QByteArray>("b");
        QTest::addColumn<bool>("expected");
        QTest::newRow("undefined == null") << QByteArray("undefined") << QByteArray("null") << true;
        QTest::newRow("undefined == undefined")
            << QByteArray("undefined") << QByteArray("undefined") << true;
        QTest::newRow("null == 0") << QByteArray("null") << QByteArray("0") << false;
        QTest::newRow("null == false") << QByteArray("null") << QByteArray("false") << false;
        QTest::newRow("undefined == empty")
            << QByteArray("undefined") << QByteArray(R"("")") << false;
        QTest::newRow("'5' == 5") << QByteArray(R"("5")") << QByteArray("5") << true;
        QTest::newRow("5 == 5.0") << QByteArray("5") << QByteArray("5.0") << true;
        QTest::newRow("'true' == true") << QByteArray(R"("true")") << QByteArray("true") << false;
        QTest::newRow("'1' == true") << QByteArray(R"("1")") << QByteArray("true") << true;
        QTest::newRow("'' == 0") << QByteArray(R"("")") << QByteArray("0") << true;
        QTest::newRow("'0' == false") << QByteArray(R"("0")") << QByteArray("false") << true;
        QTest::newRow("[1] == '1'") << QByteArray("[1]") << QByteArray(R"("1")") << true;
        QTest::newRow("[1,2] == '1,2'") << QByteArray("[1,2]") << QByteArray(R"("1,2")") << true;
        QTest::newRow("arrays deep")
            << QByteArray("[1,{\"a\":2}]") << QByteArray("[1,{\"a\":2}]") << true;
        QTest::newRow("arrays differ") << QByteArray("[1,2]") << QByteArray("[2,1]") << false;
        QTest::newRow("objects deep")
            << QByteArray(R"({"a":1})") << QByteArray(R"({"a":1.0})") << true;
        QTest::newRow("array vs object") << QByteArray("[]") << QByteArray("{}") << false;
        QTest::newRow("NaN == NaN") << QByteArray("NaN") << QByteArray("NaN") << false;
        QTest::newRow("strings differ") << QByteArray(R"("a")") << QByteArray(R"("A")") << false;
    }

    void looseEquals()
    {
        QFETCH(QByteArray, a);
        QFETCH(QByteArray, b);
        QFETCH(bool, expected);
        QCOMPARE(jsLooseEquals(value(a), value(b)), expected);
        QCOMPARE(jsLooseEquals(value(b), value(a)), expected);
    }

    void strictAndSameValueZero()
    {
        const JsValue nan = json(std::numeric_limits<double>::quiet_NaN());
        QVERIFY(!jsStrictEquals(nan, nan));
        QVERIFY(jsSameValueZero(nan, nan));
        QVERIFY(jsStrictEquals(json(1), json(1.0)));
        QVERIFY(!jsStrictEquals(json("1"), json(1)));
        QVERIFY(!jsStrictEquals(json(nullptr), std::nullopt));
        QVERIFY(jsStrictEquals(std::nullopt, std::nullopt));
        QVERIFY(jsStrictEquals(json::parse("[1,[2]]"), json::parse("[1,[2]]")));
    }

    void compare_data()
    {
        QTest::addColumn<QByteArray>("a");
        QTest::addColumn<QByteArray>("b");
        QTest::addColumn<int>("relation");
        QTest::addColumn<bool>("expected");
        const int lt = int(JsRelation::Less), gt = int(JsRelation::Greater),
                  le = int(JsRelation::LessOrEqual), ge = int(JsRelation::GreaterOrEqual);
        QTest::newRow("strings by text")
            << QByteArray(R"("10")") << QByteArray(R"("9")") << lt << true;
        QTest::newRow("numbers") << QByteArray("10") << QByteArray("9") << lt << false;
        QTest::newRow("mixed is numeric")
            << QByteArray(R"("10")") << QByteArray("9") << lt << false;
        QTest::newRow("null is 0") << QByteArray("null") << QByteArray("1") << lt << true;
        QTest::newRow("null <= 0") << QByteArray("null") << QByteArray("0") << le << true;
        QTest::newRow("undefined < 1") << QByteArray("undefined") << QByteArray("1") << lt << false;
        QTest::newRow("undefined >= 1")
            << QByteArray("undefined") << QByteArray("1") << ge << false;
        QTest::newRow("undefined <= undefined")
            << QByteArray("undefined") << QByteArray("undefined") << le << false;
        QTest::newRow("word vs number") << QByteArray(R"("abc")") << QByteArray("1") << gt << false;
        QTest::newRow("[2] > 1") << QByteArray("[2]") << QByteArray("1") << gt << true;
        QTest::newRow("a < b") << QByteArray(R"("a")") << QByteArray(R"("b")") << lt << true;
        QTest::newRow("equal >=") << QByteArray("3") << QByteArray("3.0") << ge << true;
        QTest::newRow("true > 0") << QByteArray("true") << QByteArray("0") << gt << true;
    }

    void compare()
    {
        QFETCH(QByteArray, a);
        QFETCH(QByteArray, b);
        QFETCH(int, relation);
        QFETCH(bool, expected);
        QCOMPARE(jsCompare(value(a), value(b), JsRelation(relation)), expected);
    }

    void stringLengthInUtf16()
    {
        QCOMPARE(jsStringLength("h\xC3\xA9llo\xF0\x9F\x98\x80"), std::int64_t(7));
        QCOMPARE(jsStringLength(""), std::int64_t(0));
    }

    void typeNames()
    {
        QCOMPARE(jsTypeName(std::nullopt), std::string("undefined"));
        QCOMPARE(jsTypeName(json(nullptr)), std::string("null"));
        QCOMPARE(jsTypeName(json::array()), std::string("array"));
        QCOMPARE(jsTypeName(json(1.5)), std::string("number"));
        QCOMPARE(jsTypeName(json::object()), std::string("object"));
    }
};

QTEST_APPLESS_MAIN(TestJsValue)
#include "TestJsValue.moc"
