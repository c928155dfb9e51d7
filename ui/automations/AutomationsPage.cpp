// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/automations/AutomationsPage.h"
#include "ui/client/JsonFields.h"

#include "ui/automations/AutomationEditor.h"
#include "ui/automations/AutomationHealthView.h"
#include "ui/automations/AutomationRequests.h"
#include "ui/client/ConsoleClient.h"
#include "ui/client/Requests.h"
#include "ui/forms/JsonListModel.h"
#include "ui/forms/Replies.h"
#include "ui/forms/SchemaForm.h"
#include "ui/forms/TimeText.h"
#include "ui/jobs/JobStatus.h"

#include <QAction>
#include <QComboBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QFrame>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPushButton>
#include <QScrollArea>
#include <QSplitter>
#include <QStackedWidget>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>
#include <QToolBar>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;
using nlohmann::json;

namespace flowdeck::ui {

namespace {

constexpr int kPageSize = 500;
constexpr int kPollIntervalMs = 5000;

/// The list's order: by name, as people look for them.
void sortByName(std::vector<json> &automations)
{
    std::stable_sort(automations.begin(), automations.end(), [](const json &a, const json &b) {
        return jsonfields::text(a, "name").localeAwareCompare(jsonfields::text(b, "name")) < 0;
    });
}

/// Whether an automation has a workflow to run: the engine sets componentId and componentName
/// together when it found one, and leaves both null when not.
bool hasWorkflow(const json &automation)
{
    return !jsonfields::text(automation, "componentId").isEmpty() ||
           !jsonfields::text(automation, "componentName").isEmpty();
}

QString typeName(const QString &type)
{
    if (type == u"manual"_s)
        return QObject::tr("Manual");
    if (type == u"schedule"_s)
        return QObject::tr("Schedule");
    if (type == u"endpoint"_s)
        return QObject::tr("API endpoint");
    if (type == u"eventSystem"_s)
        return QObject::tr("Event");
    return type;
}

bool triggerEnabled(const json &trigger)
{
    const json enabled = trigger.is_object() ? trigger.value("enabled", json()) : json();
    return enabled.is_boolean() && enabled.get<bool>();
}

QVariant momentCell(const json &value, int role)
{
    const auto when = timetext::moment(value);
    if (role == Qt::DisplayRole)
        return when ? timetext::moment(*when, QDateTime::currentDateTime()) : u"—"_s;
    if (role == Qt::ToolTipRole && when)
        return when->toLocalTime().toString(Qt::ISODate);
    return {};
}

/// The form a manual trigger asks for when it carries one of its own (formSchema, or schema
/// as endpoint triggers name it); null otherwise, and the workflow's inputSchema is asked for.
json triggerSchema(const json &trigger)
{
    for (const char *key : {"formSchema", "schema"}) {
        const json schema = trigger.value(key, json());
        if (schema.is_object() && schema.contains("properties"))
            return schema;
    }
    return nullptr;
}

QTableView *makeTable(JsonListModel *model, const QString &name, QWidget *parent)
{
    auto *view = new QTableView(parent);
    // Rows are what this table selects: Tab leaves it instead of walking every cell.
    view->setTabKeyNavigation(false);
    view->setObjectName(name);
    view->setModel(model);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setSelectionMode(QAbstractItemView::SingleSelection);
    view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    view->setShowGrid(false);
    view->setAlternatingRowColors(true);
    view->setWordWrap(false);
    view->verticalHeader()->hide();
    view->verticalHeader()->setDefaultSectionSize(view->fontMetrics().height() + 14);
    view->horizontalHeader()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    view->horizontalHeader()->setHighlightSections(false);
    view->horizontalHeader()->setStretchLastSection(true);
    return view;
}

} // namespace

AutomationsPage::AutomationsPage(ConsoleClient &client, QWidget *parent)
    : QWidget(parent), m_client(client)
{
    setObjectName(u"automationsPage"_s);
    m_automations =
        new JsonListModel({{tr("Automation"),
                            [](const json &a, int role) -> QVariant {
                                if (role == Qt::DisplayRole)
                                    return jsonfields::text(a, "name");
                                if (role == Qt::ToolTipRole)
                                    return jsonfields::text(a, "description");
                                return {};
                            }},
                           {tr("Workflow"),
                            [](const json &a, int role) -> QVariant {
                                if (role != Qt::DisplayRole)
                                    return {};
                                const QString name = jsonfields::text(a, "componentName");
                                return name.isEmpty() ? jsonfields::text(a, "componentId") : name;
                            }}},
                          this);
    m_triggers = new JsonListModel(
        {{tr("Trigger"),
          [](const json &t, int role) -> QVariant {
              if (role == Qt::DisplayRole)
                  return jsonfields::text(t, "name");
              if (role == Qt::ToolTipRole)
                  return jsonfields::text(t, "description");
              return {};
          }},
         {tr("Type"),
          [](const json &t, int role) -> QVariant {
              if (role == Qt::DisplayRole)
                  return typeName(jsonfields::text(t, "type"));
              if (role == Qt::ToolTipRole && jsonfields::text(t, "type") == u"endpoint"_s)
                  return tr("POST /operations-manager/triggers/endpoint/%1")
                      .arg(jsonfields::text(t, "routeName"));
              return {};
          }},
         {tr("State"),
          [](const json &t, int role) -> QVariant {
              if (role == Qt::DisplayRole)
                  return triggerEnabled(t) ? tr("Enabled") : tr("Disabled");
              if (role == Qt::ForegroundRole && !triggerEnabled(t))
                  return QPalette().brush(QPalette::PlaceholderText);
              return {};
          }},
         {tr("Last run"),
          [](const json &t, int role) {
              return momentCell(t.value("lastExecuted", json()), role);
          }},
         {tr("Next run"),
          [](const json &t, int role) -> QVariant {
              if (!triggerEnabled(t) && role == Qt::DisplayRole)
                  return u"—"_s; // a disabled schedule does not run, whatever it says
              return momentCell(t.value("nextRunAt", json()), role);
          }}},
        this);

    m_deliveries = new JsonListModel(
        {{tr("Job ended"),
          [](const json &d, int role) { return momentCell(d.value("created", json()), role); }},
         {tr("Job"),
          [](const json &d, int role) -> QVariant {
              if (role == Qt::DisplayRole)
                  return jobstatus::label(jsonfields::text(d, "jobStatus"));
              if (role == Qt::DecorationRole)
                  return jobstatus::icon(jsonfields::text(d, "jobStatus"));
              if (role == Qt::ToolTipRole)
                  return jsonfields::text(d, "jobId");
              return {};
          }},
         {tr("Delivery"),
          [](const json &d, int role) -> QVariant {
              const QString status = jsonfields::text(d, "status");
              if (role == Qt::DisplayRole)
                  return status == u"delivered"_s ? tr("Delivered")
                         : status == u"failed"_s  ? tr("Failed")
                                                  : tr("Retrying");
              if (role == Qt::ForegroundRole && status == u"failed"_s)
                  return QBrush(jobstatus::color(u"error"_s));
              return {};
          }},
         {tr("Attempts"),
          [](const json &d, int role) -> QVariant {
              if (role == Qt::DisplayRole)
                  return d.value("attempts", 0);
              return {};
          }},
         {tr("Next attempt"),
          [](const json &d, int role) {
              return momentCell(d.value("nextAttemptAt", json()), role);
          }},
         {tr("Last error"),
          [](const json &d, int role) -> QVariant {
              if (role == Qt::DisplayRole || role == Qt::ToolTipRole)
                  return jsonfields::text(d, "lastError");
              return {};
          }}},
        this);

    m_toggle = new QAction(tr("&Disable"), this);
    m_toggle->setObjectName(u"toggleTrigger"_s);
    // Ctrl+E is the window's Export everywhere; enabling takes Shift with it.
    m_toggle->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E));
    m_run = new QAction(tr("&Run…"), this);
    m_run->setObjectName(u"runTrigger"_s);
    m_run->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_R));
    m_run->setToolTip(tr("Run the selected manual trigger (%1)")
                          .arg(m_run->shortcut().toString(QKeySequence::NativeText)));
    m_refresh = new QAction(tr("Re&fresh"), this);
    m_refresh->setObjectName(u"refreshAutomations"_s);
    m_refresh->setShortcut(QKeySequence::Refresh);
    m_refresh->setToolTip(tr("Fetch the automations again (%1)")
                              .arg(m_refresh->shortcut().toString(QKeySequence::NativeText)));
    m_new = new QAction(tr("&New Automation…"), this);
    m_new->setObjectName(u"newAutomation"_s);
    m_new->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_N));
    m_new->setToolTip(tr("An automation runs a workflow from its triggers (%1)")
                          .arg(m_new->shortcut().toString(QKeySequence::NativeText)));
    m_import = new QAction(tr("&Import…"), this);
    m_import->setObjectName(u"importAutomations"_s);
    m_import->setToolTip(tr("Import Itential exports: automations with their triggers, and the "
                            "workflows and JSTs they run"));
    m_edit = new QAction(tr("&Edit…"), this);
    m_edit->setObjectName(u"editAutomation"_s);
    m_edit->setShortcut(QKeySequence(Qt::Key_F2));
    m_edit->setToolTip(tr("Change the selected automation: its workflow, run policy, webhook "
                          "and triggers (%1)")
                           .arg(m_edit->shortcut().toString(QKeySequence::NativeText)));
    connect(m_edit, &QAction::triggered, this, &AutomationsPage::openEditor);
    connect(m_new, &QAction::triggered, this, &AutomationsPage::openNewAutomation);
    connect(m_import, &QAction::triggered, this, &AutomationsPage::importRequested);
    for (QAction *action : {m_toggle, m_run, m_refresh, m_new, m_edit})
        action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    addActions({m_toggle, m_run, m_refresh, m_new, m_edit});
    connect(m_toggle, &QAction::triggered, this, &AutomationsPage::toggleSelectedTrigger);
    connect(m_run, &QAction::triggered, this, &AutomationsPage::openRunForm);
    connect(m_refresh, &QAction::triggered, this, &AutomationsPage::refresh);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    auto *top = new QWidget(this);
    auto *topLayout = new QHBoxLayout(top);
    topLayout->setContentsMargins(16, 10, 10, 6);
    auto *title = new QLabel(tr("Automations"), top);
    QFont big = title->font();
    big.setPointSizeF(big.pointSizeF() * 1.4);
    big.setWeight(QFont::DemiBold);
    title->setFont(big);
    topLayout->addWidget(title);
    topLayout->addStretch(1);
    auto *toolbar = new QToolBar(top);
    toolbar->setToolButtonStyle(Qt::ToolButtonTextOnly);
    toolbar->addActions({m_new, m_edit, m_import});
    toolbar->addSeparator();
    toolbar->addActions({m_run, m_toggle});
    toolbar->addSeparator();
    toolbar->addAction(m_refresh);
    topLayout->addWidget(toolbar);
    layout->addWidget(top);

    m_banner = new QLabel(this);
    m_banner->setObjectName(u"automationsBanner"_s);
    m_banner->setWordWrap(true);
    m_banner->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_banner->setContentsMargins(16, 6, 16, 6);
    m_banner->setAutoFillBackground(true);
    m_banner->hide();
    layout->addWidget(m_banner);

    auto *splitter = new QSplitter(Qt::Horizontal, this);
    splitter->setObjectName(u"automationsSplitter"_s);
    splitter->setChildrenCollapsible(false);
    auto *left = new QWidget(splitter);
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(12, 6, 6, 12);
    m_listStack = new QStackedWidget(left);
    m_automationsView = makeTable(m_automations, u"automationsTable"_s, m_listStack);
    m_automationsView->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_listStack->addWidget(m_automationsView);
    // No automations: say what one is and offer the two ways to get one.
    m_empty = new QWidget(m_listStack);
    m_empty->setObjectName(u"automationsEmpty"_s);
    auto *emptyLayout = new QVBoxLayout(m_empty);
    emptyLayout->addStretch(1);
    m_emptyText = new QLabel(
        tr("No automations yet.\n\nAn automation runs a workflow from its triggers: a schedule, "
           "an API endpoint other systems call, or by hand from here. Make one for a workflow "
           "in this store, or import Itential exports (automations with their triggers, and "
           "the workflows they run)."),
        m_empty);
    m_emptyText->setWordWrap(true);
    m_emptyText->setAlignment(Qt::AlignCenter);
    m_emptyText->setForegroundRole(QPalette::PlaceholderText);
    emptyLayout->addWidget(m_emptyText);
    auto *emptyButtons = new QHBoxLayout;
    emptyButtons->addStretch(1);
    for (QAction *action : {m_new, m_import}) {
        auto *button = new QPushButton(action->text().remove(u'&'), m_empty);
        button->setObjectName(action->objectName() + u"Button"_s);
        connect(button, &QPushButton::clicked, action, &QAction::trigger);
        emptyButtons->addWidget(button);
    }
    emptyButtons->addStretch(1);
    emptyLayout->addLayout(emptyButtons);
    emptyLayout->addStretch(2);
    m_listStack->addWidget(m_empty);
    leftLayout->addWidget(m_listStack);
    splitter->addWidget(left);

    auto *right = new QWidget(splitter);
    auto *rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(14, 6, 14, 12);
    m_placeholder = new QLabel(tr("Select an automation to see its triggers."), right);
    m_placeholder->setAlignment(Qt::AlignCenter);
    m_placeholder->setForegroundRole(QPalette::PlaceholderText);
    rightLayout->addWidget(m_placeholder, 1);
    m_details = new QWidget(right);
    auto *details = new QVBoxLayout(m_details);
    details->setContentsMargins(0, 0, 0, 0);
    details->setSpacing(6);
    m_name = new QLabel(m_details);
    QFont nameFont = m_name->font();
    nameFont.setPointSizeF(nameFont.pointSizeF() * 1.2);
    nameFont.setWeight(QFont::DemiBold);
    m_name->setFont(nameFont);
    details->addWidget(m_name);
    m_description = new QLabel(m_details);
    m_description->setWordWrap(true);
    m_description->setForegroundRole(QPalette::PlaceholderText);
    details->addWidget(m_description);
    m_noWorkflow = new QLabel(m_details);
    m_noWorkflow->setObjectName(u"automationNoWorkflow"_s);
    m_noWorkflow->setWordWrap(true);
    m_noWorkflow->setText(tr("This automation has no workflow, so none of its triggers can run "
                             "it. Import its workflow (an automation export finds it by name), "
                             "or make a new automation for a workflow in this store."));
    QPalette warn = m_noWorkflow->palette();
    warn.setColor(QPalette::WindowText, QColor(0xd6, 0x45, 0x41));
    m_noWorkflow->setPalette(warn);
    m_noWorkflow->hide();
    details->addWidget(m_noWorkflow);
    m_triggersTitle = new QLabel(m_details);
    QFont section = m_triggersTitle->font();
    section.setWeight(QFont::DemiBold);
    m_triggersTitle->setFont(section);
    details->addSpacing(6);
    // Triggers, health and the webhook's deliveries: one tab each, so the charts get room.
    m_tabs = new QTabWidget(m_details);
    m_tabs->setObjectName(u"automationTabs"_s);
    m_tabs->setDocumentMode(true);
    auto *triggersTab = new QWidget(m_tabs);
    auto *triggersLayout = new QVBoxLayout(triggersTab);
    triggersLayout->setContentsMargins(0, 6, 0, 0);
    m_triggersTitle->setParent(triggersTab);
    triggersLayout->addWidget(m_triggersTitle);
    m_triggersView = makeTable(m_triggers, u"triggersTable"_s, triggersTab);
    m_triggersView->setContextMenuPolicy(Qt::CustomContextMenu);
    m_triggersView->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    for (int c = 1; c < 5; ++c)
        m_triggersView->horizontalHeader()->setSectionResizeMode(c, QHeaderView::ResizeToContents);
    triggersLayout->addWidget(m_triggersView, 1);
    m_triggerNote = new QLabel(triggersTab);
    m_triggerNote->setObjectName(u"triggerNote"_s);
    m_triggerNote->setWordWrap(true);
    m_triggerNote->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_triggerNote->setForegroundRole(QPalette::PlaceholderText);
    m_triggerNote->hide();
    triggersLayout->addWidget(m_triggerNote);
    m_tabs->addTab(triggersTab, tr("Triggers"));
    m_health = new AutomationHealthView(m_tabs);
    auto *healthScroll = new QScrollArea(m_tabs);
    healthScroll->setWidget(m_health);
    healthScroll->setWidgetResizable(true);
    healthScroll->setFrameShape(QFrame::NoFrame);
    m_tabs->addTab(healthScroll, tr("Health"));
    auto *webhookTab = new QWidget(m_tabs);
    auto *webhookLayout = new QVBoxLayout(webhookTab);
    webhookLayout->setContentsMargins(0, 6, 0, 0);
    m_webhookText = new QLabel(webhookTab);
    m_webhookText->setObjectName(u"webhookText"_s);
    m_webhookText->setWordWrap(true);
    m_webhookText->setTextInteractionFlags(Qt::TextSelectableByMouse);
    webhookLayout->addWidget(m_webhookText);
    m_deliveriesView = makeTable(m_deliveries, u"deliveriesTable"_s, webhookTab);
    m_deliveriesView->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_deliveriesView->horizontalHeader()->setStretchLastSection(true);
    webhookLayout->addWidget(m_deliveriesView, 1);
    m_tabs->addTab(webhookTab, tr("Webhook"));
    details->addWidget(m_tabs, 1);

    m_runPanel = new QFrame(m_details);
    m_runPanel->setObjectName(u"runPanel"_s);
    static_cast<QFrame *>(m_runPanel)->setFrameShape(QFrame::StyledPanel);
    auto *run = new QVBoxLayout(m_runPanel);
    run->setContentsMargins(14, 12, 14, 12);
    m_runTitle = new QLabel(m_runPanel);
    m_runTitle->setFont(section);
    run->addWidget(m_runTitle);
    m_runForm = new SchemaForm(m_runPanel);
    auto *scroll = new QScrollArea(m_runPanel);
    scroll->setWidget(m_runForm);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    run->addWidget(scroll, 1);
    auto *runButtons = new QHBoxLayout;
    runButtons->addStretch(1);
    auto *cancel = new QPushButton(tr("Cancel"), m_runPanel);
    cancel->setObjectName(u"runCancel"_s);
    m_runButton = new QPushButton(tr("Run"), m_runPanel);
    m_runButton->setObjectName(u"runConfirm"_s);
    m_runButton->setDefault(true);
    runButtons->addWidget(cancel);
    runButtons->addWidget(m_runButton);
    run->addLayout(runButtons);
    connect(cancel, &QPushButton::clicked, this, &AutomationsPage::closeRunForm);
    connect(m_runButton, &QPushButton::clicked, this, &AutomationsPage::run);
    m_runPanel->hide();
    details->addWidget(m_runPanel, 2);
    m_details->hide();
    rightLayout->addWidget(m_details, 1);
    splitter->addWidget(right);
    splitter->setStretchFactor(0, 2);
    splitter->setStretchFactor(1, 3);
    layout->addWidget(splitter, 1);

    connect(m_automationsView->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            [this] {
                closeRunForm();
                loadTriggers();
            });
    connect(m_triggersView->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this] {
        if (jsonfields::text(selectedTrigger(), "_id") != m_runTrigger)
            closeRunForm();
        updateActions();
    });
    connect(m_triggersView, &QAbstractItemView::doubleClicked, this, &AutomationsPage::openRunForm);
    connect(m_triggersView, &QWidget::customContextMenuRequested, this, [this](const QPoint &pos) {
        const QModelIndex index = m_triggersView->indexAt(pos);
        if (!index.isValid())
            return;
        m_triggersView->selectRow(index.row());
        QMenu menu(this);
        menu.addActions({m_run, m_toggle});
        menu.exec(m_triggersView->viewport()->mapToGlobal(pos));
    });
    updateActions();
    // Automations made by another process, or through the API of the engine this window runs,
    // send this page no event: while it shows, it asks every few seconds whether the list
    // changed.
    m_pollTimer = new QTimer(this);
    m_pollTimer->setInterval(kPollIntervalMs);
    connect(m_pollTimer, &QTimer::timeout, this, &AutomationsPage::pollForChanges);
    m_pollTimer->start();
    refresh();
}

