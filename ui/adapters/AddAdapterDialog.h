// SPDX-License-Identifier: GPL-3.0-or-later
// "Add adapter": a name, the app its tasks name (e.g. Servicenow), what its methods come from
// (an OpenAPI or Swagger file, JSON or YAML, or an Itential adapter package's folder, whose
// pronghorn.json names the app), and where the system is (host, port, protocol; the rest is
// set in the properties form afterwards). Sends POST /adapters and shows the
// engine's pointed errors in the dialog; emits added() when the instance exists. GUI thread.
#pragma once

#include "engine/api/ApiTypes.h"

#include <QDialog>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace flowdeck::ui {

class ConsoleClient;
class Prompter;

class AddAdapterDialog final : public QDialog
{
    Q_OBJECT
public:
    /// Files larger than this are refused before they are read: no real definition is.
    static constexpr qint64 kMaxFileBytes = 32 * 1024 * 1024;

    AddAdapterDialog(ConsoleClient &client, Prompter *prompter, QWidget *parent = nullptr);

    QLineEdit *nameEdit() const { return m_name; }
    QLineEdit *appEdit() const { return m_app; }
    QComboBox *kindBox() const { return m_kind; }
    QLineEdit *fileEdit() const { return m_file; }
    QLineEdit *hostEdit() const { return m_host; }
    QSpinBox *portBox() const { return m_port; }
    QComboBox *protocolBox() const { return m_protocol; }
    QPushButton *addButton() const { return m_add; }
    QString messageText() const;

public Q_SLOTS:
    /// Checks the fields, reads the file and sends the instance.
    void submit();

Q_SIGNALS:
    void added(const QString &name);

private:
    void browse();
    void send(api::ApiRequest request, const QString &name);
    void showMessage(const QString &text);
    void updateButton();
    void updateKind();
    bool isPackage() const;

    ConsoleClient &m_client;
    Prompter *m_prompter;
    QLineEdit *m_name = nullptr;
    QLineEdit *m_app = nullptr;
    QComboBox *m_kind = nullptr;
    QLineEdit *m_file = nullptr;
    QLineEdit *m_host = nullptr;
    QSpinBox *m_port = nullptr;
    QComboBox *m_protocol = nullptr;
    QLabel *m_message = nullptr;
    QPushButton *m_add = nullptr;
    bool m_sending = false;
};

} // namespace flowdeck::ui
