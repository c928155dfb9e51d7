// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/validate/JsonSchema.h"

#include <QSet>
#include <QTest>

#include <algorithm>
#include <atomic>
#include <string>
#include <thread>
#include <vector>

using namespace flowdeck;
using namespace flowdeck::validate;
using nlohmann::json;

// QCOMPARE would try Qt's qCompare overloads through nlohmann's implicit conversions.
#define COMPARE_JSON(actual, expected)                                                             \
    do {                                                                                           \
        const json actualJson_ = (actual);                                                         \
        const json expectedJson_ = (expected);                                                     \
        QVERIFY2(actualJson_ == expectedJson_,                                                     \
                 ("actual " + actualJson_.dump() + ", expected " + expectedJson_.dump()).c_str()); \
    } while (false)

namespace {

// "keyword|instancePath|schemaPath" per issue, sorted, so a row can state every issue it expects.
QByteArrayList summarize(const std::vector<ValidationIssue> &issues, bool withSchemaPath = true)
{
    QByteArrayList out;
    for (const auto &issue : issues) {
        std::string line = issue.keyword + "|" + issue.instancePath;
        if (withSchemaPath)
            line += "|" + issue.schemaPath;
        out << QByteArray::fromStdString(line);
    }
    std::sort(out.begin(), out.end());
    return out;
}

QByteArrayList sorted(QByteArrayList list)
{
    std::sort(list.begin(), list.end());
    return list;
}

json parse(const QByteArray &text)
{
    return json::parse(text.toStdString());
}

JsonSchema compiled(const json &schema)
{
    auto result = JsonSchema::compile(schema);
    if (!result.ok())
        qFatal("schema did not compile: %s", result.error().details.dump().c_str());
    return std::move(result).value();
}

const ValidationIssue *findIssue(const std::vector<ValidationIssue> &issues,
                                 const std::string &keyword)
{
    for (const auto &issue : issues)
        if (issue.keyword == keyword)
            return &issue;
    return nullptr;
}

json nestedTree(int depth)
{
    json node = {{"name", "leaf"}};
    for (int i = 0; i < depth; ++i)
        node = {{"name", "n" + std::to_string(i)}, {"children", json::array({node})}};
    return node;
}

const char *const kTreeSchema = R"({
    "type": "object",
    "required": ["name"],
    "properties": {
        "name": {"type": "string"},
        "children": {"type": "array", "items": {"$ref": "#"}}
    }
})";

} // namespace

// Slot bodies live outside the class: moc stops reading a class body at some raw string
// literals, and would then miss every slot after the first.
class TestJsonSchema : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void validate_data();
    void validate();
    void format_data();
    void format();
    void check_data();
    void check();
    void checkAcceptsWellFormed_data();
    void checkAcceptsWellFormed();
    void checkReportsEveryProblem();
    void checkMessagesAndParams();
    void compileReportsDetails();
    void validateMessagesAndParams();
    void propertyNamesMessage();
    void recursiveRefOnTree();
    void refDepthIsBounded();
    void nestedRequiredDeepPointer();
    void pointerEscaping();
    void copiesShareTheSchema();
    void patternCompileErrorNamesPcre2Message();
    void catastrophicPatternIsBounded();
    void longValuesDoNotExhaustTheStack();
    void invalidUtf8ValueIsMatched();
    void patternsOnSeveralThreads();
};

