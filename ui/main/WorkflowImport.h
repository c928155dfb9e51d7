// SPDX-License-Identifier: GPL-3.0-or-later
// One import of workflow files as the window does it: reads and parses the files the operator
// picked, builds the import request, and explains the engine's answer in terms of those files
// (the engine only knows "/automations/<index>"). Plain data; any thread.
#pragma once

#include "engine/api/ApiTypes.h"

#include <QString>
#include <QStringList>

#include <nlohmann/json.hpp>

#include <optional>
#include <vector>

namespace flowdeck::ui {

class WorkflowImport
{
public:
    /// Reads every file. A file that cannot be read or is not JSON becomes a problem naming
    /// the file (and, for bad JSON, the line and column); the others are parsed documents.
    static WorkflowImport read(const QStringList &paths);

    /// True when every file was read and parsed, so the documents can be sent.
    bool readable() const { return m_problems.isEmpty(); }
    /// One paragraph per file that could not be read or parsed.
    QString readProblems() const { return m_problems.join(u"\n\n"); }
    int fileCount() const { return int(m_paths.size()); }

    /// The request body's documents, in file order: {"automations": documents()}.
    nlohmann::json documents() const;

    /// For a 400 answer: per file, each issue as "instancePath — message". Empty when the
    /// answer carries no per-document details.
    QString issuesText(const api::ApiResponse &response) const;

    /// For a 409 answer: the name that exists and the file that brought it, if the answer
    /// says so.
    struct Conflict
    {
        QString name;
        QString file;
    };
    std::optional<Conflict> conflict(const api::ApiResponse &response) const;

    /// The file behind an engine source such as "/automations/1"; the source itself when it
    /// does not name one of this import's files.
    QString fileForSource(const QString &source) const;

    /// "file.json" for "/some/dir/file.json": how files are named to the operator.
    static QString displayName(const QString &path);

    /// "line 3, column 14" for a byte offset into UTF-8 text (columns count characters).
    static QString lineAndColumn(const QByteArray &text, qsizetype offset);

private:
    QStringList m_paths;
    std::vector<nlohmann::json> m_documents;
    QStringList m_problems;
};

} // namespace flowdeck::ui
