// SPDX-License-Identifier: GPL-3.0-or-later
// The workflow canvas on the offscreen platform: items where the grid says, job states as
// colours and icons, taken and revert transitions, clicks, keys, zoom, level of detail, live
// updates in place, the stuck-job explanation, and screenshots of the demos and a 2,000-task
// graph in light and dark palettes.
#include "bench/canvas/LargeWorkflow.h"
#include "tests/support/TestPaths.h"
#include "ui/canvas/Minimap.h"
#include "ui/canvas/MissingTransitionItem.h"
#include "ui/canvas/OverviewLayer.h"
#include "ui/canvas/TaskItem.h"
#include "ui/canvas/TerminalItem.h"
#include "ui/canvas/TransitionItem.h"
#include "ui/canvas/WorkflowCanvas.h"
#include "ui/canvas/WorkflowScene.h"

#include <QApplication>
#include <QDir>
#include <QPainter>
#include <QSignalSpy>
#include <QStyleOptionGraphicsItem>
#include <QTest>
#include <QToolButton>

#include <memory>

using namespace flowdeck::ui::canvas;
using namespace Qt::StringLiterals;
using nlohmann::json;

namespace {

json demo(const QString &file)
{
    const QByteArray text =
        flowdeck::test::readFile(flowdeck::test::sourcePath(u"resources/demo/"_s + file));
    return json::parse(text.toStdString());
}

struct Run
{
    std::string status;
    std::string finishState;
    int iterations = 1;
    std::string owner;
};

/// A job document shaped like the engine's (engine/runtime/JobDocument.cpp): the workflow's
/// tasks with status, finish_state, iterations and owner; tasks not named are incomplete.
json jobFor(const json &workflow, const std::map<std::string, Run> &runs,
            const std::string &status = "running", json errors = json::array())
{
    json job = workflow;
    job["_id"] = "65a1f0c2d4e5f60718293a4b";
    job["status"] = status;
    job["error"] = std::move(errors);
    for (auto &[key, task] : job["tasks"].items()) {
        task["status"] = "incomplete";
        task["iterations"] = json::array();
        task["metrics"] = json::object();
        const auto it = runs.find(key);
        if (it == runs.end())
            continue;
        task["status"] = it->second.status;
        for (int i = 0; i < it->second.iterations; ++i)
            task["iterations"].push_back("it-" + key + "-" + std::to_string(i));
        if (!it->second.finishState.empty()) {
            task["finish_state"] = it->second.finishState;
            task["metrics"]["finish_state"] = it->second.finishState;
        }
        if (!it->second.owner.empty())
            task["owner"] = it->second.owner;
    }
    return job;
}

Run done(int iterations = 1)
{
    return {"complete", "success", iterations, {}};
}

/// Device Health Check stopped in error at c6d8 (which has no error transition).
json stuckAtCpuLoad(const json &workflow, json errors = json::array())
{
    return jobFor(workflow,
                  {{"workflow_start", done()},
                   {"4a7e", done()},
                   {"b21c", done()},
                   {"9f03", done()},
                   {"c6d8", {"error", "error", 1, {}}}},
                  "error", std::move(errors));
}

/// Change Approval: approved by nobody yet, the manual task waits for an operator.
json approvalWaiting(const json &workflow, const std::string &owner = {})
{
    return jobFor(workflow, {{"workflow_start", done()},
                             {"7a01", done()},
                             {"7a12", done()},
                             {"7a23", {"running", "", 1, owner}}});
}

QPalette darkPalette()
{
    QPalette dark(QColor(0x35, 0x35, 0x35), QColor(0x2a, 0x2a, 0x2a));
    dark.setColor(QPalette::WindowText, QColor(0xe8, 0xe8, 0xe8));
    dark.setColor(QPalette::Text, QColor(0xe8, 0xe8, 0xe8));
    dark.setColor(QPalette::ButtonText, QColor(0xe8, 0xe8, 0xe8));
    dark.setColor(QPalette::Base, QColor(0x1f, 0x1f, 0x1f));
    dark.setColor(QPalette::AlternateBase, QColor(0x29, 0x29, 0x29));
    dark.setColor(QPalette::PlaceholderText, QColor(0x9a, 0x9a, 0x9a));
    return dark;
}

} // namespace

class TestWorkflowCanvas : public QObject
{
    Q_OBJECT
private:
    std::unique_ptr<WorkflowCanvas> m_canvas;

    WorkflowCanvas *open(const json &workflow, QSize size = {1000, 760})
    {
        m_canvas = std::make_unique<WorkflowCanvas>();
        m_canvas->resize(size);
        m_canvas->setWorkflow(workflow);
        m_canvas->show();
        if (!QTest::qWaitForWindowExposed(m_canvas.get()))
            return nullptr;
        return m_canvas.get();
    }