void TestJsonSchema::validate_data()
{
    QTest::addColumn<QByteArray>("schema");
    QTest::addColumn<QByteArray>("instance");
    QTest::addColumn<QByteArrayList>("expected");
    const auto row = [](const char *name, const char *schema, const char *instance,
                        const QByteArrayList &expected) {
        QTest::newRow(name) << QByteArray(schema) << QByteArray(instance) << expected;
    };

    // type
    row("type string ok", R"({"type":"string"})", R"("a")", {});
    row("type string fails", R"({"type":"string"})", "5", {"type||#/type"});
    row("type list ok", R"({"type":["string","null"]})", "null", {});
    row("type list fails", R"({"type":["string","null"]})", "1", {"type||#/type"});
    row("integer accepts 1.0", R"({"type":"integer"})", "1.0", {});
    row("integer accepts -0.0", R"({"type":"integer"})", "-0.0", {});
    row("integer rejects 1.5", R"({"type":"integer"})", "1.5", {"type||#/type"});
    row("number accepts integer", R"({"type":"number"})", "3", {});
    row("number rejects string", R"({"type":"number"})", R"("3")", {"type||#/type"});
    row("object rejects array", R"({"type":"object"})", "[]", {"type||#/type"});
    row("array rejects object", R"({"type":"array"})", "{}", {"type||#/type"});
    row("boolean rejects 0", R"({"type":"boolean"})", "0", {"type||#/type"});
    row("null rejects false", R"({"type":"null"})", "false", {"type||#/type"});
    // enum / const
    row("enum ok", R"({"enum":["a",1,null]})", R"("a")", {});
    row("enum numeric equality", R"({"enum":["a",1,null]})", "1.0", {});
    row("enum fails", R"({"enum":["a",1,null]})", R"("b")", {"enum||#/enum"});
    row("const deep ok", R"({"const":{"a":[1,2]}})", R"({"a":[1.0,2]})", {});
    row("const order matters", R"({"const":{"a":[1,2]}})", R"({"a":[2,1]})", {"const||#/const"});
    row("const 1 equals 1.0", R"({"const":1})", "1.0", {});
    row("const type matters", R"({"const":1})", R"("1")", {"const||#/const"});
    // properties / required / additional / pattern
    row("properties ok", R"({"properties":{"a":{"type":"string"}}})", R"({"a":"x","b":1})", {});
    row("properties fails", R"({"properties":{"a":{"type":"string"}}})", R"({"a":1})",
        {"type|/a|#/properties/a/type"});
    row("properties ignore non-objects", R"({"properties":{"a":{"type":"string"}}})", "[1]", {});
    row("required ok", R"({"required":["a","b"]})", R"({"a":1,"b":null})", {});
    row("required one missing", R"({"required":["a","b"]})", R"({"a":1})",
        {"required||#/required"});
    row("required all missing reported", R"({"required":["a","b"]})", "{}",
        {"required||#/required", "required||#/required"});
    row("additionalProperties false", R"({"properties":{"a":{}},"additionalProperties":false})",
        R"({"a":1,"b":2,"c":3})",
        {"additionalProperties||#/additionalProperties",
         "additionalProperties||#/additionalProperties"});
    row("additionalProperties false ok", R"({"properties":{"a":{}},"additionalProperties":false})",
        R"({"a":1})", {});
    row("additionalProperties schema", R"({"additionalProperties":{"type":"integer"}})",
        R"({"x":"s","y":2})", {"type|/x|#/additionalProperties/type"});
    row("patternProperties", R"({"patternProperties":{"^x-":{"type":"string"}},
                                 "additionalProperties":false})",
        R"({"x-a":"s","x-b":1,"y":1})",
        {"type|/x-b|#/patternProperties/^x-/type", "additionalProperties||#/additionalProperties"});
    row("patternProperties searches", R"({"patternProperties":{"id":{"type":"integer"}}})",
        R"({"deviceid":"7"})", {"type|/deviceid|#/patternProperties/id/type"});
    row("propertyNames fails", R"({"propertyNames":{"pattern":"^[a-z]+$"}})",
        R"({"abc":1,"Abc":2})", {"propertyNames||#/propertyNames"});
    row("propertyNames ok", R"({"propertyNames":{"maxLength":3}})", R"({"ab":1})", {});
    row("minProperties fails", R"({"minProperties":2})", R"({"a":1})",
        {"minProperties||#/minProperties"});
    row("minProperties ok", R"({"minProperties":2})", R"({"a":1,"b":2})", {});
    row("maxProperties fails", R"({"maxProperties":1})", R"({"a":1,"b":2})",
        {"maxProperties||#/maxProperties"});
    row("maxProperties ok", R"({"maxProperties":1})", R"({"a":1})", {});
    row("dependencies array fails", R"({"dependencies":{"a":["b","c"]}})", R"({"a":1,"b":2})",
        {"dependencies||#/dependencies"});
    row("dependencies array ok", R"({"dependencies":{"a":["b"]}})", R"({"a":1,"b":2})", {});
    row("dependencies absent trigger", R"({"dependencies":{"a":["b"]}})", R"({"c":1})", {});
    row("dependencies schema fails", R"({"dependencies":{"a":{"required":["b"]}}})", R"({"a":1})",
        {"required||#/dependencies/a/required"});
    row("dependencies schema ok", R"({"dependencies":{"a":{"required":["b"]}}})",
        R"({"a":1,"b":1})", {});
    row("escaped keys", R"({"properties":{"a/b":{"type":"string"},"c~d":{"type":"integer"}}})",
        R"({"a/b":1,"c~d":"x"})",
        {"type|/a~1b|#/properties/a~1b/type", "type|/c~0d|#/properties/c~0d/type"});
    // arrays
    row("items all fail", R"({"items":{"type":"integer"}})", R"([1,"x",3,"y"])",
        {"type|/1|#/items/type", "type|/3|#/items/type"});
    row("items ok", R"({"items":{"type":"integer"}})", "[1,2]", {});
    row("tuple fails", R"({"items":[{"type":"string"},{"type":"integer"}]})", R"(["a","b"])",
        {"type|/1|#/items/1/type"});
    row("tuple shorter ok", R"({"items":[{"type":"string"},{"type":"integer"}]})", R"(["a"])", {});
    row("tuple longer ok", R"({"items":[{"type":"string"}]})", R"(["a",1,true])", {});
    row("additionalItems false", R"({"items":[{}],"additionalItems":false})", "[1,2,3]",
        {"additionalItems||#/additionalItems"});
    row("additionalItems false ok", R"({"items":[{}],"additionalItems":false})", "[1]", {});
    row("additionalItems schema", R"({"items":[{}],"additionalItems":{"type":"string"}})",
        R"([1,"a",2])", {"type|/2|#/additionalItems/type"});
    row("additionalItems without tuple", R"({"items":{},"additionalItems":false})", "[1,2]", {});
    row("minItems fails", R"({"minItems":2})", "[1]", {"minItems||#/minItems"});
    row("minItems ok", R"({"minItems":2})", "[1,2]", {});
    row("maxItems fails", R"({"maxItems":1})", "[1,2]", {"maxItems||#/maxItems"});
    row("maxItems ok", R"({"maxItems":1})", "[]", {});
    row("uniqueItems fails", R"({"uniqueItems":true})", R"([1,{"a":1},{"a":1.0}])",
        {"uniqueItems||#/uniqueItems"});
    row("uniqueItems ok", R"({"uniqueItems":true})", R"([1,"1",[1],{"a":1}])", {});
    row("uniqueItems false allows", R"({"uniqueItems":false})", "[1,1]", {});
    row("contains ok", R"({"contains":{"type":"string"}})", R"([1,"a"])", {});
    row("contains fails", R"({"contains":{"type":"string"}})", "[1,2]", {"contains||#/contains"});
    row("contains empty fails", R"({"contains":{}})", "[]", {"contains||#/contains"});
    // strings
    row("minLength fails", R"({"minLength":3})", R"("ab")", {"minLength||#/minLength"});
    row("minLength ok", R"({"minLength":3})", R"("abc")", {});
    row("maxLength fails", R"({"maxLength":3})", R"("abcd")", {"maxLength||#/maxLength"});
    row("length counts umlauts once", R"({"minLength":3,"maxLength":3})", R"("äöü")", {});
    row("length counts CJK once", R"({"minLength":3})", R"("日本")", {"minLength||#/minLength"});
    row("length counts emoji once", R"({"maxLength":3})",
        "\"\xF0\x9F\x98\x80\xF0\x9F\x98\x80"
        "\xF0\x9F\x98\x80\"",
        {});
    row("pattern searches", R"({"pattern":"b+"})", R"("abbbc")", {});
    row("pattern fails", R"({"pattern":"b+"})", R"("ac")", {"pattern||#/pattern"});
    row("pattern dot is a code point", R"({"pattern":"^a.c$"})", R"("aéc")", {});
    row("pattern anchored fails", R"({"pattern":"^[0-9]+$"})", R"("12a")", {"pattern||#/pattern"});
    // Patterns as ECMAScript reads them, which std::regex could not compile.
    row("pattern lookbehind", R"({"pattern":"(?<!x)y"})", R"("ay")", {});
    row("pattern lookbehind fails", R"({"pattern":"(?<!x)y"})", R"("xy")", {"pattern||#/pattern"});
    row("pattern positive lookbehind", R"({"pattern":"(?<=\\$)\\d+"})", R"("cost $12")", {});
    const char *const lookahead = R"({"pattern":"^(?=.*\\d)(?=.*[a-z]).{8,}$"})";
    row("pattern lookahead", lookahead, R"("abcdefg1")", {});
    row("pattern lookahead fails", lookahead, R"("abcdefgh")", {"pattern||#/pattern"});
    row("pattern unicode letters", R"({"pattern":"^\\p{L}+$"})", R"("Ünïcødé")", {});
    row("pattern unicode letters fail", R"({"pattern":"^\\p{L}+$"})", R"("r1")",
        {"pattern||#/pattern"});
    row("pattern named group", R"({"pattern":"^(?<n>a)\\k<n>$"})", R"("aa")", {});
    row("pattern named group fails", R"({"pattern":"^(?<n>a)\\k<n>$"})", R"("ab")",
        {"pattern||#/pattern"});
    row("pattern \\u escape", R"({"pattern":"^caf\\u00e9$"})", R"("café")", {});
    row("pattern \\u escape fails", R"({"pattern":"^caf\\u00e9$"})", R"("cafe")",
        {"pattern||#/pattern"});
    row("pattern \\u{} escape", R"({"pattern":"^\\u{1F600}$"})", "\"\xF0\x9F\x98\x80\"", {});
    row("pattern [^] is any character", R"({"pattern":"^a[^]b$"})", R"("a\nb")", {});
    const char *const emoji = "\"\xF0\x9F\x98\x80\"";
    row("pattern dot is one astral code point", R"({"pattern":"^.$"})", emoji, {});
    row("pattern two dots need two code points", R"({"pattern":"^..$"})", emoji,
        {"pattern||#/pattern"});
    // ECMAScript's \d is ASCII only; an Arabic-Indic three is not a digit to it.
    row("pattern \\d is ASCII", R"({"pattern":"^\\d$"})", "\"\xD9\xA3\"", {"pattern||#/pattern"});
    row("pattern $ is the end", R"({"pattern":"^a$"})", R"("a\n")", {"pattern||#/pattern"});
    row("patternProperties lookbehind", R"({"patternProperties":{"(?<!_)id$":{"type":"integer"}}})",
        R"({"deviceid":"7","_id":"x"})", {"type|/deviceid|#/patternProperties/(?<!_)id$/type"});
    row("format ignores non-strings", R"({"format":"email"})", "5", {});
    row("format fails", R"({"format":"ipv4"})", R"("10.0.0.256")", {"format||#/format"});
    // numbers
    row("minimum equal ok", R"({"minimum":5})", "5", {});
    row("minimum fails", R"({"minimum":5})", "4.9", {"minimum||#/minimum"});
    row("minimum ignores strings", R"({"minimum":5})", R"("1")", {});
    row("maximum fails", R"({"maximum":5})", "6", {"maximum||#/maximum"});
    row("maximum ok", R"({"maximum":5})", "5.0", {});
    row("exclusiveMinimum fails on equal", R"({"exclusiveMinimum":5})", "5",
        {"exclusiveMinimum||#/exclusiveMinimum"});
    row("exclusiveMinimum ok", R"({"exclusiveMinimum":5})", "5.0001", {});
    row("exclusiveMaximum fails on equal", R"({"exclusiveMaximum":5})", "5.0",
        {"exclusiveMaximum||#/exclusiveMaximum"});
    row("exclusiveMaximum ok", R"({"exclusiveMaximum":5})", "-7", {});
    row("maximum exact for big integers", R"({"maximum":9007199254740992})", "9007199254740993",
        {"maximum||#/maximum"});
    row("multipleOf 0.01 accepts 0.3", R"({"multipleOf":0.01})", "0.3", {});
    row("multipleOf 0.01 accepts 19.99", R"({"multipleOf":0.01})", "19.99", {});
    row("multipleOf 0.01 rejects 0.305", R"({"multipleOf":0.01})", "0.305",
        {"multipleOf||#/multipleOf"});
    row("multipleOf 0.1 rejects 0.35", R"({"multipleOf":0.1})", "0.35",
        {"multipleOf||#/multipleOf"});
    row("multipleOf tiny is not a multiple", R"({"multipleOf":1})", "1e-20",
        {"multipleOf||#/multipleOf"});
    row("multipleOf integer ok", R"({"multipleOf":3})", "-9", {});
    row("multipleOf integer fails", R"({"multipleOf":3})", "10", {"multipleOf||#/multipleOf"});
    row("multipleOf big unsigned", R"({"multipleOf":2})", "18446744073709551614", {});
    // combinators
    row("allOf reports each branch", R"({"allOf":[{"type":"integer"},{"minimum":3}]})", "2.5",
        {"type||#/allOf/0/type", "minimum||#/allOf/1/minimum"});
    row("allOf ok", R"({"allOf":[{"type":"integer"},{"minimum":3}]})", "4", {});
    row("anyOf ok", R"({"anyOf":[{"type":"string"},{"type":"integer"}]})", "1", {});
    row("anyOf one issue", R"({"anyOf":[{"type":"string"},{"type":"integer"}]})", "true",
        {"anyOf||#/anyOf"});
    row("oneOf exactly one", R"({"oneOf":[{"type":"integer"},{"minimum":2}]})", "1", {});
    row("oneOf none", R"({"oneOf":[{"type":"integer"},{"minimum":2}]})", "1.5", {"oneOf||#/oneOf"});
    row("oneOf both", R"({"oneOf":[{"type":"integer"},{"minimum":2}]})", "3", {"oneOf||#/oneOf"});
    row("not fails", R"({"not":{"type":"string"}})", R"("a")", {"not||#/not"});
    row("not ok", R"({"not":{"type":"string"}})", "1", {});
    row("if then fails",
        R"({"if":{"properties":{"kind":{"const":"vm"}}},
            "then":{"required":["cpu"]},"else":{"required":["port"]}})",
        R"({"kind":"vm"})", {"required||#/then/required", "if||#/if"});
    row("if else fails",
        R"({"if":{"properties":{"kind":{"const":"vm"}}},
            "then":{"required":["cpu"]},"else":{"required":["port"]}})",
        R"({"kind":"net"})", {"required||#/else/required", "if||#/if"});
    row("if then ok",
        R"({"if":{"properties":{"kind":{"const":"vm"}}},
            "then":{"required":["cpu"]},"else":{"required":["port"]}})",
        R"({"kind":"vm","cpu":2})", {});
    row("then without if ignored", R"({"then":false,"else":false})", "1", {});
    // $ref and boolean schemas
    row("ref to definition",
        R"({"definitions":{"name":{"type":"string"}},
            "properties":{"a":{"$ref":"#/definitions/name"}}})",
        R"({"a":1})", {"type|/a|#/definitions/name/type"});
    row("ref siblings ignored",
        R"({"definitions":{"x":{"type":"integer"}},
            "properties":{"a":{"$ref":"#/definitions/x","minimum":10}}})",
        R"({"a":1})", {});
    row("ref escaped pointer",
        R"({"definitions":{"a/b":{"type":"string"},"c d":{"type":"integer"}},
            "items":[{"$ref":"#/definitions/a~1b"},{"$ref":"#/definitions/c%20d"}]})",
        "[1,true]", {"type|/0|#/definitions/a~1b/type", "type|/1|#/definitions/c d/type"});
    row("ref plain-name id",
        R"({"definitions":{"n":{"$id":"#num","type":"number"}},"items":{"$ref":"#num"}})",
        R"([1,"x"])", {"type|/1|#/definitions/n/type"});
    row("ref relative id",
        R"({"$id":"http://example.com/root.json",
            "definitions":{"a":{"$id":"item.json","type":"string"}},
            "items":[{"$ref":"item.json"},{"$ref":"http://example.com/item.json"}]})",
        "[1,2]", {"type|/0|#/definitions/a/type", "type|/1|#/definitions/a/type"});
    row("ref absolute to self",
        R"({"$id":"http://example.com/root.json","definitions":{"a":{"type":"string"}},
            "properties":{"x":{"$ref":"http://example.com/root.json#/definitions/a"}}})",
        R"({"x":1})", {"type|/x|#/definitions/a/type"});
    row("true schema", "true", R"({"anything":[1]})", {});
    row("empty schema", "{}", "null", {});
    row("false schema", "false", "1", {"false schema||#"});
    row("false subschema", R"({"properties":{"a":false}})", R"({"a":1})",
        {"false schema|/a|#/properties/a"});
    row("unknown keywords ignored", R"({"x-itential":{"type":"string"},"type":"integer"})", "1",
        {});
}

