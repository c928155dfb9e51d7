// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/main/NavigationRail.h"

#include "ui/jobs/ThemedIcon.h"

#include <QAbstractButton>
#include <QButtonGroup>
#include <QEvent>
#include <QPainter>
#include <QPainterPath>
#include <QVBoxLayout>

#include <algorithm>

namespace flowdeck::ui {

using namespace Qt::StringLiterals;

namespace {

constexpr int kRailWidth = 84;
constexpr int kIconSize = 22;
constexpr int kPillWidth = 52;
constexpr int kPillHeight = 30;

QColor mix(const QColor &a, const QColor &b, qreal t)
{
    return QColor::fromRgbF(float(a.redF() + (b.redF() - a.redF()) * t),
                            float(a.greenF() + (b.greenF() - a.greenF()) * t),
                            float(a.blueF() + (b.blueF() - a.blueF()) * t));
}

/// A rail button drawn whole: a pill behind the icon marks the current page (as Material's
/// rail does), the label sits under it, and a badge rides on the pill's corner.
class RailButton final : public QAbstractButton
{
public:
    explicit RailButton(QWidget *parent) : QAbstractButton(parent)
    {
        setCheckable(true);
        setFocusPolicy(Qt::TabFocus);
        setAttribute(Qt::WA_Hover);
        setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
    }

    int badge = 0;

    QSize sizeHint() const override
    {
        // As wide as the label needs: at a large system font "Automations" is not elided, the
        // rail grows instead.
        const QFontMetrics label(labelFont(true));
        return {std::max(kRailWidth, label.horizontalAdvance(text()) + 16),
                kPillHeight + label.height() + 18};
    }

    /// The label's font: a little smaller than the window's, bold for the current page.
    QFont labelFont(bool checked) const
    {
        QFont font = this->font();
        font.setPointSizeF(font.pointSizeF() * 0.92);
        font.setWeight(checked ? QFont::DemiBold : QFont::Normal);
        return font;
    }

protected:
    void paintEvent(QPaintEvent *) override
    {
        QPainter p(this);
        p.setRenderHint(QPainter::Antialiasing);
        const QPalette &pal = palette();
        const QRectF pill((width() - kPillWidth) / 2.0, 6, kPillWidth, kPillHeight);
        QPainterPath path;
        path.addRoundedRect(pill, kPillHeight / 2.0, kPillHeight / 2.0);
        QColor accent = pal.color(QPalette::Highlight);
        if (isChecked()) {
            accent.setAlphaF(0.22f);
            p.fillPath(path, accent);
        } else if (underMouse()) {
            QColor hover = pal.color(QPalette::Text);
            hover.setAlphaF(0.07f);
            p.fillPath(path, hover);
        }
        if (hasFocus()) {
            p.setPen(QPen(pal.color(QPalette::Highlight), 1.5));
            p.drawPath(path);
        }
        const QRect iconRect(int(pill.center().x()) - kIconSize / 2,
                             int(pill.center().y()) - kIconSize / 2, kIconSize, kIconSize);
        icon().paint(&p, iconRect, Qt::AlignCenter, isEnabled() ? QIcon::Normal : QIcon::Disabled);

        const QFont font = labelFont(isChecked());
        p.setFont(font);
        p.setPen(isChecked()
                     ? pal.color(QPalette::WindowText)
                     : mix(pal.color(QPalette::WindowText), pal.color(QPalette::Window), 0.3));
        const QRect textRect(0, int(pill.bottom()) + 3, width(), height() - int(pill.bottom()) - 3);
        p.drawText(textRect, Qt::AlignHCenter | Qt::AlignTop,
                   QFontMetrics(font).elidedText(text(), Qt::ElideRight, width() - 4));

        if (badge > 0) {
            QFont small = this->font();
            small.setPointSizeF(small.pointSizeF() * 0.78);
            small.setBold(true);
            const QString label = badge > 99 ? u"99+"_s : QString::number(badge);
            const QFontMetrics fm(small);
            const qreal h = fm.height() + 2;
            const qreal w = qMax(h, qreal(fm.horizontalAdvance(label) + 8));
            const QRectF r(pill.right() - w + 4, pill.top() - 3, w, h);
            QPainterPath badgePath;
            badgePath.addRoundedRect(r, h / 2, h / 2);
            p.fillPath(badgePath, QColor::fromRgb(0xcf3a3a));
            p.setFont(small);
            p.setPen(Qt::white);
            p.drawText(r, Qt::AlignCenter, label);
        }
    }
};

} // namespace

NavigationRail::NavigationRail(QWidget *parent)
    : QWidget(parent), m_group(new QButtonGroup(this)), m_layout(new QVBoxLayout(this))
{
    setObjectName(u"navigationRail"_s);
    m_group->setExclusive(true);
    m_layout->setContentsMargins(0, 10, 0, 10);
    m_layout->setSpacing(4);
    m_layout->addStretch(1);
    setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Preferred);
    connect(m_group, &QButtonGroup::idClicked, this, &NavigationRail::currentChanged);
}

