// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/validate/WorkflowValidator.h"

#include <QTest>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

using namespace flowdeck::validate;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

// The source root, from this file's own path, for runs outside CTest.
constexpr std::string_view kThisFile = __FILE__;
constexpr std::string_view kThisFileInTree = "tests/engine/validate/TestWorkflowValidator.cpp";
static_assert(kThisFile.ends_with(kThisFileInTree));
constexpr std::string_view kSourceRootFromFile =
    kThisFile.substr(0, kThisFile.size() - kThisFileInTree.size());

fs::path sourceDir()
{
    if (const char *env = std::getenv("FLOWDECK_SOURCE_DIR"); env && *env)
        return fs::path(env);
    return fs::path(std::string(kSourceRootFromFile));
}

fs::path workflowsDir()
{
    return sourceDir() / "tests" / "data" / "workflows";
}

std::string readText(const fs::path &path)
{
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

json readJson(const fs::path &path)
{
    return json::parse(readText(path));
}

// The *.json files of a directory, by name, sorted so rows come in a stable order.
std::vector<std::string> jsonFiles(const fs::path &dir, std::string_view except = {})
{
    std::vector<std::string> names;
    if (!fs::is_directory(dir))
        return names;
    for (const auto &entry : fs::directory_iterator(dir)) {
        const std::string name = entry.path().filename().string();
        if (entry.is_regular_file() && entry.path().extension() == ".json" && name != except)
            names.push_back(name);
    }
    std::sort(names.begin(), names.end());
    return names;
}

std::string describe(const std::vector<ValidationIssue> &issues)
{
    json all = json::array();
    for (const auto &issue : issues)
        all.push_back(issue.toJson());
    return all.dump(2);
}

std::vector<ValidationIssue> only(const std::vector<ValidationIssue> &issues, Severity severity)
{
    std::vector<ValidationIssue> out;
    std::copy_if(issues.begin(), issues.end(), std::back_inserter(out),
                 [&](const ValidationIssue &i) { return i.severity == severity; });
    return out;
}

// The first issue with this keyword (any keyword when empty) at this pointer.
const ValidationIssue *find(const std::vector<ValidationIssue> &issues, std::string_view keyword,
                            std::string_view path)
{
    for (const auto &issue : issues)
        if ((keyword.empty() || issue.keyword == keyword) && issue.instancePath == path)
            return &issue;
    return nullptr;
}

// Every member of `expected` is in `actual` with the same value.
bool containsParams(const json &actual, const json &expected)
{
    for (auto it = expected.begin(); it != expected.end(); ++it)
        if (!actual.contains(it.key()) || actual[it.key()] != it.value())
            return false;
    return true;
}

std::vector<std::pair<std::string, std::string>> keysOf(const std::vector<ValidationIssue> &issues)
{
    std::vector<std::pair<std::string, std::string>> keys;
    for (const auto &issue : issues)
        keys.emplace_back(issue.keyword, issue.instancePath);
    std::sort(keys.begin(), keys.end());
    return keys;
}

// The smallest valid workflow: start -> a1 -> end.
json minimal()
{
    return json::parse(R"({
        "name": "Minimal",
        "type": "automation",
        "tasks": {
            "workflow_start": {"name": "workflow_start", "groups": []},
            "a1": {"name": "stub", "type": "automatic",
                   "variables": {"incoming": {"type": "success", "response": ""},
                                 "outgoing": {"response": null}}},
            "workflow_end": {"name": "workflow_end", "groups": []}
        },
        "transitions": {
            "workflow_start": {"a1": {"type": "standard", "state": "success"}},
            "a1": {"workflow_end": {"type": "standard", "state": "success"}},
            "workflow_end": {}
        }
    })");
}

json &incoming(json &doc, const std::string &task = "a1")
{
    return doc["tasks"][task]["variables"]["incoming"];
}

} // namespace

