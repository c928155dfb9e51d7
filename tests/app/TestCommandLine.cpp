// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/CommandLine.h"

#include <QTest>

using namespace flowdeck::app;

class TestCommandLine : public QObject
{
    Q_OBJECT

    static ParseResult parse(QStringList args)
    {
        args.prepend(QStringLiteral("flowdeck"));
        return parseCommandLine(args, QStringLiteral("/default.db"));
    }

private Q_SLOTS:
    void windowByDefault()
    {
        const auto r = parse({});
        QVERIFY(r.error.isEmpty());
        QCOMPARE(r.invocation.command, Command::Window);
        QCOMPARE(r.invocation.storePath, QStringLiteral("/default.db"));
    }

    void dbOptionEverywhere()
    {
        for (const auto &cmd : {QStringLiteral("serve"), QStringLiteral("validate"),
                                QStringLiteral("import"), QStringLiteral("export")}) {
            QStringList args{cmd, QStringLiteral("--db"), QStringLiteral("/x.db")};
            if (cmd != QStringLiteral("serve"))
                args << QStringLiteral("a.json");
            const auto r = parse(args);
            QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
            QCOMPARE(r.invocation.storePath, QStringLiteral("/x.db"));
        }
    }

    void importFilesAndReplace()
    {
        const auto r = parse({QStringLiteral("import"), QStringLiteral("a.json"),
                              QStringLiteral("b.json"), QStringLiteral("--replace")});
        QVERIFY(r.error.isEmpty());
        QCOMPARE(r.invocation.files,
                 (QStringList{QStringLiteral("a.json"), QStringLiteral("b.json")}));
        QVERIFY(r.invocation.replace);
    }

    void exportNameAndOutput()
    {
        const auto r = parse({QStringLiteral("export"), QStringLiteral("Change Approval"),
                              QStringLiteral("-o"), QStringLiteral("out.json")});
        QVERIFY(r.error.isEmpty());
        QCOMPARE(r.invocation.name, QStringLiteral("Change Approval"));
        QCOMPARE(r.invocation.outputPath, QStringLiteral("out.json"));
    }

    void exportATransformation()
    {
        const auto r = parse({QStringLiteral("export"), QStringLiteral("--transformation"),
                              QStringLiteral("65e1c0ffee0000000000b001")});
        QVERIFY(r.error.isEmpty());
        QVERIFY(r.invocation.transformation);
        QVERIFY(!parse({QStringLiteral("export"), QStringLiteral("x")}).invocation.transformation);
    }

    void transformInputAndOptions()
    {
        const auto r =
            parse({QStringLiteral("transform"), QStringLiteral("jst.json"),
                   QStringLiteral("--input"), QStringLiteral("@in.json"),
                   QStringLiteral("--options"), QStringLiteral(R"({"extractOutput":true})"),
                   QStringLiteral("--db"), QStringLiteral("/x.db")});
        QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
        QCOMPARE(r.invocation.command, Command::Transform);
        QCOMPARE(r.invocation.name, QStringLiteral("jst.json"));
        QCOMPARE(r.invocation.input, QStringLiteral("@in.json"));
        QCOMPARE(r.invocation.jstOptions, QStringLiteral(R"({"extractOutput":true})"));
        QCOMPARE(r.invocation.storePath, QStringLiteral("/x.db"));
        QVERIFY(parse({QStringLiteral("--help")})
                    .invocation.helpText.contains(QStringLiteral("transform")));
    }

    void errors_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("expected");
        QTest::newRow("unknown command")
            << QStringList{QStringLiteral("frob")} << QStringLiteral("unknown command");
        QTest::newRow("validate without files")
            << QStringList{QStringLiteral("validate")} << QStringLiteral("at least one FILE");
        QTest::newRow("export without name")
            << QStringList{QStringLiteral("export")} << QStringLiteral("exactly one");
        QTest::newRow("transform without a JST")
            << QStringList{QStringLiteral("transform")} << QStringLiteral("exactly one JST");
        QTest::newRow("transform with two")
            << QStringList{QStringLiteral("transform"), QStringLiteral("a"), QStringLiteral("b")}
            << QStringLiteral("exactly one JST");
        QTest::newRow("--replace is import's")
            << QStringList{QStringLiteral("validate"), QStringLiteral("--replace"),
                           QStringLiteral("a.json")}
            << QStringLiteral("replace");
        QTest::newRow("serve with a stray argument")
            << QStringList{QStringLiteral("serve"), QStringLiteral("x")}
            << QStringLiteral("unexpected argument");
        QTest::newRow("unknown option")
            << QStringList{QStringLiteral("import"), QStringLiteral("--frob"), QStringLiteral("x")}
            << QStringLiteral("frob");
        QTest::newRow("empty db") << QStringList{QStringLiteral("serve"), QStringLiteral("--db="), }
                                  << QStringLiteral("--db needs a path");
    }

    void errors()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, expected);
        const auto r = parse(args);
        QVERIFY2(r.error.contains(expected), qPrintable(r.error));
    }
};

QTEST_APPLESS_MAIN(TestCommandLine)
#include "TestCommandLine.moc"
