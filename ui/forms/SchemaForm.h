// SPDX-License-Identifier: GPL-3.0-or-later
// A form generated from a JSON Schema of type object: one typed field per property (text,
// long text, number, integer, yes/no, a choice for enums (labelled by `enumNames` when given), JSON
// for arrays and anything the schema leaves open; a string of "format": "password" is typed
// unseen), required marks, defaults, examples as placeholders, descriptions as hints, and
// validation messages under the field they concern. Used by the task form, the start-job dialog and
// the manual-trigger run form. GUI thread.
//
// Order. The engine stores and serves JSON with its object keys sorted, so the order the
// author wrote the properties in is gone by the time a schema arrives. Each object's fields
// are ordered, in this precedence:
//   1. an explicit hint: the object's `ui:order` array (react-jsonschema-form; "*" stands for
//      every property it does not list), else a number `propertyOrder` (JSON Editor) or
//      `x-order` on each property, smaller first, before the properties without one;
//   2. then the order of the object's `required` array (arrays keep their order);
//   3. then the rest alphabetically by what the label shows (the title, or the name made
//      readable), ignoring case, numbers as numbers ("Step 2" before "Step 10").
//
// Nesting. A property of type object with `properties` is a titled group holding a form of
// its own properties, to kMaxDepth levels; deeper objects, and objects without `properties`
// (a free-form map, `additionalProperties` only), are edited as JSON. A group's object is in
// values() when it is required or any field inside it holds a value; its required fields are
// required only then, as JSON Schema means them. Keys an object's schema does not list are
// not kept. Nested fields are named by their JSON pointer ("/change/window/start").
#pragma once

#include <QList>
#include <QWidget>

#include <nlohmann/json.hpp>

#include <vector>

class QFormLayout;
class QGroupBox;
class QLabel;

namespace flowdeck::ui {

class SchemaForm final : public QWidget
{
    Q_OBJECT
public:
    /// Objects nested deeper than this are edited as JSON.
    static constexpr int kMaxDepth = 4;

    /// What is wrong with a value, where: `pointer` is the JSON pointer of the field in
    /// values() (e.g. "/device", "/change/ticket").
    struct Problem
    {
        QString pointer;
        QString message;
    };

    explicit SchemaForm(QWidget *parent = nullptr);

    /// Replaces the fields with those of `schema`'s properties, in the order the class
    /// comment gives, filled with their defaults (a group's object default fills its fields).
    /// A schema without properties gives an empty form that says so.
    void setSchema(const nlohmann::json &schema);
    /// Fills fields by name from `values` (an object), nested objects into their groups;
    /// other fields keep what they hold.
    void setValues(const nlohmann::json &values);
    /// The values typed in, as the schema types them, nested objects as objects; empty
    /// optional fields are left out, and so are groups with nothing in them unless required.
    /// Fields that do not parse (a number that is not one, broken JSON) are left out too:
    /// call validate() first.
    nlohmann::json values() const;
    /// Checks every field against its schema, shows each message under its field, focuses
    /// the first field with one (scrolled into view) and returns them all, in form order; empty
    /// when the values may be sent.
    QList<Problem> validate();
    /// Shows an engine's validation details ([{instancePath, message}]) under the fields or
    /// groups they name. A path names a field when it ends with the field's pointer, so
    /// "/variables/device" and "/options/variables/device" both reach "device"; the longest
    /// such pointer wins, so "/options/variables/change/ticket" reaches the nested field, not
    /// a top-level "ticket". Returns how many details found a field or group.
    int showProblems(const nlohmann::json &details);
    /// Clears every message.
    void clearProblems();
    /// Puts the keyboard in the first field (in form order) and scrolls it into view.
    void focusFirstField();

    /// Input fields, nested ones included (groups are not fields).
    int fieldCount() const { return int(m_fields.size()); }
    /// The JSON pointers of the fields, in the order the form shows them.
    QStringList fieldPointers() const;

    /// "changeTicket" and "change_ticket" read as "Change ticket": variable names are for
    /// workflows, labels for people. Acronyms keep their case ("ikeAuthType" is "IKE auth
    /// type", "uploadiHealthTask" is "Upload iHealth task").
    static QString labelFor(const QString &name);
    /// The editor of a field (a QLineEdit, QPlainTextEdit, QCheckBox or QComboBox), or
    /// nullptr: for tests and for focusing. `field` is a top-level property's name, or a JSON
    /// pointer ("/change/ticket") for any field.
    QWidget *editor(const QString &field) const;
    /// The group box of a nested object, by name or pointer as editor(); nullptr when none.
    QGroupBox *group(const QString &field) const;
    /// The message shown under a field or group named as editor() names it (empty when none).
    QString problem(const QString &field) const;

Q_SIGNALS:
    /// Any field was changed by the user.
    void edited();

private:
    enum class Kind { Text, LongText, Number, Integer, Boolean, Choice, Json, Any };
    struct Field
    {
        QString name;                  ///< the property's own name
        QString pointer;               ///< where its value sits in values()
        std::vector<std::string> path; ///< the keys from the top to the property
        int group = -1;                ///< the enclosing group in m_groups; -1 at the top
        nlohmann::json schema;
        Kind kind = Kind::Text;
        bool required = false;  ///< required by its object (so only when the object is there)
        nlohmann::json initial; ///< the default the schema filled in; null when none
        QWidget *editor = nullptr;
        QLabel *message = nullptr;
    };
    /// A nested object shown as a titled group; its fields point back at it.
    struct Group
    {
        QString pointer;
        std::vector<std::string> path;
        int parent = -1; ///< the enclosing group; -1 at the top
        bool required = false;
        QGroupBox *box = nullptr;
        QLabel *message = nullptr;
    };

    static Kind kindOf(const nlohmann::json &schema);
    /// The property names of an object schema in the order the class comment gives.
    static std::vector<std::string> orderOf(const nlohmann::json &objectSchema);
    /// Whether a property is shown as a group at `depth` (1 for a top-level property).
    static bool isGroup(const nlohmann::json &schema, int depth);
    void addProperties(QFormLayout *layout, const nlohmann::json &objectSchema,
                       const std::vector<std::string> &path, int group, int depth);
    QLabel *makeMessage(QWidget *parent, const QString &pointer);
    /// Per group, whether its object is in values(): required (inside a present parent), or
    /// holding a value somewhere below.
    std::vector<bool> presentGroups(const std::vector<nlohmann::json> &leafValues) const;
    std::vector<nlohmann::json> leafValues() const;
    const Field *findField(const QString &field) const;
    const Group *findGroup(const QString &field) const;
    /// How a value reads in a field: a string as itself, anything else as JSON.
    static QString textFor(const nlohmann::json &value);
    QWidget *makeEditor(Field &field);
    void setFieldValue(const Field &field, const nlohmann::json &value);
    QString fieldText(const Field &field) const;
    /// The field's value, or a message saying why it has none that may be sent; a null value
    /// with no message means "left empty".
    std::pair<nlohmann::json, QString> read(const Field &field) const;
    QString check(const Field &field, bool required) const;
    static void setMessage(QLabel *label, const QString &message);
    /// Scrolls the nearest scroll area around the form so `widget` shows.
    void revealField(QWidget *widget);
    void onEdited(QWidget *editor);

    QFormLayout *m_layout = nullptr;
    QLabel *m_empty = nullptr;
    std::vector<Field> m_fields; ///< every input field, in the order shown
    std::vector<Group> m_groups; ///< parents before their children
};

} // namespace flowdeck::ui
