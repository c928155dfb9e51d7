// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/CommandLine.h"

#include <QCommandLineParser>

#include <cstring>

namespace flowdeck::app {
namespace {

struct CommandInfo
{
    const char *name;
    Command command;
    const char *summary;
};

constexpr CommandInfo kCommands[] = {
    {"serve", Command::Serve, "Run the engine headless, with no window"},
    {"validate", Command::Validate, "Check workflow documents; print problems as JSON lines"},
    {"import", Command::Import, "Validate and store workflow documents (all or none)"},
    {"export", Command::Export, "Write a stored workflow document"},
    {"run", Command::Run, "Run a job to its end and print the job document"},
    {"help", Command::Help, "Show this help"},
};

QString overview()
{
    QString text = QStringLiteral("Usage: flowdeck [COMMAND] [OPTIONS]\n\n"
                                  "With no command, opens the Flowdeck window.\n\nCommands:\n");
    for (const auto &c : kCommands)
        text += QStringLiteral("  %1%2\n")
                    .arg(QString::fromUtf8(c.name), -10)
                    .arg(QString::fromUtf8(c.summary));
    text += QStringLiteral("\nEvery command takes --db PATH (default: the store in your XDG data "
                           "folder).\nRun 'flowdeck COMMAND --help' for a command's options.\n");
    return text;
}

} // namespace

Command peekCommand(int argc, char **argv)
{
    if (argc < 2 || argv[1][0] == '-') {
        for (int i = 1; i < argc; ++i) {
            if (!std::strcmp(argv[i], "--help") || !std::strcmp(argv[i], "-h"))
                return Command::Help;
            if (!std::strcmp(argv[i], "--version") || !std::strcmp(argv[i], "-v"))
                return Command::Version;
        }
        return Command::Window;
    }
    for (const auto &c : kCommands)
        if (!std::strcmp(argv[1], c.name))
            return c.command;
    return Command::Help; // an unknown word: parseCommandLine explains it
}

ParseResult parseCommandLine(const QStringList &arguments, const QString &defaultStore)
{
    ParseResult result;
    auto &inv = result.invocation;
    QStringList args = arguments;
    QString commandName;
    if (args.size() > 1 && !args[1].startsWith(u'-')) {
        commandName = args[1];
        args.removeAt(1);
        bool known = false;
        for (const auto &c : kCommands) {
            if (commandName == QString::fromUtf8(c.name)) {
                inv.command = c.command;
                known = true;
            }
        }
        if (!known) {
            result.error = QStringLiteral("unknown command \"%1\"").arg(commandName);
            inv.helpText = overview();
            return result;
        }
    }

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Flowdeck: the operations console."));
    const QCommandLineOption db(QStringLiteral("db"), QStringLiteral("The store to use."),
                                QStringLiteral("PATH"), defaultStore);
    const QCommandLineOption help({QStringLiteral("h"), QStringLiteral("help")},
                                  QStringLiteral("Show help."));
    const QCommandLineOption version({QStringLiteral("v"), QStringLiteral("version")},
                                     QStringLiteral("Show the version."));
    const QCommandLineOption output({QStringLiteral("o"), QStringLiteral("output")},
                                    QStringLiteral("Write to FILE instead of standard output."),
                                    QStringLiteral("FILE"));
    const QCommandLineOption replace(
        QStringLiteral("replace"),
        QStringLiteral("Store a workflow that already exists as its next version."));
    const QCommandLineOption variables(
        QStringLiteral("variables"),
        QStringLiteral("The job's variables: a JSON object, or @FILE holding one."),
        QStringLiteral("JSON"));
    const QCommandLineOption mock(
        QStringLiteral("mock"),
        QStringLiteral("A JSON file of mocked task results: {TASKID: {finish_state, outgoing}}."),
        QStringLiteral("FILE"));
    parser.addOption(db);
    parser.addOption(help);
    parser.addOption(version);
    switch (inv.command) {
    case Command::Validate:
        parser.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("Workflow documents."),
                                     QStringLiteral("FILE..."));
        break;
    case Command::Import:
        parser.addOption(replace);
        parser.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("Workflow documents."),
                                     QStringLiteral("FILE..."));
        break;
    case Command::Export:
        parser.addOption(output);
        parser.addPositionalArgument(QStringLiteral("NAME"),
                                     QStringLiteral("The workflow's name."));
        break;
    case Command::Run:
        parser.addOption(variables);
        parser.addOption(mock);
        parser.addPositionalArgument(QStringLiteral("WORKFLOW"),
                                     QStringLiteral("A workflow's name, or a workflow file."));
        break;
    default:
        break;
    }

    const QString usagePrefix = commandName.isEmpty() ? QStringLiteral("flowdeck")
                                                      : QStringLiteral("flowdeck ") + commandName;
    inv.helpText = commandName.isEmpty()
                       ? overview()
                       : parser.helpText().replace(QStringLiteral("Usage: flowdeck"),
                                                   QStringLiteral("Usage: ") + usagePrefix);
    if (!parser.parse(args)) {
        result.error = parser.errorText();
        return result;
    }
    if (parser.isSet(help)) {
        inv.command = Command::Help;
        return result;
    }
    if (parser.isSet(version)) {
        inv.command = Command::Version;
        return result;
    }
    inv.storePath = parser.value(db);
    if (inv.storePath.isEmpty())
        result.error = QStringLiteral("--db needs a path");
    const QStringList positional = parser.positionalArguments();
    switch (inv.command) {
    case Command::Validate:
    case Command::Import:
        inv.files = positional;
        inv.replace = parser.isSet(replace);
        if (inv.files.isEmpty())
            result.error = QStringLiteral("%1 needs at least one FILE").arg(commandName);
        break;
    case Command::Export:
        if (positional.size() != 1)
            result.error = QStringLiteral("export needs exactly one workflow NAME");
        else
            inv.name = positional.first();
        inv.outputPath = parser.value(output);
        break;
    case Command::Run:
        if (positional.size() != 1)
            result.error = QStringLiteral("run needs exactly one WORKFLOW (a name or a file)");
        else
            inv.name = positional.first();
        inv.variables = parser.value(variables);
        inv.mockPath = parser.value(mock);
        break;
    case Command::Window:
    case Command::Serve:
        if (!positional.isEmpty())
            result.error = QStringLiteral("unexpected argument \"%1\"").arg(positional.first());
        break;
    case Command::Help:
    case Command::Version:
        break;
    }
    return result;
}

} // namespace flowdeck::app
