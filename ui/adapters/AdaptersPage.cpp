// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/adapters/AdaptersPage.h"

#include "ui/adapters/AdapterHealth.h"
#include "ui/adapters/AdapterRequests.h"
#include "ui/adapters/AddAdapterDialog.h"
#include "ui/adapters/SecretFields.h"
#include "ui/client/ConsoleClient.h"
#include "ui/client/JsonFields.h"
#include "ui/forms/JsonListModel.h"
#include "ui/forms/PageChrome.h"
#include "ui/forms/Replies.h"
#include "ui/forms/SchemaForm.h"
#include "ui/main/Prompter.h"
#include "ui/main/TableStyle.h"

#include <QAction>
#include <QDateTime>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QSplitter>
#include <QStackedWidget>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;
using nlohmann::json;

namespace flowdeck::ui {

namespace {

/// "path: petId, query: kind, body" — where a method's inputs go.
QString inputsText(const json &method)
{
    QStringList parts;
    for (const auto &input : jsonfields::member(method, "inputs")) {
        QString name = jsonfields::text(input, "name");
        const QString in = jsonfields::text(input, "in");
        if (!in.isEmpty() && in != u"body"_s) // package inputs are positional, not placed
            name = in + u": "_s + name;
        const json &required = jsonfields::member(input, "required");
        if (required.is_boolean() && required.get<bool>())
            name += u'*';
        parts << name;
    }
    return parts.isEmpty() ? QObject::tr("none") : parts.join(u", "_s);
}

QLabel *sectionLabel(const QString &text, QWidget *parent)
{
    auto *label = new QLabel(text, parent);
    QFont font = label->font();
    font.setWeight(QFont::DemiBold);
    label->setFont(font);
    return label;
}

} // namespace

AdaptersPage::AdaptersPage(ConsoleClient &client, QWidget *parent)
    : QWidget(parent), m_client(client)
{
    setObjectName(u"adaptersPage"_s);
    // The health columns read m_connections, which the live fetch refreshes without a model reset
    // (a reset would drop the selection and the form being edited).
    auto connection = [this](const json &a) {
        return m_connections.value(jsonfields::text(a, "name"));
    };
    m_instances = new JsonListModel(
        {{tr("Adapter"),
          [connection](const json &a, int role) -> QVariant {
              if (role == Qt::DisplayRole)
                  return jsonfields::text(a, "name");
              if (role == Qt::DecorationRole)
                  return adapterhealth::light(adapterhealth::stateOf(connection(a)));
              if (role == Qt::ToolTipRole)
                  return adapterhealth::word(connection(a));
              return {};
          }},
         {tr("App"),
          [](const json &a, int role) -> QVariant {
              return role == Qt::DisplayRole ? QVariant(jsonfields::text(a, "app")) : QVariant();
          }},
         {tr("Health"),
          [connection](const json &a, int role) -> QVariant {
              return role == Qt::DisplayRole ? QVariant(adapterhealth::word(connection(a)))
                                             : QVariant();
          }},
         {tr("Latency"),
          [connection](const json &a, int role) -> QVariant {
              if (role == Qt::DisplayRole)
                  return adapterhealth::latencyText(connection(a));
              if (role == Qt::TextAlignmentRole)
                  return int(Qt::AlignRight | Qt::AlignVCenter);
              return {};
          }},
         {tr("Last error"),
          [connection](const json &a, int role) -> QVariant {
              if (role == Qt::DisplayRole || role == Qt::ToolTipRole)
                  return adapterhealth::errorText(connection(a));
              return {};
          }}},
        this);
    m_methods = new JsonListModel(
        {{tr("Method"),
          [](const json &m, int role) -> QVariant {
              if (role == Qt::DisplayRole)
                  return jsonfields::text(m, "name");
              if (role == Qt::ToolTipRole)
                  return jsonfields::text(m, "summary");
              return {};
          }},
         {tr("Request"),
          [](const json &m, int role) -> QVariant {
              const bool unbound = m.contains("unbound");
              if (role == Qt::DisplayRole)
                  return unbound ? tr("not run by Flowdeck: %1").arg(jsonfields::text(m, "unbound"))
                                 : QString(jsonfields::text(m, "verb") + u' ' +
                                           jsonfields::text(m, "path"));
              if (role == Qt::ToolTipRole && unbound)
                  return tr("A task that calls this method ends in error saying why");
              if (role == Qt::FontRole && !unbound)
                  return QFontDatabase::systemFont(QFontDatabase::FixedFont);
              if (role == Qt::FontRole) { // italic: not a request, a reason
                  QFont font;
                  font.setItalic(true);
                  return font;
              }
              return {};
          }},
         {tr("Inputs"),
          [](const json &m, int role) -> QVariant {
              if (role == Qt::DisplayRole)
                  return inputsText(m);
              if (role == Qt::ToolTipRole)
                  return tr("* required");
              return {};
          }}},
        this);

    m_add = new QAction(tr("&Add Adapter…"), this);
    m_add->setObjectName(u"addAdapter"_s);
    m_add->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_N));
    m_add->setToolTip(tr("Add an adapter instance from an OpenAPI or Swagger file (%1)")
                          .arg(m_add->shortcut().toString(QKeySequence::NativeText)));
    m_remove = new QAction(tr("&Remove…"), this);
    m_remove->setObjectName(u"removeAdapter"_s);
    m_remove->setShortcut(QKeySequence::Delete);
    m_refresh = new QAction(tr("Re&fresh"), this);
    m_refresh->setObjectName(u"refreshAdapters"_s);
    m_refresh->setShortcut(QKeySequence::Refresh);
    for (QAction *action : {m_add, m_remove, m_refresh})
        action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    addActions({m_add, m_remove, m_refresh});
    connect(m_add, &QAction::triggered, this, &AdaptersPage::openAddDialog);
    connect(m_remove, &QAction::triggered, this, &AdaptersPage::removeSelected);
    connect(m_refresh, &QAction::triggered, this, &AdaptersPage::refresh);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(
        pagechrome::header(tr("Adapters"), {m_add, m_remove, nullptr, m_refresh}, this));
    m_banner = pagechrome::banner(u"adaptersBanner"_s, this);
    layout->addWidget(m_banner);

    auto *splitter = new QSplitter(Qt::Horizontal, this);
    splitter->setObjectName(u"adaptersSplitter"_s);
    splitter->setChildrenCollapsible(false);
    auto *left = new QWidget(splitter);
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(12, 6, 6, 12);
    m_listStack = new QStackedWidget(left);
    m_instancesView = pagechrome::table(m_instances, u"adaptersTable"_s, m_listStack);
    TableStyle::apply(m_instancesView);
    m_instancesView->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    for (int c = 1; c < 4; ++c)
        m_instancesView->horizontalHeader()->setSectionResizeMode(c, QHeaderView::ResizeToContents);
    m_listStack->addWidget(m_instancesView);
    auto *empty = new QWidget(m_listStack);
    auto *emptyLayout = new QVBoxLayout(empty);
    emptyLayout->addStretch(1);
    m_emptyText = new QLabel(
        tr("No adapters yet.\n\nAn adapter instance connects the tasks of one app (Servicenow, "
           "Netbox, your own service) to a real system: its methods come from an OpenAPI or "
           "Swagger file, its properties say where the system is and how to sign in."),
        empty);
    m_emptyText->setWordWrap(true);
    m_emptyText->setAlignment(Qt::AlignCenter);
    m_emptyText->setForegroundRole(QPalette::PlaceholderText);
    emptyLayout->addWidget(m_emptyText);
    auto *emptyButtons = new QHBoxLayout;
    emptyButtons->addStretch(1);
    auto *addButton = new QPushButton(m_add->text().remove(u'&'), empty);
    addButton->setObjectName(u"addAdapterEmptyButton"_s);
    connect(addButton, &QPushButton::clicked, m_add, &QAction::trigger);
    emptyButtons->addWidget(addButton);
    emptyButtons->addStretch(1);
    emptyLayout->addLayout(emptyButtons);
    emptyLayout->addStretch(2);
    m_listStack->addWidget(empty);
    leftLayout->addWidget(m_listStack);
    splitter->addWidget(left);
    splitter->addWidget(buildDetail());
    splitter->setStretchFactor(0, 2);
    splitter->setStretchFactor(1, 3);
    layout->addWidget(splitter, 1);

    connect(m_instancesView->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            [this] {
                updateActions();
                loadDetail();
            });

    m_healthTimer = new QTimer(this);
    m_healthTimer->setInterval(kHealthIntervalMs);
    connect(m_healthTimer, &QTimer::timeout, this, &AdaptersPage::fetchHealth);
    updateActions();
}

