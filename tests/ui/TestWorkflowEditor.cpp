// SPDX-License-Identifier: GPL-3.0-or-later
// The workflow editor driven as an operator drives it: real mouse drags and keys on the
// canvas's viewport, Ctrl+Z back to the document byte for byte, a refused change explained,
// and Save storing a new version through the real engine behind a LocalClient.
#include "tests/support/JsonAsserts.h"
#include "tests/ui/LocalEngine.h"
#include "tests/ui/Screenshots.h"
#include "ui/canvas/TransitionItem.h"
#include "ui/canvas/WorkflowCanvas.h"
#include "ui/canvas/WorkflowScene.h"
#include "ui/client/Requests.h"
#include "ui/editor/EditSession.h"
#include "ui/editor/EditorTool.h"
#include "ui/editor/TaskEntryMime.h"
#include "ui/editor/TaskPalette.h"
#include "ui/editor/TaskProperties.h"
#include "ui/editor/ValueField.h"
#include "ui/editor/WorkflowEditor.h"

#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMimeData>
#include <QStyleOptionButton>
#include <QTest>
#include <QTreeView>

#include <memory>

using namespace flowdeck;
using namespace flowdeck::ui;
using nlohmann::json;
using namespace Qt::StringLiterals;

namespace {

const QString kWorkflow = QStringLiteral("Device Health Check");

} // namespace

class TestWorkflowEditor : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<test::LocalEngine> m_engine;
    editor::WorkflowEditor *m_editor = nullptr;
    json m_original;

    json stored()
    {
        ApiReply *reply = m_engine->client->call(requests::workflowDetail(kWorkflow));
        if (!QTest::qWaitFor([&] { return reply->isFinished(); }, 5000))
            return {};
        json doc = reply->response().json;
        reply->deleteLater();
        return doc;
    }

    QWidget *viewport() { return m_editor->canvas()->viewport(); }

    /// Where a task's card is on the viewport.
    QPoint at(const QString &key)
    {
        const QRectF rect = m_editor->canvas()->workflowScene()->taskRect(key);
        return m_editor->canvas()->mapFromScene(rect.center());
    }

    /// A real drag on the viewport, in steps, with the given keys held.
    void drag(QPoint from, QPoint to, Qt::KeyboardModifiers keys = {})
    {
        QTest::mousePress(viewport(), Qt::LeftButton, keys, from);
        for (int step = 1; step <= 4; ++step)
            QTest::mouseMove(viewport(), from + (to - from) * step / 4);
        QTest::mouseRelease(viewport(), Qt::LeftButton, keys, to);
    }

    const json &document() { return m_editor->session()->document(); }

    /// The editor's canvas, moved in place, shows what a canvas made from the document shows:
    /// every card where it is, every transition routed the same way.
    void canvasMatchesTheDocument()
    {
        canvas::WorkflowScene fresh;
        fresh.setWorkflow(document());
        const canvas::WorkflowScene *shown = m_editor->canvas()->workflowScene();
        for (const auto &[key, task] : document()["tasks"].items()) {
            const QString k = QString::fromStdString(key);
            QCOMPARE(shown->taskRect(k), fresh.taskRect(k));
        }
        // Both made from documents with the same tasks and transitions: the same order.
        QCOMPARE(shown->transitionItems().size(), fresh.transitionItems().size());
        for (std::size_t i = 0; i < fresh.transitionItems().size(); ++i) {
            const canvas::TransitionItem *edge = fresh.transitionItems()[i];
            const canvas::TransitionItem *same = shown->transitionItems()[i];
            QCOMPARE(same->from(), edge->from());
            QCOMPARE(same->to(), edge->to());
            QCOMPARE(same->path(), edge->path());
            QCOMPARE(same->boundingRect(), edge->boundingRect());
        }
        QCOMPARE(shown->graphRect(), fresh.graphRect());
    }

    /// Sends a request through the window's client and waits for the answer.
    api::ApiResponse send(api::ApiRequest request)
    {
        ApiReply *reply = m_engine->client->call(std::move(request));
        if (!QTest::qWaitFor([&] { return reply->isFinished(); }, 5000))
            return {};
        api::ApiResponse response = reply->response();
        reply->deleteLater();
        return response;
    }

    /// The palette's rows under the group whose title starts with `group`, as shown.
    QStringList paletteRows(const QString &group)
    {
        QStringList rows;
        QAbstractItemModel *model = m_editor->taskPalette()->tree()->model();
        for (int g = 0; g < model->rowCount(); ++g) {
            const QModelIndex groupIndex = model->index(g, 0);
            if (!groupIndex.data().toString().startsWith(group))
                continue;
            for (int r = 0; r < model->rowCount(groupIndex); ++r) {
                const QModelIndex row = model->index(r, 0, groupIndex);
                rows << row.data().toString();
                for (int c = 0; c < model->rowCount(row); ++c)
                    rows << u"  "_s + model->index(c, 0, row).data().toString();
            }
        }
        return rows;
    }

    /// What a drag from the palette delivers to the canvas: enter, a move, the drop. True
    /// when each was taken.
    bool dropAt(const QMimeData *mime, QPoint to)
    {
        QDragEnterEvent enter(to, Qt::CopyAction, mime, Qt::LeftButton, {});
        QApplication::sendEvent(viewport(), &enter);
        QDragMoveEvent over(to, Qt::CopyAction, mime, Qt::LeftButton, {});
        QApplication::sendEvent(viewport(), &over);
        QDropEvent dropped(to, Qt::CopyAction, mime, Qt::LeftButton, {});
        QApplication::sendEvent(viewport(), &dropped);
        return enter.isAccepted() && over.isAccepted() && dropped.isAccepted();
    }

    /// The palette's index of the row showing `text`, anywhere in the tree.
    QModelIndex paletteIndex(const QString &text, const QModelIndex &parent = {})
    {
        QAbstractItemModel *model = m_editor->taskPalette()->tree()->model();
        for (int r = 0; r < model->rowCount(parent); ++r) {
            const QModelIndex index = model->index(r, 0, parent);
            if (index.data().toString() == text)
                return index;
            if (const QModelIndex inner = paletteIndex(text, index); inner.isValid())
                return inner;
        }
        return {};
    }

