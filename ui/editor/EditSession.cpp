// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/editor/EditSession.h"

#include <QUndoCommand>

namespace flowdeck::ui::editor {

/// One edit on the undo stack. Its text is the edit's name, so the Edit menu reads
/// "Undo Move 3 tasks".
class EditCommand final : public QUndoCommand
{
public:
    EditCommand(EditSession &session, model::WorkflowEdit edit)
        : QUndoCommand(QString::fromStdString(edit.name)), m_session(session),
          m_edit(std::move(edit))
    {}
    void redo() override
    {
        model::applyEdit(m_session.m_document, m_edit);
        m_session.announce(m_edit);
    }
    void undo() override
    {
        model::revertEdit(m_session.m_document, m_edit);
        m_session.announce(m_edit);
    }

private:
    EditSession &m_session;
    model::WorkflowEdit m_edit;
};

EditSession::EditSession(nlohmann::json document, QObject *parent)
    : QObject(parent), m_document(std::move(document)), m_undo(this)
{}

void EditSession::announce(const model::WorkflowEdit &edit)
{
    m_changing = &edit;
    Q_EMIT documentChanged();
    m_changing = nullptr;
}

bool EditSession::perform(Result<model::WorkflowEdit> edit)
{
    if (!edit) {
        Q_EMIT refused(QString::fromStdString(edit.error().message));
        return false;
    }
    if (edit->empty())
        return false;
    m_undo.push(new EditCommand(*this, std::move(*edit))); // push() runs redo()
    return true;
}

} // namespace flowdeck::ui::editor