void TestJsonSchema::validate()
{
    QFETCH(QByteArray, schema);
    QFETCH(QByteArray, instance);
    QFETCH(QByteArrayList, expected);
    const JsonSchema compiledSchema = compiled(parse(schema));
    const auto issues = compiledSchema.validate(parse(instance));
    QCOMPARE(summarize(issues), sorted(expected));
    for (const auto &issue : issues) {
        QVERIFY2(!issue.message.empty(), issue.keyword.c_str());
        QVERIFY(issue.params.is_object());
        QCOMPARE(issue.severity, Severity::Error);
    }
}

void TestJsonSchema::format_data()
{
    QTest::addColumn<QByteArray>("format");
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<bool>("valid");
    const auto row = [](const char *format, const char *value, bool valid) {
        QTest::addRow("%s %s", format, value) << QByteArray(format) << QByteArray(value) << valid;
    };
    row("date-time", "2024-02-29T12:30:00Z", true);
    row("date-time", "2024-01-01t10:00:00.123+02:00", true);
    row("date-time", "2016-12-31T23:59:60Z", true);
    row("date-time", "2024-01-01 10:00:00Z", true);
    row("date-time", "2023-02-29T12:30:00Z", false);
    row("date-time", "2024-01-01T25:00:00Z", false);
    row("date-time", "2024-01-01T10:00:00", false);
    row("date-time", "2024-01-01T12:59:60Z", false);
    row("date-time", "2024-01-01", false);
    row("date", "2024-12-31", true);
    row("date", "2000-02-29", true);
    row("date", "1900-02-29", false);
    row("date", "2024-13-01", false);
    row("date", "2024-1-01", false);
    row("time", "08:30:06Z", true);
    row("time", "08:30:06.5+05:30", true);
    row("time", "08:30", false);
    row("time", "24:00:00Z", false);
    row("time", "08:30:06+5:30", false);
    row("email", "ops@example.com", true);
    row("email", "first.last+tag@sub.example.org", true);
    row("email", "no-at.example.com", false);
    row("email", "a@b", false);
    row("email", "a..b@example.com", false);
    row("email", "a b@example.com", false);
    row("ipv4", "192.168.0.1", true);
    row("ipv4", "0.0.0.0", true);
    row("ipv4", "256.1.1.1", false);
    row("ipv4", "01.2.3.4", false);
    row("ipv4", "1.2.3", false);
    row("ipv4", "1.2.3.4.", false);
    row("ipv6", "::1", true);
    row("ipv6", "::", true);
    row("ipv6", "2001:db8::8a2e:370:7334", true);
    row("ipv6", "::ffff:192.0.2.128", true);
    row("ipv6", "1:2:3:4:5:6:7:8", true);
    row("ipv6", "1:2:3:4:5:6:7:8:9", false);
    row("ipv6", "1:2:3:4:5:6:7", false);
    row("ipv6", "1::2::3", false);
    row("ipv6", "12345::", false);
    row("ipv6", ":1:2:3:4:5:6:7", false);
    row("ipv6", "", false);
    row("hostname", "router-1.example.com", true);
    row("hostname", "localhost", true);
    row("hostname", "-bad.example.com", false);
    row("hostname", "a_b.example", false);
    row("hostname", "a..b", false);
    row("hostname", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.com", false);
    row("uri", "https://example.com/path?q=1#frag", true);
    row("uri", "urn:isbn:0451450523", true);
    row("uri", "http://[::1]:8080/x%20y", true);
    row("uri", "//example.com/relative", false);
    row("uri", "http://exa mple.com", false);
    row("uri", "http://example.com:80a/", false);
    row("uri", "http://example.com/%zz", false);
    row("uuid", "123e4567-e89b-12d3-a456-426614174000", true);
    row("uuid", "urn:uuid:123E4567-E89B-12D3-A456-426614174000", true);
    row("uuid", "123e4567e89b12d3a456426614174000", false);
    row("uuid", "123e4567-e89b-12d3-a456-42661417400g", false);
    row("regex", "^[a-z]+(\\d{2})?$", true);
    row("regex", "(", false);
    row("regex", "(?<=a)b\\p{Lu}(?<n>c)\\k<n>", true);
    row("regex", "(?<n>a)(?<n>b)", false);
    row("x-custom", "anything at all", true);
}

void TestJsonSchema::format()
{
    QFETCH(QByteArray, format);
    QFETCH(QByteArray, value);
    QFETCH(bool, valid);
    const JsonSchema schema = compiled({{"format", format.toStdString()}});
    const auto issues = schema.validate(value.toStdString());
    QCOMPARE(issues.empty(), valid);
    if (!valid) {
        QCOMPARE(issues.front().keyword, std::string("format"));
        COMPARE_JSON(issues.front().params, (json{{"format", format.toStdString()}}));
        QCOMPARE(issues.front().message, "must match format \"" + format.toStdString() + "\"");
    }
}

void TestJsonSchema::check_data()
{
    QTest::addColumn<QByteArray>("schema");
    QTest::addColumn<QByteArrayList>("expected");
    const auto row = [](const char *name, const char *schema, const QByteArrayList &expected) {
        QTest::newRow(name) << QByteArray(schema) << expected;
    };
    row("root is a string", R"("string")", {"schema|/inputSchema"});
    row("root is an array", R"([{"type":"string"}])", {"schema|/inputSchema"});
    row("unknown type", R"({"type":"strng"})", {"type|/inputSchema/type"});
    row("unknown type in list", R"({"type":["string","strng"]})", {"type|/inputSchema/type/1"});
    row("duplicate type", R"({"type":["string","string"]})", {"type|/inputSchema/type/1"});
    row("type is a number", R"({"type":5})", {"type|/inputSchema/type"});
    row("type is empty list", R"({"type":[]})", {"type|/inputSchema/type"});
    row("properties is an array", R"({"properties":[]})", {"properties|/inputSchema/properties"});
    row("property is not a schema", R"({"properties":{"a":"string"}})",
        {"properties|/inputSchema/properties/a"});
    row("nested bad type", R"({"properties":{"a":{"items":{"type":"strng"}}}})",
        {"type|/inputSchema/properties/a/items/type"});
    row("required is a string", R"({"required":"a"})", {"required|/inputSchema/required"});
    row("required has a number", R"({"required":["a",1]})", {"required|/inputSchema/required/1"});
    row("required has a duplicate", R"({"required":["a","b","a"]})",
        {"required|/inputSchema/required/2"});
    row("enum is a string", R"({"enum":"a"})", {"enum|/inputSchema/enum"});
    row("items is a number", R"({"items":5})", {"items|/inputSchema/items"});
    row("tuple item is a number", R"({"items":[{},3]})", {"items|/inputSchema/items/1"});
    row("negative minLength", R"({"minLength":-1})", {"minLength|/inputSchema/minLength"});
    row("fractional maxItems", R"({"maxItems":1.5})", {"maxItems|/inputSchema/maxItems"});
    row("string minProperties", R"({"minProperties":"2"})",
        {"minProperties|/inputSchema/minProperties"});
    row("zero multipleOf", R"({"multipleOf":0})", {"multipleOf|/inputSchema/multipleOf"});
    row("negative multipleOf", R"({"multipleOf":-0.5})", {"multipleOf|/inputSchema/multipleOf"});
    row("string minimum", R"({"minimum":"5"})", {"minimum|/inputSchema/minimum"});
    row("draft-04 exclusiveMaximum", R"({"maximum":5,"exclusiveMaximum":true})",
        {"exclusiveMaximum|/inputSchema/exclusiveMaximum"});
    row("invalid pattern", R"({"pattern":"("})", {"pattern|/inputSchema/pattern"});
    row("pattern is a number", R"({"pattern":5})", {"pattern|/inputSchema/pattern"});
    row("invalid patternProperties key", R"({"patternProperties":{"a/(":{}}})",
        {"patternProperties|/inputSchema/patternProperties/a~1("});
    row("pattern duplicate group name", R"x({"pattern":"(?<n>a)(?<n>b)"})x",
        {"pattern|/inputSchema/pattern"});
    row("pattern lone surrogate", R"({"pattern":"\\ud800"})", {"pattern|/inputSchema/pattern"});
    row("pattern unknown property", R"({"pattern":"\\p{Nope}"})", {"pattern|/inputSchema/pattern"});
    row("patternProperties value", R"({"patternProperties":{"^a":1}})",
        {"patternProperties|/inputSchema/patternProperties/^a"});
    row("empty allOf", R"({"allOf":[]})", {"allOf|/inputSchema/allOf"});
    row("anyOf is an object", R"({"anyOf":{}})", {"anyOf|/inputSchema/anyOf"});
    row("oneOf has a string", R"({"oneOf":[{},"x"]})", {"oneOf|/inputSchema/oneOf/1"});
    row("not is a number", R"({"not":1})", {"not|/inputSchema/not"});
    row("if and else", R"({"if":[],"then":{},"else":"x"})",
        {"if|/inputSchema/if", "else|/inputSchema/else"});
    row("additionalProperties string", R"({"additionalProperties":"no"})",
        {"additionalProperties|/inputSchema/additionalProperties"});
    row("additionalItems null", R"({"additionalItems":null})",
        {"additionalItems|/inputSchema/additionalItems"});
    row("contains and propertyNames", R"({"contains":null,"propertyNames":[]})",
        {"contains|/inputSchema/contains", "propertyNames|/inputSchema/propertyNames"});
    row("definitions is an array", R"({"definitions":[]})",
        {"definitions|/inputSchema/definitions"});
    row("definition key with tilde", R"({"definitions":{"a~b":{"type":"x"}}})",
        {"type|/inputSchema/definitions/a~0b/type"});
    row("dependencies value is a number", R"({"dependencies":{"a":5}})",
        {"dependencies|/inputSchema/dependencies/a"});
    row("dependencies duplicate name", R"({"dependencies":{"a":["b","b"]}})",
        {"dependencies|/inputSchema/dependencies/a/1"});
    row("dependencies schema", R"({"dependencies":{"a":{"minItems":-2}}})",
        {"minItems|/inputSchema/dependencies/a/minItems"});
    row("ref to missing definition", R"({"$ref":"#/definitions/missing"})",
        {"$ref|/inputSchema/$ref"});
    row("ref relative without id", R"({"properties":{"a":{"$ref":"other.json"}}})",
        {"$ref|/inputSchema/properties/a/$ref"});
    row("ref remote", R"({"$ref":"http://example.com/schema.json"})", {"$ref|/inputSchema/$ref"});
    row("ref unknown plain name", R"({"$ref":"#nothing"})", {"$ref|/inputSchema/$ref"});
    row("ref is a number", R"({"$ref":5})", {"$ref|/inputSchema/$ref"});
    row("ref to non-schema",
        R"({"definitions":{"x":{"enum":[1]}},"items":{"$ref":"#/definitions/x/enum"}})",
        {"$ref|/inputSchema/items/$ref"});
    row("ref target is checked", R"({"x-shared":{"s":{"type":"strng"}},
                                     "$ref":"#/x-shared/s"})",
        {"type|/inputSchema/x-shared/s/type"});
    row("ref to itself", R"({"$ref":"#"})", {"$ref|/inputSchema/$ref"});
    row("ref cycle through allOf", R"({"allOf":[{"$ref":"#"}]})",
        {"$ref|/inputSchema/allOf/0/$ref"});
    row("ref cycle between definitions",
        R"({"definitions":{"a":{"$ref":"#/definitions/b"},"b":{"$ref":"#/definitions/a"}}})",
        {"$ref|/inputSchema/definitions/b/$ref"});
    row("uniqueItems string", R"({"uniqueItems":"yes"})", {"uniqueItems|/inputSchema/uniqueItems"});
    row("format number", R"({"format":1})", {"format|/inputSchema/format"});
    row("id number", R"({"$id":1})", {"$id|/inputSchema/$id"});
    row("title object", R"({"title":{}})", {"title|/inputSchema/title"});
    row("examples object", R"({"examples":{}})", {"examples|/inputSchema/examples"});
}

void TestJsonSchema::check()
{
    QFETCH(QByteArray, schema);
    QFETCH(QByteArrayList, expected);
    const auto issues = JsonSchema::check(parse(schema), "/inputSchema");
    QCOMPARE(summarize(issues, false), sorted(expected));
    for (const auto &issue : issues) {
        QCOMPARE(issue.schemaPath, "#/meta/" + escapePointerToken(issue.keyword));
        QVERIFY2(issue.params.contains(issue.keyword), issue.params.dump().c_str());
        QVERIFY(!issue.message.empty());
    }
    QVERIFY(!JsonSchema::compile(parse(schema)).ok());
}

void TestJsonSchema::checkAcceptsWellFormed_data()
{
    QTest::addColumn<QByteArray>("schema");
    QTest::newRow("true") << QByteArray("true");
    QTest::newRow("false") << QByteArray("false");
    QTest::newRow("empty") << QByteArray("{}");
    QTest::newRow("tree") << QByteArray(kTreeSchema);
    QTest::newRow("itential extras") << QByteArray(R"({
        "$schema": "http://json-schema.org/draft-07/schema#",
        "type": "object", "title": "inputs", "canvasName": "x",
        "properties": {"device": {"type": "string", "x-ui": {"type": "dropdown"},
                                  "examples": ["r1"], "default": "r1"}},
        "required": ["device"], "additionalProperties": true})");
    QTest::newRow("everything") << QByteArray(R"({
        "type": ["object", "null"], "minProperties": 0, "maxProperties": 2.0,
        "definitions": {"a/b": {"type": "string"}, "n": {"$id": "#n", "type": "number"}},
        "properties": {"p": {"$ref": "#/definitions/a~1b"}, "q": {"$ref": "#n"}},
        "patternProperties": {"^x-\\d+$": {"items": [{}, true], "additionalItems": false}},
        "dependencies": {"a": ["b"], "c": {"required": ["d"]}},
        "propertyNames": {"maxLength": 10}, "additionalProperties": {"not": {"type": "null"}},
        "allOf": [{}], "anyOf": [true], "oneOf": [{"const": 1}, {"enum": []}],
        "if": {"minimum": 1}, "then": {"exclusiveMaximum": 5.5}, "else": {"multipleOf": 0.5},
        "contains": {"format": "x-anything"}, "uniqueItems": true, "pattern": "^(a|b)*$"})");
    QTest::newRow("ref by id") << QByteArray(R"({"$id": "http://example.com/root.json",
        "definitions": {"a": {"$id": "item.json", "definitions": {"b": {"type": "integer"}}}},
        "items": {"$ref": "item.json#/definitions/b"}})");
    QTest::newRow("ecmascript patterns") << QByteArray(R"({
        "pattern": "^(?<!x)(?=\\w)\\p{L}+(?<n>-)\\k<n>\\u00e9\\u{1F600}[^]$",
        "patternProperties": {"(?<=^x-)\\p{Ll}+": {}}})");
    QTest::newRow("ref percent") << QByteArray(R"({"definitions": {"a b": {}},
        "$ref": "#/definitions/a%20b"})");
}

