// SPDX-License-Identifier: GPL-3.0-or-later
// The Jobs page and the window's rail, driven as an operator would (keys, clicks, actions by
// object name) against a fake client holding a million virtual jobs; saves screenshots of
// the jobs table and a job's detail, light and dark.
#include "ui/jobs/EventsPage.h"
#include "ui/jobs/JobDetail.h"
#include "ui/jobs/JobsModel.h"
#include "ui/jobs/JobsPage.h"
#include "ui/jobs/JsonTreeModel.h"
#include "ui/main/MainWindow.h"
#include "ui/main/NavigationRail.h"
#include "ui/tasks/InboxPage.h"

#include "tests/ui/FakeJobsClient.h"
#include "tests/ui/FakePrompter.h"

#include "ui/canvas/WorkflowCanvas.h"

#include <QAbstractButton>
#include <QAbstractItemModelTester>
#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTableView>
#include <QTest>
#include <QToolBar>
#include <QTreeView>
#include <QTreeWidget>

using namespace flowdeck;
using namespace Qt::StringLiterals;
using nlohmann::json;

namespace {

constexpr qint64 kMillion = 1000000;
const std::string kJobs = "/operations-manager/jobs";

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

QString screenshotDir()
{
    const QString dir = QStringLiteral(FLOWDECK_SCREENSHOT_DIR);
    QDir().mkpath(dir);
    return dir;
}

} // namespace

class TestJobsPage : public QObject
{
    Q_OBJECT
private:
    std::unique_ptr<test::FakeJobsClient> m_client;
    std::unique_ptr<ui::JobsPage> m_page;
    test::FakePrompter m_prompter;

    ui::JobsPage *openPage(qint64 total = kMillion)
    {
        m_page.reset();
        m_client = std::make_unique<test::FakeJobsClient>(total);
        m_page = std::make_unique<ui::JobsPage>(*m_client);
        m_prompter = {};
        m_prompter.confirmAnswer = true;
        m_page->setPrompter(&m_prompter);
        m_page->setPollInterval(0); // these tests count requests; one test polls on purpose
        m_page->resize(1200, 700);
        m_page->show();
        if (!QTest::qWaitForWindowExposed(m_page.get()))
            return nullptr;
        return m_page.get();
    }

    QAction *action(QWidget *in, const QString &name)
    {
        auto *a = in->findChild<QAction *>(name);
        if (!a)
            qWarning("no action %s", qPrintable(name));
        return a;
    }

    void clickRow(QTableView *view, int row, Qt::KeyboardModifiers modifiers = {})
    {
        QTest::mouseClick(view->viewport(), Qt::LeftButton, modifiers,
                          view->visualRect(view->model()->index(row, 0)).center());
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(u"flowdeck-tests"_s);
        QCoreApplication::setApplicationName(u"TestJobsPage"_s);
        QSettings().clear();
    }

    void cleanup()
    {
        m_page.reset();
        m_client.reset();
    }