QWidget *AdaptersPage::buildDetail()
{
    m_detailStack = new QStackedWidget(this);
    m_placeholder = new QLabel(tr("Select an adapter to see its connection, properties and "
                                  "methods."),
                               m_detailStack);
    m_placeholder->setAlignment(Qt::AlignCenter);
    m_placeholder->setWordWrap(true);
    m_placeholder->setForegroundRole(QPalette::PlaceholderText);
    m_detailStack->addWidget(m_placeholder);

    auto *detail = new QWidget(m_detailStack);
    auto *layout = new QVBoxLayout(detail);
    layout->setContentsMargins(14, 6, 14, 12);
    layout->setSpacing(6);
    m_title = new QLabel(detail);
    m_title->setObjectName(u"adapterTitle"_s);
    QFont nameFont = m_title->font();
    nameFont.setPointSizeF(nameFont.pointSizeF() * 1.2);
    nameFont.setWeight(QFont::DemiBold);
    m_title->setFont(nameFont);
    layout->addWidget(m_title);
    m_subtitle = new QLabel(detail);
    m_subtitle->setWordWrap(true);
    m_subtitle->setForegroundRole(QPalette::PlaceholderText);
    layout->addWidget(m_subtitle);

    auto *healthRow = new QHBoxLayout;
    m_light = new QLabel(detail);
    m_light->setObjectName(u"adapterLight"_s);
    healthRow->addWidget(m_light, 0, Qt::AlignTop);
    m_healthLabel = new QLabel(detail);
    m_healthLabel->setObjectName(u"adapterHealth"_s);
    m_healthLabel->setWordWrap(true);
    m_healthLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    healthRow->addWidget(m_healthLabel, 1);
    m_test = new QPushButton(tr("&Test Connection"), detail);
    m_test->setObjectName(u"testAdapter"_s);
    m_test->setToolTip(tr("Send the instance's health check now"));
    healthRow->addWidget(m_test, 0, Qt::AlignTop);
    layout->addLayout(healthRow);
    connect(m_test, &QPushButton::clicked, this, &AdaptersPage::testConnection);

    m_tabs = new QTabWidget(detail);
    m_tabs->setObjectName(u"adapterTabs"_s);
    m_tabs->setDocumentMode(true);
    auto *properties = new QWidget(m_tabs);
    auto *propertiesLayout = new QVBoxLayout(properties);
    propertiesLayout->setContentsMargins(0, 8, 0, 0);
    m_form = new SchemaForm(properties);
    m_form->setObjectName(u"adapterProperties"_s);
    auto *scroll = new QScrollArea(properties);
    scroll->setWidget(m_form);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    propertiesLayout->addWidget(scroll, 1);
    auto *saveRow = new QHBoxLayout;
    m_saveNote = new QLabel(properties);
    m_saveNote->setObjectName(u"adapterSaveNote"_s);
    m_saveNote->setWordWrap(true);
    m_saveNote->setForegroundRole(QPalette::PlaceholderText);
    saveRow->addWidget(m_saveNote, 1);
    m_save = new QPushButton(tr("&Save"), properties);
    m_save->setObjectName(u"saveAdapter"_s);
    m_save->setEnabled(false);
    saveRow->addWidget(m_save);
    propertiesLayout->addLayout(saveRow);
    connect(m_save, &QPushButton::clicked, this, &AdaptersPage::saveProperties);
    connect(m_form, &SchemaForm::edited, this, [this] {
        // Choices and check boxes report the values the page fills in too; only a person's
        // edit is a change to save.
        if (m_filling)
            return;
        m_save->setEnabled(true);
        m_saveNote->setText(tr("Changed; not saved yet."));
    });
    m_tabs->addTab(properties, tr("Properties"));

    auto *methods = new QSplitter(Qt::Vertical, m_tabs);
    methods->setChildrenCollapsible(false);
    m_methodsView = pagechrome::table(m_methods, u"adapterMethods"_s, methods);
    TableStyle::apply(m_methodsView);
    m_methodsView->horizontalHeader()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_methodsView->horizontalHeader()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    methods->addWidget(m_methodsView);
    auto *schemaBox = new QWidget(methods);
    auto *schemaLayout = new QVBoxLayout(schemaBox);
    schemaLayout->setContentsMargins(0, 6, 0, 0);
    schemaLayout->addWidget(sectionLabel(tr("Input schema"), schemaBox));
    m_inputSchema = new QPlainTextEdit(schemaBox);
    m_inputSchema->setObjectName(u"adapterInputSchema"_s);
    m_inputSchema->setReadOnly(true);
    m_inputSchema->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_inputSchema->setPlaceholderText(tr("Select a method to see what its task passes."));
    schemaLayout->addWidget(m_inputSchema, 1);
    methods->addWidget(schemaBox);
    m_tabs->addTab(methods, tr("Methods"));
    connect(m_methodsView->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &AdaptersPage::showInputSchema);
    layout->addWidget(m_tabs, 1);
    m_detailStack->addWidget(detail);
    return m_detailStack;
}

