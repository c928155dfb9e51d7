// SPDX-License-Identifier: GPL-3.0-or-later
// The Adapters page end to end: a real engine behind a LocalClient, a real HTTP server on
// 127.0.0.1 (tests/data/adapters/adapter_server.py), and an operator's keyboard and mouse.
// Adds an instance from the pet store's OpenAPI file, edits its properties (a password among
// them), tests the connection (green), points it at a closed port (red, with the reason),
// reads its methods and removes it.
#include "ui/adapters/AdaptersPage.h"

#include "AdapterJobFixture.h"
#include "AdapterServer.h"
#include "tests/support/TestPaths.h"
#include "tests/ui/FakePrompter.h"
#include "tests/ui/LocalEngine.h"
#include "tests/ui/Screenshots.h"
#include "ui/adapters/AddAdapterDialog.h"
#include "ui/adapters/SecretFields.h"
#include "ui/forms/AdapterNeedsView.h"
#include "ui/forms/JsonListModel.h"
#include "ui/forms/SchemaForm.h"
#include "ui/forms/StartJobDialog.h"
#include "ui/jobs/AdapterCallView.h"
#include "ui/jobs/TaskPanel.h"
#include "ui/main/WorkflowDetail.h"

#include <QAction>
#include <QComboBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTabWidget>
#include <QTableView>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

using namespace flowdeck;
using namespace Qt::StringLiterals;
using nlohmann::json;

namespace {

constexpr int kNetworkWait = 15000;

/// A port nothing listens on: one the system just handed out and took back.
int closedPort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0))
        return 0;
    const int port = probe.serverPort();
    probe.close();
    return port;
}

/// Replaces what a line edit holds, as a person would: select all, type.
void retype(QWidget *edit, const QString &text)
{
    QVERIFY(edit);
    edit->setFocus();
    QTest::keyClick(edit, Qt::Key_A, Qt::ControlModifier);
    QTest::keyClick(edit, Qt::Key_Backspace);
    QTest::keyClicks(edit, text);
}

} // namespace

class TestAdaptersPage : public QObject
{
    Q_OBJECT

    std::unique_ptr<test::LocalEngine> m_engine;
    std::unique_ptr<test::AdapterServer> m_server;
    std::unique_ptr<ui::AdaptersPage> m_page;
    test::FakePrompter m_prompter;

    void openPage()
    {
        m_engine = std::make_unique<test::LocalEngine>();
        m_engine->open({});
        QVERIFY(!QTest::currentTestFailed());
        m_engine->enableAdapters();
        QVERIFY(!QTest::currentTestFailed());
        m_server = std::make_unique<test::AdapterServer>();
        QVERIFY2(m_server->port() > 0, qPrintable(m_server->error()));
        m_page = std::make_unique<ui::AdaptersPage>(*m_engine->client);
        m_page->setPrompter(&m_prompter);
        m_page->resize(1180, 760);
        m_page->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_page.get()));
    }

    /// Adds "petstore" (app Petstore) at the test server through the Add dialog.
    void addPetstore()
    {
        QTRY_VERIFY(!m_page->emptyText().isEmpty());
        auto *button = m_page->findChild<QPushButton *>(u"addAdapterEmptyButton"_s);
        QVERIFY(button);
        QTest::mouseClick(button, Qt::LeftButton);
        ui::AddAdapterDialog *dialog = m_page->addDialog();
        QVERIFY(dialog);
        QVERIFY(QTest::qWaitForWindowExposed(dialog));
        QVERIFY(!dialog->addButton()->isEnabled()); // nothing typed yet
        retype(dialog->nameEdit(), u"petstore"_s);
        retype(dialog->appEdit(), u"Petstore"_s);
        retype(dialog->fileEdit(), test::sourcePath(u"tests/data/adapters/petstore.yaml"_s));
        retype(dialog->hostEdit(), u"127.0.0.1"_s);
        dialog->protocolBox()->setFocus();
        QTest::keyClick(dialog->protocolBox(), Qt::Key_Down); // https → http
        QCOMPARE(dialog->protocolBox()->currentText(), u"http"_s);
        QCOMPARE(dialog->portBox()->value(), 80); // follows the protocol
        retype(dialog->portBox(), QString::number(m_server->port()));
        QCOMPARE(dialog->portBox()->value(), m_server->port());
        QVERIFY(dialog->addButton()->isEnabled());
        QTest::mouseClick(dialog->addButton(), Qt::LeftButton);
        QTRY_VERIFY(m_page->addDialog() == nullptr);
        QTRY_COMPARE(m_page->selectedName(), u"petstore"_s);
        QTRY_COMPARE(m_page->propertiesForm()->fieldCount() > 0, true);
    }

    /// Clicks Save and waits for the engine's answer.
    void save()
    {
        QTRY_VERIFY(m_page->saveButton()->isEnabled());
        QTest::mouseClick(m_page->saveButton(), Qt::LeftButton);
        auto *note = m_page->findChild<QLabel *>(u"adapterSaveNote"_s);
        QVERIFY(note);
        QTRY_VERIFY2(note->text().startsWith(u"Saved"_s), qPrintable(note->text()));
    }