void TestJsonSchema::checkAcceptsWellFormed()
{
    QFETCH(QByteArray, schema);
    const auto issues = JsonSchema::check(parse(schema));
    QCOMPARE(summarize(issues), QByteArrayList());
    QVERIFY(JsonSchema::compile(parse(schema)).ok());
}

void TestJsonSchema::checkReportsEveryProblem()
{
    const json schema = parse(R"({
        "type": "strng", "minLength": -1, "required": "device",
        "properties": {"a": {"pattern": "(", "enum": 3}, "b": {"items": [{"type": 1}]}}})");
    const auto issues = JsonSchema::check(schema, "/inputSchema");
    QCOMPARE(summarize(issues, false),
             sorted({"type|/inputSchema/type", "minLength|/inputSchema/minLength",
                     "required|/inputSchema/required", "pattern|/inputSchema/properties/a/pattern",
                     "enum|/inputSchema/properties/a/enum",
                     "type|/inputSchema/properties/b/items/0/type"}));
}

void TestJsonSchema::checkMessagesAndParams()
{
    auto issues = JsonSchema::check(json{{"type", "strng"}}, "/inputSchema");
    QCOMPARE(issues.size(), std::size_t(1));
    QCOMPARE(issues[0].keyword, std::string("type"));
    QCOMPARE(issues[0].instancePath, std::string("/inputSchema/type"));
    QCOMPARE(issues[0].schemaPath, std::string("#/meta/type"));
    COMPARE_JSON(issues[0].params, (json{{"type", "strng"}}));
    QCOMPARE(issues[0].message,
             std::string("\"strng\" is not a JSON Schema type (expected one of array, "
                         "boolean, integer, null, number, object, string)"));

    issues = JsonSchema::check(json{{"pattern", "(ab"}});
    QCOMPARE(issues.size(), std::size_t(1));
    QCOMPARE(issues[0].instancePath, std::string("/pattern"));
    COMPARE_JSON(issues[0].params, (json{{"pattern", "(ab"}}));
    QVERIFY2(issues[0].message.rfind("\"(ab\" is not a valid regular expression", 0) == 0,
             issues[0].message.c_str());

    issues = JsonSchema::check(json{{"$ref", "https://example.com/s.json"}});
    QCOMPARE(issues.size(), std::size_t(1));
    QVERIFY2(issues[0].message.find("only references inside this schema") != std::string::npos,
             issues[0].message.c_str());

    // Long values are shortened in messages without splitting a UTF-8 sequence.
    std::string longName;
    for (int i = 0; i < 100; ++i)
        longName += "\xC3\xBC";
    issues = JsonSchema::check(json{{"type", longName}});
    QCOMPARE(issues.size(), std::size_t(1));
    QVERIFY(issues[0].message.size() < longName.size());
    QVERIFY(!issues[0].toJson().dump().empty());

    issues = JsonSchema::check(json{{"minLength", -1}});
    QCOMPARE(issues[0].message, std::string("minLength must be a non-negative integer, got "
                                            "integer -1"));
}

