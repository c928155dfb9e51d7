// SPDX-License-Identifier: GPL-3.0-or-later
// The import report: one row per document of an import (its file, what it is, its name, what
// happened to it) and under it every warning and every reason a document was left out, so
// nothing an import said flashes past in the status bar. It stays open beside the window until
// closed. GUI thread.
#pragma once

#include "engine/api/ApiTypes.h"

#include <QDialog>
#include <QList>

class QLabel;
class QTreeWidget;

namespace flowdeck::ui {

class WorkflowImport;

class ImportReport final : public QDialog
{
    Q_OBJECT
public:
    /// One document's outcome.
    struct Line
    {
        QString file;
        QString kind; ///< "Workflow", "JST", "Automation"
        QString name;
        QString outcome;   ///< "Imported", "New version", "Skipped"
        QStringList notes; ///< warnings, or why it was skipped (with its issues)
        bool skipped = false;
    };

    /// The lines of an import's answer (POST /automation-studio/automations/import), in file
    /// order, files named as `import` names them.
    static QList<Line> linesFrom(const WorkflowImport &import, const api::ApiResponse &response);

    explicit ImportReport(const QList<Line> &lines, QWidget *parent = nullptr);

    QString summaryText() const;
    QTreeWidget *tree() const { return m_tree; }
    /// How many warnings and reasons the report lists.
    int noteCount() const { return m_notes; }

private:
    QLabel *m_summary = nullptr;
    QTreeWidget *m_tree = nullptr;
    int m_notes = 0;
};

} // namespace flowdeck::ui
