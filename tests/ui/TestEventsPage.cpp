// SPDX-License-Identifier: GPL-3.0-or-later
// The Events page: every kind of event in plain words, and end to end over a real engine
// (":memory:" store) behind a LocalClient: a job runs and its events appear newest first in
// words, live changes arrive on top, the filter narrows, older pages load when asked, and
// opening an event opens its job. Saves events.png (and the dark variant).
#include "engine/access/AccountService.h"
#include "engine/api/EngineApi.h"
#include "engine/api/WorkflowCatalog.h"
#include "engine/runtime/Engine.h"
#include "engine/store/SqliteStore.h"
#include "tests/support/TestPaths.h"
#include "tests/ui/FakeConsoleClient.h"
#include "tests/ui/LocalEngine.h"
#include "tests/ui/Screenshots.h"
#include "ui/client/LocalClient.h"
#include "ui/jobs/EventsPage.h"
#include "ui/jobs/JobStatus.h"

#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>
#include <QThread>
#include <QTreeWidget>

#include <memory>

using namespace flowdeck;
using namespace Qt::StringLiterals;
using nlohmann::json;

namespace {

QString whatColumn(const QTreeWidget *list, int row)
{
    return list->topLevelItem(row)->text(ui::EventsPage::WhatColumn);
}

QStringList whatColumn(const QTreeWidget *list)
{
    QStringList out;
    for (int i = 0; i < list->topLevelItemCount(); ++i)
        out << whatColumn(list, i);
    return out;
}

int visibleRows(const QTreeWidget *list)
{
    int n = 0;
    for (int i = 0; i < list->topLevelItemCount(); ++i)
        n += list->topLevelItem(i)->isHidden() ? 0 : 1;
    return n;
}

json logEvent(const char *kind, json data, json actor = nullptr, json taskName = nullptr)
{
    json e = {{"seq", 7},
              {"jobId", "65f1c0ffee0000000000aa01"},
              {"jobName", "Change Approval"},
              {"at", 1795000000000},
              {"actor", std::move(actor)},
              {"kind", kind},
              {"data", std::move(data)}};
    if (!taskName.is_null())
        e["taskName"] = std::move(taskName);
    return e;
}

} // namespace

class TestEventsPage : public QObject
{
    Q_OBJECT
private:
    std::unique_ptr<test::LocalEngine> m_stack;

    void makeStack()
    {
        m_stack = std::make_unique<test::LocalEngine>();
        m_stack->open({u"manual-change-approval.json"_s});
    }

    /// Starts a Change Approval job and waits until its approval task waits for someone.
    QString startApproval(const std::string &device)
    {
        runtime::StartJobOptions start;
        start.workflow = "Change Approval";
        start.description = "Change on " + device;
        start.variables = {{"device", device},
                           {"changeTicket", "CHG0031877"},
                           {"proposedConfig", "interface Gi1/0/12"}};
        start.principal = m_stack->alice;
        start.actor = m_stack->alice.username; // as POST /operations-manager/jobs/start does
        auto job = m_stack->engine->startJob(start);
        if (!job)
            return {};
        const std::string id = (*job)["_id"].get<std::string>();
        if (!QTest::qWaitFor([&] { return !approvalIteration(id).empty(); }, 5000))
            return {};
        return QString::fromStdString(id);
    }

    /// The waiting approval's iteration id, or "" while it is not waiting yet.
    std::string approvalIteration(const std::string &jobId)
    {
        auto doc = m_stack->engine->jobDocument(jobId);
        if (!doc)
            return {};
        const json task = (*doc)["tasks"]["7a23"];
        if (task.value("status", std::string()) != "running" || task["iterations"].empty())
            return {};
        return task["iterations"].back().get<std::string>();
    }

private Q_SLOTS:
    void cleanup() { m_stack.reset(); }

