// SPDX-License-Identifier: GPL-3.0-or-later
// flowdeck: the window by default; `serve`, `validate`, `import`, `export`, `run`,
// `transform` from the shell.
#include "app/AccountCommands.h"
#include "app/AdapterCommand.h"
#include "app/AppPaths.h"
#include "app/CliCommands.h"
#include "app/CommandLine.h"
#include "app/GuiMode.h"
#include "app/HeadlessMode.h"
#include "app/RunCommand.h"
#include "app/TransformCommand.h"

#include <QApplication>
#include <QCoreApplication>

#include <cstdio>
#include <memory>

using namespace flowdeck::app;

int main(int argc, char **argv)
{
    const Command peeked = peekCommand(argc, argv);
    if (peeked == Command::Window && !canShowWindow()) {
        std::fprintf(stderr, "flowdeck: no display to open the window on (DISPLAY and "
                             "WAYLAND_DISPLAY are not set).\n"
                             "Run the engine headless instead:  flowdeck serve [--db PATH]\n"
                             "or see 'flowdeck --help' for the command-line tools.\n");
        return 2;
    }
    // The window needs QApplication; everything else runs without a display.
    std::unique_ptr<QCoreApplication> app;
    if (peeked == Command::Window)
        app = std::make_unique<QApplication>(argc, argv);
    else
        app = std::make_unique<QCoreApplication>(argc, argv);
    QCoreApplication::setOrganizationName(QStringLiteral("flowdeck")); // ~/.config/flowdeck/
    QCoreApplication::setApplicationName(QStringLiteral("flowdeck"));
    QCoreApplication::setApplicationVersion(QStringLiteral(FLOWDECK_VERSION));

    const ParseResult parsed = parseCommandLine(QCoreApplication::arguments(), defaultStorePath());
    const Invocation &inv = parsed.invocation;
    if (!parsed.error.isEmpty()) {
        std::fprintf(stderr, "flowdeck: %s\n\n%s", qPrintable(parsed.error),
                     qPrintable(inv.helpText));
        return 2;
    }
    switch (inv.command) {
    case Command::Help:
        std::printf("%s", qPrintable(inv.helpText));
        return 0;
    case Command::Version:
        std::printf("flowdeck %s\n", FLOWDECK_VERSION);
        return 0;
    case Command::Validate:
        return runValidate(inv);
    case Command::Import:
        return runImport(inv);
    case Command::Export:
        return runExport(inv);
    case Command::Run:
        return runJob(inv);
    case Command::Transform:
        return runTransform(inv);
    case Command::User:
        return runUser(inv);
    case Command::Group:
        return runGroup(inv);
    case Command::Token:
        return runToken(inv);
    case Command::Adapter:
        return runAdapter(inv);
    case Command::Serve:
        return runHeadless(inv);
    case Command::Window:
        return runWindow(inv);
    }
    return 2;
}
