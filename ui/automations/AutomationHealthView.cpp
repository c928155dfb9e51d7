// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/automations/AutomationHealthView.h"

#include "ui/client/JsonFields.h"
#include "ui/forms/TimeText.h"
#include "ui/jobs/JobStatus.h"

#include <QBarCategoryAxis>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QDateTimeAxis>
#include <QGridLayout>
#include <QLabel>
#include <QLineSeries>
#include <QScatterSeries>
#include <QStackedBarSeries>
#include <QVBoxLayout>
#include <QValueAxis>

#include <algorithm>
#include <map>

using namespace Qt::StringLiterals;
using nlohmann::json;

namespace flowdeck::ui {

namespace {

/// "850 ms", "12.4 s", "3 min 20 s", "1 h 05 min".
QString durationText(const json &ms)
{
    if (!ms.is_number())
        return u"—"_s;
    const double v = ms.get<double>();
    if (v < 1000)
        return QObject::tr("%1 ms").arg(qRound(v));
    if (v < 60'000)
        return QObject::tr("%1 s").arg(v / 1000.0, 0, 'f', 1);
    const qint64 s = qint64(v / 1000);
    if (s < 3600)
        return QObject::tr("%1 min %2 s").arg(s / 60).arg(s % 60);
    return QObject::tr("%1 h %2 min").arg(s / 3600).arg((s % 3600) / 60, 2, 10, QChar(u'0'));
}

QString momentText(const json &iso)
{
    const auto when = timetext::moment(iso);
    return when ? timetext::moment(*when, QDateTime::currentDateTime()) : u"—"_s;
}

QChart *makeChart(const QString &title)
{
    auto *chart = new QChart;
    chart->setTitle(title);
    chart->legend()->setAlignment(Qt::AlignBottom);
    chart->setMargins(QMargins(4, 4, 4, 4));
    chart->setBackgroundRoundness(4);
    return chart;
}

} // namespace

AutomationHealthView::AutomationHealthView(QWidget *parent) : QWidget(parent)
{
    setObjectName(u"automationHealth"_s);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 6, 0, 0);
    m_score = new QLabel(this);
    m_score->setObjectName(u"healthScore"_s);
    QFont big = m_score->font();
    big.setPointSizeF(big.pointSizeF() * 1.25);
    big.setWeight(QFont::DemiBold);
    m_score->setFont(big);
    m_score->setToolTip(tr("Score = 100 × success rate × 0.8 ^ consecutive failures: healthy from "
                           "90, degraded from 60, failing below"));
    layout->addWidget(m_score);
    m_note = new QLabel(this);
    m_note->setWordWrap(true);
    m_note->setForegroundRole(QPalette::PlaceholderText);
    layout->addWidget(m_note);

    auto *grid = new QGridLayout;
    grid->setHorizontalSpacing(18);
    const std::pair<const char *, QString> figures[] = {
        {"successRate", tr("Success rate")}, {"p50", tr("Median duration")},
        {"p95", tr("95th percentile")},      {"failures", tr("Consecutive failures")},
        {"lastRun", tr("Last run")},         {"nextRun", tr("Next run")}};
    int i = 0;
    for (const auto &[key, caption] : figures) {
        auto *name = new QLabel(caption, this);
        name->setForegroundRole(QPalette::PlaceholderText);
        auto *value = new QLabel(u"—"_s, this);
        value->setObjectName(u"health_"_s + QString::fromLatin1(key));
        value->setTextInteractionFlags(Qt::TextSelectableByMouse);
        grid->addWidget(name, (i / 3) * 2, i % 3);
        grid->addWidget(value, (i / 3) * 2 + 1, i % 3);
        m_figures[QString::fromLatin1(key)] = value;
        ++i;
    }
    layout->addLayout(grid);

