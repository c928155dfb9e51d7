// SPDX-License-Identifier: GPL-3.0-or-later
// Help → About Flowdeck: the version, the store this window has open, where the REST API is
// served (or that it is not), and the licence. What a support request asks for first, in one
// place and selectable. GUI thread.
#pragma once

#include <QDialog>

class QLabel;

namespace flowdeck::ui {

class AboutDialog final : public QDialog
{
    Q_OBJECT
public:
    /// `apiAddress` is empty when the window does not serve the API.
    AboutDialog(const QString &storeLocation, const QString &apiAddress, QWidget *parent = nullptr);

    /// The facts as shown, one "Label: value" per line (for copying, and for tests).
    QString factsText() const;

private:
    QLabel *m_facts = nullptr;
};

} // namespace flowdeck::ui
