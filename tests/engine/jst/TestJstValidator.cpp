// SPDX-License-Identifier: GPL-3.0-or-later
// JstValidator: one test per rule, each checking the issue's keyword and exact pointer.
#include "engine/jst/JstValidator.h"

#include "tests/engine/jst/JstBuilders.h"
#include "tests/support/JsonAsserts.h"

#include <QTest>

using namespace flowdeck::jst;
using namespace jstbuild;

namespace {

// map over incoming items with callback ƒ_map_1, result to outgoing.
json validDocument()
{
    const json fn = function(
        "ƒ_map_1", {schema("currentValue"), schema("index", "number")}, {schema("newValue")},
        {node(1, "String", "toUpperCase"), assign(2, in("currentValue"), arg(1, 0)),
         assign(3, ret(1), out("newValue"))});
    json call = node(4, "", "", {nullptr}, "function");
    call["function"] = "ƒ_map_1";
    return document(
        {schema("items", "array"), schema("s")}, {schema("out", "array"), schema("one")},
        {node(1, "Array", "map", {nullptr, "ƒ_map_1"}), assign(2, in("items"), arg(1, 0)),
         assign(3, ret(1), out("out")), call, assign(5, in("s"), arg(4, 0, "function")),
         assign(6, ret(4, "/return/newValue", "function"), out("one"))},
        {fn});
}

// "keyword@pointer" for every issue, to compare whole lists at once.
QStringList sorted(QStringList list)
{
    list.sort();
    return list;
}

QStringList summary(const std::vector<ValidationIssue> &issues)
{
    QStringList out;
    for (const auto &i : issues)
        out << QString::fromStdString(i.keyword + "@" + i.instancePath);
    // Rules run in passes, so the order of issues carries no meaning: compare sorted.
    out.sort();
    if (qEnvironmentVariableIsSet("JST_PRINT_ISSUES"))
        qInfo("%s", qPrintable(out.join(QLatin1Char(' '))));
    return out;
}

} // namespace

