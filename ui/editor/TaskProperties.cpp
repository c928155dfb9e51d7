// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/editor/TaskProperties.h"

#include "engine/model/JsonFields.h"
#include "engine/model/TaskValues.h"
#include "engine/model/Workflow.h"
#include "engine/model/WorkflowEdit.h"
#include "ui/editor/EditSession.h"
#include "ui/editor/ValueField.h"

#include <QComboBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QScopeGuard>
#include <QScrollArea>
#include <QVBoxLayout>

#include <set>

namespace flowdeck::ui::editor {

using nlohmann::json;
using Pointer = json::json_pointer;

namespace {

QString qs(const std::string &s)
{
    return QString::fromStdString(s);
}

/// A pointer token for a member name ("a/b" → "a~1b").
std::string token(const std::string &name)
{
    return (Pointer() / name).to_string().substr(1);
}

QLabel *sectionLabel(const QString &text, QWidget *parent)
{
    auto *label = new QLabel(text, parent);
    QFont bold = label->font();
    bold.setBold(true);
    label->setFont(bold);
    label->setContentsMargins(0, 8, 0, 2);
    return label;
}

} // namespace

TaskProperties::TaskProperties(EditSession *session, EntryLookup lookup, QWidget *parent)
    : QWidget(parent), m_session(session), m_lookup(std::move(lookup)), m_title(new QLabel(this))
{
    setObjectName(QStringLiteral("taskProperties"));
    m_title->setObjectName(QStringLiteral("propertiesTitle"));
    m_title->setWordWrap(true);
    m_title->setTextFormat(Qt::PlainText);
    m_title->setContentsMargins(6, 6, 6, 0);
    m_scroll = new QScrollArea(this);
    m_scroll->setObjectName(QStringLiteral("propertiesScroll"));
    m_scroll->setWidgetResizable(true);
    m_scroll->setFrameShape(QFrame::NoFrame);
    // The fields take the panel's width; long choices are elided, never scrolled sideways.
    m_scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_scroll->setWidget(new QWidget(m_scroll));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_title);
    layout->addWidget(m_scroll, 1);
    connect(m_session, &EditSession::documentChanged, this, &TaskProperties::documentChanged);
    showTask({});
}

const json *TaskProperties::currentTask() const
{
    if (m_key.isEmpty())
        return nullptr;
    const json &tasks = fields::objectAt(m_session->document(), "tasks");
    const auto it = tasks.find(m_key.toStdString());
    return it != tasks.end() && it->is_object() ? &*it : nullptr;
}

void TaskProperties::showTask(const QString &key)
{
    m_key = key;
    m_shape.clear();
    rebuild();
}

ValueField *TaskProperties::incomingField(const QString &name) const
{
    for (const Row &row : m_rows)
        if (row.name == name)
            return row.field;
    return nullptr;
}

QComboBox *TaskProperties::outgoingField(const QString &name) const
{
    for (const auto &[outgoing, box] : m_outgoing)
        if (qs(outgoing) == name)
            return box;
    return nullptr;
}

void TaskProperties::documentChanged()
{
    const json *task = currentTask();
    if (!task || shapeOf(*task) != m_shape)
        rebuild();
    else
        refresh();
}

std::vector<TaskProperties::Row> TaskProperties::rowsFor(const json &task) const
{
    const std::string app = fields::textAt(task, "app");
    const std::string method = fields::textAt(task, "name");
    const auto entry =
        m_lookup ? m_lookup(app.empty() ? "WorkFlowEngine" : app, method) : std::optional<json>();
    const json &incoming = fields::objectAt(fields::objectAt(task, "variables"), "incoming");
    std::vector<Row> rows;
    std::set<std::string> shown;
    const auto add = [&](const std::string &name, const json &spec) {
        shown.insert(name);
        // A transformation reads its variableMap one level deep: one row per JST input.
        if (method == "transformation" && name == "variableMap" &&
            incoming.value(name, json()).is_object()) {
            for (const auto &[input, value] : incoming[name].items())
                rows.push_back({qs("variableMap/" + input),
                                "/variables/incoming/variableMap/" + token(input),
                                QStringLiteral("*"), false, tr("An input of the JST"), nullptr});
            return;
        }
        Row row;
        row.name = qs(name);
        row.pointer = "/variables/incoming/" + token(name);
        row.type = qs(fields::textAt(spec, "type"));
        if (row.type.isEmpty())
            row.type = QStringLiteral("*");
        row.required = spec.is_object() && spec.value("required", false) == true;
        row.description = qs(fields::textAt(spec, "description"));
        rows.push_back(std::move(row));
    };
    if (entry)
        for (const auto &[name, spec] :
             fields::objectAt(fields::objectAt(*entry, "variables"), "incoming").items())
            add(name, spec);
    for (const auto &[name, value] : incoming.items())
        if (!shown.count(name))
            add(name, json::object());
    return rows;
}

