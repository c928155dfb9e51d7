// SPDX-License-Identifier: GPL-3.0-or-later
// The Jobs page end to end: a real engine (":memory:" store) behind a LocalClient. Jobs
// started in the engine appear in the table, the filters narrow it through the real query
// parser, and opening a job shows its detail with the canvas; a screenshot of that detail is
// saved from the engine's own job document.
#include "engine/access/AccountService.h"
#include "engine/api/EngineApi.h"
#include "engine/api/WorkflowCatalog.h"
#include "engine/runtime/Engine.h"
#include "engine/store/SqliteStore.h"
#include "tests/support/TestPaths.h"
#include "tests/ui/LocalEngine.h"
#include "tests/ui/Screenshots.h"
#include "ui/canvas/TaskItem.h"
#include "ui/canvas/WorkflowCanvas.h"
#include "ui/canvas/WorkflowScene.h"
#include "ui/client/LocalClient.h"
#include "ui/forms/JsonView.h"
#include "ui/forms/StartJobDialog.h"
#include "ui/jobs/JobDetail.h"
#include "ui/jobs/JobsModel.h"
#include "ui/jobs/JobsPage.h"
#include "ui/jobs/JsonTreeModel.h"
#include "ui/jobs/TaskPanel.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QStyleOptionGroupBox>
#include <QTabWidget>
#include <QTableView>
#include <QTest>
#include <QThread>
#include <QToolButton>
#include <QTreeWidget>

#include <cstdio>

using namespace flowdeck;
using namespace Qt::StringLiterals;
using nlohmann::json;

class TestJobsEndToEnd : public QObject
{
    Q_OBJECT
private:
    std::unique_ptr<test::LocalEngine> m_stack;
    QStringList m_approvalJobs;
    QString m_healthJob;
    QString m_stuckJob;

    void startJobs()
    {
        m_stack = std::make_unique<test::LocalEngine>();
        test::LocalEngine &stack = *m_stack;
        stack.open({u"manual-change-approval.json"_s, u"linear-device-health-check.json"_s});
        if (QTest::currentTestFailed())
            return;

        for (const char *device : {"dist-sw-04", "core-rtr-01"}) {
            runtime::StartJobOptions start;
            start.workflow = "Change Approval";
            start.description = std::string("Change on ") + device;
            start.variables = {{"device", device},
                               {"changeTicket", "CHG0031877"},
                               {"proposedConfig", "interface Gi1/0/12"}};
            start.principal = stack.alice;
            auto job = stack.engine->startJob(start);
            QVERIFY2(job.ok(), job.ok() ? "" : job.error().message.c_str());
            m_approvalJobs.append(QString::fromStdString((*job)["_id"].get<std::string>()));
        }
        runtime::StartJobOptions health;
        health.workflow = "Device Health Check";
        health.description = "Nightly check";
        health.variables = {{"device", "core-rtr-01"}};
        health.principal = stack.alice;
        auto job = stack.engine->startJob(health);
        QVERIFY2(job.ok(), job.ok() ? "" : job.error().message.c_str());
        m_healthJob = QString::fromStdString((*job)["_id"].get<std::string>());
    }

    /// start → `key` (`task`, given its place and defaults) → end, on success only.
    static json oneTaskWorkflow(const char *name, const char *key, json task)
    {
        task["groups"] = json::array();
        task["nodeLocation"] = {{"x", 480}, {"y", 300}};
        task["variables"]["error"] = "";
        task["variables"]["decorators"] = json::array();
        auto terminal = [](const char *which, int y) {
            return json{{"name", which},
                        {"groups", json::array()},
                        {"nodeLocation", {{"x", 480}, {"y", y}}}};
        };
        const json success = {{"state", "success"}, {"type", "standard"}};
        return {{"name", name},
                {"type", "automation"},
                {"tasks",
                 {{"workflow_start", terminal("workflow_start", 100)},
                  {"workflow_end", terminal("workflow_end", 500)},
                  {key, std::move(task)}}},
                {"transitions",
                 {{"workflow_start", {{key, success}}},
                  {key, {{"workflow_end", success}}},
                  {"workflow_end", json::object()}}}};
    }

