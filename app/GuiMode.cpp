// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/GuiMode.h"

#include "app/AppPaths.h"
#include "app/EngineHost.h"
#include "app/ServeOptions.h"
#include "engine/access/AccountService.h"
#include "engine/runtime/Engine.h"
#include "ui/client/LocalClient.h"
#include "ui/main/MainWindow.h"

#include <QApplication>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QThread>

#include <cstdio>
#include <memory>

namespace flowdeck::app {

namespace {

/// Asks what to do when the store is held by another process: the path of another store to
/// open, or empty to quit.
QString chooseAnotherStore(const QString &storePath, const Error &error)
{
    QMessageBox box;
    box.setIcon(QMessageBox::Warning);
    box.setWindowTitle(QObject::tr("Flowdeck: the store is in use"));
    box.setText(QObject::tr("This store is already open in another Flowdeck."));
    box.setInformativeText(
        QObject::tr("%1\n\nA store runs its jobs in one Flowdeck at a time. Close the other "
                    "one (or stop its serve), or open another store.")
            .arg(QString::fromStdString(error.message)));
    auto *open = box.addButton(QObject::tr("Open Another Store…"), QMessageBox::AcceptRole);
    box.addButton(QObject::tr("Quit"), QMessageBox::RejectRole);
    box.setDefaultButton(open);
    box.exec();
    if (box.clickedButton() != open)
        return {};
    return QFileDialog::getSaveFileName(nullptr, QObject::tr("Open or create a store"),
                                        QFileInfo(storePath).absolutePath(),
                                        QObject::tr("Flowdeck stores (*.db);;All files (*)"),
                                        nullptr, QFileDialog::DontConfirmOverwrite);
}

} // namespace

bool canShowWindow()
{
    return !qEnvironmentVariableIsEmpty("DISPLAY") ||
           !qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY") ||
           !qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM");
}

int runWindow(const Invocation &inv)
{
    // An upgrade of a large store runs before the window can open: say so on the screen.
    std::unique_ptr<QLabel> upgrading;
    auto host = EngineHost::open(inv.storePath, [&upgrading, &inv](int from, int to) {
        upgrading = std::make_unique<QLabel>(
            QObject::tr("Upgrading the store\n%1\nfrom schema %2 to %3.\n\nOn a large store "
                        "this takes a minute or more; Flowdeck opens when it is done.")
                .arg(inv.storePath)
                .arg(from)
                .arg(to));
        upgrading->setWindowTitle(QObject::tr("Flowdeck"));
        upgrading->setAlignment(Qt::AlignCenter);
        upgrading->setMargin(24);
        upgrading->show();
        // Paint it now: the upgrade holds this thread until it is done.
        for (int i = 0; i < 3; ++i)
            QCoreApplication::processEvents();
    });
    upgrading.reset();
    if (!host) {
        std::fprintf(stderr, "flowdeck: %s\n", host.error().message.c_str());
        return 2;
    }
    // A store runs in one engine at a time: if a serve or another window has this one, say who
    // and let the operator pick another store instead of running every job twice.
    if (auto claimed = (*host)->claimStore(); !claimed) {
        std::fprintf(stderr, "flowdeck: %s\n", claimed.error().message.c_str());
        const QString other = chooseAnotherStore(inv.storePath, claimed.error());
        if (other.isEmpty())
            return 2;
        host->reset();
        Invocation next = inv;
        next.storePath = other;
        return runWindow(next);
    }
    auto demos = (*host)->importDemoWorkflowsOnFirstRun();
    if (!demos)
        std::fprintf(stderr, "flowdeck: the demo workflows were not imported: %s\n",
                     demos.error().message.c_str());
    else if (*demos > 0)
        std::fprintf(stderr, "flowdeck: first run: imported %d demo workflows\n", *demos);

    // The window acts as the operating-system user's account (admin, no password): access to
    // the store file is the boundary. Everyone else signs in over the API.
    if (auto admin = (*host)->createFirstAdmin(); !admin) {
        std::fprintf(stderr, "flowdeck: %s\n", admin.error().message.c_str());
        return 2;
    }
    auto recovered = (*host)->startEngine();
    if (!recovered) {
        std::fprintf(stderr, "flowdeck: recovery failed: %s\n", recovered.error().message.c_str());
        return 2;
    }
    // A new user's first window shows the whole loop: finished jobs, and one waiting for them.
    if (demos && *demos > 0) {
        auto started = (*host)->startDemoJobs();
        if (!started)
            std::fprintf(stderr, "flowdeck: the demo jobs were not started: %s\n",
                         started.error().message.c_str());
    }
    auto me = (*host)->accounts()->ensureLocalAccount(localUserName().toStdString());
    if (!me) {
        std::fprintf(stderr, "flowdeck: the local account: %s\n", me.error().message.c_str());
        return 2;
    }

    // The engine gets a thread of its own: every request from the window runs there, one at
    // a time, so the window never waits on SQLite or on a burst of tasks.
    runtime::Engine *engine = (*host)->engine();
    QThread engineThread;
    engineThread.setObjectName(QStringLiteral("flowdeck-engine"));
    engine->moveToThread(&engineThread);
    engineThread.start();

    // The window can serve the REST API too: --listen, else the "api/listen" setting. The
    // server is made on the engine's thread so its sockets live there and every request is
    // dispatched there, like the window's own.
    const QString listen = !inv.listen.isEmpty()
                               ? inv.listen
                               : QSettings().value(QStringLiteral("api/listen")).toString();
    std::unique_ptr<http::HttpServer> server;
    if (!listen.isEmpty()) {
        QMetaObject::invokeMethod(
            engine,
            [&] {
                auto started = startApiServer((*host)->api(), inv, listen);
                if (started)
                    server = std::move(*started);
                else
                    std::fprintf(stderr, "flowdeck: the REST API is not served: %s\n",
                                 started.error().message.c_str());
            },
            Qt::BlockingQueuedConnection);
    }

    int code = 0;
    {
        ui::LocalClient client((*host)->api(), &engineThread);
        client.setPrincipal(*me);
        QObject::connect(engine, &runtime::Engine::jobChanged, &client,
                         &ui::LocalClient::notifyJobChanged);
        ui::MainWindow window(client, inv.storePath, QString::fromStdString(me->username));
        if (server)
            window.setApiAddress(listen);
        window.show();
        code = QApplication::exec();
    }
    // The server goes first, on the thread its sockets live on.
    if (server)
        QMetaObject::invokeMethod(
            engine, [&server] { server.reset(); }, Qt::BlockingQueuedConnection);
    // Bring the engine home before its thread ends, so it is destroyed where it lives.
    QMetaObject::invokeMethod(
        engine, [engine] { engine->moveToThread(QCoreApplication::instance()->thread()); },
        Qt::BlockingQueuedConnection);
    engineThread.quit();
    engineThread.wait();
    return code;
}

} // namespace flowdeck::app