void TestJsonSchema::compileReportsDetails()
{
    const auto result = JsonSchema::compile(json{{"type", "strng"}, {"maxItems", "3"}});
    QVERIFY(!result.ok());
    QCOMPARE(result.error().code, ErrorCode::Invalid);
    QCOMPARE(result.error().message, std::string("inputSchema is not a valid JSON Schema"));
    const json &details = result.error().details;
    QVERIFY(details.is_array());
    QCOMPARE(details.size(), std::size_t(2));
    QSet<QString> paths;
    for (const auto &detail : details) {
        COMPARE_JSON(detail.at("severity"), json("error"));
        QVERIFY(detail.at("message").is_string());
        paths.insert(QString::fromStdString(detail.at("instancePath").get<std::string>()));
    }
    QCOMPARE(paths, (QSet<QString>{QStringLiteral("/type"), QStringLiteral("/maxItems")}));
}

void TestJsonSchema::validateMessagesAndParams()
{
    const JsonSchema schema = compiled(parse(R"({
        "type": "object", "required": ["device"],
        "properties": {
            "name": {"type": "string"},
            "tags": {"type": "array", "minItems": 3, "uniqueItems": true},
            "port": {"type": "integer", "minimum": 1, "multipleOf": 2},
            "mail": {"format": "email"},
            "kind": {"anyOf": [{"type": "string"}, {"type": "integer"}]},
            "pick": {"oneOf": [{"type": "integer"}, {"minimum": 0}]},
            "vlan": {"pattern": "^vlan[0-9]+$"}},
        "dependencies": {"port": ["host"]},
        "additionalProperties": false})"));
    const auto issues = schema.validate(parse(R"({
        "name": 5, "tags": ["a", "a"], "port": 0.5, "mail": "x", "kind": null, "pick": 3,
        "vlan": "v1", "extra": 1})"));

    const auto expectIssue = [&](const std::string &keyword, const json &params,
                                 const std::string &message) {
        const ValidationIssue *issue = findIssue(issues, keyword);
        QVERIFY2(issue, keyword.c_str());
        COMPARE_JSON(issue->params, params);
        QCOMPARE(issue->message, message);
    };
    expectIssue("required", {{"missingProperty", "device"}},
                "must have required property 'device'");
    expectIssue("type", {{"type", "string"}}, "must be string");
    expectIssue("minItems", {{"limit", 3}}, "must NOT have fewer than 3 items");
    expectIssue("uniqueItems", {{"i", 0}, {"j", 1}},
                "must NOT have duplicate items (items ## 1 and 0 are identical)");
    expectIssue("minimum", {{"comparison", ">="}, {"limit", 1}}, "must be >= 1");
    expectIssue("multipleOf", {{"multipleOf", 2}}, "must be multiple of 2");
    expectIssue("format", {{"format", "email"}}, "must match format \"email\"");
    expectIssue("pattern", {{"pattern", "^vlan[0-9]+$"}}, "must match pattern \"^vlan[0-9]+$\"");
    expectIssue("additionalProperties", {{"additionalProperty", "extra"}},
                "must NOT have additional property 'extra'");
    expectIssue(
        "dependencies",
        {{"property", "port"}, {"missingProperty", "host"}, {"depsCount", 1}, {"deps", "host"}},
        "must have property 'host' when property 'port' is present");

    const ValidationIssue *anyOf = findIssue(issues, "anyOf");
    QVERIFY(anyOf);
    QCOMPARE(anyOf->instancePath, std::string("/kind"));
    QCOMPARE(anyOf->schemaPath, std::string("#/properties/kind/anyOf"));
    QCOMPARE(anyOf->message, std::string("must match a schema in anyOf"));
    QCOMPARE(anyOf->params.at("errors").size(), std::size_t(2));
    COMPARE_JSON(anyOf->params.at("errors")[1].at("schemaPath"),
                 json("#/properties/kind/anyOf/1/type"));
    // The failing branches travel inside params, not as issues of their own.
    QCOMPARE(std::count_if(issues.begin(), issues.end(),
                           [](const ValidationIssue &i) { return i.instancePath == "/kind"; }),
             std::ptrdiff_t(1));

    const ValidationIssue *oneOf = findIssue(issues, "oneOf");
    QVERIFY(oneOf);
    COMPARE_JSON(oneOf->params.at("passingSchemas"), json::array({0, 1}));
    QCOMPARE(issues.size(), std::size_t(13));
}

