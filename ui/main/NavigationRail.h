// SPDX-License-Identifier: GPL-3.0-or-later
// The window's navigation rail: one button per page (icon over label), the current one
// marked, with an optional count badge (My tasks). Follows the palette: icons are re-tinted
// when it changes. GUI thread.
#pragma once

#include <QWidget>

class QAbstractButton;
class QButtonGroup;
class QVBoxLayout;

namespace flowdeck::ui {

class NavigationRail final : public QWidget
{
    Q_OBJECT
public:
    explicit NavigationRail(QWidget *parent = nullptr);

    /// Adds a page button; `icon` names an SVG in the icon resources. Returns its index.
    int addPage(const QString &icon, const QString &text, const QString &toolTip,
                const QString &objectName);
    int count() const;
    int currentIndex() const;
    void setCurrentIndex(int index);
    /// A count shown on the button; 0 hides it.
    void setBadge(int index, int count);
    int badge(int index) const;
    QAbstractButton *button(int index) const;

    QSize sizeHint() const override;

Q_SIGNALS:
    void currentChanged(int index);

protected:
    void paintEvent(QPaintEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void updateIcons();

    QButtonGroup *m_group;
    QVBoxLayout *m_layout;
    QStringList m_iconNames;
};

} // namespace flowdeck::ui
