// SPDX-License-Identifier: GPL-3.0-or-later
// The workflow editor driven as an operator drives it: real mouse drags and keys on the
// canvas's viewport, Ctrl+Z back to the document byte for byte, a refused change explained,
// and Save storing a new version through the real engine behind a LocalClient.
#include "tests/support/JsonAsserts.h"
#include "tests/ui/LocalEngine.h"
#include "tests/ui/Screenshots.h"
#include "ui/canvas/WorkflowCanvas.h"
#include "ui/canvas/WorkflowScene.h"
#include "ui/client/Requests.h"
#include "ui/editor/EditSession.h"
#include "ui/editor/EditorTool.h"
#include "ui/editor/WorkflowEditor.h"

#include <QListWidget>
#include <QTest>

#include <memory>

using namespace flowdeck;
using namespace flowdeck::ui;
using nlohmann::json;

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

private Q_SLOTS:
    void init()
    {
        m_engine = std::make_unique<test::LocalEngine>();
        m_engine->open({QStringLiteral("linear-device-health-check.json")});
        QVERIFY(!QTest::currentTestFailed());
        m_original = stored();
        QVERIFY(m_original.is_object());
        m_editor = new editor::WorkflowEditor(*m_engine->client, m_original);
        m_editor->resize(1000, 800);
        m_editor->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_editor));
        m_editor->activateWindow(); // Ctrl+Z and Ctrl+S are the window's shortcuts
        QVERIFY(QTest::qWaitForWindowActive(m_editor));
        m_editor->canvas()->zoomTo100();
        m_editor->canvas()->centerOn(
            m_editor->canvas()->workflowScene()->taskRect(QStringLiteral("9f03")).center());
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
        QVERIFY(m_editor->isWindowModified());
        QCOMPARE(m_editor->session()->undoStack()->undoText(),
                 QStringLiteral("Move Build health snapshot"));

        QTest::keyClick(m_editor->canvas(), Qt::Key_Z, Qt::ControlModifier);
        QCOMPARE(QString::fromStdString(document().dump()),
                 QString::fromStdString(m_original.dump()));
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

    void screenshots()
    {
        drag(at(QStringLiteral("b21c")), at(QStringLiteral("e15a")), Qt::ShiftModifier);
        QTest::keyClick(m_editor->canvas(), Qt::Key_2);
        const QPoint from = at(QStringLiteral("c6d8"));
        QTest::mousePress(viewport(), Qt::LeftButton, {}, from);
        QTest::mouseMove(viewport(), from + QPoint(250, 10));
        QVERIFY(test::saveScreenshots(m_editor, QStringLiteral("workflow-editor")));
        QTest::mouseRelease(viewport(), Qt::LeftButton, {}, from + QPoint(250, 10));
    }
};

QTEST_MAIN(TestWorkflowEditor)
#include "TestWorkflowEditor.moc"