    WorkflowScene *scene() const { return m_canvas->workflowScene(); }
    TaskItem *task(const char *key) const { return scene()->taskItem(QString::fromUtf8(key)); }
    TransitionItem *edge(const char *from, const char *to) const
    {
        return scene()->transitionItem(QString::fromUtf8(from), QString::fromUtf8(to));
    }
    QPoint viewPoint(const QRectF &sceneRect) const
    {
        return m_canvas->mapFromScene(sceneRect.center());
    }
    bool allVisible() const
    {
        const QRectF visible = m_canvas->mapToScene(m_canvas->viewport()->rect()).boundingRect();
        return visible.contains(scene()->graphRect());
    }
    void save(const QString &name, QWidget *widget)
    {
        const QString dir = QStringLiteral(FLOWDECK_SCREENSHOT_DIR);
        QVERIFY(QDir().mkpath(dir));
        QVERIFY(widget->grab().save(dir + u"/canvas-"_s + name + u".png"_s));
    }

private Q_SLOTS:
    void cleanup()
    {
        m_canvas.reset();
        QApplication::setPalette(QPalette());
    }

    void itemsSitAtTheirGridPositions()
    {
        QVERIFY(open(demo(u"branching-config-compliance.json"_s)));
        QCOMPARE(scene()->taskItems().size(), std::size_t(6));
        QCOMPARE(scene()->transitionItems().size(), std::size_t(9));
        // nodeLocation {480, 216} is column 2, row 2 of the 240 × 108 grid.
        QCOMPARE(task("d2a0")->pos(), QPointF(480, 216));
        QCOMPARE(task("f4c6")->pos(), QPointF(240, 324));
        QCOMPARE(task("e3b5")->pos(), QPointF(720, 540));
        QVERIFY(QRectF(480, 216, 240, 108).contains(task("d2a0")->sceneCardRect()));
        QCOMPARE(task("d2a0")->name(), u"Parse config snapshot"_s);
        QCOMPARE(task("d2a0")->method(), u"parse · WorkFlowEngine"_s);
        TerminalItem *start = scene()->terminalItem(u"workflow_start"_s);
        TerminalItem *end = scene()->terminalItem(u"workflow_end"_s);
        QVERIFY(start && end);
        QCOMPARE(start->kind(), TerminalItem::Kind::Start);
        QCOMPARE(end->pos(), QPointF(480, 648));
        QVERIFY(!scene()->taskItem(u"workflow_start"_s));

        // Transitions run from the source card to the target card, ending in an arrowhead.
        TransitionItem *down = edge("d2a0", "d2b1");
        QVERIFY(down);
        QCOMPARE(down->geometry().start, QPointF(task("d2a0")->sceneCardRect().center().x(),
                                                 task("d2a0")->sceneCardRect().bottom()));
        QCOMPARE(down->geometry().tip, QPointF(task("d2b1")->sceneCardRect().center().x(),
                                               task("d2b1")->sceneCardRect().top()));
        // A position given as gridCoordinate or as fractions lands in the same cells.
        json other = demo(u"branching-config-compliance.json"_s);
        other["tasks"]["d2a0"].erase("nodeLocation");
        other["tasks"]["d2a0"]["gridCoordinate"] = {{"x", 3}, {"y", 1}};
        m_canvas->setWorkflow(other);
        QCOMPARE(task("d2a0")->pos(), QPointF(720, 108));
    }

    void statusesGiveColoursAndIcons()
    {
        const json workflow = demo(u"manual-change-approval.json"_s);
        QVERIFY(open(workflow));
        const CanvasStyle &style = scene()->canvasStyle();
        QCOMPARE(task("7a01")->state(), TaskState::NotReached);
        QCOMPARE(task("7a01")->statusIcon(), StatusIcon::None);

        m_canvas->setJob(approvalWaiting(workflow));
        QCOMPARE(task("7a01")->state(), TaskState::Complete);
        QCOMPARE(task("7a01")->statusIcon(), StatusIcon::Check);
        QCOMPARE(task("7a01")->accentColor(), style.stateColor(TaskState::Complete));
        QCOMPARE(task("7a23")->state(), TaskState::WaitingForOperator);
        QCOMPARE(task("7a23")->statusIcon(), StatusIcon::Person);
        QCOMPARE(task("8b34")->state(), TaskState::NotReached);
        QCOMPARE(scene()->terminalItem(u"workflow_start"_s)->state(), TaskState::Complete);

        m_canvas->updateJob(approvalWaiting(workflow, "alice"));
        QCOMPARE(task("7a23")->state(), TaskState::Claimed);
        QCOMPARE(task("7a23")->statusIcon(), StatusIcon::PersonCheck);
        QCOMPARE(task("7a23")->owner(), u"alice"_s);

        const std::map<std::string, std::pair<TaskState, StatusIcon>> expected{
            {"running", {TaskState::Running, StatusIcon::Play}},
            {"complete", {TaskState::Complete, StatusIcon::Check}},
            {"failure", {TaskState::Failure, StatusIcon::Cross}},
            {"error", {TaskState::Error, StatusIcon::Bang}},
            {"canceled", {TaskState::Canceled, StatusIcon::Stop}},
            {"scheduled", {TaskState::Scheduled, StatusIcon::Clock}},
            {"paused", {TaskState::Paused, StatusIcon::Pause}},
            {"incomplete", {TaskState::NotReached, StatusIcon::None}}};
        for (const auto &[status, want] : expected) {
            m_canvas->updateJob(jobFor(workflow, {{"8b34", {status, "", 1, {}}}}));
            QCOMPARE(task("8b34")->state(), want.first);
            QCOMPARE(task("8b34")->statusIcon(), want.second);
            QCOMPARE(task("8b34")->accentColor(), style.stateColor(want.first));
        }
        // The states that matter most are told apart by colour, not only by icon.
        QVERIFY(style.stateColor(TaskState::Complete) != style.stateColor(TaskState::Error));
        QVERIFY(style.stateColor(TaskState::Error) != style.stateColor(TaskState::Failure));
        QVERIFY(style.stateColor(TaskState::Running) !=
                style.stateColor(TaskState::WaitingForOperator));
        QVERIFY(style.stateColor(TaskState::NotReached) != style.stateColor(TaskState::Running));
    }

