// SPDX-License-Identifier: GPL-3.0-or-later
// Creating and editing an automation in the window: its name, description, the workflow it
// runs (picked from the store's workflows), GBAC groups, run policy and completion webhook in
// a form generated from a schema (SchemaForm), and its triggers — added, changed and removed,
// each in a TriggerEditor — below it. Save sends everything in one request,
// POST /operations-manager/automations/save, whose parts run through the same handlers as the
// REST routes and are written all or nothing; what the engine refuses is shown under the field
// its JSON pointer names (in the automation's form or the trigger's), scrolled to the first.
// The webhook secret is never shown: the form holds the mask the engine answers with, which
// keeps it; clearing the field removes it. GUI thread; never blocks.
#pragma once

#include <QDialog>

#include <nlohmann/json.hpp>

#include <vector>

class QLabel;
class QListWidget;
class QPushButton;
class QScrollArea;
class QStackedWidget;

namespace flowdeck::ui {

class ConsoleClient;
class SchemaForm;
class TriggerEditor;

class AutomationEditor final : public QDialog
{
    Q_OBJECT
public:
    /// Edits `automation` (its document as the engine answered it), or makes a new one when
    /// it has no _id. Loads the store's workflows and, for a stored one, its triggers.
    AutomationEditor(ConsoleClient &client, nlohmann::json automation, QWidget *parent = nullptr);

    /// The schema the automation's form is generated from; `workflows` (`[{_id, name}]`) are
    /// the choices for the workflow, which a new automation must name (a stored one may have
    /// none yet, as Itential allows).
    static nlohmann::json formSchema(const nlohmann::json &workflows, bool requireWorkflow);
    bool isNew() const;
    /// Whether the workflows (and a stored automation's document and triggers) have arrived:
    /// Save waits.
    bool isLoaded() const { return m_workflowsLoaded && m_triggersLoaded && m_automationLoaded; }
    SchemaForm *form() const { return m_form; }
    QListWidget *triggerList() const { return m_triggerList; }
    /// The trigger editors, in the list's order.
    const std::vector<TriggerEditor *> &triggers() const { return m_triggers; }
    TriggerEditor *currentTrigger() const;
    QString problemText() const;

public Q_SLOTS:
    /// Adds a trigger of `type` (manual, endpoint, schedule, eventSystem) and shows it.
    void addTrigger(const QString &type);
    /// Removes the selected trigger (a stored one is deleted when the automation is saved).
    void removeTrigger();
    /// Checks the forms, sends the automation with its triggers, and closes when the engine
    /// took them; otherwise shows each problem at its field, and nothing is saved.
    void save();

Q_SIGNALS:
    /// The engine saved the automation; `automation` is its new document.
    void saved(const nlohmann::json &automation);

private:
    void setWorkflows(const nlohmann::json &workflows);
    TriggerEditor *appendTrigger(const nlohmann::json &trigger);
    void updateTriggerItem(TriggerEditor *trigger);
    void updateSave();
    /// The automation part of the save body: what changed (all of it for a new one).
    nlohmann::json automationChanges() const;
    /// Places the engine's details in the forms they name; answers how many found a field.
    int showProblems(const nlohmann::json &details, const std::vector<TriggerEditor *> &sent);
    void setProblem(const QString &text);

    ConsoleClient &m_client;
    nlohmann::json m_automation;
    SchemaForm *m_form = nullptr;
    QScrollArea *m_scroll = nullptr;
    QListWidget *m_triggerList = nullptr;
    QStackedWidget *m_triggerStack = nullptr;
    QLabel *m_noTrigger = nullptr;
    QPushButton *m_remove = nullptr;
    std::vector<TriggerEditor *> m_triggers;
    std::vector<std::string> m_deleted; ///< stored triggers removed in this editor
    QLabel *m_problem = nullptr;
    QPushButton *m_save = nullptr;
    bool m_workflowsLoaded = false;
    bool m_triggersLoaded = false;
    bool m_automationLoaded = false;
    bool m_saving = false;
};

} // namespace flowdeck::ui