private Q_SLOTS:
    void init() { m_prompter = test::FakePrompter(); }
    void cleanup()
    {
        m_page.reset();
        m_server.reset();
        m_engine.reset();
    }

    void addEditTestAndRemove()
    {
        openPage();
        QVERIFY(!QTest::currentTestFailed());
        addPetstore();
        QVERIFY(!QTest::currentTestFailed());
        ui::SchemaForm *form = m_page->propertiesForm();
        QTRY_VERIFY(m_page->healthText().startsWith(u"Not checked"_s));

        // A value the schema refuses is marked at its field, and nothing is sent.
        retype(form->editor(u"/port"_s), u"99999"_s);
        QTest::mouseClick(m_page->saveButton(), Qt::LeftButton);
        QVERIFY(!form->problem(u"/port"_s).isEmpty());
        QVERIFY(m_engine->adapterCatalog->byName("petstore")->properties["port"] ==
                m_server->port());

        // Fix it, set the health path, no retries, and basic auth with a password.
        retype(form->editor(u"/port"_s), QString::number(m_server->port()));
        retype(form->editor(u"/healthcheck/URI_path"_s), u"/health"_s);
        retype(form->editor(u"/request/number_retries"_s), u"0"_s);
        auto *password = qobject_cast<QLineEdit *>(form->editor(u"/authentication/password"_s));
        QVERIFY(password);
        QCOMPARE(password->echoMode(), QLineEdit::Password);
        retype(password, u"s3cret-pa55"_s);
        retype(form->editor(u"/authentication/username"_s), u"alice"_s);
        auto *method = qobject_cast<QComboBox *>(form->editor(u"/authentication/auth_method"_s));
        QVERIFY(method);
        method->setFocus();
        QTest::keyClick(method, Qt::Key_B); // the first choice starting with b
        QCOMPARE(method->currentText(), u"basic user_password"_s);
        save();
        QVERIFY(!QTest::currentTestFailed());

        // Stored sealed; shown to nobody: the field is empty, its placeholder says why.
        password = qobject_cast<QLineEdit *>(form->editor(u"/authentication/password"_s));
        QVERIFY(password);
        QCOMPARE(password->text(), QString());
        QVERIFY(password->placeholderText().contains(u"stored"_s));
        auto record = m_engine->adapterCatalog->byName("petstore");
        QVERIFY(record.ok());
        QVERIFY(record->properties.dump().find("s3cret-pa55") == std::string::npos);
        auto opened = m_engine->adapterCatalog->withSecrets(*record);
        QVERIFY(opened.ok());
        QVERIFY(opened->properties["authentication"]["password"] == "s3cret-pa55");
        QVERIFY(opened->properties["healthcheck"]["URI_path"] == "/health");
        test::saveScreenshots(m_page.get(), u"adapters-form"_s);

        // Test connection: the light goes green with the latency.
        QTest::mouseClick(m_page->testButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(m_page->healthText().startsWith(u"Online"_s), kNetworkWait);
        QVERIFY2(m_page->healthText().contains(u" ms"_s), qPrintable(m_page->healthText()));
        QVERIFY(m_page->healthOf(u"petstore"_s).value("state", std::string()) == "ONLINE");
        QCOMPARE(m_page->instancesModel()->data(m_page->instancesModel()->index(0, 2)).toString(),
                 u"Online"_s);
        // The check went to /health with the credentials the form saved.
        const json checks = m_server->requestsTo("/health");
        QVERIFY(!checks.empty());
        const std::string authorization =
            checks.back()["headers"].value("authorization", std::string());
        QCOMPARE(authorization.rfind("Basic ", 0), std::size_t(0));
        test::saveScreenshots(m_page.get(), u"adapters-online"_s);

        // An edit to a secret-holding form that leaves the password alone keeps it.
        const int wrongPort = closedPort();
        QVERIFY(wrongPort > 0);
        retype(form->editor(u"/port"_s), QString::number(wrongPort));
        save();
        QVERIFY(!QTest::currentTestFailed());
        opened =
            m_engine->adapterCatalog->withSecrets(*m_engine->adapterCatalog->byName("petstore"));
        QVERIFY(opened.ok());
        QVERIFY(opened->properties["authentication"]["password"] == "s3cret-pa55");
        QVERIFY(opened->properties["port"] == wrongPort);
        // The changed instance's old finding no longer stands.
        QTRY_VERIFY(m_page->healthText().startsWith(u"Not checked"_s));

        // Wrong port: red, with the reason in words, in the detail and the list.
        QTest::mouseClick(m_page->testButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(m_page->healthText().startsWith(u"Offline"_s), kNetworkWait);
        QVERIFY2(m_page->healthText().contains(u"Could not reach"_s) &&
                     m_page->healthText().contains(QString::number(wrongPort)),
                 qPrintable(m_page->healthText()));
        QVERIFY(m_page->instancesModel()
                    ->data(m_page->instancesModel()->index(0, 4))
                    .toString()
                    .contains(u"refused"_s, Qt::CaseInsensitive));
        test::saveScreenshots(m_page.get(), u"adapters-offline"_s);

        // The methods, each with its request and input schema.
        m_page->tabs()->setCurrentIndex(1);
        QTableView *methods = m_page->methodsView();
        QTRY_VERIFY(methods->model()->rowCount() >= 4);
        int getPet = -1;
        for (int row = 0; row < methods->model()->rowCount(); ++row)
            if (methods->model()->index(row, 0).data().toString() == u"getPetById"_s)
                getPet = row;
        QVERIFY(getPet >= 0);
        QCOMPARE(methods->model()->index(getPet, 1).data().toString(), u"GET /pets/{petId}"_s);
        QCOMPARE(methods->model()->index(getPet, 2).data().toString(),
                 u"path: petId*, query: kind"_s);
        const QRect cell = methods->visualRect(methods->model()->index(getPet, 0));
        QTest::mouseClick(methods->viewport(), Qt::LeftButton, {}, cell.center());
        QVERIFY(m_page->inputSchemaText().contains(u"\"petId\""_s));
        QVERIFY(m_page->inputSchemaText().contains(u"\"required\""_s));
        test::saveScreenshots(m_page.get(), u"adapters-methods"_s);

        // Remove asks first; "no" keeps it, "yes" removes it.
        auto *remove = m_page->findChild<QAction *>(u"removeAdapter"_s);
        QVERIFY(remove && remove->isEnabled());
        m_prompter.confirmAnswer = false;
        remove->trigger();
        QCOMPARE(m_prompter.confirmations.size(), 1);
        QVERIFY(m_prompter.confirmations.first().text.contains(u"petstore"_s));
        QVERIFY(m_engine->adapterCatalog->byName("petstore").ok());
        m_prompter.confirmAnswer = true;
        remove->trigger();
        QTRY_VERIFY(!m_page->emptyText().isEmpty());
        QVERIFY(!m_engine->adapterCatalog->byName("petstore").ok());
    }

    /// The health light follows checks the operator did not start (the instance's own
    /// intermittent check) without Refresh.
    void lightUpdatesWithoutRefresh()
    {
        openPage();
        QVERIFY(!QTest::currentTestFailed());
        addPetstore();
        QVERIFY(!QTest::currentTestFailed());
        QTRY_VERIFY(m_page->healthText().startsWith(u"Not checked"_s));
        m_engine->adapterRunner->test("petstore", [](adapters::AdapterOutcome) {});
        QTRY_VERIFY_WITH_TIMEOUT(!m_page->healthText().startsWith(u"Not checked"_s),
                                 ui::AdaptersPage::kHealthIntervalMs + kNetworkWait);
        QVERIFY(m_page->healthOf(u"petstore"_s).value("state", std::string()) == "ONLINE");
    }

    /// Bad definitions and taken names are refused in the dialog, in the engine's words.
    void addRefusesWithReasons()
    {
        openPage();
        QVERIFY(!QTest::currentTestFailed());
        addPetstore();
        QVERIFY(!QTest::currentTestFailed());
        auto *add = m_page->findChild<QAction *>(u"addAdapter"_s);
        QVERIFY(add);
        add->trigger();
        ui::AddAdapterDialog *dialog = m_page->addDialog();
        QVERIFY(dialog);
        retype(dialog->nameEdit(), u"petstore"_s);
        retype(dialog->appEdit(), u"Petstore"_s);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        QFile broken(dir.filePath(u"broken.yaml"_s));
        QVERIFY(broken.open(QIODevice::WriteOnly));
        broken.write("openapi: 3.0.3\ninfo: {title: nothing, version: '1'}\npaths: {}\n");
        broken.close();
        retype(dialog->fileEdit(), broken.fileName());
        retype(dialog->hostEdit(), u"127.0.0.1"_s);
        QTest::mouseClick(dialog->addButton(), Qt::LeftButton);
        QTRY_VERIFY(!dialog->messageText().isEmpty());
        QVERIFY2(dialog->messageText().contains(u"/paths"_s), qPrintable(dialog->messageText()));
        QVERIFY(m_page->addDialog() == dialog); // still open, to fix
        retype(dialog->fileEdit(), u"/no/such/file.yaml"_s);
        QTest::mouseClick(dialog->addButton(), Qt::LeftButton);
        QVERIFY(dialog->messageText().contains(u"does not exist"_s));
        retype(dialog->fileEdit(), test::sourcePath(u"tests/data/adapters/petstore.yaml"_s));
        QTest::mouseClick(dialog->addButton(), Qt::LeftButton);
        QTRY_VERIFY2(dialog->messageText().contains(u"petstore"_s),
                     qPrintable(dialog->messageText())); // the name is taken
        dialog->reject();
    }

    /// An Itential adapter package is one more kind of definition: the folder is chosen, the
    /// name and app come from it, and the methods it cannot run are listed with the reason.
    void addItentialPackage()
    {
        openPage();
        QVERIFY(!QTest::currentTestFailed());
        QTRY_VERIFY(!m_page->emptyText().isEmpty());
        QTest::mouseClick(m_page->findChild<QPushButton *>(u"addAdapterEmptyButton"_s),
                          Qt::LeftButton);
        ui::AddAdapterDialog *dialog = m_page->addDialog();
        QVERIFY(dialog);
        QVERIFY(QTest::qWaitForWindowExposed(dialog));
        dialog->kindBox()->setFocus();
        QTest::keyClick(dialog->kindBox(), Qt::Key_Down); // OpenAPI → Itential package

        // A folder that is not a package is refused, naming why; the dialog stays to fix it.
        QTemporaryDir empty;
        QVERIFY(empty.isValid());
        m_prompter.folderToOpen = empty.path();
        QTest::mouseClick(dialog->findChild<QPushButton *>(u"browseDefinition"_s), Qt::LeftButton);
        QCOMPARE(dialog->fileEdit()->text(), empty.path());
        retype(dialog->nameEdit(), u"itsm"_s);
        retype(dialog->hostEdit(), u"127.0.0.1"_s);
        QVERIFY(dialog->addButton()->isEnabled()); // no app needed: the package names it
        QTest::mouseClick(dialog->addButton(), Qt::LeftButton);
        QVERIFY2(dialog->messageText().contains(u"no pronghorn.json"_s),
                 qPrintable(dialog->messageText()));

        retype(dialog->nameEdit(), QString());
        m_prompter.folderToOpen = test::sourcePath(u"tests/data/adapters/itential/itsm"_s);
        QTest::mouseClick(dialog->findChild<QPushButton *>(u"browseDefinition"_s), Qt::LeftButton);
        QCOMPARE(dialog->nameEdit()->text(), u"itsm"_s); // guessed from the folder
        test::saveScreenshots(dialog, u"adapters-add-package"_s);
        QTest::mouseClick(dialog->addButton(), Qt::LeftButton);
        QTRY_VERIFY(m_page->addDialog() == nullptr); // it closes (and is deleted) once added
        QTRY_COMPARE(m_page->selectedName(), u"itsm"_s);
        auto instance = m_engine->adapterCatalog->byName("itsm");
        QVERIFY(instance.ok());
        QCOMPARE(QString::fromStdString(instance->app), u"Itsm"_s);

        m_page->tabs()->setCurrentIndex(1);
        QTableView *methods = m_page->methodsView();
        QTRY_VERIFY(methods->model()->rowCount() > 3);
        int custom = -1, getChange = -1;
        for (int row = 0; row < methods->model()->rowCount(); ++row) {
            const QString name = methods->model()->index(row, 0).data().toString();
            if (name == u"summarizeChange"_s)
                custom = row;
            if (name == u"getChange"_s)
                getChange = row;
        }
        QVERIFY(custom >= 0 && getChange >= 0);
        QVERIFY2(methods->model()->index(custom, 1).data().toString().startsWith(
                     u"not run by Flowdeck: custom code"_s),
                 qPrintable(methods->model()->index(custom, 1).data().toString()));
        QVERIFY(methods->model()->index(getChange, 1).data().toString().startsWith(u"GET "_s));
        QCOMPARE(methods->model()->index(getChange, 2).data().toString(), u"changeId*, fields"_s);
        test::saveScreenshots(m_page.get(), u"adapters-package-methods"_s);
    }

    /// The task panel of an adapter task shows its request (token masked), its response and
    /// its attempts; the token is nowhere in the panel.
    void adapterTaskPanelShowsTheExchange()
    {
        openPage();
        QVERIFY(!QTest::currentTestFailed());
        QVERIFY(m_engine->adapterCatalog
                    ->create("pets", "Petstore", test::petstoreOpenApi(),
                             test::staticTokenPetstore(m_server->port()), std::nullopt)
                    .ok());
        const json edge = {{"state", "success"}, {"type", "standard"}};
        m_engine->importWorkflow(
            {{"name", "fetch a pet"},
             {"type", "automation"},
             {"tasks",
              {{"workflow_start", {{"name", "workflow_start"}, {"groups", json::array()}}},
               {"workflow_end", {{"name", "workflow_end"}, {"groups", json::array()}}},
               {"a1",
                {{"name", "getPetById"},
                 {"summary", "Fetch the pet"},
                 {"app", "Petstore"},
                 {"type", "automatic"},
                 {"variables",
                  {{"incoming", {{"petId", "7"}, {"kind", "cat"}}},
                   {"outgoing", {{"result", ""}}},
                   {"error", ""},
                   {"decorators", json::array()}}}}}}},
             {"transitions",
              {{"workflow_start", {{"a1", edge}}},
               {"a1", {{"workflow_end", edge}}},
               {"workflow_end", json::object()}}}});
        QVERIFY(!QTest::currentTestFailed());
        runtime::StartJobOptions options;
        options.workflow = "fetch a pet";
        auto started = m_engine->engine->startJob(options);
        QVERIFY(started.ok());
        const std::string id = (*started)["_id"];
        QTRY_VERIFY_WITH_TIMEOUT((*m_engine->engine->jobDocument(id))["status"] == json("complete"),
                                 kNetworkWait);

        ui::TaskPanel panel(*m_engine->client);
        panel.resize(520, 900);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        panel.showTask(*m_engine->engine->jobDocument(id), u"a1"_s);
        QTRY_COMPARE(int(panel.runs().size()), 1);
        ui::AdapterCallView *call = panel.adapterCallView();
        QTRY_VERIFY(call->isVisible());
        const QString url =
            u"GET http://127.0.0.1:%1/static/pets/7?kind=cat"_s.arg(m_server->port());
        QVERIFY2(call->requestText().startsWith(url), qPrintable(call->requestText()));
        QVERIFY(call->requestText().contains(u"X-Api-Key: ********"_s));
        QVERIFY(call->responseText().startsWith(u"Status 200"_s));
        QVERIFY(call->responseText().contains(u"\"Rex\""_s));
        QVERIFY2(call->attemptsText().contains(u"status 200"_s), qPrintable(call->attemptsText()));
        QVERIFY2(call->attemptsText().contains(u" ms"_s), qPrintable(call->attemptsText()));
        for (const QString &text :
             {call->requestText(), call->responseText(), call->attemptsText()})
            QVERIFY(!text.contains(u"key-123"_s));
        test::saveScreenshots(&panel, u"adapter-task-panel"_s);
    }

    /// The start-job dialog and the workflow detail say which adapter each app's tasks need
    /// and whether an instance is there, and change when one is added.
    void startJobAndWorkflowDetailShowAdapterNeeds()
    {
        openPage();
        QVERIFY(!QTest::currentTestFailed());
        const json edge = {{"state", "success"}, {"type", "standard"}};
        auto task = [](const char *app, const char *method) {
            return json{{"name", method},
                        {"summary", method},
                        {"app", app},
                        {"type", "automatic"},
                        {"variables",
                         {{"incoming", json::object()},
                          {"outgoing", json::object()},
                          {"error", ""},
                          {"decorators", json::array()}}}};
        };
        m_engine->importWorkflow(
            {{"name", "open a ticket"},
             {"type", "automation"},
             {"tasks",
              {{"workflow_start", {{"name", "workflow_start"}, {"groups", json::array()}}},
               {"workflow_end", {{"name", "workflow_end"}, {"groups", json::array()}}},
               {"a1", task("Petstore", "getPetById")},
               {"a2", task("Servicenow", "createChangeRequest")}}},
             {"transitions",
              {{"workflow_start", {{"a1", edge}}},
               {"a1", {{"a2", edge}}},
               {"a2", {{"workflow_end", edge}}},
               {"workflow_end", json::object()}}}});
        QVERIFY(!QTest::currentTestFailed());

        {
            ui::StartJobDialog dialog(*m_engine->client, u"open a ticket"_s);
            dialog.show();
            QVERIFY(QTest::qWaitForWindowExposed(&dialog));
            QTRY_VERIFY(!dialog.adapterNeeds()->text().isEmpty());
            const QString text = dialog.adapterNeeds()->text();
            QVERIFY2(text.contains(u"Petstore — no instance; add one in Adapters"_s),
                     qPrintable(text));
            QVERIFY(text.contains(u"Servicenow — no instance; add one in Adapters"_s));
            QVERIFY(dialog.adapterNeeds()->hasProblems());
            test::saveScreenshots(&dialog, u"start-job-adapter-needs"_s);
        }
        addPetstore();
        QVERIFY(!QTest::currentTestFailed());
        ui::WorkflowDetail detail(*m_engine->client);
        detail.resize(900, 700);
        detail.show();
        QVERIFY(QTest::qWaitForWindowExposed(&detail));
        detail.showWorkflow(u"open a ticket"_s);
        QTRY_VERIFY(detail.adapterNeeds()->text().contains(u"Petstore — instance petstore"_s));
        const QString text = detail.adapterNeeds()->text();
        QVERIFY2(text.contains(u"Servicenow — no instance; add one in Adapters"_s),
                 qPrintable(text));
        QVERIFY(!text.contains(u"Petstore — no instance"_s));
        test::saveScreenshots(&detail, u"workflow-adapter-needs"_s);

        // A workflow without adapter tasks shows nothing of it.
        m_engine->importWorkflow(
            {{"name", "no adapters"},
             {"type", "automation"},
             {"tasks",
              {{"workflow_start", {{"name", "workflow_start"}, {"groups", json::array()}}},
               {"workflow_end", {{"name", "workflow_end"}, {"groups", json::array()}}},
               {"s1", task("WorkFlowEngine", "stub")}}},
             {"transitions",
              {{"workflow_start", {{"s1", edge}}},
               {"s1", {{"workflow_end", edge}}},
               {"workflow_end", json::object()}}}});
        QVERIFY(!QTest::currentTestFailed());
        ui::StartJobDialog plain(*m_engine->client, u"no adapters"_s);
        QSignalSpy loaded(plain.adapterNeeds(), &ui::AdapterNeedsView::loaded);
        QVERIFY(loaded.wait());
        QVERIFY(plain.adapterNeeds()->text().isEmpty());
    }

    void secretFieldsKeepWhatIsStored()
    {
        const json schema = {{"type", "object"},
                             {"properties",
                              {{"host", {{"type", "string"}}},
                               {"authentication",
                                {{"type", "object"},
                                 {"properties",
                                  {{"password", {{"type", "string"}, {"format", "password"}}},
                                   {"token", {{"type", "string"}, {"format", "password"}}}}}}}}}};
        const QStringList pointers = ui::secretfields::pointers(schema);
        QCOMPARE(pointers,
                 (QStringList{u"/authentication/password"_s, u"/authentication/token"_s}));
        const json stored = {{"host", "h"},
                             {"authentication", {{"password", "********"}, {"token", ""}}}};
        QVERIFY(ui::secretfields::withoutSecrets(stored, pointers)["authentication"]["password"] ==
                "");
        // Left empty: the mask goes back (keep); typed: the new value; never stored: nothing.
        json sent = ui::secretfields::forSave({{"host", "h"}}, stored, pointers);
        QVERIFY(sent["authentication"]["password"] == "********");
        QVERIFY(!sent["authentication"].contains("token"));
        sent = ui::secretfields::forSave({{"authentication", {{"password", "new"}}}}, stored,
                                         pointers);
        QVERIFY(sent["authentication"]["password"] == "new");
    }
};

QTEST_MAIN(TestAdaptersPage)
#include "TestAdaptersPage.moc"
