// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/jobs/ThemedIcon.h"

#include <QFile>
#include <QPainter>
#include <QPixmap>
#include <QSvgRenderer>

namespace flowdeck::ui::themedicon {

using namespace Qt::StringLiterals;

namespace {

QPixmap render(const QByteArray &svg, const QColor &color, int size)
{
    QByteArray text = svg;
    text.replace("currentColor", color.name(QColor::HexRgb).toLatin1());
    QSvgRenderer renderer(text);
    QPixmap pixmap(size, size);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    renderer.render(&painter);
    return pixmap;
}

} // namespace

QIcon make(const QString &name, const QPalette &palette)
{
    QFile file(u":/icons/%1.svg"_s.arg(name));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    const QByteArray svg = file.readAll();
    QIcon icon;
    // Pixel sizes the toolbars, menus and rail ask for, and their doubles for HiDPI screens.
    for (const int size : {16, 24, 32, 48}) {
        icon.addPixmap(render(svg, palette.color(QPalette::ButtonText), size), QIcon::Normal);
        icon.addPixmap(render(svg, palette.color(QPalette::PlaceholderText), size),
                       QIcon::Disabled);
        icon.addPixmap(render(svg, palette.color(QPalette::HighlightedText), size),
                       QIcon::Selected);
    }
    return icon;
}

} // namespace flowdeck::ui::themedicon
