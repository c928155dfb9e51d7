// SPDX-License-Identifier: GPL-3.0-or-later
// An automation's health as GET /operations-manager/automations/:id/health answers it: the
// score and its figures in words, and two charts (QtCharts): runs per day by status, and each
// run's duration over time. GUI thread; fed by the Automations page.
#pragma once

#include <QWidget>

#include <nlohmann/json.hpp>

class QLabel;

QT_BEGIN_NAMESPACE
class QChart;
class QChartView;
QT_END_NAMESPACE

namespace flowdeck::ui {

class AutomationHealthView final : public QWidget
{
    Q_OBJECT
public:
    explicit AutomationHealthView(QWidget *parent = nullptr);

    /// Shows the health document (`data` of the answer); null clears the view.
    void setHealth(const nlohmann::json &health);
    /// Says why there is nothing to show (the request failed).
    void setProblem(const QString &text);

    /// The score line ("Score 86 — healthy"), for tests and accessibility.
    QString scoreText() const;
    /// Each figure's label text by name: successRate, p50, p95, failures, lastRun, nextRun.
    QString figureText(const QString &name) const;
    QChart *runsChart() const { return m_runsChart; }
    QChart *durationChart() const { return m_durationChart; }

private:
    QLabel *m_score = nullptr;
    QLabel *m_note = nullptr;
    std::map<QString, QLabel *> m_figures;
    QChart *m_runsChart = nullptr;
    QChart *m_durationChart = nullptr;
    QChartView *m_runsView = nullptr;
    QChartView *m_durationView = nullptr;
};

} // namespace flowdeck::ui
