// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/main/DialogPrompter.h"

#include <QFileDialog>
#include <QInputDialog>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>

namespace flowdeck::ui {

using namespace Qt::StringLiterals;

namespace {
// Beyond this many lines the particulars move behind "Show Details…", so a long list of
// validation issues cannot push the buttons off the screen.
constexpr qsizetype kVisibleDetailLines = 14;
} // namespace

void DialogPrompter::showError(const QString &title, const QString &text, const QString &details)
{
    QMessageBox box(QMessageBox::Warning, title, text, QMessageBox::Ok, m_window);
    const QStringList lines = details.split(u'\n');
    if (lines.size() > kVisibleDetailLines) {
        box.setInformativeText(lines.first(kVisibleDetailLines).join(u'\n') + u"\n…"_s);
        box.setDetailedText(details);
    } else if (!details.isEmpty()) {
        box.setInformativeText(details);
    }
    box.setTextInteractionFlags(Qt::TextSelectableByMouse);
    box.exec();
}

bool DialogPrompter::confirm(const QString &title, const QString &text, const QString &acceptLabel)
{
    QMessageBox box(QMessageBox::Question, title, text, QMessageBox::Cancel, m_window);
    QPushButton *accept = box.addButton(acceptLabel, QMessageBox::AcceptRole);
    box.setDefaultButton(QMessageBox::Cancel);
    box.exec();
    return box.clickedButton() == accept;
}

QStringList DialogPrompter::openFiles(const QString &title, const QString &directory,
                                      const QString &filter)
{
    return QFileDialog::getOpenFileNames(m_window, title, directory, filter);
}

QString DialogPrompter::openFolder(const QString &title, const QString &directory)
{
    return QFileDialog::getExistingDirectory(m_window, title, directory);
}

QString DialogPrompter::saveFile(const QString &title, const QString &suggestedPath,
                                 const QString &filter)
{
    return QFileDialog::getSaveFileName(m_window, title, suggestedPath, filter);
}

QString DialogPrompter::askText(const QString &title, const QString &label, const QString &initial)
{
    return QInputDialog::getText(m_window, title, label, QLineEdit::Normal, initial).trimmed();
}

} // namespace flowdeck::ui
