// SPDX-License-Identifier: GPL-3.0-or-later
// A form generated from a JSON Schema of type object: one typed field per property (text,
// long text, number, integer, yes/no, a choice for enums, JSON for objects, arrays and
// anything the schema leaves open), required marks, defaults, examples as placeholders,
// descriptions as hints, and validation messages under the field they concern. Used by the
// task form, the start-job dialog and the manual-trigger run form. GUI thread.
#pragma once

#include <QList>
#include <QWidget>

#include <nlohmann/json.hpp>

#include <vector>

class QFormLayout;
class QLabel;

namespace flowdeck::ui {

class SchemaForm final : public QWidget
{
    Q_OBJECT
public:
    /// What is wrong with a value, where: `pointer` is the JSON pointer of the field in
    /// values() (e.g. "/device").
    struct Problem
    {
        QString pointer;
        QString message;
    };

    explicit SchemaForm(QWidget *parent = nullptr);

    /// Replaces the fields with those of `schema`'s properties, in their order, filled with
    /// their defaults. A schema without properties gives an empty form that says so.
    void setSchema(const nlohmann::json &schema);
    /// Fills fields by name from `values` (an object); other fields keep what they hold.
    void setValues(const nlohmann::json &values);
    /// The values typed in, as the schema types them; empty optional fields are left out.
    /// Fields that do not parse (a number that is not one, broken JSON) are left out too:
    /// call validate() first.
    nlohmann::json values() const;
    /// Checks every field against its schema, shows each message under its field and returns
    /// them all; empty when the values may be sent.
    QList<Problem> validate();
    /// Shows an engine's validation details ([{instancePath, message}]) under the fields
    /// they name. A path names a field when it ends with the field's pointer, so
    /// "/variables/device" and "/options/variables/device" both reach "device". Returns how
    /// many details found a field.
    int showProblems(const nlohmann::json &details);
    /// Clears every message.
    void clearProblems();

    int fieldCount() const { return int(m_fields.size()); }

    /// "changeTicket" and "change_ticket" read as "Change ticket": variable names are for
    /// workflows, labels for people.
    static QString labelFor(const QString &name);
    /// The editor of the field named `name` (a QLineEdit, QPlainTextEdit, QCheckBox or
    /// QComboBox), or nullptr: for tests and for focusing.
    QWidget *editor(const QString &name) const;
    /// The message shown under the field named `name` (empty when none).
    QString problem(const QString &name) const;

Q_SIGNALS:
    /// Any field was changed by the user.
    void edited();

private:
    enum class Kind { Text, LongText, Number, Integer, Boolean, Choice, Json };
    struct Field
    {
        QString name;
        nlohmann::json schema;
        Kind kind = Kind::Text;
        bool required = false;
        QWidget *editor = nullptr;
        QLabel *message = nullptr;
    };

    static Kind kindOf(const nlohmann::json &schema);
    /// How a value reads in a field: a string as itself, anything else as JSON.
    static QString textFor(const nlohmann::json &value);
    QWidget *makeEditor(Field &field);
    void setFieldValue(const Field &field, const nlohmann::json &value);
    QString fieldText(const Field &field) const;
    /// The field's value, or a message saying why it has none that may be sent; a null value
    /// with no message means "left empty".
    std::pair<nlohmann::json, QString> read(const Field &field) const;
    QString check(const Field &field) const;
    void setMessage(const Field &field, const QString &message);
    void onEdited(QWidget *editor);

    QFormLayout *m_layout = nullptr;
    QLabel *m_empty = nullptr;
    std::vector<Field> m_fields;
};

} // namespace flowdeck::ui
