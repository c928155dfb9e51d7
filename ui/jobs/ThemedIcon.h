// SPDX-License-Identifier: GPL-3.0-or-later
// Monochrome SVG icons drawn in the palette's text colours, so one file serves the light and
// the dark system palette. The SVGs in resources/icons say `currentColor`; Qt 6.4's SVG
// renderer does not resolve it, so the colour is substituted before rendering. GUI thread.
#pragma once

#include <QIcon>
#include <QPalette>

namespace flowdeck::ui {

namespace themedicon {

/// `:/icons/<name>.svg` with currentColor as the palette's ButtonText (normal), PlaceholderText
/// (disabled) and HighlightedText (selected). A null icon when the file is missing.
QIcon make(const QString &name, const QPalette &palette);

} // namespace themedicon

} // namespace flowdeck::ui
