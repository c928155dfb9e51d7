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
    {"validate", Command::Validate,
     "Check workflow or JST documents; print problems as JSON lines"},
    {"import", Command::Import,
     "Store workflow, JST and automation export documents (all or none, or --partial)"},
    {"export", Command::Export, "Write a stored workflow or JST document"},
    {"run", Command::Run, "Run a job to its end and print the job document"},
    {"transform", Command::Transform, "Run a JST on input values and print its outgoing JSON"},
    {"user", Command::User, "Manage accounts: add, passwd, disable, enable, list"},
    {"group", Command::Group, "Manage groups: add, members"},
    {"token", Command::Token, "Manage API tokens for machines: create, list, revoke"},
    {"adapter", Command::Adapter,
     "Manage adapter instances: add, list, show, set, remove, test, call"},
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

// The sub-actions of `user` and `group`, each with the options it takes. Options that belong
// to another action are refused by name, so a typo does not silently do less than asked.
QString checkAccountArguments(Invocation &inv, const QStringList &positional,
                              const QCommandLineParser &parser)
{
    const bool isUser = inv.command == Command::User;
    const QString command = isUser ? QStringLiteral("user") : QStringLiteral("group");
    const QStringList actions = isUser
                                    ? QStringList{QStringLiteral("add"), QStringLiteral("passwd"),
                                                  QStringLiteral("disable"),
                                                  QStringLiteral("enable"), QStringLiteral("list")}
                                    : QStringList{QStringLiteral("add"), QStringLiteral("members")};
    if (positional.isEmpty())
        return QStringLiteral("%1 needs an action: %2").arg(command, actions.join(u'|'));
    inv.action = positional.first();
    if (!actions.contains(inv.action))
        return QStringLiteral("unknown %1 action \"%2\"; the actions are %3")
            .arg(command, inv.action, actions.join(QStringLiteral(", ")));
    const bool wantsName = !(isUser && inv.action == QStringLiteral("list"));
    if (wantsName && positional.size() != 2)
        return QStringLiteral("%1 %2 needs exactly one NAME").arg(command, inv.action);
    if (!wantsName && positional.size() != 1)
        return QStringLiteral("unexpected argument \"%1\"").arg(positional.at(1));
    if (wantsName)
        inv.name = positional.at(1);

    // Which options each action takes.
    QStringList allowed;
    if (isUser && inv.action == QStringLiteral("add"))
        allowed = {QStringLiteral("role"),           QStringLiteral("group"),
                   QStringLiteral("display-name"),   QStringLiteral("email"),
                   QStringLiteral("password-stdin"), QStringLiteral("service")};
    else if (isUser && inv.action == QStringLiteral("passwd"))
        allowed = {QStringLiteral("password-stdin")};
    else if (!isUser && inv.action == QStringLiteral("add"))
        allowed = {QStringLiteral("description")};
    else if (!isUser && inv.action == QStringLiteral("members"))
        allowed = {QStringLiteral("add"), QStringLiteral("remove")};
    for (const QString &option :
         {QStringLiteral("role"), QStringLiteral("group"), QStringLiteral("display-name"),
          QStringLiteral("email"), QStringLiteral("password-stdin"), QStringLiteral("description"),
          QStringLiteral("add"), QStringLiteral("remove"), QStringLiteral("service")}) {
        if (!allowed.contains(option) && parser.optionNames().contains(option))
            return QStringLiteral("--%1 does not apply to %2 %3").arg(option, command, inv.action);
    }
    if (isUser && inv.action == QStringLiteral("add") && inv.roles.isEmpty())
        return QStringLiteral("user add needs --role ROLE (admin, operator or viewer)");
    if (isUser && (inv.action == QStringLiteral("add") || inv.action == QStringLiteral("passwd")) &&
        !inv.passwordStdin)
        return QStringLiteral("user %1 needs --password-stdin: the password is read from standard "
                              "input, never from the command line")
            .arg(inv.action);
    return {};
}

