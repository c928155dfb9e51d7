// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/automations/TriggerEditor.h"

#include "ui/client/ConsoleClient.h"
#include "ui/client/JsonFields.h"
#include "ui/forms/Replies.h"
#include "ui/forms/SchemaForm.h"

#include <QDateTime>
#include <QLabel>
#include <QTimeZone>
#include <QTimer>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;
using nlohmann::json;

namespace flowdeck::ui {
namespace {

constexpr int kPreviewCount = 5;

/// Epoch ms as the form shows firstRunAt: ISO 8601 in UTC, to the minute when it is one.
QString isoText(const json &ms)
{
    if (!ms.is_number_integer())
        return {};
    const QDateTime t = QDateTime::fromMSecsSinceEpoch(ms.get<qint64>(), QTimeZone::utc());
    return t.toString(t.time().second() == 0 && t.time().msec() == 0 ? u"yyyy-MM-ddTHH:mmZ"_s
                                                                     : u"yyyy-MM-ddTHH:mm:ssZ"_s);
}

/// ISO 8601 text ("2026-12-08T02:00Z", "2026-12-08 02:00"; UTC without an offset) as epoch ms.
std::optional<qint64> parseIso(QString text)
{
    text = text.trimmed();
    if (text.size() > 10 && text[10] == u' ')
        text[10] = u'T';
    QDateTime t = QDateTime::fromString(text, Qt::ISODateWithMs);
    if (!t.isValid())
        return std::nullopt;
    if (t.timeSpec() == Qt::LocalTime)
        t.setTimeZone(QTimeZone::utc());
    return t.toMSecsSinceEpoch();
}

json common()
{
    return {{"name",
             {{"type", "string"},
              {"title", "Name"},
              {"minLength", 1},
              {"examples", {"Nightly at 02:00"}}}},
            {"description", {{"type", "string"}, {"title", "Description"}}},
            {"enabled",
             {{"type", "boolean"},
              {"title", "Enabled"},
              {"default", true},
              {"description", "A disabled trigger is kept but starts nothing."}}}};
}

json formData()
{
    return {{"type", "object"},
            {"title", "Form data"},
            {"description", "The job's variables (as formData): defaults a run may override."}};
}

} // namespace

QString TriggerEditor::typeLabel(const std::string &type)
{
    if (type == "manual")
        return tr("Manual");
    if (type == "endpoint")
        return tr("Endpoint");
    if (type == "schedule")
        return tr("Schedule");
    if (type == "eventSystem")
        return tr("Event");
    return QString::fromStdString(type);
}

json TriggerEditor::formSchema(const std::string &type)
{
    json properties = common();
    json order = {"name", "description", "enabled"};
    json required = {"name"};
    auto add = [&](const char *key, json field) {
        properties[key] = std::move(field);
        order.push_back(key);
    };
    if (type == "manual") {
        add("formData", formData());
    } else if (type == "endpoint") {
        add("routeName",
            {{"type", "string"},
             {"title", "Route name"},
             {"pattern", "^[A-Za-z0-9_-]{1,128}$"},
             {"examples", {"port-turnup"}},
             {"description", "POST /operations-manager/triggers/endpoint/<route name> starts a "
                             "job; letters, digits, - and _."}});
        add("schema", {{"type", "object"},
                       {"title", "Body schema"},
                       {"description", "A JSON Schema the body must pass; empty takes any body."}});
        add("jst", {{"type", "string"},
                    {"title", "JST"},
                    {"description", "The _id of a stored JST that turns the body into the "
                                    "job's variables; empty passes the body as it is."}});
        required.push_back("routeName");
    } else if (type == "schedule") {
        add("cron", {{"type", "string"},
                     {"title", "Cron"},
                     {"examples", {"0 2 * * MON-FRI"}},
                     {"description", "minute hour day month weekday (or 6 fields with seconds; "
                                     "@daily, L, 5L, MON#2). Or leave it empty and repeat from "
                                     "the first run below."}});
        add("timezone", {{"type", "string"},
                         {"title", "Time zone"},
                         {"examples", {"Europe/Berlin"}},
                         {"description", "The IANA zone the cron reads its times in; UTC when "
                                         "empty."}});
        add("firstRunAt", {{"type", "string"},
                           {"title", "First run (UTC)"},
                           {"examples", {"2026-12-08T02:00Z"}},
                           {"description", "ISO 8601; required without cron. With cron, nothing "
                                           "fires before it."}});
        add("repeatUnit", {{"type", "string"},
                           {"title", "Repeat every"},
                           {"enum", {"minute", "hour", "day", "week"}},
                           {"enumNames", {"minute(s)", "hour(s)", "day(s)", "week(s)"}},
                           {"description", "Without cron: the unit of the interval; leave "
                                           "unchosen to run once."}});
        add("repeatFrequency",
            {{"type", "integer"}, {"title", "How many"}, {"minimum", 1}, {"examples", {6}}});
        add("processMissedRuns",
            {{"type", "string"},
             {"title", "Missed runs"},
             {"enum", {"none", "last", "all"}},
             {"enumNames",
              {"none: skip them", "last: run the newest once", "all: run each (up to the cap)"}},
             {"description", "What happens to the runs due while Flowdeck was down."}});
        add("maxMissedRuns", {{"type", "integer"},
                              {"title", "Missed runs cap"},
                              {"minimum", 1},
                              {"maximum", 1000},
                              {"description", "With \"all\": at most this many (10 when empty)."}});
        add("formData", formData());
    } else if (type == "eventSystem") {
        add("source", {{"type", "string"},
                       {"title", "Source"},
                       {"examples", {"@itential/app-operations_manager"}}});
        add("topic", {{"type", "string"}, {"title", "Topic"}, {"examples", {"jobStatusChanged"}}});
        add("schema", {{"type", "object"},
                       {"title", "Filter schema"},
                       {"description", "A JSON Schema the event's payload must pass to start a "
                                       "job; empty takes every event of the topic."}});
        add("jst", {{"type", "string"},
                    {"title", "JST"},
                    {"description", "The _id of a stored JST that turns the payload into the "
                                    "job's variables."}});
        required.push_back("source");
        required.push_back("topic");
    }
    return {{"type", "object"},
            {"required", required},
            {"ui:order", order},
            {"properties", properties}};
}

TriggerEditor::TriggerEditor(ConsoleClient &client, json trigger, QWidget *parent)
    : QWidget(parent), m_client(client), m_trigger(std::move(trigger)),
      m_type(m_trigger.value("type", std::string("manual")))
{
    setObjectName(u"triggerEditor"_s);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_form = new SchemaForm(this);
    const json schema = formSchema(m_type);
    m_form->setSchema(schema);
    json values = json::object();
    for (const auto &[key, field] : schema["properties"].items())
        if (m_trigger.contains(key) && !m_trigger[key].is_null())
            values[key] =
                key == "firstRunAt" ? json(isoText(m_trigger[key]).toStdString()) : m_trigger[key];
    m_form->setValues(values);
    layout->addWidget(m_form);
    layout->addStretch(1); // a short form keeps its fields together at the top
    connect(m_form, &SchemaForm::edited, this, &TriggerEditor::edited);
    if (m_type == "schedule") {
        m_preview = new QLabel(this);
        m_preview->setObjectName(u"triggerPreview"_s);
        m_preview->setWordWrap(true);
        m_preview->setTextInteractionFlags(Qt::TextSelectableByMouse);
        m_preview->setFrameShape(QFrame::StyledPanel);
        m_preview->setMargin(6);
        // Above the fields: what the schedule means is the first thing to read, and it stays
        // in view while the cron and zone are typed.
        layout->insertWidget(0, m_preview);
        m_previewTimer = new QTimer(this);
        m_previewTimer->setSingleShot(true);
        m_previewTimer->setInterval(300); // typing a cron: ask once it pauses
        connect(m_previewTimer, &QTimer::timeout, this, &TriggerEditor::requestPreview);
        connect(m_form, &SchemaForm::edited, this, &TriggerEditor::schedulePreview);
        requestPreview();
    }
}

QString TriggerEditor::triggerId() const
{
    return jsonfields::text(m_trigger, "_id");
}

QString TriggerEditor::name() const
{
    const json v = m_form->values();
    return v.value("name", json()).is_string()
               ? QString::fromStdString(v["name"].get<std::string>())
               : QString();
}

bool TriggerEditor::isEnabled() const
{
    return m_form->values().value("enabled", json(true)) != json(false);
}

QString TriggerEditor::previewText() const
{
    return m_preview ? m_preview->text() : QString();
}

json TriggerEditor::currentValues() const
{
    json v = m_form->values();
    if (v.contains("firstRunAt") && v["firstRunAt"].is_string()) {
        if (auto ms = parseIso(QString::fromStdString(v["firstRunAt"].get<std::string>())))
            v["firstRunAt"] = *ms;
    }
    return v;
}

bool TriggerEditor::validate()
{
    m_hasProblems = !m_form->validate().isEmpty();
    const json v = m_form->values();
    if (v.contains("firstRunAt") &&
        !parseIso(QString::fromStdString(v["firstRunAt"].get<std::string>()))) {
        m_form->showProblems(json::array(
            {{{"instancePath", "/firstRunAt"},
              {"message",
               tr("not a date and time: write it as 2026-12-08T02:00Z").toStdString()}}}));
        m_hasProblems = true;
    }
    return !m_hasProblems;
}

std::optional<json> TriggerEditor::body() const
{
    const json now = currentValues();
    if (isNew()) {
        json out = now;
        out["type"] = m_type;
        return out;
    }
    json out = json::object();
    const json schema = formSchema(m_type); // kept: items() must not outlive it
    for (const auto &[key, field] : schema["properties"].items()) {
        const json before = m_trigger.value(key, json());
        if (now.contains(key)) {
            if (now[key] != before)
                out[key] = now[key];
        } else if (!before.is_null()) {
            out[key] = nullptr; // emptied: the engine removes the field
        }
    }
    if (m_type == "schedule") {
        // The stored interval follows its unit and frequency; with cron there is none.
        const bool intervalChanged = out.contains("repeatUnit") || out.contains("repeatFrequency");
        const bool cron = now.value("cron", json()).is_string();
        if ((intervalChanged || cron) && !m_trigger.value("repeatInterval", json()).is_null())
            out["repeatInterval"] = nullptr;
        if (cron)
            for (const char *key : {"repeatUnit", "repeatFrequency"})
                if (!m_trigger.value(key, json()).is_null())
                    out[key] = nullptr;
    }
    if (out.empty())
        return std::nullopt;
    out["_id"] = triggerId().toStdString();
    return out;
}

int TriggerEditor::showProblems(const json &details)
{
    m_hasProblems = true;
    return m_form->showProblems(details);
}

void TriggerEditor::clearProblems()
{
    m_hasProblems = false;
    m_form->clearProblems();
}

void TriggerEditor::schedulePreview()
{
    m_previewTimer->start();
}

void TriggerEditor::requestPreview()
{
    const json v = currentValues();
    json body = json::object();
    if (v.value("cron", json()).is_string()) {
        body["cron"] = v["cron"];
        if (v.contains("timezone"))
            body["timezone"] = v["timezone"];
        if (v.value("firstRunAt", json()).is_number_integer())
            body["firstRunAt"] = v["firstRunAt"];
    } else if (v.value("firstRunAt", json()).is_number_integer()) {
        body["firstRunAt"] = v["firstRunAt"];
        for (const char *key : {"repeatUnit", "repeatFrequency"})
            if (v.contains(key))
                body[key] = v[key];
    } else {
        m_preview->setText(tr("Next runs: give a cron expression, or a first run (and how "
                              "often it repeats)."));
        return;
    }
    body["count"] = kPreviewCount;
    api::ApiRequest request;
    request.method = api::Method::Post;
    request.path = "/operations-manager/triggers/schedule/preview";
    request.body = std::move(body);
    const quint64 token = ++m_previewToken;
    const QString zoneName =
        v.value("timezone", json()).is_string() && v.value("cron", json()).is_string()
            ? QString::fromStdString(v["timezone"].get<std::string>())
            : u"UTC"_s;
    whenFinished(
        m_client.call(std::move(request)), this,
        [this, token, zoneName](const api::ApiResponse &response) {
            if (token != m_previewToken)
                return; // a later edit asked again
            if (!response.ok()) {
                m_preview->setText(tr("Next runs: none — %1").arg(failureText(response)));
                return;
            }
            const json upcoming = envelopeData(response).value("upcoming", json::array());
            if (upcoming.empty()) {
                m_preview->setText(tr("Next runs: none — it will not fire again."));
                return;
            }
            const QTimeZone zone(zoneName.toUtf8());
            QStringList lines;
            for (const json &ms : upcoming) {
                const QDateTime t = QDateTime::fromMSecsSinceEpoch(
                    ms.get<qint64>(), zone.isValid() ? zone : QTimeZone::utc());
                lines << t.toString(u"ddd yyyy-MM-dd HH:mm"_s) + u" "_s + zone.abbreviation(t);
            }
            m_preview->setText(
                tr("Next %1 runs (%2):\n%3").arg(lines.size()).arg(zoneName, lines.join(u'\n')));
        });
}

} // namespace flowdeck::ui