    void takenTransitionsAreEmphasised()
    {
        const json workflow = demo(u"branching-config-compliance.json"_s);
        QVERIFY(open(workflow));
        QCOMPARE(edge("d2a0", "d2b1")->emphasis(), Emphasis::Normal);
        // Non-compliant: parse succeeded, the evaluation failed, remediation is running.
        m_canvas->setJob(jobFor(workflow, {{"workflow_start", done()},
                                           {"d2a0", done()},
                                           {"d2b1", {"failure", "failure", 1, {}}},
                                           {"e3a4", {"running", "", 1, {}}}}));
        QVERIFY(edge("workflow_start", "d2a0")->isTaken());
        QVERIFY(edge("d2a0", "d2b1")->isTaken());
        QVERIFY(edge("d2b1", "e3a4")->isTaken());
        QCOMPARE(edge("d2a0", "f4c6")->emphasis(), Emphasis::Faded);
        QCOMPARE(edge("d2b1", "d2c2")->emphasis(), Emphasis::Faded);
        QCOMPARE(edge("e3a4", "e3b5")->emphasis(), Emphasis::Faded);
        const QPen taken = edge("d2b1", "e3a4")->pen();
        const QPen faded = edge("d2a0", "f4c6")->pen();
        QVERIFY(taken.widthF() > faded.widthF());
        QCOMPARE(taken.color().alphaF(), 1.0f);
        QVERIFY(faded.color().alphaF() < 0.5f);
        // Coloured by state: failure and error differ from success.
        const CanvasStyle &style = scene()->canvasStyle();
        QCOMPARE(taken.color(), style.edgeColor(EdgeState::Failure, Emphasis::Taken));
        QCOMPARE(edge("d2a0", "f4c6")->state(), EdgeState::Error);
        QVERIFY(style.edge[0] != style.edge[1] && style.edge[1] != style.edge[2]);

        m_canvas->clearJob();
        QCOMPARE(edge("d2a0", "f4c6")->emphasis(), Emphasis::Normal);
        QCOMPARE(task("d2a0")->state(), TaskState::NotReached);
    }

    void revertTransitionsAreDashed()
    {
        QVERIFY(open(demo(u"revert-retry-loop.json"_s)));
        TransitionItem *revert = edge("4f78", "5a12");
        QVERIFY(revert);
        QVERIFY(revert->isRevert());
        QVERIFY(revert->pen().style() != Qt::SolidLine);
        QVERIFY(!revert->pen().dashPattern().isEmpty());
        QCOMPARE(edge("5a45", "4f67")->pen().style(), Qt::SolidLine);
        // The loop back up leaves and enters on a side, not through the cards between.
        TransitionItem *up = edge("4f67", "4f78");
        const QRectF from = task("4f67")->sceneCardRect();
        QCOMPARE(up->geometry().start, QPointF(from.right(), from.center().y()));
    }

    void clickingATaskSelectsIt()
    {
        QVERIFY(open(demo(u"branching-config-compliance.json"_s)));
        QSignalSpy selected(m_canvas.get(), &WorkflowCanvas::taskSelected);
        QSignalSpy activated(m_canvas.get(), &WorkflowCanvas::taskActivated);
        QTest::mouseClick(m_canvas->viewport(), Qt::LeftButton, {},
                          viewPoint(task("d2b1")->sceneCardRect()));
        QCOMPARE(selected.count(), 1);
        QCOMPARE(selected.at(0).at(0).toString(), u"d2b1"_s);
        QVERIFY(task("d2b1")->isSelectedTask());
        QCOMPARE(m_canvas->selectedTask(), u"d2b1"_s);

        QTest::mouseDClick(m_canvas->viewport(), Qt::LeftButton, {},
                           viewPoint(task("e3a4")->sceneCardRect()));
        QCOMPARE(activated.count(), 1);
        QCOMPARE(activated.at(0).at(0).toString(), u"e3a4"_s);

        // Enter activates the selection; a click on the background clears it.
        m_canvas->selectTask(u"d2c2"_s);
        QTest::keyClick(m_canvas.get(), Qt::Key_Return);
        QCOMPARE(activated.last().at(0).toString(), u"d2c2"_s);
        selected.clear();
        const QRectF card = task("d2a0")->sceneCardRect();
        QTest::mouseClick(m_canvas->viewport(), Qt::LeftButton, {},
                          m_canvas->mapFromScene(card.topLeft() - QPointF(120, 0)));
        QCOMPARE(selected.count(), 1);
        QCOMPARE(selected.at(0).at(0).toString(), QString());
        QVERIFY(!task("d2c2")->isSelectedTask());
    }

