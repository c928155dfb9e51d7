// SPDX-License-Identifier: GPL-3.0-or-later
// The command line: `flowdeck [COMMAND] [OPTIONS] [ARGS]`. Parsing is separate from running
// so it can be tested, and so main() can pick QApplication or QCoreApplication before Qt
// starts.
#pragma once

#include <QString>
#include <QStringList>

namespace flowdeck::app {

enum class Command {
    Window,
    Serve,
    Validate,
    Import,
    Export,
    Run,
    Transform,
    User,
    Group,
    Token,
    Adapter,
    Help,
    Version
};

struct Invocation
{
    Command command = Command::Window;
    QString storePath;  ///< --db, or the default XDG store
    QStringList files;  ///< validate / import
    QString name;       ///< export: the workflow or JST; run: a workflow name or file;
                        ///< transform: a JST file, _id or name
    QString variables;  ///< run --variables: JSON, or @FILE
    QString mockPath;   ///< run --mock FILE
    QString outputPath; ///< export -o
    bool replace = false;
    bool partial = false;        ///< import --partial: store what can be stored, report the rest
    bool newestWins = false;     ///< import --newest-wins: of one name in the batch keep the newest
    bool transformation = false; ///< export --transformation: only look among the JSTs
    QString input;               ///< transform --input: JSON, or @FILE
    QString jstOptions;          ///< transform --options: JSON, or @FILE
    // adapter: add | list | show | set | remove | test | call (in `action`), NAME in `name`
    QString app;        ///< adapter add/set --app
    QString openapi;    ///< adapter add/set --openapi FILE (JSON or YAML)
    QString itential;   ///< adapter add/set --itential DIR (an Itential adapter package)
    QString args;       ///< adapter call --args JSON-ARRAY (positional, in pronghorn.json order)
    QString properties; ///< adapter add/set --properties JSON|@FILE
    QString method;     ///< adapter call: the method (input in `input`)
    // user / group: the sub-action and its options
    QString action;         ///< user: add | passwd | disable | enable | list; group: add | members;
                            ///< token: create | list | revoke
    QStringList roles;      ///< user add --role (repeatable)
    QStringList groups;     ///< user add --group (repeatable; names or ids)
    QString displayName;    ///< user add --display-name
    QString email;          ///< user add --email
    QString description;    ///< group add --description
    QStringList addMembers; ///< group members --add USER (repeatable)
    QStringList removeMembers;  ///< group members --remove USER (repeatable)
    bool passwordStdin = false; ///< the password is one line of standard input
    bool service = false;       ///< user add --service: a service account (OAuth client)
    // token: create USER | list [USER] | revoke ID
    int days = 0;     ///< token create --days (0: the default lifetime)
    QString label;    ///< token create --label
    QString helpText; ///< for Help, and the usage shown beside an error
    // serve and the window: the REST API
    QString listen;        ///< --listen ADDR:PORT (serve defaults to 127.0.0.1:3000)
    QString tlsCert;       ///< --tls-cert FILE (PEM)
    QString tlsKey;        ///< --tls-key FILE (PEM, unencrypted)
    bool insecure = false; ///< --insecure: plain HTTP on a non-loopback address
};

struct ParseResult
{
    Invocation invocation;
    QString error; ///< non-empty when the command line is wrong
};

/// The subcommand named by argv[1] without starting Qt (Window when there is none).
Command peekCommand(int argc, char **argv);

/// Parses arguments (including argv[0]). `defaultStore` is used when --db is absent.
ParseResult parseCommandLine(const QStringList &arguments, const QString &defaultStore);

} // namespace flowdeck::app
