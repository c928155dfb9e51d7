// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/main/WorkflowImport.h"

#include "engine/model/JsonParse.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonParseError>

namespace flowdeck::ui {

using namespace Qt::StringLiterals;
using nlohmann::json;

namespace {

const QString kSourcePrefix = u"/automations/"_s;

QString fromStd(const json &value)
{
    return value.is_string() ? QString::fromStdString(value.get<std::string>()) : QString();
}

/// Why the text is not JSON, in Qt's short words ("unterminated object") when Qt agrees that
/// it is not, else in the parser's.
QString parseReason(const QByteArray &text, const JsonParseProblem &problem)
{
    QJsonParseError qtError;
    QJsonDocument::fromJson(text, &qtError);
    if (qtError.error != QJsonParseError::NoError)
        return qtError.errorString();
    return QString::fromStdString(problem.reason);
}

} // namespace

WorkflowImport WorkflowImport::read(const QStringList &paths)
{
    WorkflowImport out;
    out.m_paths = paths;
    for (const QString &path : paths) {
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly)) {
            out.m_problems.append(
                u"%1: cannot be read (%2)"_s.arg(displayName(path), file.errorString()));
            out.m_documents.emplace_back(nullptr);
            continue;
        }
        const QByteArray text = file.readAll();
        auto parsed = parseJson(std::string_view(text.constData(), std::size_t(text.size())));
        if (parsed) {
            out.m_documents.push_back(std::move(*parsed));
        } else {
            const JsonParseProblem problem = jsonParseProblem(parsed.error());
            out.m_problems.append(u"%1 is not valid JSON\n  %2 — %3"_s.arg(
                displayName(path), lineAndColumn(text, qsizetype(problem.offset)),
                parseReason(text, problem)));
            out.m_documents.emplace_back(nullptr);
        }
    }
    return out;
}

json WorkflowImport::documents() const
{
    return json(m_documents);
}

QString WorkflowImport::issuesText(const api::ApiResponse &response) const
{
    const json details =
        response.json.is_object() ? response.json.value("details", json()) : json();
    if (!details.is_array())
        return {};
    QStringList paragraphs;
    for (const json &entry : details) {
        if (!entry.is_object())
            continue;
        QString heading = fileForSource(fromStd(entry.value("source", json())));
        const QString name = fromStd(entry.value("name", json()));
        if (!name.isEmpty())
            heading += u" (workflow \"%1\")"_s.arg(name);
        QStringList lines{heading};
        for (const json &issue : entry.value("issues", json::array())) {
            if (!issue.is_object())
                continue;
            QString pointer = fromStd(issue.value("instancePath", json()));
            if (pointer.isEmpty())
                pointer = u"(whole document)"_s;
            lines.append(u"  %1 — %2"_s.arg(pointer, fromStd(issue.value("message", json()))));
        }
        paragraphs.append(lines.join(u'\n'));
    }
    return paragraphs.join(u"\n\n");
}

std::optional<WorkflowImport::Conflict>
WorkflowImport::conflict(const api::ApiResponse &response) const
{
    if (response.status != 409 || !response.json.is_object())
        return std::nullopt;
    const json details = response.json.value("details", json());
    if (!details.is_array() || details.empty() || !details.front().is_object())
        return std::nullopt;
    const json &first = details.front();
    return Conflict{fromStd(first.value("name", json())),
                    fileForSource(fromStd(first.value("source", json())))};
}

QString WorkflowImport::fileForSource(const QString &source) const
{
    if (!source.startsWith(kSourcePrefix))
        return source;
    bool ok = false;
    const int index = source.mid(kSourcePrefix.size()).toInt(&ok);
    if (!ok || index < 0 || index >= m_paths.size())
        return source;
    return displayName(m_paths.at(index));
}

QString WorkflowImport::displayName(const QString &path)
{
    return QFileInfo(path).fileName();
}

QString WorkflowImport::lineAndColumn(const QByteArray &text, qsizetype offset)
{
    offset = qBound(qsizetype(0), offset, text.size());
    const QByteArray before = text.first(offset);
    const qsizetype line = before.count('\n') + 1;
    const qsizetype lineStart = before.lastIndexOf('\n') + 1;
    const qsizetype column = QString::fromUtf8(before.mid(lineStart)).size() + 1;
    return u"line %1, column %2"_s.arg(line).arg(column);
}

} // namespace flowdeck::ui