    void everyKindReadsAsWords()
    {
        using Page = ui::EventsPage;
        const json task = "Approve change";
        QCOMPARE(Page::describe(logEvent("jobCreated", {{"job", json::object()}}, "ada")).text,
                 u"Job started by ada"_s);
        const auto paused = Page::describe(logEvent("jobStatus", {{"status", "paused"}}, "ada"));
        QCOMPARE(paused.text, u"Job paused by ada"_s);
        QCOMPARE(paused.status, u"paused"_s);
        QCOMPARE(paused.who, u"ada"_s);
        QCOMPARE(Page::describe(logEvent("jobStatus", {{"status", "complete"}})).text,
                 u"Job completed"_s);
        const auto failed = Page::describe(
            logEvent("jobStatus", {{"status", "error"}, {"message", "Job has no transitions."}}));
        QCOMPARE(failed.text, u"Job stopped with an error: Job has no transitions."_s);
        QCOMPARE(failed.status, u"error"_s);
        const auto finished = Page::describe(logEvent(
            "taskFinished", {{"task", "7a23"}, {"finishState", "success"}, {"user", "ada"}},
            nullptr, task));
        QCOMPARE(finished.text, u"Task “Approve change” finished: success by ada"_s);
        QCOMPARE(finished.who, u"ada"_s);
        QCOMPARE(finished.status, u"complete"_s);
        const auto errored = Page::describe(logEvent(
            "taskRan",
            {{"task", "8b34"}, {"finishState", "error"}, {"error", "timeout"}, {"retrying", true}},
            nullptr, "Push configuration"));
        QCOMPARE(errored.text,
                 u"Task “Push configuration” finished: error — timeout (it will be retried)"_s);
        QCOMPARE(errored.status, u"error"_s);
        QCOMPARE(Page::describe(logEvent("taskStarted", {{"task", "7a23"}}, nullptr, task)).text,
                 u"Task “Approve change” started"_s);
        QCOMPARE(Page::describe(logEvent("tasksReset",
                                         {{"tasks", {"7a23", "8b34"}}, {"reason", "retry"}}, "ada"))
                     .text,
                 u"Tasks reset for a retry (2 tasks) by ada"_s);
        QCOMPARE(Page::describe(logEvent("taskOwner",
                                         {{"task", "7a23"}, {"owner", "ada"}, {"by", "claim"}},
                                         "ada", task))
                     .text,
                 u"Task “Approve change” claimed by ada"_s);
        QCOMPARE(Page::describe(logEvent("taskOwner",
                                         {{"task", "7a23"}, {"owner", "bob"}, {"by", "assign"}},
                                         "ada", task))
                     .text,
                 u"Task “Approve change” assigned to bob by ada"_s);
        QCOMPARE(Page::describe(logEvent("taskOwner",
                                         {{"task", "7a23"}, {"owner", nullptr}, {"by", "release"}},
                                         "ada", task))
                     .text,
                 u"Task “Approve change” released by ada"_s);
        QCOMPARE(Page::describe(logEvent("taskStatus", {{"task", "8b34"}, {"status", "canceled"}},
                                         "ada", "Push configuration"))
                     .text,
                 u"Task “Push configuration” canceled by ada"_s);
        QCOMPARE(Page::describe(logEvent("childFinished", {{"task", "c1"}, {"status", "complete"}},
                                         nullptr, "Run checks"))
                     .text,
                 u"A child job of task “Run checks” ended: complete"_s);
        QCOMPARE(
            Page::describe(logEvent("watchersSet", {{"watchers", {"ada", "bob"}}}, "ada")).text,
            u"Watchers set to ada, bob by ada"_s);
        QCOMPARE(Page::describe(logEvent("groupsSet", {{"groups", json::array()}}, "ada")).text,
                 u"Job opened to every group by ada"_s);
        // A kind this page has never heard of still reads as words.
        QCOMPARE(
            Page::describe(logEvent("somethingNewHappened", {{"task", "7a23"}}, "ada", task)).text,
            u"Something new happened (task “Approve change”) by ada"_s);
        QCOMPARE(Page::describe(json::object()).text, u"Something happened"_s);
        // Bookkeeping another line already tells is not shown.
        QVERIFY(!Page::describe(logEvent("taskRan", {{"task", "workflow_start"}})).shown);
        QVERIFY(!Page::describe(
                     logEvent("taskOwner", {{"task", "7a23"}, {"owner", "ada"}, {"by", "finish"}}))
                     .shown);
        QVERIFY(Page::describe(logEvent("taskStarted", {{"task", "7a23"}})).shown);
    }

