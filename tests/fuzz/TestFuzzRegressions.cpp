// SPDX-License-Identifier: GPL-3.0-or-later
// Replays, in the normal build, every input the fuzzers start from (fuzz/seeds/, tests/data)
// and every input a fuzzer once crashed on (fuzz/regressions/<target>/), through the same
// target functions the fuzzers run. A crash, a sanitizer report in the asan preset, or an
// abort from a target's own checks fails the test.
#include "fuzz/FuzzTargets.h"
#include "tests/support/TestPaths.h"

#include <QDirIterator>
#include <QTest>

using namespace flowdeck;

class TestFuzzRegressions : public QObject
{
    Q_OBJECT

    /// Every file under the given folders of the source tree.
    static QStringList filesUnder(const QStringList &folders)
    {
        QStringList out;
        for (const QString &folder : folders) {
            QDirIterator it(test::sourcePath(folder), QDir::Files, QDirIterator::Subdirectories);
            while (it.hasNext())
                out << it.next();
        }
        out.sort();
        return out;
    }

private Q_SLOTS:
    void replay_data()
    {
        QTest::addColumn<QString>("target");
        QTest::addColumn<QString>("file");
        const std::pair<const char *, QStringList> corpora[] = {
            {"workflow",
             {QStringLiteral("tests/data/workflows"), QStringLiteral("fuzz/regressions/workflow")}},
            {"jst",
             {QStringLiteral("tests/data/jst"), QStringLiteral("fuzz/seeds/jst"),
              QStringLiteral("fuzz/regressions/jst")}},
            {"job-query",
             {QStringLiteral("fuzz/seeds/job-query"),
              QStringLiteral("fuzz/regressions/job-query")}},
            {"request-scanner",
             {QStringLiteral("fuzz/seeds/request-scanner"),
              QStringLiteral("fuzz/regressions/request-scanner")}},
            {"event-stream",
             {QStringLiteral("fuzz/seeds/event-stream"),
              QStringLiteral("fuzz/regressions/event-stream")}},
        };
        for (const auto &[target, folders] : corpora) {
            const QStringList files = filesUnder(folders);
            QVERIFY2(!files.isEmpty(), target); // every target has seeds
            for (const QString &file : files)
                QTest::addRow("%s %s", target, qPrintable(QFileInfo(file).fileName()))
                    << QString::fromLatin1(target) << file;
        }
    }

    void replay()
    {
        QFETCH(QString, target);
        QFETCH(QString, file);
        const auto run = fuzz::targetNamed(target.toStdString());
        QVERIFY(run);
        const QByteArray bytes = test::readFile(file);
        QCOMPARE(run(reinterpret_cast<const std::uint8_t *>(bytes.constData()),
                     std::size_t(bytes.size())),
                 0);
    }
};

QTEST_GUILESS_MAIN(TestFuzzRegressions)
#include "TestFuzzRegressions.moc"
