// SPDX-License-Identifier: GPL-3.0-or-later
// The palette's table of WorkFlowEngine methods agrees with the engine: every method the
// engine runs is listed and nothing else is, each new task the table makes is a valid step of
// a workflow, and adapter methods, JSTs and workflows become tasks that name them.
#include "engine/model/TaskCatalog.h"
#include "engine/model/WorkflowEdit.h"
#include "engine/tasks/BuiltinMethod.h"
#include "engine/validate/WorkflowValidator.h"
#include "tests/support/JsonAsserts.h"
#include "tests/support/TestPaths.h"

#include <QDir>

#include <QTest>

#include <set>

using namespace flowdeck;
using nlohmann::json;

namespace {

/// The methods the runtime itself carries out (they wait, or run other documents).
const std::set<std::string> kRuntimeMethods = {"childJob", "delay", "forEach", "transformation",
                                               "ViewData"};

json emptyWorkflow()
{
    return json::parse(R"({
      "name": "catalog", "type": "automation", "canvasVersion": 3,
      "tasks": {
        "workflow_start": {"name": "workflow_start", "nodeLocation": {"x": 0, "y": 0}},
        "workflow_end": {"name": "workflow_end", "nodeLocation": {"x": 720, "y": 0}}
      },
      "transitions": {"workflow_start": {}, "workflow_end": {}}
    })");
}

/// start → task → end with the task `entry` makes; the validator's errors, as text.
QStringList errorsOfWorkflowWith(const json &entry)
{
    json doc = emptyWorkflow();
    auto added = model::addTask(doc, model::taskFromEntry(entry), {1, 0});
    if (!added)
        return {QString::fromStdString(added.error().message)};
    model::applyEdit(doc, added->first);
    const std::string key = added->second;
    for (auto [from, to] : {std::pair<std::string, std::string>{"workflow_start", key},
                            std::pair<std::string, std::string>{key, "workflow_end"}}) {
        auto joined = model::connectTasks(doc, from, to, model::TransitionState::Success);
        if (!joined)
            return {QString::fromStdString(joined.error().message)};
        model::applyEdit(doc, *joined);
    }
    QStringList errors;
    for (const auto &issue : validate::validateWorkflow(doc))
        if (issue.severity == validate::Severity::Error)
            errors << QString::fromStdString(issue.instancePath + ": " + issue.message);
    return errors;
}

} // namespace