    void aJobsEventsAppearInWordsAndLiveChangesOnTop()
    {
        makeStack();
        if (QTest::currentTestFailed())
            return;
        const QString first = startApproval("dist-sw-04");
        QVERIFY(!first.isEmpty());

        ui::EventsPage page(*m_stack->client);
        page.resize(1100, 560);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        QTreeWidget *list = page.list();
        QTRY_VERIFY(list->topLevelItemCount() >= 4);
        QTRY_VERIFY(!page.isLoading());
        // Newest first: the approval waiting on top, the job's start at the bottom.
        QCOMPARE(whatColumn(list, 0), u"Task “Approve change” started"_s);
        QCOMPARE(whatColumn(list, list->topLevelItemCount() - 1), u"Job started by alice"_s);
        QVERIFY(whatColumn(list).contains(u"Task “Assemble change summary” finished: success"_s));
        QVERIFY(!whatColumn(list).join(u'\n').contains(u"workflow_start"_s));
        QCOMPARE(list->topLevelItem(0)->text(ui::EventsPage::JobColumn), u"Change Approval"_s);
        QCOMPARE(list->topLevelItem(list->topLevelItemCount() - 1)->text(ui::EventsPage::WhoColumn),
                 u"alice"_s);
        QVERIFY(!page.hasOlder());

        // Live: the operator claims and approves; the page catches up by itself.
        const std::string jobId = first.toStdString();
        QVERIFY(m_stack->engine->claimTask(approvalIteration(jobId), m_stack->alice).ok());
        QTRY_COMPARE(whatColumn(list, 0), u"Task “Approve change” claimed by alice"_s);
        QVERIFY(m_stack->engine
                    ->finishManualTask(jobId, "7a23", "success", json::object(), m_stack->alice)
                    .ok());
        QTRY_COMPARE(whatColumn(list, 0), u"Job completed"_s);
        QVERIFY(whatColumn(list).contains(u"Task “Approve change” finished: success by alice"_s));
        QCOMPARE(list->topLevelItem(0)->icon(ui::EventsPage::WhatColumn).cacheKey(),
                 ui::jobstatus::icon(u"complete"_s).cacheKey());

        // A second job, paused by someone: newest on top again.
        const QString second = startApproval("core-rtr-01");
        QVERIFY(m_stack->engine->pauseJob(second.toStdString(), std::string("ada")).ok());
        QTRY_COMPARE(whatColumn(list, 0), u"Job paused by ada"_s);
        QCOMPARE(list->topLevelItem(0)->text(ui::EventsPage::WhoColumn), u"ada"_s);
        const int rows = list->topLevelItemCount();
        // Every event appears once, however the fetches fell.
        QStringList seqs;
        for (int i = 0; i < rows; ++i)
            seqs << list->topLevelItem(i)->data(0, ui::EventsPage::SeqRole).toString();
        QCOMPARE(QSet<QString>(seqs.begin(), seqs.end()).size(), rows);

        // The filter narrows what is loaded, after a pause in typing.
        QTest::keyClicks(page.filterField(), u"claimed"_s);
        QTRY_COMPARE(visibleRows(list), 1);
        page.filterField()->clear();
        QTRY_COMPARE(visibleRows(list), rows);

        // Opening an event (Enter, or a double click) opens its job.
        QSignalSpy opened(&page, &ui::EventsPage::jobActivated);
        list->setFocus();
        list->setCurrentItem(list->topLevelItem(0));
        QTest::keyClick(list, Qt::Key_Return);
        QCOMPARE(opened.count(), 1);
        QCOMPARE(opened.last()[0].toString(), second);
        QTreeWidgetItem *bottom = list->topLevelItem(rows - 1);
        list->scrollToItem(bottom);
        const QPoint at = list->visualItemRect(bottom).center();
        // The view only takes a double click on the row it saw pressed.
        QTest::mouseClick(list->viewport(), Qt::LeftButton, {}, at);
        QTest::mouseDClick(list->viewport(), Qt::LeftButton, {}, at);
        QTRY_COMPARE(opened.count(), 2);
        QCOMPARE(opened.last()[0].toString(), first);

        list->scrollToTop();
        list->setCurrentItem(nullptr);
        list->clearSelection();
        QVERIFY(test::saveScreenshots(&page, u"events"_s));
    }

