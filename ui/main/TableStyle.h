// SPDX-License-Identifier: GPL-3.0-or-later
// Roomier cells for the window's read-only tables: the platform style, with a wider text
// margin in cells and headers so columns do not crowd each other. A proxy style rather than a
// style sheet, so the tables keep following the system palette (light and dark) when it changes.
// Tab leaves the table rather than moving cell by cell.
#pragma once

#include <QProxyStyle>

class QTableView;

namespace flowdeck::ui {

class TableStyle final : public QProxyStyle
{
    Q_OBJECT
public:
    /// Gives `view` and its header the roomier margins; the style is owned by `view`.
    static void apply(QTableView *view);

    int pixelMetric(PixelMetric metric, const QStyleOption *option = nullptr,
                    const QWidget *widget = nullptr) const override;
    void drawControl(ControlElement element, const QStyleOption *option, QPainter *painter,
                     const QWidget *widget = nullptr) const override;
    void drawPrimitive(PrimitiveElement element, const QStyleOption *option, QPainter *painter,
                       const QWidget *widget = nullptr) const override;
    QSize sizeFromContents(ContentsType type, const QStyleOption *option, const QSize &size,
                           const QWidget *widget) const override;

private:
    TableStyle() = default;
    /// How much further in header text starts than the platform style puts it.
    int headerInset(const QStyleOption *option, const QWidget *widget) const;
};

} // namespace flowdeck::ui