int NavigationRail::addPage(const QString &icon, const QString &text, const QString &toolTip,
                            const QString &objectName)
{
    auto *button = new RailButton(this);
    button->setObjectName(objectName);
    button->setText(text);
    button->setToolTip(toolTip);
    button->setAccessibleName(text);
    const int index = int(m_group->buttons().size());
    m_group->addButton(button, index);
    m_iconNames.append(icon);
    button->setIcon(themedicon::make(icon, palette()));
    m_layout->insertWidget(m_layout->count() - 1, button);
    if (index == 0)
        button->setChecked(true);
    return index;
}

int NavigationRail::count() const
{
    return int(m_group->buttons().size());
}

int NavigationRail::currentIndex() const
{
    return m_group->checkedId();
}

void NavigationRail::setCurrentIndex(int index)
{
    if (QAbstractButton *b = m_group->button(index))
        b->setChecked(true);
}

void NavigationRail::setBadge(int index, int count)
{
    if (auto *b = static_cast<RailButton *>(m_group->button(index))) {
        b->badge = qMax(0, count);
        b->setAccessibleDescription(count > 0 ? tr("%n waiting", nullptr, count) : QString());
        b->update();
    }
}

int NavigationRail::badge(int index) const
{
    const auto *b = static_cast<RailButton *>(m_group->button(index));
    return b ? b->badge : 0;
}

QAbstractButton *NavigationRail::button(int index) const
{
    return m_group->button(index);
}

QSize NavigationRail::sizeHint() const
{
    int width = kRailWidth;
    for (const QAbstractButton *button : m_group->buttons())
        width = std::max(width, button->sizeHint().width());
    return {width, QWidget::sizeHint().height()};
}

void NavigationRail::paintEvent(QPaintEvent *)
{
    // A shade apart from the pages, with a hairline, so the rail reads as the frame.
    QPainter p(this);
    const QPalette &pal = palette();
    const QColor window = pal.color(QPalette::Window);
    const QColor text = pal.color(QPalette::WindowText);
    p.fillRect(rect(), mix(window, text, 0.035));
    p.setPen(mix(window, text, 0.14));
    p.drawLine(width() - 1, 0, width() - 1, height());
}

void NavigationRail::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange)
        updateIcons();
    if (event->type() == QEvent::FontChange)
        updateGeometry(); // the labels' width decides the rail's
    QWidget::changeEvent(event);
}

void NavigationRail::updateIcons()
{
    const QList<QAbstractButton *> buttons = m_group->buttons();
    for (int i = 0; i < buttons.size() && i < m_iconNames.size(); ++i)
        m_group->button(i)->setIcon(themedicon::make(m_iconNames[i], palette()));
}

} // namespace flowdeck::ui