class TestTaskCatalog : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void listsExactlyTheMethodsTheEngineRuns()
    {
        std::set<std::string> engine(kRuntimeMethods);
        for (const std::string &name : tasks::builtinMethodNames())
            engine.insert(name);
        std::set<std::string> listed;
        for (const json &entry : model::workflowEngineTasks())
            listed.insert(entry["name"].get<std::string>());
        for (const std::string &name : engine)
            QVERIFY2(listed.count(name), ("not in the palette: " + name).c_str());
        for (const std::string &name : listed)
            QVERIFY2(engine.count(name), ("listed but the engine cannot run it: " + name).c_str());
    }

    void entriesHaveTheListShape()
    {
        for (const json &entry : model::workflowEngineTasks()) {
            const std::string name = entry["name"];
            QVERIFY2(!entry["summary"].get<std::string>().empty(), name.c_str());
            QCOMPARE_JSON(entry["app"], json("WorkFlowEngine"));
            QVERIFY2(entry["type"] == "automatic" || entry["type"] == "operation" ||
                         entry["type"] == "manual",
                     name.c_str());
            for (const auto &[var, spec] : entry["variables"]["incoming"].items()) {
                QVERIFY2(spec.contains("type") && spec.contains("value") &&
                             spec["required"].is_boolean(),
                         (name + "/" + var).c_str());
            }
            QCOMPARE(model::findWorkflowEngineTask(name), &entry);
        }
        QCOMPARE(model::findWorkflowEngineTask("noSuchMethod"), nullptr);
        // Dispatch is on the name: arrayPush shows as "push", which is another method.
        QCOMPARE_JSON((*model::findWorkflowEngineTask("arrayPush"))["canvasName"], json("push"));
        QCOMPARE_JSON((*model::findWorkflowEngineTask("ViewData"))["view"],
                      json("/workflow_engine/task/ViewData"));
    }

    void everyNewTaskIsAValidStep()
    {
        for (const json &entry : model::workflowEngineTasks()) {
            const QStringList errors = errorsOfWorkflowWith(entry);
            QVERIFY2(errors.isEmpty(),
                     qPrintable(QString::fromStdString(entry["name"].get<std::string>()) +
                                QStringLiteral(": ") + errors.join(QStringLiteral("; "))));
        }
    }

    void newTaskLooksLikeAnItentialTask()
    {
        const json task = model::taskFromEntry(*model::findWorkflowEngineTask("query"));
        QCOMPARE_JSON(task["name"], json("query"));
        QCOMPARE_JSON(task["app"], json("WorkFlowEngine"));
        QCOMPARE_JSON(task["location"], json("Application"));
        QCOMPARE_JSON(task["locationType"], json(nullptr));
        QCOMPARE_JSON(task["type"], json("operation"));
        QCOMPARE_JSON(task["variables"]["incoming"],
                      json::parse(R"({"obj": "", "pass_on_null": false, "query": ""})"));
        QCOMPARE_JSON(task["variables"]["outgoing"], json::parse(R"({"return_data": ""})"));
        const json manual = model::taskFromEntry(*model::findWorkflowEngineTask("ViewData"));
        QCOMPARE_JSON(manual["type"], json("manual"));
        QCOMPARE_JSON(manual["view"], json("/workflow_engine/task/ViewData"));
        QCOMPARE_JSON(manual["variables"]["incoming"]["btn_success"], json("Approve"));
        QCOMPARE_JSON(model::taskFromEntry(*model::findWorkflowEngineTask("childJob"))["actor"],
                      json("job"));
    }

    void adapterMethodBecomesATaskNamingItsInstance()
    {
        const json method = json::parse(R"({
          "name": "getPetById", "summary": "Find a pet", "verb": "GET", "path": "/pet/{petId}",
          "inputs": [{"name": "petId", "in": "path", "required": true,
                      "schema": {"type": "integer", "description": "The pet"}},
                     {"name": "verbose", "in": "query", "required": false,
                      "schema": {"type": ["boolean", "null"]}}],
          "outputSchema": {"type": "object"}})");
        const json entry = model::adapterTaskEntry(method, "pets-prod", "Petstore");
        QCOMPARE_JSON(entry["location"], json("Adapter"));
        QCOMPARE_JSON(entry["app"], json("Petstore"));
        QCOMPARE_JSON(entry["summary"], json("Find a pet"));
        QCOMPARE_JSON(entry["variables"]["incoming"]["petId"]["type"], json("integer"));
        QCOMPARE_JSON(entry["variables"]["incoming"]["petId"]["required"], json(true));
        QCOMPARE_JSON(entry["variables"]["incoming"]["verbose"]["type"], json("boolean"));
        const json task = model::taskFromEntry(entry);
        QCOMPARE_JSON(task["locationType"], json("Petstore"));
        QCOMPARE_JSON(task["variables"]["incoming"],
                      json::parse(R"({"adapter_id": "pets-prod", "petId": "", "verbose": ""})"));
        QCOMPARE_JSON(task["variables"]["outgoing"], json::parse(R"({"result": ""})"));
        QVERIFY(errorsOfWorkflowWith(entry).isEmpty());
        // A method with no inputs and no summary still makes a task.
        const json bare = model::adapterTaskEntry(json{{"name", "ping"}}, "a", "App");
        QCOMPARE_JSON(bare["summary"], json("ping"));
        QCOMPARE_JSON(model::taskFromEntry(bare)["variables"]["incoming"],
                      json::parse(R"({"adapter_id": "a"})"));
    }

    void jstBecomesATransformationTask()
    {
        const json jst = json::parse(R"({
          "_id": "64b7f0c2a1b2c3d4e5f60718", "name": "Normalize interfaces",
          "incoming": [{"$id": "raw", "type": "array"}, {"$id": "site", "type": "string"}],
          "outgoing": [{"$id": "interfaces", "type": "array", "title": "Clean list"}]})");
        const json task = model::taskFromEntry(model::transformationTaskEntry(jst));
        QCOMPARE_JSON(task["name"], json("transformation"));
        QCOMPARE_JSON(task["summary"], json("Normalize interfaces"));
        QCOMPARE_JSON(task["variables"]["incoming"]["tr_id"], json("64b7f0c2a1b2c3d4e5f60718"));
        QCOMPARE_JSON(task["variables"]["incoming"]["variableMap"],
                      json::parse(R"({"raw": "", "site": ""})"));
        QCOMPARE_JSON(task["variables"]["outgoing"], json::parse(R"({"interfaces": ""})"));
    }

    void workflowBecomesAChildJobTask()
    {
        const json workflow = json::parse(R"({"name": "Backup Device Config",
          "inputSchema": {"type": "object", "properties": {"deviceName": {"type": "string"},
                                                           "dryRun": {"type": "boolean"}}}})");
        const json task = model::taskFromEntry(model::childJobTaskEntry(workflow));
        QCOMPARE_JSON(task["name"], json("childJob"));
        QCOMPARE_JSON(task["summary"], json("Backup Device Config"));
        QCOMPARE_JSON(task["variables"]["incoming"]["workflow"], json("Backup Device Config"));
        QCOMPARE_JSON(task["variables"]["incoming"]["variables"], json::parse(R"({
          "deviceName": {"task": "static", "value": ""},
          "dryRun": {"task": "static", "value": ""}})"));
        QCOMPARE_JSON(task["variables"]["incoming"]["loopType"], json(""));
        // A workflow without an input schema: no variables, still a task.
        QCOMPARE_JSON(model::taskFromEntry(model::childJobTaskEntry(
                          json{{"name", "x"}}))["variables"]["incoming"]["variables"],
                      json::object());
    }

    void requiredValuesLeftUnsetAreNamed()
    {
        const json &query = *model::findWorkflowEngineTask("query");
        json task = model::taskFromEntry(query);
        // A new query: obj is "" (of any type: unset); query is "" (text: the whole object).
        QCOMPARE(model::unsetRequiredValues(task, query), std::vector<std::string>{"obj"});
        task["variables"]["incoming"]["obj"] = "$var.job.device";
        QVERIFY(model::unsetRequiredValues(task, query).empty());
        task["variables"]["incoming"].erase("pass_on_null");
        task["variables"]["incoming"]["obj"] = nullptr;
        QCOMPARE(model::unsetRequiredValues(task, query),
                 (std::vector<std::string>{"obj", "pass_on_null"}));
        // Every default the table gives is set, except where the operator must choose.
        QVERIFY(model::unsetRequiredValues(json("not a task"), query).size() == 3);
        QVERIFY(model::unsetRequiredValues(task, json::object()).empty());
    }

    void theDemoWorkflowsLeaveNoRequiredValueUnset()
    {
        // What a new user opens in the editor first says "No problems".
        const QDir demo(test::sourcePath(QStringLiteral("resources/demo")));
        int tasks = 0;
        for (const QString &file : demo.entryList({QStringLiteral("*.json")}, QDir::Files)) {
            const QByteArray text = test::readFile(demo.filePath(file));
            const json doc = json::parse(text.toStdString());
            for (const auto &[key, task] : doc["tasks"].items()) {
                const json *entry =
                    model::findWorkflowEngineTask(task.value("name", std::string()));
                if (!entry || task.value("app", std::string("WorkFlowEngine")) != "WorkFlowEngine")
                    continue;
                ++tasks;
                const auto unset = model::unsetRequiredValues(task, *entry);
                const std::string first = unset.empty() ? std::string() : unset.front();
                QVERIFY2(unset.empty(), qPrintable(file + QStringLiteral(" ") +
                                                   QString::fromStdString(key + " " + first)));
            }
        }
        QVERIFY(tasks > 20);
    }

    void malformedEntriesStillMakeATask()
    {
        for (const json &entry :
             {json(nullptr), json::array(), json{{"name", 3}}, json{{"variables", "x"}},
              json{{"variables", {{"incoming", 1}, {"outgoing", "y"}}}}}) {
            const json task = model::taskFromEntry(entry);
            QVERIFY(task["variables"]["incoming"].is_object());
            QVERIFY(task["name"].is_string());
        }
    }
};

QTEST_APPLESS_MAIN(TestTaskCatalog)
#include "TestTaskCatalog.moc"
