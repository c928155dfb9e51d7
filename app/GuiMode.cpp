// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/GuiMode.h"

#include "app/AppPaths.h"
#include "app/EngineHost.h"
#include "app/ServeOptions.h"
#include "app/StopSignals.h"
#include "engine/access/AccountService.h"
#include "engine/runtime/Engine.h"
#include "ui/client/LocalClient.h"
#include "ui/main/MainWindow.h"

#include <QApplication>
#include <QFileDialog>
#include <QFileInfo>
#include <QIcon>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QStringList>
#include <QThread>
#include <QTimer>

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
    // Who holds it, from the lock's details; the error's own sentence would say the rest again.
    const auto &d = error.details;
    const QString who = d.is_object() && d.value("pid", 0L) > 0
                            ? QObject::tr("Flowdeck process %1 on %2 has had it open since %3.")
                                  .arg(d.value("pid", 0L))
                                  .arg(QString::fromStdString(d.value("host", std::string())),
                                       QString::fromStdString(d.value("since", std::string())))
                            : QString::fromStdString(error.message);
    box.setInformativeText(
        QObject::tr("%1\n%2\n\nA store runs its jobs in one Flowdeck at a time: close the other "
                    "one (or stop its serve), or open another store.")
            .arg(storePath, who));
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

namespace {

/// A start-up failure the window cannot get past: on standard error for logs and scripts, and
/// in a dialog, because whoever started the window may never see a terminal.
int failToStart(const QString &what, const std::string &why)
{
    const QString message =
        why.empty() ? what : what + QStringLiteral(": ") + QString::fromStdString(why);
    std::fprintf(stderr, "flowdeck: %s\n", message.toLocal8Bit().constData());
    QMessageBox box(QMessageBox::Critical, QObject::tr("Flowdeck could not start"),
                    QObject::tr("Flowdeck could not start."), QMessageBox::Close);
    box.setInformativeText(message);
    box.exec();
    return 2;
}

} // namespace

int runWindow(const Invocation &inv)
{
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/flowdeck.svg")));
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
    if (!host)
        return failToStart(QObject::tr("The store %1 could not be opened").arg(inv.storePath),
                           host.error().message);
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
    // What went wrong without stopping the window: said on standard error and, once the window
    // is up, in a dialog over it.
    QStringList warnings;
    auto warn = [&warnings](const QString &message) {
        std::fprintf(stderr, "flowdeck: %s\n", message.toLocal8Bit().constData());
        warnings.append(message);
    };
    auto demos = (*host)->importDemoWorkflowsOnFirstRun();
    if (!demos)
        warn(QObject::tr("the demo workflows were not imported: %1")
                 .arg(QString::fromStdString(demos.error().message)));
    else if (*demos > 0)
        std::fprintf(stderr, "flowdeck: first run: imported %d demo workflows\n", *demos);

    // The window acts as the operating-system user's account (admin, no password): access to
    // the store file is the boundary. Everyone else signs in over the API.
    if (auto admin = (*host)->createFirstAdmin(); !admin)
        return failToStart(QObject::tr("The first administrator account could not be created"),
                           admin.error().message);
    auto recovered = (*host)->startEngine();
    if (!recovered)
        return failToStart(QObject::tr("The jobs that were running could not be recovered"),
                           recovered.error().message);
    // A new user's first window shows the whole loop: finished jobs, and one waiting for them.
    if (demos && *demos > 0) {
        auto started = (*host)->startDemoJobs();
        if (!started)
            warn(QObject::tr("the demo jobs were not started: %1")
                     .arg(QString::fromStdString(started.error().message)));
    }
    auto me = (*host)->accounts()->ensureLocalAccount(localUserName().toStdString());
    if (!me)
        return failToStart(QObject::tr("The window's local account could not be set up"),
                           me.error().message);

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
    QString apiProblem;
    if (!listen.isEmpty()) {
        QMetaObject::invokeMethod(
            engine,
            [&] {
                auto started = startApiServer((*host)->api(), inv, listen);
                if (started)
                    server = std::move(*started);
                else
                    apiProblem = QString::fromStdString(started.error().message);
            },
            Qt::BlockingQueuedConnection);
        if (!apiProblem.isEmpty())
            warn(QObject::tr("the REST API is not served at %1: %2").arg(listen, apiProblem));
    }

    int code = 0;
    {
        ui::LocalClient client((*host)->api(), &engineThread);
        client.setPrincipal(*me);
        QObject::connect(engine, &runtime::Engine::jobChanged, &client,
                         &ui::LocalClient::notifyJobChanged);
        ui::MainWindow window(client, inv.storePath, QString::fromStdString(me->username));
        window.setOwnsEngine(true);
        if (server)
            window.setApiAddress(listen);
        // A session ending (logout, shutdown, `kill`) sends SIGTERM: the layout is saved as on
        // a normal close; the jobs are safe already (every change was committed when made).
        StopSignals stop;
        QObject::connect(&stop, &StopSignals::received, &window, [&window](const QString &name) {
            std::fprintf(stderr, "flowdeck: %s received, closing the window\n", qPrintable(name));
            window.closeWithoutAsking();
        });
        window.show();
        if (!warnings.isEmpty())
            QTimer::singleShot(0, &window, [&window, &warnings] {
                QMessageBox box(QMessageBox::Warning, QObject::tr("Flowdeck"),
                                QObject::tr("Flowdeck started, but not everything did."),
                                QMessageBox::Ok, &window);
                box.setInformativeText(warnings.join(u'\n'));
                box.exec();
            });
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