// token create USER [--days N] [--label TEXT] | list [USER] | revoke ID.
QString checkTokenArguments(Invocation &inv, const QStringList &positional,
                            const QCommandLineParser &parser)
{
    const QStringList actions{QStringLiteral("create"), QStringLiteral("list"),
                              QStringLiteral("revoke")};
    if (positional.isEmpty())
        return QStringLiteral("token needs an action: %1").arg(actions.join(u'|'));
    inv.action = positional.first();
    if (!actions.contains(inv.action))
        return QStringLiteral("unknown token action \"%1\"; the actions are %2")
            .arg(inv.action, actions.join(QStringLiteral(", ")));
    const bool list = inv.action == QStringLiteral("list");
    if (positional.size() > 2 || (!list && positional.size() != 2))
        return list ? QStringLiteral("token list takes at most one USER")
                    : QStringLiteral("token %1 needs exactly one %2")
                          .arg(inv.action, inv.action == QStringLiteral("create")
                                               ? QStringLiteral("USER")
                                               : QStringLiteral("token ID"));
    if (positional.size() == 2)
        inv.name = positional.at(1);
    if (inv.action != QStringLiteral("create"))
        for (const QString &option : {QStringLiteral("days"), QStringLiteral("label")})
            if (parser.optionNames().contains(option))
                return QStringLiteral("--%1 applies to token create only").arg(option);
    if (parser.isSet(QStringLiteral("days"))) {
        bool ok = false;
        inv.days = parser.value(QStringLiteral("days")).toInt(&ok);
        if (!ok || inv.days < 1)
            return QStringLiteral("--days needs a whole number of days, at least 1");
    }
    inv.label = parser.value(QStringLiteral("label"));
    return {};
}

