// SPDX-License-Identifier: GPL-3.0-or-later
// The editor's changes: each undone gives the document back byte for byte, a move touches
// only positions, and what would break the document is refused with the reason.
#include "engine/model/WorkflowEdit.h"
#include "tests/support/JsonAsserts.h"

#include <QDir>
#include <QFile>
#include <QTest>

using namespace flowdeck;
using namespace flowdeck::model;
using nlohmann::json;

namespace {

json small()
{
    return json::parse(R"({
      "name": "edit me", "type": "automation", "canvasVersion": 3,
      "tasks": {
        "workflow_start": {"name": "workflow_start", "nodeLocation": {"x": 0, "y": 0}},
        "a1": {"name": "query", "app": "WorkFlowEngine", "summary": "Read it",
               "nodeLocation": {"x": 240, "y": 0}},
        "b2": {"name": "stub", "app": "WorkFlowEngine", "nodeLocation": {"x": 480, "y": 0}},
        "workflow_end": {"name": "workflow_end", "nodeLocation": {"x": 720, "y": 0}}
      },
      "transitions": {
        "workflow_start": {"a1": {"state": "success", "type": "standard"}},
        "a1": {"b2": {"state": "success", "type": "standard"}},
        "b2": {"workflow_end": {"state": "success", "type": "standard"}},
        "workflow_end": {}
      }
    })");
}

/// Applies the edit to a copy, reverts it, and checks the copy is `doc` again, byte for byte.
json appliedAndUndone(const json &doc, const WorkflowEdit &edit, json *applied = nullptr)
{
    json copy = doc;
    applyEdit(copy, edit);
    if (applied)
        *applied = copy;
    revertEdit(copy, edit);
    return copy;
}

} // namespace

