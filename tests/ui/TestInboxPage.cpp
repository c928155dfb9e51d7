// SPDX-License-Identifier: GPL-3.0-or-later
// The inbox against a scripted client (lists, claim/release/assign, a task taken meanwhile,
// coalesced refreshes), and end to end: a real engine behind a LocalClient, a manual task
// claimed and finished through the form, and the job completes.
#include "ui/tasks/InboxPage.h"

#include "engine/access/AccountService.h"
#include "engine/api/EngineApi.h"
#include "engine/api/WorkflowCatalog.h"
#include "engine/runtime/Engine.h"
#include "engine/store/SqliteStore.h"
#include "tests/support/JsonAsserts.h"
#include "tests/support/TestPaths.h"
#include "tests/ui/FakeConsoleClient.h"
#include "tests/ui/LocalEngine.h"
#include "tests/ui/Screenshots.h"
#include "ui/client/LocalClient.h"
#include "ui/forms/JsonListModel.h"
#include "ui/tasks/TaskForm.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QComboBox>
#include <QCompleter>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>

#include <memory>

using namespace flowdeck;
using namespace Qt::StringLiterals;
using nlohmann::json;

namespace {

const std::string kTasks = "/operations-manager/tasks";
const std::string kMine = "11111111-1111-4111-8111-111111111111";
const std::string kOpen = "22222222-2222-4222-8222-222222222222";
const std::string kBobs = "33333333-3333-4333-8333-333333333333";
const std::string kAccounts = "/authorization/accounts";

json account(const std::string &id, const std::string &username, const std::string &name,
             json roles, json groups, bool disabled = false)
{
    json memberOf = json::array();
    for (const auto &g : groups)
        memberOf.push_back({{"_id", g}, {"name", g}});
    return {{"_id", id},          {"username", username},      {"displayName", name},
            {"groups", memberOf}, {"roles", std::move(roles)}, {"disabled", disabled}};
}

json iteration(const std::string &id, const std::string &jobName, const std::string &summary,
               const json &owner, qint64 startedMsAgo)
{
    json doc = {{"_id", id},
                {"job",
                 {{"_id", "65f1c0ffee0000000000aa0" + id.substr(0, 1)},
                  {"task", "7a23"},
                  {"name", jobName}}},
                {"name", "ViewData"},
                {"type", "manual"},
                {"status", "running"},
                {"summary", summary},
                {"metrics", {{"start_time", QDateTime::currentMSecsSinceEpoch() - startedMsAgo}}}};
    if (owner.is_string()) {
        doc["owner"] = owner;
        doc["metrics"]["owner"] = owner;
    }
    return doc;
}

} // namespace

class TestInboxPage : public QObject
{
    Q_OBJECT
private:
    /// A scripted engine: three waiting tasks (mine, open, bob's); claim of the open one makes
    /// it mine unless `claimConflict`.
    struct Script
    {
        json open = iteration(kOpen, "Change Approval", "Approve change", nullptr, 5 * 60 * 1000);
        json mine =
            iteration(kMine, "Firewall Rule Review", "Review rule", "alice", 3 * 3600 * 1000);
        json bobs = iteration(kBobs, "Device Health Check", "Confirm reboot", "bob", 60 * 1000);
        bool claimConflict = false;
    };

    static void install(test::FakeConsoleClient &client, Script &s)
    {
        client.script = [&s](const api::ApiRequest &request) {
            if (request.path == kTasks)
                return test::envelope(json::array({s.open, s.mine, s.bobs}), {{"total", 3}});
            if (request.path == "/operations-manager/tasks/" + kOpen + "/claim") {
                if (s.claimConflict) {
                    s.open["owner"] = "bob";
                    return test::answer(409, {{"message", "task \"Approve change\" is "
                                                          "already claimed by bob"},
                                              {"error", "conflict"}});
                }
                s.open["owner"] = "alice";
                return test::envelope(s.open);
            }
            if (request.path == "/operations-manager/tasks/" + kMine + "/release") {
                s.mine.erase("owner");
                s.mine["metrics"].erase("owner");
                return test::envelope(s.mine);
            }
            if (request.path.find("/assign") != std::string::npos)
                return test::answer(400,
                                    {{"message", "no user with id nobody"}, {"error", "invalid"}});
            if (request.path.find("/manual-controller") != std::string::npos)
                return test::envelope(
                    {{"job", {{"_id", "j"}, {"name", "Change Approval"}, {"status", "running"}}},
                     {"status", "running"},
                     {"owner", nullptr},
                     {"header", "Approve change"},
                     {"fields", json::array()},
                     {"buttons", {{"success", "Approve"}, {"failure", nullptr}}}});
            return test::answer(404, {{"message", "no route"}});
        };
    }