class TestJstValidator : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void validDocumentHasNoIssues()
    {
        const auto issues = validate(validDocument());
        QCOMPARE(summary(issues), QStringList());
    }

    void notAnObject()
    {
        QCOMPARE(summary(validate(json::array())), QStringList{QStringLiteral("structure@")});
    }

    void unknownMethod()
    {
        json doc = validDocument();
        doc["steps"][0]["method"] = "mapp";
        const auto issues = validate(doc);
        QCOMPARE(summary(issues), QStringList{QStringLiteral("method@/steps/0/method")});
        QCOMPARE_JSON(issues[0].params, json({{"library", "Array"}, {"method", "mapp"}}));
        QCOMPARE(issues[0].message, std::string("method Array.mapp is not supported"));
        QCOMPARE(issues[0].schemaPath, std::string("#/jst/method"));
    }

    void unknownMethodInsideAFunction()
    {
        json doc = validDocument();
        doc["functions"][0]["steps"][0]["library"] = "Bitwise";
        QCOMPARE(summary(validate(doc)),
                 QStringList{QStringLiteral("method@/functions/0/steps/0/method")});
    }

    void unknownStepType()
    {
        json doc = validDocument();
        doc["steps"][0]["type"] = "loop";
        // The map node is gone, so the wires touching node 1 dangle too.
        QCOMPARE(summary(validate(doc)),
                 sorted(QStringList{QStringLiteral("type@/steps/0/type"),
                                    QStringLiteral("link@/steps/1/to/name"),
                                    QStringLiteral("link@/steps/2/from/name")}));
    }

    void linkToMissingNode()
    {
        json doc = validDocument();
        doc["steps"][2]["from"]["name"] = 99;
        QCOMPARE(summary(validate(doc)), QStringList{QStringLiteral("link@/steps/2/from/name")});
    }

    void linkToMissingVariables()
    {
        json doc = validDocument();
        doc["steps"][1]["from"]["name"] = "itemz";
        doc["steps"][2]["to"]["name"] = "result";
        QCOMPARE(summary(validate(doc)),
                 sorted(QStringList{QStringLiteral("link@/steps/1/from/name"),
                                    QStringLiteral("link@/steps/2/to/name")}));
    }

    void linkDirectionAndLocation()
    {
        json doc = validDocument();
        doc["steps"][1]["from"]["location"] = "outgoing";
        doc["steps"][2]["to"]["location"] = "somewhere";
        QCOMPARE(summary(validate(doc)),
                 sorted(QStringList{QStringLiteral("link@/steps/1/from/location"),
                                    QStringLiteral("link@/steps/2/to/location")}));
    }

    void badPointers()
    {
        json doc = validDocument();
        doc["steps"][1]["from"]["ptr"] = "items";
        doc["steps"][2]["from"]["ptr"] = "/return/~2";
        QCOMPARE(summary(validate(doc)),
                 sorted(QStringList{QStringLiteral("pointer@/steps/1/from/ptr"),
                                    QStringLiteral("pointer@/steps/2/from/ptr")}));
    }

    void badPorts()
    {
        json doc = validDocument();
        doc["steps"][1]["to"]["ptr"] = "/args/0";        // missing /value
        doc["steps"][2]["from"]["ptr"] = "/result";      // not /return
        doc["steps"][5]["from"]["ptr"] = "/return/nope"; // callee has no such outgoing
        doc["steps"][4]["to"]["ptr"] = "/args/3/value";  // callee has two incoming
        QStringList got = summary(validate(doc));
        got.sort();
        QCOMPARE(got, sorted(QStringList{QStringLiteral("port@/steps/1/to/ptr"),
                                         QStringLiteral("port@/steps/2/from/ptr"),
                                         QStringLiteral("port@/steps/4/to/ptr"),
                                         QStringLiteral("port@/steps/5/from/ptr")}));
    }

    void missingCustomFunction()
    {
        json doc = validDocument();
        doc["steps"][3]["function"] = "userFunc_9";
        doc["steps"][0]["args"][1] = "ƒ_map_2";
        QCOMPARE(summary(validate(doc)),
                 sorted(QStringList{QStringLiteral("function@/steps/0/args/1"),
                                    QStringLiteral("function@/steps/3/function")}));
    }

    void functionsResolveByIdNotName()
    {
        json doc = validDocument();
        doc["functions"][0]["name"] = "Upper case";
        QCOMPARE(summary(validate(doc)), QStringList());
        doc["steps"][0]["args"][1] = "Upper case";
        QCOMPARE(summary(validate(doc)), QStringList{QStringLiteral("function@/steps/0/args/1")});
    }

    void cycle()
    {
        const json doc = document(json::array(), {schema("o")},
                                  {node(1, "Logical", "not"), node(2, "Logical", "not"),
                                   node(3, "Logical", "not"), assign(4, ret(1), arg(2, 0)),
                                   assign(5, ret(2), arg(3, 0)), assign(6, ret(3), arg(1, 0)),
                                   assign(7, ret(3), out("o"))});
        const auto issues = validate(doc);
        QCOMPARE(summary(issues), QStringList{QStringLiteral("cycle@/steps/0")});
        QCOMPARE_JSON(issues[0].params, json({{"nodes", {1, 3, 2}}}));
    }

    void selfLoop()
    {
        const json doc = document(
            json::array(), json::array(),
            {node(1, "Logical", "not"), node(2, "Logical", "not"), assign(3, ret(2), arg(2, 0))});
        QCOMPARE(summary(validate(doc)), QStringList{QStringLiteral("cycle@/steps/1")});
    }

    void duplicates()
    {
        json doc = validDocument();
        doc["steps"][2]["id"] = 1;
        doc["incoming"][1]["$id"] = "items";
        doc["functions"].push_back(doc["functions"][0]);
        QCOMPARE(summary(validate(doc)),
                 sorted(QStringList{QStringLiteral("duplicate@/functions/1/id"),
                                    QStringLiteral("duplicate@/incoming/1/$id"),
                                    QStringLiteral("link@/steps/4/from/name"),
                                    QStringLiteral("duplicate@/steps/2/id")}));
    }

    // A callback may read its caller's thisArg without declaring it (public Itential JSTs do);
    // the top-level graph has no caller, so there it is still a missing variable.
    void undeclaredThisArgIsReadableInCallbacksOnly()
    {
        json doc = validDocument();
        doc["functions"][0]["steps"].push_back(
            assign(9, in("thisArg", "/0_organizationName"), arg(1, 1)));
        QCOMPARE(summary(validate(doc)), QStringList());
        doc["steps"].push_back(assign(9, in("thisArg", "/0_x"), arg(1, 2)));
        QCOMPARE(summary(validate(doc)), QStringList{QStringLiteral("link@/steps/6/from/name")});
    }

    // Itential accepts two functions with one id: a warning naming the one that never runs,
    // and the document stays valid.
    void duplicateFunctionIdsAreAWarning()
    {
        json doc = validDocument();
        json second = doc["functions"][0];
        second["steps"][0]["method"] = "toLowerCase";
        doc["functions"].push_back(second);
        const auto issues = validate(doc);
        QCOMPARE(summary(issues), QStringList{QStringLiteral("duplicate@/functions/1/id")});
        QVERIFY(issues[0].severity == flowdeck::validate::Severity::Warning);
        QVERIFY2(issues[0].message.find("first") != std::string::npos, issues[0].message.c_str());
        QVERIFY(flowdeck::validate::isValid(issues));
    }

    void contexts()
    {
        json doc = validDocument();
        doc["steps"][0]["context"] = "#/7[1]";
        doc["steps"][3]["context"] = "case one";
        QCOMPARE(summary(validate(doc)),
                 sorted(QStringList{QStringLiteral("context@/steps/0/context"),
                                    QStringLiteral("context@/steps/3/context")}));
    }

    void switchPorts()
    {
        json sw = node(1, "Conditional", "switch", {nullptr}, "context");
        sw["return"] = {"a", "b"};
        json a = node(2, "String", "new String", {"x"}, "declaration");
        a["context"] = "#/1[1]";
        const json doc = document(
            {schema("v")}, {schema("o")},
            {sw, a, assign(3, in("v"), arg(1, 0, "context")),
             assign(4, ret(1, "/return/case_1", "context"), port("declaration", 2, "/context")),
             assign(5, ret(1, "/return/case_3", "context"), out("o"))});
        QCOMPARE(summary(validate(doc)), QStringList{QStringLiteral("port@/steps/4/from/ptr")});
    }

    void structure()
    {
        json doc = validDocument();
        doc["steps"][1].erase("to");
        doc["steps"][0]["id"] = "one";
        doc["outgoing"][0].erase("$id");
        doc["functions"][0]["functions"] = {validDocument()["functions"][0]};
        QCOMPARE(summary(validate(doc)),
                 sorted(QStringList{QStringLiteral("structure@/outgoing/0"),
                                    QStringLiteral("structure@/steps/0/id"),
                                    QStringLiteral("structure@/steps/1/to"),
                                    QStringLiteral("link@/steps/2/from/name"),
                                    QStringLiteral("link@/steps/2/to/name"),
                                    QStringLiteral("structure@/functions/0/functions")}));
    }

    void malformedSchema()
    {
        json doc = validDocument();
        doc["incoming"][0]["type"] = "list";
        const auto issues = validate(doc);
        QCOMPARE(summary(issues), QStringList{QStringLiteral("schema@/incoming/0/type")});
    }

    void issuesAsJson()
    {
        json doc = validDocument();
        doc["steps"][0]["method"] = "mapp";
        QCOMPARE_JSON(validate(doc)[0].toJson(),
                      json({{"keyword", "method"},
                            {"instancePath", "/steps/0/method"},
                            {"schemaPath", "#/jst/method"},
                            {"params", {{"library", "Array"}, {"method", "mapp"}}},
                            {"message", "method Array.mapp is not supported"},
                            {"severity", "error"}}));
    }
};

QTEST_APPLESS_MAIN(TestJstValidator)
#include "TestJstValidator.moc"
