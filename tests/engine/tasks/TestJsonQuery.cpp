// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/tasks/JsonQuery.h"

#include "tests/support/JsonAsserts.h"

#include <QTest>

using namespace flowdeck::tasks;
using nlohmann::json;

namespace {

// "undefined" stands for std::nullopt in the data tables.
std::optional<json> value(const QByteArray &text)
{
    if (text == "undefined")
        return std::nullopt;
    return json::parse(text.toStdString());
}

const json &fixture()
{
    static const json data = json::parse(R"({
        "response": {"status": "ACTIVE", "items": [
            {"name": "eth0", "state": "up", "mtu": 1500, "enabled": true, "tags": ["a", "b"]},
            {"name": "eth1", "state": "down", "mtu": 9000, "enabled": false, "tags": ["c"]},
            {"name": "in-lo", "state": "up", "mtu": "65536", "enabled": true}
        ]},
        "some-key.with.dots": {"x": 1},
        "odd:key": 7,
        "zero": 0, "empty": "", "nothing": null, "flag": false,
        "nested": [[1, 2], [3, [4]]],
        "loop": [{"taskStatus": "ok", "childJobLoopIndex": 0},
                 {"taskStatus": "fail", "childJobLoopIndex": 1}],
        "selected": "eth1"
    })");
    return data;
}

} // namespace

