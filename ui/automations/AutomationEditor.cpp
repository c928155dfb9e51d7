// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/automations/AutomationEditor.h"

#include "ui/automations/AutomationRequests.h"
#include "ui/automations/TriggerEditor.h"
#include "ui/client/ConsoleClient.h"
#include "ui/client/JsonFields.h"
#include "ui/client/Requests.h"
#include "ui/forms/Replies.h"
#include "ui/forms/SchemaForm.h"

#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QScrollArea>
#include <QStackedWidget>
#include <QUrl>
#include <QVBoxLayout>

#include <algorithm>

using namespace Qt::StringLiterals;
using nlohmann::json;

namespace flowdeck::ui {
namespace {

const char *const kFields[] = {"name",        "description",    "componentId", "gbac",
                               "webhook_url", "webhook_secret", "runPolicy"};

json positive(const char *title, const char *description, int maximum)
{
    json field = {{"type", "integer"}, {"title", title}, {"minimum", 1}, {"maximum", maximum}};
    if (*description)
        field["description"] = description;
    return field;
}

json runPolicySchema()
{
    constexpr int kSecs = 31'536'000; // RunPolicy's bound: a year
    return {
        {"type", "object"},
        {"title", "Run policy"},
        {"description",
         "How many of its jobs may run and start; an empty field does not limit. A start "
         "it does not admit now waits as a queued job."},
        {"ui:order",
         {"max_concurrency", "concurrency_key", "max_concurrency_per_key", "rate_limit_max",
          "rate_limit_window_secs", "rate_limit_per_key", "timeout_secs", "dedup_window_secs",
          "version_policy"}},
        {"properties",
         {{"max_concurrency",
           positive("Max running", "At most this many of its jobs run at once.", 10'000)},
          {"concurrency_key",
           {{"type", "string"},
            {"title", "Concurrency key"},
            {"examples", {"/device"}},
            {"description", "A JSON pointer into the job's variables: jobs with the same value "
                            "there share a key."}}},
          {"max_concurrency_per_key",
           positive("Max running per key", "Needs a concurrency key.", 10'000)},
          {"rate_limit_max",
           positive("Max starts", "Per rate window; give both or neither.", 1'000'000)},
          {"rate_limit_window_secs", positive("Rate window (s)", "", kSecs)},
          {"rate_limit_per_key",
           {{"type", "boolean"},
            {"title", "Rate limit per key"},
            {"enum", {false, true}},
            {"enumNames", {"no: the whole automation", "yes: per concurrency key"}},
            {"description", "Unchosen: the whole automation."}}},
          {"timeout_secs", positive("Timeout (s)", "A job running longer is canceled.", kSecs)},
          {"dedup_window_secs",
           positive("Dedup window (s)",
                    "A repeated Idempotency-Key within it answers the first job.", kSecs)},
          {"version_policy",
           {{"type", "string"},
            {"title", "Workflow version"},
            {"enum", {"latest", "pin"}},
            {"enumNames", {"latest: as it is now", "pin: as it was when the trigger was saved"}},
            {"description", "Unchosen: latest."}}}}}};
}

api::ApiRequest readAutomation(const QString &id)
{
    api::ApiRequest request;
    request.method = api::Method::Get;
    request.path = "/operations-manager/automations/" + QUrl::toPercentEncoding(id).toStdString();
    return request;
}

QString triggerLine(TriggerEditor *trigger)
{
    const QString name = trigger->name().isEmpty() ? QObject::tr("(no name)") : trigger->name();
    QString line = u"%1 — %2"_s.arg(TriggerEditor::typeLabel(trigger->type().toStdString()), name);
    if (!trigger->isEnabled())
        line += QObject::tr("  (disabled)");
    if (trigger->isNew())
        line += QObject::tr("  (new)");
    if (trigger->hasProblems())
        line = u"⚠ "_s + line;
    return line;
}

} // namespace

json AutomationEditor::formSchema(const json &workflows, bool requireWorkflow)
{
    json workflow = {{"type", "string"},
                     {"title", "Workflow"},
                     {"description", "What each trigger's job runs."}};
    json ids = json::array();
    json names = json::array();
    for (const json &w : workflows) {
        ids.push_back(w.value("_id", json("")));
        names.push_back(w.value("name", json("")));
    }
    if (!ids.empty()) {
        workflow["enum"] = ids;
        workflow["enumNames"] = names;
    } else {
        workflow["description"] = "No workflows in this store: import one first.";
    }
    json required = {"name"};
    if (requireWorkflow)
        required.push_back("componentId");
    return {
        {"type", "object"},
        {"required", required},
        {"ui:order",
         {"name", "description", "componentId", "runPolicy", "webhook_url", "webhook_secret",
          "gbac"}},
        {"properties",
         {{"name",
           {{"type", "string"},
            {"title", "Name"},
            {"minLength", 1},
            {"maxLength", 256},
            {"examples", {"Nightly config backup"}}}},
          {"description", {{"type", "string"}, {"title", "Description"}}},
          {"componentId", workflow},
          {"runPolicy", runPolicySchema()},
          {"webhook_url",
           {{"type", "string"},
            {"title", "Webhook URL"},
            {"examples", {"https://hooks.example.com/flowdeck"}},
            {"description", "When one of its jobs ends, its summary is posted here (http or "
                            "https; no user or password in it)."}}},
          {"webhook_secret",
           {{"type", "string"},
            {"title", "Webhook secret"},
            {"description", "Signs each post (X-Flowdeck-Signature, HMAC-SHA256); at least 16 "
                            "characters. ******** keeps the current one; empty removes it."}}},
          {"gbac",
           {{"type", "object"},
            {"title", "Access (GBAC)"},
            {"description", "Group ids; empty lists: everyone with the permission."},
            {"properties",
             {{"read", {{"type", "array"}, {"title", "May see"}, {"items", {{"type", "string"}}}}},
              {"write",
               {{"type", "array"},
                {"title", "May change"},
                {"items", {{"type", "string"}}}}}}}}}}}};
}

AutomationEditor::AutomationEditor(ConsoleClient &client, json automation, QWidget *parent)
    : QDialog(parent), m_client(client), m_automation(std::move(automation))
{
    if (!m_automation.is_object())
        m_automation = json::object();
    setObjectName(u"automationEditor"_s);
    setWindowTitle(isNew() ? tr("New automation")
                           : tr("Edit “%1”").arg(jsonfields::text(m_automation, "name")));
    auto *layout = new QVBoxLayout(this);
    // Side by side: the automation's fields on the left, its triggers on the right, each
    // scrolling on its own, so both show at once and a problem in either can be scrolled to.
    auto *columns = new QHBoxLayout;
    m_scroll = new QScrollArea(this);
    m_scroll->setWidgetResizable(true);
    m_scroll->setFrameShape(QFrame::NoFrame);
    auto *left = new QWidget(m_scroll);
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 8, 0);
    auto *automationTitle = new QLabel(tr("<b>Automation</b>"), left);
    leftLayout->addWidget(automationTitle);
    m_form = new SchemaForm(left);
    leftLayout->addWidget(m_form);
    leftLayout->addStretch(1);
    m_scroll->setWidget(left);
    columns->addWidget(m_scroll, 1);

    auto *right = new QWidget(this);
    auto *rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(8, 0, 0, 0);
    auto *triggersTitle = new QLabel(tr("<b>Triggers</b> — what starts its jobs"), right);
    rightLayout->addWidget(triggersTitle);
    auto *row = new QHBoxLayout;
    m_triggerList = new QListWidget(right);
    m_triggerList->setObjectName(u"automationEditorTriggers"_s);
    m_triggerList->setFixedHeight(m_triggerList->fontMetrics().lineSpacing() * 5 + 12);
    row->addWidget(m_triggerList, 1);
    auto *buttons = new QVBoxLayout;
    const std::pair<const char *, QString> kinds[] = {{"schedule", tr("Add &schedule")},
                                                      {"endpoint", tr("Add end&point")},
                                                      {"manual", tr("Add &manual")},
                                                      {"eventSystem", tr("Add e&vent")}};
    for (const auto &[type, label] : kinds) {
        auto *add = new QPushButton(label, right);
        add->setObjectName(u"addTrigger_"_s + QString::fromLatin1(type));
        add->setAutoDefault(false);
        connect(add, &QPushButton::clicked, this,
                [this, t = QString::fromLatin1(type)] { addTrigger(t); });
        buttons->addWidget(add);
    }
    m_remove = new QPushButton(tr("&Remove"), right);
    m_remove->setObjectName(u"removeTrigger"_s);
    m_remove->setAutoDefault(false);
    m_remove->setEnabled(false);
    connect(m_remove, &QPushButton::clicked, this, &AutomationEditor::removeTrigger);
    buttons->addWidget(m_remove);
    buttons->addStretch(1);
    row->addLayout(buttons);
    rightLayout->addLayout(row);
    auto *triggerScroll = new QScrollArea(right);
    triggerScroll->setWidgetResizable(true);
    triggerScroll->setFrameShape(QFrame::NoFrame);
    m_triggerStack = new QStackedWidget(triggerScroll);
    m_noTrigger = new QLabel(tr("No triggers: add one to start its jobs on a schedule, from an "
                                "endpoint, on an event or by hand."),
                             m_triggerStack);
    m_noTrigger->setWordWrap(true);
    m_noTrigger->setForegroundRole(QPalette::PlaceholderText);
    m_noTrigger->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    m_triggerStack->addWidget(m_noTrigger);
    triggerScroll->setWidget(m_triggerStack);
    rightLayout->addWidget(triggerScroll, 1);
    connect(m_triggerList, &QListWidget::currentRowChanged, this, [this](int at) {
        m_remove->setEnabled(at >= 0);
        m_triggerStack->setCurrentIndex(at < 0 ? 0 : at + 1);
    });
    columns->addWidget(right, 1);
    layout->addLayout(columns, 1);

    m_problem = new QLabel(this);
    m_problem->setObjectName(u"automationEditorProblem"_s);
    m_problem->setWordWrap(true);
    QPalette warn = m_problem->palette();
    warn.setColor(QPalette::WindowText, QColor(0xd6, 0x45, 0x41));
    m_problem->setPalette(warn);
    m_problem->hide();
    layout->addWidget(m_problem);
    auto *box = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this);
    m_save = box->button(QDialogButtonBox::Save);
    m_save->setObjectName(u"automationEditorSave"_s);
    if (isNew())
        m_save->setText(tr("Create"));
    box->button(QDialogButtonBox::Cancel)->setObjectName(u"automationEditorCancel"_s);
    connect(box, &QDialogButtonBox::accepted, this, &AutomationEditor::save);
    connect(box, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(box);
    resize(1080, 720);

    // Filled once the workflows are in: the workflow field is a choice of them.
    setWorkflows(json::array());
    m_workflowsLoaded = false;
    whenFinished(
        m_client.call(requests::listWorkflows(0, 1000)), this,
        [this](const api::ApiResponse &response) {
            if (!response.ok()) {
                setProblem(tr("The workflows could not be listed: %1").arg(failureText(response)));
                return;
            }
            const json items = response.json.is_object()
                                   ? response.json.value("items", json::array())
                                   : json::array();
            setWorkflows(items);
        });
    // The list's copy may be older than the store (just saved, or changed elsewhere): edit
    // the automation as the engine has it now.
    m_automationLoaded = isNew();
    if (!isNew())
        whenFinished(
            m_client.call(readAutomation(jsonfields::text(m_automation, "_id"))), this,
            [this](const api::ApiResponse &response) {
                if (response.ok() && envelopeData(response).is_object()) {
                    m_automation = envelopeData(response);
                    json values = json::object();
                    for (const char *key : kFields)
                        if (m_automation.contains(key) && !m_automation[key].is_null())
                            values[key] = m_automation[key];
                    if (m_workflowsLoaded)
                        m_form->setValues(values);
                } else {
                    setProblem(
                        tr("The automation could not be read: %1").arg(failureText(response)));
                    return;
                }
                m_automationLoaded = true;
                updateSave();
            });
    m_triggersLoaded = isNew();
    if (!isNew())
        whenFinished(
            m_client.call(requests::triggersOf(jsonfields::text(m_automation, "_id"), 1000)), this,
            [this](const api::ApiResponse &response) {
                if (!response.ok()) {
                    setProblem(
                        tr("Its triggers could not be listed: %1").arg(failureText(response)));
                    return;
                }
                for (const json &t : envelopeData(response))
                    appendTrigger(t);
                if (!m_triggers.empty())
                    m_triggerList->setCurrentRow(0);
                m_triggersLoaded = true;
                updateSave();
            });
    updateSave();
    m_form->focusFirstField();
}

bool AutomationEditor::isNew() const
{
    return !m_automation.contains("_id");
}

void AutomationEditor::setWorkflows(const json &workflows)
{
    json choices = workflows;
    // A stored automation whose workflow is gone still shows what it names.
    const json current = m_automation.value("componentId", json());
    if (current.is_string()) {
        bool listed = false;
        for (const json &w : choices)
            listed = listed || w.value("_id", json()) == current;
        if (!listed)
            choices.push_back({{"_id", current},
                               {"name", tr("(missing workflow %1)")
                                            .arg(QString::fromStdString(current.get<std::string>()))
                                            .toStdString()}});
    }
    // Keep what was typed while the list loaded.
    json values = m_workflowsLoaded || isNew() ? m_form->values() : json::object();
    if (!m_workflowsLoaded && !isNew())
        for (const char *key : kFields)
            if (m_automation.contains(key) && !m_automation[key].is_null())
                values[key] = m_automation[key];
    m_form->setSchema(formSchema(choices, isNew()));
    m_form->setValues(values);
    if (auto *secret = qobject_cast<QLineEdit *>(m_form->editor(u"webhook_secret"_s)))
        secret->setEchoMode(QLineEdit::PasswordEchoOnEdit);
    m_workflowsLoaded = true;
    updateSave();
}

TriggerEditor *AutomationEditor::appendTrigger(const json &trigger)
{
    auto *editor = new TriggerEditor(m_client, trigger, m_triggerStack);
    m_triggers.push_back(editor);
    m_triggerStack->addWidget(editor);
    auto *item = new QListWidgetItem(m_triggerList);
    Q_UNUSED(item);
    updateTriggerItem(editor);
    connect(editor, &TriggerEditor::edited, this, [this, editor] { updateTriggerItem(editor); });
    return editor;
}

void AutomationEditor::updateTriggerItem(TriggerEditor *trigger)
{
    const auto at = std::find(m_triggers.begin(), m_triggers.end(), trigger);
    if (at == m_triggers.end())
        return;
    m_triggerList->item(int(at - m_triggers.begin()))->setText(triggerLine(trigger));
}

TriggerEditor *AutomationEditor::currentTrigger() const
{
    const int row = m_triggerList->currentRow();
    return row >= 0 && row < int(m_triggers.size()) ? m_triggers[std::size_t(row)] : nullptr;
}

void AutomationEditor::addTrigger(const QString &type)
{
    TriggerEditor *editor = appendTrigger({{"type", type.toStdString()}});
    m_triggerList->setCurrentRow(int(m_triggers.size()) - 1);
    editor->form()->focusFirstField();
}

void AutomationEditor::removeTrigger()
{
    const int row = m_triggerList->currentRow();
    if (row < 0 || row >= int(m_triggers.size()))
        return;
    TriggerEditor *editor = m_triggers[std::size_t(row)];
    if (!editor->isNew())
        m_deleted.push_back(editor->triggerId().toStdString());
    m_triggers.erase(m_triggers.begin() + row);
    delete m_triggerList->takeItem(row);
    m_triggerStack->removeWidget(editor);
    editor->deleteLater();
    m_triggerStack->setCurrentIndex(m_triggerList->currentRow() + 1);
}

void AutomationEditor::updateSave()
{
    m_save->setEnabled(isLoaded() && !m_saving);
}

QString AutomationEditor::problemText() const
{
    return m_problem->isHidden() ? QString() : m_problem->text();
}

void AutomationEditor::setProblem(const QString &text)
{
    m_problem->setText(text);
    m_problem->setVisible(!text.isEmpty());
}

json AutomationEditor::automationChanges() const
{
    const json now = m_form->values();
    json body = json::object();
    if (isNew()) {
        body = now;
        body["componentType"] = "workflows";
        return body;
    }
    for (const char *key : kFields) {
        const json before = m_automation.value(key, json());
        const bool had = !before.is_null() && before != "" && before != json::object();
        if (now.contains(key)) {
            if (now[key] != before)
                body[key] = now[key];
        } else if (had) {
            // An emptied field removes the value: the description becomes "", the webhook
            // and its secret go, the run policy goes.
            body[key] = std::string(key) == "description" ? json("") : json();
        }
    }
    body["_id"] = m_automation["_id"];
    return body;
}

void AutomationEditor::save()
{
    if (!isLoaded() || m_saving)
        return;
    setProblem({});
    m_form->clearProblems();
    // Every form is checked before anything is sent; the first problem is shown.
    TriggerEditor *firstBad = nullptr;
    for (TriggerEditor *t : m_triggers) {
        t->clearProblems();
        if (!t->validate() && !firstBad)
            firstBad = t;
        updateTriggerItem(t);
    }
    const bool automationOk = m_form->validate().isEmpty();
    if (!automationOk || firstBad) {
        if (automationOk && firstBad) {
            m_triggerList->setCurrentRow(int(
                std::find(m_triggers.begin(), m_triggers.end(), firstBad) - m_triggers.begin()));
            firstBad->validate();
        }
        setProblem(tr("Not saved: fix the fields marked below."));
        return;
    }
    json body = {{"automation", automationChanges()}};
    json triggers = json::array();
    std::vector<TriggerEditor *> sent;
    for (TriggerEditor *t : m_triggers)
        if (auto part = t->body()) {
            triggers.push_back(*part);
            sent.push_back(t);
        }
    if (!triggers.empty())
        body["triggers"] = std::move(triggers);
    if (!m_deleted.empty())
        body["deleteTriggers"] = m_deleted;
    api::ApiRequest request;
    request.method = api::Method::Post;
    request.path = "/operations-manager/automations/save";
    request.body = std::move(body);
    m_saving = true;
    updateSave();
    whenFinished(
        m_client.call(std::move(request)), this, [this, sent](const api::ApiResponse &response) {
            m_saving = false;
            updateSave();
            if (!response.ok()) {
                const json details =
                    response.json.is_object() ? response.json.value("details", json()) : json();
                const int total = details.is_array() ? int(details.size()) : 0;
                const int placed = showProblems(details, sent);
                // What found its field is said there; the engine's own message covers the
                // rest (a permission, a trigger deleted meanwhile).
                QString text = placed > 0 ? tr("Nothing was saved: %n problem(s), each shown "
                                               "at its field.",
                                               nullptr, placed)
                                          : tr("Nothing was saved.");
                if (placed < total || total == 0)
                    text += u" "_s + failureText(response);
                setProblem(text);
                return;
            }
            m_automation = envelopeData(response).value("automation", json::object());
            Q_EMIT saved(m_automation);
            accept();
        });
}

int AutomationEditor::showProblems(const json &details, const std::vector<TriggerEditor *> &sent)
{
    if (!details.is_array())
        return 0;
    int placed = 0;
    // Split by part: "/automation/…" is the automation's form, "/triggers/<i>/…" the i-th
    // trigger sent; each form then places its own pointers.
    json forAutomation = json::array();
    std::vector<json> forTrigger(sent.size(), json::array());
    for (const json &detail : details) {
        if (!detail.is_object() || !detail.value("instancePath", json()).is_string())
            continue;
        const QString path = QString::fromStdString(detail["instancePath"].get<std::string>());
        json local = detail;
        if (path.startsWith(u"/automation/"_s) || path == u"/automation"_s) {
            local["instancePath"] = path.mid(11).toStdString();
            forAutomation.push_back(local);
        } else if (path.startsWith(u"/triggers/"_s)) {
            const QString rest = path.mid(10);
            const qsizetype slash = rest.indexOf(u'/');
            bool ok = false;
            const int index = rest.left(slash < 0 ? rest.size() : slash).toInt(&ok);
            if (ok && index >= 0 && index < int(sent.size())) {
                local["instancePath"] = slash < 0 ? std::string() : rest.mid(slash).toStdString();
                forTrigger[std::size_t(index)].push_back(local);
            }
        }
    }
    TriggerEditor *first = nullptr;
    for (std::size_t i = 0; i < sent.size(); ++i)
        if (!forTrigger[i].empty() &&
            std::find(m_triggers.begin(), m_triggers.end(), sent[i]) != m_triggers.end()) {
            placed += sent[i]->showProblems(forTrigger[i]);
            updateTriggerItem(sent[i]);
            if (!first)
                first = sent[i];
        }
    if (first) {
        // Show the first trigger with a problem and bring its field into view, unless the
        // automation's own form has one: that is above it.
        m_triggerList->setCurrentRow(
            int(std::find(m_triggers.begin(), m_triggers.end(), first) - m_triggers.begin()));
        json again = json::array();
        for (std::size_t i = 0; i < sent.size(); ++i)
            if (sent[i] == first)
                again = forTrigger[i];
        first->showProblems(again);
    }
    if (!forAutomation.empty())
        placed += m_form->showProblems(forAutomation);
    return placed;
}

} // namespace flowdeck::ui
