// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/forms/SchemaForm.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPlainTextEdit>
#include <QRegularExpression>
#include <QVBoxLayout>

#include <cmath>

using namespace Qt::StringLiterals;
using nlohmann::json;

namespace flowdeck::ui {

namespace {

QString str(const json &value)
{
    return value.is_string() ? QString::fromStdString(value.get<std::string>()) : QString();
}

} // namespace

QString SchemaForm::labelFor(const QString &name)
{
    QString out;
    for (int i = 0; i < name.size(); ++i) {
        const QChar c = name[i];
        if (c == u'_' || c == u'-') {
            out += u' ';
            continue;
        }
        const bool wordStart = i > 0 && c.isUpper() && name[i - 1].isLower();
        if (wordStart)
            out += u' ';
        out += (wordStart && !(i + 1 < name.size() && name[i + 1].isUpper())) ? c.toLower() : c;
    }
    out = out.simplified();
    if (!out.isEmpty())
        out[0] = out[0].toUpper();
    return out;
}

namespace {

QString pointerFor(const QString &name)
{
    QString token = name;
    token.replace(u'~', u"~0"_s).replace(u'/', u"~1"_s);
    return u'/' + token;
}

std::string typeOf(const json &schema)
{
    const json type = schema.value("type", json());
    if (type.is_string())
        return type.get<std::string>();
    // ["string", "null"]: the one non-null type decides the editor.
    if (type.is_array()) {
        std::string only;
        for (const auto &t : type)
            if (t.is_string() && t != "null") {
                if (!only.empty())
                    return {};
                only = t.get<std::string>();
            }
        return only;
    }
    return {};
}

bool fitsType(const json &value, const std::string &type)
{
    if (type == "object")
        return value.is_object();
    if (type == "array")
        return value.is_array();
    if (type == "string")
        return value.is_string();
    if (type == "boolean")
        return value.is_boolean();
    if (type == "number")
        return value.is_number();
    if (type == "integer")
        return value.is_number_integer();
    return true;
}

} // namespace

SchemaForm::SchemaForm(QWidget *parent) : QWidget(parent)
{
    m_layout = new QFormLayout(this);
    m_layout->setContentsMargins(0, 0, 0, 0);
    m_layout->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_layout->setRowWrapPolicy(QFormLayout::DontWrapRows);
    m_layout->setLabelAlignment(Qt::AlignLeft | Qt::AlignTop);
    m_layout->setVerticalSpacing(10);
    m_empty = new QLabel(tr("No values are asked for."), this);
    m_empty->setForegroundRole(QPalette::PlaceholderText);
    m_layout->addRow(m_empty);
}

SchemaForm::Kind SchemaForm::kindOf(const json &schema)
{
    if (schema.contains("enum") && schema["enum"].is_array() && !schema["enum"].empty())
        return Kind::Choice;
    const std::string type = typeOf(schema);
    if (type == "boolean")
        return Kind::Boolean;
    if (type == "number")
        return Kind::Number;
    if (type == "integer")
        return Kind::Integer;
    if (type == "string") {
        // Configuration snippets and notes need lines; a name or a ticket does not.
        const json examples = schema.value("examples", json::array());
        const bool multiline =
            schema.value("format", std::string()) == "textarea" ||
            (examples.is_array() && !examples.empty() && examples[0].is_string() &&
             examples[0].get_ref<const std::string &>().find('\n') != std::string::npos) ||
            (schema.contains("default") && schema["default"].is_string() &&
             schema["default"].get_ref<const std::string &>().find('\n') != std::string::npos);
        return multiline ? Kind::LongText : Kind::Text;
    }
    if (type.empty() && !schema.contains("properties") && !schema.contains("items"))
        return Kind::Text; // untyped: operators type words, the engine takes any value
    return Kind::Json;
}

void SchemaForm::setSchema(const json &schema)
{
    while (m_layout->rowCount() > 0)
        m_layout->removeRow(0);
    m_fields.clear();
    m_empty = nullptr;

    const json properties =
        schema.is_object() ? schema.value("properties", json::object()) : json::object();
    const json required =
        schema.is_object() ? schema.value("required", json::array()) : json::array();
    if (!properties.is_object() || properties.empty()) {
        m_empty = new QLabel(tr("No values are asked for."), this);
        m_empty->setForegroundRole(QPalette::PlaceholderText);
        m_layout->addRow(m_empty);
        return;
    }
    // The engine's JSON keeps object keys sorted, so the schema's own order is gone by the
    // time it arrives: required fields come first, in the order "required" lists them (an
    // array keeps its order), then the optional ones by name.
    std::vector<std::string> order;
    if (required.is_array())
        for (const auto &name : required)
            if (name.is_string() && properties.contains(name.get<std::string>()) &&
                std::find(order.begin(), order.end(), name.get<std::string>()) == order.end())
                order.push_back(name.get<std::string>());
    const std::size_t requiredCount = order.size();
    for (auto it = properties.begin(); it != properties.end(); ++it)
        if (std::find(order.begin(), order.end(), it.key()) == order.end())
            order.push_back(it.key());
    for (std::size_t i = 0; i < order.size(); ++i) {
        const json &property = properties[order[i]];
        Field field;
        field.name = QString::fromStdString(order[i]);
        field.schema = property.is_object() ? property : json::object();
        field.kind = kindOf(field.schema);
        field.required = i < requiredCount;

        auto *cell = new QWidget(this);
        auto *column = new QVBoxLayout(cell);
        column->setContentsMargins(0, 0, 0, 0);
        column->setSpacing(3);
        field.editor = makeEditor(field);
        field.editor->setObjectName(u"field_"_s + field.name);
        column->addWidget(field.editor);
        const QString description = str(field.schema.value("description", json()));
        if (!description.isEmpty()) {
            auto *hint = new QLabel(description, cell);
            hint->setWordWrap(true);
            hint->setForegroundRole(QPalette::PlaceholderText);
            column->addWidget(hint);
        }
        field.message = new QLabel(cell);
        field.message->setObjectName(u"problem_"_s + field.name);
        field.message->setWordWrap(true);
        QPalette warning = field.message->palette();
        warning.setColor(QPalette::WindowText, QColor(0xd6, 0x45, 0x41));
        field.message->setPalette(warning);
        field.message->hide();
        column->addWidget(field.message);

        QString title = str(field.schema.value("title", json()));
        if (title.isEmpty())
            title = labelFor(field.name);
        auto *label = new QLabel(field.required ? title + u" *"_s : title, this);
        label->setBuddy(field.editor);
        if (field.required)
            label->setToolTip(tr("Required"));
        m_layout->addRow(label, cell);
        if (field.schema.contains("default"))
            setFieldValue(field, field.schema["default"]);
        m_fields.push_back(std::move(field));
    }
}

QWidget *SchemaForm::makeEditor(Field &field)
{
    const json &schema = field.schema;
    const json examples = schema.value("examples", json::array());
    QString example;
    if (examples.is_array() && !examples.empty())
        example =
            examples[0].is_string() ? str(examples[0]) : QString::fromStdString(examples[0].dump());
    auto placeholder = [&]() {
        return example.isEmpty() ? QString() : tr("e.g. %1").arg(example.section(u'\n', 0, 0));
    };
    switch (field.kind) {
    case Kind::Boolean: {
        auto *box = new QCheckBox(tr("Yes"), this);
        connect(box, &QCheckBox::toggled, this, [this, box] { onEdited(box); });
        return box;
    }
    case Kind::Choice: {
        auto *box = new QComboBox(this);
        // An optional choice may stay unmade; a required one starts unmade too, so nobody
        // sends the first option by accident.
        box->addItem(tr("Choose…"), QString());
        for (const auto &option : schema["enum"])
            box->addItem(textFor(option), QString::fromStdString(option.dump()));
        connect(box, &QComboBox::currentIndexChanged, this, [this, box] { onEdited(box); });
        return box;
    }
    case Kind::LongText:
    case Kind::Json: {
        auto *edit = new QPlainTextEdit(this);
        edit->setTabChangesFocus(true);
        edit->setPlaceholderText(field.kind == Kind::Json
                                     ? (example.isEmpty() ? tr("JSON, e.g. {\"key\": \"value\"}")
                                                          : tr("JSON, e.g. %1").arg(example))
                                     : example);
        if (field.kind == Kind::Json)
            edit->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
        edit->setFixedHeight(edit->fontMetrics().lineSpacing() * 4 + 14);
        connect(edit, &QPlainTextEdit::textChanged, this, [this, edit] { onEdited(edit); });
        return edit;
    }
    case Kind::Number:
    case Kind::Integer:
    case Kind::Text: {
        auto *edit = new QLineEdit(this);
        edit->setPlaceholderText(placeholder());
        connect(edit, &QLineEdit::textEdited, this, [this, edit] { onEdited(edit); });
        return edit;
    }
    }
    return nullptr;
}

QString SchemaForm::textFor(const json &value)
{
    return value.is_string() ? str(value) : QString::fromStdString(value.dump());
}

void SchemaForm::setFieldValue(const Field &field, const json &value)
{
    switch (field.kind) {
    case Kind::Boolean:
        static_cast<QCheckBox *>(field.editor)->setChecked(value.is_boolean() && value.get<bool>());
        return;
    case Kind::Choice: {
        auto *box = static_cast<QComboBox *>(field.editor);
        const int at = box->findData(QString::fromStdString(value.dump()));
        box->setCurrentIndex(at < 0 ? 0 : at);
        return;
    }
    case Kind::Json:
        static_cast<QPlainTextEdit *>(field.editor)
            ->setPlainText(value.is_null() ? QString() : QString::fromStdString(value.dump(2)));
        return;
    case Kind::LongText:
        static_cast<QPlainTextEdit *>(field.editor)->setPlainText(textFor(value));
        return;
    case Kind::Number:
    case Kind::Integer:
    case Kind::Text:
        static_cast<QLineEdit *>(field.editor)
            ->setText(value.is_null() ? QString() : textFor(value));
        return;
    }
}

void SchemaForm::setValues(const json &values)
{
    if (!values.is_object())
        return;
    for (const auto &field : m_fields) {
        const std::string key = field.name.toStdString();
        if (values.contains(key))
            setFieldValue(field, values[key]);
    }
}

QString SchemaForm::fieldText(const Field &field) const
{
    if (auto *line = qobject_cast<QLineEdit *>(field.editor))
        return line->text();
    if (auto *text = qobject_cast<QPlainTextEdit *>(field.editor))
        return text->toPlainText();
    return {};
}

std::pair<json, QString> SchemaForm::read(const Field &field) const
{
    switch (field.kind) {
    case Kind::Boolean:
        return {static_cast<QCheckBox *>(field.editor)->isChecked(), {}};
    case Kind::Choice: {
        const QString chosen = static_cast<QComboBox *>(field.editor)->currentData().toString();
        if (chosen.isEmpty())
            return {nullptr, {}};
        return {json::parse(chosen.toStdString()), {}};
    }
    case Kind::Text:
    case Kind::LongText: {
        const QString text = fieldText(field);
        // A one-line field's stray spaces are typing accidents; long text keeps its lines.
        const QString value = field.kind == Kind::Text ? text.trimmed() : text;
        if (value.isEmpty())
            return {nullptr, {}};
        return {value.toStdString(), {}};
    }
    case Kind::Number:
    case Kind::Integer: {
        const QString text = fieldText(field).trimmed();
        if (text.isEmpty())
            return {nullptr, {}};
        bool ok = false;
        if (field.kind == Kind::Integer) {
            const qlonglong number = QLocale::c().toLongLong(text, &ok);
            if (!ok)
                return {nullptr, tr("must be a whole number, such as 42")};
            return {number, {}};
        }
        const double number = QLocale::c().toDouble(text, &ok);
        if (!ok || !std::isfinite(number))
            return {nullptr, tr("must be a number, such as 42 or 0.5")};
        return {number, {}};
    }
    case Kind::Json: {
        const QString text = fieldText(field).trimmed();
        if (text.isEmpty())
            return {nullptr, {}};
        try {
            return {json::parse(text.toStdString()), {}};
        } catch (const json::parse_error &e) {
            // nlohmann counts bytes; that is close enough to point at the spot.
            return {nullptr, tr("is not valid JSON (at character %1)").arg(e.byte)};
        }
    }
    }
    return {nullptr, {}};
}

QString SchemaForm::check(const Field &field) const
{
    const auto [value, error] = read(field);
    if (!error.isEmpty())
        return error;
    if (value.is_null())
        return field.required ? tr("is required") : QString();
    const json &schema = field.schema;
    const std::string type = typeOf(schema);
    if (field.kind == Kind::Json && !type.empty() && !fitsType(value, type))
        return type == "object"  ? tr("must be a JSON object, such as {\"key\": \"value\"}")
               : type == "array" ? tr("must be a JSON array, such as [1, 2]")
                                 : tr("must be of type %1").arg(QString::fromStdString(type));
    if (value.is_string()) {
        const QString text = QString::fromStdString(value.get<std::string>());
        if (schema.contains("minLength") && schema["minLength"].is_number_integer() &&
            text.size() < schema["minLength"].get<int>())
            return tr("needs at least %n character(s)", nullptr, schema["minLength"].get<int>());
        if (schema.contains("maxLength") && schema["maxLength"].is_number_integer() &&
            text.size() > schema["maxLength"].get<int>())
            return tr("takes at most %n character(s)", nullptr, schema["maxLength"].get<int>());
        if (schema.contains("pattern") && schema["pattern"].is_string()) {
            const QRegularExpression pattern(str(schema["pattern"]));
            if (pattern.isValid() && !pattern.match(text).hasMatch())
                return tr("must match the pattern %1").arg(pattern.pattern());
        }
    }
    if (value.is_number()) {
        const double number = value.get<double>();
        if (schema.contains("minimum") && schema["minimum"].is_number() &&
            number < schema["minimum"].get<double>())
            return tr("must be at least %1").arg(textFor(schema["minimum"]));
        if (schema.contains("maximum") && schema["maximum"].is_number() &&
            number > schema["maximum"].get<double>())
            return tr("must be at most %1").arg(textFor(schema["maximum"]));
        if (schema.contains("exclusiveMinimum") && schema["exclusiveMinimum"].is_number() &&
            number <= schema["exclusiveMinimum"].get<double>())
            return tr("must be more than %1").arg(textFor(schema["exclusiveMinimum"]));
        if (schema.contains("exclusiveMaximum") && schema["exclusiveMaximum"].is_number() &&
            number >= schema["exclusiveMaximum"].get<double>())
            return tr("must be less than %1").arg(textFor(schema["exclusiveMaximum"]));
    }
    return {};
}

json SchemaForm::values() const
{
    json out = json::object();
    for (const auto &field : m_fields) {
        auto [value, error] = read(field);
        if (error.isEmpty() && !value.is_null())
            out[field.name.toStdString()] = std::move(value);
    }
    return out;
}

void SchemaForm::setMessage(const Field &field, const QString &message)
{
    field.message->setText(message);
    field.message->setVisible(!message.isEmpty());
}

QList<SchemaForm::Problem> SchemaForm::validate()
{
    QList<Problem> problems;
    QWidget *first = nullptr;
    for (const auto &field : m_fields) {
        const QString message = check(field);
        setMessage(field, message.isEmpty() ? QString() : tr("This field %1.").arg(message));
        if (message.isEmpty())
            continue;
        problems.append({pointerFor(field.name), message});
        if (!first)
            first = field.editor;
    }
    if (first)
        first->setFocus(Qt::OtherFocusReason);
    return problems;
}

int SchemaForm::showProblems(const json &details)
{
    int placed = 0;
    if (!details.is_array())
        return 0;
    for (const auto &detail : details) {
        if (!detail.is_object())
            continue;
        const QString path = str(detail.value("instancePath", json()));
        const QString message = str(detail.value("message", json()));
        for (const auto &field : m_fields)
            if (!path.isEmpty() && path.endsWith(pointerFor(field.name))) {
                setMessage(field, message);
                ++placed;
                break;
            }
    }
    return placed;
}

void SchemaForm::onEdited(QWidget *editor)
{
    // A message about a value is out of date as soon as the value changes.
    for (const auto &field : m_fields)
        if (field.editor == editor)
            setMessage(field, {});
    Q_EMIT edited();
}

void SchemaForm::clearProblems()
{
    for (const auto &field : m_fields)
        setMessage(field, {});
}

QWidget *SchemaForm::editor(const QString &name) const
{
    for (const auto &field : m_fields)
        if (field.name == name)
            return field.editor;
    return nullptr;
}

QString SchemaForm::problem(const QString &name) const
{
    for (const auto &field : m_fields)
        if (field.name == name)
            return field.message->text();
    return {};
}

} // namespace flowdeck::ui
