// SPDX-License-Identifier: GPL-3.0-or-later
// The plain-words explanation of why a job stopped, floating over the top of the canvas so it
// stays put while the graph pans. Clicking it brings the stuck task into view. GUI thread.
#pragma once

#include <QFrame>

class QLabel;

namespace flowdeck::ui::canvas {

struct CanvasStyle;

class ProblemBanner final : public QFrame
{
    Q_OBJECT
public:
    explicit ProblemBanner(QWidget *parent);

    /// Shows `text`, or hides the banner when it is empty.
    void setText(const QString &text);
    QString text() const;
    void setCanvasStyle(const CanvasStyle &style);
    /// Places the banner across the top of `area`, at most a readable width.
    void place(const QRect &area);

Q_SIGNALS:
    void clicked();

protected:
    void mousePressEvent(QMouseEvent *event) override;

private:
    QLabel *m_icon;
    QLabel *m_label;
};

} // namespace flowdeck::ui::canvas
