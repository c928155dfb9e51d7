// SPDX-License-Identifier: GPL-3.0-or-later
// Realistic JST documents (tests/data/jst/<name>.json), shaped like Designer exports that
// reshape adapter responses, each with cases in <name>.cases.json:
// [{name, options, incoming, expected | error}], error being text the message contains.
#include "engine/jst/JstEvaluator.h"
#include "engine/jst/JstValidator.h"

#include "tests/support/JsonAsserts.h"
#include "tests/support/TestPaths.h"

#include <QTest>

using namespace flowdeck;
using namespace flowdeck::jst;
using nlohmann::json;

namespace {

const char *const kDocuments[] = {"interfaces-summary", "inventory-index", "alarm-to-ticket"};

json load(const QString &relative)
{
    const QByteArray text = test::readFile(test::sourcePath(relative));
    return text.isEmpty() ? json() : json::parse(text.toStdString());
}

} // namespace

class TestJstDocuments : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void documentsValidate_data()
    {
        QTest::addColumn<QString>("name");
        for (const char *name : kDocuments)
            QTest::newRow(name) << QString::fromUtf8(name);
    }

    void documentsValidate()
    {
        QFETCH(QString, name);
        const json doc = load(QStringLiteral("tests/data/jst/") + name + QStringLiteral(".json"));
        QVERIFY(doc.is_object());
        const auto issues = jst::validate(doc);
        std::string text;
        for (const auto &issue : issues)
            text += issue.toJson().dump() + "\n";
        QVERIFY2(issues.empty(), text.c_str());
    }

    void cases_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QByteArray>("testCase");
        for (const char *name : kDocuments) {
            const json cases = load(QStringLiteral("tests/data/jst/") + QString::fromUtf8(name) +
                                    QStringLiteral(".cases.json"));
            QVERIFY(cases.is_array() && !cases.empty());
            for (const auto &c : cases)
                QTest::newRow((std::string(name) + ": " + c["name"].get<std::string>()).c_str())
                    << QString::fromUtf8(name) << QByteArray::fromStdString(c.dump());
        }
    }

    void cases()
    {
        QFETCH(QString, name);
        QFETCH(QByteArray, testCase);
        const json c = json::parse(testCase.toStdString());
        auto doc = JstDocument::parse(
            load(QStringLiteral("tests/data/jst/") + name + QStringLiteral(".json")));
        QVERIFY2(doc.ok(), doc.ok() ? "" : doc.error().message.c_str());
        const auto result = run(*doc, c["incoming"], JstOptions::fromJson(c["options"]));
        if (c.contains("error")) {
            QVERIFY2(!result.ok(), result.ok() ? result->dump().c_str() : "");
            QVERIFY2(result.error().message.find(c["error"].get<std::string>()) !=
                         std::string::npos,
                     result.error().message.c_str());
            return;
        }
        QVERIFY2(result.ok(), result.ok() ? "" : result.error().message.c_str());
        QCOMPARE_JSON(*result, c["expected"]);
    }
};

QTEST_APPLESS_MAIN(TestJstDocuments)
#include "TestJstDocuments.moc"