/// `adapter ACTION [NAME [METHOD]]` and the options each action takes.
QString checkAdapterArguments(Invocation &inv, const QStringList &positional,
                              const QCommandLineParser &parser)
{
    const QStringList actions = {QStringLiteral("add"),    QStringLiteral("list"),
                                 QStringLiteral("show"),   QStringLiteral("set"),
                                 QStringLiteral("remove"), QStringLiteral("test"),
                                 QStringLiteral("call")};
    if (positional.isEmpty())
        return QStringLiteral("adapter needs an action: %1").arg(actions.join(u'|'));
    inv.action = positional.first();
    if (!actions.contains(inv.action))
        return QStringLiteral("unknown adapter action \"%1\"; the actions are %2")
            .arg(inv.action, actions.join(QStringLiteral(", ")));
    const qsizetype wanted = inv.action == QStringLiteral("list")   ? 1
                             : inv.action == QStringLiteral("call") ? 3
                                                                    : 2;
    if (positional.size() != wanted)
        return inv.action == QStringLiteral("list") ? QStringLiteral("adapter list takes no NAME")
               : inv.action == QStringLiteral("call")
                   ? QStringLiteral("adapter call needs an instance NAME and a METHOD")
                   : QStringLiteral("adapter %1 needs exactly one instance NAME").arg(inv.action);
    if (wanted > 1)
        inv.name = positional.at(1);
    if (wanted > 2)
        inv.method = positional.at(2);
    QStringList allowed;
    if (inv.action == QStringLiteral("add") || inv.action == QStringLiteral("set"))
        allowed = {QStringLiteral("app"), QStringLiteral("openapi"), QStringLiteral("itential"),
                   QStringLiteral("properties")};
    else if (inv.action == QStringLiteral("call"))
        allowed = {QStringLiteral("input"), QStringLiteral("args")};
    for (const QString &option :
         {QStringLiteral("app"), QStringLiteral("openapi"), QStringLiteral("itential"),
          QStringLiteral("properties"), QStringLiteral("input"), QStringLiteral("args")})
        if (!allowed.contains(option) && parser.optionNames().contains(option))
            return QStringLiteral("--%1 does not apply to adapter %2").arg(option, inv.action);
    inv.app = parser.value(QStringLiteral("app"));
    inv.openapi = parser.value(QStringLiteral("openapi"));
    inv.itential = parser.value(QStringLiteral("itential"));
    inv.properties = parser.value(QStringLiteral("properties"));
    inv.input = parser.value(QStringLiteral("input"));
    inv.args = parser.value(QStringLiteral("args"));
    if (!inv.openapi.isEmpty() && !inv.itential.isEmpty())
        return QStringLiteral("give --openapi FILE or --itential DIR, not both");
    if (!inv.input.isEmpty() && !inv.args.isEmpty())
        return QStringLiteral("give --input JSON or --args JSON-ARRAY, not both");
    if (inv.action == QStringLiteral("add") && inv.itential.isEmpty() &&
        (inv.app.isEmpty() || inv.openapi.isEmpty()))
        return QStringLiteral("adapter add needs --app APP and --openapi FILE, or --itential DIR");
    if (inv.action == QStringLiteral("set") && inv.app.isEmpty() && inv.openapi.isEmpty() &&
        inv.itential.isEmpty() && inv.properties.isEmpty())
        return QStringLiteral("adapter set needs --app, --openapi, --itential or --properties");
    return {};
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
    const QCommandLineOption partial(
        QStringLiteral("partial"),
        QStringLiteral("Import what can be imported: skip invalid documents and names that "
                       "exist (unless --replace), and report each one left out and why."));
    const QCommandLineOption newestWins(
        QStringLiteral("newest-wins"),
        QStringLiteral("Of documents with the same name in this import, keep the newest (by "
                       "last_updated, else the later file) and skip the others; implies "
                       "--partial."));
    const QCommandLineOption variables(
        QStringLiteral("variables"),
        QStringLiteral("The job's variables: a JSON object, or @FILE holding one."),
        QStringLiteral("JSON"));
    const QCommandLineOption mock(
        QStringLiteral("mock"),
        QStringLiteral("A JSON file of mocked task results: {TASKID: {finish_state, outgoing}}."),
        QStringLiteral("FILE"));
    const QCommandLineOption transformationOnly(
        QStringLiteral("transformation"),
        QStringLiteral("Export the JST (transformation) of that name or _id, not a workflow."));
    const QCommandLineOption input(
        QStringLiteral("input"),
        QStringLiteral("The JST's incoming values: a JSON object keyed by its incoming $ids, or "
                       "@FILE holding one (default {})."),
        QStringLiteral("JSON"));
    const QCommandLineOption jstOptions(
        QStringLiteral("options"),
        QStringLiteral("The transformation task's options: a JSON object {extractOutput, "
                       "validateIncoming, revertToDefaultValue}, or @FILE holding one."),
        QStringLiteral("JSON"));
    const QCommandLineOption role(QStringLiteral("role"),
                                  QStringLiteral("user add: a role (admin, operator, viewer); "
                                                 "repeat for several."),
                                  QStringLiteral("ROLE"));
    const QCommandLineOption group(QStringLiteral("group"),
                                   QStringLiteral("user add: a group to join; repeat for several."),
                                   QStringLiteral("GROUP"));
    const QCommandLineOption displayName(QStringLiteral("display-name"),
                                         QStringLiteral("user add: the name people see."),
                                         QStringLiteral("TEXT"));
    const QCommandLineOption email(QStringLiteral("email"),
                                   QStringLiteral("user add: the email address."),
                                   QStringLiteral("ADDRESS"));
    const QCommandLineOption passwordStdin(
        QStringLiteral("password-stdin"),
        QStringLiteral("user add, passwd: read the password from one line of standard input."));
    const QCommandLineOption service(
        QStringLiteral("service"),
        QStringLiteral("user add: a service account for machines; its password is the OAuth "
                       "client secret (POST /oauth/token)."));
    const QCommandLineOption days(QStringLiteral("days"),
                                  QStringLiteral("token create: how long it works (default 90)."),
                                  QStringLiteral("N"));
    const QCommandLineOption label(QStringLiteral("label"),
                                   QStringLiteral("token create: what the token is for."),
                                   QStringLiteral("TEXT"));
    const QCommandLineOption description(QStringLiteral("description"),
                                         QStringLiteral("group add: what the group is for."),
                                         QStringLiteral("TEXT"));
    const QCommandLineOption addMember(QStringLiteral("add"),
                                       QStringLiteral("group members: add USER; repeatable."),
                                       QStringLiteral("USER"));
    const QCommandLineOption removeMember(QStringLiteral("remove"),
                                          QStringLiteral("group members: remove USER; repeatable."),
                                          QStringLiteral("USER"));
    const QCommandLineOption listen(
        QStringLiteral("listen"),
        QStringLiteral("Serve the REST API on ADDR:PORT (serve: default 127.0.0.1:3000)."),
        QStringLiteral("ADDR:PORT"));
    const QCommandLineOption tlsCert(QStringLiteral("tls-cert"),
                                     QStringLiteral("Serve HTTPS with this PEM certificate."),
                                     QStringLiteral("FILE"));
    const QCommandLineOption tlsKey(QStringLiteral("tls-key"),
                                    QStringLiteral("The PEM private key of --tls-cert."),
                                    QStringLiteral("FILE"));
    const QCommandLineOption insecure(
        QStringLiteral("insecure"),
        QStringLiteral("Allow plain HTTP on an address other than loopback (passwords and "
                       "tokens then cross the network readable)."));
    parser.addOption(db);
    parser.addOption(help);
    parser.addOption(version);
    if (inv.command == Command::Serve || inv.command == Command::Window)
        parser.addOptions({listen, tlsCert, tlsKey, insecure});
    switch (inv.command) {
    case Command::Validate:
        parser.addPositionalArgument(QStringLiteral("FILE"),
                                     QStringLiteral("Workflow or JST documents."),
                                     QStringLiteral("FILE..."));
        break;
    case Command::Import:
        parser.addOptions({replace, partial, newestWins});
        parser.addPositionalArgument(
            QStringLiteral("FILE"),
            QStringLiteral("Workflow, JST or Itential automation export documents."),
            QStringLiteral("FILE..."));
        break;
    case Command::Export:
        parser.addOption(output);
        parser.addOption(transformationOnly);
        parser.addPositionalArgument(
            QStringLiteral("NAME"),
            QStringLiteral("The workflow's name; else a JST's name or _id."));
        break;
    case Command::Transform:
        parser.addOption(input);
        parser.addOption(jstOptions);
        parser.addPositionalArgument(
            QStringLiteral("JST"),
            QStringLiteral("A JST file, or the _id or name of a stored JST. Exit code 0: printed "
                           "its outgoing values; 1: the JST is invalid, not found, or failed; "
                           "2: it could not run."));
        break;
    case Command::Run:
        parser.addOption(variables);
        parser.addOption(mock);
        parser.addPositionalArgument(QStringLiteral("WORKFLOW"),
                                     QStringLiteral("A workflow's name, or a workflow file."));
        break;
    case Command::User:
        parser.addOptions({role, group, displayName, email, passwordStdin, service});
        parser.addPositionalArgument(QStringLiteral("ACTION"),
                                     QStringLiteral("add | passwd | disable | enable | list"));
        parser.addPositionalArgument(QStringLiteral("NAME"),
                                     QStringLiteral("The username (all but list)."),
                                     QStringLiteral("[NAME]"));
        break;
    case Command::Adapter:
        parser.addOptions(
            {QCommandLineOption(
                 QStringLiteral("app"),
                 QStringLiteral("add, set: the app its tasks name (e.g. Servicenow)."),
                 QStringLiteral("APP")),
             QCommandLineOption(QStringLiteral("openapi"),
                                QStringLiteral("add, set: the OpenAPI 3.0/3.1 or Swagger 2.0 "
                                               "document (JSON or YAML)."),
                                QStringLiteral("FILE")),
             QCommandLineOption(QStringLiteral("itential"),
                                QStringLiteral("add, set: an Itential adapter package's folder "
                                               "(pronghorn.json, adapter.js, entities/); --app "
                                               "defaults to the package's export name."),
                                QStringLiteral("DIR")),
             QCommandLineOption(QStringLiteral("properties"),
                                QStringLiteral("add: the properties (JSON, or @FILE); set: the "
                                               "ones to change, merged over the stored ones."),
                                QStringLiteral("JSON")),
             QCommandLineOption(
                 QStringLiteral("input"),
                 QStringLiteral("call: the method's inputs, a JSON object or @FILE."),
                 QStringLiteral("JSON")),
             QCommandLineOption(QStringLiteral("args"),
                                QStringLiteral("call: the method's arguments in order (as an "
                                               "Itential adapter takes them), a JSON array or "
                                               "@FILE."),
                                QStringLiteral("JSON-ARRAY"))});
        parser.addPositionalArgument(
            QStringLiteral("ACTION"),
            QStringLiteral("add | list | show | set | remove | test | call"));
        parser.addPositionalArgument(QStringLiteral("NAME"),
                                     QStringLiteral("The instance's name (all but list)."),
                                     QStringLiteral("[NAME]"));
        parser.addPositionalArgument(QStringLiteral("METHOD"),
                                     QStringLiteral("call: the method to call."),
                                     QStringLiteral("[METHOD]"));
        break;
    case Command::Group:
        parser.addOptions({description, addMember, removeMember});
        parser.addPositionalArgument(QStringLiteral("ACTION"), QStringLiteral("add | members"));
        parser.addPositionalArgument(QStringLiteral("NAME"), QStringLiteral("The group's name."));
        break;
    case Command::Token:
        parser.addOptions({days, label});
        parser.addPositionalArgument(
            QStringLiteral("ACTION"),
            QStringLiteral("create USER (prints the token once) | list [USER] | revoke ID"));
        parser.addPositionalArgument(QStringLiteral("ARG"),
                                     QStringLiteral("The account's username, or a token's id."),
                                     QStringLiteral("[ARG]"));
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
        // Only import declares --replace (Qt warns when an undeclared option is read).
        inv.replace = inv.command == Command::Import && parser.isSet(replace);
        inv.newestWins = inv.command == Command::Import && parser.isSet(newestWins);
        inv.partial = inv.newestWins || (inv.command == Command::Import && parser.isSet(partial));
        if (inv.files.isEmpty())
            result.error = QStringLiteral("%1 needs at least one FILE").arg(commandName);
        break;
    case Command::Export:
        if (positional.size() != 1)
            result.error = QStringLiteral("export needs exactly one workflow or JST NAME");
        else
            inv.name = positional.first();
        inv.outputPath = parser.value(output);
        inv.transformation = parser.isSet(transformationOnly);
        break;
    case Command::Transform:
        if (positional.size() != 1)
            result.error = QStringLiteral("transform needs exactly one JST (a file, _id or name)");
        else
            inv.name = positional.first();
        inv.input = parser.value(input);
        inv.jstOptions = parser.value(jstOptions);
        break;
    case Command::Run:
        if (positional.size() != 1)
            result.error = QStringLiteral("run needs exactly one WORKFLOW (a name or a file)");
        else
            inv.name = positional.first();
        inv.variables = parser.value(variables);
        inv.mockPath = parser.value(mock);
        break;
    case Command::Adapter:
        result.error = checkAdapterArguments(inv, positional, parser);
        break;
    case Command::User:
    case Command::Group: {
        // Only the options this command declared may be read (Qt warns about the others).
        if (inv.command == Command::User) {
            inv.roles = parser.values(role);
            inv.groups = parser.values(group);
            inv.displayName = parser.value(displayName);
            inv.email = parser.value(email);
            inv.passwordStdin = parser.isSet(passwordStdin);
            inv.service = parser.isSet(service);
        } else {
            inv.description = parser.value(description);
            inv.addMembers = parser.values(addMember);
            inv.removeMembers = parser.values(removeMember);
        }
        if (auto e = checkAccountArguments(inv, positional, parser); !e.isEmpty())
            result.error = e;
        break;
    }
    case Command::Token:
        if (auto e = checkTokenArguments(inv, positional, parser); !e.isEmpty())
            result.error = e;
        break;
    case Command::Window:
    case Command::Serve:
        if (!positional.isEmpty())
            result.error = QStringLiteral("unexpected argument \"%1\"").arg(positional.first());
        inv.listen = parser.value(listen);
        inv.tlsCert = parser.value(tlsCert);
        inv.tlsKey = parser.value(tlsKey);
        inv.insecure = parser.isSet(insecure);
        if (inv.tlsCert.isEmpty() != inv.tlsKey.isEmpty())
            result.error = QStringLiteral("--tls-cert and --tls-key go together");
        break;
    case Command::Help:
    case Command::Version:
        break;
    }
    return result;
}

} // namespace flowdeck::app
