// SPDX-License-Identifier: GPL-3.0-or-later
// "Automations": the Operations Manager automations, and for the selected one its triggers
// (type, enabled, last run, next run); enable or disable a trigger, and Run a manual trigger
// through a form generated from its schema. GUI thread; never blocks.
#pragma once

#include "engine/api/ApiTypes.h"

#include <QWidget>

#include <nlohmann/json.hpp>

class QAction;
class QDialog;
class QLabel;
class QPushButton;
class QStackedWidget;
class QTableView;
class QTabWidget;
class QTimer;

namespace flowdeck::ui {

class AutomationEditor;
class AutomationHealthView;
class ConsoleClient;
class JsonListModel;
class SchemaForm;

class AutomationsPage final : public QWidget
{
    Q_OBJECT
public:
    explicit AutomationsPage(ConsoleClient &client, QWidget *parent = nullptr);

    JsonListModel *automationsModel() const { return m_automations; }
    JsonListModel *triggersModel() const { return m_triggers; }
    QTableView *automationsView() const { return m_automationsView; }
    QTableView *triggersView() const { return m_triggersView; }
    SchemaForm *runForm() const { return m_runForm; }
    AutomationHealthView *healthView() const { return m_health; }
    JsonListModel *deliveriesModel() const { return m_deliveries; }
    QTabWidget *tabs() const { return m_tabs; }
    /// Whether the run form is open (for the trigger selected).
    bool isRunFormOpen() const;
    QString bannerText() const;
    /// Selects a row of either list by its document's _id; false when it is not listed.
    bool selectAutomation(const QString &automationId);
    bool selectTrigger(const QString &triggerId);

public Q_SLOTS:
    /// Fetches the automations again (and the triggers of the one selected).
    void refresh();
    /// Enables a disabled selected trigger, disables an enabled one.
    void toggleSelectedTrigger();
    /// Opens the run form for the selected manual trigger.
    void openRunForm();
    /// Validates the run form and runs the trigger.
    void run();
    /// Opens the editor for a new automation (AutomationEditor).
    void openNewAutomation();
    /// Opens the editor of the selected automation: its fields and its triggers.
    void openEditor();

public:
    /// The automation editor (new or existing) while it is open; null otherwise.
    AutomationEditor *editor() const { return m_editor; }
    /// Why the selected trigger is run the way it is ("POST …/endpoint/x"), or empty.
    QString triggerNoteText() const;
    /// The empty state's message when there are no automations; empty otherwise.
    QString emptyText() const;
    /// How often the page asks whether the automations changed elsewhere; 0 stops asking.
    void setPollInterval(int ms);

Q_SIGNALS:
    /// A manual trigger started a job.
    void jobStarted(const QString &jobId);
    /// The operator asked to import exports (the window's import takes automations too).
    void importRequested();

private:
    void loadTriggers();
    void pollForChanges();
    void openEditorFor(const nlohmann::json &automation);
    /// The health and the webhook deliveries of `automation`, for the selection `token`.
    void loadHealth(const nlohmann::json &automation, quint64 token);
    void showRunForm(const nlohmann::json &schema);
    void closeRunForm();
    void updateActions();
    void setBanner(const QString &text, bool problem = true);
    nlohmann::json selectedAutomation() const;
    nlohmann::json selectedTrigger() const;

    ConsoleClient &m_client;
    quint64 m_triggersToken = 0;
    QString m_keepAutomation;
    QString m_keepTrigger;
    QString m_runTrigger;

    JsonListModel *m_automations = nullptr;
    JsonListModel *m_triggers = nullptr;
    QTableView *m_automationsView = nullptr;
    QTableView *m_triggersView = nullptr;
    QLabel *m_banner = nullptr;
    QLabel *m_name = nullptr;
    QLabel *m_description = nullptr;
    QLabel *m_triggersTitle = nullptr;
    QWidget *m_details = nullptr;
    QLabel *m_placeholder = nullptr;
    QWidget *m_runPanel = nullptr;
    QLabel *m_runTitle = nullptr;
    SchemaForm *m_runForm = nullptr;
    QPushButton *m_runButton = nullptr;
    QAction *m_toggle = nullptr;
    QAction *m_run = nullptr;
    QAction *m_refresh = nullptr;
    QAction *m_new = nullptr;
    QAction *m_import = nullptr;
    QStackedWidget *m_listStack = nullptr;
    QWidget *m_empty = nullptr;
    QLabel *m_emptyText = nullptr;
    QLabel *m_noWorkflow = nullptr;
    QLabel *m_triggerNote = nullptr;
    QTabWidget *m_tabs = nullptr;
    QAction *m_edit = nullptr;
    AutomationEditor *m_editor = nullptr;
    AutomationHealthView *m_health = nullptr;
    JsonListModel *m_deliveries = nullptr;
    QTableView *m_deliveriesView = nullptr;
    QLabel *m_webhookText = nullptr;
    QTimer *m_pollTimer = nullptr;
    bool m_polling = false; ///< a poll's answer is awaited
};

} // namespace flowdeck::ui
