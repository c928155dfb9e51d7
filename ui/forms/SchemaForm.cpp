// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/forms/SchemaForm.h"

#include "engine/model/JsonParse.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QGroupBox>
#include <QHash>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPlainTextEdit>
#include <QPointer>
#include <QRegularExpression>
#include <QScrollArea>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>
#include <array>
#include <cmath>
#include <optional>

using namespace Qt::StringLiterals;
using nlohmann::json;

namespace flowdeck::ui {

namespace {

QString str(const json &value)
{
    return value.is_string() ? QString::fromStdString(value.get<std::string>()) : QString();
}

} // namespace

namespace {

/// Words written in a fixed mixed case inside camelCase names; found before splitting, so
/// "uploadiHealthTask" is "upload iHealth task", not "Uploadi health task". The short ones
/// count only where a word starts ("multiApp" is not "mult iApp").
struct BrandWord
{
    const char16_t *text;
    bool anywhere;
};
constexpr std::array kBrandWords{BrandWord{u"iHealth", true}, BrandWord{u"iControl", true},
                                 BrandWord{u"iRule", false},  BrandWord{u"iApp", false},
                                 BrandWord{u"IPv4", true},    BrandWord{u"IPv6", true}};

/// Acronyms network automation names write in lower or camel case ("ikeAuthType",
/// "deviceIp"), in the case a reader expects.
const QHash<QString, QString> &knownAcronyms()
{
    static const QHash<QString, QString> words = [] {
        QHash<QString, QString> w;
        // Only words that are never English words as well: "as", "ha", "rd" stay words.
        for (const char *acronym :
             {"ACL",   "API",  "ARP",  "ASN",  "AWS",   "BFD",  "BGP",   "CDP",  "CIDR",
              "CLI",   "CPU",  "CSV",  "DHCP", "DNS",   "EVPN", "FQDN",  "GRE",  "HTTP",
              "HTTPS", "ID",   "IKE",  "IOS",  "IP",    "IPAM", "IPSec", "ISIS", "JSON",
              "JST",   "LACP", "LAN",  "LLDP", "MAC",   "MD5",  "MPLS",  "MTU",  "NAT",
              "NTP",   "OS",   "OSPF", "PSK",  "QoS",   "SHA",  "SLA",   "SNMP", "SSH",
              "SSL",   "TCP",  "TLS",  "TTL",  "UDP",   "URI",  "URL",   "UUID", "VLAN",
              "VNI",   "VPC",  "VPN",  "VRF",  "VXLAN", "WAN",  "XML",   "YAML"}) {
            const QString text = QString::fromLatin1(acronym);
            w.insert(text.toLower(), text);
        }
        for (const auto brand : kBrandWords) {
            const QString text = QString::fromUtf16(brand.text);
            w.insert(text.toLower(), text);
        }
        return w;
    }();
    return words;
}

/// Splits a variable name into words: at _ - and spaces, where lower case or a digit meets
/// upper case ("changeTicket"), and before the last capital of a run that starts a word
/// ("XMLParser" → XML Parser).
QStringList splitWords(const QString &name)
{
    QStringList words;
    QString word;
    auto flush = [&] {
        if (!word.isEmpty())
            words.append(word);
        word.clear();
    };
    for (int i = 0; i < name.size(); ++i) {
        bool brand = false;
        for (const auto b : kBrandWords) {
            const QString text = QString::fromUtf16(b.text);
            const bool atWordStart = i == 0 || !name[i - 1].isLetter();
            if ((b.anywhere || atWordStart) && QStringView(name).mid(i).startsWith(text)) {
                flush();
                words.append(text);
                i += int(text.size()) - 1;
                brand = true;
                break;
            }
        }
        if (brand)
            continue;
        const QChar c = name[i];
        if (c == u'_' || c == u'-' || c.isSpace()) {
            flush();
            continue;
        }
        if (i > 0 && c.isUpper() && !word.isEmpty()) {
            const QChar before = name[i - 1];
            const bool afterLower = before.isLower() || before.isDigit();
            const bool endsRun = before.isUpper() && i + 1 < name.size() && name[i + 1].isLower();
            if (afterLower || endsRun)
                flush();
        }
        word += c;
    }
    flush();
    return words;
}

} // namespace

QString SchemaForm::labelFor(const QString &name)
{
    const QStringList words = splitWords(name);
    const auto wordFor = [](const QString &word) {
        const auto known = knownAcronyms().constFind(word.toLower());
        if (known != knownAcronyms().constEnd())
            return *known;
        if (word.size() > 1 && word == word.toUpper() && word != word.toLower())
            return word; // an acronym the list does not know, written in capitals
        return word.toLower();
    };
    static const QRegularExpression numbered(u"^([A-Za-z]+)([0-9]+)$"_s);
    QStringList out;
    for (const QString &word : words) {
        // "vlan2" is "VLAN 2", unless the digits are part of the word ("IPv4", "MD5").
        const QRegularExpressionMatch m = numbered.match(word);
        if (m.hasMatch() && !knownAcronyms().contains(word.toLower()))
            out.append(wordFor(m.captured(1)) + u' ' + m.captured(2));
        else
            out.append(wordFor(word));
    }
    QString label = out.join(u' ');
    // A sentence starts with a capital, unless its first word is a brand that never does.
    if (!label.isEmpty() && label[0].isLower() &&
        !(words.size() > 0 && knownAcronyms().contains(words[0].toLower()) &&
          knownAcronyms().value(words[0].toLower())[0].isLower()))
        label[0] = label[0].toUpper();
    return label;
}

namespace {

QString pointerFor(const QString &name)
{
    QString token = name;
    token.replace(u'~', u"~0"_s).replace(u'/', u"~1"_s);
    return u'/' + token;
}

QString pointerOf(const std::vector<std::string> &path)
{
    QString out;
    for (const auto &key : path)
        out += pointerFor(QString::fromStdString(key));
    return out;
}

/// The value at `path` in `root`, or nullptr when any step is missing.
const json *valueAt(const json &root, const std::vector<std::string> &path)
{
    const json *at = &root;
    for (const auto &key : path) {
        if (!at->is_object())
            return nullptr;
        const auto it = at->find(key);
        if (it == at->end())
            return nullptr;
        at = &*it;
    }
    return at;
}

/// The object slot at `path` in `root`, made (as objects) where missing.
json &slotAt(json &root, const std::vector<std::string> &path)
{
    json *at = &root;
    for (const auto &key : path) {
        if (!at->is_object())
            *at = json::object();
        at = &(*at)[key];
    }
    return *at;
}

/// A property's own order hint (JSON Editor's propertyOrder, or x-order), if it has one.
std::optional<double> orderHint(const json &property)
{
    if (!property.is_object())
        return std::nullopt;
    for (const char *key : {"propertyOrder", "x-order"})
        if (const auto it = property.find(key); it != property.end() && it->is_number())
            return it->get<double>();
    return std::nullopt;
}

/// The types a schema allows, "null" left out ("null" only says the value may be left empty).
std::vector<std::string> typesOf(const json &schema)
{
    std::vector<std::string> out;
    const json type = schema.value("type", json());
    if (type.is_string() && type != "null")
        out.push_back(type.get<std::string>());
    if (type.is_array())
        for (const auto &t : type)
            if (t.is_string() && t != "null")
                out.push_back(t.get<std::string>());
    return out;
}

/// The one type a field edits: the schema's type, or for a union the widest type holding
/// all its members (["integer", "number"] is a number); "" when no single type does (no
/// type, or a union of unrelated types), and the field takes any JSON value.
std::string typeOf(const json &schema)
{
    const std::vector<std::string> types = typesOf(schema);
    if (types.empty())
        return {};
    if (types.size() == 1)
        return types.front();
    const bool numeric = std::all_of(types.begin(), types.end(), [](const std::string &t) {
        return t == "integer" || t == "number";
    });
    if (numeric)
        return std::find(types.begin(), types.end(), "number") != types.end() ? "number"
                                                                              : "integer";
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

/// `text` as a JSON value when it is one (300, false, null, "quoted", [..], {..}).
std::optional<json> asLiteral(const QString &text)
{
    json value = json::parse(text.toStdString(), nullptr, false);
    if (value.is_discarded())
        return std::nullopt;
    return value;
}

/// A short example of JSON that fits `schema`: an array of its items' type, or an object.
QString jsonExample(const json &schema)
{
    if (typeOf(schema) == "array" || (typeOf(schema).empty() && schema.contains("items"))) {
        const json items = schema.value("items", json::object());
        const std::string itemType = items.is_object() ? typeOf(items) : std::string();
        if (itemType == "number" || itemType == "integer")
            return u"[1, 2, 3]"_s;
        if (itemType == "boolean")
            return u"[true, false]"_s;
        if (itemType == "object")
            return u"[{\"key\": \"value\"}]"_s;
        return u"[\"first\", \"second\"]"_s;
    }
    return u"{\"key\": \"value\"}"_s;
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
    // No single type: a line that reads JSON literals (300, false, "300") and takes the rest
    // as text, so an untyped flag is sent as false, not "false". Unions that allow objects or
    // arrays, and untyped schemas that describe them, are edited as JSON.
    const std::vector<std::string> types = typesOf(schema);
    const bool scalarOnly = std::all_of(types.begin(), types.end(), [](const std::string &t) {
        return t == "string" || t == "number" || t == "integer" || t == "boolean";
    });
    if (type.empty() && scalarOnly && !schema.contains("properties") && !schema.contains("items"))
        return Kind::Any;
    return Kind::Json;
}

namespace {

/// Compares labels ignoring case, with runs of digits compared as numbers ("Step 2" before
/// "Step 10"). The C locale's collator does neither, and the order must not depend on the
/// desktop's language.
int compareLabels(const QString &a, const QString &b)
{
    qsizetype i = 0;
    qsizetype j = 0;
    while (i < a.size() && j < b.size()) {
        if (a[i].isDigit() && b[j].isDigit()) {
            qsizetype ei = i;
            qsizetype ej = j;
            while (ei < a.size() && a[ei].isDigit())
                ++ei;
            while (ej < b.size() && b[ej].isDigit())
                ++ej;
            // Leading zeros aside, a longer run is a larger number; runs of one length
            // compare digit by digit.
            while (i + 1 < ei && a[i] == u'0')
                ++i;
            while (j + 1 < ej && b[j] == u'0')
                ++j;
            if (ei - i != ej - j)
                return ei - i < ej - j ? -1 : 1;
            if (const int c = QStringView(a).mid(i, ei - i).compare(QStringView(b).mid(j, ej - j));
                c != 0)
                return c < 0 ? -1 : 1;
            i = ei;
            j = ej;
            continue;
        }
        const QChar ca = a[i].toCaseFolded();
        const QChar cb = b[j].toCaseFolded();
        if (ca != cb)
            return ca < cb ? -1 : 1;
        ++i;
        ++j;
    }
    return (a.size() - i) < (b.size() - j) ? -1 : ((a.size() - i) > (b.size() - j) ? 1 : 0);
}

} // namespace

std::vector<std::string> SchemaForm::orderOf(const json &objectSchema)
{
    std::vector<std::string> out;
    if (!objectSchema.is_object())
        return out;
    const json properties = objectSchema.value("properties", json::object());
    if (!properties.is_object())
        return out;
    const json required = objectSchema.value("required", json::array());
    const json uiOrder = objectSchema.value("ui:order", json());

    // ui:order places the names it lists, before and after its "*"; the rest go at the "*".
    std::vector<std::string> before;
    std::vector<std::string> after;
    auto listed = [&](const std::string &name) {
        return std::find(before.begin(), before.end(), name) != before.end() ||
               std::find(after.begin(), after.end(), name) != after.end();
    };
    if (uiOrder.is_array()) {
        bool pastStar = false;
        for (const auto &entry : uiOrder) {
            if (!entry.is_string())
                continue;
            const std::string name = entry.get<std::string>();
            if (name == "*")
                pastStar = true;
            else if (properties.contains(name) && !listed(name))
                (pastStar ? after : before).push_back(name);
        }
    }

    struct Rank
    {
        std::string name;
        std::optional<double> hint;
        std::size_t requiredAt; ///< position in "required"; npos when optional
        QString label;
    };
    std::vector<Rank> rest;
    for (auto it = properties.begin(); it != properties.end(); ++it) {
        if (listed(it.key()))
            continue;
        Rank r{it.key(), orderHint(it.value()), std::string::npos, {}};
        if (required.is_array())
            for (std::size_t i = 0; i < required.size(); ++i)
                if (required[i] == it.key()) {
                    r.requiredAt = i;
                    break;
                }
        r.label = it.value().is_object() ? str(it.value().value("title", json())) : QString();
        if (r.label.isEmpty())
            r.label = labelFor(QString::fromStdString(it.key()));
        rest.push_back(std::move(r));
    }
    std::stable_sort(rest.begin(), rest.end(), [](const Rank &a, const Rank &b) {
        if (a.hint.has_value() != b.hint.has_value())
            return a.hint.has_value();
        if (a.hint && *a.hint != *b.hint)
            return *a.hint < *b.hint;
        if (a.requiredAt != b.requiredAt)
            return a.requiredAt < b.requiredAt;
        // Numbers in labels count as numbers: "Step 2" comes before "Step 10".
        if (const int c = compareLabels(a.label, b.label); c != 0)
            return c < 0;
        return a.name < b.name; // keys are unique: the order is total
    });
    out = std::move(before);
    for (auto &r : rest)
        out.push_back(std::move(r.name));
    out.insert(out.end(), after.begin(), after.end());
    return out;
}

bool SchemaForm::isGroup(const json &schema, int depth)
{
    if (depth > kMaxDepth || !schema.is_object() || schema.contains("enum"))
        return false;
    const std::string type = typeOf(schema);
    if (type != "object" && !(type.empty() && !schema.contains("type")))
        return false;
    const auto properties = schema.find("properties");
    return properties != schema.end() && properties->is_object() && !properties->empty();
}

QLabel *SchemaForm::makeMessage(QWidget *parent, const QString &pointer)
{
    auto *message = new QLabel(parent);
    message->setObjectName(u"problem_"_s + pointer.mid(1));
    message->setWordWrap(true);
    QPalette warning = message->palette();
    warning.setColor(QPalette::WindowText, QColor(0xd6, 0x45, 0x41));
    message->setPalette(warning);
    message->hide();
    return message;
}

void SchemaForm::addProperties(QFormLayout *layout, const json &objectSchema,
                               const std::vector<std::string> &path, int group, int depth)
{
    const json properties = objectSchema.value("properties", json::object());
    const json required = objectSchema.value("required", json::array());
    auto isRequired = [&](const std::string &name) {
        return required.is_array() &&
               std::find(required.begin(), required.end(), json(name)) != required.end();
    };
    for (const std::string &key : orderOf(objectSchema)) {
        const json &property = properties[key];
        const json schema = property.is_object() ? property : json::object();
        std::vector<std::string> here = path;
        here.push_back(key);
        const QString name = QString::fromStdString(key);
        QString title = str(schema.value("title", json()));
        if (title.isEmpty())
            title = labelFor(name);
        const QString description = str(schema.value("description", json()));

        if (isGroup(schema, depth)) {
            Group g;
            g.pointer = pointerOf(here);
            g.path = here;
            g.parent = group;
            g.required = isRequired(key);
            g.box = new QGroupBox(g.required ? title + u" *"_s : title, this);
            g.box->setObjectName(u"group_"_s + g.pointer.mid(1));
            auto *inner = new QFormLayout(g.box);
            inner->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
            inner->setRowWrapPolicy(QFormLayout::DontWrapRows);
            inner->setLabelAlignment(Qt::AlignLeft | Qt::AlignTop);
            inner->setVerticalSpacing(10);
            if (!description.isEmpty()) {
                auto *hint = new QLabel(description, g.box);
                hint->setWordWrap(true);
                hint->setForegroundRole(QPalette::PlaceholderText);
                inner->addRow(hint);
            }
            g.message = makeMessage(g.box, g.pointer);
            inner->addRow(g.message);
            layout->addRow(g.box);
            const int index = int(m_groups.size());
            m_groups.push_back(g);
            addProperties(inner, schema, here, index, depth + 1);
            continue;
        }

        Field field;
        field.name = name;
        field.pointer = pointerOf(here);
        field.path = here;
        field.group = group;
        field.schema = schema;
        field.kind = kindOf(field.schema);
        field.required = isRequired(key);

        auto *cell = new QWidget(this);
        auto *column = new QVBoxLayout(cell);
        column->setContentsMargins(0, 0, 0, 0);
        column->setSpacing(3);
        field.editor = makeEditor(field);
        field.editor->setObjectName(u"field_"_s + field.pointer.mid(1));
        column->addWidget(field.editor);
        if (!description.isEmpty()) {
            auto *hint = new QLabel(description, cell);
            hint->setWordWrap(true);
            hint->setForegroundRole(QPalette::PlaceholderText);
            column->addWidget(hint);
        }
        field.message = makeMessage(cell, field.pointer);
        column->addWidget(field.message);

        auto *label = new QLabel(field.required ? title + u" *"_s : title, this);
        label->setBuddy(field.editor);
        if (field.required)
            label->setToolTip(group < 0 ? tr("Required")
                                        : tr("Required when anything in this group is filled"));
        layout->addRow(label, cell);
        if (field.schema.contains("default")) {
            setFieldValue(field, field.schema["default"]);
            field.initial = read(field).first;
        }
        m_fields.push_back(std::move(field));
    }
}

void SchemaForm::setSchema(const json &schema)
{
    while (m_layout->rowCount() > 0)
        m_layout->removeRow(0);
    m_fields.clear();
    m_groups.clear();
    m_empty = nullptr;

    const json properties =
        schema.is_object() ? schema.value("properties", json::object()) : json::object();
    if (!properties.is_object() || properties.empty()) {
        m_empty = new QLabel(tr("No values are asked for."), this);
        m_empty->setForegroundRole(QPalette::PlaceholderText);
        m_layout->addRow(m_empty);
        return;
    }
    addProperties(m_layout, schema, {}, -1, 1);
    // A group's own default is an object: it fills the fields it names, over theirs.
    for (const auto &g : m_groups) {
        const json *groupSchema = valueAt(schema, [&] {
            std::vector<std::string> steps;
            for (const auto &key : g.path) {
                steps.push_back("properties");
                steps.push_back(key);
            }
            return steps;
        }());
        if (!groupSchema || !groupSchema->contains("default") ||
            !(*groupSchema)["default"].is_object())
            continue;
        json wrapped = json::object();
        slotAt(wrapped, g.path) = (*groupSchema)["default"];
        setValues(wrapped);
        for (auto &field : m_fields)
            if (valueAt(wrapped, field.path))
                field.initial = read(field).first;
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
        // react-jsonschema-form's enumNames label the options (a workflow by its name, sent
        // by its id); without them an option reads as its value.
        const json names = schema.value("enumNames", json());
        const json &options = schema["enum"];
        for (std::size_t i = 0; i < options.size(); ++i)
            box->addItem(names.is_array() && i < names.size() && names[i].is_string()
                             ? textFor(names[i])
                             : textFor(options[i]),
                         QString::fromStdString(options[i].dump()));
        connect(box, &QComboBox::currentIndexChanged, this, [this, box] { onEdited(box); });
        return box;
    }
    case Kind::LongText:
    case Kind::Json: {
        auto *edit = new QPlainTextEdit(this);
        edit->setTabChangesFocus(true);
        edit->setPlaceholderText(
            field.kind == Kind::Json
                ? tr("JSON, e.g. %1").arg(example.isEmpty() ? jsonExample(schema) : example)
                : example);
        if (field.kind == Kind::Json)
            edit->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
        edit->setFixedHeight(edit->fontMetrics().lineSpacing() * 4 + 14);
        connect(edit, &QPlainTextEdit::textChanged, this, [this, edit] { onEdited(edit); });
        return edit;
    }
    case Kind::Number:
    case Kind::Integer:
    case Kind::Any:
    case Kind::Text: {
        auto *edit = new QLineEdit(this);
        edit->setPlaceholderText(placeholder());
        if (field.kind == Kind::Any) {
            if (example.isEmpty())
                edit->setPlaceholderText(tr("text, a number, true / false, or JSON"));
            edit->setToolTip(tr("Read as JSON when it is JSON: 300 is a number, false a yes/no, "
                                "\"300\" (in quotes) the text 300; anything else is text."));
        }
        // A secret ("format": "password", as OpenAPI and JSON Editor mark them) is typed
        // unseen, and kept out of the clipboard and input-method history.
        if (field.kind == Kind::Text && schema.value("format", json()) == "password")
            edit->setEchoMode(QLineEdit::Password);
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
    case Kind::Any: {
        // Text that would read back as another type keeps its quotes, so it stays text.
        QString text = value.is_null() ? QString() : textFor(value);
        if (value.is_string() && asLiteral(text).has_value())
            text = QString::fromStdString(value.dump());
        static_cast<QLineEdit *>(field.editor)->setText(text);
        return;
    }
    }
}

void SchemaForm::setValues(const json &values)
{
    if (!values.is_object())
        return;
    for (const auto &field : m_fields)
        if (const json *value = valueAt(values, field.path))
            setFieldValue(field, *value);
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
        // A whole number stays whole: 22 is sent as 22, not 22.0.
        if (const qlonglong whole = QLocale::c().toLongLong(text, &ok); ok)
            return {whole, {}};
        const double number = QLocale::c().toDouble(text, &ok);
        if (!ok || !std::isfinite(number))
            return {nullptr, tr("must be a number, such as 42 or 0.5")};
        return {number, {}};
    }
    case Kind::Any: {
        const QString text = fieldText(field).trimmed();
        if (text.isEmpty())
            return {nullptr, {}};
        const std::vector<std::string> types = typesOf(field.schema);
        const auto allowed = [&](const json &value) {
            return types.empty() ||
                   std::any_of(types.begin(), types.end(),
                               [&](const std::string &t) { return fitsType(value, t); });
        };
        if (auto literal = asLiteral(text); literal && allowed(*literal))
            return {std::move(*literal), {}};
        const json asText = text.toStdString();
        if (allowed(asText))
            return {asText, {}};
        QStringList names;
        for (const std::string &t : types)
            names.append(QString::fromStdString(t));
        return {nullptr, tr("must be one of: %1").arg(names.join(u", "_s))};
    }
    case Kind::Json: {
        const QString text = fieldText(field).trimmed();
        if (text.isEmpty())
            return {nullptr, {}};
        auto parsed = parseJson(text.toStdString());
        if (!parsed)
            // Bytes, counted from 1: close enough to point at the spot.
            return {nullptr, tr("is not valid JSON (at character %1)")
                                 .arg(jsonParseProblem(parsed.error()).offset + 1)};
        return {std::move(*parsed), {}};
    }
    }
    return {nullptr, {}};
}

QString SchemaForm::check(const Field &field, bool required) const
{
    const auto [value, error] = read(field);
    if (!error.isEmpty())
        return error;
    if (value.is_null())
        return required ? tr("is required") : QString();
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

std::vector<json> SchemaForm::leafValues() const
{
    std::vector<json> out;
    out.reserve(m_fields.size());
    for (const auto &field : m_fields) {
        auto [value, error] = read(field);
        out.push_back(error.isEmpty() ? std::move(value) : json());
    }
    return out;
}

std::vector<bool> SchemaForm::presentGroups(const std::vector<json> &values) const
{
    // What the schema filled in says nothing about the operator's intent, nor does an
    // unticked box (a check box cannot be left empty): only a value the operator gave makes
    // an optional object appear. Once it is there, its defaults go with it.
    std::vector<bool> filled(m_groups.size(), false);
    for (std::size_t i = 0; i < m_fields.size(); ++i) {
        const json &value = values[i];
        const json &initial = m_fields[i].initial;
        const bool untouched =
            value.is_null() || value == initial || (initial.is_null() && value == json(false));
        if (!untouched)
            for (int g = m_fields[i].group; g >= 0; g = m_groups[std::size_t(g)].parent)
                filled[std::size_t(g)] = true;
    }
    // Parents come before their children, so one pass settles "required inside a present
    // parent".
    std::vector<bool> present(m_groups.size(), false);
    for (std::size_t g = 0; g < m_groups.size(); ++g) {
        const int parent = m_groups[g].parent;
        present[g] =
            filled[g] || (m_groups[g].required && (parent < 0 || present[std::size_t(parent)]));
    }
    return present;
}

json SchemaForm::values() const
{
    json out = json::object();
    const std::vector<json> values = leafValues();
    const std::vector<bool> present = presentGroups(values);
    for (std::size_t g = 0; g < m_groups.size(); ++g)
        if (present[g]) {
            json &slot = slotAt(out, m_groups[g].path);
            if (!slot.is_object())
                slot = json::object();
        }
    for (std::size_t i = 0; i < m_fields.size(); ++i) {
        const int g = m_fields[i].group;
        if (!values[i].is_null() && (g < 0 || present[std::size_t(g)]))
            slotAt(out, m_fields[i].path) = values[i];
    }
    return out;
}

void SchemaForm::setMessage(QLabel *label, const QString &message)
{
    label->setText(message);
    label->setVisible(!message.isEmpty());
    // A wrapped message that appears inside a group is given one line by the nested form
    // layouts (they do not ask it its height for the width it gets) and is cut: ask it here,
    // for the width of the cell it sits in, which is laid out already.
    const int width = label->parentWidget() ? label->parentWidget()->width() : 0;
    label->setMinimumHeight(message.isEmpty() || width < 50 ? 0 : label->heightForWidth(width));
}

QList<SchemaForm::Problem> SchemaForm::validate()
{
    QList<Problem> problems;
    QWidget *first = nullptr;
    const std::vector<bool> present = presentGroups(leafValues());
    for (const auto &g : m_groups)
        setMessage(g.message, {});
    for (const auto &field : m_fields) {
        // A nested object's required fields are required only when the object is sent.
        const bool required =
            field.required && (field.group < 0 || present[std::size_t(field.group)]);
        const QString message = check(field, required);
        setMessage(field.message,
                   message.isEmpty() ? QString() : tr("This field %1.").arg(message));
        if (message.isEmpty())
            continue;
        problems.append({field.pointer, message});
        if (!first)
            first = field.editor;
    }
    if (first) {
        first->setFocus(Qt::OtherFocusReason);
        revealField(first);
    }
    return problems;
}

void SchemaForm::revealField(QWidget *widget)
{
    // In a scrolling dialog the first problem may be far below: bring it, and the message
    // under it, into view.
    for (QWidget *up = parentWidget(); up; up = up->parentWidget())
        if (auto *scroll = qobject_cast<QScrollArea *>(up)) {
            QWidget *cell = widget->parentWidget() ? widget->parentWidget() : widget;
            auto reveal = [scroll, cell, widget] {
                scroll->ensureWidgetVisible(cell, 20, 20);
                scroll->ensureWidgetVisible(widget, 20, 20);
            };
            reveal();
            // Again once the layouts have made room for the message just shown under it.
            QTimer::singleShot(0, widget, [reveal, guard = QPointer<QScrollArea>(scroll)] {
                if (guard)
                    reveal();
            });
            return;
        }
}

void SchemaForm::focusFirstField()
{
    if (m_fields.empty())
        return;
    QWidget *first = m_fields.front().editor;
    // Fields made while the form is on screen are shown on the next pass of the event loop,
    // and a hidden widget cannot take the focus: give it then.
    QTimer::singleShot(0, first, [this, first] {
        first->setFocus(Qt::OtherFocusReason);
        revealField(first);
    });
}

int SchemaForm::showProblems(const json &details)
{
    int placed = 0;
    QLabel *firstPlaced = nullptr;
    if (!details.is_array())
        return 0;
    for (const auto &detail : details) {
        if (!detail.is_object())
            continue;
        const QString path = str(detail.value("instancePath", json()));
        const QString message = str(detail.value("message", json()));
        if (path.isEmpty())
            continue;
        // The longest pointer the path ends with: "/options/variables/change/ticket" is the
        // nested ticket, not a top-level one.
        QLabel *target = nullptr;
        qsizetype best = 0;
        auto consider = [&](const QString &pointer, QLabel *label) {
            if (pointer.size() > best && path.endsWith(pointer)) {
                best = pointer.size();
                target = label;
            }
        };
        for (const auto &field : m_fields)
            consider(field.pointer, field.message);
        for (const auto &g : m_groups)
            consider(g.pointer, g.message);
        if (target) {
            setMessage(target, message);
            if (placed == 0)
                firstPlaced = target;
            ++placed;
        }
    }
    if (firstPlaced) {
        // The editor above the message, when it is a field's; a group shows its box.
        for (const auto &field : m_fields)
            if (field.message == firstPlaced) {
                field.editor->setFocus(Qt::OtherFocusReason);
                revealField(field.editor);
                return placed;
            }
        revealField(firstPlaced);
    }
    return placed;
}

void SchemaForm::onEdited(QWidget *editor)
{
    // A message about a value is out of date as soon as the value changes, and so is one
    // about the groups around it ("must have required property …").
    for (const auto &field : m_fields)
        if (field.editor == editor) {
            setMessage(field.message, {});
            for (int g = field.group; g >= 0; g = m_groups[std::size_t(g)].parent)
                setMessage(m_groups[std::size_t(g)].message, {});
        }
    Q_EMIT edited();
}

void SchemaForm::clearProblems()
{
    for (const auto &field : m_fields)
        setMessage(field.message, {});
    for (const auto &g : m_groups)
        setMessage(g.message, {});
}

QStringList SchemaForm::fieldPointers() const
{
    QStringList out;
    for (const auto &field : m_fields)
        out.append(field.pointer);
    return out;
}

const SchemaForm::Field *SchemaForm::findField(const QString &field) const
{
    const QString pointer = field.startsWith(u'/') ? field : pointerFor(field);
    for (const auto &f : m_fields)
        if (f.pointer == pointer)
            return &f;
    return nullptr;
}

const SchemaForm::Group *SchemaForm::findGroup(const QString &field) const
{
    const QString pointer = field.startsWith(u'/') ? field : pointerFor(field);
    for (const auto &g : m_groups)
        if (g.pointer == pointer)
            return &g;
    return nullptr;
}

QWidget *SchemaForm::editor(const QString &field) const
{
    const Field *f = findField(field);
    return f ? f->editor : nullptr;
}

QGroupBox *SchemaForm::group(const QString &field) const
{
    const Group *g = findGroup(field);
    return g ? g->box : nullptr;
}

QString SchemaForm::problem(const QString &field) const
{
    if (const Field *f = findField(field))
        return f->message->text();
    if (const Group *g = findGroup(field))
        return g->message->text();
    return {};
}

} // namespace flowdeck::ui
