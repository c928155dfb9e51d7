// SPDX-License-Identifier: GPL-3.0-or-later
// The seam every dialog of the window goes through: DialogPrompter shows real dialogs, tests
// inject a fake that answers at once, so no test ever blocks in exec().
#pragma once

#include <QString>
#include <QStringList>

namespace flowdeck::ui {

class Prompter
{
public:
    virtual ~Prompter() = default;

    /// Tells the operator something failed. `text` is the one-sentence summary, `details` the
    /// particulars (several lines, may be empty).
    virtual void showError(const QString &title, const QString &text, const QString &details) = 0;

    /// Asks a yes/no question whose "yes" does something lasting; `acceptLabel` names it
    /// ("Import as New Version"). True when the operator accepted.
    virtual bool confirm(const QString &title, const QString &text, const QString &acceptLabel) = 0;

    /// Files to open; empty when the operator cancelled.
    virtual QStringList openFiles(const QString &title, const QString &directory,
                                  const QString &filter) = 0;

    /// A folder to read (an adapter package); empty when the operator cancelled.
    virtual QString openFolder(const QString &title, const QString &directory) = 0;

    /// A file to write, starting from `suggestedPath`; empty when the operator cancelled.
    virtual QString saveFile(const QString &title, const QString &suggestedPath,
                             const QString &filter) = 0;

    /// A line of text (a name), starting from `initial`; empty when the operator cancelled.
    virtual QString askText(const QString &title, const QString &label, const QString &initial) = 0;
};

} // namespace flowdeck::ui
