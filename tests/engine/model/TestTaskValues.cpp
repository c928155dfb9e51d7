// SPDX-License-Identifier: GPL-3.0-or-later
// References in incoming values, the tasks upstream of a task and the job variables a
// workflow knows: what the editor's properties panel offers a task to read.
#include "engine/model/TaskValues.h"
#include "tests/support/JsonAsserts.h"

#include <QTest>

using namespace flowdeck;
using namespace flowdeck::model;
using nlohmann::json;

namespace {

using Strings = std::vector<std::string>;

/// start → a → b → (success) c → end, b → (failure) d → end, and a revert from d back to a.
json branching()
{
    return json::parse(R"({
      "name": "refs", "type": "automation",
      "inputSchema": {"type": "object", "properties": {"device": {}, "site": {}}},
      "tasks": {
        "workflow_start": {"name": "workflow_start"},
        "a": {"name": "newVariable", "variables": {"incoming": {"name": "attempt", "value": 1},
                                                    "outgoing": {"value": ""}}},
        "b": {"name": "query", "variables": {"incoming": {"obj": "$var.job.device"},
                                              "outgoing": {"return_data": "$var.job.platform"}}},
        "c": {"name": "push", "variables": {"incoming": {"job_variable": "log"}}},
        "d": {"name": "stub", "variables": {"incoming": {}, "outgoing": {"response": null}}},
        "workflow_end": {"name": "workflow_end"}
      },
      "transitions": {
        "workflow_start": {"a": {"state": "success", "type": "standard"}},
        "a": {"b": {"state": "success", "type": "standard"}},
        "b": {"c": {"state": "success", "type": "standard"},
              "d": {"state": "failure", "type": "standard"}},
        "c": {"workflow_end": {"state": "success", "type": "standard"}},
        "d": {"a": {"state": "success", "type": "revert"}},
        "workflow_end": {}
      }
    })");
}

} // namespace

class TestTaskValues : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void referencesAreReadAsTheRuntimeReadsThem()
    {
        QVERIFY(parseReference(json("$var.job.device")) == (ValueReference{"job", "device", ""}));
        QVERIFY(parseReference(json("$var.1a2b.return_data")) ==
                (ValueReference{"1a2b", "return_data", ""}));
        QVERIFY(parseReference(json("$var.1a2b.result#/response/0/name")) ==
                (ValueReference{"1a2b", "result", "/response/0/name"}));
        // A name may hold dots: it runs to the first '#'.
        QVERIFY(parseReference(json("$var.job.a.b")) == (ValueReference{"job", "a.b", ""}));
        for (const json &literal :
             {json("$var.job"), json("var.job.x"), json(""), json(7), json(nullptr),
              json::object({{"task", "job"}, {"variable", "x"}})})
            QVERIFY2(!parseReference(literal), literal.dump().c_str());
        const ValueReference ref{"9f03", "result", "/response"};
        QCOMPARE(referenceText(ref), std::string("$var.9f03.result#/response"));
        QVERIFY(parseReference(json(referenceText(ref))) == ref);
    }

    void upstreamIsEveryTaskBeforeNearestFirstWithoutReverts()
    {
        const json doc = branching();
        QCOMPARE(upstreamTasks(doc, "c"), (Strings{"b", "a"}));
        QCOMPARE(upstreamTasks(doc, "d"), (Strings{"b", "a"}));
        // The revert from d back to a does not make d upstream of a.
        QVERIFY(upstreamTasks(doc, "a").empty());
        QCOMPARE(upstreamTasks(doc, "workflow_end"), (Strings{"c", "b", "a"}));
        QVERIFY(upstreamTasks(doc, "nope").empty());
        QVERIFY(upstreamTasks(json::array(), "a").empty());
    }

    void jobVariablesComeFromInputsSettersAndSavedOutputs()
    {
        QCOMPARE(jobVariableNames(branching()),
                 (Strings{"attempt", "device", "log", "platform", "site"}));
        QVERIFY(jobVariableNames(json("not a workflow")).empty());
    }
};

QTEST_APPLESS_MAIN(TestTaskValues)
#include "TestTaskValues.moc"
