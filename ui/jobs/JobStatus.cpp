// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/jobs/JobStatus.h"

#include <QCoreApplication>
#include <QHash>

namespace flowdeck::ui::jobstatus {

using namespace Qt::StringLiterals;

namespace {

struct Look
{
    const char *label;
    QRgb color; ///< the canvas's hue for the same state (ui/canvas/CanvasStyle.cpp)
};

const QHash<QString, Look> &looks()
{
    static const QHash<QString, Look> table{
        {u"running"_s, {QT_TRANSLATE_NOOP("JobStatus", "Running"), 0x2f6fd6}},
        // Not an engine status: a running job with a manual task nobody has claimed.
        {u"waiting"_s, {QT_TRANSLATE_NOOP("JobStatus", "Waiting for an operator"), 0xb7791f}},
        {u"paused"_s, {QT_TRANSLATE_NOOP("JobStatus", "Paused"), 0x6b7a99}},
        // Not started yet: its automation's runPolicy holds it (the job says why, statusReason).
        {u"queued"_s, {QT_TRANSLATE_NOOP("JobStatus", "Queued"), 0x7a5fc4}},
        {u"error"_s, {QT_TRANSLATE_NOOP("JobStatus", "Error"), 0xcf3a3a}},
        {u"complete"_s, {QT_TRANSLATE_NOOP("JobStatus", "Complete"), 0x2e8b57}},
        {u"canceled"_s, {QT_TRANSLATE_NOOP("JobStatus", "Canceled"), 0x7d8591}},
        {u"incomplete"_s, {QT_TRANSLATE_NOOP("JobStatus", "Incomplete"), 0x9aa1ab}},
    };
    return table;
}

} // namespace

QStringList all()
{
    return {u"queued"_s, u"running"_s,  u"waiting"_s,  u"paused"_s,
            u"error"_s,  u"complete"_s, u"canceled"_s, u"incomplete"_s};
}

QString label(const QString &status)
{
    const auto it = looks().constFind(status);
    return it == looks().cend() ? status : QCoreApplication::translate("JobStatus", it->label);
}

QIcon icon(const QString &status)
{
    static QHash<QString, QIcon> cache;
    const QString key = looks().contains(status) ? status : u"incomplete"_s;
    auto it = cache.find(key);
    if (it == cache.end())
        it = cache.insert(key, QIcon(u":/icons/job-%1.svg"_s.arg(key)));
    return *it;
}

QColor color(const QString &status)
{
    const auto it = looks().constFind(status);
    return QColor::fromRgb(it == looks().cend() ? 0x9aa1ab : it->color);
}

bool isFinished(const QString &status)
{
    return status == u"complete"_s || status == u"canceled"_s;
}

} // namespace flowdeck::ui::jobstatus