    void olderPagesLoadOnRequest()
    {
        makeStack();
        if (QTest::currentTestFailed())
            return;
        // Enough jobs for more than one page of events.
        for (int i = 0; i < 30; ++i)
            QVERIFY(!startApproval("edge-" + std::to_string(i)).isEmpty());
        ui::EventsPage page(*m_stack->client);
        page.resize(900, 500);
        page.show();
        QTreeWidget *list = page.list();
        QTRY_VERIFY(list->topLevelItemCount() > 0);
        QTRY_VERIFY(!page.isLoading());
        QVERIFY(page.hasOlder());
        QVERIFY(page.loadOlderButton()->isVisible());
        const int firstPage = list->topLevelItemCount();
        QVERIFY(firstPage <= ui::EventsPage::kPageSize);
        QTest::mouseClick(page.loadOlderButton(), Qt::LeftButton);
        QTRY_VERIFY(list->topLevelItemCount() > firstPage);
        // Until the start of the log, which is the first job's start.
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                if (page.hasOlder() && !page.isLoading())
                    page.loadOlder();
                return !page.hasOlder() && !page.isLoading();
            }(),
            10000);
        QVERIFY(!page.loadOlderButton()->isVisible());
        QCOMPARE(whatColumn(list, list->topLevelItemCount() - 1), u"Job started by alice"_s);
        qint64 previous = std::numeric_limits<qint64>::max();
        for (int i = 0; i < list->topLevelItemCount(); ++i) {
            const qint64 seq = list->topLevelItem(i)->data(0, ui::EventsPage::SeqRole).toLongLong();
            QVERIFY2(seq < previous, qPrintable(QString::number(i)));
            previous = seq;
        }
    }

    void anEmptyLogAndAFailureAreSaidPlainly()
    {
        makeStack();
        if (QTest::currentTestFailed())
            return;
        ui::EventsPage empty(*m_stack->client);
        empty.show();
        auto *message = empty.findChild<QLabel *>(u"eventsMessage"_s);
        QTRY_VERIFY(message->isVisible() && message->text().contains(u"Nothing has happened"_s));
        // The first job makes the list appear, live.
        QVERIFY(!startApproval("dist-sw-04").isEmpty());
        QTRY_VERIFY(empty.list()->isVisible());
        QTRY_VERIFY(empty.list()->topLevelItemCount() > 0);

        test::FakeConsoleClient broken; // 404 to everything
        ui::EventsPage failing(broken);
        failing.show();
        auto *failure = failing.findChild<QLabel *>(u"eventsMessage"_s);
        QTRY_VERIFY(failure->text().contains(u"could not be loaded"_s));
        QVERIFY(failure->text().contains(u"no route /events"_s));
        QCOMPARE(broken.last("/events").queryValue("newest").value_or(""), std::string("true"));
    }
};

QTEST_MAIN(TestEventsPage)
#include "TestEventsPage.moc"