    /// Imports a workflow whose one task fails with no error transition, and starts a job of
    /// it: the job stops in error.
    void startStuckJob()
    {
        test::LocalEngine &stack = *m_stack;
        // A job that stops in error: its one task fails and no error transition leaves it.
        stack.importWorkflow(oneTaskWorkflow(
            "Unreachable Device", "c841",
            {{"name", "stub"},
             {"summary", "Reach the device"},
             {"app", "WorkFlowEngine"},
             {"type", "automatic"},
             {"variables",
              {{"incoming", {{"type", "error"}, {"delay", ""}, {"response", "$var.job.reason"}}},
               {"outgoing", json::object()}}}}));
        if (QTest::currentTestFailed())
            return;
        runtime::StartJobOptions unreachable;
        unreachable.workflow = "Unreachable Device";
        unreachable.variables = {{"reason", "device unreachable"}};
        unreachable.principal = stack.alice;
        auto stuckJob = stack.engine->startJob(unreachable);
        QVERIFY2(stuckJob.ok(), stuckJob.ok() ? "" : stuckJob.error().message.c_str());
        m_stuckJob = QString::fromStdString((*stuckJob)["_id"].get<std::string>());
    }

    /// A workflow of `count` tasks in rows of ten, snaking left to right, each recording a
    /// variable, with one manual review at `manualAt` (0-based) where a job waits.
    static json chainWorkflow(const std::string &name, int count, int manualAt)
    {
        json tasks = json::object();
        json transitions = json::object();
        auto at = [](int column, int row) {
            return json{{"x", 240 + column * 240}, {"y", 108 + row * 216}};
        };
        tasks["workflow_start"] = {
            {"name", "workflow_start"}, {"groups", json::array()}, {"nodeLocation", at(-1, 0)}};
        std::string previous = "workflow_start";
        static const char *const kSteps[] = {"Look up site", "Reserve address block",
                                             "Render interface config", "Check change window",
                                             "Record inventory entry"};
        for (int i = 0; i < count; ++i) {
            char key[8];
            std::snprintf(key, sizeof key, "%04x", 0x3a00 + i);
            const int row = i / 10;
            const int column = row % 2 == 0 ? i % 10 : 9 - i % 10;
            const bool manual = i == manualAt;
            json task = {
                {"name", manual ? "ViewData" : "newVariable"},
                {"summary", manual ? std::string("Review the rendered config")
                                   : std::string(kSteps[i % 5]) + " " + std::to_string(i + 1)},
                {"app", "WorkFlowEngine"},
                {"type", manual ? "manual" : "operation"},
                {"groups", json::array()},
                {"nodeLocation", at(column, row)}};
            task["variables"] =
                manual ? json{{"incoming",
                               {{"header", "Review"},
                                {"message", "Approve the rendered config."},
                                {"body", ""},
                                {"variables", ""},
                                {"btn_success", "Approve"},
                                {"btn_failure", "Reject"}}},
                              {"outgoing", json::object()},
                              {"error", ""},
                              {"decorators", json::array()}}
                       : json{{"incoming", {{"name", "step" + std::to_string(i)}, {"value", i}}},
                              {"outgoing", json::object()},
                              {"error", ""},
                              {"decorators", json::array()}};
            tasks[key] = task;
            transitions[previous][key] = {{"state", "success"}, {"type", "standard"}};
            previous = key;
        }
        tasks["workflow_end"] = {{"name", "workflow_end"},
                                 {"groups", json::array()},
                                 {"nodeLocation", at(count < 10 ? count : 10, (count - 1) / 10)}};
        transitions[previous]["workflow_end"] = {{"state", "success"}, {"type", "standard"}};
        transitions["workflow_end"] = json::object();
        return {{"name", name},
                {"type", "automation"},
                {"canvasVersion", 3},
                {"tasks", tasks},
                {"transitions", transitions}};
    }

