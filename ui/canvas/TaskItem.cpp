// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/canvas/TaskItem.h"

#include "engine/model/GridPosition.h"

#include <QFontMetricsF>
#include <QPainter>
#include <QPainterPath>
#include <QStyleOptionGraphicsItem>
#include <QTextLayout>

namespace flowdeck::ui::canvas {

using namespace Qt::StringLiterals;

namespace {

constexpr qreal kPadding = 11;
constexpr qreal kIconSize = 20;
constexpr qreal kTextLeft = kPadding + kIconSize + 9;
constexpr qreal kBigPadding = 10; ///< around the name on a name-only card
constexpr qreal kRing = 4;        ///< selection / problem ring outside the card

QList<QGlyphRun> shaped(const QString &text, const QFont &font)
{
    QTextLayout layout(text, font);
    layout.beginLayout();
    QTextLine line = layout.createLine();
    if (line.isValid())
        line.setLineWidth(1e6);
    layout.endLayout();
    return layout.glyphRuns();
}

/// `text` in at most two lines of `width`: wrapped once at a word, the second line elided.
QStringList wrapTwoLines(const QString &text, const QFont &font, qreal width)
{
    const QFontMetricsF metrics(font);
    if (metrics.horizontalAdvance(text) <= width)
        return {text};
    QTextLayout layout(text, font);
    layout.beginLayout();
    QTextLine first = layout.createLine();
    if (first.isValid())
        first.setLineWidth(width);
    layout.endLayout();
    const int split = first.isValid() ? first.textLength() : 0;
    if (split <= 0 || split >= text.size())
        return {metrics.elidedText(text, Qt::ElideRight, width)};
    return {metrics.elidedText(text.left(split).trimmed(), Qt::ElideRight, width),
            metrics.elidedText(text.mid(split).trimmed(), Qt::ElideRight, width)};
}

void drawRuns(QPainter *painter, const QPointF &topLeft, const QList<QGlyphRun> &runs)
{
    for (const QGlyphRun &run : runs)
        painter->drawGlyphRun(topLeft, run);
}

/// The card outline and its inside, the same for every task (item coordinates), built once.
/// Two fills draw a bordered card without running the stroker.
struct CardPaths
{
    QPainterPath outer;
    QPainterPath inner;
    QPainterPath selection;
    QPainterPath problem;