    static QStringList column(const ui::JsonListModel *model, int c)
    {
        QStringList out;
        for (int r = 0; r < model->rowCount(); ++r)
            out << model->index(r, c).data().toString();
        return out;
    }

    static void trigger(QWidget *page, const QString &name)
    {
        auto *action = page->findChild<QAction *>(name);
        QVERIFY2(action, qPrintable(name));
        QVERIFY2(action->isEnabled(), qPrintable(name));
        action->trigger();
    }

private Q_SLOTS:
    void listsSplitMineFromAvailable()
    {
        test::FakeConsoleClient client;
        Script s;
        install(client, s);
        ui::InboxPage page(client);
        QAbstractItemModelTester assignedTester(page.assignedModel());
        QAbstractItemModelTester availableTester(page.availableModel());
        QSignalSpy counted(&page, &ui::InboxPage::countChanged);
        page.setCurrentUser(u"alice"_s);
        page.resize(1280, 760);
        page.show();
        QTRY_COMPARE(page.availableModel()->rowCount(), 1);
        QTRY_VERIFY(!page.isRefreshing());
        QCOMPARE(column(page.assignedModel(), 0), QStringList{u"Review rule"_s});
        QCOMPARE(column(page.assignedModel(), 1), QStringList{u"Firewall Rule Review"_s});
        QCOMPARE(column(page.assignedModel(), 2), QStringList{u"3 h"_s});
        QCOMPARE(column(page.availableModel(), 0), QStringList{u"Approve change"_s});
        QCOMPARE(column(page.availableModel(), 2), QStringList{u"5 min"_s});
        QVERIFY(!counted.isEmpty());
        QCOMPARE(counted.last()[0].toInt(), 2); // bob's task is his, not in my count
        QCOMPARE(page.count(), 2);
        const auto sent = client.last(kTasks);
        QCOMPARE(sent.queryValue("equals[type]").value_or(""), std::string("manual"));
        QCOMPARE(sent.queryValue("equals[status]").value_or(""), std::string("running"));

        // Nothing selected: nothing to act on.
        QVERIFY(!page.findChild<QAction *>(u"claimTask"_s)->isEnabled());
        QVERIFY(!page.findChild<QAction *>(u"releaseTask"_s)->isEnabled());
        QVERIFY(page.selectIteration(QString::fromStdString(kOpen)));
        QTRY_VERIFY(!page.taskForm()->controller().is_null());
        QVERIFY(test::saveScreenshots(&page, u"inbox"_s));
    }

    void openIterationSelectsOnceTheListArrives()
    {
        test::FakeConsoleClient client;
        Script s;
        install(client, s);
        ui::InboxPage page(client);
        page.setCurrentUser(u"alice"_s);
        // Opened from a job's task panel before the lists are in: selected when they arrive.
        page.openIteration(QString::fromStdString(kOpen));
        QCOMPARE(page.selectedIteration(), QString());
        QTRY_COMPARE(page.selectedIteration(), QString::fromStdString(kOpen));
        QTRY_VERIFY(!page.taskForm()->controller().is_null());
        // Once listed, it is selected at once.
        QVERIFY(page.selectIteration(QString::fromStdString(kMine)));
        page.openIteration(QString::fromStdString(kOpen));
        QCOMPARE(page.selectedIteration(), QString::fromStdString(kOpen));
    }