class TestJsonQuery : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void query_data()
    {
        QTest::addColumn<QByteArray>("path");
        QTest::addColumn<QByteArray>("expected");

        QTest::newRow("empty path is the whole value")
            << QByteArray("") << QByteArray(fixture().dump().c_str());
        QTest::newRow("dotted") << QByteArray("response.status") << QByteArray(R"("ACTIVE")");
        QTest::newRow("index") << QByteArray("response.items[0].name") << QByteArray(R"("eth0")");
        QTest::newRow("index as key")
            << QByteArray("response.items.1.name") << QByteArray(R"("eth1")");
        QTest::newRow("leading dot") << QByteArray(".response.status") << QByteArray(R"("ACTIVE")");
        QTest::newRow("spaces trimmed")
            << QByteArray("response . status") << QByteArray(R"("ACTIVE")");
        QTest::newRow("index out of range")
            << QByteArray("response.items[5]") << QByteArray("undefined");
        QTest::newRow("negative index")
            << QByteArray("response.items[-1]") << QByteArray("undefined");
        QTest::newRow("missing key") << QByteArray("response.missing") << QByteArray("undefined");
        QTest::newRow("missing step")
            << QByteArray("response.missing.deeper") << QByteArray("undefined");
        QTest::newRow("null found") << QByteArray("nothing") << QByteArray("null");
        QTest::newRow("through null") << QByteArray("nothing.x") << QByteArray("undefined");
        QTest::newRow("through a number") << QByteArray("zero.x") << QByteArray("undefined");
        QTest::newRow("zero") << QByteArray("zero") << QByteArray("0");
        QTest::newRow("false") << QByteArray("flag") << QByteArray("false");
        QTest::newRow("empty string") << QByteArray("empty") << QByteArray(R"("")");
        QTest::newRow("string length") << QByteArray("response.status.length") << QByteArray("6");
        QTest::newRow("string index") << QByteArray("response.status[1]") << QByteArray(R"("C")");

        QTest::newRow("first match")
            << QByteArray("response.items[state=up].name") << QByteArray(R"("eth0")");
        QTest::newRow("all matches")
            << QByteArray("response.items[*state=up].name") << QByteArray(R"(["eth0","in-lo"])");
        QTest::newRow("no match, first")
            << QByteArray("response.items[state=gone]") << QByteArray("undefined");
        QTest::newRow("no match, all")
            << QByteArray("response.items[*state=gone]") << QByteArray("[]");
        QTest::newRow("filter on non-array")
            << QByteArray("response[state=up]") << QByteArray("undefined");
        QTest::newRow("not equal")
            << QByteArray("response.items[state!=up].name") << QByteArray(R"("eth1")");
        QTest::newRow("spaces around operator")
            << QByteArray("response.items[ state = down ].name") << QByteArray(R"("eth1")");
        QTest::newRow("number field = text")
            << QByteArray("response.items[mtu=1500].name") << QByteArray(R"("eth0")");
        QTest::newRow("number field = 1500.0")
            << QByteArray("response.items[mtu=1500.0].name") << QByteArray(R"("eth0")");
        QTest::newRow("string field = number text")
            << QByteArray("response.items[mtu=65536].name") << QByteArray(R"("in-lo")");
        QTest::newRow("true") << QByteArray("response.items[*enabled=true].name")
                              << QByteArray(R"(["eth0","in-lo"])");
        QTest::newRow("false") << QByteArray("response.items[*enabled=false].name")
                               << QByteArray(R"(["eth1"])");
        QTest::newRow("null is text, not null")
            << QByteArray("loop[*missing=null]") << QByteArray("[]");
        QTest::newRow("regex") << QByteArray("response.items[*name~/^eth/].name")
                               << QByteArray(R"(["eth0","eth1"])");
        QTest::newRow("negated regex") << QByteArray("response.items[*name!~/^in-.*$/].name")
                                       << QByteArray(R"(["eth0","eth1"])");
        QTest::newRow("regex i flag")
            << QByteArray("response.items[*name~/ETH/i].name") << QByteArray(R"(["eth0","eth1"])");
        QTest::newRow("regex with | kept whole")
            << QByteArray("response.items[*name~/0|lo/].name") << QByteArray(R"(["eth0","in-lo"])");
        QTest::newRow("regex on a number field")
            << QByteArray("response.items[*mtu~/1/].name") << QByteArray("[]");
        QTest::newRow("substring")
            << QByteArray("response.items[*name~th].name") << QByteArray(R"(["eth0","eth1"])");
        QTest::newRow("array field contains")
            << QByteArray("response.items[tags~c].name") << QByteArray(R"("eth1")");
        QTest::newRow("greater") << QByteArray("response.items[*mtu>1500].name")
                                 << QByteArray(R"(["eth1","in-lo"])");
        QTest::newRow("greater or equal") << QByteArray("response.items[*mtu>=1500].name")
                                          << QByteArray(R"(["eth0","eth1","in-lo"])");
        // "65536" < "9000" compares as text, as in JavaScript.
        QTest::newRow("less, string field")
            << QByteArray("response.items[*mtu<9000].name") << QByteArray(R"(["eth0","in-lo"])");
        QTest::newRow("less or equal")
            << QByteArray("response.items[*mtu<=1500].name") << QByteArray(R"(["eth0"])");
        QTest::newRow("and") << QByteArray("response.items[state=up&mtu>1500].name")
                             << QByteArray(R"("in-lo")");
        QTest::newRow("or") << QByteArray("response.items[*state=down|mtu=1500].name")
                            << QByteArray(R"(["eth0","eth1"])");
        QTest::newRow("sub-query value")
            << QByteArray("response.items[name={selected}].mtu") << QByteArray("9000");

        QTest::newRow("[*key] plucks")
            << QByteArray("response.items[*enabled]") << QByteArray("[true,false,true]");
        QTest::newRow("pluck from array")
            << QByteArray("response.items.name") << QByteArray(R"(["eth0","eth1","in-lo"])");
        QTest::newRow("pluck flattens arrays")
            << QByteArray("response.items.tags") << QByteArray(R"(["a","b","c"])");
        QTest::newRow("pluck skips undefined") << QByteArray("loop.nope") << QByteArray("[]");
        QTest::newRow("values") << QByteArray("nested[*]") << QByteArray("[[1,2],[3,[4]]]");
        QTest::newRow("flatten one level") << QByteArray("nested[**]") << QByteArray("[1,2,3,[4]]");
        QTest::newRow("flatten then pluck")
            << QByteArray("loop[**].taskStatus") << QByteArray(R"(["ok","fail"])");
        QTest::newRow("dotted key needs brackets")
            << QByteArray("some-key.with.dots") << QByteArray("undefined");
        QTest::newRow("values of missing") << QByteArray("missing[*]") << QByteArray("[]");
        QTest::newRow("bracket key with dots")
            << QByteArray("[some-key.with.dots].x") << QByteArray("1");
        QTest::newRow("get helper") << QByteArray(":get(odd:key)") << QByteArray("7");
        QTest::newRow("get helper chained")
            << QByteArray("response:get(status)") << QByteArray(R"("ACTIVE")");
        QTest::newRow("or, first truthy")
            << QByteArray("missing|response.status") << QByteArray(R"("ACTIVE")");
        QTest::newRow("or, falsy falls through to last")
            << QByteArray("zero|empty") << QByteArray(R"("")");
        QTest::newRow("chained filters")
            << QByteArray("loop[*childJobLoopIndex>=0][taskStatus=fail].childJobLoopIndex")
            << QByteArray("1");
    }

    void query()
    {
        QFETCH(QByteArray, path);
        QFETCH(QByteArray, expected);
        const auto result = jsonQuery(fixture(), path.toStdString());
        QVERIFY2(result.ok(), result.ok() ? "" : result.error().message.c_str());
        const auto want = value(expected);
        QCOMPARE(result->has_value(), want.has_value());
        if (want)
            QCOMPARE_JSON(**result, *want);
    }

    void undefinedData()
    {
        const auto whole = jsonQuery(std::optional<json>(), "");
        QVERIFY(whole.ok());
        QVERIFY(!whole->has_value());
        const auto step = jsonQuery(std::optional<json>(), "a.b");
        QVERIFY(step.ok());
        QVERIFY(!step->has_value());
    }

    void malformed_data()
    {
        QTest::addColumn<QByteArray>("path");
        QTest::addColumn<QByteArray>("message");
        QTest::newRow("unclosed bracket")
            << QByteArray("a[0") << QByteArray("unclosed '[' at position 1");
        QTest::newRow("stray bracket")
            << QByteArray("a.b]") << QByteArray("unexpected ']' at position 3");
        QTest::newRow("empty brackets") << QByteArray("a[]") << QByteArray("empty brackets");
        QTest::newRow("unknown helper")
            << QByteArray("a:upper") << QByteArray("unknown helper ':upper'");
        QTest::newRow("unsupported flag")
            << QByteArray("a[b~/x/s]") << QByteArray("unsupported regular expression flag 's'");
        QTest::newRow("bad regex")
            << QByteArray("a[b~/*x/]") << QByteArray("invalid regular expression");
        QTest::newRow("parent query") << QByteArray("..a") << QByteArray("parent query");
        QTest::newRow("condition without operator")
            << QByteArray("a[x=1&y]") << QByteArray("\"y\" has no operator");
        QTest::newRow("args without helper")
            << QByteArray("a(b)") << QByteArray("'(' must follow a :helper");
        QTest::newRow("meta braces")
            << QByteArray("a.{b}") << QByteArray("unexpected '{' at position 2");
        QTest::newRow("unclosed sub-query") << QByteArray("a[b={c]") << QByteArray("unclosed '['");
    }

    void malformed()
    {
        QFETCH(QByteArray, path);
        QFETCH(QByteArray, message);
        const auto result = jsonQuery(fixture(), path.toStdString());
        QVERIFY(!result.ok());
        QVERIFY2(result.error().message.find(message.toStdString()) != std::string::npos,
                 result.error().message.c_str());
        QVERIFY(result.error().code == flowdeck::ErrorCode::Invalid);
    }

    void set_data()
    {
        QTest::addColumn<QByteArray>("data");
        QTest::addColumn<QByteArray>("path");
        QTest::addColumn<QByteArray>("value");
        QTest::addColumn<QByteArray>("expected");
        QTest::newRow("replace whole")
            << QByteArray(R"({"a":1})") << QByteArray("") << QByteArray("[1]") << QByteArray("[1]");
        QTest::newRow("existing key") << QByteArray(R"({"a":{"b":1,"c":2}})") << QByteArray("a.b")
                                      << QByteArray("5") << QByteArray(R"({"a":{"b":5,"c":2}})");
        QTest::newRow("creates objects")
            << QByteArray("{}") << QByteArray("a.b.c") << QByteArray("true")
            << QByteArray(R"({"a":{"b":{"c":true}}})");
        QTest::newRow("null data")
            << QByteArray("null") << QByteArray("a") << QByteArray("1") << QByteArray(R"({"a":1})");
        QTest::newRow("index") << QByteArray(R"({"a":[1,2]})") << QByteArray("a[1]")
                               << QByteArray("9") << QByteArray(R"({"a":[1,9]})");
        QTest::newRow("index grows array")
            << QByteArray("[1]") << QByteArray("[3]") << QByteArray(R"("x")")
            << QByteArray(R"([1,null,null,"x"])");
        QTest::newRow("first match") << QByteArray(R"({"items":[{"id":1,"v":0},{"id":2,"v":0}]})")
                                     << QByteArray("items[id=2].v") << QByteArray("5")
                                     << QByteArray(R"({"items":[{"id":1,"v":0},{"id":2,"v":5}]})");
        QTest::newRow("bracket key") << QByteArray("{}") << QByteArray("[a.b]") << QByteArray("1")
                                     << QByteArray(R"({"a.b":1})");
    }

    void set()
    {
        QFETCH(QByteArray, data);
        QFETCH(QByteArray, path);
        QFETCH(QByteArray, value);
        QFETCH(QByteArray, expected);
        const auto result = jsonQuerySet(json::parse(data.toStdString()), path.toStdString(),
                                         json::parse(value.toStdString()));
        QVERIFY2(result.ok(), result.ok() ? "" : result.error().message.c_str());
        QCOMPARE_JSON(*result, json::parse(expected.toStdString()));
    }

    void setErrors_data()
    {
        QTest::addColumn<QByteArray>("data");
        QTest::addColumn<QByteArray>("path");
        QTest::addColumn<QByteArray>("message");
        QTest::newRow("multiple filter")
            << QByteArray(R"({"a":[{"id":1}]})") << QByteArray("a[*id=1].x")
            << QByteArray("multiple-match");
        QTest::newRow("no match") << QByteArray(R"({"a":[{"id":1}]})") << QByteArray("a[id=2].x")
                                  << QByteArray("matches no element");
        QTest::newRow("into a string") << QByteArray(R"({"a":"text"})") << QByteArray("a.b")
                                       << QByteArray("cannot set key \"b\" on a string");
        QTest::newRow("values") << QByteArray(R"({"a":[1]})") << QByteArray("a[*]")
                                << QByteArray("[*]");
        QTest::newRow("runaway index") << QByteArray("[]") << QByteArray("[5000000]")
                                       << QByteArray("cannot set index 5000000");
        QTest::newRow("filter on object") << QByteArray(R"({"a":{}})") << QByteArray("a[x=1].y")
                                          << QByteArray("through a filter on an object");
        QTest::newRow("alternatives")
            << QByteArray("{}") << QByteArray("a|b") << QByteArray("alternatives");
        QTest::newRow("malformed")
            << QByteArray("{}") << QByteArray("a[") << QByteArray("unclosed");
    }

    void setErrors()
    {
        QFETCH(QByteArray, data);
        QFETCH(QByteArray, path);
        QFETCH(QByteArray, message);
        const auto result = jsonQuerySet(json::parse(data.toStdString()), path.toStdString(), 1);
        QVERIFY(!result.ok());
        QVERIFY2(result.error().message.find(message.toStdString()) != std::string::npos,
                 result.error().message.c_str());
    }
};

QTEST_APPLESS_MAIN(TestJsonQuery)
#include "TestJsonQuery.moc"