    static const CardPaths &get()
    {
        static const CardPaths paths = [] {
            CardPaths p;
            const QRectF card = TaskItem::cardRect();
            constexpr qreal border = 1.25;
            constexpr qreal r = CanvasStyle::kCardRadius;
            p.outer.addRoundedRect(card, r, r);
            p.inner.addRoundedRect(card.adjusted(border, border, -border, -border), r - border,
                                   r - border);
            auto ring = [&](qreal width) {
                QPainterPath path;
                const QRectF outside = card.adjusted(-kRing - width / 2, -kRing - width / 2,
                                                     kRing + width / 2, kRing + width / 2);
                const QRectF inside = card.adjusted(-kRing + width / 2, -kRing + width / 2,
                                                    kRing - width / 2, kRing - width / 2);
                path.addRoundedRect(outside, r + kRing + width / 2, r + kRing + width / 2);
                path.addRoundedRect(inside, r + kRing - width / 2, r + kRing - width / 2);
                path.setFillRule(Qt::OddEvenFill);
                return path;
            };
            p.selection = ring(2.0);
            p.problem = ring(2.5);
            return p;
        }();
        return paths;
    }
};

} // namespace

TaskItem::TaskItem(const CanvasStyle *style, QString key, QString name, QString method,
                   QPointF cellOrigin, QGraphicsItem *parent)
    : QGraphicsItem(parent), m_style(style), m_key(std::move(key)), m_name(std::move(name)),
      m_method(std::move(method))
{
    setPos(cellOrigin);
    setAcceptedMouseButtons(Qt::NoButton);
    setZValue(2);
    relayout();
}

QRectF TaskItem::cardRect()
{
    using model::GridMetrics;
    return QRectF((GridMetrics::kCellWidthPx - CanvasStyle::kCardWidth) / 2,
                  (GridMetrics::kCellHeightPx - CanvasStyle::kCardHeight) / 2,
                  CanvasStyle::kCardWidth, CanvasStyle::kCardHeight);
}

QRectF TaskItem::boundingRect() const
{
    return cardRect().adjusted(-kRing - 2, -kRing - 2, kRing + 2, kRing + 2);
}

QString TaskItem::badgeText() const
{
    if (m_state == TaskState::Claimed && !m_owner.isEmpty())
        return m_owner;
    if (m_iterations > 1)
        return u"×%1"_s.arg(m_iterations);
    return {};
}

void TaskItem::relayout()
{
    const qreal width = CanvasStyle::kCardWidth - kTextLeft - kPadding;
    // Itential task summaries are sentences ("Push configuration to device"): a name that does
    // not fit wraps once at a word, and only its second line is elided.
    const QStringList lines = wrapTwoLines(m_name, m_style->nameFont, width);
    m_nameText = shaped(lines.value(0), m_style->nameFont);
    m_nameText2 = lines.size() > 1 ? shaped(lines[1], m_style->nameFont) : QList<QGlyphRun>();

    // The name-only card gives the name the whole card: two lines of the big font.
    const qreal bigWidth = CanvasStyle::kCardWidth - 2 * kBigPadding;
    const QFontMetricsF bigMetrics(m_style->bigNameFont);
    const QStringList bigLines = wrapTwoLines(m_name, m_style->bigNameFont, bigWidth);
    m_bigName[0] = shaped(bigLines.value(0), m_style->bigNameFont);
    m_bigName[1] = shaped(bigLines.value(1), m_style->bigNameFont);
    m_bigLineHeight = bigMetrics.height();
    m_bigNameTop = (CanvasStyle::kCardHeight - m_bigLineHeight * qreal(bigLines.size())) / 2;

    const QString badge = badgeText();
    const QFontMetricsF badgeMetrics(m_style->badgeFont);
    const QString elidedBadge = badgeMetrics.elidedText(badge, Qt::ElideRight, 64);
    m_badge = shaped(elidedBadge, m_style->badgeFont);
    m_badgeWidth = badge.isEmpty() ? 0 : badgeMetrics.horizontalAdvance(elidedBadge) + 10;

    const QFontMetricsF methodMetrics(m_style->methodFont);
    const qreal methodWidth = width - (m_badgeWidth > 0 ? m_badgeWidth + 6 : 0);
    m_methodText = shaped(methodMetrics.elidedText(m_method, Qt::ElideRight, methodWidth),
                          m_style->methodFont);
}

void TaskItem::setRun(TaskState state, int iterations, const QString &owner)
{
    if (state == m_state && iterations == m_iterations && owner == m_owner)
        return;
    const bool badgeChanges = (state == TaskState::Claimed) != (m_state == TaskState::Claimed) ||
                              (iterations > 1) != (m_iterations > 1) ||
                              (iterations > 1 && iterations != m_iterations) || owner != m_owner;
    m_state = state;
    m_iterations = iterations;
    m_owner = owner;
    if (badgeChanges)
        relayout();
    update();
}

void TaskItem::setSelectedTask(bool selected)
{
    if (selected == m_selected)
        return;
    m_selected = selected;
    update();
}

void TaskItem::setProblem(bool problem)
{
    if (problem == m_problem)
        return;
    m_problem = problem;
    update();
}

void TaskItem::paint(QPainter *painter, const QStyleOptionGraphicsItem *, QWidget *)
{
    const CanvasStyle &s = *m_style;
    const QRectF card = cardRect();
    const std::size_t state = std::size_t(m_state);

    const CardPaths &paths = CardPaths::get();
    painter->setPen(Qt::NoPen);
    if (m_problem || m_selected) {
        painter->setBrush(m_problem ? s.problem : s.selection);
        painter->drawPath(m_problem ? paths.problem : paths.selection);
    }
    painter->setBrush(m_state == TaskState::NotReached ? s.cardBorder : s.state[state]);
    painter->drawPath(paths.outer);
    painter->setBrush(s.stateFill[state]);
    painter->drawPath(paths.inner);

    m_drawnDetail = s.detail;
    if (s.detail == CanvasStyle::Detail::Names) {
        // The state shows in the card's colours; the name takes the room the icon had.
        painter->setPen(s.text);
        drawRuns(painter, QPointF(card.left() + kBigPadding, card.top() + m_bigNameTop),
                 m_bigName[0]);
        drawRuns(painter,
                 QPointF(card.left() + kBigPadding, card.top() + m_bigNameTop + m_bigLineHeight),
                 m_bigName[1]);
        return;
    }

    const QRectF icon(card.left() + kPadding, card.center().y() - kIconSize / 2, kIconSize,
                      kIconSize);
    s.paintStatusIcon(painter, icon, m_state);
    if (s.detail != CanvasStyle::Detail::Full)
        return;
    // One name line: name at 14, method at 34. Two: both name lines and the method move up.
    const bool twoLines = !m_nameText2.isEmpty();
    const qreal methodTop = card.top() + (twoLines ? 42 : 34);
    painter->setPen(s.text);
    drawRuns(painter, QPointF(card.left() + kTextLeft, card.top() + (twoLines ? 6 : 14)),
             m_nameText);
    if (twoLines)
        drawRuns(painter, QPointF(card.left() + kTextLeft, card.top() + 23), m_nameText2);
    painter->setPen(s.mutedText);
    drawRuns(painter, QPointF(card.left() + kTextLeft, methodTop), m_methodText);

    if (m_badgeWidth > 0) {
        const QRectF pill(card.right() - kPadding - m_badgeWidth + 4, methodTop, m_badgeWidth, 15);
        painter->setPen(Qt::NoPen);
        QColor fill = s.state[state];
        fill.setAlphaF(0.18f);
        painter->setBrush(fill);
        painter->drawRoundedRect(pill, 7.5, 7.5);
        painter->setPen(s.text);
        drawRuns(painter, QPointF(pill.left() + 5, pill.top() + 1), m_badge);
    }
}

} // namespace flowdeck::ui::canvas
