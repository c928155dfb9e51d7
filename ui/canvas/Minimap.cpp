// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/canvas/Minimap.h"

#include "ui/canvas/OverviewLayer.h"
#include "ui/canvas/WorkflowCanvas.h"
#include "ui/canvas/WorkflowScene.h"

#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QToolButton>

namespace flowdeck::ui::canvas {

namespace {
constexpr int kMaxWidth = 220;
constexpr int kMaxHeight = 150;
constexpr int kMargin = 12;
constexpr int kInset = 6;
constexpr int kToggleSize = 22;
constexpr int kCollapsedWidth = 44;
} // namespace

Minimap::Minimap(WorkflowCanvas *canvas) : QWidget(canvas), m_canvas(canvas)
{
    setObjectName(QStringLiteral("canvasMinimap"));
    setCursor(Qt::PointingHandCursor);
    setAttribute(Qt::WA_OpaquePaintEvent, false);
    m_toggle = new QToolButton(this);
    m_toggle->setObjectName(QStringLiteral("minimapToggle"));
    m_toggle->setAutoRaise(true);
    m_toggle->setCursor(Qt::ArrowCursor);
    m_toggle->setFocusPolicy(Qt::NoFocus);
    connect(m_toggle, &QToolButton::clicked, this, [this] { setCollapsed(!m_collapsed); });
    showFolded(false);
}

void Minimap::setCollapsed(bool collapsed)
{
    m_chosen = collapsed;
    showFolded(collapsed);
    if (parentWidget() && isVisible())
        place(m_canvas->viewport()->geometry());
}

void Minimap::showFolded(bool collapsed)
{
    m_collapsed = collapsed;
    m_toggle->setText(collapsed ? tr("Map") : QStringLiteral("–"));
    m_toggle->setFixedSize(collapsed ? kCollapsedWidth : kToggleSize, kToggleSize);
    m_toggle->setToolTip(collapsed ? tr("Show the map of the whole workflow")
                                   : tr("Hide the map, to see the tasks under it"));
    m_toggle->setAccessibleName(collapsed ? tr("Show map") : tr("Hide map"));
    update();
}

QSize Minimap::openSize() const
{
    const QRectF graph = m_canvas->workflowScene()->graphRect();
    if (graph.isEmpty())
        return {};
    const qreal scale = std::min((kMaxWidth - 2.0 * kInset) / graph.width(),
                                 (kMaxHeight - 2.0 * kInset) / graph.height());
    return {int(std::ceil(graph.width() * scale)) + 2 * kInset,
            int(std::ceil(graph.height() * scale)) + 2 * kInset};
}

void Minimap::placeToggle()
{
    m_toggle->move(width() - m_toggle->width() - 2, 2);
}

void Minimap::place(const QRect &area)
{
    const QSize open = openSize();
    if (open.isEmpty())
        return;
    // Unless the operator chose, the map folds where it would cover a large part of the view
    // (a small preview, a laptop screen): there it would hide the very tasks it maps.
    const bool large = open.width() > area.width() / 3 || open.height() > area.height() / 3;
    const bool collapsed = m_chosen.value_or(large);
    if (collapsed != m_collapsed)
        showFolded(collapsed);
    const QSize size = collapsed ? QSize(m_toggle->width() + 4, m_toggle->height() + 4) : open;
    setGeometry(QRect(area.right() - kMargin - size.width() + 1,
                      area.bottom() - kMargin - size.height() + 1, size.width(), size.height()));
    placeToggle();
}

QRectF Minimap::graphArea() const
{
    return QRectF(rect()).adjusted(kInset, kInset, -kInset, -kInset);
}

QTransform Minimap::sceneToMinimap() const
{
    const QRectF graph = m_canvas->workflowScene()->graphRect();
    const QRectF area = graphArea();
    if (graph.isEmpty() || area.isEmpty())
        return {};
    const qreal scale = std::min(area.width() / graph.width(), area.height() / graph.height());
    QTransform t;
    t.translate(area.left(), area.top());
    t.scale(scale, scale);
    t.translate(-graph.left(), -graph.top());
    return t;
}

QPointF Minimap::toScene(const QPointF &point) const
{
    return sceneToMinimap().inverted().map(point);
}

QRectF Minimap::viewRect() const
{
    const QRectF visible = m_canvas->mapToScene(m_canvas->viewport()->rect()).boundingRect();
    return sceneToMinimap().mapRect(visible).intersected(QRectF(rect()).adjusted(1, 1, -1, -1));
}

void Minimap::paintEvent(QPaintEvent *)
{
    WorkflowScene *scene = m_canvas->workflowScene();
    const CanvasStyle &s = scene->canvasStyle();
    if (m_collapsed) {
        QPainter painter(this);
        painter.setRenderHint(QPainter::Antialiasing);
        painter.setPen(QPen(s.cardBorder, 1));
        painter.setBrush(s.background);
        painter.drawRoundedRect(QRectF(rect()).adjusted(0.5, 0.5, -0.5, -0.5), 6, 6);
        return;
    }
    const qreal dpr = devicePixelRatioF();
    const QSize pixels = (QSizeF(size()) * dpr).toSize();
    OverviewLayer *overview = scene->overviewLayer();
    if (m_picture.size() != pixels || m_pictureRevision != overview->revision()) {
        m_picture = QImage(pixels, QImage::Format_ARGB32_Premultiplied);
        m_picture.setDevicePixelRatio(dpr);
        m_picture.fill(Qt::transparent);
        QPainter p(&m_picture);
        p.setRenderHint(QPainter::Antialiasing);
        const QTransform t = sceneToMinimap();
        p.setTransform(t);
        overview->paintGraph(&p, t.m11());
        m_pictureRevision = overview->revision();
    }

    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    QColor panel = s.background;
    panel.setAlphaF(0.94f);
    painter.setPen(QPen(s.cardBorder, 1));
    painter.setBrush(panel);
    painter.drawRoundedRect(QRectF(rect()).adjusted(0.5, 0.5, -0.5, -0.5), 6, 6);
    painter.drawImage(QPointF(0, 0), m_picture);

    const QRectF view = viewRect();
    QColor fill = s.selection;
    fill.setAlphaF(0.12f);
    painter.setPen(QPen(s.selection, 1.5));
    painter.setBrush(fill);
    painter.drawRect(view);
}

void Minimap::mousePressEvent(QMouseEvent *event)
{
    if (event->button() == Qt::LeftButton && !m_collapsed)
        m_canvas->centerOn(toScene(event->position()));
    event->accept();
}

void Minimap::mouseMoveEvent(QMouseEvent *event)
{
    if (event->buttons() & Qt::LeftButton && !m_collapsed)
        m_canvas->centerOn(toScene(event->position()));
    event->accept();
}

void Minimap::mouseReleaseEvent(QMouseEvent *event)
{
    event->accept(); // the press was ours; the canvas underneath must not see a stray release
}

} // namespace flowdeck::ui::canvas
