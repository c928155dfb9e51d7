// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/editor/ValueField.h"

#include "engine/model/JsonParse.h"
#include "engine/model/TaskValues.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QStackedWidget>

#include <cmath>
#include <variant>

namespace flowdeck::ui::editor {

using nlohmann::json;

namespace {

enum Page { TextPage, CheckPage, JobPage, TaskPage };

bool isNumberType(const QString &type)
{
    return type == QLatin1String("number") || type == QLatin1String("integer");
}

/// A typed text as a reason quotes it: pasted megabytes are not repeated in the status bar.
QString quoted(const QString &text)
{
    constexpr qsizetype kShown = 40;
    return text.size() <= kShown ? text : text.left(kShown) + QStringLiteral("…");
}

/// The literal a text means for a value of `type`, or the reason it means none. Empty text
/// is "", as in Itential's documents, where an unset value is an empty string.
std::variant<json, QString> literalOf(const QString &text, const QString &type)
{
    if (text.isEmpty())
        return json("");
    if (type == QLatin1String("string"))
        return json(text.toStdString());
    if (isNumberType(type)) {
        bool ok = false;
        const double number = text.trimmed().toDouble(&ok);
        if (!ok || !std::isfinite(number))
            return QObject::tr("\"%1\" is not a number").arg(quoted(text));
        if (type == QLatin1String("integer") || number == std::floor(number)) {
            if (type == QLatin1String("integer") && number != std::floor(number))
                return QObject::tr("\"%1\" is not a whole number").arg(quoted(text));
            if (std::fabs(number) < 9.0e15)
                return json(static_cast<std::int64_t>(number));
        }
        return json(number);
    }
    // Arrays, objects and values of any type are written as JSON; text that does not parse is
    // a string where any type is allowed.
    // The depth-limited parser: JSON nested 100,000 deep is refused, not recursed into.
    auto read = parseJson(text.toStdString());
    if (!read) {
        if (type == QLatin1String("*"))
            return json(text.toStdString());
        return QObject::tr("\"%1\" is not JSON (%4; an %2 is written as JSON, e.g. %3)")
            .arg(quoted(text), type,
                 type == QLatin1String("array") ? QStringLiteral("[1, 2]")
                                                : QStringLiteral("{\"a\": 1}"),
                 QString::fromStdString(read.error().message));
    }
    json parsed = std::move(*read);
    if (type == QLatin1String("array") && !parsed.is_array())
        return QObject::tr("\"%1\" is not an array").arg(quoted(text));
    if (type == QLatin1String("object") && !parsed.is_object())
        return QObject::tr("\"%1\" is not an object").arg(quoted(text));
    return parsed;
}

QString textOf(const json &value, const QString &type)
{
    if (value.is_string() && (type == QLatin1String("string") || value.get<std::string>().empty()))
        return QString::fromStdString(value.get<std::string>());
    if (value.is_null() && type != QLatin1String("*"))
        return {};
    if (value.is_string() && type == QLatin1String("*")) {
        // Text that would read back as other JSON is shown quoted, so it stays text.
        const std::string s = value.get<std::string>();
        if (!parseJson(s))
            return QString::fromStdString(s);
    }
    return QString::fromStdString(value.dump());
}

} // namespace

ValueField::ValueField(QString type, QWidget *parent)
    : QWidget(parent), m_type(std::move(type)), m_kind(new QComboBox(this)),
      m_stack(new QStackedWidget(this)), m_text(new QLineEdit(m_stack)),
      m_job(new QComboBox(m_stack)), m_task(new QComboBox(m_stack))
{
    m_kind->addItem(tr("Value"));
    m_kind->addItem(tr("Job variable"));
    m_kind->addItem(tr("Task output"));
    m_kind->setToolTip(tr("A value written here, a job variable ($var.job.…), or what a task "
                          "before this one gave ($var.<task>.…)"));
    m_kind->setSizeAdjustPolicy(QComboBox::AdjustToContents);

    m_text->setClearButtonEnabled(true);
    if (isNumberType(m_type))
        m_text->setPlaceholderText(tr("a number"));
    else if (m_type == QLatin1String("array") || m_type == QLatin1String("object"))
        m_text->setPlaceholderText(tr("JSON"));
    m_stack->addWidget(m_text);
    m_check = new QCheckBox(m_stack);
    m_stack->addWidget(m_check);
    // Long labels ("Build health snapshot › output") are elided to the panel's width.
    for (QComboBox *box : {m_job, m_task}) {
        box->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
        box->setMinimumContentsLength(6);
    }
    m_job->setEditable(true);
    m_job->setInsertPolicy(QComboBox::NoInsert);
    m_job->lineEdit()->setPlaceholderText(tr("job variable"));
    m_stack->addWidget(m_job);
    m_stack->addWidget(m_task);

    auto *row = new QHBoxLayout(this);
    row->setContentsMargins(0, 0, 0, 0);
    row->addWidget(m_kind);
    row->addWidget(m_stack, 1);

    connect(m_kind, &QComboBox::activated, this, &ValueField::kindChosen);
    connect(m_text, &QLineEdit::editingFinished, this, &ValueField::commitLiteral);
    connect(m_check, &QCheckBox::toggled, this, &ValueField::commitLiteral);
    connect(m_job, &QComboBox::activated, this, &ValueField::commitJob);
    connect(m_job->lineEdit(), &QLineEdit::editingFinished, this, &ValueField::commitJob);
    connect(m_task, &QComboBox::activated, this, &ValueField::commitTask);
    setFocusProxy(m_kind);
}

void ValueField::setChoices(const std::vector<std::string> &jobVariables,
                            const std::vector<std::pair<QString, std::string>> &taskOutputs)
{
    m_quiet = true;
    const QString typed = m_job->currentText();
    m_job->clear();
    for (const auto &name : jobVariables)
        m_job->addItem(QString::fromStdString(name));
    m_job->setEditText(typed);
    m_task->clear();
    for (const auto &[label, reference] : taskOutputs)
        m_task->addItem(label, QString::fromStdString(reference));
    // No placeholder text: a combo box is at least as wide as its placeholder, which pushed
    // the field out of a narrow panel. The tooltip says why the list is empty.
    m_task->setEnabled(m_task->count() > 0);
    m_task->setToolTip(m_task->count() > 0 ? QString()
                                           : tr("No task before this one gives a value"));
    m_quiet = false;
    setValue(m_value);
}

void ValueField::setValue(const json &value)
{
    m_quiet = true;
    m_value = value;
    const auto reference = model::parseReference(value);
    if (reference && reference->source == "job") {
        m_job->setEditText(QString::fromStdString(reference->name));
        showKind(Kind::JobVariable);
    } else if (reference) {
        const int at = m_task->findData(QString::fromStdString(model::referenceText(*reference)));
        if (at < 0) // a task the list does not offer (not upstream, or gone): shown as it is
            m_task->addItem(QString::fromStdString(model::referenceText(*reference)),
                            QString::fromStdString(model::referenceText(*reference)));
        m_task->setCurrentIndex(at < 0 ? m_task->count() - 1 : at);
        showKind(Kind::TaskOutput);
    } else {
        if (m_type == QLatin1String("boolean") && (value.is_boolean() || value.is_null())) {
            m_check->setChecked(value.is_boolean() && value.get<bool>());
        } else {
            m_text->setText(textOf(value, m_type));
            m_text->setCursorPosition(0);
        }
        showKind(Kind::Literal);
    }
    m_quiet = false;
}

ValueField::Kind ValueField::kind() const
{
    return Kind(m_kind->currentIndex());
}

bool ValueField::isEditing() const
{
    const QWidget *focus = QApplication::focusWidget();
    return focus && (focus == this || isAncestorOf(focus));
}

void ValueField::showKind(Kind kind)
{
    m_kind->setCurrentIndex(int(kind));
    switch (kind) {
    case Kind::Literal:
        m_stack->setCurrentIndex(m_type == QLatin1String("boolean") &&
                                         (m_value.is_boolean() || m_value.is_null())
                                     ? CheckPage
                                     : TextPage);
        break;
    case Kind::JobVariable:
        m_stack->setCurrentIndex(JobPage);
        break;
    case Kind::TaskOutput:
        m_stack->setCurrentIndex(TaskPage);
        break;
    }
}

void ValueField::kindChosen(int index)
{
    const Kind chosen = Kind(index);
    if (chosen == Kind::Literal) {
        // From a reference back to a value: a boolean starts unchecked, anything else empty.
        m_stack->setCurrentIndex(m_type == QLatin1String("boolean") ? CheckPage : TextPage);
        if (m_type == QLatin1String("boolean")) {
            m_value = false;
            Q_EMIT committed(json(false));
        } else {
            m_text->clear();
            m_text->setFocus(Qt::OtherFocusReason);
        }
        return;
    }
    m_stack->setCurrentIndex(chosen == Kind::JobVariable ? JobPage : TaskPage);
    if (chosen == Kind::JobVariable)
        m_job->setFocus(Qt::OtherFocusReason);
    else if (m_task->count() > 0)
        commitTask();
}

void ValueField::commitLiteral()
{
    if (m_quiet || kind() != Kind::Literal)
        return;
    json value;
    if (m_stack->currentIndex() == CheckPage) {
        value = m_check->isChecked();
    } else {
        auto literal = literalOf(m_text->text(), m_type);
        if (auto *reason = std::get_if<QString>(&literal)) {
            Q_EMIT refused(*reason);
            return;
        }
        value = std::get<json>(literal);
    }
    if (value == m_value)
        return;
    m_value = value;
    Q_EMIT committed(value);
}

void ValueField::commitJob()
{
    if (m_quiet || kind() != Kind::JobVariable)
        return;
    const QString name = m_job->currentText().trimmed();
    if (name.isEmpty())
        return;
    const json value = model::referenceText({"job", name.toStdString(), ""});
    if (value == m_value)
        return;
    m_value = value;
    Q_EMIT committed(value);
}

void ValueField::commitTask()
{
    if (m_quiet || kind() != Kind::TaskOutput || m_task->currentIndex() < 0)
        return;
    const json value = m_task->currentData().toString().toStdString();
    if (value == m_value)
        return;
    m_value = value;
    Q_EMIT committed(value);
}

} // namespace flowdeck::ui::editor