void AutomationsPage::setPollInterval(int ms)
{
    m_pollTimer->stop();
    if (ms > 0) {
        m_pollTimer->setInterval(ms);
        m_pollTimer->start();
    }
}

void AutomationsPage::pollForChanges()
{
    // Redrawing re-selects the automation, which closes a run form and reloads the health
    // charts: the list is redrawn only when it differs, and never under an open form.
    if (!isVisible() || m_polling || isRunFormOpen() || m_editor)
        return;
    m_polling = true;
    whenFinished(m_client.call(requests::listAutomations(kPageSize)), this,
                 [this](const api::ApiResponse &response) {
                     m_polling = false;
                     const json &rows = envelopeData(response);
                     if (!response.ok() || !rows.is_array())
                         return; // a failed poll says nothing; Refresh says why
                     std::vector<json> automations(rows.begin(), rows.end());
                     sortByName(automations);
                     bool same = int(automations.size()) == m_automations->rowCount();
                     for (int row = 0; same && row < m_automations->rowCount(); ++row)
                         same = m_automations->document(row) == automations[std::size_t(row)];
                     if (!same)
                         refresh();
                 });
}

QString AutomationsPage::triggerNoteText() const
{
    return m_triggerNote->isHidden() ? QString() : m_triggerNote->text();
}