std::vector<std::string> TaskProperties::outgoingFor(const json &task) const
{
    std::vector<std::string> names;
    for (const auto &[name, value] :
         fields::objectAt(fields::objectAt(task, "variables"), "outgoing").items())
        names.push_back(name);
    return names;
}

std::string TaskProperties::shapeOf(const json &task) const
{
    std::string shape = m_key.toStdString() + "|" + fields::textAt(task, "app") + "|" +
                        fields::textAt(task, "name");
    for (const Row &row : rowsFor(task))
        shape += "|" + row.pointer;
    for (const std::string &name : outgoingFor(task))
        shape += "|>" + name;
    return shape;
}

void TaskProperties::rebuild()
{
    m_rows.clear();
    m_outgoing.clear();
    m_summary = m_description = m_groups = nullptr;
    // A new body: the old one's fields go with it, after any signal they are sending.
    if (QWidget *old = m_scroll->takeWidget())
        old->deleteLater();
    m_body = new QWidget(m_scroll);
    m_body->setObjectName(QStringLiteral("propertiesBody"));
    auto *form = new QFormLayout(m_body);
    form->setContentsMargins(6, 2, 6, 6);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    // Labels above their fields: a long name (time_in_milliseconds) never pushes a field out
    // of a narrow panel.
    form->setRowWrapPolicy(QFormLayout::WrapAllRows);
    // Given to the scroll area once filled: children added to a shown widget stay hidden.
    const auto done = qScopeGuard([this] { m_scroll->setWidget(m_body); });

    const json *task = currentTask();
    if (!task) {
        m_shape.clear();
        m_title->setText(m_key == QLatin1String(model::kWorkflowStart) ||
                                 m_key == QLatin1String(model::kWorkflowEnd)
                             ? tr("Start and End have no values.")
                             : tr("Select a task to see and change its values."));
        return;
    }
    m_shape = shapeOf(*task);

    m_summary = new QLineEdit(m_body);
    m_summary->setObjectName(QStringLiteral("propertySummary"));
    form->addRow(tr("Summary"), m_summary);
    connect(m_summary, &QLineEdit::editingFinished, this,
            [this] { set("/summary", m_summary->text().toStdString(), tr("summary")); });
    m_description = new QLineEdit(m_body);
    m_description->setObjectName(QStringLiteral("propertyDescription"));
    form->addRow(tr("Description"), m_description);
    connect(m_description, &QLineEdit::editingFinished, this, [this] {
        set("/description", m_description->text().toStdString(), tr("description"));
    });
    m_groups = new QLineEdit(m_body);
    m_groups->setObjectName(QStringLiteral("propertyGroups"));
    m_groups->setPlaceholderText(tr("anyone; or groups, comma-separated"));
    m_groups->setToolTip(tr("Who may work this task when it is manual: members of these groups"));
    form->addRow(tr("Groups"), m_groups);
    connect(m_groups, &QLineEdit::editingFinished, this, [this] {
        json groups = json::array();
        for (const QString &g : m_groups->text().split(u',', Qt::SkipEmptyParts))
            if (!g.trimmed().isEmpty())
                groups.push_back(g.trimmed().toStdString());
        set("/groups", groups, tr("groups"));
    });

    m_rows = rowsFor(*task);
    if (!m_rows.empty())
        form->addRow(sectionLabel(tr("Incoming"), m_body));
    for (Row &row : m_rows) {
        row.field = new ValueField(row.type, m_body);
        row.field->setObjectName(QStringLiteral("incoming:") + row.name);
        auto *label =
            new QLabel(row.name + (row.required ? QStringLiteral(" *") : QString()), m_body);
        const QString tip = row.description.isEmpty()
                                ? row.type
                                : row.description + QStringLiteral(" (") + row.type + u')';
        label->setToolTip(tip);
        row.field->setToolTip(tip);
        label->setBuddy(row.field);
        form->addRow(label, row.field);
        const std::string pointer = row.pointer;
        const QString name = row.name;
        connect(row.field, &ValueField::committed, this,
                [this, pointer, name](const json &value) { set(pointer, value, name); });
        connect(row.field, &ValueField::refused, this, &TaskProperties::status);
    }

    const std::vector<std::string> outgoing = outgoingFor(*task);
    if (!outgoing.empty()) {
        form->addRow(sectionLabel(tr("Outgoing: save to job variable"), m_body));
        for (const std::string &name : outgoing) {
            auto *box = new QComboBox(m_body);
            box->setObjectName(QStringLiteral("outgoing:") + qs(name));
            box->setEditable(true);
            box->setInsertPolicy(QComboBox::NoInsert);
            box->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
            box->setMinimumContentsLength(6);
            box->lineEdit()->setPlaceholderText(tr("not saved"));
            box->setToolTip(tr("Later tasks read it as $var.%1.%2 either way; saved, it is also "
                               "the job variable named here")
                                .arg(m_key, qs(name)));
            form->addRow(qs(name), box);
            const std::string pointer = "/variables/outgoing/" + token(name);
            const auto commit = [this, box, pointer, name] {
                const QString chosen = box->currentText().trimmed();
                set(pointer,
                    chosen.isEmpty()
                        ? json("")
                        : json(model::referenceText({"job", chosen.toStdString(), ""})),
                    qs(name));
            };
            connect(box, &QComboBox::activated, this, commit);
            connect(box->lineEdit(), &QLineEdit::editingFinished, this, commit);
            m_outgoing.emplace_back(name, box);
        }
    }
    refresh();
}