#define VERIFY_ISSUE(issues, keyword, path, sev)                                                   \
    do {                                                                                           \
        const ValidationIssue *found_ = find((issues), (keyword), (path));                         \
        QVERIFY2(found_, qPrintable(QStringLiteral("no %1 issue at \"%2\" in %3")                  \
                                        .arg(QString::fromUtf8(keyword), QString::fromUtf8(path),  \
                                             QString::fromStdString(describe(issues)))));          \
        QVERIFY2(found_->severity == (sev), qPrintable(QString::fromStdString(describe(issues)))); \
    } while (false)

#define VERIFY_NO_ISSUES(issues)                                                                   \
    QVERIFY2((issues).empty(), qPrintable(QString::fromStdString(describe(issues))))

// QCOMPARE cannot print a json; this shows both sides when they differ.
#define VERIFY_JSON(actual, expected)                                                              \
    QVERIFY2((actual) == (expected),                                                               \
             qPrintable(QString::fromStdString((actual).dump() + " != " + json(expected).dump())))

#define VERIFY_NO_ERRORS(issues)                                                                   \
    QVERIFY2(isValid(issues), qPrintable(QString::fromStdString(describe(issues))))

class TestWorkflowValidator : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    // --- fixtures ---------------------------------------------------------------------------

    void validFixtures_data()
    {
        QTest::addColumn<QString>("file");
        const auto files = jsonFiles(workflowsDir() / "valid");
        QVERIFY2(files.size() >= 6, "expected at least 6 valid workflow fixtures");
        for (const auto &f : files)
            QTest::newRow(f.c_str()) << QString::fromStdString(f);
    }

    // Real-shaped exports: no errors, and exactly the warnings the manifest lists.
    void validFixtures()
    {
        QFETCH(QString, file);
        const std::string name = file.toStdString();
        const json manifest = readJson(workflowsDir() / "valid-warnings.json");
        QVERIFY2(manifest.contains(name), "every valid fixture needs a valid-warnings.json entry");

        const auto issues = validateWorkflowText(readText(workflowsDir() / "valid" / name));
        VERIFY_NO_ERRORS(issues);

        std::vector<std::pair<std::string, std::string>> expected;
        for (const auto &w : manifest[name])
            expected.emplace_back(w["keyword"].get<std::string>(),
                                  w["instancePath"].get<std::string>());
        std::sort(expected.begin(), expected.end());
        QVERIFY2(keysOf(only(issues, Severity::Warning)) == expected,
                 qPrintable(QString::fromStdString(describe(issues))));
    }

    void validManifestMatchesFiles()
    {
        const json manifest = readJson(workflowsDir() / "valid-warnings.json");
        const auto files = jsonFiles(workflowsDir() / "valid");
        QCOMPARE(manifest.size(), files.size());
        for (const auto &f : files)
            QVERIFY2(manifest.contains(f), f.c_str());
    }

    void invalidFixtures_data()
    {
        QTest::addColumn<QString>("file");
        const json manifest = readJson(workflowsDir() / "invalid" / "expected.json");
        QVERIFY2(manifest.size() >= 30, "expected at least 30 invalid workflow fixtures");
        for (auto it = manifest.begin(); it != manifest.end(); ++it)
            QTest::newRow(it.key().c_str()) << QString::fromStdString(it.key());
    }

    // Each bad document is invalid and carries every error the manifest names.
    void invalidFixtures()
    {
        QFETCH(QString, file);
        const std::string name = file.toStdString();
        const json manifest = readJson(workflowsDir() / "invalid" / "expected.json");
        const fs::path path = workflowsDir() / "invalid" / name;
        QVERIFY2(fs::exists(path), name.c_str());

        const auto issues = validateWorkflowText(readText(path));
        QVERIFY2(!isValid(issues), qPrintable(QString::fromStdString(describe(issues))));
        const json &expected = manifest[name];
        QVERIFY(!expected.empty());
        for (const auto &e : expected) {
            const std::string keyword = e.value("keyword", std::string());
            const std::string pointer = e["instancePath"].get<std::string>();
            const auto *issue = find(issues, keyword, pointer);
            QVERIFY2(issue, qPrintable(QStringLiteral("missing %1 at \"%2\" in %3")
                                           .arg(QString::fromStdString(keyword),
                                                QString::fromStdString(pointer),
                                                QString::fromStdString(describe(issues)))));
            QVERIFY2(issue->severity == Severity::Error,
                     qPrintable(QString::fromStdString(describe(issues))));
            if (e.contains("params"))
                QVERIFY2(containsParams(issue->params, e["params"]),
                         qPrintable(QString::fromStdString(describe(issues))));
            QVERIFY(!issue->message.empty());
        }
    }

    void invalidManifestMatchesFiles()
    {
        const json manifest = readJson(workflowsDir() / "invalid" / "expected.json");
        const auto files = jsonFiles(workflowsDir() / "invalid", "expected.json");
        QCOMPARE(manifest.size(), files.size());
        for (const auto &f : files)
            QVERIFY2(manifest.contains(f), f.c_str());
    }

    void demoWorkflows_data()
    {
        QTest::addColumn<QString>("file");
        const auto files = jsonFiles(sourceDir() / "resources" / "demo");
        for (const auto &f : files)
            QTest::newRow(f.c_str()) << QString::fromStdString(f);
        if (files.empty())
            QTest::newRow("none") << QString();
    }

    // The demos ship with the application: each must load without an error.
    void demoWorkflows()
    {
        QFETCH(QString, file);
        if (file.isEmpty())
            QSKIP("no demo workflows in resources/demo yet");
        const auto issues =
            validateWorkflowText(readText(sourceDir() / "resources" / "demo" / file.toStdString()));
        VERIFY_NO_ERRORS(issues);
    }

    // --- parsing ----------------------------------------------------------------------------

    void parseErrorHasLineAndColumn()
    {
        const std::string text = "{\n  \"name\": \"x\",\n  \"tasks\": {,}\n}\n";
        const auto issues = validateWorkflowText(text);
        QCOMPARE(issues.size(), std::size_t(1));
        const auto &issue = issues.front();
        QCOMPARE(issue.keyword, std::string("parse"));
        QCOMPARE(issue.instancePath, std::string());
        QCOMPARE(issue.severity, Severity::Error);
        QCOMPARE(issue.params["line"].get<int>(), 3);
        QCOMPARE(issue.params["column"].get<int>(), 13);
        QCOMPARE(issue.params["offset"].get<int>(), 30);
        QVERIFY2(issue.message.starts_with("malformed JSON at line 3, column 13: "),
                 issue.message.c_str());
        QVERIFY2(issue.message.find("[json.exception") == std::string::npos, issue.message.c_str());
    }

    // Our line/column must agree with nlohmann's own account of the same error.
    void parsePositionAgreesWithNlohmann_data()
    {
        QTest::addColumn<QString>("text");
        QTest::newRow("truncated") << QStringLiteral("{\n  \"name\": \"a\",\n  \"tasks\": {");
        QTest::newRow("trailing comma") << QStringLiteral("{\"a\": 1,\n}");
        QTest::newRow("bad literal") << QStringLiteral("{\n\n   \"a\": tru }");
        QTest::newRow("garbage after") << QStringLiteral("{}\n}");
        QTest::newRow("first char") << QStringLiteral("x");
    }

    void parsePositionAgreesWithNlohmann()
    {
        QFETCH(QString, text);
        const std::string s = text.toStdString();
        std::string theirs;
        try {
            const json parsed = json::parse(s);
            QFAIL(parsed.dump().c_str());
        } catch (const json::parse_error &e) {
            theirs = e.what();
        }
        QVERIFY(!theirs.empty());
        const auto issues = validateWorkflowText(s);
        QCOMPARE(issues.size(), std::size_t(1));
        const std::string position = "line " + issues[0].params["line"].dump() + ", column " +
                                     issues[0].params["column"].dump();
        QVERIFY2(theirs.find(position) != std::string::npos, (theirs + " / " + position).c_str());
        QVERIFY(issues[0].message.find(position) != std::string::npos);
    }

    void emptyText()
    {
        for (std::string_view text : {std::string_view(""), std::string_view(" \n\t\r\n")}) {
            const auto issues = validateWorkflowText(text);
            QCOMPARE(issues.size(), std::size_t(1));
            QCOMPARE(issues[0].keyword, std::string("parse"));
            QCOMPARE(issues[0].severity, Severity::Error);
            QVERIFY(issues[0].message.find("empty") != std::string::npos);
        }
    }

    void topLevelMustBeObject()
    {
        for (const json &doc : {json::array(), json(42), json(nullptr), json("workflow")}) {
            const auto issues = validateWorkflow(doc);
            QCOMPARE(issues.size(), std::size_t(1));
            QCOMPARE(issues[0].keyword, std::string("type"));
            QCOMPARE(issues[0].instancePath, std::string());
            QCOMPARE(issues[0].severity, Severity::Error);
        }
        QVERIFY(validateWorkflow(json::array())[0].message.find("an array") != std::string::npos);
    }

    // --- top level and tasks ----------------------------------------------------------------

    void minimalDocumentHasNoIssues()
    {
        const auto issues = validateWorkflow(minimal());
        VERIFY_NO_ISSUES(issues);
        const auto fromText = validateWorkflowText(minimal().dump());
        VERIFY_NO_ISSUES(fromText);
    }

    void unknownTopLevelKeysAndNullsAreAccepted()
    {
        json doc = minimal();
        doc["scenarios"] = json::array();
        doc["migrationVersion"] = 8;
        doc["created_by"] = {{"provenance", "LDAP"}, {"username", "jdoe"}};
        doc["description"] = nullptr;
        doc["groups"] = nullptr;
        doc["errorHandler"] = "b2";
        doc["tasks"]["a1"]["retrySettings"] = nullptr;
        doc["tasks"]["a1"]["nodeLocation"] = nullptr;
        doc["tasks"]["a1"]["someFutureField"] = {{"x", "anything"}};
        VERIFY_NO_ISSUES(validateWorkflow(doc));
        doc["errorHandler"] = {{"task", "b2"}};
        VERIFY_NO_ISSUES(validateWorkflow(doc));
    }

    void reportsEveryProblem()
    {
        json doc = minimal();
        doc.erase("name");
        doc["font_size"] = "12";
        doc["tasks"]["a1"]["type"] = "auto";
        doc["tasks"]["a1"]["x"] = "0.5";
        doc["transitions"]["a1"]["workflow_end"]["state"] = "ok";
        incoming(doc)["device"] = "$var.ff.result";
        const auto issues = validateWorkflow(doc);
        VERIFY_ISSUE(issues, "required", "", Severity::Error);
        VERIFY_ISSUE(issues, "type", "/font_size", Severity::Error);
        VERIFY_ISSUE(issues, "enum", "/tasks/a1/type", Severity::Error);
        VERIFY_ISSUE(issues, "type", "/tasks/a1/x", Severity::Error);
        VERIFY_ISSUE(issues, "enum", "/transitions/a1/workflow_end/state", Severity::Error);
        VERIFY_ISSUE(issues, "reference", "/tasks/a1/variables/incoming/device", Severity::Error);
        QCOMPARE(only(issues, Severity::Error).size(), std::size_t(6));
    }

    void issuesCarrySchemaPathAndActionableMessage()
    {
        json doc = minimal();
        doc["tasks"]["a1"]["type"] = "auto";
        const auto issues = validateWorkflow(doc);
        QCOMPARE(issues.size(), std::size_t(1));
        QCOMPARE(issues[0].schemaPath, std::string("#/flowdeck/tasks/type"));
        QVERIFY2(issues[0].message.find("\"a1\" (stub)") != std::string::npos,
                 issues[0].message.c_str());
        QVERIFY(issues[0].message.find("\"automatic\", \"manual\" or \"operation\"") !=
                std::string::npos);
        VERIFY_JSON(issues[0].params["value"], json("auto"));
        QCOMPARE(issues[0].params["allowedValues"].size(), std::size_t(3));
    }

    void taskKeysThatAreNotHexWarn()
    {
        json doc = minimal();
        doc["tasks"]["check_1"] = doc["tasks"]["a1"];
        doc["transitions"]["a1"]["check_1"] = {{"state", "failure"}, {"type", "standard"}};
        doc["transitions"]["check_1"] = {{"workflow_end", {{"state", "success"}}}};
        doc["tasks"]["B7"] = doc["tasks"]["a1"];
        doc["transitions"]["a1"]["B7"] = {{"state", "error"}};
        doc["transitions"]["B7"] = {{"workflow_end", {{"state", "success"}}}};
        const auto issues = validateWorkflow(doc);
        VERIFY_NO_ERRORS(issues);
        QCOMPARE(issues.size(), std::size_t(1));
        VERIFY_ISSUE(issues, "taskKey", "/tasks/check_1", Severity::Warning);
    }

    void manualTaskWantsViewAndIncoming()
    {
        json doc = minimal();
        doc["tasks"]["a1"] = {{"name", "ViewData"}, {"type", "manual"}};
        auto issues = validateWorkflow(doc);
        VERIFY_NO_ERRORS(issues);
        QCOMPARE(issues.size(), std::size_t(2));
        VERIFY_ISSUE(issues, "required", "/tasks/a1", Severity::Warning);
        VERIFY_ISSUE(issues, "required", "/tasks/a1/variables", Severity::Warning);

        doc["tasks"]["a1"]["view"] = "/workflow_engine/task/ViewData";
        doc["tasks"]["a1"]["variables"] = {{"incoming", {{"header", "h"}}}};
        VERIFY_NO_ISSUES(validateWorkflow(doc));

        doc["tasks"]["a1"]["view"] = 7;
        VERIFY_ISSUE(validateWorkflow(doc), "type", "/tasks/a1/view", Severity::Error);
    }

    void retrySettings()
    {
        json doc = minimal();
        auto &retry = doc["tasks"]["a1"]["retrySettings"];
        retry = {{"autoRetry", false}, {"limit", 3.0}, {"delay", 0.5}, {"state", "error"}};
        VERIFY_NO_ISSUES(validateWorkflow(doc));

        retry["state"] = json::array({"error", "loop"});
        auto issues = validateWorkflow(doc);
        VERIFY_NO_ERRORS(issues);
        VERIFY_ISSUE(issues, "enum", "/tasks/a1/retrySettings/state/1", Severity::Warning);

        retry = {{"delay", -5}};
        VERIFY_ISSUE(validateWorkflow(doc), "minimum", "/tasks/a1/retrySettings/delay",
                     Severity::Error);
        retry = json::array();
        VERIFY_ISSUE(validateWorkflow(doc), "type", "/tasks/a1/retrySettings", Severity::Error);
    }

    void positions()
    {
        json doc = minimal();
        auto &a1 = doc["tasks"]["a1"];
        a1["nodeLocation"] = {{"x", -12}, {"y", 300.5}};
        a1["x"] = 0.25;
        a1["y"] = 1;
        a1["gridCoordinate"] = {{"x", 2}, {"y", 3}};
        VERIFY_NO_ISSUES(validateWorkflow(doc));
        a1["gridCoordinate"] = {{"x", 2}, {"y", "3"}};
        a1["nodeLocation"] = {{"y", 1}};
        const auto issues = validateWorkflow(doc);
        VERIFY_ISSUE(issues, "type", "/tasks/a1/gridCoordinate/y", Severity::Error);
        VERIFY_ISSUE(issues, "required", "/tasks/a1/nodeLocation", Severity::Error);
        VERIFY_JSON(find(issues, "required", "/tasks/a1/nodeLocation")->params["missingProperty"],
                    json("x"));
    }

    // --- transitions ------------------------------------------------------------------------

    void staleEmptyTransitionsAreIgnored()
    {
        json doc = minimal();
        doc["transitions"]["a1"]["dead"] = json::object();           // to a deleted task
        doc["transitions"]["a1"]["workflow_start"] = json::object(); // existing pair
        doc["transitions"]["beef"] = {{"a1", json::object()}};       // from a deleted task
        doc["transitions"]["c0de"] = json::object();
        VERIFY_NO_ISSUES(validateWorkflow(doc));
    }

    void transitionFromUnknownTaskIsReportedOnce()
    {
        json doc = minimal();
        doc["transitions"]["ff"] = {{"a1", {{"state", "success"}}},
                                    {"workflow_end", {{"state", "error"}}},
                                    {"gone", json::object()}};
        const auto issues = validateWorkflow(doc);
        QCOMPARE(issues.size(), std::size_t(1));
        VERIFY_ISSUE(issues, "transition", "/transitions/ff", Severity::Error);
        VERIFY_JSON(issues[0].params["task"], json("ff"));
    }

    void transitionTypeDefaultsToStandard()
    {
        json doc = minimal();
        doc["transitions"]["a1"]["workflow_end"].erase("type");
        VERIFY_NO_ISSUES(validateWorkflow(doc));
        doc["transitions"]["a1"]["workflow_end"]["type"] = "revert";
        VERIFY_NO_ISSUES(validateWorkflow(doc));
        doc["transitions"]["a1"]["workflow_end"]["type"] = 1;
        VERIFY_ISSUE(validateWorkflow(doc), "type", "/transitions/a1/workflow_end/type",
                     Severity::Error);
    }

    void unknownStateNamesAllowedStates()
    {
        json doc = minimal();
        doc["transitions"]["a1"]["workflow_end"]["state"] = "complete";
        const auto issues = validateWorkflow(doc);
        QCOMPARE(issues.size(), std::size_t(1));
        const auto &issue = issues[0];
        QCOMPARE(issue.schemaPath, std::string("#/flowdeck/transitions/state"));
        QVERIFY(issue.message.find("\"complete\"") != std::string::npos);
        QVERIFY(issue.message.find("\"loop\"") != std::string::npos);
        VERIFY_JSON(issue.params["allowedValues"],
                    json::array({"success", "failure", "error", "loop"}));
    }

    void transitionsOutOfWorkflowEnd()
    {
        json doc = minimal();
        doc["transitions"]["workflow_end"] = {{"a1", {{"state", "success"}}},
                                              {"a2", json::object()}};
        const auto issues = validateWorkflow(doc);
        QCOMPARE(only(issues, Severity::Error).size(), std::size_t(1));
        VERIFY_ISSUE(issues, "transition", "/transitions/workflow_end/a1", Severity::Error);
    }

    // --- reachability -----------------------------------------------------------------------

    void loopTransitionsReachForEachBodies()
    {
        json doc = minimal();
        doc["tasks"]["f0"] = {{"name", "forEach"}, {"type", "operation"}};
        doc["tasks"]["b1"] = {{"name", "stub"}, {"type", "automatic"}};
        doc["tasks"]["b2"] = {{"name", "stub"}, {"type", "automatic"}};
        doc["transitions"]["a1"] = {{"f0", {{"state", "success"}}}};
        doc["transitions"]["f0"] = {{"b1", {{"state", "loop"}}},
                                    {"workflow_end", {{"state", "success"}}}};
        doc["transitions"]["b1"] = {{"b2", {{"state", "success"}}}};
        VERIFY_NO_ISSUES(validateWorkflow(doc));

        doc["transitions"]["f0"]["b1"] = json::object(); // the body is now cut off
        const auto issues = validateWorkflow(doc);
        VERIFY_NO_ERRORS(issues);
        QCOMPARE(issues.size(), std::size_t(2));
        VERIFY_ISSUE(issues, "reachable", "/tasks/b1", Severity::Warning);
        VERIFY_ISSUE(issues, "reachable", "/tasks/b2", Severity::Warning);
    }

    void workflowEndUnreachableIsError()
    {
        json doc = minimal();
        doc["transitions"]["a1"]["workflow_end"] = json::object();
        const auto issues = validateWorkflow(doc);
        QCOMPARE(issues.size(), std::size_t(1));
        VERIFY_ISSUE(issues, "reachable", "/tasks/workflow_end", Severity::Error);
        QCOMPARE(issues[0].schemaPath, std::string("#/flowdeck/reachability"));
    }

    void revertAndFailureEdgesCount()
    {
        json doc = minimal();
        doc["tasks"]["b2"] = {{"name", "ViewData"},
                              {"type", "manual"},
                              {"view", "v"},
                              {"variables", {{"incoming", json::object()}}}};
        doc["tasks"]["c3"] = {{"name", "stub"}};
        doc["transitions"]["a1"]["b2"] = {{"state", "error"}, {"type", "standard"}};
        doc["transitions"]["b2"] = {{"a1", {{"state", "success"}, {"type", "revert"}}},
                                    {"c3", {{"state", "failure"}}}};
        VERIFY_NO_ISSUES(validateWorkflow(doc));
    }

    // --- references -------------------------------------------------------------------------

    void varReferenceForms()
    {
        json doc = minimal();
        doc["tasks"]["b2"] = {{"name", "stub"}};
        doc["transitions"]["a1"]["b2"] = {{"state", "error"}};
        auto &in = incoming(doc, "a1");
        in["q"] = "$var.b2.result#/stdout_json/field";
        in["self"] = "$var.a1.response";
        in["start"] = "$var.workflow_start.x";
        in["jobOnly"] = "$var.job";
        in["notWhole"] = "see $var.ff.result";
        in["noName"] = "$var.ff.";
        in["job"] = "$var.job.anything";
        VERIFY_NO_ISSUES(validateWorkflow(doc));

        in["missing"] = "$var.ff.result#/x";
        in["nested"] = {{"list", json::array({1, "$var.ee.out"})}};
        const auto issues = validateWorkflow(doc);
        QCOMPARE(issues.size(), std::size_t(2));
        VERIFY_ISSUE(issues, "reference", "/tasks/a1/variables/incoming/missing", Severity::Error);
        VERIFY_ISSUE(issues, "reference", "/tasks/a1/variables/incoming/nested/list/1",
                     Severity::Error);
        const auto *nested =
            find(issues, "reference", "/tasks/a1/variables/incoming/nested/list/1");
        VERIFY_JSON(nested->params["task"], json("ee"));
        QVERIFY(nested->message.find("\"a1\" (stub)") != std::string::npos);
    }

    void structuredReferences()
    {
        json doc = minimal();
        auto &in = incoming(doc);
        in["data_to_merge"] = json::array(
            {{{"key", "k1"}, {"value", {{"task", "a1"}, {"variable", "response"}}}},
             {{"key", "k2"},
              {"value", {{"task", "static"}, {"variable", {{"task", "ff"}, {"value", 1}}}}}},
             {{"key", "k3"}, {"value", {{"task", "job"}, {"variable", "x"}, {"editable", true}}}}});
        in["variables"] = {{"unset", {{"task", ""}, {"value", ""}}},
                           {"literal", {{"task", "ff"}, {"owner", "ops"}}},
                           {"payload", {{"task", "ff"}, {"value", 1}, {"priority", "high"}}}};
        VERIFY_NO_ISSUES(validateWorkflow(doc));

        in["variables"]["cfg"] = {{"task", "ff"}, {"value", "return_data"}};
        in["variables"]["ticket"] = {{"task", "TICKET-1"}, {"value", 3}};
        const auto issues = validateWorkflow(doc);
        QCOMPARE(issues.size(), std::size_t(2));
        VERIFY_ISSUE(issues, "reference", "/tasks/a1/variables/incoming/variables/cfg/task",
                     Severity::Error);
        // Not a possible task key: literal data is the likelier reading, so only a warning.
        VERIFY_ISSUE(issues, "reference", "/tasks/a1/variables/incoming/variables/ticket/task",
                     Severity::Warning);
    }

    void deepNestingIsCutOffWithAWarning()
    {
        json doc = minimal();
        json deep = "$var.ff.x";
        for (int i = 0; i < 5000; ++i)
            deep = json::array({std::move(deep)});
        incoming(doc)["deep"] = std::move(deep);
        const auto issues = validateWorkflow(doc);
        VERIFY_NO_ERRORS(issues);
        QCOMPARE(issues.size(), std::size_t(1));
        QCOMPARE(issues[0].keyword, std::string("depth"));
        QCOMPARE(issues[0].severity, Severity::Warning);
    }

    void outgoingReferences()
    {
        json doc = minimal();
        doc["tasks"]["a1"]["variables"]["outgoing"] = {{"response", "$var.job.out"},
                                                       {"other", "$var.dd.x"}};
        const auto issues = validateWorkflow(doc);
        QCOMPARE(issues.size(), std::size_t(1));
        VERIFY_ISSUE(issues, "reference", "/tasks/a1/variables/outgoing/other", Severity::Error);
    }

    void pointerTokensAreEscaped()
    {
        json doc = minimal();
        incoming(doc)["a/b~c"] = "$var.ff.x";
        const auto issues = validateWorkflow(doc);
        QCOMPARE(issues.size(), std::size_t(1));
        QCOMPARE(issues[0].instancePath, std::string("/tasks/a1/variables/incoming/a~1b~0c"));

        json doc2 = minimal();
        doc2["tasks"]["x/y"] = {{"name", 3}};
        VERIFY_ISSUE(validateWorkflow(doc2), "type", "/tasks/x~1y/name", Severity::Error);
    }

    void jobVariablesAgainstInputSchema()
    {
        json doc = minimal();
        incoming(doc)["device"] = "$var.job.device";
        incoming(doc)["owner"] = {{"task", "job"}, {"variable", "owner"}};
        incoming(doc)["id"] = "$var.job._id";
        // No inputSchema properties: job variables may come from anywhere.
        VERIFY_NO_ISSUES(validateWorkflow(doc));

        doc["inputSchema"] = {{"type", "object"},
                              {"properties", {{"device", {{"type", "string"}}}}}};
        auto issues = validateWorkflow(doc);
        VERIFY_NO_ERRORS(issues);
        QCOMPARE(issues.size(), std::size_t(1));
        VERIFY_ISSUE(issues, "jobVariable", "/tasks/a1/variables/incoming/owner",
                     Severity::Warning);
        VERIFY_JSON(issues[0].params["variable"], json("owner"));

        // Written by a task's outgoing promotion: known.
        doc["tasks"]["a1"]["variables"]["outgoing"]["response"] = "$var.job.owner";
        VERIFY_NO_ISSUES(validateWorkflow(doc));

        // Written by newVariable: known.
        doc["tasks"]["a1"]["variables"]["outgoing"]["response"] = nullptr;
        doc["tasks"]["b2"] = {{"name", "newVariable"},
                              {"variables", {{"incoming", {{"name", "owner"}, {"value", "me"}}}}}};
        doc["transitions"]["a1"]["b2"] = {{"state", "error"}};
        VERIFY_NO_ISSUES(validateWorkflow(doc));
    }

    // --- JSON Schema delegation ---------------------------------------------------------------

    void schemasAreChecked()
    {
        json doc = minimal();
        doc["inputSchema"] = {{"type", "object"}, {"properties", {{"d", {{"type", "strng"}}}}}};
        doc["outputSchema"] = {{"type", "object"}, {"required", "d"}};
        const auto issues = validateWorkflow(doc);
        QVERIFY(!isValid(issues));
        VERIFY_ISSUE(issues, "", "/inputSchema/properties/d/type", Severity::Error);
        VERIFY_ISSUE(issues, "", "/outputSchema/required", Severity::Error);

        doc["inputSchema"] = {{"type", "object"},
                              {"properties", {{"d", {{"type", "string"}, {"pattern", "^a+$"}}}}},
                              {"required", {"d"}}};
        doc["outputSchema"] = {{"type", "object"}, {"properties", json::object()}};
        VERIFY_NO_ISSUES(validateWorkflow(doc));
    }
};

QTEST_APPLESS_MAIN(TestWorkflowValidator)
#include "TestWorkflowValidator.moc"
