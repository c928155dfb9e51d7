// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/canvas/ProblemBanner.h"

#include "ui/canvas/CanvasStyle.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QMouseEvent>

namespace flowdeck::ui::canvas {

using namespace Qt::StringLiterals;

namespace {
constexpr int kMargin = 12;
constexpr int kMaxWidth = 560;
} // namespace

ProblemBanner::ProblemBanner(QWidget *parent) : QFrame(parent)
{
    setObjectName(u"canvasProblem"_s);
    setCursor(Qt::PointingHandCursor);
    setToolTip(tr("Show the task"));
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(12, 10, 14, 10);
    layout->setSpacing(10);
    m_icon = new QLabel(u"!"_s, this);
    m_icon->setAlignment(Qt::AlignCenter);
    m_icon->setFixedSize(22, 22);
    layout->addWidget(m_icon, 0, Qt::AlignTop);
    m_label = new QLabel(this);
    m_label->setWordWrap(true);
    m_label->setTextFormat(Qt::PlainText);
    layout->addWidget(m_label, 1);
    hide();
}

void ProblemBanner::setText(const QString &text)
{
    m_label->setText(text);
    setVisible(!text.isEmpty());
}

QString ProblemBanner::text() const
{
    return m_label->text();
}

void ProblemBanner::setCanvasStyle(const CanvasStyle &style)
{
    // A style sheet for the frame's own colours only: the palette keeps the label's font.
    setStyleSheet(
        u"#canvasProblem { background: %1; border: 1px solid %2; border-radius: 8px; }"
        "#canvasProblem QLabel { color: %3; background: transparent; border: none; }"_s.arg(
            style.problemFill.name(), style.problem.name(), style.text.name()));
    m_icon->setStyleSheet(
        u"background: %1; color: %2; border-radius: 11px; font-weight: bold;"_s.arg(
            style.problem.name(), style.problemFill.name()));
}

void ProblemBanner::place(const QRect &area)
{
    const int width = std::min(kMaxWidth, area.width() - 2 * kMargin);
    if (width <= 0)
        return;
    const int height = heightForWidth(width) > 0 ? heightForWidth(width) : sizeHint().height();
    setGeometry(area.left() + kMargin, area.top() + kMargin, width, height);
}

void ProblemBanner::mousePressEvent(QMouseEvent *event)
{
    if (event->button() == Qt::LeftButton)
        Q_EMIT clicked();
    event->accept();
}

} // namespace flowdeck::ui::canvas
