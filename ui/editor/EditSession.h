// SPDX-License-Identifier: GPL-3.0-or-later
// One workflow document open for editing: the document as it is now, the undo stack of the
// edits that made it (model::WorkflowEdit, each undone exactly), and whether it differs from
// what was last saved. Whoever builds an edit hands it here; a refused one is announced with
// its reason and changes nothing. GUI thread.
#pragma once

#include "engine/model/WorkflowEdit.h"

#include <QObject>
#include <QUndoStack>

#include <nlohmann/json.hpp>

namespace flowdeck::ui::editor {

class EditSession final : public QObject
{
    Q_OBJECT
public:
    explicit EditSession(nlohmann::json document, QObject *parent = nullptr);

    const nlohmann::json &document() const { return m_document; }
    QUndoStack *undoStack() { return &m_undo; }
    /// The document differs from the one opened or last saved.
    bool isModified() const { return !m_undo.isClean(); }
    /// The current document is what the store now holds.
    void markSaved() { m_undo.setClean(); }

    /// Applies an edit (undoable) or announces why it was refused. An empty edit (a move to
    /// where the task already is) does nothing. True when the document changed.
    bool perform(Result<model::WorkflowEdit> edit);

    /// While documentChanged() is being sent: the edit that was made, undone or redone;
    /// otherwise null.
    const model::WorkflowEdit *changing() const { return m_changing; }

Q_SIGNALS:
    /// The document changed: an edit, an undo or a redo.
    void documentChanged();
    /// An edit was refused; `reason` says why, in words an operator can act on.
    void refused(const QString &reason);

private:
    friend class EditCommand;
    void announce(const model::WorkflowEdit &edit);

    nlohmann::json m_document;
    QUndoStack m_undo;
    const model::WorkflowEdit *m_changing = nullptr;
};

} // namespace flowdeck::ui::editor