private Q_SLOTS:
    void init()
    {
        m_engine = std::make_unique<test::LocalEngine>();
        m_engine->open({QStringLiteral("linear-device-health-check.json")});
        QVERIFY(!QTest::currentTestFailed());
        m_original = stored();
        QVERIFY(m_original.is_object());
        // What the palette offers besides the engine's methods: an adapter instance, a JST
        // and another workflow.
        store::AdapterRecord pets;
        pets.id = "ad1";
        pets.name = "pets-lab";
        pets.app = "Petstore";
        pets.definition = json::parse(R"({"methods": [{"name": "getPetById", "summary":
            "Find pet by ID", "inputs": [{"name": "petId", "in": "path", "required": true,
            "schema": {"type": "integer"}}]}]})");
        pets.properties = json::object();
        QVERIFY(m_engine->store->saveAdapter(pets, false).ok());
        const QByteArray jst =
            test::readFile(test::sourcePath(QStringLiteral("tests/data/jst/alarm-to-ticket.json")));
        const QByteArray other = test::readFile(
            test::sourcePath(QStringLiteral("resources/demo/manual-change-approval.json")));
        QCOMPARE(send(requests::importWorkflows(json::array(
                          {json::parse(jst.toStdString()), json::parse(other.toStdString())})))
                     .status,
                 200);
        m_editor = new editor::WorkflowEditor(*m_engine->client, m_original);
        m_editor->resize(1000, 800);
        m_editor->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_editor));
        m_editor->activateWindow(); // Ctrl+Z and Ctrl+S are the window's shortcuts
        QVERIFY(QTest::qWaitForWindowActive(m_editor));
        m_editor->canvas()->zoomTo100();
        m_editor->canvas()->centerOn(
            m_editor->canvas()->workflowScene()->taskRect(QStringLiteral("9f03")).center());
        QTRY_VERIFY(m_editor->taskPalette()->isLoaded());
    }

    void cleanup()
    {
        m_editor->session()->markSaved(); // no "discard changes?" question on close
        delete m_editor;
        m_editor = nullptr;
        m_engine.reset();
    }

    void aDraggedTaskLandsOnTheGridAndUndoRestoresTheDocument()
    {
        const QPoint from = at(QStringLiteral("9f03"));
        // Two cells right and a little: the card lands two cells right, on the grid.
        drag(from, from + QPoint(2 * 240 + 30, 10));
        QCOMPARE_JSON(document()["tasks"]["9f03"]["nodeLocation"], json({{"x", 960}, {"y", 432}}));
        canvasMatchesTheDocument();
        QVERIFY(m_editor->isWindowModified());
        QCOMPARE(m_editor->session()->undoStack()->undoText(),
                 QStringLiteral("Move Build health snapshot"));

        QTest::keyClick(m_editor->canvas(), Qt::Key_Z, Qt::ControlModifier);
        QCOMPARE(QString::fromStdString(document().dump()),
                 QString::fromStdString(m_original.dump()));
        canvasMatchesTheDocument();
        QVERIFY(!m_editor->isWindowModified());
        QTest::keyClick(m_editor->canvas(), Qt::Key_Z, Qt::ControlModifier | Qt::ShiftModifier);
        QCOMPARE_JSON(document()["tasks"]["9f03"]["nodeLocation"], json({{"x", 960}, {"y", 432}}));
    }

    void aShortDragOnlySelects()
    {
        const QPoint from = at(QStringLiteral("c6d8"));
        drag(from, from + QPoint(20, 8));
        QCOMPARE(m_editor->canvas()->selectedTask(), QStringLiteral("c6d8"));
        QCOMPARE(m_editor->session()->undoStack()->count(), 0);
    }

    void shiftDragJoinsTwoTasksAndThreeMakesItAnError()
    {
        drag(at(QStringLiteral("b21c")), at(QStringLiteral("e15a")), Qt::ShiftModifier);
        QCOMPARE_JSON(document()["transitions"]["b21c"]["e15a"],
                      json({{"state", "success"}, {"type", "standard"}}));
        QTest::keyClick(m_editor->canvas(), Qt::Key_3);
        QCOMPARE_JSON(document()["transitions"]["b21c"]["e15a"]["state"], json("error"));
        QVERIFY(m_editor->tool()->connectState() == model::TransitionState::Error);
        QCOMPARE(m_editor->session()->undoStack()->undoText(),
                 QStringLiteral("Make transition error"));
        QTest::keyClick(m_editor->canvas(), Qt::Key_Z, Qt::ControlModifier);
        QTest::keyClick(m_editor->canvas(), Qt::Key_Z, Qt::ControlModifier);
        QCOMPARE(QString::fromStdString(document().dump()),
                 QString::fromStdString(m_original.dump()));
    }

    void aSecondTransitionBetweenTheSameTasksIsRefusedWithTheReason()
    {
        drag(at(QStringLiteral("b21c")), at(QStringLiteral("9f03")), Qt::ShiftModifier);
        QCOMPARE(QString::fromStdString(document().dump()),
                 QString::fromStdString(m_original.dump()));
        QVERIFY2(m_editor->statusText().contains(u"already joined by a success transition"),
                 qPrintable(m_editor->statusText()));
    }

    void deleteRemovesTheSelectedTaskButNotStart()
    {
        drag(at(QStringLiteral("e15a")), at(QStringLiteral("e15a")));
        QTest::keyClick(m_editor->canvas(), Qt::Key_Delete);
        QVERIFY(!document()["tasks"].contains("e15a"));
        QVERIFY(!document()["transitions"]["c6d8"].contains("e15a"));
        // The task left without a way in is a problem the list names.
        QVERIFY(!m_editor->issues().empty());

        drag(at(QStringLiteral("workflow_start")), at(QStringLiteral("workflow_start")));
        QTest::keyClick(m_editor->canvas(), Qt::Key_Delete);
        QVERIFY(document()["tasks"].contains("workflow_start"));
        QVERIFY2(m_editor->statusText().contains(u"cannot be deleted"),
                 qPrintable(m_editor->statusText()));
    }

    void saveStoresANewVersion()
    {
        const QPoint from = at(QStringLiteral("9f03"));
        drag(from, from + QPoint(240, 0));
        m_editor->save();
        QTRY_COMPARE(m_editor->statusText(), QStringLiteral("Saved as version 2"));
        QVERIFY(!m_editor->isWindowModified());
        QCOMPARE_JSON(stored()["tasks"]["9f03"]["nodeLocation"], json({{"x", 720}, {"y", 432}}));
    }

    void anUnchangedDocumentIsNotSavedAgain()
    {
        m_editor->save();
        QCOMPARE(m_editor->statusText(),
                 QStringLiteral("Nothing to save: the document is the stored version"));
        QTest::qWait(50);
        QCOMPARE_JSON(stored().value("version", json()), m_original.value("version", json()));
    }

    void saveIsRefusedWhileTheValidatorReportsErrors()
    {
        // A transition to a task the document does not have (as a hand-edited file can carry).
        model::WorkflowEdit broken{"Break it",
                                   {{json::json_pointer("/transitions/9f03/dead"), std::nullopt,
                                     json({{"state", "success"}, {"type", "standard"}})}}};
        QVERIFY(m_editor->session()->perform(broken));
        m_editor->save();
        QVERIFY2(m_editor->statusText().startsWith(u"Not saved: 1 error"),
                 qPrintable(m_editor->statusText()));
        QCOMPARE_JSON(stored()["transitions"]["9f03"], m_original["transitions"]["9f03"]);
        // Clicking the problem selects the task it is about.
        for (int row = 0; row < m_editor->problems()->count(); ++row)
            if (m_editor->problems()->item(row)->text().contains(u"/transitions/9f03"))
                m_editor->problems()->setCurrentRow(row);
        QCOMPARE(m_editor->canvas()->selectedTask(), QStringLiteral("9f03"));
    }

    void thePaletteListsWhatATaskCanBe()
    {
        const QStringList engine = paletteRows(u"WorkFlowEngine"_s);
        QVERIFY2(engine.contains(u"Pick a value out of data  ·  query"_s),
                 qPrintable(engine.join(u'\n')));
        QVERIFY(engine.contains(u"Branch on a condition  ·  evaluation"_s));
        QVERIFY(engine.contains(u"Run a JST  ·  transformation"_s));
        QCOMPARE(paletteRows(u"Operator"_s), QStringList{u"Ask an operator  ·  ViewData"_s});
        QCOMPARE(paletteRows(u"Adapters"_s),
                 (QStringList{u"pets-lab  (Petstore)"_s, u"  Find pet by ID  ·  getPetById"_s}));
        QVERIFY(paletteRows(u"Transformations"_s).first().startsWith(u"Alarm"_s));
        // The workflow being edited is not offered as its own child.
        const QStringList children = paletteRows(u"Child workflows"_s);
        QCOMPARE(children.size(), 1);
        QVERIFY(!children.first().contains(kWorkflow));
    }

    void findThenEnterPlacesTheTaskAfterTheSelectedOneInOneStep()
    {
        drag(at(QStringLiteral("9f03")), at(QStringLiteral("9f03"))); // select it
        QTest::keyClick(m_editor, Qt::Key_K, Qt::ControlModifier);
        QLineEdit *search = m_editor->taskPalette()->searchField();
        QVERIFY(search->hasFocus());
        QTest::keyClicks(search, QStringLiteral("pick a val"));
        QCOMPARE_JSON(m_editor->taskPalette()->currentEntry().value_or(json())["name"],
                      json("query"));
        QTest::keyClick(search, Qt::Key_Return);

        const QString key = m_editor->canvas()->selectedTask();
        QVERIFY(key != u"9f03"_s && !key.isEmpty());
        const json &task = document()["tasks"][key.toStdString()];
        QCOMPARE_JSON(task["name"], json("query"));
        QCOMPARE_JSON(task["app"], json("WorkFlowEngine"));
        // The cell right of the selected task, and joined to it on success.
        QCOMPARE_JSON(task["nodeLocation"], json({{"x", 720}, {"y", 432}}));
        QCOMPARE_JSON(document()["transitions"]["9f03"][key.toStdString()],
                      json({{"state", "success"}, {"type", "standard"}}));
        QCOMPARE(m_editor->session()->undoStack()->undoText(),
                 u"Add Pick a value out of data after Build health snapshot"_s);
        // Its obj is still to be chosen: the problems list says so, as a warning.
        bool named = false;
        for (int row = 0; row < m_editor->problems()->count(); ++row)
            named = named || m_editor->problems()->item(row)->text().contains(
                                 u"Pick a value out of data: obj needs a value"_s);
        QVERIFY(named);
        // The search keeps the keyboard, its text selected for the next one.
        QVERIFY(search->hasFocus());
        QCOMPARE(search->selectedText(), u"pick a val"_s);

        QTest::keyClick(m_editor->canvas(), Qt::Key_Z, Qt::ControlModifier);
        QCOMPARE(QString::fromStdString(document().dump()),
                 QString::fromStdString(m_original.dump()));
    }

    void anAdapterMethodBecomesATaskNamingItsInstance()
    {
        QTest::keyClick(m_editor, Qt::Key_K, Qt::ControlModifier);
        QTest::keyClicks(m_editor->taskPalette()->searchField(), QStringLiteral("getPetById"));
        QTest::keyClick(m_editor->taskPalette()->searchField(), Qt::Key_Return);
        const QString key = m_editor->canvas()->selectedTask();
        QVERIFY(!key.isEmpty());
        const json &task = document()["tasks"][key.toStdString()];
        QCOMPARE_JSON(task["location"], json("Adapter"));
        QCOMPARE_JSON(task["app"], json("Petstore"));
        QCOMPARE_JSON(task["variables"]["incoming"],
                      json({{"adapter_id", "pets-lab"}, {"petId", ""}}));
        QCOMPARE(m_editor->session()->undoStack()->undoText(), u"Add Find pet by ID"_s);
    }

    void aDropPlacesTheTaskOnTheCellUnderThePointer()
    {
        QTreeView *tree = m_editor->taskPalette()->tree();
        const QModelIndex delay = paletteIndex(u"Wait a number of seconds  ·  delay"_s);
        QVERIFY(delay.isValid());
        std::unique_ptr<QMimeData> mime(tree->model()->mimeData({delay}));
        QVERIFY(mime && mime->hasFormat(editor::kTaskEntryMimeType));
        // The empty cell right of "Collect check parameters" (column 3, row 3).
        const QPoint target =
            m_editor->canvas()->mapFromScene(QPointF(3 * 240 + 100, 3 * 108 + 50));
        QVERIFY(dropAt(mime.get(), target));

        const QString key = m_editor->canvas()->selectedTask();
        QVERIFY(!key.isEmpty());
        const json &task = document()["tasks"][key.toStdString()];
        QCOMPARE_JSON(task["name"], json("delay"));
        QCOMPARE_JSON(task["nodeLocation"], json({{"x", 720}, {"y", 324}}));
        QCOMPARE_JSON(task["variables"]["incoming"], json({{"time", 60}}));
        // Dropped on a taken cell, it goes to the first free one below.
        QVERIFY(dropAt(mime.get(), at(QStringLiteral("c6d8"))));
        const json &second = document()["tasks"][m_editor->canvas()->selectedTask().toStdString()];
        QCOMPARE_JSON(second["nodeLocation"], json({{"x", 480}, {"y", 972}}));
        // Text dragged from elsewhere is not taken for a task.
        QMimeData text;
        text.setText(QStringLiteral("delay"));
        QDragEnterEvent other(target, Qt::CopyAction, &text, Qt::LeftButton, {});
        QApplication::sendEvent(viewport(), &other);
        QVERIFY(!other.isAccepted());
    }

    void propertiesShowTheSelectedTaskAndChangeItUndoably()
    {
        drag(at(QStringLiteral("c6d8")), at(QStringLiteral("c6d8"))); // select the query
        editor::TaskProperties *props = m_editor->properties();
        QCOMPARE(props->task(), u"c6d8"_s);
        QVERIFY(props->findChild<QLabel *>(u"propertiesTitle"_s)->text().contains(u"query"_s));

        // obj reads an output of a task upstream; the list offers each, nearest first.
        editor::ValueField *obj = props->incomingField(u"obj"_s);
        QVERIFY(obj);
        QVERIFY(obj->kind() == editor::ValueField::Kind::TaskOutput);
        QCOMPARE(obj->taskBox()->currentData().toString(), u"$var.9f03.output"_s);
        QCOMPARE(obj->taskBox()->itemText(0), u"Build health snapshot › output"_s);
        QCOMPARE(obj->taskBox()->count(), 3);

        // A boolean is a check box.
        editor::ValueField *passOnNull = props->incomingField(u"pass_on_null"_s);
        QVERIFY(passOnNull->checkBox()->isVisible());
        QStyleOptionButton box;
        box.initFrom(passOnNull->checkBox());
        const QRect indicator = passOnNull->checkBox()->style()->subElementRect(
            QStyle::SE_CheckBoxIndicator, &box, passOnNull->checkBox());
        QTest::mouseClick(passOnNull->checkBox(), Qt::LeftButton, {}, indicator.center());
        QCOMPARE_JSON(document()["tasks"]["c6d8"]["variables"]["incoming"]["pass_on_null"],
                      json(true));
        QCOMPARE(m_editor->session()->undoStack()->undoText(),
                 u"Set pass_on_null of Read 5-minute CPU load"_s);

        // Text, committed by Tab, and the focus moves on to the next field.
        QLineEdit *query = props->incomingField(u"query"_s)->textEdit();
        QCOMPARE(query->text(), u"cpu.fiveMinutePercent"_s);
        query->setFocus();
        query->selectAll();
        QTest::keyClicks(query, u"cpu.oneMinutePercent"_s);
        QTest::keyClick(query, Qt::Key_Tab);
        QCOMPARE_JSON(document()["tasks"]["c6d8"]["variables"]["incoming"]["query"],
                      json("cpu.oneMinutePercent"));
        QVERIFY(QApplication::focusWidget() && props->isAncestorOf(QApplication::focusWidget()));

        // From a task's output to a job variable: the kind, then the name.
        obj->kindBox()->setFocus();
        QTest::keyClick(obj->kindBox(), Qt::Key_Up); // Task output → Job variable
        QVERIFY(obj->kind() == editor::ValueField::Kind::JobVariable);
        QVERIFY(obj->jobBox()->findText(u"device"_s) >= 0); // the workflow's input
        QTest::keyClicks(obj->jobBox(), u"device"_s);
        QTest::keyClick(obj->jobBox(), Qt::Key_Return);
        QCOMPARE_JSON(document()["tasks"]["c6d8"]["variables"]["incoming"]["obj"],
                      json("$var.job.device"));

        // Where the output is saved.
        QComboBox *saved = props->outgoingField(u"return_data"_s);
        QCOMPARE(saved->currentText(), u"cpuPercent"_s);
        saved->setFocus();
        saved->lineEdit()->selectAll();
        QTest::keyClicks(saved, u"cpuLoad"_s);
        QTest::keyClick(saved, Qt::Key_Return);
        QCOMPARE_JSON(document()["tasks"]["c6d8"]["variables"]["outgoing"]["return_data"],
                      json("$var.job.cpuLoad"));

        // The summary, and the card follows.
        QLineEdit *summary = props->summaryEdit();
        summary->setFocus();
        summary->selectAll();
        QTest::keyClicks(summary, u"Read CPU load"_s);
        QTest::keyClick(summary, Qt::Key_Return);
        QCOMPARE_JSON(document()["tasks"]["c6d8"]["summary"], json("Read CPU load"));

        // Five changes, five undos, and the document is what it was.
        for (int i = 0; i < 5; ++i)
            QTest::keyClick(m_editor->canvas(), Qt::Key_Z, Qt::ControlModifier);
        QCOMPARE(QString::fromStdString(document().dump()),
                 QString::fromStdString(m_original.dump()));
        // The fields followed the undos.
        QVERIFY(obj == props->incomingField(u"obj"_s));
        QCOMPARE(obj->taskBox()->currentData().toString(), u"$var.9f03.output"_s);
        QCOMPARE(props->incomingField(u"query"_s)->textEdit()->text(), u"cpu.fiveMinutePercent"_s);
        QVERIFY(!props->incomingField(u"pass_on_null"_s)->checkBox()->isChecked());
    }

    void aValueOfTheWrongTypeIsRefusedWithTheReason()
    {
        drag(at(QStringLiteral("e15a")), at(QStringLiteral("e15a"))); // the stub
        editor::ValueField *delay = m_editor->properties()->incomingField(u"delay"_s);
        QVERIFY(delay);
        delay->textEdit()->setFocus();
        QTest::keyClicks(delay->textEdit(), u"soon"_s);
        QTest::keyClick(delay->textEdit(), Qt::Key_Return);
        QVERIFY2(m_editor->statusText().contains(u"\"soon\" is not a number"_s),
                 qPrintable(m_editor->statusText()));
        QCOMPARE(QString::fromStdString(document().dump()),
                 QString::fromStdString(m_original.dump()));
        // Out of range is not a number either; the reason quotes at most 40 characters.
        delay->textEdit()->setText(u"1e99999"_s + QString(5000, u'9'));
        QTest::keyClick(delay->textEdit(), Qt::Key_Return);
        QVERIFY2(m_editor->statusText().contains(u"is not a number"_s) &&
                     m_editor->statusText().size() < 120,
                 qPrintable(m_editor->statusText().left(200)));
        delay->textEdit()->selectAll();
        QTest::keyClicks(delay->textEdit(), u"2.5"_s);
        QTest::keyClick(delay->textEdit(), Qt::Key_Return);
        QCOMPARE_JSON(document()["tasks"]["e15a"]["variables"]["incoming"]["delay"], json(2.5));
        // JSON nested 100,000 deep for an array is refused by the depth-limited parser.
        drag(at(QStringLiteral("b21c")), at(QStringLiteral("b21c"))); // the merge
        editor::ValueField *items = m_editor->properties()->incomingField(u"data_to_merge"_s);
        QVERIFY(items);
        items->textEdit()->setFocus();
        items->textEdit()->setText(QString(100000, u'[') + QString(100000, u']'));
        QTest::keyClick(items->textEdit(), Qt::Key_Return);
        QVERIFY2(m_editor->statusText().contains(u"is not JSON"_s),
                 qPrintable(m_editor->statusText().left(200)));
        QCOMPARE_JSON(document()["tasks"]["b21c"], m_original["tasks"]["b21c"]);
        // Start has nothing to show.
        drag(at(QStringLiteral("workflow_start")), at(QStringLiteral("workflow_start")));
        QVERIFY(m_editor->properties()->incomingField(u"delay"_s) == nullptr);
    }

    void theKeyboardSelectsMovesAndJoins()
    {
        drag(at(QStringLiteral("9f03")), at(QStringLiteral("9f03"))); // select it
        canvas::WorkflowCanvas *view = m_editor->canvas();
        QTest::keyClick(view, Qt::Key_Down);
        QCOMPARE(view->selectedTask(), u"c6d8"_s);
        QTest::keyClick(view, Qt::Key_Up);
        QCOMPARE(view->selectedTask(), u"9f03"_s);
        QCOMPARE(m_editor->properties()->task(), u"9f03"_s); // the panel follows
        // Shift+arrow: one cell that way, one undoable step.
        QTest::keyClick(view, Qt::Key_Right, Qt::ShiftModifier);
        QCOMPARE_JSON(document()["tasks"]["9f03"]["nodeLocation"], json({{"x", 720}, {"y", 432}}));
        QTest::keyClick(view, Qt::Key_Z, Qt::ControlModifier);
        // J, the arrows to the task it should lead to, Enter.
        QTest::keyClick(view, Qt::Key_J);
        QTest::keyClick(view, Qt::Key_Down); // c6d8, already joined
        QTest::keyClick(view, Qt::Key_Down); // e15a
        QVERIFY2(m_editor->statusText().contains(u"Post result to #noc-alerts"_s),
                 qPrintable(m_editor->statusText()));
        QTest::keyClick(view, Qt::Key_Return);
        QCOMPARE_JSON(document()["transitions"]["9f03"]["e15a"],
                      json({{"state", "success"}, {"type", "standard"}}));
        // Esc gives up and goes back to the task it started from.
        QTest::keyClick(view, Qt::Key_J);
        QTest::keyClick(view, Qt::Key_Up);
        QTest::keyClick(view, Qt::Key_Escape);
        QCOMPARE(view->selectedTask(), u"e15a"_s);
        QTest::keyClick(view, Qt::Key_Z, Qt::ControlModifier);
        QCOMPARE(QString::fromStdString(document().dump()),
                 QString::fromStdString(m_original.dump()));
    }

    void aLargeDocumentIsCheckedOffTheGuiThread()
    {
        m_editor->setValidationOffThreadFrom(1); // this one counts as large
        // A delete leaves a task nobody reaches: the list says so once the worker is done.
        drag(at(QStringLiteral("e15a")), at(QStringLiteral("e15a")));
        QTest::keyClick(m_editor->canvas(), Qt::Key_Delete);
        QVERIFY(m_editor->isChecking());
        QTRY_VERIFY(!m_editor->isChecking());
        QVERIFY(!m_editor->issues().empty());
        // An answer for an older document is dropped: two edits, one list, the last one's.
        QTest::keyClick(m_editor->canvas(), Qt::Key_Z, Qt::ControlModifier);
        QTest::keyClick(m_editor->canvas(), Qt::Key_Z, Qt::ControlModifier | Qt::ShiftModifier);
        QTRY_VERIFY(!m_editor->isChecking());
        QVERIFY(!m_editor->issues().empty());
        // Save does not trust a list still being made: it checks the document itself.
        model::WorkflowEdit broken{"Break it",
                                   {{json::json_pointer("/transitions/9f03/dead"), std::nullopt,
                                     json({{"state", "success"}, {"type", "standard"}})}}};
        QVERIFY(m_editor->session()->perform(broken));
        QVERIFY(m_editor->isChecking());
        m_editor->save();
        QVERIFY2(m_editor->statusText().startsWith(u"Not saved:"_s),
                 qPrintable(m_editor->statusText()));
        QVERIFY(!m_editor->isChecking());
    }

    void screenshots()
    {
        m_editor->resize(1360, 820);
        drag(at(QStringLiteral("b21c")), at(QStringLiteral("e15a")), Qt::ShiftModifier);
        QTest::keyClick(m_editor->canvas(), Qt::Key_2);
        const QPoint from = at(QStringLiteral("c6d8"));
        QTest::mousePress(viewport(), Qt::LeftButton, {}, from);
        QTest::mouseMove(viewport(), from + QPoint(250, 10));
        QVERIFY(test::saveScreenshots(m_editor, QStringLiteral("workflow-editor")));
        QTest::mouseRelease(viewport(), Qt::LeftButton, {}, from + QPoint(250, 10));
        // From the palette: "pick a value" placed after the CPU reading, its obj set to an
        // output upstream, the properties beside.
        m_editor->session()->undoStack()->setIndex(0);
        m_editor->canvas()->selectTask(QStringLiteral("c6d8"));
        Q_EMIT m_editor->canvas()->taskSelected(QStringLiteral("c6d8"));
        QTest::keyClick(m_editor, Qt::Key_K, Qt::ControlModifier);
        QTest::keyClicks(m_editor->taskPalette()->searchField(), QStringLiteral("pick a"));
        QTest::keyClick(m_editor->taskPalette()->searchField(), Qt::Key_Return);
        editor::ValueField *obj = m_editor->properties()->incomingField(u"obj"_s);
        QVERIFY(obj);
        obj->kindBox()->setFocus();
        QTest::keyClick(obj->kindBox(), Qt::Key_Down);
        QTest::keyClick(obj->kindBox(), Qt::Key_Down); // Task output: the nearest one
        QVERIFY(test::saveScreenshots(m_editor, QStringLiteral("workflow-editor-palette")));
    }
};

QTEST_MAIN(TestWorkflowEditor)
#include "TestWorkflowEditor.moc"