QString AutomationsPage::emptyText() const
{
    return m_listStack->currentWidget() == m_empty ? m_emptyText->text() : QString();
}

void AutomationsPage::openNewAutomation()
{
    openEditorFor(json::object());
}

QString AutomationsPage::bannerText() const
{
    return m_banner->isHidden() ? QString() : m_banner->text();
}

void AutomationsPage::setBanner(const QString &text, bool problem)
{
    QPalette palette = m_banner->palette();
    palette.setColor(QPalette::Window,
                     problem ? QColor(0xd6, 0x45, 0x41) : QColor(0x2e, 0x7d, 0x4f));
    palette.setColor(QPalette::WindowText, Qt::white);
    m_banner->setPalette(palette);
    m_banner->setText(text);
    m_banner->setVisible(!text.isEmpty());
}

json AutomationsPage::selectedAutomation() const
{
    const auto rows = m_automationsView->selectionModel()->selectedRows();
    return rows.isEmpty() ? json() : m_automations->document(rows.first().row());
}

json AutomationsPage::selectedTrigger() const
{
    const auto rows = m_triggersView->selectionModel()->selectedRows();
    return rows.isEmpty() ? json() : m_triggers->document(rows.first().row());
}

bool AutomationsPage::selectAutomation(const QString &automationId)
{
    const int row = m_automations->rowOf(automationId.toStdString());
    if (row < 0)
        return false;
    m_automationsView->selectRow(row);
    return true;
}

