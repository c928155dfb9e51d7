// SPDX-License-Identifier: GPL-3.0-or-later
// The Prompter the window uses outside tests: message boxes and the platform's file dialogs,
// modal to the given window. GUI thread only.
#pragma once

#include "ui/main/Prompter.h"

#include <QPointer>
#include <QWidget>

namespace flowdeck::ui {

class DialogPrompter final : public Prompter
{
public:
    explicit DialogPrompter(QWidget *window) : m_window(window) {}

    void showError(const QString &title, const QString &text, const QString &details) override;
    bool confirm(const QString &title, const QString &text, const QString &acceptLabel) override;
    QString openFolder(const QString &title, const QString &directory) override;
    QStringList openFiles(const QString &title, const QString &directory,
                          const QString &filter) override;
    QString saveFile(const QString &title, const QString &suggestedPath,
                     const QString &filter) override;
    QString askText(const QString &title, const QString &label, const QString &initial) override;

private:
    QPointer<QWidget> m_window;
};

} // namespace flowdeck::ui
