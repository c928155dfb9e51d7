// SPDX-License-Identifier: GPL-3.0-or-later
// The Accounts dialog against a real engine behind a LocalClient, driven as an administrator
// would: choose the service account, create a token (shown once), see it listed with its
// label, revoke it after confirming; and what an operator is refused.
#include "tests/ui/FakePrompter.h"
#include "tests/ui/LocalEngine.h"
#include "tests/ui/Screenshots.h"
#include "ui/main/AccountsDialog.h"

#include <QApplication>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableWidget>
#include <QTest>

using namespace flowdeck;
using nlohmann::json;

class TestAccountsDialog : public QObject
{
    Q_OBJECT
    test::LocalEngine m_engine;
    test::FakePrompter m_prompter;

    template <typename T>
    static T *child(QWidget *w, const char *name)
    {
        return w->findChild<T *>(QString::fromLatin1(name));
    }

    static int rowOf(QTableWidget *table, const QString &text)
    {
        for (int r = 0; r < table->rowCount(); ++r)
            if (table->item(r, 0)->text() == text)
                return r;
        return -1;
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_engine.open({});
        access::NewUser bot;
        bot.username = "ci-bot";
        bot.kind = "service";
        bot.roles = {"operator"};
        bot.password = "client secret";
        QVERIFY(m_engine.accounts->createUser(bot).ok());
    }

    void createListAndRevokeAToken()
    {
        ui::AccountsDialog dialog(*m_engine.client, m_prompter);
        QSignalSpy accounts(&dialog, &ui::AccountsDialog::accountsLoaded);
        QSignalSpy tokens(&dialog, &ui::AccountsDialog::tokensLoaded);
        dialog.show();
        QVERIFY(accounts.wait(5000));
        auto *people = child<QTableWidget>(&dialog, "accounts");
        const int bot = rowOf(people, QStringLiteral("ci-bot"));
        QVERIFY(bot >= 0);
        QCOMPARE(people->item(bot, 1)->text(), QStringLiteral("Service account"));
        QCOMPARE(people->item(rowOf(people, QStringLiteral("alice")), 1)->text(),
                 QStringLiteral("Person"));

        tokens.clear();
        people->selectRow(bot);
        QVERIFY(tokens.wait(5000));
        auto *list = child<QTableWidget>(&dialog, "tokens");
        QCOMPARE(list->rowCount(), 0);
        QVERIFY(child<QLabel>(&dialog, "tokensTitle")->text().contains(QStringLiteral("ci-bot")));

        QTest::keyClicks(child<QLineEdit>(&dialog, "tokenLabel"), QStringLiteral("nightly deploy"));
        child<QSpinBox>(&dialog, "tokenDays")->setValue(30);
        tokens.clear();
        QTest::mouseClick(child<QPushButton>(&dialog, "createToken"), Qt::LeftButton);
        QVERIFY(tokens.wait(5000));
        const QString token = child<QLineEdit>(&dialog, "newToken")->text();
        QVERIFY(token.size() >= 40);
        QVERIFY(child<QWidget>(&dialog, "newTokenBox")->isVisible());
        QCOMPARE(list->rowCount(), 1);
        QCOMPARE(list->item(0, 0)->text(), QStringLiteral("nightly deploy"));
        QCOMPARE(list->item(0, 3)->text(), QStringLiteral("never"));
        QCOMPARE(list->item(0, 4)->text(), QStringLiteral("Works"));
        // The token the dialog showed is the one that works, for the service account.
        auto who = m_engine.accounts->tokens().authenticate(token.toStdString());
        QVERIFY(who.ok());
        QCOMPARE(who->username, std::string("ci-bot"));
        QVERIFY(test::saveScreenshots(&dialog, QStringLiteral("accounts-dialog")));

        // Revoking asks first; declined, nothing changes.
        list->selectRow(0);
        auto *revoke = child<QPushButton>(&dialog, "revokeToken");
        QVERIFY(revoke->isEnabled());
        m_prompter.confirmAnswer = false;
        QTest::mouseClick(revoke, Qt::LeftButton);
        QCOMPARE(m_prompter.confirmations.size(), 1);
        QVERIFY(m_engine.accounts->tokens().authenticate(token.toStdString()).ok());
        m_prompter.confirmAnswer = true;
        tokens.clear();
        QTest::mouseClick(revoke, Qt::LeftButton);
        QVERIFY(tokens.wait(5000));
        QVERIFY(list->item(0, 4)->text().startsWith(QStringLiteral("Revoked")));
        QVERIFY(!m_engine.accounts->tokens().authenticate(token.toStdString()).ok());
        list->selectRow(0);
        QVERIFY(!revoke->isEnabled());
        QVERIFY(m_prompter.errors.isEmpty());
    }

    // The routes decide, not the dialog: an operator's client gets the refusal in words.
    void anOperatorIsRefused()
    {
        access::NewUser op;
        op.username = "olga";
        op.roles = {"operator"};
        op.password = "olgas password";
        auto created = m_engine.accounts->createUser(op);
        QVERIFY(created.ok());
        auto principal = m_engine.accounts->principalFor(created->id);
        QVERIFY(principal.ok());
        m_engine.client->setPrincipal(*principal);
        ui::AccountsDialog dialog(*m_engine.client, m_prompter);
        QSignalSpy accounts(&dialog, &ui::AccountsDialog::accountsLoaded);
        QVERIFY(accounts.wait(5000));
        auto *people = child<QTableWidget>(&dialog, "accounts");
        QSignalSpy tokens(&dialog, &ui::AccountsDialog::tokensLoaded);
        people->selectRow(0);
        QTRY_VERIFY(!child<QLabel>(&dialog, "accountsStatus")->text().isEmpty());
        QCOMPARE(tokens.size(), 0);
        m_engine.client->setPrincipal(m_engine.alice);
    }
};

QTEST_MAIN(TestAccountsDialog)
#include "TestAccountsDialog.moc"