bool AutomationsPage::selectTrigger(const QString &triggerId)
{
    const int row = m_triggers->rowOf(triggerId.toStdString());
    if (row < 0)
        return false;
    m_triggersView->selectRow(row);
    return true;
}

bool AutomationsPage::isRunFormOpen() const
{
    return !m_runPanel->isHidden();
}

void AutomationsPage::refresh()
{
    const QString keep = m_keepAutomation.isEmpty() ? jsonfields::text(selectedAutomation(), "_id")
                                                    : std::exchange(m_keepAutomation, {});
    m_keepTrigger = jsonfields::text(selectedTrigger(), "_id");
    whenFinished(
        m_client.call(requests::listAutomations(kPageSize)), this,
        [this, keep](const api::ApiResponse &response) {
            if (!response.ok()) {
                setBanner(tr("The automations could not be loaded: %1").arg(failureText(response)));
                return;
            }
            const json &rows = envelopeData(response);
            std::vector<json> automations;
            if (rows.is_array())
                automations.assign(rows.begin(), rows.end());
            sortByName(automations);
            m_automations->setRows(std::move(automations));
            m_listStack->setCurrentWidget(m_automations->rowCount() > 0
                                              ? static_cast<QWidget *>(m_automationsView)
                                              : m_empty);
            if (keep.isEmpty() || !selectAutomation(keep))
                loadTriggers();
        });
}

