// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/canvas/CanvasStyle.h"

#include <QCoreApplication>
#include <QPainter>
#include <QPainterPathStroker>

namespace flowdeck::ui::canvas {

using namespace Qt::StringLiterals;

namespace {

QColor mix(const QColor &a, const QColor &b, qreal t)
{
    return QColor::fromRgbF(float(a.redF() + (b.redF() - a.redF()) * t),
                            float(a.greenF() + (b.greenF() - a.greenF()) * t),
                            float(a.blueF() + (b.blueF() - a.blueF()) * t));
}

QColor withAlpha(QColor c, qreal alpha)
{
    c.setAlphaF(float(alpha));
    return c;
}

struct Pair
{
    QRgb light;
    QRgb dark;
};

// Muted, distinguishable hues; the dark variants are lighter so they keep their contrast on a
// dark background. Waiting and claimed share amber: both mean "a person is needed here".
constexpr std::array<Pair, kTaskStateCount> kStateColors{{
    {0x9aa1ab, 0x6f7680}, // NotReached (replaced by a palette grey below)
    {0x6b7a99, 0x93a3c4}, // Scheduled
    {0x2f6fd6, 0x5a9bf0}, // Running
    {0xb7791f, 0xe0a73c}, // WaitingForOperator
    {0xb7791f, 0xe0a73c}, // Claimed
    {0x2e8b57, 0x4cbf80}, // Complete
    {0xc9611a, 0xf08c4a}, // Failure
    {0xcf3a3a, 0xf06a6a}, // Error
    {0x7d8591, 0x9aa1ab}, // Canceled
    {0x6b7a99, 0x93a3c4}, // Paused
    {0x5d6b7c, 0x9fb0c3}, // Branched: slate, as quiet as a path not taken should be
}};

QFont pixelFont(const QFont &base, int pixels, QFont::Weight weight)
{
    QFont font = base;
    font.setPixelSize(pixels);
    font.setWeight(weight);
    return font;
}

} // namespace

CanvasStyle CanvasStyle::fromPalette(const QPalette &palette)
{
    CanvasStyle s;
    const QColor base = palette.color(QPalette::Base);
    const QColor window = palette.color(QPalette::Window);
    const QColor text = palette.color(QPalette::Text);
    s.dark = base.lightnessF() < 0.5;
    s.text = text;
    s.mutedText = mix(text, base, 0.42);
    if (s.dark) {
        s.background = mix(base, window, 0.25);
        s.cardFill = mix(base, text, 0.07);
        s.cardBorder = mix(base, text, 0.24);
        s.gridDot = mix(s.background, text, 0.16);
    } else {
        s.background = mix(window, base, 0.55);
        s.cardFill = base;
        s.cardBorder = mix(base, text, 0.2);
        s.gridDot = mix(s.background, text, 0.16);
    }
    s.selection = palette.color(QPalette::Highlight);
    for (int i = 0; i < kTaskStateCount; ++i) {
        const Pair &p = kStateColors[std::size_t(i)];
        s.state[std::size_t(i)] = QColor::fromRgb(s.dark ? p.dark : p.light);
        s.stateFill[std::size_t(i)] =
            mix(s.cardFill, s.state[std::size_t(i)], s.dark ? 0.14 : 0.07);
    }
    s.state[std::size_t(TaskState::NotReached)] = mix(base, text, 0.34);
    s.stateFill[std::size_t(TaskState::NotReached)] = s.cardFill;
    s.overviewIdle = mix(s.background, text, s.dark ? 0.3 : 0.22);
    s.problem = s.state[std::size_t(TaskState::Error)];
    s.problemFill = mix(base, s.problem, s.dark ? 0.22 : 0.1);

    // Success is the common case, so it is the quietest: a grey-green that reads as "the way
    // on" without shouting. Failure and error keep their task colours.
    s.edge[std::size_t(EdgeState::Success)] =
        mix(s.state[std::size_t(TaskState::Complete)], s.cardBorder, 0.4);
    s.edge[std::size_t(EdgeState::Failure)] = s.state[std::size_t(TaskState::Failure)];
    s.edge[std::size_t(EdgeState::Error)] = s.state[std::size_t(TaskState::Error)];
    for (int i = 0; i < kEdgeStateCount; ++i)
        s.edgeFaded[std::size_t(i)] = withAlpha(s.edge[std::size_t(i)], s.dark ? 0.36 : 0.4);

    const QFont base_font;
    s.nameFont = pixelFont(base_font, 13, QFont::DemiBold);
    // 24 px: two lines fill a card, and at 30 % they still read as 7 px text.
    s.bigNameFont = pixelFont(base_font, 24, QFont::DemiBold);
    s.methodFont = pixelFont(base_font, 11, QFont::Normal);
    s.badgeFont = pixelFont(base_font, 10, QFont::DemiBold);
    s.terminalFont = pixelFont(base_font, 11, QFont::DemiBold);
    return s;
}

CanvasStyle::Detail CanvasStyle::detailFor(double zoom, Detail current)
{
    const auto plain = [](double z) {
        return z >= kLabelMinZoom  ? Detail::Full
               : z >= kNameMinZoom ? Detail::Names
                                   : Detail::Overview;
    };
    const Detail wanted = plain(zoom);
    if (wanted == current)
        return current;
    // Within the margin of the current level's range, stay: the level changes only when the
    // zoom clearly left it.
    const Detail lower = plain(zoom * (1 + kDetailMargin));
    const Detail upper = plain(zoom * (1 - kDetailMargin));
    if (lower == current || upper == current)
        return current;
    return wanted;
}

QString CanvasStyle::stateLabel(TaskState s)
{
    switch (s) {
    case TaskState::NotReached:
        return QCoreApplication::translate("CanvasStyle", "Not reached");
    case TaskState::Scheduled:
        return QCoreApplication::translate("CanvasStyle", "Scheduled");
    case TaskState::Running:
        return QCoreApplication::translate("CanvasStyle", "Running");
    case TaskState::WaitingForOperator:
        return QCoreApplication::translate("CanvasStyle", "Waiting for an operator");
    case TaskState::Claimed:
        return QCoreApplication::translate("CanvasStyle", "Claimed by an operator");
    case TaskState::Complete:
        return QCoreApplication::translate("CanvasStyle", "Complete");
    case TaskState::Failure:
        return QCoreApplication::translate("CanvasStyle", "Failed");
    case TaskState::Error:
        return QCoreApplication::translate("CanvasStyle", "Error");
    case TaskState::Canceled:
        return QCoreApplication::translate("CanvasStyle", "Canceled");
    case TaskState::Paused:
        return QCoreApplication::translate("CanvasStyle", "Paused");
    case TaskState::Branched:
        return QCoreApplication::translate("CanvasStyle", "Took its failure branch");
    }
    return {};
}

namespace {

/// One status glyph as filled outlines in a 20 × 20 box: strokes are turned into outlines once,
/// so drawing an icon is two or three fills instead of a run of the stroker per card.
struct IconShapes
{
    QPainterPath glyph; ///< drawn in the ink colour over the disc
    QPainterPath badge; ///< a small disc in the state colour over the glyph (claimed)
    QPainterPath badgeGlyph;
};

QPainterPath strokeOf(const QPainterPath &path, qreal width)
{
    QPainterPathStroker stroker;
    stroker.setWidth(width);
    stroker.setCapStyle(Qt::RoundCap);
    stroker.setJoinStyle(Qt::RoundJoin);
    return stroker.createStroke(path).simplified();
}

QPainterPath polyline(std::initializer_list<QPointF> points)
{
    QPainterPath path;
    bool first = true;
    for (const QPointF &p : points) {
        if (first)
            path.moveTo(p);
        else
            path.lineTo(p);
        first = false;
    }
    return path;
}

IconShapes buildShapes(StatusIcon icon)
{
    IconShapes out;
    switch (icon) {
    case StatusIcon::None:
        break;
    case StatusIcon::Check:
        out.glyph = strokeOf(polyline({{5.5, 10.5}, {8.6, 13.5}, {14.5, 7}}), 2.0);
        break;
    case StatusIcon::Cross: {
        QPainterPath p = polyline({{6.5, 6.5}, {13.5, 13.5}});
        p.addPath(polyline({{13.5, 6.5}, {6.5, 13.5}}));
        out.glyph = strokeOf(p, 2.0);
        break;
    }
    case StatusIcon::Bang:
        out.glyph = strokeOf(polyline({{10, 5.5}, {10, 11}}), 2.0);
        out.glyph.addEllipse(QPointF(10, 14.5), 1.2, 1.2);
        break;
    case StatusIcon::Stop:
        out.glyph = strokeOf(polyline({{6, 10}, {14, 10}}), 2.0);
        break;
    case StatusIcon::Pause: {
        QPainterPath p = polyline({{8, 6.5}, {8, 13.5}});
        p.addPath(polyline({{12, 6.5}, {12, 13.5}}));
        out.glyph = strokeOf(p, 2.0);
        break;
    }
    case StatusIcon::Branch: {
        // A path that forks: the way on, and the way taken bending off it.
        QPainterPath p = polyline({{6, 15}, {6, 5}});
        p.addPath(polyline({{6, 10}, {10, 10}, {14, 6}}));
        p.addPath(polyline({{11, 5.6}, {14.4, 5.6}, {14.4, 9}}));
        out.glyph = strokeOf(p, 1.8);
        break;
    }
    case StatusIcon::Play:
        out.glyph.addPolygon(QPolygonF({QPointF(7.5, 5.5), QPointF(15, 10), QPointF(7.5, 14.5)}));
        out.glyph.closeSubpath();
        break;
    case StatusIcon::Clock: {
        QPainterPath p;
        p.addEllipse(QRectF(4.5, 4.5, 11, 11));
        p.addPath(polyline({{10, 6.8}, {10, 10}, {12.6, 11.4}}));
        out.glyph = strokeOf(p, 1.6);
        break;
    }
    case StatusIcon::Person:
    case StatusIcon::PersonCheck:
        out.glyph.addEllipse(QRectF(7.3, 4.2, 5.4, 5.4));
        out.glyph.moveTo(4.8, 15.8);
        out.glyph.cubicTo(5.2, 11.6, 14.8, 11.6, 15.2, 15.8);
        out.glyph.closeSubpath();
        if (icon == StatusIcon::PersonCheck) {
            // A small check on the shoulder: someone has it.
            out.badge.addEllipse(QRectF(12.2, 10.6, 7.2, 7.2));
            out.badgeGlyph = strokeOf(polyline({{13.9, 14.3}, {15.3, 15.7}, {17.8, 12.8}}), 1.5);
        }
        break;
    }
    return out;
}

const IconShapes &shapesFor(StatusIcon icon)
{
    static const std::array<IconShapes, kStatusIconCount> shapes = [] {
        std::array<IconShapes, kStatusIconCount> all;
        for (int i = 0; i < kStatusIconCount; ++i)
            all[std::size_t(i)] = buildShapes(StatusIcon(i));
        return all;
    }();
    return shapes[std::size_t(icon)];
}

} // namespace

void CanvasStyle::paintStatusIcon(QPainter *painter, const QRectF &rect, TaskState s) const
{
    const StatusIcon icon = iconFor(s);
    painter->setPen(Qt::NoPen);
    if (icon == StatusIcon::None) {
        // Not reached: a hollow ring, so the card reads as "nothing happened yet".
        static const QPainterPath ring = [] {
            QPainterPath p;
            p.addEllipse(QRectF(1.5, 1.5, 17, 17));
            p.addEllipse(QRectF(3.3, 3.3, 13.4, 13.4));
            p.setFillRule(Qt::OddEvenFill);
            return p;
        }();
        const QTransform saved = painter->transform();
        painter->translate(rect.topLeft());
        painter->scale(rect.width() / 20.0, rect.height() / 20.0);
        painter->setBrush(stateColor(s));
        painter->drawPath(ring);
        painter->setTransform(saved);
        return;
    }
    painter->setBrush(stateColor(s));
    painter->drawEllipse(rect);
    const IconShapes &shapes = shapesFor(icon);
    const QColor ink = dark ? QColor(0x14, 0x16, 0x1a) : QColor(Qt::white);
    const QTransform saved = painter->transform();
    painter->translate(rect.topLeft());
    painter->scale(rect.width() / 20.0, rect.height() / 20.0);
    painter->setBrush(ink);
    painter->drawPath(shapes.glyph);
    if (!shapes.badge.isEmpty()) {
        painter->setBrush(stateColor(s));
        painter->drawPath(shapes.badge);
        painter->setBrush(ink);
        painter->drawPath(shapes.badgeGlyph);
    }
    painter->setTransform(saved);
}

} // namespace flowdeck::ui::canvas
