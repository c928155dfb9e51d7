// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/main/ToolTipWrapper.h"

#include <QAbstractItemView>
#include <QHelpEvent>
#include <QTextDocument>
#include <QToolTip>
#include <QWidget>

namespace flowdeck::ui {

using namespace Qt::StringLiterals;

QString ToolTipWrapper::wrapped(const QString &text)
{
    if (text.isEmpty() || Qt::mightBeRichText(text) ||
        (text.size() <= kWrapAbove && !text.contains(u'\n')))
        return text;
    // pre-wrap keeps the line breaks the text has and wraps the long lines.
    return u"<p style=\"white-space:pre-wrap\">"_s + text.toHtmlEscaped() + u"</p>"_s;
}

bool ToolTipWrapper::eventFilter(QObject *watched, QEvent *event)
{
    if (event->type() != QEvent::ToolTip || !watched->isWidgetType())
        return false;
    auto *widget = static_cast<QWidget *>(watched);
    auto *help = static_cast<QHelpEvent *>(event);
    QString text;
    QRect area;
    // An item view's tips come from its model, for the item under the pointer.
    if (auto *view = qobject_cast<QAbstractItemView *>(widget->parentWidget());
        view && view->viewport() == widget) {
        const QModelIndex index = view->indexAt(help->pos());
        if (!index.isValid())
            return false;
        text = index.data(Qt::ToolTipRole).toString();
        area = view->visualRect(index);
    } else {
        text = widget->toolTip();
        area = widget->rect();
    }
    const QString shown = wrapped(text);
    if (shown == text)
        return false; // short or rich already: Qt's own handling shows it
    QToolTip::showText(help->globalPos(), shown, widget, area);
    return true;
}

} // namespace flowdeck::ui
