// SPDX-License-Identifier: GPL-3.0-or-later
// One incoming value of a task in the properties panel: a literal typed by the method's input
// schema (a check box for a boolean, a number, text, or JSON for arrays and objects), or a
// reference to a job variable ($var.job.x) or to an outgoing value of a task upstream
// ($var.<task>.<name>), picked from what the workflow has. Emits committed() with the new
// value when the operator is done with it (Enter, leaving the field, a choice in a list);
// refuses text that is not of the type, saying why. GUI thread.
#pragma once

#include <QWidget>

#include <nlohmann/json.hpp>

#include <utility>
#include <vector>

class QCheckBox;
class QComboBox;
class QLineEdit;
class QStackedWidget;

namespace flowdeck::ui::editor {

class ValueField final : public QWidget
{
    Q_OBJECT

public:
    /// `type`: the schema type of the value ("string", "number", "integer", "boolean",
    /// "array", "object", or "*" for any).
    ValueField(QString type, QWidget *parent = nullptr);

    /// What the reference lists offer: the job variables, and (label, "$var.<task>.<name>")
    /// for each outgoing value upstream.
    void setChoices(const std::vector<std::string> &jobVariables,
                    const std::vector<std::pair<QString, std::string>> &taskOutputs);
    /// Shows `value` without emitting anything.
    void setValue(const nlohmann::json &value);

    enum class Kind { Literal, JobVariable, TaskOutput };
    Kind kind() const;
    QComboBox *kindBox() const { return m_kind; }
    QLineEdit *textEdit() const { return m_text; }
    QCheckBox *checkBox() const { return m_check; }
    QComboBox *jobBox() const { return m_job; }
    QComboBox *taskBox() const { return m_task; }
    /// The field has the keyboard focus somewhere inside.
    bool isEditing() const;

Q_SIGNALS:
    void committed(const nlohmann::json &value);
    /// Text that is not of the field's type, with the reason.
    void refused(const QString &reason);

private:
    void kindChosen(int index);
    void commitLiteral();
    void commitJob();
    void commitTask();
    void showKind(Kind kind);

    QString m_type;
    QComboBox *m_kind;
    QStackedWidget *m_stack;
    QLineEdit *m_text;
    QCheckBox *m_check = nullptr;
    QComboBox *m_job;
    QComboBox *m_task;
    nlohmann::json m_value; ///< the value shown
    bool m_quiet = false;   ///< setting values: no commits
};

} // namespace flowdeck::ui::editor
