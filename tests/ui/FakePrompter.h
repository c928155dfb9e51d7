// SPDX-License-Identifier: GPL-3.0-or-later
// A Prompter that answers at once from what the test set up and remembers what it was asked,
// so window tests never block in a dialog's exec().
#pragma once

#include "ui/main/Prompter.h"

#include <QStringList>

namespace flowdeck::test {

class FakePrompter final : public ui::Prompter
{
public:
    struct Shown
    {
        QString title;
        QString text;
        QString details;
    };

    /// What the next dialogs answer.
    QStringList filesToOpen;
    QString folderToOpen;
    QString fileToSave;
    bool confirmAnswer = false;
    QString textToGive;

    /// What was shown.
    QList<Shown> errors;
    QList<Shown> confirmations;
    QList<Shown> questions; ///< askText: title, label, initial

    void showError(const QString &title, const QString &text, const QString &details) override
    {
        errors.append({title, text, details});
    }
    bool confirm(const QString &title, const QString &text, const QString &acceptLabel) override
    {
        confirmations.append({title, text, acceptLabel});
        return confirmAnswer;
    }
    QStringList openFiles(const QString &, const QString &, const QString &) override
    {
        return filesToOpen;
    }
    QString openFolder(const QString &, const QString &) override { return folderToOpen; }
    QString saveFile(const QString &, const QString &, const QString &) override
    {
        return fileToSave;
    }
    QString askText(const QString &title, const QString &label, const QString &initial) override
    {
        questions.append({title, label, initial});
        return textToGive;
    }
};

} // namespace flowdeck::test
