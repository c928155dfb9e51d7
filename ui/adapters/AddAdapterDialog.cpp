// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/adapters/AddAdapterDialog.h"

#include "engine/adapters/PackageFolder.h"
#include "ui/adapters/AdapterRequests.h"
#include "ui/client/ConsoleClient.h"
#include "ui/forms/Replies.h"
#include "ui/main/Prompter.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;
using nlohmann::json;

namespace flowdeck::ui {

namespace {

/// The engine's message with its first pointed details, one per line: where the document or
/// the properties are wrong.
QString problemText(const api::ApiResponse &response)
{
    QString text = failureText(response);
    const json details =
        response.json.is_object() ? response.json.value("details", json()) : json();
    if (!details.is_array())
        return text;
    int shown = 0;
    for (const auto &d : details) {
        if (!d.is_object() || ++shown > 5)
            break;
        text += u"\n• "_s + QString::fromStdString(d.value("instancePath", std::string())) +
                u": "_s + QString::fromStdString(d.value("message", std::string()));
    }
    return text;
}

} // namespace

AddAdapterDialog::AddAdapterDialog(ConsoleClient &client, Prompter *prompter, QWidget *parent)
    : QDialog(parent), m_client(client), m_prompter(prompter)
{
    setObjectName(u"addAdapterDialog"_s);
    setWindowTitle(tr("Add Adapter"));
    auto *form = new QFormLayout;
    m_name = new QLineEdit(this);
    m_name->setObjectName(u"adapterName"_s);
    m_name->setPlaceholderText(tr("e.g. servicenow-prod"));
    m_name->setToolTip(tr("What tasks pass as adapter_id to pick this instance"));
    m_app = new QLineEdit(this);
    m_app->setObjectName(u"adapterApp"_s);
    m_app->setPlaceholderText(tr("e.g. Servicenow"));
    m_app->setToolTip(tr("The app field of the tasks this instance serves"));
    m_kind = new QComboBox(this);
    m_kind->setObjectName(u"adapterKind"_s);
    m_kind->addItem(tr("OpenAPI or Swagger file"));
    m_kind->addItem(tr("Itential adapter package (folder)"));
    m_kind->setToolTip(tr("An Itential package is the adapter's npm folder, with pronghorn.json, "
                          "adapter.js and entities/"));
    m_file = new QLineEdit(this);
    m_file->setObjectName(u"adapterFile"_s);
    auto *browse = new QPushButton(tr("&Browse…"), this);
    browse->setObjectName(u"browseDefinition"_s);
    auto *fileRow = new QHBoxLayout;
    fileRow->addWidget(m_file, 1);
    fileRow->addWidget(browse);
    m_host = new QLineEdit(this);
    m_host->setObjectName(u"adapterHost"_s);
    m_host->setPlaceholderText(tr("e.g. dev123.service-now.com"));
    m_port = new QSpinBox(this);
    m_port->setObjectName(u"adapterPort"_s);
    m_port->setRange(1, 65535);
    m_port->setValue(443);
    m_protocol = new QComboBox(this);
    m_protocol->setObjectName(u"adapterProtocol"_s);
    m_protocol->addItems({u"https"_s, u"http"_s});
    connect(m_protocol, &QComboBox::currentTextChanged, this, [this](const QString &protocol) {
        // Follow the protocol's usual port unless someone chose another.
        if (protocol == u"http"_s && m_port->value() == 443)
            m_port->setValue(80);
        else if (protocol == u"https"_s && m_port->value() == 80)
            m_port->setValue(443);
    });
    form->addRow(tr("&Name:"), m_name);
    form->addRow(tr("&App:"), m_app);
    form->addRow(tr("&Methods from:"), m_kind);
    // The row is a layout, which cannot be a buddy: the label points at the path's field.
    auto *definitionLabel = new QLabel(tr("&Definition:"), this);
    definitionLabel->setBuddy(m_file);
    form->addRow(definitionLabel, fileRow);
    form->addRow(tr("&Host:"), m_host);
    form->addRow(tr("&Port:"), m_port);
    form->addRow(tr("P&rotocol:"), m_protocol);

    m_message = new QLabel(this);
    m_message->setObjectName(u"addAdapterMessage"_s);
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QPalette problem = m_message->palette();
    problem.setColor(QPalette::WindowText, QColor(0xd6, 0x45, 0x45));
    m_message->setPalette(problem);
    m_message->hide();

    auto *note = new QLabel(tr("Authentication, health check, timeouts and the rest are set in "
                               "the instance's properties once it is added."),
                            this);
    note->setWordWrap(true);
    note->setForegroundRole(QPalette::PlaceholderText);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    m_add = buttons->addButton(tr("Add"), QDialogButtonBox::AcceptRole);
    m_add->setObjectName(u"addAdapterButton"_s);
    m_add->setDefault(true);
    connect(buttons, &QDialogButtonBox::accepted, this, &AddAdapterDialog::submit);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(browse, &QPushButton::clicked, this, &AddAdapterDialog::browse);
    for (QLineEdit *edit : {m_name, m_app, m_file, m_host})
        connect(edit, &QLineEdit::textChanged, this, &AddAdapterDialog::updateButton);
    connect(m_kind, &QComboBox::currentIndexChanged, this, &AddAdapterDialog::updateKind);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(note);
    layout->addWidget(m_message);
    layout->addWidget(buttons);
    setMinimumWidth(460);
    updateKind();
}

QString AddAdapterDialog::messageText() const
{
    return m_message->isHidden() ? QString() : m_message->text();
}

bool AddAdapterDialog::isPackage() const
{
    return m_kind->currentIndex() == 1;
}

void AddAdapterDialog::updateKind()
{
    if (isPackage()) {
        m_file->setPlaceholderText(tr("the package's folder (with pronghorn.json)"));
        m_app->setPlaceholderText(tr("from the package (pronghorn.json's export)"));
    } else {
        m_file->setPlaceholderText(tr("OpenAPI 3 or Swagger 2, JSON or YAML"));
        m_app->setPlaceholderText(tr("e.g. Servicenow"));
    }
    updateButton();
}

void AddAdapterDialog::updateButton()
{
    // A package names its own app; an OpenAPI file does not.
    const bool complete = !m_name->text().trimmed().isEmpty() &&
                          (isPackage() || !m_app->text().trimmed().isEmpty()) &&
                          !m_file->text().trimmed().isEmpty() &&
                          !m_host->text().trimmed().isEmpty();
    m_add->setEnabled(complete && !m_sending);
}

void AddAdapterDialog::browse()
{
    const QString filter = tr("API definitions (*.yaml *.yml *.json);;All files (*)");
    QString path;
    if (isPackage()) {
        const QString title = tr("Choose an Itential adapter package's folder");
        path = m_prompter ? m_prompter->openFolder(title, {})
                          : QFileDialog::getExistingDirectory(this, title);
    } else if (m_prompter) {
        const QStringList files = m_prompter->openFiles(tr("Choose an OpenAPI file"), {}, filter);
        path = files.value(0);
    } else {
        path = QFileDialog::getOpenFileName(this, tr("Choose an OpenAPI file"), {}, filter);
    }
    if (path.isEmpty())
        return;
    m_file->setText(path);
    showMessage({}); // what was wrong with the last choice no longer applies
    // The file's name is a fair first guess at the instance's name.
    if (m_name->text().isEmpty()) {
        QString guess = QFileInfo(path).completeBaseName();
        if (isPackage() && guess.startsWith(u"adapter-"_s))
            guess = guess.mid(8);
        m_name->setText(guess);
    }
}

void AddAdapterDialog::showMessage(const QString &text)
{
    m_message->setText(text);
    m_message->setVisible(!text.isEmpty());
}

void AddAdapterDialog::submit()
{
    if (m_sending || !m_add->isEnabled())
        return;
    const QString path = m_file->text().trimmed();
    const json properties = {{"host", m_host->text().trimmed().toStdString()},
                             {"port", m_port->value()},
                             {"protocol", m_protocol->currentText().toStdString()}};
    const QString name = m_name->text().trimmed();
    if (isPackage()) {
        auto files = adapters::readItentialPackage(path.toStdString());
        if (!files) {
            showMessage(QString::fromStdString(files.error().message));
            m_file->setFocus();
            return;
        }
        send(requests::createAdapterFromPackage(name, m_app->text().trimmed(), std::move(*files),
                                                properties),
             name);
        return;
    }
    QFile file(path);
    if (!file.exists()) {
        showMessage(tr("The definition file %1 does not exist.").arg(path));
        m_file->setFocus();
        return;
    }
    if (file.size() > kMaxFileBytes) {
        showMessage(tr("The definition file is %1 MB; definitions larger than %2 MB are not read.")
                        .arg(file.size() / (1024 * 1024))
                        .arg(kMaxFileBytes / (1024 * 1024)));
        return;
    }
    if (!file.open(QIODevice::ReadOnly)) {
        showMessage(tr("The definition file cannot be read: %1").arg(file.errorString()));
        return;
    }
    const QString text = QString::fromUtf8(file.readAll());
    send(requests::createAdapter(name, m_app->text().trimmed(), text, properties), name);
}

void AddAdapterDialog::send(api::ApiRequest request, const QString &name)
{
    m_sending = true;
    updateButton();
    showMessage({});
    whenFinished(m_client.call(std::move(request)), this,
                 [this, name](const api::ApiResponse &response) {
                     m_sending = false;
                     updateButton();
                     if (!response.ok()) {
                         showMessage(problemText(response));
                         return;
                     }
                     Q_EMIT added(name);
                     accept();
                 });
}

} // namespace flowdeck::ui
