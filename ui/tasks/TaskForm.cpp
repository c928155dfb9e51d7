// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/tasks/TaskForm.h"

#include "ui/client/ConsoleClient.h"
#include "ui/forms/JsonView.h"
#include "ui/forms/Replies.h"
#include "ui/forms/SchemaForm.h"
#include "ui/tasks/TaskRequests.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QScrollArea>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;
using nlohmann::json;

namespace flowdeck::ui {

namespace {

QString text(const json &object, const char *key)
{
    const json value = object.is_object() ? object.value(key, json()) : json();
    return value.is_string() ? QString::fromStdString(value.get<std::string>()) : QString();
}

QLabel *sectionTitle(const QString &title, QWidget *parent)
{
    auto *label = new QLabel(title, parent);
    QFont font = label->font();
    font.setWeight(QFont::DemiBold);
    label->setFont(font);
    return label;
}

/// Whether a value has anything worth a section: not null, not "", not {} or [].
bool hasContent(const json &value)
{
    if (value.is_null())
        return false;
    if (value.is_string())
        return !value.get_ref<const std::string &>().empty();
    if (value.is_structured())
        return !value.empty();
    return true;
}

/// The controller's fields as a schema for SchemaForm: each outgoing variable one property,
/// typed when the workflow declares the job variable it is promoted to.
json schemaOf(const json &fields)
{
    json properties = json::object();
    int order = 0;
    if (fields.is_array())
        for (const auto &field : fields) {
            if (!field.is_object() || !field.value("name", json()).is_string())
                continue;
            json property = json::object();
            if (field.value("type", json()).is_string())
                property["type"] = field["type"];
            if (field.value("promotesTo", json()).is_string())
                property["description"] =
                    QObject::tr("Becomes the job variable %1.")
                        .arg(QString::fromStdString(field["promotesTo"].get<std::string>()))
                        .toStdString();
            // The controller lists the fields in the order the form shows them.
            property["propertyOrder"] = order++;
            properties[field["name"].get<std::string>()] = std::move(property);
        }
    return {{"type", "object"}, {"properties", std::move(properties)}};
}

} // namespace

TaskForm::TaskForm(ConsoleClient &client, QWidget *parent) : QWidget(parent), m_client(client)
{
    setObjectName(u"taskForm"_s);
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);

    m_placeholder = new QLabel(tr("Select a task to see its form."), this);
    m_placeholder->setObjectName(u"taskPlaceholder"_s);
    m_placeholder->setAlignment(Qt::AlignCenter);
    m_placeholder->setForegroundRole(QPalette::PlaceholderText);
    m_placeholder->setWordWrap(true);
    outer->addWidget(m_placeholder, 1);

    m_scroll = new QScrollArea(this);
    m_scroll->setWidgetResizable(true);
    m_scroll->setFrameShape(QFrame::NoFrame);
    m_page = new QWidget;
    auto *layout = new QVBoxLayout(m_page);
    layout->setContentsMargins(20, 16, 20, 16);
    layout->setSpacing(8);

    m_header = new QLabel(m_page);
    m_header->setObjectName(u"taskHeader"_s);
    m_header->setWordWrap(true);
    QFont big = m_header->font();
    big.setPointSizeF(big.pointSizeF() * 1.4);
    big.setWeight(QFont::DemiBold);
    m_header->setFont(big);
    layout->addWidget(m_header);
    m_meta = new QLabel(m_page);
    m_meta->setObjectName(u"taskMeta"_s);
    m_meta->setWordWrap(true);
    m_meta->setForegroundRole(QPalette::PlaceholderText);
    layout->addWidget(m_meta);

    auto *noticeRow = new QHBoxLayout;
    m_notice = new QLabel(m_page);
    m_notice->setObjectName(u"taskNotice"_s);
    m_notice->setWordWrap(true);
    m_notice->setTextInteractionFlags(Qt::TextSelectableByMouse);
    noticeRow->addWidget(m_notice, 1);
    m_claim = new QPushButton(tr("Claim"), m_page);
    m_claim->setObjectName(u"taskFormClaim"_s);
    m_claim->hide();
    connect(m_claim, &QPushButton::clicked, this, &TaskForm::claimRequested);
    noticeRow->addWidget(m_claim);
    layout->addLayout(noticeRow);

