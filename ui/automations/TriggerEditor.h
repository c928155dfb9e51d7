// SPDX-License-Identifier: GPL-3.0-or-later
// One trigger of the automation editor: a form generated from a schema of its type's fields
// (manual, endpoint, schedule, event; docs/automations.md), and for a schedule the next five
// fire times, asked of the engine's own preview route as the fields change, so an operator
// sees what a cron expression and its time zone mean before saving. It sends nothing itself:
// the editor collects body() from every trigger and saves them with the automation, all or
// nothing. GUI thread; never blocks.
#pragma once

#include <QWidget>

#include <nlohmann/json.hpp>

#include <optional>

class QLabel;
class QTimer;

namespace flowdeck::ui {

class ConsoleClient;
class SchemaForm;

class TriggerEditor final : public QWidget
{
    Q_OBJECT
public:
    /// Edits `trigger` (its document as the engine answered it, or {type} for a new one).
    TriggerEditor(ConsoleClient &client, nlohmann::json trigger, QWidget *parent = nullptr);

    /// The schema of a type's form: the fields the engine takes for it, in words.
    static nlohmann::json formSchema(const std::string &type);
    /// "Schedule", "Endpoint", …: the type as a person reads it.
    static QString typeLabel(const std::string &type);

    SchemaForm *form() const { return m_form; }
    QString type() const { return QString::fromStdString(m_type); }
    QString triggerId() const;
    bool isNew() const { return triggerId().isEmpty(); }
    /// The name typed in, and whether Enabled is ticked (for the editor's list).
    QString name() const;
    bool isEnabled() const;
    /// The next fire times as shown, one a line, or the preview's problem; empty for other
    /// types.
    QString previewText() const;

    /// Checks the form; shows each problem at its field. False when something must be fixed
    /// before it may be sent.
    bool validate();
    /// What to send: for a new trigger its fields (with type), for a stored one the fields
    /// that changed (null for a field that was emptied) and its _id; nullopt when a stored
    /// trigger is unchanged.
    std::optional<nlohmann::json> body() const;
    /// The engine's problems for this trigger, pointers relative to it ("/cron").
    int showProblems(const nlohmann::json &details);
    void clearProblems();
    bool hasProblems() const { return m_hasProblems; }

Q_SIGNALS:
    /// A field changed (the editor updates the list's line).
    void edited();

private:
    /// The form's values with firstRunAt as epoch ms (the form holds it as ISO 8601 text).
    nlohmann::json currentValues() const;
    void schedulePreview();
    void requestPreview();

    ConsoleClient &m_client;
    nlohmann::json m_trigger;
    std::string m_type;
    SchemaForm *m_form = nullptr;
    QLabel *m_preview = nullptr;
    QTimer *m_previewTimer = nullptr;
    quint64 m_previewToken = 0;
    bool m_hasProblems = false;
};

} // namespace flowdeck::ui
