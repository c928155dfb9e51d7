// SPDX-License-Identifier: GPL-3.0-or-later
#include "tests/support/TestPaths.h"

#include <QFile>
#include <QFileInfo>

namespace flowdeck::test {

QString sourceDir()
{
    const QString env = qEnvironmentVariable("FLOWDECK_SOURCE_DIR");
    if (!env.isEmpty())
        return env;
    // tests/support/TestPaths.cpp → the root is two folders up.
    return QFileInfo(QString::fromUtf8(__FILE__)).absolutePath() + QStringLiteral("/../..");
}

QString sourcePath(const QString &relative)
{
    return sourceDir() + u'/' + relative;
}

QByteArray readFile(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return f.readAll();
}

} // namespace flowdeck::test