    m_message = new QLabel(m_page);
    m_message->setObjectName(u"taskMessage"_s);
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addSpacing(4);
    layout->addWidget(m_message);

    m_bodyTitle = sectionTitle(tr("Details"), m_page);
    layout->addSpacing(6);
    layout->addWidget(m_bodyTitle);
    m_bodyText = new QLabel(m_page);
    m_bodyText->setWordWrap(true);
    m_bodyText->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_bodyText);
    m_body = new JsonView(m_page);
    m_body->setObjectName(u"taskBody"_s);
    layout->addWidget(m_body);

    m_showTitle = sectionTitle(tr("Values"), m_page);
    layout->addWidget(m_showTitle);
    m_show = new JsonView(m_page);
    m_show->setObjectName(u"taskValues"_s);
    layout->addWidget(m_show);

    m_inputTitle = sectionTitle(tr("Your input"), m_page);
    layout->addSpacing(6);
    layout->addWidget(m_inputTitle);
    m_form = new SchemaForm(m_page);
    layout->addWidget(m_form);
    layout->addStretch(1);
    m_scroll->setWidget(m_page);
    outer->addWidget(m_scroll, 1);

    auto *buttons = new QHBoxLayout;
    buttons->setContentsMargins(20, 8, 20, 12);
    buttons->addStretch(1);
    m_failure = new QPushButton(m_page);
    m_failure->setObjectName(u"finishFailure"_s);
    m_success = new QPushButton(m_page);
    m_success->setObjectName(u"finishSuccess"_s);
    m_success->setDefault(true);
    buttons->addWidget(m_failure);
    buttons->addWidget(m_success);
    outer->addLayout(buttons);
    connect(m_success, &QPushButton::clicked, this, [this] { finishWith(u"success"_s); });
    connect(m_failure, &QPushButton::clicked, this, [this] { finishWith(u"failure"_s); });

    clear();
}

void TaskForm::setCurrentUser(const QString &username)
{
    m_currentUser = username;
}

void TaskForm::clear()
{
    ++m_loadToken;
    m_jobId.clear();
    m_taskKey.clear();
    m_controller = nullptr;
    m_canWork = false;
    m_placeholder->show();
    m_scroll->hide();
    m_success->hide();
    m_failure->hide();
}

void TaskForm::load(const QString &jobId, const QString &taskKey)
{
    const bool same = jobId == m_jobId && taskKey == m_taskKey && !m_controller.is_null();
    m_jobId = jobId;
    m_taskKey = taskKey;
    const quint64 token = ++m_loadToken;
    if (!same) {
        m_placeholder->setText(tr("Loading the task…"));
        m_placeholder->show();
        m_scroll->hide();
        m_success->hide();
        m_failure->hide();
    }
    whenFinished(m_client.call(requests::manualTaskController(jobId, taskKey)), this,
                 [this, token](const api::ApiResponse &response) {
                     if (token != m_loadToken)
                         return;
                     if (!response.ok()) {
                         m_controller = nullptr;
                         m_placeholder->setText(
                             tr("This task cannot be shown: %1").arg(failureText(response)));
                         return;
                     }
                     present(envelopeData(response));
                     Q_EMIT loaded();
                 });
}

