// SPDX-License-Identifier: GPL-3.0-or-later
// The administrators' Accounts dialog: every account (people and service accounts), the API
// tokens of the selected one with their label, dates and last use, and creating and revoking
// them. A new token is shown once, in the dialog, to copy. It reaches the engine only through
// the ConsoleClient (GET /authorization/accounts, /authorization/tokens), so the same routes
// and permission checks apply as for any API client. GUI thread.
#pragma once

#include "ui/client/ConsoleClient.h"

#include <QDialog>

#include <nlohmann/json.hpp>

class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;
class QTableWidget;

namespace flowdeck::ui {

class Prompter;

class AccountsDialog final : public QDialog
{
    Q_OBJECT
public:
    /// `prompter` asks before a revocation and shows failures; both must outlive the dialog.
    AccountsDialog(ConsoleClient &client, Prompter &prompter, QWidget *parent = nullptr);

    /// Loads the accounts again (and then the selected account's tokens).
    void reload();

Q_SIGNALS:
    /// The accounts, or an account's tokens, are shown (tests wait on these).
    void accountsLoaded();
    void tokensLoaded();

private:
    void showAccounts(const nlohmann::json &accounts);
    void loadTokens();
    void showTokens(const nlohmann::json &tokens);
    void createToken();
    void revokeToken();
    QString selectedUsername() const;
    void updateButtons();

    ConsoleClient &m_client;
    Prompter &m_prompter;
    QTableWidget *m_accounts = nullptr;
    QLabel *m_tokensTitle = nullptr;
    QTableWidget *m_tokens = nullptr;
    QLineEdit *m_label = nullptr;
    QSpinBox *m_days = nullptr;
    QPushButton *m_create = nullptr;
    QPushButton *m_revoke = nullptr;
    QWidget *m_newTokenBox = nullptr;
    QLineEdit *m_newToken = nullptr;
    QLabel *m_status = nullptr;
};

} // namespace flowdeck::ui
