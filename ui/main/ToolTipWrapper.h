// SPDX-License-Identifier: GPL-3.0-or-later
// Long plain-text tool tips wrap. Qt shows a plain tool tip as one line however long it is
// (a job's description, a task's summary, a canvas hint run off the screen); rich text wraps.
// This application-wide event filter turns every long plain tip, of a widget or of an item in
// a view, into wrapping text before it shows, so no caller has to remember to. GUI thread.
#pragma once

#include <QObject>

namespace flowdeck::ui {

class ToolTipWrapper final : public QObject
{
    Q_OBJECT
public:
    /// Plain tips longer than this many characters (or with several lines) wrap.
    static constexpr int kWrapAbove = 70;

    using QObject::QObject;

    /// `text` as a tip that wraps, or unchanged when it is short or already rich text.
    static QString wrapped(const QString &text);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;
};

} // namespace flowdeck::ui