void AutomationsPage::loadTriggers()
{
    const json automation = selectedAutomation();
    const quint64 token = ++m_triggersToken;
    updateActions();
    if (!automation.is_object()) {
        m_triggers->setRows({});
        m_details->hide();
        m_placeholder->show();
        return;
    }
    m_placeholder->hide();
    m_details->show();
    m_name->setText(jsonfields::text(automation, "name"));
    m_noWorkflow->setVisible(!hasWorkflow(automation));
    const QString description = jsonfields::text(automation, "description");
    m_description->setText(description);
    m_description->setVisible(!description.isEmpty());
    m_triggersTitle->setText(tr("Triggers"));
    loadHealth(automation, token);
    whenFinished(
        m_client.call(requests::triggersOf(jsonfields::text(automation, "_id"), kPageSize)), this,
        [this, token](const api::ApiResponse &response) {
            if (token != m_triggersToken)
                return;
            if (!response.ok()) {
                m_triggers->setRows({});
                setBanner(tr("The triggers could not be loaded: %1").arg(failureText(response)));
                return;
            }
            const json &rows = envelopeData(response);
            std::vector<json> triggers;
            if (rows.is_array())
                triggers.assign(rows.begin(), rows.end());
            m_triggers->setRows(std::move(triggers));
            m_triggersTitle->setText(m_triggers->rowCount() == 0
                                         ? tr("Triggers: none yet")
                                         : tr("Triggers (%1)").arg(m_triggers->rowCount()));
            if (!m_keepTrigger.isEmpty())
                selectTrigger(m_keepTrigger);
            m_keepTrigger.clear();
            updateActions();
        });
}

