// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/jobs/JobHistory.h"
#include "ui/client/JsonFields.h"

#include "ui/jobs/EventsPage.h"
#include "ui/jobs/JobStatus.h"

#include <QCoreApplication>

#include <algorithm>

namespace flowdeck::ui::jobhistory {

using namespace Qt::StringLiterals;
using jsonfields::millis;
using nlohmann::json;

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("JobHistory", text);
}

QString finishWords(const QString &finishState)
{
    if (finishState == u"success"_s)
        return tr("succeeded");
    if (finishState == u"failure"_s)
        return tr("failed");
    if (finishState == u"error"_s)
        return tr("ended in an error");
    return tr("finished");
}

} // namespace

QString errorText(const json &error)
{
    if (error.is_string())
        return QString::fromStdString(error.get<std::string>());
    if (error.is_object()) {
        if (error.contains("IAPerror") && error["IAPerror"].is_object()) {
            const QString display = jsonfields::text(error["IAPerror"], "displayString");
            if (!display.isEmpty())
                return display;
        }
        for (const char *key : {"displayString", "message", "error"}) {
            const auto it = error.find(key);
            if (it != error.end())
                return errorText(*it);
        }
    }
    return error.is_null() ? QString() : QString::fromStdString(error.dump());
}

QString taskName(const json &task, const QString &key)
{
    for (const char *field : {"summary", "name"}) {
        const QString text = jsonfields::text(task, field);
        if (!text.isEmpty())
            return text;
    }
    return key;
}

QVector<HistoryEntry> fromEvents(const json &job, const json &events)
{
    QVector<HistoryEntry> out;
    const QString jobId = jsonfields::text(job, "_id");
    const QString jobName = jsonfields::text(job, "name");
    const json tasks = job.value("tasks", json::object());
    if (jsonfields::text(job, "status") == u"running"_s && tasks.is_object())
        for (auto it = tasks.begin(); it != tasks.end(); ++it) {
            const json &task = *it;
            if (!task.is_object() || jsonfields::text(task, "type") != u"manual"_s ||
                jsonfields::text(task, "status") != u"running"_s)
                continue;
            const QString key = QString::fromStdString(it.key());
            const QString owner = jsonfields::text(task, "owner");
            const QString name = taskName(task, key);
            out.append({millis(task.value("metrics", json::object()), "start_time"), jobId, jobName,
                        key, u"running"_s,
                        owner.isEmpty() ? tr("“%1” is waiting for an operator").arg(name)
                                        : tr("“%1” is being worked by %2").arg(name, owner)});
        }
    if (!events.is_array())
        return out;
    for (const json &event : events) {
        const EventsPage::Line line = EventsPage::describe(event);
        if (!line.shown)
            continue;
        const json at = event.is_object() ? event.value("at", json()) : json();
        out.append({at.is_number_integer() ? at.get<qint64>() : 0, jobId, jobName,
                    jsonfields::text(event.value("data", json::object()), "task"), line.status,
                    line.text});
    }
    return out;
}

QVector<HistoryEntry> fromDocument(const json &job)
{
    QVector<HistoryEntry> out;
    if (!job.is_object())
        return out;
    const QString jobId = jsonfields::text(job, "_id");
    const QString jobName = jsonfields::text(job, "name");
    auto add = [&](qint64 at, const QString &task, const QString &status, const QString &text) {
        if (at > 0)
            out.append({at, jobId, jobName, task, status, text});
    };

    const json metrics = job.value("metrics", json::object());
    const QString user = jsonfields::text(metrics, "user");
    add(millis(metrics, "start_time"), {}, u"running"_s,
        user.isEmpty() ? tr("Job started") : tr("Job started by %1").arg(user));

    const json tasks = job.value("tasks", json::object());
    if (tasks.is_object()) {
        for (auto it = tasks.begin(); it != tasks.end(); ++it) {
            const QString key = QString::fromStdString(it.key());
            if (key == u"workflow_start"_s || key == u"workflow_end"_s || !it->is_object())
                continue;
            const json &task = *it;
            const QString name = taskName(task, key);
            const QString status = jsonfields::text(task, "status");
            const json tm = task.value("metrics", json::object());
            const QString owner = jsonfields::text(task, "owner");
            const bool manual = jsonfields::text(task, "type") == u"manual"_s;
            QString started = tr("“%1” started").arg(name);
            if (manual && status == u"running"_s)
                started = owner.isEmpty() ? tr("“%1” is waiting for an operator").arg(name)
                                          : tr("“%1” is being worked by %2").arg(name, owner);
            add(millis(tm, "start_time"), key,
                manual && status == u"running"_s ? status : u"running"_s, started);
            const qint64 end = millis(tm, "end_time");
            if (end > 0) {
                const QString finish = jsonfields::text(task, "finish_state").isEmpty()
                                           ? jsonfields::text(tm, "finish_state")
                                           : jsonfields::text(task, "finish_state");
                QString text = tr("“%1” %2").arg(name, finishWords(finish));
                if (manual && !owner.isEmpty())
                    text += tr(" (worked by %1)").arg(owner);
                add(end, key, status, text);
            }
        }
    }

    const json errors = job.value("error", json::array());
    if (errors.is_array()) {
        for (const json &error : errors) {
            const QString key = jsonfields::text(error, "task");
            const json task = tasks.is_object() && !key.isEmpty()
                                  ? tasks.value(key.toStdString(), json::object())
                                  : json::object();
            const QString where =
                key.isEmpty() ? QString() : tr(" in “%1”").arg(taskName(task, key));
            add(millis(error, "timestamp"), key, u"error"_s,
                tr("Error%1: %2").arg(where, errorText(error.value("message", json()))));
        }
    }

    const QString status = jsonfields::text(job, "status");
    const qint64 end = millis(metrics, "end_time");
    if (end > 0)
        add(end, {}, status, tr("Job %1").arg(jobstatus::label(status).toLower()));

    // Newest first; at equal times the later fact (a finish after its start) goes on top.
    std::reverse(out.begin(), out.end());
    std::stable_sort(out.begin(), out.end(),
                     [](const HistoryEntry &a, const HistoryEntry &b) { return a.at > b.at; });
    return out;
}

} // namespace flowdeck::ui::jobhistory
