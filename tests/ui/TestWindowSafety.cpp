// SPDX-License-Identifier: GPL-3.0-or-later
// The window that runs the engine, closing: with jobs running it asks first (and "no" keeps it
// open), with none it closes at once, and a SIGTERM (a session ending, `kill`) closes it without
// asking and saves its layout as a normal close does. A real engine behind a LocalClient, the
// Quit key pressed, the signal raised in the process.
#include "app/StopSignals.h"
#include "tests/ui/FakePrompter.h"
#include "tests/ui/LocalEngine.h"
#include "ui/main/MainWindow.h"

#include <QAction>
#include <QApplication>
#include <QCoreApplication>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>

#include <csignal>
#include <memory>

using namespace flowdeck;
using namespace Qt::StringLiterals;

class TestWindowSafety : public QObject
{
    Q_OBJECT
private:
    std::unique_ptr<test::LocalEngine> m_stack;
    std::unique_ptr<ui::MainWindow> m_window;
    test::FakePrompter *m_prompter = nullptr;

    /// A window that owns its engine (as `flowdeck` opens one), with `running` jobs waiting at
    /// the approval of the Change Approval demo.
    bool openWindow(int running)
    {
        m_stack = std::make_unique<test::LocalEngine>();
        m_stack->open({u"manual-change-approval.json"_s});
        if (QTest::currentTestFailed())
            return false;
        for (int i = 0; i < running; ++i) {
            runtime::StartJobOptions start;
            start.workflow = "Change Approval";
            start.variables = {{"device", "dist-sw-04"},
                               {"changeTicket", "CHG0031877"},
                               {"proposedConfig", "interface Gi1/0/12"}};
            start.principal = m_stack->alice;
            if (!m_stack->engine->startJob(start).ok())
                return false;
        }
        m_window = std::make_unique<ui::MainWindow>(*m_stack->client, u"/srv/flowdeck/store.db"_s,
                                                    u"alice"_s);
        m_window->setOwnsEngine(true);
        auto prompter = std::make_unique<test::FakePrompter>();
        m_prompter = prompter.get();
        m_window->setPrompter(std::move(prompter));
        m_window->show();
        return QTest::qWaitForWindowExposed(m_window.get());
    }

    void pressQuit()
    {
        auto *quit = m_window->findChild<QAction *>(u"actionQuit"_s);
        QVERIFY(quit);
        QVERIFY(!quit->shortcut().isEmpty()); // Ctrl+Q where the platform binds no Quit key
        QTest::keySequence(m_window.get(), quit->shortcut());
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(u"flowdeck-tests"_s);
        QCoreApplication::setApplicationName(u"TestWindowSafety"_s);
    }

    void init() { QSettings().clear(); }

    void cleanup()
    {
        m_window.reset();
        m_stack.reset();
    }

    void quittingWithRunningJobsAsksFirst()
    {
        QVERIFY(openWindow(2));
        m_prompter->confirmAnswer = false;
        pressQuit();
        QTRY_COMPARE(m_prompter->confirmations.size(), 1);
        QCOMPARE(m_prompter->confirmations.first().title, u"Quit with 2 jobs running?"_s);
        QVERIFY(m_prompter->confirmations.first().text.contains(u"continue from there"_s));
        QCOMPARE(m_prompter->confirmations.first().details, u"Quit"_s);
        // "No": the window stays, and nothing of its layout was written.
        QTest::qWait(50);
        QVERIFY(m_window->isVisible());
        QVERIFY(!QSettings().contains(u"MainWindow/geometry"_s));

        // "Quit": it closes, and its layout is kept for next time.
        m_prompter->confirmAnswer = true;
        pressQuit();
        QTRY_VERIFY(!m_window->isVisible());
        QCOMPARE(m_prompter->confirmations.size(), 2);
        QVERIFY(QSettings().contains(u"MainWindow/geometry"_s));
    }

    void quittingWithNoRunningJobsClosesAtOnce()
    {
        QVERIFY(openWindow(0));
        pressQuit();
        QTRY_VERIFY(!m_window->isVisible());
        QVERIFY(m_prompter->confirmations.isEmpty());
    }

    void aSigtermClosesWithoutAskingAndSavesTheLayout()
    {
        QVERIFY(openWindow(1));
        m_window->showPage(ui::MainWindow::Page::Events);
        // Wired as GuiMode wires it.
        app::StopSignals stop;
        QVERIFY(stop.ok());
        QSignalSpy received(&stop, &app::StopSignals::received);
        connect(&stop, &app::StopSignals::received, m_window.get(),
                [this] { m_window->closeWithoutAsking(); });
        QCOMPARE(std::raise(SIGTERM), 0);
        QTRY_COMPARE(received.size(), 1);
        QCOMPARE(received.first().first().toString(), u"SIGTERM"_s);
        QTRY_VERIFY(!m_window->isVisible());
        QVERIFY(m_prompter->confirmations.isEmpty());

        // Its layout was saved as a normal close saves it: the next window opens as it was.
        QCOMPARE(QSettings().value(u"MainWindow/geometry"_s).toByteArray(),
                 m_window->saveGeometry());
        QCOMPARE(QSettings().value(u"MainWindow/page"_s).toInt(),
                 int(ui::MainWindow::Page::Events));
    }
};

QTEST_MAIN(TestWindowSafety)
#include "TestWindowSafety.moc"
