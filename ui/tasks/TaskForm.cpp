// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/tasks/TaskForm.h"

#include "ui/client/ConsoleClient.h"
#include "ui/forms/JsonView.h"
#include "ui/forms/Replies.h"
#include "ui/forms/SchemaForm.h"
#include "ui/tasks/TaskRequests.h"

#include <QHBoxLayout>
#include <QHash>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QScrollArea>
#include <QTime>
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

/// A finish button's label as a past event: "Approve" → "Approved". Labels are the
/// workflow's own words; the ones not known here are quoted instead.
QString pastTense(const QString &button, const QString &by, const QString &at)
{
    static const QHash<QString, QString> known{{u"approve"_s, u"Approved"_s},
                                               {u"reject"_s, u"Rejected"_s},
                                               {u"accept"_s, u"Accepted"_s},
                                               {u"decline"_s, u"Declined"_s},
                                               {u"confirm"_s, u"Confirmed"_s},
                                               {u"deny"_s, u"Denied"_s},
                                               {u"done"_s, u"Done"_s},
                                               {u"complete"_s, u"Completed"_s},
                                               {u"submit"_s, u"Submitted"_s},
                                               {u"continue"_s, u"Continued"_s},
                                               {u"retry"_s, u"Sent back for a retry"_s}};
    const QString word = known.value(button.trimmed().toLower());
    return word.isEmpty() ? QObject::tr("Finished with “%1” by %2 at %3").arg(button, by, at)
                          : QObject::tr("%1 by %2 at %3").arg(word, by, at);
}

QString taskTitle(const json &task, const QString &key)
{
    for (const char *field : {"summary", "name"})
        if (const QString t = text(task, field); !t.isEmpty())
            return t;
    return key;
}

/// Where the job went after task `key` finished in `finishState`, read from the job document:
/// the tasks its transitions for that result lead to, or how the job ended.
QString whereTheJobWent(const json &job, const QString &key, const QString &finishState)
{
    const QString status = text(job, "status");
    if (status == u"complete"_s)
        return QObject::tr("the job is complete.");
    if (status == u"error"_s)
        return QObject::tr("the job stopped in error.");
    if (status == u"canceled"_s)
        return QObject::tr("the job was canceled.");
    const json tasks = job.value("tasks", json::object());
    const json task =
        tasks.is_object() ? tasks.value(key.toStdString(), json::object()) : json::object();
    const json transitions =
        task.is_object() ? task.value("transitions", json::object()) : json::object();
    const json next = transitions.is_object()
                          ? transitions.value(finishState.toStdString(), json::array())
                          : json::array();
    QStringList names;
    bool waits = false;
    if (next.is_array())
        for (const json &edge : next) {
            const QString target = text(edge, "task");
            if (target.isEmpty() || target == u"workflow_end"_s)
                continue;
            const json to = tasks.value(target.toStdString(), json::object());
            names << u"“%1”"_s.arg(taskTitle(to, target));
            waits =
                waits || (text(to, "type") == u"manual"_s && text(to, "status") == u"running"_s);
        }
    if (names.isEmpty())
        return QObject::tr("the job moves on.");
    return waits ? QObject::tr("the job went on to %1, which waits for an operator.")
                       .arg(names.join(QObject::tr(" and ")))
                 : QObject::tr("the job went on to %1.").arg(names.join(QObject::tr(" and ")));
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

    // After a finish: what happened and where the job went, with the way to the job (a
    // button, not a link: it takes the focus and reads in any palette).
    m_outcome = new QWidget(this);
    m_outcome->setObjectName(u"taskOutcome"_s);
    auto *outcomeLayout = new QVBoxLayout(m_outcome);
    outcomeLayout->setContentsMargins(24, 24, 24, 24);
    outcomeLayout->addStretch(1);
    m_outcomeText = new QLabel(m_outcome);
    m_outcomeText->setObjectName(u"taskOutcomeText"_s);
    m_outcomeText->setAlignment(Qt::AlignCenter);
    m_outcomeText->setWordWrap(true);
    m_outcomeText->setTextFormat(Qt::RichText);
    m_outcomeText->setTextInteractionFlags(Qt::TextSelectableByMouse);
    outcomeLayout->addWidget(m_outcomeText);
    m_openJob = new QPushButton(tr("Open the Job"), m_outcome);
    m_openJob->setObjectName(u"taskOutcomeOpenJob"_s);
    connect(m_openJob, &QPushButton::clicked, this, [this] { Q_EMIT jobRequested(m_outcomeJob); });
    outcomeLayout->addWidget(m_openJob, 0, Qt::AlignHCenter);
    outcomeLayout->addStretch(1);
    m_outcome->hide();
    outer->addWidget(m_outcome, 1);

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
    // Whatever was loading or shown before is over: the placeholder says what to do next.
    m_placeholder->setText(tr("Select a task to see its form."));
    m_placeholder->show();
    m_outcome->hide();
    m_outcomeText->clear();
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
        m_outcome->hide();
        m_outcomeText->clear();
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
    const json job = controller.value("job", json::object());
    const QString jobName = text(job, "name");
    QStringList meta;
    if (!jobName.isEmpty())
        meta << (job.value("testRun", false) == true ? tr("Job: %1 (a test run)").arg(jobName)
                                                     : tr("Job: %1").arg(jobName));
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
    const QString taskKey = m_taskKey;
    whenFinished(
        m_client.call(requests::finishTask(jobId, taskKey, finishState, m_form->values())), this,
        [this, jobId, taskKey, finishState](const api::ApiResponse &response) {
            // The answer is about this task: a reload of it meanwhile (the inbox refreshes on
            // every job change) must not swallow it; another task shown since must.
            if (jobId != m_jobId || taskKey != m_taskKey)
                return;
            setBusy(false);
            if (response.ok()) {
                showOutcome(jobId, finishState,
                            finishState == u"failure"_s ? m_failure->text() : m_success->text());
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

void TaskForm::showOutcome(const QString &jobId, const QString &finishState, const QString &button)
{
    const QString taskKey = m_taskKey;
    const QString summary = text(m_controller, "summary");
    const QString name = summary.isEmpty() ? taskKey : summary;
    const QString owner = text(m_controller, "owner");
    const QString by = owner.isEmpty() ? m_currentUser : owner;
    const QString done = pastTense(button, by.isEmpty() ? tr("you") : by,
                                   QLocale().toString(QTime::currentTime(), u"HH:mm"_s));
    // The form is over: its task is no longer "loading", and a new selection starts afresh.
    const quint64 token = ++m_loadToken;
    m_controller = nullptr;
    m_canWork = false;
    m_scroll->hide();
    m_success->hide();
    m_failure->hide();
    m_placeholder->hide();
    m_outcomeJob = jobId;
    auto present = [this, name, done](const QString &next) {
        m_outcomeText->setText(u"<p><b>%1</b></p><p>%2 — %3</p>"_s.arg(
            name.toHtmlEscaped(), done.toHtmlEscaped(), next.toHtmlEscaped()));
        m_outcome->show();
    };
    present(tr("the job moves on."));
    whenFinished(m_client.call(requests::job(jobId)), this,
                 [this, token, present, taskKey, finishState](const api::ApiResponse &response) {
                     if (token != m_loadToken || !response.ok())
                         return; // the first words stand: the finish itself went through
                     present(whereTheJobWent(envelopeData(response), taskKey, finishState));
                 });
}

QString TaskForm::outcomeText() const
{
    return m_outcome->isHidden() ? QString() : m_outcomeText->text();
}

} // namespace flowdeck::ui