void TestJsonSchema::propertyNamesMessage()
{
    const JsonSchema schema = compiled(json{{"propertyNames", {{"pattern", "^[a-z]+$"}}}});
    const auto issues = schema.validate(json{{"Bad", 1}, {"good", 2}});
    QCOMPARE(issues.size(), std::size_t(1));
    COMPARE_JSON(issues[0].params.at("propertyName"), json("Bad"));
    QCOMPARE(issues[0].message,
             std::string("property name 'Bad' is invalid (must match pattern \"^[a-z]+$\")"));
}

void TestJsonSchema::recursiveRefOnTree()
{
    const JsonSchema schema = compiled(parse(kTreeSchema));
    const json tree = parse(R"({"name": "root", "children": [
        {"name": "a", "children": [{"name": "a1"}, {"name": 5, "children": []}]},
        {"children": [{"name": "b1", "children": "none"}]}]})");
    QCOMPARE(summarize(schema.validate(tree)),
             sorted({"type|/children/0/children/1/name|#/properties/name/type",
                     "required|/children/1|#/required",
                     "type|/children/1/children/0/children|#/properties/children/type"}));
    QVERIFY(schema.validate(nestedTree(300)).empty());
}

void TestJsonSchema::refDepthIsBounded()
{
    const JsonSchema schema = compiled(parse(kTreeSchema));
    const auto issues = schema.validate(nestedTree(600));
    QCOMPARE(issues.size(), std::size_t(1));
    QCOMPARE(issues[0].keyword, std::string("$ref"));
    COMPARE_JSON(issues[0].params.at("limit"), json(512));
}

