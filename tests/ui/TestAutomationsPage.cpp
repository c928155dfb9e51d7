// SPDX-License-Identifier: GPL-3.0-or-later
// The automations page against a scripted client (triggers, enable/disable, a manual run
// through the generated form), and end to end with a real engine behind a LocalClient.
#include "ui/automations/AutomationsPage.h"

#include "app/StoreSecrets.h"
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
#include "ui/automations/AutomationHealthView.h"
#include "ui/client/LocalClient.h"
#include "ui/forms/JsonListModel.h"
#include "ui/forms/SchemaForm.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QChart>
#include <QComboBox>
#include <QDialog>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTableView>
#include <QTest>

#include <memory>

using namespace flowdeck;
using namespace Qt::StringLiterals;
using nlohmann::json;

namespace {

const std::string kAutomation = "65f1c0ffee0000000000a001";
const std::string kManual = "65f1c0ffee0000000000b001";
const std::string kSchedule = "65f1c0ffee0000000000b002";

struct Script
{
    json automations =
        json::array({{{"_id", kAutomation},
                      {"name", "Approve a change"},
                      {"description", "Runs the change approval workflow for one device."},
                      {"componentType", "workflows"},
                      {"componentName", "Change Approval"}},
                     {{"_id", "65f1c0ffee0000000000a002"},
                      {"name", "Audit core routers"},
                      {"componentType", "workflows"},
                      {"componentName", "Config Compliance"}}});
    json manual = {{"_id", kManual},
                   {"name", "Run from the console"},
                   {"type", "manual"},
                   {"enabled", true},
                   {"actionId", kAutomation},
                   {"lastExecuted", QDateTime::currentMSecsSinceEpoch() - 3600 * 1000},
                   {"formData", {{"changeTicket", "CHG0000001"}}}};
    json schedule = {{"_id", kSchedule},
                     {"name", "Nightly"},
                     {"type", "schedule"},
                     {"enabled", false},
                     {"actionId", kAutomation},
                     {"lastExecuted", nullptr},
                     {"nextRunAt", QDateTime::currentMSecsSinceEpoch() + 3600 * 1000}};
    json inputSchema = {{"type", "object"},
                        {"properties",
                         {{"device", {{"type", "string"}, {"minLength", 1}}},
                          {"changeTicket", {{"type", "string"}}}}},
                        {"required", {"device"}}};
};

void install(test::FakeConsoleClient &client, Script &s)
{
    client.script = [&s](const api::ApiRequest &request) {
        if (request.path == "/operations-manager/automations")
            return test::envelope(s.automations, {{"total", 2}});
        if (request.path == "/operations-manager/triggers") {
            if (request.queryValue("equals") == kAutomation)
                return test::envelope(json::array({s.manual, s.schedule}));
            return test::envelope(json::array());
        }
        if (request.path == "/operations-manager/triggers/" + kSchedule &&
            request.method == api::Method::Patch) {
            s.schedule["enabled"] = request.body["enabled"];
            return test::envelope(s.schedule);
        }
        if (request.path == "/automation-studio/workflows/detailed/Change%20Approval")
            return test::answer(200, {{"name", "Change Approval"}, {"inputSchema", s.inputSchema}});
        if (request.path == "/operations-manager/triggers/manual/" + kManual + "/run")
            return test::envelope({{"_id", "65f1c0ffee0000000000c001"}, {"status", "running"}});
        return test::answer(404, {{"message", "no route " + request.path}});
    };
}

QStringList column(const ui::JsonListModel *model, int c)
{
    QStringList out;
    for (int r = 0; r < model->rowCount(); ++r)
        out << model->index(r, c).data().toString();
    return out;
}

} // namespace

