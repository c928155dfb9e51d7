// SPDX-License-Identifier: GPL-3.0-or-later
// Saves a widget as PNG under the build's screenshots folder, in the light palette the test
// runs with and in a dark one, so people can look at both.
#pragma once

#include <QApplication>
#include <QDir>
#include <QImage>
#include <QPalette>
#include <QTest>
#include <QWidget>

namespace flowdeck::test {

/// Where shots go: FLOWDECK_SHOT_DIR when set (to gather one set, say the shots an issue asks
/// for, by running just the test functions that make them), else the build's screenshots folder.
inline QString screenshotDir()
{
    return qEnvironmentVariable("FLOWDECK_SHOT_DIR", QStringLiteral(FLOWDECK_SCREENSHOT_DIR));
}

inline QPalette darkPalette()
{
    QPalette dark(QColor(0x35, 0x35, 0x35), QColor(0x2a, 0x2a, 0x2a));
    dark.setColor(QPalette::WindowText, QColor(0xe8, 0xe8, 0xe8));
    dark.setColor(QPalette::Text, QColor(0xe8, 0xe8, 0xe8));
    dark.setColor(QPalette::ButtonText, QColor(0xe8, 0xe8, 0xe8));
    dark.setColor(QPalette::Base, QColor(0x1f, 0x1f, 0x1f));
    dark.setColor(QPalette::AlternateBase, QColor(0x29, 0x29, 0x29));
    dark.setColor(QPalette::PlaceholderText, QColor(0x9a, 0x9a, 0x9a));
    dark.setColor(QPalette::Highlight, QColor(0x2f, 0x6f, 0xb3));
    dark.setColor(QPalette::HighlightedText, QColor(0xff, 0xff, 0xff));
    // setColor() above set every group; a desktop's dark palette dims what is disabled.
    for (const auto role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText})
        dark.setColor(QPalette::Disabled, role, QColor(0x80, 0x80, 0x80));
    return dark;
}

/// Writes `<name>.png` and `<name>-dark.png`; false when either cannot be written.
inline bool saveScreenshots(QWidget *widget, const QString &name)
{
    const QString dir = screenshotDir();
    if (!QDir().mkpath(dir))
        return false;
    QTest::qWait(10);
    if (!widget->grab().save(dir + u'/' + name + QStringLiteral(".png")))
        return false;
    const QPalette light = QApplication::palette();
    QApplication::setPalette(darkPalette());
    QTest::qWait(20);
    const bool ok = widget->grab().save(dir + u'/' + name + QStringLiteral("-dark.png"));
    QApplication::setPalette(light);
    QTest::qWait(20); // the palette reaches the widgets through events, as the dark one did
    return ok;
}

/// Also writes `<name>-1024x700.png` (the window resized to a small laptop screen, then put
/// back) and `<name>-scale2.png` (drawn at a device pixel ratio of 2, as on a HiDPI screen).
inline bool saveScreenshotsEveryWay(QWidget *widget, const QString &name)
{
    if (!saveScreenshots(widget, name))
        return false;
    const QString dir = screenshotDir();
    QImage hidpi(widget->size() * 2, QImage::Format_ARGB32_Premultiplied);
    hidpi.setDevicePixelRatio(2);
    hidpi.fill(Qt::transparent);
    widget->render(&hidpi);
    if (!hidpi.save(dir + u'/' + name + QStringLiteral("-scale2.png")))
        return false;
    QWidget *window = widget->window();
    const QSize before = window->size();
    window->resize(1024, 700);
    QTest::qWait(30);
    const bool ok = widget->grab().save(dir + u'/' + name + QStringLiteral("-1024x700.png"));
    window->resize(before);
    QTest::qWait(10);
    return ok;
}

} // namespace flowdeck::test
