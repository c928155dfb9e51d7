// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/AppPaths.h"

#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>

namespace flowdeck::app {

QString defaultStorePath()
{
    // Spelled out rather than AppDataLocation, which would add the organisation name.
    return QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation) +
           QStringLiteral("/flowdeck/flowdeck.db");
}

bool prepareStoreLocation(const QString &storePath, QString *error)
{
    if (storePath == QStringLiteral(":memory:"))
        return true;
    const QDir dir = QFileInfo(storePath).absoluteDir();
    if (dir.exists() || QDir().mkpath(dir.absolutePath()))
        return true;
    if (error)
        *error = QStringLiteral("cannot create the folder %1").arg(dir.absolutePath());
    return false;
}

QString localUserName()
{
    for (const char *var : {"USER", "LOGNAME", "USERNAME"}) {
        const QString name = qEnvironmentVariable(var);
        if (!name.isEmpty())
            return name;
    }
    return QStringLiteral("local");
}

} // namespace flowdeck::app
