// SPDX-License-Identifier: GPL-3.0-or-later
// The JavaScript-style helpers: array, string and time methods. Expected values are what
// Node.js returns for the same call.
#include "engine/tasks/BuiltinMethod.h"

#include "tests/engine/tasks/MethodHarness.h"
#include "tests/support/JsonAsserts.h"

#include <QTest>

#include <cmath>
#include <limits>

using namespace flowdeck::tasks;
using nlohmann::json;

namespace {

/// Runs `method` with incoming built from (name, table text) pairs and returns the result.
MethodResult runWith(const char *method,
                     std::initializer_list<std::pair<const char *, QByteArray>> inputs)
{
    json incoming = json::object();
    for (const auto &[name, text] : inputs)
        setIncoming(incoming, name, text);
    return MethodHarness().run(method, incoming);
}

} // namespace

class TestJsMethods : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    // ---- arrays -------------------------------------------------------------------------------

    void arrayPush()
    {
        auto r = MethodHarness().run("arrayPush", {{"arr", {1}}, {"elementN", "x"}});
        VERIFY_FINISH(r, "success");
        QCOMPARE_JSON(r.outgoing, (json{{"pushedArray", {1, "x"}}}));
        r = MethodHarness().run("arrayPush", {{"arr", json::array()}, {"elementN", {1, 2}}});
        QCOMPARE_JSON(r.outgoing["pushedArray"], json::parse("[[1,2]]"));
        r = MethodHarness().run("arrayPush", {{"arr", json::array()}});
        QCOMPARE_JSON(r.outgoing["pushedArray"], json::parse("[null]"));
        VERIFY_ERROR(MethodHarness().run("arrayPush", {{"arr", "x"}, {"elementN", 1}}),
                     "arrayPush: \"arr\" must be an array, got string");
    }

    void arrayLength()
    {
        QCOMPARE_JSON(MethodHarness().run("arrayLength", {{"arr", {1, 2, 3}}}).outgoing,
                      (json{{"length", 3}}));
        QCOMPARE_JSON(
            MethodHarness().run("arrayLength", {{"arr", json::array()}}).outgoing["length"],
            json(0));
        const auto r = MethodHarness().run("arrayLength", {{"arr", "abc"}});
        VERIFY_FINISH(r, "error");
        QCOMPARE(r.errorMessage, std::string("arrayLength: \"arr\" must be an array, got string"));
        VERIFY_ERROR(MethodHarness().run("arrayLength", json::object()), "got undefined");
    }

    void search_data()
    {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QByteArray>("arr");
        QTest::addColumn<QByteArray>("searchElement");
        QTest::addColumn<QByteArray>("fromIndex");
        QTest::addColumn<QByteArray>("expected");
        auto row = [](const char *name, const char *m, const char *a, const char *s, const char *f,
                      const char *e) {
            QTest::newRow(name) << QByteArray(m) << QByteArray(a) << QByteArray(s) << QByteArray(f)
                                << QByteArray(e);
        };
        row("includes", "arrayIncludes", "[1,2,3]", "2", R"("")", "true");
        row("includes absent", "arrayIncludes", "[1,2,3]", "4", R"("")", "false");
        row("includes is strict", "arrayIncludes", "[1,2]", R"("2")", R"("")", "false");
        row("includes 1 == 1.0", "arrayIncludes", "[1.0]", "1", "undefined", "true");
        row("includes null", "arrayIncludes", "[0,null]", "null", R"("")", "true");
        row("includes deep", "arrayIncludes", R"([[1],{"a":1}])", R"({"a":1})", R"("")", "true");
        row("includes from 1", "arrayIncludes", "[1,2,3]", "1", "1", "false");
        row("includes from -1", "arrayIncludes", "[1,2,3]", "3", "-1", "true");
        row("includes from -1 misses", "arrayIncludes", "[1,2,3]", "2", "-1", "false");
        row("includes from -10", "arrayIncludes", "[1,2,3]", "1", "-10", "true");
        row("includes from past end", "arrayIncludes", "[1,2,3]", "3", "5", "false");
        row("includes from text", "arrayIncludes", "[1,2,3]", "1", R"("1")", "false");
        row("includes fractional from", "arrayIncludes", "[1,2,3]", "2", "1.9", "true");
        row("includes undefined", "arrayIncludes", "[null]", "undefined", R"("")", "false");
        row("indexOf", "arrayIndexOf", "[1,2,3,2]", "2", R"("")", "1");
        row("indexOf from", "arrayIndexOf", "[1,2,3,2]", "2", "2", "3");
        row("indexOf negative from", "arrayIndexOf", "[1,2,3,2]", "2", "-1", "3");
        row("indexOf absent", "arrayIndexOf", "[1,2,3]", "9", R"("")", "-1");
        row("indexOf strict", "arrayIndexOf", "[1,2,3]", R"("1")", R"("")", "-1");
        row("indexOf string", "arrayIndexOf", R"(["a","b"])", R"("b")", R"("")", "1");
        row("indexOf deep", "arrayIndexOf", R"([{"a":1}])", R"({"a":1})", R"("")", "0");
    }

    void search()
    {
        QFETCH(QByteArray, method);
        QFETCH(QByteArray, arr);
        QFETCH(QByteArray, searchElement);
        QFETCH(QByteArray, fromIndex);
        QFETCH(QByteArray, expected);
        const auto r =
            runWith(method.constData(),
                    {{"arr", arr}, {"searchElement", searchElement}, {"fromIndex", fromIndex}});
        VERIFY_FINISH(r, "success");
        QCOMPARE_JSON(r.outgoing[method == "arrayIncludes" ? "result" : "index"],
                      *tableValue(expected));
    }

    void searchNaN()
    {
        const json nan = std::numeric_limits<double>::quiet_NaN();
        const json arr = json::array({1, nan});
        // SameValueZero finds NaN; strict equality never does.
        QCOMPARE_JSON(MethodHarness()
                          .run("arrayIncludes", {{"arr", arr}, {"searchElement", nan}})
                          .outgoing["result"],
                      json(true));
        QCOMPARE_JSON(MethodHarness()
                          .run("arrayIndexOf", {{"arr", arr}, {"searchElement", nan}})
                          .outgoing["index"],
                      json(-1));
    }

    void searchErrors()
    {
        VERIFY_ERROR(MethodHarness().run("arrayIncludes", {{"arr", "abc"}, {"searchElement", "a"}}),
                     "arrayIncludes: \"arr\" must be an array, got string");
        VERIFY_ERROR(
            MethodHarness().run("arrayIndexOf",
                                {{"arr", {1}}, {"searchElement", 1}, {"fromIndex", "abc"}}),
            "arrayIndexOf: \"fromIndex\" must be a number, got \"abc\"");
        VERIFY_ERROR(MethodHarness().run("arrayIncludes",
                                         {{"arr", {1}}, {"searchElement", 1}, {"fromIndex", {1}}}),
                     "\"fromIndex\" must be a number, got array");
    }

    void join_data()
    {
        QTest::addColumn<QByteArray>("arr");
        QTest::addColumn<QByteArray>("separator");
        QTest::addColumn<QString>("expected");
        QTest::newRow("separator")
            << QByteArray(R"(["a","b","c"])") << QByteArray(R"("-")") << QStringLiteral("a-b-c");
        QTest::newRow("default comma")
            << QByteArray(R"(["a","b"])") << QByteArray("undefined") << QStringLiteral("a,b");
        QTest::newRow("empty separator")
            << QByteArray(R"(["a","b"])") << QByteArray(R"("")") << QStringLiteral("ab");
        QTest::newRow("null elements empty")
            << QByteArray(R"([1,null,"a"])") << QByteArray(R"("-")") << QStringLiteral("1--a");
        QTest::newRow("nested and objects")
            << QByteArray(R"([[1,[2,null]],{"a":1},1.50,true])") << QByteArray(R"(" ")")
            << QStringLiteral("1,2, [object Object] 1.5 true");
        QTest::newRow("empty array") << QByteArray("[]") << QByteArray(R"("-")") << QString();
        QTest::newRow("number separator")
            << QByteArray("[1,2]") << QByteArray("0") << QStringLiteral("102");
    }

    void join()
    {
        QFETCH(QByteArray, arr);
        QFETCH(QByteArray, separator);
        QFETCH(QString, expected);
        const auto r = runWith("join", {{"arr", arr}, {"separator", separator}});
        VERIFY_FINISH(r, "success");
        QCOMPARE_JSON(r.outgoing, (json{{"joinedElements", expected.toStdString()}}));
    }

    void joinError()
    {
        VERIFY_ERROR(MethodHarness().run("join", {{"arr", {{"a", 1}}}, {"separator", ","}}),
                     "join: \"arr\" must be an array, got object");
    }

    void isArray()
    {
        QCOMPARE_JSON(MethodHarness().run("isArray", {{"value", {1}}}).outgoing,
                      (json{{"result", true}}));
        QCOMPARE_JSON(
            MethodHarness().run("isArray", {{"value", json::object()}}).outgoing["result"],
            json(false));
        QCOMPARE_JSON(MethodHarness().run("isArray", {{"value", "[1]"}}).outgoing["result"],
                      json(false));
        QCOMPARE_JSON(MethodHarness().run("isArray", json::object()).outgoing["result"],
                      json(false));
        QCOMPARE_JSON(MethodHarness().run("isArray", {{"arr", json::array()}}).outgoing["result"],
                      json(true));
    }

    // ---- strings ------------------------------------------------------------------------------

    void stringLength()
    {
        QCOMPARE_JSON(
            MethodHarness().run("stringLength", {{"str", "h\xC3\xA9llo\xF0\x9F\x98\x80"}}).outgoing,
            (json{{"length", 7}}));
        QCOMPARE_JSON(MethodHarness().run("stringLength", {{"str", ""}}).outgoing["length"],
                      json(0));
        VERIFY_ERROR(MethodHarness().run("stringLength", {{"str", {1, 2}}}),
                     "stringLength: \"str\" must be a string, got array");
    }

    void split_data()
    {
        QTest::addColumn<QByteArray>("str");
        QTest::addColumn<QByteArray>("separator");
        QTest::addColumn<QByteArray>("limit");
        QTest::addColumn<QByteArray>("expected");
        auto row = [](const char *name, const char *s, const char *sep, const char *l,
                      const char *e) {
            QTest::newRow(name) << QByteArray(s) << QByteArray(sep) << QByteArray(l)
                                << QByteArray(e);
        };
        row("comma", R"("a,b,c")", R"(",")", R"("")", R"(["a","b","c"])");
        row("limit 2", R"("a,b,c")", R"(",")", "2", R"(["a","b"])");
        row("limit 0", R"("a,b,c")", R"(",")", "0", "[]");
        row("limit -1 is no limit", R"("a,b,c")", R"(",")", "-1", R"(["a","b","c"])");
        row("limit as text", R"("a,b,c")", R"(",")", R"("1")", R"(["a"])");
        row("fractional limit", R"("a,b,c")", R"(",")", "2.9", R"(["a","b"])");
        row("limit past count", R"("a,b")", R"(",")", "10", R"(["a","b"])");
        row("empty fields", R"(",a,,b,")", R"(",")", R"("")", R"(["","a","","b",""])");
        row("multi-char separator", R"("xabyabz")", R"("ab")", R"("")", R"(["x","y","z"])");
        row("separator not found", R"("abc")", R"(";")", R"("")", R"(["abc"])");
        row("empty separator", R"("abc")", R"("")", R"("")", R"(["a","b","c"])");
        row("empty separator with limit", R"("abc")", R"("")", "2", R"(["a","b"])");
        row("no separator", R"("a,b")", "undefined", R"("")", R"(["a,b"])");
        row("no separator, limit 0", R"("a,b")", "undefined", "0", "[]");
        row("empty string", R"("")", R"(",")", R"("")", R"([""])");
        row("empty string, empty separator", R"("")", R"("")", R"("")", "[]");
        row("number separator", R"("10203")", "0", R"("")", R"(["1","2","3"])");
        row("unicode", R"("é-ü")", R"("-")", R"("")", R"(["é","ü"])");
    }

    void split()
    {
        QFETCH(QByteArray, str);
        QFETCH(QByteArray, separator);
        QFETCH(QByteArray, limit);
        QFETCH(QByteArray, expected);
        const auto r = runWith("split", {{"str", str}, {"separator", separator}, {"limit", limit}});
        VERIFY_FINISH(r, "success");
        QCOMPARE_JSON(r.outgoing, (json{{"splitArray", *tableValue(expected)}}));
    }

    void splitErrors()
    {
        VERIFY_ERROR(MethodHarness().run("split", {{"str", 5}, {"separator", ","}}),
                     "split: \"str\" must be a string, got number");
        VERIFY_ERROR(
            MethodHarness().run("split", {{"str", "a"}, {"separator", ","}, {"limit", {{"n", 1}}}}),
            "split: \"limit\" must be a number, got object");
    }

    void substring_data()
    {
        QTest::addColumn<QByteArray>("start");
        QTest::addColumn<QByteArray>("end");
        QTest::addColumn<QString>("expected");
        // "Mozilla".substring(start, end)
        QTest::newRow("0,1") << QByteArray("0") << QByteArray("1") << QStringLiteral("M");
        QTest::newRow("swapped") << QByteArray("1") << QByteArray("0") << QStringLiteral("M");
        QTest::newRow("swapped longer")
            << QByteArray("5") << QByteArray("2") << QStringLiteral("zil");
        QTest::newRow("end empty is to end")
            << QByteArray("4") << QByteArray(R"("")") << QStringLiteral("lla");
        QTest::newRow("end absent")
            << QByteArray("4") << QByteArray("undefined") << QStringLiteral("lla");
        QTest::newRow("negative start")
            << QByteArray("-5") << QByteArray("2") << QStringLiteral("Mo");
        QTest::newRow("end past length")
            << QByteArray("2") << QByteArray("100") << QStringLiteral("zilla");
        QTest::newRow("NaN start")
            << QByteArray(R"("x")") << QByteArray("3") << QStringLiteral("Moz");
        QTest::newRow("null start")
            << QByteArray("null") << QByteArray("2") << QStringLiteral("Mo");
        QTest::newRow("start absent")
            << QByteArray("undefined") << QByteArray("3") << QStringLiteral("Moz");
        QTest::newRow("fractions truncate")
            << QByteArray("1.7") << QByteArray("3.2") << QStringLiteral("oz");
        QTest::newRow("numeric text")
            << QByteArray(R"("2")") << QByteArray(R"("4")") << QStringLiteral("zi");
        QTest::newRow("equal") << QByteArray("3") << QByteArray("3") << QString();
        QTest::newRow("both negative") << QByteArray("-3") << QByteArray("-1") << QString();
    }

    void substring()
    {
        QFETCH(QByteArray, start);
        QFETCH(QByteArray, end);
        QFETCH(QString, expected);
        const auto r = runWith(
            "substring",
            {{"str", QByteArray(R"("Mozilla")")}, {"indexStart", start}, {"indexEnd", end}});
        VERIFY_FINISH(r, "success");
        QCOMPARE_JSON(r.outgoing, (json{{"substring", expected.toStdString()}}));
    }

    void substringUtf16()
    {
        // The emoji is two UTF-16 code units.
        const auto r = MethodHarness().run("substring", {{"str", "a\xF0\x9F\x98\x80"
                                                                 "b"},
                                                         {"indexStart", 1},
                                                         {"indexEnd", 3}});
        QCOMPARE_JSON(r.outgoing["substring"], json("\xF0\x9F\x98\x80"));
    }

    void substringErrors()
    {
        VERIFY_ERROR(MethodHarness().run("substring", {{"str", 1}, {"indexStart", 0}}),
                     "substring: \"str\" must be a string, got number");
        VERIFY_ERROR(MethodHarness().run("substring", {{"str", "abc"}, {"indexStart", {1}}}),
                     "substring: \"indexStart\" must be a number, got array");
        VERIFY_ERROR(
            MethodHarness().run("substring",
                                {{"str", "abc"}, {"indexStart", 0}, {"indexEnd", json::object()}}),
            "substring: \"indexEnd\" must be a number, got object");
    }

    void stringConcat()
    {
        QCOMPARE_JSON(
            MethodHarness().run("stringConcat", {{"str", "a"}, {"stringN", "b"}}).outgoing,
            (json{{"combinedStrings", "ab"}}));
        QCOMPARE_JSON(MethodHarness()
                          .run("stringConcat", {{"str", "a"}, {"stringN", {"b", 1, "c"}}})
                          .outgoing["combinedStrings"],
                      json("ab1c"));
        QCOMPARE_JSON(MethodHarness()
                          .run("stringConcat", {{"str", "v"}, {"stringN", 2.50}})
                          .outgoing["combinedStrings"],
                      json("v2.5"));
        QCOMPARE_JSON(
            MethodHarness().run("stringConcat", {{"str", "a"}}).outgoing["combinedStrings"],
            json("a"));
        VERIFY_ERROR(MethodHarness().run("stringConcat", {{"str", nullptr}, {"stringN", "b"}}),
                     "stringConcat: \"str\" must be a string, got null");
    }

    void numberToString_data()
    {
        QTest::addColumn<QByteArray>("num");
        QTest::addColumn<QByteArray>("radix");
        QTest::addColumn<QString>("expected");
        QTest::newRow("hex") << QByteArray("255") << QByteArray("16") << QStringLiteral("ff");
        QTest::newRow("radix as text")
            << QByteArray("-255") << QByteArray(R"("16")") << QStringLiteral("-ff");
        QTest::newRow("default radix")
            << QByteArray("255") << QByteArray(R"("")") << QStringLiteral("255");
        QTest::newRow("80.0 prints 80")
            << QByteArray("80.0") << QByteArray("undefined") << QStringLiteral("80");
        QTest::newRow("binary fraction")
            << QByteArray("0.5") << QByteArray("2") << QStringLiteral("0.1");
        QTest::newRow("hex fraction")
            << QByteArray("0.1") << QByteArray("16") << QStringLiteral("0.1999999999999a");
        QTest::newRow("base 36") << QByteArray("1295") << QByteArray("36") << QStringLiteral("zz");
        QTest::newRow("exponent in base 10")
            << QByteArray("1e21") << QByteArray("10") << QStringLiteral("1e+21");
        QTest::newRow("small in base 10")
            << QByteArray("1e-7") << QByteArray("10") << QStringLiteral("1e-7");
    }

    void numberToString()
    {
        QFETCH(QByteArray, num);
        QFETCH(QByteArray, radix);
        QFETCH(QString, expected);
        const auto r = runWith("numberToString", {{"num", num}, {"radix", radix}});
        VERIFY_FINISH(r, "success");
        QCOMPARE_JSON(r.outgoing, (json{{"numToString", expected.toStdString()}}));
    }

    void numberToStringErrors()
    {
        VERIFY_ERROR(MethodHarness().run("numberToString", {{"num", 5}, {"radix", 1}}),
                     "numberToString: \"radix\" must be between 2 and 36, got 1");
        VERIFY_ERROR(MethodHarness().run("numberToString", {{"num", 5}, {"radix", 37}}), "got 37");
        VERIFY_ERROR(MethodHarness().run("numberToString", {{"num", 5}, {"radix", "hex"}}),
                     "\"radix\" must be a number, got \"hex\"");
        VERIFY_ERROR(MethodHarness().run("numberToString", {{"num", "255"}, {"radix", 16}}),
                     "numberToString: \"num\" must be a number, got string");
    }

    // ---- time ---------------------------------------------------------------------------------

    void getTime_data()
    {
        QTest::addColumn<QByteArray>("zone");
        QTest::addColumn<QByteArray>("offsetDuration");
        QTest::addColumn<QByteArray>("format");
        QTest::addColumn<QString>("expected");
        // The harness clock is 2023-11-14T22:13:20.123Z, a Tuesday.
        auto row = [](const char *name, const char *tz, const char *d, const char *f,
                      const char *e) {
            QTest::newRow(name) << QByteArray(tz) << QByteArray(d) << QByteArray(f)
                                << QString::fromUtf8(e);
        };
        row("defaults", R"("")", R"("")", R"("")", "2023-11-14T22:13:20.123Z");
        row("all absent", "undefined", "undefined", "undefined", "2023-11-14T22:13:20.123Z");
        row("negative offset", R"("-04:00")", R"("")", R"("")", "2023-11-14T18:13:20.123-04:00");
        row("offset without colon", R"("+0530")", R"("")", R"("")",
            "2023-11-15T03:43:20.123+05:30");
        row("UTC name", R"("UTC")", R"("")", R"("")", "2023-11-14T22:13:20.123Z");
        row("IANA zone", R"("America/New_York")", R"("")", R"("")",
            "2023-11-14T17:13:20.123-05:00");
        row("duration hours", R"("")", R"({"hours":2})", R"("")", "2023-11-15T00:13:20.123Z");
        row("duration mixed", R"("")", R"({"days":-1,"minutes":30,"ms":7})", R"("")",
            "2023-11-13T22:43:20.130Z");
        row("duration months", R"("")", R"({"months":3,"years":1})", R"("")",
            "2025-02-14T22:13:20.123Z");
        row("format", R"("")", R"("")", R"("YYYY-MM-DD HH:mm:ss")", "2023-11-14 22:13:20");
        row("format names", R"("")", R"("")", R"("[Day] ddd, MMM Do YYYY h:mm A ZZ")",
            "Day Tue, Nov 14th 2023 10:13 PM +0000");
        row("format with zone", R"("-04:00")", R"("")", R"("dddd D/M/YY hh:mm:ss.SSS a Z")",
            "Tuesday 14/11/23 06:13:20.123 pm -04:00");
        row("epoch ms", R"("+02:00")", R"("")", R"("x")", "1700000000123");
        row("epoch s", R"("")", R"("")", R"("X")", "1700000000");
    }

    void getTime()
    {
        QFETCH(QByteArray, zone);
        QFETCH(QByteArray, offsetDuration);
        QFETCH(QByteArray, format);
        QFETCH(QString, expected);
        const auto r =
            runWith("getTime",
                    {{"timezone", zone}, {"offsetDuration", offsetDuration}, {"format", format}});
        VERIFY_FINISH(r, "success");
        QCOMPARE_JSON(r.outgoing, (json{{"time", expected.toStdString()}}));
    }

    void getTimeErrors()
    {
        VERIFY_ERROR(MethodHarness().run("getTime", {{"timezone", "Mars/Base"}}),
                     "getTime: \"timezone\" must be a UTC offset like \"-04:00\"");
        VERIFY_ERROR(MethodHarness().run("getTime", {{"timezone", "+15:00"}}),
                     "offset out of range");
        VERIFY_ERROR(MethodHarness().run("getTime", {{"timezone", -4}}),
                     "getTime: \"timezone\" must be a string, got number");
        VERIFY_ERROR(MethodHarness().run("getTime", {{"offsetDuration", "2h"}}),
                     "getTime: \"offsetDuration\" must be an object");
        VERIFY_ERROR(MethodHarness().run("getTime", {{"offsetDuration", {{"fortnights", 1}}}}),
                     "unknown unit \"fortnights\"");
        VERIFY_ERROR(MethodHarness().run("getTime", {{"offsetDuration", {{"months", 1.5}}}}),
                     "\"offsetDuration.months\" must be a whole number");
        VERIFY_ERROR(MethodHarness().run("getTime", {{"format", 5}}),
                     "getTime: \"format\" must be a string, got number");
    }

    void calculateTimeDiff_data()
    {
        QTest::addColumn<QByteArray>("first");
        QTest::addColumn<QByteArray>("second");
        QTest::addColumn<qint64>("expected");
        QTest::newRow("later second is positive")
            << QByteArray(R"("2023-11-14T22:13:20.123Z")")
            << QByteArray(R"("2023-11-14T22:13:21.000Z")") << qint64(877);
        QTest::newRow("earlier second is negative")
            << QByteArray(R"("2023-11-14T22:13:21Z")") << QByteArray(R"("2023-11-14T22:13:20Z")")
            << qint64(-1000);
        QTest::newRow("offsets") << QByteArray(R"("2023-11-14T18:13:20-04:00")")
                                 << QByteArray(R"("2023-11-14T22:13:20Z")") << qint64(0);
        QTest::newRow("no zone is UTC") << QByteArray(R"("2023-11-14T22:13:20")")
                                        << QByteArray(R"("2023-11-14T22:13:20.000Z")") << qint64(0);
        QTest::newRow("epoch numbers") << QByteArray("1000") << QByteArray("3500") << qint64(2500);
        QTest::newRow("epoch text")
            << QByteArray(R"("1000")") << QByteArray(R"("1500")") << qint64(500);
        QTest::newRow("days") << QByteArray(R"("2023-11-13T00:00:00Z")")
                              << QByteArray(R"("2023-11-14T00:00:00Z")") << qint64(86400000);
    }

    void calculateTimeDiff()
    {
        QFETCH(QByteArray, first);
        QFETCH(QByteArray, second);
        QFETCH(qint64, expected);
        const auto r = runWith("calculateTimeDiff", {{"firstTime", first}, {"secondTime", second}});
        VERIFY_FINISH(r, "success");
        QCOMPARE_JSON(r.outgoing, (json{{"timeDiff", expected}}));
    }

    void calculateTimeDiffErrors()
    {
        VERIFY_ERROR(MethodHarness().run("calculateTimeDiff",
                                         {{"firstTime", "yesterday"}, {"secondTime", 1}}),
                     "calculateTimeDiff: \"firstTime\" must be an ISO 8601 time or epoch "
                     "milliseconds, got \"yesterday\"");
        VERIFY_ERROR(MethodHarness().run("calculateTimeDiff",
                                         {{"firstTime", 1}, {"secondTime", {{"t", 1}}}}),
                     "\"secondTime\" must be an ISO 8601 time or epoch milliseconds, got object");
        VERIFY_ERROR(MethodHarness().run("calculateTimeDiff", {{"firstTime", 1}}), "got undefined");
    }
};

QTEST_APPLESS_MAIN(TestJsMethods)
#include "TestJsMethods.moc"