    void claimMovesTheTaskToMine()
    {
        test::FakeConsoleClient client;
        Script s;
        install(client, s);
        ui::InboxPage page(client);
        page.setCurrentUser(u"alice"_s);
        page.show();
        QTRY_COMPARE(page.availableModel()->rowCount(), 1);
        QTRY_VERIFY(!page.isRefreshing());
        // A click on the row selects it; the claim action then applies to it.
        QTableView *available = page.availableView();
        QTest::mouseClick(available->viewport(), Qt::LeftButton, {},
                          available->visualRect(available->model()->index(0, 0)).center());
        QCOMPARE(page.selectedIteration(), QString::fromStdString(kOpen));
        QVERIFY(!page.findChild<QAction *>(u"releaseTask"_s)->isEnabled());
        trigger(&page, u"claimTask"_s);
        QTRY_COMPARE(page.assignedModel()->rowCount(), 2);
        QCOMPARE(page.availableModel()->rowCount(), 0);
        QCOMPARE(client.count(api::Method::Post, "/operations-manager/tasks/" + kOpen + "/claim"),
                 1);
        // The claimed task stays selected, now in my list, and can be released.
        QCOMPARE(page.selectedIteration(), QString::fromStdString(kOpen));
        QVERIFY(page.findChild<QAction *>(u"releaseTask"_s)->isEnabled());
        QVERIFY(page.bannerText().isEmpty());
    }

    void aTaskClaimedMeanwhileIsReportedAndTheListRefreshes()
    {
        test::FakeConsoleClient client;
        Script s;
        s.claimConflict = true;
        install(client, s);
        ui::InboxPage page(client);
        page.setCurrentUser(u"alice"_s);
        page.show();
        QTRY_COMPARE(page.availableModel()->rowCount(), 1);
        QTRY_VERIFY(!page.isRefreshing());
        const int fetches = client.count(api::Method::Get, kTasks);
        QVERIFY(page.selectIteration(QString::fromStdString(kOpen)));
        trigger(&page, u"claimTask"_s);
        QTRY_VERIFY(page.bannerText().contains(u"already claimed by bob"_s));
        QTRY_COMPARE(client.count(api::Method::Get, kTasks), fetches + 1);
        QTRY_COMPARE(page.availableModel()->rowCount(), 0); // bob has it now
        QCOMPARE(page.count(), 1);
        QVERIFY(page.selectedIteration().isEmpty());
    }

    void releaseAndAssign()
    {
        test::FakeConsoleClient client;
        Script s;
        install(client, s);
        ui::InboxPage page(client);
        page.setCurrentUser(u"alice"_s);
        page.show();
        QTRY_COMPARE(page.assignedModel()->rowCount(), 1);
        QTRY_VERIFY(!page.isRefreshing());
        QVERIFY(page.selectIteration(QString::fromStdString(kMine)));
        trigger(&page, u"releaseTask"_s);
        QTRY_COMPARE(page.availableModel()->rowCount(), 2);
        QCOMPARE(page.assignedModel()->rowCount(), 0);

        // Assign asks for a user inline; with no account list (this engine does not serve
        // one) a typed id goes as it is, and the engine's answer decides whether it exists.
        QVERIFY(page.selectIteration(QString::fromStdString(kMine)));
        trigger(&page, u"assignTask"_s);
        auto *user = page.findChild<QComboBox *>(u"assignUser"_s);
        QVERIFY(user && user->isVisible() && user->isEditable());
        QTRY_COMPARE(client.count(api::Method::Get, kAccounts), 1);
        QTest::keyClicks(user->lineEdit(), u"nobody"_s);
        QTest::keyClick(user->lineEdit(), Qt::Key_Return);
        QTRY_VERIFY(page.bannerText().contains(u"no user with id nobody"_s));
        QCOMPARE_JSON(client.last("/operations-manager/tasks/" + kMine + "/assign").body,
                      json({{"userId", "nobody"}}));
        QVERIFY(user->isVisible()); // still there to correct the id
    }