void TestJsonSchema::nestedRequiredDeepPointer()
{
    const JsonSchema schema = compiled(parse(R"({"properties": {"devices": {
        "type": "array",
        "items": {"type": "object", "required": ["name"],
                  "properties": {"interfaces": {"items": {"required": ["mtu"]}}}}}}})"));
    const auto issues = schema.validate(parse(R"({"devices": [
        {"name": "r1", "interfaces": [{"mtu": 1500}, {"speed": 10}]},
        {"interfaces": []}]})"));
    QCOMPARE(summarize(issues),
             sorted({"required|/devices/0/interfaces/1|"
                     "#/properties/devices/items/properties/interfaces/items/required",
                     "required|/devices/1|#/properties/devices/items/required"}));
    QCOMPARE(findIssue(issues, "required")->params.at("missingProperty").is_string(), true);
}

void TestJsonSchema::pointerEscaping()
{
    const JsonSchema schema = compiled(
        json{{"properties", {{"a/b", {{"type", "string"}}}, {"c~d", {{"required", {"x"}}}}}}});
    const auto issues = schema.validate(json{{"a/b", 1}, {"c~d", json::object()}});
    QCOMPARE(summarize(issues), sorted({"type|/a~1b|#/properties/a~1b/type",
                                        "required|/c~0d|#/properties/c~0d/required"}));

    const auto problems =
        JsonSchema::check(json{{"properties", {{"a/b~", {{"type", "strng"}}}}}}, "/in~put");
    QCOMPARE(problems.size(), std::size_t(1));
    QCOMPARE(problems[0].instancePath, std::string("/in~put/properties/a~1b~0/type"));
}

