// SPDX-License-Identifier: GPL-3.0-or-later
// The window end to end: a real engine (":memory:" store) behind a LocalClient, dialogs
// answered by a FakePrompter.
#include "ui/main/MainWindow.h"

#include "engine/api/EngineApi.h"
#include "engine/api/WorkflowCatalog.h"
#include "engine/store/SqliteStore.h"
#include "tests/support/JsonAsserts.h"
#include "tests/support/TestPaths.h"
#include "tests/ui/FakePrompter.h"
#include "tests/ui/Screenshots.h"
#include "ui/adapters/AdaptersPage.h"
#include "ui/automations/AutomationsPage.h"
#include "ui/canvas/TaskItem.h"
#include "ui/canvas/WorkflowCanvas.h"
#include "ui/canvas/WorkflowScene.h"
#include "ui/client/LocalClient.h"
#include "ui/editor/EditSession.h"
#include "ui/editor/TaskPalette.h"
#include "ui/editor/WorkflowEditor.h"
#include "ui/main/AboutDialog.h"
#include "ui/main/ImportReport.h"
#include "ui/main/NavigationRail.h"
#include "ui/main/ShortcutsDialog.h"
#include "ui/main/ToolTipWrapper.h"
#include "ui/main/WorkflowDetail.h"
#include "ui/main/WorkflowsModel.h"

#include <QAbstractButton>
#include <QAbstractItemModelTester>
#include <QAction>
#include <QApplication>
#include <QDialog>
#include <QDir>
#include <QFile>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QScreen>
#include <QScrollArea>
#include <QScrollBar>
#include <QSettings>
#include <QSplitter>
#include <QStackedWidget>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>
#include <QTreeWidget>

#include <memory>

using namespace flowdeck;
using namespace Qt::StringLiterals;
using nlohmann::json;

namespace {

const QString kCompliance = u"Config Compliance"_s;
const QString kHealthCheck = u"Device Health Check"_s;

/// A demo by file name, or any fixture by its path in the source tree.
QString demo(const QString &file)
{
    return test::sourcePath(file.contains(u'/') ? file : u"resources/demo/"_s + file);
}

/// Store, catalog, engine API and the client the window talks to, torn down in reverse.
struct EngineStack
{
    std::unique_ptr<store::SqliteStore> store;
    std::unique_ptr<api::WorkflowCatalog> catalog;
    std::unique_ptr<api::EngineApi> api;
    std::unique_ptr<ui::LocalClient> client;

    ~EngineStack()
    {
        client.reset(); // joins the worker before the engine it calls goes away
    }
};

QStringList cells(const QTableWidget *table, int column)
{
    QStringList out;
    for (int row = 0; row < table->rowCount(); ++row)
        out.append(table->item(row, column) ? table->item(row, column)->text() : QString());
    return out;
}

} // namespace

class TestMainWindow : public QObject
{
    Q_OBJECT
private:
    std::unique_ptr<EngineStack> m_engine;
    std::unique_ptr<ui::MainWindow> m_window;
    test::FakePrompter *m_prompter = nullptr;
    QTemporaryDir m_files;

    /// A fresh engine holding the given demo files, and a window on it.
    void openWindow(const QStringList &demoFiles)
    {
        m_window.reset();
        m_engine = std::make_unique<EngineStack>();
        auto opened = store::SqliteStore::open(":memory:");
        QVERIFY2(opened.ok(), opened.ok() ? "" : opened.error().message.c_str());
        m_engine->store = std::move(*opened);
        m_engine->catalog = std::make_unique<api::WorkflowCatalog>(*m_engine->store);
        m_engine->api = std::make_unique<api::EngineApi>(
            api::EngineContext{*m_engine->store, *m_engine->catalog});
        std::vector<api::ImportItem> items;
        for (const QString &file : demoFiles) {
            auto item = api::WorkflowCatalog::readFile(demo(file).toStdString());
            QVERIFY(item.ok());
            items.push_back(std::move(*item));
        }
        if (!items.empty())
            QVERIFY(m_engine->catalog->import(items, "tester", api::OnExisting::Refuse).ok());
        m_engine->client = std::make_unique<ui::LocalClient>(*m_engine->api);
        api::Principal alice;
        alice.username = "alice";
        alice.admin = true;
        m_engine->client->setPrincipal(alice);

        m_window = std::make_unique<ui::MainWindow>(*m_engine->client, u"/srv/flowdeck/store.db"_s,
                                                    u"alice"_s);
        // The window opens on Jobs; these tests are about the Workflows page.
        m_window->showPage(ui::MainWindow::Page::Workflows);
        auto prompter = std::make_unique<test::FakePrompter>();
        m_prompter = prompter.get();
        m_window->setPrompter(std::move(prompter));
    }

    void trigger(const QString &objectName)
    {
        auto *action = m_window->findChild<QAction *>(objectName);
        QVERIFY2(action, qPrintable(objectName));
        QVERIFY2(action->isEnabled(), qPrintable(objectName));
        action->trigger();
    }

