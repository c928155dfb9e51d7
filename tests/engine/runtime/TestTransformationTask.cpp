// SPDX-License-Identifier: GPL-3.0-or-later
// The transformation task through the Engine: a stored JST runs on the task's variableMap, with
// its options, and later tasks find its outgoing values at $var.<task>.<$id>; what can go
// wrong errors the task with a message naming it.
#include "engine/runtime/Engine.h"
#include "engine/runtime/TransformationTask.h"
#include "engine/store/SqliteStore.h"
#include "tests/support/JsonAsserts.h"
#include "tests/support/TestPaths.h"

#include <QTemporaryDir>
#include <QTest>

using namespace flowdeck;
using namespace flowdeck::runtime;
using nlohmann::json;

namespace {

json fixture(const char *file)
{
    const QByteArray text = test::readFile(
        test::sourcePath(QStringLiteral("tests/data/jst/") + QString::fromUtf8(file)));
    return json::parse(text.begin(), text.end(), nullptr, false);
}

json wfTask(const char *method, json incoming, json outgoing = json::object())
{
    return {{"name", method},
            {"summary", method},
            {"app", "WorkFlowEngine"},
            {"type", "operation"},
            {"variables",
             {{"incoming", std::move(incoming)},
              {"outgoing", std::move(outgoing)},
              {"error", ""},
              {"decorators", json::array()}}}};
}

json edge(const char *state = "success")
{
    return {{"state", state}, {"type", "standard"}};
}

/// start → ab1 (transformation) → cd1 (newVariable copying `$var.ab1.<read>` into "copied")
/// → end; an error of ab1 ends the job through its error transition.
json workflowWith(const std::string &name, json transformationIncoming, const std::string &read,
                  json outgoing = json::object())
{
    return {
        {"name", name},
        {"type", "automation"},
        {"tasks",
         {{"workflow_start", {{"name", "workflow_start"}, {"groups", json::array()}}},
          {"ab1", wfTask("transformation", std::move(transformationIncoming), std::move(outgoing))},
          {"cd1", wfTask("newVariable", {{"name", "copied"}, {"value", "$var.ab1." + read}})},
          {"workflow_end", {{"name", "workflow_end"}, {"groups", json::array()}}}}},
        {"transitions",
         {{"workflow_start", {{"ab1", edge()}}},
          {"ab1", {{"cd1", edge()}, {"workflow_end", edge("error")}}},
          {"cd1", {{"workflow_end", edge()}}},
          {"workflow_end", json::object()}}}};
}

/// The reference's minimal example: {user: {first}} → msg "Hello <first>!".
json greet()
{
    return {{"_id", "65e1c0ffee0000000000e001"},
            {"name", "greet"},
            {"incoming",
             {{{"$id", "user"},
               {"type", "object"},
               {"properties", {{"first", {{"type", "string"}}}}},
               {"required", {"first"}}}}},
            {"outgoing", {{{"$id", "msg"}, {"type", "string"}}}},
            {"functions", json::array()},
            {"steps",
             {{{"id", 1},
               {"type", "template"},
               {"library", "String"},
               {"method", "templateLiteral"},
               {"template", "Hello ${name}!"},
               {"args", {nullptr}},
               {"context", "#"}},
              {{"id", 2},
               {"type", "assign"},
               {"from", {{"location", "incoming"}, {"name", "user"}, {"ptr", "/first"}}},
               {"to", {{"location", "template"}, {"name", 1}, {"ptr", "/args/0/value"}}}},
              {{"id", 3},
               {"type", "assign"},
               {"from", {{"location", "template"}, {"name", 1}, {"ptr", "/return"}}},
               {"to", {{"location", "outgoing"}, {"name", "msg"}, {"ptr", ""}}}}}}};
}

} // namespace

class TestTransformationTask : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<store::SqliteStore> m_store;
    std::unique_ptr<Engine> m_engine;
    int m_dbCount = 0;

    void saveJst(const json &doc)
    {
        auto r = m_store->saveTransformation(doc, std::string("tester"), true);
        QVERIFY2(r.ok(), r.ok() ? "" : r.error().message.c_str());
    }

    void saveWorkflow(const json &doc)
    {
        auto wf = model::Workflow::fromJson(doc);
        QVERIFY(wf.ok());
        QVERIFY(m_store->saveWorkflow(*wf, std::string("tester"), true).ok());
    }

    json run(const json &workflow, json variables = json::object())
    {
        saveWorkflow(workflow);
        StartJobOptions o;
        o.workflow = workflow["name"];
        o.variables = std::move(variables);
        o.actor = "alice";
        auto r = m_engine->startJob(o);
        if (!r.ok())
            qWarning("start failed: %s", r.error().message.c_str());
        return r.ok() ? *r : json();
    }

    static std::string lastError(const json &job)
    {
        if (!job.contains("error") || job["error"].empty())
            return {};
        const json &m = job["error"].back()["message"];
        return m.is_string() ? m.get<std::string>() : m.dump();
    }

    /// The job went down ab1's error transition with a message containing every fragment.
    void expectTaskError(const json &job, std::initializer_list<const char *> fragments)
    {
        QCOMPARE_JSON(job["status"], "complete");
        QVERIFY2(!job["variables"].contains("copied"), job["variables"].dump().c_str());
        const std::string message = lastError(job);
        for (const char *f : fragments)
            QVERIFY2(message.find(f) != std::string::npos, (message + " lacks " + f).c_str());
    }

