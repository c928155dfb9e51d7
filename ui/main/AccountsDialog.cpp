// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/main/AccountsDialog.h"

#include "ui/forms/Replies.h"
#include "ui/forms/TimeText.h"
#include "ui/main/Prompter.h"

#include <QClipboard>
#include <QDialogButtonBox>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTableWidget>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;
using nlohmann::json;

namespace flowdeck::ui {
namespace {

QString text(const json &object, const char *key)
{
    const json &v = object.is_object() ? object.value(key, json()) : json();
    return v.is_string() ? QString::fromStdString(v.get<std::string>()) : QString();
}

QString when(const json &value, const QString &none)
{
    const auto moment = timetext::moment(value);
    return moment ? timetext::moment(*moment, QDateTime::currentDateTime()) : none;
}

QTableWidget *table(const QStringList &headers, const QString &objectName)
{
    auto *t = new QTableWidget(0, int(headers.size()));
    t->setObjectName(objectName);
    t->setHorizontalHeaderLabels(headers);
    t->setSelectionBehavior(QAbstractItemView::SelectRows);
    t->setSelectionMode(QAbstractItemView::SingleSelection);
    t->setEditTriggers(QAbstractItemView::NoEditTriggers);
    t->verticalHeader()->hide();
    t->horizontalHeader()->setStretchLastSection(true);
    t->setAlternatingRowColors(true);
    return t;
}

QTableWidgetItem *cell(const QString &value, const QString &key = {})
{
    auto *item = new QTableWidgetItem(value);
    if (!key.isEmpty())
        item->setData(Qt::UserRole, key);
    return item;
}

} // namespace

AccountsDialog::AccountsDialog(ConsoleClient &client, Prompter &prompter, QWidget *parent)
    : QDialog(parent), m_client(client), m_prompter(prompter)
{
    setObjectName(u"accountsDialog"_s);
    setWindowTitle(tr("Accounts"));
    resize(760, 560);

    m_accounts = table({tr("Username"), tr("Kind"), tr("Roles"), tr("Status")}, u"accounts"_s);
    connect(m_accounts, &QTableWidget::itemSelectionChanged, this, &AccountsDialog::loadTokens);

    m_tokensTitle = new QLabel(tr("API tokens"));
    m_tokensTitle->setObjectName(u"tokensTitle"_s);
    m_tokens = table({tr("Label"), tr("Created"), tr("Expires"), tr("Last used"), tr("Status")},
                     u"tokens"_s);
    connect(m_tokens, &QTableWidget::itemSelectionChanged, this, &AccountsDialog::updateButtons);

    m_label = new QLineEdit;
    m_label->setObjectName(u"tokenLabel"_s);
    m_label->setPlaceholderText(tr("What the token is for, e.g. CI deploy"));
    m_label->setMaxLength(100);
    m_days = new QSpinBox;
    m_days->setObjectName(u"tokenDays"_s);
    m_days->setRange(1, 3650);
    m_days->setValue(90);
    m_days->setSuffix(tr(" days"));
    m_create = new QPushButton(tr("Create Token"));
    m_create->setObjectName(u"createToken"_s);
    connect(m_create, &QPushButton::clicked, this, &AccountsDialog::createToken);
    m_revoke = new QPushButton(tr("Revoke…"));
    m_revoke->setObjectName(u"revokeToken"_s);
    connect(m_revoke, &QPushButton::clicked, this, &AccountsDialog::revokeToken);
    auto *tokenRow = new QHBoxLayout;
    tokenRow->addWidget(m_label, 1);
    tokenRow->addWidget(m_days);
    tokenRow->addWidget(m_create);
    tokenRow->addSpacing(12);
    tokenRow->addWidget(m_revoke);

    // The new token, once: copied from here or never seen again.
    m_newTokenBox = new QWidget;
    m_newTokenBox->setObjectName(u"newTokenBox"_s);
    m_newToken = new QLineEdit;
    m_newToken->setObjectName(u"newToken"_s);
    m_newToken->setReadOnly(true);
    auto *copy = new QPushButton(tr("Copy"));
    copy->setObjectName(u"copyToken"_s);
    connect(copy, &QPushButton::clicked, this,
            [this] { QGuiApplication::clipboard()->setText(m_newToken->text()); });
    auto *note = new QLabel(tr("Copy it now: Flowdeck stores only a hash and shows a token once."));
    note->setWordWrap(true);
    auto *newRow = new QHBoxLayout;
    newRow->addWidget(m_newToken, 1);
    newRow->addWidget(copy);
    auto *newBox = new QVBoxLayout(m_newTokenBox);
    newBox->setContentsMargins(0, 0, 0, 0);
    newBox->addLayout(newRow);
    newBox->addWidget(note);
    m_newTokenBox->setVisible(false);

    m_status = new QLabel;
    m_status->setObjectName(u"accountsStatus"_s);
    m_status->setWordWrap(true);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    auto *accountsTitle = new QLabel(tr("People and service accounts"));
    layout->addWidget(accountsTitle);
    layout->addWidget(m_accounts, 3);
    layout->addWidget(m_tokensTitle);
    layout->addWidget(m_tokens, 2);
    layout->addLayout(tokenRow);
    layout->addWidget(m_newTokenBox);
    layout->addWidget(m_status);
    layout->addWidget(buttons);
    updateButtons();
    reload();
}

void AccountsDialog::reload()
{
    api::ApiRequest request;
    request.method = api::Method::Get;
    request.path = "/authorization/accounts";
    request.query = {{"limit", "1000"}};
    whenFinished(m_client.call(std::move(request)), this, [this](const api::ApiResponse &response) {
        if (!response.ok()) {
            m_status->setText(failureText(response));
            return;
        }
        showAccounts(envelopeData(response));
    });
}

void AccountsDialog::showAccounts(const json &accounts)
{
    const QString keep = selectedUsername();
    m_accounts->setRowCount(0);
    int select = -1;
    for (const json &account : accounts) {
        const int row = m_accounts->rowCount();
        m_accounts->insertRow(row);
        const QString username = text(account, "username");
        QStringList roles;
        for (const json &r : account.value("roles", json::array()))
            if (r.is_string())
                roles << QString::fromStdString(r.get<std::string>());
        const bool service = text(account, "kind") == u"service"_s;
        m_accounts->setItem(row, 0, cell(username, username));
        m_accounts->setItem(row, 1, cell(service ? tr("Service account") : tr("Person")));
        m_accounts->setItem(row, 2, cell(roles.join(u", "_s)));
        m_accounts->setItem(row, 3,
                            cell(account.value("disabled", false) ? tr("Disabled") : tr("Active")));
        if (username == keep)
            select = row;
    }
    m_accounts->resizeColumnsToContents();
    if (select < 0 && m_accounts->rowCount() > 0)
        select = 0;
    if (select >= 0)
        m_accounts->selectRow(select);
    Q_EMIT accountsLoaded();
}

QString AccountsDialog::selectedUsername() const
{
    const auto rows = m_accounts->selectionModel()->selectedRows();
    if (rows.isEmpty())
        return {};
    return m_accounts->item(rows.first().row(), 0)->data(Qt::UserRole).toString();
}

void AccountsDialog::loadTokens()
{
    const QString username = selectedUsername();
    m_tokensTitle->setText(username.isEmpty() ? tr("API tokens")
                                              : tr("API tokens of %1").arg(username));
    updateButtons();
    if (username.isEmpty()) {
        m_tokens->setRowCount(0);
        return;
    }
    api::ApiRequest request;
    request.method = api::Method::Get;
    request.path = "/authorization/tokens";
    request.query = {{"username", username.toStdString()}};
    whenFinished(m_client.call(std::move(request)), this,
                 [this, username](const api::ApiResponse &response) {
                     if (username != selectedUsername())
                         return; // another account was chosen meanwhile
                     if (!response.ok()) {
                         m_status->setText(failureText(response));
                         return;
                     }
                     showTokens(envelopeData(response));
                 });
}

void AccountsDialog::showTokens(const json &tokens)
{
    m_tokens->setRowCount(0);
    for (const json &token : tokens) {
        const int row = m_tokens->rowCount();
        m_tokens->insertRow(row);
        const QString label = text(token, "label");
        m_tokens->setItem(row, 0,
                          cell(label.isEmpty() ? tr("(no label)") : label, text(token, "_id")));
        m_tokens->setItem(row, 1, cell(when(token.value("created", json()), tr("—"))));
        m_tokens->setItem(row, 2, cell(when(token.value("expires", json()), tr("—"))));
        m_tokens->setItem(row, 3, cell(when(token.value("lastUsed", json()), tr("never"))));
        const bool revoked = !token.value("revoked", json()).is_null();
        const auto expires = timetext::moment(token.value("expires", json()));
        const bool expired = expires && *expires <= QDateTime::currentDateTime();
        m_tokens->setItem(row, 4,
                          cell(revoked   ? tr("Revoked %1").arg(when(token["revoked"], {}))
                               : expired ? tr("Expired")
                                         : tr("Works")));
    }
    m_tokens->resizeColumnsToContents();
    updateButtons();
    Q_EMIT tokensLoaded();
}

void AccountsDialog::updateButtons()
{
    m_create->setEnabled(!selectedUsername().isEmpty());
    const auto rows = m_tokens->selectionModel()->selectedRows();
    const bool works =
        !rows.isEmpty() && m_tokens->item(rows.first().row(), 4)->text() == tr("Works");
    m_revoke->setEnabled(works);
}

void AccountsDialog::createToken()
{
    const QString username = selectedUsername();
    if (username.isEmpty())
        return;
    api::ApiRequest request;
    request.method = api::Method::Post;
    request.path = "/authorization/tokens";
    request.body = {{"username", username.toStdString()},
                    {"days", m_days->value()},
                    {"label", m_label->text().trimmed().toStdString()}};
    m_create->setEnabled(false);
    whenFinished(
        m_client.call(std::move(request)), this,
        [this, username](const api::ApiResponse &response) {
            updateButtons();
            if (!response.ok()) {
                m_prompter.showError(tr("Create Token"),
                                     tr("No token was created for %1.").arg(username),
                                     failureText(response));
                return;
            }
            m_newToken->setText(text(envelopeData(response), "token"));
            m_newTokenBox->setVisible(true);
            m_label->clear();
            m_status->setText(
                tr("Created a token for %1; it works until %2.")
                    .arg(username, when(envelopeData(response).value("expires", json()), {})));
            loadTokens();
        });
}

void AccountsDialog::revokeToken()
{
    const auto rows = m_tokens->selectionModel()->selectedRows();
    if (rows.isEmpty())
        return;
    const QTableWidgetItem *item = m_tokens->item(rows.first().row(), 0);
    const QString id = item->data(Qt::UserRole).toString();
    if (!m_prompter.confirm(tr("Revoke Token"),
                            tr("Revoke the token “%1” of %2? Whatever uses it is refused from "
                               "now on.")
                                .arg(item->text(), selectedUsername()),
                            tr("Revoke")))
        return;
    api::ApiRequest request;
    request.method = api::Method::Delete;
    request.path = "/authorization/tokens/" + id.toStdString();
    whenFinished(m_client.call(std::move(request)), this, [this](const api::ApiResponse &response) {
        if (!response.ok()) {
            m_prompter.showError(tr("Revoke Token"), tr("The token was not revoked."),
                                 failureText(response));
            return;
        }
        m_status->setText(tr("Revoked."));
        loadTokens();
    });
}

} // namespace flowdeck::ui