void AutomationsPage::loadHealth(const json &automation, quint64 token)
{
    const QString id = jsonfields::text(automation, "_id");
    const QString url = jsonfields::text(automation, "webhook_url");
    m_webhookText->setText(
        url.isEmpty()
            ? tr("No webhook: set a URL (and a secret to sign with) in Edit to have each job's "
                 "end posted to another system.")
            : tr("Each job's end is posted to %1%2. Deliveries, newest first:")
                  .arg(url, automation.contains("webhook_secret")
                                ? tr(", signed (X-Flowdeck-Signature)")
                                : tr(", unsigned (no secret)")));
    m_deliveries->setRows({});
    whenFinished(m_client.call(requests::automationHealth(id)), this,
                 [this, token](const api::ApiResponse &response) {
                     if (token != m_triggersToken)
                         return;
                     if (!response.ok())
                         m_health->setProblem(
                             tr("The health could not be loaded: %1").arg(failureText(response)));
                     else
                         m_health->setHealth(envelopeData(response));
                 });
    whenFinished(m_client.call(requests::webhookDeliveries(id, 100)), this,
                 [this, token](const api::ApiResponse &response) {
                     if (token != m_triggersToken || !response.ok())
                         return;
                     const json &rows = envelopeData(response);
                     std::vector<json> deliveries;
                     if (rows.is_array())
                         deliveries.assign(rows.begin(), rows.end());
                     m_deliveries->setRows(std::move(deliveries));
                 });
}

