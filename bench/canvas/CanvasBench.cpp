// SPDX-License-Identifier: GPL-3.0-or-later
// bench_canvas: frame times of the workflow canvas on a 2,000-task workflow (~3,000 curved
// transitions) with a job in progress, rendered into a 1600×1000 image the way a window frame
// is painted (the canvas widget with its overlays). Scenarios: the whole workflow fitted, a
// zoom sequence from fit to 200% and back, pans at 100%, 50% and 25%, and a live update of 200
// task states. Prints p50 / p95 / max in milliseconds; asserts nothing.
//
//   QT_QPA_PLATFORM=offscreen bench_canvas [--frames N]
#include "bench/canvas/LargeWorkflow.h"
#include "ui/canvas/TransitionItem.h"
#include "ui/canvas/WorkflowCanvas.h"
#include "ui/canvas/WorkflowScene.h"

#include <QApplication>
#include <QImage>
#include <QPainter>
#include <QScrollBar>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <functional>
#include <vector>

using namespace flowdeck;
using Clock = std::chrono::steady_clock;

namespace {

struct Stats
{
    double p50 = 0;
    double p95 = 0;
    double max = 0;
};

Stats stats(std::vector<double> ms)
{
    std::sort(ms.begin(), ms.end());
    auto at = [&](double q) {
        return ms[std::min(ms.size() - 1, std::size_t(q * double(ms.size() - 1) + 0.5))];
    };
    return {at(0.5), at(0.95), ms.back()};
}

double since(Clock::time_point start)
{
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

/// CPU time of the whole process (every thread Qt's raster engine uses), in ms. On a shared,
/// loaded machine wall time mostly measures the other processes; CPU time measures the frame.
double cpuNow()
{
    timespec t{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return double(t.tv_sec) * 1e3 + double(t.tv_nsec) / 1e6;
}

struct Sample
{
    double wall = 0;
    double cpu = 0;
};

class Bench
{
public:
    Bench(ui::canvas::WorkflowCanvas &canvas, QImage &image) : m_canvas(canvas), m_image(image) {}

    /// One frame: what the window would paint, into the same image every time.
    void render()
    {
        QPainter painter(&m_image);
        // QWidget::render paints as the window does (viewport and overlays);
        // QGraphicsView::render would take the slower scene-to-target path instead.
        static_cast<QWidget &>(m_canvas).render(&painter);
    }

    /// Times `step` (which changes the view) plus the frame it causes.
    Sample frame(const std::function<void()> &step)
    {
        QCoreApplication::processEvents();
        const auto start = Clock::now();
        const double cpu = cpuNow();
        step();
        render();
        return {since(start), cpuNow() - cpu};
    }

    void report(const char *name, const std::vector<Sample> &samples)
    {
        std::vector<double> wall;
        std::vector<double> cpu;
        for (const Sample &s : samples) {
            wall.push_back(s.wall);
            cpu.push_back(s.cpu);
        }
        const Stats c = stats(cpu);
        const Stats w = stats(wall);
        std::printf("  %-34s %4zu  cpu p50 %6.2f p95 %6.2f max %6.2f ms | wall p50 %6.2f "
                    "p95 %6.2f max %6.2f ms\n",
                    name, samples.size(), c.p50, c.p95, c.max, w.p50, w.p95, w.max);
    }

private:
    ui::canvas::WorkflowCanvas &m_canvas;
    QImage &m_image;
};

} // namespace

int main(int argc, char **argv)
{
    int frames = 120;
    for (int i = 1; i + 1 < argc; ++i)
        if (std::strcmp(argv[i], "--frames") == 0)
            frames = std::max(10, std::atoi(argv[i + 1]));
    QApplication app(argc, argv);

    const bench::LargeWorkflow shape;
    const nlohmann::json workflow = shape.workflow();
    const nlohmann::json job = shape.job(workflow, 28);
    const nlohmann::json nextJob = shape.job(workflow, 28, 1);

    ui::canvas::WorkflowCanvas canvas;
    canvas.resize(1600, 1000);
    canvas.show();
    QCoreApplication::processEvents();
    // Laid out at its size; hidden again so the offscreen window does not repaint between
    // the timed frames (QWidget::render paints hidden widgets just the same).
    canvas.hide();
    QImage image(canvas.size(), QImage::Format_ARGB32_Premultiplied);

    auto start = Clock::now();
    canvas.setWorkflow(workflow);
    const double buildMs = since(start);
    start = Clock::now();
    canvas.setJob(job);
    const double jobMs = since(start);
    const auto *scene = canvas.workflowScene();
    std::printf("bench_canvas: %zu tasks, %zu transitions, viewport %dx%d, %s platform\n",
                scene->taskItems().size(), scene->transitionItems().size(),
                canvas.viewport()->width(), canvas.viewport()->height(),
                qPrintable(QGuiApplication::platformName()));
    std::printf("  setWorkflow %.1f ms, setJob %.1f ms\n", buildMs, jobMs);

    Bench bench(canvas, image);
    for (int i = 0; i < 5; ++i) // warm caches (glyphs, batches) as a window would be
        bench.frame([&] { canvas.fitAll(); });

    std::vector<Sample> whole;
    for (int i = 0; i < frames; ++i)
        whole.push_back(bench.frame([&] { canvas.fitAll(); }));
    bench.report("whole workflow (fitAll + frame)", whole);

    // Zoom: from the fitted view to 200% and back, in wheel-sized steps at the centre.
    std::vector<Sample> zoom;
    canvas.fitAll();
    while (zoom.size() < std::size_t(frames)) {
        while (canvas.zoom() < 2.0 && zoom.size() < std::size_t(frames))
            zoom.push_back(bench.frame([&] { canvas.zoomIn(); }));
        while (canvas.zoom() > 0.2 && zoom.size() < std::size_t(frames))
            zoom.push_back(bench.frame([&] { canvas.zoomOut(); }));
    }
    bench.report("zoom steps (fit ↔ 200%)", zoom);

    // Pan: scroll steps of 40 px diagonally across a busy part, at three zooms.
    std::vector<Sample> panAll;
    for (const qreal level : {1.0, 0.5, 0.25}) {
        canvas.fitAll();
        canvas.zoomTo(level);
        canvas.centerOn(scene->graphRect().center());
        std::vector<Sample> pan;
        for (int i = 0; i < frames; ++i) {
            const int dir = (i / 30) % 2 == 0 ? 1 : -1;
            pan.push_back(bench.frame([&] {
                canvas.horizontalScrollBar()->setValue(canvas.horizontalScrollBar()->value() +
                                                       40 * dir);
                canvas.verticalScrollBar()->setValue(canvas.verticalScrollBar()->value() +
                                                     24 * dir);
            }));
        }
        char name[64];
        std::snprintf(name, sizeof name, "pan steps at %d%%", int(canvas.zoom() * 100 + 0.5));
        bench.report(name, pan);
        panAll.insert(panAll.end(), pan.begin(), pan.end());
    }
    bench.report("pan steps (all zooms)", panAll);

    // Live: 200 tasks change state; updateJob applies the document in place, then a frame of
    // the whole workflow (every change is on screen).
    canvas.fitAll();
    std::vector<Sample> live;
    std::vector<Sample> applyOnly;
    for (int i = 0; i < frames; ++i) {
        const nlohmann::json &doc = i % 2 == 0 ? nextJob : job;
        QCoreApplication::processEvents();
        const auto begin = Clock::now();
        const double cpu = cpuNow();
        canvas.updateJob(doc);
        applyOnly.push_back({since(begin), cpuNow() - cpu});
        QCoreApplication::processEvents();
        bench.render();
        live.push_back({since(begin), cpuNow() - cpu});
    }
    bench.report("live update, 200 tasks (apply)", applyOnly);
    bench.report("live update, 200 tasks (+ frame)", live);
    return 0;
}