    QTableWidget *table(const QString &objectName) const
    {
        return m_window->workflowDetail()->findChild<QTableWidget *>(objectName);
    }

    QString writeFile(const QString &name, const QByteArray &text)
    {
        const QString path = m_files.filePath(name);
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly) || file.write(text) != text.size())
            return {};
        return path;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(u"flowdeck-tests"_s);
        QCoreApplication::setApplicationName(u"TestMainWindow"_s);
        QSettings().clear();
        QVERIFY(m_files.isValid());
    }

    void cleanup()
    {
        m_window.reset();
        m_engine.reset();
    }

    void listsTheStoredWorkflows()
    {
        openWindow({u"branching-config-compliance.json"_s, u"linear-device-health-check.json"_s});
        ui::WorkflowsModel *model = m_window->workflowsModel();
        QAbstractItemModelTester tester(model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QTRY_COMPARE(model->rowCount(), 2);
        QCOMPARE(model->columnCount(), 4);
        QCOMPARE(model->nameAt(0), kCompliance);
        QCOMPARE(model->nameAt(1), kHealthCheck);
        // workflow_start and workflow_end are not counted.
        QCOMPARE(model->index(0, ui::WorkflowsModel::TasksColumn).data().toInt(), 6);
        QVERIFY(model->index(0, ui::WorkflowsModel::DescriptionColumn)
                    .data()
                    .toString()
                    .startsWith(u"Audits one device"_s));
        QVERIFY(!model->index(0, ui::WorkflowsModel::UpdatedColumn).data().toString().isEmpty());
        // The first workflow is selected, so the detail is never blank when there is one.
        QTRY_COMPARE(m_window->selectedWorkflow(), kCompliance);

        // Refresh keeps the selection and goes through the tester again.
        m_window->selectWorkflow(kHealthCheck);
        trigger(u"actionRefresh"_s);
        QTRY_VERIFY(!model->isLoading());
        QCOMPARE(model->rowCount(), 2);
        QTRY_COMPARE(m_window->selectedWorkflow(), kHealthCheck);
    }

    void statusBarShowsStoreAndUser()
    {
        openWindow({});
        auto *store = m_window->statusBar()->findChild<QLabel *>(u"storeLabel"_s);
        auto *user = m_window->statusBar()->findChild<QLabel *>(u"userLabel"_s);
        QVERIFY(store && user);
        QVERIFY(store->text().contains(u"/srv/flowdeck/store.db"_s));
        QVERIFY(user->text().contains(u"alice"_s));
        // An empty store says how to fill it instead of showing an empty table.
        auto *message = m_window->findChild<QLabel *>(u"workflowsMessage"_s);
        QTRY_VERIFY(message->text().contains(u"No workflows yet"_s));
        QVERIFY(!m_window->findChild<QAction *>(u"actionExport"_s)->isEnabled());
    }

    void actionsHaveShortcutsInTheirTooltips()
    {
        openWindow({});
        const QList<std::pair<QString, QString>> expected{{u"actionImport"_s, u"Ctrl+I"_s},
                                                          {u"actionExport"_s, u"Ctrl+E"_s},
                                                          {u"actionRefresh"_s, u"F5"_s}};
        for (const auto &[name, keys] : expected) {
            auto *action = m_window->findChild<QAction *>(name);
            QVERIFY2(action, qPrintable(name));
            QCOMPARE(action->shortcut().toString(QKeySequence::PortableText), keys);
            QVERIFY2(
                action->toolTip().contains(action->shortcut().toString(QKeySequence::NativeText)),
                qPrintable(action->toolTip()));
        }
        QVERIFY(m_window->findChild<QAction *>(u"actionQuit"_s));
    }

    // The window's account is an administrator: File → Accounts… opens the dialog.
    void accountsAreForAdministrators()
    {
        openWindow({});
        QAction *accounts = m_window->accountsAction();
        QTRY_VERIFY(accounts->isEnabled());
        accounts->trigger();
        QTRY_VERIFY(m_window->findChild<QDialog *>(u"accountsDialog"_s));
        QVERIFY(m_window->findChild<QDialog *>(u"accountsDialog"_s)->isVisible());
    }

    void startJobOpensTheFormOfTheSelectedWorkflow()
    {
        openWindow({u"linear-device-health-check.json"_s});
        QTRY_COMPARE(m_window->selectedWorkflow(), kHealthCheck);
        auto *action = m_window->findChild<QAction *>(u"actionStartJob"_s);
        QVERIFY(action);
        QCOMPARE(action->shortcut().toString(QKeySequence::PortableText), u"Ctrl+J"_s);
        QTRY_VERIFY(action->isEnabled());
        action->trigger();
        auto *dialog = m_window->findChild<QDialog *>(u"startJobDialog"_s);
        QVERIFY(dialog);
        QTRY_VERIFY(dialog->isVisible());
        dialog->reject();
    }

    void railReachesEveryPage()
    {
        openWindow({});
        auto *pages = m_window->findChild<QStackedWidget *>(u"pages"_s);
        QVERIFY(pages);
        QCOMPARE(pages->count(), 6);
        m_window->showPage(ui::MainWindow::Page::Automations);
        QCOMPARE(pages->currentWidget(), static_cast<QWidget *>(m_window->automationsPage()));
        QCOMPARE(m_window->currentPage(), ui::MainWindow::Page::Automations);
        // The rail's last button is the Adapters page.
        QCOMPARE(m_window->navigationRail()->count(), 6);
        m_window->navigationRail()->button(5)->click();
        QCOMPARE(pages->currentWidget(), static_cast<QWidget *>(m_window->adaptersPage()));
        QCOMPARE(m_window->currentPage(), ui::MainWindow::Page::Adapters);
    }

    void detailShowsTheSelectedWorkflow()
    {
        openWindow({u"branching-config-compliance.json"_s, u"linear-device-health-check.json"_s});
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        QTableView *view = m_window->workflowsView();
        QTRY_COMPARE(view->model()->rowCount(), 2);

        // Click the second workflow, then the first, as an operator would.
        QTest::mouseClick(view->viewport(), Qt::LeftButton, {},
                          view->visualRect(view->model()->index(1, 0)).center());
        auto *title = m_window->workflowDetail()->findChild<QLabel *>(u"workflowTitle"_s);
        QTRY_COMPARE(title->text(), kHealthCheck);
        QTRY_COMPARE(table(u"tasksTable"_s)->rowCount(), 6);

        QTest::mouseClick(view->viewport(), Qt::LeftButton, {},
                          view->visualRect(view->model()->index(0, 0)).center());
        QTRY_COMPARE(title->text(), kCompliance);
        QTableWidget *tasks = table(u"tasksTable"_s);
        QTRY_COMPARE(tasks->rowCount(), 6);
        // Canvas order: row by row, left to right within a row.
        QCOMPARE(cells(tasks, 0),
                 (QStringList{u"d2a0"_s, u"f4c6"_s, u"d2b1"_s, u"d2c2"_s, u"e3a4"_s, u"e3b5"_s}));
        QCOMPARE(cells(tasks, 1).first(), u"Parse config snapshot"_s);
        QCOMPARE(cells(tasks, 2).first(), u"parse"_s);
        QCOMPARE(cells(tasks, 3).first(), u"WorkFlowEngine"_s);
        QCOMPARE(cells(tasks, 4).first(), u"automatic"_s);
        QCOMPARE(cells(tasks, 5), (QStringList{u"2"_s, u"3"_s, u"3"_s, u"4"_s, u"4"_s, u"5"_s}));
        QCOMPARE(cells(tasks, 6), (QStringList{u"2"_s, u"1"_s, u"2"_s, u"2"_s, u"3"_s, u"3"_s}));

        QTableWidget *transitions = table(u"transitionsTable"_s);
        // Nine links; the empty entry under workflow_end is not one.
        QCOMPARE(transitions->rowCount(), 9);
        QCOMPARE(transitions->item(0, 0)->text(), u"Start"_s);
        QCOMPARE(transitions->item(0, 1)->text(), u"Parse config snapshot"_s);
        QVERIFY(cells(transitions, 2).contains(u"error"_s));
        QVERIFY(cells(transitions, 2).contains(u"failure"_s));
        QVERIFY(!cells(transitions, 0).contains(u"End"_s));

        QTableWidget *inputs = table(u"inputsTable"_s);
        QCOMPARE(cells(inputs, 0), (QStringList{u"configSnapshot"_s, u"device"_s}));
        QCOMPARE(cells(inputs, 1), (QStringList{u"string"_s, u"string"_s}));
        QCOMPARE(cells(inputs, 2), (QStringList{u"Yes"_s, u"Yes"_s}));
    }

    void aLargeWorkflowPreviewIsReadableAndGrows()
    {
        const QString upgrade = u"IOS-XE Software Upgrade"_s;
        openWindow({u"tests/data/workflows/valid/canvas3-ios-upgrade-55.json"_s,
                    u"linear-device-health-check.json"_s});
        m_window->resize(1280, 800);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        QTRY_COMPARE(m_window->workflowsModel()->rowCount(), 2);
        m_window->selectWorkflow(upgrade);
        auto *title = m_window->workflowDetail()->findChild<QLabel *>(u"workflowTitle"_s);
        QTRY_COMPARE(title->text(), upgrade);
        ui::canvas::WorkflowCanvas *canvas = m_window->workflowDetail()->canvas();
        QTRY_COMPARE(canvas->workflowScene()->taskItems().size(), std::size_t(55));
        QTest::qWait(30);
        // Every card in view carries its name.
        QVERIFY(canvas->labelsVisible());
        canvas->viewport()->grab();
        const QRectF visible = canvas->mapToScene(canvas->viewport()->rect()).boundingRect();
        int inView = 0;
        for (auto *task : canvas->workflowScene()->taskItems())
            if (visible.intersects(task->sceneCardRect())) {
                ++inView;
                QVERIFY2(task->labelsDrawn(), qPrintable(task->name()));
            }
        QVERIFY(inView >= 3);

        // Row and column are cells counted from the top-left, never "-12.2".
        QTableWidget *tasks = table(u"tasksTable"_s);
        QCOMPARE(tasks->rowCount(), 55);
        for (int column : {5, 6})
            for (const QString &value : cells(tasks, column)) {
                bool whole = false;
                QVERIFY2(value.toInt(&whole) >= 1 && whole, qPrintable(value));
            }
        QVERIFY(test::saveScreenshotsEveryWay(m_window.get(), u"workflows-preview-55"_s));

        // Dragging the splitter gives the canvas more room.
        auto *splitter = m_window->workflowDetail()->findChild<QSplitter *>(u"workflowSplitter"_s);
        QVERIFY(splitter);
        const int before = canvas->height();
        QSplitterHandle *handle = splitter->handle(1);
        const QPoint grip = handle->rect().center();
        QTest::mousePress(handle, Qt::LeftButton, {}, grip);
        QTest::mouseMove(handle, grip + QPoint(0, 90));
        QTest::mouseRelease(handle, Qt::LeftButton, {}, grip + QPoint(0, 90));
        QTRY_VERIFY(canvas->height() > before + 40);

        // Full size gives it the whole page; pressing again gives the tables their room back.
        auto *fullSize = m_window->workflowDetail()->findChild<QToolButton *>(u"canvasFullSize"_s);
        QVERIFY(fullSize);
        QTest::mouseClick(fullSize, Qt::LeftButton);
        QVERIFY(m_window->workflowDetail()->isCanvasFullSize());
        QTRY_COMPARE(splitter->sizes().value(1), 0);
        QVERIFY(canvas->height() > splitter->height() - 12);
        QVERIFY(test::saveScreenshots(m_window.get(), u"workflows-preview-55-full"_s));
        QTest::mouseClick(fullSize, Qt::LeftButton);
        QTRY_VERIFY(splitter->sizes().value(1) > 100);
    }

    void importTakesRealExportsAndReportsEveryOne()
    {
        openWindow({u"branching-config-compliance.json"_s});
        m_window->resize(1280, 800);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        QTRY_COMPARE(m_window->workflowsModel()->rowCount(), 1);
        // A folder of exports: two versions of one workflow, a broken one, a JST the command
        // line takes, and an automation that names its workflow only by name.
        QFile healthFile(demo(u"linear-device-health-check.json"_s));
        QVERIFY(healthFile.open(QIODevice::ReadOnly));
        json older = json::parse(healthFile.readAll().toStdString());
        older["last_updated"] = "2025-01-01T00:00:00.000Z";
        json newer = older;
        newer["last_updated"] = "2026-03-01T00:00:00.000Z";
        newer["description"] = "Checks a device (newest export).";
        json broken = older;
        broken["name"] = "Broken Check";
        broken["tasks"]["a1"] = {{"name", "stub"}, {"type", "nonsense"}};
        const json automation = {{"name", "Health check on demand"},
                                 {"componentType", "workflows"},
                                 {"componentId", nullptr},
                                 {"componentName", "Device Health Check"},
                                 {"triggers", json::array()}};
        const json orphan = {{"name", "Ticket sync"},
                             {"componentType", "workflows"},
                             {"componentId", nullptr},
                             {"componentName", "@0123456789abcdef01234567: Sync Tickets"},
                             {"triggers", json::array()}};
        m_prompter->filesToOpen = {
            writeFile(u"health-check-2025.json"_s, QByteArray::fromStdString(older.dump(2))),
            writeFile(u"health-check-2026.json"_s, QByteArray::fromStdString(newer.dump(2))),
            writeFile(u"broken-check.json"_s, QByteArray::fromStdString(broken.dump(2))),
            test::sourcePath(u"tests/data/jst/alarm-to-ticket.json"_s),
            writeFile(u"automation-health.json"_s, QByteArray::fromStdString(automation.dump(2))),
            writeFile(u"automation-tickets.json"_s, QByteArray::fromStdString(orphan.dump(2)))};
        m_prompter->confirmAnswer = true; // "Import the Rest"
        trigger(u"actionImport"_s);
        QTRY_VERIFY(m_window->findChild<ui::ImportReport *>());
        QCOMPARE(m_prompter->confirmations.size(), 1);
        QCOMPARE(m_prompter->confirmations.first().details, u"Import the Rest"_s);
        ui::ImportReport *report = m_window->findChild<ui::ImportReport *>();
        QVERIFY(report->isVisible());
        QTreeWidget *lines = report->tree();
        QCOMPARE(lines->topLevelItemCount(), 6);
        auto line = [&](const QString &file) -> QTreeWidgetItem * {
            for (int i = 0; i < lines->topLevelItemCount(); ++i)
                if (lines->topLevelItem(i)->text(0) == file)
                    return lines->topLevelItem(i);
            return nullptr;
        };
        QVERIFY(line(u"health-check-2026.json"_s));
        QCOMPARE(line(u"health-check-2026.json"_s)->text(3), u"Imported"_s);
        QCOMPARE(line(u"health-check-2025.json"_s)->text(3), u"Skipped"_s);
        QVERIFY(line(u"health-check-2025.json"_s)->child(0)->text(0).contains(u"newer"_s));
        QVERIFY(line(u"health-check-2025.json"_s)
                    ->child(0)
                    ->text(0)
                    .contains(u"health-check-2026.json"_s));
        QCOMPARE(line(u"broken-check.json"_s)->text(3), u"Skipped"_s);
        QVERIFY(line(u"broken-check.json"_s)->childCount() >= 2); // the reason and its issues
        QCOMPARE(line(u"alarm-to-ticket.json"_s)->text(1), u"JST"_s);
        QCOMPARE(line(u"alarm-to-ticket.json"_s)->text(3), u"Imported"_s);
        QCOMPARE(line(u"automation-health.json"_s)->text(1), u"Automation"_s);
        QCOMPARE(line(u"automation-health.json"_s)->childCount(), 0);
        QVERIFY(line(u"automation-tickets.json"_s)->child(0)->text(0).contains(u"Sync Tickets"_s));
        // That warning is longer than the report is wide: it wraps, whole, instead of eliding.
        {
            QTreeWidgetItem *warning = line(u"automation-tickets.json"_s)->child(0);
            const QRect shown = lines->visualItemRect(warning);
            const QFontMetrics fm(lines->font());
            QVERIFY(fm.horizontalAdvance(warning->text(0)) > shown.width());
            const QRect needed = fm.boundingRect(QRect(0, 0, shown.width() - 16, 1 << 20),
                                                 Qt::TextWordWrap, warning->text(0));
            QVERIFY2(shown.height() >= needed.height(),
                     qPrintable(u"%1 px for %2"_s.arg(shown.height()).arg(needed.height())));
            QVERIFY(shown.height() >= 2 * fm.height());
        }
        QVERIFY(report->summaryText().contains(u"4 documents imported"_s));
        QVERIFY(report->summaryText().contains(u"2 skipped"_s));
        QVERIFY(test::saveScreenshotsEveryWay(report, u"import-report"_s));
        // The lists show what came in.
        QTRY_COMPARE(m_window->workflowsModel()->rowCount(), 2);
        auto stored = m_engine->store->workflowByName("Device Health Check");
        QVERIFY(stored.ok());
        QCOMPARE(stored->document["description"].get<std::string>(),
                 std::string("Checks a device (newest export)."));
    }

    void theWorkflowListSortsAndFilters()
    {
        openWindow({u"branching-config-compliance.json"_s, u"linear-device-health-check.json"_s,
                    u"manual-change-approval.json"_s, u"revert-retry-loop.json"_s});
        m_window->resize(1280, 800);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        QTableView *view = m_window->workflowsView();
        QTRY_COMPARE(view->model()->rowCount(), 4);
        auto names = [&] {
            QStringList out;
            for (int r = 0; r < view->model()->rowCount(); ++r)
                out << view->model()->index(r, 0).data().toString();
            return out;
        };
        QStringList byName = names();
        QStringList sorted = byName;
        sorted.sort(Qt::CaseInsensitive);
        QCOMPARE(byName, sorted);
        // A click on Name again turns the order round.
        QHeaderView *header = view->horizontalHeader();
        QTest::mouseClick(header->viewport(), Qt::LeftButton, {},
                          QPoint(header->sectionViewportPosition(0) + 10, header->height() / 2));
        std::reverse(sorted.begin(), sorted.end());
        QCOMPARE(names(), sorted);
        // The filter narrows by name or description as one types.
        auto *filter = m_window->findChild<QLineEdit *>(u"workflowFilter"_s);
        QVERIFY(filter);
        QTest::keyClicks(filter, u"approval"_s);
        QTRY_COMPARE(view->model()->rowCount(), 1);
        QCOMPARE(names(), QStringList{u"Change Approval"_s});
        QTest::keyClicks(filter, u"zzz"_s);
        auto *message = m_window->findChild<QLabel *>(u"workflowsMessage"_s);
        QTRY_VERIFY(message->isVisible());
        QVERIFY(message->text().contains(u"No workflow matches"_s));
        filter->clear();
        QTRY_COMPARE(view->model()->rowCount(), 4);
        // Name and Description get the room; neither shrinks to a letter.
        QVERIFY(view->columnWidth(0) >= 120);
        QVERIFY(view->columnWidth(2) >= 120);
    }

    void helpSaysWhatThisIsAndWhichKeysDoWhat()
    {
        openWindow({});
        m_window->setApiAddress(u"http://127.0.0.1:3000"_s);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        QVERIFY(!m_window->windowIcon().isNull());
        trigger(u"actionAbout"_s);
        auto *about = m_window->findChild<ui::AboutDialog *>();
        QTRY_VERIFY(about && about->isVisible());
        QVERIFY(about->factsText().contains(QStringLiteral(FLOWDECK_VERSION)));
        QVERIFY(about->factsText().contains(u"/srv/flowdeck/store.db"_s));
        QVERIFY(about->factsText().contains(u"http://127.0.0.1:3000"_s));
        about->close();
        QTest::keyClick(m_window.get(), Qt::Key_F1);
        auto *keys = m_window->findChild<ui::ShortcutsDialog *>();
        QTRY_VERIFY(keys && keys->isVisible());
        QStringList rows;
        for (int r = 0; r < keys->table()->rowCount(); ++r)
            rows << keys->table()->item(r, 0)->text() + u" = "_s +
                        keys->table()->item(r, 1)->text();
        const QString all = rows.join(u'\n');
        QVERIFY2(all.contains(u"Ctrl+E = Export"_s), qPrintable(all));
        QVERIFY2(all.contains(u"Ctrl+Shift+E"_s), qPrintable(all)); // Automations' enable
        QVERIFY2(all.contains(u"Ctrl+Shift+R = Retry"_s), qPrintable(all));
        QVERIFY2(all.contains(u"Ctrl+P = Pause"_s), qPrintable(all));
        // One key, one meaning, wherever it works.
        QHash<QString, QString> seen;
        for (int r = 0; r < keys->table()->rowCount(); ++r) {
            const QString key =
                keys->table()->item(r, 0)->text() + keys->table()->item(r, 2)->text();
            QVERIFY2(!seen.contains(key), qPrintable(key));
            seen.insert(key, {});
        }
    }

    void railLabelsTipsAndIconsHoldUpAtLargeFontsAndOnDark()
    {
        openWindow({});
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        ui::NavigationRail *rail = m_window->navigationRail();

        // A large system font: each rail label has the width it needs, the rail grows.
        QFont large = m_window->font();
        large.setPointSizeF(large.pointSizeF() * 1.8);
        m_window->setFont(large);
        QFont label = large;
        label.setPointSizeF(large.pointSizeF() * 0.92);
        label.setWeight(QFont::DemiBold);
        const QFontMetrics fm(label);
        for (int i = 0; i < rail->count(); ++i) {
            QAbstractButton *button = rail->button(i);
            QTRY_VERIFY2(button->width() >= fm.horizontalAdvance(button->text()) + 4,
                         qPrintable(u"%1: %2 px"_s.arg(button->text()).arg(button->width())));
        }

        // A long plain tip wraps; a short one, or rich text, is left as it is.
        const QString longTip(u"A job's description can run to a paragraph, and a tool tip on "
                              "one line would run off the screen before it ended."_s);
        QVERIFY(longTip.size() > ui::ToolTipWrapper::kWrapAbove);
        const QString shown = ui::ToolTipWrapper::wrapped(longTip);
        QVERIFY(Qt::mightBeRichText(shown));
        QVERIFY(shown.contains(u"white-space:pre-wrap"_s));
        QCOMPARE(ui::ToolTipWrapper::wrapped(u"Start a job (Ctrl+J)"_s), u"Start a job (Ctrl+J)"_s);

        // On a dark palette the Start job icon is drawn light: it does not vanish into the
        // toolbar.
        auto inkLightness = [this] {
            auto *start = m_window->findChild<QAction *>(u"actionStartJob"_s);
            const QImage image = start->icon().pixmap(24, 24).toImage();
            qreal sum = 0;
            int inked = 0;
            for (int y = 0; y < image.height(); ++y)
                for (int x = 0; x < image.width(); ++x) {
                    const QColor c = image.pixelColor(x, y);
                    if (c.alphaF() > 0.5f) {
                        sum += c.lightnessF();
                        ++inked;
                    }
                }
            return inked > 0 ? sum / inked : -1.0;
        };
        const QPalette light = QApplication::palette();
        QVERIFY(inkLightness() >= 0 && inkLightness() < 0.5);
        QApplication::setPalette(test::darkPalette());
        QTRY_VERIFY2(inkLightness() > 0.6, qPrintable(QString::number(inkLightness())));
        QApplication::setPalette(light);
    }

    void aSavedGeometryLargerThanTheScreenIsClamped()
    {
        {
            QSettings settings;
            settings.beginGroup(u"MainWindow"_s);
            QWidget huge;
            huge.setGeometry(0, 0, 5200, 3100);
            settings.setValue(u"geometry"_s, huge.saveGeometry());
        }
        openWindow({});
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        const QRect screen = m_window->screen()->availableGeometry();
        // As small as the screen, or as the window can be when the screen is smaller still.
        const QSize least = m_window->minimumSizeHint();
        QVERIFY2(m_window->width() <= std::max(screen.width(), least.width()) &&
                     m_window->height() <= std::max(screen.height(), least.height()),
                 qPrintable(u"%1x%2 on %3x%4"_s.arg(m_window->width())
                                .arg(m_window->height())
                                .arg(screen.width())
                                .arg(screen.height())));
        QVERIFY(screen.contains(m_window->frameGeometry().topLeft()));
        QSettings().remove(u"MainWindow"_s);
    }

    void importReportsAFileThatIsNotJson()
    {
        openWindow({u"branching-config-compliance.json"_s});
        QTRY_COMPARE(m_window->workflowsModel()->rowCount(), 1);
        const QString broken =
            writeFile(u"broken.json"_s, "{\n  \"name\": \"Broken\",\n  \"tasks\": {,\n}\n");
        QVERIFY(!broken.isEmpty());
        m_prompter->filesToOpen = {broken};
        trigger(u"actionImport"_s);
        QCOMPARE(m_prompter->errors.size(), 1);
        const auto &error = m_prompter->errors.first();
        QVERIFY2(error.details.contains(u"broken.json"_s), qPrintable(error.details));
        QVERIFY2(error.details.contains(u"line 3, column 13"_s), qPrintable(error.details));
        QCOMPARE(m_window->workflowsModel()->rowCount(), 1);
    }

    void importReportsEveryIssueOfAnInvalidWorkflow()
    {
        openWindow({u"branching-config-compliance.json"_s});
        QTRY_COMPARE(m_window->workflowsModel()->rowCount(), 1);
        m_prompter->filesToOpen = {
            demo(u"manual-change-approval.json"_s),
            test::sourcePath(u"tests/data/workflows/invalid/bad-task-type.json"_s)};
        trigger(u"actionImport"_s);
        QTRY_COMPARE(m_prompter->errors.size(), 1);
        const auto &error = m_prompter->errors.first();
        // Named by file, each issue as "instancePath — message"; the valid file is not blamed.
        QVERIFY2(error.details.contains(u"bad-task-type.json"_s), qPrintable(error.details));
        QVERIFY2(error.details.contains(u"/tasks/a1/type — "_s), qPrintable(error.details));
        QVERIFY2(!error.details.contains(u"manual-change-approval.json"_s),
                 qPrintable(error.details));
        QVERIFY2(error.text.contains(u"1 of 2"_s), qPrintable(error.text));
        // All or none: the valid file was not imported either.
        trigger(u"actionRefresh"_s);
        QTRY_VERIFY(!m_window->workflowsModel()->isLoading());
        QCOMPARE(m_window->workflowsModel()->rowCount(), 1);
    }

    void importedWorkflowAppearsSelected()
    {
        openWindow({u"branching-config-compliance.json"_s, u"linear-device-health-check.json"_s});
        QTRY_COMPARE(m_window->workflowsModel()->rowCount(), 2);
        m_prompter->filesToOpen = {demo(u"manual-change-approval.json"_s)};
        trigger(u"actionImport"_s);
        QTRY_COMPARE(m_window->workflowsModel()->rowCount(), 3);
        QTRY_COMPARE(m_window->selectedWorkflow(), u"Change Approval"_s);
        QTRY_COMPARE(table(u"tasksTable"_s)->rowCount(), 6);
        QVERIFY(m_prompter->errors.isEmpty());
        QVERIFY(m_window->statusBar()->currentMessage().contains(u"Imported 1 workflow"_s));

        // The same file again: the name exists, so the window asks before adding a version.
        m_prompter->confirmAnswer = false;
        trigger(u"actionImport"_s);
        QTRY_COMPARE(m_prompter->confirmations.size(), 1);
        QVERIFY(m_prompter->confirmations.first().text.contains(u"Change Approval"_s));
        QVERIFY(m_prompter->confirmations.first().text.contains(u"manual-change-approval.json"_s));
        m_prompter->confirmAnswer = true;
        trigger(u"actionImport"_s);
        QTRY_COMPARE(m_prompter->confirmations.size(), 2);
        QTRY_VERIFY(m_window->statusBar()->currentMessage().contains(u"Imported 1 workflow"_s));
        QVERIFY(m_prompter->errors.isEmpty());
        auto version = m_engine->store->workflowByName("Change Approval");
        QVERIFY(version.ok());
        QCOMPARE(version->version, 2);
    }

    void aNewWorkflowIsDrawnFromThePaletteAndSavedAsANewOne()
    {
        openWindow({u"linear-device-health-check.json"_s});
        QTRY_COMPARE(m_window->workflowsModel()->rowCount(), 1);
        // A name that is taken is refused before any editor opens.
        m_prompter->textToGive = u"Device Health Check"_s;
        trigger(u"actionNewWorkflow"_s);
        QCOMPARE(m_prompter->errors.size(), 1);
        QVERIFY(m_window->findChild<ui::editor::WorkflowEditor *>() == nullptr);

        m_prompter->textToGive = u"Edge check"_s;
        trigger(u"actionNewWorkflow"_s);
        auto *window = m_window->findChild<ui::editor::WorkflowEditor *>();
        QVERIFY(window);
        QVERIFY(window->windowTitle().contains(u"Edge check"_s));
        QTRY_VERIFY(window->taskPalette()->isLoaded());
        // Start → a stub (placed after Start, joined to it) → End.
        window->canvas()->selectTask(u"workflow_start"_s);
        QLineEdit *search = window->taskPalette()->searchField();
        search->setText(u"placeholder"_s);
        QTest::keyClick(search, Qt::Key_Return);
        const std::string stub = window->canvas()->selectedTask().toStdString();
        QCOMPARE_JSON(window->session()->document()["tasks"][stub]["name"], json("stub"));
        QVERIFY(window->session()->perform(model::connectTasks(
            window->session()->document(), stub, "workflow_end", model::TransitionState::Success)));
        window->save();
        QTRY_COMPARE(window->statusText(), u"Saved as version 1"_s);
        // The list has it, selected; the store has the document as drawn.
        QTRY_COMPARE(m_window->selectedWorkflow(), u"Edge check"_s);
        auto stored = m_engine->store->workflowByName("Edge check");
        QVERIFY(stored.ok());
        QCOMPARE_JSON(stored->document["transitions"]["workflow_start"][stub]["state"],
                      json("success"));
        // The next Save is a next version, not a second creation.
        window->session()->perform(
            model::moveTasks(window->session()->document(), {{stub, {1, 1}}}));
        window->save();
        QTRY_COMPARE(window->statusText(), u"Saved as version 2"_s);
        window->close();
    }

    void exportWritesTheStoredDocument()
    {
        openWindow({u"branching-config-compliance.json"_s, u"linear-device-health-check.json"_s});
        QTRY_COMPARE(m_window->selectedWorkflow(), kCompliance);
        const QString target = m_files.filePath(u"exported.json"_s);
        m_prompter->fileToSave = target;
        trigger(u"actionExport"_s);
        QTRY_VERIFY(QFile::exists(target));
        QVERIFY(m_prompter->errors.isEmpty());
        const json written = json::parse(test::readFile(target).toStdString());
        const json original =
            json::parse(test::readFile(demo(u"branching-config-compliance.json"_s)).toStdString());
        QCOMPARE_JSON(written, original);
    }

    void screenshot()
    {
        openWindow({u"branching-config-compliance.json"_s, u"linear-device-health-check.json"_s,
                    u"manual-change-approval.json"_s, u"revert-retry-loop.json"_s,
                    u"childjob-site-provision.json"_s, u"childjob-loop-site-rollout.json"_s});
        m_window->resize(1280, 800);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        QTRY_COMPARE(m_window->workflowsModel()->rowCount(), 6);
        m_window->selectWorkflow(kCompliance);
        auto *title = m_window->workflowDetail()->findChild<QLabel *>(u"workflowTitle"_s);
        QTRY_COMPARE(title->text(), kCompliance);
        QTest::qWait(50); // let layouts settle after the tables filled
        const QString dir = QStringLiteral(FLOWDECK_SCREENSHOT_DIR);
        QVERIFY(QDir().mkpath(dir));
        QVERIFY(m_window->grab().save(dir + u"/workflows.png"_s));

        // The rest of the detail page, scrolled to its end.
        auto *scroll = m_window->workflowDetail()->findChild<QScrollArea *>();
        QVERIFY(scroll);
        scroll->verticalScrollBar()->setValue(scroll->verticalScrollBar()->maximum());
        QVERIFY(m_window->grab().save(dir + u"/workflows-scrolled.png"_s));
        scroll->verticalScrollBar()->setValue(0);

        // A dark system palette: nothing in the window may keep light colours of its own.
        const QPalette light = QApplication::palette();
        QPalette dark(QColor(0x35, 0x35, 0x35), QColor(0x2a, 0x2a, 0x2a));
        dark.setColor(QPalette::WindowText, QColor(0xe8, 0xe8, 0xe8));
        dark.setColor(QPalette::Text, QColor(0xe8, 0xe8, 0xe8));
        dark.setColor(QPalette::ButtonText, QColor(0xe8, 0xe8, 0xe8));
        dark.setColor(QPalette::Base, QColor(0x1f, 0x1f, 0x1f));
        dark.setColor(QPalette::AlternateBase, QColor(0x29, 0x29, 0x29));
        dark.setColor(QPalette::PlaceholderText, QColor(0x9a, 0x9a, 0x9a));
        QApplication::setPalette(dark);
        QTest::qWait(20);
        const QImage darkShot = m_window->grab().toImage();
        QApplication::setPalette(light);
        QVERIFY(darkShot.save(dir + u"/workflows-dark.png"_s));
        // The detail's page background follows the palette, not a colour of its own.
        const QPoint inDetail = m_window->workflowDetail()->mapTo(m_window.get(), QPoint(8, 8));
        QCOMPARE(darkShot.pixelColor(inDetail), dark.color(QPalette::Window));
        // And so do the tables: an empty corner of the first task row is the dark Base.
        QTableWidget *tasks = table(u"tasksTable"_s);
        const QPoint inCell = tasks->viewport()->mapTo(
            m_window.get(), QPoint(tasks->columnViewportPosition(1) + tasks->columnWidth(1) - 4,
                                   tasks->rowViewportPosition(0) + 2));
        QCOMPARE(darkShot.pixelColor(inCell), dark.color(QPalette::Base));

        openWindow({});
        m_window->resize(1280, 800);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        auto *message = m_window->findChild<QLabel *>(u"workflowsMessage"_s);
        QTRY_VERIFY(message->text().contains(u"No workflows yet"_s));
        QVERIFY(m_window->grab().save(dir + u"/workflows-empty.png"_s));
    }
};

QTEST_MAIN(TestMainWindow)
#include "TestMainWindow.moc"
