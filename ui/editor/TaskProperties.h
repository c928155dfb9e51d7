// SPDX-License-Identifier: GPL-3.0-or-later
// The selected task's values, to change in place: its summary, description and groups; each
// incoming value as its method's input schema describes it (a typed literal, a job variable or
// an output of a task upstream, see ValueField), a transformation's variableMap one JST input
// at a time; and which job variable each outgoing value is saved to. Every change is one
// undoable edit through the EditSession ("Set obj of Read 5-minute CPU load"). An undo, a redo
// or another change elsewhere updates the fields in place, so Tab keeps moving through them.
// GUI thread.
#pragma once

#include <QWidget>

#include <nlohmann/json.hpp>

#include <functional>
#include <optional>
#include <string>
#include <vector>

class QComboBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QScrollArea;

namespace flowdeck::ui::editor {

class EditSession;
class ValueField;

class TaskProperties final : public QWidget
{
    Q_OBJECT

public:
    /// How a task's method is described: the tasks/list entry for (app, method), if known.
    using EntryLookup =
        std::function<std::optional<nlohmann::json>(const std::string &, const std::string &)>;

    TaskProperties(EditSession *session, EntryLookup lookup, QWidget *parent = nullptr);

    /// Shows task `key` (empty: none).
    void showTask(const QString &key);
    QString task() const { return m_key; }

    /// The field of an incoming value (its name; a variableMap input is "variableMap/<id>"),
    /// or nullptr.
    ValueField *incomingField(const QString &name) const;
    QLineEdit *summaryEdit() const { return m_summary; }
    /// The job-variable box of an outgoing value, or nullptr.
    QComboBox *outgoingField(const QString &name) const;

Q_SIGNALS:
    /// A refusal or hint for the status bar.
    void status(const QString &text);

private:
    struct Row
    {
        QString name;          ///< as shown and as incomingField() finds it
        std::string pointer;   ///< inside the task
        QString type;          ///< schema type, "*" for any
        bool required = false; ///< the method needs it
        QString description;
        ValueField *field = nullptr;
    };

    void documentChanged();
    std::vector<Row> rowsFor(const nlohmann::json &task) const;
    std::vector<std::string> outgoingFor(const nlohmann::json &task) const;
    std::string shapeOf(const nlohmann::json &task) const;
    void rebuild();
    void refresh();
    void set(const std::string &pointer, std::optional<nlohmann::json> value, const QString &what);
    const nlohmann::json *currentTask() const;

    EditSession *m_session;
    EntryLookup m_lookup;
    QString m_key;
    std::string m_shape; ///< the rows shown, to tell a refresh from a rebuild
    QScrollArea *m_scroll;
    QWidget *m_body = nullptr; ///< the fields, made again for each task
    QLabel *m_title;
    QLineEdit *m_summary = nullptr;
    QLineEdit *m_description = nullptr;
    QLineEdit *m_groups = nullptr;
    std::vector<Row> m_rows;
    std::vector<std::pair<std::string, QComboBox *>> m_outgoing;
};

} // namespace flowdeck::ui::editor