    void assignPicksFromTheAccountsWithCandidatesFirst()
    {
        test::FakeConsoleClient client;
        Script s;
        s.open["groups"] = json::array({"g-noc"});
        install(client, s);
        auto tasks = client.script;
        json assigned;
        client.script = [&, tasks](const api::ApiRequest &request) {
            if (request.path == kAccounts)
                return test::envelope(json::array({
                    account("a1", "admin", "Administrator", {"admin"}, json::array()),
                    account("a2", "alice", "Alice Liddell", {"operator"}, {"g-noc"}),
                    account("a3", "bob", "Bob Builder", {"operator"}, {"g-field"}),
                    account("a4", "carol", "", {"viewer"}, {"g-field"}),
                    account("a5", "dan", "Dan Disabled", {"operator"}, {"g-noc"}, true),
                }));
            if (request.path.find("/assign") != std::string::npos) {
                assigned = request.body;
                return test::envelope(s.open);
            }
            return tasks(request);
        };
        ui::InboxPage page(client);
        page.setCurrentUser(u"alice"_s);
        page.resize(1280, 760);
        page.show();
        QTRY_COMPARE(page.availableModel()->rowCount(), 1);
        QTRY_VERIFY(!page.isRefreshing());
        QVERIFY(page.selectIteration(QString::fromStdString(kOpen)));
        trigger(&page, u"assignTask"_s);
        QComboBox *picker = page.assigneePicker();
        QTRY_VERIFY(picker->count() > 0);
        QCOMPARE(client.last(kAccounts).queryValue("equals[disabled]").value_or(""),
                 std::string("false"));
        // Those the task's groups admit (and admins) first, then the rest; never the disabled.
        QStringList shown;
        for (int i = 0; i < picker->count(); ++i)
            shown << picker->itemText(i);
        QCOMPARE(shown, (QStringList{u"Administrator (admin)"_s, u"Alice Liddell (alice)"_s,
                                     QString(), u"Bob Builder (bob)"_s, u"carol"_s}));
        QCOMPARE(picker->itemData(1).toString(), u"a2"_s);
        QVERIFY(picker->currentText().isEmpty());
        QVERIFY(test::saveScreenshots(&page, u"inbox-assign"_s));
        // The completer matches anywhere in the label, whatever the case.
        QCOMPARE(picker->completer()->filterMode(), Qt::MatchContains);
        QCOMPARE(picker->completer()->caseSensitivity(), Qt::CaseInsensitive);
        picker->completer()->setCompletionPrefix(u"BUILD"_s);
        QCOMPARE(picker->completer()->currentCompletion(), u"Bob Builder (bob)"_s);

        // Picking an entry sends its user id.
        picker->setCurrentIndex(3);
        QTest::mouseClick(page.findChild<QPushButton *>(u"assignConfirm"_s), Qt::LeftButton);
        QTRY_COMPARE(QString::fromStdString(assigned.dump()), uR"({"userId":"a3"})"_s);
        QTRY_VERIFY(!picker->isVisible());
        // A typed username is the same as picking it; a typed id goes as it is.
        trigger(&page, u"assignTask"_s);
        QTest::keyClicks(picker->lineEdit(), u"Carol"_s);
        QCOMPARE(page.chosenAssignee(), u"a4"_s);
        picker->clearEditText();
        QTest::keyClicks(picker->lineEdit(), u"65f1c0ffee0000000000beef"_s);
        QCOMPARE(page.chosenAssignee(), u"65f1c0ffee0000000000beef"_s);
        picker->clearEditText();
        QTest::mouseClick(page.findChild<QPushButton *>(u"assignConfirm"_s), Qt::LeftButton);
        QVERIFY(page.bannerText().contains(u"Choose the person"_s));
    }

    void jobChangesAreCoalesced()
    {
        test::FakeConsoleClient client;
        Script s;
        install(client, s);
        ui::InboxPage page(client);
        page.setCurrentUser(u"alice"_s);
        QTRY_COMPARE(page.availableModel()->rowCount(), 1);
        QTRY_VERIFY(!page.isRefreshing());
        const int fetches = client.count(api::Method::Get, kTasks);
        for (int i = 0; i < 20; ++i)
            client.emitJobChanged(u"65f1c0ffee0000000000aa02"_s, u"running"_s);
        QTRY_COMPARE(client.count(api::Method::Get, kTasks), fetches + 1);
        QTest::qWait(600); // longer than the coalescing window: no second fetch follows
        QCOMPARE(client.count(api::Method::Get, kTasks), fetches + 1);
    }

    void aFailedListIsSaidPlainly()
    {
        test::FakeConsoleClient client; // 404 to everything
        ui::InboxPage page(client);
        page.show();
        QTRY_VERIFY(page.bannerText().contains(u"could not be loaded"_s));
    }