void AdaptersPage::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    refresh();
    m_healthTimer->start();
}

void AdaptersPage::hideEvent(QHideEvent *event)
{
    QWidget::hideEvent(event);
    m_healthTimer->stop();
}

QString AdaptersPage::healthText() const
{
    return m_detailStack->currentWidget() == m_placeholder ? QString() : m_healthLabel->text();
}

QString AdaptersPage::inputSchemaText() const
{
    return m_inputSchema->toPlainText();
}

QString AdaptersPage::bannerText() const
{
    return m_banner->isHidden() ? QString() : m_banner->text();
}

QString AdaptersPage::emptyText() const
{
    return m_listStack->currentWidget() == m_instancesView ? QString() : m_emptyText->text();
}

json AdaptersPage::healthOf(const QString &name) const
{
    return m_connections.value(name);
}

QString AdaptersPage::selectedName() const
{
    const auto rows = m_instancesView->selectionModel()->selectedRows();
    return rows.isEmpty() ? QString()
                          : jsonfields::text(m_instances->document(rows.first().row()), "name");
}

bool AdaptersPage::selectAdapter(const QString &name)
{
    for (int row = 0; row < m_instances->rowCount(); ++row) {
        if (jsonfields::text(m_instances->document(row), "name") == name) {
            m_instancesView->selectRow(row);
            return true;
        }
    }
    return false;
}

