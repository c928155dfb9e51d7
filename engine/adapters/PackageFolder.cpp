// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/adapters/PackageFolder.h"

#include "engine/model/JsonParse.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>

namespace flowdeck::adapters {

using nlohmann::json;

namespace {

/// Files larger than this are refused: no part of a package is near it (the largest
/// adapter.js seen is about 1.5 MB), and a definition lives in one store row.
constexpr qint64 kMaxPackageFile = 8 * 1024 * 1024;
constexpr qint64 kMaxPackageTotal = 64 * 1024 * 1024;

} // namespace

Result<json> readItentialPackage(const std::string &folder)
{
    const QDir dir(QString::fromStdString(folder));
    if (!dir.exists())
        return Error::invalid(folder + ": no such folder");
    if (!dir.exists(QStringLiteral("pronghorn.json")))
        return Error::invalid(folder +
                              ": not an Itential adapter package (it has no pronghorn.json)");
    json files = json::object();
    qint64 total = 0;
    std::vector<std::string> problems;
    auto add = [&](const QString &path) {
        const QString rel = dir.relativeFilePath(path);
        QFile f(path);
        if (f.size() > kMaxPackageFile) {
            problems.push_back(rel.toStdString() + ": larger than 8 MiB");
            return;
        }
        if (!f.open(QIODevice::ReadOnly)) {
            problems.push_back(rel.toStdString() + ": " + f.errorString().toStdString());
            return;
        }
        const QByteArray data = f.readAll();
        total += data.size();
        if (rel.endsWith(QLatin1String(".json"))) {
            auto parsed = parseJson(std::string_view(data.constData(), std::size_t(data.size())));
            if (!parsed) {
                problems.push_back(rel.toStdString() + ": " + parsed.error().message);
                return;
            }
            files[rel.toStdString()] = std::move(*parsed);
        } else {
            files[rel.toStdString()] = data.toStdString();
        }
    };
    for (const char *top :
         {"pronghorn.json", "adapter.js", "propertiesSchema.json", "package.json"})
        if (dir.exists(QString::fromLatin1(top)))
            add(dir.filePath(QString::fromLatin1(top)));
    // Every file under entities/: actions and schemas are JSON, mock data may be XML or text.
    QDirIterator it(dir.filePath(QStringLiteral("entities")), QDir::Files | QDir::Hidden,
                    QDirIterator::Subdirectories);
    while (it.hasNext())
        add(it.next());
    if (total > kMaxPackageTotal)
        problems.push_back("the package's files add up to more than 64 MiB");
    if (!problems.empty()) {
        std::string message = folder + ": " + problems.front();
        if (problems.size() > 1)
            message += " (and " + std::to_string(problems.size() - 1) + " more)";
        return Error::invalid(message, problems);
    }
    return files;
}

} // namespace flowdeck::adapters
