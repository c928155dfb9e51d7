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
#include "ui/automations/AutomationEditor.h"
#include "ui/automations/AutomationHealthView.h"
#include "ui/automations/TriggerEditor.h"
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
#include <QListWidget>
#include <QPushButton>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTableView>
#include <QTest>
#include <QToolButton>

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

            // New: the editor, with a name and a workflow of this store.
            QTest::mouseClick(page.findChild<QPushButton *>(u"newAutomationButton"_s),
                              Qt::LeftButton);
            QTRY_VERIFY(page.editor() && page.editor()->isVisible());
            ui::AutomationEditor *editor = page.editor();
            QVERIFY(editor->isNew());
            QTRY_VERIFY(editor->isLoaded());
            auto *create = editor->findChild<QPushButton *>(u"automationEditorSave"_s);
            auto *workflow = qobject_cast<QComboBox *>(editor->form()->editor(u"componentId"_s));
            QVERIFY(workflow);
            QCOMPARE(workflow->itemText(1), u"Change Approval"_s);
            QTest::mouseClick(create, Qt::LeftButton); // no name, no workflow: said, not sent
            QVERIFY(!editor->form()->problem(u"name"_s).isEmpty());
            QVERIFY(!editor->form()->problem(u"componentId"_s).isEmpty());
            QTest::keyClicks(editor->form()->editor(u"name"_s), u"Approve a change"_s);
            QTest::keyClick(workflow, Qt::Key_Down);
            QCOMPARE(workflow->currentText(), u"Change Approval"_s);
            QTest::mouseClick(create, Qt::LeftButton);
            QTRY_COMPARE(page.automationsModel()->rowCount(), 1);
            QTRY_VERIFY(!page.editor());
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

    void createAndEditAutomationsWithTriggersInTheEditor()
    {
        test::LocalEngine stack;
        stack.open({u"manual-change-approval.json"_s});
        if (QTest::currentTestFailed())
            return;
        ui::AutomationsPage page(*stack.client);
        page.resize(1100, 700);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        auto toolButton = [&page](const char *action) {
            QAction *a = page.findChild<QAction *>(QString::fromLatin1(action));
            for (auto *b : page.findChildren<QToolButton *>())
                if (b->defaultAction() == a)
                    return b;
            return static_cast<QToolButton *>(nullptr);
        };
        auto typeInto = [](QWidget *field, const QString &text) {
            QVERIFY(field);
            field->setFocus();
            if (auto *line = qobject_cast<QLineEdit *>(field)) {
                line->selectAll();
                QTest::keyClick(line, Qt::Key_Backspace);
            }
            QTest::keyClicks(field, text);
        };
        QTRY_VERIFY(page.emptyText().contains(u"No automations yet"_s));

        // New: name, workflow, a run policy and a schedule trigger with its next runs.
        QTest::mouseClick(page.findChild<QPushButton *>(u"newAutomationButton"_s), Qt::LeftButton);
        QTRY_VERIFY(page.editor() && page.editor()->isLoaded());
        ui::AutomationEditor *editor = page.editor();
        for (int i = 0; i < 5; ++i) // let the layouts settle, level by level, before the grab
            QCoreApplication::processEvents();
        QVERIFY(test::saveScreenshots(editor, u"automation-editor-new"_s));
        ui::SchemaForm *form = editor->form();
        typeInto(form->editor(u"name"_s), u"Port turn-up"_s);
        QTest::keyClick(form->editor(u"componentId"_s), Qt::Key_Down);
        typeInto(form->editor(u"/runPolicy/max_concurrency"_s), u"4"_s);
        typeInto(form->editor(u"/runPolicy/concurrency_key"_s), u"/device"_s);
        typeInto(form->editor(u"/runPolicy/max_concurrency_per_key"_s), u"1"_s);
        QTest::mouseClick(editor->findChild<QPushButton *>(u"addTrigger_schedule"_s),
                          Qt::LeftButton);
        ui::TriggerEditor *schedule = editor->currentTrigger();
        QVERIFY(schedule && schedule->type() == u"schedule"_s);
        typeInto(schedule->form()->editor(u"name"_s), u"Nightly"_s);
        typeInto(schedule->form()->editor(u"cron"_s), u"0 2 * * *"_s);
        typeInto(schedule->form()->editor(u"timezone"_s), u"Europe/Berlin"_s);
        QTRY_VERIFY2(schedule->previewText().startsWith(u"Next 5 runs (Europe/Berlin)"_s),
                     qPrintable(schedule->previewText()));
        QCOMPARE(schedule->previewText().count(u" 02:00 "_s), 5);
        QCOMPARE(editor->triggerList()->item(0)->text(), u"Schedule — Nightly  (new)"_s);
        // A cron that is wrong says why, live, before anything is saved.
        typeInto(schedule->form()->editor(u"cron"_s), u"0 25 * * *"_s);
        QTRY_VERIFY2(schedule->previewText().contains(u"hour"_s),
                     qPrintable(schedule->previewText()));
        typeInto(schedule->form()->editor(u"cron"_s), u"0 2 * * *"_s);
        QTRY_VERIFY(schedule->previewText().startsWith(u"Next 5 runs"_s));
        QTest::mouseClick(editor->findChild<QPushButton *>(u"automationEditorSave"_s),
                          Qt::LeftButton);
        QTRY_VERIFY(!page.editor());
        QTRY_COMPARE(page.automationsModel()->rowCount(), 1);
        auto stored = stack.store->automationByName("Port turn-up");
        QVERIFY(stored.ok());
        const std::string id = stored->id;
        QCOMPARE_JSON(stored->document["runPolicy"], json({{"max_concurrency", 4},
                                                           {"concurrency_key", "/device"},
                                                           {"max_concurrency_per_key", 1}}));
        auto triggers = stack.store->triggersOfAutomation(id);
        QVERIFY(triggers.ok());
        QCOMPARE(triggers->size(), std::size_t(1));
        QCOMPARE_JSON(triggers->front().document["cron"], "0 2 * * *");
        QCOMPARE_JSON(triggers->front().document["timezone"], "Europe/Berlin");
        const std::string scheduleId = triggers->front().id;

        // Edit: a new cron, a description, and two more triggers.
        QVERIFY(page.selectAutomation(QString::fromStdString(id)));
        QTest::mouseClick(toolButton("editAutomation"), Qt::LeftButton);
        QTRY_VERIFY(page.editor() && page.editor()->isLoaded());
        editor = page.editor();
        QVERIFY(!editor->isNew());
        QCOMPARE(editor->triggers().size(), std::size_t(1));
        schedule = editor->currentTrigger();
        QTRY_VERIFY(schedule->previewText().startsWith(u"Next 5 runs"_s));
        typeInto(editor->form()->editor(u"description"_s), u"Turns a port up on one switch"_s);
        typeInto(schedule->form()->editor(u"cron"_s), u"30 3 * * MON"_s);
        QTRY_VERIFY(schedule->previewText().contains(u"Mon "_s));
        QCOMPARE(schedule->previewText().count(u"Mon "_s), 5);
        QTest::mouseClick(editor->findChild<QPushButton *>(u"addTrigger_manual"_s), Qt::LeftButton);
        typeInto(editor->currentTrigger()->form()->editor(u"name"_s), u"By hand"_s);
        QTest::mouseClick(editor->findChild<QPushButton *>(u"addTrigger_endpoint"_s),
                          Qt::LeftButton);
        typeInto(editor->currentTrigger()->form()->editor(u"name"_s), u"From the portal"_s);
        typeInto(editor->currentTrigger()->form()->editor(u"routeName"_s), u"port-turnup"_s);
        QTest::mouseClick(editor->findChild<QPushButton *>(u"automationEditorSave"_s),
                          Qt::LeftButton);
        QTRY_VERIFY(!page.editor());
        stored = stack.store->automationById(id);
        QCOMPARE_JSON(stored->document["description"], "Turns a port up on one switch");
        triggers = stack.store->triggersOfAutomation(id);
        QCOMPARE(triggers->size(), std::size_t(3));
        auto scheduleNow = stack.store->triggerById(scheduleId);
        QVERIFY(scheduleNow.ok());
        QCOMPARE_JSON(scheduleNow->document["cron"], "30 3 * * MON");

        // A refused save: the engine's problems at their fields, in the automation's form and
        // in the trigger's, scrolled to; nothing of it is written.
        QTRY_VERIFY(page.selectAutomation(QString::fromStdString(id)));
        QTest::mouseClick(toolButton("editAutomation"), Qt::LeftButton);
        QTRY_VERIFY(page.editor() && page.editor()->isLoaded());
        editor = page.editor();
        QCOMPARE(editor->triggers().size(), std::size_t(3));
        auto rowOf = [&editor](const QString &type) {
            for (std::size_t i = 0; i < editor->triggers().size(); ++i)
                if (editor->triggers()[i]->type() == type)
                    return int(i);
            return -1;
        };
        editor->triggerList()->setCurrentRow(rowOf(u"schedule"_s));
        QTRY_VERIFY(editor->currentTrigger()->previewText().startsWith(u"Next 5 runs"_s));
        for (int i = 0; i < 5; ++i) // let the layouts settle, level by level, before the grab
            QCoreApplication::processEvents();
        QVERIFY(test::saveScreenshots(editor, u"automation-editor-existing"_s));
        typeInto(editor->form()->editor(u"description"_s), u"Changed and refused"_s);
        // max_concurrency_per_key without its key: only the engine knows that rule.
        typeInto(editor->form()->editor(u"/runPolicy/concurrency_key"_s), QString());
        QTest::mouseClick(editor->findChild<QPushButton *>(u"addTrigger_eventSystem"_s),
                          Qt::LeftButton);
        ui::TriggerEditor *event = editor->currentTrigger();
        typeInto(event->form()->editor(u"name"_s), u"On an event"_s);
        typeInto(event->form()->editor(u"source"_s), u"@itential/app-operations_manager"_s);
        typeInto(event->form()->editor(u"topic"_s), u"noSuchTopic"_s);
        // The endpoint trigger's removal is refused along with the rest.
        editor->triggerList()->setCurrentRow(rowOf(u"endpoint"_s));
        QTest::mouseClick(editor->findChild<QPushButton *>(u"removeTrigger"_s), Qt::LeftButton);
        QCOMPARE(editor->triggers().size(), std::size_t(3));
        QCOMPARE(rowOf(u"endpoint"_s), -1);
        QTest::mouseClick(editor->findChild<QPushButton *>(u"automationEditorSave"_s),
                          Qt::LeftButton);
        QTRY_VERIFY(!editor->problemText().isEmpty());
        QVERIFY2(editor->problemText().startsWith(u"Nothing was saved: 2 problem(s)"_s),
                 qPrintable(editor->problemText()));
        QVERIFY2(editor->form()
                     ->problem(u"/runPolicy/max_concurrency_per_key"_s)
                     .contains(u"concurrency_key"_s),
                 qPrintable(editor->form()->problem(u"/runPolicy/max_concurrency_per_key"_s)));
        QVERIFY(editor->form()->editor(u"/runPolicy/max_concurrency_per_key"_s)->hasFocus());
        QVERIFY2(event->form()->problem(u"topic"_s).contains(u"noSuchTopic"_s),
                 qPrintable(event->form()->problem(u"topic"_s)));
        QVERIFY(editor->triggerList()->item(rowOf(u"eventSystem"_s))->text().startsWith(u"⚠"_s));
        QCOMPARE(editor->currentTrigger(), event); // the first trigger with a problem shows
        QCoreApplication::processEvents();         // let the layouts settle before the grab
        QVERIFY(test::saveScreenshots(editor, u"automation-editor-refused"_s));
        stored = stack.store->automationById(id);
        QCOMPARE_JSON(stored->document["description"], "Turns a port up on one switch");
        QCOMPARE(stack.store->triggersOfAutomation(id)->size(), std::size_t(3));

        // Cancel discards what was typed.
        QTest::mouseClick(editor->findChild<QPushButton *>(u"automationEditorCancel"_s),
                          Qt::LeftButton);
        QTRY_VERIFY(!page.editor());
        stored = stack.store->automationById(id);
        QCOMPARE_JSON(stored->document["description"], "Turns a port up on one switch");
        QCOMPARE_JSON(stored->document["runPolicy"]["concurrency_key"], "/device");
        QCOMPARE(stack.store->triggersOfAutomation(id)->size(), std::size_t(3));
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

    void editTheWebhookWithErrorsAtTheField()
    {
        auto opened = store::SqliteStore::open(":memory:");
        QVERIFY(opened.ok());
        std::unique_ptr<store::SqliteStore> store = std::move(*opened);
        api::WorkflowCatalog catalog(*store);
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
        api::ApiRequest create;
        create.method = api::Method::Post;
        create.path = "/operations-manager/automations";
        create.body = {{"name", "Nightly backup"}};
        create.principal = *alice;
        const auto created = engineApi.dispatch(create);
        QVERIFY2(created.ok(), created.json.dump().c_str());
        const std::string id = created.json["data"]["_id"].get<std::string>();
        {
            ui::AutomationsPage page(*client);
            page.show();
            QTRY_COMPARE(page.automationsModel()->rowCount(), 1);
            QVERIFY(page.selectAutomation(QString::fromStdString(id)));
            page.findChild<QAction *>(u"editAutomation"_s)->trigger();
            QVERIFY(page.editor());
            QTRY_VERIFY(page.editor()->isLoaded());
            ui::SchemaForm *form = page.editor()->form();
            auto *url = qobject_cast<QLineEdit *>(form->editor(u"webhook_url"_s));
            auto *secret = qobject_cast<QLineEdit *>(form->editor(u"webhook_secret"_s));
            QVERIFY(url && secret);
            QVERIFY(form->group(u"runPolicy"_s));
            QTest::keyClicks(url, u"hooks.example.com"_s);
            QTest::keyClicks(secret, u"short"_s);
            auto *save = page.editor()->findChild<QPushButton *>(u"automationEditorSave"_s);
            QTest::mouseClick(save, Qt::LeftButton);
            // The engine's 400 lands under each field its pointer names.
            QTRY_VERIFY(!form->problem(u"webhook_url"_s).isEmpty());
            QVERIFY(form->problem(u"webhook_url"_s).contains(u"http"_s));
            QVERIFY(!form->problem(u"webhook_secret"_s).isEmpty());
            QVERIFY(!page.editor()->problemText().isEmpty());
            for (int i = 0; i < 5; ++i) // let the layouts settle, level by level, before the grab
                QCoreApplication::processEvents();
            QVERIFY(test::saveScreenshots(page.editor(), u"automation-editor-errors"_s));
            url->clear();
            QTest::keyClicks(url, u"https://hooks.example.com/flowdeck"_s);
            secret->clear();
            QTest::keyClicks(secret, u"a secret that is long enough"_s);
            QTest::mouseClick(save, Qt::LeftButton);
            QTRY_VERIFY(!page.editor());
            auto stored = store->automationById(id);
            QVERIFY(stored.ok());
            QCOMPARE(stored->document["webhook_url"].get<std::string>(),
                     std::string("https://hooks.example.com/flowdeck"));
            const std::string sealed = stored->document["webhook_secret"].get<std::string>();
            QVERIFY(sealed != "a secret that is long enough");
            // Editing again shows the mask, and saving another field keeps the secret.
            QTRY_COMPARE(page.automationsModel()->rowCount(), 1);
            QVERIFY(page.selectAutomation(QString::fromStdString(id)));
            page.findChild<QAction *>(u"editAutomation"_s)->trigger();
            QVERIFY(page.editor());
            QTRY_VERIFY(page.editor()->isLoaded());
            auto *again =
                qobject_cast<QLineEdit *>(page.editor()->form()->editor(u"webhook_secret"_s));
            QCOMPARE(again->text(), u"********"_s);
            auto *description =
                qobject_cast<QLineEdit *>(page.editor()->form()->editor(u"description"_s));
            QVERIFY(description);
            QTest::keyClicks(description, u"Copies the running configs"_s);
            QTest::mouseClick(page.editor()->findChild<QPushButton *>(u"automationEditorSave"_s),
                              Qt::LeftButton);
            QTRY_VERIFY(!page.editor());
            stored = store->automationById(id);
            QCOMPARE(stored->document["description"].get<std::string>(),
                     std::string("Copies the running configs"));
            QCOMPARE(stored->document["webhook_secret"].get<std::string>(), sealed);
        }
        client.reset();
    }
};

QTEST_MAIN(TestAutomationsPage)
#include "TestAutomationsPage.moc"