void AutomationsPage::openEditor()
{
    const json automation = selectedAutomation();
    if (automation.is_object())
        openEditorFor(automation);
}

void AutomationsPage::openEditorFor(const json &automation)
{
    if (m_editor) {
        m_editor->raise();
        m_editor->activateWindow();
        return;
    }
    m_editor = new AutomationEditor(m_client, automation, this);
    m_editor->setAttribute(Qt::WA_DeleteOnClose);
    connect(m_editor, &QObject::destroyed, this, [this] { m_editor = nullptr; });
    const bool created = !automation.contains("_id");
    connect(m_editor, &AutomationEditor::saved, this, [this, created](const json &saved) {
        m_keepAutomation = jsonfields::text(saved, "_id"); // selected once the list reloads
        const QString name = jsonfields::text(saved, "name");
        setBanner(created ? tr("Created “%1”.").arg(name) : tr("Saved “%1”.").arg(name), false);
        refresh();
    });
    m_editor->open();
}

void AutomationsPage::updateActions()
{
    m_edit->setEnabled(selectedAutomation().is_object());
    const json trigger = selectedTrigger();
    const bool selected = trigger.is_object();
    m_toggle->setEnabled(selected);
    m_toggle->setText(selected && !triggerEnabled(trigger) ? tr("&Enable") : tr("&Disable"));
    m_toggle->setToolTip(tr("Turn the selected trigger on or off (%1)")
                             .arg(m_toggle->shortcut().toString(QKeySequence::NativeText)));
    const QString type = selected ? jsonfields::text(trigger, "type") : QString();
    const bool manual = type == u"manual"_s;
    const bool runnable = hasWorkflow(selectedAutomation());
    m_run->setEnabled(manual && triggerEnabled(trigger) && runnable);
    // Run is for manual triggers; every other case says why it is off, in the tip and under
    // the triggers.
    QString why;
    if (selected && !runnable)
        why = tr("The automation has no workflow: nothing can run.");
    else if (type == u"endpoint"_s)
        why = tr("Runs when another system calls POST "
                 "/operations-manager/triggers/endpoint/%1 on this Flowdeck's API (signed in). "
                 "Run is for manual triggers.")
                  .arg(jsonfields::text(trigger, "routeName"));
    else if (selected && !manual)
        why = tr("Runs by itself (%1). Run is for manual triggers.").arg(typeName(type));
    else if (manual && !triggerEnabled(trigger))
        why = tr("Enable this trigger to run it.");
    m_run->setToolTip(why.isEmpty() ? tr("Run the selected manual trigger (%1)")
                                          .arg(m_run->shortcut().toString(QKeySequence::NativeText))
                                    : why);
    m_triggerNote->setText(why);
    m_triggerNote->setVisible(!why.isEmpty());
}