    void showsTheTotalAndTheFirstRows()
    {
        ui::JobsPage *page = openPage();
        QVERIFY(page);
        QAbstractItemModelTester tester(page->model(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        auto *count = page->findChild<QLabel *>(u"jobsCount"_s);
        QTRY_COMPARE(count->text(), u"%1 jobs"_s.arg(QLocale().toString(int(kMillion))));
        QTableView *view = page->view();
        QVERIFY(view->isVisible());
        QTRY_VERIFY(view->model()->index(0, 0).data(ui::JobsModel::LoadedRole).toBool());
        // Only the rows on screen were asked for: the first page (and the workflow names).
        QCOMPARE(m_client->requestsTo(kJobs).size(), 1);
        // Scrolling to the end loads the last page and nothing between.
        view->scrollToBottom();
        const QModelIndex last = view->model()->index(int(kMillion) - 1, 0);
        QTRY_VERIFY(last.data(ui::JobsModel::LoadedRole).toBool());
        QCOMPARE(m_client->requestsTo(kJobs).size(), 2);
        QCOMPARE(test::FakeJobsClient::query(m_client->requestsTo(kJobs).last(), "skip"),
                 std::string("999900"));
    }

    void filtersAreDebouncedAndSentAsTheQuerySyntax()
    {
        ui::JobsPage *page = openPage();
        QVERIFY(page);
        QTRY_VERIFY(!page->model()->isLoading());
        auto *workflow = page->findChild<QComboBox *>(u"workflowFilter"_s);
        QTRY_COMPARE(workflow->count(), 4); // "All workflows" and the fake's three

        // Ctrl+F puts the focus in the filter; typing sends one request after a pause.
        QAction *find = action(page, u"actionFindJobs"_s);
        QVERIFY(find);
        QCOMPARE(find->shortcut(), QKeySequence(QKeySequence::Find));
        page->view()->setFocus();
        QTest::keySequence(page->view(), QKeySequence::Find);
        auto *search = page->findChild<QLineEdit *>(u"jobSearch"_s);
        QTRY_VERIFY(search->hasFocus());
        const int before = int(m_client->requestsTo(kJobs).size());
        QTest::keyClicks(search, u"router-7"_s);
        QCOMPARE(int(m_client->requestsTo(kJobs).size()), before);
        QTRY_COMPARE(int(m_client->requestsTo(kJobs).size()), before + 1);
        QTest::qWait(ui::JobsPage::kFilterDelayMs + 50);
        QCOMPARE(int(m_client->requestsTo(kJobs).size()), before + 1);
        api::ApiRequest last = m_client->requestsTo(kJobs).last();
        QVERIFY(test::FakeJobsClient::query(last, "q").find("router-7") != std::string::npos);

        auto *status = page->findChild<QComboBox *>(u"statusFilter"_s);
        status->setCurrentIndex(status->findData(u"error"_s));
        QTRY_VERIFY(!page->model()->isLoading());
        last = m_client->requestsTo(kJobs).last();
        QCOMPARE(test::FakeJobsClient::query(last, "equals[status]"), std::string("error"));
        // Jobs 2, 8, 14, … are in error: 166,667 of the million.
        QCOMPARE(page->model()->rowCount(), 166667);

        workflow->setCurrentIndex(workflow->findData(u"Config Compliance"_s));
        QTRY_VERIFY(!page->model()->isLoading());
        last = m_client->requestsTo(kJobs).last();
        QCOMPARE(test::FakeJobsClient::query(last, "equals[name]"),
                 std::string("Config Compliance"));
        QCOMPARE(test::FakeJobsClient::query(last, "equals[status]"), std::string("error"));
    }

    void anEmptyResultSaysSo()
    {
        ui::JobsPage *page = openPage(0);
        QVERIFY(page);
        auto *message = page->findChild<QLabel *>(u"jobsMessage"_s);
        QTRY_VERIFY(message->isVisible());
        QVERIFY(message->text().contains(u"No jobs yet"_s));
    }

    void jobsFromOtherProcessesAppearWithoutRefresh()
    {
        // Another process adds jobs and sends this one no event: the page's poll finds them.
        ui::JobsPage *page = openPage(2);
        QVERIFY(page);
        auto *count = page->findChild<QLabel *>(u"jobsCount"_s);
        QTRY_COMPARE(count->text(), u"2 jobs"_s);
        m_client->setTotal(5);
        page->setPollInterval(50);
        QTRY_COMPARE(count->text(), u"5 jobs"_s);
    }

    void theEmptyStateFollowsLiveJobs()
    {
        ui::JobsPage *page = openPage(0);
        QVERIFY(page);
        auto *message = page->findChild<QLabel *>(u"jobsMessage"_s);
        auto *count = page->findChild<QLabel *>(u"jobsCount"_s);
        QTRY_VERIFY(message->isVisible());
        // Jobs started elsewhere arrive: the table replaces the message, with the count.
        m_client->setTotal(3);
        Q_EMIT m_client->jobChanged(test::FakeJobsClient::idOf(0), u"running"_s);
        QTRY_COMPARE(count->text(), u"3 jobs"_s);
        QTRY_VERIFY(page->view()->isVisible());
        QVERIFY(!message->isVisible());
        // And when they are gone, the message is back: never "3 jobs" over "No jobs yet".
        m_client->setTotal(0);
        Q_EMIT m_client->jobChanged(test::FakeJobsClient::idOf(0), u"canceled"_s);
        QTRY_VERIFY(message->isVisible());
        QCOMPARE(count->text(), u"0 jobs"_s);
    }

    void cancelAsksAndReportsExactly()
    {
        ui::JobsPage *page = openPage();
        QVERIFY(page);
        QTableView *view = page->view();
        QTRY_VERIFY(view->model()->index(5, 0).data(ui::JobsModel::LoadedRole).toBool());
        QAction *cancel = action(page, u"actionCancelJobs"_s);
        // Row 0 runs; row 1 is complete.
        clickRow(view, 0);
        clickRow(view, 1, Qt::ControlModifier);
        QVERIFY(cancel->isEnabled());
        QSignalSpy messages(page, &ui::JobsPage::statusMessage);
        // Asked first; "no" sends nothing.
        m_prompter.confirmAnswer = false;
        QTest::keySequence(view, cancel->shortcut());
        QCOMPARE(m_prompter.confirmations.size(), 1);
        QVERIFY(m_prompter.confirmations.first().title.contains(u"2 jobs"_s));
        QCOMPARE(m_client->requestsTo(kJobs + "/cancel").size(), 0);
        // "Yes": the report says what happened to each.
        m_prompter.confirmAnswer = true;
        QTest::keySequence(view, cancel->shortcut());
        QTRY_COMPARE(messages.size(), 1);
        QCOMPARE(messages.first().first().toString(), u"1 of 2 canceled; 1 was already complete"_s);
    }

    void waitingJobsHaveTheirOwnStatusAndFilter()
    {
        ui::JobsPage *page = openPage(600);
        QVERIFY(page);
        QTableView *view = page->view();
        QAbstractItemModel *model = view->model();
        // Jobs 0 and 6 both run; 0 waits at a manual task nobody has claimed.
        const int row0 = 0;
        QTRY_VERIFY(model->index(row0, 0).data(ui::JobsModel::LoadedRole).toBool());
        auto statusOf = [&](qint64 job) {
            const int row = page->model()->rowOf(test::FakeJobsClient::idOf(job));
            return row < 0 ? QString()
                           : model->index(row, ui::JobsModel::StatusColumn).data().toString();
        };
        QTRY_COMPARE(statusOf(0), u"Waiting for an operator"_s);
        QCOMPARE(statusOf(6), u"Running"_s);
        // Its actions are a running job's.
        QCOMPARE(model->index(page->model()->rowOf(test::FakeJobsClient::idOf(0)), 0)
                     .data(ui::JobsModel::StatusRole)
                     .toString(),
                 u"running"_s);

        // The filter has it as a status of its own.
        auto *status = page->findChild<QComboBox *>(u"statusFilter"_s);
        const int waiting = status->findData(u"waiting"_s);
        QVERIFY(waiting > 0);
        QCOMPARE(status->itemText(waiting), u"Waiting for an operator"_s);
        status->setCurrentIndex(waiting);
        QTRY_COMPARE(page->findChild<QLabel *>(u"jobsCount"_s)->text(), u"50 jobs"_s);
        QTRY_VERIFY(model->index(0, 0).data(ui::JobsModel::LoadedRole).toBool());
        for (int row = 0; row < 10; ++row)
            QCOMPARE(model->index(row, ui::JobsModel::StatusColumn).data().toString(),
                     u"Waiting for an operator"_s);
    }

    void theActionsActOnTheOpenJob()
    {
        ui::JobsPage *page = openPage();
        QVERIFY(page);
        QTableView *view = page->view();
        QTRY_VERIFY(view->model()->index(5, 0).data(ui::JobsModel::LoadedRole).toBool());
        clickRow(view, 3); // a paused job selected in the list…
        const QString open = test::FakeJobsClient::idOf(6);
        page->openJob(open); // …and a running one open
        QTRY_COMPARE(page->detail()->jobId(), open);
        QTRY_VERIFY(!page->detail()->document().is_null());
        QAction *pause = action(page, u"actionPauseJobs"_s);
        QTRY_VERIFY(pause->isEnabled());
        QTest::keySequence(page->detail(), pause->shortcut());
        QTRY_COMPARE(m_client->requestsTo(kJobs + "/pause").size(), 1);
        const api::ApiRequest sent = m_client->requestsTo(kJobs + "/pause").first();
        QCOMPARE(sent.body["jobIds"].dump(), json::array({open.toStdString()}).dump());
    }

    void tabLeavesTheTable()
    {
        ui::JobsPage *page = openPage();
        QVERIFY(page);
        QTableView *view = page->view();
        QTRY_VERIFY(view->model()->index(5, 0).data(ui::JobsModel::LoadedRole).toBool());
        clickRow(view, 2);
        QTRY_VERIFY(view->hasFocus());
        const QModelIndex current = view->currentIndex();
        // Tab goes to the next control, as everywhere else, not to the next cell; Shift+Tab
        // comes back. Arrow keys are how one moves inside the table.
        QTest::keyClick(view, Qt::Key_Tab);
        QTRY_VERIFY(!view->hasFocus());
        QVERIFY(QApplication::focusWidget() && page->isAncestorOf(QApplication::focusWidget()));
        QCOMPARE(view->currentIndex(), current);
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Backtab);
        QTRY_VERIFY(view->hasFocus());
        QTest::keyClick(view, Qt::Key_Down);
        QCOMPARE(view->currentIndex().row(), current.row() + 1);
    }

    void headerClicksSortOnTheServer()
    {
        ui::JobsPage *page = openPage();
        QVERIFY(page);
        QTRY_VERIFY(!page->model()->isLoading());
        QHeaderView *header = page->view()->horizontalHeader();
        const int x = header->sectionViewportPosition(ui::JobsModel::NameColumn) + 20;
        QTest::mouseClick(header->viewport(), Qt::LeftButton, {}, QPoint(x, header->height() / 2));
        QTRY_VERIFY(!page->model()->isLoading());
        const api::ApiRequest last = m_client->requestsTo(kJobs).last();
        QCOMPARE(test::FakeJobsClient::query(last, "sort"), std::string("name"));
        QCOMPARE(page->model()->sortColumn(), int(ui::JobsModel::NameColumn));

        // Duration sorts too (by metrics.run_time, which the store indexes), with no word in
        // the status bar.
        QSignalSpy messages(page, &ui::JobsPage::statusMessage);
        const int dx = header->sectionViewportPosition(ui::JobsModel::DurationColumn) + 20;
        QTest::mouseClick(header->viewport(), Qt::LeftButton, {}, QPoint(dx, header->height() / 2));
        QTRY_VERIFY(!page->model()->isLoading());
        QCOMPARE(header->sortIndicatorSection(), int(ui::JobsModel::DurationColumn));
        QCOMPARE(test::FakeJobsClient::query(m_client->requestsTo(kJobs).last(), "sort"),
                 std::string("metrics.run_time"));
        QCOMPARE(messages.size(), 0);
    }

    void bulkActionsApplyToTheSelection()
    {
        ui::JobsPage *page = openPage();
        QVERIFY(page);
        QTableView *view = page->view();
        QTRY_VERIFY(view->model()->index(5, 0).data(ui::JobsModel::LoadedRole).toBool());
        QAction *pause = action(page, u"actionPauseJobs"_s);
        QAction *resume = action(page, u"actionResumeJobs"_s);
        QAction *cancel = action(page, u"actionCancelJobs"_s);
        QVERIFY(pause && resume && cancel);
        QVERIFY(!pause->isEnabled());

        // Row 1 is complete: nothing to pause, resume or cancel.
        clickRow(view, 1);
        QVERIFY(!pause->isEnabled());
        QVERIFY(!cancel->isEnabled());
        // Rows 0 (running) and 3 (paused) with Ctrl: each action applies to what it can.
        clickRow(view, 0);
        clickRow(view, 3, Qt::ControlModifier);
        QCOMPARE(page->selectedJobIds(),
                 (QStringList{test::FakeJobsClient::idOf(0), test::FakeJobsClient::idOf(3)}));
        QVERIFY(pause->isEnabled());
        QVERIFY(resume->isEnabled());
        QVERIFY(cancel->isEnabled());
        QSignalSpy messages(page, &ui::JobsPage::statusMessage);
        QTest::keySequence(view, pause->shortcut());
        QTRY_COMPARE(messages.size(), 1);
        QCOMPARE(messages.first().first().toString(), u"Paused 2 jobs"_s);
        const api::ApiRequest sent = m_client->requestsTo(kJobs + "/pause").first();
        QCOMPARE(sent.body["jobIds"].size(), std::size_t(2));
        QCOMPARE(sent.body["jobIds"][1].get<std::string>(),
                 test::FakeJobsClient::idOf(3).toStdString());
        // The rows on screen were reloaded and show the new status.
        QTRY_COMPARE(view->model()->index(0, 0).data(ui::JobsModel::StatusRole).toString(),
                     u"paused"_s);
        QVERIFY(!pause->isEnabled());

        cancel->trigger();
        QTRY_COMPARE(messages.size(), 2);
        QCOMPARE(m_client->requestsTo(kJobs + "/cancel").size(), 1);
        QTRY_COMPARE(view->model()->index(3, 0).data(ui::JobsModel::StatusRole).toString(),
                     u"canceled"_s);
    }

    void liveChangesAreCoalesced()
    {
        ui::JobsPage *page = openPage();
        QVERIFY(page);
        QTRY_VERIFY(page->view()->model()->index(0, 0).data(ui::JobsModel::LoadedRole).toBool());
        const int before = int(m_client->requestsTo(kJobs).size());
        // A burst of changes: the status shows at once, one reload follows.
        for (int i = 0; i < 50; ++i)
            Q_EMIT m_client->jobChanged(test::FakeJobsClient::idOf(i % 6), u"canceled"_s);
        QCOMPARE(page->model()->index(0, 0).data(ui::JobsModel::StatusRole).toString(),
                 u"canceled"_s);
        QTRY_COMPARE(int(m_client->requestsTo(kJobs).size()), before + 1);
        QTest::qWait(ui::JobsPage::kLiveDelayMs + 100);
        QCOMPARE(int(m_client->requestsTo(kJobs).size()), before + 1);
    }

    void openingAJobShowsItsDetail()
    {
        ui::JobsPage *page = openPage();
        QVERIFY(page);
        QTableView *view = page->view();
        QTRY_VERIFY(view->model()->index(2, 0).data(ui::JobsModel::LoadedRole).toBool());
        clickRow(view, 2);
        QTest::keyClick(view, Qt::Key_Return);
        QTRY_VERIFY(page->isShowingDetail());
        ui::JobDetail *detail = page->detail();
        QSignalSpy loaded(detail, &ui::JobDetail::jobLoaded);
        QTRY_VERIFY(!detail->document().is_null());
        QCOMPARE(detail->jobId(), test::FakeJobsClient::idOf(2));
        QCOMPARE(detail->findChild<QLabel *>(u"jobTitle"_s)->text(), u"Change Approval"_s);
        // Its approval waits for someone to claim it: the header says so.
        QCOMPARE(detail->findChild<QLabel *>(u"jobStatus"_s)->text(), u"Waiting for an operator"_s);
        QVERIFY(detail->findChild<QLabel *>(u"jobMeta"_s)->text().contains(u"alice"_s));

        auto *tasks = detail->findChild<QTreeWidget *>(u"jobTasks"_s);
        QCOMPARE(tasks->topLevelItemCount(), 6);
        // In the order they ran; the approval waits for a person.
        QCOMPARE(tasks->topLevelItem(0)->text(0), u"Assemble change summary"_s);
        QCOMPARE(tasks->topLevelItem(2)->text(0), u"Approve change"_s);
        QCOMPARE(tasks->topLevelItem(2)->text(1), u"Waiting for an operator"_s);

        ui::JsonTreeModel *variables = detail->variablesModel();
        QCOMPARE(variables->indexOf(u"/change/ticket"_s).siblingAtColumn(1).data().toString(),
                 u"CHG-1042"_s);
        auto *problems = detail->findChild<QLabel *>(u"jobProblems"_s);
        QVERIFY(problems->isVisible());
        QVERIFY(problems->text().startsWith(u"Warning: Task 8b34 runs a stub"_s));
        auto *history = detail->findChild<QTreeWidget *>(u"jobHistory"_s);
        QVERIFY(history->topLevelItemCount() >= 4);
        QCOMPARE(history->topLevelItem(0)->text(1),
                 u"“Approve change” is waiting for an operator"_s);

        // Choosing a task in the list selects it on the canvas, and back.
        tasks->setCurrentItem(tasks->topLevelItem(2));
        QCOMPARE(detail->canvas()->selectedTask(), u"7a23"_s);
        Q_EMIT detail->canvas()->taskSelected(u"7a01"_s);
        QCOMPARE(tasks->currentItem()->text(0), u"Assemble change summary"_s);

        // Live: a change of this job fetches it again, once per burst.
        const int fetches = int(
            m_client->requestsTo(kJobs + "/" + test::FakeJobsClient::idOf(2).toStdString()).size());
        m_client->statusOverride.insert(test::FakeJobsClient::idOf(2), u"paused"_s);
        Q_EMIT m_client->jobChanged(test::FakeJobsClient::idOf(2), u"paused"_s);
        Q_EMIT m_client->jobChanged(test::FakeJobsClient::idOf(2), u"paused"_s);
        QTRY_COMPARE(detail->findChild<QLabel *>(u"jobStatus"_s)->text(), u"Paused"_s);
        QCOMPARE(int(m_client->requestsTo(kJobs + "/" + test::FakeJobsClient::idOf(2).toStdString())
                         .size()),
                 fetches + 1);
        QVERIFY(action(detail, u"actionJobResume"_s)->isEnabled());
        QVERIFY(!action(detail, u"actionJobPause"_s)->isEnabled());

        // Esc goes back to the table.
        QTest::keyClick(detail->findChild<QTreeWidget *>(u"jobTasks"_s), Qt::Key_Escape);
        QTRY_VERIFY(!page->isShowingDetail());
    }

    void aJobThatIsGoneSaysSo()
    {
        ui::JobsPage *page = openPage();
        QVERIFY(page);
        page->openJob(u"gone"_s);
        auto *message = page->detail()->findChild<QLabel *>(u"jobDetailMessage"_s);
        QTRY_COMPARE(message->text(), u"This job no longer exists."_s);
    }

    void windowHasARailWithShortcutsAndABadge()
    {
        test::FakeJobsClient client(kMillion);
        ui::MainWindow window(client, u"/srv/flowdeck/store.db"_s, u"alice"_s);
        window.setPrompter(std::make_unique<test::FakePrompter>());
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        ui::NavigationRail *rail = window.navigationRail();
        QCOMPARE(rail->count(), 6);
        const QList<std::pair<QString, QString>> pages{
            {u"actionShowJobs"_s, u"Ctrl+1"_s},      {u"actionShowTasks"_s, u"Ctrl+2"_s},
            {u"actionShowWorkflows"_s, u"Ctrl+3"_s}, {u"actionShowAutomations"_s, u"Ctrl+4"_s},
            {u"actionShowEvents"_s, u"Ctrl+5"_s},    {u"actionShowAdapters"_s, u"Ctrl+6"_s}};
        for (int i = 0; i < pages.size(); ++i) {
            auto *a = window.findChild<QAction *>(pages[i].first);
            QVERIFY2(a, qPrintable(pages[i].first));
            QCOMPARE(a->shortcut().toString(QKeySequence::PortableText), pages[i].second);
            QVERIFY(rail->button(i)->toolTip().contains(
                a->shortcut().toString(QKeySequence::NativeText)));
        }
        QCOMPARE(window.currentPage(), ui::MainWindow::Page::Jobs);
        QTest::keySequence(&window, QKeySequence(u"Ctrl+4"_s));
        QCOMPARE(window.currentPage(), ui::MainWindow::Page::Automations);
        QTest::keySequence(&window, QKeySequence(u"Ctrl+5"_s));
        QCOMPARE(window.currentPage(), ui::MainWindow::Page::Events);
        QVERIFY(window.eventsPage()->isVisible());
        // The Events page lists what happened across the jobs, newest first.
        QTRY_VERIFY(window.eventsPage()->list()->topLevelItemCount() > 0);
        QTest::mouseClick(rail->button(0), Qt::LeftButton);
        QCOMPARE(window.currentPage(), ui::MainWindow::Page::Jobs);
        QVERIFY(window.findChild<QToolBar *>(u"jobsToolBar"_s)->isVisible());
        QVERIFY(!window.findChild<QToolBar *>(u"mainToolBar"_s)->isVisible());

        Q_EMIT window.inboxPage()->countChanged(3);
        QCOMPARE(rail->badge(1), 3);

        auto *api = window.statusBar()->findChild<QLabel *>(u"apiLabel"_s);
        QVERIFY(api && !api->isVisible());
        window.setApiAddress(u"http://127.0.0.1:8080"_s);
        QVERIFY(api->isVisible());
        QVERIFY(api->text().contains(u"http://127.0.0.1:8080"_s));
    }

    void screenshots()
    {
        QSettings().clear();
        test::FakeJobsClient client(kMillion);
        ui::MainWindow window(client, u"/home/alice/.local/share/flowdeck/flowdeck.db"_s,
                              u"alice"_s);
        window.setPrompter(std::make_unique<test::FakePrompter>());
        window.resize(1280, 800);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.setApiAddress(u"http://127.0.0.1:8080"_s);
        Q_EMIT window.inboxPage()->countChanged(2);
        ui::JobsPage *page = window.jobsPage();
        QTableView *view = page->view();
        QTRY_VERIFY(view->model()->index(20, 0).data(ui::JobsModel::LoadedRole).toBool());
        clickRow(view, 0);
        clickRow(view, 3, Qt::ControlModifier);
        QTest::qWait(50);
        const QString dir = screenshotDir();
        const QPalette light = QApplication::palette();
        QVERIFY(window.grab().save(dir + u"/jobs.png"_s));
        QApplication::setPalette(darkPalette());
        QTest::qWait(30);
        QVERIFY(window.grab().save(dir + u"/jobs-dark.png"_s));
        QApplication::setPalette(light);

        page->openJob(test::FakeJobsClient::idOf(2));
        QTRY_VERIFY(!page->detail()->document().is_null());
        QTest::qWait(100);
        QVERIFY(window.grab().save(dir + u"/job-detail.png"_s));
        QApplication::setPalette(darkPalette());
        QTest::qWait(50);
        QVERIFY(window.grab().save(dir + u"/job-detail-dark.png"_s));
        QApplication::setPalette(light);

        window.showPage(ui::MainWindow::Page::Events);
        QTRY_VERIFY(window.eventsPage()->list()->topLevelItemCount() > 0);
        QTest::qWait(50);
        // The window around the Events page; the page itself is events.png (TestEventsPage).
        QVERIFY(window.grab().save(dir + u"/events-window.png"_s));
    }
};

QTEST_MAIN(TestJobsPage)
#include "TestJobsPage.moc"
