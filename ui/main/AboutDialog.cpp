// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/main/AboutDialog.h"

#include <QApplication>
#include <QClipboard>
#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QIcon>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace flowdeck::ui {

using namespace Qt::StringLiterals;

AboutDialog::AboutDialog(const QString &storeLocation, const QString &apiAddress, QWidget *parent)
    : QDialog(parent)
{
    setObjectName(u"aboutDialog"_s);
    setWindowTitle(tr("About Flowdeck"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(24, 20, 24, 16);
    layout->setSpacing(12);

    auto *top = new QHBoxLayout;
    top->setSpacing(16);
    auto *icon = new QLabel(this);
    icon->setPixmap(QIcon(u":/icons/flowdeck.svg"_s).pixmap(64, 64));
    top->addWidget(icon, 0, Qt::AlignTop);
    auto *titles = new QVBoxLayout;
    auto *name = new QLabel(tr("Flowdeck %1").arg(QStringLiteral(FLOWDECK_VERSION)), this);
    QFont font = name->font();
    font.setBold(true);
    font.setPointSizeF(font.pointSizeF() * 1.4);
    name->setFont(font);
    titles->addWidget(name);
    auto *summary = new QLabel(tr("The operations console for network automation workflows: "
                                  "an Itential-compatible engine, a local store and its REST "
                                  "API."),
                               this);
    summary->setWordWrap(true);
    titles->addWidget(summary);
    top->addLayout(titles, 1);
    layout->addLayout(top);

    QStringList facts;
    facts << tr("Version: %1").arg(QStringLiteral(FLOWDECK_VERSION));
    facts << tr("Store: %1").arg(storeLocation);
    facts << (apiAddress.isEmpty() ? tr("REST API: not served by this window (start it with "
                                        "--listen ADDR:PORT, or run flowdeck serve)")
                                   : tr("REST API: %1").arg(apiAddress));
    facts << tr("Qt: %1").arg(QString::fromLatin1(qVersion()));
    facts << tr("Licence: GPL-3.0-or-later");
    m_facts = new QLabel(facts.join(u'\n'), this);
    m_facts->setObjectName(u"aboutFacts"_s);
    m_facts->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_facts->setWordWrap(true);
    layout->addWidget(m_facts);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    QPushButton *copy = buttons->addButton(tr("Copy"), QDialogButtonBox::ActionRole);
    copy->setToolTip(tr("Copy these facts, for a support request"));
    connect(copy, &QPushButton::clicked, this,
            [this] { QApplication::clipboard()->setText(factsText()); });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
    setMinimumWidth(460);
}

QString AboutDialog::factsText() const
{
    return m_facts->text();
}

} // namespace flowdeck::ui