    /// Opens `jobId` in `page` and clicks task `key` on its canvas.
    void clickTask(ui::JobsPage &page, const QString &jobId, const QString &key)
    {
        page.openJob(jobId);
        ui::JobDetail *detail = page.detail();
        QTRY_VERIFY(!detail->document().is_null());
        QTRY_COMPARE(detail->jobId(), jobId);
        ui::canvas::WorkflowCanvas *canvas = detail->canvas();
        ui::canvas::TaskItem *item = canvas->workflowScene()->taskItem(key);
        QVERIFY(item);
        canvas->centerOn(item->sceneCardRect().center());
        QTest::mouseClick(canvas->viewport(), Qt::LeftButton, {},
                          canvas->mapFromScene(item->sceneCardRect().center()));
        QCOMPARE(detail->taskPanel()->taskKey(), key);
        QTRY_VERIFY(!detail->taskPanel()->isLoading());
    }

private Q_SLOTS:
    void cleanup()
    {
        m_stack.reset();
        m_approvalJobs.clear();
    }

    void theTableListsAndFiltersTheEnginesJobs()
    {
        startJobs();
        ui::JobsPage page(*m_stack->client);
        QAbstractItemModelTester tester(page.model(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        page.resize(1200, 700);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        QTRY_COMPARE(page.model()->rowCount(), 3);
        // The page asked in a form the real parser accepts: no error on screen.
        QVERIFY(!page.findChild<QLabel *>(u"jobsMessage"_s)->isVisible());
        QTRY_VERIFY(page.model()->rowAt(0));

        // The workflow filter: only the approvals.
        auto *workflow = page.findChild<QComboBox *>(u"workflowFilter"_s);
        QTRY_COMPARE(workflow->count(), 3);
        workflow->setCurrentIndex(workflow->findData(u"Change Approval"_s));
        QTRY_VERIFY(!page.model()->isLoading());
        QCOMPARE(page.model()->rowCount(), 2);
        for (int row = 0; row < 2; ++row)
            QVERIFY(m_approvalJobs.contains(page.model()->rowAt(row)->id));

        // Free text matches the description: one of the two.
        QTest::keyClicks(page.findChild<QLineEdit *>(u"jobSearch"_s), u"dist-sw"_s);
        QTRY_COMPARE(page.model()->rowCount(), 1);
        QTRY_VERIFY(page.model()->rowAt(0));
        QCOMPARE(page.model()->rowAt(0)->id, m_approvalJobs.first());
        QCOMPARE(page.model()->rowAt(0)->status, u"running"_s);

        // Every sortable column is one the server sorts by.
        for (int column = 0; column < ui::JobsModel::ColumnCount; ++column) {
            if (ui::JobsModel::sortFieldFor(column).isEmpty())
                continue;
            page.model()->sort(column, Qt::AscendingOrder);
            QTRY_VERIFY(!page.model()->isLoading());
            QCOMPARE(page.model()->rowCount(), 1);
        }
    }

    void pausingFromTheTableReachesTheEngine()
    {
        startJobs();
        ui::JobsPage page(*m_stack->client);
        page.resize(1200, 700);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        QTRY_COMPARE(page.model()->rowCount(), 3);
        QTRY_VERIFY(page.model()->rowAt(0));
        const int row = page.model()->rowOf(m_approvalJobs.first());
        QVERIFY(row >= 0);
        page.view()->selectRow(row);
        auto *pause = page.findChild<QAction *>(u"actionPauseJobs"_s);
        QVERIFY(pause->isEnabled());
        pause->trigger();
        // The engine's jobChanged comes back through the client and the row follows.
        QTRY_COMPARE(page.model()->rowAt(page.model()->rowOf(m_approvalJobs.first()))->status,
                     u"paused"_s);
        auto job = m_stack->engine->jobDocument(m_approvalJobs.first().toStdString());
        QVERIFY(job.ok());
        QCOMPARE((*job)["status"].get<std::string>(), std::string("paused"));
    }

    void openingAJobShowsTheEnginesDocument()
    {
        startJobs();
        ui::JobsPage page(*m_stack->client);
        page.resize(1280, 760);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        page.openJob(m_approvalJobs.first());
        ui::JobDetail *detail = page.detail();
        QTRY_VERIFY(!detail->document().is_null());
        QCOMPARE(detail->findChild<QLabel *>(u"jobTitle"_s)->text(), u"Change Approval"_s);
        auto *tasks = detail->findChild<QTreeWidget *>(u"jobTasks"_s);
        QCOMPARE(tasks->topLevelItemCount(), 6);
        bool waiting = false;
        for (int i = 0; i < tasks->topLevelItemCount(); ++i)
            waiting |= tasks->topLevelItem(i)->text(1) == u"Waiting for an operator"_s;
        QVERIFY(waiting);
        QVERIFY(detail->variablesModel()->rowCount() > 0);
        QVERIFY(detail->findChild<QTreeWidget *>(u"jobHistory"_s)->topLevelItemCount() >= 2);
        QVERIFY(detail->canvas()->problemText().isEmpty());
        QTest::qWait(100);
        const QString dir = QStringLiteral(FLOWDECK_SCREENSHOT_DIR);
        QVERIFY(QDir().mkpath(dir));
        QVERIFY(page.grab().save(dir + u"/job-detail-engine.png"_s));
    }

    void clickingAManualTaskShowsItsRunAndOffersToWorkIt()
    {
        startJobs();
        ui::JobsPage page(*m_stack->client);
        page.resize(1280, 800);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        ui::TaskPanel *panel = page.detail()->taskPanel();
        QVERIFY(panel->findChild<QLabel *>(u"taskPanelPlaceholder"_s));
        clickTask(page, m_approvalJobs.first(), u"7a23"_s);
        QCOMPARE(panel->findChild<QLabel *>(u"taskPanelTitle"_s)->text(), u"Approve change"_s);
        QVERIFY(panel->statusText().contains(u"Waiting for an operator"_s));
        QCOMPARE(int(panel->runs().size()), 1);
        // The resolved values: the header the engine built from another task's output.
        bool header = false;
        for (int row = 0; row < panel->incomingView()->rowCount(); ++row)
            header |= panel->incomingView()->textAt(row) == u"Approve change CHG0031877"_s;
        QVERIFY(header);
        QVERIFY(panel->findChild<QLabel *>(u"taskPanelWiring"_s)->text().contains(u"header ←"_s));
        QVERIFY(panel->workAction()->isEnabled());
        QVERIFY(!panel->retryAction()->isEnabled());
        QVERIFY(!panel->continueAction()->isEnabled());
        QSignalSpy work(page.detail(), &ui::JobDetail::workTaskRequested);
        panel->workAction()->trigger();
        QCOMPARE(work.count(), 1);
        QCOMPARE(work.at(0).at(0).toString(), m_approvalJobs.first());
        QCOMPARE(work.at(0).at(1).toString(), u"7a23"_s);
        const std::string iteration = panel->runs()[0]["_id"].get<std::string>();
        QCOMPARE(work.at(0).at(2).toString().toStdString(), iteration);

        // A finished task: its outgoing values, and where the job went next.
        clickTask(page, m_approvalJobs.first(), u"7a01"_s);
        QVERIFY(panel->statusText().startsWith(u"Complete"_s));
        QVERIFY(panel->outgoingView()->rowCount() > 0);
        QVERIFY(panel->findChild<QLabel *>(u"taskPanelNext"_s)->text().contains(u"taken"_s));
        QVERIFY(!panel->workAction()->isEnabled());
        clickTask(page, m_approvalJobs.first(), u"7a23"_s);
        QVERIFY(test::saveScreenshots(&page, u"job-detail-task-panel"_s));
    }

    void aJobDetailOpensReadableOnItsActiveTask()
    {
        m_stack = std::make_unique<test::LocalEngine>();
        m_stack->open({});
        if (QTest::currentTestFailed())
            return;
        m_stack->importWorkflow(chainWorkflow("Small Rollout", 4, 2));
        m_stack->importWorkflow(chainWorkflow("Site Rollout", 50, 33));
        if (QTest::currentTestFailed())
            return;
        QStringList jobs;
        for (const char *workflow : {"Small Rollout", "Site Rollout"}) {
            runtime::StartJobOptions start;
            start.workflow = workflow;
            start.description = std::string("Rollout to site 14 (") + workflow + ")";
            start.principal = m_stack->alice;
            auto job = m_stack->engine->startJob(start);
            QVERIFY2(job.ok(), job.ok() ? "" : job.error().message.c_str());
            jobs.append(QString::fromStdString((*job)["_id"].get<std::string>()));
        }
        ui::JobsPage page(*m_stack->client);
        page.resize(1280, 800);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        ui::JobDetail *detail = page.detail();
        ui::canvas::WorkflowCanvas *canvas = detail->canvas();

        // Four tasks: the whole job fits, and every card is named.
        page.openJob(jobs[0]);
        QTRY_COMPARE(detail->jobId(), jobs[0]);
        QTRY_VERIFY(!detail->document().is_null());
        QTRY_COMPARE(canvas->workflowScene()->activeTask(), u"3a02"_s);
        QVERIFY(canvas->labelsVisible());
        const QRectF graph = canvas->workflowScene()->graphRect();
        QVERIFY(canvas->mapToScene(canvas->viewport()->rect()).boundingRect().contains(graph));
        QVERIFY(test::saveScreenshotsEveryWay(&page, u"job-detail-4-tasks"_s));

        // Fifty: too many to read at once, so it opens on the task waiting for an operator.
        page.openJob(jobs[1]);
        QTRY_COMPARE(detail->jobId(), jobs[1]);
        QTRY_COMPARE(canvas->workflowScene()->activeTask(), u"3a21"_s);
        QTRY_VERIFY(canvas->labelsVisible());
        const QRectF active = canvas->workflowScene()->taskRect(u"3a21"_s);
        QVERIFY(canvas->mapToScene(canvas->viewport()->rect()).boundingRect().contains(active));
        QVERIFY(test::saveScreenshotsEveryWay(&page, u"job-detail-50-tasks"_s));
    }

    void aStuckTaskSaysWhyAndCanBeRetried()
    {
        startJobs();
        startStuckJob();
        ui::JobsPage page(*m_stack->client);
        page.resize(1280, 800);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        clickTask(page, m_stuckJob, u"c841"_s);
        ui::TaskPanel *panel = page.detail()->taskPanel();
        QCOMPARE(page.detail()->document()["status"].get<std::string>(), std::string("error"));
        QVERIFY2(panel->statusText().contains(u"The job stopped here: nothing follows its error"_s),
                 qPrintable(panel->statusText()));
        QVERIFY(panel->findChild<QLabel *>(u"taskPanelError"_s)
                    ->text()
                    .contains(u"device unreachable"_s));
        QVERIFY(panel->retryAction()->isEnabled());
        QVERIFY(panel->continueAction()->isEnabled());
        QVERIFY(!panel->workAction()->isEnabled());
        QCOMPARE(int(panel->runs().size()), 1);

        // Said once, where it belongs: the header names the task by its summary in one line
        // (not the engine's raw sentence), no banner over the canvas repeats it, and the task
        // panel holds the detail (the task's own error).
        auto *header = page.detail()->findChild<QLabel *>(u"jobProblems"_s);
        const QString stopped = u"Stopped at “Reach the device”: it ended in error and the "
                                "workflow has no error transition from it."_s;
        QCOMPARE(header->text(), stopped);
        QVERIFY(!header->text().contains(u"device unreachable"_s));
        QVERIFY(!page.detail()->canvas()->findChild<QWidget *>(u"canvasProblem"_s));
        QVERIFY(page.detail()->findChild<QToolButton *>(u"jobShowProblem"_s)->isVisible());
        // The task's values (its incoming "response") say it too; those are data, not words.
        auto inValues = [](QWidget *w) {
            for (; w; w = w->parentWidget())
                if (qobject_cast<ui::JsonView *>(w))
                    return true;
            return false;
        };
        int mentions = 0;
        for (QLabel *label : page.detail()->findChildren<QLabel *>())
            mentions += label->isVisible() && !inValues(label) &&
                        label->text().contains(u"device unreachable"_s);
        QCOMPARE(mentions, 1);
        QVERIFY(test::saveScreenshots(&page, u"job-detail-stuck-task"_s));

        // Retry runs it again: a second run appears, and the panel says what it did. Its key
        // works with the keyboard anywhere in the job, here on the canvas, not only in the panel.
        page.detail()->canvas()->setFocus();
        QTRY_VERIFY(page.detail()->canvas()->hasFocus());
        QTest::keySequence(page.detail()->canvas(), QKeySequence(u"Ctrl+Shift+R"_s));
        QTRY_VERIFY(panel->noticeText().contains(u"running again"_s));
        QTRY_COMPARE(int(panel->runs().size()), 2);
        QCOMPARE(panel->runChooser()->count(), 2);
        // The job stopped again: the header says it once more, in place of the old line.
        QTRY_COMPARE(page.detail()->document()["error"].size(), std::size_t(4));
        QCOMPARE(header->text(), stopped);

        // Continue from here: the job in error runs on from the task, which errors again.
        panel->continueAction()->trigger();
        QTRY_VERIFY(panel->noticeText().contains(u"continues from"_s));
        QTRY_COMPARE(int(panel->runs().size()), 3);
        QTRY_COMPARE(page.detail()->document()["error"].size(), std::size_t(6));
        QCOMPARE(header->text(), stopped);
    }

    void aJobOpenedInErrorShowsWhereItStopped()
    {
        startJobs();
        startStuckJob();
        ui::JobsPage page(*m_stack->client);
        page.resize(1280, 800);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        page.openJob(m_stuckJob);
        ui::JobDetail *detail = page.detail();
        QTRY_VERIFY(!detail->document().is_null());
        // The panel opens on the task where the job stopped, with its detail.
        QTRY_COMPARE(detail->taskPanel()->taskKey(), u"c841"_s);
        QTRY_VERIFY(detail->taskPanel()->findChild<QLabel *>(u"taskPanelError"_s)->isVisible());
        // "Show the task" brings it into view on the canvas and selects it.
        detail->canvas()->zoomTo(0.3);
        detail->canvas()->centerOn(
            detail->canvas()->workflowScene()->taskRect(u"workflow_start"_s).center() -
            QPointF(3000, 3000));
        QTest::mouseClick(detail->findChild<QToolButton *>(u"jobShowProblem"_s), Qt::LeftButton);
        QCOMPARE(detail->canvas()->selectedTask(), u"c841"_s);
        QVERIFY(detail->canvas()->labelsVisible());
        const QRectF card = detail->canvas()->workflowScene()->taskRect(u"c841"_s);
        QVERIFY(detail->canvas()
                    ->mapToScene(detail->canvas()->viewport()->rect())
                    .boundingRect()
                    .contains(card));
    }

    void theHistoryTellsEveryRunAndEveryHand()
    {
        startJobs();
        test::LocalEngine &stack = *m_stack;
        // A claim, a release, an assignment, a pause and a resume of the approval job.
        const std::string approval = m_approvalJobs.first().toStdString();
        const json doc = *stack.engine->jobDocument(approval);
        const std::string iteration = doc["tasks"]["7a23"]["iterations"].back();
        QVERIFY(stack.engine->claimTask(iteration, stack.alice).ok());
        QVERIFY(stack.engine->releaseTask(iteration, stack.alice).ok());
        QVERIFY(stack.engine->assignTask(iteration, stack.alice, stack.alice).ok());
        QVERIFY(stack.engine->pauseJob(approval, std::string("alice")).ok());
        QVERIFY(stack.engine->resumeJob(approval, std::string("alice")).ok());

        ui::JobsPage page(*stack.client);
        page.resize(1280, 800);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        page.openJob(m_approvalJobs.first());
        ui::JobDetail *detail = page.detail();
        QTRY_VERIFY(!detail->document().is_null());
        auto *history = detail->findChild<QTreeWidget *>(u"jobHistory"_s);
        auto lines = [history] {
            QStringList out;
            for (int i = 0; i < history->topLevelItemCount(); ++i)
                out << history->topLevelItem(i)->text(1);
            return out;
        };
        QTRY_VERIFY(lines().contains(u"Task “Approve change” claimed by alice"_s));
        const QStringList told = lines();
        for (const QString &line : {u"Task “Approve change” released by alice"_s,
                                    u"Task “Approve change” assigned to alice by alice"_s,
                                    u"Job paused by alice"_s, u"Job resumed by alice"_s})
            QVERIFY2(told.contains(line), qPrintable(told.join(u'\n')));
        // Newest first, the task being worked on top.
        QCOMPARE(told.first(), u"“Approve change” is being worked by alice"_s);
        QVERIFY(told.indexOf(u"Job resumed by alice"_s) < told.indexOf(u"Job paused by alice"_s));
        // Why the job runs, in its header.
        auto *description = detail->findChild<QLabel *>(u"jobDescription"_s);
        QVERIFY(description->isVisible());
        QCOMPARE(description->text(), u"Change on dist-sw-04"_s);

        // A loop: every pass of its tasks is told, not only the last.
        const QByteArray loopText =
            test::readFile(test::sourcePath(u"resources/demo/revert-retry-loop.json"_s));
        stack.importWorkflow(json::parse(loopText.toStdString()));
        runtime::StartJobOptions ping;
        ping.workflow = "Ping Until Reachable";
        ping.variables = {{"device", "edge-rtr-07"}, {"maxAttempts", 5}, {"labReplyOnAttempt", 3}};
        ping.principal = stack.alice;
        auto pingJob = stack.engine->startJob(ping);
        QVERIFY2(pingJob.ok(), pingJob.ok() ? "" : pingJob.error().message.c_str());
        const QString pingId = QString::fromStdString((*pingJob)["_id"].get<std::string>());
        QTRY_VERIFY_WITH_TIMEOUT(
            stack.engine->jobDocument(pingId.toStdString())->value("status", std::string()) ==
                "complete",
            10000);
        page.openJob(pingId);
        QTRY_COMPARE(detail->jobId(), pingId);
        // The event log tells each of the three passes, not only the last.
        QTRY_COMPARE(lines().count(u"Task “Send ICMP echo” finished: success"_s), 3);
        QCOMPARE(lines().count(u"Task “Echo reply received?” finished: failure"_s), 2);
        QCOMPARE(lines().count(u"Task “Wait before next ping” started"_s), 2);
        QCOMPARE(lines().count(u"Tasks reset by a revert (9 tasks)"_s), 2);
        QCOMPARE(lines().first(), u"Job completed"_s);
        detail->findChild<QTabWidget *>(u"jobTabs"_s)->setCurrentWidget(history);
        QVERIFY(test::saveScreenshots(&page, u"job-detail-history-loop"_s));
    }

    void aTestRunFromStartJobUsesTheMocksAndSaysSo()
    {
        startJobs();
        test::LocalEngine &stack = *m_stack;
        // One adapter task Flowdeck has no adapter for: without a mock the job stops in error.
        stack.importWorkflow(oneTaskWorkflow("Open Change Ticket", "bb2d",
                                             {{"name", "createChangeRequest"},
                                              {"summary", "Open a change ticket"},
                                              {"app", "ServiceNow"},
                                              {"type", "automatic"},
                                              {"variables",
                                               {{"incoming", {{"ticket", "$var.job.ticket"}}},
                                                {"outgoing", {{"result", nullptr}}}}}}));
        if (QTest::currentTestFailed())
            return;

        ui::StartJobDialog dialog(*stack.client, u"Open Change Ticket"_s);
        QSignalSpy started(&dialog, &ui::StartJobDialog::jobStarted);
        dialog.resize(620, 640);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        QTRY_VERIFY(dialog.isReady());
        QGroupBox *testRun = dialog.testRunBox();
        QVERIFY(testRun->isVisible());
        QVERIFY(!testRun->isChecked());
        QCOMPARE(dialog.mockableTasks(), QStringList{u"bb2d"_s});
        // Turn the test run on by its title's check box, as a person would.
        QStyleOptionGroupBox option;
        option.initFrom(testRun);
        option.text = testRun->title();
        option.subControls = QStyle::SC_GroupBoxCheckBox | QStyle::SC_GroupBoxLabel;
        option.features = QStyleOptionFrame::None;
        const QRect box = testRun->style()->subControlRect(QStyle::CC_GroupBox, &option,
                                                           QStyle::SC_GroupBoxCheckBox, testRun);
        QTest::mouseClick(testRun, Qt::LeftButton, {}, box.center());
        QVERIFY(testRun->isChecked());
        auto *startButton = dialog.findChild<QPushButton *>(u"startJobButton"_s);
        QCOMPARE(startButton->text(), u"Start test run"_s);
        auto *use = dialog.findChild<QCheckBox *>(u"mockUse-bb2d"_s);
        QCOMPARE(use->text(), u"Open a change ticket"_s);
        QTest::mouseClick(use, Qt::LeftButton, {}, QPoint(8, use->height() / 2));
        QVERIFY(use->isChecked());
        auto *outgoing = dialog.findChild<QLineEdit *>(u"mockOutgoing-bb2d"_s);
        QVERIFY(outgoing->isEnabled());
        // Values that are not a JSON object: said, and nothing starts.
        QTest::keyClicks(outgoing, u"{\"result\": "_s);
        QTest::mouseClick(startButton, Qt::LeftButton);
        QVERIFY2(dialog.statusText().contains(u"“Open a change ticket” must be a JSON object"_s),
                 qPrintable(dialog.statusText()));
        QCOMPARE(started.count(), 0);
        QTest::keyClicks(outgoing, u"{\"number\": \"CHG0042\"}}"_s);
        QVERIFY(dialog.statusText().isEmpty()); // corrected: the problem is gone
        QVERIFY(test::saveScreenshots(&dialog, u"start-job-test-run"_s));
        QTest::mouseClick(startButton, Qt::LeftButton);
        QTRY_COMPARE(started.count(), 1);
        const QString jobId = started[0][0].toString();

        // The job completes on the mock, and its document says it was a test run.
        QTRY_COMPARE(stack.engine->jobDocument(jobId.toStdString())->value("status", std::string()),
                     std::string("complete"));
        const json doc = *stack.engine->jobDocument(jobId.toStdString());
        QCOMPARE(doc.value("testRun", false), true);
        QCOMPARE(doc["tasks"]["bb2d"].value("finish_state", std::string()), std::string("success"));

        // The table marks it, and its detail says so beside the status.
        ui::JobsPage page(*stack.client);
        page.resize(1280, 800);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        ui::JobsModel *model = page.model();
        QTRY_VERIFY(model->rowOf(jobId) >= 0);
        const QModelIndex name = model->index(model->rowOf(jobId), ui::JobsModel::NameColumn);
        QTRY_VERIFY(name.data(ui::JobsModel::LoadedRole).toBool());
        QCOMPARE(name.data().toString(), u"Open Change Ticket · test run"_s);
        QVERIFY(name.data(ui::JobsModel::TestRunRole).toBool());
        const QString other = m_healthJob;
        QCOMPARE(model->index(model->rowOf(other), ui::JobsModel::NameColumn).data().toString(),
                 u"Device Health Check"_s);
        page.openJob(jobId);
        QTRY_COMPARE(page.detail()->jobId(), jobId);
        QTRY_VERIFY(page.detail()->findChild<QLabel *>(u"jobTestRun"_s)->isVisible());
        page.openJob(m_healthJob);
        QTRY_COMPARE(page.detail()->jobId(), m_healthJob);
        QTRY_VERIFY(!page.detail()->document().is_null());
        QVERIFY(!page.detail()->findChild<QLabel *>(u"jobTestRun"_s)->isVisible());
    }

    void anActionTheEngineRefusesIsReportedInThePanel()
    {
        startJobs();
        startStuckJob();
        ui::JobsPage page(*m_stack->client);
        page.resize(1280, 800);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        clickTask(page, m_stuckJob, u"c841"_s);
        ui::TaskPanel *panel = page.detail()->taskPanel();
        QVERIFY(panel->retryAction()->isEnabled());
        // Someone else cancels the job meanwhile: the panel's retry meets a finished job.
        QVERIFY(m_stack->engine->cancelJob(m_stuckJob.toStdString(), std::string("bob")).ok());
        panel->retryAction()->trigger();
        QTRY_VERIFY(panel->noticeText().startsWith(u"Could not retry"_s));
        QTRY_VERIFY(!panel->retryAction()->isEnabled());
    }
};

QTEST_MAIN(TestJobsEndToEnd)
#include "TestJobsEndToEnd.moc"