void AutomationsPage::toggleSelectedTrigger()
{
    const json trigger = selectedTrigger();
    if (!trigger.is_object())
        return;
    const bool enable = !triggerEnabled(trigger);
    const QString name = jsonfields::text(trigger, "name");
    m_keepTrigger = jsonfields::text(trigger, "_id");
    whenFinished(
        m_client.call(requests::setTriggerEnabled(jsonfields::text(trigger, "_id"), enable)), this,
        [this, enable, name](const api::ApiResponse &response) {
            if (!response.ok())
                setBanner(
                    tr("%1 could not be %2: %3")
                        .arg(name, enable ? tr("enabled") : tr("disabled"), failureText(response)));
            else
                setBanner({});
            loadTriggers();
        });
}

void AutomationsPage::openRunForm()
{
    const json trigger = selectedTrigger();
    if (!m_run->isEnabled() || !trigger.is_object())
        return;
    m_runTrigger = jsonfields::text(trigger, "_id");
    m_runTitle->setText(tr("Values for “%1”").arg(jsonfields::text(trigger, "name")));
    const json schema = triggerSchema(trigger);
    if (!schema.is_null()) {
        showRunForm(schema);
        return;
    }
    // A trigger without a form of its own passes its values on as job variables: ask for
    // what the automation's workflow declares.
    const QString workflow = jsonfields::text(selectedAutomation(), "componentName");
    if (workflow.isEmpty()) {
        showRunForm(json::object());
        return;
    }
    const QString triggerId = m_runTrigger;
    whenFinished(m_client.call(requests::workflowDetail(workflow)), this,
                 [this, triggerId](const api::ApiResponse &response) {
                     if (triggerId != m_runTrigger)
                         return;
                     showRunForm(response.ok() ? response.json.value("inputSchema", json::object())
                                               : json::object());
                 });
}

void AutomationsPage::showRunForm(const json &schema)
{
    m_runForm->setSchema(schema);
    // The trigger's own formData holds the form's defaults (the engine merges them too).
    m_runForm->setValues(selectedTrigger().value("formData", json::object()));
    m_runPanel->show();
    m_runButton->setEnabled(true);
    if (QWidget *first = m_runForm->nextInFocusChain(); first && m_runForm->isAncestorOf(first))
        first->setFocus();
}

void AutomationsPage::closeRunForm()
{
    m_runTrigger.clear();
    m_runPanel->hide();
}

void AutomationsPage::run()
{
    if (m_runTrigger.isEmpty() || !m_runButton->isEnabled())
        return;
    if (!m_runForm->validate().isEmpty())
        return;
    m_runButton->setEnabled(false);
    const QString triggerId = m_runTrigger;
    whenFinished(m_client.call(requests::runManualTrigger(triggerId, m_runForm->values())), this,
                 [this, triggerId](const api::ApiResponse &response) {
                     m_runButton->setEnabled(true);
                     if (!response.ok()) {
                         m_runForm->showProblems(response.json.is_object()
                                                     ? response.json.value("details", json())
                                                     : json());
                         setBanner(tr("The trigger did not run: %1").arg(failureText(response)));
                         return;
                     }
                     const json &job = envelopeData(response);
                     QString jobId = jsonfields::text(job, "_id");
                     if (jobId.isEmpty())
                         jobId = jsonfields::text(job, "jobId");
                     if (jobId.isEmpty() && job.is_object())
                         jobId = jsonfields::text(job.value("job", json::object()), "_id");
                     closeRunForm();
                     setBanner(tr("Job %1 started.").arg(jobId), false);
                     Q_EMIT jobStarted(jobId);
                     m_keepTrigger = triggerId;
                     loadTriggers(); // its last run changed
                 });
}

} // namespace flowdeck::ui
