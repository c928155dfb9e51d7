// SPDX-License-Identifier: GPL-3.0-or-later
// parseJson: the one door for outside JSON. Depth is bounded before a tree is built, and every
// failure is a Result with a position and a readable reason, never an exception.
#include "engine/model/JsonParse.h"

#include <QTest>

using namespace flowdeck;
using nlohmann::json;

class TestJsonParse : public QObject
{
    Q_OBJECT

    static std::string nested(int depth, char open = '[', char close = ']')
    {
        return std::string(std::size_t(depth), open) + "1" + std::string(std::size_t(depth), close);
    }

private Q_SLOTS:
    void depthIsBoundedAtTheLimit()
    {
        QVERIFY(parseJson(nested(kMaxJsonDepth)).ok());
        auto over = parseJson(nested(kMaxJsonDepth + 1));
        QVERIFY(!over.ok());
        QCOMPARE(over.error().code, ErrorCode::Invalid);
        const auto p = jsonParseProblem(over.error());
        QCOMPARE(p.offset, std::size_t(kMaxJsonDepth)); // the bracket that went one too deep
        QVERIFY2(p.reason.find("limit of 256 levels") != std::string::npos, p.reason.c_str());
        // A million levels cost one scan, not a stack.
        QVERIFY(!parseJson(nested(1'000'000)).ok());
        // A caller may ask for less or more.
        QVERIFY(!parseJson(nested(5), 4).ok());
        QVERIFY(parseJson(nested(1000), 1024).ok());
    }

    void bracketsInStringsDoNotCount()
    {
        const std::string text = "{\"a\": \"" + std::string(10'000, '[') + "\\\"[{\"}";
        auto parsed = parseJson(text);
        QVERIFY2(parsed.ok(), parsed.ok() ? "" : parsed.error().message.c_str());
        QCOMPARE((*parsed)["a"].get<std::string>().size(), std::size_t(10'003));
    }

    void syntaxErrorsHaveLineAndColumn()
    {
        auto r = parseJson("{\n  \"a\": [1,\n  2,,]\n}");
        QVERIFY(!r.ok());
        const auto p = jsonParseProblem(r.error());
        QCOMPARE(p.line, 3);
        QCOMPARE(p.column, 5);
        QVERIFY2(r.error().message.starts_with("malformed JSON at line 3, column 5: "),
                 r.error().message.c_str());
        QVERIFY(r.error().message.find("[json.exception") == std::string::npos);
    }

    void numbersNoDoubleHoldsAreRefusedWithTheirPlace()
    {
        auto r = parseJson("{\"name\": \"x\",\n \"a\": 1e99999}");
        QVERIFY(!r.ok());
        const auto p = jsonParseProblem(r.error());
        QVERIFY2(p.reason.find("number overflow") != std::string::npos, p.reason.c_str());
        QVERIFY2(p.reason.find("1e99999") != std::string::npos, p.reason.c_str());
        QCOMPARE(p.line, 2);
        QCOMPARE(p.column, 7);
        QVERIFY(!parseJson("-1e400").ok());
        QVERIFY(parseJson("1e308").ok());
    }

    void invalidUtf8IsRefusedWithAValidMessage()
    {
        for (const char *text : {"{\"name\":\"caf\xff\"}", "\"\xc0\xaf\"", "\"\xed\xa0\x80\""}) {
            auto r = parseJson(text);
            QVERIFY2(!r.ok(), text);
            // The message can itself go into a JSON answer.
            QVERIFY(json(r.error().message).dump().size() > 0);
            QCOMPARE(validUtf8(r.error().message), r.error().message);
        }
    }

    void validUtf8ReplacesOnlyWhatIsInvalid()
    {
        QCOMPARE(validUtf8("caf\xc3\xa9"), std::string("caf\xc3\xa9"));
        QCOMPARE(validUtf8("caf\xff"), std::string("caf\xef\xbf\xbd"));
        QCOMPARE(validUtf8("\xc0\xaf"), std::string("\xef\xbf\xbd\xef\xbf\xbd")); // overlong
        QCOMPARE(validUtf8("\xed\xa0\x80"),                                       // a surrogate
                 std::string("\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"));
        QCOMPARE(validUtf8("\xf0\x9f\x98\x80!"), std::string("\xf0\x9f\x98\x80!"));
        QCOMPARE(validUtf8("\xf0\x9f\x98"), std::string("\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"));
    }

    void shapeMeasuresDepthAndSize()
    {
        QCOMPARE(jsonShape(json(1)).depth, 0);
        QCOMPARE(jsonShape(json::array()).depth, 1);
        json deep = 1;
        for (int i = 0; i < 100'000; ++i) // built in memory, deeper than any parse allows
            deep = json::array({std::move(deep)});
        QCOMPARE(jsonShape(deep).depth, 100'000);
        const json doc = {{"name", std::string(1000, 'x')}, {"list", {1, 2, 3}}};
        const auto shape = jsonShape(doc);
        QCOMPARE(shape.depth, 2);
        const std::size_t actual = doc.dump().size();
        QVERIFY2(shape.bytes >= actual && shape.bytes < actual + 64,
                 qPrintable(QStringLiteral("%1 vs %2").arg(shape.bytes).arg(actual)));
    }
};

QTEST_GUILESS_MAIN(TestJsonParse)
#include "TestJsonParse.moc"