private Q_SLOTS:
    void init()
    {
        const auto path = m_dir.filePath(QStringLiteral("task-%1.db").arg(++m_dbCount));
        m_store = std::move(*store::SqliteStore::open(path.toStdString()));
        m_engine = std::make_unique<Engine>(*m_store);
        installTransformationTask(*m_engine, *m_store);
    }

    void cleanup()
    {
        m_engine.reset();
        m_store.reset();
    }

    void extractOutputKeysTheBareValueUnderItsId()
    {
        saveJst(fixture("alarm-to-ticket.json"));
        const json c = fixture("alarm-to-ticket.cases.json")[0];
        QVERIFY(c["options"]["extractOutput"].get<bool>());
        const json job = run(workflowWith("Alarm",
                                          {{"tr_id", "65e1c0ffee0000000000a003"},
                                           {"variableMap", {{"alarm", "$var.job.alarm"}}},
                                           {"options", c["options"]}},
                                          "ticket", {{"ticket", "$var.job.ticket"}}),
                             {{"alarm", c["incoming"]["alarm"]}});
        QCOMPARE_JSON(job["status"], "complete");
        QCOMPARE_JSON(job["variables"]["copied"], c["expected"]);
        QCOMPARE_JSON(job["variables"]["ticket"], c["expected"]);
    }

    void withoutExtractOutputEachOutgoingIsItsOwnVariable()
    {
        saveJst(fixture("inventory-index.json"));
        const json c = fixture("inventory-index.cases.json")[0];
        // The incoming default (requiredSite) comes from revertToDefaultValue: the map omits it.
        QVERIFY(!c["incoming"].contains("requiredSite"));
        const json job =
            run(workflowWith("Inventory",
                             {{"tr_id", "65e1c0ffee0000000000a002"},
                              {"variableMap", {{"inventory", "$var.job.inventory"}}},
                              {"options", c["options"]}},
                             "siteLine", {{"sites", "$var.job.sites"}, {"bySerial", nullptr}}),
                {{"inventory", c["incoming"]["inventory"]}});
        QCOMPARE_JSON(job["status"], "complete");
        QCOMPARE_JSON(job["variables"]["copied"], c["expected"]["siteLine"]);
        QCOMPARE_JSON(job["variables"]["sites"], c["expected"]["sites"]);
        QVERIFY(!job["variables"].contains("bySerial"));
    }

    // A childJob loop with a transformation runs the JST on each element; its output is the
    // child's variables. Elements need not be objects then: each is also `currentValue`.
    void aChildJobLoopRunsItsTransformationOnEachElement()
    {
        saveJst(greet());
        saveWorkflow(
            {{"name", "Greet one"},
             {"type", "automation"},
             {"inputSchema",
              {{"type", "object"},
               {"required", {"msg"}},
               {"properties", {{"msg", {{"type", "string"}}}}}}},
             {"tasks",
              {{"workflow_start", {{"name", "workflow_start"}, {"groups", json::array()}}},
               {"g1", wfTask("newVariable", {{"name", "said"}, {"value", "$var.job.msg"}})},
               {"workflow_end", {{"name", "workflow_end"}, {"groups", json::array()}}}}},
             {"transitions",
              {{"workflow_start", {{"g1", edge()}}},
               {"g1", {{"workflow_end", edge()}}},
               {"workflow_end", json::object()}}}});
        auto loop = [](const char *loopType, const char *trId = "65e1c0ffee0000000000e001") {
            return json{
                {"name", std::string("Greet all ") + loopType + trId},
                {"type", "automation"},
                {"tasks",
                 {{"workflow_start", {{"name", "workflow_start"}, {"groups", json::array()}}},
                  {"c1", wfTask("childJob",
                                {{"task", ""},
                                 {"workflow", "Greet one"},
                                 {"variables", json::object()},
                                 {"data_array", "$var.job.people"},
                                 {"transformation", trId},
                                 {"loopType", loopType}},
                                {{"job_details", "$var.job.details"}})},
                  {"workflow_end", {{"name", "workflow_end"}, {"groups", json::array()}}}}},
                {"transitions",
                 {{"workflow_start", {{"c1", edge()}}},
                  {"c1", {{"workflow_end", edge()}}},
                  {"workflow_end", json::object()}}}};
        };
        const json people = {{{"user", {{"first", "Ana"}}}}, {{"user", {{"first", "Bo"}}}}};
        for (const char *loopType : {"sequential", "parallel"}) {
            const json job = run(loop(loopType), {{"people", people}});
            QVERIFY2(job["status"] == "complete", job.dump().c_str());
            const json &results = job["variables"]["details"]["loop"];
            QCOMPARE(results.size(), std::size_t(2));
            QCOMPARE_JSON(results[0]["said"], "Hello Ana!");
            QCOMPARE_JSON(results[1]["said"], "Hello Bo!");
            QCOMPARE_JSON(results[1]["childJobLoopIndex"], 1);
        }
        // A JST that cannot run errors the task, naming the element and the JST.
        const json bad = run(loop("sequential", "65e1c0ffee0000000000e0ff"), {{"people", people}});
        QCOMPARE_JSON(bad["status"], "error");
        const std::string why = bad["error"][0]["message"].get<std::string>();
        QVERIFY2(why.find("c1 (element 0)") != std::string::npos, why.c_str());
        QVERIFY2(why.find("65e1c0ffee0000000000e0ff") != std::string::npos, why.c_str());
    }

    void trIdMayNameTheJst()
    {
        saveJst(greet());
        const json job = run(workflowWith("By name",
                                          {{"tr_id", "GREET"},
                                           {"variableMap", {{"user", {{"first", "Ana"}}}}},
                                           {"options", {{"extractOutput", true}}}},
                                          "msg"));
        QCOMPARE_JSON(job["variables"]["copied"], "Hello Ana!");
    }

    void aMissingJstErrorsTheTask()
    {
        const json job = run(workflowWith("Missing",
                                          {{"tr_id", "65e1c0ffee0000000000ffff"},
                                           {"variableMap", json::object()},
                                           {"options", ""}},
                                          "x"));
        expectTaskError(job, {"65e1c0ffee0000000000ffff", "not in the store"});
        const json noId =
            run(workflowWith("No id", {{"tr_id", ""}, {"variableMap", json::object()}}, "x"));
        expectTaskError(noId, {"tr_id"});
    }

    void validateIncomingListsEachViolation()
    {
        json doc = greet();
        doc["incoming"].push_back({{"$id", "count"}, {"type", "integer"}, {"minimum", 1}});
        saveJst(doc);
        const json job =
            run(workflowWith("Strict",
                             {{"tr_id", "65e1c0ffee0000000000e001"},
                              {"variableMap", {{"user", {{"first", 7}}}, {"count", 0}}},
                              {"options", {{"validateIncoming", true}, {"extractOutput", true}}}},
                             "msg"));
        expectTaskError(job, {"greet", "/user/first", "/count"});

        // Without the option the same values run.
        const json loose = run(workflowWith("Loose",
                                            {{"tr_id", "65e1c0ffee0000000000e001"},
                                             {"variableMap", {{"user", {{"first", 7}}}}},
                                             {"options", {{"extractOutput", true}}}},
                                            "msg"));
        QCOMPARE_JSON(loose["variables"]["copied"], "Hello 7!");
    }

    void aMethodOutsideTheCatalogueFailsWithItsName()
    {
        json doc = greet();
        doc["steps"].push_back({{"id", 9},
                                {"type", "method"},
                                {"library", "Bitwise"},
                                {"method", "leftShift"},
                                {"args", {1, 2}}});
        saveJst(doc); // the store takes what it is given; the catalog would have refused it
        const json job = run(workflowWith(
            "Unsupported",
            {{"tr_id", "65e1c0ffee0000000000e001"}, {"variableMap", {{"user", {{"first", "x"}}}}}},
            "msg"));
        expectTaskError(job, {"Bitwise.leftShift"});
    }

    void aNewVersionIsUsedOnTheNextRun()
    {
        saveJst(greet());
        const json incoming = {{"tr_id", "65e1c0ffee0000000000e001"},
                               {"variableMap", {{"user", "$var.job.user"}}},
                               {"options", {{"extractOutput", true}}}};
        const json wf = workflowWith("Versions", incoming, "msg");
        QCOMPARE_JSON(run(wf, {{"user", {{"first", "Ana"}}}})["variables"]["copied"], "Hello Ana!");
        json changed = greet();
        changed["steps"][0]["template"] = "Bye ${name}.";
        saveJst(changed);
        QCOMPARE_JSON(run(wf, {{"user", {{"first", "Ana"}}}})["variables"]["copied"], "Bye Ana.");
    }
};

QTEST_GUILESS_MAIN(TestTransformationTask)
#include "TestTransformationTask.moc"
