// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/forms/TimeText.h"

#include <QCoreApplication>

using namespace Qt::StringLiterals;

namespace flowdeck::ui::timetext {

std::optional<QDateTime> moment(const nlohmann::json &value)
{
    if (value.is_number()) {
        const auto ms = value.get<qint64>();
        if (ms <= 0)
            return std::nullopt;
        return QDateTime::fromMSecsSinceEpoch(ms);
    }
    if (value.is_string()) {
        QDateTime when = QDateTime::fromString(QString::fromStdString(value.get<std::string>()),
                                               Qt::ISODateWithMs);
        if (when.isValid())
            return when;
    }
    return std::nullopt;
}

QString age(const QDateTime &since, const QDateTime &now)
{
    const qint64 seconds = std::max<qint64>(0, since.secsTo(now));
    if (seconds < 60)
        return QCoreApplication::translate("TimeText", "just now");
    const qint64 minutes = seconds / 60;
    if (minutes < 60)
        return QCoreApplication::translate("TimeText", "%1 min").arg(minutes);
    const qint64 hours = minutes / 60;
    if (hours < 24)
        return minutes % 60 ? QCoreApplication::translate("TimeText", "%1 h %2 min")
                                  .arg(hours)
                                  .arg(minutes % 60)
                            : QCoreApplication::translate("TimeText", "%1 h").arg(hours);
    return QCoreApplication::translate("TimeText", "%1 d").arg(hours / 24);
}

QString moment(const QDateTime &when, const QDateTime &now)
{
    const QDateTime local = when.toLocalTime();
    const QDate today = now.toLocalTime().date();
    const QString time = local.time().toString(u"HH:mm"_s);
    if (local.date() == today)
        return QCoreApplication::translate("TimeText", "today %1").arg(time);
    if (local.date() == today.addDays(-1))
        return QCoreApplication::translate("TimeText", "yesterday %1").arg(time);
    if (local.date() == today.addDays(1))
        return QCoreApplication::translate("TimeText", "tomorrow %1").arg(time);
    return local.toString(u"yyyy-MM-dd HH:mm"_s);
}

} // namespace flowdeck::ui::timetext