void AdaptersPage::setBanner(const QString &text, bool problem)
{
    pagechrome::setBanner(m_banner, text, problem);
}

void AdaptersPage::updateActions()
{
    m_remove->setEnabled(!selectedName().isEmpty());
}

void AdaptersPage::refresh()
{
    if (m_keep.isEmpty())
        m_keep = selectedName();
    if (m_schema.is_null()) {
        whenFinished(m_client.call(requests::adapterPropertiesSchema()), this,
                     [this](const api::ApiResponse &response) {
                         if (!response.ok()) {
                             setBanner(tr("The adapter properties schema could not be read: %1")
                                           .arg(failureText(response)));
                             return;
                         }
                         m_schema = response.json;
                         m_secretPointers = secretfields::pointers(m_schema);
                         m_filling = true;
                         m_form->setSchema(m_schema);
                         if (!m_stored.is_null())
                             m_form->setValues(
                                 secretfields::withoutSecrets(m_stored, m_secretPointers));
                         m_filling = false;
                     });
    }
    whenFinished(
        m_client.call(requests::listAdapters()), this, [this](const api::ApiResponse &response) {
            if (!response.ok()) {
                setBanner(tr("The adapters could not be listed: %1").arg(failureText(response)));
                return;
            }
            std::vector<json> rows;
            for (const auto &a : jsonfields::member(response.json, "results"))
                rows.push_back(a);
            const QString keep = m_keep;
            m_keep.clear();
            m_instances->setRows(std::move(rows));
            m_listStack->setCurrentIndex(m_instances->rowCount() > 0 ? 0 : 1);
            if (!keep.isEmpty())
                selectAdapter(keep);
            if (selectedName().isEmpty() && m_instances->rowCount() > 0)
                m_instancesView->selectRow(0);
            if (m_instances->rowCount() == 0)
                loadDetail();
        });
    fetchHealth();
}