void TaskProperties::refresh()
{
    const json *task = currentTask();
    if (!task)
        return;
    const json &doc = m_session->document();
    const std::string app = fields::textAt(*task, "app");
    m_title->setText(tr("%1\n%2 · %3")
                         .arg(qs(model::taskLabel(doc, m_key.toStdString())),
                              qs(app.empty() ? std::string("WorkFlowEngine") : app),
                              qs(fields::textAt(*task, "name"))));
    const auto show = [](QLineEdit *edit, const QString &text) {
        if (edit && !edit->hasFocus() && edit->text() != text) {
            edit->setText(text);
            edit->setCursorPosition(0); // the start of a long description, not its end
        }
    };
    show(m_summary, qs(fields::textAt(*task, "summary")));
    show(m_description, qs(fields::textAt(*task, "description")));
    QStringList groups;
    if (const json g = task->value("groups", json()); g.is_array())
        for (const json &name : g)
            if (name.is_string())
                groups << qs(name.get<std::string>());
    show(m_groups, groups.join(QStringLiteral(", ")));

    // What this task may read: the job's variables, and each output of a task before it.
    const std::vector<std::string> jobVariables = model::jobVariableNames(doc);
    std::vector<std::pair<QString, std::string>> outputs;
    const json &tasks = fields::objectAt(doc, "tasks");
    for (const std::string &before : model::upstreamTasks(doc, m_key.toStdString())) {
        const json &other = tasks.contains(before) ? tasks[before] : json::object();
        for (const std::string &name : outgoingFor(other))
            outputs.emplace_back(qs(model::taskLabel(doc, before)) + QStringLiteral(" › ") +
                                     qs(name),
                                 model::referenceText({before, name, ""}));
    }
    for (Row &row : m_rows) {
        if (row.field->isEditing())
            continue; // never under the operator's cursor
        const Pointer at(row.pointer);
        row.field->setChoices(jobVariables, outputs);
        row.field->setValue(task->contains(at) ? task->at(at) : json(""));
    }
    for (auto &[name, box] : m_outgoing) {
        if (box->hasFocus() || box->lineEdit()->hasFocus())
            continue;
        box->clear();
        for (const std::string &variable : jobVariables)
            box->addItem(qs(variable));
        const json value =
            fields::objectAt(fields::objectAt(*task, "variables"), "outgoing").value(name, json());
        const auto reference = model::parseReference(value);
        box->setEditText(reference && reference->source == "job" ? qs(reference->name) : QString());
    }
}

void TaskProperties::set(const std::string &pointer, std::optional<json> value, const QString &what)
{
    const json *task = currentTask();
    if (!task)
        return;
    const std::string label = model::taskLabel(m_session->document(), m_key.toStdString());
    m_session->perform(model::setTaskValue(m_session->document(), m_key.toStdString(),
                                           Pointer(pointer), std::move(value),
                                           "Set " + what.toStdString() + " of " + label));
}

} // namespace flowdeck::ui::editor