    void assignToSomeonePickedEndToEnd()
    {
        test::LocalEngine stack;
        stack.open({u"manual-change-approval.json"_s});
        if (QTest::currentTestFailed())
            return;
        access::NewUser bob;
        bob.username = "bob";
        bob.displayName = "Bob Builder";
        bob.roles = {"operator"};
        auto bobUser = stack.accounts->createUser(bob);
        QVERIFY(bobUser.ok());
        access::NewUser dan;
        dan.username = "dan";
        dan.roles = {"operator"};
        auto danUser = stack.accounts->createUser(dan);
        QVERIFY(danUser.ok() && stack.accounts->disable(danUser->id).ok());

        runtime::StartJobOptions start;
        start.workflow = "Change Approval";
        start.variables = {{"device", "dist-sw-04"},
                           {"changeTicket", "CHG0031877"},
                           {"proposedConfig", "interface Gi1/0/12"}};
        start.principal = stack.alice;
        auto job = stack.engine->startJob(start);
        QVERIFY(job.ok());
        const std::string jobId = (*job)["_id"].get<std::string>();

        ui::InboxPage page(*stack.client);
        page.setCurrentUser(QString::fromStdString(stack.alice.username));
        page.resize(1280, 760);
        page.show();
        QTRY_COMPARE(page.availableModel()->rowCount(), 1);
        QTRY_VERIFY(!page.isRefreshing());
        QVERIFY(page.selectIteration(
            QString::fromStdString(page.availableModel()->document(0)["_id"].get<std::string>())));
        trigger(&page, u"assignTask"_s);
        QComboBox *picker = page.assigneePicker();
        // The task names no group: everyone active may work it; the disabled are not offered.
        QTRY_COMPARE(picker->count(), 2);
        QCOMPARE(picker->itemText(0), u"alice"_s);
        QCOMPARE(picker->itemText(1), u"Bob Builder (bob)"_s);
        QCOMPARE(picker->itemData(1).toString(), QString::fromStdString(bobUser->id));
        picker->setCurrentIndex(1);
        QTest::mouseClick(page.findChild<QPushButton *>(u"assignConfirm"_s), Qt::LeftButton);
        // Bob owns it now, so it leaves alice's lists.
        QTRY_COMPARE(
            stack.engine->jobDocument(jobId)->at("tasks").at("7a23").value("owner", std::string()),
            std::string("bob"));
        QTRY_COMPARE(page.count(), 0);
        QVERIFY(page.bannerText().isEmpty());
    }

    void aTestRunsTaskSaysItIsOne()
    {
        test::LocalEngine stack;
        stack.open({u"manual-change-approval.json"_s});
        if (QTest::currentTestFailed())
            return;
        // A test run (the push is mocked) and a real job wait at the same approval.
        runtime::StartJobOptions start;
        start.workflow = "Change Approval";
        start.variables = {{"device", "dist-sw-04"},
                           {"changeTicket", "CHG0031877"},
                           {"proposedConfig", "interface Gi1/0/12"}};
        start.principal = stack.alice;
        QVERIFY(stack.engine->startJob(start).ok());
        start.mocks = {{"8b34", {{"finish_state", "success"}}}};
        QVERIFY(stack.engine->startJob(start).ok());

        ui::InboxPage page(*stack.client);
        page.setCurrentUser(QString::fromStdString(stack.alice.username));
        page.resize(1280, 760);
        page.show();
        QTRY_COMPARE(page.availableModel()->rowCount(), 2);
        QTRY_VERIFY(!page.isRefreshing());
        QStringList jobs;
        int testRunRow = -1;
        for (int row = 0; row < 2; ++row) {
            jobs << page.availableModel()->index(row, 1).data().toString();
            if (jobs.back().endsWith(u" · test run"_s))
                testRunRow = row;
        }
        jobs.sort();
        QCOMPARE(jobs, QStringList({u"Change Approval"_s, u"Change Approval · test run"_s}));
        QVERIFY(page.availableModel()
                    ->index(testRunRow, 1)
                    .data(Qt::ToolTipRole)
                    .toString()
                    .contains(u"a test run"_s));

        // Its form says so too, and the real job's does not.
        QTableView *available = page.availableView();
        auto meta = [&page] { return page.taskForm()->findChild<QLabel *>(u"taskMeta"_s)->text(); };
        QTest::mouseClick(available->viewport(), Qt::LeftButton, {},
                          available->visualRect(available->model()->index(testRunRow, 0)).center());
        QTRY_VERIFY2(meta().contains(u"Job: Change Approval (a test run)"_s), qPrintable(meta()));
        QTest::mouseClick(
            available->viewport(), Qt::LeftButton, {},
            available->visualRect(available->model()->index(1 - testRunRow, 0)).center());
        QTRY_VERIFY2(meta().contains(u"Job: Change Approval   ·"_s), qPrintable(meta()));
        QVERIFY(!meta().contains(u"test run"_s));
    }