void TestJsonSchema::copiesShareTheSchema()
{
    const json source = {{"type", "integer"}, {"maximum", 3}};
    const JsonSchema original = compiled(source);
    JsonSchema copy = original;
    COMPARE_JSON(copy.schema(), source);
    QCOMPARE(copy.validate(7).size(), std::size_t(1));
    QVERIFY(copy.validate(2).empty());
    JsonSchema moved = std::move(copy);
    QCOMPARE(moved.validate("x").front().keyword, std::string("type"));
    COMPARE_JSON(original.schema(), source);
}

void TestJsonSchema::patternCompileErrorNamesPcre2Message()
{
    // PCRE2's own words, and the offset in characters: "éé(" is five bytes but three characters.
    auto issues = JsonSchema::check(json{{"pattern", "\xC3\xA9\xC3\xA9("}}, "/inputSchema");
    QCOMPARE(issues.size(), std::size_t(1));
    QCOMPARE(issues[0].keyword, std::string("pattern"));
    QCOMPARE(issues[0].instancePath, std::string("/inputSchema/pattern"));
    QCOMPARE(issues[0].message, std::string("\"\xC3\xA9\xC3\xA9(\" is not a valid regular "
                                            "expression (missing closing parenthesis at offset "
                                            "3)"));

    const json properties = {{"a", {{"patternProperties", {{"a)", json::object()}}}}}};
    issues = JsonSchema::check(json{{"properties", properties}}, "/inputSchema");
    QCOMPARE(issues.size(), std::size_t(1));
    QCOMPARE(issues[0].keyword, std::string("patternProperties"));
    QCOMPARE(issues[0].instancePath, std::string("/inputSchema/properties/a/patternProperties/a)"));
    QVERIFY2(issues[0].message.find("unmatched closing parenthesis at offset 1") !=
                 std::string::npos,
             issues[0].message.c_str());
}

void TestJsonSchema::catastrophicPatternIsBounded()
{
    // Exponential backtracking: without a match limit this would run for longer than the
    // universe has existed. The issue says the pattern could not be evaluated.
    const JsonSchema schema = compiled(json{{"pattern", "(a+)+$"}});
    const std::string value = std::string(50000, 'a') + "b";
    // A hang here is caught by the test's CTest timeout; how fast it is belongs in a bench.
    const auto issues = schema.validate(value);
    QCOMPARE(issues.size(), std::size_t(1));
    QCOMPARE(issues[0].keyword, std::string("pattern"));
    QCOMPARE(issues[0].schemaPath, std::string("#/pattern"));
    COMPARE_JSON(issues[0].params, (json{{"pattern", "(a+)+$"}}));
    QCOMPARE(issues[0].message,
             std::string("pattern \"(a+)+$\" is too complex to evaluate on this value"));

    // The same pattern still answers on short values.
    QVERIFY(schema.validate("aaa").empty());
    QCOMPARE(schema.validate("aab").size(), std::size_t(1));

    // As a property-name pattern it cannot be evaluated, so it does not match.
    const JsonSchema names =
        compiled(json{{"patternProperties", {{"(a+)+$", false}}}, {"additionalProperties", true}});
    QVERIFY(names.validate(json{{value, 1}}).empty());
    QCOMPARE(names.validate(json{{"aa", 1}}).size(), std::size_t(1));
}

void TestJsonSchema::longValuesDoNotExhaustTheStack()
{
    // std::regex recursed per character here; backtracking patterns on long values must still
    // give an answer, not an issue about complexity.
    std::string value;
    for (int i = 0; i < 20000; ++i)
        value += i % 2 ? 'a' : 'b';
    const JsonSchema schema = compiled(json{{"pattern", "^(a|b)*$"}});
    QVERIFY(schema.validate(value).empty());
    QCOMPARE(schema.validate(value + "c").front().message,
             std::string("must match pattern \"^(a|b)*$\""));
    const JsonSchema plain = compiled(json{{"pattern", "^[a-z]+$"}});
    QVERIFY(plain.validate(std::string(1000000, 'x')).empty());
}

void TestJsonSchema::invalidUtf8ValueIsMatched()
{
    // Only a value built in code can hold invalid UTF-8; it is matched, not an error.
    const JsonSchema prefix = compiled(json{{"pattern", "^ab"}});
    QVERIFY(prefix.validate(std::string("ab\xFF")).empty());
    const JsonSchema whole = compiled(json{{"pattern", "^ab.$"}});
    const auto issues = whole.validate(std::string("ab\xFF"));
    QCOMPARE(issues.size(), std::size_t(1));
    QCOMPARE(issues[0].message, std::string("must match pattern \"^ab.$\""));
}

void TestJsonSchema::patternsOnSeveralThreads()
{
    // Copies share the compiled patterns; match data is per thread.
    const JsonSchema original =
        compiled(json{{"properties", {{"name", {{"pattern", "^(?<!x)\\d\\p{L}+$"}}}}}});
    std::atomic<int> wrong{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([copy = original, &wrong, t] {
            for (int i = 0; i < 2000; ++i) {
                const bool good = (i + t) % 2 == 0;
                const char *name = good ? "1\xC3\xA9t\xC3\xA9" : "\xC3\xA9t\xC3\xA9";
                const auto issues = copy.validate(json{{"name", name}});
                if (issues.empty() != good)
                    ++wrong;
            }
        });
    }
    for (auto &thread : threads)
        thread.join();
    QCOMPARE(wrong.load(), 0);
}

QTEST_APPLESS_MAIN(TestJsonSchema)
#include "TestJsonSchema.moc"