class TestWorkflowEdit : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void aMoveChangesOnlyThePositionAndSnaps()
    {
        const json doc = small();
        auto edit = moveTasks(doc, {{"a1", {2.4, 1.6}}});
        QVERIFY(edit);
        QCOMPARE(edit->name, std::string("Move Read it"));
        json moved;
        QCOMPARE(appliedAndUndone(doc, *edit, &moved).dump(), doc.dump());
        QCOMPARE_JSON(moved["tasks"]["a1"]["nodeLocation"], json({{"x", 480}, {"y", 216}}));
        json expected = doc;
        expected["tasks"]["a1"]["nodeLocation"] = {{"x", 480}, {"y", 216}};
        QCOMPARE(moved.dump(), expected.dump());
    }

    void aMoveToWhereTheTaskIsChangesNothing()
    {
        auto edit = moveTasks(small(), {{"a1", {1, 0}}});
        QVERIFY(edit);
        QVERIFY(edit->empty());
        QCOMPARE(edit->name, std::string("Move 0 tasks"));
    }

    void aMoveKeepsEveryFormTheTaskHad()
    {
        json doc = small();
        doc["tasks"]["b2"] = {
            {"name", "stub"}, {"x", 0.1}, {"y", 0.04}, {"gridCoordinate", {{"x", 2}, {"y", 1}}}};
        auto edit = moveTasks(doc, {{"b2", {4, 2}}, {"a1", {3, 3}}});
        QVERIFY(edit);
        QCOMPARE(edit->name, std::string("Move 2 tasks"));
        json moved;
        QCOMPARE(appliedAndUndone(doc, *edit, &moved).dump(), doc.dump());
        QCOMPARE_JSON(moved["tasks"]["b2"]["gridCoordinate"], json({{"x", 4.0}, {"y", 2.0}}));
        QCOMPARE(moved["tasks"]["b2"]["x"].get<double>(), 0.2);
        QCOMPARE(moved["tasks"]["b2"]["y"].get<double>(), 0.08);
        QVERIFY(!moved["tasks"]["b2"].contains("nodeLocation"));
    }

    void anUnknownTaskIsNamed()
    {
        auto edit = moveTasks(small(), {{"zz", {1, 1}}});
        QVERIFY(!edit);
        QCOMPARE(edit.error().message, std::string("the workflow has no task zz"));
    }

    void aNewTaskGetsAFreshHexKey()
    {
        const json doc = small();
        auto added = addTask(doc, {{"name", "stub"}, {"app", "WorkFlowEngine"}}, {5.2, 2});
        QVERIFY(added);
        const auto &[edit, key] = *added;
        QCOMPARE(key.size(), std::size_t(4));
        QVERIFY(key.find_first_not_of("0123456789abcdef") == std::string::npos);
        QVERIFY(!doc["tasks"].contains(key));
        json after;
        QCOMPARE(appliedAndUndone(doc, edit, &after).dump(), doc.dump());
        QCOMPARE_JSON(after["tasks"][key]["nodeLocation"], json({{"x", 1200}, {"y", 216}}));
    }

    void deletingATaskTakesItsTransitions()
    {
        const json doc = small();
        auto edit = removeTasks(doc, {"a1"});
        QVERIFY(edit);
        QCOMPARE(edit->name, std::string("Delete Read it"));
        json after;
        QCOMPARE(appliedAndUndone(doc, *edit, &after).dump(), doc.dump());
        QVERIFY(!after["tasks"].contains("a1"));
        QVERIFY(!after["transitions"].contains("a1"));
        QVERIFY(!after["transitions"]["workflow_start"].contains("a1"));
        QCOMPARE(after["transitions"]["b2"].size(), std::size_t(1));
    }

    void aNewTaskTakesTheDocumentsPositionForm()
    {
        // Canvas 1.5: fractions of the old canvas, no pixels.
        json legacy = small();
        legacy["canvasVersion"] = 1.5;
        for (auto &[key, task] : legacy["tasks"].items()) {
            const double x = task["nodeLocation"]["x"].get<double>() / 240.0;
            task.erase("nodeLocation");
            task["x"] = x / GridMetrics::kFractionCanvasCols;
            task["y"] = 0.0;
        }
        auto added = addTask(legacy, {{"name", "stub"}, {"summary", "Wait"}}, {2, 3});
        QVERIFY(added);
        json after;
        QCOMPARE(appliedAndUndone(legacy, added->first, &after).dump(), legacy.dump());
        const json &task = after["tasks"][added->second];
        QVERIFY(!task.contains("nodeLocation"));
        QCOMPARE(task["x"].get<double>(), 2 / GridMetrics::kFractionCanvasCols);
        QCOMPARE(task["y"].get<double>(), 3 / GridMetrics::kFractionCanvasRows);
        QCOMPARE(added->first.name, std::string("Add Wait"));
        // Job-style documents: grid cells.
        json grid = small();
        for (auto &[key, t] : grid["tasks"].items()) {
            t["gridCoordinate"] = {{"x", t["nodeLocation"]["x"].get<int>() / 240}, {"y", 0}};
            t.erase("nodeLocation");
        }
        auto inGrid = addTask(grid, {{"name", "stub"}}, {1, 1});
        QVERIFY(inGrid);
        applyEdit(grid, inGrid->first);
        QCOMPARE_JSON(grid["tasks"][inGrid->second]["gridCoordinate"],
                      json::parse(R"({"x": 1.0, "y": 1.0})"));
        QVERIFY(!grid["tasks"][inGrid->second].contains("nodeLocation"));
    }

    void aFreeCellIsFoundBelowATakenOne()
    {
        const json doc = small(); // tasks on (0,0) (1,0) (2,0) (3,0)
        QCOMPARE(freeCellNear(doc, {1, 0}), (GridPoint{1, 1}));
        QCOMPARE(freeCellNear(doc, {4, 0}), (GridPoint{4, 0}));
        json more = doc;
        auto added = addTask(more, {{"name", "stub"}}, {1, 1});
        applyEdit(more, added->first);
        QCOMPARE(freeCellNear(more, {1, 0}), (GridPoint{1, 2}));
    }

    void aMoveIsToldFromOtherEdits()
    {
        const json doc = small();
        auto moved = moveTasks(doc, {{"a1", {1, 3}}, {"b2", {2, 3}}});
        QVERIFY(moved);
        QCOMPARE(movedTasksOnly(*moved), (std::optional<std::vector<std::string>>{{"a1", "b2"}}));
        auto joined = connectTasks(doc, "a1", "workflow_end", TransitionState::Error);
        QVERIFY(!movedTasksOnly(*joined));
        auto renamed = setTaskValue(doc, "a1", json::json_pointer("/summary"), json("x"), "x");
        QVERIFY(!movedTasksOnly(*renamed));
        QVERIFY(!movedTasksOnly(WorkflowEdit{}));
        // A move chained with anything else is not a move.
        QVERIFY(!movedTasksOnly(chainEdits(*moved, *joined, "both")));
    }

    void addThenConnectIsOneUndoableStep()
    {
        const json doc = small();
        auto added = addTask(doc, {{"name", "stub"}, {"summary", "Check"}}, {1, 1});
        QVERIFY(added);
        json withTask = doc;
        applyEdit(withTask, added->first);
        auto joined = connectTasks(withTask, "a1", added->second, TransitionState::Success);
        QVERIFY(joined);
        const WorkflowEdit both = chainEdits(added->first, *joined, "Add Check after Read it");
        QCOMPARE(both.name, std::string("Add Check after Read it"));
        json after;
        QCOMPARE(appliedAndUndone(doc, both, &after).dump(), doc.dump());
        QCOMPARE_JSON(after["transitions"]["a1"][added->second]["state"], json("success"));
    }

    void settingATaskValueMakesWhatIsMissingAndUndoesExactly()
    {
        const json doc = small();
        // b2 has no variables at all: the whole branch is added, and undone.
        auto set = setTaskValue(doc, "b2", json::json_pointer("/variables/incoming/type"),
                                json("error"), "Set type of stub");
        QVERIFY(set);
        QCOMPARE(set->name, std::string("Set type of stub"));
        QCOMPARE(set->changes.size(), std::size_t(1));
        json after;
        QCOMPARE(appliedAndUndone(doc, *set, &after).dump(), doc.dump());
        QCOMPARE_JSON(after["tasks"]["b2"]["variables"], json::parse(R"({"incoming":
                      {"type": "error"}})"));
        // Changing an existing value keeps the one before.
        auto again = setTaskValue(after, "b2", json::json_pointer("/variables/incoming/type"),
                                  json("success"), "Set type");
        QVERIFY(again);
        QCOMPARE_JSON(*again->changes.front().before, json("error"));
        // The same value: nothing to do. Removing what is absent: nothing to do.
        QVERIFY(setTaskValue(after, "b2", json::json_pointer("/variables/incoming/type"),
                             json("error"), "x")
                    ->empty());
        QVERIFY(setTaskValue(doc, "b2", json::json_pointer("/variables/incoming/type"),
                             std::nullopt, "x")
                    ->empty());
        // Removing one that is there.
        auto removed = setTaskValue(after, "b2", json::json_pointer("/variables/incoming/type"),
                                    std::nullopt, "Clear type");
        QVERIFY(removed);
        json cleared;
        QCOMPARE(appliedAndUndone(after, *removed, &cleared).dump(), after.dump());
        QCOMPARE_JSON(cleared["tasks"]["b2"]["variables"]["incoming"], json::object());
        // A summary is a value of the task too.
        QVERIFY(setTaskValue(doc, "a1", json::json_pointer("/summary"), json("Read it again"),
                             "Rename"));
        // Refusals.
        QVERIFY(!setTaskValue(doc, "nope", json::json_pointer("/summary"), json("x"), "x"));
        QVERIFY(
            !setTaskValue(doc, "workflow_start", json::json_pointer("/summary"), json("x"), "x"));
        QVERIFY(!setTaskValue(doc, "a1", json::json_pointer(""), json("x"), "x"));
    }

    void deletingTwoJoinedTasks()
    {
        const json doc = small();
        auto edit = removeTasks(doc, {"a1", "b2"});
        QVERIFY(edit);
        QCOMPARE(edit->name, std::string("Delete 2 tasks"));
        json after;
        QCOMPARE(appliedAndUndone(doc, *edit, &after).dump(), doc.dump());
        QCOMPARE(after["tasks"].size(), std::size_t(2));
        QCOMPARE_JSON(after["transitions"]["workflow_start"], json::object());
    }

    void startAndEndStay()
    {
        auto edit = removeTasks(small(), {"a1", "workflow_end"});
        QVERIFY(!edit);
        QVERIFY(edit.error().message.find("cannot be deleted") != std::string::npos);
    }

    void connectingAndItsRefusals()
    {
        const json doc = small();
        auto edit = connectTasks(doc, "a1", "workflow_end", TransitionState::Error);
        QVERIFY(edit);
        QCOMPARE(edit->name, std::string("Connect Read it → End (error)"));
        json after;
        QCOMPARE(appliedAndUndone(doc, *edit, &after).dump(), doc.dump());
        QCOMPARE_JSON(after["transitions"]["a1"]["workflow_end"],
                      json({{"state", "error"}, {"type", "standard"}}));

        // A second success out of a1 runs in parallel: allowed.
        QVERIFY(connectTasks(doc, "a1", "workflow_end", TransitionState::Success));

        const auto refused = [&](const std::string &from, const std::string &to) {
            auto r = connectTasks(doc, from, to, TransitionState::Success);
            return r ? std::string() : r.error().message;
        };
        QCOMPARE(refused("a1", "a1"), std::string("a transition joins two different tasks"));
        QCOMPARE_JSON(refused("workflow_end", "a1"),
                      std::string("End finishes the job: no transition leaves it"));
        QCOMPARE_JSON(refused("b2", "workflow_start"),
                      std::string("Start begins the job: no transition enters it"));
        QCOMPARE(refused("a1", "b2"), std::string("Read it and stub are already joined by a "
                                                  "success transition; change its state instead"));
        QCOMPARE(refused("a1", "nope"), std::string("the workflow has no task nope"));
    }

    void aTransitionOutOfATaskWithNone()
    {
        json doc = small();
        doc["transitions"].erase("b2");
        auto edit = connectTasks(doc, "b2", "a1", TransitionState::Failure, true);
        QVERIFY(edit);
        json after;
        QCOMPARE(appliedAndUndone(doc, *edit, &after).dump(), doc.dump());
        QCOMPARE_JSON(after["transitions"]["b2"]["a1"],
                      json({{"state", "failure"}, {"type", "revert"}}));
    }

    void changingAndDeletingATransition()
    {
        const json doc = small();
        auto state = setTransitionState(doc, "a1", "b2", TransitionState::Failure);
        QVERIFY(state);
        json after;
        QCOMPARE(appliedAndUndone(doc, *state, &after).dump(), doc.dump());
        QCOMPARE_JSON(after["transitions"]["a1"]["b2"]["state"], json("failure"));
        QVERIFY(setTransitionState(doc, "a1", "b2", TransitionState::Success)->empty());

        auto gone = disconnectTasks(doc, "a1", "b2");
        QVERIFY(gone);
        QCOMPARE(appliedAndUndone(doc, *gone, &after).dump(), doc.dump());
        QCOMPARE_JSON(after["transitions"]["a1"], json::object());
        QVERIFY(!disconnectTasks(doc, "b2", "a1"));
    }

    void pastingCopiesTasksAndTheTransitionsBetweenThem()
    {
        const json doc = small();
        auto pasted = duplicateTasks(doc, {"a1", "b2", "workflow_start"}, {0, 2});
        QVERIFY(pasted);
        const auto &[edit, keys] = *pasted;
        QCOMPARE(keys.size(), std::size_t(2));
        json after;
        QCOMPARE(appliedAndUndone(doc, edit, &after).dump(), doc.dump());
        QCOMPARE(after["tasks"].size(), std::size_t(6));
        // The copy of a1 leads to the copy of b2, not to b2; b2's copy has no way out.
        std::string copyA, copyB;
        for (const auto &k : keys)
            (after["tasks"][k]["name"] == "query" ? copyA : copyB) = k;
        QCOMPARE_JSON(after["transitions"][copyA],
                      json({{copyB, {{"state", "success"}, {"type", "standard"}}}}));
        QVERIFY(!after["transitions"].contains(copyB));
        QCOMPARE_JSON(after["tasks"][copyA]["nodeLocation"], json({{"x", 240}, {"y", 216}}));
    }

    void everyTestWorkflowSurvivesEditsAndTheirUndo()
    {
        // Every stored workflow: move each task one cell, delete each task, and join the
        // first two tasks; each edit undone gives the document back unchanged.
        const QDir dir(QString::fromUtf8(qgetenv("FLOWDECK_SOURCE_DIR")) +
                       QStringLiteral("/tests/data/workflows/valid"));
        const auto files = dir.entryList({QStringLiteral("*.json")}, QDir::Files);
        QVERIFY(!files.isEmpty());
        for (const auto &name : files) {
            QFile file(dir.filePath(name));
            QVERIFY(file.open(QIODevice::ReadOnly));
            const json doc = json::parse(file.readAll().toStdString());
            std::vector<std::string> keys;
            for (const auto &[key, task] : doc["tasks"].items())
                keys.push_back(key);
            for (const auto &key : keys) {
                const auto at = gridPosition(doc["tasks"][key]).value_or(GridPoint{});
                auto move = moveTasks(doc, {{key, {at.x + 1, at.y}}});
                QVERIFY2(move, qPrintable(name));
                QCOMPARE(appliedAndUndone(doc, *move).dump(), doc.dump());
                if (key == "workflow_start" || key == "workflow_end")
                    continue;
                auto remove = removeTasks(doc, {key});
                QVERIFY2(remove, qPrintable(name));
                QCOMPARE(appliedAndUndone(doc, *remove).dump(), doc.dump());
            }
            auto all = removeTasks(doc, {});
            QVERIFY(all && all->empty());
        }
    }
};

QTEST_GUILESS_MAIN(TestWorkflowEdit)
#include "TestWorkflowEdit.moc"