    m_runsChart = makeChart(tr("Runs per day"));
    m_runsView = new QChartView(m_runsChart, this);
    m_runsView->setObjectName(u"healthRunsChart"_s);
    m_runsView->setRenderHint(QPainter::Antialiasing);
    m_runsView->setMinimumHeight(180);
    layout->addWidget(m_runsView, 1);
    m_durationChart = makeChart(tr("Duration of each run"));
    m_durationView = new QChartView(m_durationChart, this);
    m_durationView->setObjectName(u"healthDurationChart"_s);
    m_durationView->setRenderHint(QPainter::Antialiasing);
    m_durationView->setMinimumHeight(180);
    layout->addWidget(m_durationView, 1);
    setHealth(nullptr);
}

QString AutomationHealthView::scoreText() const
{
    return m_score->text();
}

QString AutomationHealthView::figureText(const QString &name) const
{
    auto it = m_figures.find(name);
    return it == m_figures.end() ? QString() : it->second->text();
}

void AutomationHealthView::setProblem(const QString &text)
{
    setHealth(nullptr);
    m_note->setText(text);
}

void AutomationHealthView::setHealth(const json &health)
{
    for (QChart *chart : {m_runsChart, m_durationChart}) {
        chart->removeAllSeries();
        for (QAbstractAxis *axis : chart->axes())
            chart->removeAxis(axis), delete axis;
    }
    if (!health.is_object()) {
        m_score->setText(tr("Health"));
        m_note->clear();
        for (auto &[key, label] : m_figures)
            label->setText(u"—"_s);
        return;
    }
    const json score = health.value("score", json());
    const QString state = jsonfields::text(health, "state");
    const QString stateText = state == u"healthy"_s    ? tr("healthy")
                              : state == u"degraded"_s ? tr("degraded")
                              : state == u"failing"_s  ? tr("failing")
                                                       : tr("no finished runs yet");
    m_score->setText(score.is_number() ? tr("Score %1 — %2").arg(score.get<int>()).arg(stateText)
                                       : tr("Score — %1").arg(stateText));
    QPalette p = m_score->palette();
    p.setColor(QPalette::WindowText, state == u"healthy"_s    ? jobstatus::color(u"complete"_s)
                                     : state == u"degraded"_s ? QColor(0xc8, 0x8a, 0x12)
                                     : state == u"failing"_s
                                         ? jobstatus::color(u"error"_s)
                                         : palette().color(QPalette::WindowText));
    m_score->setPalette(p);
    const int runs = health.value("runs", 0);
    const int days = health.value("windowDays", 30);
    m_note->setText(health.value("truncated", false)
                        ? tr("The newest %1 runs of the last %2 days.").arg(runs).arg(days)
                        : tr("%n run(s) in the last %1 days.", nullptr, runs).arg(days));

    const json rate = health.value("successRate", json());
    m_figures[u"successRate"_s]->setText(
        rate.is_number() ? tr("%1 %  (%2 of %3 finished)")
                               .arg(rate.get<double>() * 100.0, 0, 'f', 1)
                               .arg(health.value("byStatus", json::object()).value("complete", 0))
                               .arg(health.value("finished", 0))
                         : u"—"_s);
    m_figures[u"p50"_s]->setText(durationText(health.value("p50DurationMs", json())));
    m_figures[u"p95"_s]->setText(durationText(health.value("p95DurationMs", json())));
    m_figures[u"failures"_s]->setText(QString::number(health.value("consecutiveFailures", 0)));
    const json last = health.value("lastRun", json());
    m_figures[u"lastRun"_s]->setText(
        last.is_object() ? tr("%1, %2")
                               .arg(momentText(last.value("startedAt", json())))
                               .arg(jobstatus::label(jsonfields::text(last, "status")))
                         : u"—"_s);
    m_figures[u"nextRun"_s]->setText(health.value("nextRunAt", json()).is_string()
                                         ? momentText(health["nextRunAt"])
                                         : tr("no schedule"));

    // Runs per day, stacked by how they ended.
    const json series = health.value("series", json::object());
    const json perDay = series.value("days", json::array());
    auto *stacked = new QStackedBarSeries;
    QStringList categories;
    int highest = 0;
    for (const char *status : {"complete", "error", "canceled", "running"}) {
        auto *set = new QBarSet(jobstatus::label(QString::fromLatin1(status)));
        set->setColor(jobstatus::color(QString::fromLatin1(status)));
        set->setBorderColor(Qt::transparent);
        for (const auto &day : perDay)
            *set << day.value(status, 0);
        stacked->append(set);
    }
    QDate firstDate, lastDate;
    for (const auto &day : perDay) {
        const QDate date = QDate::fromString(jsonfields::text(day, "day"), Qt::ISODate);
        firstDate = firstDate.isValid() ? firstDate : date;
        lastDate = date;
        // The day of the month fits under a thirtieth of the chart; the title says the months.
        categories << QString::number(date.day());
        highest = std::max(highest, day.value("complete", 0) + day.value("error", 0) +
                                        day.value("canceled", 0) + day.value("running", 0));
    }
    stacked->setBarWidth(0.8);
    m_runsChart->addSeries(stacked);
    auto *dayAxis = new QBarCategoryAxis;
    dayAxis->append(categories);
    QFont small = dayAxis->labelsFont();
    small.setPointSizeF(small.pointSizeF() * 0.8);
    dayAxis->setLabelsFont(small);
    // Upright day numbers would be elided in a thirtieth of the width; turned, they fit.
    dayAxis->setLabelsAngle(-90);
    dayAxis->setTruncateLabels(false);
    if (firstDate.isValid())
        dayAxis->setTitleText(tr("%1 – %2").arg(QLocale().toString(firstDate, u"d MMM"_s),
                                                QLocale().toString(lastDate, u"d MMM yyyy"_s)));
    m_runsChart->addAxis(dayAxis, Qt::AlignBottom);
    stacked->attachAxis(dayAxis);
    auto *countAxis = new QValueAxis;
    countAxis->setRange(0, std::max(1, highest));
    countAxis->setLabelFormat(u"%d"_s);
    countAxis->setTickCount(std::min(6, std::max(2, highest + 1)));
    m_runsChart->addAxis(countAxis, Qt::AlignLeft);
    stacked->attachAxis(countAxis);

    // Duration of each run over time, a line through them and a dot per run in its status colour.
    const json points = series.value("durations", json::array());
    auto *line = new QLineSeries;
    line->setName(tr("Duration (s)"));
    std::map<std::string, QScatterSeries *> dots;
    double longest = 0;
    qint64 first = 0, lastAt = 0;
    for (const auto &pt : points) {
        const qint64 at = pt.value("at", qint64(0));
        const double seconds = pt.value("durationMs", 0.0) / 1000.0;
        longest = std::max(longest, seconds);
        first = first == 0 ? at : std::min(first, at);
        lastAt = std::max(lastAt, at);
        line->append(double(at), seconds);
        const std::string status = pt.value("status", std::string("complete"));
        auto &dot = dots[status];
        if (!dot) {
            dot = new QScatterSeries;
            dot->setName(jobstatus::label(QString::fromStdString(status)));
            dot->setColor(jobstatus::color(QString::fromStdString(status)));
            dot->setBorderColor(Qt::transparent);
            dot->setMarkerSize(7);
        }
        dot->append(double(at), seconds);
    }
    m_durationChart->addSeries(line);
    auto *timeAxis = new QDateTimeAxis;
    timeAxis->setFormat(u"d MMM HH:mm"_s);
    timeAxis->setLabelsFont(small);
    if (first == 0)
        first = lastAt = QDateTime::currentMSecsSinceEpoch();
    if (lastAt - first < 60'000)
        lastAt = first + 60'000; // one run still gets an axis
    timeAxis->setRange(QDateTime::fromMSecsSinceEpoch(first),
                       QDateTime::fromMSecsSinceEpoch(lastAt));
    timeAxis->setTickCount(4);
    m_durationChart->addAxis(timeAxis, Qt::AlignBottom);
    auto *secondsAxis = new QValueAxis;
    secondsAxis->setRange(0, std::max(1.0, longest * 1.1));
    secondsAxis->setLabelFormat(u"%.1f"_s);
    secondsAxis->setTitleText(tr("seconds"));
    m_durationChart->addAxis(secondsAxis, Qt::AlignLeft);
    line->attachAxis(timeAxis);
    line->attachAxis(secondsAxis);
    for (auto &[status, dot] : dots) {
        m_durationChart->addSeries(dot);
        dot->attachAxis(timeAxis);
        dot->attachAxis(secondsAxis);
    }
}

} // namespace flowdeck::ui