void AdaptersPage::fetchHealth()
{
    if (m_healthPending)
        return; // one in flight at a time, however slow the engine is to answer
    m_healthPending = true;
    whenFinished(m_client.call(requests::adaptersHealth()), this,
                 [this](const api::ApiResponse &response) {
                     m_healthPending = false;
                     if (response.ok())
                         applyHealth(response.json);
                 });
}

void AdaptersPage::applyHealth(const json &entries)
{
    m_connections.clear();
    bool checking = false;
    for (const auto &entry : entries) {
        const json &connection = jsonfields::member(entry, "connection");
        m_connections.insert(jsonfields::text(entry, "id"), connection);
        checking = checking || adapterhealth::isChecking(connection);
    }
    for (int column = 0; column < m_instances->columnCount(); ++column)
        m_instances->refreshColumn(column);
    showHealth();
    // A check under way is followed closely, so its outcome shows as soon as it is in.
    if (isVisible())
        m_healthTimer->start(checking ? kCheckingIntervalMs : kHealthIntervalMs);
}

void AdaptersPage::showHealth()
{
    const json connection = m_connections.value(m_shown);
    const auto state = adapterhealth::stateOf(connection);
    const int size = m_healthLabel->fontMetrics().height() - 2;
    m_light->setPixmap(adapterhealth::light(state, size).pixmap(size, size));
    m_healthLabel->setText(
        adapterhealth::sentence(connection, QDateTime::currentMSecsSinceEpoch()));
    QPalette palette = m_healthLabel->palette();
    palette.setColor(QPalette::WindowText, state == adapterhealth::State::Offline
                                               ? adapterhealth::color(state)
                                               : QPalette().color(QPalette::WindowText));
    m_healthLabel->setPalette(palette);
    m_test->setEnabled(!m_shown.isEmpty() && !adapterhealth::isChecking(connection));
}

void AdaptersPage::loadDetail()
{
    const QString name = selectedName();
    const quint64 token = ++m_detailToken;
    if (name.isEmpty()) {
        m_shown.clear();
        m_stored = nullptr;
        m_detailStack->setCurrentWidget(m_placeholder);
        return;
    }
    if (name != m_shown)
        m_saveNote->clear();
    whenFinished(
        m_client.call(requests::adapterDetail(name)), this,
        [this, token, name](const api::ApiResponse &response) {
            if (token != m_detailToken)
                return; // another instance was selected meanwhile
            if (!response.ok()) {
                setBanner(tr("Adapter %1 could not be read: %2").arg(name, failureText(response)));
                return;
            }
            showDetail(response.json);
        });
}

void AdaptersPage::showDetail(const json &instance)
{
    m_shown = jsonfields::text(instance, "name");
    m_stored = jsonfields::member(instance, "properties");
    m_title->setText(m_shown);
    const json &definition = jsonfields::member(instance, "definition");
    QString subtitle = tr("App %1").arg(jsonfields::text(instance, "app"));
    const QString source = jsonfields::text(definition, "title");
    if (!source.isEmpty()) {
        subtitle += u" · "_s + source;
        const QString version = jsonfields::text(definition, "version");
        if (!version.isEmpty())
            subtitle += u' ' + version;
    }
    const json &methods = jsonfields::member(instance, "methods");
    subtitle +=
        u" · "_s + (methods.size() == 1 ? tr("1 method") : tr("%1 methods").arg(methods.size()));
    // An Itential package's methods that are custom code are listed, not guessed at.
    const json &unbound = jsonfields::member(definition, "unbound");
    if (!unbound.empty())
        subtitle += u" · "_s + tr("%1 not run by Flowdeck").arg(unbound.size());
    m_subtitle->setText(subtitle);

    m_filling = true;
    if (m_schema.is_object())
        m_form->setSchema(m_schema); // back to the defaults, then the stored values on top
    m_form->setValues(secretfields::withoutSecrets(m_stored, m_secretPointers));
    m_filling = false;
    m_form->clearProblems();
    for (const QString &pointer : m_secretPointers) {
        if (auto *edit = qobject_cast<QLineEdit *>(m_form->editor(pointer)))
            edit->setPlaceholderText(secretfields::isStored(m_stored, pointer)
                                         ? tr("stored, not shown; type to replace")
                                         : tr("not set"));
    }
    m_save->setEnabled(false);

    std::vector<json> rows;
    for (const auto &m : methods)
        rows.push_back(m);
    for (const auto &u : unbound)
        rows.push_back({{"name", jsonfields::member(u, "name")},
                        {"unbound", jsonfields::member(u, "reason")}});
    m_methods->setRows(std::move(rows));
    m_inputSchema->clear();
    showHealth();
    m_detailStack->setCurrentIndex(1);
}

