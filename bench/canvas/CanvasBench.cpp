// SPDX-License-Identifier: GPL-3.0-or-later
// bench_canvas: frame times of the workflow canvas on a 2,000-task workflow (~3,000 curved
// transitions) with a job in progress, rendered into a 1600×1000 image the way a window frame
// is painted (the canvas widget with its overlays). Scenarios: the whole workflow fitted, a
// zoom sequence from fit to 200% and back, pans at 100%, 50% and 25%, and a live update of 200
// task states; and editing (issue 19): a frame of a drag, a move of one task and of 200 as
// the editor applies it (the edit, the scene rebuilt from the document, the validator), the
// undo of the 200-task move, and the validator alone. Prints p50 / p95 / max in milliseconds;
// asserts nothing.
//
//   QT_QPA_PLATFORM=offscreen bench_canvas [--frames N]
#include "bench/canvas/LargeWorkflow.h"
#include "engine/model/GridPosition.h"
#include "engine/model/WorkflowEdit.h"
#include "engine/validate/WorkflowValidator.h"
#include "ui/canvas/TransitionItem.h"
#include "ui/canvas/WorkflowCanvas.h"
#include "ui/canvas/WorkflowScene.h"
#include "ui/editor/CanvasUpdate.h"
#include "ui/editor/EditSession.h"

#include <QApplication>
#include <QGraphicsRectItem>
#include <QImage>
#include <QPainter>
#include <QScrollBar>
#include <QUndoStack>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <functional>
#include <map>
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

    // Editing, as ui/editor/WorkflowEditor does it: the edit through the session's undo stack,
    // then the scene made again from the document and the whole document validated.
    canvas.clearJob();
    canvas.fitAll();
    canvas.zoomTo(1.0);
    canvas.centerOn(scene->graphRect().center());
    ui::editor::EditSession session(workflow);
    // What WorkflowEditor does on each change: the canvas (a move in place, anything else
    // made again) and, unless it was a move, the validator. (The editor runs the validator on
    // a worker for a document this large; it is timed here on the same thread, as its cost.)
    QObject::connect(&session, &ui::editor::EditSession::documentChanged, &canvas, [&] {
        if (!ui::editor::showChange(canvas, session.document(), session.changing()))
            (void)validate::validateWorkflow(session.document());
    });
    std::vector<std::string> keys;
    for (const auto &[key, task] : workflow["tasks"].items())
        if (key != "workflow_start" && key != "workflow_end")
            keys.push_back(key);

    // A drag: the outline follows the pointer, one frame per move; the document is untouched.
    auto *outline = new QGraphicsRectItem(scene->taskRect(QString::fromStdString(keys[500])));
    canvas.workflowScene()->addItem(outline);
    std::vector<Sample> dragFrames;
    for (int i = 0; i < frames; ++i)
        dragFrames.push_back(bench.frame([&] { outline->moveBy(i % 20 < 10 ? 12 : -12, 4); }));
    delete outline;
    bench.report("drag frame (outline moves)", dragFrames);

    const auto cellOf = [&](const std::string &key) {
        return model::gridPosition(session.document()["tasks"][key]).value_or(model::GridPoint{});
    };
    std::vector<Sample> moveOne;
    for (int i = 0; i < frames; ++i) {
        const std::string &key = keys[std::size_t(i * 7) % keys.size()];
        const model::GridPoint at = cellOf(key);
        moveOne.push_back(bench.frame([&] {
            session.perform(model::moveTasks(session.document(), {{key, {at.x + 0.0, at.y + 40}}}));
        }));
    }
    bench.report("drop 1 task (edit+scene+validate)", moveOne);

    std::vector<Sample> moveMany;
    std::vector<Sample> undoMany;
    std::vector<Sample> validateOnly;
    for (int i = 0; i < std::max(10, frames / 6); ++i) {
        std::map<std::string, model::GridPoint> to;
        for (std::size_t k = 0; k < 200; ++k) {
            const std::string &key = keys[(std::size_t(i) * 200 + k * 9) % keys.size()];
            const model::GridPoint at = cellOf(key);
            to[key] = {at.x, at.y + 60 + i};
        }
        moveMany.push_back(
            bench.frame([&] { session.perform(model::moveTasks(session.document(), to)); }));
        undoMany.push_back(bench.frame([&] { session.undoStack()->undo(); }));
        const auto begin = Clock::now();
        const double cpu = cpuNow();
        (void)validate::validateWorkflow(session.document());
        validateOnly.push_back({since(begin), cpuNow() - cpu});
    }
    std::vector<Sample> rename;
    for (int i = 0; i < std::max(10, frames / 6); ++i) {
        const std::string &key = keys[std::size_t(i * 13) % keys.size()];
        rename.push_back(bench.frame([&] {
            session.perform(model::setTaskValue(session.document(), key,
                                                nlohmann::json::json_pointer("/summary"),
                                                "Renamed " + std::to_string(i), "Rename"));
        }));
    }
    bench.report("drop 200 tasks (edit+scene+valid.)", moveMany);
    bench.report("other edit: rename (scene remade)", rename);
    bench.report("undo of the 200-task move", undoMany);
    bench.report("validation alone", validateOnly);
    return 0;
}
