// SPDX-License-Identifier: GPL-3.0-or-later
// What happened to a job, in plain words, read from its document: when it started and by
// whom, when each task started and how it finished, who holds a manual task, the errors the
// engine recorded and how the job ended. The job detail's History tab and the Events page
// show these entries newest first. GUI thread.
#pragma once

#include <QString>
#include <QVector>

#include <nlohmann/json.hpp>

namespace flowdeck::ui {

struct HistoryEntry
{
    qint64 at = 0; ///< ms since the epoch
    QString jobId;
    QString jobName;
    QString taskKey; ///< empty for entries about the whole job
    QString status;  ///< the job or task status the entry left behind (for its icon)
    QString text;
};

namespace jobhistory {

/// Every entry the document supports, newest first; entries without a time are left out.
/// The document keeps only each task's last run: the job's event log (fromEvents) tells
/// every run, pause, claim and assignment; this is for when the log cannot be read.
QVector<HistoryEntry> fromDocument(const nlohmann::json &job);
/// The job's story from its event log (GET /events?jobId=, newest first), worded as the
/// Events page words it, under the manual tasks that wait for a person right now (which the
/// document knows and no event says).
QVector<HistoryEntry> fromEvents(const nlohmann::json &job, const nlohmann::json &events);
/// An engine error as an operator reads it: a string as is, an object's IAPerror.displayString
/// or message, anything else as compact JSON.
QString errorText(const nlohmann::json &error);
/// A task's name as the canvas shows it: its summary, else its method name, else its key.
QString taskName(const nlohmann::json &task, const QString &key);

} // namespace jobhistory

} // namespace flowdeck::ui
