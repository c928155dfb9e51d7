// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/GuiMode.h"

#include "app/AppPaths.h"
#include "app/EngineHost.h"
#include "engine/access/AccountService.h"
#include "ui/client/LocalClient.h"
#include "ui/main/MainWindow.h"

#include <QApplication>

#include <cstdio>

namespace flowdeck::app {

bool canShowWindow()
{
    return !qEnvironmentVariableIsEmpty("DISPLAY") ||
           !qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY") ||
           !qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM");
}

int runWindow(const Invocation &inv)
{
    auto host = EngineHost::open(inv.storePath);
    if (!host) {
        std::fprintf(stderr, "flowdeck: %s\n", host.error().message.c_str());
        return 2;
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
    access::AccountService accounts((*host)->store());
    auto me = accounts.ensureLocalAccount(localUserName().toStdString());
    if (!me) {
        std::fprintf(stderr, "flowdeck: the local account: %s\n", me.error().message.c_str());
        return 2;
    }
    ui::LocalClient client((*host)->api());
    client.setPrincipal(api::Principal{me->username});
    ui::MainWindow window(client, inv.storePath, QString::fromStdString(me->username));
    window.show();
    return QApplication::exec();
}

} // namespace flowdeck::app
