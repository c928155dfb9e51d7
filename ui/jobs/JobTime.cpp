// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/jobs/JobTime.h"

#include <QCoreApplication>
#include <QDateTime>

namespace flowdeck::ui::jobtime {

using namespace Qt::StringLiterals;

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("JobTime", text);
}
} // namespace

QString timestamp(qint64 msSinceEpoch)
{
    if (msSinceEpoch <= 0)
        return {};
    // ISO order: it sorts, aligns in a column and reads the same in every locale.
    return QDateTime::fromMSecsSinceEpoch(msSinceEpoch).toString(u"yyyy-MM-dd HH:mm"_s);
}

QString preciseTimestamp(qint64 msSinceEpoch)
{
    if (msSinceEpoch <= 0)
        return {};
    return QDateTime::fromMSecsSinceEpoch(msSinceEpoch).toString(u"yyyy-MM-dd HH:mm:ss.zzz"_s);
}

QString duration(qint64 ms)
{
    if (ms < 0)
        return {};
    if (ms < 1000)
        return tr("%1 ms").arg(ms);
    const qint64 s = ms / 1000;
    if (s < 60)
        return tr("%1 s").arg(s);
    if (s < 3600)
        return tr("%1 min %2 s").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
    if (s < 86400)
        return tr("%1 h %2 min").arg(s / 3600).arg((s % 3600) / 60, 2, 10, QLatin1Char('0'));
    return tr("%1 d %2 h").arg(s / 86400).arg((s % 86400) / 3600);
}

} // namespace flowdeck::ui::jobtime
