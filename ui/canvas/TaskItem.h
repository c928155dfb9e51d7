// SPDX-License-Identifier: GPL-3.0-or-later
// One task of the workflow as a card: its name, its method and app ("query · WorkFlowEngine",
// the method first so eliding a long line cuts the app), and the state the shown job put
// it in (status colour and icon). Holds only what it draws; the scene tells it when the job
// changes. Does not take mouse buttons: the canvas hit-tests clicks itself, so a drag that starts
// on a card pans like one on the background. GUI thread.
#pragma once

#include "ui/canvas/CanvasStyle.h"

#include <QGlyphRun>
#include <QGraphicsItem>
#include <QList>

namespace flowdeck::ui::canvas {

class TaskItem final : public QGraphicsItem
{
public:
    enum { Type = UserType + 101 };

    /// `style` is the scene's and outlives the item. The item sits at `cellOrigin` (the
    /// scene position of its grid cell) with its card centred in the cell.
    TaskItem(const CanvasStyle *style, QString key, QString name, QString method,
             QPointF cellOrigin, QGraphicsItem *parent = nullptr);

    int type() const override { return Type; }
    QRectF boundingRect() const override;
    void paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *widget) override;

    const QString &key() const { return m_key; }
    const QString &name() const { return m_name; }
    const QString &method() const { return m_method; }
    /// The card in item coordinates, and in scene coordinates.
    static QRectF cardRect();
    QRectF sceneCardRect() const { return cardRect().translated(pos()); }

    /// Updates the job's view of this task; repaints only when something changed.
    void setRun(TaskState state, int iterations, const QString &owner);
    TaskState state() const { return m_state; }
    int iterations() const { return m_iterations; }
    const QString &owner() const { return m_owner; }
    QColor accentColor() const { return m_style->stateColor(m_state); }
    StatusIcon statusIcon() const { return iconFor(m_state); }

    void setSelectedTask(bool selected);
    bool isSelectedTask() const { return m_selected; }
    /// Marks the task a job got stuck on (no transition matched its result).
    void setProblem(bool problem);
    bool isProblem() const { return m_problem; }

    /// What the last paint drew: the canvas's level of detail at that time.
    CanvasStyle::Detail drawnDetail() const { return m_drawnDetail; }
    /// Whether the last paint drew the task's name (on a full or a name-only card).
    bool labelsDrawn() const { return m_drawnDetail != CanvasStyle::Detail::Overview; }
    /// The text fits the card again (after a font change).
    void relayout();

private:
    QString badgeText() const;

    const CanvasStyle *m_style;
    QString m_key;
    QString m_name;
    QString m_method;
    // Text shaped once into glyph runs: unlike QStaticText, which lays itself out again for
    // every new zoom factor, a glyph run only needs its glyphs rasterised at the new size.
    QList<QGlyphRun> m_nameText;
    QList<QGlyphRun> m_nameText2; ///< a long name's second line; empty when it fits on one
    QList<QGlyphRun> m_methodText;
    QList<QGlyphRun> m_bigName[2]; ///< the name on a name-only card, in up to two lines
    qreal m_bigNameTop = 0;
    qreal m_bigLineHeight = 0;
    QList<QGlyphRun> m_badge;
    qreal m_badgeWidth = 0;
    QString m_owner;
    int m_iterations = 0;
    TaskState m_state = TaskState::NotReached;
    bool m_selected = false;
    bool m_problem = false;
    CanvasStyle::Detail m_drawnDetail = CanvasStyle::Detail::Overview;
};

} // namespace flowdeck::ui::canvas