void AdaptersPage::showInputSchema()
{
    const auto rows = m_methodsView->selectionModel()->selectedRows();
    if (rows.isEmpty()) {
        m_inputSchema->clear();
        return;
    }
    const json &method = m_methods->document(rows.first().row());
    m_inputSchema->setPlainText(
        QString::fromStdString(jsonfields::member(method, "inputSchema").dump(2)));
}

void AdaptersPage::openAddDialog()
{
    if (m_addDialog) {
        m_addDialog->raise();
        m_addDialog->activateWindow();
        return;
    }
    m_addDialog = new AddAdapterDialog(m_client, m_prompter, this);
    m_addDialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(m_addDialog, &QObject::destroyed, this, [this] { m_addDialog = nullptr; });
    connect(m_addDialog, &AddAdapterDialog::added, this, [this](const QString &name) {
        setBanner(
            tr("Added adapter %1. Set its authentication below, then Test Connection.").arg(name),
            false);
        m_keep = name;
        refresh();
    });
    m_addDialog->show();
}

void AdaptersPage::removeSelected()
{
    const QString name = selectedName();
    if (name.isEmpty())
        return;
    const QString title = tr("Remove Adapter");
    const QString text = tr("Remove adapter %1? Tasks that call it will end in error until "
                            "another instance of its app is added. Its stored secrets are "
                            "deleted.")
                             .arg(name);
    const bool yes = m_prompter ? m_prompter->confirm(title, text, tr("Remove"))
                                : QMessageBox::question(this, title, text) == QMessageBox::Yes;
    if (!yes)
        return;
    whenFinished(m_client.call(requests::deleteAdapter(name)), this,
                 [this, name](const api::ApiResponse &response) {
                     if (!response.ok()) {
                         setBanner(
                             tr("Adapter %1 was not removed: %2").arg(name, failureText(response)));
                         return;
                     }
                     setBanner(tr("Removed adapter %1.").arg(name), false);
                     refresh();
                 });
}

void AdaptersPage::saveProperties()
{
    if (m_shown.isEmpty())
        return;
    if (!m_form->validate().isEmpty()) {
        m_saveNote->setText(tr("Not saved: correct the fields marked."));
        return;
    }
    const json properties = secretfields::forSave(m_form->values(), m_stored, m_secretPointers);
    const QString name = m_shown;
    m_save->setEnabled(false);
    m_saveNote->setText(tr("Saving…"));
    whenFinished(m_client.call(requests::updateAdapterProperties(name, properties)), this,
                 [this, name](const api::ApiResponse &response) {
                     if (name != m_shown)
                         return;
                     if (!response.ok()) {
                         m_save->setEnabled(true);
                         const json details = response.json.is_object()
                                                  ? response.json.value("details", json())
                                                  : json();
                         // The engine points into the properties ("/port"), as the form
                         // names its fields.
                         const int shown = details.is_array() ? m_form->showProblems(details) : 0;
                         m_saveNote->setText(shown > 0
                                                 ? tr("Not saved: correct the fields "
                                                      "marked.")
                                                 : tr("Not saved: %1").arg(failureText(response)));
                         return;
                     }
                     // The answer lists the methods by name only: read the instance again.
                     loadDetail();
                     m_saveNote->setText(tr("Saved. Test Connection checks the new settings."));
                     fetchHealth();
                 });
}

void AdaptersPage::testConnection()
{
    const QString name = m_shown;
    if (name.isEmpty())
        return;
    m_test->setEnabled(false);
    m_healthLabel->setText(tr("Checking the connection…"));
    whenFinished(m_client.call(requests::testAdapter(name)), this,
                 [this, name](const api::ApiResponse &response) {
                     if (!response.ok()) {
                         setBanner(tr("The connection of %1 could not be tested: %2")
                                       .arg(name, failureText(response)));
                         showHealth();
                         return;
                     }
                     fetchHealth();
                 });
}

} // namespace flowdeck::ui