    void claimAndFinishEndToEnd()
    {
        test::LocalEngine stack;
        stack.open({u"manual-change-approval.json"_s});
        if (QTest::currentTestFailed())
            return;

        runtime::StartJobOptions start;
        start.workflow = "Change Approval";
        start.variables = {{"device", "dist-sw-04"},
                           {"changeTicket", "CHG0031877"},
                           {"proposedConfig", "interface Gi1/0/12"}};
        start.principal = stack.alice;
        auto job = stack.engine->startJob(start);
        QVERIFY2(job.ok(), job.ok() ? "" : job.error().message.c_str());
        const std::string jobId = (*job)["_id"].get<std::string>();

        ui::InboxPage page(*stack.client);
        QAbstractItemModelTester tester(page.availableModel());
        page.setCurrentUser(QString::fromStdString(stack.alice.username));
        page.resize(1280, 760);
        page.show();
        QTRY_COMPARE(page.availableModel()->rowCount(), 1);
        QTRY_VERIFY(!page.isRefreshing());
        QCOMPARE(page.availableModel()->index(0, 1).data().toString(), u"Change Approval"_s);
        QTableView *available = page.availableView();
        QTest::mouseClick(available->viewport(), Qt::LeftButton, {},
                          available->visualRect(available->model()->index(0, 0)).center());
        trigger(&page, u"claimTask"_s);
        QTRY_COMPARE(page.assignedModel()->rowCount(), 1);
        QTRY_VERIFY(page.taskForm()->canWork());
        auto *approve = page.taskForm()->findChild<QPushButton *>(u"finishSuccess"_s);
        QCOMPARE(approve->text(), u"Approve"_s);
        QVERIFY(test::saveScreenshots(&page, u"inbox-claimed"_s));
        QSignalSpy finished(&page, &ui::InboxPage::taskFinished);
        QTest::mouseClick(approve, Qt::LeftButton);
        QTRY_COMPARE(finished.count(), 1);
        QTRY_COMPARE(page.count(), 0);
        QTRY_COMPARE(stack.engine->jobDocument(jobId)->value("status", std::string()),
                     std::string("complete"));

        // The form says what happened, not "Loading the task…": who approved it, when, where
        // the job went, and the way to the job.
        ui::TaskForm *form = page.taskForm();
        auto *placeholder = form->findChild<QLabel *>(u"taskPlaceholder"_s);
        QTRY_VERIFY(form->outcomeText().contains(u"the job is complete."_s));
        QVERIFY(form->findChild<QWidget *>(u"taskOutcome"_s)->isVisible());
        QVERIFY(!placeholder->isVisible());
        const QString words = form->outcomeText();
        QVERIFY2(words.contains(u"Approved by alice at "_s), qPrintable(words));
        QVERIFY(words.contains(u"Approve change"_s));
        QVERIFY(test::saveScreenshots(&page, u"inbox-after-approve"_s));
        // A refresh of the lists (another job changed) keeps the words.
        Q_EMIT stack.client->jobChanged(QString::fromStdString(jobId), u"complete"_s);
        QTest::qWait(400);
        QTRY_VERIFY(!page.isRefreshing());
        QCOMPARE(form->outcomeText(), words);
        QSignalSpy open(&page, &ui::InboxPage::jobRequested);
        QTest::mouseClick(form->findChild<QPushButton *>(u"taskOutcomeOpenJob"_s), Qt::LeftButton);
        QCOMPARE(open.count(), 1);
        QCOMPARE(open.first().first().toString(), QString::fromStdString(jobId));
    }
};

QTEST_MAIN(TestInboxPage)
#include "TestInboxPage.moc"