    void draggingPansInsteadOfSelecting()
    {
        QVERIFY(open(flowdeck::bench::LargeWorkflow{10, 10}.workflow()));
        m_canvas->zoomTo100();
        QSignalSpy selected(m_canvas.get(), &WorkflowCanvas::taskSelected);
        const QPointF before = m_canvas->mapToScene(m_canvas->viewport()->rect().center());
        const QPoint from = m_canvas->viewport()->rect().center();
        QTest::mousePress(m_canvas->viewport(), Qt::LeftButton, {}, from);
        QMouseEvent move(QEvent::MouseMove, QPointF(from + QPoint(60, 40)),
                         m_canvas->viewport()->mapToGlobal(QPointF(from + QPoint(60, 40))),
                         Qt::NoButton, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(m_canvas->viewport(), &move);
        QTest::mouseRelease(m_canvas->viewport(), Qt::LeftButton, {}, from + QPoint(60, 40));
        const QPointF after = m_canvas->mapToScene(m_canvas->viewport()->rect().center());
        QCOMPARE(after, before - QPointF(60, 40));
        QCOMPARE(selected.count(), 0);
    }

    void updateJobChangesItemsInPlace()
    {
        const json workflow = demo(u"manual-change-approval.json"_s);
        QVERIFY(open(workflow));
        m_canvas->setJob(approvalWaiting(workflow));
        const std::vector<TaskItem *> tasks = scene()->taskItems();
        const std::vector<TransitionItem *> edges = scene()->transitionItems();
        TaskItem *manual = task("7a23");
        QSignalSpy rebuilt(scene(), &QGraphicsScene::changed);

        // The operator approved; the push runs.
        m_canvas->updateJob(jobFor(workflow, {{"workflow_start", done()},
                                              {"7a01", done()},
                                              {"7a12", done()},
                                              {"7a23", {"complete", "success", 1, "alice"}},
                                              {"8b34", {"running", "", 1, {}}}}));
        QCOMPARE(scene()->taskItems(), tasks);
        QCOMPARE(scene()->transitionItems(), edges);
        QCOMPARE(task("7a23"), manual);
        QCOMPARE(manual->state(), TaskState::Complete);
        QCOMPARE(task("8b34")->state(), TaskState::Running);
        QVERIFY(edge("7a23", "8b34")->isTaken());
        QCOMPARE(edge("7a23", "9c56")->emphasis(), Emphasis::Faded);

        // setJob with the same workflow keeps the items too.
        m_canvas->setJob(approvalWaiting(workflow));
        QCOMPARE(task("7a23"), manual);
        QCOMPARE(manual->state(), TaskState::WaitingForOperator);
    }

    void aJobAloneShowsItsOwnWorkflow()
    {
        QVERIFY(open(json::object()));
        QVERIFY(scene()->taskItems().empty());
        const json workflow = demo(u"revert-retry-loop.json"_s);
        m_canvas->setJob(jobFor(workflow, {{"workflow_start", done()},
                                           {"5a01", done()},
                                           {"5a12", done(3)},
                                           {"5a23", {"running", "", 3, {}}}}));
        QCOMPARE(scene()->taskItems().size(), std::size_t(9));
        QCOMPARE(task("5a12")->iterations(), 3);
        QVERIFY(allVisible());
    }

    void zoomKeysChangeTheTransform()
    {
        QVERIFY(open(flowdeck::bench::LargeWorkflow{12, 12}.workflow(), {900, 600}));
        m_canvas->setFocus();
        QTest::keyClick(m_canvas.get(), Qt::Key_0);
        const qreal fitted = m_canvas->zoom();
        QVERIFY(fitted < 1.0);
        QVERIFY(allVisible());

        QTest::keyClick(m_canvas.get(), Qt::Key_Plus);
        QVERIFY(m_canvas->zoom() > fitted);
        const qreal zoomedIn = m_canvas->zoom();
        QTest::keyClick(m_canvas.get(), Qt::Key_Minus);
        QVERIFY(m_canvas->zoom() < zoomedIn);
        QTest::keyClick(m_canvas.get(), Qt::Key_1);
        QCOMPARE(m_canvas->zoom(), 1.0);
        QVERIFY(!allVisible());
        QVERIFY(m_canvas->minimap()->isVisible());
        QTest::keyClick(m_canvas.get(), Qt::Key_0);
        QCOMPARE(m_canvas->zoom(), fitted);
        QVERIFY(allVisible());
        QVERIFY(!m_canvas->minimap()->isVisible());

        // Ctrl+wheel zooms at the pointer; the scene point under it stays put.
        const QPoint at(200, 150);
        const QPointF under = m_canvas->mapToScene(at);
        QWheelEvent wheel(QPointF(at), m_canvas->viewport()->mapToGlobal(QPointF(at)), QPoint(),
                          QPoint(0, 120), Qt::NoButton, Qt::ControlModifier, Qt::NoScrollPhase,
                          false);
        QApplication::sendEvent(m_canvas->viewport(), &wheel);
        QVERIFY(m_canvas->zoom() > fitted);
        QVERIFY((m_canvas->mapToScene(at) - under).manhattanLength() < 4 / m_canvas->zoom());
    }

    void minimapClickMovesTheView()
    {
        QVERIFY(open(flowdeck::bench::LargeWorkflow{30, 30}.workflow(), {900, 600}));
        m_canvas->zoomTo100();
        Minimap *map = m_canvas->minimap();
        QVERIFY(map->isVisible());
        const QPoint corner(map->width() - 12, map->height() - 12);
        QTest::mouseClick(map, Qt::LeftButton, {}, corner);
        const QPointF centre = m_canvas->mapToScene(m_canvas->viewport()->rect().center());
        const QPointF target = map->toScene(QPointF(corner));
        // centerOn stops at the scene's edge; the view moved most of the way there.
        QVERIFY(QLineF(centre, target).length() < 700);
        QVERIFY(map->viewRect().contains(QPointF(corner)) ||
                QLineF(map->viewRect().center(), QPointF(corner)).length() < 40);
    }

    void levelOfDetailFollowsTheViewsZoom()
    {
        QVERIFY(open(flowdeck::bench::LargeWorkflow{20, 20}.workflow(), {900, 600}));
        TaskItem *item = scene()->taskItems().front();
        m_canvas->zoomTo100();
        m_canvas->centerOn(item->sceneCardRect().center());
        QVERIFY(m_canvas->labelsVisible());
        m_canvas->viewport()->grab();
        QCOMPARE(item->drawnDetail(), CanvasStyle::Detail::Full);

        // Between 30 % and the full cards, names alone, in a font that still reads.
        m_canvas->zoomTo(0.45);
        m_canvas->centerOn(item->sceneCardRect().center());
        m_canvas->viewport()->grab();
        QCOMPARE(item->drawnDetail(), CanvasStyle::Detail::Names);
        QVERIFY(m_canvas->labelsVisible());
        QVERIFY(scene()->canvasStyle().bigNameFont.pixelSize() * 0.3 >= 7);

        // A card painted on its own, at any scale, draws the view's level: it never decides
        // from its own transform.
        QImage image(200, 100, QImage::Format_ARGB32_Premultiplied);
        {
            QPainter painter(&image);
            painter.scale(0.25, 0.25);
            QStyleOptionGraphicsItem option;
            item->paint(&painter, &option, nullptr);
        }
        QCOMPARE(item->drawnDetail(), CanvasStyle::Detail::Names);

        // Far out, the batched overview.
        m_canvas->zoomTo(0.15);
        QVERIFY(!m_canvas->labelsVisible());
        QVERIFY(scene()->isOverview());
        QVERIFY(!item->isVisible());
        QVERIFY(scene()->overviewLayer()->isVisible());
        // Clicks still find tasks.
        QSignalSpy selected(m_canvas.get(), &WorkflowCanvas::taskSelected);
        QTest::mouseClick(m_canvas->viewport(), Qt::LeftButton, {},
                          viewPoint(item->sceneCardRect()));
        QCOMPARE(selected.count(), 1);
        QCOMPARE(selected.at(0).at(0).toString(), item->key());
    }

    void aZoomAtAThresholdDoesNotFlip()
    {
        // A threshold crossed by less than the margin keeps the level; a clear move changes it.
        using D = CanvasStyle::Detail;
        constexpr double t = CanvasStyle::kLabelMinZoom;
        QCOMPARE(CanvasStyle::detailFor(t * 0.99, D::Full), D::Full);
        QCOMPARE(CanvasStyle::detailFor(t * 0.99, D::Names), D::Names);
        QCOMPARE(CanvasStyle::detailFor(t * 1.01, D::Names), D::Names);
        QCOMPARE(CanvasStyle::detailFor(t * 0.9, D::Full), D::Names);
        QCOMPARE(CanvasStyle::detailFor(t * 1.1, D::Names), D::Full);
        QCOMPARE(CanvasStyle::detailFor(0.05, D::Full), D::Overview);
        QCOMPARE(CanvasStyle::detailFor(2.0, D::Overview), D::Full);
    }

    void everyCardOfALargeRealWorkflowHasItsName()
    {
        // 55 tasks at canvas-3 pixel positions thousands of pixels from the origin: the
        // preview opens with every card named, and panning changes nothing.
        const json upgrade =
            json::parse(flowdeck::test::readFile(
                            flowdeck::test::sourcePath(
                                u"tests/data/workflows/valid/canvas3-ios-upgrade-55.json"_s))
                            .toStdString());
        QVERIFY(open(upgrade, {980, 460}));
        QCOMPARE(scene()->taskItems().size(), std::size_t(55));
        QVERIFY(m_canvas->labelsVisible());
        auto namedInView = [&] {
            m_canvas->viewport()->grab();
            const QRectF visible =
                m_canvas->mapToScene(m_canvas->viewport()->rect()).boundingRect();
            int shown = 0;
            for (TaskItem *t : scene()->taskItems()) {
                if (!visible.intersects(t->sceneCardRect()))
                    continue;
                ++shown;
                if (!t->labelsDrawn())
                    return -1;
            }
            return shown;
        };
        QVERIFY(namedInView() > 0);
        const QPoint middle = m_canvas->viewport()->rect().center();
        for (int step = 0; step < 4; ++step) {
            QTest::mousePress(m_canvas->viewport(), Qt::LeftButton, {}, middle);
            QTest::mouseMove(m_canvas->viewport(), middle - QPoint(137, 23));
            QTest::mouseRelease(m_canvas->viewport(), Qt::LeftButton, {}, middle - QPoint(137, 23));
            QVERIFY(namedInView() >= 0);
        }

        // One zoom step out keeps the names; 0 fits the whole workflow.
        m_canvas->setFocus();
        const qreal before = m_canvas->zoom();
        QTest::keyClick(m_canvas.get(), Qt::Key_Minus);
        QVERIFY(m_canvas->zoom() < before);
        if (m_canvas->zoom() >= CanvasStyle::kNameMinZoom)
            QVERIFY(namedInView() > 0);
        QTest::keyClick(m_canvas.get(), Qt::Key_0);
        QVERIFY(allVisible());
    }

    void aJobOpensReadableOnItsActiveTask()
    {
        // A small job fits with its labels.
        const json approval = demo(u"manual-change-approval.json"_s);
        QVERIFY(open(approval, {900, 600}));
        m_canvas->setJob(approvalWaiting(approval));
        QVERIFY(allVisible());
        QVERIFY(m_canvas->labelsVisible());
        QCOMPARE(scene()->detail(), CanvasStyle::Detail::Full);

        // A large one opens at a readable zoom on the task that is running.
        const flowdeck::bench::LargeWorkflow large{30, 5};
        const json big = large.workflow();
        QVERIFY(open(big, {900, 600}));
        json job = jobFor(big, {{"workflow_start", done()}});
        job["tasks"][large.key(0, 0)]["status"] = "complete";
        job["tasks"][large.key(0, 0)]["finish_state"] = "success";
        job["tasks"][large.key(1, 0)]["status"] = "complete";
        job["tasks"][large.key(1, 0)]["finish_state"] = "success";
        job["tasks"][large.key(20, 3)]["status"] = "running";
        m_canvas->setJob(job);
        QCOMPARE(scene()->activeTask(), QString::fromStdString(large.key(20, 3)));
        QCOMPARE(m_canvas->zoom(), CanvasStyle::kReadableZoom);
        QCOMPARE(scene()->detail(), CanvasStyle::Detail::Full);
        const QRectF visible = m_canvas->mapToScene(m_canvas->viewport()->rect()).boundingRect();
        QVERIFY(visible.contains(scene()->taskRect(QString::fromStdString(large.key(20, 3)))));

        // A new job shows Start.
        m_canvas->setWorkflow(big);
        m_canvas->setJob(jobFor(big, {}));
        const QRectF start = scene()->taskRect(u"workflow_start"_s);
        QVERIFY(m_canvas->mapToScene(m_canvas->viewport()->rect()).boundingRect().contains(start));
    }

    void theMinimapFoldsAway()
    {
        QVERIFY(open(flowdeck::bench::LargeWorkflow{30, 30}.workflow(), {900, 600}));
        m_canvas->zoomTo100();
        Minimap *map = m_canvas->minimap();
        QVERIFY(map->isVisible());
        const QRect open = map->geometry();
        QTest::mouseClick(map->toggleButton(), Qt::LeftButton);
        QVERIFY(map->isCollapsed());
        QVERIFY(map->width() < open.width() / 3 && map->height() < open.height() / 2);
        QVERIFY(map->rect().contains(map->toggleButton()->geometry()));
        // Folded into the same corner.
        QCOMPARE(map->geometry().bottomRight(), open.bottomRight());
        // A task under where the map was can be clicked.
        QSignalSpy selected(m_canvas.get(), &WorkflowCanvas::taskSelected);
        const QPoint under = open.center() - m_canvas->viewport()->pos();
        QTest::mouseClick(m_canvas->viewport(), Qt::LeftButton, {}, under);
        QCOMPARE(selected.count(),
                 scene()->taskKeyAt(m_canvas->mapToScene(under)).isEmpty() ? 0 : 1);
        m_canvas->zoomOut();
        QVERIFY(map->isCollapsed()); // stays folded while the view moves
        QTest::mouseClick(map->toggleButton(), Qt::LeftButton);
        QVERIFY(!map->isCollapsed());
        QCOMPARE(map->geometry().bottomRight(), open.bottomRight());
    }

    void theMinimapFoldsItselfWhereItWouldCrowdTheView()
    {
        // A preview-sized view: the open map would be half its height, over the tasks.
        QVERIFY(open(flowdeck::bench::LargeWorkflow{30, 30}.workflow(), {640, 300}));
        m_canvas->zoomTo100();
        Minimap *map = m_canvas->minimap();
        QVERIFY(map->isVisible());
        QVERIFY(map->isCollapsed());
        QCOMPARE(map->toggleButton()->text(), u"Map"_s);
        QVERIFY(map->rect().contains(map->toggleButton()->geometry())); // the word is whole
        // The operator opens it: their choice holds as the view moves.
        QTest::mouseClick(map->toggleButton(), Qt::LeftButton);
        QVERIFY(!map->isCollapsed());
        QVERIFY(map->height() > 100);
        m_canvas->zoomOut();
        QVERIFY(!map->isCollapsed());
        // In a roomy view it opens by itself.
        QVERIFY(open(flowdeck::bench::LargeWorkflow{30, 30}.workflow(), {1200, 800}));
        m_canvas->zoomTo100();
        QVERIFY(m_canvas->minimap()->isVisible());
        QVERIFY(!m_canvas->minimap()->isCollapsed());
    }

    void aFalseEvaluationIsABranchNotAnError()
    {
        const json compliance = demo(u"branching-config-compliance.json"_s);
        QVERIFY(open(compliance));
        // d2b1 has a failure transition; its failure is the branch the workflow planned.
        m_canvas->setJob(jobFor(compliance, {{"workflow_start", done()},
                                             {"d2a0", done()},
                                             {"d2b1", {"failure", "failure", 1, {}}}}));
        QCOMPARE(task("d2b1")->state(), TaskState::Branched);
        QCOMPARE(task("d2b1")->statusIcon(), StatusIcon::Branch);
        const CanvasStyle &style = scene()->canvasStyle();
        QVERIFY(task("d2b1")->accentColor() != style.stateColor(TaskState::Error));
        QVERIFY(task("d2b1")->accentColor() != style.stateColor(TaskState::Failure));
        QCOMPARE(CanvasStyle::stateLabel(TaskState::Branched), u"Took its failure branch"_s);
        // A real error stays one.
        m_canvas->updateJob(
            jobFor(compliance, {{"workflow_start", done()}, {"d2a0", {"error", "error", 1, {}}}}));
        QCOMPARE(task("d2a0")->state(), TaskState::Error);
    }

    void aStuckJobSaysWhatHappened()
    {
        const json workflow = demo(u"linear-device-health-check.json"_s);
        QVERIFY(open(workflow));
        QVERIFY(m_canvas->problemText().isEmpty());
        const json errors = json::array(
            {{{"task", "c6d8"},
              {"message", "query: the path /cpu/fiveMinute is not in the snapshot"},
              {"timestamp", 1712650000000}},
             {{"task", "job"},
              {"message", "Job has no available transitions. c6d8 could have led to the "
                          "workflow end task, but did not."},
              {"timestamp", 1712650000001}}});
        m_canvas->setJob(stuckAtCpuLoad(workflow, errors));
        // One short line naming the task by its summary; the task's own error is the task
        // panel's detail, and the engine's raw sentence is not repeated.
        const QString text = m_canvas->problemText();
        QCOMPARE(text, u"Stopped at “Read 5-minute CPU load”: it ended in error and the workflow "
                       "has no error transition from it."_s);
        QVERIFY(!text.contains(u"/cpu/fiveMinute"_s));
        QVERIFY(!text.contains(u"no available transitions"_s));
        QVERIFY(!text.contains(u'\n'));
        QVERIFY(task("c6d8")->isProblem());
        QVERIFY(!task("9f03")->isProblem());
        QCOMPARE(scene()->problemTasks(), QStringList{u"c6d8"_s});
        QCOMPARE(scene()->missingTransitions().size(), std::size_t(1));
        QCOMPARE(scene()->missingTransitions().front()->label(), u"no error transition"_s);
        // No banner over the canvas says it again.
        QVERIFY(!m_canvas->findChild<QWidget *>(u"canvasProblem"_s));
        save(u"stuck-job"_s, m_canvas.get());

        // A task in error that has an error transition is not a dead end.
        const json compliance = demo(u"branching-config-compliance.json"_s);
        m_canvas->setWorkflow(compliance);
        m_canvas->setJob(jobFor(compliance, {{"workflow_start", done()},
                                             {"d2a0", {"error", "error", 1, {}}},
                                             {"f4c6", {"running", "", 1, {}}}}));
        QVERIFY(m_canvas->problemText().isEmpty());
        QVERIFY(edge("d2a0", "f4c6")->isTaken());
    }

    void theMissingTransitionLabelCoversNoNode()
    {
        // The stuck task with End right beside it, where the stub would go first.
        json workflow = demo(u"linear-device-health-check.json"_s);
        const json at = workflow["tasks"]["c6d8"]["nodeLocation"];
        workflow["tasks"]["workflow_end"]["nodeLocation"] = {{"x", at["x"].get<int>() + 216},
                                                             {"y", at["y"]}};
        QVERIFY(open(workflow));
        m_canvas->setJob(stuckAtCpuLoad(workflow));
        QCOMPARE(scene()->missingTransitions().size(), std::size_t(1));
        const QRectF label = scene()->missingTransitions().front()->sceneBoundingRect();
        const QRectF card = scene()->taskRect(u"c6d8"_s);
        const QRectF end = scene()->taskRect(u"workflow_end"_s);
        // The test means something: the first choice, to the card's right, would hit End.
        QVERIFY(end.left() > card.right());
        QVERIFY(end.top() < card.bottom() && end.bottom() > card.top());
        QVERIFY(end.left() - card.right() < label.width());
        for (const char *key :
             {"workflow_start", "4a7e", "b21c", "9f03", "e15a", "73bd", "workflow_end"})
            QVERIFY2(!label.intersects(scene()->taskRect(QString::fromLatin1(key))), key);
        QVERIFY(label.intersects(card.adjusted(-4, -4, 4, 4))); // still leaves the card
        save(u"stuck-job-end-beside"_s, m_canvas.get());
    }

    void followsThePalette()
    {
        QVERIFY(open(demo(u"manual-change-approval.json"_s)));
        QVERIFY(!scene()->canvasStyle().dark);
        const QColor light = m_canvas->viewport()->grab().toImage().pixelColor(4, 4);
        QApplication::setPalette(darkPalette());
        QTRY_VERIFY(scene()->canvasStyle().dark);
        const QColor dark = m_canvas->viewport()->grab().toImage().pixelColor(4, 4);
        QVERIFY(dark.lightnessF() < 0.3f);
        QVERIFY(light.lightnessF() > 0.7f);
    }

    void screenshots()
    {
        // The demos a new operator meets first, with jobs in progress.
        const json approval = demo(u"manual-change-approval.json"_s);
        QVERIFY(open(approval, {1000, 900}));
        m_canvas->setJob(approvalWaiting(approval, "alice"));
        m_canvas->selectTask(u"7a23"_s);
        save(u"approval-light"_s, m_canvas.get());

        const json loop = demo(u"revert-retry-loop.json"_s);
        m_canvas->setWorkflow(loop);
        m_canvas->setJob(jobFor(loop, {{"workflow_start", done()},
                                       {"5a01", done()},
                                       {"5a12", done(3)},
                                       {"5a23", done(3)},
                                       {"5a34", done(3)},
                                       {"5a45", {"failure", "failure", 2, {}}},
                                       {"4f67", done(2)},
                                       {"4f78", done(2)}}));
        m_canvas->updateJob(jobFor(loop, {{"workflow_start", done()},
                                          {"5a01", done()},
                                          {"5a12", done(3)},
                                          {"5a23", done(3)},
                                          {"5a34", {"running", "", 3, {}}},
                                          {"5a45", {"failure", "failure", 2, {}}},
                                          {"4f67", done(2)},
                                          {"4f78", done(2)}}));
        save(u"retry-loop-light"_s, m_canvas.get());

        const json compliance = demo(u"branching-config-compliance.json"_s);
        m_canvas->setWorkflow(compliance);
        m_canvas->setJob(jobFor(compliance, {{"workflow_start", done()},
                                             {"d2a0", done()},
                                             {"d2b1", {"failure", "failure", 1, {}}},
                                             {"e3a4", {"running", "", 1, {}}}}));
        save(u"compliance-light"_s, m_canvas.get());

        QApplication::setPalette(darkPalette());
        QTRY_VERIFY(scene()->canvasStyle().dark);
        save(u"compliance-dark"_s, m_canvas.get());
        m_canvas->setWorkflow(approval);
        m_canvas->setJob(approvalWaiting(approval));
        save(u"approval-dark"_s, m_canvas.get());
        QApplication::setPalette(QPalette());

        // The 2,000-task graph: fitted, and at 100% around the busy rows.
        const flowdeck::bench::LargeWorkflow large;
        const json big = large.workflow();
        QVERIFY(open(big, {1600, 1000}));
        m_canvas->setJob(large.job(big, 28));
        QCOMPARE(scene()->taskItems().size(), std::size_t(2000));
        QVERIFY(scene()->transitionItems().size() >= 3000);
        m_canvas->fitAll();
        save(u"large-fitted-light"_s, m_canvas.get());
        m_canvas->zoomTo100();
        m_canvas->centerOn(task("0460")->sceneCardRect().center());
        save(u"large-100-light"_s, m_canvas.get());
        m_canvas->zoomTo(0.3);
        save(u"large-30-light"_s, m_canvas.get());
        QApplication::setPalette(darkPalette());
        QTRY_VERIFY(scene()->canvasStyle().dark);
        m_canvas->fitAll();
        save(u"large-fitted-dark"_s, m_canvas.get());
    }
};

QTEST_MAIN(TestWorkflowCanvas)
#include "TestWorkflowCanvas.moc"