class TestAutomationsPage : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void listsAutomationsAndTheirTriggers()
    {
        test::FakeConsoleClient client;
        Script s;
        install(client, s);
        ui::AutomationsPage page(client);
        QAbstractItemModelTester automationsTester(page.automationsModel());
        QAbstractItemModelTester triggersTester(page.triggersModel());
        page.resize(1280, 760);
        page.show();
        QTRY_COMPARE(page.automationsModel()->rowCount(), 2);
        QCOMPARE(column(page.automationsModel(), 0),
                 QStringList({u"Approve a change"_s, u"Audit core routers"_s}));
        QCOMPARE(column(page.automationsModel(), 1),
                 QStringList({u"Change Approval"_s, u"Config Compliance"_s}));
        QVERIFY(page.selectAutomation(QString::fromStdString(kAutomation)));
        QTRY_COMPARE(page.triggersModel()->rowCount(), 2);
        const auto sent = client.last("/operations-manager/triggers");
        QCOMPARE(sent.queryValue("equalsField").value_or(""), std::string("actionId"));
        QCOMPARE(sent.queryValue("equals").value_or(""), kAutomation);
        QCOMPARE(column(page.triggersModel(), 1), QStringList({u"Manual"_s, u"Schedule"_s}));
        QCOMPARE(column(page.triggersModel(), 2), QStringList({u"Enabled"_s, u"Disabled"_s}));
        QVERIFY(column(page.triggersModel(), 3)[0].startsWith(u"today"_s) ||
                column(page.triggersModel(), 3)[0].startsWith(u"yesterday"_s));
        QCOMPARE(column(page.triggersModel(), 3)[1], u"—"_s);
        QCOMPARE(column(page.triggersModel(), 4)[1], u"—"_s); // disabled: it will not run

        // Run applies to an enabled manual trigger only.
        QVERIFY(page.selectTrigger(QString::fromStdString(kSchedule)));
        QVERIFY(!page.findChild<QAction *>(u"runTrigger"_s)->isEnabled());
        QCOMPARE(page.findChild<QAction *>(u"toggleTrigger"_s)->text(), u"&Enable"_s);
        QVERIFY(page.selectTrigger(QString::fromStdString(kManual)));
        QVERIFY(page.findChild<QAction *>(u"runTrigger"_s)->isEnabled());
        page.findChild<QAction *>(u"runTrigger"_s)->trigger();
        QTRY_VERIFY(page.isRunFormOpen());
        QTRY_COMPARE(page.runForm()->fieldCount(), 2);
        QVERIFY(test::saveScreenshots(&page, u"automations"_s));
    }

    void enableAndDisable()
    {
        test::FakeConsoleClient client;
        Script s;
        install(client, s);
        ui::AutomationsPage page(client);
        page.show();
        QTRY_COMPARE(page.automationsModel()->rowCount(), 2);
        QVERIFY(page.selectAutomation(QString::fromStdString(kAutomation)));
        QTRY_COMPARE(page.triggersModel()->rowCount(), 2);
        QVERIFY(page.selectTrigger(QString::fromStdString(kSchedule)));
        page.findChild<QAction *>(u"toggleTrigger"_s)->trigger();
        QTRY_COMPARE(page.triggersModel()->index(1, 2).data().toString(), u"Enabled"_s);
        QCOMPARE_JSON(client.last("/operations-manager/triggers/" + kSchedule).body,
                      json({{"enabled", true}}));
        // The trigger stays selected, and the action now offers the opposite.
        QTRY_COMPARE(page.findChild<QAction *>(u"toggleTrigger"_s)->text(), u"&Disable"_s);
        page.findChild<QAction *>(u"toggleTrigger"_s)->trigger();
        QTRY_COMPARE(page.triggersModel()->index(1, 2).data().toString(), u"Disabled"_s);
    }

    void runAManualTriggerThroughItsForm()
    {
        test::FakeConsoleClient client;
        Script s;
        install(client, s);
        ui::AutomationsPage page(client);
        QSignalSpy started(&page, &ui::AutomationsPage::jobStarted);
        page.show();
        QTRY_COMPARE(page.automationsModel()->rowCount(), 2);
        QVERIFY(page.selectAutomation(QString::fromStdString(kAutomation)));
        QTRY_COMPARE(page.triggersModel()->rowCount(), 2);
        QVERIFY(page.selectTrigger(QString::fromStdString(kManual)));
        page.findChild<QAction *>(u"runTrigger"_s)->trigger();
        QTRY_COMPARE(page.runForm()->fieldCount(), 2);
        // The trigger's formData is the form's default.
        QCOMPARE(qobject_cast<QLineEdit *>(page.runForm()->editor(u"changeTicket"_s))->text(),
                 u"CHG0000001"_s);
        auto *run = page.findChild<QPushButton *>(u"runConfirm"_s);
        QTest::mouseClick(run, Qt::LeftButton);
        QVERIFY(!page.runForm()->problem(u"device"_s).isEmpty()); // required, empty
        QCOMPARE(client.count(api::Method::Post,
                              "/operations-manager/triggers/manual/" + kManual + "/run"),
                 0);
        QTest::keyClicks(page.runForm()->editor(u"device"_s), u"dist-sw-04"_s);
        QTest::mouseClick(run, Qt::LeftButton);
        QTRY_COMPARE(started.count(), 1);
        QCOMPARE(started[0][0].toString(), u"65f1c0ffee0000000000c001"_s);
        QCOMPARE_JSON(
            client.last("/operations-manager/triggers/manual/" + kManual + "/run").body,
            json::parse(R"({"formData": {"device": "dist-sw-04", "changeTicket": "CHG0000001"}})"));
        QVERIFY(!page.isRunFormOpen());
        QVERIFY(page.bannerText().contains(u"started"_s));
    }

    void runEndToEnd()
    {
        auto opened = store::SqliteStore::open(":memory:");
        QVERIFY(opened.ok());
        std::unique_ptr<store::SqliteStore> store = std::move(*opened);
        api::WorkflowCatalog catalog(*store);
        auto item = api::WorkflowCatalog::readFile(
            test::sourcePath(u"resources/demo/manual-change-approval.json"_s).toStdString());
        QVERIFY(item.ok());
        QVERIFY(catalog.import({*item}, "tester", api::OnExisting::Refuse).ok());
        access::AccountService accounts(*store);
        auto alice = accounts.ensureLocalAccount("alice");
        QVERIFY(alice.ok());
        runtime::Engine engine(*store);
        api::EngineApi engineApi(api::EngineContext{*store, catalog, &engine, &accounts});
        auto client = std::make_unique<ui::LocalClient>(engineApi, QThread::currentThread());
        client->setPrincipal(*alice);

        auto call = [&](api::Method method, std::string path, json body) {
            api::ApiRequest r;
            r.method = method;
            r.path = std::move(path);
            r.body = std::move(body);
            r.principal = *alice;
            return engineApi.dispatch(r);
        };
        const auto workflow =
            call(api::Method::Get, "/automation-studio/workflows/detailed/Change%20Approval", {});
        QVERIFY2(workflow.ok(), workflow.json.dump().c_str());
        const auto automation = call(api::Method::Post, "/operations-manager/automations",
                                     {{"name", "Approve a change"},
                                      {"componentType", "workflows"},
                                      {"componentId", workflow.json["_id"]}});
        QVERIFY2(automation.ok(), automation.json.dump().c_str());
        const std::string automationId = automation.json["data"]["_id"].get<std::string>();
        const auto trigger = call(api::Method::Post, "/operations-manager/triggers",
                                  {{"name", "Run from the console"},
                                   {"type", "manual"},
                                   {"enabled", true},
                                   {"actionType", "automations"},
                                   {"actionId", automationId},
                                   {"legacyWrapper", false}});
        QVERIFY2(trigger.ok(), trigger.json.dump().c_str());
        const std::string triggerId = trigger.json["data"]["_id"].get<std::string>();

        {
            ui::AutomationsPage page(*client);
            QSignalSpy started(&page, &ui::AutomationsPage::jobStarted);
            page.show();
            QTRY_COMPARE(page.automationsModel()->rowCount(), 1);
            QVERIFY(page.selectAutomation(QString::fromStdString(automationId)));
            QTRY_COMPARE(page.triggersModel()->rowCount(), 1);
            QCOMPARE(page.automationsModel()->index(0, 1).data().toString(), u"Change Approval"_s);
            QVERIFY(page.selectTrigger(QString::fromStdString(triggerId)));
            page.findChild<QAction *>(u"runTrigger"_s)->trigger();
            QTRY_COMPARE(page.runForm()->fieldCount(), 3); // the workflow's inputSchema
            QTest::keyClicks(page.runForm()->editor(u"device"_s), u"dist-sw-04"_s);
            QTest::keyClicks(page.runForm()->editor(u"changeTicket"_s), u"CHG0031877"_s);
            QTest::keyClicks(page.runForm()->editor(u"proposedConfig"_s), u"interface Gi1/0/12"_s);
            QTest::mouseClick(page.findChild<QPushButton *>(u"runConfirm"_s), Qt::LeftButton);
            QTRY_COMPARE(started.count(), 1);
            const std::string jobId = started[0][0].toString().toStdString();
            QVERIFY2(!jobId.empty(), qPrintable(page.bannerText()));
            auto job = engine.jobDocument(jobId);
            QVERIFY(job.ok());
            QCOMPARE((*job)["variables"]["device"].get<std::string>(), std::string("dist-sw-04"));
            // Its last run shows once the triggers are fetched again.
            QTRY_VERIFY(page.triggersModel()->rowCount() == 1 &&
                        page.triggersModel()->index(0, 3).data().toString() != u"—"_s);
        }
        client.reset();
    }

    void anEmptyStoreGuidesAndNewMakesOne()
    {
        test::LocalEngine stack;
        stack.open({u"manual-change-approval.json"_s});
        if (QTest::currentTestFailed())
            return;
        {
            ui::AutomationsPage page(*stack.client);
            QSignalSpy importAsked(&page, &ui::AutomationsPage::importRequested);
            page.resize(1100, 700);
            page.show();
            QVERIFY(QTest::qWaitForWindowExposed(&page));
            // Nothing yet: what an automation is, and the two ways to get one.
            QTRY_VERIFY(page.emptyText().contains(u"No automations yet"_s));
            QVERIFY(test::saveScreenshots(&page, u"automations-empty"_s));
            auto *importButton = page.findChild<QPushButton *>(u"importAutomationsButton"_s);
            QVERIFY(importButton && importButton->isVisible());
            QTest::mouseClick(importButton, Qt::LeftButton);
            QCOMPARE(importAsked.count(), 1);

            // New: a name and a workflow of this store.
            QTest::mouseClick(page.findChild<QPushButton *>(u"newAutomationButton"_s),
                              Qt::LeftButton);
            QTRY_VERIFY(page.newAutomationDialog() && page.newAutomationDialog()->isVisible());
            QDialog *dialog = page.newAutomationDialog();
            auto *create = dialog->findChild<QPushButton *>(u"automationCreate"_s);
            auto *workflow = dialog->findChild<QComboBox *>(u"automationWorkflow"_s);
            QTRY_COMPARE(workflow->currentText(), u"Change Approval"_s);
            QVERIFY(!create->isEnabled()); // no name yet
            QTest::keyClicks(dialog->findChild<QLineEdit *>(u"automationName"_s),
                             u"Approve a change"_s);
            QVERIFY(create->isEnabled());
            QTest::mouseClick(create, Qt::LeftButton);
            QTRY_COMPARE(page.automationsModel()->rowCount(), 1);
            QTRY_VERIFY(!page.newAutomationDialog());
            QVERIFY(page.emptyText().isEmpty());
            QCOMPARE(page.automationsModel()->index(0, 1).data().toString(), u"Change Approval"_s);
            QTRY_VERIFY(page.bannerText().contains(u"Created"_s));
        }
    }

    void automationsMadeElsewhereAppearWithoutRefresh()
    {
        test::LocalEngine stack;
        stack.open({u"manual-change-approval.json"_s});
        if (QTest::currentTestFailed())
            return;
        auto call = [&](api::Method method, std::string path, json body) {
            api::ApiRequest r;
            r.method = method;
            r.path = std::move(path);
            r.body = std::move(body);
            r.principal = stack.alice;
            return stack.api->dispatch(r);
        };
        ui::AutomationsPage page(*stack.client);
        page.setPollInterval(50);
        page.resize(1100, 700);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        QTRY_VERIFY(page.emptyText().contains(u"No automations yet"_s));

        // Another caller of the API makes one; nothing tells the page, and nobody presses
        // Refresh: the page's poll finds it and the empty state gives way to the list.
        const auto workflow =
            call(api::Method::Get, "/automation-studio/workflows/detailed/Change%20Approval", {});
        QVERIFY2(workflow.ok(), workflow.json.dump().c_str());
        const auto made = call(api::Method::Post, "/operations-manager/automations",
                               {{"name", "Made elsewhere"},
                                {"componentType", "workflows"},
                                {"componentId", workflow.json["_id"]}});
        QVERIFY2(made.ok(), made.json.dump().c_str());
        QTRY_COMPARE(page.automationsModel()->rowCount(), 1);
        QVERIFY(page.emptyText().isEmpty());
        QCOMPARE(page.automationsModel()->index(0, 0).data().toString(), u"Made elsewhere"_s);

        // A poll that finds nothing new leaves the selection, and what it shows, alone.
        QVERIFY(page.selectAutomation(
            QString::fromStdString(made.json["data"]["_id"].get<std::string>())));
        QSignalSpy reset(page.automationsModel(), &QAbstractItemModel::modelReset);
        QTest::qWait(300);
        QCOMPARE(reset.count(), 0);
        QCOMPARE(page.automationsView()->selectionModel()->selectedRows().size(), 1);
    }

    void whyRunIsOffIsSaid()
    {
        test::FakeConsoleClient client;
        Script s;
        // An endpoint trigger, and a second automation whose workflow was never found.
        const std::string endpoint = "65f1c0ffee0000000000b003";
        s.automations[1]["componentName"] = nullptr;
        s.automations[1]["componentId"] = nullptr;
        json endpointTrigger = {
            {"_id", endpoint},        {"name", "From the ticketing system"}, {"type", "endpoint"},
            {"enabled", true},        {"routeName", "approve-change"},       {"verb", "POST"},
            {"actionId", kAutomation}};
        client.script = [&s, endpointTrigger](const api::ApiRequest &request) {
            if (request.path == "/operations-manager/automations")
                return test::envelope(s.automations, {{"total", 2}});
            if (request.path == "/operations-manager/triggers") {
                if (request.queryValue("equals") == kAutomation)
                    return test::envelope(json::array({s.manual, endpointTrigger}));
                return test::envelope(json::array({s.manual}));
            }
            return test::answer(404, {{"message", "no route " + request.path}});
        };
        ui::AutomationsPage page(client);
        page.resize(1100, 700);
        page.show();
        QTRY_COMPARE(page.automationsModel()->rowCount(), 2);
        QVERIFY(page.selectAutomation(QString::fromStdString(kAutomation)));
        QTRY_COMPARE(page.triggersModel()->rowCount(), 2);
        QVERIFY(page.selectTrigger(QString::fromStdString(endpoint)));
        auto *run = page.findChild<QAction *>(u"runTrigger"_s);
        QVERIFY(!run->isEnabled());
        QVERIFY2(page.triggerNoteText().contains(
                     u"/operations-manager/triggers/endpoint/approve-change"_s),
                 qPrintable(page.triggerNoteText()));
        QVERIFY(run->toolTip().contains(u"approve-change"_s));
        QVERIFY(page.selectTrigger(QString::fromStdString(kManual)));
        QVERIFY(run->isEnabled());
        QVERIFY(page.triggerNoteText().isEmpty());

        // No workflow: it says it cannot run, and Run stays off even for a manual trigger.
        QVERIFY(page.selectAutomation(u"65f1c0ffee0000000000a002"_s));
        QTRY_COMPARE(page.triggersModel()->rowCount(), 1);
        QVERIFY(page.findChild<QLabel *>(u"automationNoWorkflow"_s)->isVisible());
        QVERIFY(page.selectTrigger(QString::fromStdString(kManual)));
        QVERIFY(!run->isEnabled());
        QVERIFY(page.triggerNoteText().contains(u"no workflow"_s));
    }

    void healthChartsAndDeliveriesEndToEnd()
    {
        auto opened = store::SqliteStore::open(":memory:");
        QVERIFY(opened.ok());
        std::unique_ptr<store::SqliteStore> store = std::move(*opened);
        api::WorkflowCatalog catalog(*store);
        const json edge = {{"state", "success"}, {"type", "standard"}};
        const json backup = {
            {"name", "Backup"},
            {"type", "automation"},
            {"tasks",
             {{"workflow_start", {{"name", "workflow_start"}}},
              {"workflow_end", {{"name", "workflow_end"}}},
              {"t1",
               {{"name", "newVariable"},
                {"app", "WorkFlowEngine"},
                {"type", "operation"},
                {"variables", {{"incoming", {{"name", "done"}, {"value", true}}}}}}}}},
            {"transitions",
             {{"workflow_start", {{"t1", edge}}}, {"t1", {{"workflow_end", edge}}}}}};
        auto saved = store->saveWorkflow(*model::Workflow::fromJson(backup), std::nullopt, true);
        QVERIFY(saved.ok());
        access::AccountService accounts(*store);
        auto alice = accounts.ensureLocalAccount("alice");
        QVERIFY(alice.ok());
        runtime::Engine engine(*store);
        api::EngineContext context{*store, catalog, &engine, &accounts};
        auto secrets = app::storeSecrets(":memory:");
        QVERIFY(secrets.ok());
        context.secrets = *secrets;
        api::EngineApi engineApi(context);
        auto client = std::make_unique<ui::LocalClient>(engineApi, QThread::currentThread());
        client->setPrincipal(*alice);
        auto call = [&](api::Method method, std::string path, json body) {
            api::ApiRequest r;
            r.method = method;
            r.path = std::move(path);
            r.body = std::move(body);
            r.principal = *alice;
            return engineApi.dispatch(r);
        };
        const auto automation = call(api::Method::Post, "/operations-manager/automations",
                                     {{"name", "Nightly backup"},
                                      {"componentId", saved->id},
                                      {"webhook_url", "https://hooks.example/flowdeck"},
                                      {"webhook_secret", "a secret of some length"}});
        QVERIFY2(automation.ok(), automation.json.dump().c_str());
        const std::string automationId = automation.json["data"]["_id"].get<std::string>();
        const auto trigger =
            call(api::Method::Post, "/operations-manager/triggers",
                 {{"name", "By hand"}, {"type", "manual"}, {"actionId", automationId}});
        QVERIFY2(trigger.ok(), trigger.json.dump().c_str());
        const std::string triggerId = trigger.json["data"]["_id"].get<std::string>();
        std::string lastJob;
        for (int i = 0; i < 4; ++i) {
            auto run =
                call(api::Method::Post, "/operations-manager/triggers/manual/" + triggerId + "/run",
                     json::object());
            QVERIFY2(run.ok(), run.json.dump().c_str());
            lastJob = run.json["data"]["_id"].get<std::string>();
        }
        // One delivery that is being retried, as the dispatcher leaves it after a 503.
        store::WebhookDeliveryRecord d;
        d.id = 1;
        d.automationId = automationId;
        d.jobId = lastJob;
        d.attempts = 2;
        d.url = "https://hooks.example/flowdeck";
        d.responseStatus = 503;
        d.lastError = "the receiver answered HTTP 503 Service Unavailable";
        d.nextAttemptAt = QDateTime::currentMSecsSinceEpoch() + 40'000;
        d.summary = {{"job", {{"_id", lastJob}, {"status", "complete"}}}};
        d.createdAt = d.updatedAt = QDateTime::currentMSecsSinceEpoch();
        QVERIFY(store->insertWebhookDelivery(d).ok());

        {
            ui::AutomationsPage page(*client);
            page.resize(1280, 860);
            page.show();
            QTRY_COMPARE(page.automationsModel()->rowCount(), 1);
            QVERIFY(page.selectAutomation(QString::fromStdString(automationId)));
            page.tabs()->setCurrentIndex(1);
            QTRY_COMPARE(page.healthView()->scoreText(), u"Score 100 — healthy"_s);
            QVERIFY(page.healthView()->figureText(u"successRate"_s).startsWith(u"100.0 %"_s));
            QCOMPARE(page.healthView()->figureText(u"failures"_s), u"0"_s);
            QCOMPARE(page.healthView()->figureText(u"nextRun"_s), u"no schedule"_s);
            QCOMPARE(page.healthView()->runsChart()->series().size(), 1);
            QVERIFY(page.healthView()->durationChart()->series().size() >= 2);
            QVERIFY(test::saveScreenshots(&page, u"automations-health"_s));
            page.tabs()->setCurrentIndex(2);
            QTRY_COMPARE(page.deliveriesModel()->rowCount(), 1);
            QCOMPARE(page.deliveriesModel()->index(0, 2).data().toString(), u"Retrying"_s);
            QCOMPARE(page.deliveriesModel()->index(0, 3).data().toInt(), 2);
            QVERIFY(page.deliveriesModel()->index(0, 5).data().toString().contains(u"503"_s));
            QVERIFY(page.findChild<QLabel *>(u"webhookText"_s)->text().contains(u"signed"_s));
            QVERIFY(test::saveScreenshots(&page, u"automations-webhook"_s));
        }
        client.reset();
    }
};

QTEST_MAIN(TestAutomationsPage)
#include "TestAutomationsPage.moc"
