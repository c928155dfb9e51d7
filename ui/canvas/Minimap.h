// SPDX-License-Identifier: GPL-3.0-or-later
// A small picture of the whole workflow in a corner of the canvas, with the part in view
// outlined; clicking or dragging in it moves the view there. The picture is drawn once per
// change of the job or style and cached, so panning only repaints the outline. It covers part of
// the canvas, so its corner button folds it to that button alone and back. GUI thread.
#pragma once

#include <QImage>
#include <QWidget>

#include <optional>

class QToolButton;

namespace flowdeck::ui::canvas {

class WorkflowCanvas;

class Minimap final : public QWidget
{
    Q_OBJECT
public:
    explicit Minimap(WorkflowCanvas *canvas);

    /// Places the minimap in the bottom-right corner of `area` (viewport coordinates of the
    /// canvas), sized to the graph's aspect ratio.
    void place(const QRect &area);
    /// The scene point under a minimap point.
    QPointF toScene(const QPointF &point) const;
    QRectF viewRect() const; ///< the outlined part, minimap coordinates

    /// Folded, only the button shows, so no task hides under the map. Until this is called
    /// (the corner button calls it), the map folds by itself in views it would crowd: wider
    /// or taller than a third of the view.
    void setCollapsed(bool collapsed);
    bool isCollapsed() const { return m_collapsed; }
    QToolButton *toggleButton() const { return m_toggle; }

protected:
    void paintEvent(QPaintEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;

private:
    QRectF graphArea() const; ///< where the graph is drawn inside the widget
    QTransform sceneToMinimap() const;

    void placeToggle();
    void showFolded(bool collapsed);
    QSize openSize() const; ///< the unfolded size, from the graph's aspect ratio

    WorkflowCanvas *m_canvas;
    QToolButton *m_toggle;
    bool m_collapsed = false;     ///< as shown
    std::optional<bool> m_chosen; ///< the operator's choice, once made
    QImage m_picture;
    quint64 m_pictureRevision = ~quint64(0);
};

} // namespace flowdeck::ui::canvas