void TaskForm::present(const json &controller)
{
    // The same task fetched again (after a claim) keeps what the operator typed.
    const bool sameTask = m_controller.is_object() &&
                          text(m_controller, "iteration") == text(controller, "iteration");
    const json typed = sameTask ? m_form->values() : json();
    m_controller = controller;

    const QString summary = text(controller, "summary");
    QString header = text(controller, "header");
    if (header.isEmpty())
        header = summary.isEmpty() ? tr("Task %1").arg(m_taskKey) : summary;
    m_header->setText(header);
    const QString jobName = text(controller.value("job", json::object()), "name");
    QStringList meta;
    if (!jobName.isEmpty())
        meta << tr("Job: %1").arg(jobName);
    meta << tr("Task: %1").arg(summary.isEmpty() ? m_taskKey : summary);
    m_meta->setText(meta.join(u"   ·   "_s));

    const QString owner = text(controller, "owner");
    const QString status = text(controller, "status");
    const bool waiting = status == u"running"_s &&
                         text(controller.value("job", json::object()), "status") == u"running"_s;
    m_canWork = waiting && !owner.isEmpty() && (m_currentUser.isEmpty() || owner == m_currentUser);
    m_claim->setVisible(waiting && owner.isEmpty());
    if (!waiting)
        setNotice(tr("This task is no longer waiting for an operator (it is %1).")
                      .arg(status.isEmpty() ? tr("gone") : status),
                  true);
    else if (owner.isEmpty())
        setNotice(tr("This task is available. Claim it to work it."), false);
    else if (m_canWork)
        setNotice(tr("Claimed by you."), false);
    else
        setNotice(tr("Claimed by %1: only they can finish it.").arg(owner), false);

    m_message->setText(text(controller, "message"));
    m_message->setVisible(!m_message->text().isEmpty());

    const json body = controller.value("body", json());
    m_bodyTitle->setVisible(hasContent(body));
    m_bodyText->setVisible(hasContent(body) && !body.is_structured());
    m_body->setVisible(hasContent(body) && body.is_structured());
    if (body.is_structured())
        m_body->setJson(body);
    else
        m_bodyText->setText(JsonView::valueText(body));

    const json values = controller.value("show", json());
    m_showTitle->setVisible(hasContent(values));
    m_show->setVisible(hasContent(values));
    m_show->setJson(values);

    const json fields = controller.value("fields", json::array());
    m_form->setSchema(schemaOf(fields));
    if (typed.is_object())
        m_form->setValues(typed);
    const bool hasFields = fields.is_array() && !fields.empty();
    m_inputTitle->setVisible(hasFields);
    m_form->setVisible(hasFields);
    m_form->setEnabled(m_canWork);

    const json buttons = controller.value("buttons", json::object());
    QString success = text(buttons, "success");
    m_success->setText(success.isEmpty() ? tr("Done") : success);
    const QString failure = text(buttons, "failure");
    m_failure->setText(failure);
    m_success->setVisible(true);
    m_failure->setVisible(!failure.isEmpty());
    setBusy(false);

    m_placeholder->hide();
    m_scroll->show();
}

QString TaskForm::noticeText() const
{
    return m_notice->text();
}

void TaskForm::setNotice(const QString &message, bool problem)
{
    m_notice->setText(message);
    QPalette palette = m_notice->palette();
    palette.setColor(QPalette::WindowText, problem ? QColor(0xd6, 0x45, 0x41)
                                                   : this->palette().color(QPalette::WindowText));
    m_notice->setPalette(palette);
    m_notice->setForegroundRole(problem ? QPalette::WindowText : QPalette::PlaceholderText);
}

void TaskForm::setBusy(bool busy)
{
    m_busy = busy;
    m_success->setEnabled(m_canWork && !busy);
    m_failure->setEnabled(m_canWork && !busy);
}

void TaskForm::finishWith(const QString &finishState)
{
    if (!m_canWork || m_busy || m_jobId.isEmpty())
        return;
    if (!m_form->validate().isEmpty()) {
        setNotice(tr("Some values need attention before the task can be finished."), true);
        return;
    }
    setBusy(true);
    const QString jobId = m_jobId;
    const quint64 token = m_loadToken;
    whenFinished(
        m_client.call(requests::finishTask(jobId, m_taskKey, finishState, m_form->values())), this,
        [this, jobId, finishState, token](const api::ApiResponse &response) {
            if (token != m_loadToken)
                return;
            setBusy(false);
            if (response.ok()) {
                Q_EMIT finished(jobId, finishState);
                return;
            }
            const json details =
                response.json.is_object() ? response.json.value("details", json()) : json();
            if (response.status == 400 && m_form->showProblems(details) > 0) {
                setNotice(failureText(response), true);
                return;
            }
            setNotice(failureText(response), true);
            // Someone else claimed or finished it, or its job moved on: the inbox must learn.
            if (response.status == 409 || response.status == 403 || response.status == 404)
                Q_EMIT stale();
        });
}

} // namespace flowdeck::ui
